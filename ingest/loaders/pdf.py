"""PDF files through pypdf: the text layer, page by page; OCR for pages without one.

Scanned regulations are common on JDIH portals: a page without a text layer is read with
Tesseract (`ingest.ocr`), page by page with progress. Without Tesseract, a scan is refused
with a message saying what to install rather than indexing an empty document. Page numbers
and running headers and footers are removed (`ingest.loaders.pages`).
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
    LoadOptions,
    path_doc_id,
    readable_stem,
    relative_path,
    short_first_line,
)
from ingest.loaders.pages import join_pages
from ingest.ocr import OCR_PAGES, OcrUnavailable, ocr_pages
from ingest.regulation import as_regulation

logger = logging.getLogger(__name__)

# A page with less text than this has no real text layer (a scan, maybe with a stamp).
_MIN_PAGE_CHARS = 20
# Producer-generated titles that say nothing about the document.
_USELESS_TITLE = re.compile(r"^(untitled|microsoft word\b|document\d*$|\s*$)", re.IGNORECASE)


def load_pdf(path: Path, root: Path, options: LoadOptions | None = None) -> list[SourceDocument]:
    options = options or LoadOptions()
    display = relative_path(path, root)
    # pypdf logs a warning for every quirk of real-world PDFs; only failures matter here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path, display)
        pages = _page_texts(reader, display)
        meta_title = _metadata_title(reader)

    scanned = [i for i, page in enumerate(pages) if len(page.strip()) < _MIN_PAGE_CHARS]
    ocr_count = 0
    if scanned:
        try:
            read = ocr_pages(path, scanned, options.ocr, display=display, on_page=options.on_page)
        except OcrUnavailable as exc:
            if len(scanned) == len(pages):
                raise LoadError(display, f"PDF has no text layer (a scan) and {exc}") from exc
            logger.warning("%s: %d scanned page(s) skipped: %s", display, len(scanned), exc)
        else:
            for index, text in read.items():
                pages[index] = text
            ocr_count = sum(1 for text in read.values() if text.strip())
    text = join_pages(pages)
    if not text.strip():
        raise LoadError(
            display,
            "PDF has no text layer and OCR found no readable text in it "
            "(blank pages or a poor scan; scan it again at 300 dpi)",
        )
    document = SourceDocument(
        doc_id=path_doc_id(path, root),
        title=meta_title or short_first_line(text, min_words=2) or readable_stem(path),
        text=text,
        path=display,
        format="pdf",
        metadata={OCR_PAGES: ocr_count} if ocr_count else {},
    )
    return [as_regulation(document)]


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
            raw = ""
        texts.append(raw.strip())
    return texts


def _metadata_title(reader: PdfReader) -> str:
    try:
        title = (reader.metadata.title if reader.metadata else None) or ""
    except Exception:
        return ""
    title = " ".join(str(title).split())
    return "" if _USELESS_TITLE.match(title) else title
