"""How fast a replication plan is ready, engine-side, on the real engine and index.

    python -m scripts.bench_plan [--rounds 3] [--show 2] [--json]

Uses the configured index (DATA_DIR / KNOWLEDGE_DIR, as `replikasi` does). Each scenario is
played the way the bot plays the /rencana conversation:

1. choices   the innovation search (the user typed a name or a problem);
2. ahead     the questions that need nothing from the user, asked in the background as
             soon as the plan starts (the user is reading and typing meanwhile);
3. chosen    the innovation's own question, asked in the background once it is picked;
4. region    the province match, the hub, and the forms with their cited lines (the
             prompt of the last step);
5. plan      from the last choice (the form) to the plan: composing it from what was
             gathered and rendering the DOCX. This is the number the user waits for.

`cold` is the same plan composed from nothing (as `replikasi rencana` does), after the
engine's query cache is cleared. `--show N` prints the chat summaries of the first N plans.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from bot.engine import AnswerEngine
from bot.plan_docx import render_docx
from bot.plan_model import Form, PlanRequest
from bot.planner import Planner
from replikasi.language import Language
from replikasi.settings import get_settings

T = TypeVar("T")
STAGES = ("choices", "ahead", "chosen", "region", "plan", "cold")
# (what the user types, agency, region, form, language)
SCENARIOS: list[tuple[str, str, str, Form, Language]] = [
    ("BARIS DITEBAS", "Dinas Sosial Kabupaten Sleman", "Sleman, DIY", "adaptasi", "id"),
    ("Pesona Surga", "Dinas Sosial Kota Kupang", "Kota Kupang, NTT", "modifikasi", "id"),
    ("DataGO", "Diskominfo Kota Bogor", "Kota Bogor, Jawa Barat", "adopsi", "id"),
    ("pelatihan kerja penyandang disabilitas", "Balai Latihan Kerja Medan", "Sumut",
     "adaptasi", "en"),
    ("antrean panjang di puskesmas", "Dinas Kesehatan Kabupaten Bantul", "Bantul, DIY",
     "modifikasi", "id"),
    ("stunting", "Dinas Kesehatan Kota Ambon", "Kota Ambon, Maluku", "adaptasi", "id"),
]  # fmt: skip


def timed(times: dict[str, list[float]], stage: str, call: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = call()
    times[stage].append((time.perf_counter() - started) * 1000)
    return result


def play(planner: Planner, scenario: tuple[str, str, str, Form, Language],
         times: dict[str, list[float]]) -> Any:  # fmt: skip
    query, agency, region, form, language = scenario
    found = timed(times, "choices", lambda: planner.find_innovations(query))
    if not found:
        return None
    innovation = found[0]
    known = timed(times, "ahead", lambda: planner.gather(planner.generic_questions(language)))
    known |= timed(
        times,
        "chosen",
        lambda: planner.gather(planner.innovation_question(innovation, language), known),
    )

    def region_step() -> str:
        province = planner.match_province(region)
        _, asked = planner.form_choice(innovation, agency, province, language, known)
        known.update(asked)
        _, asked = planner.hub(province, language, known)
        known.update(asked)
        return province

    province = timed(times, "region", region_step)
    request = PlanRequest(innovation, agency, region, province, form, language)
    plan = timed(times, "plan", lambda: (p := planner.compose(request, known), render_docx(p))[0])
    planner.engine.clear_caches()
    timed(times, "cold", lambda: render_docx(planner.compose(request)))
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the scenarios")
    parser.add_argument("--show", type=int, default=0, help="print N plans' chat summaries")
    parser.add_argument("--json", action="store_true", help="results as JSON")
    args = parser.parse_args(argv)

    engine = AnswerEngine(get_settings())
    engine.warm()
    planner = Planner(engine)
    for scenario in SCENARIOS:  # warm-up: model, index and BM25 loaded as in a running bot
        play(planner, scenario, {stage: [] for stage in STAGES})
    times: dict[str, list[float]] = {stage: [] for stage in STAGES}
    plans = []
    for _ in range(args.rounds):
        engine.clear_caches()
        plans = [play(planner, scenario, times) for scenario in SCENARIOS]
    result: dict[str, Any] = {
        "mode": engine.mode,
        "plans": len(times["plan"]),
        **{
            stage: {
                "ms_p50": round(statistics.median(values), 1),
                "ms_max": round(max(values), 1),
            }
            for stage, values in times.items()
            if values
        },
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['plans']} plans ({engine.mode}), milliseconds:")
        for stage in STAGES:
            if stage in result:
                print(f"  {stage:8} p50 {result[stage]['ms_p50']:8.1f}   max "
                      f"{result[stage]['ms_max']:8.1f}")  # fmt: skip
    if args.show:
        from bot.telegram.plan_views import plan_summary

        for plan in [p for p in plans if p is not None][: args.show]:
            print("\n" + "-" * 72 + "\n" + plan_summary(plan, frozenset()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
