"""The database fixtures of the store and audit-log tests: SQLite and PostgreSQL.

PostgreSQL comes from ``$SKILLTWIN_TEST_POSTGRES_URL`` (``.ci/postgres.sh start`` sets it).
When the variable is missing the PostgreSQL tests skip, except in CI (``$CI`` set), where
they fail; when it is set but the server does not answer, they fail. Each test gets a fresh
schema of its own on the server.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from esco_fixtures import write_esco_download

BACKENDS = ("sqlite", "postgresql")
POSTGRES_ENV = "SKILLTWIN_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test server's URL; fails (in CI or when unreachable) or skips (locally) without it."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = (f"${POSTGRES_ENV} is not set: start a server with "
                   f"`eval \"$(.ci/postgres.sh start)\"`")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at {url} does not answer: {exc}")
    finally:
        engine.dispose()
    return url


def fresh_schema_url(base: str) -> tuple[str, str]:
    """A new, empty schema on the server and a URL whose search path points at it."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:16]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{base}?options=-csearch_path%3D{schema}", schema


def drop_schema(base: str, schema: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database on each backend: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = postgres_url()
    url, schema = fresh_schema_url(base)
    yield url
    drop_schema(base, schema)


@pytest.fixture(scope="session")
def tiny_esco(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A three-skill ESCO-shaped taxonomy (tests/esco_fixtures.py)."""
    from skilltwin import load_esco

    root = write_esco_download(tmp_path_factory.mktemp("tiny-esco"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_esco(root)
