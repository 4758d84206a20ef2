"""Attacks with free text: Markdown and HTML injected into the notices through settings,
attribute names and old log entries; purposes that are free text, an employee id or not
registered; and an employee id typed into a batch entry, looked for in the raw bytes of the
store's SQLite file after the employee's erasure."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from esco_fixtures import OCCUPATION_DBA, SKILL_SQL

from skilltwin import EmployeeTwin, JobProfile, Purpose, Workspace
from skilltwin._markdown import escape_markdown
from skilltwin.errors import ConfigurationError
from skilltwin.oversight import AuditLog
from skilltwin.store import Store, worker_notice, works_council_request

KEY = b"freetext-attack-key-0123456789abcdef"
RAW_ID = "ZV-SECRET-4711"
OTHER_ID = "anna-jansen"
TODAY = dt.date(2026, 12, 3)
NOTICES: list[tuple[Callable[..., str], str]] = [
    (worker_notice, "en"), (worker_notice, "nl"),
    (works_council_request, "nl"), (works_council_request, "en")]
HOSTILE = {
    "organisation": "Voorbeeld\n## Who decides\nNobody, the machine does",
    "decision_maker": "<script>alert('x')</script> P. de Vries",
    "reviewer_roles": ["- team lead\n\n# Fake title", "1. HR <b>bold</b>", "`code` | pipe"],
    "contact": "[privacy desk](https://evil.example/phish) or <https://evil.example/>",
}
# Refused by configure since files round 2 (a whole number of at least 6 months); a value an
# earlier version saved is shown as "not set" (test_a_retention_saved_unchecked_is_not_stated).
HOSTILE_RETENTION = "12\n\n## Retention is forever"
BENIGN = {"organisation": "Voorbeeld", "decision_maker": "P. de Vries",
          "reviewer_roles": ["team lead", "HR"], "contact": "privacy@voorbeeld.nl",
          "retention_months": 12}


def _rendered(markdown_text: str) -> list[str]:
    """The notice as HTML, by every Markdown renderer at hand (python-markdown ships with
    mkdocs; markdown-it-py is CommonMark)."""
    import markdown

    pages = [markdown.markdown(markdown_text, extensions=["tables"])]
    try:
        from markdown_it import MarkdownIt
    except ImportError:  # pragma: no cover - markdown-it-py comes with the docs tools
        return pages
    return [*pages, MarkdownIt("commonmark", {"html": True, "linkify": False})
            .enable("table").render(markdown_text)]


def _tags(html: str, name: str) -> int:
    return len(re.findall(rf"<{name}[\s>]", html))


def _store_with(url: str, taxonomy, settings) -> Store:  # type: ignore[no-untyped-def]
    store = Store(url, taxonomy=taxonomy)
    twin = EmployeeTwin("emp-1", taxonomy=taxonomy)
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
    store.save_twin(twin)
    store.set_attributes("emp-1", {"department": "ICT"})
    store.configure(**settings)
    return store


@pytest.mark.parametrize(("write", "language"), NOTICES)
def test_settings_cannot_add_headings_html_or_links_to_a_notice(
        db_url: str, tiny_esco, write, language: str) -> None:
    benign = _store_with(db_url, tiny_esco, BENIGN)
    expected = write(benign, language=language, today=TODAY)
    benign.set_attributes("emp-1", {"<img src=x onerror=alert(1)>": "x",
                                    "grade\n## Injected": "y"})
    benign.configure(**HOSTILE)
    with pytest.raises(ConfigurationError, match="retention_months"):
        benign.configure(retention_months=HOSTILE_RETENTION)
    text = write(benign, language=language, today=TODAY)
    benign.close()

    headings = [line for line in text.splitlines() if line.startswith("#")]
    expected_headings = [line for line in expected.splitlines() if line.startswith("#")]
    assert len(headings) == len(expected_headings) and headings[1:] == expected_headings[1:]
    assert "Voorbeeld \\#\\# Who decides Nobody" in headings[0]  # the name, escaped
    for html, clean in zip(_rendered(text), _rendered(expected), strict=True):
        for tag in ("h1", "h2", "h3", "script", "b", "a", "img", "code", "table"):
            assert _tags(html, tag) == _tags(clean, tag), (tag, html)
        assert "evil.example" in html and 'href="https://evil' not in html
        assert "&lt;script&gt;" in html  # shown as typed, not run


def test_escaping_keeps_text_as_typed_on_one_line() -> None:
    assert escape_markdown("a\n## b\r\n\u2028c") == "a \\#\\# b c"
    assert escape_markdown("- item") == "\\- item" and escape_markdown("+ x") == "\\+ x"
    assert escape_markdown("12. Punkt") == "12\\. Punkt"
    assert escape_markdown("[x](y) <i> `c` | *b* _u_") == \
        "\\[x\\](y) \\<i\\> \\`c\\` \\| \\*b\\* \\_u\\_"
    assert escape_markdown("&lt;script&gt; Ernst & Young") == \
        "\\&lt;script\\&gt; Ernst & Young"
    assert escape_markdown("P. de Vries, hoofd HR") == "P. de Vries, hoofd HR"


def test_free_text_purposes_cannot_be_registered(tmp_path: Path, tiny_esco) -> None:
    store = _store_with(f"sqlite:///{tmp_path / 'store.db'}", tiny_esco, {})
    store.set_attributes(OTHER_ID, {})
    for bad, why in [("mobility\n## Who decides", "cannot be a purpose"),
                     ("<script>", "cannot be a purpose"),
                     (RAW_ID, "no number but a year"),
                     ("promotion of emp 7", "no number but a year"),
                     (f"promotion {OTHER_ID}", "may not name an employee"),
                     ("x" * 81, "at most 80"),
                     ("", "field .purpose.: is empty")]:
        with pytest.raises(ConfigurationError, match=why):
            store.configure(purposes=[bad])
    with pytest.raises(ConfigurationError, match="a list of short names"):
        store.configure(purposes="succession planning")
    assert "purposes" not in store.settings()
    store.configure(purposes=["Workforce planning 2027", "workforce  planning 2027"])
    assert store.settings()["purposes"] == ["Workforce planning 2027"]
    store.close()


def test_an_unregistered_purpose_is_refused_before_anything_is_logged(
        db_url: str, tiny_esco) -> None:
    store = _store_with(db_url, tiny_esco, {})
    twin = store.twin("emp-1")
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA)
    audit_log = store.audit_log(pseudonym_key=KEY)
    with pytest.raises(ConfigurationError, match=r"'promotion round' is not registered.*"
                       r"store\.configure\(purposes=\[\.\.\.\]\)"):
        Workspace(tiny_esco, store=store, audit_log=audit_log, actor="hr",
                  purpose="promotion round")
    ws = Workspace(tiny_esco, store=store, audit_log=audit_log, actor="hr", purpose="recruitment")
    for purpose in ("promotion round", f"internal mobility {RAW_ID}", RAW_ID, "\n## x"):
        with pytest.raises(ConfigurationError, match="not registered"):
            ws.match(twin, profile, purpose=purpose)
        with pytest.raises(ConfigurationError, match="not registered"):
            ws.match_frame([twin], [profile], purpose=purpose)
    assert len(audit_log) == 0 and store.scores().empty

    store.configure(purposes=["promotion round"])  # registered on the store: accepted
    result = ws.match(twin, profile, purpose="Promotion Round")
    assert result.purpose == "promotion round"
    with pytest.raises(ConfigurationError, match="not registered"):
        ws.decide(result, outcome="shortlist", reviewer="A. Jansen", purpose="bonus")
    store.close()


def test_a_note_is_logged_as_a_keyed_hash(tmp_path: Path, tiny_esco) -> None:
    twin = EmployeeTwin("emp-1", taxonomy=tiny_esco)
    twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA)
    log = AuditLog(tmp_path / "audit.db", pseudonym_key=KEY)
    ws = Workspace(tiny_esco, audit_log=log, actor="hr",
                   purpose=Purpose("internal mobility", note="NOTE-SECRET vacancy 14"))
    ws.match_frame([twin], [profile])
    ws.gap(twin, profile, purpose=Purpose("training plan", note="OTHER-NOTE"))
    batch = log.entries(action="match_batch")[0].data
    assert batch is not None and batch["purpose"] == "internal mobility"
    assert batch["note"]["redacted"] == "free text" and batch["note"]["chars"] == 22
    gap = log.entries(action="gap")[0].data
    assert gap is not None and gap["purpose"] == "training plan" and gap["note"]["chars"] == 10
    content = b"".join(p.read_bytes() for p in tmp_path.glob("audit.db*"))
    assert b"NOTE-SECRET" not in content and b"OTHER-NOTE" not in content

    kept = AuditLog(tmp_path / "kept.db", pseudonym_key=KEY, log_free_text=True)
    Workspace(tiny_esco, audit_log=kept, actor="hr").gap(
        twin, profile, purpose=Purpose("training plan", note="kept on purpose"))
    assert kept.entries(action="gap")[0].data["note"] == "kept on purpose"  # type: ignore[index]


def test_an_old_free_text_purpose_is_counted_never_printed(tmp_path: Path, tiny_esco) -> None:
    path = tmp_path / "store.db"
    store = _store_with(f"sqlite:///{path}", tiny_esco, BENIGN)
    log = store.audit_log(pseudonym_key=KEY)
    log.record("match_batch", actor="hr",  # as an earlier version could write it
               data={"purpose": f"promotion of {RAW_ID}\n## Injected heading"})
    log.close()
    store.close()
    with sqlite3.connect(path) as conn:  # a setting saved by an earlier version
        conn.execute("INSERT INTO store_meta (key, value) VALUES ('setting.purposes', ?)",
                     ('["promotion of ZV-SECRET-4711\\n## Injected heading", "succession"]',))
    store = Store(path, taxonomy=tiny_esco)
    assert store.purposes()[-1] == "succession"
    for write, language in NOTICES:
        text = write(store, language=language, today=TODAY)
        assert RAW_ID not in text and "Injected" not in text
        assert "1 earlier step(s)" in text or "1 eerdere stap(pen)" in text
        assert "- succession" in text
    store.close()


def test_no_raw_employee_id_survives_erasure_in_the_store_file(
        tmp_path: Path, tiny_esco) -> None:
    path = tmp_path / "store.db"
    store = Store(path, taxonomy=tiny_esco)
    twins = []
    for employee in (RAW_ID, OTHER_ID):
        twin = EmployeeTwin(employee, taxonomy=tiny_esco, attributes={"team": "data"})
        twin.add_skill(SKILL_SQL, level=3, observed="2025-01-01")
        store.save_twin(twin)
        twins.append(twin)
    profile = JobProfile.from_occupation(tiny_esco, OCCUPATION_DBA)
    audit_log = store.audit_log(pseudonym_key=KEY)
    ws = Workspace(tiny_esco, store=store, audit_log=audit_log, actor="hr@zuiderveen.nl",
                   purpose="internal mobility")

    # Every way to put the raw id into a purpose is refused...
    for purpose in (f"internal mobility {RAW_ID}", RAW_ID, f"internal mobility\n{RAW_ID}"):
        with pytest.raises(ConfigurationError):
            ws.match_frame(twins, [profile], purpose=purpose)
    for purposes in ([RAW_ID], [f"promotion {RAW_ID}"], [f"promotion {OTHER_ID}"]):
        with pytest.raises(ConfigurationError):
            store.configure(purposes=purposes)
    with pytest.raises(ConfigurationError):
        Workspace(tiny_esco, audit_log=audit_log, actor="hr", purposes=[RAW_ID])
    # ...and where it is accepted (a note, a batch of everyone, a decision) it is hashed,
    # pseudonymised or erased with the employee.
    ws.match_frame(twins, [profile],
                   purpose=Purpose("internal mobility", note=f"asked for {RAW_ID}"))
    result = ws.match(twins[0], profile,
                      purpose=Purpose("recruitment", note=f"{RAW_ID} applied"))
    fixed = ws.override(result, score=0.9, reviewer="A. Jansen",
                        reason=f"{RAW_ID} holds a certificate")
    ws.decide(fixed, outcome=f"shortlist {RAW_ID}", reviewer="B. de Vries")
    ws.gap(twins[1], profile)
    assert RAW_ID.encode() in _file_bytes(path)  # the HR record itself, before erasure

    store.erase_employee(RAW_ID, actor="dpo@zuiderveen.nl", reason="request 2026-014",
                         audit_log=audit_log)
    audit_log.close()
    store.close()
    content = _file_bytes(path)
    for form in (RAW_ID, RAW_ID.lower(), RAW_ID.replace("-", "")):
        assert form.encode() not in content, form
        assert form.encode("utf-16-le") not in content, form
    assert OTHER_ID.encode() in content  # the other employee's record stays
    with Store(path, create=False) as reopened:
        log = reopened.audit_log(read_only=True)
        assert log.verify().ok
        log.close()


def _file_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))
