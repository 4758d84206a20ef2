"""``skilltwin index build``: prepare the taxonomy embeddings ahead of the first mapping.

A team runs it once on a shared cache folder (``SKILLTWIN_CACHE_DIR``), which may then be
read-only for everyone else: mapping finds the indexes and the model's ONNX export there and
writes nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from skilltwin.cli._common import add_esco_argument, load_taxonomy, print_json
from skilltwin.cli._mapping_commands import add_model_arguments

__all__ = ["add_parsers"]

_KINDS = {"skill": ("skill",), "occupation": ("occupation",), "both": ("skill", "occupation")}


def add_parsers(subparsers: Any) -> None:
    """Register ``index`` and its sub-command ``build``."""
    index = subparsers.add_parser("index", help="prepare the taxonomy embeddings (indexes)")
    commands = index.add_subparsers(dest="index_command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build", help="build (or find) the skill and occupation indexes in the cache",
        description="Embed every label and description of the taxonomy with the model, as "
                    "the first map-skills or map-occupations would, and keep them in the "
                    "cache folder (SKILLTWIN_CACHE_DIR). Indexes already there are kept.")
    add_esco_argument(build)
    add_model_arguments(build)
    build.add_argument("--kind", choices=tuple(_KINDS), default="both",
                       help="which index to prepare (default both)")
    build.add_argument("--json", action="store_true", help="print one JSON object per index")
    build.set_defaults(handler=_build)


def _build(args: argparse.Namespace) -> int:
    from skilltwin.mapping import EmbeddingIndex, SkillMapper

    taxonomy, _ = load_taxonomy(args)
    # the mapper prepares what mapping reads: the index and the lexical index beside it
    mapper = SkillMapper(taxonomy, model=args.model, backend=args.backend, progress=None)
    encoder = mapper.encoder
    for kind in _KINDS[args.kind]:
        folders = EmbeddingIndex.cache_folders(taxonomy, kind, encoder)  # type: ignore[arg-type]
        present = {name: (folder / "card.json").is_file() for name, folder in folders.items()}
        started = time.perf_counter()
        index = mapper.index(kind)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        cached = {name: {"path": str(folder), "was_cached": present[name],
                         "cached": (folder / "card.json").is_file()}
                  for name, folder in folders.items()}
        report = {
            "kind": kind, "language": taxonomy.language, "model": encoder.name,
            "concepts": len(index.table.uris), "texts": len(index.table.texts),
            "distinct_texts": len(set(index.table.texts)), "seconds": round(seconds, 1),
            "folders": cached,
        }
        if args.json:
            print_json(report)
            continue
        print(f"{kind} index ({taxonomy.language}): {report['concepts']:,} concepts, "
              f"{report['texts']:,} texts ({report['distinct_texts']:,} distinct), "
              f"{seconds:.1f} s")
        for name, folder in cached.items():
            state = ("already cached" if folder["was_cached"] else
                     "built and cached" if folder["cached"] else "built, NOT cached")
            print(f"  {name}: {state} in {folder['path']}")
        sys.stdout.flush()
    return 0
