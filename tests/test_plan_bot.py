"""/rencana through the real application over the fake Bot API and a scripted engine: the
conversation, its buttons (back, cancel, stale ones), validation, the DOCX and summary, two
users kept apart, and a draft that survives a restart."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr

from bot.telegram.plan_store import READY
from replikasi.records import Answer
from replikasi.settings import Settings
from tests.plan_checks import count_docx, count_summary
from tests.plan_fakes import BARIS, ScriptedEngine, answer_from, default_script
from tests.telegram_fakes import Harness, callback_update, message_update, run

USER, OTHER = 11, 12


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"telegram_bot_token": SecretStr("123456:TEST")})


def markup(params: dict[str, Any]) -> dict[str, Any]:
    value = params.get("reply_markup") or {}
    return json.loads(value) if isinstance(value, str) else value


def labels(params: dict[str, Any]) -> list[str]:
    return [b["text"] for row in markup(params).get("inline_keyboard", []) for b in row]


def data_of(params: dict[str, Any], label: str) -> str:
    for row in markup(params).get("inline_keyboard", []):
        for button in row:
            if button["text"].startswith(label):
                return str(button["callback_data"])
    raise AssertionError(f"no button {label!r} in {labels(params)}")


def last(h: Harness, method: str = "sendMessage") -> dict[str, Any]:
    return h.telegram.of(method)[-1]


def shown(h: Harness) -> dict[str, Any]:
    """The message the user looks at last (sent or edited)."""
    calls = [c for c in h.telegram.calls if c.method in ("sendMessage", "editMessageText")]
    return calls[-1].params


async def press(h: Harness, params: dict[str, Any], label: str, user_id: int = USER) -> None:
    await h.send(
        callback_update(data_of(params, label), user_id=user_id, reply_markup=markup(params))
    )


async def say(h: Harness, text: str, user_id: int = USER, **kwargs: Any) -> None:
    await h.send(message_update(text, user_id=user_id, **kwargs))


async def make_plan(h: Harness, user_id: int = USER, agency: str = "Dinas Sosial Sleman") -> None:
    await say(h, "/rencana", user_id)
    await say(h, "barista", user_id)
    await press(h, shown(h), "1.", user_id)
    await say(h, agency, user_id)
    await say(h, "Kabupaten Sleman, DIY", user_id)
    await press(h, shown(h), "Adaptasi", user_id)


def test_full_conversation_with_back_and_cancel(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "/rencana")
        assert "langkah 1 dari 4" in shown(h)["text"] and labels(shown(h)) == ["✖️ Batal"]
        await say(h, "antrean barista")
        choices = shown(h)
        assert "Profil inovasi yang cocok dengan “antrean barista”" in choices["text"]
        assert (
            "UPTD Puskesmas Surakarta Utara · Jawa Tengah · 2019 · Top 99 KIPP 2020"
            in (choices["text"])
        )
        assert labels(choices)[:2] == ["1. BARIS DITEBAS", "2. Rumah Antre"]
        await press(h, choices, "1.")
        assert "Inovasi: <b>BARIS DITEBAS</b>" in shown(h)["text"]
        await press(h, shown(h), "⬅️")  # back to the choices
        assert labels(shown(h))[:2] == ["1. BARIS DITEBAS", "2. Rumah Antre"]
        await press(h, shown(h), "1.")
        await say(h, "Dinas Sosial Kabupaten Sleman")
        assert "langkah 3 dari 4" in shown(h)["text"]
        await say(h, "Kabupaten Sleman, DIY")
        form = shown(h)
        text = form["text"]
        assert "Wilayah: <b>Kabupaten Sleman, DIY (DI Yogyakarta)</b>" in text
        assert "DI Yogyakarta adalah hub inovasi" in text and "Yogyakarta (DIY)" in text
        assert "instansi pusat → pemerintah daerah" in text  # the hint: contexts differ
        assert "<b>Sumber:</b>" in text
        assert labels(form)[:3] == ["Adopsi", "Adaptasi 💡", "Modifikasi 💡"]
        await press(h, form, "⬅️")  # back to the region
        assert "langkah 3 dari 4" in shown(h)["text"]
        await say(h, "Kota Ambon")  # no province found: say so, offer to go on
        assert "belum menemukan provinsi untuk “Kota Ambon”" in shown(h)["text"]
        await say(h, "Kabupaten Sleman, DI Yogyakarta")
        await press(h, shown(h), "Adaptasi")

        [document] = h.telegram.calls_of("sendDocument")
        assert document.params["caption"].startswith("📄 Rencana Replikasi BARIS DITEBAS")
        count, sections = count_docx(document.files["document"])
        assert count.ok, (count.uncited, count.invalid)
        assert "Sumber" in sections and len(sections) >= 12
        summary = last(h)
        assert summary["text"].startswith("📝 <b>Rencana Replikasi BARIS DITEBAS — Dinas Sosial")
        assert "Kemajuan: 0 dari 5 langkah selesai" in summary["text"]
        counted = count_summary(summary["text"])
        assert counted.ok, (counted.uncited, counted.invalid)
        [stored] = h.store.plans(USER)
        assert stored.step == READY and stored.title.startswith("Rencana Replikasi BARIS")
        assert h.store.evidence(stored.plan_id) == {}  # gathered answers dropped when done

        await press(h, summary, "⬜ 1.")  # tick the first step off
        ticked = shown(h)
        assert "Kemajuan: 1 dari 5 langkah selesai" in ticked["text"]
        assert labels(ticked)[0].startswith("✅ 1.")
        assert h.store.plan(stored.plan_id, USER).done == {"prepare"}  # type: ignore[union-attr]
        await press(h, ticked, "📄 Kirim DOCX")
        assert len(h.telegram.calls_of("sendDocument")) == 2

        await say(h, "/rencana")  # the list, then a new plan, cancelled
        listing = shown(h)
        assert "1. <b>Rencana Replikasi BARIS DITEBAS" in listing["text"]
        assert "1 dari 5 langkah selesai" in listing["text"]
        await press(h, listing, "➕")
        await press(h, shown(h), "✖️")
        assert "dibatalkan" in shown(h)["text"]
        assert [p.step for p in h.store.plans(USER)] == [READY]

    run(bot_settings, scenario, engine=ScriptedEngine())


def test_two_users_plans_never_mix(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await make_plan(h, USER, agency="Dinas Rahasia Milik Pengguna Satu")
        mine = h.telegram.calls_of("sendDocument")[-1].files["document"]
        summary = last(h)
        # The other user presses the first user's buttons: refused, nothing shown.
        sent_before = len(h.telegram.of("sendMessage"))
        await press(h, summary, "⬜ 1.", user_id=OTHER)
        await press(h, summary, "📄", user_id=OTHER)
        alerts = [p.get("text") for p in h.telegram.of("answerCallbackQuery")]
        assert (
            alerts[-2:]
            == [
                "Rencana ini sudah tidak ada. Ketik /rencana untuk melihat rencana Anda.",
            ]
            * 2
        )
        assert len(h.telegram.of("sendMessage")) == sent_before
        assert len(h.telegram.calls_of("sendDocument")) == 1
        # The other user's own plan: their data only.
        await make_plan(h, OTHER, agency="Dinas Pengguna Dua")
        theirs = h.telegram.calls_of("sendDocument")[-1].files["document"]
        assert b"Pengguna Satu" not in theirs and len(h.store.plans(OTHER)) == 1
        first = h.store.plans(USER)[0]
        assert h.store.plan(first.plan_id, OTHER) is None
        assert not h.store.delete_plan(first.plan_id, OTHER)
        assert h.store.plans(USER)[0].done == frozenset()
        assert mine != theirs

    run(bot_settings, scenario, engine=ScriptedEngine())


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("Министерство здравоохранения", "huruf Latin"),
        ("x" * 400, "terlalu panjang (400 karakter)"),
        ("🙂🙂", "Teksnya kosong"),
    ],
)
def test_bad_input_gets_one_clear_sentence_and_loses_nothing(
    bot_settings: Settings, typed: str, reply: str
) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "/rencana")
        await say(h, "barista")
        await press(h, shown(h), "1.")
        before = h.store.plans(USER)[0]
        await say(h, typed)
        assert reply in last(h)["text"]
        after = h.store.plans(USER)[0]
        assert (after.step, after.draft) == (before.step, before.draft)
        await say(h, "<b>Dinas</b> & Sosial")  # markup is text, shown escaped
        assert "Instansi: <b>&lt;b&gt;Dinas&lt;/b&gt; &amp; Sosial</b>" in last(h)["text"]

    run(bot_settings, scenario, engine=ScriptedEngine())


def test_stale_buttons_show_the_current_step(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "/rencana")
        await say(h, "antrean barista")
        choices = shown(h)
        await press(h, choices, "1.")
        await press(h, choices, "2.")  # an older prompt's button
        assert h.telegram.of("answerCallbackQuery")[-1]["text"].startswith("Langkah ini sudah")
        assert "Inovasi: <b>BARIS DITEBAS</b>" in last(h)["text"]  # still the first choice

    run(bot_settings, scenario, engine=ScriptedEngine())


def test_draft_survives_a_restart(bot_settings: Settings) -> None:
    async def before(h: Harness) -> None:
        await say(h, "/rencana")
        await say(h, "barista")
        await press(h, shown(h), "1.")
        await say(h, "Dinas Sosial Sleman")

    async def after(h: Harness) -> None:
        await say(h, "Kabupaten Sleman, DIY")  # the region, not a question
        await press(h, shown(h), "Modifikasi")

    run(bot_settings, before, engine=ScriptedEngine()).store.close()  # the process ends
    h = run(bot_settings, after, engine=ScriptedEngine())
    [stored] = h.store.plans(USER)
    assert stored.step == READY
    assert stored.plan and stored.plan["request"]["agency"] == "Dinas Sosial Sleman"
    assert len(h.telegram.calls_of("sendDocument")) == 1


def test_plan_from_words_in_english_and_in_groups(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "please make a replication plan for barista")
        assert "Innovation profiles matching “barista”" in shown(h)["text"]
        await say(h, "/rencana", user_id=USER, chat_id=-100900)
        assert "lewat chat pribadi" in last(h)["text"]

    run(bot_settings, scenario, engine=ScriptedEngine())


def test_answer_citing_a_profile_offers_a_plan(bot_settings: Settings) -> None:
    def script(question: str, key: str | None) -> Answer:
        if key is None:
            return answer_from(question, [(BARIS.text, BARIS)])
        return default_script(question, key)

    async def scenario(h: Harness) -> None:
        await say(h, "Apa itu BARIS DITEBAS?")
        answer = last(h)
        assert labels(answer)[-1] == "📝 Buat rencana replikasi"
        await press(h, answer, "📝")
        assert "Inovasi: <b>BARIS DITEBAS</b>" in last(h)["text"]  # a new message
        assert h.telegram.of("editMessageText") == []  # the answer stays as it was
        [draft] = h.store.plans(USER)
        assert draft.step == "agency"

    run(bot_settings, scenario, engine=ScriptedEngine(script))


def test_questions_outside_a_draft_are_answered_as_usual(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "/rencana")
        await say(h, "batal")
        assert "dibatalkan" in last(h)["text"]
        await say(h, "Apa itu BARIS DITEBAS?")
        assert "Maaf, basis pengetahuan" in last(h)["text"]  # answered, not a plan input

    engine = ScriptedEngine()
    run(bot_settings, scenario, engine=engine)
    assert "Apa itu BARIS DITEBAS?" in engine.asked  # (plan questions run in the background)


def test_summary_of_a_long_plan_fits_one_message_and_stays_cited() -> None:
    import datetime as dt

    from bot.plan_choices import innovation_of
    from bot.plan_model import PlanRequest, Statement
    from bot.planner import Planner
    from bot.telegram.plan_views import SUMMARY_LIMIT, plan_summary, visible_length

    request = PlanRequest(innovation_of(BARIS), "Dinas Sosial", "Sleman, DIY", "DI Yogyakarta")
    plan = Planner(ScriptedEngine()).compose(request, today=dt.date(2025, 1, 1))
    for section in plan.sections:  # statements of ~900 characters each
        section.statements = [
            Statement(f"{s.text} " + "panjang sekali " * 60 + "akhir.", s.sources, s.framing)
            if s.sources
            else s
            for s in section.statements
        ]
    summary = plan_summary(plan, frozenset())
    assert visible_length(summary) <= SUMMARY_LIMIT
    counted = count_summary(summary)
    assert counted.ok and counted.sentences >= 2, counted


def test_a_draft_taken_up_again_takes_the_next_text(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await say(h, "/rencana")
        await say(h, "barista")
        await press(h, shown(h), "1.")
        h.store.clock = lambda: 10**10  # an hour later: the draft no longer takes text
        await say(h, "Apa itu KIPP?")
        assert "Maaf, basis pengetahuan" in last(h)["text"]  # answered as a question
        await say(h, "/rencana")
        await press(h, shown(h), "▶️ 1")  # continue the draft
        assert "langkah 2 dari 4" in shown(h)["text"]
        await say(h, "Dinas Sosial Sleman")
        assert "langkah 3 dari 4" in last(h)["text"]
        await say(h, "Di mana daftar hub inovasi?")  # a question on the way: answered
        assert "Maaf, basis pengetahuan" in last(h)["text"]
        assert h.store.plans(USER)[0].step == "region"  # the draft waits

    run(bot_settings, scenario, engine=ScriptedEngine())


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("buat rencana replikasi", ""),
        ("Rencana replikasi!", ""),
        ("tolong buatkan rencana replikasi untuk BARIS DITEBAS", "BARIS DITEBAS"),
        ("please make a replication plan for Rumah Antre.", "Rumah Antre"),
        ("Rencana replikasi harus memuat apa saja?", None),
        ("Bagaimana membuat rencana replikasi?", None),
        ("buat rencana replikasi yang baik itu bagaimana?", None),
        ("apa itu replikasi?", None),
    ],
)
def test_which_messages_ask_for_a_plan(text: str, query: str | None) -> None:
    from bot.telegram.planning import plan_asked_for

    assert plan_asked_for(text) == query
