"""Layer 1 (beside the taxonomy): CV and job-ad files read as text, with where each part came
from.

:func:`read_document` reads plain text, PDF, Word .docx and HTML files into a
:class:`Document`: the text, and the page (PDF) and paragraph of every part of it, so that a
span found in the text (a skill mention) can be traced back to the file. It knows no domain
type; twins, profiles and the ``skilltwin extract`` command build on it. PDF and Word need the
``documents`` extra. See docs/user-guide.md, "From a folder of CVs".
"""

from skilltwin.documents.document import Document, DocumentFormat, DocumentPart, Location
from skilltwin.documents.reader import (
    DEFAULT_MAX_PAGES,
    SUPPORTED_EXTENSIONS,
    DocumentWarning,
    as_document,
    document_from_bytes,
    read_document,
)

__all__ = [
    "DEFAULT_MAX_PAGES",
    "SUPPORTED_EXTENSIONS",
    "Document",
    "DocumentFormat",
    "DocumentPart",
    "DocumentWarning",
    "Location",
    "as_document",
    "document_from_bytes",
    "read_document",
]
