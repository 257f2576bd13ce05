"""Everything the planner asks the engine and every fixed line it writes, in one table.

A plan section is answered by one or more of QUESTIONS (asked in the plan's language, with
`{innovation}` / `{province}` filled in); what the engine answers with citations becomes
the section. Tune a section by editing its questions here, nowhere else.

Fixed lines (headings, field labels, FRAMING) are the only text the planner writes itself;
framing lines say something about the plan or the knowledge base, never a fact about
replication, so they carry no citation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.messages import OFFICIAL_CHANNELS
from bot.plan_model import Form
from replikasi.language import Language

Texts = Mapping[Language, str]

QUESTIONS: dict[str, Texts] = {
    # -- the originating innovation and the user's region --------------------------------
    "innovation": {
        "id": "{innovation} itu apa, siapa penyelenggaranya, dan apa hasilnya?",
        "en": "What is {innovation}, who runs it and what are its results?",
    },
    "hub": {
        "id": "Apakah {province} termasuk hub JIPP?",
        "en": "Is {province} a JIPP hub?",
    },
    "hubs": {
        "id": "Provinsi mana saja yang menjadi hub inovasi daerah?",
        "en": "Which provinces are regional innovation hubs?",
    },
    # -- the forms of replication --------------------------------------------------------
    "forms": {
        "id": "Apa saja bentuk replikasi inovasi?",
        "en": "What forms can innovation replication take?",
    },
    "form_adopsi": {
        "id": "Apa itu adopsi dalam replikasi inovasi?",
        "en": "What is adoption in innovation replication?",
    },
    "form_adaptasi": {
        "id": "Apa itu adaptasi dalam replikasi inovasi?",
        "en": "What is adaptation in innovation replication?",
    },
    "form_modifikasi": {
        "id": "Apa itu modifikasi dalam replikasi inovasi?",
        "en": "What is modification in innovation replication?",
    },
    "fit_locally": {
        "id": "Bolehkah inovasi yang direplikasi dimodifikasi sesuai kebutuhan daerah?",
        "en": "May a replicated innovation be modified to fit local needs?",
    },
    # -- the steps -----------------------------------------------------------------------
    "stages": {
        "id": "Bagaimana tahapan replikasi inovasi?",
        "en": "What are the stages of replicating an innovation?",
    },
    "prepare": {
        "id": "Apa yang dilakukan pada tahap persiapan replikasi inovasi?",
        "en": "What is done when preparing to replicate an innovation?",
    },
    "principle": {
        "id": "Apa prinsip amati, tiru, modifikasi (ATM) dalam replikasi inovasi?",
        "en": "What is the observe, imitate, modify (ATM) principle of replication?",
    },
    "parties": {
        "id": "Siapa saja pihak dalam replikasi inovasi?",
        "en": "Who are the parties in an innovation replication?",
    },
    "agreement": {
        "id": "Bagaimana model kerja sama replikasi inovasi dengan MoU dan PKS?",
        "en": "How does a cooperation model for replication work with an MoU and a PKS?",
    },
    "obligations": {
        "id": "Apa ketentuan bagi instansi replikator?",
        "en": "What obligations does a replicating agency have?",
    },
    "implementation": {
        "id": "Bagaimana menerapkan dan memantau inovasi yang direplikasi?",
        "en": "How is a replicated innovation implemented and monitored?",
    },
    "evaluation": {
        "id": "Bagaimana evaluasi keberlanjutan dan replikasi inovasi?",
        "en": "How are the sustainability and replication of innovations evaluated?",
    },
    "jippnas": {
        "id": "Bagaimana alur replikasi di JIPPNas?",
        "en": "What is the replication workflow in JIPPNas?",
    },
    "kipp": {
        "id": "Apa itu kelompok replikasi KIPP?",
        "en": "What is the KIPP replication group?",
    },
    # -- legal basis and what is not known -------------------------------------------------
    "legal": {
        "id": "Apa dasar hukum replikasi inovasi pelayanan publik?",
        "en": "What is the legal basis for replicating public-service innovations?",
    },
    "guideline": {
        "id": "Apa itu Pedoman Menteri PANRB Nomor 6 Tahun 2024?",
        "en": "What is Pedoman Menteri PANRB Nomor 6 Tahun 2024?",
    },
    "unknown": {
        "id": "Apa yang belum diketahui tentang Pedoman 6/2024?",
        "en": "What is not known about Pedoman 6/2024?",
    },
}

FORM_QUESTION: dict[Form, str] = {
    "adopsi": "form_adopsi",
    "adaptasi": "form_adaptasi",
    "modifikasi": "form_modifikasi",
}
# The words that show a sentence is about a form (Indonesian and English stems).
FORM_STEMS: dict[Form, tuple[str, ...]] = {
    "adopsi": ("adop",),
    "adaptasi": ("adapt",),
    "modifikasi": ("modif",),
}
FORM_NAMES: dict[Form, Texts] = {
    "adopsi": {"id": "Adopsi", "en": "Adoption (adopsi)"},
    "adaptasi": {"id": "Adaptasi", "en": "Adaptation (adaptasi)"},
    "modifikasi": {"id": "Modifikasi", "en": "Modification (modifikasi)"},
}


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: Texts
    questions: tuple[str, ...]
    step: bool = False  # a step of the replication, ticked off in the bot


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "innovation", {"id": "Inovasi asal", "en": "The originating innovation"}, ("innovation",)
    ),
    # The form section's questions depend on the form chosen (see FORM_QUESTION).
    SectionSpec("form", {"id": "Bentuk replikasi", "en": "Form of replication"}, ()),
    SectionSpec(
        "stages",
        {"id": "Tahapan menurut sumber", "en": "The stages, as the sources describe them"},
        ("stages", "parties"),
    ),
    SectionSpec(
        "prepare",
        {"id": "Persiapan dan kajian", "en": "Preparation and study"},
        ("prepare", "principle"),
        step=True,
    ),
    SectionSpec(
        "agreement",
        {"id": "Kesepakatan dengan instansi asal", "en": "Agreement with the originator"},
        ("agreement", "obligations"),
        step=True,
    ),
    SectionSpec(
        "implement",
        {"id": "Implementasi dan pemantauan", "en": "Implementation and monitoring"},
        ("implementation",),
        step=True,
    ),
    SectionSpec("evaluate", {"id": "Evaluasi", "en": "Evaluation"}, ("evaluation",), step=True),
    SectionSpec(
        "register",
        {"id": "Pendaftaran dan pelaporan", "en": "Registration and reporting"},
        ("jippnas", "hub", "hubs", "kipp"),
        step=True,
    ),
    SectionSpec("legal", {"id": "Dasar hukum", "en": "Legal basis"}, ("legal", "guideline")),
    SectionSpec(
        "unknown",
        {
            "id": "Yang belum diketahui basis pengetahuan",
            "en": "What the knowledge base does not know",
        },
        ("unknown",),
    ),
)

# Questions that need nothing from the user: the bot asks them while the user is still
# choosing, so the plan is ready as soon as the last choice is made.
GENERIC_QUESTIONS: tuple[str, ...] = tuple(
    key for key, text in QUESTIONS.items() if "{" not in text["id"]
)

TITLE: Texts = {
    "id": "Rencana Replikasi {innovation} — {agency}",
    "en": "Replication Plan: {innovation} — {agency}",
}
# Labels of the innovation's catalogue fields, quoted with the profile as their source.
PROFILE_LABELS: dict[str, Texts] = {
    "agency": {"id": "Penyelenggara", "en": "Run by"},
    "region": {"id": "Daerah", "en": "Region"},
    "year": {"id": "Tahun", "en": "Year"},
    "category": {"id": "Kategori", "en": "Category"},
    "award": {"id": "Penghargaan", "en": "Award"},
    "contact_url": {"id": "Kontak", "en": "Contact"},
}
# Field labels of the plan's header and lists.
LABELS: dict[str, Texts] = {
    "agency": {"id": "Instansi", "en": "Agency"},
    "region": {"id": "Wilayah", "en": "Region"},
    "form": {"id": "Bentuk replikasi", "en": "Form of replication"},
    "date": {"id": "Tanggal", "en": "Date"},
    "progress": {"id": "Kemajuan", "en": "Progress"},
    "steps_done": {
        "id": "{done} dari {total} langkah selesai",
        "en": "{done} of {total} steps done",
    },
    "sources": {"id": "Sumber", "en": "Sources"},
    "links": {"id": "Tautan", "en": "Links"},
}
FRAMING: dict[str, Texts] = {
    "empty_step": {
        "id": "Basis pengetahuan belum memuat rincian untuk langkah ini.",
        "en": "The knowledge base holds no details for this step yet.",
    },
    "context_differs": {
        "id": "Konteks Anda berbeda dengan instansi asal ({theirs} → {yours}).",
        "en": "Your context differs from the originator's ({theirs} → {yours}).",
    },
    "official_channels": {"id": OFFICIAL_CHANNELS["id"], "en": OFFICIAL_CHANNELS["en"]},
    "in_document": {
        "id": "Rinciannya ada di dokumen terlampir.",
        "en": "The details are in the attached document.",
    },
    "document_note": {
        "id": "Disusun otomatis dari basis pengetahuan Asisten Replikasi Inovasi. Setiap "
        "pernyataan merujuk ke sumber bernomor di akhir dokumen.",
        "en": "Compiled automatically from the knowledge base of the Innovation Replication "
        "Assistant. Every statement points to the numbered sources at the end.",
    },
}


def question(key: str, language: Language, **values: str) -> str:
    return QUESTIONS[key][language].format(**values)


def label(key: str, language: Language, **values: object) -> str:
    return LABELS[key][language].format(**values)


def framing(key: str, language: Language, **values: str) -> str:
    return FRAMING[key][language].format(**values)
