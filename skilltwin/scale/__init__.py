"""Scale-out: claims tables, top-k matching, mapping and planning over many employees.

Runs in one process on pandas data, or on Dask (``pip install skilltwin[scale]``) when given
Dask collections or a ``distributed.Client``; the results are the same. Dask is imported only
when used. See docs/scaling.md.
"""

from skilltwin.scale._dask import connect
from skilltwin.scale.claims import (
    CLAIM_COLUMNS,
    UnknownSkillsWarning,
    claim_levels,
    read_claims,
)
from skilltwin.scale.mapping import map_texts, read_texts
from skilltwin.scale.matching import occupation_profiles, top_matches
from skilltwin.scale.planning import key_person_risks, supply_demand

__all__ = [
    "CLAIM_COLUMNS",
    "UnknownSkillsWarning",
    "claim_levels",
    "connect",
    "key_person_risks",
    "map_texts",
    "occupation_profiles",
    "read_claims",
    "read_texts",
    "supply_demand",
    "top_matches",
]
