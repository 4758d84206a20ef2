"""Exceptions raised by skilltwin.

Every error a user can cause by passing bad input derives from :class:`SkilltwinError`, and its
message says what went wrong *and* what to do about it. The command-line interface catches
:class:`SkilltwinError` and prints the message without a traceback.
"""

from __future__ import annotations

__all__ = [
    "AuditLogDamagedError",
    "ConfigurationError",
    "DocumentError",
    "EscoApiError",
    "EuropassError",
    "InputValidationError",
    "JobPostingError",
    "OutputError",
    "OversightError",
    "SkilltwinError",
    "StoreError",
    "TaxonomyLoadError",
    "UnknownConceptError",
]


class SkilltwinError(Exception):
    """Base class of every error skilltwin raises on purpose."""


class TaxonomyLoadError(SkilltwinError):
    """A taxonomy file (ESCO download, company taxonomy, scale) is missing or malformed.

    Attributes:
        path: The file or folder that could not be read, when known.
        row: The 1-based data row (header excluded) where the problem is, when known.
    """

    def __init__(self, message: str, *, path: object | None = None, row: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}"
            if row is not None:
                where += f", row {row}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.row = row


class UnknownConceptError(SkilltwinError, KeyError):
    """A URI or label names no concept in the taxonomy."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return self.message


class ConfigurationError(SkilltwinError, ValueError):
    """A parameter has a value the library cannot work with."""


class InputValidationError(ConfigurationError):
    """User data (a file, a record, a field or an argument) is not what skilltwin accepts.

    The message starts with where the problem is (file, 1-based record, field) and ends with
    what to do. A :class:`ConfigurationError` (and so a ``ValueError``) for code that catches
    those.

    Attributes:
        detail: The message without the location.
        path: The file at fault, when known.
        row: The 1-based record (JSON object, table row or list entry), when known.
        field: The field or argument at fault, when known.
    """

    def __init__(self, detail: str, *, path: object | None = None, row: int | None = None,
                 field: str | None = None):
        where = [str(path)] if path is not None else []
        if row is not None:
            where.append(f"record {row}")
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {detail}" if where else detail)
        self.detail = detail
        self.path = path
        self.row = row
        self.field = field

    def at(self, *, path: object | None = None, row: int | None = None,
           field: str | None = None) -> InputValidationError:
        """The same error, located in ``path`` / ``row`` / ``field`` where not yet known.

        A field already named is nested under ``field`` (``claims`` + ``level`` gives
        ``claims.level``).
        """
        nested = ".".join(part for part in (field, self.field) if part) or None
        return InputValidationError(
            self.detail,
            path=self.path if self.path is not None else path,
            row=self.row if self.row is not None else row,
            field=nested,
        )


class OutputError(ConfigurationError):
    """An output file cannot be written where it was asked for: the path is an input, a
    database, a folder or a device, its folder is missing, or the disk refused the write
    (full, read-only, no permission). Nothing was written; the message says what to do."""


class EuropassError(InputValidationError):
    """A file cannot be imported as a Europass CV: not Europass, malformed XML or JSON, XML
    that declares entities or a document type (refused: XML bombs, external entities), or a
    CV with nothing to import. The message names the file and says what to do."""


class JobPostingError(InputValidationError):
    """A file or page holds no readable schema.org ``JobPosting``: not JSON-LD, malformed
    JSON, no ``JobPosting`` object, or one without a title. The message names the file."""


class DocumentError(InputValidationError):
    """A document (a CV or job ad file) cannot be read as text: missing, a folder, of a type
    skilltwin does not read, not what its extension says, encrypted, scanned without a text
    layer, longer than the page limit, damaged or empty.

    The message names the file and says what to do. An :class:`InputValidationError` (so the
    command line prints it on one line and exits with code 2).
    """

    def at(self, *, path: object | None = None, row: int | None = None,
           field: str | None = None) -> DocumentError:
        """The same error, located where not yet known (keeps the type)."""
        located = super().at(path=path, row=row, field=field)
        return DocumentError(located.detail, path=located.path, row=located.row,
                             field=located.field)


class EscoApiError(SkilltwinError):
    """The ESCO Web API answered with an error, or not at all."""


class OversightError(SkilltwinError):
    """An oversight rule was broken (e.g. a decision without a named human reviewer)."""


class AuditLogDamagedError(ConfigurationError):
    """An audit log file cannot be read as a log: not SQLite, empty, a table missing, or a
    damaged page. Distinct from a log that reads but whose chain was tampered with.

    The command line exits with :attr:`exit_code` (3) for it.
    """

    exit_code = 3


class StoreError(SkilltwinError):
    """The store's database cannot be reached or read (see ``skilltwin.store``)."""
