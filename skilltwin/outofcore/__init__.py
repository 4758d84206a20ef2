"""Scale-out: claims tables, top-k matching, mapping and planning over many employees.

Runs in one process on pandas data, or on Dask (``pip install skilltwin[dask]``) when given
Dask collections or a ``distributed.Client``; the results are the same. Dask is imported only
when used. See docs/scaling.md.
"""

from skilltwin.outofcore._dask import connect
from skilltwin.outofcore.claims import UnknownSkillsWarning, claim_levels, read_claims
from skilltwin.outofcore.mapping import map_texts, read_texts
from skilltwin.outofcore.matching import occupation_profiles, top_matches
from skilltwin.outofcore.planning import key_person_risks, supply_demand
from skilltwin.twin.claims import CLAIM_COLUMNS

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
