"""The fixtures the test modules share, and the markers that make a fast subset.

Real data: the official ESCO download from ``../shared/data`` (or ``$SKILLTWIN_DATA``) and the
benchmark splits beside it. Tests that need them skip cleanly when they are absent on a
developer's machine; under CI the root ``conftest.py`` turns every skip into a failure (it also
sends caches to a per-session temporary folder).

Markers come from the fixtures, not from hand-written decorators: every test whose fixtures
(directly or through other fixtures) include one of :data:`REAL_DATA_FIXTURES` is marked
``esco``, and every test that needs one of :data:`MODEL_FIXTURES` is marked ``model``.
``pytest -m "not esco"`` therefore runs without the ESCO download; a test that reads it must
ask for it through these fixtures (``tests/test_ci_policy.py`` checks that no test module
finds the download on its own). Tests that load an embedding model themselves carry
``@pytest.mark.model`` by hand, multi-process stress tests ``@pytest.mark.slow``; every
``model`` test is ``slow`` as well, so ``pytest -m "not esco and not slow"`` is the quick
subset.

Small, fast stand-ins live here too: ``tiny_esco`` (a three-skill ESCO-shaped download,
``tests/esco_fixtures.py``) and the store and audit-log fixtures built on it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL, write_esco_download
from store_backends import AUDIT_KEY, BACKENDS, drop_schema, fresh_schema_url, postgres_url

from skilltwin import EmployeeTwin, JobProfile, Taxonomy
from skilltwin.config import default_esco_path, shared_data_dir
from skilltwin.oversight import AuditLog, UnregisteredReviewerWarning

if TYPE_CHECKING:  # imported where used: collecting the fast subset stays light
    from skilltwin.mapping import SkillMapper
    from skilltwin.store import Store

#: Fixtures that read the real data under ``$SKILLTWIN_DATA``; a test using any of them,
#: directly or through another fixture, is marked ``esco``.
REAL_DATA_FIXTURES = frozenset({"esco_path", "benchmarks_dir"})
#: Fixtures that load the packaged sentence-embedding model; their tests are marked ``model``.
MODEL_FIXTURES = frozenset({"small_mapper"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses (see the module docstring); a ``model`` test is
    ``slow`` too."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & REAL_DATA_FIXTURES:
            item.add_marker(pytest.mark.esco)
        if names & MODEL_FIXTURES:
            item.add_marker(pytest.mark.model)
        if item.get_closest_marker("model") is not None:
            item.add_marker(pytest.mark.slow)


# -- the real ESCO download --------------------------------------------------------------------

@pytest.fixture(scope="session")
def esco_path() -> Path:
    """Folder holding the official ESCO v1.1.1 CSV zips."""
    path = default_esco_path()
    if not path.is_dir() or not any(path.glob("*.zip")):
        pytest.skip(f"ESCO download not found at {path}; set SKILLTWIN_DATA to run this test")
    return path


def _load_quietly(load: Callable[[], Taxonomy]) -> Taxonomy:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load()


@pytest.fixture(scope="session")
def esco(esco_path: Path) -> Taxonomy:
    """The full English ESCO v1.1.1 taxonomy (loaded once per test session)."""
    from skilltwin import load_esco

    return _load_quietly(lambda: load_esco(esco_path))


@pytest.fixture(scope="session")
def esco_nl_path(esco_path: Path) -> Path:
    """Folder of the official ESCO v1.1.1 Dutch CSV files (no skills_nl.csv)."""
    path = shared_data_dir() / "esco" / "v1.1.1-nl"
    if not (path / "occupations_nl.csv").is_file():
        pytest.skip(f"Dutch ESCO files not found at {path}; set SKILLTWIN_DATA")
    return path


@pytest.fixture(scope="session")
def esco_nl(esco_path: Path, esco_nl_path: Path) -> Taxonomy:
    """ESCO v1.1.1 in Dutch, English where the Dutch files have no label."""
    from skilltwin import load_esco

    return _load_quietly(lambda: load_esco([esco_path, esco_nl_path], language="nl"))


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
def small_mapper(esco: Taxonomy) -> SkillMapper:
    """The real SkillMapper (packaged MiniLM) on an index of a few dozen real ESCO skills and
    the skills related to them: embeds in seconds, for tests about mapping."""
    from skilltwin.mapping import SkillMapper

    return SkillMapper(esco.subset(SMALL_INDEX_SKILLS, include_occupation_skills=False),
                       progress=False)


# -- the tiny ESCO-shaped download, stores and audit logs on it ---------------------------------

@pytest.fixture(scope="session")
def tiny_esco(tmp_path_factory: pytest.TempPathFactory) -> Taxonomy:
    """A three-skill ESCO-shaped taxonomy (tests/esco_fixtures.py)."""
    from skilltwin import load_esco

    root = write_esco_download(tmp_path_factory.mktemp("tiny-esco"))
    return _load_quietly(lambda: load_esco(root))


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL schema
    (tests/store_backends.py)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = postgres_url()
    url, schema = fresh_schema_url(base)
    yield url
    drop_schema(base, schema)


@pytest.fixture
def store(db_url: str, tiny_esco: Taxonomy) -> Iterator[Store]:
    """An empty store on ``tiny_esco``, on each backend."""
    from skilltwin.store import Store

    with Store(db_url, taxonomy=tiny_esco) as opened:
        yield opened


@pytest.fixture
def log(tmp_path: Path) -> Iterator[AuditLog]:
    """An empty SQLite audit log in ``tmp_path/audit.db``, keyed with ``AUDIT_KEY``."""
    with AuditLog(tmp_path / "audit.db", pseudonym_key=AUDIT_KEY) as opened:
        yield opened


@pytest.fixture
def twin(tiny_esco: Taxonomy) -> EmployeeTwin:
    """Employee ZV-0042 with SQL at level 3, on ``tiny_esco`` (modules on real ESCO override
    it with a twin of their own)."""
    made = EmployeeTwin("ZV-0042", taxonomy=tiny_esco)
    made.add_skill(SKILL_SQL, level=3, observed="2025-01-10")
    return made


@pytest.fixture
def profile(tiny_esco: Taxonomy) -> JobProfile:
    """The database administrator's profile ZV-DBA on ``tiny_esco`` (modules on real ESCO
    override it)."""
    return JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA, profile_id="ZV-DBA")


@pytest.fixture
def quiet_unregistered_reviewers() -> Iterator[None]:
    """Silences UnregisteredReviewerWarning, for modules whose logs have no roster on purpose
    (``pytestmark = pytest.mark.usefixtures("quiet_unregistered_reviewers")``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnregisteredReviewerWarning)
        yield
