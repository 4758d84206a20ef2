"""The table forms of ``skilltwin match`` and ``map-occupations``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from skilltwin.cli.main import main
from skilltwin.outofcore import top_matches
from skilltwin.profiles.io import read_profiles

PROFILES = [
    {"profile_id": "FIN", "title": "Finance", "skills": [
        {"skill": "manage budgets", "importance": "essential", "min_level": 3},
        {"skill": "public finance", "importance": "optional", "min_level": 2}]},
    {"profile_id": "BAKE", "title": "Baker", "skills": [
        {"skill": "bake bread", "importance": "essential", "min_level": 2}]},
]
CLAIMS = pd.DataFrame({
    "employee_id": ["A", "A", "B", "C", "C"],
    "skill": ["manage budgets", "public finance", "bake bread", "bake bread", "manage budgets"],
    "level": [3, 2, 4, 1, 2],
    "observed": "2025-01-01",
})


@pytest.fixture()
def files(tmp_path: Path) -> tuple[Path, Path]:
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text("\n".join(json.dumps(p) for p in PROFILES), encoding="utf-8")
    claims = tmp_path / "claims.csv"
    CLAIMS.to_csv(claims, index=False)
    return claims, profiles


def test_match_claims_writes_the_top_k_table(esco, esco_path, files, tmp_path, capsys):
    claims, profiles = files
    out = tmp_path / "result.parquet"
    code = main(["match", "--esco", str(esco_path), "--claims", str(claims), "--profiles",
                 str(profiles), "--top-k", "2", "--out", str(out)])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["rows"] == 6 and summary["taxonomy_release"] == esco.release
    written = pd.read_parquet(out)
    expected = top_matches(CLAIMS, read_profiles(profiles, esco), esco, top_k=2,
                           as_of=dt.date.today())
    pd.testing.assert_frame_equal(written.astype({"profile_id": str}),
                                  expected.astype({"profile_id": str}), check_exact=True)
    assert written.loc[0, "employee_id"] == "A" and written.loc[0, "profile_id"] == "FIN"


def test_match_claims_on_a_local_dask_cluster(esco_path, files, tmp_path, capsys):
    claims, profiles = files
    out = tmp_path / "cluster.parquet"
    code = main(["match", "--esco", str(esco_path), "--claims", str(claims), "--profiles",
                 str(profiles), "--top-k", "2", "--out", str(out), "--scheduler", "local"])
    assert code == 0
    local = tmp_path / "local.parquet"
    assert main(["match", "--esco", str(esco_path), "--claims", str(claims), "--profiles",
                 str(profiles), "--top-k", "2", "--out", str(local)]) == 0
    left = pd.read_parquet(local).astype({"profile_id": str})
    right = pd.read_parquet(out).astype({"profile_id": str})
    right = right.sort_values(["employee_id", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right, check_exact=True)


def test_bad_claims_end_with_one_line_and_exit_2(esco_path, files, tmp_path, capsys):
    claims, profiles = files
    out = tmp_path / "r.parquet"
    base = ["match", "--esco", str(esco_path), "--profiles", str(profiles), "--out", str(out)]
    no_id = tmp_path / "no-id.csv"
    CLAIMS.rename(columns={"employee_id": "who"}).to_csv(no_id, index=False)
    assert main([*base, "--claims", str(no_id)]) == 2
    assert "no column 'employee_id'" in capsys.readouterr().err
    unknown = tmp_path / "unknown.csv"
    CLAIMS.assign(skill=["juggling", *CLAIMS["skill"][1:]]).to_csv(unknown, index=False)
    assert main([*base, "--claims", str(unknown)]) == 2
    assert "1 claim(s) name 1 skill(s)" in capsys.readouterr().err
    assert main([*base, "--claims", str(unknown), "--on-unknown", "skip"]) == 0
    assert "left out" in capsys.readouterr().err
    assert main([*base, "--claims", str(claims), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler" in capsys.readouterr().err
    empty = tmp_path / "export-folder"
    (empty / "notes").mkdir(parents=True)
    (empty / "notes" / "readme.txt").write_text("the export job failed")
    for scheduler in ([], ["--scheduler", "local"]):  # in one process and on Dask alike
        assert main([*base, "--claims", str(empty), *scheduler]) == 2
        assert f"claims folder {empty} holds no .parquet files" in capsys.readouterr().err


def test_map_occupations_table_form_names_the_model_it_used(esco, tmp_path, capsys,
                                                             monkeypatch):
    import pyarrow.parquet as pq

    from skilltwin.cli import _outofcore_commands
    from skilltwin.mapping.use import USE_MODEL_NAME

    small = esco.subset(["software developer", "baker", "accountant"])
    monkeypatch.setattr(_outofcore_commands, "load_taxonomy", lambda args: (small, 0.0))
    texts = tmp_path / "titles.parquet"
    pd.DataFrame({"title": ["Bakker (m/v)", "software developer", "accountant"]}).to_parquet(texts)
    out = tmp_path / "mapped.parquet"
    assert main(["map-occupations", "--in", str(texts), "--column", "title", "--out", str(out),
                 "--top-k", "2", "--model", "use"]) == 0
    result = pd.read_parquet(out)
    assert result.groupby("text_id")["rank"].apply(list).tolist() == [[1, 2]] * 3
    best = result[result["rank"] == 1].set_index("text_id")["label"]
    assert best.to_dict() == {0: "baker", 1: "software developer", 2: "accountant"}
    written = json.loads(pq.read_schema(out).metadata[b"skilltwin"])
    assert written["model_name"] == USE_MODEL_NAME
    assert json.loads(capsys.readouterr().out)["rows"] == 6
