"""Shared fixtures: the real ESCO download from ``../shared/data`` (or ``$SKILLTWIN_DATA``).

Tests that need ESCO skip cleanly when it is absent on a developer's machine; under CI the
root ``conftest.py`` turns every skip into a failure (it also sends caches to a per-session
temporary folder).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from skilltwin.config import default_esco_path, shared_data_dir


@pytest.fixture(scope="session")
def esco_path() -> Path:
    """Folder holding the official ESCO v1.1.1 CSV zips."""
    path = default_esco_path()
    if not path.is_dir() or not any(path.glob("*.zip")):
        pytest.skip(f"ESCO download not found at {path}; set SKILLTWIN_DATA to run this test")
    return path


@pytest.fixture(scope="session")
def esco(esco_path: Path):  # type: ignore[no-untyped-def]
    """The full English ESCO v1.1.1 taxonomy (loaded once per test session)."""
    from skilltwin import load_esco

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(esco_path)


@pytest.fixture(scope="session")
def esco_nl_path(esco_path: Path) -> Path:
    """Folder of the official ESCO v1.1.1 Dutch CSV files (no skills_nl.csv)."""
    path = shared_data_dir() / "esco" / "v1.1.1-nl"
    if not (path / "occupations_nl.csv").is_file():
        pytest.skip(f"Dutch ESCO files not found at {path}; set SKILLTWIN_DATA")
    return path


@pytest.fixture(scope="session")
def esco_nl(esco_path: Path, esco_nl_path: Path):  # type: ignore[no-untyped-def]
    """ESCO v1.1.1 in Dutch, English where the Dutch files have no label."""
    from skilltwin import load_esco

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco([esco_path, esco_nl_path], language="nl")


@pytest.fixture(scope="session")
def benchmarks_dir() -> Path:
    """Folder of the benchmark dev splits."""
    path = shared_data_dir() / "benchmarks"
    if not path.is_dir():
        pytest.skip(f"benchmark data not found at {path}; set SKILLTWIN_DATA")
    return path


SMALL_INDEX_SKILLS = (
    "SQL", "manage budgets", "use spreadsheets software", "statistics", "data mining",
    "Python (computer programming)", "use databases", "bake bread", "plan menus",
    "communication", "project management", "JavaScript", "perform data analysis",
    "manage staff", "customer service", "accounting", "financial analysis",
)


@pytest.fixture(scope="session")
def small_mapper(esco):  # type: ignore[no-untyped-def]
    """The real SkillMapper (packaged MiniLM) on an index of a few dozen real ESCO skills and
    the skills related to them: embeds in seconds, for tests about mapping."""
    from skilltwin.mapping import SkillMapper

    return SkillMapper(esco.subset(SMALL_INDEX_SKILLS, with_skills_of_occupations=False),
                       progress=False)
