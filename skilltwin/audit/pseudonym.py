"""The pseudonym key: where it comes from, and the keyed hashes made with it.

Subjects (employee ids) are written to the audit log only as HMAC-SHA256 pseudonyms. The key
is kept outside the log, so the log alone cannot be linked back to people; whoever holds the
key can compute an employee's pseudonym to query or erase their entries.

Key sources, first match wins:

1. the ``pseudonym_key`` argument: ``bytes`` (the key itself) or a path to a key file;
2. the environment variable ``SKILLTWIN_AUDIT_KEY`` (the key itself, as text);
3. the key file ``audit.key`` in the user's skilltwin config folder
   (e.g. ``~/.config/skilltwin/audit.key``), created with permissions 0600 on first use.

A key must be at least 32 bytes; key files hold the key as text (a fresh one gets 64 random
hex characters).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeAlias

from skilltwin._identity import identity_key
from skilltwin._jsonio import canonical_json
from skilltwin.audit._signature import public_key, sign
from skilltwin.config import default_key_path
from skilltwin.errors import ConfigurationError, InputValidationError

__all__ = ["KEY_ENV_VAR", "KeySource", "Pseudonymiser", "load_key"]

KEY_ENV_VAR = "SKILLTWIN_AUDIT_KEY"
MIN_KEY_BYTES = 32

KeySource: TypeAlias = bytes | str | os.PathLike[str] | None
"""A key (bytes), a key file path (str or path-like), or None for the defaults."""


def load_key(source: KeySource) -> bytes:
    """The pseudonym key from ``source``, the environment or the default key file."""
    if isinstance(source, bytes):
        return _checked(source, "the pseudonym_key bytes")
    if source is not None:
        return _read_key_file(Path(source), create=False)
    env = os.environ.get(KEY_ENV_VAR)
    if env:
        return _checked(env.strip().encode("utf-8"), f"${KEY_ENV_VAR}")
    return _read_key_file(default_key_path(), create=True)


def _checked(key: bytes, where: str) -> bytes:
    if len(key) < MIN_KEY_BYTES:
        raise ConfigurationError(
            f"{where} is {len(key)} bytes; a pseudonym key needs at least {MIN_KEY_BYTES}. "
            "Generate one with: python -c \"import secrets; print(secrets.token_hex(32))\""
        )
    return key


def _read_key_file(path: Path, *, create: bool) -> bytes:
    if create and not path.exists():
        _create_key_file(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(
            f"pseudonym key file {path} not found; check the path, or pass no key to use "
            f"${KEY_ENV_VAR} or {default_key_path()}."
        ) from None
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        warnings.warn(
            f"pseudonym key file {path} can be read by other users; run: chmod 600 {path}",
            stacklevel=4,
        )
    return _checked(text.strip().encode("utf-8"), f"key file {path}")


def _create_key_file(path: Path) -> None:
    """Write a fresh key to ``path`` (0600) unless another process gets there first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(secrets.token_hex(32) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it meanwhile
            os.link(temp, path)
    finally:
        temp.unlink()


class Pseudonymiser:
    """Keyed hashes (HMAC-SHA256) made with one pseudonym key."""

    def __init__(self, key: bytes):
        self._key = key
        self._key_id: str | None = None

    def _digest(self, purpose: bytes, message: bytes) -> str:
        return hmac.new(self._key, purpose + b"\x00" + message, hashlib.sha256).hexdigest()

    def subject_id(self, raw_id: str) -> str:
        """The pseudonym of an employee id (64 hex characters), made from its identity key
        (``skilltwin/_identity.py``): ``"Emp-7 "``, ``"emp-7"`` and the NFC and NFD spellings of
        one id have one pseudonym."""
        try:
            key = identity_key(raw_id)
        except InputValidationError as exc:
            raise InputValidationError(exc.detail, field="subject") from None
        return self._digest(b"subject", key.encode("utf-8"))

    def legacy_subject_id(self, raw_id: str) -> str:
        """The pseudonym logs written before the identity rule gave ``raw_id`` (its exact
        spelling), so that erasure and look-ups still find their entries."""
        if not isinstance(raw_id, str) or not raw_id:
            raise InputValidationError(
                f"expected an employee id, got {raw_id!r}.", field="subject")
        return self._digest(b"subject", raw_id.encode("utf-8"))

    def subject_ids(self, raw_id: str, aliases: Iterable[str] = ()) -> list[str]:
        """Every pseudonym ``raw_id``'s entries may carry: its pseudonym, and the older
        spelling-based ones of ``raw_id`` and of ``aliases`` (other spellings of the id)."""
        found = [self.subject_id(raw_id)]
        for spelling in (raw_id, *aliases):
            legacy = self.legacy_subject_id(spelling)
            if legacy not in found:
                found.append(legacy)
        return found

    def text_digest(self, value: Any) -> str:
        """Keyed hash of a free-text value (strings as UTF-8, anything else as canonical JSON)."""
        message = value.encode("utf-8") if isinstance(value, str) else canonical_json(value)
        return self._digest(b"free-text", message)

    def inputs_digest(self, inputs: Any) -> str:
        """Keyed hash of a step's inputs (canonical JSON), so that nobody without the key can
        link an entry to the data it was computed from, even after erasure."""
        return self._digest(b"inputs", canonical_json(inputs))

    def fingerprint(self) -> str:
        """The key's fingerprint as logs of schema version 1 stored it (unchained)."""
        return self._digest(b"key-fingerprint", b"skilltwin-audit")

    def key_id(self) -> str:
        """The key's public id, chained in every entry written with it: the Ed25519 public key
        that checks erasure signatures (it reveals nothing about the key)."""
        if self._key_id is None:
            self._key_id = public_key(self._key)
        return self._key_id

    def chain_key(self, nonce: str) -> bytes:
        """The keyed chain's key for the period that began with ``nonce`` (recorded, in the
        clear, in the entry that started or rotated the chain): HMAC-SHA256 of a fixed label
        and the nonce under the pseudonym key."""
        return hmac.new(self._key, b"skilltwin-audit chain-key\x00" + nonce.encode("utf-8"),
                        hashlib.sha256).digest()

    def sign(self, message: bytes) -> str:
        """Sign ``message`` (an erasure) with the Ed25519 key derived from the key."""
        return sign(self._key, message)
