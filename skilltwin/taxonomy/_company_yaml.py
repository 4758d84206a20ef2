"""Read and validate a company taxonomy YAML file; every problem names the file, entry and line."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from skilltwin._text import normalize_label
from skilltwin._validation import check_version, read_text_file, repeated_key
from skilltwin.errors import InputValidationError, TaxonomyLoadError, UnknownConceptError
from skilltwin.taxonomy.company import CompanySkill, CompanySkillGroup, CompanyTaxonomy

if TYPE_CHECKING:
    from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["read_company_file"]

_Entry = TypeVar("_Entry", bound=BaseModel)
_FORMAT_HINT = "See taxonomies/company/FORMAT.md for the format."


class _Header(BaseModel):
    """The top level of the file, before groups and skills are checked one by one."""

    model_config = ConfigDict(extra="forbid")

    organisation: str
    version: str | int | float
    language: str | None = None
    description: str = ""
    esco_release: str | None = None
    groups: list[Any] = []
    skills: list[Any]


def read_company_file(path: Path, esco: Taxonomy) -> CompanyTaxonomy:
    """Parse ``path`` and validate it against ``esco`` (see :func:`load_company_taxonomy`)."""
    root, data = _parse_yaml(path)
    try:
        header = _Header.model_validate(data)
    except ValidationError as exc:
        raise TaxonomyLoadError(f"the top level is invalid: {_describe(exc)}. {_FORMAT_HINT}",
                                path=path) from exc
    try:
        version = check_version(header.version, "version")
    except InputValidationError as exc:
        raise TaxonomyLoadError(f"{exc}. {_FORMAT_HINT}", path=path) from None
    groups = _entries(path, root, "groups", header.groups, CompanySkillGroup)
    skills = _entries(path, root, "skills", header.skills, CompanySkill)
    if not skills:
        raise TaxonomyLoadError(f"'skills' is empty. List at least one skill. {_FORMAT_HINT}",
                                path=path)
    _check_unique(path, root, "groups", [g.id for g in groups], "id")
    _check_unique(path, root, "skills", [s.id for s in skills], "id", ignore_case=True)
    _check_unique(path, root, "skills", [normalize_label(s.label) for s in skills], "label")
    group_ids = {g.id for g in groups}
    for position, skill in enumerate(skills):
        if skill.group is not None and skill.group not in group_ids:
            known = ", ".join(sorted(group_ids)) or "none (the file has no 'groups')"
            raise TaxonomyLoadError(
                f"{_entry('skills', position, skill.id, root)} names the group {skill.group!r}, "
                f"which 'groups' does not define (defined: {known}). Add the group or fix the "
                "skill's 'group'.",
                path=path,
            )
        _check_links(path, root, position, skill, esco)
    _check_release(path, header.esco_release, esco)
    unlinked = [s.id for s in skills if not s.esco]
    if unlinked:
        warnings.warn(
            f"{path}: {len(unlinked)} company skill(s) have no ESCO link and resolve to no ESCO "
            f"skill ({', '.join(unlinked[:5])}{', ...' if len(unlinked) > 5 else ''}).",
            stacklevel=4,
        )
    return CompanyTaxonomy(
        organisation=header.organisation,
        version=version,
        language=header.language,
        description=header.description,
        groups=tuple(groups),
        company_skills=tuple(skills),
        esco_release=esco.release,
        source=str(path),
    )


def _parse_yaml(path: Path) -> tuple[yaml.Node, Any]:
    if not path.exists():
        raise TaxonomyLoadError("no such file. Pass the path of the company taxonomy YAML file.",
                                path=path)
    try:
        text = read_text_file(path, what="company taxonomy YAML file")
    except InputValidationError as exc:
        raise TaxonomyLoadError(exc.detail, path=path) from None
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except ValueError as exc:  # a number too long to convert (e.g. a 5,000-digit version)
        raise TaxonomyLoadError(
            f"holds a value YAML cannot read ({exc}). Quote long numbers such as versions.",
            path=path,
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TaxonomyLoadError(
            f"is not valid YAML{where}: {problem}. Fix the syntax there (indentation, a missing "
            "':' or an unclosed quote are the usual causes).",
            path=path,
        ) from exc
    finally:
        loader.dispose()
    repeated = repeated_key(root)
    if repeated:
        raise TaxonomyLoadError(
            f"the key {repeated[0]!r} at line {repeated[1]} repeats a key of the same mapping; "
            "YAML would keep only the last one. Merge the two.",
            path=path,
        )
    if not isinstance(data, dict) or root is None:
        raise TaxonomyLoadError(
            f"is not a company taxonomy: expected a mapping with 'organisation', 'version' and "
            f"'skills' at the top level. {_FORMAT_HINT}",
            path=path,
        )
    return root, data


def _entries(path: Path, root: yaml.Node, section: str, raw: list[Any],
             model: type[_Entry]) -> list[_Entry]:
    entries: list[_Entry] = []
    for position, item in enumerate(raw):
        try:
            entries.append(model.model_validate(item))
        except ValidationError as exc:
            name = item.get("id") if isinstance(item, dict) else None
            raise TaxonomyLoadError(
                f"{_entry(section, position, name, root)} is invalid: {_describe(exc)}. "
                f"{_FORMAT_HINT}",
                path=path,
            ) from exc
    return entries


def _check_unique(path: Path, root: yaml.Node, section: str, values: list[str],
                  field: str, *, ignore_case: bool = False) -> None:
    first: dict[str, int] = {}
    for position, value in enumerate(values):
        key = value.casefold() if ignore_case else value
        if key in first:
            earlier = values[first[key]]
            same = "" if earlier == value else f" ({earlier!r}, ignoring case)"
            raise TaxonomyLoadError(
                f"{_entry(section, position, None, root)} repeats the {field} {value!r} of "
                f"{_entry(section, first[key], None, root)}{same}. Every {field} must be unique"
                f"{' ignoring case' if ignore_case else ''}: rename or merge the entries.",
                path=path,
            )
        first[key] = position


def _check_links(path: Path, root: yaml.Node, position: int, skill: CompanySkill,
                 esco: Taxonomy) -> None:
    seen: set[str] = set()
    for link in skill.esco:
        where = _entry("skills", position, skill.id, root)
        if link.uri in seen:
            raise TaxonomyLoadError(
                f"{where} links to {link.uri} twice. Keep one link per ESCO concept.", path=path
            )
        seen.add(link.uri)
        try:
            found = esco.skill(link.uri)
        except UnknownConceptError:
            found = None
        if found is not None and found.uri == link.uri:
            continue
        if link.uri in esco and esco.concept(link.uri).uri == link.uri:
            kind = esco.concept(link.uri).kind.replace("_", " ")
            article = "an" if kind[0] in "aeiou" else "a"
            problem = f"is {article} {kind} of {esco.release}, not a skill"
        else:
            problem = f"is not a skill URI of {esco.release}"
        raise TaxonomyLoadError(
            f"{where} links to {link.uri!r}, which {problem}. Use the conceptUri of an ESCO "
            f"skill{_suggestions(skill, esco)}.",
            path=path,
        )


def _suggestions(skill: CompanySkill, esco: Taxonomy) -> str:
    text = " ".join(part for part in (skill.description, skill.label, *skill.alt_labels) if part)
    close = esco.search(text, "skill", top_k=3)
    if not close:
        return ""
    listed = "; ".join(f"{match.label!r} <{match.uri}>" for match in close)
    return f"; ESCO skills close to this skill's labels and description: {listed}"


def _check_release(path: Path, declared: str | None, esco: Taxonomy) -> None:
    if declared and declared.strip().lower().lstrip("v") != esco.version.lower().lstrip("v"):
        warnings.warn(
            f"{path}: the crosswalk was written for ESCO {declared}, but is checked against "
            f"{esco.release}. All its URIs exist in this release; review the links if meanings "
            "changed between releases.",
            stacklevel=4,
        )


def _entry(section: str, position: int, name: str | None, root: yaml.Node) -> str:
    label = f"{section}[{position}]" + (f" (id {name!r})" if name else "")
    line = _line(root, section, position)
    return f"{label} at line {line}" if line else label


def _line(root: yaml.Node, section: str, position: int) -> int | None:
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if (key.value == section and isinstance(value, yaml.SequenceNode)
                and position < len(value.value)):
            return int(value.value[position].start_mark.line) + 1
    return None


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors()[:3]:
        field = ".".join(str(part) for part in error["loc"])
        if error["type"] == "missing":
            problems.append(f"the field '{field}' is missing")
        elif error["type"] == "extra_forbidden":
            problems.append(f"'{field}' is not a known field")
        elif error["type"] == "literal_error":
            problems.append(f"'{field}' must be {error['msg'].removeprefix('Input should be ')}, "
                            f"not {error['input']!r}")
        else:
            problems.append(f"'{field}': {error['msg']}" if field else error["msg"])
    return "; ".join(problems)
