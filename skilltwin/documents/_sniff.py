"""What a file is, from its first bytes (not its name), and what its extension promises."""

from __future__ import annotations

import io
import re
import zipfile

__all__ = [
    "EXTENSIONS",
    "REFUSED_EXTENSIONS",
    "SUPPORTED",
    "Kind",
    "describe",
    "sniff",
]

Kind = str  # one of the keys of _NAMES

# Readable kinds: what skilltwin reads them as.
SUPPORTED = {"pdf": "pdf", "docx": "docx", "html": "html", "text": "text"}

#: File extensions skilltwin reads, and the format each promises.
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "text", ".markdown": "text",
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
#: Extensions of document types people send that skilltwin does not read, with what they are.
REFUSED_EXTENSIONS = {
    ".doc": "old Word documents", ".docm": "Word documents with macros",
    ".dot": "Word templates", ".dotx": "Word templates",
    ".odt": "OpenDocument text", ".rtf": "Rich Text Format", ".pages": "Apple Pages",
    ".wpd": "WordPerfect", ".xls": "Excel", ".xlsx": "Excel", ".ods": "OpenDocument spreadsheets",
    ".ppt": "PowerPoint", ".pptx": "PowerPoint", ".odp": "OpenDocument presentations",
    ".epub": "e-books", ".jpg": "images", ".jpeg": "images", ".png": "images",
    ".gif": "images", ".tif": "images", ".tiff": "images", ".bmp": "images", ".webp": "images",
    ".heic": "images", ".zip": "zip archives", ".msg": "Outlook messages",
    ".eml": "e-mail messages",
}

_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word (.docx) file",
    "html": "an HTML page",
    "text": "plain text",
    "odt": "an OpenDocument text (.odt) file",
    "xlsx": "an Excel (.xlsx) file",
    "pptx": "a PowerPoint (.pptx) file",
    "opendocument": "an OpenDocument file",
    "epub": "an e-book (EPUB)",
    "zip": "a zip archive",
    "office-encrypted": "a password-protected (encrypted) Office file",
    "ole": "an old Microsoft Office file (.doc, .xls or .ppt)",
    "rtf": "an RTF file",
    "image": "an image",
    "binary": "a binary file of an unknown type",
    "empty": "an empty file",
}

_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*",
           b"BM")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|div|p|table|ul|h[1-6])[\s>/]",
                   re.IGNORECASE)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(data: bytes) -> Kind:
    """The kind of file ``data`` is, from its content."""
    if not data.strip():
        return "empty"
    header = data.find(b"%PDF-", 0, 1024)
    # Readers accept junk before the header; a text that merely quotes it has no end marker.
    if header == 0 or (header > 0 and b"%%EOF" in data[-4096:]):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE):
        return "office-encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "ole"
    if data.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(_UTF16_BOMS):
        return "text"
    if b"\x00" in data[:8192]:
        return "binary"
    return "html" if _HTML.search(data[:4096]) else "text"


def describe(kind: Kind) -> str:
    """The kind in words (``"a Word (.docx) file"``)."""
    return _NAMES.get(kind, kind)


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = (archive.read("mimetype").decode("ascii", "replace").strip()
                        if "mimetype" in names else "")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    if mimetype == "application/vnd.oasis.opendocument.text":
        return "odt"
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        return "opendocument"
    if mimetype == "application/epub+zip":
        return "epub"
    return "zip"
