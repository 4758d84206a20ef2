"""The fixed words of skilltwin's text output, per language: a small message catalogue.

Concept labels come from the taxonomy in its language; everything else a report, explanation
or rendered profile says comes from here. A language is added by adding a dict with the
English keys (no code changes); a key a language lacks is said in English, and a language
without a dict is English throughout.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MESSAGES", "counted", "decimal", "language_name", "level_name", "message",
           "number", "output_language", "plural"]

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # job profiles (render_profile, profile cards)
        "profile.purpose": "Purpose",
        "profile.essential": "Essential skills",
        "profile.optional": "Optional skills",
        "profile.level": "level {level}",
        "profile.beyond": "{level} (beyond {scale})",
        "profile.footer": "Source: {source}{uri}. Skills from {release}. ESCO © European Union, "
                          "CC BY 4.0.",
        "profile.unknown_release": "unknown",
        "profile.card": "{profile_id} — {essential} essential, {optional} optional skills; "
                        "source: {source}; {release}",
        "source.ESCO occupation": "ESCO occupation",
        "source.manual": "manual",
        "source.from skills": "from skills",
        "source.from text": "from text",
        "source.job posting": "job posting",
        "importance.essential": "essential",
        "draft.reason": "required by {occupations}",
        "draft.extracted": "named in \"{evidence}\" (extraction confidence {confidence})",
        "draft.reason_isco": "required by {count} of {total} occupations of ISCO {code} "
                             "({group}): {occupations}",
        "draft.reason_posting": "named in the job posting: {text}",
        "importance.optional": "optional",
        # gap reports and match explanations
        "status.met": "met",
        "status.below": "below level",
        "status.related": "related skill only",
        "status.missing": "missing",
        "state.met": "met",
        "state.below": "below",
        "state.related": "related",
        "state.missing": "missing",
        "gap.summary": "{employee} vs {profile}: {total} — {met} met, {below} "
                       "below level, {related} covered by a related skill, {missing} missing "
                       "({missing_essential} of them essential).",
        "gap.labelled": "{label} ({status})",
        "gap.below": "{label} (level {level} of {min_level})",
        "gap.related": "{label} (partly covered by {related})",
        "gap.missing": "{label} ({importance}, missing)",
        "gap.card": "Gaps: {employee} vs {profile}",
        "gap.open": "Open requirements",
        "gap.none": "Every requirement is met.",
        "isco.unclassified": "unclassified",
        "excel.summary": "Summary",
        "excel.gaps": "Gaps",
        "excel.match": "Match",
        "excel.matches": "Matches",
        "excel.scores": "Scores",
        "excel.contributions": "Contributions",
        "excel.coverage": "Coverage",
        "excel.supply_demand": "Supply and demand",
        "excel.skill_groups": "Skill groups",
        "excel.key_persons": "Key persons",
        "excel.scenarios": "Scenarios",
        "excel.changes": "Changes",
        "excel.versions": "Versions",
        "excel.table": "Table",
        "excel.item": "item",
        "excel.value": "value",
        "excel.created": "written at",
        "excel.audit_id": "audit id",
        "excel.explanation": "explanation",
        "column.employee_id": "employee",
        "column.profile_id": "profile",
        "column.profile_title": "profile title",
        "column.title": "title",
        "column.label": "label",
        "column.isco_code": "ISCO code",
        "column.isco_label": "ISCO group",
        "column.shortfall": "shortfall",
        "column.headcount_shortfall": "headcount shortfall",
        "column.fulfilment": "fulfilment",
        "column.rank": "rank",
        "match.headline": "{employee} matches {profile} at {percent}%.",
        "match.components": "Held essential skills give {essential}, held optional skills "
                            "{optional}, levels below the minimum cost {level_fit}, and related "
                            "skills add {partial} (total {score}).",
        "match.gaps": "Biggest gaps: {gaps}.",
        "match.card": "Match: {employee} vs {profile}",
        "match.contributions": "Contributions",
        # table columns of the cards
        "column.skill": "skill",
        "column.importance": "importance",
        "column.status": "status",
        "column.level": "level",
        "column.min_level": "min level",
        "column.weight": "weight",
        "column.related_via": "related via",
        "column.contribution": "contribution",
        "column.share": "share",
        "column.score": "score",
        "column.essential_coverage": "essential coverage",
        "column.optional_coverage": "optional coverage",
        "column.level_fit": "level fit",
        "column.partial_credit": "partial credit",
        "column.suggested_skill": "suggested skill",
        "column.name": "name",
        "column.last_source": "last source",
        "column.last_observed": "last observed",
        "twin.card": "Employee twin {employee}",
        "twin.subtitle": "{skills} from {claims}",
        "column.decision": "decision",
        "column.reason": "reason",
        "decision.pending": "pending",
        "decision.accepted": "accepted",
        "decision.rejected": "rejected",
        "draft.card": "Draft profile: {title}",
        "draft.subtitle": "{pending} of {total} suggestions await a decision; closest "
                          "occupations: {occupations}",
        "draft.given": "Given skills: {skills}",
        # counted nouns (``counted``): a key for the plural, ``.one`` for one
        "count.employees": "{n} employees",
        "count.employees.one": "{n} employee",
        "count.profiles": "{n} profiles",
        "count.profiles.one": "{n} profile",
        "count.job_profiles": "{n} job profiles",
        "count.job_profiles.one": "{n} job profile",
        "count.skills": "{n} skills",
        "count.skills.one": "{n} skill",
        "count.required_skills": "{n} required skills",
        "count.required_skills.one": "{n} required skill",
        "count.claims": "{n} claims",
        "count.claims.one": "{n} claim",
        "count.steps": "{n} steps",
        "count.steps.one": "{n} step",
        "count.weeks": "{n} weeks",
        "count.weeks.one": "{n} week",
        # planning
        "path.card": "Reskilling path: {employee} → {profile}",
        "path.subtitle": "{steps}, about {weeks} ({formula})",
        "path.raise": "raise {skill} from level {current} to {target}",
        "path.learn_adjacent": "learn {skill}: you hold {held}, {how} it",
        "path.learn": "learn {skill} from scratch",
        "path.co_required": "co-required ({occupations} occupations) with",
        "relation.narrower than": "narrower than",
        "relation.broader than": "broader than",
        "relation.related (essential) to": "related (essential) to",
        "relation.related (optional) to": "related (optional) to",
        "plan.card": "Workforce plan",
        "plan.subtitle": "{employees}, {profiles}, {release}",
        "plan.coverage": "Coverage per profile",
        # what-if scenario changes (Scenario.describe)
        "scenario.add_profile": "add profile {title} ({profile_id}) x{headcount}",
        "scenario.retire_profile": "retire profile {profile_id}",
        "scenario.set_headcount": "set headcount of {profile_id} to {headcount}",
        "scenario.train": "train {who} in {skill} to level {level}",
        "scenario.closest": "{n} closest employees",
        "scenario.closest.one": "the closest employee",
        "scenario.leave": "{employee} leaves",
        # plot titles, axis labels and legends
        "plot.twin_vs_profile": "{employee} vs {profile}",
        "plot.level_axis": "level ({scale})",
        "plot.level_held": "level held",
        "plot.level_required": "level required",
        "plot.optional": "{label} (opt.)",
        "plot.level": "level",
        "plot.team": "Team skills",
        "plot.supply_demand": "Skills supply vs demand",
        "plot.people": "people",
        "plot.needed": "needed",
        "plot.qualified": "qualified",
        # the demo report
        "demo.title": "Gemeente Zuiderveen — internal candidates",
        "demo.intro": "{employees}, {profiles}; scored {date} on "
                      "{release}. Scores explain themselves: see docs/scoring.md. Scores "
                      "support a conversation; people decide.",
        "demo.labels": "{coverage} have a label in {language}; the others carry their "
                       "{fallback} label (the ESCO files given do not translate them).",
        "demo.profile": "`{profile_id}` — {source}, {essential} essential and {optional} "
                        "optional skills.",
        "demo.table": "| rank | employee | score | top gaps |",
        "demo.printed": "{rank}. {employee}  {score}  gaps: {gaps}",
        "demo.audit": "Audit trail",
        "demo.trail": "Audit log {path}: {added} entries added (every score and gap report, "
                      "purpose \"{purpose}\"), {checked} in all; {state}.",
        "demo.verified": "its hash chain verifies",
        "demo.failed": "VERIFY FAILED: {reason}",
        "demo.check": "Check it again with `skilltwin audit verify --log {path}`. No decision "
                      "was taken: a person records one with `Workspace.decide` "
                      "(docs/oversight.md).",
        "demo.footer": "ESCO © European Union, CC BY 4.0. Fictional organisation and people.",
        "demo.written": "Report written to {path}",
        "kind.skill": "skills",
        "kind.occupation": "occupations",
        "kind.skill_group": "skill groups",
        "kind.isco_group": "ISCO groups",
        "of": "{part} of {whole} {what}",
        "thousands": ",",
        "decimal": ".",
        "language.en": "English",
        "language.nl": "Dutch",
        "language.de": "German",
        "language.fr": "French",
    },
    "nl": {
        "profile.purpose": "Doel",
        "profile.essential": "Essentiële vaardigheden",
        "profile.optional": "Optionele vaardigheden",
        "profile.level": "niveau {level}",
        "profile.beyond": "{level} (boven {scale})",
        "profile.footer": "Bron: {source}{uri}. Vaardigheden uit {release}. ESCO © Europese "
                          "Unie, CC BY 4.0.",
        "profile.unknown_release": "onbekend",
        "profile.card": "{profile_id} — {essential} essentiële, {optional} optionele "
                        "vaardigheden; bron: {source}; {release}",
        "source.ESCO occupation": "ESCO-beroep",
        "source.manual": "handmatig",
        "source.from skills": "uit vaardigheden",
        "source.from text": "uit tekst",
        "source.job posting": "vacature",
        "importance.essential": "essentieel",
        "draft.reason": "vereist door {occupations}",
        "draft.extracted": "genoemd in \"{evidence}\" (zekerheid van de extractie "
                           "{confidence})",
        "draft.reason_isco": "vereist door {count} van {total} beroepen van ISCO {code} "
                             "({group}): {occupations}",
        "draft.reason_posting": "genoemd in de vacature: {text}",
        "importance.optional": "optioneel",
        "status.met": "voldaan",
        "status.below": "onder niveau",
        "status.related": "alleen verwante vaardigheid",
        "status.missing": "ontbreekt",
        "state.met": "voldaan",
        "state.below": "onder niveau",
        "state.related": "verwant",
        "state.missing": "ontbreekt",
        "gap.summary": "{employee} t.o.v. {profile}: {total} — {met} "
                       "voldaan, {below} onder niveau, {related} gedekt door een verwante "
                       "vaardigheid, {missing} ontbrekend (waarvan {missing_essential} "
                       "essentieel).",
        "gap.labelled": "{label} ({status})",
        "gap.below": "{label} (niveau {level} van {min_level})",
        "gap.related": "{label} (deels gedekt door {related})",
        "gap.missing": "{label} ({importance}, ontbreekt)",
        "gap.card": "Tekorten: {employee} t.o.v. {profile}",
        "gap.open": "Openstaande eisen",
        "gap.none": "Aan elke eis is voldaan.",
        "isco.unclassified": "zonder ISCO-groep",
        "excel.summary": "Samenvatting",
        "excel.gaps": "Tekorten",
        "excel.match": "Match",
        "excel.matches": "Matches",
        "excel.scores": "Scores",
        "excel.contributions": "Bijdragen",
        "excel.coverage": "Dekking",
        "excel.supply_demand": "Vraag en aanbod",
        "excel.skill_groups": "Vaardigheidsgroepen",
        "excel.key_persons": "Sleutelpersonen",
        "excel.scenarios": "Scenario's",
        "excel.changes": "Wijzigingen",
        "excel.versions": "Versies",
        "excel.table": "Tabel",
        "excel.item": "onderdeel",
        "excel.value": "waarde",
        "excel.created": "geschreven op",
        "excel.audit_id": "audit-id",
        "excel.explanation": "toelichting",
        "column.employee_id": "medewerker",
        "column.profile_id": "profiel",
        "column.profile_title": "profielnaam",
        "column.title": "titel",
        "column.label": "naam",
        "column.isco_code": "ISCO-code",
        "column.isco_label": "ISCO-groep",
        "column.shortfall": "tekort",
        "column.headcount_shortfall": "tekort aan mensen",
        "column.fulfilment": "vervulling",
        "column.rank": "rang",
        "match.headline": "{employee} past voor {percent}% bij {profile}.",
        "match.components": "Aanwezige essentiële vaardigheden geven {essential}, aanwezige "
                            "optionele vaardigheden {optional}, niveaus onder het minimum kosten "
                            "{level_fit} en verwante vaardigheden voegen {partial} toe (totaal "
                            "{score}).",
        "match.gaps": "Grootste tekorten: {gaps}.",
        "match.card": "Match: {employee} t.o.v. {profile}",
        "match.contributions": "Bijdragen",
        "column.skill": "vaardigheid",
        "column.importance": "belang",
        "column.status": "status",
        "column.level": "niveau",
        "column.min_level": "min. niveau",
        "column.weight": "gewicht",
        "column.related_via": "verwant via",
        "column.contribution": "bijdrage",
        "column.share": "aandeel",
        "column.score": "score",
        "column.essential_coverage": "dekking essentieel",
        "column.optional_coverage": "dekking optioneel",
        "column.level_fit": "niveaupassing",
        "column.partial_credit": "gedeeltelijke score",
        "column.suggested_skill": "voorgestelde vaardigheid",
        "column.name": "naam",
        "column.last_source": "laatste bron",
        "column.last_observed": "laatst waargenomen",
        "twin.card": "Digitale tweeling {employee}",
        "twin.subtitle": "{skills} uit {claims}",
        "column.decision": "besluit",
        "column.reason": "reden",
        "decision.pending": "open",
        "decision.accepted": "aanvaard",
        "decision.rejected": "afgewezen",
        "draft.card": "Conceptprofiel: {title}",
        "draft.subtitle": "{pending} van {total} voorstellen wachten op een besluit; "
                          "dichtstbijzijnde beroepen: {occupations}",
        "draft.given": "Gegeven vaardigheden: {skills}",
        "count.employees": "{n} medewerkers",
        "count.employees.one": "{n} medewerker",
        "count.profiles": "{n} profielen",
        "count.profiles.one": "{n} profiel",
        "count.job_profiles": "{n} functieprofielen",
        "count.job_profiles.one": "{n} functieprofiel",
        "count.skills": "{n} vaardigheden",
        "count.skills.one": "{n} vaardigheid",
        "count.required_skills": "{n} vereiste vaardigheden",
        "count.required_skills.one": "{n} vereiste vaardigheid",
        "count.claims": "{n} claims",
        "count.claims.one": "{n} claim",
        "count.steps": "{n} stappen",
        "count.steps.one": "{n} stap",
        "count.weeks": "{n} weken",
        "count.weeks.one": "{n} week",
        "path.card": "Omscholingspad: {employee} → {profile}",
        "path.subtitle": "{steps}, ongeveer {weeks} ({formula})",
        "path.raise": "{skill} verhogen van niveau {current} naar {target}",
        "path.learn_adjacent": "{skill} leren: je beheerst {held}, {how} deze vaardigheid",
        "path.learn": "{skill} vanaf nul leren",
        "path.co_required": "samen vereist ({occupations} beroepen) met",
        "relation.narrower than": "specifieker dan",
        "relation.broader than": "breder dan",
        "relation.related (essential) to": "verwant (essentieel) aan",
        "relation.related (optional) to": "verwant (optioneel) aan",
        "plan.card": "Personeelsplan",
        "plan.subtitle": "{employees}, {profiles}, {release}",
        "plan.coverage": "Dekking per profiel",
        "scenario.add_profile": "profiel {title} ({profile_id}) toevoegen (x{headcount})",
        "scenario.retire_profile": "profiel {profile_id} laten vervallen",
        "scenario.set_headcount": "bezetting van {profile_id} op {headcount} zetten",
        "scenario.train": "{who} opleiden in {skill} tot niveau {level}",
        "scenario.closest": "de {n} medewerkers die er het dichtst bij zitten",
        "scenario.closest.one": "de medewerker die er het dichtst bij zit",
        "scenario.leave": "{employee} vertrekt",
        "plot.twin_vs_profile": "{employee} t.o.v. {profile}",
        "plot.level_axis": "niveau ({scale})",
        "plot.level_held": "huidig niveau",
        "plot.level_required": "vereist niveau",
        "plot.optional": "{label} (opt.)",
        "plot.level": "niveau",
        "plot.team": "Vaardigheden van het team",
        "plot.supply_demand": "Vraag en aanbod van vaardigheden",
        "plot.people": "mensen",
        "plot.needed": "nodig",
        "plot.qualified": "op niveau",
        "demo.title": "Gemeente Zuiderveen — interne kandidaten",
        "demo.intro": "{employees}, {profiles}; gescoord op {date} met "
                      "{release}. Elke score legt zichzelf uit: zie docs/scoring.md. Scores "
                      "ondersteunen een gesprek; mensen beslissen.",
        "demo.labels": "{coverage} hebben een label in het {language}; de overige staan in "
                       "het {fallback} (de gebruikte ESCO-bestanden vertalen ze niet).",
        "demo.profile": "`{profile_id}` — {source}, {essential} essentiële en {optional} "
                        "optionele vaardigheden.",
        "demo.table": "| rang | medewerker | score | grootste tekorten |",
        "demo.printed": "{rank}. {employee}  {score}  tekorten: {gaps}",
        "demo.purpose": "interne mobiliteit (demo)",
        "demo.audit": "Audittrail",
        "demo.trail": "Auditlog {path}: {added} regels toegevoegd (elke score en elk "
                      "tekortenrapport, doel \"{purpose}\"), {checked} in totaal; {state}.",
        "demo.verified": "de hashketen klopt",
        "demo.failed": "CONTROLE MISLUKT: {reason}",
        "demo.check": "Controleer opnieuw met `skilltwin audit verify --log {path}`. Er is geen "
                      "besluit genomen: een mens legt dat vast met `Workspace.decide` "
                      "(docs/oversight.md).",
        "demo.footer": "ESCO © Europese Unie, CC BY 4.0. Fictieve organisatie en personen.",
        "demo.written": "Rapport geschreven naar {path}",
        "kind.skill": "vaardigheden",
        "kind.occupation": "beroepen",
        "kind.skill_group": "vaardigheidsgroepen",
        "kind.isco_group": "ISCO-groepen",
        "of": "{part} van {whole} {what}",
        "thousands": ".",
        "decimal": ",",
        "language.en": "Engels",
        "language.nl": "Nederlands",
        "language.de": "Duits",
        "language.fr": "Frans",
        # level names of the default proficiency scale
        "level.None": "Geen",
        "level.Awareness": "Basiskennis",
        "level.Working": "Zelfstandig",
        "level.Advanced": "Gevorderd",
        "level.Expert": "Expert",
    },
}


def output_language(language: str | None) -> str:
    """The catalogue language used for ``language``: itself if catalogued, else English."""
    return language if language in MESSAGES else "en"


def message(key: str, language: str | None = None, /, default: str | None = None,
            **values: Any) -> str:
    """The text for ``key`` in ``language`` (English where missing), filled with ``values``.

    ``default`` is returned (filled) when no language knows ``key``; without it an unknown
    key is a programming error (``KeyError``).
    """
    template = MESSAGES[output_language(language)].get(key) or MESSAGES["en"].get(key)
    if template is None:
        if default is None:
            raise KeyError(f"no message {key!r} in the catalogue")
        template = default
    return template.format(**values) if values else template


def plural(key: str, count: float, language: str | None = None, /, **values: Any) -> str:
    """:func:`message` for ``key``, or for ``key + ".one"`` when ``count`` is 1 and the
    catalogue has that form ("1 medewerker", not "1 medewerkers")."""
    singular = f"{key}.one"
    if count == 1 and (singular in MESSAGES[output_language(language)]
                       or singular in MESSAGES["en"]):
        key = singular
    return message(key, language, **values)


def counted(noun: str, count: float, language: str | None = None) -> str:
    """``count`` and the catalogued ``noun`` in the right form: ``counted("employees", 1,
    "nl")`` is ``"1 medewerker"``; an ``int`` gets the thousands separator, a float the decimal
    mark."""
    shown = number(count, language) if isinstance(count, int) else decimal(count, "g", language)
    return plural(f"count.{noun}", count, language, n=shown)


def number(value: int, language: str | None = None) -> str:
    """A whole number with the language's thousands separator (``13,896``; ``13.896``)."""
    return f"{value:,}".replace(",", message("thousands", language))


def decimal(value: float, spec: str, language: str | None = None) -> str:
    """``value`` formatted by ``spec`` (``".3f"``, ``"g"``) with the language's decimal mark
    (``0.429``; ``0,429``)."""
    return format(value, spec).replace(".", message("decimal", language))


def level_name(name: str, language: str | None = None) -> str:
    """The name of a proficiency level in ``language`` (the name itself when not catalogued)."""
    return message(f"level.{name}", language, default=name)


def language_name(code: str, language: str | None = None) -> str:
    """The name of language ``code`` in ``language`` (``"nl"`` in Dutch: ``"Nederlands"``)."""
    return message(f"language.{code}", language, default=code)
