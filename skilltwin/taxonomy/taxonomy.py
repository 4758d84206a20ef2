"""The :class:`Taxonomy`: ESCO concepts and relations, looked up by URI or label, as a graph."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast, get_args

import pandas as pd

from skilltwin._text import normalize_label
from skilltwin._validation import (
    check_choice,
    check_instance,
    check_list,
    check_text,
    check_top_k,
)
from skilltwin.errors import ConfigurationError, UnknownConceptError
from skilltwin.provenance import Provenance
from skilltwin.taxonomy._data import TaxonomyData
from skilltwin.taxonomy._label_index import build_label_index, compact_index, compact_label
from skilltwin.taxonomy._languages import coverage_message, label_coverage
from skilltwin.taxonomy._tables import concept_model, occupation_skills, subset_data
from skilltwin.taxonomy.company import CompanyTaxonomy, Resolution
from skilltwin.taxonomy.models import Concept, ConceptKind, Occupation, Skill
from skilltwin.taxonomy.results import ConceptMatch, MatchKind, Role

if TYPE_CHECKING:
    import networkx as nx

    from skilltwin.taxonomy._label_search import LabelSearch

__all__ = ["Taxonomy"]


class Taxonomy:
    """ESCO (or any taxonomy in its shape) loaded in memory.

    Build one with :func:`skilltwin.load_esco`. Concepts are pydantic models made on demand;
    the tables behind them are available as DataFrames, and :attr:`graph` gives everything as a
    networkx ``MultiDiGraph``.
    """

    def __init__(self, data: TaxonomyData):
        self._data = data
        self._concepts = data.concepts
        self._models: dict[str, Concept] = {}
        if not data.label_index:
            data.label_index = build_label_index(data.concepts)
        self._labels = data.label_index
        self._company: CompanyTaxonomy | None = None

    # -- identity -------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """The ESCO release, e.g. ``"v1.1.1"``."""
        return self._data.version

    @property
    def language(self) -> str:
        """The language of labels and descriptions (``"en"``, ``"nl"``, ...)."""
        return self._data.language

    @property
    def fallback_language(self) -> str:
        """The language of the labels used where :attr:`language` has none (see
        :attr:`coverage`); equal to :attr:`language` when nothing falls back."""
        return self._data.fallback_language

    @cached_property
    def coverage(self) -> dict[str, dict[str, int]]:
        """Per kind (``skill``, ``occupation``, ``skill_group``, ``isco_group``): how many
        ``concepts`` there are, how many are ``labelled`` in :attr:`language`, and how many
        carry a ``fallback`` label in :attr:`fallback_language` instead."""
        return label_coverage(self._concepts, self.language)

    def coverage_report(self) -> str:
        """A sentence naming the concepts without a label in :attr:`language` ("" if none)."""
        return coverage_message(self.coverage, self.release, self.language,
                                self.fallback_language)

    @property
    def release(self) -> str:
        """Name and release, as recorded with every score: ``"ESCO v1.1.1 (en)"``."""
        return f"ESCO {self.version} ({self.language})"

    def __repr__(self) -> str:
        counts = self._concepts["kind"].value_counts()
        return (
            f"<Taxonomy {self.release}: {counts.get('skill', 0)} skills, "
            f"{counts.get('occupation', 0)} occupations>"
        )

    # -- look-up --------------------------------------------------------------------------
    def concept(self, key: str, kind: ConceptKind | None = None) -> Concept:
        """The concept with this URI or label (case- and white-space-insensitive).

        Labels in :attr:`language` and in the :attr:`fallback_language` both resolve. A
        preferred label wins over an alternative label, which wins over a hidden label; within
        each, the taxonomy's language comes first. When no label matches, a label that differs
        only in spaces or hyphens between its parts matches (``"softwareontwikkelaar"`` finds
        ``"software ontwikkelaar"``).

        Raises:
            UnknownConceptError: no concept of that kind has this URI or label; the message
                suggests close labels.
        """
        uri = self._find_uri(key, kind)
        if uri is None:
            raise UnknownConceptError(self._unknown_message(key, kind))
        return self._model(uri)

    def skill(self, key: str) -> Skill:
        """The skill with this URI or label.

        With a company taxonomy attached (:meth:`with_company`), ``key`` is resolved as in
        :meth:`resolve_skill`: a company skill id or label gives the ESCO skill it maps to
        *exactly* (its first ``exact`` link); a company skill
        with only broader, narrower or related links raises :class:`UnknownConceptError`
        (use :meth:`resolve_skill` to get those links).
        """
        if self._company is None:
            return cast(Skill, self.concept(key, "skill"))
        resolutions = self.resolve_skill(key)
        if resolutions and resolutions[0].relation == "exact":
            return resolutions[0].skill
        company_skill = self._company.skill(key)
        links = ", ".join(f"{link.relation} {link.uri}" for link in company_skill.esco) or "none"
        raise UnknownConceptError(
            f"the company skill {company_skill.id} ({company_skill.label!r}) of "
            f"{self._company.name} has no exact ESCO match (its links: {links}). Use "
            "taxonomy.resolve_skill(key) to get its broader, narrower and related ESCO skills."
        )

    def occupation(self, key: str) -> Occupation:
        """The occupation with this URI or label."""
        return cast(Occupation, self.concept(key, "occupation"))

    def lookup(self, label: str, kind: ConceptKind | None = None) -> list[Concept]:
        """Every concept that has ``label`` as one of its labels (preferred ones first)."""
        check_text(label, "label", hint="Give a label as text.")
        if kind is not None:
            check_choice(kind, "kind", get_args(ConceptKind))
        uris = self._label_uris(label, kind)
        return [self._model(uri) for uri in uris]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find_uri(key, None) is not None

    def skills(self) -> Iterator[Skill]:
        """Iterate over all skills (and knowledge concepts) in file order."""
        for uri in self._concepts.index[self._concepts["kind"].to_numpy() == "skill"]:
            yield cast(Skill, self._model(uri))

    def occupations(self) -> Iterator[Occupation]:
        """Iterate over all occupations in file order."""
        for uri in self._concepts.index[self._concepts["kind"].to_numpy() == "occupation"]:
            yield cast(Occupation, self._model(uri))

    def count(self, kind: ConceptKind) -> int:
        """How many concepts of a kind the taxonomy holds."""
        check_choice(kind, "kind", get_args(ConceptKind))
        return int((self._concepts["kind"] == kind).sum())

    # -- relations ------------------------------------------------------------------------
    def broader(self, uri: str) -> list[str]:
        """URIs of the concepts directly broader than ``uri`` in its pillar's hierarchy."""
        return list(self._hierarchy[0].get(uri, ()))

    def narrower(self, uri: str) -> list[str]:
        """URIs of the concepts directly narrower than ``uri``."""
        return list(self._hierarchy[1].get(uri, ()))

    def related_skills(self, uri: str) -> list[tuple[str, str]]:
        """Skills related to skill ``uri`` by ESCO's skill-skill relations, as ``(uri, relation)``.

        Relations are read in both directions; ``relation`` is ``essential`` or ``optional``.
        """
        return list(self._skill_relations.get(uri, ()))

    @cached_property
    def _hierarchy(self) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Broader and narrower neighbours of every concept, built once (a look-up is then a
        dict access instead of a scan of all relations)."""
        relations = self._data.relations
        edges = relations[relations["kind"].isin(("broader_skill", "broader_occupation"))]
        broader: dict[str, list[str]] = {}
        narrower: dict[str, list[str]] = {}
        for child, parent in zip(edges["source"], edges["target"], strict=True):
            broader.setdefault(child, []).append(parent)
            narrower.setdefault(parent, []).append(child)
        return broader, narrower

    @cached_property
    def _skill_relations(self) -> dict[str, list[tuple[str, str]]]:
        """Skill-skill relations of every skill, both directions (forward ones first)."""
        relations = self._relations_by_kind("skill_skill")
        columns = (relations["source"], relations["target"], relations["relation"])
        forward: dict[str, list[tuple[str, str]]] = {}
        backward: dict[str, list[tuple[str, str]]] = {}
        for source, target, relation in zip(*columns, strict=True):
            forward.setdefault(source, []).append((target, relation))
            backward.setdefault(target, []).append((source, relation))
        return {uri: forward.get(uri, []) + backward.get(uri, [])
                for uri in forward.keys() | backward.keys()}

    @cached_property
    def _occupation_skills(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        return occupation_skills(self._relations_by_kind("occupation_skill"))

    def _relations_by_kind(self, kind: str) -> pd.DataFrame:
        relations = self._data.relations
        return relations[relations["kind"] == kind]

    # -- search ---------------------------------------------------------------------------
    def search(self, text: str, kind: MatchKind = "skill", top_k: int = 10
               ) -> list[ConceptMatch]:
        """The ``top_k`` concepts whose labels best match ``text`` lexically, best first.

        Each :class:`ConceptMatch` has the label that matched (preferred, alternative or
        hidden; labels in the fallback language count as alternative) and its ``score``: the
        TF-IDF cosine between the text and that label (an exact label match scores 1), also
        given as the ``word`` signal. For semantic matching of free text use
        :class:`skilltwin.SkillMapper`, which returns the same type.
        """
        check_choice(kind, "kind", ("skill", "occupation"))
        check_text(text, "text", empty=False, hint="Give the text to search for.")
        hits = self._label_search(kind).search(text, check_top_k(top_k))
        provenance = Provenance(taxonomy_release=self.release, language=self.language)
        return [
            ConceptMatch(uri=uri, label=self._model(uri).label, kind=kind, score=score,
                         matched_label=label, matched_role=role, signals={"word": score},
                         provenance=provenance)
            for uri, score, label, role in hits
        ]

    def _label_search(self, kind: str) -> LabelSearch:
        from skilltwin.taxonomy._label_search import LabelSearch

        cache = self.__dict__.setdefault("_label_searches", {})
        if kind not in cache:
            frame = self._concepts[self._concepts["kind"] == kind]
            labels: list[list[tuple[str, Role]]] = [
                [(label, "preferred"), *((text, "alternative") for text in alt),
                 *((text, "hidden") for text in hidden),
                 *((text, "alternative") for text in other)]  # fallback-language labels
                for label, alt, hidden, other in zip(
                    frame["label"], frame["alt_labels"], frame["hidden_labels"],
                    frame["fallback_labels"], strict=True
                )
            ]
            cache[kind] = LabelSearch(frame.index.tolist(), labels)
        return cast("LabelSearch", cache[kind])

    # -- tables and graph -----------------------------------------------------------------
    def skills_frame(self) -> pd.DataFrame:
        """One row per skill (index: URI): label, alt/hidden labels, description, type, reuse
        level, collections, the ``language`` of the texts and the ``fallback_labels`` (labels
        in :attr:`fallback_language` of skills labelled in :attr:`language`)."""
        frame = self._concepts[self._concepts["kind"] == "skill"]
        return frame[["label", "alt_labels", "hidden_labels", "description", "skill_type",
                      "reuse_level", "collections", "language",
                      "fallback_labels"]].rename_axis("uri").copy()

    def occupations_frame(self) -> pd.DataFrame:
        """One row per occupation (index: URI): label, labels, description, ISCO group, code,
        ``language`` and ``fallback_labels`` (as in :meth:`skills_frame`), and counts of
        essential and optional skills."""
        frame = self._concepts[self._concepts["kind"] == "occupation"]
        out = frame[["label", "alt_labels", "hidden_labels", "description", "isco_group",
                     "code", "language", "fallback_labels"]].rename_axis("uri").copy()
        links = self._occupation_skills
        out["essential_skills"] = [len(links.get(uri, ((), ()))[0]) for uri in out.index]
        out["optional_skills"] = [len(links.get(uri, ((), ()))[1]) for uri in out.index]
        return out

    def relations_frame(self) -> pd.DataFrame:
        """Every relation: ``source``, ``target``, ``relation`` (essential/optional/broader) and
        ``kind`` (occupation_skill, skill_skill, broader_skill, broader_occupation)."""
        return self._data.relations.copy()

    def concepts_frame(self) -> pd.DataFrame:
        """Every concept of every kind (index: URI)."""
        return self._concepts.copy()

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """All concepts and relations as a networkx ``MultiDiGraph``.

        Nodes are URIs with attributes ``kind`` and ``label``. Edges carry ``relation``
        (``essential``, ``optional`` or ``broader``) as both key and attribute, and ``kind``
        (``occupation_skill``, ``skill_skill``, ``broader_skill``, ``broader_occupation``).
        Broader edges point from the narrower concept to the broader one.
        """
        from skilltwin.taxonomy._tables import build_graph

        return build_graph(self._data, self.release)

    def stats(self) -> dict[str, Any]:
        """Counts of concepts and relations, as printed by ``skilltwin taxonomy info``."""
        relations = self._data.relations["kind"].value_counts()
        counts = {f"{kind}s": self.count(kind)
                  for kind in ("skill", "occupation", "isco_group", "skill_group")}
        links = {f"{kind}_relations": int(relations.get(kind, 0)) for kind in
                 ("occupation_skill", "skill_skill", "broader_skill", "broader_occupation")}
        return {"version": self.version, "language": self.language, **counts, **links}

    # -- slices ---------------------------------------------------------------------------
    def subset(
        self, concepts: Iterable[str], *, include_occupation_skills: bool = True
    ) -> Taxonomy:
        """A smaller taxonomy holding only the given concepts (URIs or labels).

        Useful for quick experiments and tests. With ``include_occupation_skills`` the skills
        of every kept occupation are kept too. Relations are kept where both ends are kept.
        """
        keys = check_list(concepts, "concepts", hint="Give a list of URIs or labels.")
        keep = {self._model(self._require_uri(key)).uri for key in keys}
        if include_occupation_skills:
            for uri in list(keep):
                essential, optional = self._occupation_skills.get(uri, ((), ()))
                keep.update(essential, optional)
        return Taxonomy(subset_data(self._data, keep))

    # -- company taxonomies ---------------------------------------------------------------
    def with_company(self, company: CompanyTaxonomy) -> Taxonomy:
        """This taxonomy with a company taxonomy attached (this object is left unchanged).

        On the returned taxonomy, :meth:`resolve_skill` and :meth:`skill` also accept company
        skill ids and labels.

        Raises:
            ConfigurationError: a crosswalk link names a URI that is not a skill here (the
                company taxonomy was validated against another ESCO release or a subset).
        """
        from skilltwin.taxonomy.company import CompanyTaxonomy

        check_instance(company, CompanyTaxonomy, "company",
                       hint="Load one with skilltwin.load_company_taxonomy().")
        missing = [link.uri for skill in company.skills() for link in skill.esco
                   if link.uri not in self._concepts.index
                   or self._concepts.at[link.uri, "kind"] != "skill"]
        if missing:
            raise ConfigurationError(
                f"{len(missing)} crosswalk link(s) of {company.name} name URIs that are not "
                f"skills of {self.release} (e.g. {missing[0]}). Load the company taxonomy "
                "against this taxonomy with load_company_taxonomy(path, taxonomy)."
            )
        attached = Taxonomy(self._data)
        attached._models = self._models
        attached._company = company
        return attached

    @property
    def company(self) -> CompanyTaxonomy | None:
        """The attached company taxonomy, if any (see :meth:`with_company`)."""
        return self._company

    def resolve_skill(self, key: str) -> list[Resolution]:
        """The ESCO skills ``key`` stands for, closest meaning first.

        ``key`` is tried, in this order, as an ESCO skill URI, a company skill id, an ESCO
        skill label and a company skill label (ids and labels ignore case and extra spaces).
        An ESCO URI or label gives one ``exact`` resolution; a company skill gives one
        resolution per crosswalk link, ordered exact, narrower, broader, related.

        Raises:
            UnknownConceptError: ``key`` names no ESCO skill and no company skill.
        """
        from skilltwin.taxonomy._resolve import resolve_skill

        return resolve_skill(self, key)

    # -- internals ------------------------------------------------------------------------
    def _model(self, uri: str) -> Concept:
        model = self._models.get(uri)
        if model is None:
            row = cast(pd.Series, self._concepts.loc[uri])  # URIs are unique: one row
            model = concept_model(uri, row,
                                  self._occupation_skills.get(uri, ((), ())))
            self._models[uri] = model
        return model

    def _find_uri(self, key: str, kind: ConceptKind | None) -> str | None:
        check_text(key, "key", hint="Look up concepts by URI or label.")
        if kind is not None:
            check_choice(kind, "kind", get_args(ConceptKind))
        stripped = key.strip()
        found_kind = self._kind_of.get(stripped)
        if found_kind is not None:
            return stripped if kind is None or found_kind == kind else None
        uris = self._label_uris(stripped, kind)
        return uris[0] if uris else None

    def _label_uris(self, label: str, kind: ConceptKind | None) -> list[str]:
        key = normalize_label(label)
        kinds = [kind] if kind else list(self._labels)
        found: list[str] = []
        for name in kinds:
            found.extend(self._labels.get(name, {}).get(key, ()))
        compact = compact_label(label)
        if not found and compact:  # written with or without spaces/hyphens between parts
            for name in kinds:
                found.extend(self._compact_labels.get(name, {}).get(compact, ()))
        return found

    @cached_property
    def _kind_of(self) -> dict[str, str]:
        """The kind of every concept by URI (a dict: far faster than a frame look-up)."""
        return dict(zip(self._concepts.index, self._concepts["kind"], strict=True))

    @cached_property
    def _compact_labels(self) -> dict[str, dict[str, tuple[str, ...]]]:
        return compact_index(self._labels)

    def _require_uri(self, key: str) -> str:
        uri = self._find_uri(key, None)
        if uri is None:
            raise UnknownConceptError(self._unknown_message(key, None))
        return uri

    def _unknown_message(self, key: str, kind: ConceptKind | None) -> str:
        what = kind.replace("_", " ") if kind else "concept"
        message = f"no {what} with URI or label {key!r} in {self.release}."
        if kind in ("skill", "occupation") and key.strip():
            close = list(dict.fromkeys(match.matched_label for match in self.search(key, kind, 5)))
            close = close[:3]
            if close:
                message += " Closest labels: " + ", ".join(repr(c) for c in close) + "."
        message += " Check the spelling, or use taxonomy.search(text) to find the concept."
        return message
