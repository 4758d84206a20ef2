"""The workspace: score, override and decide with every step on the audit log.

Every automated output the workspace produces (a match, a gap report, a batch of matches,
inferred skill claims, a generated job profile) is written to the audit log with the actor,
the purpose, the pseudonymous subject, a hash of the inputs, the output, and the library
version, taxonomy release and model behind it. People then override outputs and take
decisions through the same workspace, which records who did what and why.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from skilltwin.errors import ConfigurationError, OversightError
from skilltwin.oversight._chain import canonical_json, normalise_json
from skilltwin.oversight._models import AuditEntry
from skilltwin.oversight.hooks import (
    Hook,
    HookContext,
    HookEffect,
    HookEvent,
    HookRejection,
    Hooks,
)
from skilltwin.oversight.results import Decision, OverriddenResult, Recorded
from skilltwin.profiles.profile import JobProfile
from skilltwin.provenance import Provenance
from skilltwin.scoring.batch import match_frame as score_frame
from skilltwin.scoring.gap import gap as score_gap
from skilltwin.scoring.match import match as score_match
from skilltwin.scoring.policy import ScoringPolicy
from skilltwin.scoring.results import GapReport, MatchResult
from skilltwin.twin.claims import SkillClaim

if TYPE_CHECKING:
    import pandas as pd

    from skilltwin.oversight.audit import AuditLog
    from skilltwin.profiles.draft import ProfileDraft
    from skilltwin.store import Store
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["Workspace", "inputs_hash"]

T = TypeVar("T")


def inputs_hash(inputs: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``inputs`` (sorted keys, no whitespace)."""
    return hashlib.sha256(canonical_json(normalise_json(dict(inputs), "inputs"))).hexdigest()


class Workspace:
    """Where people score and decide when it matters, with everything on the audit log.

    Args:
        taxonomy: The taxonomy scores are computed on.
        audit: The :class:`~skilltwin.oversight.audit.AuditLog` every step is written to.
        store: A :class:`~skilltwin.store.Store` instead of (or besides) ``audit``: steps go
            to the store's audit log, and every match and gap is also recorded in the store
            with the profile version it used (a changed profile is saved as a new version).
        actor: Who runs the workspace (a person's e-mail or a system name); recorded with
            every automated step.
        purpose: The default purpose of each step (e.g. ``"internal mobility"``). Every step
            needs a purpose: pass it here or to each call, or the step raises
            :class:`~skilltwin.errors.ConfigurationError`.
        hooks: A :class:`~skilltwin.oversight.hooks.Hooks` registry or ready-made hooks.
        policy: The scoring policy (default :class:`~skilltwin.ScoringPolicy`).

    Example:
        >>> ws = Workspace(esco, audit=AuditLog("audit.db"), actor="hr@example.org",
        ...                purpose="internal mobility")                  # doctest: +SKIP
        >>> result = ws.match(twin, profile)                             # doctest: +SKIP
        >>> fixed = ws.override(result, score=0.8, reviewer="A. Jansen",
        ...                     reason="certificate not yet in the system")  # doctest: +SKIP
        >>> ws.decide(fixed, outcome="shortlist", reviewer="A. Jansen")  # doctest: +SKIP
    """

    def __init__(
        self,
        taxonomy: Taxonomy,
        *,
        audit: AuditLog | None = None,
        store: Store | None = None,
        actor: str,
        purpose: str | None = None,
        hooks: Hooks | Iterable[Hook] | None = None,
        policy: ScoringPolicy | None = None,
    ):
        self.taxonomy = taxonomy
        if audit is None and store is None:
            raise ConfigurationError(
                "a Workspace needs an audit log: Workspace(taxonomy, audit=AuditLog(path), ...) "
                "or Workspace(taxonomy, store=Store(url), ...)."
            )
        self.store = store
        self.audit = audit if audit is not None else store.audit_log()  # type: ignore[union-attr]
        self.actor = _required_text(actor, "actor", "the person or system running the workspace")
        self.purpose = None if purpose is None else _required_text(purpose, "purpose", _PURPOSE)
        self.hooks = hooks if isinstance(hooks, Hooks) else Hooks(hooks or ())
        self.policy = policy or ScoringPolicy()

    def __repr__(self) -> str:
        return (f"Workspace({self.taxonomy.release}, actor={self.actor!r}, "
                f"purpose={self.purpose!r}, hooks={len(self.hooks)})")

    # -- automated steps --------------------------------------------------------------------
    def match(self, twin: EmployeeTwin, profile: JobProfile, *, purpose: str | None = None
              ) -> Recorded[MatchResult]:
        """:func:`skilltwin.match`, recorded (action ``"match"``)."""
        return self._scored("match", twin, profile, purpose,
                            lambda: score_match(twin, profile, self.taxonomy, policy=self.policy))

    def gap(self, twin: EmployeeTwin, profile: JobProfile, *, purpose: str | None = None
            ) -> Recorded[GapReport]:
        """:func:`skilltwin.gap`, recorded (action ``"gap"``)."""
        return self._scored("gap", twin, profile, purpose,
                            lambda: score_gap(twin, profile, self.taxonomy, policy=self.policy))

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
        why = self._purpose(purpose)
        profile_inputs = [_profile_inputs(p) for p in profiles]
        twin_inputs = {t.employee_id: _twin_inputs(t) for t in twins}
        policy = self.policy.model_dump(mode="json")
        batch_hash = inputs_hash({"twins": list(twin_inputs.values()),
                                  "profiles": profile_inputs, "policy": policy})
        context = self._context("before_step", "match_frame", why,
                                {"twins": twins, "profiles": profiles})
        effects = self._run_hooks(context, batch_hash)
        frame = score_frame(twins, profiles, taxonomy=self.taxonomy, policy=self.policy)
        context.event, context.output = "after_step", frame
        effects += self._run_hooks(context, batch_hash)
        frame = context.output
        summary = {
            "purpose": why,
            "employees": len(twins),
            "profiles": {
                str(pid): {"best": _rounded(frame[pid].max()), "mean": _rounded(frame[pid].mean())}
                for pid in frame.columns
            },
            "flags": context.flags,
            "hooks": _effects(effects),
        }
        batch_entry = self._record("match_batch", None, summary, batch_hash)
        profiles_hash = inputs_hash({"profiles": profile_inputs, "policy": policy})
        audit_ids: dict[str, str] = {}
        for employee_id, row in zip(frame.index, frame.to_numpy(), strict=True):
            entry = self._record(
                "match", str(employee_id),
                {"purpose": why, "batch_audit_id": batch_entry.entry_id,
                 "scores": {str(pid): _rounded(s) for pid, s in zip(frame.columns, row,
                                                                   strict=True)}},
                inputs_hash({"twin": twin_inputs[str(employee_id)], "profiles": profiles_hash}),
            )
            audit_ids[str(employee_id)] = entry.entry_id
        frame.attrs["audit_ids"] = audit_ids
        frame.attrs["batch_audit_id"] = batch_entry.entry_id
        return Recorded(value=frame, audit_id=batch_entry.entry_id, step="match_frame",
                        purpose=why, inputs_hash=batch_hash, flags=tuple(context.flags))

    def infer_skills(
        self,
        twin: EmployeeTwin,
        mapper: Any,
        text: str,
        *,
        purpose: str | None = None,
        level: float = 2,
        confidence: float = 0.3,
        limit: int = 30,
        observed: dt.date | str | None = None,
    ) -> Recorded[list[SkillClaim]]:
        """Add ``inferred`` claims for the skills ``mapper.extract_skills(text)`` finds in a
        CV, and record them (action ``"infer_skills"``).

        Each claim gets ``level`` and ``confidence`` scaled by the match score; the claims
        await a person's confirmation (they are weak evidence, see
        :func:`~skilltwin.oversight.hooks.flag_low_evidence`). The CV text itself is never
        logged: only its SHA-256 and length. Returns the claims added to ``twin``.
        """
        why = self._purpose(purpose)
        if not isinstance(text, str):
            raise ConfigurationError(f"text must be the CV as a str, not {type(text).__name__}.")
        text_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        hashed = inputs_hash({"twin": _twin_inputs(twin), "text_sha256": text_hash,
                              "level": level, "confidence": confidence, "limit": limit})
        context = self._context("before_step", "infer_skills", why,
                                {"twin": twin, "mapper": mapper})
        effects = self._run_hooks(context, hashed, subject=twin.employee_id)
        scratch = type(twin)(twin.employee_id, taxonomy=self.taxonomy, scale=twin.scale)
        for mention in list(mapper.extract_skills(text))[:limit]:
            best = mention.best
            scratch.add_skill(self.taxonomy.skill(best.uri), level=level, source="inferred",
                              evidence=mention.text, observed=observed,
                              confidence=round(confidence * best.score, 6))
        context.event, context.output = "after_step", scratch.claims
        effects += self._run_hooks(context, hashed, subject=twin.employee_id)
        claims: list[SkillClaim] = list(context.output)
        for claim in claims:
            twin.add_skill(self.taxonomy.skill(claim.skill_uri), level=claim.level,
                           source=claim.source, evidence=claim.evidence,
                           observed=claim.observed, confidence=claim.confidence)
        model = _model_name(mapper)
        entry = self._record(
            "infer_skills", twin.employee_id,
            {"purpose": why, "document_sha256": text_hash, "document_chars": len(text),
             "claims": [claim.model_dump(mode="json", exclude={"evidence"}) for claim in claims],
             "flags": context.flags, "hooks": _effects(effects)},
            hashed, model_name=model,
        )
        return Recorded(value=claims, audit_id=entry.entry_id, step="infer_skills",
                        purpose=why, inputs_hash=hashed, flags=tuple(context.flags))

    def profile_from_skills(
        self,
        skills: list[str],
        *,
        title: str,
        profile_id: str | None = None,
        purpose: str | None = None,
        occupations: int = 3,
        suggestions: int = 15,
    ) -> Recorded[ProfileDraft]:
        """:meth:`JobProfile.from_skills`, recorded (action ``"profile_from_skills"``): the
        draft's skills, the suggested skills and the occupations they came from."""
        why = self._purpose(purpose)
        hashed = inputs_hash({"skills": skills, "title": title, "profile_id": profile_id,
                              "occupations": occupations, "suggestions": suggestions})
        context = self._context("before_step", "profile_from_skills", why, {"skills": skills})
        effects = self._run_hooks(context, hashed)
        draft = JobProfile.from_skills(self.taxonomy, skills, title=title, profile_id=profile_id,
                                       occupations=occupations, suggestions=suggestions)
        context.event, context.output = "after_step", draft
        effects += self._run_hooks(context, hashed)
        draft = context.output
        entry = self._record(
            "profile_from_skills", None,
            {"purpose": why, "profile": _profile_record(draft.profile),
             "suggestions": [s.model_dump(mode="json") for s in draft.suggestions],
             "occupations": [list(o) for o in draft.occupations],
             "flags": context.flags, "hooks": _effects(effects)},
            hashed,
        )
        return Recorded(value=draft, audit_id=entry.entry_id, step="profile_from_skills",
                        purpose=why, inputs_hash=hashed, flags=tuple(context.flags))

    def profile_from_text(
        self,
        mapper: Any,
        text: str,
        *,
        title: str,
        profile_id: str | None = None,
        purpose: str | None = None,
        limit: int = 25,
    ) -> Recorded[JobProfile]:
        """:meth:`JobProfile.from_text`, recorded (action ``"profile_from_text"``). The job-ad
        text is not logged: only its SHA-256 and length."""
        why = self._purpose(purpose)
        text_hash = hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        hashed = inputs_hash({"text_sha256": text_hash, "title": title,
                              "profile_id": profile_id, "limit": limit})
        context = self._context("before_step", "profile_from_text", why, {"mapper": mapper})
        effects = self._run_hooks(context, hashed)
        profile = JobProfile.from_text(mapper, text, title=title, profile_id=profile_id,
                                       limit=limit)
        context.event, context.output = "after_step", profile
        effects += self._run_hooks(context, hashed)
        profile = context.output
        entry = self._record(
            "profile_from_text", None,
            {"purpose": why, "document_sha256": text_hash, "document_chars": len(text),
             "profile": _profile_record(profile), "flags": context.flags,
             "hooks": _effects(effects)},
            hashed, model_name=_model_name(mapper),
        )
        return Recorded(value=profile, audit_id=entry.entry_id, step="profile_from_text",
                        purpose=why, inputs_hash=hashed, flags=tuple(context.flags))

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

        ``reviewer`` and ``reason`` are required; without them the override is refused
        (logged as ``"override_refused"``) and :class:`~skilltwin.errors.OversightError`
        raised. The original stays on record; the returned
        :class:`~skilltwin.oversight.results.OverriddenResult` shows both values. Overriding
        an overridden result starts from the automated original and keeps the earlier human
        values unless replaced.
        """
        original = result.original if isinstance(result, OverriddenResult) else result
        if not isinstance(original, Recorded):
            raise ConfigurationError(
                "override takes a result returned by a Workspace step (ws.match, ws.gap...), "
                f"not {type(result).__name__}: only recorded outputs can be overridden."
            )
        subject = _employee_id(original.value)
        missing = [name for name, value in (("reviewer", reviewer), ("reason", reason))
                   if not _filled(value)]
        if missing:
            message = (f"an override needs a named human reviewer and a reason; missing: "
                       f"{' and '.join(missing)}. Pass reviewer='<name>' and reason='<why>'.")
            self._record("override_refused", subject,
                         {"purpose": original.purpose, "result_audit_id": original.audit_id,
                          "refused": message, "fields": sorted(changes)},
                         original.inputs_hash, actor=_filled(reviewer) or self.actor)
            raise OversightError(message)
        assert reviewer is not None and reason is not None
        if isinstance(result, OverriddenResult):
            changes = {**result.changes, **changes}
        automated = _check_changes(original.value, changes)
        context = self._context("on_override", "override", original.purpose,
                                {"result": original})
        context.output = original
        context.score = _score_of(changes) if "score" in changes else _score_of(original.value)
        context.reviewer = reviewer.strip()
        context.flags.extend(original.flags)
        effects = self._run_hooks(context, original.inputs_hash, subject=subject,
                                  refusal="override_refused")
        entry = self._record(
            "override", subject,
            {"purpose": original.purpose, "step": original.step,
             "result_audit_id": original.audit_id,
             "previous_override_audit_id": result.audit_id
             if isinstance(result, OverriddenResult) else None,
             "automated": automated, "human": changes, "reviewer": reviewer.strip(),
             "reason": reason.strip(), "operator": self.actor, "flags": context.flags,
             "hooks": _effects(effects)},
            original.inputs_hash, actor=reviewer.strip(),
        )
        return OverriddenResult(original=original, changes=dict(changes), automated=automated,
                                reviewer=reviewer.strip(), reason=reason.strip(),
                                audit_id=entry.entry_id, flags=tuple(context.flags))

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

        Only a named human ``reviewer`` may decide: without one the decision is refused,
        logged as ``"decision_refused"``, and :class:`~skilltwin.errors.OversightError`
        raised. ``on_decide`` hooks may also refuse it (e.g.
        :func:`~skilltwin.oversight.hooks.require_second_reviewer`); the refusal is logged
        and their :class:`~skilltwin.oversight.hooks.HookRejection` raised.
        """
        original = result.original if isinstance(result, OverriddenResult) else result
        if not isinstance(original, Recorded):
            raise ConfigurationError(
                "decide takes a result returned by a Workspace step or ws.override, not "
                f"{type(result).__name__}: decisions must rest on a recorded result."
            )
        why = _filled(purpose) or original.purpose
        outcome_text = _required_text(outcome, "outcome", "what was decided, e.g. 'shortlist'")
        subject = _employee_id(original.value)
        score = _score_of(result.changes if isinstance(result, OverriddenResult) and
                          "score" in result.changes else original.value)
        record: dict[str, Any] = {
            "purpose": why, "outcome": outcome_text, "result_audit_id": original.audit_id,
            "override_audit_id": result.audit_id if isinstance(result, OverriddenResult)
            else None,
            "step": original.step, "profile_id": _profile_id(original.value), "score": score,
            "automated_score": _score_of(original.value), "operator": self.actor,
        }
        if not _filled(reviewer):
            message = ("a decision needs a named human reviewer: pass reviewer='<name of the "
                       "person deciding>'. Automated results alone cannot decide.")
            self._record("decision_refused", subject, {**record, "refused": message},
                         original.inputs_hash)
            raise OversightError(message)
        assert reviewer is not None
        second = _filled(second_reviewer) or None
        context = self._context("on_decide", "decide", why, {"result": result})
        context.output, context.score = result, score
        context.reviewer, context.second_reviewer = reviewer.strip(), second
        context.outcome = outcome_text
        context.flags.extend(result.flags)
        record.update(reviewer=reviewer.strip(), second_reviewer=second)
        effects = self._run_hooks(context, original.inputs_hash, subject=subject,
                                  refusal="decision_refused", refusal_data=record)
        entry = self._record("decision", subject,
                             {**record, "flags": context.flags, "hooks": _effects(effects)},
                             original.inputs_hash, actor=reviewer.strip())
        return Decision(
            audit_id=entry.entry_id, outcome=outcome_text, reviewer=reviewer.strip(),
            second_reviewer=second, result_audit_id=original.audit_id,
            overridden=isinstance(result, OverriddenResult), employee_id=subject,
            profile_id=_profile_id(original.value), purpose=why, decided_at=entry.timestamp,
            flags=tuple(context.flags),
        )

    # -- internals --------------------------------------------------------------------------
    def _purpose(self, purpose: str | None) -> str:
        if purpose is None:
            if self.purpose is None:
                raise ConfigurationError(
                    "every workspace step needs a purpose (e.g. 'internal mobility'): pass "
                    "purpose= to this call or Workspace(..., purpose=...)."
                )
            return self.purpose
        return _required_text(purpose, "purpose", _PURPOSE)

    def _scored(self, step: str, twin: EmployeeTwin, profile: JobProfile, purpose: str | None,
                compute: Callable[[], T]) -> Recorded[T]:
        why = self._purpose(purpose)
        hashed = inputs_hash({"twin": _twin_inputs(twin), "profile": _profile_inputs(profile),
                              "policy": self.policy.model_dump(mode="json")})
        context = self._context("before_step", step, why, {"twin": twin, "profile": profile})
        effects = self._run_hooks(context, hashed, subject=twin.employee_id)
        output = compute()
        context.event, context.output = "after_step", output
        context.score = _score_of(output)
        effects += self._run_hooks(context, hashed, subject=twin.employee_id)
        output = context.output
        stored: dict[str, int] = {}
        if self.store is not None:
            version = self.store.save_profile(profile, actor=self.actor)
            self.store.record_score(output, actor=self.actor,
                                    profile_version=version)
            stored = {"profile_version": version}
        entry = self._record(
            step, twin.employee_id,
            {"purpose": why, "output": output.model_dump(mode="json", exclude={"employee_id"}),
             "flags": context.flags, "hooks": _effects(effects), **stored},
            hashed, model_name=output.provenance.model_name,
        )
        return Recorded(value=output, audit_id=entry.entry_id, step=step, purpose=why,
                        inputs_hash=hashed, flags=tuple(context.flags))

    def _context(self, event: HookEvent, step: str, purpose: str, inputs: dict[str, Any]
                 ) -> HookContext:
        return HookContext(event=event, step=step, purpose=purpose, actor=self.actor,
                           inputs=inputs)

    def _run_hooks(self, context: HookContext, hashed: str, *, subject: str | None = None,
                   refusal: str = "step_refused",
                   refusal_data: Mapping[str, Any] | None = None) -> list[HookEffect]:
        try:
            return self.hooks.run(context)
        except HookRejection as exc:
            effects = getattr(exc, "effects", [])
            self._record(refusal, subject,
                         {"purpose": context.purpose, "step": context.step,
                          **(refusal_data or {}), "refused": str(exc),
                          "flags": context.flags, "hooks": _effects(effects)},
                         hashed, actor=context.reviewer or self.actor)
            raise

    def _record(self, action: str, subject: str | None, data: Mapping[str, Any], hashed: str,
                *, model_name: str | None = None, actor: str | None = None) -> AuditEntry:
        return self.audit.record(
            action,
            actor=actor or self.actor,
            subject=subject,
            data=dict(data),
            inputs_hash=hashed,
            provenance=Provenance(taxonomy_release=self.taxonomy.release, model_name=model_name),
        )


_PURPOSE = "why the step runs, e.g. 'internal mobility'"


def _required_text(value: Any, name: str, meaning: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string: {meaning}.")
    return value.strip()


def _filled(value: str | None) -> str:
    return value.strip() if isinstance(value, str) else ""


def _twin_inputs(twin: EmployeeTwin) -> dict[str, Any]:
    """What a score of ``twin`` depends on: its claims, scale, level policy and today's date."""
    return {
        "employee_id": twin.employee_id,
        "claims": [claim.model_dump(mode="json") for claim in twin.claims],
        "scale": twin.scale.model_dump(mode="json"),
        "level_policy": twin.policy.model_dump(mode="json"),
        "as_of": dt.date.today().isoformat(),
    }


def _profile_inputs(profile: JobProfile) -> dict[str, Any]:
    return {
        "profile_id": profile.profile_id,
        "requirements": [r.model_dump(mode="json") for r in profile.requirements],
    }


def _profile_record(profile: JobProfile) -> dict[str, Any]:
    """A generated profile as logged: everything but its free-text description."""
    return profile.model_dump(mode="json", exclude={"purpose"})


def _model_name(mapper: Any) -> str | None:
    provenance = getattr(mapper, "provenance", None)
    name = getattr(provenance, "model_name", None)
    return name if isinstance(name, str) else getattr(getattr(mapper, "encoder", None), "name",
                                                      None)


def _employee_id(value: Any) -> str | None:
    employee_id = getattr(value, "employee_id", None)
    return employee_id if isinstance(employee_id, str) else None


def _profile_id(value: Any) -> str | None:
    profile_id = getattr(value, "profile_id", None)
    return profile_id if isinstance(profile_id, str) else None


def _score_of(value: Any) -> float | None:
    score = value.get("score") if isinstance(value, Mapping) else getattr(value, "score", None)
    return float(score) if isinstance(score, (int, float)) else None


def _rounded(value: Any) -> float:
    return round(float(value), 6)


def _effects(effects: Sequence[HookEffect]) -> list[dict[str, Any]]:
    return [effect.model_dump(mode="json") for effect in effects]


def _check_changes(value: Any, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The automated values of the fields in ``changes``; raise when a change is invalid."""
    if not changes:
        raise ConfigurationError(
            "override needs at least one field to replace, e.g. score=0.8."
        )
    if not isinstance(value, BaseModel):
        raise ConfigurationError(
            f"a {type(value).__name__} cannot be overridden field by field; record a new "
            "result instead."
        )
    known = type(value).model_fields
    unknown = sorted(set(changes) - set(known))
    if unknown:
        raise ConfigurationError(
            f"{type(value).__name__} has no field {', '.join(unknown)}; fields that can be "
            f"overridden: {', '.join(known)}."
        )
    if "score" in changes:
        score = changes["score"]
        if isinstance(score, bool) or not isinstance(score, (int, float)) \
                or not 0.0 <= score <= 1.0:
            raise ConfigurationError(f"score must be a number between 0 and 1, not {score!r}.")
    normalise_json(dict(changes), "override")
    return {name: normalise_json(getattr(value, name), name) for name in changes}
