"""Company taxonomies: the worked example against real ESCO, resolution rules, bad files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from skilltwin import Taxonomy
from skilltwin.errors import ConfigurationError, TaxonomyLoadError, UnknownConceptError
from skilltwin.taxonomy.company import CompanyTaxonomy, load_company_taxonomy

EXAMPLE = (Path(__file__).resolve().parent.parent / "taxonomies" / "company"
           / "gemeente-zuiderveen.yaml")
SKILL = "http://data.europa.eu/esco/skill/"
USE_DATABASES = SKILL + "4463a721-69f3-413d-8321-43e3af13a4f1"
SQL = SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
CUSTOMER_SERVICE = SKILL + "15a33d76-4640-438d-ae64-fdc0c1d3eebc"
DBA = "http://data.europa.eu/esco/occupation/8c57af09-719c-42b3-be40-6ed4946236cc"



@pytest.fixture(scope="module")
def zuiderveen(esco: Taxonomy) -> CompanyTaxonomy:
    return load_company_taxonomy(EXAMPLE, esco)


@pytest.fixture(scope="module")
def attached(esco: Taxonomy, zuiderveen: CompanyTaxonomy) -> Taxonomy:
    return esco.with_company(zuiderveen)


# -- the worked example ---------------------------------------------------------------------
def test_worked_example_loads_with_every_link_an_esco_skill(
    esco: Taxonomy, zuiderveen: CompanyTaxonomy
) -> None:
    assert zuiderveen.organisation == "Gemeente Zuiderveen"
    assert 30 <= len(zuiderveen) <= 60
    assert 5 <= len(zuiderveen.groups) <= 7
    assert zuiderveen.esco_release == esco.release
    crosswalk = zuiderveen.crosswalk_frame()
    assert set(crosswalk["relation"]) == {"exact", "narrower", "broader", "related"}
    assert all(esco.skill(uri).uri == uri for uri in crosswalk["esco_uri"])
    assert all(skill.esco for skill in zuiderveen.skills())
    frame = zuiderveen.skills_frame()
    assert frame.loc["GZ-ICT-03", "group"] == "ICT"
    assert set(frame["group"]) == {g.id for g in zuiderveen.groups}


def test_company_skill_id_resolves_to_its_esco_skills_exact_first(attached: Taxonomy) -> None:
    resolutions = attached.resolve_skill("GZ-ICT-03")
    assert [(r.skill.uri, r.relation) for r in resolutions] == [
        (USE_DATABASES, "exact"), (SQL, "narrower"),
    ]
    assert {r.company_skill for r in resolutions} == {"GZ-ICT-03"}
    assert attached.resolve_skill("  gz-ict-03 ") == resolutions


def test_company_labels_and_alt_labels_resolve(attached: Taxonomy) -> None:
    assert attached.resolve_skill("klantcontact")[0].skill.uri == CUSTOMER_SERVICE
    assert attached.resolve_skill("KCC")[0].company_skill == "GZ-DV-01"
    relations = [r.relation for r in attached.resolve_skill("Omgevingswet")]
    assert relations == ["narrower", "narrower"]


def test_esco_uris_and_labels_still_resolve_exactly(attached: Taxonomy) -> None:
    (by_uri,) = attached.resolve_skill(SQL)
    (by_label,) = attached.resolve_skill("sql")
    assert by_uri == by_label
    assert (by_uri.relation, by_uri.company_skill) == ("exact", None)


def test_resolutions_are_ordered_exact_narrower_broader_related(attached: Taxonomy) -> None:
    order = ["exact", "narrower", "broader", "related"]
    for skill_id in ("GZ-ICT-04", "GZ-FIN-04", "GZ-DV-05", "GZ-SD-03"):
        relations = [r.relation for r in attached.resolve_skill(skill_id)]
        assert relations == sorted(relations, key=order.index)
    notes = [r.note for r in attached.resolve_skill("GZ-ICT-04") if r.relation == "related"]
    assert notes == ["The knowledge concept; the company skill is about applying it."]


def test_skill_gives_the_exact_match_and_refuses_approximate_ones(attached: Taxonomy) -> None:
    assert attached.skill("GZ-ICT-03").uri == USE_DATABASES
    assert attached.skill("Databases en SQL").uri == USE_DATABASES
    with pytest.raises(UnknownConceptError, match=r"GZ-JUR-02.*no exact ESCO match.*resolve_skill"):
        attached.skill("GZ-JUR-02")  # only 'related' links


def test_unknown_key_names_both_taxonomies(attached: Taxonomy) -> None:
    with pytest.raises(UnknownConceptError, match=r"Gemeente Zuiderveen 2025\.1"):
        attached.resolve_skill("GZ-XX-99")


def test_attaching_leaves_the_original_taxonomy_unchanged(
    esco: Taxonomy, attached: Taxonomy
) -> None:
    assert esco.company is None
    assert attached.company is not None
    with pytest.raises(UnknownConceptError):
        esco.skill("GZ-ICT-03")
    assert attached.stats() == esco.stats()


def test_attaching_to_a_taxonomy_without_the_linked_skills_is_refused(
    esco: Taxonomy, zuiderveen: CompanyTaxonomy
) -> None:
    small = esco.subset([SQL])
    with pytest.raises(ConfigurationError, match="not skills of"):
        small.with_company(zuiderveen)


# -- bad files ----------------------------------------------------------------------------
GOOD_SKILL = f"""
  - id: ACME-01
    label: Databases
    group: IT
    description: Working with relational databases.
    esco:
      - uri: {USE_DATABASES}
        relation: exact
"""


def _write(tmp_path: Path, body: str, *, skills: str = GOOD_SKILL,
           groups: str = "  - id: IT\n    label: IT\n") -> Path:
    text = "organisation: Acme\nversion: 1\n" + body + "groups:\n" + groups + "skills:" + skills
    path = tmp_path / "acme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, esco: Taxonomy) -> str:
    with pytest.raises(TaxonomyLoadError) as caught:
        load_company_taxonomy(path, esco)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_minimal_file_loads(tmp_path: Path, esco: Taxonomy) -> None:
    company = load_company_taxonomy(_write(tmp_path, ""), esco)
    assert company.version == "1"
    assert company.skill("acme-01").label == "Databases"


def test_unknown_esco_uri_names_skill_uri_and_suggests_labels(tmp_path: Path,
                                                              esco: Taxonomy) -> None:
    bad = GOOD_SKILL.replace(USE_DATABASES, SKILL + "00000000-no-such-skill")
    message = _error(_write(tmp_path, "", skills=bad), esco)
    assert "skills[0] (id 'ACME-01') at line" in message
    assert "00000000-no-such-skill" in message
    assert "is not a skill URI of ESCO v1.1.1 (en)" in message
    assert "use databases" in message  # a suggestion from the skill's labels and description


def test_an_occupation_uri_is_not_a_skill(tmp_path: Path, esco: Taxonomy) -> None:
    message = _error(_write(tmp_path, "", skills=GOOD_SKILL.replace(USE_DATABASES, DBA)), esco)
    assert "is an occupation of ESCO v1.1.1 (en), not a skill" in message


def test_duplicate_ids_name_both_entries(tmp_path: Path, esco: Taxonomy) -> None:
    twice = GOOD_SKILL + GOOD_SKILL.replace("label: Databases", "label: Other")
    message = _error(_write(tmp_path, "", skills=twice), esco)
    assert "skills[1]" in message and "repeats the id 'ACME-01' of skills[0]" in message


def test_duplicate_labels_are_refused(tmp_path: Path, esco: Taxonomy) -> None:
    twice = GOOD_SKILL + GOOD_SKILL.replace("ACME-01", "ACME-02")
    assert "repeats the label 'databases'" in _error(_write(tmp_path, "", skills=twice), esco)


def test_duplicate_link_is_refused(tmp_path: Path, esco: Taxonomy) -> None:
    doubled = GOOD_SKILL + f"      - uri: {USE_DATABASES}\n        relation: related\n"
    assert "links to" in _error(_write(tmp_path, "", skills=doubled), esco)


def test_unknown_group(tmp_path: Path, esco: Taxonomy) -> None:
    message = _error(_write(tmp_path, "", skills=GOOD_SKILL.replace("group: IT", "group: ICT")),
                     esco)
    assert "names the group 'ICT', which 'groups' does not define (defined: IT)" in message


def test_bad_relation_type_lists_the_allowed_ones(tmp_path: Path, esco: Taxonomy) -> None:
    bad = GOOD_SKILL.replace("relation: exact", "relation: close")
    message = _error(_write(tmp_path, "", skills=bad), esco)
    assert "esco.0.relation" in message
    assert "'exact', 'narrower', 'broader' or 'related'" in message
    assert "'close'" in message


def test_missing_field_is_named(tmp_path: Path, esco: Taxonomy) -> None:
    message = _error(_write(tmp_path, "", skills=GOOD_SKILL.replace("    label: Databases\n", "")),
                     esco)
    assert "skills[0] (id 'ACME-01') at line 7 is invalid: the field 'label' is missing" in message


def test_unknown_field_is_named(tmp_path: Path, esco: Taxonomy) -> None:
    message = _error(_write(tmp_path, "colour: blue\n"), esco)
    assert "'colour' is not a known field" in message


def test_missing_top_level_field(tmp_path: Path, esco: Taxonomy) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("organisation: Acme\nskills: []\n", encoding="utf-8")
    assert "the field 'version' is missing" in _error(path, esco)


def test_yaml_syntax_error_gives_the_line(tmp_path: Path, esco: Taxonomy) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(textwrap.dedent("""\
        organisation: Acme
        version: 1
        skills:
          - id: ACME-01
            label: "Databases
    """), encoding="utf-8")
    message = _error(path, esco)
    assert "is not valid YAML at line" in message
    assert "Fix the syntax" in message


def test_missing_file(tmp_path: Path, esco: Taxonomy) -> None:
    assert "no such file" in _error(tmp_path / "nope.yaml", esco)


def test_not_a_mapping(tmp_path: Path, esco: Taxonomy) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    assert "is not a company taxonomy" in _error(path, esco)


def test_skill_without_links_warns_with_a_count(tmp_path: Path, esco: Taxonomy) -> None:
    unlinked = GOOD_SKILL + "  - id: ACME-02\n    label: Koffie zetten\n"
    with pytest.warns(UserWarning, match=r"1 company skill\(s\) have no ESCO link .*ACME-02"):
        company = load_company_taxonomy(_write(tmp_path, "", skills=unlinked), esco)
    assert esco.with_company(company).resolve_skill("ACME-02") == []
