"""Hooks: your own rules, run before and after each automated step and on overrides/decisions.

A hook is a callable taking a :class:`HookContext`. It may

* add a flag with ``context.flag("...")`` (e.g. "low evidence"),
* replace the output in ``after_step`` hooks (``context.output = ...``, e.g. to redact a field),
* block the step, override or decision by raising :class:`HookRejection`.

Every effect (flags added, output fields changed, a rejection) is written to the audit log by
the :class:`~skilltwin.oversight.workspace.Workspace` together with the step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args, overload

from pydantic import BaseModel, ConfigDict

from skilltwin._validation import check_choice
from skilltwin.errors import ConfigurationError, InputValidationError, OversightError
from skilltwin.oversight._names import person_key, same_name

__all__ = [
    "Hook",
    "HookContext",
    "HookEffect",
    "HookEvent",
    "HookRejection",
    "Hooks",
    "flag_low_evidence",
    "redact_fields",
    "require_second_reviewer",
]

HookEvent = Literal["before_step", "after_step", "on_override", "on_decide"]
"""When a hook runs: before or after an automated step, or when a person overrides/decides."""

_EVENTS: tuple[str, ...] = get_args(HookEvent)
REDACTED = "[redacted]"


class HookRejection(OversightError):
    """Raised by a hook to block a step, an override or a decision; say why in the message."""


@dataclass
class HookContext:
    """What a hook sees (and may change).

    Attributes:
        event: The event the hook runs on.
        step: ``"match"``, ``"gap"``, ``"match_frame"``, ``"infer_skills"``,
            ``"profile_from_skills"``, ``"profile_from_text"``, ``"override"`` or ``"decide"``.
        purpose: Why the step runs.
        actor: Who runs it (the workspace's actor).
        inputs: The step's inputs by name (e.g. ``twin``, ``profile``, ``mapper``).
        output: ``after_step``: the output (replace it to change what is returned and
            logged); ``on_override``/``on_decide``: the result concerned.
        score: The score concerned, when there is one (for an override: the new score; for a
            decision: the score decided on).
        scores: ``on_decide``: every score the result had, from the log: the automated score
            and the human score of every override of the result.
        overridden_by: ``on_decide``: the reviewers who overrode the result, in order.
        reviewer, second_reviewer: The people overriding or deciding.
        outcome: The decision asked for (``on_decide``).
        flags: Flags added so far.
    """

    event: HookEvent
    step: str
    purpose: str
    actor: str
    inputs: dict[str, Any] = field(default_factory=dict)
    output: Any = None
    score: float | None = None
    scores: tuple[float, ...] = ()
    overridden_by: tuple[str, ...] = ()
    reviewer: str | None = None
    second_reviewer: str | None = None
    outcome: str | None = None
    flags: list[str] = field(default_factory=list)

    def flag(self, message: str) -> None:
        """Attach a warning to the result; it is logged and shown with the result."""
        self.flags.append(message)


class HookEffect(BaseModel):
    """What one hook did, as written to the audit log.

    Attributes:
        hook: The hook's name.
        event: The event it ran on.
        flags: Flags it added.
        changed: Output fields it changed.
        rejected: Its rejection message, when it blocked the step.
    """

    model_config = ConfigDict(frozen=True)

    hook: str
    event: HookEvent
    flags: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    rejected: str | None = None

    @property
    def empty(self) -> bool:
        """``True`` when the hook neither flagged, changed nor rejected anything."""
        return not (self.flags or self.changed or self.rejected)


@dataclass(frozen=True)
class Hook:
    """A callable bound to an event, with a name for the audit log."""

    event: HookEvent
    fn: Callable[[HookContext], None]
    name: str


class Hooks:
    """The hooks of a workspace, run in the order they were registered.

    Example:
        >>> hooks = Hooks([require_second_reviewer(0.9)])
        >>> hooks.register("after_step", lambda ctx: ctx.flag("checked"), name="checked").name
        'checked'
        >>> tuple(hook.event for hook in hooks)
        ('on_decide', 'after_step')
    """

    def __init__(self, hooks: Iterable[Hook] = ()):
        self._hooks: list[Hook] = []
        for hook in hooks:
            self.register(hook)

    @overload
    def register(self, hook: Hook, /) -> Hook: ...

    @overload
    def register(self, event: HookEvent, fn: Callable[[HookContext], None], /, *,
                 name: str | None = None) -> Hook: ...

    def register(self, event: Hook | HookEvent, fn: Callable[[HookContext], None] | None = None,
                 /, *, name: str | None = None) -> Hook:
        """Run a hook from now on; returns the registered :class:`Hook`.

        Either a ready-made :class:`Hook` (``hooks.register(require_second_reviewer(0.9))``)
        or an event and a function (``hooks.register("on_decide", notify, name="notify")``,
        which runs ``notify(context)`` on ``event``; the name defaults to the function's).

        Raises:
            InputValidationError: an unknown event, a function that is not callable, or a
                :class:`Hook` given together with a function or name.
        """
        if isinstance(event, Hook):
            if fn is not None or name is not None:
                raise InputValidationError(
                    "give either a Hook, or an event and a function, not both: "
                    "register(hook) or register('on_decide', fn, name=...).", field="fn")
            ready = event
            event, fn, name = ready.event, ready.fn, ready.name
        check_choice(event, "event", _EVENTS)
        if not callable(fn):
            raise InputValidationError(
                f"a hook must be callable (a function taking the HookContext), not "
                f"{type(fn).__name__}.", field="fn")
        hook = Hook(event=event, fn=fn, name=name or str(getattr(fn, "__name__", repr(fn))))
        self._hooks.append(hook)
        return hook

    def __len__(self) -> int:
        return len(self._hooks)

    def __iter__(self) -> Iterator[Hook]:
        return iter(self._hooks)

    def __repr__(self) -> str:
        return f"Hooks({[f'{h.event}:{h.name}' for h in self._hooks]})"

    def run(self, context: HookContext) -> list[HookEffect]:
        """Run the hooks of ``context.event`` in order; return their non-empty effects.

        Raises:
            HookRejection: a hook blocked the step; its ``effects`` attribute lists the
                effects up to and including the rejection.
        """
        effects: list[HookEffect] = []
        for hook in self._hooks:
            if hook.event != context.event:
                continue
            flags_before = len(context.flags)
            output_before = context.output
            try:
                hook.fn(context)
            except HookRejection as exc:
                effects.append(HookEffect(hook=hook.name, event=context.event,
                                          flags=tuple(context.flags[flags_before:]),
                                          rejected=str(exc)))
                exc.effects = effects  # type: ignore[attr-defined]
                raise
            effect = HookEffect(
                hook=hook.name,
                event=context.event,
                flags=tuple(context.flags[flags_before:]),
                changed=_changed_fields(output_before, context.output),
            )
            if not effect.empty:
                effects.append(effect)
        return effects


def _changed_fields(before: Any, after: Any) -> tuple[str, ...]:
    if before is after:
        return ()
    if isinstance(before, BaseModel) and isinstance(after, BaseModel):
        old, new = before.model_dump(), after.model_dump()
        return tuple(sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k)))
    return ("output",) if before != after else ()


# -- ready-made hooks -------------------------------------------------------------------------
def require_second_reviewer(threshold: float) -> Hook:
    """A decision on a result that scored at or above ``threshold`` needs
    ``second_reviewer=``, a person other than ``reviewer``; without one the decision is
    refused (and the refusal logged).

    The rule looks at every score the result had: the automated score and the score of every
    override of it (``HookContext.scores``), so lowering a score by an override does not
    remove the second pair of eyes. People are compared by their person key (case, spacing,
    punctuation, accents, word order and invisible characters do not make another person),
    so whoever overrode cannot be both reviewers, nor decide alone.
    """
    if not 0.0 <= threshold <= 1.0:
        raise ConfigurationError(f"threshold must be between 0 and 1, not {threshold}.")

    def check(context: HookContext) -> None:
        scores = [s for s in (context.score, *context.scores) if s is not None]
        if not scores or max(scores) < threshold:
            return
        top = max(scores)
        second = context.second_reviewer or ""
        if not person_key(second) or same_name(second, context.reviewer or ""):
            which = "the score" if top == context.score else \
                "the automated score or an override of it"
            raise HookRejection(
                f"{which} {top:.2f} is at or above {threshold:.2f}: a second reviewer is "
                "required; pass second_reviewer= naming another person."
            )

    return Hook(event="on_decide", fn=check, name=f"require_second_reviewer({threshold:g})")


def flag_low_evidence(min_confidence: float = 0.5,
                      sources: Sequence[str] = ("inferred",)) -> Hook:
    """Flag a match or gap when claims behind it are weak.

    Before each step with a twin, the claims on the profile's skills (all claims when there
    is no profile) are checked: those with confidence below ``min_confidence`` or from one
    of ``sources`` (default: inferred from text, not yet confirmed by a person) are named in
    a flag.
    """
    if not 0.0 <= min_confidence <= 1.0:
        raise ConfigurationError(
            f"min_confidence must be between 0 and 1, not {min_confidence}."
        )
    weak_sources = frozenset(sources)

    def check(context: HookContext) -> None:
        twin = context.inputs.get("twin")
        if twin is None:
            return
        profile = context.inputs.get("profile")
        wanted = {r.skill_uri for r in profile.requirements} if profile is not None else None
        weak = sorted({
            claim.skill_label for claim in twin.claims
            if (wanted is None or claim.skill_uri in wanted)
            and (claim.confidence < min_confidence or claim.source in weak_sources)
        })
        if weak:
            shown = ", ".join(weak[:5]) + (f" and {len(weak) - 5} more" if len(weak) > 5 else "")
            context.flag(
                f"low evidence: {len(weak)} skill(s) rest on claims with confidence below "
                f"{min_confidence:g} or not confirmed by a person ({shown})"
            )

    return Hook(event="before_step", fn=check, name=f"flag_low_evidence({min_confidence:g})")


def redact_fields(*fields: str, steps: Sequence[str] | None = None) -> Hook:
    """Blank the named output fields (e.g. ``"explanation"``) before results are returned and
    logged, for the given ``steps`` (default: every step). Text becomes ``"[redacted]"``,
    sequences and mappings become empty, anything else ``None``."""
    if not fields:
        raise ConfigurationError("redact_fields needs at least one field name.")
    only = frozenset(steps) if steps is not None else None

    def redact(context: HookContext) -> None:
        output = context.output
        if not isinstance(output, BaseModel) or (only is not None and context.step not in only):
            return
        present = [name for name in fields if name in type(output).model_fields]
        if present:
            context.output = output.model_copy(
                update={name: _blank(getattr(output, name)) for name in present}
            )

    return Hook(event="after_step", fn=redact, name=f"redact_fields({', '.join(fields)})")


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        return REDACTED
    if isinstance(value, (tuple, list)):
        return type(value)()
    if isinstance(value, dict):
        return {}
    return None
