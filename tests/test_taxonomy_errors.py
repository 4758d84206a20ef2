"""A damaged or incomplete ESCO download gives a TaxonomyLoadError that names the file (and row)
and says what to do; the loader never fails with a raw parser traceback."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from esco_fixtures import SKILL_SQL, esco_files, to_csv, write_esco_download

from skilltwin import load_esco
from skilltwin.errors import SkilltwinError, TaxonomyLoadError

SKILLS = "skills_en.csv"
RELATIONS = "occupationSkillRelations.csv"


def _load_error(path: Path | list[Path], **kwargs: object) -> TaxonomyLoadError:
    with pytest.raises(TaxonomyLoadError) as caught:
        load_esco(path, use_cache=False, **kwargs)  # type: ignore[arg-type]
    assert isinstance(caught.value, SkilltwinError)
    return caught.value


def test_the_fixture_download_loads(tmp_path: Path) -> None:
    taxonomy = load_esco(write_esco_download(tmp_path), use_cache=False)
    assert taxonomy.stats()["skills"] == 3
    assert taxonomy.stats()["occupation_skill_relations"] == 4


def test_missing_path_names_it_and_points_to_the_download(tmp_path: Path) -> None:
    missing = tmp_path / "esco-v1.1.1"
    error = _load_error(missing)
    assert str(missing) in str(error)
    assert "no such file or folder" in str(error)
    assert "download" in str(error)


def test_a_text_file_named_zip_is_reported_as_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "ESCO dataset - v1.1.1 - classification - en - csv.zip"
    fake.write_text("<html>Access denied</html>", encoding="utf-8")
    error = _load_error(fake)
    assert str(fake) in str(error)
    assert "not a readable zip" in str(error)
    assert "Download the ESCO CSV zip again" in str(error)


def test_a_file_that_is_neither_zip_nor_csv_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "esco.txt"
    notes.write_text("hello", encoding="utf-8")
    error = _load_error(notes)
    assert str(notes) in str(error)
    assert "neither a folder, a .zip nor a .csv" in str(error)


def test_a_zip_without_the_expected_files_lists_what_it_found(tmp_path: Path) -> None:
    other = tmp_path / "photos.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.csv", "a,b\n1,2\n")
    error = _load_error(other)
    message = str(error)
    assert "skills_en.csv was not found" in message
    assert str(other) in message
    assert "readme.csv" in message  # what was found instead
    assert "Pass the complete ESCO CSV download" in message


def test_missing_relations_zip_names_the_relation_file(tmp_path: Path) -> None:
    write_esco_download(tmp_path)
    language_zip = next(tmp_path.glob("* - en - csv.zip"))
    error = _load_error(language_zip)
    assert "occupationSkillRelations.csv was not found" in str(error)


def test_unknown_language_says_the_download_has_no_such_files(tmp_path: Path) -> None:
    error = _load_error(write_esco_download(tmp_path), language="nl")
    assert "skills_nl.csv was not found" in str(error)
    assert "holds no 'nl' files" in str(error)


def _truncated(text: str, marker: str, keep_after: int) -> str:
    """``text`` cut ``keep_after`` characters past the first occurrence of ``marker``."""
    return text[: text.index(marker) + keep_after]


def test_csv_cut_inside_a_quoted_field_names_the_file(tmp_path: Path) -> None:
    text = to_csv(esco_files()["skills"])
    cut = _truncated(text, "A programming", 5)  # ends inside the quoted description
    error = _load_error(write_esco_download(tmp_path, overrides={SKILLS: cut}))
    assert SKILLS in str(error)
    assert "truncated or damaged" in str(error)
    assert "download the ESCO CSV release again" in str(error)


def test_csv_cut_mid_record_names_the_file_and_row(tmp_path: Path) -> None:
    text = to_csv(esco_files()["skills"])
    cut = _truncated(text, "s-python", len("s-python") + 1)  # ends after the URI field
    error = _load_error(write_esco_download(tmp_path, overrides={SKILLS: cut}))
    assert SKILLS in str(error)
    assert "truncated or damaged" in str(error)
    assert error.row == 2
    assert "row 2" in str(error)


def test_relation_file_cut_mid_record_names_file_and_row(tmp_path: Path) -> None:
    text = to_csv(esco_files()["occupationSkillRelations"])
    cut = _truncated(text, '"optional"', len('"optional"'))
    error = _load_error(write_esco_download(tmp_path, overrides={RELATIONS: cut}))
    assert RELATIONS in str(error)
    assert error.row == 3


def test_missing_columns_are_named(tmp_path: Path) -> None:
    rows = [row[:4] + row[5:] for row in esco_files()["skills"]]  # drop preferredLabel
    error = _load_error(write_esco_download(tmp_path, overrides={SKILLS: to_csv(rows)}))
    assert SKILLS in str(error)
    assert "lacks the column(s) preferredLabel" in str(error)
    assert "unmodified" in str(error)


def test_relation_to_an_unknown_uri_names_file_row_and_uri(tmp_path: Path) -> None:
    rows = esco_files()["occupationSkillRelations"]
    stranger = "http://data.europa.eu/esco/skill/not-in-this-release"
    rows[3][3] = stranger
    error = _load_error(write_esco_download(tmp_path, overrides={RELATIONS: to_csv(rows)}))
    message = str(error)
    assert RELATIONS in message
    assert error.row == 3
    assert stranger in message
    assert "same ESCO release" in message


def test_duplicate_concepts_are_refused(tmp_path: Path) -> None:
    rows = esco_files()["skills"]
    rows.append(list(rows[1]))
    error = _load_error(write_esco_download(tmp_path, overrides={SKILLS: to_csv(rows)}))
    assert SKILL_SQL in str(error)
    assert "more than once" in str(error)


def test_bad_language_code_is_a_configuration_error(tmp_path: Path) -> None:
    from skilltwin.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=re.escape("'english'")):
        load_esco(write_esco_download(tmp_path), language="english")
