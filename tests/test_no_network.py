"""Nothing in skilltwin opens a network connection, except the explicit ESCO Web API client.

Sockets are blocked (every connection attempt is recorded and refused) while the full demo,
a workspace flow with the audit log, and a local embedding model run. The same block is
shown to catch the ESCO API client, so the block itself works.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

from skilltwin import EmployeeTwin, JobProfile
from skilltwin.audit import AuditLog
from skilltwin.errors import EscoApiError
from skilltwin.oversight.workspace import Workspace

CV = "Worked with SQL and Python every day; prepared budgets for the council."


@pytest.fixture
def blocked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Refuse every connection and name resolution; return the attempts made."""
    attempts: list[str] = []

    def refuse(what: str) -> Any:
        def refused(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{what}{args[1:] if what == 'connect' else args}")
            raise ConnectionRefusedError(f"network blocked by test: {what}")
        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


@pytest.mark.filterwarnings("ignore:.*have no 'en' labels")
def test_demo_and_workspace_flow_make_no_connection(esco_path: Path, tmp_path: Path,
                                                    blocked: list[str]) -> None:
    from skilltwin.demo import run_demo
    from skilltwin.taxonomy import load_esco

    report = run_demo(esco_path, tmp_path / "demo", pseudonym_key=b"k" * 32)
    assert report.is_file()

    esco = load_esco(esco_path)
    with AuditLog(tmp_path / "audit.db", pseudonym_key=b"k" * 32) as log:
        ws = Workspace(esco, audit_log=log, actor="hr@zuiderveen.nl", purpose="internal mobility")
        twin = EmployeeTwin("ZV-1", taxonomy=esco)
        twin.add_skill("SQL", level=3)
        profile = JobProfile.from_occupation(esco, "data analyst")
        result = ws.match(twin, profile)
        ws.gap(twin, profile)
        fixed = ws.override(result, score=0.8, reviewer="A. Jansen", reason="portfolio")
        ws.decide(fixed, outcome="shortlist", reviewer="A. Jansen")
        assert log.verify().ok

    assert blocked == []


def test_local_embedding_model_makes_no_connection(esco, blocked: list[str]) -> None:
    pytest.importorskip("sentence_transformers")
    from skilltwin.mapping import SkillMapper

    small = esco.subset(["SQL", "Python (computer programming)", "manage budgets",
                         "data analyst"])
    try:
        mapper = SkillMapper(small, cache=False, progress=False)
        found = mapper.extract_skills(CV)
    except OSError as exc:
        assert blocked == [], f"the model tried to connect: {blocked}"
        pytest.skip(f"no local embedding model installed: {exc}")
    assert any(m.best.label == "SQL" for m in found)
    assert blocked == []


def test_the_block_catches_the_esco_api_client(tmp_path: Path, blocked: list[str]) -> None:
    from skilltwin.esco import EscoClient

    client = EscoClient(cache_dir=tmp_path, use_cache=False, max_retries=0, timeout=1)
    with pytest.raises(EscoApiError):
        client.search("SQL", kind="skill")
    assert blocked, "the ESCO API client should have tried to connect"
