"""The optional packages that read PDF and Word files (the ``documents`` extra)."""

from __future__ import annotations

import importlib.util

from skilltwin.errors import DocumentError

__all__ = ["require"]

_PACKAGES = {"pdfminer": "pdfminer.six", "docx": "python-docx"}


def require(module: str, what: str) -> None:
    """Raise a :class:`DocumentError` saying what to install when ``module`` is missing."""
    if importlib.util.find_spec(module) is None:
        raise DocumentError(
            f"reading {what} files needs the package {_PACKAGES[module]}, which is not "
            "installed: pip install 'skilltwin[documents]'."
        )
