"""The load step of an ingest: every file under the roots, read into documents or refused.

What is refused, each with one sentence for the admin:
- links leading out of the knowledge folder (`passwd.txt -> /etc/passwd`): never read;
- text files far too big for one document (checked from their size, before reading);
- files a loader cannot read, including loader failures nobody anticipated: those are said
  in words ("the Word document is damaged …"), without traceback or absolute paths, and the
  details go to the debug log.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.documents import LoadError, SourceDocument
from ingest.loaders import LoadOptions, discover_files, load_file
from ingest.loaders.limits import check_text_volume
from replikasi.index import IndexedDocument

log = logging.getLogger(__name__)

_KIND_OF = {
    ".docx": "Word document",
    ".pdf": "PDF",
    ".html": "web page",
    ".htm": "web page",
    ".csv": "CSV catalogue",
    ".json": "JSON catalogue",
    ".yaml": "YAML catalogue",
    ".yml": "YAML catalogue",
}
_ABSOLUTE_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][\w.\-~ ]+){2,}")


@dataclass
class LoadedSources:
    documents: list[SourceDocument] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    # Source files that failed to load: their previously indexed documents are kept.
    failed_sources: set[str] = field(default_factory=set)
    scanned_files: set[str] = field(default_factory=set)
    scanned_dirs: list[str] = field(default_factory=list)
    # Targets of links that lead out of the folder: documents once read through them go.
    refused_sources: set[str] = field(default_factory=set)
    source_of: dict[str, str] = field(default_factory=dict)  # doc id -> resolved file path

    def in_scope(self, doc: IndexedDocument) -> bool:
        """Was this document's source among what was scanned (so its absence means removal)?"""
        if doc.source_path in self.scanned_files or doc.source_path in self.refused_sources:
            return True
        return any(doc.source_path.startswith(d.rstrip("/") + "/") for d in self.scanned_dirs)


def load_sources(
    roots: Sequence[Path],
    *,
    knowledge_dir: Path,
    max_chunks: int,
    options: LoadOptions | None = None,
) -> LoadedSources:
    """Every supported file under `roots`, read with `options` (OCR of scanned pages)."""
    loaded = LoadedSources()
    seen: dict[str, str] = {}
    knowledge = knowledge_dir.resolve()
    for root in roots:
        base = root if root.is_dir() else root.parent
        if root.absolute().is_relative_to(knowledge_dir.absolute()):
            # Ids as an ingest of the whole folder gives them: `web/page.html`, not `page.html`.
            # (absolute(), not resolve(): a link must still be seen as one.)
            root, base = root.absolute(), knowledge_dir.absolute()
        if root.is_dir():
            loaded.scanned_dirs.append(str(root.resolve()))
        try:
            files = discover_files([root])
        except LoadError as exc:
            loaded.failed.append((exc.path, exc.reason))
            continue
        read_here: set[str] = set()
        # Files before links to them: a link to a file of the folder is not read twice.
        for path in sorted(files, key=lambda p: _through_link(p, base)):
            source = str(path.resolve())
            display = path.relative_to(base).as_posix()
            if _leads_outside(path, base, knowledge):
                loaded.failed.append(
                    (
                        display,
                        "is a link to a file outside the knowledge folder, so it was not read; "
                        "copy the file into the folder instead",
                    )
                )
                loaded.refused_sources.add(source)
                continue
            if source in read_here:
                continue  # a link to a file of this folder that is read anyway
            read_here.add(source)
            loaded.scanned_files.add(source)
            try:
                check_text_volume(path, display, max_chunks)
                docs = load_file(path, base, options)
            except LoadError as exc:
                loaded.failed.append((exc.path, exc.reason))
                loaded.failed_sources.add(source)
                continue
            except Exception as exc:  # a loader bug must not sink the whole ingest
                log.debug("Unexpected error loading %s", path, exc_info=exc)
                loaded.failed.append((display, unexpected_reason(path, exc)))
                loaded.failed_sources.add(source)
                continue
            for doc in docs:
                if doc.doc_id in seen:
                    loaded.failed.append(
                        (display, f"duplicate id '{doc.doc_id}' (also in {seen[doc.doc_id]})")
                    )
                    continue
                seen[doc.doc_id] = display
                loaded.source_of[doc.doc_id] = source
                loaded.documents.append(doc)
    return loaded


def _leads_outside(path: Path, base: Path, knowledge: Path) -> bool:
    """A link (the file or a folder on the way to it) whose target is outside both the
    folder being read and the knowledge folder."""
    if not _through_link(path, base):
        return False
    target = path.resolve()
    return not (target.is_relative_to(base.resolve()) or target.is_relative_to(knowledge))


def _through_link(path: Path, base: Path) -> bool:
    current = path
    while True:
        if current.is_symlink():
            return True
        if current == base or current.parent == current:
            return False
        current = current.parent


def unexpected_reason(path: Path, exc: BaseException) -> str:
    """One sentence for a failure no loader anticipated, with no absolute path in it."""
    kind = _KIND_OF.get(path.suffix.lower(), "file")
    if isinstance(exc, RecursionError):
        return f"the {kind} is nested too deeply to read; save it again in a simpler form"
    if isinstance(exc, MemoryError):
        return f"the {kind} needs more memory to read than this server has; split it"
    if type(exc).__name__ == "XMLSyntaxError":  # lxml, inside Word files
        return (
            f"the {kind} is damaged (its content is not valid XML); open it in the program "
            "that made it and save it again"
        )
    detail = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    detail = _ABSOLUTE_PATH.sub(lambda m: os.path.basename(m.group().rstrip("/\\")), detail)
    detail = detail.rstrip(".")[:160] or type(exc).__name__
    return (
        f"the {kind} could not be read ({detail}); open it and save it again, or convert it "
        "to another supported format"
    )
