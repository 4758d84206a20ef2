"""The demo: internal candidates for the job profiles of a fictional municipality.

Gemeente Zuiderveen (fictional) has 25 employees with skill claims and 5 job profiles, one of
them generated from skills, in ``examples/data/``. The demo ranks internal candidates for
each profile, lists their biggest gaps and writes a Markdown report. It needs no embedding
model and no network.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from skilltwin.config import default_esco_path
from skilltwin.profiles.io import read_profiles
from skilltwin.scoring.batch import best_candidates, match_frame
from skilltwin.scoring.gap import gap
from skilltwin.taxonomy import Taxonomy, load_esco
from skilltwin.twin.io import read_twins

__all__ = ["DEMO_DATA", "run_demo"]

DEMO_DATA = Path(__file__).resolve().parent.parent / "examples" / "data"


def run_demo(
    esco_path: str | Path | None,
    output_dir: str | Path,
    *,
    data_dir: str | Path = DEMO_DATA,
    top_k: int = 3,
    taxonomy: Taxonomy | None = None,
) -> Path:
    """Score the demo organisation and write ``zuiderveen-report.md``; return its path.

    Prints each profile's best internal candidates with their top gaps. ``esco_path`` None
    means :func:`skilltwin.config.default_esco_path`; a loaded ``taxonomy`` skips loading.
    """
    taxonomy = taxonomy or load_esco(esco_path or default_esco_path())
    data = Path(data_dir)
    twins = read_twins(data / "zuiderveen-employees.jsonl", taxonomy)
    profiles = read_profiles(data / "zuiderveen-profiles.json", taxonomy)
    scores = match_frame(twins, profiles, taxonomy=taxonomy)
    by_id = {twin.employee_id: twin for twin in twins}
    lines = [
        "# Gemeente Zuiderveen — internal candidates",
        "",
        f"{len(twins)} employees, {len(profiles)} job profiles; scored "
        f"{dt.date.today().isoformat()} on {taxonomy.release}. Scores explain themselves: "
        "see docs/scoring.md. Scores support a conversation; people decide.",
        "",
    ]
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
            report = gap(by_id[str(employee_id)], profile, taxonomy)
            gaps = "; ".join(_describe(item.label, item.status) for item in report.gaps()[:3])
            print(f"  {rank}. {employee_id}  {score:.2f}  gaps: {gaps}")
            lines.append(f"| {rank} | {employee_id} | {score:.2f} | {gaps} |")
        lines.append("")
    lines += ["---", "ESCO © European Union, CC BY 4.0. Fictional organisation and people.", ""]
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    path = output / "zuiderveen-report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"\nReport written to {path}")
    return path


def _describe(label: str, status: str) -> str:
    return {"below": f"{label} (below level)", "related": f"{label} (related skill only)",
            "missing": f"{label} (missing)"}.get(status, label)
