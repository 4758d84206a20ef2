"""Loading ESCO from its official CSV download: counts, look-ups, graph, tables, layouts, cache."""

from __future__ import annotations

import shutil
import warnings
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from esco_fixtures import SKILL_SQL, esco_files, to_csv, write_esco_download

import skilltwin.taxonomy.loader as loader_module
from skilltwin import ConceptMatch, Taxonomy, load_esco
from skilltwin.errors import UnknownConceptError

V111_COUNTS = {
    "skills": 13_896,
    "occupations": 3_007,
    "occupation_skill_relations": 123_855,
    "skill_skill_relations": 5_899,
    "broader_skill_relations": 20_656,
    "broader_occupation_relations": 3_617,
}
SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
DBA = "http://data.europa.eu/esco/occupation/8c57af09-719c-42b3-be40-6ed4946236cc"
UNLABELLED_OCCUPATION = (
    "http://data.europa.eu/esco/occupation/a9e54177-a185-404d-b6e6-15663d31137e"
)


def _counts(taxonomy: Taxonomy) -> dict[str, int]:
    stats = taxonomy.stats()
    return {key: stats[key] for key in V111_COUNTS}


def _zips(esco_path: Path) -> tuple[Path, Path]:
    language = next(esco_path.glob("* - en - csv.zip"))
    relations = next(esco_path.glob("* -  - csv.zip"))
    return language, relations


def _load_quietly(path: object, **kwargs: object) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(path, **kwargs)  # type: ignore[arg-type]


# -- the real v1.1.1 release -------------------------------------------------------------
def test_v111_english_has_the_published_counts(esco: Taxonomy) -> None:
    assert _counts(esco) == V111_COUNTS
    assert esco.version == "v1.1.1"
    assert esco.language == "en"
    assert esco.release == "ESCO v1.1.1 (en)"


def test_iteration_yields_every_skill_and_occupation(esco: Taxonomy) -> None:
    skills = list(esco.skills())
    occupations = list(esco.occupations())
    assert len(skills) == len({s.uri for s in skills}) == 13_896
    assert len(occupations) == 3_007
    assert Counter(s.skill_type for s in skills) == {
        "skill/competence": 10_831, "knowledge": 3_059, None: 6,
    }


def test_occupation_skill_relations_split_into_essential_and_optional(esco: Taxonomy) -> None:
    relations = esco.relations_frame()
    links = relations[relations["kind"] == "occupation_skill"]
    assert links["relation"].value_counts().to_dict() == {"essential": 64_946, "optional": 58_909}
    essential = sum(len(o.essential_skills) for o in esco.occupations())
    optional = sum(len(o.optional_skills) for o in esco.occupations())
    # the occupation without English labels keeps its 67 skill relations (68 with its broader
    # relation) in the tables and the graph, but is no Occupation model
    assert essential + optional == 123_855 - 67
    assert (links["source"] == UNLABELLED_OCCUPATION).sum() == 67


def test_unlabelled_concepts_are_reported_in_a_warning(esco_path: Path) -> None:
    with pytest.warns(UserWarning, match=r"1 concept\(s\).*no 'en' labels.*68 relation"):
        load_esco(esco_path, use_cache=False)


@pytest.mark.parametrize(
    "key",
    [SQL, "SQL", "sql", "  SQL ", "SEQUEL", f"  {SQL}  "],
)
def test_skill_lookup_by_uri_preferred_and_alt_label(esco: Taxonomy, key: str) -> None:
    assert esco.skill(key).uri == SQL


def test_labels_are_case_and_white_space_insensitive(esco: Taxonomy) -> None:
    expected = esco.occupation("database administrator")
    assert esco.occupation("Database   ADMINISTRATOR") == expected
    assert esco.occupation("database manager").uri == expected.uri  # an alternative label
    assert esco.occupation(DBA).label == "database administrator"


def test_preferred_label_wins_over_alternative_label(esco: Taxonomy) -> None:
    # "SQL" is SQL's preferred label and an alternative label of "database management systems"
    assert {c.label for c in esco.lookup("SQL", "skill")} == {"SQL", "database management systems"}
    assert esco.lookup("SQL", "skill")[0].uri == SQL


def test_unknown_label_suggests_close_labels(esco: Taxonomy) -> None:
    with pytest.raises(UnknownConceptError, match="Closest labels: 'SQL'"):
        esco.skill("sql querying")
    with pytest.raises(UnknownConceptError):
        esco.skill(DBA)  # an occupation is not a skill


def test_occupation_carries_its_essential_and_optional_skills(esco: Taxonomy) -> None:
    dba = esco.occupation(DBA)
    assert (len(dba.essential_skills), len(dba.optional_skills)) == (27, 39)
    assert dba.code == "2521.1"
    assert dba.isco_code == "2521"
    assert dba.isco_group == "http://data.europa.eu/esco/isco/C2521"
    frame = esco.occupations_frame()
    assert frame.loc[DBA, ["essential_skills", "optional_skills"]].tolist() == [27, 39]
    labels = {esco.skill(uri).label for uri in dba.essential_skills}
    assert "use databases" in labels or "database" in labels


def test_graph_has_every_concept_and_relation(esco: Taxonomy) -> None:
    graph = esco.graph
    assert graph.number_of_nodes() == 13_896 + 3_007 + 619 + 647 + 1
    kinds = Counter(kind for _, _, kind in graph.edges(data="kind"))
    assert kinds == {
        "occupation_skill": 123_855, "skill_skill": 5_899,
        "broader_skill": 20_656, "broader_occupation": 3_617,
    }
    assert graph.nodes[SQL] == {"kind": "skill", "label": "SQL"}
    assert graph.nodes[UNLABELLED_OCCUPATION] == {"kind": "occupation", "label": None}
    dba = esco.occupation(DBA)
    assert graph.has_edge(DBA, dba.essential_skills[0], key="essential")
    assert graph.has_edge(DBA, dba.optional_skills[0], key="optional")
    # broader edges point from the narrower concept to the broader one
    for broader in esco.broader(SQL):
        assert graph.has_edge(SQL, broader, key="broader")
        assert SQL in esco.narrower(broader)


def test_dataframe_views(esco: Taxonomy) -> None:
    skills = esco.skills_frame()
    assert skills.shape[0] == 13_896
    assert skills.index.name == "uri"
    assert skills.loc[SQL, "label"] == "SQL"
    assert "digital" in skills.at[SQL, "collections"]  # type: ignore[operator]
    assert esco.occupations_frame().shape[0] == 3_007
    relations = esco.relations_frame()
    assert list(relations.columns) == ["source", "target", "relation", "kind"]
    assert len(relations) == 123_855 + 5_899 + 20_656 + 3_617
    relations.loc[:, "relation"] = "changed"  # a copy: the taxonomy is unchanged
    assert "changed" not in set(esco.relations_frame()["relation"])
    kinds = set(esco.concepts_frame()["kind"])
    assert kinds == {"skill", "occupation", "isco_group", "skill_group"}


def test_search_ranks_the_exact_label_first(esco: Taxonomy) -> None:
    assert esco.search("SQL", top_k=3)[0].uri == SQL
    (best,) = esco.search("sql", top_k=1)
    assert isinstance(best, ConceptMatch)  # the one type of ranked concepts
    assert (best.uri, best.label, best.kind, best.score, best.matched_label, best.matched_role) \
        == (SQL, "SQL", "skill", pytest.approx(1.0), "SQL", "preferred")
    assert best.signals == {"word": best.score} and best.confidence is None
    assert best.provenance.taxonomy_release == esco.release
    assert best.provenance.model_name is None
    assert esco.search("database administrator", kind="occupation", top_k=1)[0].uri == DBA
    alternative = esco.skill(SQL).alt_labels[0]
    found = {match.uri: match for match in esco.search(alternative, top_k=5)}
    assert (found[SQL].matched_label, found[SQL].matched_role) == (alternative, "alternative")
    scores = [match.score for match in esco.search("manage databases", top_k=10)]
    assert len(scores) == 10 and scores == sorted(scores, reverse=True)


# -- layouts ------------------------------------------------------------------------------
def test_list_of_zips_gives_the_same_taxonomy(esco_path: Path, esco: Taxonomy) -> None:
    taxonomy = _load_quietly(list(_zips(esco_path)), use_cache=False)
    assert _counts(taxonomy) == V111_COUNTS
    assert taxonomy.version == "v1.1.1"


def test_unpacked_folder_gives_the_same_taxonomy(esco_path: Path, tmp_path: Path) -> None:
    for archive in _zips(esco_path):
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(tmp_path / archive.stem)
    taxonomy = _load_quietly(tmp_path, use_cache=False, version="v1.1.1")
    assert _counts(taxonomy) == V111_COUNTS


def test_v12_layout_with_relations_in_the_language_zip(esco_path: Path, tmp_path: Path) -> None:
    language, relations = _zips(esco_path)
    target = tmp_path / "ESCO dataset - v1.2.0 - classification - en - csv.zip"
    with zipfile.ZipFile(language) as source, zipfile.ZipFile(target, "w") as out:
        for member in source.namelist():
            out.writestr(member, source.read(member))
        with zipfile.ZipFile(relations) as relation_zip:
            for member in relation_zip.namelist():
                with relation_zip.open(member) as handle:
                    frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
                frame["conceptLabel"] = "label"  # v1.2.x adds label columns
                name = member.replace(".csv", "_en.csv")
                out.writestr(name, frame.to_csv(index=False))
    taxonomy = _load_quietly(target, use_cache=False)
    assert _counts(taxonomy) == V111_COUNTS
    assert taxonomy.version == "v1.2.0"


def test_v12_layout_of_the_fixture(tmp_path: Path) -> None:
    taxonomy = load_esco(write_esco_download(tmp_path, layout="v1.2"), use_cache=False)
    assert taxonomy.stats()["occupation_skill_relations"] == 4
    assert taxonomy.skill("structured query language").uri == SKILL_SQL


def test_language_selects_the_files(tmp_path: Path) -> None:
    write_esco_download(tmp_path / "en")
    write_esco_download(tmp_path / "nl", language="nl", label_suffix=" (nl)")
    both = [tmp_path / "en", tmp_path / "nl"]
    with pytest.warns(UserWarning, match="found twice"):  # both carry the relation zip
        dutch = load_esco(both, language="nl", use_cache=False)
        english = load_esco(both, language="en", use_cache=False)
    assert dutch.language == "nl"
    assert dutch.release.endswith("(nl)")
    assert dutch.skill(SKILL_SQL).label == "SQL (nl)"
    assert english.skill(SKILL_SQL).label == "SQL"
    with pytest.raises(UnknownConceptError):
        english.skill("SQL (nl)")


# -- cache --------------------------------------------------------------------------------
@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(folder))
    return folder


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the CSV files were parsed although a valid cache exists")

    monkeypatch.setattr(loader_module, "parse_esco", fail)


def test_second_load_comes_from_the_cache(tmp_path: Path, cache_dir: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    download = write_esco_download(tmp_path / "esco")
    first = load_esco(download)
    assert len(list(cache_dir.rglob("*.pkl"))) == 1
    _forbid_parsing(monkeypatch)
    second = load_esco(download)
    assert second.stats() == first.stats()
    assert second.skill("SQL language") == first.skill("SQL language")


def test_a_changed_input_file_invalidates_the_cache(tmp_path: Path, cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    download = write_esco_download(tmp_path / "esco", zipped=False)
    assert load_esco(download).skill(SKILL_SQL).label == "SQL"
    skills_file = next(download.rglob("skills_en.csv"))
    rows = esco_files()["skills"]
    rows[1][4] = "SQL (renamed)"
    skills_file.write_text(to_csv(rows), encoding="utf-8", newline="")
    assert load_esco(download).skill(SKILL_SQL).label == "SQL (renamed)"
    assert len(list(cache_dir.rglob("*.pkl"))) == 2


def test_touching_without_changing_keeps_the_cache(tmp_path: Path, cache_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    download = write_esco_download(tmp_path / "esco")
    load_esco(download)
    for archive in download.glob("*.zip"):
        archive.touch()
    _forbid_parsing(monkeypatch)
    assert load_esco(download).count("skill") == 3


def test_use_cache_false_neither_reads_nor_writes(tmp_path: Path, cache_dir: Path) -> None:
    load_esco(write_esco_download(tmp_path / "esco"), use_cache=False)
    assert not list(cache_dir.rglob("*.pkl"))


def test_damaged_cache_file_is_rebuilt(tmp_path: Path, cache_dir: Path) -> None:
    download = write_esco_download(tmp_path / "esco")
    load_esco(download)
    (cached,) = cache_dir.rglob("*.pkl")
    cached.write_bytes(b"not a pickle")
    assert load_esco(download).count("occupation") == 2


def test_cached_real_taxonomy_equals_the_parsed_one(esco_path: Path, tmp_path: Path,
                                                   cache_dir: Path) -> None:
    copy = tmp_path / "esco-v1.1.1"
    shutil.copytree(esco_path, copy)
    parsed = _load_quietly(copy)
    cached = _load_quietly(copy)
    assert cached.stats() == parsed.stats()
    pd.testing.assert_frame_equal(cached.concepts_frame(), parsed.concepts_frame())
    pd.testing.assert_frame_equal(cached.relations_frame(), parsed.relations_frame())
    assert cached.occupation(DBA) == parsed.occupation(DBA)
