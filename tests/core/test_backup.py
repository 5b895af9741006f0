"""`manage.py backup` and `manage.py restore`: a round trip through a real PostgreSQL dump gives
back the same rows in every table and the same bytes in every uploaded file; a damaged archive or
a restore without --yes changes nothing."""

import hashlib
import io
import json
import re
import shutil
import subprocess  # noqa: S404 - pg_restore with fixed arguments, no shell
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from pmot.actors.models import Organization, User
from pmot.core import backup
from pmot.core.backup import media_checksums, row_counts, sha256_of
from tests.factories import OrganizationFactory, UserFactory


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    (root / "documents" / "2026").mkdir(parents=True)
    (root / "documents" / "2026" / "acta.pdf").write_bytes(b"%PDF-1.7 acta de la sesion\n")
    (root / "avatars").mkdir()
    (root / "avatars" / "núñez.png").write_bytes(bytes(range(256)) * 40)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def saved_state(transactional_db, media_root):
    """Committed records (pg_dump sees only what is committed) and their files."""
    OrganizationFactory.create_batch(3)
    UserFactory.create_batch(4)
    return row_counts(), media_checksums(media_root)


def back_up(tmp_path) -> Path:
    call_command("backup", output=tmp_path / "backups", stdout=io.StringIO())
    (archive,) = (tmp_path / "backups").glob("pmot-backup-*.tar.gz")
    return archive


def alter_everything(media_root: Path) -> None:
    User.objects.all().delete()
    Organization.objects.all().delete()
    OrganizationFactory()
    (media_root / "documents" / "2026" / "acta.pdf").write_bytes(b"otro contenido")
    (media_root / "avatars" / "núñez.png").unlink()
    (media_root / "added-later.txt").write_text("no estaba en el respaldo")


def rewrite(archive: Path, *, drop: str = "", manifest_change=None) -> None:
    """Copy the archive member by member, leaving one out or editing the manifest."""
    with tarfile.open(archive, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers() if m.name != drop]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            if member.name == "manifest.json" and manifest_change:
                manifest = json.loads(data)
                manifest_change(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_a_round_trip_gives_back_every_row_and_every_file(saved_state, media_root, tmp_path):
    counts, files = saved_state
    archive = back_up(tmp_path)
    alter_everything(media_root)
    assert row_counts() != counts
    assert media_checksums(media_root) != files

    out = io.StringIO()
    call_command("restore", archive, yes=True, stdout=out)

    assert row_counts() == counts
    assert media_checksums(media_root) == files
    assert counts["actors_user"] >= 4
    assert counts["django_migrations"] > 0
    assert "Restaurado y verificado" in out.getvalue()


def test_the_manifest_records_migrations_counts_and_checksums(saved_state, tmp_path):
    counts, files = saved_state
    with tarfile.open(back_up(tmp_path), "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["row_counts"] == counts
    assert manifest["media"] == files
    assert "0001_initial" in manifest["migrations"]["actors"]
    assert names == {"manifest.json", "database.dump"} | {f"media/{name}" for name in files}


def test_restore_refuses_without_yes(tmp_path):
    with pytest.raises(CommandError, match="reemplaza TODOS los datos"):
        call_command("restore", tmp_path / "any.tar.gz")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ({"drop": "media/avatars/núñez.png"}, "incompleto"),
        ({"drop": "database.dump"}, "incompleto"),
        (
            {"manifest_change": lambda m: m["media"].update({"documents/2026/acta.pdf": "0" * 64})},
            "dañado",
        ),
        ({"manifest_change": lambda m: m.update(format=99)}, "versión desconocida"),
    ],
    ids=["missing-file", "missing-dump", "wrong-checksum", "unknown-format"],
)
def test_a_damaged_archive_is_refused_and_changes_nothing(
    saved_state, media_root, tmp_path, damage, message
):
    archive = back_up(tmp_path)
    rewrite(archive, **damage)
    alter_everything(media_root)
    counts, files = row_counts(), media_checksums(media_root)

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, yes=True)

    assert row_counts() == counts
    assert media_checksums(media_root) == files


def test_the_embedded_sqlite_mode_is_told_to_copy_the_file(monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(CommandError, match="copie el archivo SQLite"):
        call_command("backup")


# --- A backup taken while people work ------------------------------------------------------------


COPY = re.compile(r"^COPY public\.(\w+) \(.*\) FROM stdin;$")


def dumped_row_counts(archive: Path, work: Path) -> dict[str, int]:
    """The rows of every table as pg_restore reads them back from the archive's dump."""
    with tarfile.open(archive, "r:gz") as tar:
        dump = work / "database.dump"
        dump.write_bytes(tar.extractfile("database.dump").read())
    script = subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("pg_restore"), "--data-only", "--file=-", str(dump)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts, table = {}, None
    for line in script.splitlines():
        if table is None and (copy := COPY.match(line)):
            table = copy.group(1)
            counts[table] = 0
        elif table is not None:
            if line == "\\.":
                table = None
            else:
                counts[table] += 1
    return counts


def test_a_backup_taken_while_records_are_written_is_one_snapshot(saved_state, tmp_path):
    """A clerk saves organizations (three per transaction, each with its history row) during
    the whole backup: the dump holds whole transactions, and the manifest counts exactly the
    rows of the dump, table by table."""
    base_orgs = Organization.objects.count()
    base_history = Organization.history.count()
    stop, saves = threading.Event(), []

    def clerk():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    OrganizationFactory.create_batch(3)
                saves.append(3)
        finally:
            connection.close()

    writer = threading.Thread(target=clerk)
    writer.start()
    try:
        while len(saves) < 5:  # the clerk is at work before the backup starts
            time.sleep(0.01)
        before = Organization.objects.count()
        archive = back_up(tmp_path)
        after = Organization.objects.count()
    finally:
        stop.set()
        writer.join()

    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert sha256_of(tar.extractfile("database.dump")) == manifest["database"]["sha256"]
    dumped = dumped_row_counts(archive, tmp_path)
    assert after > before, "no record was written while the backup ran"
    orgs = dumped["actors_organization"]
    assert before <= orgs <= after
    assert (orgs - base_orgs) % 3 == 0  # whole transactions only
    assert dumped["actors_historicalorganization"] - base_history == orgs - base_orgs
    in_manifest = {table: count for table, count in manifest["row_counts"].items() if count}
    assert in_manifest == {table: count for table, count in dumped.items() if count}


# --- A restore that fails half way ----------------------------------------------------------------


INJECTED = "injected failure: the restore stops half way"


@pytest.fixture
def restore_fails_half_way(transactional_db):
    """arm() creates an event trigger in this test's database that raises at pg_restore's
    first CREATE INDEX: by then every table has been dropped, created again and loaded with the
    backup's rows. Armed after the backup, it is not in the dump, so pg_restore keeps it."""

    def arm():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE FUNCTION pmot_test_fail() RETURNS event_trigger LANGUAGE plpgsql "
                f"AS $$ BEGIN RAISE EXCEPTION '{INJECTED}'; END $$"
            )
            cursor.execute(
                "CREATE EVENT TRIGGER pmot_test_fail ON ddl_command_end "
                "WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION pmot_test_fail()"
            )

    try:
        yield arm
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP EVENT TRIGGER IF EXISTS pmot_test_fail")
            cursor.execute("DROP FUNCTION IF EXISTS pmot_test_fail()")


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(
    saved_state, media_root, tmp_path, restore_fails_half_way
):
    archive = back_up(tmp_path)
    alter_everything(media_root)
    restore_fails_half_way()
    counts, files = row_counts(), media_checksums(media_root)
    names = sorted(Organization.objects.values_list("name", flat=True))

    with pytest.raises(CommandError, match=f"pg_restore falló: .*{INJECTED}"):
        call_command("restore", archive, yes=True)

    assert row_counts() == counts
    assert sorted(Organization.objects.values_list("name", flat=True)) == names
    assert media_checksums(media_root) == files


# --- Unsafe names inside an archive -------------------------------------------------------------

DUMP_BYTES = b"PGDMP not a real dump: a refused archive never reaches pg_restore"


def regular(name: str, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info, data


def special(name: str, kind: bytes, linkname: str = "") -> tuple[tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, linkname
    if kind == tarfile.CHRTYPE:
        info.devmajor, info.devminor = 1, 3  # /dev/null
    return info, b""


def unsafe_archive(tmp_path: Path, media: dict[str, str], members: list) -> Path:
    """A pmot archive whose manifest lists `media` (name: sha256) and that holds `members`
    besides its manifest and a dump with the right checksum."""
    manifest = {
        "format": 1,
        "created_at": "2026-12-06T10:00:00+00:00",
        "database": {"file": "database.dump", "sha256": hashlib.sha256(DUMP_BYTES).hexdigest()},
        "migrations": {},
        "row_counts": {},
        "media": media,
    }
    archive = tmp_path / "pmot-backup-unsafe.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for info, data in [
            regular("manifest.json", json.dumps(manifest).encode()),
            regular("database.dump", DUMP_BYTES),
            *members,
        ]:
            tar.addfile(info, io.BytesIO(data))
    return archive


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


EVIL = b"escrito fuera de media/"


def absolute_path(outside: Path):
    name = str(outside / "absolute.txt")
    return {name: sha(EVIL)}, [regular(f"media/{name}", EVIL)]


def parent_folder(outside: Path):
    return {"../outside.txt": sha(EVIL)}, [regular("media/../outside.txt", EVIL)]


def parent_folder_inside_a_name(outside: Path):
    return {"documents/../../outside.txt": sha(EVIL)}, [
        regular("media/documents/../../outside.txt", EVIL)
    ]


def unlisted_member_outside(outside: Path):
    return {}, [regular("../../outside.txt", EVIL)]


def symlink_listed(outside: Path):
    return {"documents/link.pdf": sha(b"")}, [
        special("media/documents/link.pdf", tarfile.SYMTYPE, str(outside / "target.txt"))
    ]


def symlinked_folder(outside: Path):
    # The folder itself is a link out of media/, and a file is written "inside" it.
    return {"documents/acta.pdf": sha(EVIL)}, [
        special("media/documents", tarfile.SYMTYPE, str(outside)),
        regular("media/documents/acta.pdf", EVIL),
    ]


def hard_link(outside: Path):
    return {"documents/passwd": sha(b"")}, [
        special("media/documents/passwd", tarfile.LNKTYPE, "/etc/passwd")
    ]


def device_file(outside: Path):
    return {"documents/null": sha(b"")}, [special("media/documents/null", tarfile.CHRTYPE)]


def fifo(outside: Path):
    return {"documents/pipe": sha(b"")}, [special("media/documents/pipe", tarfile.FIFOTYPE)]


def dump_as_symlink(outside: Path):
    # A second database.dump member, a link: tarfile reads the last member of a name.
    return {}, [special("database.dump", tarfile.SYMTYPE, str(outside / "target.txt"))]


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(absolute_path, "nombre de archivo inseguro", id="absolute_path"),
        pytest.param(parent_folder, "nombre de archivo inseguro", id="parent_folder"),
        pytest.param(
            parent_folder_inside_a_name,
            "nombre de archivo inseguro",
            id="parent_folder_inside_a_name",
        ),
        pytest.param(
            unlisted_member_outside, "que su manifiesto no registra", id="unlisted_member_outside"
        ),
        pytest.param(symlink_listed, "no coincide con el manifiesto", id="symlink_listed"),
        pytest.param(symlinked_folder, "que su manifiesto no registra", id="symlinked_folder"),
        pytest.param(hard_link, "no coincide con el manifiesto", id="hard_link"),
        pytest.param(device_file, "no coincide con el manifiesto", id="device_file"),
        pytest.param(fifo, "no coincide con el manifiesto", id="fifo"),
        pytest.param(dump_as_symlink, "no coincide con el manifiesto", id="dump_as_symlink"),
    ],
)
def test_an_archive_with_an_unsafe_name_is_refused_before_anything_changes(
    db, media_root, tmp_path, monkeypatch, build, message
):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "target.txt").write_text("un archivo fuera de media/")
    media, members = build(outside)
    archive = unsafe_archive(tmp_path, media, members)
    counts = row_counts()
    before = {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    clients = []
    monkeypatch.setattr(backup, "run_client", lambda args: clients.append(args))

    with pytest.raises(CommandError, match=message):
        call_command("restore", archive, yes=True)

    assert clients == []  # pg_restore never ran
    assert row_counts() == counts
    # Nothing written, replaced, removed or linked anywhere under the test's folder.
    assert {p: p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()} == before
    assert not [p for p in tmp_path.rglob("*") if p.is_symlink()]
    assert not (tmp_path / "outside.txt").exists()
