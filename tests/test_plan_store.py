"""Plans in the bot store, on SQLite and PostgreSQL alike: per user, versioned against
concurrent writers (replicas), ticks, gathered evidence, retention and the migration."""

from __future__ import annotations

from bot.telegram.plan_store import DRAFT_RETENTION_DAYS, READY
from bot.telegram.state import DAY
from tests.test_telegram_state import Backend, answer, backend  # noqa: F401  (the fixture)

ALICE, BOB = 101, 202


def test_plans_belong_to_their_user(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    plan = store.create_plan(ALICE, ALICE, "id", "innovation", {"query": "barista"})
    assert store.plan(plan.plan_id, ALICE) == plan
    assert store.plan(plan.plan_id, BOB) is None
    assert not store.update_plan(plan.plan_id, BOB, 0, step="agency", draft={})
    store.set_step_done(plan.plan_id, BOB, "prepare", True)
    assert not store.delete_plan(plan.plan_id, BOB)
    assert store.plans(BOB) == [] and store.active_draft(BOB, BOB, 0) is None
    assert store.plan(plan.plan_id, ALICE) == plan  # untouched by the other user
    assert backend.count("plan_steps") == 0


def test_a_change_based_on_an_old_read_is_refused(backend: Backend) -> None:  # noqa: F811
    first, second = backend.open(), backend.open()  # two replicas on one database
    plan = first.create_plan(ALICE, ALICE, "id", "innovation", {})
    seen_by_second = second.plan(plan.plan_id, ALICE)
    assert seen_by_second is not None
    assert first.update_plan(plan.plan_id, ALICE, plan.version, step="choose", draft={"q": 1})
    assert not second.update_plan(
        plan.plan_id, ALICE, seen_by_second.version, step="agency", draft={"q": 2}
    )
    current = second.plan(plan.plan_id, ALICE)
    assert current is not None and (current.step, current.draft) == ("choose", {"q": 1})


def test_active_draft_is_the_latest_unfinished_one_in_that_chat(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    older = store.create_plan(ALICE, ALICE, "id", "innovation", {})
    backend.clock.now += 60
    newer = store.create_plan(ALICE, ALICE, "en", "agency", {"innovation": {"name": "X"}})
    assert store.active_draft(ALICE, ALICE, 0).plan_id == newer.plan_id  # type: ignore[union-attr]
    assert store.active_draft(ALICE, 999, 0) is None  # another chat
    assert store.active_draft(ALICE, ALICE, backend.clock.now + 1) is None  # gone idle
    assert store.update_plan(newer.plan_id, ALICE, 0, step=READY, draft={}, plan={"t": 1})
    assert store.active_draft(ALICE, ALICE, 0).plan_id == older.plan_id  # type: ignore[union-attr]
    assert [p.plan_id for p in store.plans(ALICE)] == [newer.plan_id, older.plan_id]


def test_ticks_evidence_and_delete(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    plan = store.create_plan(ALICE, ALICE, "id", "form", {})
    store.save_evidence(plan.plan_id, {"stages": {"key": "stages", "findings": []}})
    store.save_evidence(plan.plan_id, {"stages": {"key": "stages", "v": 2}})  # replaced
    store.save_evidence("no-such-plan", {"stages": {"key": "stages"}})  # ignored
    assert store.evidence(plan.plan_id) == {"stages": {"key": "stages", "v": 2}}
    assert store.evidence("no-such-plan") == {}
    assert store.update_plan(plan.plan_id, ALICE, 0, step=READY, draft={}, plan={"t": 1}, title="T")
    assert store.evidence(plan.plan_id) == {}  # composed: the answers are in the plan now
    for _ in range(2):  # ticking twice is still one tick
        store.set_step_done(plan.plan_id, ALICE, "prepare", True)
    store.set_step_done(plan.plan_id, ALICE, "evaluate", True)
    store.set_step_done(plan.plan_id, ALICE, "evaluate", False)
    stored = store.plan(plan.plan_id, ALICE)
    assert stored is not None and stored.done == {"prepare"} and stored.ready
    assert store.plans(ALICE)[0].done == {"prepare"}
    assert store.delete_plan(plan.plan_id, ALICE)
    assert backend.count("plans") == backend.count("plan_steps") == 0


def test_prune_forgets_abandoned_drafts_but_keeps_plans(backend: Backend) -> None:  # noqa: F811
    store = backend.open()
    draft = store.create_plan(ALICE, ALICE, "id", "agency", {})
    store.save_evidence(draft.plan_id, {"stages": {}})
    ready = store.create_plan(ALICE, ALICE, "id", "form", {})
    assert store.update_plan(ready.plan_id, ALICE, 0, step=READY, draft={}, plan={"t": 1})
    store.set_step_done(ready.plan_id, ALICE, "prepare", True)
    backend.clock.now += (DRAFT_RETENTION_DAYS + 1) * DAY
    store.prune()
    assert [p.plan_id for p in store.plans(ALICE)] == [ready.plan_id]
    assert backend.count("plan_evidence") == 0 and backend.count("plan_steps") == 1


def test_upgrade_adds_the_plan_tables_and_keeps_the_rest(backend: Backend) -> None:  # noqa: F811
    old = backend.open(migrations=2)  # the release before plans
    old.save_answer(5, answer("Apa itu KIPP?"), "html")
    old.close()
    store = backend.open()
    assert store.schema_version() == backend.migrations >= 3
    assert {"plans", "plan_steps", "plan_evidence"} <= backend.tables()
    assert backend.count("answers") == 1
    plan = store.create_plan(ALICE, ALICE, "id", "innovation", {})
    assert store.plan(plan.plan_id, ALICE) is not None
