"""The records of a replication plan: what the user chose, what the engine said, and the plan.

- `Innovation`: the originating innovation, one profile of the knowledge base (a catalogue
  row, or an innovation document or one section of it).
- `Finding`: one statement the engine made, with the passages it cited (`Evidence` is one
  engine answer cut into findings). Findings are what the planner composes from.
- `Plan`: sections of `Statement`s, each carrying plan-wide source numbers, and the numbered
  `Source` list they point to. A statement without sources is a fixed framing line of the
  planner (`framing=True`), never a claim from the knowledge base.

Every record has a `to_dict` / `from_dict` pair: the bot keeps drafts, evidence and plans
as JSON in its store, and `replikasi rencana --json` prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal

from replikasi.language import Language
from replikasi.records import Citation, Outcome
from replikasi.untrusted import withhold_untrusted

Form = Literal["adopsi", "adaptasi", "modifikasi"]
FORMS: tuple[Form, ...] = ("adopsi", "adaptasi", "modifikasi")
SOURCE_EXCERPT_CHARS = 500
WITHHELD = "[…]"


def _language(value: Any) -> Language:
    return "en" if value == "en" else "id"


def _form(value: Any) -> Form:
    return next((form for form in FORMS if form == value), "adaptasi")


@dataclass(frozen=True)
class Innovation:
    """An innovation profile the user can replicate."""

    key: str  # doc_id, or "doc_id#section" for one innovation inside a collection document
    doc_id: str
    chunk_id: str  # the passage that matched: cited when the profile's fields are quoted
    name: str
    title: str = ""
    section: str = ""  # set when the innovation is one section of a larger document
    agency: str = ""
    region: str = ""
    year: str = ""
    category: str = ""
    award: str = ""
    contact_url: str = ""
    source_url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Innovation:
        names = {f.name for f in fields(cls)}
        return cls(**{k: str(v or "") for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Finding:
    """One statement of an engine answer and the passages cited for it."""

    text: str
    citations: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "citations": [c.to_dict() for c in self.citations]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            text=str(data.get("text", "")),
            citations=tuple(Citation.from_dict(c) for c in data.get("citations") or []),
        )


@dataclass
class Evidence:
    """What the engine answered to one of the planner's questions."""

    key: str
    question: str
    outcome: Outcome
    findings: list[Finding] = field(default_factory=list)
    mode: str = "extractive"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "question": self.question,
            "outcome": self.outcome,
            "mode": self.mode,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        outcome = data.get("outcome")
        return cls(
            key=str(data.get("key", "")),
            question=str(data.get("question", "")),
            outcome=outcome if outcome in ("answered", "not_known") else "abstained",
            findings=[Finding.from_dict(f) for f in data.get("findings") or []],
            mode=str(data.get("mode", "extractive")),
        )


@dataclass(frozen=True)
class Statement:
    """A sentence of the plan and the numbers of its sources (none only for framing)."""

    text: str
    sources: tuple[int, ...] = ()
    framing: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "sources": list(self.sources), "framing": self.framing}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Statement:
        return cls(
            text=str(data.get("text", "")),
            sources=tuple(int(n) for n in data.get("sources") or []),
            framing=bool(data.get("framing", False)),
        )


@dataclass
class Section:
    """A part of the plan; a `step` can be ticked off as done."""

    key: str
    title: str
    statements: list[Statement] = field(default_factory=list)
    step: bool = False
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "step": self.step,
            "statements": [s.to_dict() for s in self.statements],
            "links": [list(link) for link in self.links],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Section:
        return cls(
            key=str(data.get("key", "")),
            title=str(data.get("title", "")),
            step=bool(data.get("step", False)),
            statements=[Statement.from_dict(s) for s in data.get("statements") or []],
            links=[(str(a), str(b)) for a, b in data.get("links") or []],
        )


@dataclass(frozen=True)
class Source:
    """A numbered entry of the plan's sources list."""

    number: int
    chunk_id: str
    doc_id: str
    label: str  # "Title — Section" or the regulation's short name and article
    source_url: str
    excerpt: str = ""
    document: str = ""  # the document's short name or title, without the section

    @classmethod
    def of(cls, number: int, citation: Citation) -> Source:
        # Sentences aimed at the assistant and foreign links are document text, never shown.
        excerpt = withhold_untrusted(citation.snippet, WITHHELD, [citation.source_url]).strip()
        if len(excerpt) > SOURCE_EXCERPT_CHARS:
            excerpt = excerpt[:SOURCE_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
        return cls(
            number=number,
            chunk_id=citation.chunk_id,
            doc_id=citation.doc_id,
            label=citation.label(),
            source_url=citation.source_url,
            excerpt=excerpt,
            document=citation.document or citation.title,
        )

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        return cls(
            number=int(data.get("number") or 0),
            chunk_id=str(data.get("chunk_id", "")),
            doc_id=str(data.get("doc_id", "")),
            label=str(data.get("label", "")),
            source_url=str(data.get("source_url", "")),
            excerpt=str(data.get("excerpt", "")),
            document=str(data.get("document", "")),
        )


@dataclass(frozen=True)
class PlanRequest:
    """The user's choices: what to replicate, who replicates it, where, and how."""

    innovation: Innovation
    agency: str
    region: str  # as the user wrote it
    province: str = ""  # the province it was matched to ("" when none)
    form: Form = "adaptasi"
    language: Language = "id"

    def to_dict(self) -> dict[str, Any]:
        return {
            "innovation": self.innovation.to_dict(),
            "agency": self.agency,
            "region": self.region,
            "province": self.province,
            "form": self.form,
            "language": self.language,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanRequest:
        return cls(
            innovation=Innovation.from_dict(data.get("innovation") or {}),
            agency=str(data.get("agency", "")),
            region=str(data.get("region", "")),
            province=str(data.get("province", "")),
            form=_form(data.get("form")),
            language=_language(data.get("language")),
        )


@dataclass
class Plan:
    request: PlanRequest
    title: str
    sections: list[Section]
    sources: list[Source]
    created: str = ""  # ISO date
    mode: str = "extractive"

    @property
    def language(self) -> Language:
        return self.request.language

    @property
    def steps(self) -> list[Section]:
        return [s for s in self.sections if s.step]

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    def source(self, number: int) -> Source | None:
        return next((s for s in self.sources if s.number == number), None)

    def progress(self, done: set[str] | frozenset[str]) -> tuple[int, int]:
        """(steps done, steps) for the step keys in `done`."""
        steps = self.steps
        return sum(1 for s in steps if s.key in done), len(steps)

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "created": self.created,
            "mode": self.mode,
            "request": self.request.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Plan:
        return cls(
            request=PlanRequest.from_dict(data.get("request") or {}),
            title=str(data.get("title", "")),
            sections=[Section.from_dict(s) for s in data.get("sections") or []],
            sources=[Source.from_dict(s) for s in data.get("sources") or []],
            created=str(data.get("created", "")),
            mode=str(data.get("mode", "extractive")),
        )
