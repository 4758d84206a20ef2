"""One list of actions: the worker notice and the docs describe every Action, in every
language, so a new step cannot be missed by one of them."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from skilltwin.audit import Action, AuditLog
from skilltwin.audit.actions import RESERVED_ACTIONS, STEP_ACTIONS
from skilltwin.errors import ConfigurationError
from skilltwin.store import Store, worker_notice
from skilltwin.store import notice as notice_module
from skilltwin.store._notice_facts import NoticeFacts
from skilltwin.store._notice_text import TEXTS

KEY = b"actions-test-pseudonym-key-0123456789"
DOCS = Path(__file__).parents[1] / "docs"


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_notice_describes_every_action(language: str, tmp_path: Path, tiny_esco,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    steps = TEXTS[language]["steps"]
    assert set(steps) == set(Action), f"{language}: {set(Action) ^ set(steps)}"
    assert len(set(steps.values())) == len(Action)  # one description each

    store = Store(f"sqlite:///{tmp_path / 'store.db'}", taxonomy=tiny_esco)
    log = store.audit_log(pseudonym_key=KEY)
    for action in Action:
        if action.value not in RESERVED_ACTIONS:
            log.record(action, actor="hr", data={"purpose": "internal mobility"})
    log.rotate_chain_key(actor="dpo", reason="yearly")
    log.record(Action.MATCH, actor="hr", subject="emp-1", data={"purpose": "x"})
    log.erase_subject("emp-1", actor="dpo", reason="request")
    # keyed_chain is only written when an older log switches: count one as such a log has
    real = notice_module.notice_facts

    def with_switch(opened: Store) -> NoticeFacts:
        facts = real(opened)
        facts.actions[Action.KEYED_CHAIN.value] += 1
        return facts

    monkeypatch.setattr(notice_module, "notice_facts", with_switch)
    notice = worker_notice(store, language=language, today=dt.date(2026, 3, 1))
    for action in Action:
        assert steps[action] in notice, (language, action)


def test_the_docs_name_every_action() -> None:
    text = (DOCS / "oversight.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_]+)`", text))
    assert {a.value for a in Action} <= named, {a.value for a in Action} - named


def test_the_workspace_steps_are_actions() -> None:
    assert set(STEP_ACTIONS.values()) <= set(Action)


@pytest.mark.parametrize("action", sorted(RESERVED_ACTIONS))
def test_reserved_actions_are_written_by_the_log_only(action: str, tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.db", pseudonym_key=KEY)
    with pytest.raises(ConfigurationError, match="reserved"):
        log.record(action, actor="mallory")
    assert len(log) == 0
