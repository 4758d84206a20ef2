"""A twin from a Europass CV, with a report of what became of every item.

* A skill item carrying an ESCO URI the taxonomy knows becomes a ``self`` claim directly
  (evidence ``"Europass, self-declared: ..."``).
* A language becomes claims on its ESCO language skills, at levels from its CEFR levels
  (see :mod:`skilltwin.twin._language_skills`).
* Everything else (skill items without a URI, work experience, education) goes through
  ``mapper.extract_skills`` as ``inferred`` claims whose confidence is scaled by the match
  score; without a mapper those items are reported as not mapped.
* An ESCO URI the taxonomy does not know (outdated, from another release, mistyped, or not a
  skill) is reported on its item; the item's text then goes through extraction too.

Nothing is dropped without a line in the report, and an import that claims nothing at all
says so with a :class:`EuropassWarning`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict

from skilltwin._validation import check_date, check_number, check_top_k
from skilltwin.errors import SkilltwinError
from skilltwin.twin._language_skills import cefr_level, language_skills, mother_tongue_level
from skilltwin.twin.europass import EuropassCV, EuropassLanguage, read_europass
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.mapping.protocol import Mapper
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.claims import LevelPolicy
    from skilltwin.twin.scale import ProficiencyScale
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["EuropassImport", "EuropassWarning", "ImportItem", "ImportStatus", "import_europass"]

ImportStatus = Literal["claimed", "extracted", "unknown_uri", "not_mapped"]
ItemSection = Literal["skill", "language", "work_experience", "education"]
_SOURCE = "Europass, self-declared"


class EuropassWarning(UserWarning):
    """A Europass import gave a twin without any claim: every item carried an unknown ESCO
    URI or could not be mapped (see :meth:`EuropassImport.needs_attention`)."""


class ImportItem(BaseModel):
    """What became of one item of an imported CV.

    Attributes:
        section: ``skill``, ``language``, ``work_experience`` or ``education``.
        text: The item's text as the CV gives it (for a skill: without its URIs).
        status: ``claimed`` (self-declared claims from ESCO URIs or a language),
            ``extracted`` (inferred claims from the mapper), ``unknown_uri`` (the item
            carries an ESCO URI the taxonomy does not know) or ``not_mapped`` (no claim).
        skill_uris: The ESCO skills claimed from this item.
        reason: Why, in words: the URI at fault, the levels used, or what to do.
    """

    model_config = ConfigDict(frozen=True)

    section: ItemSection
    text: str
    status: ImportStatus
    skill_uris: tuple[str, ...] = ()
    reason: str = ""


class EuropassImport:
    """The result of :meth:`EmployeeTwin.from_europass`: the twin and a report per item.

    Attributes:
        twin: The new twin (claims only; no personal data of the CV).
        items: One :class:`ImportItem` per skill, language, work experience and education,
            in the CV's order.
        cv: The CV as read (skills content only).
    """

    def __init__(self, twin: EmployeeTwin, items: list[ImportItem], cv: EuropassCV):
        self.twin = twin
        self.items = items
        self.cv = cv

    def counts(self) -> dict[str, int]:
        """How many items have each status."""
        found = Counter(item.status for item in self.items)
        return {status: found.get(status, 0)
                for status in ("claimed", "extracted", "unknown_uri", "not_mapped")}

    def needs_attention(self) -> list[ImportItem]:
        """Items that gave no claim or carry an unknown URI: for a person to look at."""
        return [item for item in self.items if item.status in ("unknown_uri", "not_mapped")]

    def to_frame(self) -> pd.DataFrame:
        """The report as a table: one row per item (section, text, status, skill_uris,
        reason)."""
        import pandas as pd

        return pd.DataFrame([item.model_dump() for item in self.items],
                            columns=list(ImportItem.model_fields))

    def __repr__(self) -> str:
        counts = ", ".join(f"{status}={count}" for status, count in self.counts().items())
        return f"EuropassImport({self.twin.employee_id!r}, {counts})"

    def _repr_html_(self) -> str:
        from skilltwin._html import card, table

        counts = ", ".join(f"{count} {status.replace('_', ' ')}"
                           for status, count in self.counts().items())
        frame = self.to_frame()[["section", "text", "status", "reason"]]
        return card(f"Europass import: {self.twin.employee_id}", counts,
                    table(frame, max_rows=40))


def import_europass(
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
    """See :meth:`EmployeeTwin.from_europass`."""
    from skilltwin.twin.twin import EmployeeTwin

    cv = source if isinstance(source, EuropassCV) else read_europass(source)
    twin = EmployeeTwin(employee_id, taxonomy=taxonomy, attributes=attributes, scale=scale,
                        level_policy=level_policy)
    level = twin.scale.validate_level(level)
    check_number(confidence, "confidence", minimum=0, maximum=1,
                 hint="Give how sure the extraction is, from 0 to 1.")
    check_top_k(top_k)
    today = dt.date.today()
    day = (check_date(observed, "observed", not_after=today) if observed is not None
           else min(cv.updated, today) if cv.updated else today)
    run = _Run(twin, taxonomy, mapper, level, confidence, day, top_k)
    items = [run.skill(skill.text, skill.esco_uris) for skill in cv.skills]
    items += [run.language(language) for language in cv.languages]
    items += [run.extract("work_experience", entry.text) for entry in cv.work_experience]
    items += [run.extract("education", entry.text) for entry in cv.education]
    result = EuropassImport(twin, items, cv)
    if not twin.claims:
        where = f"{source}: " if not isinstance(source, EuropassCV) else ""
        hint = ("" if mapper is not None else
                " Pass mapper=SkillMapper(taxonomy) to extract skills from its texts.")
        warnings.warn(
            f"{where}the Europass import made no claim: all {len(items)} item(s) need "
            "attention (ESCO URIs the taxonomy does not know, languages or texts not mapped); "
            f"see result.needs_attention() and add the skills by hand.{hint}",
            EuropassWarning, stacklevel=3)
    return result


class _Run:
    """One import: adds the claims to the twin and describes each item."""

    def __init__(self, twin: EmployeeTwin, taxonomy: Taxonomy, mapper: Mapper | None,
                 level: float, confidence: float, observed: dt.date, top_k: int):
        self.twin, self.taxonomy, self.mapper = twin, taxonomy, mapper
        self.level, self.confidence, self.observed, self.top_k = (level, confidence,
                                                                  observed, top_k)

    def skill(self, text: str, uris: tuple[str, ...]) -> ImportItem:
        if not uris:
            return self.extract("skill", text)
        known: list[str] = []
        unknown: list[str] = []
        for uri in uris:
            (known if self._is_skill(uri) else unknown).append(uri)
        for uri in known:
            self.twin.add_skill(uri, level=self.level, source="self",
                                evidence=f"{_SOURCE}: {text or uri}", observed=self.observed)
        if not unknown:
            return ImportItem(section="skill", text=text, status="claimed",
                              skill_uris=tuple(known),
                              reason=f"ESCO URI given in the CV; claimed at level {self.level:g}")
        release = self.taxonomy.release
        reason = (f"{', '.join(unknown)} is not a skill of {release} (outdated, from another "
                  "release, or mistyped)")
        if known:
            reason += f"; {', '.join(known)} claimed"
        extracted, note = self._extract_claims("skill", text) if text else ([], "")
        return ImportItem(section="skill", text=text, status="unknown_uri",
                          skill_uris=tuple(known) + tuple(extracted),
                          reason=f"{reason}; {note}" if note else reason)

    def language(self, language: EuropassLanguage) -> ImportItem:
        overall, dimensions = language_skills(self.taxonomy, language.label, language.code)
        if overall is None:
            return ImportItem(section="language", text=language.text, status="not_mapped",
                              reason=f"{self.taxonomy.release} has no language skill for "
                                     f"{language.label!r}; add it by hand if it matters")
        scale = self.twin.scale
        evidence = f"{_SOURCE}: {language.text}"
        if language.mother_tongue:
            level = mother_tongue_level(scale)
            claims = {overall.uri: level} | {skill.uri: level for skill in dimensions.values()}
            reason = f"mother tongue: level {level:g} on every language skill"
        else:
            levels = {dimension: cefr_level(code, scale)
                      for dimension, code in language.levels.items()}
            valid = {dimension: value for dimension, value in levels.items()
                     if value is not None}
            if valid:
                claims = {overall.uri: min(valid.values())}
                claims |= {skill.uri: valid[dimension]
                           for dimension, skill in dimensions.items() if dimension in valid}
                reason = (f"CEFR levels: the language at the lowest ({min(valid.values()):g}), "
                          "each way of using it at its own level")
            else:
                claims = {overall.uri: self.level}
                reason = f"no CEFR level given: claimed at level {self.level:g}"
            invalid = sorted(code for dimension, code in language.levels.items()
                             if levels[dimension] is None)
            if invalid:
                reason += f"; not CEFR levels, left out: {', '.join(invalid)}"
        for uri, level in claims.items():
            self.twin.add_skill(uri, level=level, source="self", evidence=evidence,
                                observed=self.observed)
        return ImportItem(section="language", text=language.text, status="claimed",
                          skill_uris=tuple(claims), reason=reason)

    def extract(self, section: ItemSection, text: str) -> ImportItem:
        uris, reason = self._extract_claims(section, text)
        return ImportItem(section=section, text=text,
                          status="extracted" if uris else "not_mapped",
                          skill_uris=tuple(uris), reason=reason)

    def _extract_claims(self, section: ItemSection, text: str) -> tuple[list[str], str]:
        if self.mapper is None:
            return [], ("no mapper given: pass mapper=SkillMapper(taxonomy) to extract skills "
                        "from this text, or add them by hand")
        claimed: list[str] = []
        for mention in list(self.mapper.extract_skills(text))[:self.top_k]:
            best = mention.best
            if not self._is_skill(best.uri):
                continue
            self.twin.add_skill(best.uri, level=self.level, source="inferred",
                                evidence=f"Europass {section.replace('_', ' ')}: "
                                         f"{mention.text}",
                                observed=self.observed,
                                confidence=max(0.0, min(1.0, self.confidence * best.score)))
            claimed.append(best.uri)
        claimed = list(dict.fromkeys(claimed))
        if not claimed:
            return [], "the mapper found no ESCO skill in this text"
        return claimed, (f"extracted by the mapper: {len(claimed)} skill(s), inferred, "
                         f"confidence {self.confidence:g} x match score")

    def _is_skill(self, uri: str) -> bool:
        """Whether ``uri`` is (exactly) the URI of a skill of the taxonomy."""
        if uri not in self.taxonomy:
            return False
        try:
            concept = self.taxonomy.concept(uri)
        except SkilltwinError:
            return False
        return concept.uri == uri and concept.kind == "skill"
