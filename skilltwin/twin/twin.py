"""The employee twin: pseudonymous id, attributes, and a history of skill claims."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from skilltwin._identity import normalise_id
from skilltwin._jsonio import loads as load_json
from skilltwin._validation import (
    check_date,
    check_instance,
    check_list,
    check_mapping,
    check_number,
    check_text,
    located,
    validate_model,
)
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.taxonomy.models import Skill
from skilltwin.twin.claims import (
    ClaimSource,
    ClaimSuggestion,
    LevelPolicy,
    SkillClaim,
    derive_level,
)
from skilltwin.twin.rows import CheckedClaim, check_claim_row
from skilltwin.twin.scale import DEFAULT_LEVEL, ProficiencyScale

if TYPE_CHECKING:
    from pathlib import Path

    import networkx as nx
    import pandas as pd

    from skilltwin.documents import Document
    from skilltwin.mapping.protocol import Mapper
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.europass import EuropassCV
    from skilltwin.twin.europass_import import EuropassImport

__all__ = ["EmployeeTwin"]


class EmployeeTwin:
    """A digital twin of one employee: ESCO skills with levels, evidence and history.

    Args:
        employee_id: A pseudonymous id (never a name), read by the one identity rule
            (``skilltwin/_identity.py``): Unicode NFC, surrounding white space removed, no
            control characters, at most 200 characters; compared ignoring case elsewhere.
        taxonomy: Resolves skill labels, URIs and company skills in :meth:`add_skill`;
            needed for :attr:`graph`.
        attributes: Anything else HR keeps (department, grade...). Attributes are never
            used in scores.
        scale: The proficiency scale of the claims (default 0-4).
        level_policy: How current levels follow from claims (trust, recency, decay).
        claims: Claims to start from (e.g. when reading a twin back from JSON).
    """

    def __init__(
        self,
        employee_id: str,
        *,
        taxonomy: Taxonomy | None = None,
        attributes: Mapping[str, Any] | None = None,
        scale: ProficiencyScale | None = None,
        level_policy: LevelPolicy | None = None,
        claims: Iterable[SkillClaim] = (),
    ):
        self.employee_id = normalise_id(employee_id)
        self.taxonomy = taxonomy
        self.attributes: dict[str, Any] = dict(
            check_mapping(attributes or {}, "attributes",
                          hint="Give attributes as a mapping such as {'team': 'ICT'}.")
        )
        self.scale = check_instance(scale or ProficiencyScale.default(), ProficiencyScale, "scale")
        self.level_policy = check_instance(level_policy or LevelPolicy(), LevelPolicy,
                                           "level_policy")
        self._claims: list[SkillClaim] = []
        self._suggestions: list[ClaimSuggestion] = []
        today = dt.date.today()
        for position, claim in enumerate(claims):
            with located(field=f"claims[{position}]"):
                check_instance(claim, SkillClaim, "claim", hint="Add claims with add_skill().")
                checked = check_claim_row(
                    {"level": claim.level, "observed": claim.observed,
                     "confidence": claim.confidence}, scale=self.scale, today=today)
                if not isinstance(checked, CheckedClaim):
                    raise InputValidationError(checked.reason, field=checked.field)
            self._claims.append(claim)

    def __repr__(self) -> str:
        return (
            f"EmployeeTwin({self.employee_id!r}, skills={len(self.levels())}, "
            f"claims={len(self._claims)})"
        )

    def _repr_html_(self) -> str:
        return _twin_card(self)

    @property
    def claims(self) -> list[SkillClaim]:
        """All claims in the order they were added (a copy: add claims with add_skill)."""
        return list(self._claims)

    def add_skill(
        self,
        skill: str | Skill,
        *,
        level: float = DEFAULT_LEVEL,
        source: ClaimSource = "self",
        evidence: str = "",
        observed: dt.date | str | None = None,
        confidence: float = 1.0,
    ) -> SkillClaim:
        """Append a claim and return it; earlier claims on the same skill are kept.

        Args:
            skill: An ESCO :class:`~skilltwin.Skill`, or an ESCO URI or label, or a company
                skill id or label (resolved through the taxonomy's crosswalk to its closest
                ESCO skill). Strings need the twin's ``taxonomy``.
            level: Level on the twin's scale (default :data:`~skilltwin.DEFAULT_LEVEL`, 2,
                "Working" on the default scale).
            source: self, manager, certificate, assessment or inferred.
            evidence: Text backing the claim.
            observed: Date of the claim (date, datetime or ISO string; default today), from
                1900-01-01 to today; a time with a zone counts on its UTC date.
            confidence: 0-1.

        Raises:
            InputValidationError: a level off the scale (or a bool, NaN, ``"N/A"``), a
                confidence outside 0-1, an unknown source, a date before 1900, in the future or
                malformed, a skill key or evidence with control characters; nothing is added.
                The reasons are those of ``Store.import_claims`` and the claims tables.
            UnknownConceptError: ``skill`` names no skill of the taxonomy.
        """
        row: dict[str, Any] = {"level": level, "source": source, "evidence": evidence,
                               "confidence": confidence}
        if observed is not None:
            row["observed"] = observed
        if not isinstance(skill, Skill):
            row["skill"] = skill
        return self.add_row(row, skill=skill if isinstance(skill, Skill) else None)

    def add_row(self, row: Mapping[str, Any], *, skill: Skill | None = None) -> SkillClaim:
        """Append the claim of one row (keys ``skill``, ``level``, ``source``, ``evidence``,
        ``observed``, ``confidence``) checked by the one claim check of every input path
        (``skilltwin/twin/rows.py``): a blank level or date is refused, a missing key takes
        the :meth:`add_skill` default. ``skill`` (a :class:`~skilltwin.Skill`) replaces the
        row's skill key.

        Raises:
            InputValidationError: the row's reason, naming the field; nothing is added.
            UnknownConceptError: the skill names no skill of the taxonomy.
        """
        checked = check_claim_row(row, scale=self.scale, today=dt.date.today())
        if not isinstance(checked, CheckedClaim):
            raise InputValidationError(checked.reason, field=checked.field)
        if skill is None and checked.skill is None:
            raise InputValidationError("missing skill", field="skill")
        resolved, company_skill = self._resolve(skill if skill is not None
                                                else str(checked.skill))
        claim = SkillClaim(
            skill_uri=resolved.uri,
            skill_label=resolved.label,
            level=checked.level,
            source=checked.source,  # type: ignore[arg-type]
            evidence=checked.evidence,
            observed=checked.observed,
            confidence=checked.confidence,
            company_skill=company_skill,
        )
        self._claims.append(claim)
        return claim

    @property
    def suggestions(self) -> list[ClaimSuggestion]:
        """Skills extraction proposed but was not sure enough to claim (a copy), each with its
        decision; see :meth:`from_cv`, :meth:`accept` and :meth:`reject`."""
        return list(self._suggestions)

    def suggest_skill(
        self,
        skill: str | Skill,
        *,
        level: float = DEFAULT_LEVEL,
        evidence: str = "",
        start: int = 0,
        end: int = 0,
        observed: dt.date | str | None = None,
        confidence: float,
    ) -> ClaimSuggestion:
        """Add a pending suggestion (not a claim: it counts for nothing until accepted).

        A second suggestion of the same skill keeps the more confident one.
        """
        checked_level = self.scale.validate_level(level)
        check_text(evidence, "evidence")
        day = check_date(dt.date.today() if observed is None else observed, "observed",
                         not_after=dt.date.today())
        checked = check_number(confidence, "confidence", minimum=0, maximum=1,
                               hint="Give how sure the extraction is, from 0 to 1.")
        resolved, _ = self._resolve(skill)
        suggestion = ClaimSuggestion(
            skill_uri=resolved.uri, skill_label=resolved.label, level=checked_level,
            evidence=evidence, start=start, end=end, confidence=checked, observed=day)
        for position, existing in enumerate(self._suggestions):
            if existing.skill_uri == resolved.uri and existing.decision == "pending":
                if existing.confidence < checked:
                    self._suggestions[position] = suggestion
                return self._suggestions[position]
        self._suggestions.append(suggestion)
        return suggestion

    def accept(self, skill: str, *, source: ClaimSource = "self",
               level: float | None = None) -> SkillClaim:
        """Accept a pending suggestion (by skill URI or label): a person confirms it, and it
        becomes a claim from ``source`` (default ``self``) at its level (or ``level``),
        confidence 1, with the span it was found in as evidence."""
        position, suggestion = self._pending(skill)
        claim = self.add_skill(
            suggestion.skill_uri, level=suggestion.level if level is None else level,
            source=source, observed=suggestion.observed, confidence=1.0,
            evidence=f"{suggestion.evidence} (extracted with confidence "
                     f"{suggestion.confidence:.2f}; accepted)")
        self._suggestions[position] = suggestion.model_copy(update={"decision": "accepted"})
        return claim

    def reject(self, skill: str) -> None:
        """Reject a pending suggestion (by skill URI or label): it never becomes a claim."""
        position, suggestion = self._pending(skill)
        self._suggestions[position] = suggestion.model_copy(update={"decision": "rejected"})

    def _pending(self, skill: str) -> tuple[int, ClaimSuggestion]:
        key = check_text(skill, "skill", empty=False,
                         hint="Give the skill URI or label of a suggestion.").strip().casefold()
        for position, suggestion in enumerate(self._suggestions):
            if (suggestion.decision == "pending"
                    and key in (suggestion.skill_uri.casefold(),
                                suggestion.skill_label.casefold())):
                return position, suggestion
        raise ConfigurationError(
            f"{skill!r} is not among this twin's pending suggestions; see twin.suggestions."
        )

    def _resolve(self, skill: str | Skill) -> tuple[Skill, str | None]:
        if isinstance(skill, Skill):
            return skill, None
        skill = normalise_id(skill, "skill", what="skill", numbers_allowed=False)
        if self.taxonomy is None:
            raise ConfigurationError(
                f"cannot resolve skill {skill!r}: this twin has no taxonomy. Create it with "
                "EmployeeTwin(id, taxonomy=...) or pass a skilltwin.Skill."
            )
        best = self.taxonomy.resolve_skill(skill)[0]
        return best.skill, best.company_skill

    def levels(self, as_of: dt.date | str | None = None) -> dict[str, float]:
        """Current level per skill URI, derived from the claims (see :class:`LevelPolicy`).

        Skills whose derived level is 0 are left out.
        """
        day = _as_date(as_of)
        by_skill: dict[str, list[SkillClaim]] = defaultdict(list)
        for claim in self._claims:
            by_skill[claim.skill_uri].append(claim)
        derived = {uri: derive_level(claims, self.level_policy, day)
                   for uri, claims in by_skill.items()}
        return {uri: level for uri, level in derived.items() if level > 0}

    def labels(self) -> dict[str, str]:
        """ESCO preferred label per skill URI the twin has claims on."""
        return {claim.skill_uri: claim.skill_label for claim in self._claims}

    def as_of(self, date: dt.date | str) -> EmployeeTwin:
        """The twin as it was on ``date``: only the claims observed by then."""
        day = _as_date(date)
        return EmployeeTwin(
            self.employee_id,
            taxonomy=self.taxonomy,
            attributes=self.attributes,
            scale=self.scale,
            level_policy=self.level_policy,
            claims=[claim for claim in self._claims if claim.observed <= day],
        )

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The employee's skills linked into the ESCO graph.

        Holds the employee node (``kind="employee"``), a ``holds`` edge to each skill with its
        current ``level``, the skills' direct ESCO neighbours (broader and narrower skills,
        related skills) and the ESCO edges among all these skills.
        """
        if self.taxonomy is None:
            raise ConfigurationError("twin.graph needs a taxonomy: EmployeeTwin(id, taxonomy=...).")
        esco = self.taxonomy.graph
        levels = self.levels()
        nodes = set(levels)
        for uri in levels:
            nodes.update(v for v in esco.successors(uri) if esco.nodes[v]["kind"] == "skill")
            nodes.update(v for v in esco.predecessors(uri) if esco.nodes[v]["kind"] == "skill")
        graph = esco.subgraph(nodes).copy()
        graph.add_node(self.employee_id, kind="employee", label=self.employee_id)
        for uri, level in levels.items():
            graph.add_edge(self.employee_id, uri, "holds", relation="holds", kind="holds",
                           level=level)
        return graph

    # -- builders -------------------------------------------------------------------------
    @classmethod
    def from_records(
        cls,
        employee_id: str,
        records: Iterable[Mapping[str, Any]],
        taxonomy: Taxonomy,
        *,
        attributes: Mapping[str, Any] | None = None,
        scale: ProficiencyScale | None = None,
        level_policy: LevelPolicy | None = None,
    ) -> EmployeeTwin:
        """A twin from claim dicts with keys ``skill`` and optionally ``level``, ``source``,
        ``evidence``, ``observed``, ``confidence`` (the arguments of :meth:`add_skill`)."""
        from skilltwin.twin.builders import add_records

        twin = cls(employee_id, taxonomy=taxonomy, attributes=attributes, scale=scale,
                   level_policy=level_policy)
        add_records(twin, records)
        return twin

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        taxonomy: Taxonomy,
        *,
        attribute_columns: Iterable[str] = (),
        scale: ProficiencyScale | None = None,
        level_policy: LevelPolicy | None = None,
    ) -> list[EmployeeTwin]:
        """Twins from a DataFrame with one row per claim (see :func:`twins_from_frame`)."""
        from skilltwin.twin.builders import twins_from_frame

        return twins_from_frame(frame, taxonomy=taxonomy, attribute_columns=attribute_columns,
                                scale=scale, level_policy=level_policy)

    @classmethod
    def from_cv(
        cls,
        mapper: Mapper,
        text: str | os.PathLike[str] | Document,
        *,
        employee_id: str,
        taxonomy: Taxonomy | None = None,
        level: float = DEFAULT_LEVEL,
        confidence: float = 0.3,
        observed: dt.date | str | None = None,
        top_k: int = 30,
        claim_from: float | None = None,
    ) -> EmployeeTwin:
        """A twin from a CV via ``mapper.extract_skills``.

        ``text`` is the CV: its text, or a file (PDF, Word .docx, HTML, plain text; see
        :func:`~skilltwin.documents.read_document`), or a
        :class:`~skilltwin.documents.Document` already read. A ``pathlib.Path`` is always a
        file; a ``str`` is a file name only when it is one line ending in a document extension
        (``"cv.pdf"``), and that file must exist; any other ``str`` is the CV's text.

        Each mention whose calibrated confidence reaches ``claim_from`` (default
        :data:`~skilltwin.twin.builders.CLAIM_FROM`, 0.5) becomes an ``inferred`` claim with
        that confidence; its evidence is the sentence or phrase that names the skill and
        where it is: ``SQL and Python (page 2, paragraph 3, characters 120-134)``. The other
        mentions become pending suggestions (:attr:`suggestions`, with confidence and span)
        that the employee or a manager accepts (:meth:`accept`) or rejects (:meth:`reject`):
        none is claimed silently. A mapper whose mentions carry no confidence (your own,
        without the learned step) keeps the earlier rule: every mention an ``inferred`` claim
        with ``confidence`` times its match score.

        Raises:
            DocumentError: the file cannot be read (missing, unsupported type, encrypted, a
                scan without text, over the page limit, empty...), or the text given is
                empty or only white space.
        """
        from skilltwin.documents import as_document
        from skilltwin.twin.builders import CLAIM_FROM, add_extracted

        document = as_document(text)
        twin = cls(employee_id, taxonomy=taxonomy or mapper.taxonomy)
        add_extracted(twin, mapper, document, level=level, confidence=confidence,
                      observed=observed, top_k=top_k,
                      claim_from=CLAIM_FROM if claim_from is None else claim_from)
        return twin

    @classmethod
    def from_europass(
        cls,
        source: str | Path | EuropassCV,
        taxonomy: Taxonomy,
        *,
        employee_id: str,
        mapper: Mapper | None = None,
        level: float = DEFAULT_LEVEL,
        confidence: float = 0.3,
        observed: dt.date | str | None = None,
        top_k: int = 10,
        attributes: Mapping[str, Any] | None = None,
        scale: ProficiencyScale | None = None,
        level_policy: LevelPolicy | None = None,
    ) -> EuropassImport:
        """A twin from a Europass CV (v3 XML or JSON), with a report on every item.

        Skills carrying an ESCO URI the taxonomy knows become ``self`` claims at ``level``
        (evidence ``"Europass, self-declared: ..."``); languages become claims on their ESCO
        language skills at levels from their CEFR levels (A1, A2: 1; B1: 2; B2, C1: 3; C2 and
        a mother tongue: 4 on the 0-4 scale); the other skills, work experience and education
        go through ``mapper.extract_skills`` as ``inferred`` claims with ``confidence`` times
        the match score (at most ``top_k`` per item). Claims are dated ``observed``, by
        default the CV's last update. The CV's personal data (name, address, birth date,
        photo, contact details) is never read: the twin is known by ``employee_id`` alone.

        Returns:
            An :class:`~skilltwin.twin.europass_import.EuropassImport`: ``.twin`` and
            ``.items``, one per CV item with its status (``claimed``, ``extracted``,
            ``unknown_uri`` for an ESCO URI the taxonomy does not know, ``not_mapped``) and
            the reason.

        Raises:
            EuropassError: the file is not a Europass v3 CV, is malformed, declares XML
                entities or a document type, or lists nothing to import.

        Warns:
            EuropassWarning: the import made no claim at all (every item carries an unknown
                ESCO URI or could not be mapped); the report says why, item by item.
        """
        from skilltwin.twin.europass_import import import_europass

        return import_europass(source, taxonomy, employee_id=employee_id, mapper=mapper,
                               level=level, confidence=confidence, observed=observed,
                               top_k=top_k, attributes=attributes, scale=scale,
                               level_policy=level_policy)

    # -- serialisation --------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: id, attributes, scale, level_policy, every claim and (when there are
        any) the suggestions with their decisions."""
        return {
            "employee_id": self.employee_id,
            "attributes": self.attributes,
            "scale": self.scale.model_dump(mode="json"),
            "level_policy": self.level_policy.model_dump(mode="json"),
            "claims": [claim.model_dump(mode="json") for claim in self._claims],
            **({"suggestions": [s.model_dump(mode="json") for s in self._suggestions]}
               if self._suggestions else {}),
        }

    def to_json(self, **dumps: Any) -> str:
        """:meth:`to_dict` as a JSON string."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **dumps)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, taxonomy: Taxonomy | None = None
                  ) -> EmployeeTwin:
        """Read a twin written by :meth:`to_dict`.

        The level policy is read from ``level_policy``; files written before it had that
        name hold it under ``policy``, which is read the same way.
        """
        hint = "Expected employee_id and claims as written by EmployeeTwin.to_dict()."
        check_mapping(data, "twin", hint=hint)
        if "employee_id" not in data:
            raise ConfigurationError(f"not a twin document: it has no employee_id. {hint}")
        claims = []
        raw_claims = check_list(data.get("claims", []), "claims",
                                hint="Give the claims as a list of objects.")
        for position, raw in enumerate(raw_claims):
            with located(field=f"claims[{position}]"):
                claims.append(validate_model(SkillClaim, raw, what="claim", hint=hint))
        with located(field="scale"):
            scale = (validate_model(ProficiencyScale, data["scale"], what="scale")
                     if "scale" in data else None)
        level_policy = _level_policy_of(data)
        suggestions = []
        raw_suggestions = check_list(data.get("suggestions", []), "suggestions",
                                     hint="Give the suggestions as a list of objects.")
        for position, raw in enumerate(raw_suggestions):
            with located(field=f"suggestions[{position}]"):
                suggestions.append(validate_model(ClaimSuggestion, raw, what="suggestion",
                                                  hint=hint))
        twin = cls(data["employee_id"], taxonomy=taxonomy, attributes=data.get("attributes"),
                   scale=scale, level_policy=level_policy, claims=claims)
        twin._suggestions = suggestions
        return twin

    @classmethod
    def from_json(cls, text: str, *, taxonomy: Taxonomy | None = None) -> EmployeeTwin:
        """Read a twin written by :meth:`to_json`."""
        try:
            data = load_json(text)
        except (TypeError, ValueError) as exc:  # JSONDecodeError, too deep, a number too long
            raise ConfigurationError(f"twin JSON is not valid JSON: {exc}") from None
        return cls.from_dict(data, taxonomy=taxonomy)


def _level_policy_of(data: Mapping[str, Any]) -> LevelPolicy | None:
    """The level policy of a twin document: ``level_policy``, or ``policy`` in older files."""
    keys = [key for key in ("level_policy", "policy") if key in data]
    if len(keys) > 1:
        raise InputValidationError("a twin has one level policy: give 'level_policy' only.",
                                   field="level_policy")
    if not keys:
        return None
    with located(field=keys[0]):
        return validate_model(LevelPolicy, data[keys[0]], what="level policy")


def _as_date(value: dt.date | str | None) -> dt.date:
    return dt.date.today() if value is None else check_date(value, "date")


def _twin_card(twin: EmployeeTwin, *, max_rows: int = 15) -> str:
    """A twin as HTML: its current skills with levels (highest first), claims count,
    attributes."""
    import pandas as pd

    from skilltwin._html import card, column_names, table
    from skilltwin._i18n import counted, level_name, message

    levels = twin.levels()
    labels = twin.labels()
    latest = {claim.skill_uri: claim for claim in twin.claims}
    language = twin.taxonomy.language if twin.taxonomy is not None else None
    default_scale = twin.scale == ProficiencyScale.default()
    columns = column_names(language, "skill", "level", "name", "last_source", "last_observed")
    frame = pd.DataFrame(
        [(labels.get(uri, uri), level,
          level_name(twin.scale.name_of(level), language) if default_scale
          else twin.scale.name_of(level), latest[uri].source, latest[uri].observed)
         for uri, level in levels.items()],
        columns=columns,
    ).sort_values(columns[1::-1], ascending=[False, True], kind="stable")
    attributes = ", ".join(f"{key}: {value}" for key, value in twin.attributes.items())
    subtitle = message("twin.subtitle", language,
                       skills=counted("skills", len(levels), language),
                       claims=counted("claims", len(twin.claims), language))
    if attributes:
        subtitle += f" — {attributes}"
    return card(message("twin.card", language, employee=twin.employee_id), subtitle,
                table(frame.set_index(columns[0]), max_rows=max_rows))
