"""Text for scanned pages: rasterise with pypdfium2, read with Tesseract (Indonesian model).

Tesseract is a Debian package (`tesseract-ocr`, `tesseract-ocr-ind`; `make ocr` installs
them), called as a subprocess. OCR takes seconds per page, so every page reports progress
through a `PageCallback` ("halaman 3/12"), and results are cached by file content under the
data directory: a re-ingest (a rebuild, a new chunker version, the upload check followed by
the upload itself) reads a scan once.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from replikasi.files import write_atomically
from replikasi.records import MetaKey

log = logging.getLogger(__name__)

# Tesseract's automatic page segmentation: on skewed, faded scans of the test regulation it
# read 5x fewer characters wrong than "single column" (psm 4), at the same speed.
_PAGE_SEGMENTATION = "3"

# Metadata key on documents: how many pages were read by OCR (absent when none).
OCR_PAGES = MetaKey.OCR_PAGES  # its one owner is replikasi.records.MetaKey


@dataclass(frozen=True)
class OcrSettings:
    """How scanned pages are read (from `Settings`: OCR_ENABLED, OCR_LANGUAGES, ...)."""

    enabled: bool = True
    languages: str = "ind"
    dpi: int = 300
    page_timeout_seconds: float = 180.0
    cache_dir: Path | None = None


@dataclass(frozen=True)
class PageProgress:
    """One page of a file has been read by OCR: `page` of `pages` (1-based)."""

    path: str  # the file, as shown to the admin (relative to the knowledge folder)
    page: int
    pages: int


PageCallback = Callable[[PageProgress], None]


class OcrUnavailable(Exception):
    """OCR cannot run here; the message says what to install or change."""


def check_ocr(settings: OcrSettings) -> None:
    """Raise OcrUnavailable with an actionable sentence when scanned pages cannot be read."""
    if not settings.enabled:
        raise OcrUnavailable("OCR is turned off (OCR_ENABLED=false)")
    missing = _missing_languages(settings.languages)
    if missing is None:
        raise OcrUnavailable(
            "OCR is not installed: install Tesseract with its Indonesian model "
            "(`make ocr`, or apt-get install tesseract-ocr tesseract-ocr-ind)"
        )
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OcrUnavailable(f"the OCR language model is missing: apt-get install {packages}")


@lru_cache(maxsize=8)
def _missing_languages(languages: str) -> tuple[str, ...] | None:
    """The requested languages Tesseract lacks; None when Tesseract itself is missing."""
    if shutil.which("tesseract") is None:
        return None
    try:
        listed = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    available = {line.strip() for line in listed.splitlines()[1:]}
    return tuple(lang for lang in languages.split("+") if lang and lang not in available)


def ocr_pages(
    path: Path,
    page_indexes: list[int],
    settings: OcrSettings,
    *,
    display: str,
    on_page: PageCallback | None = None,
) -> dict[int, str]:
    """OCR text of the given (0-based) pages of the PDF at `path`."""
    import pypdfium2 as pdfium

    check_ocr(settings)
    digest = _file_digest(path)
    texts: dict[int, str] = {}
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise OcrUnavailable(f"its pages cannot be rendered for OCR ({exc})") from exc
    try:
        total = len(document)
        for done, index in enumerate(page_indexes, start=1):
            cached = _cache_read(settings, digest, index)
            if cached is None:
                try:
                    page = document[index].render(scale=settings.dpi / 72, grayscale=True)
                except pdfium.PdfiumError as exc:
                    raise OcrUnavailable(f"page {index + 1} cannot be rendered ({exc})") from exc
                cached = _tesseract(page.to_pil(), settings)
                _cache_write(settings, digest, index, cached)
            texts[index] = cached
            if on_page is not None:
                on_page(PageProgress(path=display, page=index + 1, pages=total))
            log.debug("%s: OCR page %d/%d (%d of %d scanned pages)", display, index + 1, total,
                      done, len(page_indexes))  # fmt: skip
    finally:
        document.close()
    return texts


def _tesseract(image: object, settings: OcrSettings) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    # One thread per page: the machine is shared, and pages are read one after another.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", settings.languages, "--psm", _PAGE_SEGMENTATION],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=settings.page_timeout_seconds,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrUnavailable(
            f"OCR of a page took longer than {settings.page_timeout_seconds:.0f} s "
            "(OCR_PAGE_TIMEOUT_SECONDS)"
        ) from exc
    except OSError as exc:
        raise OcrUnavailable(f"Tesseract could not be started ({exc})") from exc
    if result.returncode != 0:
        problem = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrUnavailable(f"Tesseract failed: {problem[-1] if problem else 'no message'}")
    return result.stdout.decode("utf-8", "replace")


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_path(settings: OcrSettings, digest: str, index: int) -> Path | None:
    if settings.cache_dir is None:
        return None
    params = f"{settings.languages}-{settings.dpi}-psm{_PAGE_SEGMENTATION}"
    return settings.cache_dir / digest[:2] / f"{digest}-{params}-p{index + 1}.txt"


def _cache_read(settings: OcrSettings, digest: str, index: int) -> str | None:
    path = _cache_path(settings, digest, index)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _cache_write(settings: OcrSettings, digest: str, index: int, text: str) -> None:
    path = _cache_path(settings, digest, index)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, text.encode("utf-8"), prefix=".ocr-")
    except OSError:
        log.warning("Could not cache OCR text in %s", path.parent, exc_info=True)
