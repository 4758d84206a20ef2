"""The ISCO-08 group of each job profile, for roll-ups of profiles, matches and plans.

A profile built from an ESCO occupation (:meth:`JobProfile.from_occupation`) records the
occupation's URI, and so its ISCO-08 group. A profile without one (made from skills, from a
text or by hand, or naming an occupation the taxonomy does not hold) is never dropped from a
roll-up: it falls in the group :data:`UNCLASSIFIED`, labelled "unclassified" (Dutch: "zonder
ISCO-groep").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import pandas as pd

from skilltwin._i18n import message
from skilltwin.errors import ConfigurationError
from skilltwin.taxonomy.isco import ISCO_DIGITS, isco_group

if TYPE_CHECKING:
    from skilltwin.profiles.profile import JobProfile
    from skilltwin.taxonomy import Taxonomy

__all__ = ["ISCO_BY", "UNCLASSIFIED", "IscoBy", "isco_digits", "profile_isco"]

IscoBy = Literal["isco1", "isco2", "isco3", "isco4"]
ISCO_BY: tuple[IscoBy, ...] = ("isco1", "isco2", "isco3", "isco4")
"""The ``by=`` values that group by ISCO-08 codes of 1 digit (major group) to 4 (unit group)."""

UNCLASSIFIED = "unclassified"
"""The ``isco_code`` of profiles without an ESCO occupation (their ``isco_label`` is
"unclassified" in the taxonomy's language)."""


def isco_digits(by: object) -> int:
    """The ISCO-08 digits (1-4) of ``by``: ``"isco1"`` ... ``"isco4"`` or the number itself.

    Raises:
        ConfigurationError: ``by`` names no ISCO-08 depth.
    """
    if isinstance(by, str) and by in ISCO_BY:
        return int(by[-1])
    if isinstance(by, int) and not isinstance(by, bool) and by in ISCO_DIGITS:
        return by
    raise ConfigurationError(f"{by!r} is no ISCO-08 depth; use 'isco1' (major group), "
                             "'isco2', 'isco3' or 'isco4' (unit group).")


def profile_isco(profiles: Sequence[JobProfile], taxonomy: Taxonomy, *,
                 digits: int | str = 4) -> pd.DataFrame:
    """One row per profile (index: ``profile_id``): ``isco_code`` and ``isco_label``, the
    ISCO-08 group of its occupation of ``digits`` digits (1-4 or ``"isco1"`` ... ``"isco4"``), with
    the group's label in the taxonomy's language.

    Profiles without an occupation of ``taxonomy`` get ``isco_code`` :data:`UNCLASSIFIED`
    and the label "unclassified" ("zonder ISCO-groep" in Dutch). Merge it on
    ``profile_id`` to add the groups to any table of profiles or matches.
    """
    depth = isco_digits(digits)
    unclassified = message("isco.unclassified", taxonomy.language)
    rows = []
    for profile in profiles:
        group = None
        uri = profile.occupation_uri
        if uri is not None and uri in taxonomy and \
                taxonomy.concept(uri).kind == "occupation":
            group = isco_group(taxonomy, uri, depth)
        rows.append((profile.profile_id, group.code or UNCLASSIFIED, group.label)
                    if group is not None else (profile.profile_id, UNCLASSIFIED, unclassified))
    return pd.DataFrame(rows, columns=["profile_id", "isco_code", "isco_label"]
                        ).set_index("profile_id")
