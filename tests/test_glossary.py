"""The public API keeps the vocabulary of docs/glossary.md: one word per idea.

Walks every name exported in ``__all__`` (skilltwin and its subpackages), and every public
method of the exported classes, and checks their parameter names with ``inspect.signature``;
the public attributes of the exported classes (properties, dataclass and pydantic fields,
class attributes) are checked against the same forbidden words.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import skilltwin

PACKAGES = ("skilltwin", *(f"skilltwin.{name}" for name in (
    "audit", "documents", "esco", "fairness", "mapping", "outofcore", "oversight", "planning",
    "profiles", "scoring", "store", "taxonomy", "twin")))

# Parameter names the glossary (docs/glossary.md) rules out, each with the word to use
# instead; keep in step with the glossary's "never ..." statements.
FORBIDDEN = {
    "policy": "level_policy or scoring_policy (policy)",
    "k": "top_k (top_k)",
    "n": "top_k, or headcount for people (top_k, headcount)",
    "limit": "top_k, or max_* for a cap (top_k, max_*)",
    "essential_level": "min_level (min_level)",
    "lang": "language (language)",
    "uri_or_label": "skill, occupation or key (key)",
    "cutoff": "threshold or min_* (min_* / threshold)",
    "min_score": "threshold or min_* (min_* / threshold)",
    "person": "employee_id (employee)",
    "worker": "employee_id (employee)",
    "candidates": "profiles, or employee ids (employee)",
    "job": "profile (profile)",
    "job_id": "profile_id (profile)",
    "role_id": "profile_id (profile)",
    "cosine_scale": "calibration ('scale' is only the proficiency scale)",
    "fallback": "fallback_language (language)",
    "esco": "taxonomy (taxonomy)",
    "audit": "audit_log (audit log)",
    "log": "audit_log (audit log)",
    "unknown_skills": "on_unknown (unknown skill)",
}
# Known exceptions, each with its reason.
ALLOWED = {
    # the field mirrors the `esco:` key of the company taxonomy file: its crosswalk links
    ("skilltwin.CompanySkill", "esco"),
}
# Names ranked results come back from: their count parameter is top_k (glossary: top_k).
RANKED_PREFIXES = ("best_", "similar_", "top_", "search", "map_")


def _public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    seen: set[int] = set()
    for package in PACKAGES:
        module = importlib.import_module(package)
        for name in module.__all__:
            value = getattr(module, name)
            if id(value) in seen or not callable(value):
                continue
            seen.add(id(value))
            if inspect.isclass(value):
                if issubclass(value, BaseException):
                    continue
                yield f"{package}.{name}", value
                yield from _methods(f"{package}.{name}", value)
            else:
                yield f"{package}.{name}", value


def _methods(label: str, cls: type) -> Iterator[tuple[str, Callable[..., Any]]]:
    """The public methods ``cls`` or one of its skilltwin bases defines."""
    for klass in cls.__mro__:
        if not klass.__module__.startswith("skilltwin"):
            continue
        for name, member in vars(klass).items():
            if name.startswith("_") or isinstance(member, property):
                continue
            if isinstance(member, (staticmethod, classmethod)) or inspect.isfunction(member):
                yield f"{label}.{name}", getattr(cls, name)


def _attributes(cls: type) -> Iterator[str]:
    """The public attributes ``cls`` or one of its skilltwin bases declares: properties,
    annotated fields (dataclass and pydantic fields) and plain class attributes."""
    for klass in cls.__mro__:
        if klass is not cls and not klass.__module__.startswith("skilltwin"):
            continue
        names = [*vars(klass).get("__annotations__", {}),
                 *(name for name, member in vars(klass).items()
                   if isinstance(member, property) or not (
                       callable(member) or isinstance(member, (classmethod, staticmethod))))]
        yield from (name for name in names if not name.startswith("_"))


def _parameters(fn: Callable[..., Any]) -> dict[str, inspect.Parameter]:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return {}
    return {name: p for name, p in signature.parameters.items()
            if name not in ("self", "cls") and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


def violations() -> list[str]:
    """Every public parameter and attribute that breaks the glossary, as ``where: what``."""
    found = []
    for label, fn in _public_callables():
        if inspect.isclass(fn):
            found += [f"{label}.{name}: use {FORBIDDEN[name]}"
                      for name in sorted(set(_attributes(fn)))
                      if name in FORBIDDEN and (label, name) not in ALLOWED]
        parameters = _parameters(fn)
        for name, parameter in parameters.items():
            if (label, name) in ALLOWED:
                continue
            if name in FORBIDDEN:
                found.append(f"{label}({name}=): use {FORBIDDEN[name]}")
            elif name.startswith("with_"):
                found.append(f"{label}({name}=): a switch is include_* (include_*)")
            elif name in ("occupations", "suggestions") and \
                    any(t in str(parameter.annotation) for t in ("int", "bool")):
                found.append(f"{label}({name}=): always a list; a count is max_{name}")
        short = label.rsplit(".", 1)[-1]
        returns = str(inspect.signature(fn).return_annotation) if parameters else ""
        ranked = short.startswith(RANKED_PREFIXES) or "ConceptMatch" in returns
        if ranked and not inspect.isclass(fn):
            counts = [name for name, p in parameters.items()
                      if str(p.annotation) == "int" and not name.startswith(("max_", "min_"))
                      and name not in ("block_size",)]
            found += [f"{label}({name}=): counts ranked results, use top_k (top_k)"
                      for name in counts if name != "top_k"]
    return found


def test_public_parameters_follow_the_glossary() -> None:
    assert violations() == []


def test_the_check_sees_the_whole_api() -> None:
    labels = {label for label, _ in _public_callables()}
    assert {"skilltwin.match", "skilltwin.SkillMapper.map_skills", "skilltwin.Taxonomy.search",
            "skilltwin.outofcore.top_matches", "skilltwin.Workspace.profile_from_skills",
            "skilltwin.planning.plot_supply_demand"} <= labels
    assert len(labels) > 300


@pytest.mark.parametrize(("planted", "word"), [
    ("def planted(twin, *, policy=None): ...", "level_policy or scoring_policy"),
    ("def best_planted(scores, *, n: int = 5): ...", "top_k"),
    ("def search_planted(text, *, count: int = 5): ...", "counts ranked results"),
    ("def planted(taxonomy, *, with_company_skills: bool = True): ...", "include_*"),
    ("class Planted:\n    @property\n    def log(self): ...", "audit_log"),
    ("class Planted:\n    fallback: str = 'en'", "fallback_language"),
])
def test_a_planted_violation_is_caught(monkeypatch: pytest.MonkeyPatch, planted: str,
                                       word: str) -> None:
    namespace: dict[str, Any] = {}
    exec(planted, namespace)  # a fixed snippet; its annotations stay strings, as here
    name = next(key for key in namespace if key != "__builtins__")
    function = namespace[name]
    monkeypatch.setattr(skilltwin, name, function, raising=False)
    monkeypatch.setattr(skilltwin, "__all__", [*skilltwin.__all__, name])
    assert any(word in found for found in violations())
