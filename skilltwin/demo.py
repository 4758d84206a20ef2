"""The demo: internal candidates for the job profiles of a fictional municipality.

Gemeente Zuiderveen (fictional) has 25 employees with skill claims and 5 job profiles, one of
them generated from skills, in ``examples/data/``. The demo ranks internal candidates for
each profile, lists their biggest gaps and writes a Markdown report. It scores through a
:class:`~skilltwin.Workspace`, as real use should: every score and gap report goes to an
audit log beside the report, and the log's chain is verified at the end. It needs no
embedding model and no network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from skilltwin.config import default_esco_path
from skilltwin.errors import ConfigurationError
from skilltwin.oversight.audit import AuditLog
from skilltwin.oversight.workspace import Workspace
from skilltwin.profiles.io import read_profiles
from skilltwin.scoring.batch import best_candidates
from skilltwin.taxonomy import Taxonomy, load_esco
from skilltwin.twin.io import read_twins

__all__ = ["DEMO_ACTOR", "DEMO_DATA", "DEMO_PURPOSE", "run_demo"]

DEMO_DATA = Path(__file__).resolve().parent.parent / "examples" / "data"
DEMO_ACTOR = "skilltwin demo"
DEMO_PURPOSE = "internal mobility (demo)"


def run_demo(
    esco_path: str | Path | None,
    output_dir: str | Path,
    *,
    data_dir: str | Path = DEMO_DATA,
    top_k: int = 3,
    taxonomy: Taxonomy | None = None,
    pseudonym_key: bytes | str | Path | None = None,
) -> Path:
    """Score the demo organisation and write ``zuiderveen-report.md``; return its path.

    Prints each profile's best internal candidates with their top gaps. Every score and gap
    report is recorded in ``audit.db`` in ``output_dir`` (actor ``"skilltwin demo"``, purpose
    ``"internal mobility (demo)"``); ``pseudonym_key`` is passed to
    :class:`~skilltwin.AuditLog` (default: ``$SKILLTWIN_AUDIT_KEY`` or the user's key file).
    ``esco_path`` None means :func:`skilltwin.config.default_esco_path`; a loaded
    ``taxonomy`` skips loading.
    """
    taxonomy = taxonomy or load_esco(esco_path or default_esco_path())
    data = Path(data_dir)
    twins = read_twins(data / "zuiderveen-employees.jsonl", taxonomy)
    profiles = read_profiles(data / "zuiderveen-profiles.json", taxonomy)
    output = Path(output_dir)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"{output}: cannot create the output folder ({exc.strerror}); pass a folder you can "
            "write to (--output DIR on the command line)."
        ) from None
    by_id = {twin.employee_id: twin for twin in twins}
    lines = [
        "# Gemeente Zuiderveen — internal candidates",
        "",
        f"{len(twins)} employees, {len(profiles)} job profiles; scored "
        f"{dt.date.today().isoformat()} on {taxonomy.release}. Scores explain themselves: "
        "see docs/scoring.md. Scores support a conversation; people decide.",
        "",
    ]
    with AuditLog(output / "audit.db", pseudonym_key=pseudonym_key) as log:
        before = len(log)
        workspace = Workspace(taxonomy, audit=log, actor=DEMO_ACTOR, purpose=DEMO_PURPOSE)
        scores = workspace.match_frame(twins, profiles).value
        for profile in profiles:
            print(f"\n{profile.title} ({profile.profile_id}, {profile.source})")
            lines += [f"## {profile.title}", "",
                      f"`{profile.profile_id}` — {profile.source}, "
                      f"{len(profile.essential)} essential and {len(profile.optional)} optional "
                      "skills.", "",
                      "| rank | employee | score | top gaps |", "| --- | --- | --- | --- |"]
            for rank, (employee_id, score) in enumerate(
                best_candidates(scores, profile.profile_id, k=top_k).items(), start=1
            ):
                report = workspace.gap(by_id[str(employee_id)], profile).value
                gaps = "; ".join(_describe(item.label, item.status)
                                 for item in report.gaps()[:3])
                print(f"  {rank}. {employee_id}  {score:.2f}  gaps: {gaps}")
                lines.append(f"| {rank} | {employee_id} | {score:.2f} | {gaps} |")
            lines.append("")
        added = len(log) - before
        check = log.verify()
    state = "its hash chain verifies" if check.ok else f"VERIFY FAILED: {check.reason}"
    trail = (f"Audit log {log.path}: {added} entries added (every score and gap report, "
             f"purpose \"{DEMO_PURPOSE}\"), {check.checked} in all; {state}.")
    lines += ["## Audit trail", "", trail + " Check it again with `skilltwin audit verify "
              f"--db {log.path}`. No decision was taken: a person records one with "
              "`Workspace.decide` (docs/oversight.md).", ""]
    lines += ["---", "ESCO © European Union, CC BY 4.0. Fictional organisation and people.", ""]
    path = output / "zuiderveen-report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"\n{trail}\nReport written to {path}")
    return path


def _describe(label: str, status: str) -> str:
    return {"below": f"{label} (below level)", "related": f"{label} (related skill only)",
            "missing": f"{label} (missing)"}.get(status, label)
