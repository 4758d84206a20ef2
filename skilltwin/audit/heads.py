"""Signed heads: an auditor checks a log with the log key's public key alone.

``AuditLog.signed_head()`` (``skilltwin audit head --sign``) verifies the log with the key and
signs its head with the Ed25519 key derived from the log key. :func:`check_head` checks such a
head with the public key (``AuditLog.public_key()``, handed over separately) and, given the
log, that the log still holds the signed entries unchanged: the signed hash covers every
entry up to it, so no entry before it can be changed, removed or reordered, and no entry cut
off the end, without the check failing — even by someone who recomputes every plain hash.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from skilltwin._output import write_output
from skilltwin.audit.models import ChainHead, SignedHead, VerifyResult
from skilltwin.errors import ConfigurationError, OutputError

if TYPE_CHECKING:
    from skilltwin.audit.log import AuditLog

__all__ = ["check_head", "read_signed_head", "write_signed_head"]


def write_signed_head(head: SignedHead, path: str | os.PathLike[str],
                      inputs: Sequence[Path] = ()) -> None:
    """Save a signed head as JSON, through the guarded writer (``skilltwin/_output.py``):
    never onto ``inputs`` (the log's own files) or any database, and never over an existing
    file that is not a signed head (a key file, say).

    Raises:
        OutputError: the target is refused.
    """
    target = Path(os.fspath(path))
    if target.is_file():
        try:
            read_signed_head(target)
        except ConfigurationError:
            raise OutputError(f"{target} exists and is not a signed head; a signed head is "
                              "written to a new file or over an older head, never over "
                              "another file. Choose another name.") from None
    write_output(path, head.model_dump_json(indent=2) + "\n", inputs=inputs)


def read_signed_head(path: str | os.PathLike[str]) -> SignedHead:
    """Read a signed head saved by :func:`write_signed_head`.

    Raises:
        ConfigurationError: no such file, or not a signed head.
    """
    try:
        return SignedHead.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigurationError(
            f"{path}: cannot read the signed head ({exc.strerror}); give the file written by "
            "`skilltwin audit head --sign`."
        ) from None
    except (ValidationError, UnicodeDecodeError):
        raise ConfigurationError(
            f"{path} is not a signed head; give the file written by `skilltwin audit head "
            "--sign`."
        ) from None


def check_head(head: SignedHead, public_key: str,
               audit_log: AuditLog | None = None) -> VerifyResult:
    """Check ``head``'s signature with ``public_key`` (hex) and, given ``audit_log``, that the log
    still holds the signed entries unchanged (a plain :meth:`AuditLog.verify` anchored at the
    head: no log key needed).

    Returns:
        A :class:`VerifyResult`: ``ok`` only when the signature is valid (and the log matches).
    """
    if not head.check(public_key):
        return VerifyResult(
            ok=False, checked=0, first_bad=None, head=ChainHead(seq=head.seq, hash=head.hash),
            reason="the head's signature does not verify with this public key: the head was "
                   "changed, or signed with another key")
    if audit_log is None:
        return VerifyResult(ok=True, checked=0, reason="signature valid",
                            head=ChainHead(seq=head.seq, hash=head.hash),
                            keyed_from=head.keyed_from)
    return audit_log.verify(anchor=head.anchor(), keyed=False)
