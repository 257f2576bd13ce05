"""Word (.docx) files through python-docx, with heading styles turned into Markdown headings.

Paragraphs and tables are read in body order: a table of requirements belongs under the
heading it follows, and the chunker can only keep it there if the text keeps it there.
"""

from __future__ import annotations

import logging
import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.documents import LoadError, SourceDocument
from ingest.loaders.base import (
    LoadOptions,
    path_doc_id,
    readable_stem,
    relative_path,
    short_first_line,
    table_lines,
)
from ingest.loaders.docx_numbering import Numbering
from ingest.regulation import as_regulation, recognise_regulation

logger = logging.getLogger(__name__)

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)


def load_docx(path: Path, root: Path, options: LoadOptions | None = None) -> list[SourceDocument]:
    display = relative_path(path, root)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(
            display,
            "not a readable Word document (damaged, or an old .doc renamed to .docx)",
        ) from exc

    items = list(document.iter_inner_content())
    numbering = Numbering(document)
    # In body order, once each: Word's automatic numbers count up paragraph by paragraph.
    rendered = {
        index: _paragraph(item, numbering)
        for index, item in enumerate(items)
        if isinstance(item, Paragraph)
    }
    paragraphs = list(rendered.values())
    # Regulations use tables for layout ("Menimbang | : | a. bahwa ...", the signature
    # block), not for data: their cells are read as lines of text.
    layout_tables = recognise_regulation("\n".join(p for p in paragraphs if p)) is not None
    blocks: list[str] = []
    first_heading = ""
    for index, item in enumerate(items):
        block = ""
        if isinstance(item, Paragraph):
            block = rendered[index]
            if block.startswith("#") and not first_heading:
                first_heading = block.lstrip("# ")
        elif isinstance(item, Table):
            rows = _table_rows(item)
            flat = [[" ".join(cell.split()) for cell in row] for row in rows]
            block = "\n".join(_layout_lines(rows) if layout_tables else table_lines(flat))
        if block:
            blocks.append(block)

    text = "\n\n".join(blocks)
    if not text.strip():
        raise LoadError(display, "Word document has no text")
    core_title = (document.core_properties.title or "").strip()
    return [
        as_regulation(
            SourceDocument(
                doc_id=path_doc_id(path, root),
                title=core_title or first_heading or short_first_line(text) or readable_stem(path),
                text=text,
                path=display,
                format="docx",
            )
        )
    ]


def _layout_lines(rows: list[list[str]]) -> list[str]:
    """A layout table as text: "Menimbang" + ":" + "a. bahwa …" → "Menimbang : a. bahwa …"."""
    lines: list[str] = []
    for row in rows:
        cells = [cell for cell in row if cell.strip()]
        if not cells:
            continue
        labels, last = cells[:-1], cells[-1].splitlines()
        if labels and all(len(c.split()) <= 4 and "\n" not in c for c in labels):
            lines.append(" ".join([*labels, last[0]]))
            lines.extend(last[1:])
        else:
            lines.extend(line for cell in cells for line in cell.splitlines())
    return lines


def _paragraph(paragraph: Paragraph, numbering: Numbering) -> str:
    text = " ".join(paragraph.text.split())
    label = numbering.label(paragraph)
    if not text:
        return ""
    if label:
        text = f"{label} {text}"
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if style.lower() == "title":
        return f"# {text}"
    match = _HEADING_STYLE.match(style)
    if match:
        return f"{'#' * min(max(int(match.group(1)), 1), 3)} {text}"
    if label == "" or (label is None and _is_list_item(paragraph, style)):
        return f"- {text}"
    return text


def _is_list_item(paragraph: Paragraph, style: str) -> bool:
    if style.lower().startswith("list"):
        return True
    # python-docx has no public API for numbering; Word marks bulleted and numbered
    # paragraphs with <w:numPr> in the paragraph properties.
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _table_rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep it once.
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            lines = (" ".join(p.text.split()) for p in cell.paragraphs)
            cells.append("\n".join(line for line in lines if line))
        rows.append(cells)
    return rows
