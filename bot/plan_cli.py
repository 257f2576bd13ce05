"""`replikasi rencana`: a replication plan from the command line, on the bot's planner.

    replikasi rencana --inovasi "BARIS DITEBAS" --instansi "Dinas Sosial Kab. Sleman" \\
        --wilayah "Sleman, DIY" --bentuk adaptasi --out rencana.docx [--json]

The innovation is searched like /rencana does; the best match is used (`--pilihan N` picks
another of the matches listed). The plan is printed (or, with --json, printed as JSON) and
written as DOCX to --out. With --json an error is `{"error": "..."}` on stdout too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rich.table import Table

from bot.plan_docx import render_docx, render_text
from bot.plan_inputs import MAX_NAME_CHARS, MAX_QUERY_CHARS, InvalidPlanInputError, clean_input
from bot.plan_model import FORMS, Innovation, PlanRequest
from replikasi.cli import report_error
from replikasi.console import console, err_console
from replikasi.errors import ReplikasiError
from replikasi.settings import Settings


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    from bot.engine import AnswerEngine
    from bot.planner import Planner

    language = args.bahasa
    try:
        query = clean_input(args.inovasi, language, MAX_QUERY_CHARS)
        agency = clean_input(args.instansi, language, MAX_NAME_CHARS)
        region = clean_input(args.wilayah, language, MAX_NAME_CHARS)
    except InvalidPlanInputError as exc:
        return report_error(str(exc), as_json=args.json)
    out = Path(args.out) if args.out else None
    if out is not None and out.suffix.lower() != ".docx":
        return report_error(
            "--out must name a .docx file, e.g. --out rencana.docx", as_json=args.json
        )

    engine = AnswerEngine(settings)
    engine.warm()  # fail fast on a missing index, before any question
    planner = Planner(engine)
    err_console.print(f"Searching innovation profiles for “{query}”…")
    candidates = planner.find_innovations(query)
    if not candidates:
        return report_error(
            f"No innovation profile matches “{query}”. Try its name, the agency or region "
            "running it, or a keyword of the problem.",
            as_json=args.json,
            code=1,
        )
    if not 1 <= args.pilihan <= len(candidates):
        return report_error(
            f"--pilihan must be between 1 and {len(candidates)}.", as_json=args.json
        )
    if not args.json:
        err_console.print(choices_table(candidates, args.pilihan))
    province = planner.match_province(region)
    request = PlanRequest(
        innovation=candidates[args.pilihan - 1],
        agency=agency,
        region=region,
        province=province,
        form=args.bentuk,
        language=language,
    )
    err_console.print(f"Composing the plan ({engine.mode} answers)…")
    started = time.perf_counter()
    plan = planner.compose(request)
    seconds = time.perf_counter() - started
    if out is not None:
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(render_docx(plan))
        except OSError as exc:
            raise ReplikasiError(f"Cannot write {out}: {exc.strerror or exc}.") from exc
    if args.json:
        result = {"plan": plan.to_dict(), "docx": str(out) if out else None, "seconds": seconds}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        console.print(render_text(plan), highlight=False, markup=False)
        where = f"; DOCX written to {out}" if out else ""
        err_console.print(f"[dim]{len(plan.sources)} sources · {seconds:.2f} s{where}[/dim]")
    return 0


def choices_table(candidates: list[Innovation], chosen: int) -> Table:
    table = Table(title="Matching innovation profiles (--pilihan N picks another)")
    for column in ("#", "innovation", "agency", "region", "year", "award"):
        table.add_column(column)
    for n, innovation in enumerate(candidates, start=1):
        mark = "▶ " if n == chosen else ""
        table.add_row(
            f"{mark}{n}",
            innovation.name,
            innovation.agency,
            innovation.region,
            innovation.year,
            innovation.award,
        )
    return table


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    plan = sub.add_parser(
        "rencana", help="a cited replication plan (DOCX) for an innovation, as /rencana makes"
    )
    plan.add_argument("--inovasi", required=True, help="the innovation's name, or a problem")
    plan.add_argument("--instansi", required=True, help="the replicating agency")
    plan.add_argument("--wilayah", required=True, help="where: regency/city and province")
    plan.add_argument("--bentuk", choices=FORMS, default="adaptasi", help="form of replication")
    plan.add_argument("--bahasa", choices=("id", "en"), default="id", help="language of the plan")
    plan.add_argument("--pilihan", type=int, default=1, help="which matching innovation (1-5)")
    plan.add_argument("--out", help="write the plan as DOCX to this file")
    plan.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan.set_defaults(handler=cmd_plan)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("Run through the `replikasi` command.")
