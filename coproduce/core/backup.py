"""Backup and restore: the database and the uploaded files, with a manifest of checksums.

`coproduce backup --out DIR` writes

    DIR/database.dump       PostgreSQL: `pg_dump --format=custom`
    DIR/database.sqlite3    SQLite: a consistent copy made with SQLite's online backup API
    DIR/media/...           every file under MEDIA_ROOT, same relative paths
    DIR/manifest.json       format, date, app version, engine, migration state, and the path,
                            size and SHA-256 of every file above
    DIR/manifest.sha256     the SHA-256 of manifest.json (`sha256sum -c manifest.sha256` works)

`coproduce restore DIR --yes` checks all of it first (any missing, extra or changed file, a backup
from the other database engine, or a backup made by a newer version refuses, and nothing is
changed), then replaces the database and MEDIA_ROOT's contents with the backup's.

These two services are not `transaction.atomic`: the database work happens in `pg_dump` /
`pg_restore` (whose `--single-transaction` is the atomic part) or in SQLite's backup API, and a
Django transaction held open around them would only block them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from coproduce.core.audit import audit_record

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MANIFEST_SUM = "manifest.sha256"
MEDIA_DIR = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
PG_DUMP_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# While a restore runs, the new files are staged inside MEDIA_ROOT (same file system, so the swap
# is a handful of renames, and it works when MEDIA_ROOT is a mount point). A backup skips them.
STAGE_NEW = ".coproduce-restore-new"
STAGE_OLD = ".coproduce-restore-old"
CHUNK = 1024 * 1024
# libpq reads these from the environment: the password never appears on a command line.
PG_OPTIONS_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

T = TypeVar("T")


class BackupError(Exception):
    """Bad input or a backup that cannot be used: one line, in plain words; nothing was changed."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    created_at: str
    media_files: int
    total_bytes: int
    migrated: bool = False


# --- small helpers ----------------------------------------------------------------------------


def _bar(progress: bool, desc: str, total: int | None = None, unit: str = "B") -> Any:
    """A tqdm bar on stderr that only appears when the work takes more than two seconds."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=desc,
        unit=unit,
        unit_scale=True,
        delay=2,
        leave=False,
        file=sys.stderr,
        disable=not progress,
        mininterval=0.5,
    )


def _while_watching(progress: bool, desc: str, watch: Path | None, work: Callable[[], T]) -> T:
    """Run `work`, showing how big `watch` has grown (or just the time) if it takes a while."""
    if not progress:
        return work()
    done = threading.Event()
    with _bar(progress, desc) as bar:

        def tick() -> None:
            while not done.wait(0.5):
                size = watch.stat().st_size if watch is not None and watch.exists() else 0
                bar.update(max(0, size - bar.n))

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        try:
            return work()
        finally:
            done.set()
            ticker.join()


def _sha256(path: Path, bar: Any) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            bar.update(len(chunk))
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _app_version() -> str:
    try:
        return metadata.version("coproduce")
    except metadata.PackageNotFoundError:
        return "unknown"


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """(absolute path, path relative to root with / separators) of every file under root."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [d for d in dirs if d not in (STAGE_NEW, STAGE_OLD)]
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file():
                yield path, path.relative_to(root).as_posix()


def _applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (migration names start with their number)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    for key, var in PG_OPTIONS_ENV.items():
        if db.get("OPTIONS", {}).get(key):
            env[var] = str(db["OPTIONS"][key])
    return env


def _run_tool(command: list[str]) -> subprocess.CompletedProcess[str]:
    # The command is ours (a client tool found on PATH and file names we chose); connection
    # details, the password included, go through the environment.
    return subprocess.run(  # noqa: S603
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )


def _pg_tool(name: str) -> str:
    """Path of a PostgreSQL client tool whose major version can handle the server's."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed; install the PostgreSQL client tools "
            "(Debian: postgresql-client)"
        )
    result = _run_tool([path, "--version"])
    try:
        tool_major = int(result.stdout.split()[-1].split(".")[0])
    except (IndexError, ValueError):
        raise BackupError(f"cannot tell the version of {path}") from None
    connection.ensure_connection()
    server_major = connection.pg_version // 10000  # type: ignore[attr-defined]
    if tool_major < server_major:
        raise BackupError(
            f"{name} is version {tool_major} but the database server is version {server_major}; "
            f"install the version {server_major} client tools"
        )
    return path


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def _pg_dump(dest: Path, progress: bool) -> None:
    command = [_pg_tool("pg_dump"), "--format=custom", "--no-password", f"--file={dest}"]
    result = _while_watching(
        progress,
        "Saving the database",
        dest,
        lambda: _run_tool(command),
    )
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump failed: {_last_line(result.stderr)}")


def _pg_dump_tables(dump: Path) -> set[str]:
    """Table names in a custom-format dump, which also proves pg_restore can read it."""
    result = _run_tool([_pg_tool("pg_restore"), "--list", str(dump)])
    if result.returncode != 0:
        raise BackupError(f"database.dump cannot be read: {_last_line(result.stderr)}")
    tables = set()
    for line in result.stdout.splitlines():
        # e.g. "215; 1259 16390 TABLE public people_person postgres"
        parts = line.split()
        if not line.startswith(";") and len(parts) >= 6 and parts[3] == "TABLE":
            tables.add(parts[5])
    return tables


def _pg_restore(dump: Path, tables_in_dump: set[str], progress: bool) -> None:
    """Replace the database with the dump, in one transaction.

    pg_restore writes the restore as SQL (`--clean --if-exists --no-owner`) and psql runs it with
    `--single-transaction`, so that tables the dump does not hold, made by migrations newer than
    the backup, are dropped in the same transaction: `--clean` alone would leave them, their
    foreign keys would stop it dropping the tables they point at, and `migrate` would fail later.
    """
    quote = connection.ops.quote_name
    stale = set(connection.introspection.django_table_names(only_existing=True)) - tables_in_dump
    produce = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--file=-"]
    psql = _pg_tool("psql")
    connections.close_all()  # the app's own connections must not hold the tables
    consume = [
        psql,
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--dbname={connection.settings_dict['NAME']}",
    ]
    if stale:
        drops = " ".join(f"DROP TABLE IF EXISTS {quote(t)} CASCADE;" for t in sorted(stale))
        consume.append(f"--command={drops}")
    consume.append("--file=-")

    def run() -> tuple[int, str]:
        # The script is relayed through here so that psql only reaches the end of its input,
        # and commits, when pg_restore finished cleanly; otherwise psql is stopped mid-way and
        # the server rolls the transaction back.
        env = _pg_env()
        with tempfile.TemporaryFile() as produce_err, tempfile.TemporaryFile() as consume_err:
            producer = subprocess.Popen(  # noqa: S603 (our command; secrets in env)
                [*produce, str(dump)], stdout=subprocess.PIPE, stderr=produce_err, env=env
            )
            consumer = subprocess.Popen(  # noqa: S603 (our command; secrets in env)
                consume,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=consume_err,
                env=env,
            )
            assert producer.stdout is not None and consumer.stdin is not None
            try:
                while chunk := producer.stdout.read(CHUNK):
                    consumer.stdin.write(chunk)
            except BrokenPipeError:
                pass  # psql stopped on an error: its message says why
            producer.stdout.close()
            if producer.wait() != 0 and consumer.poll() is None:
                consumer.kill()
            try:
                consumer.stdin.close()
            except BrokenPipeError:
                pass
            consumer.wait()
            if consumer.returncode != 0:
                consume_err.seek(0)
                errors = consume_err.read().decode(errors="replace")
                if producer.returncode == 0 or errors.strip():
                    return consumer.returncode, errors
            produce_err.seek(0)
            return producer.returncode, produce_err.read().decode(errors="replace")

    code, errors = _while_watching(progress, "Restoring the database", None, run)
    if code != 0:
        reason = next((line for line in errors.splitlines() if "ERROR" in line), "")
        reason = " ".join((reason or _last_line(errors)).split())
        raise RuntimeError(f"the restore failed ({reason}); the database was not changed")


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_raw() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _sqlite_copy(dest: Path, progress: bool) -> None:
    """A consistent copy, safe while the app runs (one read transaction over the whole file)."""
    source = _sqlite_raw()
    target = sqlite3.connect(dest)
    try:
        _while_watching(progress, "Saving the database", dest, lambda: source.backup(target))
        # The copy inherits WAL mode; a plain journal keeps -wal/-shm files out of the backup.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def _sqlite_restore(copy: Path, progress: bool) -> None:
    """Replace the live database's contents page by page, in one write transaction."""
    connections.close_all()
    source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        target = _sqlite_raw()
        _while_watching(progress, "Restoring the database", None, lambda: source.backup(target))
    finally:
        source.close()
    connections.close_all()


# --- backup -----------------------------------------------------------------------------------


def backup_create(*, out: Path, progress: bool = False) -> BackupSummary:
    """Write a backup of the database and MEDIA_ROOT into `out` (a new or empty directory)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BackupError(f"{out} is a file, not a directory")
    if out.is_dir() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty; give a new or empty directory")
    if out.resolve().is_relative_to(_media_root().resolve()):
        raise BackupError(f"{out} is inside MEDIA_ROOT; put the backup somewhere else")
    engine = _vendor()
    created = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create {out}: {exc.strerror}") from None
    try:
        return _write_backup(out, engine, progress)
    except BaseException:
        # Never leave something that looks like a backup (the manifest is written last anyway).
        if created:
            shutil.rmtree(out, ignore_errors=True)
        else:
            for child in out.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        raise


def _write_backup(out: Path, engine: str, progress: bool) -> BackupSummary:
    created_at = timezone.now().isoformat()
    database = out / DATABASE_FILES[engine]
    if engine == "postgresql":
        _pg_dump(database, progress)
    else:
        _sqlite_copy(database, progress)
    migrations = _applied_migrations()

    media = list(_media_files(_media_root()))
    total = sum(path.stat().st_size for path, _ in media)
    copies = [database]
    with _bar(progress, "Copying uploaded files", total) as bar:
        for path, relative in media:
            target = out / MEDIA_DIR / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, target)
            except FileNotFoundError:
                continue  # deleted by the running app since the listing: not part of the backup
            copies.append(target)
            bar.update(target.stat().st_size)

    # Checksums are taken from the copies, so they describe what the backup holds.
    total = sum(path.stat().st_size for path in copies)
    entries = []
    with _bar(progress, "Checksums", total) as bar:
        for path in copies:
            entries.append(
                {
                    "path": path.relative_to(out).as_posix(),
                    "size": path.stat().st_size,
                    "sha256": _sha256(path, bar),
                }
            )
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": created_at,
        "app_version": _app_version(),
        "database": {"engine": engine, "file": DATABASE_FILES[engine]},
        "migrations": migrations,
        "files": entries,
    }
    text = json.dumps(manifest, indent=2) + "\n"
    (out / MANIFEST).write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (out / MANIFEST_SUM).write_text(f"{digest}  {MANIFEST}\n", encoding="ascii")

    summary = BackupSummary(
        path=out,
        engine=engine,
        created_at=created_at,
        media_files=len(copies) - 1,
        total_bytes=total,
    )
    with transaction.atomic():
        audit_record(
            action="backup.created",
            object_type="backup",
            summary=f"Backup of the {ENGINE_NAMES[engine]} database and {len(copies) - 1} uploaded "
            f"files to {out.resolve()}",
        )
    return summary


# --- checking a backup ------------------------------------------------------------------------


def _safe_relative(path: Any) -> str:
    if not isinstance(path, str) or not path:
        raise BackupError(f"the manifest lists a bad file name: {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts or pure.as_posix() != path:
        raise BackupError(f"the manifest lists a file outside the backup: {path!r}")
    return path


def _read_manifest(source: Path) -> dict[str, Any]:
    manifest_path, sum_path = source / MANIFEST, source / MANIFEST_SUM
    for required in (manifest_path, sum_path):
        if not required.is_file():
            raise BackupError(f"{required.name} is missing; {source} is not a coproduce backup")
    raw = manifest_path.read_bytes()
    expected = sum_path.read_text(encoding="ascii", errors="replace").split()
    if not expected or hashlib.sha256(raw).hexdigest() != expected[0].lower():
        raise BackupError(
            f"{MANIFEST} does not match {MANIFEST_SUM}; the backup has been changed or damaged"
        )
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"{MANIFEST} has an unknown format (this version reads format {FORMAT_VERSION})"
        )
    try:
        engine = manifest["database"]["engine"]
        database_file = manifest["database"]["file"]
        files = manifest["files"]
        migrations = manifest["migrations"]
        manifest["created_at"]
    except (KeyError, TypeError):
        raise BackupError(f"{MANIFEST} is incomplete") from None
    if engine not in DATABASE_FILES or database_file != DATABASE_FILES[engine]:
        raise BackupError(f"{MANIFEST} names an unknown database engine or file")
    if not isinstance(files, list) or not isinstance(migrations, dict):
        raise BackupError(f"{MANIFEST} is incomplete")
    return manifest


def _check_files(source: Path, manifest: dict[str, Any], progress: bool) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["files"]:
        if not isinstance(entry, dict):
            raise BackupError(f"{MANIFEST} is incomplete")
        path = _safe_relative(entry.get("path"))
        if not (path == manifest["database"]["file"] or path.startswith(f"{MEDIA_DIR}/")):
            raise BackupError(f"the manifest lists an unexpected file: {path}")
        listed[path] = entry
    if manifest["database"]["file"] not in listed:
        raise BackupError(f"the manifest does not list {manifest['database']['file']}")

    present: set[str] = set()
    for folder, _dirs, files in os.walk(source):
        for name in files:
            found = Path(folder) / name
            relative = found.relative_to(source).as_posix()
            if relative in (MANIFEST, MANIFEST_SUM):
                continue
            if found.is_symlink() or not found.is_file():
                raise BackupError(f"{relative} in the backup is not a plain file")
            present.add(relative)

    problems = [f"{path} is missing from the backup" for path in sorted(set(listed) - present)]
    problems += [
        f"{path} is in the backup but not in the manifest" for path in sorted(present - set(listed))
    ]
    if not problems:
        total = sum(int(entry.get("size", 0)) for entry in listed.values())
        with _bar(progress, "Checking the backup", total) as bar:
            for path, entry in sorted(listed.items()):
                file = source / path
                if file.stat().st_size != entry.get("size") or _sha256(file, bar) != entry.get(
                    "sha256"
                ):
                    problems.append(f"{path} does not match its checksum")
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise BackupError(f"{problems[0]}{more}; the backup has been changed or damaged")


def _check_database_file(source: Path, manifest: dict[str, Any]) -> set[str]:
    engine = manifest["database"]["engine"]
    here = _vendor()
    if engine != here:
        raise BackupError(
            f"this is a {ENGINE_NAMES[engine]} backup but the database here is "
            f"{ENGINE_NAMES[here]}; restore it into a {ENGINE_NAMES[engine]} database"
        )
    database = source / manifest["database"]["file"]
    with database.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if engine == "postgresql":
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError("database.dump is not a PostgreSQL custom-format dump")
        return _pg_dump_tables(database)
    if head != SQLITE_MAGIC:
        raise BackupError("database.sqlite3 is not an SQLite database")
    return set()


def _check_migrations(manifest: dict[str, Any]) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    for app, name in sorted(manifest["migrations"].items()):
        if (app, name) not in known:
            raise BackupError(
                f"the backup was made by a newer version of coproduce (migration {app}.{name} "
                "is not in this version); upgrade coproduce first"
            )


def _verify(source: Path, progress: bool) -> tuple[dict[str, Any], set[str]]:
    if not source.is_dir():
        raise BackupError(f"{source} does not exist or is not a directory")
    manifest = _read_manifest(source)
    _check_files(source, manifest, progress)
    tables_in_dump = _check_database_file(source, manifest)
    _check_migrations(manifest)
    return manifest, tables_in_dump


def backup_verify(*, source: Path, progress: bool = False) -> dict[str, Any]:
    """Check a backup completely without changing anything; returns its manifest."""
    return _verify(Path(source), progress)[0]


# --- restore ----------------------------------------------------------------------------------


def _stage_media(source: Path, manifest: dict[str, Any], root: Path, progress: bool) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stage = root / STAGE_NEW
    for stale in (stage, root / STAGE_OLD):
        if stale.exists():
            shutil.rmtree(stale)
    stage.mkdir()
    media = [e for e in manifest["files"] if e["path"].startswith(f"{MEDIA_DIR}/")]
    try:
        with _bar(progress, "Copying uploaded files", sum(e["size"] for e in media)) as bar:
            for entry in media:
                target = stage / entry["path"][len(MEDIA_DIR) + 1 :]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / entry["path"], target)
                bar.update(entry["size"])
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    return stage


def _swap_media(root: Path, stage: Path) -> None:
    """Put the staged files in place of MEDIA_ROOT's contents; undo the moves if one fails."""
    old = root / STAGE_OLD
    old.mkdir()
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        for child in sorted(root.iterdir()):
            if child.name not in (STAGE_NEW, STAGE_OLD):
                child.rename(old / child.name)
                moved_out.append(child.name)
        for child in sorted(stage.iterdir()):
            child.rename(root / child.name)
            moved_in.append(child.name)
    except OSError:
        for name in moved_in:
            (root / name).rename(stage / name)
        for name in moved_out:
            (old / name).rename(root / name)
        raise
    shutil.rmtree(old)
    stage.rmdir()


def _migrate_if_behind() -> bool:
    connection.ensure_connection()
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return False
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return True


def backup_restore(*, source: Path, progress: bool = False) -> BackupSummary:
    """Replace the database and MEDIA_ROOT's contents with the backup in `source`.

    Everything is checked before anything changes. The database is restored in one transaction,
    then the uploaded files are swapped in; a backup older than the code is then migrated.
    The audit entry is written last, because the restore replaces the audit log too.
    """
    if connection.in_atomic_block:
        raise RuntimeError("backup_restore cannot run inside a database transaction")
    source = Path(source)
    manifest, tables_in_dump = _verify(source, progress)
    engine = manifest["database"]["engine"]
    root = _media_root()
    stage = _stage_media(source, manifest, root, progress)
    try:
        database = source / manifest["database"]["file"]
        if engine == "postgresql":
            _pg_restore(database, tables_in_dump, progress)
        else:
            _sqlite_restore(database, progress)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _swap_media(root, stage)
    migrated = _migrate_if_behind()

    media = sum(1 for e in manifest["files"] if e["path"].startswith(f"{MEDIA_DIR}/"))
    with transaction.atomic():
        audit_record(
            action="backup.restored",
            object_type="backup",
            summary=f"Restored the backup made {manifest['created_at']} from {source.resolve()}"
            + (" and brought it up to date with migrate" if migrated else ""),
        )
    return BackupSummary(
        path=source,
        engine=engine,
        created_at=manifest["created_at"],
        media_files=media,
        total_bytes=sum(int(e["size"]) for e in manifest["files"]),
        migrated=migrated,
    )


# --- the commands -----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[no-untyped-def]  # one line, exit 2
        self.exit(2, f"{self.prog}: {message}\n")


def _size(total: int) -> str:
    size = float(total)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{total} bytes"  # pragma: no cover


def _run(prog: str, work: Callable[[], int]) -> int:
    try:
        return work()
    except BackupError as exc:
        sys.stderr.write(f"{prog}: {exc}\n")
        return 2
    except Exception as exc:  # no traceback; the cause still goes to the user
        sys.stderr.write(f"{prog}: {' '.join(f'{type(exc).__name__}: {exc}'.split())}\n")
        return 1


def backup_main(argv: list[str]) -> int:
    parser = _Parser(
        prog="coproduce backup",
        description="Back up the database and the uploaded files into a new directory, with a "
        "manifest of checksums. Safe while the app runs.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="a new or empty directory")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)

    def work() -> int:
        summary = backup_create(out=Path(args.out), progress=not args.quiet)
        sys.stdout.write(
            f"Backed up the {ENGINE_NAMES[summary.engine]} database and "
            f"{summary.media_files} uploaded files ({_size(summary.total_bytes)}) "
            f"to {summary.path}\n"
        )
        return 0

    return _run("coproduce backup", work)


def restore_main(argv: list[str]) -> int:
    parser = _Parser(
        prog="coproduce restore",
        description="Replace the database and the uploaded files with a backup made by "
        "`coproduce backup`. Every checksum is checked first; stop the web app and the task "
        "worker before restoring.",
    )
    parser.add_argument("source", metavar="DIR", help="a directory made by `coproduce backup`")
    parser.add_argument("--yes", action="store_true", help="replace the current data, no question")
    parser.add_argument(
        "--check", action="store_true", help="only check the backup; change nothing"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    prog = "coproduce restore"
    source = Path(args.source)

    def work() -> int:
        if not source.is_dir():
            raise BackupError(f"{source} does not exist or is not a directory")
        if args.check:
            manifest = backup_verify(source=source, progress=not args.quiet)
            sys.stdout.write(
                f"The backup in {source} is complete and unchanged "
                f"(made {manifest['created_at']}, {len(manifest['files'])} files)\n"
            )
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise BackupError("add --yes to replace the current data")
            manifest = backup_verify(source=source, progress=not args.quiet)
            sys.stderr.write(
                f"This replaces ALL the current data and uploaded files with the backup made "
                f"{manifest['created_at']}. Type yes to go on: "
            )
            sys.stderr.flush()
            if sys.stdin.readline().strip().lower() != "yes":
                raise BackupError("not restored; nothing was changed")
        summary = backup_restore(source=source, progress=not args.quiet)
        sys.stdout.write(
            f"Restored the backup made {summary.created_at}: the "
            f"{ENGINE_NAMES[summary.engine]} database and {summary.media_files} uploaded files"
            + (", then applied this version's migrations" if summary.migrated else "")
            + "\n"
        )
        return 0

    return _run(prog, work)
