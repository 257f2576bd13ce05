"""Who may do what: admin tools refuse everyone else and run nothing, and the allow-lists
hold in groups as well as in private chats. (The webhook's secret token is checked end to
end in tests/e2e/test_webhook_e2e.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.telegram import admin, uploads
from replikasi.settings import Settings
from tests.telegram_fakes import (
    BOT_ID,
    BOT_USERNAME,
    Harness,
    callback_update,
    message_update,
    run,
)

ADMIN = 900
COORDINATOR = 901
USER = 1
OTHER = 55
GROUP = -100500
OTHER_GROUP = -100777
PRIVATE = "bersifat privat"


@pytest.fixture
def bot_settings(settings: Settings) -> Settings:
    settings.knowledge_dir.mkdir(parents=True)
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr("123456:TEST"),
            "admin_ids": [ADMIN],
            "coordinator_ids": [COORDINATOR],
        }
    )


@pytest.fixture
def ingests(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every ingest started, by /reindex or by an upload (none should be)."""
    started: list[Any] = []
    monkeypatch.setattr(admin, "run_ingest", lambda *a, **k: started.append(a))
    monkeypatch.setattr(uploads, "run_ingest", lambda *a, **k: started.append(a))
    return started


def _document(name: str = "pedoman-baru.md") -> dict[str, Any]:
    return {"file_id": "f1", "file_unique_id": "u1", "file_name": name, "file_size": 30}


def _assert_nothing_ran(h: Harness, knowledge: Path, ingests: list[Any]) -> None:
    assert ingests == []
    assert h.telegram.of("getFile") == []
    assert list(knowledge.iterdir()) == []
    assert h.services.background == set()
    assert not h.services.ingest_lock.locked()


@pytest.mark.parametrize(
    ("user_id", "update", "refusal"),
    [
        (USER, {"text": "/reindex"}, "hanya dapat digunakan oleh admin"),
        (USER, {"text": "/reindex rebuild"}, "hanya dapat digunakan oleh admin"),
        (COORDINATOR, {"text": "/reindex rebuild"}, "hanya dapat digunakan oleh admin"),
        (USER, {"text": "/stats"}, "hanya dapat dilihat oleh admin dan koordinator"),
        (USER, {"document": _document()}, "hanya admin yang dapat menambahkan dokumen"),
        (COORDINATOR, {"document": _document()}, "hanya admin yang dapat menambahkan dokumen"),
        (USER, {"text": f"/reindex@{BOT_USERNAME}", "chat_id": GROUP}, "oleh admin"),
        (USER, {"text": f"/stats@{BOT_USERNAME}", "chat_id": GROUP}, "admin dan koordinator"),
    ],
    ids=[
        "reindex",
        "reindex-rebuild",
        "coordinator-reindex",
        "stats",
        "upload",
        "coordinator-upload",
        "group-reindex",
        "group-stats",
    ],
)
def test_admin_tools_refuse_others_and_run_nothing(
    bot_settings: Settings,
    ingests: list[Any],
    user_id: int,
    update: dict[str, Any],
    refusal: str,
) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update(user_id=user_id, **update))

    h = run(bot_settings, scenario)
    [reply] = h.telegram.sent_texts
    assert reply.startswith("Maaf,") and refusal in reply
    _assert_nothing_ran(h, bot_settings.knowledge_dir, ingests)


def test_documents_in_groups_are_never_taken_as_uploads(
    bot_settings: Settings, ingests: list[Any]
) -> None:
    """Files are shared in groups all the time: even an admin's is not added (uploads are
    made in a private chat with the bot), and nobody is lectured about it."""

    async def scenario(h: Harness) -> None:
        await h.send(message_update(user_id=ADMIN, chat_id=GROUP, document=_document()))
        await h.send(message_update(user_id=USER, chat_id=GROUP, document=_document()))

    h = run(bot_settings, scenario)
    assert h.telegram.sent_texts == []
    _assert_nothing_ran(h, bot_settings.knowledge_dir, ingests)


def test_help_shows_admin_tools_to_admins_only(bot_settings: Settings) -> None:
    async def scenario(h: Harness) -> None:
        await h.send(message_update("/help", user_id=USER))
        await h.send(message_update("/help", user_id=COORDINATOR))
        await h.send(message_update("/help", user_id=ADMIN))

    h = run(bot_settings, scenario)
    to_user, to_coordinator, to_admin = h.telegram.sent_texts
    assert "/reindex" not in to_user and "/stats" not in to_user
    assert "/stats" in to_coordinator and "/reindex" not in to_coordinator
    assert "/reindex rebuild" in to_admin and "Khusus admin" in to_admin


# -- allow-lists ---------------------------------------------------------------------------
def _bot_message(chat_id: int) -> dict[str, Any]:
    return {
        "message_id": 77,
        "date": 0,
        "chat": {"id": chat_id, "type": "supergroup", "title": "Tim"},
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Replikasi"},
        "text": "jawaban sebelumnya",
    }


def test_user_allow_list_holds_in_groups(bot_settings: Settings, ingests: list[Any]) -> None:
    """Only listed users are served, in any chat; others who address the bot in a group
    are told it is private, and ordinary group chatter is left alone."""
    settings = bot_settings.model_copy(update={"allowed_user_ids": [USER]})
    mention = f"@{BOT_USERNAME} apa itu KIPP?"

    async def scenario(h: Harness) -> None:
        await h.send(message_update(mention, user_id=USER, chat_id=OTHER_GROUP))
        markup = h.telegram.of("sendMessage")[0]["reply_markup"]
        await h.send(message_update(mention, user_id=OTHER, chat_id=OTHER_GROUP))
        await h.send(message_update("/tanya apa itu KIPP?", user_id=OTHER, chat_id=OTHER_GROUP))
        reply = _bot_message(OTHER_GROUP)
        await h.send(
            message_update("kalau SINOVIK?", user_id=OTHER, chat_id=OTHER_GROUP, reply_to=reply)
        )
        await h.send(message_update(f"/reindex@{BOT_USERNAME}", user_id=OTHER, chat_id=OTHER_GROUP))
        await h.send(message_update("ngobrol biasa", user_id=OTHER, chat_id=OTHER_GROUP))
        data = markup["inline_keyboard"][0][0]["callback_data"]
        await h.send(callback_update(data, user_id=OTHER, chat_id=OTHER_GROUP, reply_markup=markup))

    h = run(settings, scenario)
    assert [q for q, _ in h.engine.asked] == ["apa itu KIPP?"]  # USER's question only
    answer, *refusals = h.telegram.sent_texts
    assert "adopsi" in answer
    assert len(refusals) == 4 and all(PRIVATE in text for text in refusals)
    [alert] = h.telegram.of("answerCallbackQuery")
    assert PRIVATE in alert["text"] and h.telegram.of("editMessageText") == []
    assert ingests == []


def test_chat_allow_list_serves_every_member_of_a_listed_group_only(
    bot_settings: Settings,
) -> None:
    settings = bot_settings.model_copy(
        update={"allowed_chat_ids": [GROUP], "allowed_user_ids": [USER]}
    )

    async def scenario(h: Harness) -> None:
        await h.send(message_update("/tanya apa itu KIPP?", user_id=OTHER, chat_id=GROUP))
        await h.send(message_update("/tanya apa itu SINOVIK?", user_id=OTHER, chat_id=OTHER_GROUP))
        await h.send(message_update("apa itu JIPPNas?", user_id=OTHER))
        await h.send(message_update("apa itu KIPP?", user_id=ADMIN))  # admins: never locked out

    h = run(settings, scenario)
    assert [q for q, _ in h.engine.asked] == ["apa itu KIPP?", "apa itu KIPP?"]
    in_group, other_group, private, admin_answer = h.telegram.of("sendMessage")
    assert int(in_group["chat_id"]) == GROUP and "adopsi" in in_group["text"]
    assert int(other_group["chat_id"]) == OTHER_GROUP and PRIVATE in other_group["text"]
    assert PRIVATE in private["text"]
    assert "adopsi" in admin_answer["text"]
