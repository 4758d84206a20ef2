"""Registered purposes: every workspace step names one from a closed list, never free text.

A purpose is written to the audit log in clear (it says why a step ran, for the notice to
workers and the works council), so it must not be a place where personal data can slip in:
an employee id or a name typed into the purpose of a batch entry (which has no subject)
would survive that employee's erasure. A step therefore names a purpose from a registry:
:data:`DEFAULT_PURPOSES`, the purposes a store registers (``store.configure(purposes=[...])``)
and those given to ``Workspace(..., purposes=[...])``. Anything else is refused with a
message that says how to register it. Free text about a step goes into a :class:`Purpose`'s
``note``, which the log keeps as a keyed hash and its length (in clear only with
``AuditLog(log_free_text=True)``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from skilltwin._validation import check_text
from skilltwin.errors import ConfigurationError

__all__ = ["DEFAULT_PURPOSES", "MAX_PURPOSE_CHARS", "Purpose", "purpose_key",
           "purpose_name", "registered_purpose", "registry"]

DEFAULT_PURPOSES: tuple[str, ...] = (
    "internal mobility",
    "training plan",
    "workforce planning",
    "recruitment",
    "profile drafting",
    "interne mobiliteit",
    "opleidingsplan",
    "strategische personeelsplanning",
    "werving en selectie",
    "opstellen van functieprofielen",
)
"""The purposes every workspace accepts without registration (English and Dutch); a store
or a workspace adds its own."""

MAX_PURPOSE_CHARS = 80
"""The longest purpose name accepted."""

_PUNCTUATION = frozenset(" -'(),./&")
_NUMBERS = re.compile(r"\d+")
_YEAR = re.compile(r"(19|20)\d\d")


class Purpose(str):
    """A registered purpose with an optional free-text ``note``, accepted wherever a step
    takes ``purpose=``.

    The purpose itself must be registered; the note is logged as a keyed hash and its length
    (never in clear unless the log keeps free text), so it may say more, e.g.
    ``Purpose("internal mobility", note="vacancy 2026-14, asked by the team lead")``.
    """

    note: str | None

    def __new__(cls, name: str, *, note: str | None = None) -> Purpose:
        if note is not None and not isinstance(note, str):
            raise ConfigurationError(f"a purpose's note must be a str, not "
                                     f"{type(note).__name__}.")
        made = super().__new__(cls, name)
        made.note = note if note and note.strip() else None
        return made

    def __repr__(self) -> str:
        return f"Purpose({str(self)!r}, note={'…' if self.note else None})"


def purpose_key(name: str) -> str:
    """How purposes are compared: Unicode NFC, runs of white space as one space, no case."""
    return " ".join(unicodedata.normalize("NFC", name).split()).casefold()


def purpose_name(value: Any) -> str:
    """``value`` as a purpose name that may be registered: one line of letters, spaces and
    ``- ' ( ) , . / &``, at most :data:`MAX_PURPOSE_CHARS` characters; the only numbers
    allowed are years (1900-2099), so that no employee id or case number becomes a purpose.

    Raises:
        ConfigurationError: anything else, with what to do.
    """
    check_text(value, "purpose", empty=False,
               hint="Name the purpose, e.g. 'internal mobility'.")
    name = " ".join(unicodedata.normalize("NFC", value).split())
    bad = sorted({c for c in name if not (c.isalnum() or c in _PUNCTUATION)})
    numbers = [n for n in _NUMBERS.findall(name) if not _YEAR.fullmatch(n)]
    if numbers:
        raise ConfigurationError(
            f"a purpose may hold no number but a year (ids and case numbers belong in a note, "
            f"which is logged as a keyed hash): Purpose('internal mobility', note='...'); "
            f"refused: {len(name)} characters with the number(s) {', '.join(numbers[:3])}.")
    if bad or len(name) > MAX_PURPOSE_CHARS or not any(c.isalpha() for c in name):
        raise ConfigurationError(
            f"{name[:MAX_PURPOSE_CHARS]!r} cannot be a purpose: a purpose is a short name "
            f"(letters, spaces, years and - ' ( ) , . / &; at most {MAX_PURPOSE_CHARS} "
            "characters"
            + (f"; not {' '.join(repr(c) for c in bad[:5])}" if bad else "")
            + "). Put details in a note: Purpose('internal mobility', note='...')."
        )
    return name


def registered_purpose(value: Any, registry: Iterable[str]) -> str:
    """The registered spelling of the purpose ``value`` names.

    Raises:
        ConfigurationError: ``value`` is empty, or not in ``registry``; the message lists the
            registered purposes and says how to register another one.
    """
    check_text(value, "purpose", empty=False,
               hint="Every workspace step needs a purpose (e.g. 'internal mobility'): pass "
               "purpose= to this call or Workspace(..., purpose=...).")
    known = {purpose_key(name): name for name in registry}
    found = known.get(purpose_key(value))
    if found is None:
        shown = " ".join(str(value).split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise ConfigurationError(
            f"the purpose {shown!r} is not registered; purposes come from a fixed list so "
            "that no free text (or personal data) is logged as a purpose. Use one of: "
            f"{', '.join(sorted(known.values()))}; or register it first with "
            "store.configure(purposes=[...]) (a store) or Workspace(..., purposes=[...]), and "
            "put free text in a note: Purpose('internal mobility', note='...').")
    return found


def registry(*sources: Iterable[str]) -> tuple[str, ...]:
    """:data:`DEFAULT_PURPOSES` and the names in ``sources`` (each checked), without
    duplicates (compared by :func:`purpose_key`), in order."""
    seen: dict[str, str] = {}
    for name in (*DEFAULT_PURPOSES, *(n for source in sources for n in source)):
        checked = purpose_name(name)
        seen.setdefault(purpose_key(checked), checked)
    return tuple(seen.values())
