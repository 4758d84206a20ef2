"""Layer 1 (optional): the ESCO Web API, cached on disk, as skilltwin models.

:class:`EscoClient` is the only part of skilltwin that opens network connections. Everything
else works on files: the ESCO CSV download, company taxonomies and skilltwin's own caches.
"""

from skilltwin.esco.client import DEFAULT_BASE_URL, USER_AGENT, EscoClient, OccupationSkills

__all__ = ["DEFAULT_BASE_URL", "USER_AGENT", "EscoClient", "OccupationSkills"]
