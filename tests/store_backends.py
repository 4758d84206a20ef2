"""The databases of the store and audit-log tests: SQLite and PostgreSQL (the fixtures that
use them are in ``tests/conftest.py``).

PostgreSQL comes from ``$SKILLTWIN_TEST_POSTGRES_URL`` (``.ci/postgres.sh start`` sets it).
When the variable is missing the PostgreSQL tests skip, except in CI (``$CI`` set), where
they fail; when it is set but the server does not answer, they fail. Each test gets a fresh
schema of its own on the server.
"""

from __future__ import annotations

import os
import uuid

import pytest

BACKENDS = ("sqlite", "postgresql")
POSTGRES_ENV = "SKILLTWIN_TEST_POSTGRES_URL"
#: The pseudonymisation key of the shared ``log`` fixture's audit log.
AUDIT_KEY = b"test-pseudonym-key-0123456789abcdef"


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
