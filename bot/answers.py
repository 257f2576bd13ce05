"""What the engine returns: an answer, its citations, and how it was produced."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from bot.messages import Language, say
from bot.retrieval import RetrievedChunk

Mode = Literal["extractive", "llm"]


@dataclass(frozen=True)
class Citation:
    number: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    source_url: str
    snippet: str

    @classmethod
    def from_chunk(cls, number: int, chunk: RetrievedChunk) -> Citation:
        return cls(
            number=number,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            section=chunk.section,
            source_url=chunk.source_url,
            snippet=chunk.text,
        )

    def label(self) -> str:
        return f"{self.title} — {self.section}" if self.section else self.title


@dataclass
class Answer:
    question: str
    language: Language
    text: str
    citations: list[Citation] = field(default_factory=list)
    chunks: list[RetrievedChunk] = field(default_factory=list)
    mode: Mode = "extractive"
    abstained: bool = False
    resolved_query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)

    @property
    def cited_doc_ids(self) -> list[str]:
        return list(dict.fromkeys(c.doc_id for c in self.citations))

    def sources_text(self) -> str:
        if not self.citations:
            return ""
        lines = [f"{say('sources', self.language)}:"]
        for citation in self.citations:
            link = f" ({citation.source_url})" if citation.source_url else ""
            lines.append(f"[{citation.number}] {citation.label()}{link}")
        return "\n".join(lines)

    def render_plain(self) -> str:
        sources = self.sources_text()
        return f"{self.text}\n\n{sources}" if sources else self.text

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "resolved_query": self.resolved_query,
            "language": self.language,
            "answer": self.text,
            "mode": self.mode,
            "abstained": self.abstained,
            "citations": [asdict(c) for c in self.citations],
            "chunks": [
                {
                    "rank": c.rank,
                    "chunk_id": c.chunk_id,
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "section": c.section,
                    "source_url": c.source_url,
                    "score": round(c.score, 6),
                    "dense": None if c.dense is None else round(c.dense, 4),
                    "lexical": None if c.lexical is None else round(c.lexical, 4),
                    "text": c.text,
                }
                for c in self.chunks
            ],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
            "notes": self.notes,
            "evidence": {k: round(v, 4) for k, v in self.evidence.items()},
        }
