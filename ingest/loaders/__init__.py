"""Turn knowledge-base files into `SourceDocument`s, whatever their format.

`discover_files` decides which files are part of the knowledge base; `load_file` reads one of
them. Every failure is a `LoadError` whose reason an admin can act on, so one bad upload is
reported and skipped instead of stopping an ingest run with a traceback.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.documents import LoadError, SourceDocument
from ingest.loaders.base import LoadOptions, relative_path
from ingest.loaders.captions import kept_beside, read_caption
from ingest.loaders.catalogue import load_catalogue
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.limits import check_file_limits
from ingest.loaders.markdown import load_markdown, load_plain_text
from ingest.loaders.origins import read_origin
from ingest.loaders.pdf import load_pdf
from replikasi.records import MetaKey

__all__ = ["SUPPORTED_EXTENSIONS", "LoadOptions", "discover_files", "load_file"]

logger = logging.getLogger(__name__)

Loader = Callable[[Path, Path, LoadOptions], list[SourceDocument]]

_LOADERS: dict[str, Loader] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_plain_text,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".csv": load_catalogue,
    ".json": load_catalogue,
    ".yaml": load_catalogue,
    ".yml": load_catalogue,
}
SUPPORTED_EXTENSIONS: tuple[str, ...] = tuple(_LOADERS)

# Formats admins are likely to try, with the conversion that makes them loadable.
_CONVERSION_HINTS = {
    ".doc": "save it as .docx",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".xls": "export it as CSV UTF-8",
    ".xlsx": "export it as CSV UTF-8",
    ".pptx": "export it as PDF",
}


def discover_files(paths: Sequence[Path]) -> list[Path]:
    """The loadable files among `paths`, directories searched recursively, sorted.

    Inside directories, hidden files and folders (`.git`, `.DS_Store`), Office lock files
    (`~$name.docx`) and other formats are skipped quietly: they are not knowledge. A file
    named explicitly is different: the admin asked for it, so a wrong type is an error.
    """
    found: set[Path] = set()
    for given in paths:
        if given.is_dir():
            for candidate in given.rglob("*"):
                relative = candidate.relative_to(given)
                if any(part.startswith((".", "~$")) for part in relative.parts):
                    continue
                if candidate.is_file() and candidate.suffix.lower() in _LOADERS:
                    found.add(candidate)
        elif given.is_file():
            _check_supported(given, str(given))
            found.add(given)
        else:
            raise LoadError(str(given), "no such file or directory")
    return sorted(found)


def load_file(path: Path, root: Path, options: LoadOptions | None = None) -> list[SourceDocument]:
    """Load one file; ids and paths of the documents are relative to `root`.

    An admin's caption (`options.title`, or one saved beside the file with `write_caption`)
    becomes the title of a file's document, whatever the file itself says; the address a
    file was fetched from (`write_origin`) becomes its first source URL. A file an admin
    kept beside another version of its regulation (`keep_beside`) carries no `reg_key`.
    """
    options = options or LoadOptions()
    display = relative_path(path, root)
    _check_supported(path, display)
    if not path.is_file():
        raise LoadError(display, "file not found")
    try:
        if path.stat().st_size == 0:
            raise LoadError(display, "file is empty")
        check_file_limits(path, display)
        documents = _LOADERS[path.suffix.lower()](path, root, options)
        caption = options.title.strip() or read_caption(path)
    except OSError as exc:
        raise LoadError(display, f"cannot read the file ({exc.strerror or exc})") from exc
    if caption and len(documents) == 1 and documents[0].format != "catalogue":
        documents = [dataclasses.replace(documents[0], title=caption)]
    origin = read_origin(path)
    if origin:  # fetched from this address (/tambah): the official page comes first
        documents = [
            dataclasses.replace(
                doc, source_urls=(origin, *(url for url in doc.source_urls if url != origin))
            )
            for doc in documents
        ]
    if kept_beside(path):  # its own document: never a version of another file's regulation
        documents = [_without_version_key(doc) for doc in documents]
    logger.debug("%s: loaded %d document(s)", display, len(documents))
    return documents


def _without_version_key(doc: SourceDocument) -> SourceDocument:
    metadata = {key: value for key, value in doc.metadata.items() if key != MetaKey.REG_KEY}
    return dataclasses.replace(doc, metadata=metadata)


def _check_supported(path: Path, display: str) -> None:
    suffix = path.suffix.lower()
    if suffix in _LOADERS:
        return
    kind = f"'{suffix}'" if suffix else "(no extension)"
    hint = _CONVERSION_HINTS.get(suffix)
    advice = f"; {hint}" if hint else f" (supported: {', '.join(SUPPORTED_EXTENSIONS)})"
    raise LoadError(display, f"unsupported file type {kind}{advice}")
