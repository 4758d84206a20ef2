"""map_texts: the same matches on a LocalCluster as in one process, mapper built once per
worker."""

from __future__ import annotations

import pandas as pd
import pytest

from skilltwin.errors import ConfigurationError
from skilltwin.outofcore import map_texts, read_texts
from skilltwin.outofcore import mapping as scale_mapping

OCCUPATIONS = ["software developer", "nurse responsible for general care", "electrician",
               "payroll clerk", "secretary", "pharmacist", "accountant", "bus driver"]
TITLES = ["Senior Java developer (m/f/d)", "registered nurse", "", "payroll administrator",
          "office secretary", "apotheker assistant", "bus driver city routes",
          "electrician", "junior software engineer", "accounting clerk"] * 3


@pytest.fixture(scope="module")
def slice_taxonomy(esco):
    return esco.subset(OCCUPATIONS, include_occupation_skills=False)


@pytest.mark.model
def test_mapping_on_a_local_cluster_equals_one_process_and_builds_one_mapper_per_worker(
        slice_taxonomy, tmp_path, monkeypatch):
    from distributed import Client, LocalCluster

    texts = pd.Series(TITLES)
    local = map_texts(texts, slice_taxonomy, kind="occupation", top_k=3)
    assert set(local["text_id"]) == set(range(len(TITLES))) - {2, 12, 22}  # blanks: no rows
    assert local[local["text_id"] == 3]["label"].iloc[0] == "payroll clerk"
    built = []
    from skilltwin import mapping

    real = mapping.SkillMapper

    def counting(*args, **kwargs):
        built.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(mapping, "SkillMapper", counting)
    scale_mapping._MAPPERS.clear()
    path = tmp_path / "texts.parquet"
    pd.DataFrame({"title": TITLES}).to_parquet(path)
    monkeypatch.setattr(scale_mapping, "_PARTITION_TEXTS", 4)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        lazy = map_texts(read_texts(path, "title", dask=True), slice_taxonomy,
                         kind="occupation", top_k=3, client=client)
        result = lazy.compute()
        again = map_texts(pd.Series(TITLES), slice_taxonomy, kind="occupation", top_k=3,
                          client=client)
        assert again.npartitions > 2
        again.compute()
    assert 1 <= len(built) <= 2  # once per worker (here both workers share one process)
    left = local.sort_values(["text_id", "rank"]).reset_index(drop=True)
    right = result.sort_values(["text_id", "rank"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(left[["text_id", "rank", "uri", "label"]],
                                  right[["text_id", "rank", "uri", "label"]],
                                  check_dtype=False)
    pd.testing.assert_series_equal(left["score"], right["score"], atol=2e-4, check_exact=False)


def test_a_texts_table_without_the_column_names_it(tmp_path):
    path = tmp_path / "texts.csv"
    pd.DataFrame({"title": ["a"]}).to_csv(path, index=False)
    with pytest.raises(ConfigurationError, match=r"no column 'text'.*title"):
        read_texts(path, "text")
