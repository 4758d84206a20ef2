"""The store: twins with their full history, versioned profiles and scores in one database."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import sqlalchemy as sa

from skilltwin._identity import normalise_id
from skilltwin._validation import check_actor, check_date
from skilltwin.errors import ConfigurationError
from skilltwin.profiles.profile import JobProfile
from skilltwin.scoring.results import GapReport, MatchResult
from skilltwin.store import _claims, _profiles
from skilltwin.store._engine import create_engine, describe, read, write
from skilltwin.store._governance import StoreGovernance
from skilltwin.store._migrations import open_schema
from skilltwin.store._schema import SCHEMA_VERSION, tables
from skilltwin.store.claims_import import ImportReport, read_claims_file, run_import
from skilltwin.twin.claims import LevelPolicy, SkillClaim
from skilltwin.twin.scale import ProficiencyScale
from skilltwin.twin.twin import EmployeeTwin

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["Store"]

DateLike = dt.date | str


class Store(StoreGovernance):
    """Employees, their skill-claim history, job profiles with versions and recorded scores
    in one SQLite or PostgreSQL database (see ``docs/store.md``).

    Args:
        url: ``sqlite:///path/to/store.db`` (or just a path) for a file on this machine, or
            ``postgresql+psycopg://user:password@host:5432/dbname`` for a team's server.
        taxonomy: Resolves skills when importing claims and is given to the twins read back.
        scale: The proficiency scale of the claims (default 0-4).
        level_policy: How twins read back derive current levels.
        create: Create the store when the database holds none (default); with ``False`` a
            missing store is an error.
        read_only: Only read: nothing is ever written to the database, its schema or its
            journal mode (implies ``create=False``); writing methods fail. Reading commands
            (``skilltwin audit verify --store``, ``skilltwin notice``) open stores this way.
        timeout: Seconds to wait for a lock or a connection.

    Opening a store written by an earlier skilltwin upgrades its schema in place, except with
    ``read_only``, where such a store is refused with a message saying how to upgrade it.

    Raises:
        ConfigurationError: a URL that is no SQLite or PostgreSQL database, or a database
            that holds no store (with ``create=False``) or a newer one.
        StoreError: the database cannot be reached.
    """

    def __init__(
        self,
        url: str | os.PathLike[str] = "skilltwin.db",
        *,
        taxonomy: Taxonomy | None = None,
        scale: ProficiencyScale | None = None,
        level_policy: LevelPolicy | None = None,
        create: bool = True,
        read_only: bool = False,
        timeout: float = 30.0,
    ):
        self.engine = create_engine(url, timeout=timeout, must_exist=not create,
                                    read_only=read_only)
        self.url = describe(self.engine)
        self.taxonomy = taxonomy
        self.scale = scale or ProficiencyScale.default()
        self.level_policy = level_policy or LevelPolicy()
        self.timeout = timeout
        self.read_only = read_only
        self.upgraded_from = open_schema(self.engine, create=create and not read_only,
                                         read_only=read_only)
        """The schema version found on opening (less than :data:`SCHEMA_VERSION` when the
        store was upgraded)."""

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def close(self) -> None:
        """Close the store's database connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version of the store (always the current one once opened)."""
        return SCHEMA_VERSION

    # -- employees and claims ---------------------------------------------------------------
    def set_attributes(self, employee_id: str, attributes: Mapping[str, Any], *,
                       replace: bool = False) -> dict[str, Any]:
        """Merge ``attributes`` into an employee's attributes (all of them with ``replace``),
        adding the employee when new; returns the attributes now stored.

        Attributes (department, grade...) are kept apart from skills and never enter a score.
        """
        employee_id = _require_id(employee_id)
        with write(self.engine) as conn:
            employee_id = _claims.stored_spellings(conn, [employee_id])[employee_id]
            return _claims.set_attributes(conn, employee_id, attributes, _claims.now_text(),
                                          replace=replace)

    def attributes(self, employee_id: str) -> dict[str, Any]:
        """An employee's attributes."""
        employees = tables["employees"]
        employee_id = self._stored_id(employee_id)
        with read(self.engine) as conn:
            text = conn.execute(sa.select(employees.c.attributes)
                                .where(employees.c.employee_id == employee_id)).scalar()
        if text is None:
            raise ConfigurationError(self._unknown(employee_id))
        return dict(json.loads(text))

    def employees(self) -> pd.DataFrame:
        """One row per employee: ``employee_id`` and one column per attribute."""
        employees = tables["employees"]
        with read(self.engine) as conn:
            rows = conn.execute(sa.select(employees.c.employee_id, employees.c.attributes)
                                .order_by(employees.c.employee_id)).all()
        records = [{"employee_id": row[0], **json.loads(row[1])} for row in rows]
        return pd.DataFrame.from_records(records, columns=None if records else ["employee_id"])

    def add_claims(self, employee_id: str, claims: Iterable[SkillClaim]) -> int:
        """Append claims to an employee's history (claims already stored are skipped);
        returns how many were added."""
        employee_id = _require_id(employee_id)
        claims = list(claims)
        for claim in claims:
            self.scale.validate_level(claim.level)
        now = _claims.now_text()
        with write(self.engine) as conn:
            employee_id = _claims.stored_spellings(conn, [employee_id])[employee_id]
            _claims.ensure_employees(conn, [employee_id], now)
            return _claims.insert_claims(conn, _claims.claim_rows(employee_id, claims, now))

    def save_twin(self, twin: EmployeeTwin) -> int:
        """Store a twin's attributes and append its claims; returns how many claims were new."""
        now = _claims.now_text()
        employee_id = _require_id(twin.employee_id)
        with write(self.engine) as conn:
            employee_id = _claims.stored_spellings(conn, [employee_id])[employee_id]
            _claims.set_attributes(conn, employee_id, twin.attributes, now)
            rows = _claims.claim_rows(employee_id, twin.claims, now)
            return _claims.insert_claims(conn, rows)

    def claims_frame(self, *, as_of: DateLike | None = None,
                     known_at: dt.datetime | str | None = None,
                     employee_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """The long claims table, one row per claim in the order stored.

        Columns: ``employee_id``, ``skill`` (ESCO URI), ``skill_label``, ``level``,
        ``source``, ``observed``, ``confidence``, ``evidence``, ``company_skill``.

        Args:
            as_of: Only claims observed on or before this date.
            known_at: Only claims the store held at this moment (recorded then or before):
                "what did we know on 1 March".
            employee_ids: Only these employees.
        """
        ids = None if employee_ids is None else self._stored_ids(employee_ids)
        with read(self.engine) as conn:
            return _claims.select_claims(
                conn, employee_ids=ids,
                as_of=None if as_of is None else check_date(as_of, "as_of"),
                known_at=None if known_at is None else _as_moment(known_at),
            )

    def twins(self, *, as_of: DateLike | None = None, known_at: dt.datetime | str | None = None,
              employee_ids: Iterable[str] | None = None) -> list[EmployeeTwin]:
        """Every employee's twin (or those of ``employee_ids``), as :meth:`twin` gives them."""
        ids = None if employee_ids is None else self._stored_ids(employee_ids)
        frame = self.claims_frame(as_of=as_of, known_at=known_at, employee_ids=ids)
        people = self.employees()
        if ids is not None:
            people = people[people["employee_id"].isin(ids)]
        by_employee = dict(iter(frame.groupby("employee_id", sort=False)))
        twins = []
        for record in people.to_dict("records"):
            employee_id = record.pop("employee_id")
            attributes = {str(k): v for k, v in record.items() if not _missing(v)}
            rows = by_employee.get(employee_id, frame.iloc[:0])
            twins.append(self._twin(employee_id, attributes, _claims.frame_claims(rows)))
        return twins

    def twin(self, employee_id: str, *, as_of: DateLike | None = None,
             known_at: dt.datetime | str | None = None) -> EmployeeTwin:
        """An employee's twin from the stored history.

        Args:
            as_of: The twin as it was on this date (claims observed by then).
            known_at: The twin as the store knew it at this moment (claims recorded by then).
        """
        employee_id = self._stored_id(employee_id)
        attributes = self.attributes(employee_id)
        frame = self.claims_frame(as_of=as_of, known_at=known_at, employee_ids=[employee_id])
        return self._twin(employee_id, attributes, _claims.frame_claims(frame))

    def _twin(self, employee_id: str, attributes: dict[str, Any],
              claims: list[SkillClaim]) -> EmployeeTwin:
        return EmployeeTwin(employee_id, taxonomy=self.taxonomy, attributes=attributes,
                            scale=self.scale, level_policy=self.level_policy,
                            claims=claims)

    def import_claims(
        self,
        source: pd.DataFrame | str | os.PathLike[str],
        *,
        actor: str = "import",
        attribute_columns: Iterable[str] = (),
        sheet: str | int = 0,
    ) -> ImportReport:
        """Import claims from an HR system's export in one transaction; returns the report.

        ``source`` is a DataFrame or a ``.csv``, ``.xlsx`` or ``.parquet`` file with one row
        per claim: ``employee_id``, ``skill`` (ESCO URI or label, or a company skill id with
        a company taxonomy), ``level``, ``observed`` (ISO date), and optionally ``source``
        (default ``self``), ``confidence`` (default 1) and ``evidence``. Rows with a missing
        employee id or skill, an unknown skill, a level outside the scale, a missing, unreadable
        or future date, an unknown source or a confidence outside 0-1 are rejected and listed
        in the report with their reason; claims the store already holds are counted, not
        added again, so importing the same file twice adds nothing.

        Args:
            actor: Who imports (recorded with the import).
            attribute_columns: Columns holding employee attributes (taken from each employee's
                first valid row and merged into their attributes).
            sheet: The Excel sheet to read.

        Raises:
            ConfigurationError: the store has no taxonomy, the file cannot be read, or a
                required column is missing.
        """
        if self.taxonomy is None:
            raise ConfigurationError(
                "importing claims needs a taxonomy to check the skills: open the store with "
                "Store(url, taxonomy=...)."
            )
        if isinstance(source, pd.DataFrame):
            frame, name = source, "<DataFrame>"
        else:
            frame, name = read_claims_file(source, sheet=sheet), str(Path(source))
        with write(self.engine) as conn:
            return run_import(conn, frame, source_name=name, taxonomy=self.taxonomy,
                              scale=self.scale, actor=actor, attribute_columns=attribute_columns)

    def imports(self) -> pd.DataFrame:
        """One row per import: import_id, source, content_hash, actor, started and counts."""
        with read(self.engine) as conn:
            result = conn.execute(sa.select(tables["imports"]).order_by("import_id"))
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    # -- profiles and scores ----------------------------------------------------------------
    def save_profile(self, profile: JobProfile, *, actor: str) -> int:
        """Store a profile; a changed profile becomes a new version. Returns the version
        (the latest one, unchanged, when the profile equals it)."""
        check_actor(actor)
        with write(self.engine) as conn:
            return _profiles.save_profile(conn, profile, actor)

    def profile(self, profile_id: str, *, version: int | None = None) -> JobProfile:
        """A stored profile: the latest version, or the given one."""
        with read(self.engine) as conn:
            return _profiles.load_profile(conn, profile_id, version)

    def profile_versions(self, profile_id: str | None = None) -> pd.DataFrame:
        """Every stored version (of one profile, or of all): profile_id, version, title,
        saved, actor."""
        with read(self.engine) as conn:
            return _profiles.profile_versions(conn, profile_id)

    def record_score(self, result: MatchResult | GapReport, *, actor: str,
                     profile_version: int | None = None) -> int:
        """Record a match or gap result against a stored profile version (default: the
        latest); returns the score's id."""
        check_actor(actor)
        with write(self.engine) as conn:
            version = profile_version
            if version is None:
                versions = _profiles.profile_versions(conn, result.profile_id)["version"]
                version = int(versions.max()) if len(versions) else 0
            return _profiles.record_score(conn, result, version, actor)

    def scores(self, *, employee_id: str | None = None,
               profile_id: str | None = None) -> pd.DataFrame:
        """Recorded scores with the profile version each used (``employee_id`` compared by the
        identity rule: every spelling of the id counts)."""
        with read(self.engine) as conn:
            if employee_id is None:
                return _profiles.select_scores(conn, employee_id=None, profile_id=profile_id)
            spellings = _claims.spellings_of(conn, tables["scores"], _require_id(employee_id))
            parts = [_profiles.select_scores(conn, employee_id=spelling, profile_id=profile_id)
                     for spelling in spellings or [employee_id]]
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def _stored_ids(self, employee_ids: Iterable[str]) -> list[str]:
        """The ids as the store spells them (the identity rule: NFC, white space, case)."""
        ids = [_require_id(employee_id) for employee_id in employee_ids]
        with read(self.engine) as conn:
            mapping = _claims.stored_spellings(conn, ids)
        return [mapping[employee_id] for employee_id in ids]

    def _stored_id(self, employee_id: str) -> str:
        return self._stored_ids([employee_id])[0]

    def _unknown(self, employee_id: str) -> str:
        return (f"employee {employee_id!r} is not in the store {self.url}; add them with "
                "store.import_claims(...), store.save_twin(...) or store.set_attributes(...).")


def _require_id(employee_id: object) -> str:
    """``employee_id`` by the one identity rule (``skilltwin/_identity.py``)."""
    return normalise_id(employee_id)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _as_moment(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ConfigurationError(
            f"time {value!r} is not ISO-8601 (e.g. 2026-03-01T09:30:00+01:00).") from None
