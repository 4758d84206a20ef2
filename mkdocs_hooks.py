"""MkDocs hooks: put the example notebooks and the company taxonomy format into the site.

The notebooks (``examples/*.ipynb``) and ``taxonomies/company/`` live outside ``docs/`` so that
they are usable from a clone; this hook adds them to the site under the same paths and rewrites
the ``../examples/...`` and ``../taxonomies/...`` links of the docs pages to match. The
notebooks are executed at build time by mkdocs-jupyter with matplotlib's inline backend, so
their plots are part of the pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent
OUTSIDE_DOCS = ("examples/*.ipynb", "taxonomies/company/*")
_LINK_UP = re.compile(r"\]\(\.\./((?:examples|taxonomies)/[^)]*)\)")


def on_config(config: Any) -> Any:
    """Notebook kernels inherit the environment: draw figures as inline PNG outputs."""
    os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    return config


@event_priority(100)  # before mkdocs-jupyter turns notebooks into pages
def on_files(files: Files, config: Any) -> Files:
    """Add the files from outside ``docs/`` under their repository paths."""
    for pattern in OUTSIDE_DOCS:
        for path in sorted(ROOT.glob(pattern)):
            files.append(File(path.relative_to(ROOT).as_posix(), src_dir=str(ROOT),
                              dest_dir=config["site_dir"],
                              use_directory_urls=config["use_directory_urls"]))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """``../examples/x`` from a top-level docs page becomes ``examples/x`` on the site."""
    if "/" in page.file.src_uri:
        return markdown
    return _LINK_UP.sub(r"](\1)", markdown)
