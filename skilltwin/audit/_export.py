"""Writing audit entries out as JSON Lines or CSV, to a path or an open text stream.

A path is written through a temporary file in the same folder that replaces the target only
once every entry is written, and a path that is the log itself or one of its companion files
(``-wal``, ``-shm``, ``-journal``; also through a symbolic or hard link) is refused, so an
export can never shorten or overwrite the log.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from skilltwin._csvsafe import neutralise_row
from skilltwin.audit._chain import canonical_json
from skilltwin.audit._models import AuditEntry
from skilltwin.errors import ConfigurationError

__all__ = ["EXPORT_FIELDS", "ExportTarget", "check_target", "write_csv", "write_jsonl"]

EXPORT_FIELDS: tuple[str, ...] = tuple(AuditEntry.model_fields)
"""Columns of a CSV export and keys of a JSON Lines export, in this order."""

ExportTarget = str | os.PathLike[str] | IO[str]


def check_target(target: Path, protected: Sequence[Path]) -> Path:
    """The resolved path to write ``target`` to; refuse the log's own files and folders.

    Raises:
        ConfigurationError: ``target`` is (a link to) a protected file, or a folder, or its
            folder does not exist.
    """
    resolved = target.resolve()
    for path in protected:
        same = resolved == path.resolve()
        if not same and resolved.exists() and path.exists():
            same = os.path.samefile(resolved, path)
        if same:
            raise ConfigurationError(
                f"{target}: this is the audit log's own file ({path.name}); an export there "
                "would destroy the log. Choose another output file."
            )
    if resolved.is_dir():
        raise ConfigurationError(f"{target} is a folder; give a file name to export to.")
    if not resolved.parent.is_dir():
        raise ConfigurationError(
            f"{target}: the folder {resolved.parent} does not exist; create it first."
        )
    return resolved


@contextlib.contextmanager
def _opened(target: ExportTarget, protected: Sequence[Path]) -> Iterator[IO[str]]:
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    final = check_target(Path(target), protected)
    try:
        fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.",
                                         suffix=".tmp")
    except OSError as exc:
        raise ConfigurationError(
            f"{target}: cannot write there ({exc.strerror}); choose a folder you may write to."
        ) from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, final)
    except OSError as exc:
        raise ConfigurationError(
            f"{target}: cannot write the export ({exc.strerror}); nothing was written."
        ) from None
    finally:
        temp.unlink(missing_ok=True)


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
