"""A cached, retrying client of the public ESCO Web API.

This module is the only part of skilltwin that opens network connections.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from datetime import timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, overload

import requests

from skilltwin._validation import check_choice, check_text, check_top_k
from skilltwin._version import __version__
from skilltwin.config import cache_dir as default_cache_dir
from skilltwin.errors import ConfigurationError, EscoApiError, UnknownConceptError
from skilltwin.esco._cache import ResponseCache
from skilltwin.esco._hal import SearchKind, parse_occupation, parse_search, parse_skill
from skilltwin.taxonomy.models import Occupation, Skill

__all__ = ["DEFAULT_BASE_URL", "USER_AGENT", "EscoClient", "OccupationSkills"]

DEFAULT_BASE_URL = "https://ec.europa.eu/esco/api"
USER_AGENT = f"skilltwin/{__version__} (ESCO API client) python-requests/{requests.__version__}"

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_T = TypeVar("_T")


class OccupationSkills(NamedTuple):
    """The skills of an occupation, as full :class:`Skill` models, in ESCO's order."""

    essential: list[Skill]
    optional: list[Skill]


class EscoClient:
    """Fetch ESCO skills and occupations from the ESCO Web API as skilltwin models.

    Answers are cached on disk, so each concept is downloaded once per language and release;
    with ``offline=True`` the client answers from that cache only and never opens a connection.
    The models are the ones :func:`skilltwin.load_esco` returns, so concepts from the API and
    from the CSV download mix freely.

    Args:
        base_url: Root of the API; change it for a local installation of the ESCO API.
        cache_dir: Folder of the on-disk cache. Default: ``esco-api`` inside skilltwin's cache
            directory (see :mod:`skilltwin.config`).
        use_cache: Read and write the cache. ``False`` always asks the API.
        offline: Answer from the cache only; a concept that is not cached raises
            :class:`~skilltwin.errors.EscoApiError`.
        timeout: Seconds to wait for a connection and for the answer: one number for both, or a
            ``(connect, read)`` pair.
        max_retries: How many times a request is repeated after a 429 (too many requests) or
            5xx answer before giving up.
        backoff: Wait before the first retry, in seconds; it doubles on each further retry.
            A ``Retry-After`` header from the server (seconds or HTTP date) wins over it.
        max_wait: Longest single wait between retries, in seconds (caps ``Retry-After`` too).
        session: A :class:`requests.Session` to send requests with (proxies, certificates);
            the client makes its own by default.
        sleep: Function called to wait between retries (tests pass a recorder).

    Example:
        >>> client = EscoClient()
        >>> client.base_url
        'https://ec.europa.eu/esco/api'
        >>> hits = client.search("SQL", kind="skill", top_k=3)       # doctest: +SKIP
        >>> occupation = client.get_occupation(uri)                  # doctest: +SKIP
        >>> essential, optional = client.occupation_skills(uri)      # doctest: +SKIP
    """

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        use_cache: bool = True,
        offline: bool = False,
        timeout: float | tuple[float, float] = (5.0, 30.0),
        max_retries: int = 3,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base_url must be an http(s) URL such as {DEFAULT_BASE_URL!r}, not {base_url!r}."
            )
        if offline and not use_cache:
            raise ConfigurationError(
                "offline=True answers from the cache only, so it needs use_cache=True."
            )
        self.base_url = base_url.rstrip("/")
        self.offline = bool(offline)
        self.use_cache = bool(use_cache)
        self.timeout = _check_timeout(timeout)
        self.max_retries = _check_retries(max_retries)
        self.backoff = _check_seconds("backoff", backoff)
        self.max_wait = _check_seconds("max_wait", max_wait)
        self.cache_dir = (Path(cache_dir).expanduser() if cache_dir is not None
                          else default_cache_dir("esco-api"))
        self._cache = ResponseCache(self.cache_dir)
        self._session = session
        self._owns_session = session is None
        self._sleep = sleep

    def __repr__(self) -> str:
        mode = "offline" if self.offline else "online"
        return f"EscoClient({self.base_url!r}, {mode}, cache_dir={str(self.cache_dir)!r})"

    def __enter__(self) -> EscoClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP session the client made (a session passed in is left open)."""
        if self._session is not None and self._owns_session:
            self._session.close()
            self._session = None

    def clear_cache(self) -> int:
        """Delete every cached answer in :attr:`cache_dir`; return how many were deleted."""
        return self._cache.clear()

    # -- public look-ups -----------------------------------------------------------------
    def get_skill(self, uri: str, language: str = "en", version: str | None = None) -> Skill:
        """The skill (or knowledge concept) with this URI.

        Args:
            uri: Full ESCO URI, e.g. ``"http://data.europa.eu/esco/skill/<uuid>"``.
            language: Language of labels and description (``"en"``, ``"de"``, ...).
            version: ESCO release such as ``"v1.1.1"``; ``None`` uses the API's default.

        Raises:
            UnknownConceptError: ESCO has no skill with this URI (in this release).
            EscoApiError: The API could not be reached or gave an unusable answer.
        """
        params = self._resource_params("skill", uri, language, version)
        return self._get("/resource/skill", params, lambda doc, source:
                         parse_skill(doc, language, source), concept=("skill", uri))

    def get_occupation(self, uri: str, language: str = "en",
                       version: str | None = None) -> Occupation:
        """The occupation with this URI, with the URIs of its essential and optional skills.

        Takes the same arguments and raises the same errors as :meth:`get_skill`.
        """
        params = self._resource_params("occupation", uri, language, version)
        return self._get("/resource/occupation", params, lambda doc, source:
                         parse_occupation(doc, language, source), concept=("occupation", uri))

    def occupation_skills(self, uri: str, language: str = "en",
                          version: str | None = None) -> OccupationSkills:
        """The essential and optional skills of an occupation, fetched as :class:`Skill` models.

        Each skill is one request the first time (then cached). Unpack the result as
        ``essential, optional = client.occupation_skills(uri)``.
        """
        occupation = self.get_occupation(uri, language, version)
        return OccupationSkills(
            essential=[self.get_skill(skill, language, version)
                       for skill in occupation.essential_skills],
            optional=[self.get_skill(skill, language, version)
                      for skill in occupation.optional_skills],
        )

    @overload
    def search(self, text: str, kind: Literal["skill"] = "skill", language: str = "en",
               top_k: int = 10, version: str | None = None) -> list[Skill]: ...

    @overload
    def search(self, text: str, kind: Literal["occupation"], language: str = "en",
               top_k: int = 10, version: str | None = None) -> list[Occupation]: ...

    def search(self, text: str, kind: SearchKind = "skill", language: str = "en",
               top_k: int = 10, version: str | None = None) -> list[Skill] | list[Occupation]:
        """Concepts whose labels match ``text``, best first, as ESCO's search ranks them.

        Search hits are summaries: labels are filled in, but occupations carry no skill URIs
        and descriptions may be empty. Fetch a hit with :meth:`get_skill` or
        :meth:`get_occupation` for the full concept.

        Args:
            text: What to look for, e.g. ``"SQL"`` or ``"software developer"``.
            kind: ``"skill"`` or ``"occupation"``.
            language: Language to search and return labels in.
            top_k: Largest number of hits to return (at least 1).
            version: ESCO release such as ``"v1.1.1"``; ``None`` uses the API's default.
        """
        check_text(text, "text", empty=False, hint="Give some text to look for, e.g. 'SQL'.")
        check_choice(kind, "kind", ("skill", "occupation"))
        check_top_k(top_k)
        params = {"text": text.strip(), "type": kind, "limit": str(top_k),
                  **self._common_params(language, version)}
        return self._get("/search", params, lambda doc, source:
                         parse_search(doc, kind, language, source))

    # -- internals -----------------------------------------------------------------------
    def _resource_params(self, kind: str, uri: str, language: str,
                         version: str | None) -> dict[str, str]:
        if not isinstance(uri, str) or not uri.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"pass the full ESCO URI of the {kind}, such as "
                f"'http://data.europa.eu/esco/{kind}/<uuid>', not {uri!r}."
            )
        return {"uri": uri, **self._common_params(language, version)}

    @staticmethod
    def _common_params(language: str, version: str | None) -> dict[str, str]:
        if not _is_token(language):
            raise ConfigurationError(
                f"language must be an ESCO language code such as 'en' or 'de', not {language!r}."
            )
        params = {"language": language}
        if version is not None:
            if not _is_token(version):
                raise ConfigurationError(
                    f"version must be an ESCO release such as 'v1.1.1' (or None), not {version!r}."
                )
            params["selectedVersion"] = version
        return params

    def _get(self, endpoint: str, params: Mapping[str, str],
             parse: Callable[[dict[str, Any], str], _T],
             concept: tuple[str, str] | None = None) -> _T:
        """Answer from the cache, else fetch, parse and cache (only what parsed cleanly)."""
        source = f"GET {endpoint} ({_describe(params)})"
        key = ResponseCache.key(self.base_url, endpoint, params)
        if self.use_cache:
            cached = self._cache.get(key)
            if cached is not None:
                return parse(cached, source)
        if self.offline:
            raise EscoApiError(
                f"{source}: not in the cache at {self.cache_dir}, and the client is offline. "
                "Fetch it once with an online client (offline=False) sharing this cache_dir, "
                "or check the URI, language and version."
            )
        doc = self._fetch(endpoint, params, source, concept)
        result = parse(doc, source)
        if self.use_cache:
            self._cache.put(key, self.base_url + endpoint, params, doc)
        return result

    def _fetch(self, endpoint: str, params: Mapping[str, str], source: str,
               concept: tuple[str, str] | None) -> dict[str, Any]:
        url = self.base_url + endpoint
        for attempt in range(self.max_retries + 1):
            response = self._send(url, params, source)
            if response.status_code not in _RETRY_STATUSES or attempt == self.max_retries:
                break
            self._sleep(self._wait(attempt, response))
        status = response.status_code
        if status == 404 and concept is not None:
            kind, uri = concept
            release = params.get("selectedVersion", "the API's default release")
            raise UnknownConceptError(
                f"the ESCO API knows no {kind} {uri} (language {params['language']!r}, "
                f"{release}). Check the URI (copy it from the ESCO portal), the release "
                "(version=...) and the language."
            )
        if status in _RETRY_STATUSES:
            raise EscoApiError(
                f"{source}: the ESCO API answered {status} {response.reason} "
                f"{self.max_retries + 1} times in a row{_server_message(response)}. The service "
                "may be down or limiting requests: try again later, raise max_retries, or work "
                "from the cache with offline=True."
            )
        if status >= 400:
            raise EscoApiError(
                f"{source}: the ESCO API answered {status} {response.reason}"
                f"{_server_message(response)}. Check the parameters (URI, language, version)."
            )
        try:
            doc = response.json()
        except ValueError:
            raise EscoApiError(
                f"{source}: the ESCO API answered with something that is not JSON "
                f"(content type {response.headers.get('Content-Type', 'unknown')!r}, starting "
                f"{response.text[:80]!r}). A proxy or a maintenance page may be in the way; "
                "try again later or check base_url."
            ) from None
        if not isinstance(doc, dict):
            raise EscoApiError(
                f"{source}: the ESCO API answered with a JSON {type(doc).__name__}, not the "
                "expected JSON object. Check base_url points at the ESCO API."
            )
        return doc

    def _send(self, url: str, params: Mapping[str, str], source: str) -> requests.Response:
        if self._session is None:
            self._session = requests.Session()
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        try:
            return self._session.get(url, params=params, headers=headers, timeout=self.timeout)
        except requests.Timeout as exc:
            raise EscoApiError(
                f"{source}: the ESCO API did not answer within the timeout "
                f"({_describe_timeout(self.timeout)}, {exc.__class__.__name__}). Raise "
                "timeout=..., try again later, or work from the cache with offline=True."
            ) from exc
        except requests.RequestException as exc:
            raise EscoApiError(
                f"{source}: could not reach the ESCO API at {self.base_url} ({exc}). Check the "
                "network connection, proxy settings and base_url, or work from the cache with "
                "offline=True."
            ) from exc

    def _wait(self, attempt: int, response: requests.Response) -> float:
        """Seconds to wait before retry ``attempt + 1``: ``Retry-After`` if given, else backoff."""
        retry_after = _retry_after(response.headers.get("Retry-After"))
        wait = retry_after if retry_after is not None else self.backoff * 2 ** attempt
        return min(wait, self.max_wait)


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delay in seconds or an HTTP date), if valid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000" zone: HTTP dates are UTC
        when = when.replace(tzinfo=timezone.utc)
    return max(when.timestamp() - time.time(), 0.0)


def _server_message(response: requests.Response) -> str:
    """``: <message>`` from an ESCO error body (``{"logref", "status", "message"}``), if any."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return f": {message}" if isinstance(message, str) and message else ""


def _is_token(value: object) -> bool:
    """A non-empty string without whitespace (a language code or release name)."""
    return isinstance(value, str) and bool(value) and not any(c.isspace() for c in value)


def _describe(params: Mapping[str, str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in params.items())


def _describe_timeout(timeout: float | tuple[float, float]) -> str:
    if isinstance(timeout, tuple):
        return f"connect {timeout[0]:g} s, read {timeout[1]:g} s"
    return f"{timeout:g} s"


def _check_timeout(timeout: object) -> float | tuple[float, float]:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    seconds = [float(value) for value in values
               if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0]
    if len(seconds) != len(values) or len(seconds) not in (1, 2):
        raise ConfigurationError(
            "timeout must be a positive number of seconds or a (connect, read) pair of them, "
            f"not {timeout!r}."
        )
    return (seconds[0], seconds[1]) if len(seconds) == 2 else seconds[0]


def _check_retries(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError(f"max_retries must be a whole number, 0 or more, not {value!r}.")
    return value


def _check_seconds(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigurationError(f"{name} must be a number of seconds, 0 or more, not {value!r}.")
    return float(value)
