"""The ``extract`` command: the skills each CV or job-ad file names, one JSON object per mention.

Output contract: for every FILE, in the order given, one line per mention on stdout, in document
order::

    {"file": "cv.pdf", "start": 120, "end": 134, "text": "SQL and Python", "page": 2,
     "paragraph": 3, "uri": "http://data.europa.eu/esco/skill/...", "label": "SQL",
     "score": 0.91}

``start``/``end`` are offsets in the document's text as skilltwin reads it (``text`` is that
stretch); ``page`` is ``null`` for formats without pages; ``uri``, ``label`` and ``score`` are
the mention's best match (and ``confidence`` is added when the extractor gives one). ``-``
reads standard input. A file that cannot be read gives one line on stderr naming it; the other
files are still read, and the command exits with 2 at the end. Warnings go to stderr.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skilltwin.cli._common import add_esco_argument, load_taxonomy, positive_count, print_json
from skilltwin.cli._mapping_commands import add_model_arguments
from skilltwin.documents import (
    DEFAULT_MAX_PAGES,
    Document,
    document_from_bytes,
    read_document,
)
from skilltwin.errors import ConfigurationError, SkilltwinError

__all__ = ["add_parsers", "run_extract"]


def add_parsers(subparsers: Any) -> None:
    """Register ``extract``."""
    parser = subparsers.add_parser(
        "extract",
        help="find the ESCO skills CV or job-ad files name (JSON Lines out)",
        description="Read each FILE (plain text, PDF, Word .docx or HTML; '-' reads standard "
        "input) and write one JSON object per skill mention: file, start, end, text, page, "
        "paragraph, uri, label, score. A file that cannot be read is reported on stderr and "
        "skipped; the command then exits with 2 after the other files.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="CV or job-ad files ('-' for standard input)")
    add_esco_argument(parser)
    parser.add_argument("--threshold", type=_share, default=None, metavar="X",
                        help="keep mentions whose confidence (a calibrated probability that "
                             "the mention is right) is at least X, from 0 to 1 (default: the "
                             "extractor's threshold, its best F1 on the dev sets)")
    parser.add_argument("--max-pages", type=positive_count, default=DEFAULT_MAX_PAGES, metavar="N",
                        help=f"refuse files of more than N pages (default {DEFAULT_MAX_PAGES})")
    add_model_arguments(parser)
    parser.set_defaults(handler=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    """Extract skills from each file; 2 when any file could not be read, else 0."""
    if args.files.count("-") > 1:
        raise ConfigurationError("'-' (standard input) can be given only once.")
    mapper: Any = None
    failed = 0
    for name in args.files:
        document = _read(name, args.max_pages)
        if document is None:
            failed += 1
            continue
        if mapper is None:  # ESCO and the model load once, and only for a readable file
            mapper = _mapper(args)
        _write(name, document, mapper, args.threshold)
    if failed:
        print(f"skilltwin: {failed} of {len(args.files)} file(s) could not be read; see above.",
              file=sys.stderr)
    return 2 if failed else 0


def _read(name: str, max_pages: int) -> Document | None:
    """The document, or ``None`` after reporting why it cannot be read."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if name == "-":
                document = document_from_bytes(sys.stdin.buffer.read(), name="-",
                                               max_pages=max_pages)
            else:
                document = read_document(Path(name), max_pages=max_pages)
        except SkilltwinError as exc:
            print(f"skilltwin: error: {exc}", file=sys.stderr)
            return None
    for warning in caught:
        print(f"skilltwin: warning: {warning.message}", file=sys.stderr)
    return document


def _mapper(args: argparse.Namespace) -> Any:
    from skilltwin.mapping import SkillMapper

    taxonomy, _ = load_taxonomy(args)
    return SkillMapper(taxonomy, model=args.model, backend=args.backend)


def _write(name: str, document: Document, mapper: Any, threshold: float | None) -> None:
    for mention in mapper.extract_skills(document.text, threshold=threshold):
        location = document.locate(mention.start, mention.end)
        best = mention.best
        line: dict[str, Any] = {
            "file": name, "start": mention.start, "end": mention.end, "text": mention.text,
            "page": location.page, "paragraph": location.paragraph,
            "uri": best.uri, "label": best.label, "score": best.score,
        }
        if mention.confidence is not None:
            line["confidence"] = mention.confidence
        print_json(line)
    sys.stdout.flush()


def _number(kind: Callable[[str], Any], value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {value!r}") from None


def _share(value: str) -> float:
    number = float(_number(float, value))
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, not {value!r}")
    return number

