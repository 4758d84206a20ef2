"""Writing audit entries out as JSON Lines or CSV, to a path or an open text stream.

A path goes through the one guarded writer (``skilltwin/_output.py``): a temporary file that
replaces the target only once every entry is written, and a target that is the log itself,
one of its companion files (``-wal``, ``-shm``, ``-journal``; also through a symbolic or
hard link) or any other database is refused, so an export can never shorten or overwrite
the log.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from skilltwin._csvsafe import neutralise_row
from skilltwin._jsonio import canonical_json
from skilltwin._output import guarded_output
from skilltwin.audit.models import AuditEntry

__all__ = ["EXPORT_FIELDS", "ExportTarget", "write_csv", "write_jsonl"]

EXPORT_FIELDS: tuple[str, ...] = tuple(AuditEntry.model_fields)
"""Columns of a CSV export and keys of a JSON Lines export, in this order."""

ExportTarget = str | os.PathLike[str] | IO[str]


@contextlib.contextmanager
def _opened(target: ExportTarget, protected: Sequence[Path]) -> Iterator[IO[str]]:
    """The guarded writer (``skilltwin/_output.py``), with the log's own files as inputs."""
    with guarded_output(target, inputs=protected) as file:
        yield file


def write_jsonl(entries: Iterable[AuditEntry], target: ExportTarget,
                protected: Sequence[Path] = ()) -> int:
    """One JSON object per line and entry; returns how many entries were written."""
    return _write(entries, target, protected, _jsonl_writer)


def write_csv(entries: Iterable[AuditEntry], target: ExportTarget,
              protected: Sequence[Path] = ()) -> int:
    """A header row and one row per entry (``data`` as a JSON string, ``None`` as empty)."""
    return _write(entries, target, protected, _csv_writer)


def _write(
    entries: Iterable[AuditEntry],
    target: ExportTarget,
    protected: Sequence[Path],
    make_writer: Callable[[IO[str]], Callable[[dict[str, Any]], None]],
) -> int:
    count = 0
    with _opened(target, protected) as file:
        write = make_writer(file)
        for entry in entries:
            write(entry.model_dump(mode="json"))
            count += 1
    return count


def _jsonl_writer(file: IO[str]) -> Callable[[dict[str, Any]], None]:
    def write(record: dict[str, Any]) -> None:
        file.write(json.dumps(record, ensure_ascii=False) + "\n")

    return write


def _csv_writer(file: IO[str]) -> Callable[[dict[str, Any]], None]:
    writer = csv.DictWriter(file, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
    writer.writeheader()

    def write(record: dict[str, Any]) -> None:
        if record["data"] is not None:
            record["data"] = canonical_json(record["data"]).decode("utf-8")
        writer.writerow(neutralise_row(record))

    return write
