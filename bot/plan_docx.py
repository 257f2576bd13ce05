"""A plan as a Word document (DOCX) to take to the office, and as plain text for the CLI.

The document: the title "Rencana Replikasi <inovasi> — <instansi>", who / where / which form
/ progress, one numbered heading per section (steps marked ☐ or ☑), each statement as a
paragraph ending with its source numbers, the links of the legal basis, and the numbered
sources list with their addresses.
"""

from __future__ import annotations

import io
from collections.abc import Collection

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from bot.plan_model import Plan, Section, Statement
from bot.plan_questions import FORM_NAMES, framing, label

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x79)


def markers(statement: Statement) -> str:
    return "".join(f"[{n}]" for n in statement.sources)


def statement_text(statement: Statement) -> str:
    """The statement as printed: its sentence and its source numbers."""
    return f"{statement.text} {markers(statement)}" if statement.sources else statement.text


def section_heading(number: int, section: Section, done: Collection[str]) -> str:
    box = ("☑ " if section.key in done else "☐ ") if section.step else ""
    return f"{box}{number}. {section.title}"


def header_lines(plan: Plan, done: Collection[str]) -> list[tuple[str, str]]:
    """(label, value) pairs of the plan's header: the user's own choices, not claims."""
    request, language = plan.request, plan.language
    region = request.region
    if request.province and request.province.casefold() not in region.casefold():
        region = f"{region} ({request.province})"
    finished, total = plan.progress(set(done))
    lines = [
        (label("agency", language), request.agency),
        (label("region", language), region),
        (label("form", language), FORM_NAMES[request.form][language]),
        (label("date", language), plan.created),
    ]
    if total:
        lines.append(
            (label("progress", language), label("steps_done", language, done=finished, total=total))
        )
    return lines


def render_docx(plan: Plan, done: Collection[str] = ()) -> bytes:
    """The plan as DOCX bytes; `done` holds the keys of the steps ticked off."""
    language = plan.language
    document = Document()
    document.core_properties.title = plan.title
    document.core_properties.language = language
    document.add_heading(plan.title, level=0)
    for name, value in header_lines(plan, done):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{name}: ").bold = True
        paragraph.add_run(value)
    note = document.add_paragraph().add_run(framing("document_note", language))
    note.italic = True
    note.font.size = Pt(9)

    for number, section in enumerate(plan.sections, start=1):
        document.add_heading(section_heading(number, section, done), level=1)
        for statement in section.statements:
            run = document.add_paragraph().add_run(statement_text(statement))
            run.italic = statement.framing
        if section.links:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{label('links', language)}: ").bold = True
            for i, (name, url) in enumerate(section.links):
                if i:
                    paragraph.add_run("; ")
                _add_hyperlink(paragraph, url, name)

    document.add_heading(label("sources", language), level=1)
    for source in plan.sources:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{source.number}] {source.label}")
        if source.source_url:
            paragraph.add_run(" — ")
            _add_hyperlink(paragraph, source.source_url, source.source_url)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_hyperlink(paragraph: Paragraph, url: str, text: str) -> None:
    """A clickable link (python-docx has no API for it); other addresses stay plain text."""
    if not url.startswith(("http://", "https://")):
        paragraph.add_run(text)
        return
    part = paragraph.part
    relation = part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK_COLOUR))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(colour)
    properties.append(underline)
    run.append(properties)
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def render_text(plan: Plan, done: Collection[str] = ()) -> str:
    """The whole plan as plain text (Markdown-like), for the terminal."""
    lines = [f"# {plan.title}", ""]
    lines += [f"{name}: {value}" for name, value in header_lines(plan, done)]
    for number, section in enumerate(plan.sections, start=1):
        lines += ["", f"## {section_heading(number, section, done)}"]
        lines += [f"- {statement_text(s)}" for s in section.statements]
        lines += [
            f"  {label('links', plan.language)}: {name} <{url}>" for name, url in section.links
        ]
    lines += ["", f"## {label('sources', plan.language)}"]
    for source in plan.sources:
        address = f" <{source.source_url}>" if source.source_url else ""
        lines.append(f"[{source.number}] {source.label}{address}")
    return "\n".join(lines)


def docx_filename(plan: Plan) -> str:
    """A safe file name from the title, e.g. "Rencana Replikasi BARIS DITEBAS - Dinsos.docx"."""
    title = plan.title.replace("—", "-").replace("–", "-")
    cleaned = "".join(ch if ch.isalnum() or ch in " -_.()" else " " for ch in title)
    name = " ".join(cleaned.split())[:80].rstrip(" .") or "Rencana Replikasi"
    return f"{name}.docx"
