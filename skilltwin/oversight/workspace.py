"""The workspace: score, override and decide with every step on the audit log.

Every automated output the workspace produces (a match, a gap report, a batch of matches,
inferred skill claims, a generated job profile) is written to the audit log with the actor,
the purpose, the pseudonymous subject, a keyed hash of the inputs, the output, and the
library version, taxonomy release and model behind it. People then override outputs and take
decisions through the same workspace, which records who did what and why, on results the log
recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from skilltwin._validation import check_actor, check_text
from skilltwin.audit.actions import Action
from skilltwin.documents import Document, as_document
from skilltwin.errors import ConfigurationError, OversightError
from skilltwin.oversight._lookup import (
    employee_id,
    logged_score,
    recorded_entry,
    recorded_override,
)
from skilltwin.oversight._names import reason_text
from skilltwin.oversight._overrides import check_changes, score_of
from skilltwin.oversight._steps import (
    Step,
    StepRunner,
    effects_record,
    filled,
    model_name_of,
    original_result,
    profile_id_of,
    profile_inputs,
    twin_inputs,
)
from skilltwin.oversight.hooks import (
    Hook,
    Hooks,
)
from skilltwin.oversight.purposes import purpose_name
from skilltwin.oversight.results import Decision, OverriddenResult, Recorded
from skilltwin.oversight.roster import Roster
from skilltwin.profiles.profile import JobProfile
from skilltwin.scoring.batch import match_frame as score_frame
from skilltwin.scoring.gap import gap as score_gap
from skilltwin.scoring.match import match as score_match
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.scoring.results import GapReport, MatchResult
from skilltwin.twin.builders import add_extracted
from skilltwin.twin.claims import SkillClaim
from skilltwin.twin.scale import DEFAULT_LEVEL

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.audit import AuditEntry, AuditLog
    from skilltwin.mapping.protocol import Mapper
    from skilltwin.oversight._backend import ScoreStore
    from skilltwin.profiles.draft import ProfileDraft
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["Workspace"]

T = TypeVar("T")


class Workspace(StepRunner):
    """Where people score and decide when it matters, with everything on the audit log.

    Args:
        taxonomy: The taxonomy scores are computed on.
        audit_log: The :class:`~skilltwin.audit.AuditLog` every step is written to.
        store: A :class:`~skilltwin.store.Store` instead of (or besides) ``audit``: steps go
            to the store's audit log, and every match and gap is also recorded in the store
            with the profile version it used (a changed profile is saved as a new version).
        actor: Who runs the workspace (a person's e-mail or a system name); recorded with
            every automated step, and never accepted as a reviewer.
        purpose: The default purpose of each step (e.g. ``"internal mobility"``). Every step
            needs a registered purpose (see ``purposes``): pass it here or to each call, or
            the step raises :class:`~skilltwin.errors.ConfigurationError`. A
            :class:`~skilltwin.oversight.Purpose` adds a free-text note, logged as a keyed
            hash only.
        purposes: Purposes this workspace accepts besides
            :data:`~skilltwin.oversight.DEFAULT_PURPOSES` and those its store registers
            (``store.configure(purposes=[...])``); short names, never free text.
        hooks: A :class:`~skilltwin.oversight.hooks.Hooks` registry or ready-made hooks.
        scoring_policy: The scoring policy (default :class:`~skilltwin.ScoringPolicy`).

    Reviewers: once the log holds a :class:`~skilltwin.oversight.roster.Roster`
    (``ws.roster``), overrides and decisions are accepted only from its active reviewers;
    without one, from names that pass the name rules, with an
    :class:`~skilltwin.oversight.roster.UnregisteredReviewerWarning`.

    Example:
        >>> from skilltwin import AuditLog
        >>> ws = Workspace(esco, audit_log=AuditLog("audit.db"), actor="hr@example.org",
        ...                purpose="internal mobility")
        >>> result = ws.match(twin, profile)
        >>> fixed = ws.override(result, score=0.8, reviewer="A. Jansen",
        ...                     reason="certificate not yet in the system")
        >>> fixed.score
        0.8
        >>> decision = ws.decide(fixed, outcome="shortlist", reviewer="A. Jansen")
        >>> decision.overridden, ws.audit_log.verify().ok
        (True, True)
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        audit_log: AuditLog | None = None,
        store: ScoreStore | None = None,
        actor: str,
        purpose: str | None = None,
        hooks: Hooks | Iterable[Hook] | None = None,
        scoring_policy: ScoringPolicy | None = None,
        purposes: Iterable[str] = (),
    ):
        self.taxonomy = taxonomy
        if audit_log is None and store is None:
            raise ConfigurationError(
                "a Workspace needs an audit log: Workspace(taxonomy, "
                "audit_log=AuditLog(path), ...) or Workspace(taxonomy, store=Store(url), ...)."
            )
        self.store = store
        self.audit_log = audit_log if audit_log is not None else store.audit_log()  # type: ignore[union-attr]
        self.actor = check_actor(actor)
        self.purposes = tuple(purpose_name(name) for name in purposes)
        self.purpose = None if purpose is None else self._default_purpose(purpose)
        self.hooks = hooks if isinstance(hooks, Hooks) else Hooks(hooks or ())
        self.scoring_policy = scoring_policy or ScoringPolicy()
        self.roster = Roster(self.audit_log)
        """The reviewers registered in the log (see :class:`~skilltwin.oversight.Roster`)."""

    def __repr__(self) -> str:
        return (f"Workspace({self.taxonomy.release}, actor={self.actor!r}, "
                f"purpose={self.purpose!r}, hooks={len(self.hooks)})")

    # -- automated steps --------------------------------------------------------------------
    def match(self, twin: EmployeeTwin, profile: JobProfile, *, purpose: str | None = None
              ) -> Recorded[MatchResult]:
        """:func:`skilltwin.match`, recorded (action ``"match"``)."""
        return self._step(purpose, self._scored("match", twin, profile, lambda: score_match(
            twin, profile, self.taxonomy, scoring_policy=self.scoring_policy)))[0]

    def gap(self, twin: EmployeeTwin, profile: JobProfile, *, purpose: str | None = None
            ) -> Recorded[GapReport]:
        """:func:`skilltwin.gap`, recorded (action ``"gap"``)."""
        return self._step(purpose, self._scored("gap", twin, profile, lambda: score_gap(
            twin, profile, self.taxonomy, scoring_policy=self.scoring_policy)))[0]

    def match_frame(
        self,
        twins: Sequence[EmployeeTwin],
        profiles: Sequence[JobProfile],
        *,
        purpose: str | None = None,
    ) -> Recorded[pd.DataFrame]:
        """:func:`skilltwin.match_frame`, recorded.

        One ``"match_batch"`` entry summarises the batch (profiles, number of employees, best
        and mean score per profile) and one ``"match"`` entry per employee holds that
        employee's scores against every profile, under the employee's pseudonym, so that
        each employee's entries can be found and erased. The frame's
        ``attrs["audit_ids"]`` maps each employee id to their entry.
        """
        profile_data = [profile_inputs(p) for p in profiles]
        twin_data = {t.employee_id: twin_inputs(t) for t in twins}
        scoring_policy = self.scoring_policy.model_dump(mode="json")
        recorded, batch = self._step(purpose, Step(
            name="match_frame", subject=None, hook_inputs={"twins": twins, "profiles": profiles},
            hashed={"twins": list(twin_data.values()), "profiles": profile_data,
                    "scoring_policy": scoring_policy},
            compute=lambda: score_frame(twins, profiles, taxonomy=self.taxonomy,
                                        scoring_policy=self.scoring_policy)))
        frame = recorded.value
        profiles_hash = self.audit_log.inputs_hash({"profiles": profile_data,
                                                "scoring_policy": scoring_policy})
        audit_ids: dict[str, str] = {}
        for raw_id, row in zip(frame.index, frame.to_numpy(), strict=True):
            entry = self._record(
                Action.MATCH, str(raw_id),
                {"purpose": recorded.purpose, "batch_audit_id": batch.entry_id,
                 "scores": {str(pid): round(float(s), 6)
                            for pid, s in zip(frame.columns, row, strict=True)}},
                self.audit_log.inputs_hash({"twin": twin_data[str(raw_id)],
                                        "profiles": profiles_hash}),
            )
            audit_ids[str(raw_id)] = entry.entry_id
        frame.attrs["audit_ids"] = audit_ids
        frame.attrs["batch_audit_id"] = batch.entry_id
        return recorded

    def infer_skills(
        self,
        twin: EmployeeTwin,
        mapper: Mapper,
        text: str | os.PathLike[str] | Document,
        *,
        purpose: str | None = None,
        level: float = DEFAULT_LEVEL,
        confidence: float = 0.3,
        top_k: int = 30,
        observed: dt.date | str | None = None,
    ) -> Recorded[list[SkillClaim]]:
        """Add ``inferred`` claims for the skills ``mapper.extract_skills(text)`` finds in a
        CV, and record them (action ``"infer_skills"``).

        Claims are made as :meth:`EmployeeTwin.from_cv` makes them (mentions below its
        confidence bar become suggestions on ``twin``, not claims; a mapper without
        calibrated confidence gives ``confidence`` scaled by the match score); they await a
        person's confirmation (they are weak evidence, see
        :func:`~skilltwin.oversight.hooks.flag_low_evidence`). ``text`` is the CV's text, a
        file (PDF, Word, HTML, text) or a :class:`~skilltwin.documents.Document`, read as
        :meth:`EmployeeTwin.from_cv` reads it. The CV's text itself is never logged: only a
        keyed hash of it and its length. Returns the claims added to ``twin``.
        """
        text = as_document(text)
        scratch = type(twin)(twin.employee_id, taxonomy=self.taxonomy, scale=twin.scale)

        def extract() -> list[SkillClaim]:
            add_extracted(scratch, mapper, text, level=level, confidence=confidence,
                          observed=observed, top_k=top_k)
            return list(scratch.claims)

        document = self._document(text.text)
        recorded, _ = self._step(purpose, Step(
            name="infer_skills", subject=twin.employee_id,
            hook_inputs={"twin": twin, "mapper": mapper},
            hashed={"twin": twin_inputs(twin), "document": document["document_hmac_sha256"],
                    "level": level, "confidence": confidence, "top_k": top_k},
            compute=extract, extra=document, model_name=lambda _: model_name_of(mapper)))
        for claim in recorded.value:
            twin.add_skill(self.taxonomy.skill(claim.skill_uri), level=claim.level,
                           source=claim.source, evidence=claim.evidence,
                           observed=claim.observed, confidence=claim.confidence)
        for suggestion in scratch.suggestions:  # less sure: for a person to accept or reject
            twin.suggest_skill(self.taxonomy.skill(suggestion.skill_uri),
                               level=suggestion.level, evidence=suggestion.evidence,
                               start=suggestion.start, end=suggestion.end,
                               observed=suggestion.observed, confidence=suggestion.confidence)
        return recorded

    def profile_from_skills(
        self,
        skills: list[str],
        *,
        title: str,
        profile_id: str | None = None,
        purpose: str | None = None,
        max_occupations: int = 3,
        max_suggestions: int = 15,
    ) -> Recorded[ProfileDraft]:
        """:meth:`JobProfile.from_skills`, recorded (action ``"profile_from_skills"``): the
        draft's skills, the suggested skills and the occupations they came from."""
        return self._step(purpose, Step(
            name="profile_from_skills", subject=None, hook_inputs={"skills": skills},
            hashed={"skills": skills, "title": title, "profile_id": profile_id,
                    "max_occupations": max_occupations, "max_suggestions": max_suggestions},
            compute=lambda: JobProfile.from_skills(
                self.taxonomy, skills, title=title, profile_id=profile_id,
                max_occupations=max_occupations, max_suggestions=max_suggestions)))[0]

    def profile_from_text(
        self,
        mapper: Mapper,
        text: str | os.PathLike[str] | Document,
        *,
        title: str,
        profile_id: str | None = None,
        purpose: str | None = None,
        top_k: int = 25,
    ) -> Recorded[JobProfile]:
        """:meth:`JobProfile.from_text`, recorded (action ``"profile_from_text"``); ``text`` as
        there (the text, a file or a Document). The job ad's text is not logged: only a keyed
        hash of it and its length."""
        text = as_document(text)
        document = self._document(text.text)
        return self._step(purpose, Step(
            name="profile_from_text", subject=None, hook_inputs={"mapper": mapper},
            hashed={"document": document["document_hmac_sha256"], "title": title,
                    "profile_id": profile_id, "top_k": top_k},
            compute=lambda: JobProfile.from_text(mapper, text, title=title,
                                                 profile_id=profile_id, top_k=top_k),
            extra=document, model_name=lambda _: model_name_of(mapper)))[0]

    # -- people -----------------------------------------------------------------------------
    def override(
        self,
        result: Recorded[Any] | OverriddenResult[Any],
        *,
        reviewer: str | None = None,
        reason: str | None = None,
        **changes: Any,
    ) -> OverriddenResult[Any]:
        """Replace fields of an automated output with a person's values (e.g. ``score=0.8``).

        ``reviewer`` (an active reviewer on the log's roster; without a roster, a name that
        passes the name rules; never the workspace's actor) and ``reason`` (in words) are
        required; without them the override is refused (logged as ``"override_refused"``)
        and :class:`~skilltwin.errors.OversightError` raised. The roster's spelling of the
        name is recorded. Only a result this log recorded, unchanged, can be overridden. The
        original stays on record; the returned
        :class:`~skilltwin.oversight.results.OverriddenResult` shows both values. Overriding
        an overridden result starts from the automated original and keeps the earlier human
        values unless replaced.
        """
        original = original_result(result, "override")
        entry = recorded_entry(self.audit_log, original)
        if isinstance(result, OverriddenResult):
            recorded_override(self.audit_log, result)
        subject = employee_id(original.value)
        refusal = {"purpose": original.purpose, "result_audit_id": original.audit_id,
                   "fields": sorted(changes)}
        missing = [name for name, value in (("reviewer", reviewer), ("reason", reason))
                   if not isinstance(value, str) or not value.strip()]
        if missing:
            self._refuse(Action.OVERRIDE_REFUSED, subject, refusal, original.inputs_hash,
                         f"an override needs a named human reviewer and a reason; missing: "
                         f"{' and '.join(missing)}. Pass reviewer='<name>' and reason='<why>'.")
        try:
            [person], registered = self.roster.confirm_people([(reviewer, "reviewer")],
                                                              actor=self.actor)
            why = reason_text(reason)
        except OversightError as exc:
            self._refuse(Action.OVERRIDE_REFUSED, subject, refusal, original.inputs_hash, str(exc))
        if isinstance(result, OverriddenResult):
            changes = {**result.changes, **changes}
        automated = check_changes(original.value, changes)
        context = self._context("on_override", "override", original.purpose,
                                {"result": original})
        context.output = original
        context.score = score_of(changes) if "score" in changes else \
            logged_score(entry.data, "output")
        context.reviewer = person
        context.flags.extend(original.flags)
        effects = self._run_hooks(context, original.inputs_hash, subject=subject,
                                  refusal=Action.OVERRIDE_REFUSED)
        record = self._record(
            Action.OVERRIDE, subject,
            {"purpose": original.purpose, "step": original.step,
             "result_audit_id": original.audit_id,
             "previous_override_audit_id": result.audit_id
             if isinstance(result, OverriddenResult) else None,
             "automated": automated, "human": changes, "reviewer": person,
             "reason": why, "operator": self.actor, "registered_reviewer": registered,
             "flags": context.flags, "hooks": effects_record(effects)},
            original.inputs_hash, actor=person,
        )
        return OverriddenResult(original=original, changes=dict(changes), automated=automated,
                                reviewer=person, reason=why, audit_id=record.entry_id,
                                flags=tuple(context.flags))

    def decide(
        self,
        result: Recorded[Any] | OverriddenResult[Any],
        *,
        outcome: str,
        reviewer: str | None = None,
        second_reviewer: str | None = None,
        purpose: str | None = None,
    ) -> Decision:
        """Record a decision (``outcome``: shortlist, promote, offer training...) on a result.

        Only a named human ``reviewer`` may decide (an active reviewer on the log's roster;
        without a roster, a name that passes the name rules; never the workspace's actor),
        and ``second_reviewer`` must be one too: otherwise the decision is refused, logged as
        ``"decision_refused"``, and :class:`~skilltwin.errors.OversightError` raised. Only a
        result this log recorded, unchanged, can be decided on; the logged scores come from
        the log. ``on_decide`` hooks may also refuse it (e.g.
        :func:`~skilltwin.oversight.hooks.require_second_reviewer`, which sees the automated
        score and the score of every override of the result); the refusal is logged and
        their :class:`~skilltwin.oversight.hooks.HookRejection` raised.
        """
        original = original_result(result, "decide")
        entry = recorded_entry(self.audit_log, original)
        automated = logged_score(entry.data, "output")
        score = automated
        if isinstance(result, OverriddenResult):
            human = logged_score(recorded_override(self.audit_log, result).data, "human")
            score = automated if human is None else human
        why = self._purpose(purpose) if filled(purpose) else original.purpose
        outcome_text = check_text(outcome, "outcome", empty=False,
                                  hint="Say what was decided, e.g. 'shortlist'.").strip()
        subject = employee_id(original.value)
        overrides = self._overrides_of(original.audit_id, subject)
        human_scores = [found for found in (logged_score(e.data, "human") for e in overrides)
                        if found is not None]
        record: dict[str, Any] = {
            "purpose": why, "outcome": outcome_text, "result_audit_id": original.audit_id,
            "override_audit_id": result.audit_id if isinstance(result, OverriddenResult)
            else None,
            "step": original.step, "profile_id": profile_id_of(original.value), "score": score,
            "automated_score": automated, "override_scores": human_scores,
            "operator": self.actor,
            **(self._note(purpose) if filled(purpose) else {}),
        }
        if not filled(reviewer):
            self._refuse(Action.DECISION_REFUSED, subject, record, original.inputs_hash,
                         "a decision needs a named human reviewer: pass reviewer='<name of the "
                         "person deciding>'. Automated results alone cannot decide.")
        people: list[tuple[object, str]] = [(reviewer, "reviewer")]
        if filled(second_reviewer):
            people.append((second_reviewer, "second reviewer"))
        try:
            names, registered = self.roster.confirm_people(people, actor=self.actor)
        except OversightError as exc:
            self._refuse(Action.DECISION_REFUSED, subject, record, original.inputs_hash, str(exc))
        person, second = names[0], (names[1] if len(names) > 1 else None)
        record["registered_reviewer"] = registered
        context = self._context("on_decide", "decide", why, {"result": result})
        context.output, context.score = result, score
        context.scores = tuple(s for s in (automated, *human_scores) if s is not None)
        context.overridden_by = tuple(entry.actor for entry in overrides)
        context.reviewer, context.second_reviewer = person, second
        context.outcome = outcome_text
        context.flags.extend(result.flags)
        record.update(reviewer=person, second_reviewer=second)
        effects = self._run_hooks(context, original.inputs_hash, subject=subject,
                                  refusal=Action.DECISION_REFUSED, refusal_data=record)
        entry = self._record(Action.DECISION, subject,
                             {**record, "flags": context.flags, "hooks": effects_record(effects)},
                             original.inputs_hash, actor=person)
        return Decision(
            audit_id=entry.entry_id, outcome=outcome_text, reviewer=person,
            second_reviewer=second, result_audit_id=original.audit_id,
            overridden=isinstance(result, OverriddenResult), employee_id=subject,
            profile_id=profile_id_of(original.value), purpose=why, decided_at=entry.timestamp,
            flags=tuple(context.flags),
        )

    def _overrides_of(self, result_audit_id: str, subject: str | None) -> list[AuditEntry]:
        """Every override entry of the result with ``result_audit_id``, from the log, each
        through the log's keyed check (a forged one stops the decision)."""
        found = self.audit_log.entries(action=Action.OVERRIDE, subject=subject)
        return [self.audit_log.authenticate(entry) for entry in found
                if (entry.data or {}).get("result_audit_id") == result_audit_id]
