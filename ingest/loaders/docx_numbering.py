"""The numbers Word draws in front of numbered paragraphs: "(1)", "a.", "1.".

Word keeps them out of the paragraph text (in numbering.xml), so python-docx reads an ayat
numbered automatically as bare text. Regulations drafted in Word number their ayat and points
this way; without the numbers the ayat cannot be told apart. `Numbering` replays Word's
counters in document order and gives each numbered paragraph its label.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

_Level = tuple[str, str, int]  # (numFmt, lvlText, start)


class Numbering:
    def __init__(self, document: Any) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        self._counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels: dict[int, _Level] = {}
            for level in abstract.findall(qn("w:lvl")):
                levels[int(level.get(qn("w:ilvl"), "0"))] = (
                    _value(level, "w:numFmt", "decimal"),
                    _value(level, "w:lvlText", ""),
                    int(_value(level, "w:start", "1") or 1),
                )
            self._abstract[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            starts: dict[int, int] = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _value(override, "w:startOverride", "")
                if start:
                    starts[int(override.get(qn("w:ilvl"), "0"))] = int(start)
            self._nums[num.get(qn("w:numId"), "")] = (_value(num, "w:abstractNumId", ""), starts)

    def label(self, paragraph: Paragraph) -> str | None:
        """ "(2)" / "b." for a numbered paragraph, "" for a bullet, None when not numbered."""
        num_id, level = _number_properties(paragraph)
        if num_id is None or num_id == "0" or num_id not in self._nums:
            return None
        abstract_id, starts = self._nums[num_id]
        levels = self._abstract.get(abstract_id, {})
        if level not in levels:
            return None
        counters = self._counters.setdefault(num_id, {})
        fmt, _, start = levels[level]
        first = starts.get(level, start)
        counters[level] = counters[level] + 1 if level in counters else first
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if fmt == "bullet":
            return ""
        text = levels[level][1]
        for k in range(level + 1):
            k_fmt, _, k_start = levels.get(k, ("decimal", "", 1))
            value = counters.get(k, starts.get(k, k_start))
            text = text.replace(f"%{k + 1}", _format(value, k_fmt))
        return text.strip()


def _number_properties(paragraph: Paragraph) -> tuple[str | None, int]:
    for element in (paragraph._p, _style_element(paragraph)):
        properties = element.find(qn("w:pPr")) if element is not None else None
        numbering = properties.find(qn("w:numPr")) if properties is not None else None
        if numbering is None:
            continue
        num_id = _value(numbering, "w:numId", "")
        level = int(_value(numbering, "w:ilvl", "0") or 0)
        return (num_id or None), level
    return None, 0


def _style_element(paragraph: Paragraph) -> Any:
    style = paragraph.style
    return style.element if style is not None else None


def _value(element: Any, tag: str, default: str) -> str:
    child = element.find(qn(tag))
    return str(child.get(qn("w:val"), default)) if child is not None else default


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, remainder = divmod(value - 1, 26)
            letters = chr(ord("a") + remainder) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "none":
        return ""
    return str(value)


def _roman(value: int) -> str:
    numerals = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )  # fmt: skip
    out = ""
    for number, numeral in numerals:
        while value >= number:
            out, value = out + numeral, value - number
    return out
