"""Claims as a long table: reading, checking, resolving skills, and deriving levels.

One row per claim: ``employee_id``, ``skill`` (an ESCO URI or label, or a company skill id
or label), and optionally ``level`` (default :data:`~skilltwin.DEFAULT_LEVEL`, 2),
``source`` (default ``self``), ``observed`` (default today), ``confidence`` (default 1) and
``evidence`` (:data:`~skilltwin.CLAIM_COLUMNS`, as for :meth:`EmployeeTwin.from_frame`).
Levels follow the same :class:`~skilltwin.LevelPolicy` arithmetic as
:meth:`EmployeeTwin.levels`, computed on arrays, without a twin per employee.
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

from skilltwin._identity import ID_MAX_LENGTH, is_blank, key_of_normalised, read_id, shown
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.outofcore._levels import SOURCES, derive_levels
from skilltwin.taxonomy.matrices import SkillIndex
from skilltwin.twin.claims import CLAIM_COLUMNS, LevelPolicy
from skilltwin.twin.rows import Checked, check_claim_frame
from skilltwin.twin.scale import ProficiencyScale

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = [
    "OnUnknown",
    "SkillResolver",
    "UnknownSkillsWarning",
    "claim_levels",
    "claims_path",
    "read_claims",
]

OnUnknown = Literal["raise", "skip"]
_EPOCH = np.datetime64("1970-01-01", "D")


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
            # every cell as text, only empty cells missing: "N/A" is a value (rejected as a
            # level), never read as a blank that would take a default
            return pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
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
                "them with on_unknown='skip' (command line: --on-unknown skip)."
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
    """Claims per skill key of a Dask claims frame (one pass over the skill column; each
    partition sends only its distinct keys and their counts)."""
    return counted_skills(skill_count_task(collection).compute())


def skill_count_task(collection: Any) -> Any:
    """The lazy count behind :func:`collection_skill_counts` (start it on a cluster and do
    other work while it runs; finish with :func:`counted_skills`). Its tasks run skilltwin
    code, so the workers load skilltwin's modules while counting, not when scoring starts."""
    meta = pd.DataFrame({"skill": pd.Series([], dtype=object),
                         "claims": pd.Series([], dtype=np.int64)})
    return collection["skill"].reduction(partition_skill_counts, _summed_counts,
                                         meta=meta, split_every=8)


def partition_skill_counts(skills: pd.Series) -> pd.DataFrame:
    """Claims per skill key of one partition: ``skill`` (the key as str) and ``claims``;
    missing cells are not counted (their rows are refused when checked)."""
    if isinstance(skills.dtype, pd.CategoricalDtype):
        codes, uniques = skills.cat.codes.to_numpy(), pd.Index(skills.cat.categories)
    else:
        codes, found = pd.factorize(skills)
        uniques = pd.Index(found)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    held = np.flatnonzero(counts)
    return pd.DataFrame({"skill": uniques[held].astype("str").to_numpy(dtype=object),
                         "claims": counts[held].astype(np.int64)})


def _summed_counts(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.groupby("skill", sort=False)["claims"].sum().reset_index()


def counted_skills(counts: pd.DataFrame) -> pd.Series:
    """The computed :func:`skill_count_task` as :func:`collection_skill_counts` gives it."""
    return normalised_skill_counts(
        pd.Series(counts["claims"].to_numpy(), index=pd.Index(counts["skill"], dtype=object)))


def skill_keys(frame: pd.DataFrame) -> tuple[pd.Categorical, pd.Series]:
    """The skill key of every row read by the identity rule (NFC, white space), as a
    categorical of the distinct keys, and the claims per key (in order of first occurrence);
    a row whose skill key breaks the rule is refused."""
    from skilltwin.twin.rows import check_skill_key

    codes, values, _, bad = _read_column(frame["skill"], check_skill_key)
    if bad is not None:
        raise _row_error(frame, bad[0], bad[1], bad[0] + 1)
    key_codes, keys = pd.factorize(values)  # distinct cells read alike are one key
    row_keys = key_codes[codes]
    names = pd.Index(np.asarray(keys, dtype=object), dtype=object)
    counts = pd.Series(np.bincount(row_keys, minlength=len(names)), index=names)
    return pd.Categorical.from_codes(row_keys, categories=names), counts


def first_rows(skills: pd.Categorical, keys: Iterable[str]) -> dict[str, int]:
    """The 1-based row where each of ``keys`` first occurs in ``skills``."""
    wanted = skills.categories.get_indexer(pd.Index(list(keys), dtype=object))
    codes = np.asarray(skills.codes)
    rows = np.flatnonzero(np.isin(codes, wanted[wanted >= 0]))
    found, first = np.unique(codes[rows], return_index=True)
    return {str(skills.categories[code]): int(row) + 1
            for code, row in zip(found.tolist(), rows[first].tolist(), strict=True)}


def normalised_skill_counts(counts: pd.Series) -> pd.Series:
    """Claims per skill key with keys of one identity merged (keys breaking the identity rule
    are kept as they are: the rows holding them are refused when checked)."""
    keys = [read_id(key, what="skill", numbers_allowed=False)[0] or key
            for key in counts.index.tolist()]
    return counts.groupby(pd.Index(keys, dtype=object), sort=False).sum()


def canonical_employees(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every employee id read by the identity rule and spelt as the first row
    of its identity key spells it (``"Emp-7 "`` and ``"emp-7"`` become one employee); a row
    whose id breaks the rule is refused with its reason."""
    from skilltwin.twin.rows import check_employee_id

    codes, values, as_given, bad = _read_column(frame["employee_id"], check_employee_id)
    if bad is not None:
        raise _row_error(frame, bad[0], bad[1], bad[0] + 1)
    key_codes, keys = pd.factorize(_identity_keys(values))
    first = np.full(len(keys), len(values), dtype=np.int64)
    np.minimum.at(first, key_codes, np.arange(len(values)))  # distinct ids: in row order
    spelt = values[first[key_codes]] if len(values) else values
    out = frame.copy(deep=False)
    if not (as_given and np.array_equal(first[key_codes], np.arange(len(values)))):
        out["employee_id"] = spelt[codes] if len(codes) else values
    return out


def resolved_claims(claims: pd.DataFrame | str | Path, taxonomy: Taxonomy,
                    on_unknown: OnUnknown) -> tuple[pd.DataFrame, SkillResolver]:
    """A claims table in one process, ready to score: read (a DataFrame, or the path of a
    .parquet/.csv file), ``employee_id`` taken from the index when it is there, its columns
    checked, every employee id spelt one way (:func:`canonical_employees`), and its skill keys
    read (:func:`skill_keys`, the ``skill`` column then holds them) and resolved, unknown
    ones reported by ``on_unknown``."""
    frame = claims if isinstance(claims, pd.DataFrame) else read_claims(claims)
    if "employee_id" not in frame.columns and frame.index.name == "employee_id":
        frame = frame.reset_index()
    require_columns(frame.columns)
    frame = canonical_employees(frame)
    skills, counts = skill_keys(frame)
    resolver = SkillResolver.of(counts, taxonomy)
    resolver.report(on_unknown, first_rows(skills, resolver.unknown))
    frame["skill"] = skills  # frame is canonical_employees' own (shallow) copy
    return frame, resolver


_PLAIN_ID = r"[!-~]+(?: [!-~]+)*"  # printable ASCII words with one space between them


def _plain(values: np.ndarray) -> np.ndarray:
    """Which of ``values`` (text) the identity rule leaves as they are: printable ASCII words
    separated by single spaces, nothing around them, at most ``ID_MAX_LENGTH`` characters.
    :func:`~skilltwin._identity.read_id` returns such text unchanged and its identity key is
    its lower case; checked here on the whole array at once instead of one value at a
    time."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    text = pd.Series(values, dtype="string")
    plain = text.str.fullmatch(_PLAIN_ID) & (text.str.len() <= ID_MAX_LENGTH)
    return plain.to_numpy(dtype=bool, na_value=False)


def _read_column(column: pd.Series, check: Callable[[object], Checked]
                 ) -> tuple[np.ndarray, np.ndarray, bool, tuple[int, str] | None]:
    """A column of ids read by ``check`` (the identity rule), once per distinct cell.

    Returns the code of every row's distinct cell, each distinct cell's read value (in order
    of first occurrence), whether every value is its cell as given, and the first failing
    row with its reason (``None`` when all pass; the codes and values are then unusable).
    Text columns (str, or categorical of text) are factorised on their own codes and their
    plain cells (:func:`_plain`) are not passed to ``check``; other columns go through
    :func:`~skilltwin.twin.rows.check_column`, which keeps a yes/no value apart from 1.
    """
    from skilltwin.twin.rows import check_column

    dtype = column.dtype
    text = isinstance(dtype, pd.StringDtype) or (
        isinstance(dtype, pd.CategoricalDtype)
        and pd.api.types.infer_dtype(dtype.categories, skipna=False) == "string")
    if not text:
        values, reasons = check_column(column, check)
        failed = np.flatnonzero(reasons != "")
        if len(failed):
            return np.zeros(0, np.int64), values, False, (int(failed[0]), str(reasons[failed[0]]))
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), np.asarray(uniques, dtype=object), False, None
    codes, uniques = pd.factorize(column)  # missing cells: -1
    cells = np.asarray(uniques, dtype=object)
    values = cells.copy()
    plain = _plain(cells)
    reasons = np.full(len(cells), "", dtype=object)
    for position in np.flatnonzero(~plain).tolist():
        values[position], reasons[position] = check(cells[position])
    failed = np.flatnonzero(reasons != "")
    missing = codes < 0
    if len(failed) or missing.any():
        row = int(np.flatnonzero(missing | np.isin(codes, failed))[0])
        reason = check(None)[1] if codes[row] < 0 else str(reasons[codes[row]])
        return codes.astype(np.int64), values, False, (row, reason)
    return codes.astype(np.int64), values, bool(plain.all()), None


def _identity_keys(ids: np.ndarray) -> np.ndarray:
    """:func:`key_of_normalised` of distinct normalised ids (plain ones: their lower case,
    all at once)."""
    keys = np.empty(len(ids), dtype=object)
    plain = _plain(ids)
    if plain.any():
        keys[plain] = pd.Series(ids[plain], dtype="string").str.lower().to_numpy(dtype=object)
    keys[~plain] = [key_of_normalised(value) for value in ids[~plain].tolist()]
    return keys


def _employee_codes(ids: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Each row's employee as a code into the distinct identity keys (sorted), and each
    employee's id as its first row spells it."""
    row_codes, uniques = pd.factorize(ids)
    spellings = np.asarray(uniques, dtype=object)
    key_codes, keys = pd.factorize(_identity_keys(spellings), sort=True)
    first = np.full(len(keys), len(spellings), dtype=np.int64)
    np.minimum.at(first, key_codes, np.arange(len(spellings)))  # distinct ids: in row order
    return key_codes[row_codes].astype(np.int64), spellings[first]


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
                 *, today: dt.date, rows: np.ndarray | None = None,
                 canonical: bool = False) -> ClaimArrays:
    """Check a claims frame and turn it into arrays; unknown skills are left out (they were
    reported by :meth:`SkillResolver.report`).

    Every row passes the claim check all input paths share
    (:func:`skilltwin.twin.rows.check_claim_frame`, the same values and reasons as
    ``EmployeeTwin.add_skill`` and ``Store.import_claims``); the first rejected row raises.
    Employees are told apart by the identity rule (case, NFC, white space).

    Args:
        today: Unused (dates are checked against the real today); kept for callers.
        rows: The 1-based row number of each claim in the whole table, for error messages
            (without it, messages name the employee and skill only).
        canonical: The table comes from :func:`resolved_claims`: its employee ids were
            checked and spelt one way per identity, its skill keys read; neither is
            checked again.
    """
    del today  # a claim after as_of is left out by derive_levels; after today it is refused
    require_columns(frame.columns)
    fields = [c for c in CLAIM_COLUMNS if c in frame.columns
              and not (canonical and c in ("employee_id", "skill"))]
    combination = _combinations(frame, fields) if canonical else None
    checked, reasons = check_claim_frame(  # canonical: once per distinct combination of cells
        (frame if combination is None else frame.iloc[combination[1]]).loc[:, fields],
        scale=scale, today=dt.date.today())
    rejected = (reasons != "").to_numpy()
    if rejected.any():
        failed = np.flatnonzero(rejected)
        position = int(failed[0]) if combination is None \
            else int(np.flatnonzero(np.isin(combination[0], failed))[0])
        reason = reasons.iloc[position if combination is None else combination[0][position]]
        raise _row_error(frame, position, str(reason),
                         None if rows is None else int(rows[position]))
    codes, employee_ids = _employee_codes((frame if canonical else checked)["employee_id"])
    level = checked["level"].to_numpy(dtype=float)
    confidence = checked["confidence"].to_numpy(dtype=float)
    source = pd.Index(list(SOURCES)).get_indexer(pd.Index(checked["source"])).astype(np.int64)
    day_codes, days = pd.factorize(checked["observed"].to_numpy(dtype=object))
    day = ((np.asarray(days, dtype=str).astype("datetime64[D]") - _EPOCH)
           .astype(np.int64)[day_codes]) if len(days) else np.zeros(len(level), dtype=np.int64)
    if combination is not None:
        spread = combination[0]
        level, confidence, source, day = (level[spread], confidence[spread], source[spread],
                                          day[spread])
    column = resolver.codes((frame if canonical else checked)["skill"])
    known = column >= 0
    return ClaimArrays(np.asarray(employee_ids, dtype=object), codes[known].astype(np.int64),
                       column[known], source[known], day[known], level[known],
                       confidence[known])


def _combinations(frame: pd.DataFrame, fields: list[str]
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """Each row's code among the distinct combinations of its ``fields`` cells, and the first
    row of each combination; ``None`` for an object column (whose cells may be of several
    types: 1, True and "1" are checked apart) or an empty frame."""
    if not len(frame) or any(frame[name].dtype == object for name in fields):
        return None
    codes = np.zeros(len(frame), dtype=np.int64)
    for name in fields:
        cells, distinct = pd.factorize(frame[name], use_na_sentinel=False)
        codes = pd.factorize(codes * len(distinct) + cells)[0].astype(np.int64)
    highest = np.maximum.accumulate(codes)  # codes are numbered in order of first occurrence
    return codes, np.flatnonzero(np.r_[True, highest[1:] != highest[:-1]])


def _row_error(frame: pd.DataFrame, position: int, reason: str,
               row: int | None = None) -> InputValidationError:
    """A rejected row: where it is, and the reason every input path gives for it."""
    values = frame.iloc[position]
    who = f"employee {shown(values['employee_id'])!r}" if "employee_id" in frame.columns \
        and not is_blank(values["employee_id"]) else "a claim"
    what = f", skill {shown(values['skill'])!r}" if "skill" in frame.columns \
        and not is_blank(values["skill"]) else ""
    where = f"claims row {row} ({who}{what})" if row is not None else f"claim of {who}{what}"
    error = InputValidationError(f"{where} rejected: {reason}. Correct the row, or leave it "
                                 "out of the table.")
    error.reason = reason  # type: ignore[attr-defined]
    return error


def claim_levels(
    claims: pd.DataFrame,
    taxonomy: Taxonomy,
    *,
    scale: ProficiencyScale | None = None,
    level_policy: LevelPolicy | None = None,
    as_of: dt.date | None = None,
    on_unknown: OnUnknown = "raise",
) -> pd.DataFrame:
    """The current level of every skill every employee holds, from a long claims table.

    Equal to ``EmployeeTwin.levels(as_of)`` of the twins ``EmployeeTwin.from_frame(claims)``
    would build (same level policy, same rounding), computed on arrays.

    Returns:
        A DataFrame with ``employee_id``, ``skill_uri``, ``level`` (positive levels only),
        sorted by employee id then skill column. ``attrs["unknown_skills"]`` counts the claims
        per unknown skill key left out with ``on_unknown="skip"``.

    Raises:
        ConfigurationError: a column is missing, or a row has no employee id, a level outside
            the scale, a bad source, confidence or date (the message names the row); or
            claims name unknown skills and ``on_unknown="raise"``.
    """
    scale = scale or ProficiencyScale.default()
    level_policy = level_policy or LevelPolicy()
    today = as_of or dt.date.today()
    claims, resolver = resolved_claims(claims, taxonomy, on_unknown)
    employee_ids, employee, column, level = frame_levels(
        claims, resolver, scale, level_policy, today, rows=np.arange(1, len(claims) + 1),
        canonical=True)
    frame = pd.DataFrame({
        "employee_id": employee_ids[employee] if len(employee) else np.array([], object),
        "skill_uri": np.asarray(resolver.uris, dtype=object)[column],
        "level": level,
    })
    frame.attrs["unknown_skills"] = dict(resolver.unknown)
    return frame


def frame_levels(frame: pd.DataFrame, resolver: SkillResolver, scale: ProficiencyScale,
                 level_policy: LevelPolicy, as_of: dt.date, *, rows: np.ndarray | None = None,
                 canonical: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Checked claims to levels: ``(employee_ids, employee, column, level)`` where
    ``employee_ids`` are the frame's distinct ids (sorted) and the other three list every
    positive level (see :func:`derive_levels`); ``canonical`` as for :func:`claim_arrays`."""
    arrays = claim_arrays(frame, resolver, scale, today=as_of, rows=rows, canonical=canonical)
    employee, column, level = derive_levels(
        arrays.employee, arrays.column, arrays.source, arrays.day, arrays.level,
        arrays.confidence, level_policy=level_policy, as_of_day=day_number(as_of),
        skill_count=len(resolver.uris))
    return arrays.employee_ids, employee, column, level


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01."""
    return int((np.datetime64(day, "D") - _EPOCH).astype(np.int64))
