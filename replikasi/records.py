"""The records that flow between ingest, the index, the engine, the shells and the bot store.

One owner for each shape, importing nothing heavy (no chromadb, no model), so any layer can
use them: the chunk-metadata keys written at ingest and read back at retrieval, and the
engine's `RetrievedChunk`, `Citation`, `Answer` and `Turn`, each with one `to_dict` /
`from_dict` pair. `from_dict` ignores keys it does not know and fills the ones it misses, so
rows written by an older version (the bot store keeps turns and citations as JSON) still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

from replikasi.language import Language

Mode = Literal["extractive", "llm", "small_talk"]
MODES: tuple[Mode, ...] = ("extractive", "llm", "small_talk")
# answered: a grounded answer; not_known: the knowledge base says (or shows) that the asked
# fact is not known, and gives what is known; abstained: nothing relevant was found.
Outcome = Literal["answered", "not_known", "abstained"]
OUTCOMES: tuple[Outcome, ...] = ("answered", "not_known", "abstained")


class MetaKey:
    """Keys of the metadata stored with every chunk in the index (scalar values only)."""

    DOC_ID = "doc_id"
    TITLE = "title"
    SECTION = "section"
    DOC_TYPE = "doc_type"
    SOURCE_URL = "source_url"
    POSITION = "position"
    DOC_HASH = "doc_hash"  # content fingerprint of the whole document (incremental ingest)
    PATH = "path"  # path relative to the knowledge root, as shown to admins
    SOURCE_PATH = "source_path"  # resolved path of the file it came from
    UPDATED = "updated"
    LANGUAGE = "language"
    # Regulation passages (set by the regulation recogniser at ingest).
    ARTICLE = "article"  # "Pasal 9"
    ARTICLE_NUMBER = "article_number"  # 9
    AYAT = "ayat"  # "1,2" - the ayat numbers inside the passage
    PART = "part"  # "BAB IV PELAPORAN"
    EXPLAINS = "explains"  # a Penjelasan passage: the Pasal it explains
    REG_SECTION = "reg_section"  # title, preamble, article, body, closing, elucidation, ...
    # Regulation documents (on every chunk of a recognised regulation).
    REG_LABEL = "reg_label"  # "Perwal Fiktif 3/2026"
    REG_KIND = "reg_kind"
    REG_ISSUER = "reg_issuer"
    REG_NUMBER = "reg_number"
    REG_YEAR = "reg_year"
    REG_REGION = "reg_region"
    REG_SUBJECT = "reg_subject"
    REG_KEY = "reg_key"  # kind, issuer, number and year: versions of one regulation share it
    OCR_PAGES = "ocr_pages"  # how many pages of the document were read by OCR (absent: none)
    # Innovation profiles (catalogue rows).
    NAME = "name"
    AGENCY = "agency"
    REGION = "region"
    YEAR = "year"
    CATEGORY = "category"
    AWARD = "award"
    CONTACT_URL = "contact_url"


_T = TypeVar("_T")


def _known(cls: type[_T], data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return {key: value for key, value in data.items() if key in names}


@dataclass(frozen=True)
class RetrievedChunk:
    """A passage as the engine sees it: its text, where it comes from, how it was found."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    doc_type: str
    source_url: str
    metadata: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0  # fused retrieval score
    dense: float | None = None  # cosine similarity, when found by the dense search
    lexical: float | None = None  # BM25 score, when found by keywords
    rank: int = 0

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, metadata: dict[str, Any]) -> RetrievedChunk:
        """The chunk as the index returns it (id, document text, metadata)."""
        return cls(
            chunk_id=chunk_id,
            doc_id=str(metadata.get(MetaKey.DOC_ID, "")),
            title=str(metadata.get(MetaKey.TITLE, "")),
            section=str(metadata.get(MetaKey.SECTION, "")),
            text=text,
            doc_type=str(metadata.get(MetaKey.DOC_TYPE, "document")),
            source_url=str(metadata.get(MetaKey.SOURCE_URL, "")),
            metadata=dict(metadata),
        )

    @property
    def article(self) -> str:
        """The regulation article this passage belongs to ("Pasal 9"), or ""."""
        return str(self.metadata.get(MetaKey.ARTICLE) or "")

    @property
    def explains(self) -> str:
        """For a Penjelasan passage, the article it explains ("Pasal 9"), or ""."""
        return str(self.metadata.get(MetaKey.EXPLAINS) or "")

    @property
    def reg_section(self) -> str:
        """Which part of a regulation's text this passage is ("title", "preamble",
        "article", "body", "closing", "elucidation", "attachment"), or "" for any other."""
        return str(self.metadata.get(MetaKey.REG_SECTION) or "")

    @property
    def regulation_number(self) -> str:
        """ "3/2026" for a passage of a recognised regulation ("/" when it is none)."""
        meta = self.metadata
        return f"{meta.get(MetaKey.REG_NUMBER, '')}/{meta.get(MetaKey.REG_YEAR, '')}"

    @property
    def is_profile_row(self) -> bool:
        """A catalogue row: one innovation profile, named in its metadata (catalogues hold
        thousands of them, beside a few documents)."""
        return bool(self.metadata.get(MetaKey.NAME))

    @property
    def document_label(self) -> str:
        """A short name for the document: "Perwal Fiktif 3/2026" for a regulation, else the
        title."""
        return str(self.metadata.get(MetaKey.REG_LABEL) or self.title)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "chunk_id": self.chunk_id,
            "doc_id": self.doc_id,
            "title": self.title,
            "section": self.section,
            "doc_type": self.doc_type,
            "source_url": self.source_url,
            "score": round(self.score, 6),
            "dense": None if self.dense is None else round(self.dense, 4),
            "lexical": None if self.lexical is None else round(self.lexical, 4),
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RetrievedChunk:
        values = _known(cls, data)
        values.setdefault("metadata", {})
        for key in ("chunk_id", "doc_id", "title", "section", "text", "source_url"):
            values[key] = str(values.get(key) or "")
        values["doc_type"] = str(values.get("doc_type") or "document")
        return cls(**values)


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: the passage and where it comes from."""

    number: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    source_url: str
    snippet: str
    article: str = ""  # "Pasal 9 ayat (2)" when the cited passage is a regulation article
    document: str = ""  # short document name ("Perwal Fiktif 3/2026"); "" = the title

    @classmethod
    def from_chunk(cls, number: int, chunk: RetrievedChunk, article: str = "") -> Citation:
        return cls(
            number=number,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            source_url=chunk.source_url,
            snippet=chunk.text,
            article=article or chunk.article,
            document=str(chunk.metadata.get(MetaKey.REG_LABEL) or ""),
        )

    def label(self) -> str:
        """ "Perwal Fiktif 3/2026 › BAB IV PELAPORAN › Pasal 9", or "Title — Section"."""
        if self.document:
            return " › ".join(part for part in (self.document, self.section) if part)
        return f"{self.title} — {self.section}" if self.section else self.title

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        values = _known(cls, data)
        values["number"] = int(values.get("number") or 0)
        for name in ("chunk_id", "doc_id", "title", "section", "source_url", "snippet"):
            values[name] = str(values.get(name) or "")
        return cls(**values)


@dataclass
class Answer:
    """What the engine returns: the text for the user, its citations, and how it was made."""

    question: str
    language: Language
    text: str
    citations: list[Citation] = field(default_factory=list)
    chunks: list[RetrievedChunk] = field(default_factory=list)
    mode: Mode = "extractive"
    outcome: Outcome = "answered"
    resolved_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)

    @property
    def abstained(self) -> bool:
        """No confident answer: "not known" or nothing relevant found."""
        return self.outcome != "answered"

    @property
    def small_talk(self) -> bool:
        """A reply to a greeting or thanks: no turn of the conversation, no question asked."""
        return self.mode == "small_talk"

    @property
    def cited_doc_ids(self) -> list[str]:
        return list(dict.fromkeys(c.doc_id for c in self.citations))

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_query": self.resolved_query,
            "language": self.language,
            "answer": self.text,
            "mode": self.mode,
            "outcome": self.outcome,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "chunks": [c.to_dict() for c in self.chunks],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": list(self.notes),
            "evidence": {k: round(v, 4) for k, v in self.evidence.items()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        stored = data.get("outcome")
        outcome: Outcome = next(
            (o for o in OUTCOMES if o == stored),
            "abstained" if data.get("abstained") else "answered",
        )
        return cls(
            question=str(data.get("question", "")),
            language="en" if data.get("language") == "en" else "id",
            text=str(data.get("answer", data.get("text", ""))),
            citations=[Citation.from_dict(c) for c in data.get("citations") or []],
            chunks=[RetrievedChunk.from_dict(c) for c in data.get("chunks") or []],
            mode=next((m for m in MODES if m == data.get("mode")), "extractive"),
            outcome=outcome,
            resolved_query=str(data.get("resolved_query", "")),
            timings_ms={str(k): float(v) for k, v in (data.get("timings_ms") or {}).items()},
            notes=[str(n) for n in data.get("notes") or []],
            evidence={str(k): float(v) for k, v in (data.get("evidence") or {}).items()},
        )


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, as much of it as a follow-up needs."""

    question: str
    resolved_query: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    answer_text: str = ""  # what was said (a follow-up may ask about part of it)

    @classmethod
    def of(cls, answer: Answer) -> Turn:
        return cls(
            question=answer.question,
            resolved_query=answer.resolved_query or answer.question,
            citations=list(answer.citations),
            abstained=answer.abstained,
            answer_text=answer.text,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_query": self.resolved_query,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "answer_text": self.answer_text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        citations = data.get("citations")
        return cls(
            question=str(data.get("question", "")),
            resolved_query=str(data.get("resolved_query", "")),
            citations=[
                Citation.from_dict(c)
                for c in (citations if isinstance(citations, list) else [])
                if isinstance(c, dict)
            ],
            abstained=bool(data.get("abstained", False)),
            answer_text=str(data.get("answer_text", "")),
        )
