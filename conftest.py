"""Repository-wide pytest set-up: the CI skip policy, the test cache, the names doctests use.

It sits at the root so that it covers both ``tests/`` and the doctests of ``skilltwin/``
(``--doctest-modules``, see pyproject.toml). Under CI (``CI`` set to anything but
``""``/``0``/``false``/``no``) every skipped test is reported as failed: missing data, a missing
model package, a missing notebook kernel or a missing database server must fail the run, never
let it pass with fewer tests. A doctest whose examples are all ``# doctest: +SKIP`` is a
skipped test too, so under CI it fails; ``+SKIP`` on some lines of an example is not a skip
(the other lines run), and is kept for lines that need the network. Caches go to a
per-session temporary folder unless ``SKILLTWIN_CACHE_DIR`` is set, so tests never depend on
a user's cache.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

from skilltwin.config import default_esco_path


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _hypothesis_profile() -> None:
    """Property tests explore new examples on every local run; under CI they replay a fixed
    set, so that a run's outcome depends on the code alone."""
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if _under_ci():
        settings.load_profile("ci")


_hypothesis_profile()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, None]:
    """Under CI, a skipped test is a failed test (what it needed is missing)."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and _under_ci() and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every test: {reason}"


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    if os.environ.get("SKILLTWIN_CACHE_DIR"):
        yield
        return
    os.environ["SKILLTWIN_CACHE_DIR"] = str(tmp_path_factory.mktemp("skilltwin-cache"))
    yield
    del os.environ["SKILLTWIN_CACHE_DIR"]


@pytest.fixture(scope="session")
def _doctest_esco() -> Any:
    path = default_esco_path()
    if not path.is_dir() or not any(path.glob("*.zip")):
        pytest.skip(f"ESCO download not found at {path}; set SKILLTWIN_DATA to run this doctest")
    from skilltwin import load_esco

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(path)


def _names_esco(item: DoctestItem) -> bool:
    """Whether a doctest's examples name ``esco`` (they then get the real download)."""
    return any("esco" in example.source for example in item.dtest.examples)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A doctest that gets ESCO is marked ``esco``, like the tests whose fixtures load it
    (``tests/conftest.py``), so that ``pytest -m "not esco"`` leaves it out."""
    for item in items:
        if isinstance(item, DoctestItem) and _names_esco(item):
            item.add_marker(pytest.mark.esco)


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Doctests run in a temporary folder; those that name ``esco`` get ESCO, a twin, a profile."""
    if not isinstance(request.node, DoctestItem):
        return
    monkeypatch.chdir(tmp_path)  # files an example writes (an audit log) land here
    if not _names_esco(request.node):
        return
    from skilltwin import EmployeeTwin, JobProfile

    esco = request.getfixturevalue("_doctest_esco")
    twin = EmployeeTwin("emp-0042", taxonomy=esco)
    twin.add_skill("SQL", level=3, source="assessment")
    twin.add_skill("use spreadsheets software", level=4, source="manager")
    namespace = request.getfixturevalue("doctest_namespace")
    namespace.update(esco=esco, twin=twin,
                     profile=JobProfile.from_occupation(esco, "data analyst"))
