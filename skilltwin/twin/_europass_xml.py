"""A Europass v3 XML file (``SkillsPassport``) read safely into the shape of Europass JSON.

The XML is parsed with :mod:`defusedxml`, which refuses document type declarations, entity
declarations and external references outright: no entity expansion (XML bombs), no
external entities (XXE), no network or disk access. The tree is then turned into the nested
dicts and lists of the Europass JSON export (``WorkExperienceList/WorkExperience`` becomes
``"WorkExperience": [...]``, ``<From year="2019" month="--03"/>`` becomes
``{"Year": 2019, "Month": 3}``), so one builder reads both formats.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # only for the types; parsing is defused
from pathlib import Path
from typing import Any

from skilltwin.errors import EuropassError

__all__ = ["NAMESPACE", "xml_document"]

NAMESPACE = "http://europass.cedefop.europa.eu/Europass"
_CANDIDATE_NAMESPACE = "http://www.europass.eu/1.0"

# Elements of rich text the Europass editor writes inside descriptions.
_MARKUP_TAGS = frozenset({"a", "b", "br", "div", "em", "i", "li", "ol", "p", "span", "strong",
                          "sub", "sup", "u", "ul"})
_DATE_PARTS = {"year": "Year", "month": "Month", "day": "Day"}
#: How deeply elements may nest. A Europass CV nests about ten levels (rich text a few more);
#: thousands of levels would exhaust Python's stack in the code that reads the tree.
MAX_XML_DEPTH = 100


def xml_document(raw: bytes, path: Path) -> dict[str, Any]:
    """``{"SkillsPassport": {...}}`` from the bytes of a Europass v3 XML file.

    Raises:
        EuropassError: a DTD or entity declaration (refused), malformed XML, or XML that is
            not a Europass v3 CV.
    """
    import defusedxml
    import defusedxml.ElementTree as SafeET

    try:
        root = SafeET.fromstring(raw, forbid_dtd=True, forbid_entities=True,
                                 forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise EuropassError(
            "declares a document type or entities, which skilltwin refuses (entity expansion "
            "and external entities can exhaust memory or read files). A Europass export has "
            "neither: export the CV again from Europass.",
            path=path,
        ) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise EuropassError(
            f"is not well-formed XML (line {line}, column {column}: "
            f"{str(exc).split(':', 1)[0]}); export the CV again from Europass.",
            path=path,
        ) from None
    _check_depth(root, path)
    namespace, name = _split(root.tag)
    if name == "Candidate" and namespace == _CANDIDATE_NAMESPACE:
        raise EuropassError(
            "is a Europass CV of the 2020 format (Candidate, http://www.europass.eu/1.0); "
            "skilltwin reads the Europass v3 format (SkillsPassport, XML or JSON). Export the "
            "CV as v3, or give its text to EmployeeTwin.from_cv.",
            path=path,
        )
    if name != "SkillsPassport" or (namespace and not namespace.startswith(NAMESPACE)):
        found = f"{{{namespace}}}{name}" if namespace else name
        raise EuropassError(
            f"is XML but not a Europass CV: its root element is {found!r}, not SkillsPassport "
            f"of {NAMESPACE}. Give the XML file Europass exported.",
            path=path,
        )
    for element in root.iter():
        element.tag = _split(element.tag)[1]
    passport = _value(root)
    if not isinstance(passport, dict):
        passport = {}
    if root.get("locale"):
        passport["Locale"] = root.get("locale")
    return {"SkillsPassport": passport}


def _check_depth(root: ET.Element, path: Path) -> None:
    """Refuse elements nested more than :data:`MAX_XML_DEPTH` levels (walked without
    recursion)."""
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_XML_DEPTH:
            raise EuropassError(
                f"nests elements more than {MAX_XML_DEPTH} levels deep, which no Europass CV "
                "does; export the CV again from Europass.",
                path=path,
            )
        stack.extend((child, depth + 1) for child in element)


def _split(tag: object) -> tuple[str, str]:
    text = tag if isinstance(tag, str) else ""
    if text.startswith("{"):
        namespace, _, name = text[1:].partition("}")
        return namespace, name
    return "", text


def _value(element: ET.Element) -> Any:
    """The JSON-shaped value of one element."""
    children = list(element)
    if element.tag in ("From", "To") or (not children and element.attrib.keys() & _DATE_PARTS):
        return {_DATE_PARTS[key]: _number(value) for key, value in element.attrib.items()
                if key in _DATE_PARTS}
    if not children:
        return (element.text or "").strip()
    if all(child.tag in _MARKUP_TAGS for child in children):
        return _markup(element)
    if element.tag.endswith("List") and len(element.tag) > 4:
        item = element.tag[:-4]
        return [_value(child) for child in children if child.tag == item]
    result: dict[str, Any] = {}
    for child in children:
        value = _value(child)
        key = child.tag[:-4] if child.tag.endswith("List") and isinstance(value, list) \
            else child.tag
        if key in result:  # a repeated element without a ...List wrapper
            earlier = result[key]
            result[key] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
        else:
            result[key] = value
    return result


def _markup(element: ET.Element) -> str:
    """The inner XHTML of ``element`` as text, for the HTML-to-text step."""
    inner = [element.text or ""]
    inner.extend(ET.tostring(child, encoding="unicode") for child in element)
    return "".join(inner)


def _number(text: str) -> int | None:
    """``"2019"``, ``"--03"`` (xs:gMonth) or ``"---01"`` (xs:gDay) as a number."""
    digits = text.strip().lstrip("-")
    return int(digits) if digits.isdigit() else None
