"""``load_esco``: the official ESCO CSV download in, a :class:`Taxonomy` out."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable

from skilltwin._validation import check_list, check_path, check_version
from skilltwin.errors import ConfigurationError, InputValidationError
from skilltwin.taxonomy._cache import cache_path, read_cache, write_cache
from skilltwin.taxonomy._esco_csv import parse_esco
from skilltwin.taxonomy._load_checks import check_parsed
from skilltwin.taxonomy._sources import CsvSources, PathLike, find_sources
from skilltwin.taxonomy.taxonomy import Taxonomy

__all__ = ["load_esco"]

_PATH_HINT = "Pass the folder or zip file(s) of the ESCO CSV download."
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]+)?$")


def load_esco(
    path: PathLike | Iterable[PathLike],
    language: str = "en",
    *,
    fallback_language: str | None = "en",
    version: str | None = None,
    use_cache: bool = True,
) -> Taxonomy:
    """Load ESCO from its official CSV download.

    Args:
        path: A folder, a zip file, a CSV file, or several of them, exactly as the European
            Commission publishes them; folders are searched for zips and loose CSV files alike.
            ESCO v1.1.x ships the relations in a separate language-independent zip (pass both
            zips, or the folder holding them); v1.2.x puts ``*_{language}.csv`` relation files
            in the language zip. For another language pass its files too, e.g.
            ``load_esco(["esco/v1.1.1", "esco/v1.1.1-nl"], language="nl")``.
        language: Which ``*_{language}.csv`` files to read (``"en"``, ``"nl"``, ``"fr"``, ...).
            Without ``skills_{language}.csv`` the skill collection files of that language
            label the skills they hold.
        fallback_language: The language whose labels a concept gets when the ``language``
            files do not describe it (default English), so no concept is left without a label;
            ``Taxonomy.coverage`` counts how many concepts have a label in ``language`` and a
            warning names what fell back. Labels in both languages resolve in look-ups.
            ``None`` reads ``language`` only.
        version: The release (``"v1.1.1"``); by default read from the file or folder names.
        use_cache: Reuse (and write) the parsed taxonomy in the user's cache directory
            (``$SKILLTWIN_CACHE_DIR`` to move it). The cache is keyed by a SHA-256 of the input
            files, the language and the fallback language, so a changed download is parsed
            again.

    Raises:
        TaxonomyLoadError: the download is missing, incomplete or damaged (a required file is
            empty or truncated, or relations refer to concepts no file describes), or holds no
            files of ``language``; the message names the file (and row) and says what to do.
            Exact duplicate relation rows are dropped with a warning that counts them.
        InputValidationError: ``version`` is not a short version text such as ``"v1.1.1"``.
    """
    for name, code in (("language", language),
                       ("fallback_language", fallback_language or language)):
        if not isinstance(code, str) or not _LANGUAGE.match(code):
            raise ConfigurationError(
                f"{name} must be an ESCO language code such as 'en' or 'nl', not {code!r}."
            )
    fallback = fallback_language or language
    if version is not None:
        version = check_version(version, "version")
    if isinstance(path, (str, os.PathLike)):
        check_path(path, what="ESCO download")
    else:
        for item in check_list(path, "path", hint=_PATH_HINT):
            check_path(item, what="ESCO download")
    sources = find_sources(path)
    resolved_version = version or _guessed_version(sources)
    location = None
    if use_cache:
        location = cache_path(f"{sources.fingerprint()}-{resolved_version}", language, fallback)
        cached = read_cache(location)
        if cached is not None:
            return _reported(Taxonomy(cached))
    data = parse_esco(sources, language, resolved_version, fallback)
    check_parsed(data, sources)
    data.source = ", ".join(str(c) for c in sources.containers)
    taxonomy = Taxonomy(data)  # builds the label index, which the cache then keeps
    if location is not None:
        try:
            write_cache(location, data, [str(c) for c in sources.containers])
        except OSError as exc:  # a read-only cache (a team's shared one): parse next time too
            warnings.warn(f"The parsed taxonomy could not be cached in {location.parent} "
                          f"({exc.strerror}); it is parsed again next time. Set "
                          "SKILLTWIN_CACHE_DIR to a folder you can write.", stacklevel=2)
    return _reported(taxonomy)


def _reported(taxonomy: Taxonomy) -> Taxonomy:
    """``taxonomy``, after warning about concepts that have no label in its language."""
    message = taxonomy.coverage_report()
    if message:
        warnings.warn(message, stacklevel=3)
    return taxonomy


def _guessed_version(sources: CsvSources) -> str:
    try:
        return check_version(sources.guess_version() or "unknown")
    except InputValidationError:  # a file name with an absurd version number
        return "unknown"
