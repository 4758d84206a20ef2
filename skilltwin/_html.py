"""Small HTML primitives for Jupyter's ``_repr_html_``: escaped text, a titled card, tables
and a bar. Each class builds its own card from these, next to the class."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from skilltwin._i18n import message

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["bar", "bullets", "card", "column_names", "escape", "rows", "table"]

_STYLE = ("font-family:system-ui,sans-serif;font-size:13px;border:1px solid #ddd;"
          "border-radius:6px;padding:8px 12px;max-width:960px")


def escape(value: object) -> str:
    """``value`` as HTML-safe text."""
    return html.escape(str(value))


def card(title: str, subtitle: str, body: str) -> str:
    """A bordered box with a bold title, a grey subtitle and ``body`` (already HTML)."""
    return (f'<div style="{_STYLE}"><div style="font-weight:600;font-size:14px">'
            f'{escape(title)}</div><div style="color:#666;margin-bottom:6px">'
            f"{escape(subtitle)}</div>{body}</div>")


def table(frame: pd.DataFrame, *, caption: str = "", max_rows: int = 20,
          float_format: str = ".2f") -> str:
    """A DataFrame as a compact HTML table (cells escaped): floats to 2 decimals (or
    ``float_format``), at most ``max_rows`` rows (with a note saying how many were left out)."""
    shown = frame.head(max_rows)
    rendered = shown.to_html(float_format=lambda x: format(x, float_format), border=0,
                             na_rep="", classes="skilltwin", escape=True)
    note = ""
    if len(frame) > max_rows:
        note = f'<div style="color:#666">… {len(frame) - max_rows} more rows</div>'
    head = f'<div style="font-weight:600;margin-top:6px">{escape(caption)}</div>' \
        if caption else ""
    return head + rendered + note


def rows(pairs: Iterable[tuple[str, str]]) -> str:
    """Key/value rows (values already HTML) as a two-column table without header."""
    cells = "".join(f'<tr><td style="color:#666;padding-right:12px">{escape(key)}</td>'
                    f"<td>{value}</td></tr>" for key, value in pairs)
    return f"<table>{cells}</table>"


def bullets(items: Iterable[str]) -> str:
    """A bulleted list of plain-text ``items`` (escaped); empty when there are none."""
    shown = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f"<ul>{shown}</ul>" if shown else ""


def bar(fraction: float, *, width: int = 80) -> str:
    """A small horizontal bar filled to ``fraction`` (0-1), with the percentage."""
    fraction = min(1.0, max(0.0, fraction))
    return (f'<span style="display:inline-block;width:{width}px;height:8px;background:#eee;'
            f'vertical-align:middle"><span style="display:block;height:8px;width:'
            f'{fraction * width:.0f}px;background:#4c78a8"></span></span> {fraction:.0%}')


def column_names(language: str | None, *keys: str) -> list[str]:
    """Table column headers ``column.<key>`` in ``language``."""
    return [message(f"column.{key}", language) for key in keys]
