"""Turn the ESCO Web API's HAL JSON into skilltwin's concept models.

A resource document looks like this (abridged)::

    {"className": "Skill", "uri": "http://data.europa.eu/esco/skill/...", "title": "SQL",
     "preferredLabel": {"en": "SQL", "de": "SQL"},
     "alternativeLabel": {"en": ["structured query language"]},
     "description": {"en": {"literal": "...", "mimetype": "plain/text"}},
     "_links": {"hasSkillType": [{"uri": ".../skill-type/knowledge", "title": "knowledge"}],
                "hasReuseLevel": [{"uri": ".../skill-reuse-level/cross-sector"}], ...}}

Occupations add ``code`` and the links ``broaderIscoGroup``, ``hasEssentialSkill`` and
``hasOptionalSkill``. Search results (``_embedded.results``) are shorter: ``title`` and
``preferredLabel``, sometimes with plain URI lists such as ``hasSkillType`` or
``broaderIscoGroup`` at the top level instead of under ``_links``; both forms are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from skilltwin.errors import EscoApiError
from skilltwin.taxonomy.models import Occupation, Skill

__all__ = ["SearchKind", "parse_occupation", "parse_search", "parse_skill"]

SearchKind = Literal["skill", "occupation"]

# Last segment of ESCO's skill-type URIs -> the value the CSV download (and the models) use.
_SKILL_TYPES = {"skill": "skill/competence", "knowledge": "knowledge"}


def parse_skill(doc: Mapping[str, Any], language: str, source: str) -> Skill:
    """A :class:`Skill` from a ``/resource/skill`` document (or a skill search result).

    ``source`` names the request in error messages.
    """
    fields = _concept_fields(doc, language, source, expected_class="Skill")
    skill_type = _first_segment(doc, "hasSkillType", source)
    return Skill(
        **fields,
        skill_type=_SKILL_TYPES.get(skill_type, skill_type) if skill_type else None,
        reuse_level=_first_segment(doc, "hasReuseLevel", source),
    )


def parse_occupation(doc: Mapping[str, Any], language: str, source: str) -> Occupation:
    """An :class:`Occupation` from a ``/resource/occupation`` document (or a search result)."""
    fields = _concept_fields(doc, language, source, expected_class="Occupation")
    code = doc.get("code")
    isco_groups = _link_uris(doc, "broaderIscoGroup", source)
    return Occupation(
        **fields,
        code=code if isinstance(code, str) and code else None,
        isco_group=isco_groups[0] if isco_groups else None,
        essential_skills=_link_uris(doc, "hasEssentialSkill", source),
        optional_skills=_link_uris(doc, "hasOptionalSkill", source),
    )


def parse_search(doc: Mapping[str, Any], kind: SearchKind, language: str,
                 source: str) -> list[Skill] | list[Occupation]:
    """The concepts listed under ``_embedded.results`` of a ``/search`` document, in order."""
    embedded = doc.get("_embedded")
    if embedded is None and doc.get("total") == 0:
        return []
    results = embedded.get("results") if isinstance(embedded, Mapping) else None
    if not isinstance(results, list):
        raise _missing("_embedded.results (the list of search hits)", source)
    for position, result in enumerate(results):
        if not isinstance(result, Mapping):
            raise EscoApiError(f"{source}: search result {position} is not a JSON object; the "
                               "ESCO API may have changed its format.")
    if kind == "skill":
        return [parse_skill(result, language, f"{source}, result {i}")
                for i, result in enumerate(results)]
    return [parse_occupation(result, language, f"{source}, result {i}")
            for i, result in enumerate(results)]


def _concept_fields(doc: Mapping[str, Any], language: str, source: str,
                    expected_class: str) -> dict[str, Any]:
    class_name = doc.get("className")
    if isinstance(class_name, str) and class_name != expected_class:
        raise EscoApiError(
            f"{source}: expected a {expected_class} but the ESCO API returned a {class_name}. "
            f"Check that the URI names a {expected_class.lower()}."
        )
    uri = doc.get("uri")
    if not isinstance(uri, str) or not uri:
        raise _missing("'uri'", source)
    return {
        "uri": uri,
        "label": _label(doc, language, source),
        "alt_labels": _texts(doc.get("alternativeLabel"), language),
        "hidden_labels": _texts(doc.get("hiddenLabel"), language),
        "description": _description(doc.get("description"), language),
        "language": language,
    }


def _label(doc: Mapping[str, Any], language: str, source: str) -> str:
    labels = doc.get("preferredLabel")
    if isinstance(labels, Mapping):
        label = labels.get(language)
        if isinstance(label, str) and label.strip():
            return label.strip()
        raise EscoApiError(
            f"{source}: the concept has no preferred label in language {language!r} "
            f"(labels exist for: {', '.join(sorted(labels)) or 'none'}). ESCO may not "
            "translate it in this release; ask for one of those languages."
        )
    title = doc.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    raise _missing("'preferredLabel' and 'title'", source)


def _texts(value: object, language: str) -> tuple[str, ...]:
    """Labels in ``language`` from a language -> list-of-labels map (or -> single label)."""
    if not isinstance(value, Mapping):
        return ()
    texts = value.get(language)
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, list):
        return ()
    cleaned = (text.strip() for text in texts if isinstance(text, str))
    return tuple(dict.fromkeys(text for text in cleaned if text))


def _description(value: object, language: str) -> str:
    if not isinstance(value, Mapping):
        return ""
    entry = value.get(language)
    if isinstance(entry, Mapping):
        entry = entry.get("literal")
    return entry.strip() if isinstance(entry, str) else ""


def _link_uris(doc: Mapping[str, Any], relation: str, source: str) -> tuple[str, ...]:
    """Concept URIs of ``_links[relation]``, else of a top-level ``relation`` list, in order."""
    links = doc.get("_links")
    value = links.get(relation) if isinstance(links, Mapping) else None
    if value is None:
        value = doc.get(relation)
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    uris = [_link_uri(item, relation, source) for item in items]
    return tuple(dict.fromkeys(uris))


def _link_uri(item: object, relation: str, source: str) -> str:
    if isinstance(item, str) and item:
        return item
    if isinstance(item, Mapping):
        uri = item.get("uri")
        if isinstance(uri, str) and uri:
            return uri
        href = item.get("href")
        if isinstance(href, str):  # e.g. ".../resource/skill?uri=http%3A...&language=en"
            from_href = parse_qs(urlsplit(href).query).get("uri")
            if from_href:
                return from_href[0]
    raise _missing(f"the concept URI of a '{relation}' link", source)


def _first_segment(doc: Mapping[str, Any], relation: str, source: str) -> str | None:
    """Last path segment of the first ``relation`` link (``".../skill-type/knowledge"``)."""
    uris = _link_uris(doc, relation, source)
    return uris[0].rstrip("/").rsplit("/", 1)[-1] if uris else None


def _missing(what: str, source: str) -> EscoApiError:
    return EscoApiError(
        f"{source}: the ESCO API response lacks {what}. The API may have changed its format or "
        "returned a partial answer; try again, or report it with the request shown here."
    )
