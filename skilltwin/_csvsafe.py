"""Spreadsheet-safe CSV cells: text that a spreadsheet would run as a formula is neutralised.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice and Google Sheets ("CSV injection"): a reviewer's note or an
employee's evidence text could then run when an export is opened. Every CSV writer of skilltwin
passes its rows through :func:`neutralise_row`, which puts a single quote (``'``) before such
text; spreadsheets show the quote-prefixed text as text. Text that already starts with a quote
gets one too, so the rule can be undone exactly: drop the first character of every text cell
that starts with ``'`` (:func:`restore_cell`), e.g. to recompute audit hashes from a CSV
export. Numbers (including negative numbers) stay numbers: only text cells are changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FORMULA_STARTS", "neutralise_cell", "neutralise_row", "restore_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a text cell as a formula."""


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text starting like a formula (or with a quote);
    else unchanged."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, "'")):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """The original text of a cell written by :func:`neutralise_cell`."""
    if isinstance(value, str) and value.startswith("'"):
        return value[1:]
    return value


def neutralise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``row`` with every text cell passed through :func:`neutralise_cell`."""
    return {key: neutralise_cell(value) for key, value in row.items()}
