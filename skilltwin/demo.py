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
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from skilltwin._i18n import counted, decimal, language_name, message, number
from skilltwin._output import write_output
from skilltwin.audit import AuditLog
from skilltwin.config import default_esco_paths
from skilltwin.errors import ConfigurationError
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
    esco_path: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None,
    output_dir: str | Path,
    *,
    data_dir: str | Path = DEMO_DATA,
    top_k: int = 3,
    taxonomy: Taxonomy | None = None,
    pseudonym_key: bytes | str | Path | None = None,
    language: str = "en",
) -> Path:
    """Score the demo organisation and write ``zuiderveen-report.md``; return its path.

    Prints each profile's best internal candidates with their top gaps. Every score and gap
    report is recorded in ``audit.db`` in ``output_dir`` (actor ``"skilltwin demo"``, purpose
    ``"internal mobility (demo)"``, in Dutch ``"interne mobiliteit (demo)"``); ``pseudonym_key``
    is passed to
    :class:`~skilltwin.AuditLog` (default: ``$SKILLTWIN_AUDIT_KEY`` or the user's key file).
    ``esco_path`` None means :func:`skilltwin.config.default_esco_paths` for ``language``; a
    loaded ``taxonomy`` skips loading. The report and printout are in the taxonomy's language
    (``language="nl"``: Dutch), skill labels included where the ESCO files translate them.
    """
    taxonomy = taxonomy or load_esco(esco_path or default_esco_paths(language),
                                     language=language)

    def say(key: str, **values: Any) -> str:
        return message(key, taxonomy.language, **values)

    purpose = say("demo.purpose", default=DEMO_PURPOSE)
    data = Path(data_dir)
    twins = read_twins(data / "zuiderveen-employees.jsonl", taxonomy)
    profiles = read_profiles(data / "zuiderveen-profiles.json", taxonomy)
    output = Path(output_dir)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            f"{output}: cannot create the output folder ({exc.strerror}); pass a folder you can "
            "write to (--out DIR on the command line)."
        ) from None
    by_id = {twin.employee_id: twin for twin in twins}
    lines = [
        f"# {say('demo.title')}",
        "",
        say("demo.intro", employees=counted("employees", len(twins), taxonomy.language),
            profiles=counted("job_profiles", len(profiles), taxonomy.language),
            date=dt.date.today().isoformat(), release=taxonomy.release),
        "",
    ]
    if taxonomy.coverage_report():
        lines += [_coverage_line(taxonomy), ""]
    with AuditLog(output / "audit.db", pseudonym_key=pseudonym_key) as log:
        before = len(log)
        workspace = Workspace(taxonomy, audit_log=log, actor=DEMO_ACTOR, purpose=purpose,
                              purposes=[purpose])
        scores = workspace.match_frame(twins, profiles).value
        for profile in profiles:
            source = say(f"source.{profile.source}", default=profile.source)
            print(f"\n{profile.title} ({profile.profile_id}, {source})")
            lines += [f"## {profile.title}", "",
                      say("demo.profile", profile_id=profile.profile_id, source=source,
                          essential=len(profile.essential), optional=len(profile.optional)),
                      "", say("demo.table"), "| --- | --- | --- | --- |"]
            for rank, (employee_id, score) in enumerate(
                best_candidates(scores, profile.profile_id, top_k=top_k).items(), start=1
            ):
                report = workspace.gap(by_id[str(employee_id)], profile).value
                gaps = "; ".join(say("gap.labelled", label=item.label,
                                     status=say(f"status.{item.status}"))
                                 if item.status != "met" else item.label
                                 for item in report.gaps()[:3])
                shown = decimal(score, ".2f", taxonomy.language)
                print("  " + say("demo.printed", rank=rank, employee=employee_id, score=shown,
                                 gaps=gaps))
                lines.append(f"| {rank} | {employee_id} | {shown} | {gaps} |")
            lines.append("")
        added = len(log) - before
        check = log.verify()
    state = say("demo.verified") if check.ok else say("demo.failed", reason=check.reason)
    trail = say("demo.trail", path=log.path, added=added, purpose=purpose,
                checked=check.checked, state=state)
    lines += [f"## {say('demo.audit')}", "", trail + " " + say("demo.check", path=log.path), ""]
    lines += ["---", say("demo.footer"), ""]
    path = output / "zuiderveen-report.md"
    write_output(path, "\n".join(lines))
    print(f"\n{trail}\n{say('demo.written', path=path)}")
    return path


def _coverage_line(taxonomy: Taxonomy) -> str:
    """Which share of the concepts is labelled in the taxonomy's language, per kind."""
    language = taxonomy.language
    parts = [message("of", language, part=number(counts["labelled"], language),
                     whole=number(counts["concepts"], language),
                     what=message(f"kind.{kind}", language))
             for kind, counts in taxonomy.coverage.items() if counts["fallback"]]
    return message("demo.labels", language, coverage=", ".join(parts),
                   language=language_name(language, language),
                   fallback=language_name(taxonomy.fallback_language, language))
