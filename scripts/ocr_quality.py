"""Measure OCR on a scan of the test regulation: character error rate and seconds per page.

    .venv/bin/python -m scripts.ocr_quality [--dpi 300] [--scan-dpi 200] [--harsh]

Builds the born-digital PDF and its scan (tests/regulation_fixtures.py), loads both through
the real loaders (the scan through Tesseract), and compares the texts after the same
normalisation the chunker applies: CER = edit distance / reference length, with whitespace
collapsed. Also reports whether the scan yields the same section paths as the PDF.
"""

from __future__ import annotations

import argparse
import difflib
import tempfile
import time
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.loaders import LoadOptions, load_file
from ingest.ocr import OCR_PAGES, OcrSettings
from ingest.regulation_text import normalise_regulation_text
from tests.regulation_fixtures import PERWAL, write_pdf, write_scan


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Edit distance over the reference length, aligned word by word first (fast)."""
    ref_words, hyp_words = reference.split(), hypothesis.split()
    errors = 0
    matcher = difflib.SequenceMatcher(None, ref_words, hyp_words, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        errors += edit_distance(" ".join(ref_words[i1:i2]), " ".join(hyp_words[j1:j2]))
    return errors / max(1, len(" ".join(ref_words)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=300, help="rasterisation for OCR")
    parser.add_argument("--scan-dpi", type=int, default=200, help="resolution of the scan")
    parser.add_argument("--harsh", action="store_true", help="a poor copy: skew, faded, JPEG")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = write_pdf(folder / f"{PERWAL}.pdf")
        scan = write_scan(pdf, folder / f"{PERWAL}-scan.pdf", dpi=args.scan_dpi, harsh=args.harsh)
        born = load_file(pdf, folder)[0]
        options = LoadOptions(ocr=OcrSettings(dpi=args.dpi))
        started = time.perf_counter()
        scanned = load_file(scan, folder, options)[0]
        seconds = time.perf_counter() - started
    pages = int(scanned.metadata.get(OCR_PAGES, 0))
    reference = normalise_regulation_text(born.text)
    cer = character_error_rate(reference, normalise_regulation_text(scanned.text))
    born_paths = [c.section for c in chunk_document(born)]
    scan_paths = [c.section for c in chunk_document(scanned)]
    same = sum(1 for path in born_paths if path in scan_paths)
    print(f"pages OCR'd:        {pages}")
    print(f"seconds per page:   {seconds / max(1, pages):.2f} (OCR at {args.dpi} dpi)")
    print(f"CER:                {cer:.2%} over {len(reference)} characters")
    print(f"title:              {scanned.title}")
    print(f"section paths:      {same}/{len(born_paths)} of the born-digital PDF's found")
    for path in born_paths:
        if path not in scan_paths:
            print(f"  missing: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
