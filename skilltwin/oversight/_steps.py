"""The one template every automated workspace step runs through, and the recording helpers.

:class:`StepRunner` holds what a :class:`~skilltwin.oversight.workspace.Workspace` needs to
run and record a step: purpose, keyed inputs hash, before-hooks, compute, after-hooks and the
audit entry, written once so that every step behaves the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar

from skilltwin.audit.actions import STEP_ACTIONS, Action
from skilltwin.audit.models import AuditEntry
from skilltwin.errors import ConfigurationError, OversightError
from skilltwin.oversight._lookup import logged_form
from skilltwin.oversight._overrides import score_of
from skilltwin.oversight._records import value_record
from skilltwin.oversight.hooks import HookContext, HookEffect, HookEvent, HookRejection, Hooks
from skilltwin.oversight.purposes import Purpose, registered_purpose, registry
from skilltwin.oversight.results import OverriddenResult, Recorded
from skilltwin.provenance import Provenance

if TYPE_CHECKING:
    from skilltwin.audit import AuditLog
    from skilltwin.mapping.protocol import Mapper
    from skilltwin.oversight._backend import ScoreStore
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.scoring.policy import ScoringPolicy
    from skilltwin.taxonomy import Taxonomy
    from skilltwin.twin.twin import EmployeeTwin

__all__ = ["PURPOSE_MEANING", "Step", "StepRunner", "effects_record", "filled",
           "model_name_of", "original_result", "profile_id_of", "profile_inputs",
           "twin_inputs"]

T = TypeVar("T")


@dataclass
class Step(Generic[T]):
    """One automated step: what it is, what it reads and how it computes its output."""

    name: str
    subject: str | None
    hook_inputs: dict[str, Any]
    hashed: dict[str, Any]
    compute: Callable[[], T]
    extra: dict[str, Any] = field(default_factory=dict)
    model_name: Callable[[T], str | None] = lambda output: None



class StepRunner:
    """Runs and records steps; the base of :class:`~skilltwin.oversight.workspace.Workspace`."""

    taxonomy: Taxonomy
    audit_log: AuditLog
    actor: str
    purpose: str | None
    hooks: Hooks
    scoring_policy: ScoringPolicy
    store: ScoreStore | None
    purposes: tuple[str, ...] = ()

    def _registry(self) -> tuple[str, ...]:
        """The purposes this workspace accepts: the defaults, the store's and its own."""
        from_store = getattr(self.store, "purposes", None)
        return registry(self.purposes, from_store() if callable(from_store) else ())

    def _purpose(self, purpose: str | None) -> str:
        """The registered name of ``purpose`` (default: the workspace's); an unregistered
        one is refused before anything runs or is logged."""
        if purpose is None:
            if self.purpose is None:
                raise ConfigurationError(
                    "every workspace step needs a purpose (e.g. 'internal mobility'): pass "
                    "purpose= to this call or Workspace(..., purpose=...)."
                )
            purpose = self.purpose
        return registered_purpose(purpose, self._registry())

    def _default_purpose(self, purpose: str) -> str:
        """The workspace's default purpose, checked now; a :class:`Purpose` keeps its note."""
        name = registered_purpose(purpose, self._registry())
        note = getattr(purpose, "note", None)
        return Purpose(name, note=note) if note else name

    def _note(self, purpose: str | None) -> dict[str, Any]:
        """How a :class:`Purpose`'s note is logged: a keyed hash and its length, never the
        text (unless the log keeps free text). Nothing without a note."""
        note = getattr(self.purpose if purpose is None else purpose, "note", None)
        if not note:
            return {}
        if self.audit_log.log_free_text:
            return {"note": note}
        return {"note": {"redacted": "free text", "chars": len(note),
                         "hmac_sha256": self.audit_log.text_digest(note)}}

    def _scored(self, name: str, twin: EmployeeTwin, profile: JobProfile,
                compute: Callable[[], T]) -> Step[T]:
        return Step(name=name, subject=twin.employee_id,
                     hook_inputs={"twin": twin, "profile": profile},
                     hashed={"twin": twin_inputs(twin), "profile": profile_inputs(profile),
                             "scoring_policy": self.scoring_policy.model_dump(mode="json")},
                     compute=compute,
                     model_name=lambda output: output.provenance.model_name)  # type: ignore

    def _stored(self, step: Step[Any], output: Any) -> dict[str, int]:
        """With a store: record a match or gap there against the profile's stored version
        (a changed profile is saved as a new version first); returns that version."""
        profile = step.hook_inputs.get("profile")
        if self.store is None or step.name not in ("match", "gap") or profile is None:
            return {}
        version = self.store.save_profile(profile, actor=self.actor)
        self.store.record_score(output, actor=self.actor, profile_version=version)
        return {"profile_version": version}

    def _step(self, purpose: str | None, step: Step[T]) -> tuple[Recorded[T], AuditEntry]:
        """The one template of every automated step: purpose, keyed inputs hash, before-hooks,
        compute, after-hooks, record; returns the result and its entry."""
        why = self._purpose(purpose)
        hashed = self.audit_log.inputs_hash(step.hashed)
        context = self._context("before_step", step.name, why, step.hook_inputs)
        effects = self._run_hooks(context, hashed, subject=step.subject)
        output = step.compute()
        context.event, context.output = "after_step", output
        context.score = score_of(output)
        effects += self._run_hooks(context, hashed, subject=step.subject)
        output = context.output
        stored = self._stored(step, output)
        entry = self._record(
            STEP_ACTIONS[step.name], step.subject,
            {"purpose": why, **self._note(purpose), **step.extra, **stored,
             **value_record(step.name, output),
             "flags": context.flags, "hooks": effects_record(effects)},
            hashed, model_name=step.model_name(output),
        )
        recorded = Recorded(value=output, audit_id=entry.entry_id, step=step.name,
                            purpose=why, inputs_hash=hashed, flags=tuple(context.flags))
        return recorded, entry

    def _document(self, text: str) -> dict[str, Any]:
        """How a CV or job ad is logged: a keyed hash and its length, never the text."""
        return {"document_hmac_sha256": self.audit_log.text_digest(text),
                "document_chars": len(text)}

    def _context(self, event: HookEvent, step: str, purpose: str, inputs: dict[str, Any]
                 ) -> HookContext:
        return HookContext(event=event, step=step, purpose=purpose, actor=self.actor,
                           inputs=inputs)

    def _run_hooks(self, context: HookContext, hashed: str, *, subject: str | None = None,
                   refusal: str = Action.STEP_REFUSED,
                   refusal_data: Mapping[str, Any] | None = None) -> list[HookEffect]:
        try:
            return self.hooks.run(context)
        except HookRejection as exc:
            effects = getattr(exc, "effects", [])
            self._record(refusal, subject,
                         {"purpose": context.purpose, "step": context.step,
                          **(refusal_data or {}), "refused": str(exc),
                          "flags": context.flags, "hooks": effects_record(effects)},
                         hashed, actor=context.reviewer or self.actor)
            raise

    def _refuse(self, action: str, subject: str | None, data: Mapping[str, Any], hashed: str,
                message: str) -> NoReturn:
        """Log a refused override or decision (by the workspace's actor) and raise."""
        self._record(action, subject, {**data, "refused": message}, hashed)
        raise OversightError(message)

    def _record(self, action: str, subject: str | None, data: Mapping[str, Any], hashed: str,
                *, model_name: str | None = None, actor: str | None = None) -> AuditEntry:
        return self.audit_log.record(
            action,
            actor=actor or self.actor,
            subject=subject,
            data=logged_form(self.audit_log, dict(data), subject),
            inputs_hash=hashed,
            provenance=Provenance(taxonomy_release=self.taxonomy.release, model_name=model_name),
        )


PURPOSE_MEANING = "why the step runs, e.g. 'internal mobility'"


def original_result(result: Any, verb: str) -> Recorded[Any]:
    original = result.original if isinstance(result, OverriddenResult) else result
    if not isinstance(original, Recorded):
        raise ConfigurationError(
            f"{verb} takes a result returned by a Workspace step (ws.match, ws.gap...) or "
            f"ws.override, not {type(result).__name__}: only recorded results can be "
            f"{'overridden' if verb == 'override' else 'decided on'}."
        )
    return original


def filled(value: str | None) -> str:
    return value.strip() if isinstance(value, str) else ""


def twin_inputs(twin: EmployeeTwin) -> dict[str, Any]:
    """What a score of ``twin`` depends on: its claims, scale, level policy and today's date."""
    return {
        "employee_id": twin.employee_id,
        "claims": [claim.model_dump(mode="json") for claim in twin.claims],
        "scale": twin.scale.model_dump(mode="json"),
        "level_policy": twin.level_policy.model_dump(mode="json"),
        "as_of": dt.date.today().isoformat(),
    }


def profile_inputs(profile: JobProfile) -> dict[str, Any]:
    return {
        "profile_id": profile.profile_id,
        "requirements": [r.model_dump(mode="json") for r in profile.requirements],
    }


def model_name_of(mapper: Mapper) -> str | None:
    """The model behind ``mapper``'s results, as its provenance names it (``None``: none)."""
    from skilltwin.mapping.protocol import provenance_of

    return provenance_of(mapper).model_name


def profile_id_of(value: Any) -> str | None:
    profile_id = getattr(value, "profile_id", None)
    return profile_id if isinstance(profile_id, str) else None


def effects_record(effects: Sequence[HookEffect]) -> list[dict[str, Any]]:
    return [effect.model_dump(mode="json") for effect in effects]
