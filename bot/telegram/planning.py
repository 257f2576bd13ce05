"""The /rencana conversation: from "I want to replicate X" to a cited plan, sent as a DOCX
and summarised in the chat.

Steps (the draft's `step` in the store, so a restart or another replica carries on):
innovation (the user types a name or a problem) → choose (up to five profiles as buttons)
→ agency (typed) → region (typed, matched to a province) → form (buttons) → ready.
Every prompt has ⬅️ back and ✖️ cancel. While the user chooses, the questions that need
nothing from them are put to the engine in the background and kept with the draft, so the
plan is composed the moment the form is chosen. Plans live in private chats only.

Entry points: /rencana [innovation], a message like "buat rencana replikasi …", the 📝
button under an answer that cites an innovation profile, and the typed inputs of a draft
(routed here by `PlanInputFilter`). Buttons are handled in plan_buttons.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Mapping
from typing import Any

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import filters

from bot.plan_docx import docx_filename, render_docx
from bot.plan_inputs import MAX_NAME_CHARS, MAX_QUERY_CHARS, InvalidPlanInputError, clean_input
from bot.plan_model import FORMS, Evidence, Form, Innovation, Plan, PlanRequest
from bot.telegram import plan_views, texts
from bot.telegram.access import command_argument, message_of
from bot.telegram.answering import private_text
from bot.telegram.plan_store import MAX_PLANS_PER_USER, READY, StoredPlan
from bot.telegram.plan_texts import say
from bot.telegram.plan_views import Markup
from bot.telegram.render import escape
from bot.telegram.services import BotContext, BotServices
from replikasi.language import Language, detect_language
from replikasi.logs import exception_summary

log = logging.getLogger(__name__)

TEXT_STEPS = frozenset({"innovation", "choose", "agency", "region", "form"})
_PLAN_WORDS = r"(?:rencana\s+replikasi|replication\s+plan)"
# "buat rencana replikasi [untuk] BARIS DITEBAS", "please make a replication plan for …"
_ASKED_FOR = re.compile(
    r"^\s*(?:(?:tolong|mohon|saya\s+(?:ingin|mau)|aku\s+mau|ingin|mau|please|i\s+want\s+to|"
    r"i'?d\s+like\s+to|let'?s)\s+)?"
    r"(?:buat(?:kan)?|bikin(?:kan)?|susun(?:kan)?|menyusun|membuat|make|create|draft|build|"
    r"write|start)\s+(?:(?:sebuah|satu|a|an|my|me\s+a|the)\s+)?"
    rf"{_PLAN_WORDS}\b[\s:,.!-]*(?:(?:untuk|for|of|inovasi|innovation)\s+)*(?P<rest>.*)$",
    re.I | re.S,
)
_BARE = re.compile(rf"^\s*{_PLAN_WORDS}\s*[.!]*\s*$", re.I)


def plan_asked_for(text: str) -> str | None:
    """The innovation named when `text` asks for a plan ("" when none is named), or None
    when it does not ask for one ("apa isi rencana replikasi?" is a question)."""
    if _BARE.match(text):
        return ""
    match = _ASKED_FOR.match(text)
    if match is None:
        return None
    rest = match.group("rest").strip()
    if rest.endswith("?"):
        return None  # "buat rencana replikasi yang baik bagaimana?": a question
    return rest.strip(" .!")


_CANCEL_WORDS = frozenset({"batal", "batalkan", "cancel", "stop"})
_FORM_WORDS: Mapping[str, Form] = {
    "adop": "adopsi",
    "adapt": "adaptasi",
    "modif": "modifikasi",
}


class PlanTrigger(filters.MessageFilter):
    """A private message asking for a plan in words ("buat rencana replikasi …")."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and plan_asked_for(message.text or "") is not None


class PlanInputFilter(filters.MessageFilter):
    """A private message typed while the sender has a draft waiting for text."""

    def __init__(self, services: BotServices) -> None:
        super().__init__(name="PlanInputFilter")
        self.services = services

    def filter(self, message: Message) -> bool:
        user = message.from_user
        if user is None or not message.text:
            return False
        store = self.services.store
        draft = store.active_draft(user.id, message.chat_id, store.idle_cutoff)
        return draft is not None and draft.step in TEXT_STEPS


# -- entry points --------------------------------------------------------------------------
async def plan_command(update: Update, context: BotContext) -> None:
    """/rencana: the user's plans (or a new one when there are none); /rencana <innovation>
    starts a new plan with that search."""
    message = message_of(update)
    query = command_argument(message)
    language = texts.user_language(update.effective_user, query or None)
    if not await _in_private(update, context, language):
        return
    user_id = message.from_user.id if message.from_user else message.chat_id
    plans = context.services.store.plans(user_id)
    if query or not plans:
        await start_plan(update, context, language, query=query)
        return
    html, markup = plan_views.plans_list(plans, language)
    await message.reply_text(html, reply_markup=markup)


async def plan_trigger(update: Update, context: BotContext) -> None:
    message = message_of(update)
    text = message.text or ""
    rest = plan_asked_for(text) or ""
    language = (
        "en"
        if detect_language(text) == "en"
        else texts.user_language(update.effective_user, rest or None)
    )
    await start_plan(update, context, language, query=rest)


async def plan_text(update: Update, context: BotContext) -> None:
    """A typed answer to the draft's current step."""
    message = message_of(update)
    services = context.services
    user_id = message.from_user.id if message.from_user else message.chat_id
    stored = services.store.active_draft(user_id, message.chat_id, services.store.idle_cutoff)
    if stored is None:  # finished meanwhile (another replica): an ordinary question then
        await private_text(update, context)
        return
    text = message.text or ""
    language = stored.language
    if text.strip().casefold().strip(".!") in _CANCEL_WORDS:
        services.store.delete_plan(stored.plan_id, user_id)
        await message.reply_text(say("cancelled", language))
        return
    limit = MAX_QUERY_CHARS if stored.step in ("innovation", "choose") else MAX_NAME_CHARS
    try:
        cleaned = clean_input(text, language, limit)
    except InvalidPlanInputError as exc:
        await message.reply_text(escape(str(exc)))
        return
    if stored.step in ("agency", "region") and cleaned.endswith("?"):
        # No agency or place ends in "?": a question asked on the way, answered as usual
        # (the draft waits).
        await private_text(update, context)
        return
    draft = dict(stored.draft)
    if stored.step in ("innovation", "choose"):
        await search(update, context, stored, cleaned)
    elif stored.step == "agency":
        draft["agency"] = cleaned
        await advance(update, context, stored, "region", draft)
    elif stored.step == "region":
        await set_region(update, context, stored, cleaned)
    else:  # form: a form typed instead of pressed
        form = next((f for stem, f in _FORM_WORDS.items() if stem in cleaned.casefold()), None)
        if form is None:
            await show(update, context, stored)
        else:
            from bot.telegram.plan_buttons import compose_plan

            await compose_plan(update, context, stored, form)


# -- the steps -----------------------------------------------------------------------------
async def start_plan(
    update: Update,
    context: BotContext,
    language: Language,
    *,
    query: str = "",
    candidates: list[Innovation] | None = None,
) -> None:
    services = context.services
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    plans = services.store.plans(user.id, MAX_PLANS_PER_USER + 1)
    if len(plans) >= MAX_PLANS_PER_USER:
        await reply(update, say("too_many", language, count=len(plans)))
        return
    if query:
        try:
            query = clean_input(query, language, MAX_QUERY_CHARS)
        except InvalidPlanInputError as exc:
            await reply(update, escape(str(exc)))
            return
    stored = services.store.create_plan(user.id, chat.id, language, "innovation", {})
    prepare(update, context, stored, services.planner.generic_questions(language))
    if candidates:
        draft: dict[str, Any] = {"candidates": [c.to_dict() for c in candidates], "query": ""}
        if len(candidates) == 1:
            await choose_innovation(update, context, stored, draft, candidates[0], new_message=True)
        else:
            await advance(update, context, stored, "choose", draft, new_message=True)
    elif query:
        await search(update, context, stored, query)
    else:
        await show(update, context, stored, new_message=True)


async def search(update: Update, context: BotContext, stored: StoredPlan, query: str) -> None:
    planner = context.services.planner
    candidates = await asyncio.to_thread(planner.find_innovations, query)
    draft = {**stored.draft, "query": query, "candidates": [c.to_dict() for c in candidates]}
    if not candidates:
        saved = await save(update, context, stored, "innovation", draft)
        if saved is not None:
            html, markup = plan_views.no_choices(query, saved.plan_id, saved.language)
            await reply(update, html, markup)
        return
    await advance(update, context, stored, "choose", draft, new_message=True)


async def choose_innovation(
    update: Update,
    context: BotContext,
    stored: StoredPlan,
    draft: dict[str, Any],
    innovation: Innovation,
    *,
    new_message: bool = False,
) -> None:
    draft = {**draft, "innovation": innovation.to_dict()}
    saved = await advance(update, context, stored, "agency", draft, new_message=new_message)
    if saved is not None:
        planner = context.services.planner
        prepare(update, context, saved, planner.innovation_question(innovation, saved.language))


async def set_region(update: Update, context: BotContext, stored: StoredPlan, region: str) -> None:
    province = await asyncio.to_thread(context.services.planner.match_province, region)
    draft = dict(stored.draft)
    if province:
        draft.update(region=region, province=province, pending_region="")
        await advance(update, context, stored, "form", draft)
        return
    draft["pending_region"] = region
    saved = await save(update, context, stored, "region", draft)
    if saved is not None:
        await show(update, context, saved, new_message=True)


async def advance(
    update: Update,
    context: BotContext,
    stored: StoredPlan,
    step: str,
    draft: dict[str, Any],
    *,
    new_message: bool = False,
) -> StoredPlan | None:
    """Save the draft at `step` and show that step's prompt."""
    saved = await save(update, context, stored, step, draft)
    if saved is not None:
        await show(update, context, saved, new_message=new_message)
    return saved


async def save(
    update: Update, context: BotContext, stored: StoredPlan, step: str, draft: dict[str, Any]
) -> StoredPlan | None:
    """The draft saved at `step`; None (and the current step shown) when it changed since
    it was read: another replica or an earlier tap got there first."""
    store = context.services.store
    if store.update_plan(stored.plan_id, stored.user_id, stored.version, step=step, draft=draft):
        return store.plan(stored.plan_id, stored.user_id)
    current = store.plan(stored.plan_id, stored.user_id)
    if current is not None:
        await show(update, context, current, new_message=True)
    return None


async def show(
    update: Update, context: BotContext, stored: StoredPlan, *, new_message: bool = False
) -> None:
    """The prompt of the draft's step (the summary of a ready plan)."""
    if stored.step == READY and stored.plan is not None:
        plan = Plan.from_dict(stored.plan)
        await reply(
            update,
            plan_views.plan_summary(plan, stored.done),
            plan_views.plan_keyboard(stored, plan),
            new_message=new_message,
        )
        return
    html, markup = await asyncio.to_thread(prompt, context.services, stored)
    await reply(update, html, markup, new_message=new_message)


def prompt(services: BotServices, stored: StoredPlan) -> tuple[str, Markup]:
    """The message for a draft's step (may ask the engine: run it in a thread)."""
    draft, language, plan_id = stored.draft, stored.language, stored.plan_id
    candidates = [Innovation.from_dict(c) for c in draft.get("candidates") or []]
    innovation = Innovation.from_dict(draft["innovation"]) if draft.get("innovation") else None
    if stored.step == "choose" and candidates:
        return plan_views.choices_prompt(draft.get("query", ""), candidates, plan_id, language)
    if stored.step == "agency" and innovation is not None:
        return plan_views.agency_prompt(innovation, plan_id, language)
    if stored.step == "region":
        if draft.get("pending_region"):
            return plan_views.region_unmatched(draft["pending_region"], plan_id, language)
        return plan_views.region_prompt(draft.get("agency", ""), plan_id, language)
    if stored.step == "form" and innovation is not None:
        planner, store = services.planner, services.store
        known = {k: Evidence.from_dict(v) for k, v in store.evidence(plan_id).items()}
        province = draft.get("province", "")
        choice, asked = planner.form_choice(
            innovation, draft.get("agency", ""), province, language, known
        )
        hub, hub_asked = planner.hub(province, language, {**known, **asked})
        asked |= hub_asked
        fresh = {k: e.to_dict() for k, e in asked.items() if known.get(k) != e}
        if fresh:
            store.save_evidence(plan_id, fresh)
        return plan_views.form_prompt(
            draft.get("region", ""), province, hub, choice, plan_id, language
        )
    return plan_views.innovation_prompt(plan_id, language)


def plan_request(stored: StoredPlan, form: Form) -> PlanRequest:
    draft = stored.draft
    return PlanRequest(
        innovation=Innovation.from_dict(draft["innovation"]),
        agency=str(draft.get("agency", "")),
        region=str(draft.get("region") or draft.get("pending_region") or ""),
        province=str(draft.get("province", "")),
        form=form if form in FORMS else "adaptasi",
        language=stored.language,
    )


def prepare(
    update: Update, context: BotContext, stored: StoredPlan, asks: Mapping[str, str]
) -> None:
    """Ask the engine in the background and keep the answers with the draft. Only a head
    start: if it fails, the plan asks again when it is composed."""
    services = context.services
    plan_id = stored.plan_id

    async def gather() -> None:
        try:
            evidence = await asyncio.to_thread(services.planner.gather, asks)
            services.store.save_evidence(plan_id, {k: e.to_dict() for k, e in evidence.items()})
        except Exception as exc:
            log.warning("Preparing plan %s: %s", plan_id, exception_summary(exc))

    services.run_in_background(context.application, gather(), update)


# -- sending -------------------------------------------------------------------------------
async def reply(
    update: Update, html: str, markup: Markup | None = None, *, new_message: bool = False
) -> None:
    """Edit the message whose button was pressed, or send a new message."""
    query = update.callback_query
    if query is not None and not new_message and query.message is not None:
        with contextlib.suppress(BadRequest):  # "message is not modified"
            await query.edit_message_text(html, reply_markup=markup)
        return
    chat = update.effective_chat
    if chat is not None:
        await update.get_bot().send_message(chat.id, html, reply_markup=markup)


async def send_plan(update: Update, context: BotContext, stored: StoredPlan) -> None:
    """The DOCX, then the summary with the step buttons."""
    if stored.plan is None or update.effective_chat is None:
        return
    plan = Plan.from_dict(stored.plan)
    await send_document(update, context, stored, plan)
    await reply(
        update,
        plan_views.plan_summary(plan, stored.done),
        plan_views.plan_keyboard(stored, plan),
        new_message=True,
    )


async def send_document(
    update: Update, context: BotContext, stored: StoredPlan, plan: Plan
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    data = await asyncio.to_thread(render_docx, plan, stored.done)
    caption = say("document_caption", plan.language, title=plan.title)
    await context.bot.send_document(
        chat.id, data, filename=docx_filename(plan), caption=caption[:1000]
    )


async def _in_private(update: Update, context: BotContext, language: Language) -> bool:
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    await message_of(update).reply_text(
        say("private_only", language, bot=context.bot.username or "")
    )
    return False
