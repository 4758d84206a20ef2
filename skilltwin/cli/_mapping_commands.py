"""The ``map-skills`` and ``map-occupations`` commands: one JSON object per input line.

Output contract (other tools depend on it): for every input line, in input order, exactly one
line ``{"text": "...", "matches": [{"uri": "...", "label": "...", "score": 0.83}, ...]}`` on
stdout; an empty line gives ``"matches": []``. Progress and warnings go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from skilltwin._validation import check_input_file
from skilltwin.cli._common import add_esco_argument, load_taxonomy, positive_count, print_json
from skilltwin.cli._outofcore_commands import add_map_table_arguments, is_table, run_map_table
from skilltwin.errors import ConfigurationError

__all__ = [
    "add_model_arguments", "add_parsers", "read_lines", "run_map_occupations", "run_map_skills",
]

_BATCH = 512  # lines mapped (and written) together


def add_parsers(subparsers: Any) -> None:
    """Register ``map-skills`` and ``map-occupations``."""
    for name, noun, handler in (
        ("map-skills", "ESCO skills", run_map_skills),
        ("map-occupations", "ESCO occupations", run_map_occupations),
    ):
        parser = subparsers.add_parser(
            name,
            help=f"map text lines to {noun} (JSON Lines out)",
            description=f"Read one text per line (UTF-8) and write, for each line in order, "
            f'one JSON object {{"text": ..., "matches": [{{"uri", "label", "score"}}, ...]}} '
            f"with its best {noun}. An empty line gives an empty match list.",
        )
        add_esco_argument(parser)
        parser.add_argument("--top-k", type=positive_count, default=10, metavar="K",
                            help="matches per line (default 10)")
        add_model_arguments(parser)
        add_map_table_arguments(parser)
        parser.set_defaults(handler=handler)


def add_model_arguments(parser: argparse.ArgumentParser) -> None:
    """``--model`` and ``--backend``: which embedding model maps the text, and how it runs."""
    parser.add_argument(
        "--model", default=None, metavar="NAME_OR_PATH",
        help="'minilm' (English), 'multilingual' (use and e5 combined: Dutch and other "
             "languages; with an English --esco it maps them cross-lingually), 'use' (faster, "
             "16 languages), 'e5', or the folder of a local sentence-transformers model "
             "(default: minilm for --language en, multilingual otherwise)")
    parser.add_argument(
        "--backend", choices=("auto", "torch", "onnx"), default="auto",
        help="run sentence-transformers models with ONNX Runtime (int8, faster, no PyTorch "
             "once exported from the local weights) or PyTorch (default auto: ONNX Runtime "
             "where it can run the model)")


def run_map_skills(args: argparse.Namespace) -> int:
    """Map each input line (or each text of an --in table) to ESCO skills."""
    if is_table(args):
        return run_map_table(args, "skill")
    return _run(args, "skill")


def run_map_occupations(args: argparse.Namespace) -> int:
    """Map each input line (a job title; or each text of an --in table) to ESCO occupations."""
    if is_table(args):
        return run_map_table(args, "occupation")
    return _run(args, "occupation")


def read_lines(stream: BinaryIO, source: str) -> Iterator[str]:
    """Decode ``stream`` line by line as UTF-8 (a leading byte-order mark is ignored)."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ConfigurationError(
                f"{source}, line {number}: not valid UTF-8 ({exc.reason} at byte {exc.start}). "
                "Convert the input to UTF-8, e.g. `iconv -f latin1 -t utf-8`."
            ) from None
        yield line.rstrip("\r\n")


def _run(args: argparse.Namespace, kind: str) -> int:
    from skilltwin.mapping import SkillMapper

    if args.in_file is not None:  # before the slow part: a wrong path fails at once
        check_input_file(args.in_file, what="--in file")
    taxonomy, _ = load_taxonomy(args)
    mapper = SkillMapper(taxonomy, model=args.model, backend=args.backend)
    run = mapper.map_skills if kind == "skill" else mapper.map_occupations
    if args.in_file is None:
        _map_stream(sys.stdin.buffer, "stdin", run, args.top_k)
        return 0
    try:
        stream = args.in_file.open("rb")
    except OSError as exc:
        raise ConfigurationError(
            f"Cannot read --in {args.in_file}: {exc.strerror}. Give a readable text file, "
            "or pipe the lines to stdin."
        ) from None
    with stream:
        _map_stream(stream, str(args.in_file), run, args.top_k)
    return 0


def _map_stream(stream: BinaryIO, source: str, run: Any, top_k: int) -> None:
    batch: list[str] = []
    for line in read_lines(stream, source):
        batch.append(line)
        if len(batch) == _BATCH:
            _write(batch, run(batch, top_k))
            batch = []
    if batch:
        _write(batch, run(batch, top_k))


def _write(texts: list[str], results: list[Any]) -> None:
    for text, matches in zip(texts, results, strict=True):
        print_json({
            "text": text,
            "matches": [{"uri": m.uri, "label": m.label, "score": m.score} for m in matches],
        })
    sys.stdout.flush()

