"""Under CI a test that skips fails the run: missing data or services never pass silently."""

from __future__ import annotations

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
