"""Checks of user input at the public boundary, in one place.

Small functions in the style of scikit-learn's ``check_*`` helpers: each takes a value and the
name of the field (or argument) it came from, returns the value in the form the library works
with, or raises :class:`~skilltwin.errors.InputValidationError` whose message names the field
and says what to do. :func:`located` adds the file and record to errors raised inside it, so
that deep checks do not need to know where their data came from.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
import os
import re
from collections.abc import Container, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ValidationError,
    model_validator,
)

from skilltwin.errors import ConfigurationError, InputValidationError, UnknownConceptError

__all__ = [
    "CheckedModel",
    "NonEmptyText",
    "check_actor",
    "check_choice",
    "check_count",
    "check_date",
    "check_id",
    "check_input_file",
    "check_instance",
    "check_items",
    "check_known",
    "check_level",
    "check_list",
    "check_mapping",
    "check_members",
    "check_number",
    "check_path",
    "check_reason",
    "check_text",
    "check_top_k",
    "check_unique",
    "check_version",
    "describe_validation_error",
    "located",
    "model_error",
    "read_number",
    "read_text_file",
    "repeated_key",
    "scale_range",
    "validate_model",
]

_T = TypeVar("_T")
_Model = TypeVar("_Model", bound=BaseModel)
_VERSION_TEXT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
VERSION_MAX_LENGTH = 40
"""Longest version text accepted (ESCO releases look like ``v1.1.1``, frameworks ``2025.1``)."""


# -- files ------------------------------------------------------------------------------------
def check_path(path: object, field: str = "path", *, what: str = "file") -> Path:
    """``path`` (text or a path object, not empty) as a :class:`Path`."""
    if isinstance(path, bytes) or not isinstance(path, (str, os.PathLike)):
        raise InputValidationError(
            f"the {what} must be a path (str or pathlib.Path), not {type(path).__name__}.",
            field=field,
        )
    if not os.fspath(path).strip():
        raise InputValidationError(f"the {what} path is empty.", field=field)
    return Path(path).expanduser()


def check_input_file(path: object, *, what: str = "input file") -> Path:
    """``path`` as a :class:`Path` to an existing regular file (not a folder)."""
    file = check_path(path, "path", what=what)
    if not file.exists():
        raise InputValidationError(f"file not found; check the path of the {what}.", path=file)
    if file.is_dir():
        raise InputValidationError(
            f"is a folder, not a file; pass the {what} itself (e.g. {file}/NAME.json).",
            path=file,
        )
    if not file.is_file():
        raise InputValidationError(f"is not a regular file; pass the {what} itself.", path=file)
    return file


def read_text_file(path: object, *, what: str = "input file") -> str:
    """The text of a UTF-8 file (a leading byte-order mark is dropped)."""
    file = check_input_file(path, what=what)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputValidationError(
            f"cannot be read ({exc.strerror or exc}); check its permissions.", path=file
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputValidationError(
            f"line {line} is not valid UTF-8 (byte 0x{raw[exc.start]:02x}). Save the {what} as "
            "UTF-8, e.g. `iconv -f latin1 -t utf-8 IN > OUT`.",
            path=file,
        ) from None


def repeated_key(node: Any) -> tuple[str, int] | None:
    """The first key repeated within one YAML mapping under ``node`` (a composed PyYAML node),
    with its 1-based line; YAML would silently keep only the last value."""
    import yaml

    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                name = str(key.value)
                if isinstance(key, yaml.ScalarNode) and name in seen:
                    return name, int(key.start_mark.line) + 1
                seen.add(name)
                pending.append(value)
        elif isinstance(current, yaml.SequenceNode):
            pending.extend(current.value)
    return None


# -- values -----------------------------------------------------------------------------------
def read_number(value: object) -> float | str:
    """``value`` as a finite float, or what is wrong with it (``"is not a number"``...).

    Booleans (also numpy's) are refused: ``true`` is not the number 1; numeric text such as
    ``"3"`` (read from a CSV file) is accepted. :func:`check_number` raises with the problem;
    the claim rows of ``skilltwin/twin/_rows.py`` keep it as a row's reason.
    """
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "is a yes/no value, not a number"
    if isinstance(value, numbers.Real):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return "is not a number"
    else:
        return "is not a number"
    return number if math.isfinite(number) else "is not a finite number"


def check_number(
    value: object,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    exclusive_minimum: bool = False,
    within: str | None = None,
    hint: str = "",
) -> float:
    """``value`` as a finite float within the bounds (see :func:`read_number`).

    ``within`` names the allowed range in the message.
    """
    number = read_number(value)
    if isinstance(number, str):
        shown = _short(value) if isinstance(value, (numbers.Real, str)) else \
            f"{type(value).__name__} {_short(value)}"
        raise InputValidationError(f"{shown} {number}. {hint}".strip(), field=field)
    low_ok = minimum is None or (number > minimum if exclusive_minimum else number >= minimum)
    if not low_ok or (maximum is not None and number > maximum):
        bounds = within or _bounds(minimum, maximum, exclusive_minimum)
        raise InputValidationError(f"{_short(value)} is outside {bounds}. {hint}".strip(),
                                   field=field)
    return number


def scale_range(scale: str, maximum: float) -> str:
    """The words for the levels of a proficiency scale: ``the scale NAME (0-4)``."""
    return f"the scale {scale} (0-{maximum:g})"


def check_level(value: object, field: str, *, scale: str, maximum: float,
                hint: str = "Give a level within the scale, or declare another scale.") -> float:
    """``value`` as a level of the proficiency scale named ``scale``: a number from 0 to
    ``maximum``."""
    return check_number(value, field, minimum=0, maximum=maximum,
                        within=scale_range(scale, maximum), hint=hint)


def check_count(value: object, field: str, *, minimum: int = 0, maximum: int | None = None,
                hint: str = "") -> int:
    """``value`` as a whole number from ``minimum`` to ``maximum`` (not a bool, not ``3.5``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise InputValidationError(
            f"expected a whole number, got {type(value).__name__} {_short(value)}. "
            f"{hint}".strip(), field=field
        )
    count = int(value)
    if count < minimum:
        raise InputValidationError(
            f"{count} is below {minimum}; give at least {minimum}. {hint}".strip(), field=field)
    if maximum is not None and count > maximum:
        raise InputValidationError(
            f"{_short(count)} is above {maximum}; give at most {maximum}. {hint}".strip(),
            field=field)
    return count


def check_top_k(value: object, field: str = "top_k") -> int:
    """``value`` as a number of results to return (``top_k``): a whole number, at least 1.

    The one rule for every ``top_k`` of the library (asking for no results is a mistake).
    """
    return check_count(value, field, minimum=1, hint="Ask for at least one result.")


def check_choice(value: object, field: str, choices: Iterable[str]) -> str:
    """``value`` when it is one of ``choices``."""
    allowed = tuple(choices)
    if not isinstance(value, str) or value not in allowed:
        raise InputValidationError(
            f"{_short(value)} is not one of {', '.join(allowed)}; use one of these.", field=field
        )
    return value


def check_known(value: _T, field: str, known: Container[Any], *, what: str,
                hint: str = "") -> _T:
    """``value`` when it is among ``known`` (the ids of a result, a plan...), else an error
    saying ``no {what} {value!r}``; for a few fixed words use :func:`check_choice`."""
    if not _is_member(value, known):
        raise InputValidationError(f"no {what} {_short(value)}. {hint}".strip(), field=field)
    return value


def _is_member(value: object, known: Container[Any]) -> bool:
    try:
        return value in known
    except TypeError:  # an unhashable value
        return False


def check_text(value: object, field: str, *, empty: bool = True, hint: str = "") -> str:
    """``value`` when it is a string (non-blank unless ``empty``)."""
    if not isinstance(value, str):
        raise InputValidationError(
            f"expected text, got {type(value).__name__} {_short(value)}. {hint}".strip(),
            field=field,
        )
    if not empty and not value.strip():
        raise InputValidationError(f"is empty. {hint}".strip(), field=field)
    return value


def check_actor(value: object, field: str = "actor") -> str:
    """Who does something (a person or a system, as recorded in the audit log): non-blank
    text, returned without surrounding white space."""
    return check_text(value, field, empty=False,
                      hint="Name who does this: a person, or a system such as 'hr-import'."
                      ).strip()


def check_reason(value: object, field: str = "reason") -> str:
    """Why something is done, as recorded in the audit log: non-blank text, returned without
    surrounding white space."""
    return check_text(value, field, empty=False,
                      hint="Give the ground, e.g. 'GDPR art. 17 request 2026-014'.").strip()


def check_id(value: object, field: str) -> str:
    """An id as text: non-blank text, or a whole number (``1001`` becomes ``"1001"``)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**40:
        return str(value)
    return check_text(value, field, empty=False, hint="Give an id as text such as 'E-1001'.")


def check_version(value: object, field: str = "version") -> str:
    """A version or release name as short text (``"v1.1.1"``, ``"2025.1"``, ``2025``)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputValidationError(
            f"expected a version such as 'v1.1.1', got {type(value).__name__}.", field=field
        )
    huge = (isinstance(value, int) and abs(value) >= 10**VERSION_MAX_LENGTH) or (
        isinstance(value, float) and not math.isfinite(value))
    text = "" if huge else str(value).strip()  # never turn a huge int into text
    if huge or len(text) > VERSION_MAX_LENGTH or not _VERSION_TEXT.match(text):
        shown = _short(value) if huge or len(text) > VERSION_MAX_LENGTH else repr(text)
        raise InputValidationError(
            f"{shown} is not a version: use at most {VERSION_MAX_LENGTH} letters, digits and "
            "'.', '-', '_', '+', such as 'v1.1.1' or '2025.1' (quote it in YAML).",
            field=field,
        )
    return text


def check_date(value: object, field: str, *, not_after: dt.date | None = None) -> dt.date:
    """``value`` (a date, datetime or ISO text) as a date, no later than ``not_after``."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            raise InputValidationError(f"{value!r} is not an ISO date (YYYY-MM-DD).",
                                       field=field) from None
    else:
        raise InputValidationError(
            f"expected a date (YYYY-MM-DD), got {type(value).__name__} {_short(value)}.",
            field=field,
        )
    if not_after is not None and day > not_after:
        raise InputValidationError(
            f"{day.isoformat()} is in the future (after {not_after.isoformat()}); give the date "
            "the claim was observed, today or earlier.",
            field=field,
        )
    return day


def check_mapping(value: object, field: str, *, hint: str = "") -> Mapping[str, Any]:
    """``value`` when it is a mapping (a JSON object)."""
    if not isinstance(value, Mapping):
        raise InputValidationError(
            f"expected an object with named fields, got {type(value).__name__} "
            f"{_short(value)}. {hint}".strip(),
            field=field,
        )
    return value


def check_list(value: object, field: str, *, empty: bool = True, hint: str = "") -> list[Any]:
    """``value`` as a list when it is a list, tuple or other iterable (not text, not an
    object), holding at least one item unless ``empty``."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputValidationError(
            f"expected a list, got {type(value).__name__} {_short(value)}. {hint}".strip(),
            field=field,
        )
    items = list(value)
    if not empty and not items:
        raise InputValidationError(f"is empty. {hint}".strip(), field=field)
    return items


def check_instance(value: object, kind: type[_T], field: str, *, hint: str = "") -> _T:
    """``value`` when it is a ``kind``."""
    if not isinstance(value, kind):
        raise InputValidationError(
            f"expected a {kind.__name__}, got {type(value).__name__}. {hint}".strip(),
            field=field,
        )
    return value


def check_members(value: object, members: Iterable[str], field: str, *, what: str,
                  hint: str = "") -> None:
    """Raise unless ``value`` has every attribute of ``members`` (what a protocol ``what``
    declares, with its article: "an Encoder"), naming the missing ones."""
    missing = [member for member in members if not hasattr(value, member)]
    if missing:
        listed = ", ".join(f"`{member}`" for member in missing)
        raise InputValidationError(
            f"expected {what}, got a {type(value).__name__} without {listed}. {hint}".strip(),
            field=field,
        )


def check_items(values: object, kind: type[_T], field: str, *, hint: str = "") -> list[_T]:
    """``values`` (any iterable but text or a single ``kind``) as a list of ``kind``.

    Taking a list once at the boundary means a generator is never half-consumed later.
    """
    if isinstance(values, (str, bytes, Mapping, kind)) or not isinstance(values, Iterable):
        raise InputValidationError(
            f"expected a list of {kind.__name__}, got {type(values).__name__}. {hint}".strip(),
            field=field,
        )
    items = list(values)
    for position, item in enumerate(items):
        if not isinstance(item, kind):
            raise InputValidationError(
                f"item {position} is a {type(item).__name__}, not a {kind.__name__}. "
                f"{hint}".strip(),
                field=field,
            )
    return items


def check_unique(values: Iterable[Hashable], field: str, *, hint: str = "") -> None:
    """Refuse a repeated value, naming both positions."""
    first: dict[Hashable, int] = {}
    for position, value in enumerate(values):
        if value in first:
            raise InputValidationError(
                f"{value!r} (entry {position}) repeats entry {first[value]}; every entry must "
                f"be unique. {hint or 'Remove or merge the repeated entry.'}",
                field=field,
            )
        first[value] = position


# -- pydantic models --------------------------------------------------------------------------
def describe_validation_error(exc: ValidationError) -> str:
    """The first problems of a pydantic error in words: field, problem, value given."""
    problems = []
    for error in exc.errors()[:3]:
        where = ".".join(str(part) for part in error["loc"])
        quiet = error["type"] in ("missing", "value_error") or not error["loc"]
        given = "" if quiet else f" (got {_short(error.get('input'))})"
        message = str(error["msg"]).removeprefix("Value error, ").rstrip(".")
        problems.append(f"'{where}': {message}{given}" if where else f"{message}{given}")
    return "; ".join(problems)


def validate_model(model: type[_Model], data: object, *, what: str, hint: str = "") -> _Model:
    """``model.model_validate(data)`` with pydantic's error turned into a skilltwin error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise model_error(exc, f"not a valid {what}", hint) from None


def _non_empty(value: str) -> str:
    return check_text(value, "", empty=False, hint="Give it a value (not blank).")


NonEmptyText = Annotated[str, AfterValidator(_non_empty)]
"""The type of a model field holding an id, a name or a title: text that is not blank
(refused with the field's name, like :func:`check_text` with ``empty=False``)."""


class CheckedModel(BaseModel):
    """A pydantic model whose constructor raises :class:`InputValidationError`, not pydantic's
    ``ValidationError`` (both are ``ValueError``), naming the field at fault.

    A yes/no value given for a number field (``int`` or ``float``) is refused, as
    :func:`read_number` does: pydantic would take ``True`` as 1.
    """

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise model_error(exc, f"invalid {type(self).__name__}") from None

    @model_validator(mode="before")
    @classmethod
    def _numbers_are_not_yes_no(cls, data: object) -> object:
        if isinstance(data, Mapping):
            for name, value in data.items():
                field = cls.model_fields.get(name) if isinstance(name, str) else None
                if field is not None and _is_number_type(field.annotation) and (
                        isinstance(value, bool) or type(value).__name__ == "bool_"):
                    raise InputValidationError(f"{value!r} is a yes/no value, not a number",
                                               field=name)
        return data


def _is_number_type(annotation: object) -> bool:
    """Whether a field's type is a number (``int``, ``float``, optionally ``None``)."""
    kinds = set(get_args(annotation)) - {type(None)} if get_args(annotation) else {annotation}
    return bool(kinds) and kinds <= {int, float}


def model_error(exc: ValidationError, what: str, hint: str = "") -> InputValidationError:
    """Pydantic's error as an :class:`InputValidationError` whose ``field`` is where the first
    problem is: the field a check of this module named (raised inside a validator), else
    pydantic's location of it (``requirements.0.min_level``)."""
    errors = exc.errors()
    first = errors[0] if errors else None
    inner = first.get("ctx", {}).get("error") if first else None
    located = inner if isinstance(inner, InputValidationError) else None
    where = ".".join(str(part) for part in first["loc"]) if first else ""
    field = (located.field if located else None) or where or None
    if located is not None and len(errors) == 1:
        return InputValidationError(f"{what}: {located.detail} {hint}".strip(),
                                    path=located.path, row=located.row, field=field)
    return InputValidationError(f"{what}: {describe_validation_error(exc)}. {hint}".strip(),
                                field=field)


# -- locating errors --------------------------------------------------------------------------
@contextlib.contextmanager
def located(*, path: object | None = None, row: int | None = None,
            field: str | None = None) -> Iterator[None]:
    """Add the file, record and field to user errors raised inside the block."""
    try:
        yield
    except InputValidationError as exc:
        raise exc.at(path=path, row=row, field=field) from None
    except UnknownConceptError as exc:  # keeps its type (callers catch it as a KeyError too)
        inner = getattr(exc, "location", None) or InputValidationError(exc.message)
        merged = inner.at(path=path, row=row, field=field)
        located_error = UnknownConceptError(str(merged))
        setattr(located_error, "location", merged)  # noqa: B010 - read back by an outer block
        raise located_error from None
    except ConfigurationError as exc:
        raise InputValidationError(str(exc), path=path, row=row, field=field) from None


# -- wording ----------------------------------------------------------------------------------
def _short(value: object, limit: int = 40) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"a number of more than {limit} digits"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _bounds(minimum: float | None, maximum: float | None, exclusive: bool) -> str:
    low = None if minimum is None else f"{'above' if exclusive else 'at least'} {minimum:g}"
    high = None if maximum is None else f"at most {maximum:g}"
    return "the allowed range (" + " and ".join(p for p in (low, high) if p) + ")"
