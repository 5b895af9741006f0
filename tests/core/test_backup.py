"""`manage.py backup` and `manage.py restore`: a round trip through a real PostgreSQL dump gives
back the same rows in every table and the same bytes in every uploaded file; a damaged archive or
a restore without --yes changes nothing."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pmot.actors.models import Organization, User
from pmot.core.backup import media_checksums, row_counts
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
