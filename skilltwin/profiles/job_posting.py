"""Reading schema.org ``JobPosting`` data: JSON-LD files, or the JSON-LD of a vacancy page.

A vacancy page carries its posting in ``<script type="application/ld+json">`` blocks (often
several, holding one object, a list, or an ``@graph``). The posting's ``title``,
``description`` (HTML becomes text), ``skills`` (text, a list, or ``DefinedTerm`` objects
that may name an ESCO skill in ``@id``, ``url`` or ``sameAs``) and ``occupationalCategory``
(an ISCO-08 code such as ``"2511"``, an ESCO occupation URI, or a ``CategoryCode`` with
``codeValue`` and ``inCodeSet``) are read into :class:`JobPosting`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from skilltwin._jsonio import check_depth
from skilltwin._jsonio import loads as load_json
from skilltwin._markup import html_to_text, json_ld_blocks, looks_like_html
from skilltwin._validation import check_input_file
from skilltwin.errors import InputValidationError, JobPostingError

__all__ = ["JobPosting", "PostingCategory", "PostingSkill", "read_job_posting",
           "read_job_postings"]

MAX_BYTES = 10_000_000
"""Largest page or JSON-LD file read."""

_ESCO = re.compile(r"^https?://data\.europa\.eu/esco/(skill|occupation|isco)/(\S+)$")
_ISCO_CODE = re.compile(r"^\s*(\d{1,4})(?:\s|$|[:\-–]\s)")
_MAX_DEPTH = 20


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class PostingSkill(_Frozen):
    """A skill the posting names: its text, and the ESCO skill URI it gives, if any."""

    name: str
    esco_uri: str | None = None


class PostingCategory(_Frozen):
    """An ``occupationalCategory`` of the posting.

    Attributes:
        text: The category as the posting gives it (code and name).
        isco_code: An ISCO-08 code (1 to 4 digits), when the category is one: a bare code,
            a ``CategoryCode`` whose ``inCodeSet`` names ISCO (or none), or an ESCO ISCO
            group URI.
        esco_uri: An ESCO occupation URI, when the category is one.
    """

    text: str
    isco_code: str | None = None
    esco_uri: str | None = None


class JobPosting(_Frozen):
    """The parts of a schema.org ``JobPosting`` that describe the work and its skills.

    Attributes:
        title: The job title.
        description: The description as plain text.
        responsibilities, qualifications: Those fields as plain text ("" when absent).
        skills: The skills the posting names, in its order.
        occupational_categories: Its occupational categories.
        identifier, date_posted, url: As the posting gives them, when it does.
    """

    title: str
    description: str = ""
    responsibilities: str = ""
    qualifications: str = ""
    skills: tuple[PostingSkill, ...] = ()
    occupational_categories: tuple[PostingCategory, ...] = ()
    identifier: str | None = None
    date_posted: str | None = None
    url: str | None = None

    @property
    def text(self) -> str:
        """Description, responsibilities and qualifications: the text skills are found in."""
        return "\n".join(part for part in (self.description, self.responsibilities,
                                           self.qualifications) if part)


def read_job_posting(source: str | Path | Mapping[str, Any] | list[Any]) -> JobPosting:
    """The one ``JobPosting`` of a page or JSON-LD document.

    Args:
        source: A path to an HTML page (``.html``, ``.htm``) or a JSON-LD file (``.json``,
            ``.jsonld``); or the page or JSON itself as text (starting with ``<``, ``{`` or
            ``[``); or JSON-LD already parsed (a dict or a list).

    Raises:
        JobPostingError: no JobPosting, malformed JSON, a posting without a title, or more
            than one posting (use :func:`read_job_postings`).
    """
    postings = read_job_postings(source)
    if len(postings) > 1:
        titles = ", ".join(repr(posting.title) for posting in postings[:5])
        raise JobPostingError(
            f"holds {len(postings)} job postings ({titles}); use read_job_postings() and "
            "choose one.",
            path=_where(source),
        )
    return postings[0]


def read_job_postings(source: str | Path | Mapping[str, Any] | list[Any]) -> list[JobPosting]:
    """Every ``JobPosting`` of a page or JSON-LD document, in document order (see
    :func:`read_job_posting` for ``source``).

    Raises:
        JobPostingError: the source holds no JobPosting, or its JSON is malformed.
    """
    where = _where(source)
    documents, broken = _documents(source, where)
    found = [node for document in documents for node in _postings(document, 0)]
    if not found:
        detail = (f"; {len(broken)} JSON-LD block(s) could not be read ({broken[0]})"
                  if broken else "")
        raise JobPostingError(
            "holds no schema.org JobPosting (JSON-LD with \"@type\": \"JobPosting\")"
            f"{detail}. Give the vacancy page or its JSON-LD, or use JobProfile.from_text "
            "with the vacancy text.",
            path=where,
        )
    return [_posting(node, where, number) for number, node in enumerate(found, start=1)]


def _where(source: object) -> str:
    if isinstance(source, Path):
        return str(source)
    if isinstance(source, str) and source.lstrip()[:1] not in ("<", "{", "["):
        return source
    return "job posting"


def _documents(source: str | Path | Mapping[str, Any] | list[Any], where: str
               ) -> tuple[list[Any], list[str]]:
    """The JSON-LD documents of the source, and why unreadable blocks of a page failed."""
    if isinstance(source, (Mapping, list)):
        try:
            check_depth(source)
        except ValueError as exc:
            raise JobPostingError(f"cannot be read: {exc}.", path=where) from None
        return [source], []
    if not isinstance(source, (str, Path)):
        raise InputValidationError(
            f"expected a path, page text or JSON-LD dict, got {type(source).__name__}.",
            field="source",
        )
    text, suffix = _text(source, where)
    start = text.lstrip()[:1]
    if suffix in (".json", ".jsonld") or (suffix not in (".html", ".htm") and start in "{["
                                          and start):
        try:
            return [load_json(text)], []
        except ValueError as exc:  # malformed, or nested too deeply
            raise JobPostingError(f"is not valid JSON ({exc}); give JSON-LD with a "
                                  "JobPosting object.", path=where) from None
    documents, broken = [], []
    for block in json_ld_blocks(text):
        try:
            documents.append(load_json(block))
        except ValueError as exc:
            broken.append(str(exc))
    return documents, broken


def _text(source: str | Path, where: str) -> tuple[str, str]:
    if isinstance(source, str) and source.lstrip()[:1] in ("<", "{", "["):
        return source, ""
    file = check_input_file(source, what="job posting")
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise JobPostingError(f"is {size / 1e6:.0f} MB; a vacancy page is far smaller "
                                  f"(limit {MAX_BYTES // 1_000_000} MB).", path=where)
        raw = file.read_bytes()
    except OSError as exc:
        raise InputValidationError(f"cannot be read ({exc.strerror or exc}).",
                                   path=file) from None
    return _decoded(raw, file.suffix.lower(), where), file.suffix.lower()


def _decoded(raw: bytes, suffix: str, where: str) -> str:
    """The text of a page or JSON-LD file, decoded as :func:`~skilltwin.read_document` decodes
    it: UTF-8 or UTF-16 with a byte-order mark; a page may declare its charset
    (``<meta charset="windows-1252">``) and is otherwise read as Windows-1252 with a
    :class:`~skilltwin.documents.DocumentWarning`. JSON-LD files must be UTF-8 (or UTF-16)."""
    from skilltwin.documents.decode import DecodeProblem, decode
    from skilltwin.documents.reader import DocumentWarning

    json_file = suffix in (".json", ".jsonld")
    try:
        text, notes = decode(raw, html=not json_file)
    except DecodeProblem as problem:
        raise JobPostingError(str(problem), path=where) from None
    if notes and json_file:
        raise JobPostingError("is not UTF-8 text; JSON-LD must be UTF-8: save it as UTF-8.",
                              path=where)
    for note in notes:
        warnings.warn(f"{where}: {note}", DocumentWarning, stacklevel=5)
    return text


def _postings(node: Any, depth: int) -> Iterator[Mapping[str, Any]]:
    """JobPosting objects anywhere in a JSON-LD document (lists, ``@graph``, nesting)."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _postings(item, depth + 1)
    elif isinstance(node, Mapping):
        if _is_posting(node.get("@type")):
            yield node
            return
        for value in node.values():
            if isinstance(value, (list, Mapping)):
                yield from _postings(value, depth + 1)


def _is_posting(kind: object) -> bool:
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and re.split(r"[/:#]", k)[-1] == "JobPosting" for k in kinds)


def _posting(node: Mapping[str, Any], where: str, number: int) -> JobPosting:
    title = _plain(node.get("title")) or _plain(node.get("name"))
    if not title:
        raise JobPostingError("has a JobPosting without a title; a posting needs one "
                              "(schema.org JobPosting.title).", path=where, row=number)
    return JobPosting(
        title=title.replace("\n", " "),
        description=_plain(node.get("description")),
        responsibilities=_plain(node.get("responsibilities")),
        qualifications=_plain(node.get("qualifications")),
        skills=tuple(skill for value in _as_list(node.get("skills")) for skill in _skills(value)),
        occupational_categories=tuple(
            category for value in _as_list(node.get("occupationalCategory"))
            if (category := _category(value)) is not None),
        identifier=_identifier(node.get("identifier")),
        date_posted=_plain(node.get("datePosted")) or None,
        url=_plain(node.get("url")) or None,
    )


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _plain(value: object) -> str:
    """Text of a field: a string (HTML becomes text), a number, or an object's ``name``."""
    if isinstance(value, list):
        return "\n".join(filter(None, (_plain(item) for item in value)))
    if isinstance(value, Mapping):
        value = value.get("name", value.get("@value", ""))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    return html_to_text(value) if looks_like_html(value) or "&" in value else value.strip()


def _identifier(value: object) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("value", value.get("name"))
    return _plain(value) or None


def _esco(values: object, kind: str) -> str | None:
    for value in _as_list(values):
        text = value.get("@id", value.get("url")) if isinstance(value, Mapping) else value
        if isinstance(text, str):
            found = _ESCO.match(text.strip())
            if found and found.group(1) == kind:
                return text.strip().replace("https://", "http://", 1)
    return None


def _skills(value: object) -> list[PostingSkill]:
    if isinstance(value, Mapping):  # a DefinedTerm
        uri = (_esco(value.get("@id"), "skill") or _esco(value.get("url"), "skill")
               or _esco(value.get("sameAs"), "skill") or _esco(value.get("termCode"), "skill"))
        name = _plain(value.get("name")) or _plain(value.get("termCode"))
        if name and _ESCO.match(name):
            name = ""
        return [PostingSkill(name=name, esco_uri=uri)] if name or uri else []
    text = _plain(value)
    if _esco(text, "skill"):
        return [PostingSkill(name="", esco_uri=_esco(text, "skill"))]
    parts = (part.strip(" .•-*") for part in re.split(r"[\n,;•]", text))
    return [PostingSkill(name=part) for part in parts if part]


def _category(value: object) -> PostingCategory | None:
    if isinstance(value, Mapping):  # a CategoryCode
        code = _plain(value.get("codeValue"))
        name = _plain(value.get("name"))
        code_set = value.get("inCodeSet")
        set_name = (" ".join(_plain(code_set.get(key)) for key in ("name", "url", "@id"))
                    if isinstance(code_set, Mapping) else _plain(code_set))
        uri = _esco(value.get("@id"), "occupation") or _esco(value.get("url"), "occupation") \
            or _esco(code, "occupation")
        text = " ".join(part for part in (code, name) if part)
        isco = None
        if not uri and re.fullmatch(r"\d{1,4}", code) and (
                not set_name or "isco" in set_name.casefold()):
            isco = code
        return PostingCategory(text=text or set_name, isco_code=isco, esco_uri=uri) \
            if text or uri else None
    text = _plain(value)
    if not text:
        return None
    found = _ESCO.match(text)
    if found and found.group(1) == "occupation":
        return PostingCategory(text=text, esco_uri=_esco(text, "occupation"))
    if found and found.group(1) == "isco":
        code = found.group(2).lstrip("C")
        return PostingCategory(text=text, isco_code=code if code.isdigit() else None)
    code_match = _ISCO_CODE.match(text)
    return PostingCategory(text=text, isco_code=code_match.group(1) if code_match else None)
