"""ISCO-08 groups of occupations: an occupation's code at each number of digits, with its label.

ESCO places every occupation under an ISCO-08 unit group (four digits, e.g. ``2511``
"Systems analysts"); its own occupation codes extend that code (``2511.1``). ISCO-08 has four
levels: major group (1 digit, ``2`` "Professionals"), sub-major group (2 digits, ``25``),
minor group (3 digits, ``251``) and unit group (4 digits, ``2511``). The ESCO download holds
all of them as concepts of kind ``isco_group``, labelled in the taxonomy's language.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Literal

from skilltwin.errors import ConfigurationError
from skilltwin.taxonomy.models import ISCOGroup, Occupation

if TYPE_CHECKING:
    from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["ISCO_DIGITS", "IscoDigits", "isco_group"]

IscoDigits = Literal[1, 2, 3, 4]
ISCO_DIGITS: tuple[IscoDigits, ...] = (1, 2, 3, 4)
"""The four depths of ISCO-08 codes, in digits: major, sub-major, minor and unit group."""

_ESCO_ISCO_URI = "http://data.europa.eu/esco/isco/C"

_GROUPS: weakref.WeakKeyDictionary[Taxonomy, tuple[dict[str, ISCOGroup], dict[str, str]]] = \
    weakref.WeakKeyDictionary()


def isco_group(taxonomy: Taxonomy, occupation: str | Occupation, digits: int = 4
               ) -> ISCOGroup | None:
    """The ISCO-08 group of ``occupation`` of ``digits`` digits (1-4), labelled in the taxonomy's
    language.

    ``occupation`` is an :class:`Occupation` or its URI or label. The four-digit code comes
    from the occupation's ISCO group (or, without one, from its ESCO code: ``2511.1`` is in
    ``2511``); ``digits=n`` keeps its first ``n`` digits. When the taxonomy holds no concept for
    that group (a :meth:`Taxonomy.subset`), the group's label is its code.

    Returns ``None`` when the occupation carries no ISCO code.

    Raises:
        ConfigurationError: ``digits`` is not 1, 2, 3 or 4.
        UnknownConceptError: ``occupation`` names no occupation of the taxonomy.
    """
    if isinstance(digits, bool) or digits not in ISCO_DIGITS:
        raise ConfigurationError(f"the ISCO digits must be 1, 2, 3 or 4, not {digits!r}.")
    if not isinstance(occupation, Occupation):
        occupation = taxonomy.occupation(occupation)
    groups, codes = _groups(taxonomy)
    unit = _unit_code(occupation, codes)
    if unit is None:
        return None
    code = unit[:digits]
    found = groups.get(code)
    if found is not None:
        return found
    return ISCOGroup(uri=_ESCO_ISCO_URI + code, label=code, code=code)


def _unit_code(occupation: Occupation, codes: dict[str, str]) -> str | None:
    """The occupation's four-digit ISCO-08 unit group code."""
    if occupation.isco_group:
        if occupation.isco_group in codes:
            return codes[occupation.isco_group]
        if occupation.isco_group.startswith(_ESCO_ISCO_URI):
            return occupation.isco_group[len(_ESCO_ISCO_URI):]
    code = occupation.isco_code
    return code if code and code.isdigit() else None


def _groups(taxonomy: Taxonomy) -> tuple[dict[str, ISCOGroup], dict[str, str]]:
    """The taxonomy's ISCO groups by code, and their codes by URI (built once per
    taxonomy)."""
    found = _GROUPS.get(taxonomy)
    if found is None:
        concepts = taxonomy.concepts_frame()
        rows = concepts[concepts["kind"] == "isco_group"]
        by_code: dict[str, ISCOGroup] = {}
        for uri, code in zip(rows.index, rows["code"], strict=True):
            if isinstance(code, str) and code:
                group = taxonomy.concept(str(uri), "isco_group")
                assert isinstance(group, ISCOGroup)
                by_code[code] = group
        found = by_code, {group.uri: code for code, group in by_code.items()}
        _GROUPS[taxonomy] = found
    return found
