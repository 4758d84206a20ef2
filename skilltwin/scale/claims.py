"""Claims as a long table: reading, checking, resolving skills, and deriving levels.

One row per claim: ``employee_id``, ``skill`` (an ESCO URI or label, or a company skill id
or label), and optionally ``level`` (default 2), ``source`` (default ``self``), ``observed``
(default today), ``confidence`` (default 1) and ``evidence``: the columns of
:meth:`EmployeeTwin.from_frame`. Levels follow the same :class:`~skilltwin.LevelPolicy`
arithmetic as :meth:`EmployeeTwin.levels`, computed on arrays, without a twin per employee.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from skilltwin.errors import ConfigurationError, SkilltwinError
from skilltwin.scale._levels import SOURCES, derive_levels
from skilltwin.taxonomy._matrices import SkillIndex
from skilltwin.twin.claims import LevelPolicy
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = [
    "CLAIM_COLUMNS",
    "ClaimLevels",
    "OnUnknown",
    "SkillResolver",
    "UnknownSkillsWarning",
    "claim_levels",
    "claims_path",
    "read_claims",
]

CLAIM_COLUMNS = ("employee_id", "skill", "level", "source", "observed", "confidence",
                 "evidence")
OnUnknown = Literal["raise", "skip"]
_DEFAULT_LEVEL = 2.0  # as EmployeeTwin.add_skill
_EPOCH = np.datetime64("1970-01-01", "D")
_Fail = Callable[[np.ndarray, str, str], SkilltwinError]


class UnknownSkillsWarning(UserWarning):
    """Claims naming skills the taxonomy does not know were left out (they are counted)."""


def claims_path(path: str | Path) -> Path:
    """``path`` as a Path, or a clear error when it does not exist or is a folder without
    Parquet files."""
    file = Path(path)
    if not file.exists():
        raise ConfigurationError(f"claims file {file} not found; check the path.")
    if file.is_dir() and not any(part.suffix.lower() in (".parquet", ".pq")
                                 for part in file.rglob("*") if part.is_file()):
        raise ConfigurationError(
            f"claims folder {file} holds no .parquet files; give a .parquet or .csv file, or "
            "a folder of Parquet files (as written by pandas or Dask)."
        )
    return file


def read_claims(path: str | Path) -> pd.DataFrame:
    """Read a claims table from a ``.parquet`` or ``.csv`` file (into memory)."""
    file = claims_path(path)
    try:
        if file.suffix.lower() in (".parquet", ".pq") or file.is_dir():
            return pd.read_parquet(file)
        if file.suffix.lower() == ".csv":
            return pd.read_csv(file, dtype={"employee_id": str, "skill": str})
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"claims file {file} cannot be read: {exc}") from None
    raise ConfigurationError(
        f"claims file {file}: unknown format {file.suffix!r}; give a .parquet or .csv file."
    )


def require_columns(columns: Iterable[object], where: str = "claims table") -> None:
    """Raise when ``employee_id`` or ``skill`` is missing."""
    missing = [name for name in ("employee_id", "skill") if name not in set(columns)]
    if missing:
        raise ConfigurationError(
            f"{where} has no column {missing[0]!r}; a claims table needs one row per claim with "
            f"columns employee_id and skill (optional: level, source, observed, confidence, "
            f"evidence). Found: {sorted(map(str, columns))}."
        )


@dataclass
class SkillResolver:
    """Skill keys (URIs, labels, company ids) resolved once to skill-index columns.

    Build it from the distinct keys of a claims table (:meth:`of`); it is small and is what
    workers receive instead of the taxonomy.
    """

    columns: dict[str, int]
    uris: list[str]
    unknown: dict[str, int] = field(default_factory=dict)  # key -> number of claims

    @classmethod
    def of(cls, counts: pd.Series, taxonomy: Taxonomy) -> SkillResolver:
        """Resolve every key of ``counts`` (skill key -> number of claims)."""
        from skilltwin.errors import UnknownConceptError

        index = SkillIndex.of(taxonomy)
        columns: dict[str, int] = {}
        unknown: dict[str, int] = {}
        for key, count in counts.items():
            if str(key) in index.position:  # an ESCO skill URI: resolve_skill gives itself
                columns[str(key)] = index.position[str(key)]
                continue
            try:
                columns[str(key)] = index.column(taxonomy.resolve_skill(str(key))[0].skill.uri)
            except (UnknownConceptError, ConfigurationError):
                unknown[str(key)] = int(count)
        return cls(columns, index.uris, dict(sorted(unknown.items(), key=lambda kv: -kv[1])))

    def report(self, on_unknown: OnUnknown, rows: dict[str, int] | None = None) -> None:
        """Raise (``on_unknown="raise"``) or warn about claims naming unknown skills."""
        if on_unknown not in ("raise", "skip"):
            raise ConfigurationError(f"on_unknown must be 'raise' or 'skip', not {on_unknown!r}.")
        if not self.unknown:
            return
        claims = sum(self.unknown.values())
        examples = ", ".join(
            repr(key) + (f" (row {rows[key]})" if rows and key in rows else "")
            + f" x{count}" for key, count in list(self.unknown.items())[:5])
        message = (f"{claims} claim(s) name {len(self.unknown)} skill(s) that are not in the "
                   f"taxonomy: {examples}")
        if on_unknown == "raise":
            raise ConfigurationError(
                message + ". Correct them (ESCO URI or label, or a company skill id), or skip "
                "them with on_unknown='skip' (command line: --unknown-skills skip)."
            )
        warnings.warn(message + "; these claims were left out.", UnknownSkillsWarning,
                      stacklevel=3)

    def codes(self, skills: pd.Series) -> np.ndarray:
        """The column of each row's skill (-1 for unknown keys)."""
        codes, uniques = _factorize(skills)
        lookup = np.array([self.columns.get(str(key), -1) for key in uniques], dtype=np.int64)
        return np.where(codes >= 0, lookup[np.maximum(codes, 0)], -1) if len(lookup) \
            else np.full(len(skills), -1, dtype=np.int64)


def collection_skill_counts(collection: Any) -> pd.Series:
    """Claims per skill key of a Dask claims frame (one pass; categories stay codes until
    the small result reaches the client)."""
    counts = collection["skill"].value_counts(dropna=True, split_out=1).compute()  # no shuffle
    return counts.groupby(counts.index.astype("str").to_numpy(dtype=object)).sum()


def skill_counts(frame: pd.DataFrame) -> tuple[pd.Series, dict[str, int]]:
    """Claims per skill key and the 1-based row where each key first occurs."""
    skills = frame["skill"]
    missing = skills.isna().to_numpy()
    if missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise _row_error(frame, position, "has no skill",
                         "give an ESCO URI or label, or a company skill id", position + 1)
    codes, uniques = _factorize(skills)
    present, first = np.unique(codes, return_index=True)
    counts = np.bincount(codes, minlength=len(uniques))[present]
    keys = [str(uniques[code]) for code in present.tolist()]
    return (pd.Series(counts, index=pd.Index(keys, dtype=object)),
            dict(zip(keys, (first + 1).tolist(), strict=True)))


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values as str (categoricals use their categories, no copy)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories.astype("str").to_numpy(dtype=object)
        return values.cat.codes.to_numpy().astype(np.int64), categories
    codes, uniques = pd.factorize(values.astype("str"))
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


@dataclass
class ClaimArrays:
    """One block of claims as arrays, ready for :func:`derive_levels`."""

    employee_ids: np.ndarray  # distinct ids, sorted (as str)
    employee: np.ndarray  # code into employee_ids, per claim
    column: np.ndarray
    source: np.ndarray
    day: np.ndarray
    level: np.ndarray
    confidence: np.ndarray


def claim_arrays(frame: pd.DataFrame, resolver: SkillResolver, scale: ProficiencyScale,
                 *, today: dt.date, rows: np.ndarray | None = None) -> ClaimArrays:
    """Check a claims frame and turn it into arrays; unknown skills are left out (they were
    reported by :meth:`SkillResolver.report`).

    ``rows``: the 1-based row number of each claim in the whole table, for error messages
    (without it, messages name the employee and skill only).
    """
    require_columns(frame.columns)

    def fail(mask: np.ndarray, problem: str, fix: str) -> SkilltwinError:
        position = int(np.flatnonzero(mask)[0])
        return _row_error(frame, position, problem, fix,
                          None if rows is None else int(rows[position]))

    ids = frame["employee_id"]
    if ids.isna().any():
        raise fail(ids.isna().to_numpy(), "has no employee_id", "every claim needs one")
    if frame["skill"].isna().any():
        raise fail(frame["skill"].isna().to_numpy(), "has no skill",
                   "give an ESCO URI or label, or a company skill id")
    codes, employee_ids = pd.factorize(ids.astype("str"), sort=True)
    level = _numbers(frame, "level", _DEFAULT_LEVEL, fail)
    outside = (level < 0) | (level > scale.maximum)
    if outside.any():
        raise fail(outside, f"has level {float(level[outside][0]):g} outside the scale "
                   f"{scale.name} (0-{scale.maximum})",
                   "give a level within the scale or declare another scale")
    confidence = _numbers(frame, "confidence", 1.0, fail)
    wrong = (confidence < 0) | (confidence > 1)
    if wrong.any():
        raise fail(wrong, f"has confidence {float(confidence[wrong][0]):g}",
                   "give a value from 0 to 1")
    source = _sources(frame, fail)
    day = _days(frame, today, fail)
    column = resolver.codes(frame["skill"])
    known = column >= 0
    return ClaimArrays(np.asarray(employee_ids, dtype=object), codes[known], column[known],
                       source[known], day[known], level[known], confidence[known])


def _numbers(frame: pd.DataFrame, name: str, default: float, fail: _Fail) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), default)
    raw = frame[name]
    if pd.api.types.is_bool_dtype(raw.dtype) or raw.dtype == object:
        yes_no = raw.map(lambda value: isinstance(value, (bool, np.bool_))).to_numpy(bool)
        if yes_no.any():
            raise fail(yes_no, f"has {name} {raw.iloc[int(np.flatnonzero(yes_no)[0])]!r}, a "
                       "yes/no value", f"give {name} as a number")
    values = pd.to_numeric(raw, errors="coerce")
    bad = (values.isna() & raw.notna()).to_numpy()
    if bad.any():
        raise fail(bad, f"has {name} {raw.iloc[int(np.flatnonzero(bad)[0])]!r}, not a number",
                   f"give {name} as a number")
    return values.fillna(default).to_numpy(dtype=float)


def _sources(frame: pd.DataFrame, fail: _Fail) -> np.ndarray:
    if "source" not in frame.columns:
        return np.zeros(len(frame), dtype=np.int64)
    names = frame["source"].astype("object").where(frame["source"].notna(), "self")
    codes = pd.Index(list(SOURCES)).get_indexer(names)
    bad = codes < 0
    if bad.any():
        raise fail(bad, f"has source {names.iloc[int(np.flatnonzero(bad)[0])]!r}",
                   f"use one of {', '.join(SOURCES)}")
    return codes.astype(np.int64)


def _days(frame: pd.DataFrame, today: dt.date, fail: _Fail) -> np.ndarray:
    today_day = int((np.datetime64(today, "D") - _EPOCH).astype(np.int64))
    if "observed" not in frame.columns:
        return np.full(len(frame), today_day, dtype=np.int64)
    raw = frame["observed"]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw
    else:
        text = raw.astype("str").str.slice(0, 10).where(raw.notna())
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = (parsed.isna() & raw.notna()).to_numpy()
        if bad.any():
            raise fail(bad, f"has observed {raw.iloc[int(np.flatnonzero(bad)[0])]!r}, not a "
                       "date", "give an ISO date (YYYY-MM-DD)")
    days = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    values = (days - _EPOCH).astype(np.int64)
    return np.where(parsed.isna().to_numpy(), today_day, values)


def _row_error(frame: pd.DataFrame, position: int, problem: str, fix: str,
               row: int | None = None) -> ConfigurationError:
    values = frame.iloc[position]
    who = f"employee {values['employee_id']!r}" if "employee_id" in frame.columns \
        and pd.notna(values["employee_id"]) else "a claim"
    what = f", skill {values['skill']!r}" if "skill" in frame.columns \
        and pd.notna(values["skill"]) else ""
    where = f"claims row {row} ({who}{what})" if row is not None else f"claim of {who}{what}"
    return ConfigurationError(f"{where} {problem}; {fix}.")


@dataclass
class ClaimLevels:
    """Levels derived from a claims table (see :func:`claim_levels`)."""

    levels: pd.DataFrame
    unknown_skills: dict[str, int]


def claim_levels(
    claims: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    scale: ProficiencyScale | None = None,
    policy: LevelPolicy | None = None,
    as_of: dt.date | None = None,
    on_unknown: OnUnknown = "raise",
) -> pd.DataFrame:
    """The current level of every skill every employee holds, from a long claims table.

    Equal to ``EmployeeTwin.levels(as_of)`` of the twins ``EmployeeTwin.from_frame(claims)``
    would build (same policy, same rounding), computed on arrays.

    Returns:
        A DataFrame with ``employee_id``, ``skill_uri``, ``level`` (positive levels only),
        sorted by employee id then skill column. ``attrs["unknown_skills"]`` counts the claims
        per unknown skill key left out with ``on_unknown="skip"``.

    Raises:
        ConfigurationError: a column is missing, or a row has no employee id, a level outside
            the scale, a bad source, confidence or date (the message names the row); or
            claims name unknown skills and ``on_unknown="raise"``.
    """
    require_columns(claims.columns)
    scale = scale or ProficiencyScale.default()
    policy = policy or LevelPolicy()
    today = as_of or dt.date.today()
    counts, rows = skill_counts(claims)
    resolver = SkillResolver.of(counts, taxonomy)
    resolver.report(on_unknown, rows)
    employee_ids, employee, column, level = frame_levels(
        claims, resolver, scale, policy, today, rows=np.arange(1, len(claims) + 1))
    frame = pd.DataFrame({
        "employee_id": employee_ids[employee] if len(employee) else np.array([], object),
        "skill_uri": np.asarray(resolver.uris, dtype=object)[column],
        "level": level,
    })
    frame.attrs["unknown_skills"] = dict(resolver.unknown)
    return frame


def frame_levels(frame: pd.DataFrame, resolver: SkillResolver, scale: ProficiencyScale,
                 policy: LevelPolicy, as_of: dt.date, *, rows: np.ndarray | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Checked claims to levels: ``(employee_ids, employee, column, level)`` where
    ``employee_ids`` are the frame's distinct ids (sorted) and the other three list every
    positive level (see :func:`derive_levels`)."""
    arrays = claim_arrays(frame, resolver, scale, today=as_of, rows=rows)
    employee, column, level = derive_levels(
        arrays.employee, arrays.column, arrays.source, arrays.day, arrays.level,
        arrays.confidence, policy=policy, as_of_day=day_number(as_of),
        skill_count=len(resolver.uris))
    return arrays.employee_ids, employee, column, level


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return int((np.datetime64(day, "D") - _EPOCH).astype(np.int64))
