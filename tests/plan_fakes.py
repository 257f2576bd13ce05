"""A scripted engine for the planner's tests: each of the planner's questions (recognised
from the table in bot/plan_questions.py) gets a canned answer written the way the engine
writes them (text with [n] markers, numbered citations, an outcome), over a handful of
passages that look like the starter knowledge base and a catalogue row."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.plan_questions import QUESTIONS
from replikasi.index import IndexedDocument
from replikasi.records import Answer, Citation, Outcome, RetrievedChunk, Turn


def chunk(
    chunk_id: str, text: str, *, title: str, section: str = "", doc_type: str = "guideline",
    url: str = "https://menpan.go.id/x", **metadata: Any,
) -> RetrievedChunk:  # fmt: skip
    doc_id = chunk_id.split("#")[0]
    return RetrievedChunk(
        chunk_id=chunk_id, doc_id=doc_id, title=title, section=section, text=text,
        doc_type=doc_type, source_url=url,
        metadata={"doc_id": doc_id, "doc_type": doc_type, "title": title, **metadata},
    )  # fmt: skip


BARIS = chunk(
    "inovasi-baris-ditebas#0000",
    "BARIS DITEBAS adalah inovasi Sentra Wyata Guna Bandung berupa pelatihan barista bagi "
    "penyandang disabilitas. Lulusannya bekerja di Café More Wyata Guna.",
    title="BARIS DITEBAS (Barista Disabilitas Terobos Stigma) – Sentra Wyata Guna Bandung",
    doc_type="innovation",
    url="https://kemensos.go.id/baris",
)
BARIS_RESULTS = chunk(
    "inovasi-baris-ditebas#0001",
    "22 orang penyandang low vision telah dilatih sejak 2019.",
    title=BARIS.title,
    section="Hasil BARIS DITEBAS",
    doc_type="innovation",
)
CATALOGUE = chunk(
    "katalog/rumah-antre#0000",
    "Instansi: UPTD Puskesmas Surakarta Utara\nDaerah: Jawa Tengah\n\n## Ringkasan\n"
    "Rumah Antre memangkas antrean pasien dengan pendaftaran lewat WhatsApp.\n\n## Hasil\n"
    "Waktu tunggu turun dari 3 jam menjadi 30 menit.",
    title="Rumah Antre",
    doc_type="innovation",
    url="https://contoh.invalid/inovasi/rumah-antre",
    name="Rumah Antre",
    agency="UPTD Puskesmas Surakarta Utara",
    region="Jawa Tengah",
    year=2019,
    award="Top 99 KIPP 2020",
    contact_url="https://contoh.invalid/inovasi/rumah-antre",
    synthetic="true",
)
FORMS = chunk(
    "pedoman#0005",
    "Replikasi inovasi memiliki tiga bentuk:\n1. Adopsi\n2. Adaptasi\n3. Modifikasi",
    title="Pedoman Menteri PANRB Nomor 6 Tahun 2024",
    section="Bentuk replikasi",
    doc_type="regulation",
    reg_label="Pedoman 6/2024",
)
MODIFY = chunk(
    "pedoman#0006",
    "Inovasi yang direplikasi boleh dimodifikasi agar sesuai dengan kebutuhan daerah.",
    title="Pedoman Menteri PANRB Nomor 6 Tahun 2024",
    section="Boleh memodifikasi",
    doc_type="regulation",
)
STAGES = chunk(
    "praktik#0005",
    "Model mandiri berjalan melalui empat tahap:\n1. Persiapan;\n2. Rencana dan "
    "pengembangan;\n3. Replikasi;\n4. Evaluasi.",
    title="Praktik Replikasi Inovasi",
    section="Tahapan model mandiri",
)
AGREEMENT = chunk(
    "praktik#0006",
    "Model kerja sama dimulai dengan nota kesepahaman (MoU), lalu perjanjian kerja sama (PKS).",
    title="Praktik Replikasi Inovasi",
    section="Model kerja sama",
)
HUBS = chunk(
    "hub#0005",
    "Hub inovasi daerah bertambah:\n- 2023: Jambi, Jawa Barat (Jabar), dan Daerah Istimewa "
    "Yogyakarta (DIY) bergabung sebagai hub inovasi.\n- Nama provinsi lain belum tercantum.",
    title="Hub Inovasi Pelayanan Publik",
    section="Penambahan hub",
    doc_type="program",
)
JIPPNAS = chunk(
    "jippnas#0008",
    "JIPPNas tampaknya mendukung alur: minat replikasi → verifikasi → kesepakatan → implementasi.",
    title="JIPPNas",
    section="Alur replikasi",
    doc_type="platform",
)
LEGAL = chunk(
    "dasar-hukum#0002",
    "Pedoman Menteri PANRB 6/2024 mengatur mekanisme replikasi dan perluasan inovasi.",
    title="Dasar Hukum Inovasi Pelayanan Publik",
    section="Daftar peraturan",
    doc_type="regulation",
    url="https://jdih.menpan.go.id/pedoman-6-2024",
)
UNKNOWN = chunk(
    "pedoman#0010",
    "Basis pengetahuan ini belum memuat teks resmi Pedoman 6/2024. Hal berikut belum "
    "tercantum:\n- nama resmi tahapan;\n- dokumen persyaratan;\n- tenggat waktu.\n"
    "Rujuk teks resmi di JDIH KemenPANRB.",
    title="Pedoman Menteri PANRB Nomor 6 Tahun 2024",
    section="Hal yang belum diketahui",
    doc_type="regulation",
)
PASSAGES = (BARIS, BARIS_RESULTS, CATALOGUE, FORMS, MODIFY, STAGES, AGREEMENT, HUBS, JIPPNAS,
            LEGAL, UNKNOWN)  # fmt: skip

NOT_KNOWN_LEAD = "Hal ini belum diketahui dari sumber yang saya miliki:"
OFFICIAL = "Untuk informasi resmi, silakan cek situs KemenPANRB (menpan.go.id)."


def answer_from(
    question: str, parts: Sequence[tuple[str, RetrievedChunk]], outcome: Outcome = "answered"
) -> Answer:
    """An answer as the engine writes it: each part followed by its passage's marker."""
    numbers: dict[str, int] = {}
    for _, passage in parts:
        numbers.setdefault(passage.chunk_id, len(numbers) + 1)
    body = " ".join(f"{text} [{numbers[p.chunk_id]}]" for text, p in parts)
    if outcome == "not_known":
        body = f"{NOT_KNOWN_LEAD}\n\n{body}\n\n{OFFICIAL}"
    by_id = {p.chunk_id: p for _, p in parts}
    citations = [Citation.from_chunk(n, by_id[cid]) for cid, n in numbers.items()]
    return Answer(question=question, language="id", text=body, citations=citations,
                  chunks=list(by_id.values()), outcome=outcome)  # fmt: skip


def abstained(question: str) -> Answer:
    text = f"Maaf, basis pengetahuan saya belum memuat jawaban untuk pertanyaan ini.\n\n{OFFICIAL}"
    return Answer(question=question, language="id", text=text, outcome="abstained")


def _key_of(question: str) -> str | None:
    for key, texts in QUESTIONS.items():
        for template in texts.values():
            pattern = re.escape(template)
            pattern = re.sub(r"\\\{\w+\\\}", ".+?", pattern)
            if re.fullmatch(pattern, question):
                return key
    return None


def default_script(question: str, key: str | None) -> Answer:
    """The canned answer to each planner question (key from the question table)."""
    if key == "innovation":
        if "Rumah Antre" in question:
            return answer_from(question, [("Rumah Antre memangkas antrean pasien.", CATALOGUE)])
        return answer_from(
            question,
            [
                ("BARIS DITEBAS adalah inovasi Sentra Wyata Guna Bandung.", BARIS),
                ("Replikasi inovasi memiliki tiga bentuk.", FORMS),  # not about it: left out
                ("22 orang penyandang low vision telah dilatih sejak 2019.", BARIS_RESULTS),
            ],
        )
    if key in ("forms", "form_adaptasi"):
        return answer_from(
            question,
            [
                (
                    "Replikasi inovasi memiliki tiga bentuk:\n1. Adopsi\n2. Adaptasi\n"
                    "3. Modifikasi",
                    FORMS,
                )
            ],
        )
    if key in ("form_modifikasi", "fit_locally"):
        return answer_from(question, [(MODIFY.text, MODIFY)])
    if key in ("stages", "implementation"):
        return answer_from(question, [(STAGES.text, STAGES)])
    if key == "agreement":
        return answer_from(question, [(AGREEMENT.text, AGREEMENT)])
    if key == "jippnas":
        return answer_from(question, [(JIPPNAS.text, JIPPNAS)])
    if key in ("hub", "hubs"):
        return answer_from(question, [(HUBS.text, HUBS)], outcome="not_known")
    if key == "legal":
        return answer_from(question, [(LEGAL.text, LEGAL)])
    if key == "unknown":
        return answer_from(question, [(UNKNOWN.text, UNKNOWN)], outcome="not_known")
    if key == "evaluation":  # "not known" outside the unknown question: moved there
        return answer_from(
            question,
            [("Basis pengetahuan belum memuat cara evaluasi replikasi.", UNKNOWN)],
            outcome="not_known",
        )
    return abstained(question)


class ScriptedEngine:
    """An `EngineFront` answering the planner's questions from `default_script` (or the
    `script` given), recording each question; profile search by words in name or text."""

    mode = "extractive"
    embedding: Any = None

    def __init__(self, script: Any = default_script, passages: Sequence[RetrievedChunk] = PASSAGES):
        self.script = script
        self.passages = list(passages)
        self.asked: list[str] = []

    def warm(self) -> None:
        return None

    def reload(self) -> None:
        return None

    def clear_caches(self) -> None:
        return None

    def documents(self) -> list[IndexedDocument]:
        return []

    def passage(self, chunk_id: str) -> RetrievedChunk | None:
        return next((p for p in self.passages if p.chunk_id == chunk_id), None)

    def search_profiles(self, query: str, k: int = 20) -> list[RetrievedChunk]:
        words = {w for w in re.findall(r"\w+", query.casefold()) if len(w) > 2}
        found = [
            p for p in self.passages
            if p.doc_type == "innovation"
            and words & set(re.findall(r"\w+", f"{p.title} {p.text} {p.metadata}".casefold()))
        ]  # fmt: skip
        return [RetrievedChunk(**{**p.__dict__, "lexical": 1.0}) for p in found[:k]]

    def retrieve(self, query: str, k: int | None = None) -> list[RetrievedChunk]:
        return self.search_profiles(query, k or 5)

    def answer(
        self, question: str, history: Sequence[Turn] = (), *, overview: bool = True
    ) -> Answer:
        self.asked.append(question)
        return self.script(question, _key_of(question))
