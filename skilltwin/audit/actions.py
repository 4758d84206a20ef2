"""The one list of audit actions: every step skilltwin writes to the log, by name.

:class:`Action` is used wherever an action is written or read — the workspace, the store,
the worker notice and the docs — so a new step cannot be added to one and missed by another
(``tests/test_audit_actions.py`` checks that the notice describes every action in every
language and that the docs name them).
"""

from __future__ import annotations

from enum import Enum

__all__ = ["RESERVED_ACTIONS", "STEP_ACTIONS", "SWITCH_ACTIONS", "Action"]


class Action(str, Enum):
    """What an audit entry records. The value is the text stored in the entry's ``action``.

    ``AuditLog.record`` also accepts other, custom action names; these are the ones skilltwin
    writes itself.
    """

    MATCH = "match"
    """A match score of one employee against a job profile (``Workspace.match``)."""
    GAP = "gap"
    """A skills-gap report (``Workspace.gap``)."""
    MATCH_BATCH = "match_batch"
    """The summary of a batch of match scores (``Workspace.match_frame``)."""
    INFER_SKILLS = "infer_skills"
    """Skill claims inferred from a CV, awaiting a person's confirmation."""
    PROFILE_FROM_SKILLS = "profile_from_skills"
    """A job profile drafted from a list of skills."""
    PROFILE_FROM_TEXT = "profile_from_text"
    """A job profile drafted from a job-ad text."""
    STEP_REFUSED = "step_refused"
    """An automated step a hook refused."""
    OVERRIDE = "override"
    """A person replaced values of an automated output."""
    OVERRIDE_REFUSED = "override_refused"
    """An override that was refused (no reviewer, no reason, a hook)."""
    DECISION = "decision"
    """A decision taken by a named person."""
    DECISION_REFUSED = "decision_refused"
    """A decision that was refused (no reviewer, a hook)."""
    REVIEWER_ADDED = "reviewer_added"
    """A person put on the roster of reviewers (or back on it), with their role."""
    REVIEWER_DEACTIVATED = "reviewer_deactivated"
    """A person taken off the roster of reviewers."""
    FAIRNESS_CHECK = "fairness_check"
    """The counts of a fairness check, recorded without a subject
    (``Store.record_fairness_check``)."""
    ERASURE = "erasure"
    """Personal payloads erased (GDPR art. 17, or retention); signed; reserved."""
    KEYED_CHAIN = "keyed_chain"
    """A log written before the keyed chain is keyed from here on (the first entry this
    version writes to it); reserved."""
    CHAIN_KEY_ROTATION = "chain_key_rotation"
    """The chain key changes from the next entry on; reserved."""

    def __str__(self) -> str:
        return str(self.value)


SWITCH_ACTIONS: frozenset[str] = frozenset({Action.KEYED_CHAIN.value,
                                            Action.CHAIN_KEY_ROTATION.value})
"""Entries that start the keyed chain of an older log or change its key."""

RESERVED_ACTIONS: frozenset[str] = frozenset({Action.ERASURE.value, *SWITCH_ACTIONS})
"""Actions only the log itself writes (``AuditLog.record`` refuses them)."""

STEP_ACTIONS: dict[str, Action] = {
    "match": Action.MATCH,
    "gap": Action.GAP,
    "match_frame": Action.MATCH_BATCH,
    "infer_skills": Action.INFER_SKILLS,
    "profile_from_skills": Action.PROFILE_FROM_SKILLS,
    "profile_from_text": Action.PROFILE_FROM_TEXT,
}
"""The action that records each workspace step (by the step's name)."""
