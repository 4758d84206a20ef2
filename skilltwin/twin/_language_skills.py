"""Languages of a CV as ESCO language skills, and CEFR levels as skilltwin levels.

ESCO has a skill per language (``English``, in the ``language`` collection) with narrower
skills per way of using it: ``understand spoken English`` (CEFR listening), ``understand
written English`` (reading), ``interact verbally in English`` (spoken interaction) and
``write English`` (writing). Spoken production has no ESCO skill of its own: it counts in
the level of the language as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skilltwin.errors import UnknownConceptError

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.taxonomy.models import Skill
    from skilltwin.twin.scale import ProficiencyScale

__all__ = ["CEFR_TO_LEVEL", "MOTHER_TONGUE_LEVEL", "cefr_level", "language_skills"]

CEFR_TO_LEVEL: dict[str, int] = {"A1": 1, "A2": 1, "B1": 2, "B2": 3, "C1": 3, "C2": 4}
"""CEFR level -> level on the default 0-4 scale: basic users (A1, A2) are *Awareness*, the
threshold independent user (B1) *Working*, vantage and effective operational proficiency
(B2, C1) *Advanced*, mastery (C2) *Expert*."""

MOTHER_TONGUE_LEVEL = 4
"""A mother tongue is *Expert* on the default 0-4 scale."""

# English labels of ESCO's narrower language skills, per CEFR dimension.
_DIMENSION_PREFIXES = {
    "Listening": "understand spoken ",
    "Reading": "understand written ",
    "SpokenInteraction": "interact verbally in ",
    "Writing": "write ",
}

# ISO 639-1 codes Europass writes, with the English names ESCO labels its language skills by.
_ENGLISH_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "is": "Icelandic", "it": "Italian",
    "ja": "Japanese", "ko": "Korean", "lb": "Luxembourgish", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "mt": "Maltese", "nl": "Dutch", "no": "Norwegian",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak",
    "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "tr": "Turkish",
    "uk": "Ukrainian", "zh": "Chinese",
}


def cefr_level(code: str, scale: ProficiencyScale) -> float | None:
    """The level of CEFR ``code`` (``"B2"``) on ``scale`` (``None`` for an unknown code).

    On a scale other than 0-4 the level is stretched in proportion (B2 on a 0-5 scale is
    3.75).
    """
    level = CEFR_TO_LEVEL.get(code.strip().upper())
    return None if level is None else level * scale.maximum / 4


def mother_tongue_level(scale: ProficiencyScale) -> float:
    """The level of a mother tongue on ``scale`` (its maximum)."""
    return MOTHER_TONGUE_LEVEL * scale.maximum / 4


def language_skills(taxonomy: Taxonomy, label: str, code: str | None
                    ) -> tuple[Skill | None, dict[str, Skill]]:
    """The ESCO skill of a language (by the CV's label, else by its ISO 639-1 code) and its
    narrower skills per CEFR dimension (``Listening``, ``Reading``, ``SpokenInteraction``,
    ``Writing``) where the taxonomy has them."""
    names = [label] + ([_ENGLISH_NAMES[code]] if code in _ENGLISH_NAMES else [])
    for name in dict.fromkeys(names):
        for concept in _lookup(taxonomy, name):
            skill = taxonomy.skill(concept.uri)
            if "language" in skill.collections:
                return skill, _dimensions(taxonomy, skill)
    return None, {}


def _lookup(taxonomy: Taxonomy, name: str) -> list[Skill]:
    try:
        return [taxonomy.skill(concept.uri) for concept in taxonomy.lookup(name, "skill")]
    except UnknownConceptError:
        return []


def _dimensions(taxonomy: Taxonomy, language: Skill) -> dict[str, Skill]:
    found: dict[str, Skill] = {}
    for uri in taxonomy.narrower(language.uri):
        skill = taxonomy.skill(uri)
        labels = [text.casefold() for text in skill.labels]
        for dimension, prefix in _DIMENSION_PREFIXES.items():
            if dimension not in found and any(text.startswith(prefix) for text in labels):
                found[dimension] = skill
    return found
