"""The buttons of the plan conversation (callback data: see plan_views.py): pick, back,
cancel, the form, and for a composed plan: tick a step, resend the DOCX, list, open,
continue and delete plans. Each press is checked against the plan's current step, so a
button of an earlier prompt cannot jump the conversation."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update

from bot.plan_choices import innovation_of
from bot.plan_model import FORMS, Evidence, Form, Innovation, Plan
from bot.plan_questions import FORM_NAMES
from bot.telegram import plan_views, texts
from bot.telegram.plan_store import READY, StoredPlan
from bot.telegram.plan_texts import say, say_plain
from bot.telegram.planning import (
    advance,
    choose_innovation,
    plan_request,
    reply,
    send_document,
    send_plan,
    show,
    start_plan,
)
from bot.telegram.services import BotContext
from replikasi.records import MetaKey

log = logging.getLogger(__name__)

# Where ⬅️ leads from each step.
_BACK = {"choose": "innovation", "agency": "choose", "region": "agency", "form": "region"}


async def plan_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    if query is None:
        return
    press = plan_views.parse_plan_callback(query.data)
    user = query.from_user
    language = texts.user_language(user)
    if press is None:
        await query.answer()
        return
    store = context.services.store
    if press.plan_id == "-":
        await query.answer()
        if press.action == "n":
            await start_plan(update, context, language)
        else:
            html, markup = plan_views.plans_list(store.plans(user.id), language)
            await reply(update, html, markup)
        return
    stored = store.plan(press.plan_id, user.id)
    if stored is None:
        await query.answer(say_plain("gone", language), show_alert=True)
        return
    if not _allowed(press.action, stored):
        await query.answer(say_plain("stale", stored.language))
        await show(update, context, stored, new_message=True)
        return
    await query.answer()
    await _act(update, context, stored, press.action, press.argument)


def _allowed(action: str, stored: StoredPlan) -> bool:
    """Whether `action` fits the plan's current step."""
    step = stored.step
    if action in ("o", "t", "w"):
        return step == READY
    if action in ("x", "c", "d", "dy"):
        return True
    if action == "b":
        return step in _BACK
    if action == "s":
        return step in ("innovation", "choose", "agency")
    if action == "i":
        return step == "choose"
    if action == "k":
        return step == "region" and bool(stored.draft.get("pending_region"))
    if action == "f":
        return step == "form"
    return False


async def _act(
    update: Update, context: BotContext, stored: StoredPlan, action: str, argument: str
) -> None:
    store = context.services.store
    language = stored.language
    draft = dict(stored.draft)
    if action == "x":
        if stored.step != READY:
            store.delete_plan(stored.plan_id, stored.user_id)
        await reply(update, say("cancelled", language))
    elif action == "b":
        step = _BACK[stored.step]
        if step == "choose" and len(draft.get("candidates") or []) < 2:
            step = "innovation"  # there was nothing to choose from
        draft["pending_region"] = ""
        await advance(update, context, stored, step, draft)
    elif action == "s":
        await advance(update, context, stored, "innovation", draft)
    elif action == "i":
        candidates = draft.get("candidates") or []
        index = int(argument) if argument.isdigit() else -1
        if 0 <= index < len(candidates):
            innovation = Innovation.from_dict(candidates[index])
            await choose_innovation(update, context, stored, draft, innovation)
    elif action == "k":
        draft.update(region=draft.get("pending_region", ""), province="", pending_region="")
        await advance(update, context, stored, "form", draft)
    elif action == "f" and argument in FORMS:
        await compose_plan(update, context, stored, argument)  # type: ignore[arg-type]
    elif action == "o":
        await show(update, context, stored)
    elif action == "c":  # saved again, so it is the draft that takes the user's next text
        await advance(update, context, stored, stored.step, draft)
    elif action == "d":
        html, markup = plan_views.delete_confirmation(stored, language)
        await reply(update, html, markup)
    elif action == "dy":
        store.delete_plan(stored.plan_id, stored.user_id)
        html, markup = plan_views.plans_list(store.plans(stored.user_id), language)
        await reply(update, f"{say('deleted', language)}\n\n{html}", markup)
    elif action == "t" and stored.plan is not None:
        plan = Plan.from_dict(stored.plan)
        if argument in {step.key for step in plan.steps}:
            store.set_step_done(
                stored.plan_id, stored.user_id, argument, argument not in stored.done
            )
        current = store.plan(stored.plan_id, stored.user_id)
        if current is not None:
            await show(update, context, current)
    elif action == "w" and stored.plan is not None:
        await send_document(update, context, stored, Plan.from_dict(stored.plan))


async def compose_plan(update: Update, context: BotContext, stored: StoredPlan, form: Form) -> None:
    """The last choice: compose the plan (from the evidence gathered so far), keep it, send
    the DOCX and the summary."""
    services = context.services
    language = stored.language
    await reply(update, say("composing", language, form=FORM_NAMES[form][language]))
    request = plan_request(stored, form)
    known = {k: Evidence.from_dict(v) for k, v in services.store.evidence(stored.plan_id).items()}
    plan = await asyncio.to_thread(services.planner.compose, request, known)
    draft = {**stored.draft, "form": form}
    ok = services.store.update_plan(
        stored.plan_id,
        stored.user_id,
        stored.version,
        step=READY,
        draft=draft,
        plan=plan.to_dict(),
        title=plan.title,
    )
    current = services.store.plan(stored.plan_id, stored.user_id)
    if current is None:
        return
    if not ok:  # composed elsewhere meanwhile (a double tap, another replica)
        await show(update, context, current, new_message=True)
        return
    await send_plan(update, context, current)


async def plan_from_answer(update: Update, context: BotContext) -> None:
    """📝 under an answer: a plan for the innovation profiles the answer cites."""
    query = update.callback_query
    if query is None:
        return
    services = context.services
    answer_id = (query.data or "").split(":", 1)[-1]
    stored = services.store.answer(answer_id)
    language = stored.language if stored else texts.user_language(query.from_user)
    if stored is None:
        await query.answer(say_plain("answer_gone", language), show_alert=True)
        return
    chunks = await asyncio.to_thread(
        lambda: [services.engine.passage(c.chunk_id) for c in stored.citations]
    )
    candidates: dict[str, Innovation] = {}
    for chunk in chunks:
        if (
            chunk is not None
            and chunk.metadata.get(MetaKey.DOC_TYPE, chunk.doc_type) == "innovation"
        ):
            innovation = innovation_of(chunk)
            candidates.setdefault(innovation.key, innovation)
    if not candidates:
        await query.answer(say_plain("no_profile_in_answer", language), show_alert=True)
        return
    await query.answer()
    await start_plan(update, context, language, candidates=list(candidates.values())[:5])
