"""The one guarded writer for every file the library or the command line writes.

Reports, exports, notices, workbooks and Parquet results all go through
:func:`guarded_output` (one file) or :func:`guarded_folder` (a folder of files, such as a Dask
Parquet dataset). Before anything is written the target is checked once:

* ``-`` means standard output (nothing on disk is touched);
* the target, resolved through symbolic links and ``..``, may not be one of the command's
  inputs, the audit log's default key file, nor an existing SQLite database (a store or an
  audit log) or one of its companion files (``-wal``, ``-shm``, ``-journal``);
* a folder, a missing parent folder, a FIFO or a device is refused.

The data goes to a temporary file beside the target that replaces it in one rename once all
of it is written (and flushed to disk), so a failed write — a full disk, a read-only place, an
interrupted run — leaves the old file, or none, and never half a file. Every refusal and every
failed write is an :class:`~skilltwin.errors.OutputError` (exit code 2 on the command line)
whose message says what to do. New files are readable by their owner only (mode 0600): they
hold personal data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, overload

from skilltwin._staging import staged_folder
from skilltwin.config import default_key_path
from skilltwin.errors import OutputError

__all__ = ["STDOUT", "OutputPath", "check_output", "guarded_folder", "guarded_output",
           "write_output"]

#: The target that means standard output.
STDOUT = "-"

OutputPath = str | os.PathLike[str]

_SQLITE_HEADER = b"SQLite format 3\x00"
_COMPANIONS = ("-wal", "-shm", "-journal")
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the place is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
}


def check_output(
    target: OutputPath, *, inputs: Iterable[OutputPath] = (), folder: bool = False
) -> Path:
    """The resolved path to write ``target`` to, after every check above.

    Args:
        target: Where the output goes (not ``-``; standard output needs no check).
        inputs: The files and folders the command reads; the output may not replace any of
            them (compared after resolving links and ``..``, and by inode for hard links).
        folder: The output is a folder of files (a Parquet dataset): an existing folder (or
            file) may be replaced, but not one that holds a database or an input.

    Raises:
        OutputError: the target is refused; the message says why and what to do.
    """
    given = Path(os.fspath(target))
    if str(given) == "":
        raise OutputError("the output file name is empty; give a file name, or - for "
                          "standard output.")
    try:
        return _checked(given, [*inputs, default_key_path()], folder=folder)
    except OutputError:
        raise
    except (OSError, RuntimeError, ValueError) as exc:  # a link loop, a name too long, a NUL
        reason = _reason(exc) if isinstance(exc, OSError) else str(exc)
        raise OutputError(f"{str(given)[:200]!r}: not a usable output path ({reason}); give "
                          "a plain file name.") from None


def _checked(given: Path, inputs: Sequence[OutputPath], *, folder: bool) -> Path:
    resolved = given.expanduser().resolve()
    database = _database_of(resolved)
    if database is not None:
        raise OutputError(f"{given}: this is {database}; writing there would destroy it. "
                          "Choose another output file.")
    for path in inputs:
        if _same(resolved, Path(os.fspath(path)).expanduser()):
            what = "the audit log's key file" if Path(path) == default_key_path() \
                else f"one of the command's inputs ({path})"
            raise OutputError(f"{given}: this is {what}; writing there would destroy it. "
                              "Choose another output file.")
    if resolved.exists() or resolved.is_symlink():
        mode = resolved.stat().st_mode
        if stat.S_ISDIR(mode) and not folder:
            raise OutputError(f"{given} is a folder; give a file name to write to.")
        if stat.S_ISDIR(mode):
            _check_folder_contents(given, resolved, inputs)
        elif not stat.S_ISREG(mode):
            raise OutputError(f"{given} is not a regular file (a FIFO, a socket or a device); "
                              "give a file name, or - for standard output.")
    if not resolved.parent.is_dir():
        raise OutputError(f"{given}: the folder {resolved.parent} does not exist; "
                          "create it first.")
    return resolved


@overload
def guarded_output(
    target: OutputPath | IO[str], *, inputs: Iterable[OutputPath] = ...,
    mode: Literal["text"] = ...,
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def guarded_output(
    target: OutputPath | IO[bytes], *, inputs: Iterable[OutputPath] = ...,
    mode: Literal["binary"],
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def guarded_output(
    target: OutputPath | IO[str] | IO[bytes],
    *,
    inputs: Iterable[OutputPath] = (),
    mode: Literal["text", "binary"] = "text",
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """A context manager yielding an open file for ``target``; see the module's docstring.

    ``target`` may also be an open stream (written as it is, not closed) or ``-``. Text is
    UTF-8 with ``\\n`` line ends. The target replaces the old file only when the block ends
    without an error.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with guarded_output(folder / "report.md") as file:
    ...     _ = file.write("# Report\\n")
    >>> (folder / "report.md").read_text()
    '# Report\\n'
    """
    return _opened(target, tuple(inputs), mode)


def write_output(
    target: OutputPath | IO[str], text: str, *, inputs: Iterable[OutputPath] = ()
) -> None:
    """Write ``text`` to ``target`` through :func:`guarded_output`."""
    with guarded_output(target, inputs=inputs) as file:
        file.write(text)


@contextlib.contextmanager
def guarded_folder(target: OutputPath, *, inputs: Iterable[OutputPath] = ()) -> Iterator[Path]:
    """Yield an empty staging folder that replaces the folder ``target`` in one rename when
    the block ends without an error (the checks of :func:`check_output` first)."""
    final = check_output(target, inputs=inputs, folder=True)
    try:
        with staged_folder(final) as staging:
            yield staging
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({_reason(exc)}); nothing was "
                          "written.") from None


@contextlib.contextmanager
def _opened(
    target: OutputPath | IO[str] | IO[bytes],
    inputs: tuple[OutputPath, ...],
    mode: Literal["text", "binary"],
) -> Iterator[IO[Any]]:
    if not isinstance(target, (str, os.PathLike)):
        yield target
        return
    if os.fspath(target) == STDOUT:
        stream = sys.stdout.buffer if mode == "binary" else sys.stdout
        yield stream
        stream.flush()
        return
    final = check_output(target, inputs=inputs)
    try:
        fd, temp_name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.",
                                         suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"{target}: cannot write there ({_reason(exc)}); choose a folder "
                          "you may write to.") from None
    temp = Path(temp_name)
    try:
        if mode == "binary":
            with os.fdopen(fd, "wb") as binary:
                yield binary
                binary.flush()
                os.fsync(binary.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as text:
                yield text
                text.flush()
                os.fsync(text.fileno())
        os.replace(temp, final)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write it ({_reason(exc)}); nothing was "
                          "written.") from None
    finally:
        temp.unlink(missing_ok=True)


def _same(resolved: Path, other: Path) -> bool:
    """Whether ``resolved`` is ``other`` or lies inside it (an input folder's files count)."""
    other_resolved = other.resolve()
    if resolved == other_resolved or other_resolved in resolved.parents:
        return True
    with contextlib.suppress(OSError):
        return resolved.exists() and other.exists() and os.path.samefile(resolved, other)
    return False


def _database_of(resolved: Path) -> str | None:
    """What database ``resolved`` belongs to, when it is a SQLite file or a companion file."""
    if _is_sqlite(resolved):
        return "an existing SQLite database (a store or an audit log)"
    for suffix in _COMPANIONS:
        if resolved.name.endswith(suffix):
            base = resolved.with_name(resolved.name[: -len(suffix)])
            if _is_sqlite(base):
                return f"a companion file of the database {base.name}"
    return None


def _is_sqlite(path: Path) -> bool:
    try:
        if not path.is_file():
            return False
        with path.open("rb") as file:
            return file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _check_folder_contents(given: Path, resolved: Path, inputs: Iterable[OutputPath]) -> None:
    for path in resolved.rglob("*"):
        if _database_of(path) is not None:
            raise OutputError(f"{given} holds a database ({path.name}); replacing the folder "
                              "would destroy it. Choose another output folder.")
    for source in inputs:
        if Path(os.fspath(source)).expanduser().resolve().is_relative_to(resolved):
            raise OutputError(f"{given} holds one of the command's inputs ({source}); choose "
                              "another output folder.")


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))
