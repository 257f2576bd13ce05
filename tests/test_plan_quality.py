"""Plans composed by the real engine (offline model) over the starter knowledge base plus a
synthetic catalogue: every non-heading sentence carries a valid source number, in the DOCX
and in the chat summary, and every part of the plan is there. Structure and citations are
asserted, not wording: the engine's answers change as the engine improves."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document

from bot.engine import AnswerEngine
from bot.plan_docx import render_docx
from bot.plan_model import Form, PlanRequest
from bot.planner import Planner
from bot.telegram.plan_views import plan_summary
from ingest.pipeline import run_ingest
from replikasi import cli
from replikasi.language import Language
from replikasi.settings import Settings, get_settings
from scripts.generate_catalogue import generate_profiles, write_catalogue
from tests.plan_checks import count_docx, count_summary

pytestmark = pytest.mark.slow

# (what the user types, agency, region, form, language)
REQUESTS: list[tuple[str, str, str, Form, Language]] = [
    ("BARIS DITEBAS", "Dinas Sosial Kabupaten Sleman", "Sleman, DIY", "adaptasi", "id"),
    ("Pesona Surga", "Dinas Sosial Kota Kupang", "Kota Kupang, NTT", "modifikasi", "id"),
    ("DataGO", "Diskominfo Kota Bogor", "Kota Bogor, Jawa Barat", "adopsi", "id"),
    ("pelatihan kerja penyandang disabilitas", "Balai Latihan Kerja Medan", "Sumut", "adaptasi",
     "en"),
    ("antrean panjang di puskesmas", "Dinas Kesehatan Kabupaten Bantul", "Bantul, DIY",
     "modifikasi", "id"),
]  # fmt: skip


@pytest.fixture(scope="module")
def catalogue_settings(starter_index: Settings, tmp_path_factory: pytest.TempPathFactory):
    """The starter index plus 40 synthetic catalogue rows (in a temporary knowledge folder:
    synthetic profiles never go into knowledge/)."""
    base = tmp_path_factory.mktemp("plans")
    shutil.copytree(starter_index.data_dir, base / "data")
    shutil.copytree(starter_index.knowledge_dir, base / "knowledge")
    profiles = generate_profiles(40, seed=11)
    write_catalogue(profiles, base / "knowledge" / "katalog-sintetis.csv")
    settings = Settings(_env_file=None, data_dir=base / "data", knowledge_dir=base / "knowledge")  # type: ignore[call-arg]
    assert run_ingest(settings).ok
    return settings, profiles


@pytest.fixture(scope="module")
def planner(catalogue_settings) -> Planner:
    engine = AnswerEngine(catalogue_settings[0])
    engine.warm()
    return Planner(engine)


def _requests(profiles) -> list[tuple[str, str, str, Form, Language]]:
    named = str(profiles[0]["name"])  # a catalogue row by its name
    return [*REQUESTS, (named, "Dinas Kominfo Kota Ambon", "Kota Ambon, Maluku", "adopsi", "id")]


def test_every_sentence_of_generated_plans_is_cited(planner: Planner, catalogue_settings) -> None:
    _, profiles = catalogue_settings
    sentences = 0
    for query, agency, region, form, language in _requests(profiles):
        [innovation, *_] = planner.find_innovations(query)
        request = PlanRequest(
            innovation, agency, region, planner.match_province(region), form, language
        )
        plan = planner.compose(request)
        data = render_docx(plan)
        count, sections = count_docx(data, language)
        assert count.ok, (query, count.uncited, count.invalid)
        summary = count_summary(plan_summary(plan, frozenset()), language)
        assert summary.ok, (query, summary.uncited, summary.invalid)
        sentences += count.sentences + summary.sentences

        # Every part is in the document, the sources list last.
        assert len(sections) == len(plan.sections) + 2  # + title, + sources
        assert list(sections)[-1] == ("Sumber" if language == "id" else "Sources")
        innovation_part = plan.sections[0]
        cited = [s for s in innovation_part.statements if s.sources]
        assert cited, query
        assert all(
            plan.source(n).doc_id == innovation.doc_id  # type: ignore[union-attr]
            for s in cited
            for n in s.sources
        ), query
        unknown = plan.section("unknown")
        assert unknown is not None and any(s.sources for s in unknown.statements), query
        steps = [s for s in plan.steps if any(st.sources for st in s.statements)]
        assert len(steps) >= 3, query  # most steps say what to do, with a source
        assert Document(io.BytesIO(data)).paragraphs[0].text == plan.title
    assert sentences >= 150  # the count is real: many sentences, none uncited
    print(f"\n{sentences} sentences counted in {len(_requests(profiles))} plans, all cited")


def test_catalogue_innovation_is_found_with_its_fields(
    planner: Planner, catalogue_settings
) -> None:
    _, profiles = catalogue_settings
    row = profiles[0]
    [first, *_] = planner.find_innovations(str(row["name"]))
    assert first.name == row["name"] and first.agency == row["agency"]
    assert first.region == row["region"] and first.contact_url.startswith("https://contoh.invalid")
    region = f"{row['kabupaten_kota']}"
    assert planner.match_province(region) == row["region"]  # a regency the catalogue knows


def test_cli_writes_the_docx_and_prints_json(
    starter_index: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("DATA_DIR", str(starter_index.data_dir))
    monkeypatch.setenv("KNOWLEDGE_DIR", str(starter_index.knowledge_dir))
    get_settings.cache_clear()
    out = tmp_path / "rencana" / "plan.docx"
    try:
        argv = [
            "rencana",
            *("--inovasi", "BARIS DITEBAS", "--instansi", "Dinas Sosial Sleman"),
            *("--wilayah", "Sleman, DIY", "--bentuk", "adaptasi", "--out", str(out), "--json"),
        ]
        assert cli.main(argv) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["plan"]["title"] == "Rencana Replikasi BARIS DITEBAS — Dinas Sosial Sleman"
        assert data["plan"]["request"]["province"] == "DI Yogyakarta"
        assert data["docx"] == str(out) and out.stat().st_size > 5000
        count, _ = count_docx(out.read_bytes())
        assert count.ok

        bad = ["rencana", "--inovasi", "🙂", "--instansi", "x", "--wilayah", "y"]
        assert cli.main(bad) == 2
        assert "Teksnya kosong" in capsys.readouterr().err
        none = ["rencana", "--inovasi", "zzqx qqzz", "--instansi", "x", "--wilayah", "y"]
        assert cli.main(none) == 1
        assert "No innovation profile matches" in capsys.readouterr().err
        assert cli.main([*none, "--json"]) == 1  # a script gets JSON, errors included
        assert "No innovation profile matches" in json.loads(capsys.readouterr().out)["error"]
    finally:
        get_settings.cache_clear()


def test_with_an_llm_the_plan_is_made_of_its_cited_answers(starter_index: Settings) -> None:
    from pydantic import SecretStr

    from tests.openai_stub import chat_stub

    with chat_stub() as llm:
        llm.reply(
            "Replication can take the form of adoption, adaptation or modification [1]. "
            "The official stage names are not in these sources [2]."
        )
        settings = starter_index.model_copy(
            update={"openai_base_url": llm.base_url, "openai_api_key": SecretStr("sk-test")}
        )
        planner = Planner(AnswerEngine(settings))
        assert planner.workers == 4  # LLM answers wait on the network: asked in parallel
        [innovation, *_] = planner.find_innovations("BARIS DITEBAS")
        request = PlanRequest(innovation, "Social Affairs Office", "Sleman, DIY", "DI Yogyakarta",
                              "adaptasi", "en")  # fmt: skip
        plan = planner.compose(request)
        asked = [r["messages"][-1]["content"] for r in llm.requests]
    assert plan.mode == "llm"
    assert any("What is BARIS DITEBAS" in text for text in asked)  # asked in English
    count, _ = count_docx(render_docx(plan), "en")
    assert count.ok, (count.uncited, count.invalid)
    statements = [s.text for section in plan.sections for s in section.statements if s.sources]
    assert "Replication can take the form of adoption, adaptation or modification." in statements
