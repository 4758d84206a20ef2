"""A fake ESCO Web API: a real HTTP server on 127.0.0.1 serving hand-written HAL JSON.

``FakeEscoApi`` answers ``/resource/skill``, ``/resource/occupation`` and ``/search`` the way
the public API does (HAL documents with ``className``, ``uri``, ``title``, language maps of
labels, ``_links``; search hits under ``_embedded.results``), records every request, and can be
scripted to answer errors, slowly or with broken bodies. The concepts below are a small,
illustrative excerpt shaped like ESCO's; their URIs are made up.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

__all__ = [
    "ISCO_2512",
    "OCCUPATION_APP_DEV",
    "SKILL_DEBUG",
    "SKILL_PYTHON",
    "SKILL_SQL",
    "SKILL_UNTRANSLATED",
    "FakeEscoApi",
    "Recorded",
    "Reply",
    "esco_documents",
    "running_fake_api",
]

ESCO = "http://data.europa.eu/esco"
SKILL_SQL = f"{ESCO}/skill/1f6e3c7a-0d52-4c1e-9a37-5e1f2b8d4c10"
SKILL_PYTHON = f"{ESCO}/skill/7b2d9e41-8c3a-4f65-b1d0-3a9c6e2f7d21"
SKILL_DEBUG = f"{ESCO}/skill/c4a18f02-6e7b-4d93-8f25-0b6d1a3e9c32"
SKILL_UNTRANSLATED = f"{ESCO}/skill/e9d03b75-2a4c-4b8e-a6f1-7c5e8d2b0a43"
OCCUPATION_APP_DEV = f"{ESCO}/occupation/3a6f8b20-9d1c-4e57-8b42-6f0e7a1c5d54"
ISCO_2512 = f"{ESCO}/isco/C2512"

_KNOWLEDGE = f"{ESCO}/skill-type/knowledge"
_SKILL = f"{ESCO}/skill-type/skill"
_SECTOR_SPECIFIC = f"{ESCO}/skill-reuse-level/sector-specific"
_CROSS_SECTOR = f"{ESCO}/skill-reuse-level/cross-sector"


def _link(uri: str, title: str, kind: str, **extra: str) -> dict[str, str]:
    href = f"https://ec.europa.eu/esco/api/resource/{kind}?" + urlencode({"uri": uri})
    return {"href": href, "uri": uri, "title": title, **extra}


def _skill(uri: str, labels: dict[str, str], alt: dict[str, list[str]], description: str,
           skill_type: str, reuse: str) -> dict[str, Any]:
    return {
        "className": "Skill",
        "classId": "http://data.europa.eu/esco/model#Skill",
        "uri": uri,
        "title": labels["en"],
        "referenceLanguage": ["en"],
        "preferredLabel": labels,
        "alternativeLabel": alt,
        "description": {"en": {"literal": description, "mimetype": "plain/text"}},
        "status": "released",
        "_links": {
            "self": _link(uri, labels["en"], "skill"),
            "hasSkillType": [_link(skill_type, skill_type.rsplit("/", 1)[-1], "concept")],
            "hasReuseLevel": [_link(reuse, reuse.rsplit("/", 1)[-1], "concept")],
            "isEssentialForOccupation": [_link(OCCUPATION_APP_DEV, "ICT application developer",
                                               "occupation")],
        },
    }


def esco_documents() -> list[dict[str, Any]]:
    """Multilingual HAL documents of four skills and one occupation (fresh copies)."""
    sql = _skill(SKILL_SQL, {"en": "SQL", "de": "SQL", "fr": "SQL"},
                 {"en": ["structured query language", "SQL language"],
                  "de": ["strukturierte Abfragesprache"]},
                 "The computer language SQL is a query language for retrieving information "
                 "from a database.", _KNOWLEDGE, _SECTOR_SPECIFIC)
    python = _skill(SKILL_PYTHON, {"en": "Python (computer programming)",
                                   "de": "Python (Computerprogrammierung)"},
                    {"en": ["Python"]},
                    "The techniques and principles of software development in Python.",
                    _KNOWLEDGE, _SECTOR_SPECIFIC)
    debug = _skill(SKILL_DEBUG, {"en": "debug software", "de": "Software debuggen"},
                   {"en": ["fix software bugs", "troubleshoot software"]},
                   "Repair computer code by analysing testing results and removing defects.",
                   _SKILL, _CROSS_SECTOR)
    untranslated = _skill(SKILL_UNTRANSLATED, {"en": "use query languages"}, {},
                          "Retrieve information from a database using computer languages.",
                          _SKILL, _CROSS_SECTOR)
    occupation = {
        "className": "Occupation",
        "classId": "http://data.europa.eu/esco/model#Occupation",
        "uri": OCCUPATION_APP_DEV,
        "title": "ICT application developer",
        "referenceLanguage": ["en"],
        "code": "2512.4",
        "preferredLabel": {"en": "ICT application developer",
                           "de": "IKT-Anwendungsentwickler/IKT-Anwendungsentwicklerin"},
        "alternativeLabel": {"en": ["application developer", "app developer"]},
        "hiddenLabel": {"en": ["apps dev"]},
        "description": {"en": {"literal": "ICT application developers implement applications "
                                          "based on designs, using programming languages.",
                               "mimetype": "plain/text"}},
        "status": "released",
        "_links": {
            "self": _link(OCCUPATION_APP_DEV, "ICT application developer", "occupation"),
            "broaderIscoGroup": [_link(ISCO_2512, "Software developers", "isco", code="2512")],
            "hasEssentialSkill": [
                _link(SKILL_DEBUG, "debug software", "skill", skillType=_SKILL),
                _link(SKILL_SQL, "SQL", "skill", skillType=_KNOWLEDGE),
            ],
            "hasOptionalSkill": [
                _link(SKILL_PYTHON, "Python (computer programming)", "skill",
                      skillType=_KNOWLEDGE),
            ],
        },
    }
    return [sql, python, debug, untranslated, occupation]


@dataclass
class Reply:
    """A scripted answer: status, body (JSON-able, or raw bytes), headers, delay in seconds."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Recorded:
    """A request the fake API received."""

    path: str
    params: dict[str, str]
    headers: dict[str, str]


class FakeEscoApi:
    """The fake API: start it, point ``EscoClient(base_url=api.base_url)`` at it.

    ``api.replies`` is a queue of :class:`Reply` served (in order, whatever the path) before
    normal routing; ``api.requests`` lists every request received. ``add(doc, version=...)``
    serves a document for one ESCO release only (``selectedVersion``).
    """

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: list[Reply] = []
        self._documents: dict[tuple[str, str | None], dict[str, Any]] = {}
        self._release = threading.Event()
        self._lock = threading.Lock()
        for doc in esco_documents():
            self.add(doc)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                api._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/esco/api"

    def add(self, doc: dict[str, Any], version: str | None = None) -> None:
        """Serve ``doc`` (a multilingual HAL document) for ``version`` (``None``: any)."""
        self._documents[(doc["uri"], version)] = doc

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._release.set()  # wake handlers that are still delaying
        self._server.shutdown()
        self._server.server_close()

    # -- serving ---------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = dict(parse_qsl(url.query))
        path = url.path.removeprefix("/esco/api")
        with self._lock:
            self.requests.append(Recorded(path, params, dict(handler.headers.items())))
            reply = self.replies.pop(0) if self.replies else None
        if reply is None:
            reply = self._route(path, params)
        if reply.delay:
            self._release.wait(reply.delay)
        body = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/hal+json;charset=UTF-8")
            handler.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def _route(self, path: str, params: dict[str, str]) -> Reply:
        language = params.get("language", "en")
        if path in ("/resource/skill", "/resource/occupation"):
            doc = self._find(params.get("uri", ""), params.get("selectedVersion"))
            class_name = path.rsplit("/", 1)[-1].capitalize()
            if doc is None or doc["className"] != class_name:
                return _error(404, f"Resource with URI {params.get('uri')} not found")
            return Reply(body=_localise(doc, language))
        if path == "/search":
            return Reply(body=self._search(params, language))
        return _error(400, f"Illegal/Unknown path: {path}")

    def _find(self, uri: str, version: str | None) -> dict[str, Any] | None:
        return self._documents.get((uri, version)) or self._documents.get((uri, None))

    def _search(self, params: dict[str, str], language: str) -> dict[str, Any]:
        text = params.get("text", "").lower()
        class_name = params.get("type", "skill").capitalize()
        limit = int(params.get("limit", "10"))
        hits = []
        for (_, version), doc in self._documents.items():
            labels = [doc["preferredLabel"].get(language, ""),
                      *doc.get("alternativeLabel", {}).get(language, [])]
            if (version is None and doc["className"] == class_name
                    and any(text in label.lower() for label in labels if label)):
                hits.append(_search_hit(doc, language))
        return {
            "_links": {"self": {"href": "https://ec.europa.eu/esco/api/search?"
                                        + urlencode(params)}},
            "total": len(hits),
            "offset": 0,
            "limit": limit,
            "language": language,
            "_embedded": {"results": hits[:limit]},
        }


def _localise(doc: dict[str, Any], language: str) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out["title"] = doc["preferredLabel"].get(language, doc["preferredLabel"]["en"])
    return out


def _search_hit(doc: dict[str, Any], language: str) -> dict[str, Any]:
    title = doc["preferredLabel"].get(language, doc["preferredLabel"]["en"])
    hit: dict[str, Any] = {
        "className": doc["className"],
        "classId": doc["classId"],
        "uri": doc["uri"],
        "title": title,
        "searchHit": title,
        "preferredLabel": doc["preferredLabel"],
        "alternativeLabel": doc.get("alternativeLabel", {}),
        "_links": {"self": doc["_links"]["self"]},
    }
    links = doc["_links"]
    if "hasSkillType" in links:
        hit["hasSkillType"] = [link["uri"] for link in links["hasSkillType"]]
    if "broaderIscoGroup" in links:
        hit["broaderIscoGroup"] = [link["uri"] for link in links["broaderIscoGroup"]]
    return hit


def _error(status: int, message: str) -> Reply:
    logref = "NotFoundException" if status == 404 else "BadInputException"
    return Reply(status=status, body={"logref": logref, "status": status, "message": message,
                                      "_links": None})


@contextmanager
def running_fake_api() -> Iterator[FakeEscoApi]:
    """A started :class:`FakeEscoApi`, stopped on exit."""
    api = FakeEscoApi()
    api.start()
    try:
        yield api
    finally:
        api.stop()
