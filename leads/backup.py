"""A consistent copy of the leads database, and its restoration: ``python -m leads backup|restore``.

- SQLite: the file copied with SQLite's online backup API (consistent while the assistant writes), and
  restored the same way, page by page, into the database file.
- PostgreSQL: ``pg_dump --format=custom`` of the leads tables (only those: the tracker store may share the
  database), restored with ``pg_restore --clean --single-transaction``; when pg_dump is missing or older
  than the server (it refuses to dump a newer one), an SQL export instead: a plain-text file of INSERT
  statements, one transaction that empties the leads tables then refills them (restore it with ``python -m
  leads restore`` or ``psql -1 -f FILE``). A PostgreSQL backup restores into the same schema it came from.

The file holds personal data: it is written readable by its owner only, and never half-written (a temporary
file renamed at the end).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import URL, Connection, Engine, make_url

from privacy.tracker_events import statement_bound

from .lead_tables import Base, LeadRow
from .store import make_engine

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SQL_EXPORT_HEADER = "-- IMP+ leads SQL export"
METHOD_NAMES = {"sqlite_backup": "SQLite backup", "pg_dump": "pg_dump archive", "sql_export": "SQL export"}
BACKUP_COMMAND_SECONDS = 600  # pg_dump / pg_restore of the leads tables: longer means something is stuck


class BackupError(Exception):
    """The backup or the restoration could not be done; the message is one line, without the password."""


@dataclass(frozen=True)
class BackupResult:
    """Where the copy is, how it was made ("sqlite_backup", "pg_dump" or "sql_export") and the leads in it."""

    path: Path
    method: str
    leads: int


def backup(url: str, out: Path) -> BackupResult:
    """Write a consistent copy of the leads database at ``url`` to ``out`` (replaced if it exists)."""
    parsed = make_url(url)
    engine = make_engine(url)
    try:
        Base.metadata.create_all(engine)  # a database never used yet gives an empty, restorable backup
        with _written(out) as partial:
            if parsed.get_backend_name() == "sqlite":
                _sqlite_copy(_sqlite_file(parsed), partial)
                method = "sqlite_backup"
            elif parsed.get_backend_name() == "postgresql":
                method = _postgres_backup(engine, parsed, partial)
            else:
                raise BackupError(f"no backup for {parsed.get_backend_name()} databases")
        return BackupResult(out, method, _lead_count(engine))
    finally:
        engine.dispose()


def restore(url: str, source: Path) -> BackupResult:
    """Replace the leads in the database at ``url`` by those of the backup ``source`` (backup())."""
    parsed = make_url(url)
    kind = _kind(source)
    backend = parsed.get_backend_name()
    if (kind == "sqlite_backup") != (backend == "sqlite"):
        raise BackupError(f"{source} is a {METHOD_NAMES[kind]}, and the leads database is {backend}")
    if kind == "sqlite_backup":
        _sqlite_copy(source, _sqlite_file(parsed), check=True)
    engine = make_engine(url)
    try:
        if kind == "pg_dump":
            _command(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                      "--single-transaction", "--exit-on-error", "--dbname", _libpq_uri(parsed), str(source)],
                     parsed)
        elif kind == "sql_export":
            with engine.connect() as connection:
                _run_script(connection, source.read_text(encoding="utf-8"))
        Base.metadata.create_all(engine)  # tables added since the backup was made
        return BackupResult(source, kind, _lead_count(engine))
    finally:
        engine.dispose()


def _kind(source: Path) -> str:
    try:
        with source.open("rb") as handle:
            start = handle.read(len(SQL_EXPORT_HEADER))
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror or exc}") from None
    if start.startswith(SQLITE_MAGIC):
        return "sqlite_backup"
    if start.startswith(PG_DUMP_MAGIC):
        return "pg_dump"
    if start == SQL_EXPORT_HEADER.encode():
        return "sql_export"
    raise BackupError(f"{source} is not a leads backup (python -m leads backup)")


@contextmanager
def _written(out: Path) -> Iterator[Path]:
    """A temporary path next to ``out``, renamed to it (readable by its owner only) once complete."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)
        yield partial
        os.chmod(partial, 0o600)
        os.replace(partial, out)
    except OSError as exc:
        raise BackupError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        partial.unlink(missing_ok=True)


def _sqlite_file(url: URL) -> Path:
    if url.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path, check: bool = False) -> None:
    """SQLite's online backup: consistent even while another process writes (it waits, up to the time
    bound, for the writer's lock)."""
    bound = statement_bound()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        origin = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=bound)
        try:
            leads = origin.execute("SELECT 1 FROM sqlite_master WHERE name = 'leads'").fetchone()
            if check and leads is None:
                raise BackupError(f"{source} is an SQLite file without a leads table")
            copy = sqlite3.connect(target, timeout=bound)
            try:
                origin.backup(copy)
            finally:
                copy.close()
        finally:
            origin.close()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite: {exc}") from None


def _postgres_backup(engine: Engine, url: URL, out: Path) -> str:
    """pg_dump when it can dump this server, else the SQL export; the method used."""
    with engine.connect() as connection:
        server = int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    if _pg_dump_version() >= server:
        tables = [argument for table in Base.metadata.sorted_tables
                  for argument in ("--table", f'"{schema}"."{table.name}"')]
        _command(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *tables,
                  "--file", str(out), "--dbname", _libpq_uri(url)], url)
        return "pg_dump"
    with engine.connect() as connection, out.open("w", encoding="utf-8") as handle:
        handle.writelines(_sql_export(connection))
    return "sql_export"


def _pg_dump_version() -> int:
    """pg_dump's major version, or 0 when there is none."""
    if shutil.which("pg_dump") is None:
        return 0
    try:
        found = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, timeout=30,
                               check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 0
    match = re.search(r"(\d+)(?:\.\d+)?", found.stdout)
    return int(match.group(1)) if match else 0


def _libpq_uri(url: URL) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver, and no password (given in PGPASSWORD instead, so it
    never shows in the process list)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _command(arguments: list[str], url: URL) -> None:
    if shutil.which(arguments[0]) is None:
        raise BackupError(f"{arguments[0]} is not installed (Debian: apt-get install postgresql-client)")
    environment = {**os.environ, **({"PGPASSWORD": str(url.password)} if url.password else {})}
    try:
        done = subprocess.run(arguments, capture_output=True, text=True, env=environment,
                              timeout=BACKUP_COMMAND_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise BackupError(f"{arguments[0]} did not finish in {BACKUP_COMMAND_SECONDS} s") from None
    if done.returncode != 0:
        problem = next((line for line in done.stderr.splitlines() if line.strip()), "no message")
        raise BackupError(f"{arguments[0]} failed: {problem[:200]}")


def _sql_export(connection: Connection) -> Iterator[str]:
    """The SQL export: the leads tables emptied then refilled, and their id sequences moved past the rows."""
    tables = Base.metadata.sorted_tables
    yield (f"{SQL_EXPORT_HEADER} (python -m leads backup), {datetime.now().astimezone():%Y-%m-%d %H:%M %z}.\n"
           "-- Restore: python -m leads restore --from FILE, or psql -1 -f FILE. Replaces every lead.\n"
           "BEGIN;\n")
    for table in reversed(tables):
        yield f"DELETE FROM {table.name};\n"
    for table in tables:
        columns = [column.name for column in table.columns]
        for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
            values = ", ".join(_literal(row._mapping[name]) for name in columns)
            yield f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({values});\n"
    for table in tables:
        yield (f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
               f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false);\n")
    yield "COMMIT;\n"


def _literal(value: Any) -> str:
    """One value as a PostgreSQL literal (standard_conforming_strings: only quotes are doubled)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, datetime):
        value = value.isoformat()
    elif isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "'" + str(value).replace("'", "''") + "'"


def _run_script(connection: Connection, script: str) -> None:
    """The SQL export in one go: its own BEGIN ... COMMIT makes it all or nothing."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(script)
    except connection.dialect.dbapi.Error as exc:
        problem = next((line for line in str(exc).splitlines() if line.strip()), type(exc).__name__)
        raise BackupError(f"the SQL export did not restore (nothing changed): {problem[:200]}") from None
    finally:
        cursor.close()
    connection.commit()


def _lead_count(engine: Engine) -> int:
    leads: Table = LeadRow.__table__
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(leads)).scalar_one())
