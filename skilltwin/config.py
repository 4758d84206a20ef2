"""Where skilltwin reads shared data and keeps its caches.

* ``SKILLTWIN_CACHE_DIR`` overrides the cache folder (default: the user's cache directory,
  e.g. ``~/.cache/skilltwin`` on Linux).
* ``SKILLTWIN_DATA`` points at a folder laid out like the project's ``shared/data`` (with
  ``esco/v1.1.1/``, optionally ``esco/v1.1.1-nl/`` and other languages, and ``benchmarks/``);
  tests, benchmarks and examples read ESCO from there.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "cache_root", "default_esco_path", "default_esco_paths", "shared_data_dir"]

_PROJECT_ROOT = Path(__file__).resolve().parent.parent


def cache_dir(*parts: str) -> Path:
    """Return (and create) a folder inside skilltwin's cache directory."""
    path = cache_root().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_root() -> Path:
    """skilltwin's cache directory: ``$SKILLTWIN_CACHE_DIR``, else the user's cache directory
    (not created here)."""
    root = os.environ.get("SKILLTWIN_CACHE_DIR")
    if root:
        return Path(root).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("skilltwin"))


def shared_data_dir() -> Path:
    """The shared data folder: ``$SKILLTWIN_DATA``, else ``../shared/data`` beside the project."""
    env = os.environ.get("SKILLTWIN_DATA")
    if env:
        return Path(env).expanduser()
    return _PROJECT_ROOT.parent / "shared" / "data"


def default_esco_path() -> Path:
    """The ESCO v1.1.1 download inside :func:`shared_data_dir`."""
    return shared_data_dir() / "esco" / "v1.1.1"


def default_esco_paths(language: str = "en") -> list[Path]:
    """The default ESCO input for ``language``: :func:`default_esco_path`, plus the folder of
    that language's files beside it (``esco/v1.1.1-nl``) when there is one."""
    paths = [default_esco_path()]
    translated = paths[0].with_name(f"{paths[0].name}-{language}")
    if language != "en" and translated.is_dir():
        paths.append(translated)
    return paths


def default_key_path() -> Path:
    """``audit.key`` in the user's skilltwin config folder: the audit log's default key file
    (see :mod:`skilltwin.audit`), which no output of skilltwin may ever replace."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("skilltwin")) / "audit.key"
