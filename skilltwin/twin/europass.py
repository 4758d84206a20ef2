"""Reading a Europass CV (v3: XML ``SkillsPassport`` or its JSON export) into plain models.

Only what describes skills is read: work experience, education, languages with their CEFR
levels and the skills sections. **Personal data is never read**: the ``Identification``
part (name, address, birth date, photo, contact details, nationality, gender), the headline,
attachments and the printing preferences are skipped, and :class:`EuropassCV` has no field
that could hold them. Twins match on skills, not on who the person is; the employee id is
given by the caller.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from skilltwin._jsonio import loads as load_json
from skilltwin._markup import html_to_text
from skilltwin._validation import check_input_file
from skilltwin.errors import EuropassError, InputValidationError

__all__ = [
    "CEFR_LEVELS",
    "EuropassCV",
    "EuropassEducation",
    "EuropassExperience",
    "EuropassLanguage",
    "EuropassSkill",
    "SkillSection",
    "read_europass",
]

MAX_BYTES = 20_000_000
"""Largest Europass file read (an export with a photo and attachments stays far below)."""

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
"""The six levels of the Common European Framework of Reference for Languages."""

LanguageDimension = Literal["Listening", "Reading", "SpokenInteraction", "SpokenProduction",
                            "Writing"]
_DIMENSIONS: tuple[LanguageDimension, ...] = (
    "Listening", "Reading", "SpokenInteraction", "SpokenProduction", "Writing")

SkillSection = Literal["communication", "organisational", "job_related", "computer", "other"]
_SECTIONS: dict[str, SkillSection] = {
    "Communication": "communication", "Organisational": "organisational",
    "JobRelated": "job_related", "Computer": "computer", "Other": "other",
}
_ESCO_URI = re.compile(r"<?\(?\s*(https?://data\.europa\.eu/esco/[A-Za-z-]+/[A-Za-z0-9._-]*"
                       r"[A-Za-z0-9_-])\s*\)?>?")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class EuropassExperience(_Frozen):
    """One work experience: position, employer and activities as the CV gives them.

    ``start`` and ``end`` are ISO dates as precise as the CV (``"2019"``, ``"2019-03"``,
    ``"2019-03-01"``); ``current`` marks a position held now.
    """

    position: str = ""
    employer: str = ""
    activities: str = ""
    start: str | None = None
    end: str | None = None
    current: bool = False

    @property
    def text(self) -> str:
        """The text skills are extracted from: position, then activities."""
        return "\n".join(part for part in (self.position, self.activities) if part)


class EuropassEducation(_Frozen):
    """One education or training: title, organisation and the subjects or skills covered."""

    title: str = ""
    organisation: str = ""
    subjects: str = ""
    start: str | None = None
    end: str | None = None

    @property
    def text(self) -> str:
        """The text skills are extracted from: title, then subjects."""
        return "\n".join(part for part in (self.title, self.subjects) if part)


class EuropassLanguage(_Frozen):
    """A mother tongue or a foreign language with its self-assessed CEFR levels.

    Attributes:
        label: The language as the CV names it (``"English"``, ``"Engels"``).
        code: Its ISO 639-1 code when the CV gives one (``"en"``).
        mother_tongue: A mother tongue (no levels: the CV states none).
        levels: CEFR level (A1-C2) per dimension the CV assessed: ``Listening``, ``Reading``,
            ``SpokenInteraction``, ``SpokenProduction``, ``Writing``.
        text: The language and levels as one line, for evidence and reports.
    """

    label: str
    code: str | None = None
    mother_tongue: bool = False
    levels: dict[str, str] = {}
    text: str = ""


class EuropassSkill(_Frozen):
    """One skill item from a skills section (one line, list item or list entry).

    Attributes:
        section: ``communication``, ``organisational``, ``job_related``, ``computer`` or
            ``other``.
        text: The item's text without the ESCO URIs.
        esco_uris: ESCO URIs the item carries (as a link or written out), ``http://`` form.
    """

    section: SkillSection
    text: str
    esco_uris: tuple[str, ...] = ()


class EuropassCV(_Frozen):
    """The skills-related content of a Europass CV (no personal data: see the module).

    Attributes:
        format: ``xml`` or ``json``.
        locale: The CV's language (``"en"``, ``"nl"``) when it states one.
        updated: The CV's last update (``DocumentInfo/LastUpdateDate``), when it states one.
        work_experience, education, languages, skills: What the CV lists, in its order.
    """

    format: Literal["xml", "json"]
    locale: str | None = None
    updated: dt.date | None = None
    work_experience: tuple[EuropassExperience, ...] = ()
    education: tuple[EuropassEducation, ...] = ()
    languages: tuple[EuropassLanguage, ...] = ()
    skills: tuple[EuropassSkill, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the CV lists nothing to import."""
        return not (self.work_experience or self.education or self.languages or self.skills)


def read_europass(path: str | Path) -> EuropassCV:
    """Read a Europass v3 CV: the XML file (``SkillsPassport``) or the JSON export.

    Descriptions written in the Europass editor's rich text become plain text; a skills
    section becomes one :class:`EuropassSkill` per line, list item, ``;``-separated part or
    entry of a short comma-separated list, each with the ESCO URIs it carries. Personal data
    is not read.

    Raises:
        InputValidationError: the path is missing or a folder.
        EuropassError: not a Europass CV (or the 2020 Candidate format), malformed XML or
            JSON, XML declaring a document type or entities (refused), a file over 20 MB, or
            a CV listing no work experience, education, language or skill.
    """
    file = check_input_file(path, what="Europass CV")
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise EuropassError(
                f"is {size / 1e6:.0f} MB; a Europass CV is far smaller (limit "
                f"{MAX_BYTES // 1_000_000} MB). Check that this is the CV.",
                path=file,
            )
        raw = file.read_bytes()
    except OSError as exc:
        raise InputValidationError(f"cannot be read ({exc.strerror or exc}).",
                                   path=file) from None
    start = _first_character(raw)
    kind: Literal["xml", "json"]
    if start == b"<":
        from skilltwin.twin._europass_xml import xml_document

        document, kind = xml_document(raw, file), "xml"
    elif start in (b"{", b"["):
        document, kind = _json_document(raw, file), "json"
    else:
        raise EuropassError(
            "is neither XML nor JSON; give the .xml or .json file Europass exported"
            + (" (this one is empty)." if not start else "."),
            path=file,
        )
    cv = _build(document, kind, file)
    if cv.is_empty:
        raise EuropassError(
            "is a Europass CV without work experience, education, languages or skills: "
            "there is nothing to import. Fill in the CV in Europass and export it again.",
            path=file,
        )
    return cv


def _first_character(raw: bytes) -> bytes:
    """The first character that is not white space, as ASCII bytes (``b"<"``, ``b"{"``): of
    UTF-8 text (with or without a byte-order mark) or UTF-16 text with its byte-order mark."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = raw[:256].decode("utf-16", errors="ignore").lstrip()[:1]
        return head.encode("ascii") if head.isascii() else b"?"
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]


def _json_text(raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    return raw.decode("utf-8-sig")


def _json_document(raw: bytes, file: Path) -> Any:
    try:
        document = load_json(_json_text(raw))
    except UnicodeDecodeError:
        raise EuropassError("is not UTF-8 (or UTF-16) text; export the CV again from Europass.",
                            path=file) from None
    except ValueError as exc:
        where = f"line {exc.lineno}: " if isinstance(exc, json.JSONDecodeError) else ""
        raise EuropassError(f"is not valid JSON ({where}{exc}); export the CV again from "
                            "Europass.", path=file) from None
    if not isinstance(document, dict) or not (
            isinstance(document.get("SkillsPassport"), dict) or "LearnerInfo" in document):
        raise EuropassError(
            "is JSON but not a Europass CV: it has no 'SkillsPassport' object. Give the JSON "
            "file Europass exported.",
            path=file,
        )
    return document


# -- from the JSON shape (both formats) to the models ------------------------------------------
def _build(document: Mapping[str, Any], kind: Literal["xml", "json"], file: Path) -> EuropassCV:
    passport = _mapping(document.get("SkillsPassport", document))
    learner = _mapping(passport.get("LearnerInfo"))
    skills = _mapping(learner.get("Skills"))
    linguistic = _mapping(skills.get("Linguistic"))
    items = [item for name, section in _SECTIONS.items()
             for item in _skill_items(section, _mapping(skills.get(name)).get("Description"))]
    languages = [_language(entry, True) for entry in _entries(linguistic, "MotherTongue")]
    languages += [_language(entry, False) for entry in _entries(linguistic, "ForeignLanguage")]
    locale = passport.get("Locale") or passport.get("locale")
    return EuropassCV(
        format=kind,
        locale=str(locale) if isinstance(locale, str) and locale else None,
        updated=_updated(_mapping(passport.get("DocumentInfo")).get("LastUpdateDate")),
        work_experience=tuple(filter(None, (_experience(_mapping(entry))
                                            for entry in _entries(learner, "WorkExperience")))),
        education=tuple(filter(None, (_education(_mapping(entry))
                                      for entry in _entries(learner, "Education")))),
        languages=tuple(language for language in languages if language is not None),
        skills=tuple(items),
    )


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _entries(parent: Mapping[str, Any], name: str) -> list[Any]:
    """The entries of a list the CV may write as ``Name``, ``NameList`` or a single object."""
    value = parent.get(name, parent.get(f"{name}List"))
    if isinstance(value, Mapping) and name in value:  # {"NameList": {"Name": [...]}}
        value = value[name]
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list) else [value]


def _text(value: object) -> str:
    """Plain text of a field: a string (maybe rich text) or an object with a ``Label``."""
    if isinstance(value, Mapping):
        value = value.get("Label", value.get("Name", ""))
    if not isinstance(value, str):
        return "" if value is None or isinstance(value, (list, dict)) else str(value)
    return html_to_text(value)


def _date(value: object) -> str | None:
    part = _mapping(value)
    year, month, day = (part.get(key) for key in ("Year", "Month", "Day"))
    numbers = [number for number in (year, month, day)
               if isinstance(number, int) and not isinstance(number, bool)]
    if not isinstance(year, int) or not numbers:
        return None
    shown = [f"{numbers[0]:04d}"] + [f"{number:02d}" for number in numbers[1:3]]
    return "-".join(shown)


def _experience(entry: Mapping[str, Any]) -> EuropassExperience | None:
    period = _mapping(entry.get("Period"))
    experience = EuropassExperience(
        position=_text(entry.get("Position")),
        employer=_text(_mapping(entry.get("Employer")).get("Name")),
        activities=_text(entry.get("Activities")),
        start=_date(period.get("From")),
        end=_date(period.get("To")),
        current=str(period.get("Current", "")).strip().lower() == "true",
    )
    return experience if experience.text else None


def _education(entry: Mapping[str, Any]) -> EuropassEducation | None:
    period = _mapping(entry.get("Period"))
    subjects = "\n".join(part for part in (_text(entry.get("Skills")),
                                           _text(entry.get("Activities"))) if part)
    education = EuropassEducation(
        title=_text(entry.get("Title")),
        organisation=_text(_mapping(entry.get("Organisation")).get("Name")),
        subjects=subjects,
        start=_date(period.get("From")),
        end=_date(period.get("To")),
    )
    return education if education.text else None


def _language(entry: object, mother_tongue: bool) -> EuropassLanguage | None:
    data = _mapping(entry)
    description = _mapping(data.get("Description"))
    label = _text(description.get("Label")) or _text(description.get("Code"))
    if not label:
        return None
    code = description.get("Code")
    proficiency = _mapping(data.get("ProficiencyLevel"))
    levels: dict[str, str] = {dimension: str(proficiency[dimension]).strip().upper()
              for dimension in _DIMENSIONS if str(proficiency.get(dimension) or "").strip()}
    shown = ", ".join(f"{_spaced(dimension)} {level}" for dimension, level in levels.items())
    text = f"{label} (mother tongue)" if mother_tongue else (
        f"{label} ({shown})" if shown else label)
    return EuropassLanguage(label=label, code=code.strip().lower() if isinstance(code, str)
                            and code.strip() else None, mother_tongue=mother_tongue,
                            levels=levels, text=text)


def _spaced(dimension: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", dimension).lower()


def _updated(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _skill_items(section: SkillSection, description: object) -> list[EuropassSkill]:
    """One item per line, ``;``-part, or entry of a short comma-separated list."""
    if isinstance(description, Mapping):
        description = description.get("Label", "")
    if not isinstance(description, str) or not description.strip():
        return []
    items = []
    for line in html_to_text(description, show_links=True).split("\n"):
        for part in _parts(line):
            uris = tuple(dict.fromkeys(uri.replace("https://", "http://", 1)
                                       for uri in _ESCO_URI.findall(part)))
            text = " ".join(_ESCO_URI.sub(" ", part).split()).strip(" ,;:-–•*")
            if text or uris:
                items.append(EuropassSkill(section=section, text=text, esco_uris=uris))
    return items


def _parts(line: str) -> list[str]:
    """A line split at ``;`` and bullets, and at commas when every entry is short (a list
    like ``Python, SQL, Excel``; prose keeps its commas). A short heading before a colon
    (``Programming: Python, SQL``) is dropped when a list follows it."""
    parts: list[str] = []
    for piece in re.split(r"[;•·]", line):
        heading, colon, rest = piece.partition(":")
        if colon and len(heading.split()) <= 3 and "//" not in rest[:2] and "," in rest:
            piece = rest
        entries = _split_commas(piece)
        short = len(entries) > 1 and all(len(_ESCO_URI.sub("", entry).split()) <= 4
                                         for entry in entries)
        parts.extend(entries if short else [piece])
    return [part.strip() for part in parts if part.strip()]


def _split_commas(text: str) -> list[str]:
    """``text`` split at commas outside brackets."""
    entries: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        depth += char in "([<"
        depth -= char in ")]>" and depth > 0
        if char == "," and depth == 0:
            entries.append("".join(current))
            current = []
        else:
            current.append(char)
    entries.append("".join(current))
    return entries
