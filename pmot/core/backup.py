"""Backup and restore of a deployed pmot: the PostgreSQL database and the uploaded files.

One archive (`pmot-backup-<timestamp>.tar.gz`) holds:
- `database.dump`: `pg_dump --format=custom` of the configured database;
- `media/...`: every file under MEDIA_ROOT;
- `manifest.json`: when, the applied migrations per app, the row count of every table and the
  sha256 of the dump and of every media file.

The counts and the dump come from one snapshot (`pg_export_snapshot` + `pg_dump --snapshot`),
so a backup taken while people work still matches its manifest. A restore checks the whole
archive against its manifest before it touches anything, restores the database in a single
transaction, and then checks the restored counts and files against the manifest again.

The password never appears on a command line: pg_dump and pg_restore get the connection
through the libpq environment (PGHOST, PGPASSWORD...).
"""

import hashlib
import io
import json
import os
import shutil
import subprocess  # noqa: S404 - fixed argument lists, no shell
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Spanish."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    pending_migrations: list[str] = field(default_factory=list)


# --- Shared ---------------------------------------------------------------------------------


def ensure_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            _(
                "Backups are for deployed pmot on PostgreSQL (DATABASE_URL). In the embedded "
                "mode, stop the server and copy the SQLite file and the media folder instead."
            )
        )


def libpq_environment() -> dict[str, str]:
    """The connection of the `default` database as libpq variables, for pg_dump/pg_restore."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db.get("NAME"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run_client(args: list[str]) -> None:
    binary = shutil.which(args[0])
    if binary is None:
        raise BackupError(
            _("The program %(program)s was not found; install the PostgreSQL client.")
            % {"program": args[0]}
        )
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell, password in env
        [binary, *args[1:]], env=libpq_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": args[0], "error": result.stderr.strip()[-2000:]}
        )


def sha256_of(stream) -> str:
    digest = hashlib.sha256()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    if not root.is_dir():
        return {}
    checksums = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        with path.open("rb") as stream:
            checksums[path.relative_to(root).as_posix()] = sha256_of(stream)
    return checksums


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor))
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        rows = cursor.fetchall()
    applied: dict[str, list[str]] = {}
    for app, name in rows:
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup ---------------------------------------------------------------------------------


def create_backup(*, output_dir: Path) -> Path:
    """Write one archive under `output_dir` and return its path."""
    ensure_postgresql()
    output_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    archive = output_dir / f"pmot-backup-{now:%Y%m%d-%H%M%S}.tar.gz"
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="pmot-backup-") as work:
        dump = Path(work) / DUMP
        # Counts, migrations and the dump all see the same snapshot of the database.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts()
            migrations = applied_migrations()
            run_client(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                        f"--file={dump}"])  # fmt: skip
        with dump.open("rb") as stream:
            dump_sha256 = sha256_of(stream)
        files = media_checksums(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"file": DUMP, "sha256": dump_sha256},
            "migrations": migrations,
            "row_counts": counts,
            "media": files,
        }
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(now.timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=DUMP)
            for name in files:
                tar.add(media_root / name, arcname=f"{MEDIA}/{name}")
        partial.rename(archive)  # a half-written archive never carries the final name
    return archive


# --- Restore --------------------------------------------------------------------------------


def safe_media_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(_("The archive holds an unsafe file name: %(name)s") % {"name": name})
    return path.as_posix()


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.load(member)
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(
            _("The archive has no valid manifest; it is not a pmot backup.")
        ) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("The archive was made by an unknown version of the backup."))
    for name in manifest["media"]:
        safe_media_name(name)
    return manifest


def verify_archive(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member present, with the checksum the manifest says, and nothing else."""
    expected = {DUMP: manifest["database"]["sha256"]}
    expected |= {f"{MEDIA}/{name}": digest for name, digest in manifest["media"].items()}
    members = {m.name: m for m in tar.getmembers() if m.name != MANIFEST}
    if missing := sorted(set(expected) - set(members)):
        raise BackupError(
            _("The archive is incomplete; missing: %(names)s") % {"names": ", ".join(missing)}
        )
    if extra := sorted(set(members) - set(expected)):
        raise BackupError(
            _("The archive holds files its manifest does not list: %(names)s")
            % {"names": ", ".join(extra)}
        )
    for name, digest in expected.items():
        member = members[name]
        if not member.isfile() or sha256_of(tar.extractfile(member)) != digest:
            raise BackupError(
                _("The file %(name)s does not match the manifest: the archive is damaged.")
                % {"name": name}
            )


def check_migrations(manifest: dict) -> list[str]:
    """Refuse data newer than the code; return the migrations to apply after the restore."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    in_archive = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    if unknown := sorted(f"{app}.{name}" for app, name in in_archive - known):
        raise BackupError(
            _(
                "The backup comes from a newer version of pmot (unknown migrations: "
                "%(names)s). Install that version before restoring."
            )
            % {"names": ", ".join(unknown[:10])}
        )
    return sorted(f"{app}.{name}" for app, name in known - in_archive)


def restore_media(tar: tarfile.TarFile, manifest: dict, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    for name in set(media_checksums(media_root)) - set(manifest["media"]):
        (media_root / name).unlink()
    for name in manifest["media"]:
        target = media_root / safe_media_name(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(f"{MEDIA}/{name}") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)


def verify_restored(manifest: dict, media_root: Path) -> None:
    counts = row_counts()
    wrong = [
        f"{table} ({counts.get(table)} ≠ {expected})"
        for table, expected in manifest["row_counts"].items()
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError(
            _("After the restore, these tables do not have the rows of the backup: %(tables)s")
            % {"tables": ", ".join(wrong[:20])}
        )
    files = media_checksums(media_root)
    if files != manifest["media"]:
        differing = sorted(set(files.items()) ^ set(manifest["media"].items()))
        raise BackupError(
            _("After the restore, these files differ from the backup: %(names)s")
            % {"names": ", ".join(sorted({name for name, _digest in differing})[:20])}
        )


def open_archive(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, "r:gz")  # noqa: SIM115 - the caller closes it
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("The archive %(name)s cannot be read: %(error)s") % {"name": archive, "error": error}
        ) from error


def restore_backup(*, archive: Path) -> RestoreReport:
    """Replace the database and the media files with those of `archive`, then verify them."""
    ensure_postgresql()
    with open_archive(archive) as tar, tempfile.TemporaryDirectory(prefix="pmot-restore-") as work:
        try:
            manifest = read_manifest(tar)
            verify_archive(tar, manifest)
        except (OSError, EOFError, zlib.error, tarfile.TarError) as error:  # truncated, bad gzip
            raise BackupError(
                _("The archive %(name)s cannot be read: %(error)s")
                % {"name": archive, "error": error}
            ) from error
        pending = check_migrations(manifest)
        dump = Path(work) / DUMP
        with tar.extractfile(DUMP) as source, dump.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        # pg_restore drops the tables: no connection of ours may hold a lock on them.
        connections.close_all()
        run_client(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                    "--exit-on-error", f"--dbname={settings.DATABASES['default']['NAME']}",
                    str(dump)])  # fmt: skip
        media_root = Path(settings.MEDIA_ROOT)
        restore_media(tar, manifest, media_root)
        verify_restored(manifest, media_root)
    return RestoreReport(
        tables=len(manifest["row_counts"]),
        rows=sum(manifest["row_counts"].values()),
        files=len(manifest["media"]),
        pending_migrations=pending,
    )
