"""Under CI a test that skips fails the run: missing data or services never pass silently.
The real data reaches tests only through the fixtures of tests/conftest.py, which mark them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

_SKIPPING_TEST = """
import pytest

def test_needs_data():
    pytest.skip("ESCO download not found")

def test_plain():
    assert True
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    root_conftest = Path(__file__).resolve().parent.parent / "conftest.py"
    pytester.makeconftest(root_conftest.read_text(encoding="utf-8"))
    pytester.makepyfile(_SKIPPING_TEST)
    return pytester


def test_a_skip_fails_under_ci(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest_subprocess()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*skipped under CI*ESCO download not found*"])


def test_a_skip_stays_a_skip_on_a_developer_machine(
    suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI", raising=False)
    suite.runpytest_subprocess().assert_outcomes(passed=1, skipped=1)


_DOCTESTS = '''
def skipped_whole():
    """
    >>> 1 + 1  # doctest: +SKIP
    3
    """


def skipped_one_line():
    """
    >>> 1 + 1  # doctest: +SKIP
    3
    >>> 2 + 2
    4
    """
'''


def test_a_wholly_skipped_doctest_fails_under_ci_a_skipped_line_does_not(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    root_conftest = Path(__file__).resolve().parent.parent / "conftest.py"
    pytester.makeconftest(root_conftest.read_text(encoding="utf-8"))
    pytester.makepyfile(examples=_DOCTESTS)
    monkeypatch.setenv("CI", "1")
    result = pytester.runpytest_subprocess("--doctest-modules", "examples.py")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*skipped under CI*all tests skipped by +SKIP option*"])


# Finding the shared data folder, or reading $SKILLTWIN_DATA, outside tests/conftest.py: a test
# doing so would read ESCO without the `esco` marker and slow down `pytest -m "not esco"`.
_FINDS_THE_DATA = re.compile(
    r"default_esco_path|shared_data_dir|(?:environ\.get|environ\[|getenv)\(?\s*[\"']SKILLTWIN_DATA")


def test_only_the_conftest_finds_the_real_data() -> None:
    tests = Path(__file__).resolve().parent
    offenders = [f"{path.name}:{number}" for path in sorted(tests.glob("*.py"))
                 if path.name not in ("conftest.py", Path(__file__).name)
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if _FINDS_THE_DATA.search(line)]
    assert offenders == [], ("ask for the esco_path, esco, esco_nl or benchmarks_dir fixture "
                             f"instead (it marks the test `esco`): {offenders}")
