"""Opening a SQLite file for reading only: the file and its companions are never written."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

from skilltwin.errors import ConfigurationError

__all__ = ["connect_read_only"]


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to ``path`` in SQLite's read-only mode (``mode=ro``, ``query_only``).

    A WAL-mode file in a read-only place whose ``-shm`` file cannot be created is read as
    immutable (nobody can be writing to it), but only without a ``-wal`` file: an immutable
    read would silently leave out what that file still holds, so such a copy is refused.

    Raises:
        ConfigurationError: a read-only copy with a non-empty ``-wal`` file.
        sqlite3.Error: the file cannot be opened or read (the caller says what that means).
    """
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None,
                               check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if "unable to open" not in str(exc) or not path.is_file():
            raise
        if conn is not None:
            conn.close()
        wal = path.with_name(path.name + "-wal")
        if wal.is_file() and wal.stat().st_size > 0:
            raise ConfigurationError(
                f"{path}: this read-only copy has a write-ahead file ({wal.name}) holding "
                "changes not yet in the main file, and SQLite cannot read it in a read-only "
                "place; copy the database together with its -wal file to a folder you may "
                "write to and read it there. Nothing was read."
            ) from None
        conn = sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout,
                               isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn
