"""Reading JSON documents from .json (one document or a list) and .jsonl files, parsing
JSON from outside safely (:func:`loads`: bounded nesting, no RecursionError), and JSON made
to be hashed or stored (:func:`normalise_json`, :func:`canonical_json`)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from skilltwin._validation import read_text_file
from skilltwin.errors import ConfigurationError, InputValidationError

__all__ = ["MAX_JSON_DEPTH", "JsonTooDeep", "canonical_json", "check_depth", "loads",
           "normalise_json", "read_documents"]

#: How deeply lists and objects may nest in JSON read from outside. A CV, a job posting or a
#: twin nests about ten levels; thousands of levels exhaust Python's stack in the parser or in
#: the code that walks the result.
MAX_JSON_DEPTH = 100


class JsonTooDeep(ValueError):
    """JSON nested more deeply than allowed; a ``ValueError``, as other malformed JSON is."""


def loads(text: str | bytes, *, max_depth: int = MAX_JSON_DEPTH, **options: Any) -> Any:
    """``json.loads(text, **options)`` that refuses JSON nested more than ``max_depth`` levels.

    Raises:
        ValueError: malformed JSON (``json.JSONDecodeError``) or too deep (:class:`JsonTooDeep`,
            also raised where the parser itself would run out of stack).
    """
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise JsonTooDeep(_too_deep(max_depth)) from None
    check_depth(value, max_depth=max_depth)
    return value


def check_depth(value: object, *, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Refuse lists and dicts (JSON already parsed, or given by a caller) nested more than
    ``max_depth`` levels; walked without recursion.

    Raises:
        JsonTooDeep: the value is nested too deeply.
    """
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            continue
        if depth > max_depth:
            raise JsonTooDeep(_too_deep(max_depth))
        stack.extend((child, depth + 1) for child in children
                     if isinstance(child, (Mapping, list, tuple)))


def _too_deep(max_depth: int) -> str:
    return (f"lists or objects are nested more than {max_depth} levels deep, which no CV, "
            "posting or twin needs")


def read_documents(path: str | Path, *, what: str = "input file") -> list[dict[str, Any]]:
    """The JSON objects in ``path``: a JSON object, a JSON list of objects, or JSON Lines.

    Raises:
        InputValidationError: the path is missing or a folder, the file is not UTF-8 or not
            JSON, or a record is not a JSON object; the message names the file and line or
            record.
    """
    text = read_text_file(path, what=what)
    file = Path(path)
    if file.suffix == ".jsonl":
        documents: Any = []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                documents.append(_parse(file, line, f"line {number}"))
    else:
        documents = _parse(file, text, "")
    if isinstance(documents, dict):
        documents = [documents]
    if not isinstance(documents, list):
        raise InputValidationError(
            f"holds {type(documents).__name__}; expected JSON objects, one per record.",
            path=file,
        )
    for number, document in enumerate(documents, start=1):
        if not isinstance(document, dict):
            raise InputValidationError(
                f"is {type(document).__name__} {str(document)[:30]!r}, not a JSON object; give "
                "one object per record.",
                path=file, row=number,
            )
    if not documents:
        raise InputValidationError("holds no records; give at least one JSON object.",
                                   path=file)
    return documents


def _parse(file: Path, text: str, where: str) -> Any:
    try:
        return loads(text, object_pairs_hook=_object)
    except _RepeatedKey as exc:
        place = f"{where}: " if where else ""
        raise InputValidationError(
            f"{place}the key {exc.key!r} appears twice in one object; JSON would keep only the "
            "last value. Keep one.",
            path=file,
        ) from None
    except ValueError as exc:  # JSONDecodeError, or a number too long to convert
        place = where or (f"line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else "")
        raise InputValidationError(
            f"{place + ' is ' if place else ''}not valid JSON ({exc}); use a .json object or "
            "list, or .jsonl with one object per line.",
            path=file,
        ) from None


class _RepeatedKey(Exception):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RepeatedKey(key)
        result[key] = value
    return result


def canonical_json(value: Any) -> bytes:
    """``value`` as UTF-8 JSON with sorted keys and no optional whitespace."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def normalise_json(value: Any, where: str = "data") -> Any:
    """A plain-JSON copy of ``value`` (dicts with str keys, lists, str, int, float, bool, None).

    Dates and datetimes become ISO-8601 strings, tuples and sets become lists (sets sorted),
    pydantic models are dumped, and numpy scalars become Python numbers, so that what is hashed
    is exactly what is stored and read back.

    Raises:
        ConfigurationError: a value cannot be represented in JSON (the message names where).
    """
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigurationError(
                f"{where} is {value}, which JSON cannot hold; log a finite number or None."
            )
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ConfigurationError(
                    f"{where} has the non-string key {key!r}; audit data keys must be strings."
                )
            out[key] = normalise_json(item, f"{where}[{key!r}]")
        return out
    if isinstance(value, (list, tuple)):
        return [normalise_json(item, f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, (set, frozenset)):
        items = [normalise_json(item, f"{where}[...]") for item in value]
        return sorted(items, key=canonical_json)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "model_dump"):  # pydantic models
        return normalise_json(value.model_dump(mode="json"), where)
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return normalise_json(value.item(), where)
    raise ConfigurationError(
        f"{where} is a {type(value).__name__}, which cannot be written to the audit log; "
        "convert it to JSON types (dict, list, str, number, bool, None) first."
    )
