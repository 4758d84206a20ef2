"""Excel workbooks for people who read Excel, not notebooks.

A result that can be written to Excel describes itself as a :class:`Book`: a few
:class:`Sheet` views (pandas tables with the number format of their columns) and the versions
behind it. :func:`write_book` turns a book into one ``.xlsx`` workbook:

* a sheet per view, its header row (and first column) frozen, an auto-filter on the header,
  levels, scores and shares formatted as numbers (``0.0``, ``0.000``, ``0.0%``), columns sized
  to their content, long explanations wrapped beside the score they explain;
* a last sheet, "Versions", with the library version, taxonomy release, model, language, the
  time of writing and the audit ids of recorded results;
* no formulas: every text cell passes through :func:`skilltwin._csvsafe.neutralise_cell`,
  exactly as in the CSV exports (a text starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return gets a leading ``'``), and characters a workbook cannot hold are dropped;
* written through the guarded writer (:func:`skilltwin._output.guarded_output`): never onto a
  database, an input, a folder or a device, and never half a file.

:func:`to_excel` (``skilltwin.to_excel``) writes any result that offers a book
(an :class:`ExcelExportable`, with ``excel_book()``: gap reports, match results, workforce
plans), an :class:`AuditedResult` (a :class:`Recorded` result: its value, adding its audit
id), a list of them (same-named sheets are stacked) or a DataFrame
(``match_frame``, ``plan.compare``, ``plan.sweep``, ...). This module knows no domain type.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol, runtime_checkable

from skilltwin._csvsafe import neutralise_cell
from skilltwin._i18n import message
from skilltwin._output import STDOUT, OutputPath, guarded_output
from skilltwin.errors import ConfigurationError, OutputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["COUNT", "LEVEL", "SCORE", "SHARE", "AuditedResult", "Book", "ExcelExportable", "Sheet",
           "to_excel", "write_book"]

LEVEL = "0.0"
"""Number format of proficiency levels."""
SCORE = "0.000"
"""Number format of scores and their components."""
SHARE = "0.0%"
"""Number format of shares and coverage (0-1 shown as a percentage)."""
COUNT = "0"
"""Number format of counts."""

_MAX_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell
# Not allowed in the XML of a sheet: control characters, lone surrogates, U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_TITLE = 31  # characters in a sheet name
_RESERVED_TITLES = frozenset({"history"})  # Excel keeps this name for its change history
_INSTALL = "pip install 'skilltwin[excel]'"
_COMPONENTS = ("essential_coverage", "optional_coverage", "level_fit", "partial_credit")


@dataclass(frozen=True)
class Sheet:
    """One view of a workbook.

    Attributes:
        title: The sheet's name (at most 31 characters are kept).
        frame: The table; a named index (or several) becomes the first column(s).
        formats: Number format per column name (others: by type, see :func:`_format_of`).
        wrap: Columns of long text (explanations): wide and wrapped.
    """

    title: str
    frame: pd.DataFrame
    formats: Mapping[str, str] = field(default_factory=dict)
    wrap: tuple[str, ...] = ()


@dataclass(frozen=True)
class Book:
    """The views of a result and the versions behind it.

    Attributes:
        sheets: The views, in order.
        versions: Library version, taxonomy release, model, language... (``None`` values
            are written as empty cells).
        audit_ids: Audit entry ids of the recorded results in the book, by what they record.
        language: The language of the headers and fixed texts (the taxonomy's).
    """

    sheets: tuple[Sheet, ...]
    versions: Mapping[str, object] = field(default_factory=dict)
    audit_ids: Mapping[str, str] = field(default_factory=dict)
    language: str | None = None


def to_excel(result: Any, path: OutputPath | IO[bytes], *,
             inputs: Iterable[OutputPath] = ()) -> None:
    """Write ``result`` to the Excel workbook ``path`` (``.xlsx``).

    ``result`` is a :class:`~skilltwin.GapReport`, :class:`~skilltwin.MatchResult`,
    :class:`~skilltwin.WorkforcePlan`, a :class:`~skilltwin.Recorded` one of those (its
    audit id goes on the versions sheet), a list of them (one sheet per view, a row per
    result), or a DataFrame such as :func:`~skilltwin.match_frame`'s or a scenario comparison
    (:meth:`WorkforcePlan.compare`). ``inputs`` are files the workbook may not replace.

    Raises:
        OutputError: the target is refused (a database, an input, a folder...) or is not an
            ``.xlsx`` file; nothing is written.
        ConfigurationError: ``result`` cannot be written to Excel, or openpyxl is missing.
    """
    write_book(book_of(result), path, inputs=inputs)


@runtime_checkable
class ExcelExportable(Protocol):
    """A result that describes itself as a :class:`Book` (gap reports, match results,
    workforce plans): what :func:`book_of` writes without knowing its type."""

    def excel_book(self) -> Book:
        """The result's views as sheets, with the versions behind it."""
        ...


@runtime_checkable
class AuditedResult(Protocol):
    """A result together with the audit entry that records it (a
    :class:`~skilltwin.Recorded` result): :func:`book_of` writes its ``value`` and puts its
    ``audit_id`` on the versions sheet under ``step``, without knowing its type."""

    @property
    def value(self) -> object:
        """The output itself."""
        ...

    @property
    def audit_id(self) -> str:
        """The id of the audit entry recording the output."""
        ...

    @property
    def step(self) -> str:
        """What produced the output (``"match"``, ``"gap"``...)."""
        ...


def book_of(result: Any) -> Book:
    """The :class:`Book` of any result :func:`to_excel` takes."""
    import pandas as pd

    if isinstance(result, Book):
        return result
    if isinstance(result, AuditedResult):  # before ExcelExportable: it forwards excel_book
        inner = book_of(result.value)
        return Book(inner.sheets, inner.versions, {**inner.audit_ids, result.step: result.audit_id},
                    inner.language)
    if isinstance(result, pd.DataFrame):
        return frame_book(result)
    if isinstance(result, (list, tuple)):
        if not result:
            raise ConfigurationError("nothing to write: the list of results is empty.")
        return stack_books([book_of(item) for item in result])
    if isinstance(result, ExcelExportable):
        return result.excel_book()
    raise ConfigurationError(
        f"cannot write a {type(result).__name__} to Excel; pass a gap report, a match result, "
        "a workforce plan, a recorded result, a list of them or a DataFrame.")


def stack_books(books: Sequence[Book]) -> Book:
    """One book from several: sheets of the same title are stacked (in order of first
    appearance), versions that differ are joined with ``; ``, audit ids are merged."""
    import pandas as pd

    titles: dict[str, list[Sheet]] = {}
    for book in books:
        for sheet in book.sheets:
            titles.setdefault(sheet.title, []).append(sheet)
    sheets = []
    for title, parts in titles.items():
        frames = [part.frame.reset_index() if _named_index(part.frame) else part.frame
                  for part in parts]
        formats: dict[str, str] = {}
        for part in parts:
            formats.update(part.formats)
        wrap = tuple(dict.fromkeys(c for part in parts for c in part.wrap))
        sheets.append(Sheet(title, pd.concat(frames, ignore_index=True), formats, wrap))
    versions: dict[str, object] = {}
    for book in books:
        for key, value in book.versions.items():
            known = versions.get(key)
            if key not in versions:
                versions[key] = value
            elif value is not None and str(value) not in str(known).split("; "):
                versions[key] = f"{known}; {value}"
    audit: dict[str, str] = {}
    for position, book in enumerate(books, start=1):
        for key, value in book.audit_ids.items():
            audit[f"{key} {position}" if len(books) > 1 else key] = value
    return Book(tuple(sheets), versions, audit, books[0].language)


def frame_book(frame: pd.DataFrame) -> Book:
    """A DataFrame as a book: the table (titled by ``attrs["scenario"]`` when it is a scenario
    comparison), the scenario ``changes`` from ``attrs`` on a sheet of their own, and the
    versions and audit ids found in ``attrs``."""
    import pandas as pd

    attrs = dict(frame.attrs)
    language = attrs.get("language")
    scores = frame.index.name == "employee_id" and frame.columns.name == "profile_id"
    title = str(attrs.get("scenario") or message("excel.scores" if scores else "excel.table",
                                                  language))
    sheets = [Sheet(title, frame)]
    changes = attrs.get("changes")
    if isinstance(changes, Mapping):
        rows = [(str(name), line) for name, lines in changes.items() for line in lines]
    elif isinstance(changes, (list, tuple)):
        rows = [(title, str(line)) for line in changes]
    else:
        rows = []
    if rows:
        sheets.append(Sheet(message("excel.changes", language),
                            pd.DataFrame(rows, columns=["scenario", "change"]),
                            wrap=("change",)))
    keys = ("library_version", "taxonomy_release", "model_name", "skilltwin", "language")
    versions = {key: attrs[key] for key in keys if key in attrs}
    audit = attrs.get("audit_ids")
    audit_ids = {f"{key}": str(value) for key, value in audit.items()} \
        if isinstance(audit, Mapping) else {}
    return Book(tuple(sheets), versions, audit_ids, language)


def write_book(book: Book, target: OutputPath | IO[bytes], *,
               inputs: Iterable[OutputPath] = ()) -> None:
    """Write ``book`` as an ``.xlsx`` workbook through the guarded writer."""
    openpyxl = _openpyxl()
    if isinstance(target, (str, os.PathLike)):
        name = os.fspath(target)
        if not isinstance(name, str) or name == STDOUT or not name.lower().endswith(".xlsx"):
            raise OutputError(f"{name!r}: an Excel workbook is written to a file ending in "
                              ".xlsx; give such a name.")
    elif not (callable(getattr(target, "write", None)) and _binary(target)):
        raise OutputError(f"to_excel writes to a file name ending in .xlsx or an open binary "
                          f"stream, not {type(target).__name__}.")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for sheet in book.sheets:
        _add_sheet(workbook, _sheet_title(sheet.title, used), sheet, book.language)
    _add_sheet(workbook, _sheet_title(message("excel.versions", book.language), used),
               Sheet("", _versions_frame(book), wrap=("value",)), book.language)
    with guarded_output(target, inputs=inputs, mode="binary") as file:
        workbook.save(file)


def _binary(stream: object) -> bool:
    """Whether an open stream takes bytes (a text stream has an encoding)."""
    import io

    return isinstance(stream, (io.RawIOBase, io.BufferedIOBase)) or (
        not isinstance(stream, io.TextIOBase) and getattr(stream, "encoding", None) is None)


def _versions_frame(book: Book) -> pd.DataFrame:
    import pandas as pd

    from skilltwin._version import __version__

    rows: list[tuple[str, object]] = [("library_version", __version__)]
    rows += [(key, value) for key, value in book.versions.items() if key != "library_version"
             or value != __version__]
    rows.append(("written_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
    label = message("excel.audit_id", book.language)
    rows += [(f"{label}: {key}", value) for key, value in book.audit_ids.items()]
    return pd.DataFrame(rows, columns=["item", "value"])


def _add_sheet(workbook: Any, title: str, sheet: Sheet, language: str | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = sheet.frame.reset_index() if _named_index(sheet.frame) else sheet.frame
    names = [_column_key(column) for column in frame.columns]
    worksheet = workbook.create_sheet(title)
    worksheet.append([_cell(_header(column, language)) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        worksheet.append([_cell(value) for value in row])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    for cell in worksheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for position, (name, column) in enumerate(zip(names, frame.columns, strict=True), start=1):
        letter = get_column_letter(position)
        number_format = sheet.formats.get(name) or _format_of(name, frame[column])
        wrapped = name in sheet.wrap
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=position, max_col=position):
            if number_format and isinstance(cell.value, (int, float)) and \
                    not isinstance(cell.value, bool):
                cell.number_format = number_format
            if wrapped:
                cell.alignment = Alignment(vertical="top", wrap_text=True)
        header = str(worksheet.cell(row=1, column=position).value or "")
        worksheet.column_dimensions[letter].width = 70 if wrapped else _width(
            header, frame[column])
    worksheet.freeze_panes = "B2"
    if len(frame.columns):
        worksheet.auto_filter.ref = worksheet.dimensions


def _cell(value: Any) -> Any:
    """A value a worksheet holds as it is: numbers, booleans, dates; text neutralised."""
    import numpy as np
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None
        return number if math.isfinite(number) else str(number)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        if pd.isna(value):
            return None
        return value.isoformat() if value.tzinfo is not None else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        value = ", ".join(str(item) for item in value)
    elif not isinstance(value, str):
        if _is_missing(value):
            return None
        value = str(value)
    text = _ILLEGAL.sub("", value)
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "…"
    return neutralise_cell(text)


def _is_missing(value: Any) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _header(column: Any, language: str | None) -> str:
    """A column name for people: from the message catalogue when it knows it."""
    if isinstance(column, tuple):
        parts = [str(part) for part in column if str(part)]
        if not parts:
            return ""
        head = _header(parts[0], language)
        return f"{head} ({', '.join(parts[1:])})" if len(parts) > 1 else head
    name = str(column)
    return message(f"column.{name}", language, default=name.replace("_", " "))


def _column_key(column: Any) -> str:
    """The name a column's format is looked up by (the first level of a two-level name)."""
    if isinstance(column, tuple):
        return str(column[0])
    return str(column)


def _format_of(name: str, values: pd.Series) -> str | None:
    """The number format of a column: levels ``0.0``, shares and coverage ``0.0%``, other
    decimals ``0.000``, counts ``0``."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(values) or not pd.api.types.is_numeric_dtype(values):
        return None
    lowered = name.lower()
    if lowered in _COMPONENTS:
        return SCORE
    if lowered == "level" or lowered.endswith("_level"):
        return LEVEL
    if "coverage" in lowered or "covered" in lowered or lowered in ("share", "fulfilment"):
        return SHARE
    if pd.api.types.is_integer_dtype(values):
        return COUNT
    return SCORE


def _width(header: str, values: pd.Series) -> float:
    sample = [len(str(value)) for value in values.head(200).tolist() if value is not None]
    longest = max([len(header) * 0.9, *sample, 6])
    return float(min(50, longest + 2))


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts, unique in the book (``used`` holds the names taken, case
    folded, as Excel compares them): no control or invisible format characters, none of
    ``[]:*?/\\``, white space collapsed, at most 31 characters, not starting or ending with an
    apostrophe, empty names as "Sheet", and not "History" (reserved by Excel)."""
    base = _fit(_clean_title(title), _MAX_TITLE) or "Sheet"
    name, number = base, 2
    while name.casefold() in used or name.casefold() in _RESERVED_TITLES:
        suffix = f" {number}"
        name, number = (_fit(base, _MAX_TITLE - len(suffix)) or "Sheet") + suffix, number + 1
    used.add(name.casefold())
    return name


def _clean_title(title: str) -> str:
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in title)
    return " ".join(_SHEET_FORBIDDEN.sub(" ", text).split())


def _fit(text: str, room: int) -> str:
    """``text`` cut to ``room`` characters as Excel counts them (UTF-16 units), without white
    space or apostrophes at either end."""
    text = text.strip(" '")
    while len(text.encode("utf-16-le")) // 2 > room:
        text = text[:-1].rstrip(" '")
    return text


def _named_index(frame: pd.DataFrame) -> bool:
    return any(name is not None for name in frame.index.names)


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ConfigurationError(f"writing Excel workbooks needs openpyxl; install it with "
                                 f"{_INSTALL}.") from None
    return openpyxl
