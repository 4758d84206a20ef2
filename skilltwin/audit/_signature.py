"""Erasure signatures: Ed25519 keys derived from the pseudonym key.

Erasing a subject deletes payloads, which verification accepts only because an erasure entry
lists them. So that nobody who can merely write to the file can forge such an entry, each
erasure is signed with an Ed25519 key derived from the pseudonym key. The public half (the
log's *key id*) is chained in every entry written with the key, so anyone can check an
erasure's signature without the secret key, and a signature made with another key shows.

``cryptography`` is imported only when a signature is made or checked.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = ["public_key", "sign", "signature_valid"]

_SEED_PURPOSE = b"skilltwin-audit erasure-signing-key\x00"


def _private_key(secret: bytes) -> Ed25519PrivateKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = hmac.new(secret, _SEED_PURPOSE, hashlib.sha256).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key(secret: bytes) -> str:
    """The public key (hex, 64 characters) belonging to the pseudonym key ``secret``."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = _private_key(secret).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return raw.hex()


def sign(secret: bytes, message: bytes) -> str:
    """Ed25519 signature (hex) of ``message`` with the key derived from ``secret``."""
    return _private_key(secret).sign(message).hex()


def signature_valid(public_hex: str, message: bytes, signature_hex: object) -> bool:
    """Whether ``signature_hex`` is a valid signature of ``message`` under ``public_hex``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if not isinstance(signature_hex, str):
        return False
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex))
        key.verify(bytes.fromhex(signature_hex), message)
    except (ValueError, InvalidSignature):
        return False
    return True
