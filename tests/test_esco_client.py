"""EscoClient against a real HTTP server on 127.0.0.1 (tests/fake_esco_api.py); no internet."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest
from fake_esco_api import (
    ISCO_2512,
    OCCUPATION_APP_DEV,
    SKILL_DEBUG,
    SKILL_PYTHON,
    SKILL_SQL,
    SKILL_UNTRANSLATED,
    FakeEscoApi,
    Reply,
    esco_documents,
    running_fake_api,
)

from skilltwin import __version__
from skilltwin.errors import (
    ConfigurationError,
    EscoApiError,
    InputValidationError,
    UnknownConceptError,
)
from skilltwin.esco import EscoClient, OccupationSkills
from skilltwin.taxonomy.models import Occupation, Skill


@pytest.fixture
def api() -> Iterator[FakeEscoApi]:
    with running_fake_api() as fake:
        yield fake


class SleepRecorder:
    """Stands in for time.sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def client(api: FakeEscoApi, tmp_path: Path, sleeps: SleepRecorder) -> Iterator[EscoClient]:
    with make_client(api, tmp_path, sleeps) as esco:
        yield esco


def make_client(api: FakeEscoApi, tmp_path: Path, sleeps: SleepRecorder | None = None,
                **options: Any) -> EscoClient:
    options.setdefault("timeout", 5.0)
    options.setdefault("backoff", 0.5)
    return EscoClient(api.base_url, cache_dir=tmp_path / "cache",
                      sleep=sleeps or SleepRecorder(), **options)


# -- parsing into the models -------------------------------------------------------------------
def test_get_skill_parses_the_hal_document(client: EscoClient, api: FakeEscoApi) -> None:
    skill = client.get_skill(SKILL_SQL)

    assert type(skill) is Skill
    assert skill.uri == SKILL_SQL
    assert skill.label == "SQL"
    assert skill.alt_labels == ("structured query language", "SQL language")
    assert skill.description.startswith("The computer language SQL")
    assert skill.skill_type == "knowledge"
    assert skill.reuse_level == "sector-specific"
    assert api.requests[0].path == "/resource/skill"
    assert api.requests[0].params == {"uri": SKILL_SQL, "language": "en"}


def test_skill_type_skill_is_named_as_in_the_csv_download(client: EscoClient) -> None:
    skill = client.get_skill(SKILL_DEBUG)

    assert skill.skill_type == "skill/competence"
    assert skill.reuse_level == "cross-sector"


def test_get_skill_in_another_language(client: EscoClient) -> None:
    skill = client.get_skill(SKILL_DEBUG, language="de")

    assert skill.label == "Software debuggen"
    assert skill.alt_labels == ()
    assert skill.description == ""  # the fixture describes it in English only


def test_missing_translation_is_a_clear_error(client: EscoClient) -> None:
    with pytest.raises(EscoApiError, match=r"no preferred label in language 'de'.*\ben\b"):
        client.get_skill(SKILL_UNTRANSLATED, language="de")


def test_get_occupation_parses_skills_isco_group_and_code(client: EscoClient,
                                                          api: FakeEscoApi) -> None:
    occupation = client.get_occupation(OCCUPATION_APP_DEV)

    assert type(occupation) is Occupation
    assert occupation.label == "ICT application developer"
    assert occupation.alt_labels == ("application developer", "app developer")
    assert occupation.hidden_labels == ("apps dev",)
    assert occupation.essential_skills == (SKILL_DEBUG, SKILL_SQL)
    assert occupation.optional_skills == (SKILL_PYTHON,)
    assert occupation.isco_group == ISCO_2512
    assert occupation.code == "2512.4"
    assert occupation.isco_code == "2512"
    assert api.requests[0].path == "/resource/occupation"


def test_occupation_skills_fetches_skill_models(client: EscoClient) -> None:
    result = client.occupation_skills(OCCUPATION_APP_DEV)

    assert isinstance(result, OccupationSkills)
    essential, optional = result
    assert [skill.label for skill in essential] == ["debug software", "SQL"]
    assert [skill.label for skill in optional] == ["Python (computer programming)"]
    assert all(type(skill) is Skill for skill in [*essential, *optional])


def test_search_skills(client: EscoClient, api: FakeEscoApi) -> None:
    hits = client.search("sql", kind="skill", top_k=5)

    assert [hit.uri for hit in hits] == [SKILL_SQL]
    assert type(hits[0]) is Skill
    assert hits[0].label == "SQL"
    assert hits[0].skill_type == "knowledge"  # from the hit's top-level hasSkillType list
    assert api.requests[0].path == "/search"
    assert api.requests[0].params == {"text": "sql", "type": "skill", "limit": "5",
                                      "language": "en"}


def test_search_occupations_in_german(client: EscoClient) -> None:
    hits = client.search("Anwendungsentwickler", kind="occupation", language="de")

    assert len(hits) == 1
    occupation = hits[0]
    assert isinstance(occupation, Occupation)
    assert occupation.label == "IKT-Anwendungsentwickler/IKT-Anwendungsentwicklerin"
    assert occupation.isco_group == ISCO_2512


def test_search_respects_top_k_and_returns_empty_list(client: EscoClient) -> None:
    assert len(client.search("e", kind="skill", top_k=2)) == 2
    assert client.search("underwater basket weaving") == []


def test_api_concepts_mix_with_hand_built_models(client: EscoClient) -> None:
    fetched = client.get_skill(SKILL_SQL)
    built = Skill(uri=SKILL_SQL, label="SQL",
                  alt_labels=("structured query language", "SQL language"),
                  description=fetched.description, skill_type="knowledge",
                  reuse_level="sector-specific")

    assert fetched == built
    assert len({fetched, built}) == 1
    assert set(type(fetched).model_fields) == set(Skill.model_fields)
    assert fetched.labels[0] == "SQL"
    assert str(fetched) == f"SQL <{SKILL_SQL}>"


def test_user_agent_names_skilltwin_and_its_version(client: EscoClient,
                                                    api: FakeEscoApi) -> None:
    client.get_skill(SKILL_SQL)

    headers = {name.lower(): value for name, value in api.requests[0].headers.items()}
    assert headers["user-agent"].startswith(f"skilltwin/{__version__} ")


# -- cache ---------------------------------------------------------------------------------
def test_second_call_is_answered_from_the_cache(client: EscoClient, api: FakeEscoApi,
                                                tmp_path: Path) -> None:
    first = client.get_skill(SKILL_SQL)
    second = client.get_skill(SKILL_SQL)
    with make_client(api, tmp_path) as other:  # a new client sharing the cache folder
        third = other.get_skill(SKILL_SQL)

    assert first == second == third
    assert len(api.requests) == 1
    assert list((tmp_path / "cache").rglob("*.json"))


def test_cache_is_keyed_by_language_and_version(client: EscoClient, api: FakeEscoApi) -> None:
    old = esco_documents()[0]
    old["preferredLabel"] = {"en": "SQL (v1.0.9)"}
    api.add(old, version="v1.0.9")

    labels = [client.get_skill(SKILL_SQL).label,
              client.get_skill(SKILL_SQL, language="de").label,
              client.get_skill(SKILL_SQL, version="v1.0.9").label]
    labels += [client.get_skill(SKILL_SQL).label,
               client.get_skill(SKILL_SQL, language="de").label,
               client.get_skill(SKILL_SQL, version="v1.0.9").label]

    assert labels == ["SQL", "SQL", "SQL (v1.0.9)"] * 2
    assert [request.params for request in api.requests] == [
        {"uri": SKILL_SQL, "language": "en"},
        {"uri": SKILL_SQL, "language": "de"},
        {"uri": SKILL_SQL, "language": "en", "selectedVersion": "v1.0.9"},
    ]


def test_searches_are_cached(client: EscoClient, api: FakeEscoApi) -> None:
    assert client.search("sql") == client.search("sql")
    client.search("sql", top_k=3)

    assert len(api.requests) == 2


def test_use_cache_false_always_asks(api: FakeEscoApi, tmp_path: Path) -> None:
    with make_client(api, tmp_path, use_cache=False) as esco:
        esco.get_skill(SKILL_SQL)
        esco.get_skill(SKILL_SQL)

    assert len(api.requests) == 2
    assert not list((tmp_path / "cache").rglob("*.json"))


def test_corrupt_cache_entry_is_fetched_again(client: EscoClient, api: FakeEscoApi,
                                              tmp_path: Path) -> None:
    client.get_skill(SKILL_SQL)
    for path in (tmp_path / "cache").rglob("*.json"):
        path.write_text("{not json", encoding="utf-8")

    assert client.get_skill(SKILL_SQL).label == "SQL"
    assert len(api.requests) == 2


def test_clear_cache(client: EscoClient, api: FakeEscoApi) -> None:
    client.get_skill(SKILL_SQL)
    client.get_skill(SKILL_PYTHON)

    assert client.clear_cache() == 2
    client.get_skill(SKILL_SQL)
    assert len(api.requests) == 3


def test_default_cache_dir_is_inside_skilltwins_cache() -> None:
    esco = EscoClient(offline=True)

    assert esco.cache_dir.name == "esco-api"
    assert esco.cache_dir.is_dir()


# -- offline mode --------------------------------------------------------------------------
def test_offline_answers_from_the_cache_without_connecting(api: FakeEscoApi,
                                                           tmp_path: Path) -> None:
    with make_client(api, tmp_path) as online:
        fetched = online.get_occupation(OCCUPATION_APP_DEV)
    api.requests.clear()

    offline = make_client(api, tmp_path, offline=True)
    assert offline.get_occupation(OCCUPATION_APP_DEV) == fetched
    with pytest.raises(EscoApiError, match="offline"):
        offline.get_skill(SKILL_SQL)
    with pytest.raises(EscoApiError, match="not in the cache"):
        offline.search("sql")
    assert api.requests == []


def test_offline_never_opens_a_connection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("offline client opened a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr("urllib3.util.connection.create_connection", refuse)
    offline = EscoClient(cache_dir=tmp_path, offline=True)  # the real default base URL

    with pytest.raises(EscoApiError, match="offline"):
        offline.get_skill(SKILL_SQL)


def test_offline_needs_the_cache(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="use_cache=True"):
        EscoClient(cache_dir=tmp_path, offline=True, use_cache=False)


# -- retries -------------------------------------------------------------------------------
def test_retries_after_503_then_succeeds(client: EscoClient, api: FakeEscoApi,
                                         sleeps: SleepRecorder) -> None:
    api.replies.append(Reply(503, {"status": 503, "message": "Service Unavailable"}))

    assert client.get_skill(SKILL_SQL).label == "SQL"
    assert len(api.requests) == 2
    assert sleeps.calls == [0.5]


def test_429_honours_retry_after_seconds(client: EscoClient, api: FakeEscoApi,
                                         sleeps: SleepRecorder) -> None:
    api.replies.append(Reply(429, {"message": "Too many requests"}, {"Retry-After": "7"}))

    client.get_skill(SKILL_SQL)

    assert sleeps.calls == [7.0]
    assert len(api.requests) == 2


def test_429_honours_retry_after_http_date(client: EscoClient, api: FakeEscoApi,
                                           sleeps: SleepRecorder) -> None:
    when = formatdate(time.time() + 20, usegmt=True)
    api.replies.append(Reply(429, {"message": "Too many requests"}, {"Retry-After": when}))

    client.get_skill(SKILL_SQL)

    assert len(sleeps.calls) == 1
    assert 15 < sleeps.calls[0] <= 20


def test_waits_are_capped_by_max_wait(api: FakeEscoApi, tmp_path: Path,
                                      sleeps: SleepRecorder) -> None:
    api.replies.append(Reply(429, {}, {"Retry-After": "3600"}))

    with make_client(api, tmp_path, sleeps, max_wait=30) as esco:
        esco.get_skill(SKILL_SQL)

    assert sleeps.calls == [30.0]


def test_gives_up_after_max_retries_with_exponential_backoff(api: FakeEscoApi, tmp_path: Path,
                                                             sleeps: SleepRecorder) -> None:
    api.replies.extend(Reply(503, {"message": "maintenance"}) for _ in range(5))

    with make_client(api, tmp_path, sleeps, max_retries=3) as esco, pytest.raises(
        EscoApiError, match=r"503 Service Unavailable 4 times in a row: maintenance"
    ) as caught:
        esco.get_skill(SKILL_SQL)

    assert "try again later" in str(caught.value)
    assert len(api.requests) == 4
    assert sleeps.calls == [0.5, 1.0, 2.0]


def test_max_retries_zero_does_not_retry(api: FakeEscoApi, tmp_path: Path,
                                         sleeps: SleepRecorder) -> None:
    api.replies.append(Reply(500, {}))

    with make_client(api, tmp_path, sleeps, max_retries=0) as esco, pytest.raises(EscoApiError):
        esco.get_skill(SKILL_SQL)

    assert len(api.requests) == 1
    assert sleeps.calls == []


# -- errors --------------------------------------------------------------------------------
def test_404_is_unknown_concept_naming_the_uri(client: EscoClient, sleeps: SleepRecorder) -> None:
    missing = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"

    with pytest.raises(UnknownConceptError) as caught:
        client.get_skill(missing, version="v1.1.1")

    message = str(caught.value)
    assert missing in message
    assert "v1.1.1" in message
    assert "release" in message and "language" in message
    assert isinstance(caught.value, KeyError)
    assert sleeps.calls == []


def test_occupation_uri_asked_as_skill_is_unknown(client: EscoClient) -> None:
    with pytest.raises(UnknownConceptError, match="no skill"):
        client.get_skill(OCCUPATION_APP_DEV)


def test_400_carries_the_server_message(client: EscoClient, api: FakeEscoApi) -> None:
    api.replies.append(Reply(400, {"logref": "BadInputException", "status": 400,
                                   "message": "Illegal/Unknown language: xx"}))

    with pytest.raises(EscoApiError, match="400 Bad Request: Illegal/Unknown language: xx"):
        client.get_skill(SKILL_SQL, language="xx")


def test_malformed_json_is_an_api_error_and_not_cached(client: EscoClient,
                                                       api: FakeEscoApi) -> None:
    api.replies.append(Reply(200, b"<html>Maintenance</html>"))

    with pytest.raises(EscoApiError, match="not JSON"):
        client.get_skill(SKILL_SQL)
    assert client.get_skill(SKILL_SQL).label == "SQL"
    assert len(api.requests) == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda doc: doc.pop("uri"), "lacks 'uri'"),
        (lambda doc: (doc.pop("preferredLabel"), doc.pop("title")),
         "lacks 'preferredLabel' and 'title'"),
        (lambda doc: doc["_links"]["hasSkillType"][0].clear(), "URI of a 'hasSkillType' link"),
        (lambda doc: doc.update(className="Occupation"), "expected a Skill"),
    ],
)
def test_missing_fields_are_named(client: EscoClient, api: FakeEscoApi,
                                  change: Any, expected: str) -> None:
    doc = esco_documents()[0]
    change(doc)
    api.replies.append(Reply(200, doc))

    with pytest.raises(EscoApiError, match=expected):
        client.get_skill(SKILL_SQL)
    assert client.get_skill(SKILL_SQL).label == "SQL"  # the broken answer was not cached


def test_search_without_results_list_is_an_api_error(client: EscoClient,
                                                     api: FakeEscoApi) -> None:
    api.replies.append(Reply(200, {"total": 3, "_links": {}}))

    with pytest.raises(EscoApiError, match=r"_embedded\.results"):
        client.search("sql")


def test_json_that_is_not_an_object_is_an_api_error(client: EscoClient,
                                                    api: FakeEscoApi) -> None:
    api.replies.append(Reply(200, ["SQL"]))

    with pytest.raises(EscoApiError, match="JSON list"):
        client.get_skill(SKILL_SQL)


def test_slow_server_times_out(api: FakeEscoApi, tmp_path: Path) -> None:
    api.replies.append(Reply(200, {}, delay=5.0))

    started = time.monotonic()
    with make_client(api, tmp_path, timeout=0.3) as esco, pytest.raises(
        EscoApiError, match=r"did not answer within the timeout \(0\.3 s, .*offline=True"
    ):
        esco.get_skill(SKILL_SQL)

    assert time.monotonic() - started < 3


def test_unreachable_server_suggests_offline_mode(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with EscoClient(f"http://127.0.0.1:{port}/esco/api", cache_dir=tmp_path,
                    timeout=2.0) as esco, pytest.raises(
        EscoApiError, match=r"could not reach the ESCO API.*offline=True"
    ):
        esco.get_skill(SKILL_SQL)


# -- validation ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"base_url": "ec.europa.eu/esco/api"}, "base_url must be an http"),
        ({"timeout": 0}, "timeout must be"),
        ({"timeout": (1, 2, 3)}, "timeout must be"),
        ({"timeout": "5"}, "timeout must be"),
        ({"max_retries": -1}, "max_retries must be"),
        ({"max_retries": 1.5}, "max_retries must be"),
        ({"backoff": -1}, "backoff must be"),
        ({"max_wait": True}, "max_wait must be"),
    ],
)
def test_invalid_options(tmp_path: Path, options: dict[str, Any], expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        EscoClient(cache_dir=tmp_path, **options)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda c: c.get_skill("skill/1234"), "full ESCO URI of the skill"),
        (lambda c: c.get_occupation(None), "full ESCO URI of the occupation"),
        (lambda c: c.get_skill(SKILL_SQL, language=""), "language must be"),
        (lambda c: c.get_skill(SKILL_SQL, language=" en"), "language must be"),
        (lambda c: c.get_skill(SKILL_SQL, version=""), "version must be"),
    ],
)
def test_invalid_arguments(client: EscoClient, api: FakeEscoApi, call: Any,
                           expected: str) -> None:
    with pytest.raises(ConfigurationError, match=expected):
        call(client)
    assert api.requests == []


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.search(""), "text"),
        (lambda c: c.search(None), "text"),
        (lambda c: c.search("sql", kind="qualification"), "kind"),
        (lambda c: c.search("sql", top_k=0), "top_k"),
        (lambda c: c.search("sql", top_k=True), "top_k"),
    ],
)
def test_invalid_search_arguments_name_their_field(client: EscoClient, api: FakeEscoApi,
                                                   call: Any, field: str) -> None:
    with pytest.raises(InputValidationError) as caught:
        call(client)
    assert caught.value.field == field
    assert api.requests == []


def test_timeout_pair_is_kept(tmp_path: Path) -> None:
    assert EscoClient(cache_dir=tmp_path, timeout=(2, 10)).timeout == (2.0, 10.0)
