"""The skill group of a skill: its nearest skill-group ancestor in the ESCO skill pillar."""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skilltwin.taxonomy import Taxonomy

__all__ = ["UNGROUPED", "skill_groups"]

UNGROUPED = "(no skill group)"


class _Hierarchy:
    """The skill pillar's broader relations as dicts, with the nearest group per skill."""

    def __init__(self, taxonomy: Taxonomy):
        relations = taxonomy.relations_frame()
        broader = relations[relations["kind"] == "broader_skill"]
        self.parents: dict[str, list[str]] = {}
        for child, parent in zip(broader["source"], broader["target"], strict=True):
            self.parents.setdefault(child, []).append(parent)
        concepts = taxonomy.concepts_frame()
        groups = concepts[concepts["kind"] == "skill_group"]
        self.group_labels: dict[str, str] = dict(zip(groups["uri"], groups["label"],
                                                     strict=True))
        self.nearest: dict[str, str] = {}

    def group_of(self, uri: str) -> str:
        if uri not in self.nearest:
            self.nearest[uri] = self._walk(uri)
        return self.nearest[uri]

    def _walk(self, uri: str) -> str:
        frontier, seen = [uri], {uri}
        while frontier:
            following: list[str] = []
            for node in frontier:
                for parent in self.parents.get(node, ()):
                    if parent in seen:
                        continue
                    if parent in self.group_labels:
                        return self.group_labels[parent]
                    seen.add(parent)
                    following.append(parent)
            frontier = following
        return UNGROUPED


_HIERARCHIES: weakref.WeakKeyDictionary[Taxonomy, _Hierarchy] = weakref.WeakKeyDictionary()


def skill_groups(taxonomy: Taxonomy, skill_uris: Iterable[str]) -> dict[str, str]:
    """The label of each skill's nearest skill group.

    ESCO places every skill under broader skills and, ultimately, skill groups (e.g.
    "managing budgets or finances" under "allocating and controlling resources" under
    "management skills"). The nearest group is the first skill group met walking up the
    broader relations breadth-first: the most specific group, so planning tables stay
    meaningful. Skills without any group get :data:`UNGROUPED`.
    """
    hierarchy = _HIERARCHIES.get(taxonomy)
    if hierarchy is None:
        hierarchy = _HIERARCHIES[taxonomy] = _Hierarchy(taxonomy)
    return {uri: hierarchy.group_of(uri) for uri in dict.fromkeys(skill_uris)}
