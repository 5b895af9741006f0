"""What the fuzz tests throw at pmot, and how they look at what comes back: hostile values by
kind of field (and one fixed value per category, tried on every run), the forms of a rendered
page (read from its HTML), the contents of every table (history included) as checksums and row
hashes, the tables a request wrote to, and the check that a message is in Spanish."""

import datetime
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, Phase, example, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.uploads import pdf_bytes, png_bytes

# --- Hostile values ---------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
# What must never reach a page unescaped.
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror=alert(1)>")

PAYLOADS = [
    SCRIPT,
    IMG,
    "'; DROP TABLE budgeting_action;--",
    "1 OR 1=1",
    "{{ 7*7 }}{% debug %}",
    "%(name)s %s {0}",
    "\u202eevil\u202c",
    "a\u200bb\u200dc\ufeff",
    "مرحبا بالعالم",
    "𝓟𝓜𝓞𝓣 🏙️👩🏽‍🌾",
    "Ñandú çà ü",
    "../../etc/passwd",
    "\r\n\t",
    " ",
    "",
    "x" * 5000,
]
HOSTILE_TEXT = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80),
    st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), st.text(max_size=20)).map(
        lambda s: s.replace("\x00", "")
    ),
)
# Text a form should accept and store as it is, to be shown escaped.
VALID_TEXT = st.sampled_from(
    [
        "Texto válido",
        SCRIPT,
        IMG,
        "'; DROP TABLE x;--",
        "Ñandú 🏙️ ‮al revés",
        "{{ 7*7 }}",
        "مرحبا",
    ]
)
HUGE_NUMBERS = st.sampled_from(
    [
        "NaN",
        "nan",
        "Infinity",
        "-Infinity",
        "inf",
        "1e309",
        "-1e309",
        "1e-400",
        "9" * 40,
        "-" + "9" * 40,
        "1" + "0" * 400,
        "0x10",
        "1,000.50",
        "$1,000",
        "١٢٣",
        "0",
        "-0",
        "-1",
        "2147483648",
        "9223372036854775808",
        "0.0000001",
        "12.345678901",
    ]
)
NUMBERS = st.one_of(
    HUGE_NUMBERS,
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(str),
    HOSTILE_TEXT,
)
DATES = st.one_of(
    st.sampled_from(
        [
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "2026-13-01",
            "2025-02-29",
            "10000-01-01",
            "0000-00-00",
            "-2026-01-01",
            "2026/01/15",
            "15/01/2026",
            "01/15/2026",
            "hoy",
            "2026-01-15T10:00",
            "",
        ]
    ),
    st.dates().map(datetime.date.isoformat),
    HOSTILE_TEXT,
)
DATETIMES = st.one_of(
    DATES,
    st.sampled_from(
        ["2026-01-15T25:61", "9999-12-31T23:59", "0001-01-01T00:00", "2026-01-15 10:00"]
    ),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
)
INVALID_CHOICES = st.sampled_from(["999999999", "-1", "0", "abc", "9" * 30, SCRIPT, "1.5", " "])

# --- Files ----------------------------------------------------------------------------------------

PDF = pdf_bytes()
PNG = png_bytes()
HTML_PAGE = f"<html><body>{SCRIPT}</body></html>".encode()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small zip that unpacks to 64 MB of zeros."""
    return zip_bytes({"ceros.shp": b"\x00" * (64 * 1024 * 1024)})


def xlsx_bomb(header=("clave", "nombre"), megabytes: int = 64) -> bytes:
    """A valid workbook of one small row that unpacks to `megabytes` of XML: its sheet carries
    a comment of blanks, which a zip compresses about a thousand times."""
    workbook = Workbook()
    workbook.active.append(list(header))
    buffer = io.BytesIO()
    workbook.save(buffer)
    members = {}
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    sheet = "xl/worksheets/sheet1.xml"
    members[sheet] = members[sheet].replace(
        b"<sheetData>", b"<!--" + b" " * (megabytes * 1024 * 1024) + b"--><sheetData>", 1
    )
    return zip_bytes(members)


def xlsx_with_dimension(content: bytes, dimension: str | None) -> bytes:
    """The workbook `content` with its sheet's declared dimension changed (None: removed)."""
    members = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    sheet = "xl/worksheets/sheet1.xml"
    tag = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
    members[sheet] = re.sub(rb"<dimension[^>]*/>", tag, members[sheet], count=1)
    return zip_bytes(members)


# (name, content): valid files, files whose name lies about their content, and oddities.
FILES = st.sampled_from(
    [
        ("informe.pdf", PDF),
        ("foto.png", PNG),
        ("datos.csv", "clave,nombre\nA,Ñandú\n".encode()),
        ("pagina.pdf", HTML_PAGE),
        ("pagina.html", HTML_PAGE),
        ("script.svg", f"<svg xmlns='http://www.w3.org/2000/svg'>{SCRIPT}</svg>".encode()),
        ("informe.pdf.exe", b"MZ\x90\x00"),
        ("tabla.xlsx", PDF),
        ("roto.zip", b"PK\x03\x04 not really a zip"),
        ("vacio.pdf", b""),
        ("sin_extension", PDF),
        (f"{SCRIPT}.pdf", PDF),
        ("../../../etc/passwd.pdf", PDF),
        ("x" * 300 + ".pdf", PDF),
        ("texto.txt", b"\xff\xfe\x00b\x00i\x00n"),
        ("datos.json", b"{not json"),
    ]
)

# One fixed value per hostile category, by the kind of field it goes in: the tests post each
# explicitly, so every category is tried on every run whatever hypothesis draws.
CATEGORIES: dict[str, tuple[str, object]] = {
    "markup": ("text", IMG),
    "SQL-looking": ("text", "'; DROP TABLE budgeting_action;--"),
    "template syntax": ("text", "{{ 7*7 }}{% debug %}"),
    "format strings": ("text", "%(name)s %s {0}"),
    "bidi and zero-width": ("text", "\u202eevil\u202c a\u200bb\u200dc\ufeff"),
    "huge numbers": ("number", "9" * 40),
    "non-finite numbers": ("number", "NaN"),
    "impossible dates": ("date", "2026-02-30"),
    "invalid choices": ("choice", "999999999"),
    "mislabelled files": ("file", ("pagina.pdf", HTML_PAGE)),
}


def category_examples(place):
    """`@example`s, one per hostile category: `place(kind, value)` gives the test's arguments
    that carry the category's value (kind as in CATEGORIES), or None where the test has no
    input of that kind. Explicit examples run first on every run, whatever is drawn."""

    def decorate(test):
        for where, value in CATEGORIES.values():
            arguments = place(where, value)
            if arguments is not None:
                test = example(**arguments)(test)
        return test

    return decorate


# --- Running hypothesis -------------------------------------------------------------------------


def scaled(examples: int) -> int:
    """A test's number of examples: as written in `make test`; PMOT_FUZZ_SCALE times as many
    under the "explore" profile of `make fuzz` (tests/conftest.py)."""
    if settings.get_current_profile_name() != "explore":
        return examples
    return examples * int(os.environ.get("PMOT_FUZZ_SCALE") or 1)


def fuzz_settings(examples: int):
    """The profile's settings (derandomized in `make test`, random in `make fuzz`, never an
    example database) with the test's number of examples."""
    return settings(
        max_examples=scaled(examples),
        # No shrinking: an example costs a request or more; the failing one is shown as drawn.
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# --- Reading forms out of a page ------------------------------------------------------------------


@dataclass
class HtmlForm:
    action: str
    method: str
    multipart: bool
    # name -> (kind, default value, options): kind is the input type, "select", "textarea"
    fields: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)
    multiple: set[str] = field(default_factory=set)


class FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self.current: HtmlForm | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = HtmlForm(
                action=(attrs.get("action") or self.page_url).split("#")[0],
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in (attrs.get("enctype") or ""),
            )
            self.forms.append(self.current)
            return
        form, name = self.current, attrs.get("name")
        if form is None or not name or "disabled" in attrs:
            if tag == "option" and form is not None and self.select:
                self._option(attrs)
            return
        if tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            if (attrs.get("type") or "submit").lower() == "submit":
                # Named submit buttons (step=observe|validate|accept): one of them is sent.
                value = attrs.get("value") or ""
                _kind, default, options = form.fields.get(name, ("radio", value, []))
                form.fields[name] = ("radio", default, [*options, value])
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("button", "reset", "image"):
                return
            value = attrs.get("value") or ("on" if kind in ("checkbox", "radio") else "")
            if kind == "radio":
                _old_kind, old, options = form.fields.get(name, ("radio", "", []))
                checked = value if "checked" in attrs else old
                form.fields[name] = ("radio", checked, [*options, value])
            elif kind == "checkbox" and name in form.fields:
                # several boxes under one name: a multiple choice
                _kind, old, options = form.fields[name]
                form.fields[name] = ("checkboxes", old, [*options, value])
                form.multiple.add(name)
            else:
                default = value if kind != "checkbox" or "checked" in attrs else ""
                form.fields[name] = (kind, default, [value] if kind == "checkbox" else [])
        elif tag == "select":
            self.select = name
            form.fields[name] = ("select", "", [])
            if "multiple" in attrs:
                form.multiple.add(name)
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = ("textarea", "", [])
        elif tag == "option" and self.select:
            self._option(attrs)

    def _option(self, attrs):
        kind, default, options = self.current.fields[self.select]
        value = attrs.get("value", "")
        if "selected" in attrs or (not default and not options):
            default = value
        self.current.fields[self.select] = (kind, default, [*options, value])

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            kind, default, options = self.current.fields[self.textarea]
            self.current.fields[self.textarea] = (kind, default + data, options)

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def post_forms(html: str, page_url: str) -> list[HtmlForm]:
    parser = FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


# --- Contents of every table ------------------------------------------------------------------

NOT_COMPARED = ("sessions.", "admin.", "axes.", "contenttypes.", "auth.permission")
NOT_COMPARED_MODELS = {"actors.accessevent"}  # the security log records refusals too


def compared_models():
    return [
        model
        for model in apps.get_models()
        if not model._meta.label_lower.startswith(NOT_COMPARED)
        and model._meta.label_lower not in NOT_COMPARED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def _table(model) -> tuple[str, str]:
    """A model's table and primary key column, quoted: no outside text reaches a query."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(model._meta.pk.column)


def _labels_by_table() -> dict[str, str]:
    return {model._meta.db_table: model._meta.label_lower for model in compared_models()}


def snapshot(labels=None) -> dict[str, tuple[int, str]]:
    """The tables of `labels` (every table of the project, history included, when None) by
    model label: the number of rows and a checksum of their contents (each row's text, in
    primary key order), in one query. An edit that adds no row changes the checksum."""
    models = compared_models() if labels is None else [apps.get_model(x) for x in labels]
    if not models:
        return {}
    selects = []
    for model in models:
        table, pk = _table(model)
        selects.append(
            f"(SELECT count(*) || ':' || coalesce(md5(string_agg(md5(pmot_row::text), '' "  # noqa: S608
            f"ORDER BY pmot_row.{pk})), '') FROM {table} AS pmot_row)"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}")  # noqa: S608
        values = cursor.fetchone()
    states = {}
    for model, value in zip(models, values, strict=True):
        count, digest = value.split(":")
        states[model._meta.label_lower] = (int(count), digest)
    return states


def changed(before: dict, after: dict) -> dict[str, tuple[int, int]]:
    """The tables of `after` whose contents differ from `before`, with their row counts."""
    return {
        label: (before[label][0], state[0])
        for label, state in after.items()
        if before[label] != state
    }


def row_hashes(labels) -> dict[str, dict[str, str]]:
    """Each row's hash by its primary key (as text), for the tables of `labels`."""
    models = [apps.get_model(label) for label in labels]
    if not models:
        return {}
    parts = []
    for number, model in enumerate(models):
        table, pk = _table(model)
        parts.append(
            f"SELECT {number}, pmot_row.{pk}::text, md5(pmot_row::text) "  # noqa: S608
            f"FROM {table} AS pmot_row"
        )
    hashes: dict[str, dict[str, str]] = {model._meta.label_lower: {} for model in models}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        for number, pk, digest in cursor.fetchall():
            hashes[models[number]._meta.label_lower][pk] = digest
    return hashes


def write_counts() -> dict[str, int]:
    """Rows inserted, updated and deleted so far in this transaction, by model label
    (PostgreSQL's pg_stat_xact_user_tables, savepoints rolled back included: the counts only
    grow). A table whose count has not moved has not been written to."""
    labels = _labels_by_table()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE schemaname = current_schema()"
        )
        rows = cursor.fetchall()
    return {labels[table]: count for table, count in rows if table in labels}


class Contents:
    """The tables' contents at one moment (the state each example starts from, as each runs in
    a savepoint rolled back after it): each table's checksum and each row's hash. Afterwards,
    the tables an example wrote to are compared with them by contents, and the rows it added
    or edited are told apart by their hashes."""

    def __init__(self):
        self.tables = snapshot()
        self.rows = row_hashes(self.tables)

    def changed_since(self, counts: dict[str, int]) -> dict[str, tuple[int, int]]:
        """The tables whose contents now differ, among those written to since `counts` (a
        `write_counts()`), with their row counts before and after."""
        moved = [label for label, n in write_counts().items() if n != counts.get(label, 0)]
        return changed(self.tables, snapshot(moved))

    def written(self, labels) -> dict[str, list[str]]:
        """The primary keys of the rows of `labels` added or edited since (deleted rows are
        not listed), by model label."""
        written = {}
        for label, rows in row_hashes(labels).items():
            old = self.rows[label]
            keys = [pk for pk, digest in rows.items() if old.get(pk) != digest]
            if keys:
                written[label] = keys
        return written

    def written_records(self, labels) -> list:
        """The records of the rows of `labels` added or edited since: for a history row, the
        record it is of (unless it records a deletion; many-to-many history rows name none)."""
        records = []
        for label, keys in self.written(labels).items():
            model = apps.get_model(label)
            rows = model._default_manager.filter(pk__in=keys).order_by("pk")
            instance_type = getattr(model, "instance_type", None)
            if label.split(".")[1].startswith("historical"):
                if instance_type is not None and hasattr(model, "history_type"):
                    ids = [row.id for row in rows if row.history_type != "-"]
                    records.extend(instance_type._default_manager.filter(pk__in=ids))
            else:
                records.extend(rows)
        return records


# --- Spanish -----------------------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(the|this|field|enter|ensure|select|valid|value|must|required|is|are|not|of|has|"
    r"have|file|please|only|with|characters|number|date|choice|invalid)\b",
    re.IGNORECASE,
)
SPANISH = re.compile(
    r"\b(el|la|los|las|de|del|no|un|una|es|este|esta|campo|valor|debe|archivo|fecha|"
    r"número|introduzca|asegúrese|escoja|seleccione|válid[oa]s?|obligatori[oa]|mayor|menor|"
    r"dígitos|caracteres|elija|ya|existe|entre|puede|se|que|en|al|por|con|sin|más|"
    r"ningun[oa]?|ningún|nada|hay|son|su|sus|lo)\b",
    re.IGNORECASE,
)


def english_words(message: str) -> list[str]:
    """English words in a message (hostile text it quotes back removed by the caller)."""
    return ENGLISH.findall(message)


def is_spanish(message: str, quoted: list[str] = ()) -> bool:
    """No English word, and a Spanish word or letter, once the values it quotes are gone."""
    text = str(message)
    for value in sorted(quoted, key=len, reverse=True):
        if value and len(value) > 2:
            text = text.replace(value, " ")
    spanish = bool(SPANISH.search(text)) or bool(re.search(r"[áéíóúñ¿¡«»]", text, re.I))
    return spanish and not english_words(text)
