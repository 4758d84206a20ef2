"""Who may override and decide: reviewer names and reasons, normalised before they count.

A name is compared in a normal form: Unicode NFKC, invisible characters (zero-width spaces,
joiners, direction marks, variation selectors...) removed, runs of white space squeezed to one
space, case folded, and, to tell people apart, only its letters and digits. So
``"A.  Jansen"``, ``"a. jansen"`` and ``"A. Jansen"`` followed by a zero-width space are one
person. A reviewer must have a name with at least two letters, must not be the workspace's
automated actor, and must not be a placeholder such as ``"system"``. A name that mixes the
look-alike Latin, Cyrillic and Greek alphabets (``"Sуstem"`` with a Cyrillic ``у``, ``"Jаnsen"``
with a Cyrillic ``а``) is refused, so that no name passes for another one or for a placeholder.
"""

from __future__ import annotations

import unicodedata

from skilltwin._identity import ID_MAX_LENGTH
from skilltwin.errors import OversightError

__all__ = ["display_name", "name_key", "reason_text", "reviewer_name"]

# Default-ignorable code points that are not in the Unicode "format" category.
_INVISIBLE = frozenset((
    0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2800,
    *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0),
))
_PLACEHOLDERS = frozenset({
    "system", "skilltwin", "automated", "automatic", "automation", "auto", "bot", "robot",
    "machine", "model", "algorithm", "ai", "computer", "script", "cron", "scheduler",
    "pipeline", "service", "daemon", "root", "admin", "administrator", "anonymous", "anon",
    "unknown", "nobody", "noone", "none", "null", "nil", "undefined", "na", "nvt", "tbd",
    "test", "tester", "user", "reviewer", "human", "person", "someone", "somebody", "me",
    "self", "x", "xx", "xxx",
})


def display_name(value: str) -> str:
    """``value`` in NFKC with invisible characters removed and white space squeezed."""
    text = unicodedata.normalize("NFKC", value)
    kept = "".join(
        " " if char.isspace() else char for char in text
        if char.isspace() or (unicodedata.category(char)[0] != "C" and ord(char) not in _INVISIBLE)
    )
    return " ".join(kept.split())


def name_key(value: str) -> str:
    """What tells two names apart: the letters and digits of the display name, case folded."""
    return "".join(char for char in display_name(value).casefold() if char.isalnum())


_LOOK_ALIKE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})


def _letters(text: str) -> int:
    return sum(1 for char in text if unicodedata.category(char).startswith("L"))


def _mixes_look_alike_scripts(text: str) -> bool:
    """Whether ``text`` has letters of two of the Latin, Cyrillic and Greek alphabets."""
    scripts = {unicodedata.name(char, "").split(" ")[0] for char in text if char.isalpha()}
    return len(scripts & _LOOK_ALIKE_SCRIPTS) > 1


def reviewer_name(value: object, role: str, automated_actor: str) -> str:
    """The display form of a reviewer's name; raise when it cannot name a person.

    Raises:
        OversightError: not a string, fewer than two letters, look-alike alphabets mixed,
            a placeholder such as ``"system"``, or the workspace's automated actor.
    """
    shown = display_name(value) if isinstance(value, str) else ""
    if isinstance(value, str):  # the identity rule's limits (skilltwin/_identity.py)
        hidden = next((c for c in value if unicodedata.category(c) == "Cc" and not c.isspace()),
                      None)
        if hidden is not None or len(shown) > ID_MAX_LENGTH:
            problem = (f"holds the control character U+{ord(hidden):04X}" if hidden is not None
                       else f"is longer than {ID_MAX_LENGTH} characters")
            raise OversightError(f"the {role}'s name {problem}; give the name as plain text.")
    if _letters(shown) < 2:
        raise OversightError(
            f"the {role} must be a named human reviewer (a name with at least two letters), "
            f"not {value!r}; pass the name of the person who decides."
        )
    if _mixes_look_alike_scripts(shown):
        raise OversightError(
            f"{shown!r} mixes Latin, Cyrillic or Greek letters that look alike; "
            f"type the {role}'s name in one alphabet."
        )
    key = name_key(shown)
    if key in _PLACEHOLDERS:
        raise OversightError(
            f"{shown!r} is not a person's name; the {role} must be a named human reviewer."
        )
    if key == name_key(automated_actor):
        raise OversightError(
            f"{shown!r} is the workspace's automated actor; the {role} must be a named human "
            "reviewer other than the account that ran the automated steps."
        )
    return shown


def reason_text(value: object) -> str:
    """The display form of an override reason; raise when it says nothing (no letters)."""
    shown = display_name(value) if isinstance(value, str) else ""
    if not _letters(shown):
        raise OversightError(
            f"an override needs a reason in words, not {value!r}; say why the automated value "
            "is wrong."
        )
    return shown
