"""Find the CSV files of an ESCO download in folders and zip archives, as published."""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from skilltwin.errors import TaxonomyLoadError

__all__ = ["CsvFile", "CsvSources", "PathLike", "find_sources"]

PathLike = str | os.PathLike[str]
_VERSION = re.compile(r"v(\d+\.\d+(?:\.\d+)?)", re.IGNORECASE)


@dataclass(frozen=True)
class CsvFile:
    """One CSV file, either loose on disk or a member of a zip archive."""

    name: str
    container: Path
    member: str | None = None

    @property
    def display(self) -> str:
        """Where the file is, in words a user can find it by."""
        return f"{self.container} (member {self.member})" if self.member else str(self.container)

    @contextmanager
    def open_text(self) -> Iterator[IO[str]]:
        """Open the file as UTF-8 text (a byte-order mark is dropped)."""
        if self.member is None:
            with open(self.container, encoding="utf-8-sig", newline="") as handle:
                yield handle
        else:
            with zipfile.ZipFile(self.container) as archive, archive.open(self.member) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


@dataclass(frozen=True)
class CsvSources:
    """The CSV files found under the paths a user passed, by file name."""

    files: dict[str, CsvFile]
    containers: tuple[Path, ...]

    def get(self, name: str) -> CsvFile | None:
        """The file called ``name`` (case-insensitive), if present."""
        return self.files.get(name.lower())

    def fingerprint(self) -> str:
        """A SHA-256 over the bytes of every input container: changes when any file changes."""
        digest = hashlib.sha256()
        for container in self.containers:
            digest.update(container.name.encode())
            with open(container, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()

    def guess_version(self) -> str | None:
        """The ESCO release named in the input paths (``"v1.1.1"``), if any."""
        for container in self.containers:
            for part in reversed(container.parts):
                match = _VERSION.search(part)
                if match:
                    return "v" + match.group(1)
        return None


def find_sources(paths: PathLike | Iterable[PathLike]) -> CsvSources:
    """Collect the CSV files in ``paths``: folders (searched recursively), zips and loose CSVs."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files: dict[str, CsvFile] = {}
    containers: list[Path] = []
    given = [Path(p).expanduser() for p in paths]
    if not given:
        raise TaxonomyLoadError(
            "no path given. Pass the folder or zip file(s) of the ESCO download."
        )
    for path in given:
        if not path.exists():
            raise TaxonomyLoadError(
                "no such file or folder. Pass the folder or the zip file(s) of the ESCO CSV "
                "download (https://esco.ec.europa.eu/en/use-esco/download).",
                path=path,
            )
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for candidate in candidates:
            suffix = candidate.suffix.lower()
            if suffix == ".zip":
                _add_zip(candidate, files, containers)
            elif suffix == ".csv":
                _add(files, CsvFile(candidate.name, candidate))
                containers.append(candidate)
            elif not path.is_dir():
                raise TaxonomyLoadError(
                    "is neither a folder, a .zip nor a .csv file. Pass the ESCO CSV download.",
                    path=candidate,
                )
    return CsvSources(files, tuple(containers))


def _add_zip(path: Path, files: dict[str, CsvFile], containers: list[Path]) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise TaxonomyLoadError(
            f"is not a readable zip archive ({exc}). Download the ESCO CSV zip again.", path=path
        ) from exc
    for member in members:
        _add(files, CsvFile(Path(member).name, path, member))
    containers.append(path)


def _add(files: dict[str, CsvFile], candidate: CsvFile) -> None:
    key = candidate.name.lower()
    if key in files:
        warnings.warn(
            f"{candidate.name} found twice; using {files[key].display} "
            f"and ignoring {candidate.display}.",
            stacklevel=4,
        )
        return
    files[key] = candidate
