"""Spreadsheet-safe CSV cells: text that a spreadsheet would run as a formula is neutralised.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice and Google Sheets ("CSV injection"): a reviewer's note or an
employee's evidence text could then run when an export is opened. Every CSV writer of skilltwin
passes its rows through :func:`neutralise_row`, which puts a single quote (``'``) before such
text; spreadsheets show the quote-prefixed text as text. Numbers (including negative numbers)
stay numbers: only text cells are changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["FORMULA_STARTS", "neutralise_cell", "neutralise_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a text cell as a formula."""


def neutralise_cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text starting like a formula; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``row`` with every text cell passed through :func:`neutralise_cell`."""
    return {key: neutralise_cell(value) for key, value in row.items()}
