"""Writing a cache folder so that readers see all of it or none of it."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["can_write", "staged_folder"]


@contextlib.contextmanager
def staged_folder(folder: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``folder``; when the block ends without an error,
    the staging folder replaces ``folder`` (or a file of that name) in one rename. It is
    removed in any case, so a failed or interrupted write leaves the old ``folder`` (or none)
    behind, never half a one.
    """
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder.parent))
    try:
        yield staging
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
        elif folder.exists() or folder.is_symlink():
            folder.unlink()
        os.replace(staging, folder)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def can_write(folder: Path) -> bool:
    """Whether :func:`staged_folder` can write ``folder``: false in a read-only cache (a
    team's shared one), where callers use what is there and keep what they build in memory."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        probe = tempfile.mkdtemp(prefix=".probe-", dir=folder.parent)
    except OSError:
        return False
    os.rmdir(probe)
    return True
