"""The messages and inline keyboards of the plan conversation.

Callback data (64 bytes at most) carries the plan id and an action; the rest is in the store:

    p:<plan id>:i:<n>      pick innovation n          p:<plan id>:b   back
    p:<plan id>:s          search again               p:<plan id>:x   cancel the draft
    p:<plan id>:k          region without province    p:<plan id>:f:<form>
    p:<plan id>:o          open a plan                p:<plan id>:c   continue a draft
    p:<plan id>:d / dy     delete (ask / confirmed)   p:<plan id>:t:<step>  tick a step
    p:<plan id>:w          send the DOCX again        p:-:l / p:-:n   list / new plan
    r:<answer id>          a plan for the innovation an answer cites
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.messages import Language
from bot.plan_choices import choices_summary
from bot.plan_docx import header_lines, markers
from bot.plan_model import Finding, Innovation, Plan, Source, Statement
from bot.plan_questions import FORM_NAMES, framing, label
from bot.planner import FormChoice
from bot.telegram.plan_store import READY, StoredPlan
from bot.telegram.plan_texts import say, say_plain
from bot.telegram.render import escape, link, render_sources_list
from bot.telegram.splitting import utf16_len
from replikasi.records import Citation

SUMMARY_LIMIT = 3900  # visible characters of the chat summary (Telegram's limit is 4096)
SOURCE_LABEL_CHARS = 90
# Statements each part shows in the chat summary (the rest are in the DOCX).
SUMMARY_TAKE = {"innovation": 3, "form": 2, "unknown": 2}
_TAGS = re.compile(r"<[^>]+>")
BUTTON_NAME_CHARS = 40
Markup = InlineKeyboardMarkup


@dataclass(frozen=True)
class PlanPress:
    plan_id: str
    action: str
    argument: str = ""


def parse_plan_callback(data: str | None) -> PlanPress | None:
    parts = (data or "").split(":")
    if len(parts) in (3, 4) and parts[0] == "p" and parts[1] and parts[2]:
        return PlanPress(parts[1], parts[2], parts[3] if len(parts) == 4 else "")
    return None


def _button(text: str, plan_id: str, *action: str) -> InlineKeyboardButton:
    data = ":".join(("p", plan_id, *action))
    assert len(data.encode()) <= 64, data
    return InlineKeyboardButton(text, callback_data=data)


def _controls(plan_id: str, language: Language, *, back: bool = True) -> list[InlineKeyboardButton]:
    row = [_button(say_plain("button_back", language), plan_id, "b")] if back else []
    return [*row, _button(say_plain("button_cancel", language), plan_id, "x")]


def _clip(text: str, limit: int = BUTTON_NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- the conversation ------------------------------------------------------------------------
def innovation_prompt(plan_id: str, language: Language) -> tuple[str, Markup]:
    return say("ask_innovation", language), Markup([_controls(plan_id, language, back=False)])


def no_choices(query: str, plan_id: str, language: Language) -> tuple[str, Markup]:
    return say("no_choices", language, query=query), Markup(
        [_controls(plan_id, language, back=False)]
    )


def choices_prompt(
    query: str, candidates: Sequence[Innovation], plan_id: str, language: Language
) -> tuple[str, Markup]:
    heading = (
        say("choices", language, query=query) if query else say("choices_from_answer", language)
    )
    lines = [heading, ""]
    for n, innovation in enumerate(candidates, start=1):
        details = choices_summary(innovation)
        lines.append(f"{n}. <b>{escape(innovation.name)}</b>")
        if details:
            lines.append(f"   {escape(details)}")
    rows = [
        [_button(f"{n}. {_clip(innovation.name)}", plan_id, "i", str(n - 1))]
        for n, innovation in enumerate(candidates, start=1)
    ]
    rows.append(
        [
            _button(say_plain("button_search_again", language), plan_id, "s"),
            _button(say_plain("button_cancel", language), plan_id, "x"),
        ]
    )
    return "\n".join(lines), Markup(rows)


def agency_prompt(innovation: Innovation, plan_id: str, language: Language) -> tuple[str, Markup]:
    text = say("ask_agency", language, innovation=innovation.name)
    return text, Markup([_controls(plan_id, language)])


def region_prompt(agency: str, plan_id: str, language: Language) -> tuple[str, Markup]:
    return say("ask_region", language, agency=agency), Markup([_controls(plan_id, language)])


def region_unmatched(region: str, plan_id: str, language: Language) -> tuple[str, Markup]:
    rows = [
        [_button(say_plain("button_no_province", language), plan_id, "k")],
        _controls(plan_id, language),
    ]
    return say("region_unmatched", language, region=region), Markup(rows)


def form_prompt(
    region: str,
    province: str,
    hub: Sequence[Finding],
    choice: FormChoice,
    plan_id: str,
    language: Language,
) -> tuple[str, Markup]:
    """The forms, each with its cited line; the region's hub when the sources name it (left
    out if the message would be too long)."""
    text, markup = _form_prompt(region, province, hub, choice, plan_id, language)
    if visible_length(text) > SUMMARY_LIMIT:
        text, markup = _form_prompt(region, province, (), choice, plan_id, language)
    return text, markup


def _form_prompt(
    region: str,
    province: str,
    hub: Sequence[Finding],
    choice: FormChoice,
    plan_id: str,
    language: Language,
) -> tuple[str, Markup]:
    numbering = _Numbering()
    shown = (
        region
        if not province or province.casefold() in region.casefold()
        else (f"{region} ({province})")
    )
    blocks = [say("ask_form", language, region=shown)]
    if hub:
        lines = [say("hub_found", language, province=province)]
        lines += [numbering.cite(finding) for finding in hub]
        blocks.append("\n".join(lines))
    lines = [say("form_question", language)]
    for option in choice.options:
        name = escape(FORM_NAMES[option.form][language])
        mark = " 💡" if option.suggested else ""
        explained = (
            numbering.cite(option.finding)
            if option.finding is not None
            else say("form_unexplained", language)
        )
        lines.append(f"• <b>{name}</b>{mark}: {explained}")
    blocks.append("\n".join(lines))
    if choice.difference is not None and choice.hint is not None:
        theirs, yours = choice.difference
        hint = say("form_hint", language, theirs=theirs, yours=yours)
        blocks.append(f"{hint} {numbering.cite(choice.hint)}")
    if numbering.citations:
        blocks.append(render_sources_list(numbering.citations, language))
    buttons = [
        _button(
            FORM_NAMES[o.form][language].split(" ")[0] + (" 💡" if o.suggested else ""),
            plan_id,
            "f",
            o.form,
        )
        for o in choice.options
    ]
    return "\n\n".join(blocks), Markup([buttons, _controls(plan_id, language)])


class _Numbering:
    """Numbers the passages cited in one message, for its own short sources list."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._numbers: dict[str, int] = {}

    def cite(self, finding: Finding) -> str:
        numbers = []
        for citation in finding.citations:
            if citation.chunk_id not in self._numbers:
                self._numbers[citation.chunk_id] = len(self._numbers) + 1
                self.citations.append(
                    dataclasses.replace(citation, number=self._numbers[citation.chunk_id])
                )
            numbers.append(self._numbers[citation.chunk_id])
        return escape(finding.text) + " " + "".join(f"[{n}]" for n in numbers)


# -- a composed plan ---------------------------------------------------------------------------
def plan_summary(plan: Plan, done: frozenset[str]) -> str:
    """The plan in one message: header, progress, the first statements of each part, the
    steps with their check marks, and the documents those statements cite. The longest
    statements give way until it fits in one Telegram message."""
    chosen = {
        id(statement)
        for section in plan.sections
        for statement in _leading(section.statements, SUMMARY_TAKE.get(section.key, 1))
    }
    while True:
        message = _summary_html(plan, done, chosen)
        if visible_length(message) <= SUMMARY_LIMIT or not chosen:
            return message
        longest = max(
            (s for section in plan.sections for s in section.statements if id(s) in chosen),
            key=lambda s: len(s.text),
        )
        chosen.discard(id(longest))


def _summary_html(plan: Plan, done: frozenset[str], chosen: set[int]) -> str:
    language = plan.language
    head = [f"📝 <b>{escape(plan.title)}</b>"]
    head += [f"{escape(name)}: {escape(value)}" for name, value in header_lines(plan, done)]
    blocks = ["\n".join(head)]
    used: list[int] = []
    step_number = 0
    for section in plan.sections:
        if section.step:
            step_number += 1
            box = "✅" if section.key in done else "⬜"
            lines = [f"{box} <b>{step_number}. {escape(section.title)}</b>"]
        else:
            lines = [f"<b>{escape(section.title)}</b>"]
        for statement in section.statements:
            if id(statement) in chosen:
                lines.append(_statement_html(statement))
                used += [n for n in statement.sources if n not in used]
        if len(lines) == 1 and section.statements:  # all given way to fit the message
            lines.append(f"<i>{escape(framing('in_document', language))}</i>")
        blocks.append("\n".join(lines))
    documents: dict[str, list[Source]] = {}
    for source in plan.sources:
        if source.number in used:
            documents.setdefault(source.document or source.label, []).append(source)
    if documents:
        listed = [f"<b>{escape(label('sources', language))}:</b>"]
        for name, sources in documents.items():
            numbers = "".join(f"[{s.number}]" for s in sources)
            listed.append(
                f"{numbers} {link(sources[0].source_url, _clip(name, SOURCE_LABEL_CHARS))}"
            )
        blocks.append("\n".join(listed))
    blocks.append(say("summary_more", language))
    return "\n\n".join(blocks)


def visible_length(message_html: str) -> int:
    """The length Telegram counts: the text without tags, in UTF-16 code units."""
    return utf16_len(html.unescape(_TAGS.sub("", message_html)))


def _leading(statements: Sequence[Statement], take: int) -> list[Statement]:
    """The first `take` cited statements (framing lines only when nothing is cited)."""
    cited = [s for s in statements if s.sources]
    return cited[:take] if cited else list(statements[:1])


def _statement_html(statement: Statement) -> str:
    if not statement.sources:
        return f"<i>{escape(statement.text)}</i>"
    return f"{escape(statement.text)} {markers(statement)}"


def plan_keyboard(stored: StoredPlan, plan: Plan) -> Markup:
    language = plan.language
    toggles = []
    for number, step in enumerate(plan.steps, start=1):
        box = "✅" if step.key in stored.done else "⬜"
        toggles.append(
            _button(f"{box} {number}. {_clip(step.title, 24)}", stored.plan_id, "t", step.key)
        )
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    rows.append(
        [
            _button(say_plain("button_docx", language), stored.plan_id, "w"),
            _button(say_plain("button_list", language), "-", "l"),
        ]
    )
    return Markup(rows)


# -- the list of plans -------------------------------------------------------------------------
def plans_list(plans: Sequence[StoredPlan], language: Language) -> tuple[str, Markup]:
    lines = [say("list_header", language), ""]
    rows = []
    for n, stored in enumerate(plans, start=1):
        if stored.step == READY and stored.plan is not None:
            plan = Plan.from_dict(stored.plan)
            finished, total = plan.progress(stored.done)
            lines.append(
                say("list_plan", language, n=n, title=stored.title, done=finished, total=total)
            )
            rows.append(
                [
                    _button(f"📂 {n}", stored.plan_id, "o"),
                    _button(f"🗑 {n}", stored.plan_id, "d"),
                ]
            )
        else:
            title = stored.draft.get("innovation", {}).get("name") or say_plain(
                "draft_untitled", language
            )
            lines.append(say("list_draft", language, n=n, title=title))
            rows.append(
                [
                    _button(f"▶️ {n}", stored.plan_id, "c"),
                    _button(f"🗑 {n}", stored.plan_id, "d"),
                ]
            )
    lines += ["", say("list_footer", language)]
    rows.append([_button(say_plain("button_new", language), "-", "n")])
    return "\n".join(lines), Markup(rows)


def delete_confirmation(stored: StoredPlan, language: Language) -> tuple[str, Markup]:
    title = (
        stored.title
        or stored.draft.get("innovation", {}).get("name")
        or say_plain("draft_untitled", language)
    )
    rows = [
        [
            _button(say_plain("button_delete_yes", language), stored.plan_id, "dy"),
            _button(say_plain("button_delete_no", language), "-", "l"),
        ]
    ]
    return say("confirm_delete", language, title=title), Markup(rows)


def plan_offer_button(answer_id: str, language: Language) -> InlineKeyboardButton:
    return InlineKeyboardButton(say_plain("button_plan", language), callback_data=f"r:{answer_id}")
