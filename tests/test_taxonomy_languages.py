"""ESCO in another language: Dutch labels, English fallback, coverage, look-up in both."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from esco_fixtures import (
    OCCUPATION_DBA,
    RELATION_FILES,
    SKILL_DATABASES,
    SKILL_GROUP,
    SKILL_PYTHON,
    SKILL_SQL,
    to_csv,
    write_esco_download,
)

from skilltwin import JobProfile, Provenance, Taxonomy, load_esco
from skilltwin.cli.main import main
from skilltwin.errors import TaxonomyLoadError

SOFTWARE_DEVELOPER = "http://data.europa.eu/esco/occupation/f2b15a0e-e65a-438a-affb-29b9d50b77d1"
TAKE_INITIATIVE = "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f"
NO_RELATIONS = {f"{stem}.csv": None for stem in RELATION_FILES}


def _quiet(path: object, **kwargs: object) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(path, **kwargs)  # type: ignore[arg-type]


# -- the real Dutch files (occupations, groups, collections; no skills_nl.csv) -------------
def test_every_occupation_and_group_has_its_dutch_label(esco_nl: Taxonomy) -> None:
    assert esco_nl.language == "nl"
    assert esco_nl.fallback_language == "en"
    assert esco_nl.release == "ESCO v1.1.1 (nl)"
    assert esco_nl.coverage["occupation"] == {"concepts": 3_007, "labelled": 3_007,
                                              "fallback": 0}
    assert esco_nl.coverage["isco_group"]["fallback"] == 0
    assert esco_nl.coverage["skill_group"]["fallback"] == 0
    developer = esco_nl.occupation(SOFTWARE_DEVELOPER)
    assert developer.label == "software ontwikkelaar"
    assert developer.language == "nl"
    assert "programmeur" in developer.alt_labels
    assert developer.description.startswith("Softwareontwikkelaars")


def test_collections_label_2218_skills_in_dutch_and_the_rest_fall_back(
        esco_nl: Taxonomy, esco: Taxonomy) -> None:
    assert esco_nl.coverage["skill"] == {"concepts": 13_896, "labelled": 2_218,
                                         "fallback": 11_678}
    skills = esco_nl.skills_frame()
    assert (skills["label"].str.strip() != "").all()  # never an empty label
    assert skills["language"].value_counts().to_dict() == {"en": 11_678, "nl": 2_218}
    initiative = esco_nl.skill(TAKE_INITIATIVE)
    assert (initiative.label, initiative.language) == ("initiatief aan de dag leggen", "nl")
    assert "initiative" in skills.at[TAKE_INITIATIVE, "fallback_labels"][0]
    fallen_back = skills.index[skills["language"] == "en"][0]
    assert esco_nl.skill(fallen_back).label == esco.skill(fallen_back).label
    # alternative labels of the collections are split on "|", not kept as one string
    assert not any("|" in alt for alts in skills["alt_labels"] for alt in alts)
    assert skills.loc[skills["language"] == "nl", "alt_labels"].map(len).sum() > 500


def test_labels_in_both_languages_resolve(esco_nl: Taxonomy) -> None:
    assert esco_nl.occupation("software ontwikkelaar").uri == SOFTWARE_DEVELOPER
    assert esco_nl.occupation("Software Developer").uri == SOFTWARE_DEVELOPER
    assert SOFTWARE_DEVELOPER in [o.uri for o in esco_nl.lookup("programmeur")]  # Dutch alt
    for compound in ("softwareontwikkelaar", "Software-ontwikkelaar"):  # Dutch compounds
        assert esco_nl.occupation(compound).uri == SOFTWARE_DEVELOPER
    assert esco_nl.skill("initiatief aan de dag leggen").uri == TAKE_INITIATIVE
    assert esco_nl.skill(esco_nl.skills_frame().at[TAKE_INITIATIVE, "fallback_labels"][0]
                         ).uri == TAKE_INITIATIVE
    assert esco_nl.search("initiatief aan de dag", "skill", 1)[0].uri == TAKE_INITIATIVE


def test_results_carry_the_language_in_their_provenance(esco_nl: Taxonomy) -> None:
    profile = JobProfile.from_occupation(esco_nl, "software ontwikkelaar")
    assert profile.title == "software ontwikkelaar"
    assert profile.provenance is not None
    assert profile.provenance.language == "nl"
    assert profile.provenance.taxonomy_release == "ESCO v1.1.1 (nl)"


def test_provenance_serialised_before_the_language_field_reads_back_with_it() -> None:
    old = '{"library_version": "0.1.0", "taxonomy_release": "ESCO v1.1.1 (en)", "model_name": null}'
    assert Provenance.model_validate_json(old).language == "en"
    assert Provenance(taxonomy_release="my taxonomy").language is None
    assert Provenance(taxonomy_release="ESCO v1.1.1 (nl)", language="nl").language == "nl"


def test_cli_taxonomy_info_reports_coverage(esco_path: Path, esco_nl_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    both = ["--esco", str(esco_path), "--esco", str(esco_nl_path), "--language", "nl"]
    assert main(["taxonomy", "info", *both, "--json"]) == 0
    captured = capsys.readouterr()
    info = json.loads(captured.out)
    assert (info["language"], info["fallback_language"]) == ("nl", "en")
    assert info["coverage"]["skill"] == {"concepts": 13_896, "labelled": 2_218,
                                         "fallback": 11_678}
    assert info["coverage"]["occupation"]["labelled"] == 3_007
    assert "11,678 of 13,896 skills have no 'nl' label" in captured.err
    assert main(["taxonomy", "info", *both]) == 0
    text = capsys.readouterr().out
    assert "ESCO v1.1.1 (nl)" in text
    assert "2,218 of 13,896 (16%)" in text
    assert "3,007 of 3,007 (100%)" in text
    assert main(["taxonomy", "info", "--esco", str(esco_path)]) == 0
    assert "labels in" not in capsys.readouterr().out  # English: nothing falls back


# -- tiny fixtures: the official Dutch zip, and loose Dutch files beside the English zips ---
def _official_dutch(root: Path) -> Path:
    """English zips plus the complete (fixture) Dutch zip, which has no relation files."""
    write_esco_download(root)
    write_esco_download(root, language="nl", label_suffix=" (nl)", overrides=NO_RELATIONS)
    return root


def test_the_official_dutch_zip_labels_everything(tmp_path: Path) -> None:
    root = _official_dutch(tmp_path / "esco")
    assert sorted(p.name for p in root.iterdir()) == [
        "ESCO dataset - v1.1.1 - classification -  - csv.zip",
        "ESCO dataset - v1.1.1 - classification - en - csv.zip",
        "ESCO dataset - v1.1.1 - classification - nl - csv.zip",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # complete: nothing to report
        dutch = load_esco(root, language="nl", use_cache=False)
    assert all(counts["fallback"] == 0 for counts in dutch.coverage.values())
    assert dutch.coverage_report() == ""
    assert dutch.skill(SKILL_SQL).label == "SQL (nl)"
    assert dutch.skill(SKILL_SQL).language == "nl"
    assert dutch.skill("SQL").uri == SKILL_SQL  # the English label resolves too
    assert dutch.concept(SKILL_GROUP).label == "information and communication technologies (nl)"
    assert dutch.stats()["occupation_skill_relations"] == 4
    assert dutch.occupation("database administrator (nl)").essential_skills == (
        SKILL_SQL, SKILL_DATABASES)


def test_the_dutch_zip_alone_needs_no_english(tmp_path: Path) -> None:
    write_esco_download(tmp_path, language="nl", label_suffix=" (nl)")
    dutch = load_esco(tmp_path, language="nl", use_cache=False)
    assert dutch.skill(SKILL_PYTHON).label == "Python (computer programming) (nl)"
    assert dutch.coverage["skill"]["labelled"] == 3


def _dutch_collection() -> str:
    return to_csv([
        ["conceptType", "conceptUri", "preferredLabel", "status", "skillType", "reuseLevel",
         "altLabels", "description", "broaderConceptUri", "broaderConceptPT"],
        ["KnowledgeSkillCompetence", SKILL_SQL, "SQL-taal", "released", "knowledge",
         "cross-sector", "gestructureerde querytaal | SQL taal", "Een querytaal.", "", ""],
    ])


def _dutch_occupations() -> str:
    return to_csv([
        ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels",
         "hiddenLabels", "status", "description", "code"],
        ["Occupation", OCCUPATION_DBA, "2521", "databasebeheerder", "DBA\ndatabankbeheerder",
         "", "released", "", "2521.1"],
    ])


def _loose_dutch_beside_the_zips(root: Path) -> Path:
    """One folder: the English zips and loose Dutch files, part of the concepts only."""
    write_esco_download(root)
    (root / "digitalSkillsCollection_nl.csv").write_text(_dutch_collection(), encoding="utf-8")
    (root / "occupations_nl.csv").write_text(_dutch_occupations(), encoding="utf-8")
    return root


def test_loose_dutch_files_beside_the_zips_fall_back_to_english(tmp_path: Path) -> None:
    root = _loose_dutch_beside_the_zips(tmp_path / "esco")
    with pytest.warns(UserWarning, match=r"2 of 3 skills, 1 of 2 occupations, 1 of 1 skill "
                                         r"groups and 1 of 1 ISCO groups have no 'nl' label"):
        dutch = load_esco(root, language="nl", use_cache=False)
    assert dutch.coverage["skill"] == {"concepts": 3, "labelled": 1, "fallback": 2}
    assert dutch.coverage["occupation"] == {"concepts": 2, "labelled": 1, "fallback": 1}
    sql = dutch.skill(SKILL_SQL)
    assert (sql.label, sql.language) == ("SQL-taal", "nl")
    assert sql.alt_labels == ("gestructureerde querytaal", "SQL taal")
    assert sql.collections == frozenset({"digital"})
    python = dutch.skill(SKILL_PYTHON)
    assert (python.label, python.language) == ("Python (computer programming)", "en")
    dba = dutch.occupation(OCCUPATION_DBA)
    assert (dba.label, dba.language) == ("databasebeheerder", "nl")
    assert dba.description == "Keeps databases running."  # no Dutch one: the English one
    assert dba.code == "2521.1"
    for key in ("databasebeheerder", "databankbeheerder", "database administrator", "DBA"):
        assert dutch.occupation(key).uri == OCCUPATION_DBA
    assert dutch.skill("structured query language").uri == SKILL_SQL


def test_several_paths_equal_one_folder_holding_both(tmp_path: Path) -> None:
    together = _quiet(_loose_dutch_beside_the_zips(tmp_path / "one"), language="nl",
                      use_cache=False)
    english = write_esco_download(tmp_path / "en")
    dutch = tmp_path / "nl"
    dutch.mkdir()
    (dutch / "digitalSkillsCollection_nl.csv").write_text(_dutch_collection(), encoding="utf-8")
    (dutch / "occupations_nl.csv").write_text(_dutch_occupations(), encoding="utf-8")
    separate = _quiet([english, dutch], language="nl", use_cache=False)
    assert separate.coverage == together.coverage
    assert separate.skill(SKILL_SQL) == together.skill(SKILL_SQL)


def test_without_fallback_the_missing_dutch_file_is_named(tmp_path: Path) -> None:
    root = _loose_dutch_beside_the_zips(tmp_path / "esco")
    with pytest.raises(TaxonomyLoadError, match=r"skills_nl\.csv was not found"):
        load_esco(root, language="nl", fallback_language=None, use_cache=False)


def test_english_is_unchanged_by_dutch_files_beside_it(tmp_path: Path) -> None:
    root = _loose_dutch_beside_the_zips(tmp_path / "esco")
    english = load_esco(root, use_cache=False)
    assert english.language == english.fallback_language == "en"
    assert english.skill(SKILL_SQL).label == "SQL"
    assert english.skill(SKILL_SQL).language == "en"
    assert english.coverage_report() == ""
    assert "SQL-taal" not in english


def test_the_cache_keeps_languages_and_fallbacks_apart(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("SKILLTWIN_CACHE_DIR", str(cache))
    root = _loose_dutch_beside_the_zips(tmp_path / "esco")
    english = _quiet(root)
    dutch = _quiet(root, language="nl")
    assert english.skill(SKILL_SQL).label == "SQL"
    assert dutch.skill(SKILL_SQL).label == "SQL-taal"
    names = sorted(path.name.split("-f")[0] for path in cache.rglob("*.pkl"))
    assert names == ["esco-en", "esco-nl+en"]
    again = _quiet(root, language="nl")  # from the cache, with the same coverage
    assert again.coverage == dutch.coverage
    assert again.skill(SKILL_SQL).label == "SQL-taal"
    assert len(list(cache.rglob("*.pkl"))) == 2


def test_a_bad_fallback_code_is_refused(tmp_path: Path) -> None:
    from skilltwin.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="fallback_language must be an ESCO language code"):
        load_esco(write_esco_download(tmp_path), language="nl", fallback_language="English")


def test_the_language_describes_the_texts_and_leaves_equality_alone(tmp_path: Path) -> None:
    english = load_esco(write_esco_download(tmp_path), use_cache=False)
    sql = english.skill(SKILL_SQL)
    assert sql.language == "en"
    unmarked = sql.model_copy(update={"language": None})  # e.g. a hand-built model
    assert unmarked == sql and hash(unmarked) == hash(sql) and len({sql, unmarked}) == 1
    assert sql != english.skill(SKILL_PYTHON)
    assert sql != sql.model_copy(update={"label": "SQL-taal", "language": "nl"})


def test_compounds_resolve_with_or_without_spaces_and_hyphens(tmp_path: Path) -> None:
    english = load_esco(write_esco_download(tmp_path), use_cache=False)
    assert english.skill("use-databases").uri == SKILL_DATABASES
    assert english.skill("usedatabases").uri == SKILL_DATABASES
    assert english.skill("data-bases").uri == SKILL_DATABASES  # hidden label "data bases"
    assert "use data" not in english
    assert " - " not in english
