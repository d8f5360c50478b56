"""`coproduce backup` and `coproduce restore`: the restore drill, and every refusal.

The drill: build data (the demo, plus uploaded files), back up, change and delete data and
files, restore, and compare every row of every table and every uploaded file with the backup.
It runs on the database the suite runs on: SQLite in the first pass, PostgreSQL in the second.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections

from coproduce.cli import main as coproduce_main
from coproduce.core.backup import backup_main, restore_main
from coproduce.core.models import AuditEntry
from coproduce.demo.build import demo_build
from coproduce.evaluation.models import Coding
from coproduce.meetings.models import Attendance
from coproduce.people.models import Area, Person
from coproduce.privacy.models import DataRequest
from coproduce.promises.models import Vote
from coproduce.rewards.models import LedgerEntry

pytestmark = pytest.mark.django_db(transaction=True)

ON_POSTGRESQL = connection.vendor == "postgresql"
ON_SQLITE = connection.vendor == "sqlite"
DATABASE_FILE = "database.dump" if ON_POSTGRESQL else "database.sqlite3"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def tables() -> dict[str, list[dict]]:
    """Every row of every table, ordered by primary key, minus the restore's own audit entry."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        query = model._base_manager.order_by("pk")
        if model is AuditEntry:
            query = query.exclude(action="backup.restored")
        rows[model._meta.label] = list(query.values())
    return rows


def files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def backup(out: Path) -> int:
    return backup_main(["--out", str(out), "--quiet"])


def restore(source: Path, *extra: str) -> int:
    connections.close_all()
    return restore_main([str(source), "--yes", "--quiet", *extra])


def reseal(out: Path, manifest: dict) -> None:
    """Rewrite the manifest and its checksum, as someone crafting a backup could."""
    text = json.dumps(manifest, indent=2) + "\n"
    (out / "manifest.json").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (out / "manifest.sha256").write_text(f"{digest}  manifest.json\n")


def manifest_of(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def one_line(err: str) -> str:
    assert err.count("\n") == 1, err
    return err


# --- the restore drill --------------------------------------------------------------------------


def _drill(tmp_path: Path, media: Path) -> None:
    demo_build(homes=60, seed=7, stdout=io.StringIO())
    (media / "rewards" / "receipts").mkdir(parents=True)
    (media / "rewards" / "receipts" / "bus-ticket.pdf").write_bytes(b"%PDF-1.4 ticket " * 500)
    (media / "notes.txt").write_text("Kept in the backup", encoding="utf-8")
    assert LedgerEntry.objects.exists() and Attendance.objects.exists()
    before, files_before = tables(), files(media)
    assert any(path.startswith("stories/") for path in files_before)  # the demo's journal file

    out = tmp_path / "backup"
    assert backup(out) == 0

    # Change, delete and add data and files.
    Person.objects.filter(pk__in=Person.objects.order_by("pk").values("pk")[:10]).update(
        first_name="Changed", email="changed@example.org"
    )
    Vote.objects.all().delete()
    Coding.objects.filter(pk__in=Coding.objects.order_by("pk").values("pk")[:50]).delete()
    Person.objects.create(first_name="Added", last_name="Later", external_ref="ADDED-1")
    (media / "notes.txt").write_text("Changed after the backup", encoding="utf-8")
    (media / "rewards" / "receipts" / "bus-ticket.pdf").unlink()
    (media / "added-later.txt").write_text("Not in the backup", encoding="utf-8")
    assert tables() != before and files(media) != files_before

    assert restore(out) == 0

    after = tables()
    for label, rows in before.items():
        assert after[label] == rows, f"{label} differs from the backup after the restore"
    assert files(media) == files_before
    assert not any(path.name.startswith(".coproduce-restore") for path in media.iterdir())
    latest = AuditEntry.objects.order_by("-id").first()
    assert latest is not None and latest.action == "backup.restored" and latest.actor is None
    # New rows still get fresh keys (PostgreSQL's sequences came back with the data).
    Person.objects.create(first_name="After", last_name="Restore", external_ref="AFTER-1")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the PostgreSQL drill (pg_dump / pg_restore)")
def test_restore_drill_on_postgresql_brings_back_every_row_and_file(tmp_path, media):
    _drill(tmp_path, media)


@pytest.mark.skipif(not ON_SQLITE, reason="the SQLite drill (the online backup API)")
def test_restore_drill_on_sqlite_brings_back_every_row_and_file(tmp_path, media):
    _drill(tmp_path, media)


# --- what a backup holds ------------------------------------------------------------------------


def test_backup_writes_a_manifest_with_every_file_and_its_checksum(tmp_path, media, users):
    (media / "a" / "b").mkdir(parents=True)
    (media / "a" / "b" / "receipt.pdf").write_bytes(b"receipt")
    out = tmp_path / "backup"
    assert backup(out) == 0
    manifest = manifest_of(out)
    assert manifest["format"] == 1
    assert manifest["database"]["engine"] == connection.vendor
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["app_version"]
    assert manifest["migrations"]["people"].startswith("00")
    listed = {entry["path"]: entry for entry in manifest["files"]}
    assert set(listed) == {DATABASE_FILE, "media/a/b/receipt.pdf"}
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256((out / "manifest.json").read_bytes()).hexdigest()
    assert (out / "manifest.sha256").read_text() == f"{digest}  manifest.json\n"
    assert AuditEntry.objects.filter(action="backup.created", actor=None).count() == 1


def test_backup_and_restore_are_commands_of_coproduce(tmp_path, media, users, capsys):
    assert coproduce_main(["backup", "--help"]) == 0
    assert "--out" in capsys.readouterr().out
    assert coproduce_main(["restore", "--help"]) == 0
    assert "--yes" in capsys.readouterr().out
    assert coproduce_main(["backup", "--out", str(tmp_path / "b"), "--quiet"]) == 0
    assert "Backed up" in capsys.readouterr().out
    connections.close_all()
    assert coproduce_main(["restore", str(tmp_path / "b"), "--check"]) == 0
    assert "complete and unchanged" in capsys.readouterr().out


def test_an_older_backup_is_restored_and_then_migrated(tmp_path, media, users):
    call_command("migrate", "privacy", "zero", verbosity=0)
    out = tmp_path / "backup"
    assert backup(out) == 0
    assert "privacy" not in manifest_of(out)["migrations"]
    call_command("migrate", verbosity=0)

    assert restore(out) == 0

    assert AuditEntry.objects.filter(action="backup.restored").count() == 1
    assert "migrate" in AuditEntry.objects.get(action="backup.restored").summary
    assert DataRequest.objects.count() == 0  # the table is back, empty, and usable


# --- refusals: exit 2, one line, nothing changed ------------------------------------------------


@pytest.fixture
def made(tmp_path, media, users) -> Path:
    """A good backup of the personas, then a change the refused restore must not undo."""
    (media / "receipts").mkdir()
    (media / "receipts" / "one.pdf").write_bytes(b"first receipt")
    out = tmp_path / "backup"
    assert backup(out) == 0
    Area.objects.create(name="Made after the backup")
    (media / "after.txt").write_text("after", encoding="utf-8")
    return out


def refused(source: Path, capsys, media: Path, *extra: str) -> str:
    assert restore(source, *extra) == 2
    assert Area.objects.filter(name="Made after the backup").exists()
    assert (media / "after.txt").exists()
    assert not AuditEntry.objects.filter(action="backup.restored").exists()
    return one_line(capsys.readouterr().err)


def test_restore_refuses_a_changed_uploaded_file(made, media, capsys):
    (made / "media" / "receipts" / "one.pdf").write_bytes(b"forged receipt")
    err = refused(made, capsys, media)
    assert "media/receipts/one.pdf does not match its checksum" in err


def test_restore_refuses_a_changed_database_file(made, media, capsys):
    with (made / DATABASE_FILE).open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00tampered\x00")
    assert f"{DATABASE_FILE} does not match its checksum" in refused(made, capsys, media)


def test_restore_refuses_a_changed_manifest(made, media, capsys):
    manifest = manifest_of(made)
    manifest["created_at"] = "2020-01-01T00:00:00+00:00"
    (made / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert "manifest.json does not match manifest.sha256" in refused(made, capsys, media)


def test_restore_refuses_a_missing_file(made, media, capsys):
    (made / "media" / "receipts" / "one.pdf").unlink()
    assert "media/receipts/one.pdf is missing from the backup" in refused(made, capsys, media)


def test_restore_refuses_an_extra_file(made, media, capsys):
    (made / "media" / "receipts" / "two.pdf").write_bytes(b"slipped in")
    err = refused(made, capsys, media)
    assert "media/receipts/two.pdf is in the backup but not in the manifest" in err


def test_restore_refuses_a_backup_without_a_manifest(made, media, capsys):
    (made / "manifest.json").unlink()
    assert "manifest.json is missing" in refused(made, capsys, media)


def test_restore_refuses_a_backup_from_the_other_database_engine(made, media, capsys):
    manifest = manifest_of(made)
    other, other_file = (
        ("sqlite", "database.sqlite3") if ON_POSTGRESQL else ("postgresql", "database.dump")
    )
    (made / DATABASE_FILE).rename(made / other_file)
    manifest["database"] = {"engine": other, "file": other_file}
    manifest["files"][0]["path"] = other_file
    reseal(made, manifest)
    err = refused(made, capsys, media)
    here = "PostgreSQL" if ON_POSTGRESQL else "SQLite"
    there = "SQLite" if ON_POSTGRESQL else "PostgreSQL"
    assert f"this is a {there} backup but the database here is {here}" in err


def test_restore_refuses_a_database_file_of_the_wrong_format(made, media, capsys):
    manifest = manifest_of(made)
    junk = b"this is not a database at all\n" * 10
    (made / DATABASE_FILE).write_bytes(junk)
    manifest["files"][0].update(size=len(junk), sha256=hashlib.sha256(junk).hexdigest())
    reseal(made, manifest)
    err = refused(made, capsys, media)
    assert "not a PostgreSQL custom-format dump" in err or "not an SQLite database" in err


def test_restore_refuses_a_backup_made_by_a_newer_version(made, media, capsys):
    manifest = manifest_of(made)
    manifest["migrations"]["people"] = "9999_from_the_future"
    reseal(made, manifest)
    err = refused(made, capsys, media)
    assert "newer version of coproduce (migration people.9999_from_the_future" in err


def test_restore_refuses_a_manifest_that_points_outside_the_backup(made, media, capsys):
    manifest = manifest_of(made)
    manifest["files"].append({"path": "media/../../etc/passwd", "size": 1, "sha256": "0" * 64})
    reseal(made, manifest)
    assert "a file outside the backup" in refused(made, capsys, media)


def test_restore_without_yes_and_no_terminal_asks_for_yes(made, media, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    connections.close_all()
    assert restore_main([str(made), "--quiet"]) == 2
    assert one_line(capsys.readouterr().err) == (
        "coproduce restore: add --yes to replace the current data\n"
    )
    assert Area.objects.filter(name="Made after the backup").exists()


def test_restore_refuses_a_directory_that_does_not_exist(tmp_path, media, users, capsys):
    assert restore(tmp_path / "nowhere") == 2
    assert "does not exist" in one_line(capsys.readouterr().err)


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path, media, users, capsys):
    out = tmp_path / "backup"
    out.mkdir()
    (out / "something.txt").write_text("here already", encoding="utf-8")
    assert backup(out) == 2
    assert "is not empty" in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in out.iterdir()) == ["something.txt"]
    assert not AuditEntry.objects.filter(action="backup.created").exists()


def test_backup_refuses_a_file_as_the_directory(tmp_path, media, users, capsys):
    out = tmp_path / "backup.txt"
    out.write_text("a file", encoding="utf-8")
    assert backup(out) == 2
    assert "is a file, not a directory" in one_line(capsys.readouterr().err)


def test_backup_refuses_a_directory_inside_the_uploaded_files(media, users, capsys):
    assert backup(media / "backups" / "tonight") == 2
    assert "is inside MEDIA_ROOT" in one_line(capsys.readouterr().err)
    assert not (media / "backups").exists()


def test_backup_without_out_exits_2_with_one_line(capsys):
    assert backup_main([]) == 2
    assert "--out" in one_line(capsys.readouterr().err)


# --- a restore that fails half-way changes nothing ------------------------------------------------


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL restores in one transaction")
def test_a_restore_that_fails_in_the_database_changes_nothing(made, media, capsys):
    # A table the backup does not know about, pointing at a table the restore must replace.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE outside_app (person_id bigint REFERENCES people_person (id))")
    try:
        assert restore(made) == 1
        err = one_line(capsys.readouterr().err)
        assert "the restore failed" in err and "the database was not changed" in err
        assert Area.objects.filter(name="Made after the backup").exists()
        assert (media / "after.txt").exists()
        assert not any(path.name.startswith(".coproduce-restore") for path in media.iterdir())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE outside_app")


def _cut_where_the_script_would_still_run(dump: Path, broken: Path) -> None:
    """Cut the dump where pg_restore fails after writing whole statements (its script ends
    with a COPY that has no data yet). psql alone would run that script and commit it."""
    from coproduce.core.backup import _pg_env

    data = dump.read_bytes()
    for percent in range(50, 100):
        broken.write_bytes(data[: len(data) * percent // 100])
        result = subprocess.run(  # noqa: S603
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--file=-", str(broken)],
            capture_output=True,
            env=_pg_env(),
            check=False,
        )
        if result.returncode != 0 and result.stdout.rstrip().endswith(b"FROM stdin;"):
            return
    pytest.fail("no cut of the dump ends between statements")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL restores in one transaction")
def test_a_dump_that_breaks_off_half_way_changes_nothing(made, media, tmp_path):
    from coproduce.core.backup import _pg_dump_tables, _pg_restore

    dump = made / "database.dump"
    tables_in_dump = _pg_dump_tables(dump)
    broken = tmp_path / "broken.dump"
    _cut_where_the_script_would_still_run(dump, broken)
    with pytest.raises(RuntimeError, match="the database was not changed"):
        _pg_restore(broken, tables_in_dump, progress=False)
    assert Area.objects.filter(name="Made after the backup").exists()
    assert Person.objects.count() == 2


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_restore_at_a_terminal_asks_first_and_stops_on_anything_but_yes(
    made, media, capsys, monkeypatch
):
    monkeypatch.setattr("sys.stdin", _Terminal("no\n"))
    connections.close_all()
    assert restore_main([str(made), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "Type yes to go on" in err
    assert err.endswith("coproduce restore: not restored; nothing was changed\n")
    assert Area.objects.filter(name="Made after the backup").exists()
