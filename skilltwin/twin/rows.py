"""One check of a claim row for every way claims come in.

:meth:`EmployeeTwin.add_skill`, ``Store.import_claims`` and the claims tables of
:mod:`skilltwin.outofcore` (``skilltwin match --claims``) all pass their rows through
:func:`check_claim_row` (one row, a mapping) or :func:`check_claim_frame` (a whole table), which
give the same values and the same reasons for the same cells: the frame variant checks every
distinct cell value of a column once with the functions the row variant uses.

The rules (docs/store.md, "One rule for every claim"):

* ``employee_id``: the identity rule of :mod:`skilltwin._identity`.
* ``skill``: text, read by the same rule (NFC, white space, no control characters, at most
  200 characters); which skill it names is up to the taxonomy.
* ``level``: a number on the scale. Text holding a number (``"3"``) is read; a blank cell,
  ``"N/A"``, a yes/no value, NaN or infinity is rejected, never replaced by a default. Only a
  row without a level at all (no ``level`` key or column) takes :data:`DEFAULT_LEVEL`.
* ``observed``: a date from 1900-01-01 to today: a date, a datetime, or ISO text
  (``YYYY-MM-DD``, optionally with a time and a UTC offset). A time with a zone counts on its
  UTC date; a blank cell is rejected; a row without an observed date is observed today.
* ``source``: one of self, manager, certificate, assessment, inferred (any case); blank is
  ``self``.
* ``confidence``: a number from 0 to 1; blank is 1; ``"N/A"`` or a yes/no value is rejected.
* ``evidence``: text without control characters other than tab and new line; blank is ``""``.

The first field that fails (in that order) gives the row's reason.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

from skilltwin._identity import is_blank, read_id, shown
from skilltwin._validation import read_number, scale_range
from skilltwin.twin.claims import CLAIM_COLUMNS, ClaimSource
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.twin.scale import ProficiencyScale

__all__ = [
    "EARLIEST_DAY",
    "Checked",
    "CheckedClaim",
    "check_claim_frame",
    "check_claim_row",
    "check_column",
    "check_employee_id",
    "check_skill_key",
]

EARLIEST_DAY = dt.date(1900, 1, 1)
SOURCES: tuple[str, ...] = get_args(ClaimSource)

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_DATE_HINT = "observed date missing or not an ISO date (YYYY-MM-DD)"


@dataclass(frozen=True)
class CheckedClaim:
    """A claim row that passed: its values as the library keeps them.

    ``employee_id`` and ``skill`` are ``None`` when the row had no such field.
    """

    employee_id: str | None
    skill: str | None
    level: float
    observed: dt.date
    source: str
    confidence: float
    evidence: str


@dataclass(frozen=True)
class Rejection:
    """Why a claim row was rejected: the field at fault and the reason."""

    field: str
    reason: str


# -- one value ----------------------------------------------------------------------------------
Checked = tuple[Any, str]
"""``(value, "")`` for a value that passes, ``(None, reason)`` for one that fails."""


def check_employee_id(value: object) -> Checked:
    """An employee id read by the identity rule, or its reason."""
    return read_id(value, what="employee id")


def check_skill_key(value: object) -> Checked:
    """A skill key read by the identity rule (numbers refused), or its reason."""
    return read_id(value, what="skill", numbers_allowed=False)


def _number(value: object, name: str) -> Checked:
    """A finite float from a number or numeric text; reasons name the field ``name``."""
    if is_blank(value):
        return None, f"{name} is blank or not a finite number"
    number = read_number(value)
    if isinstance(number, str):
        return None, f"{name} {number}: {shown(value)}"
    return number, ""


def _level(value: object, scale: ProficiencyScale) -> Checked:
    number, reason = _number(value, "level")
    if reason:
        return None, reason
    if not 0 <= number <= scale.maximum:
        return None, f"level outside {scale_range(scale.name, scale.maximum)}: {shown(value)}"
    return number, ""


def _confidence(value: object) -> Checked:
    if is_blank(value):
        return 1.0, ""
    number, reason = _number(value, "confidence")
    if reason:
        return None, reason
    if not 0 <= number <= 1:
        return None, f"confidence outside 0-1: {shown(value)}"
    return number, ""


def _source(value: object) -> Checked:
    if is_blank(value):
        return "self", ""
    name = value.strip().casefold() if isinstance(value, str) else None
    if name not in SOURCES:
        return None, f"source is not one of {', '.join(SOURCES)}: {shown(value)}"
    return name, ""


def _evidence(value: object) -> Checked:
    if is_blank(value):
        return "", ""
    if not isinstance(value, str):
        return None, f"evidence is not text (expected text): {shown(value)}"
    text = unicodedata.normalize("NFC", value).strip()
    for char in text:
        if char not in "\t\n\r" and unicodedata.category(char) == "Cc":
            return None, (f"evidence holds the control character U+{ord(char):04X}; "
                          "remove it")
    return text, ""


def _day(value: object) -> dt.date | str:
    """The date of ``value`` (UTC date for a time with a zone), or a reason."""
    if is_blank(value):
        return _DATE_HINT
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            try:
                return value.astimezone(dt.timezone.utc).date()
            except OverflowError:
                return value.date()  # past 9999-12-31 in UTC: in the future all the same
        return value.date()
    if isinstance(value, dt.date):
        return value
    if type(value).__name__ == "datetime64":
        import numpy as np

        day = np.asarray(value).astype("datetime64[D]").item()  # a date, or an int out of range
        if isinstance(day, dt.date):
            return day
        return dt.date.max if int(day) > 0 else dt.date.min
    if not isinstance(value, str):
        return f"{_DATE_HINT}: {shown(value)}"
    found = _ISO.fullmatch(value.strip())
    if found is None:
        return f"{_DATE_HINT}: {shown(value)}"
    year, month, day_number, hour, minute, second, zone = found.groups()
    try:
        day = dt.date(int(year), int(month), int(day_number))
    except ValueError:
        return f"{_DATE_HINT}: {shown(value)}"
    if hour is None:
        return day
    if int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59):
        return f"{_DATE_HINT}: {shown(value)}"
    if zone is None or zone == "Z":
        return day
    offset_hours, offset_minutes = int(zone[1:3]), int(zone[-2:]) if len(zone) > 3 else 0
    if offset_hours > 23 or offset_minutes > 59:
        return f"{_DATE_HINT}: {shown(value)}"
    sign = 1 if zone[0] == "+" else -1
    minutes = int(hour) * 60 + int(minute) - sign * (offset_hours * 60 + offset_minutes)
    try:
        return day + dt.timedelta(days=minutes // 1440)
    except OverflowError:
        return dt.date.max if minutes > 0 else dt.date.min


def _observed(value: object, today: dt.date) -> Checked:
    day = _day(value)
    if isinstance(day, str):
        return None, day
    if day > today:
        return None, f"observed date in the future: {_iso(day)}"
    if day < EARLIEST_DAY:
        return None, f"observed date before {EARLIEST_DAY.year}: {_iso(day)}"
    return day, ""


def _iso(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _checkers(scale: ProficiencyScale, today: dt.date) -> dict[str, Callable[[object], Checked]]:
    return {
        "employee_id": check_employee_id,
        "skill": check_skill_key,
        "level": lambda value: _level(value, scale),
        "observed": lambda value: _observed(value, today),
        "source": _source,
        "confidence": _confidence,
        "evidence": _evidence,
    }


def _absent(field: str, today: dt.date) -> Any:
    """The value of a field a row does not have at all."""
    return {"employee_id": None, "skill": None, "level": DEFAULT_LEVEL, "observed": today,
            "source": "self", "confidence": 1.0, "evidence": ""}[field]


# -- one row ------------------------------------------------------------------------------------
def check_claim_row(row: Mapping[str, Any], *, scale: ProficiencyScale,
                    today: dt.date) -> CheckedClaim | Rejection:
    """The checked values of one claim row, or why it is rejected.

    A field missing from ``row`` takes its default (employee and skill: ``None``); a field
    present with a blank value is checked as blank (see the module's rules).
    """
    checkers = _checkers(scale, today)
    values: dict[str, Any] = {}
    for field in CLAIM_COLUMNS:
        if field not in row:
            values[field] = _absent(field, today)
            continue
        value, reason = checkers[field](row[field])
        if reason:
            return Rejection(field, reason)
        values[field] = value
    return CheckedClaim(**values)


# -- a whole table ------------------------------------------------------------------------------
def check_claim_frame(frame: pd.DataFrame, *, scale: ProficiencyScale, today: dt.date
                      ) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`check_claim_row` for every row of ``frame``, checking each distinct value of a
    column once.

    Returns:
        The checked values (the columns of :data:`~skilltwin.twin.claims.CLAIM_COLUMNS`
        that ``frame`` has or that take a default; ``observed`` as ISO text; ``None`` in
        rejected rows) and, per row, the reason it is rejected (``""`` when it passes), both
        on ``frame``'s index.
    """
    import numpy as np
    import pandas as pd

    checkers = _checkers(scale, today)
    reason = np.full(len(frame), "", dtype=object)
    columns: dict[str, Any] = {}
    for field in CLAIM_COLUMNS:
        if field not in frame.columns:
            default = _absent(field, today)
            columns[field] = np.full(len(frame), _iso(default) if field == "observed"
                                     else default, dtype=object)
            continue
        values, reasons = check_column(frame[field], checkers[field],
                                        transform=_iso if field == "observed" else None)
        failed = (reasons != "") & (reason == "")
        reason[failed] = reasons[failed]
        columns[field] = values
    checked = pd.DataFrame(columns, index=frame.index)
    rejected = reason != ""
    if rejected.any():
        checked = checked.astype(object)
        checked.loc[rejected, :] = None
    for name in ("level", "confidence"):
        checked[name] = pd.to_numeric(checked[name], errors="coerce").astype(float)
    return checked, pd.Series(reason, index=frame.index, dtype=object)


def check_column(column: pd.Series, check: Callable[[object], Checked],
                  transform: Callable[[Any], Any] | None = None) -> tuple[Any, Any]:
    """``check`` applied once per distinct cell (a yes/no value is never merged with the
    number 1, nor ``1`` with ``"1"``); results (passed values through ``transform``) spread
    back to every row."""
    import numpy as np
    import pandas as pd

    if column.dtype != object:  # one type per column: the column's own codes, no object copy
        codes, _ = pd.factorize(column, use_na_sentinel=True)
        _, first, inverse = np.unique(codes.astype(np.int64), return_index=True,
                                      return_inverse=True)
        results = [_transformed(check(cell), transform)
                   for cell in column.iloc[first].to_numpy(dtype=object).tolist()]
        return _spread(results, inverse.ravel())
    cells = column.to_numpy(dtype=object)
    try:
        codes, _ = pd.factorize(cells, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists...): one check per row
        results = [_transformed(check(cell), transform) for cell in cells]
        values = np.empty(len(cells), dtype=object)
        values[:] = [value for value, _ in results]
        return values, np.array([text for _, text in results], dtype=object)
    codes = codes.astype(np.int64)
    if column.dtype == object and len(cells) and \
            pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
        kinds, _ = pd.factorize(pd.Series(cells).map(type).to_numpy(dtype=object))
        codes = codes * (int(kinds.max()) + 1) + kinds
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    results = [_transformed(check(cells[position]), transform) for position in first.tolist()]
    return _spread(results, inverse.ravel())


def _spread(results: list[Checked], inverse: Any) -> tuple[Any, Any]:
    """Per-distinct ``(value, reason)`` results as per-row arrays of values and reasons."""
    import numpy as np

    values = np.empty(len(results), dtype=object)
    values[:] = [value for value, _ in results]
    reasons = np.array([text for _, text in results], dtype=object)
    return values[inverse], reasons[inverse]


def _transformed(result: Checked, transform: Callable[[Any], Any] | None) -> Checked:
    value, reason = result
    return (transform(value) if transform is not None and not reason else value), reason
