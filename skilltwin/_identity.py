"""The one identity rule: how employee ids, reviewer names and skill keys are read.

Every boundary that takes an id (a twin, a claims table, a store import, a store look-up,
erasure, the audit log's pseudonyms, reviewer names) passes it through :func:`normalise_id`,
and compares two ids through :func:`identity_key`:

1. **Text.** An id is text; a whole number (``1001``, also ``1001.0``, which is what pandas
   makes of a column of whole-number ids with a gap in it) is read as its digits. Anything
   else (a fraction, a yes/no value, a list) is refused.
2. **Unicode NFC.** The composed and decomposed spellings of ``"josé.müller"`` are the same
   text.
3. **White space.** White space around the id is removed and every run of white space inside
   it becomes one plain space (``" Emp-7 "`` is ``"Emp-7"``, ``"A.  Jansen"`` is
   ``"A. Jansen"``).
4. **Refused characters.** Control characters (NUL, tab, new line...), format characters
   (zero-width spaces, direction marks), line and paragraph separators, lone surrogates and
   the other characters that show as nothing (:data:`INVISIBLE`: variation selectors, Hangul
   fillers, a blank Braille pattern...) and compatibility characters (full-width digits and
   letters, ligatures, superscripts: what NFKC would change) are refused, never dropped or
   folded silently: they make ids that look alike but differ.
5. **Length.** At most :data:`ID_MAX_LENGTH` (200) characters after steps 2-3, on every path
   (the store's PostgreSQL columns hold the same 200).
6. **Case.** Ids are kept as written (after steps 2-3) but compared ignoring case: the
   identity key is the case-folded NFC form, so ``"Emp-7"`` and ``"emp-7"`` are one employee,
   with one pseudonym, and erasing one erases the other. Where one table or store holds
   several spellings of one key, the first one met is the one shown.

The reasons are plain text without the location, the same on every path (they end with the
value at fault, shown by :func:`shown`).
"""

from __future__ import annotations

import math
import numbers
import unicodedata

from skilltwin.errors import InputValidationError

__all__ = [
    "ID_MAX_LENGTH",
    "INVISIBLE",
    "identity_key",
    "is_blank",
    "key_of_normalised",
    "normalise_id",
    "read_id",
    "shown",
]

ID_MAX_LENGTH = 200
"""The longest id (employee id, skill key, reviewer name) accepted, in characters."""

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
INVISIBLE = frozenset((
    0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, 0x2800,
    *range(0x180B, 0x1810), *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0),
))
"""Default-ignorable code points outside the refused categories (a combining grapheme
joiner, Hangul fillers, variation selectors, a blank Braille pattern...): they show as
nothing, so an id holding one looks like another."""
_SHOWN_LENGTH = 40


def is_blank(value: object) -> bool:
    """Whether ``value`` is an empty cell: ``None``, NaN, NaT, ``pd.NA`` or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    kind = type(value).__name__
    if kind in ("NaTType", "NAType"):
        return True
    if kind.startswith("float") and hasattr(value, "dtype"):  # numpy floats
        return bool(value != value)
    if kind == "datetime64" or kind == "timedelta64":
        import numpy as np

        return bool(np.isnat(value))  # type: ignore[call-overload]
    return False


def shown(value: object) -> str:
    """``value`` as a reason shows it: short, on one line, numbers without a trailing ``.0``."""
    if isinstance(value, str):
        text = value.strip()
        printable = text.isprintable()
        shown_text = text if printable else repr(text)
    elif isinstance(value, bool) or type(value).__name__ == "bool_":
        shown_text = str(bool(value))
    elif isinstance(value, numbers.Integral):
        digits = int(value)
        shown_text = (str(digits) if abs(digits) < 10**_SHOWN_LENGTH
                      else f"a number of more than {_SHOWN_LENGTH} digits")
    elif isinstance(value, numbers.Real):
        shown_text = f"{float(value):g}"
    else:
        shown_text = repr(value)
    if len(shown_text) > _SHOWN_LENGTH:
        shown_text = shown_text[: _SHOWN_LENGTH - 3] + "..."
    return shown_text


def read_id(value: object, *, what: str = "employee id",
            numbers_allowed: bool = True) -> tuple[str | None, str]:
    """``(normalised id, "")`` or ``(None, reason)``: the rule of this module as data.

    Args:
        value: The id as given.
        what: What the id names, for the reason (``"employee id"``, ``"skill"``...).
        numbers_allowed: Whether a whole number is read as its digits (ids) or refused
            (skill keys, names).
    """
    if is_blank(value):
        return None, f"missing {what}"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
            and type(value).__name__ != "bool_" and numbers_allowed:
        if abs(int(value)) >= 10**_SHOWN_LENGTH:
            return None, f"{what} is a number of more than {_SHOWN_LENGTH} digits"
        return str(int(value)), ""
    if numbers_allowed and isinstance(value, numbers.Real) and not isinstance(value, bool) \
            and type(value).__name__ != "bool_" and math.isfinite(float(value)) \
            and float(value).is_integer() and abs(float(value)) < 2**53:
        # a column of whole-number ids with a gap in it is read by pandas as floats
        return str(int(float(value))), ""
    if not isinstance(value, str):
        return None, (f"expected text for the {what}, got {type(value).__name__}: "
                      f"{shown(value)}")
    text = value.strip() if value.isascii() else unicodedata.normalize("NFC", value).strip()
    if not (text.isascii() and text.isprintable()):  # else no character to refuse
        for char in text:
            if unicodedata.category(char) in _REFUSED_CATEGORIES or ord(char) in INVISIBLE:
                return None, (f"{what} holds the control or invisible character "
                              f"U+{ord(char):04X}; remove it: {shown(value)}")
            if not char.isspace() and unicodedata.normalize("NFKC", char) != char:
                return None, (f"{what} holds the compatibility character {char!r} "
                              f"(U+{ord(char):04X}: full-width, a ligature, a superscript...) "
                              f"that looks like another; type it plainly: {shown(value)}")
    normalised = " ".join(text.split())
    if not normalised:
        return None, f"missing {what}"
    if len(normalised) > ID_MAX_LENGTH:
        return None, (f"{what} is longer than {ID_MAX_LENGTH} characters "
                      f"({len(normalised)}): {shown(value)}")
    return normalised, ""


def normalise_id(value: object, field: str = "employee_id", *, what: str = "employee id",
                 numbers_allowed: bool = True) -> str:
    """``value`` as an id by the rule of this module, or :class:`InputValidationError`
    (naming ``field``) with the reason."""
    normalised, reason = read_id(value, what=what, numbers_allowed=numbers_allowed)
    if normalised is None:
        raise InputValidationError(reason, field=field)
    return normalised


def identity_key(value: str) -> str:
    """What two ids are compared by: the normalised id, case folded (NFC again after the
    fold). ``identity_key("Emp-7 ") == identity_key("emp-7")``.

    ``value`` that breaks the rule raises :class:`InputValidationError`.
    """
    normalised = normalise_id(value)
    return unicodedata.normalize("NFC", normalised.casefold())


def key_of_normalised(text: str) -> str:
    """:func:`identity_key` of an id already passed through :func:`normalise_id` (or read
    from a store that holds it): NFC, white space squeezed, case folded; never raises."""
    squeezed = " ".join(unicodedata.normalize("NFC", text).split())
    return unicodedata.normalize("NFC", squeezed.casefold())
