"""Progress bars that show in notebooks and terminals and stay silent elsewhere."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from importlib.util import find_spec
from typing import TypeVar

__all__ = ["progress"]

T = TypeVar("T")


def progress(items: Iterable[T], *, desc: str, total: int | None = None,
             show: bool | None = None) -> Iterator[T]:
    """Iterate ``items`` with a tqdm bar; ``show=None`` shows it only when interactive
    (stderr is a terminal, or running inside Jupyter). Notebooks get a widget bar when
    ipywidgets is installed, a text bar otherwise."""
    if find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm
    else:
        from tqdm.std import tqdm

    visible = _interactive() if show is None else show
    yield from tqdm(items, desc=desc, total=total, disable=not visible)


def _interactive() -> bool:
    if sys.stderr.isatty():
        return True
    return "ipykernel" in sys.modules and "PYTEST_CURRENT_TEST" not in os.environ
