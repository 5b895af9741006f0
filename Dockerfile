# pmot: one image for web (gunicorn), worker (celery worker) and beat (celery beat).
# The project runs from /app (templates/, static/ and locale/ live at the top of the tree).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=pmot.settings \
    WEB_CONCURRENCY=3

# Libraries WeasyPrint 70 needs on Debian 12 (PDF minutes, reports); pg_dump and pg_restore
# (15, as the postgres:15 service) for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 pmot \
    && useradd --system --uid 1000 --gid pmot --create-home --home-dir /home/pmot pmot

WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself. PYTHONPATH=/app makes the tree in /app the one that is imported.
COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# Translations (Babel, no gettext needed) and static files (hashed, compressed by WhiteNoise).
# SECRET_KEY here is a throw-away value for the build step only; it is not kept in the image.
RUN python -m babel.messages.frontend compile -d locale -D django \
    && SECRET_KEY=build-only-not-a-secret STATIC_MANIFEST=1 \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media /var/lib/pmot \
    && chown pmot:pmot /app/media /var/lib/pmot

USER pmot

EXPOSE 8000

# Workers: WEB_CONCURRENCY (read by gunicorn itself).
CMD ["gunicorn", "pmot.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--timeout", "60"]
