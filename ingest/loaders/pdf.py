"""PDF files through pypdf: the text layer, page by page.

Scanned regulations are common; they have no text layer and must be OCR'd before they can
be indexed, which the error message says rather than indexing an empty document.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, WrongPasswordError

from ingest.documents import LoadError, SourceDocument
from ingest.loaders.base import (
    path_doc_id,
    readable_stem,
    relative_path,
    short_first_line,
)

logger = logging.getLogger(__name__)

# Page numbers printed as "- 3 -" in Indonesian regulations would otherwise split sentences.
_PAGE_NUMBER = re.compile(r"^\s*-\s*\d+\s*-\s*$", re.MULTILINE)
# Producer-generated titles that say nothing about the document.
_USELESS_TITLE = re.compile(r"^(untitled|microsoft word\b|document\d*$|\s*$)", re.IGNORECASE)


def load_pdf(path: Path, root: Path) -> list[SourceDocument]:
    display = relative_path(path, root)
    # pypdf logs a warning for every quirk of real-world PDFs; only failures matter here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path, display)
        pages = _page_texts(reader, display)
        meta_title = _metadata_title(reader)

    text = "\n\n".join(page for page in pages if page)
    if not text.strip():
        raise LoadError(display, "PDF has no text layer (scanned image?); OCR it first")
    return [
        SourceDocument(
            doc_id=path_doc_id(path, root),
            title=meta_title or short_first_line(text, min_words=2) or readable_stem(path),
            text=text,
            path=display,
            format="pdf",
        )
    ]


def _open(path: Path, display: str) -> PdfReader:
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(display, "PDF is password-protected; save an unprotected copy")
        if not reader.pages:
            raise LoadError(display, "PDF has no pages")
    except LoadError:
        raise
    except (DependencyError, FileNotDecryptedError, WrongPasswordError) as exc:
        raise LoadError(display, "PDF is encrypted; save an unprotected copy") from exc
    except Exception as exc:
        # pypdf raises many exception types on damaged files (PdfReadError, ValueError,
        # KeyError, ...); to an admin they all mean the same thing.
        logger.debug("pypdf could not open %s", display, exc_info=True)
        raise LoadError(display, "not a readable PDF (file is damaged or encrypted)") from exc
    return reader


def _page_texts(reader: PdfReader, display: str) -> list[str]:
    texts: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            raw = page.extract_text() or ""
        except Exception:
            # One broken page should not cost the rest of a long regulation.
            logger.warning("%s: skipped page %d, its text could not be extracted", display, number)
            continue
        texts.append(_PAGE_NUMBER.sub("", raw).strip())
    return texts


def _metadata_title(reader: PdfReader) -> str:
    try:
        title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception:
        return ""
    title = " ".join(str(title).split())
    return "" if _USELESS_TITLE.match(title) else title
