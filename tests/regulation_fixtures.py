"""Build the test regulations as an admin would upload them: PDF, DOCX, TXT and a scan.

The source text lives in tests/data/regulations/ (one paragraph per line); the binary files
are generated at test time, never committed:

- PDF: born digital (fpdf2), a running header and a page number on every page, and a page
  break right after a "BAB" line, so the chapter title lands on the next page;
- DOCX: BAB, Bagian and Pasal lines as heading paragraphs, each BAB title its own paragraph,
  the preamble and the signature laid out in tables, and the ayat "(1)" and points "a." of
  the articles numbered automatically (Word's numbering, not typed), as Word users do;
- TXT: the text itself;
- scanned PDF: the PDF's pages rasterised, slightly rotated and noisy, with no text layer.

`python -m tests.regulation_fixtures OUT_DIR` writes all of them for a look by hand.
"""

from __future__ import annotations

import io
import random
import re
import sys
from pathlib import Path

REGULATIONS = Path(__file__).parent / "data" / "regulations"
PERWAL = "perwal-fiktif-3-2026"
SE_BUPATI = "se-bupati-contoh-2025"
PERGUB = "pergub-contoh-12-2025"
PERBUP = "perbup-fiksi-7-2024"
PERDA = "perda-kota-rekaan-2-2023"
KEPWAL = "kepwal-fiktif-45-2026"  # a decree: dictums (KESATU, KEDUA, …) instead of Pasal
PERGUB_UJI = "pergub-uji-5-2026"  # Paragraf, points under points, facts in the Penjelasan
# three more blind authors' regulations, measured unseen before they were split
PERBUP_LEMBAH = "perbup-lembah-14-2026"
PERGUB_TIRTA = "pergub-tirta-9-2026"  # ends with "TAMBAHAN BERITA DAERAH …" after its Penjelasan
PERWAL_KARANGSARI = "perwal-karangsari-8-2026"
PERBUP_SUKAMAJU = "perbup-sukamaju-11-2026"  # Paragraf under a Bagian, three acronyms
PERDA_ANGSANA = "perda-prov-bukit-angsana-7-2026"  # a province's Perda, six acronyms
PERDA_WATU_JAJAR = "perda-kab-watu-jajar-4-2026"  # a regency's Perda, fourteen acronyms
PERWAL_TANJUNG_MAWAR = "perwal-tanjung-mawar-17-2026"  # a Lampiran after the signature

_BAB = re.compile(r"^BAB [IVXLC]+$")
_HEADING = re.compile(r"^(BAB [IVXLC]+|Bagian Ke\w+|Paragraf \d+|Pasal \d+)$")
_PREAMBLE = re.compile(r"^(Menimbang|Mengingat):$")
_SIGNATURE_START = re.compile(r"^(Ditetapkan|Diundangkan) di ")
_INDENTED = re.compile(r"^(\(\d+\)|[a-z]\.|\d+\.)\s")
_AYAT_OR_POINT = re.compile(r"^(\(\d+\)|[a-z]\.)\s+(.*)$")
DIKTUM_LINE = re.compile(r"^(PERTAMA|KE[A-Z]+(?: BELAS)?):\s+(.*)$")


def source_text(name: str = PERWAL) -> str:
    return (REGULATIONS / f"{name}.txt").read_text(encoding="utf-8")


def write_txt(path: Path, name: str = PERWAL) -> Path:
    path.write_text(source_text(name), encoding="utf-8")
    return path


HEADER = "JDIH Kota Fiktif - Peraturan Wali Kota Fiktif Nomor 3 Tahun 2026"


def write_pdf(path: Path, name: str = PERWAL, header: str = HEADER) -> Path:
    from fpdf import FPDF

    class RegulationPdf(FPDF):
        def header(self) -> None:
            if header:
                self.set_font("Helvetica", "I", 9)
                self.cell(0, 6, header, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 6, f"- {self.page_no()} -", align="C")

    pdf = RegulationPdf(format="A4")
    pdf.set_title("(anonymous)")
    pdf.set_margins(25, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    for line in source_text(name).splitlines():
        text = line.strip()
        if not text:
            pdf.ln(3)
            continue
        if dictum := DIKTUM_LINE.match(text):
            text = f"{dictum.group(1)}    :    {dictum.group(2)}"
        heading = bool(_HEADING.match(text)) or text.isupper()
        pdf.set_font("Helvetica", "B" if heading else "", 11)
        if heading and len(text) < 60:
            pdf.multi_cell(0, 6, text, align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            indent = 8 if _INDENTED.match(text) else 0
            pdf.set_x(pdf.l_margin + indent)
            pdf.multi_cell(0, 6, text, align="J", new_x="LMARGIN", new_y="NEXT")
        if _BAB.match(text) and text.endswith(("IV", "VI")):
            pdf.add_page()  # the chapter's title goes to the next page
    pdf.output(str(path))
    return path


def write_docx(path: Path, name: str = PERWAL) -> Path:
    import docx

    document = docx.Document()
    lines = [line.strip() for line in source_text(name).splitlines()]
    index, num_id, seen_parts = 0, 0, set()
    while index < len(lines):
        text = lines[index]
        index += 1
        if not text:
            continue
        if text == "PENJELASAN" or _SIGNATURE_START.match(text):
            seen_parts.add("PENJELASAN")
            num_id = 0
        if _PREAMBLE.match(text):
            # "Menimbang | : | a. bahwa …": the layout of most Word regulations.
            points = []
            while index < len(lines) and lines[index]:
                points.append(lines[index])
                index += 1
            table = document.add_table(rows=1, cols=3)
            cells = table.rows[0].cells
            cells[0].text, cells[1].text = text.rstrip(":"), ":"
            cells[2].text = points[0]
            for point in points[1:]:
                cells[2].add_paragraph(point)
            continue
        if dictum := DIKTUM_LINE.match(text):
            # "KEDUA | : | Tim … bertugas: a. …": a decree's dictums laid out in a table
            table = document.add_table(rows=1, cols=3)
            cells = table.rows[0].cells
            cells[0].text, cells[1].text, cells[2].text = dictum.group(1), ":", dictum.group(2)
            while index < len(lines) and lines[index]:
                cells[2].add_paragraph(lines[index])
                index += 1
            continue
        if _SIGNATURE_START.match(text):
            block = [text]
            while index < len(lines) and lines[index]:
                block.append(lines[index])
                index += 1
            table = document.add_table(rows=1, cols=2)
            cell = table.rows[0].cells[1]
            cell.text = block[0]
            for signature_line in block[1:]:
                cell.add_paragraph(signature_line)
            continue
        if _HEADING.match(text):
            level = 1 if text.startswith("BAB") else 2 if not text.startswith("Pasal") else 3
            document.add_heading(text, level=level)
            if text.startswith("Pasal") and "PENJELASAN" not in seen_parts:
                num_id = _new_list(document)  # each Pasal restarts its ayat at (1)
        elif num_id and (numbered := _AYAT_OR_POINT.match(text)):
            paragraph = document.add_paragraph(numbered.group(2))
            _number(paragraph, num_id, 0 if numbered.group(1).startswith("(") else 1)
        elif index > 1 and _HEADING.match(lines[index - 2]) and text.isupper():
            document.add_heading(text, level=1)  # the BAB title: a paragraph of its own
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def _new_list(document: object) -> int:
    """A Word list numbered "(1)" at level 0 and "a." at level 1, restarting at one."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    ids = [int(n.get(qn_("w:numId"))) for n in numbering.findall(qn_("w:num"))]
    num_id = max(ids, default=0) + 1
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id + 100}">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            '<w:lvlText w:val="(%1)"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/>'
            '<w:lvlText w:val="%2."/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{num_id + 100}"/></w:num>'
        )
    )
    return num_id


def _number(paragraph: object, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    properties = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    properties.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )


def qn_(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def write_scan(
    pdf_path: Path, path: Path, *, dpi: int = 200, seed: int = 3, harsh: bool = False
) -> Path:
    """The pages of `pdf_path` as images only: a scan without a text layer.

    `harsh`: a poor copy (up to 1.5° skew, grey paper and faded ink, heavy JPEG).
    """
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    skew, blur, speckle, quality = (1.5, 0.8, 30, 45) if harsh else (0.6, 0.6, 18, 70)
    pages: list[Image.Image] = []
    document = pdfium.PdfDocument(str(pdf_path))
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            image = image.rotate(rng.uniform(-skew, skew), expand=False, fillcolor=255)
            if harsh:
                image = image.point(lambda v: int(60 + v * 0.7))
            image = image.filter(ImageFilter.GaussianBlur(blur))
            noise = Image.effect_noise(image.size, speckle)
            noise = noise.point(lambda v: 255 if v > 2 * speckle else 150)
            image = Image.composite(image, noise, Image.new("L", image.size, 210))
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=quality)
            pages.append(Image.open(io.BytesIO(buffer.getvalue())))
    finally:
        document.close()
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=dpi)
    return path


def write_all(folder: Path, name: str = PERWAL, header: str = HEADER) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = write_pdf(folder / f"{name}.pdf", name, header)
    return {
        "pdf": pdf,
        "docx": write_docx(folder / f"{name}.docx", name),
        "txt": write_txt(folder / f"{name}.txt", name),
        "scan": write_scan(pdf, folder / f"{name}-scan.pdf"),
    }


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "regulation-fixtures")
    for kind, written in write_all(out).items():
        print(kind, written)
