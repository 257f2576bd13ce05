"""The answer engine: question (+ conversation) → retrieval → grounded answer with citations.

It knows nothing about Telegram; the CLI, the eval and the bot all call `AnswerEngine.answer`.
"""

from __future__ import annotations

import logging
import time
import unicodedata
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from bot.abstention import Evidence, assess
from bot.extractive import Extract, ScoredUnit, compose_extract
from bot.followup import carry_over, is_sources_request, looks_like_follow_up
from bot.llm import LLMAnswerer, LLMError
from bot.messages import OFFICIAL_CHANNELS, Language, say
from bot.profile_filters import profile_filters
from bot.retrieval import HybridRetriever
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import ReplikasiError
from replikasi.index import IndexedDocument
from replikasi.language import detect_language
from replikasi.records import Answer, Citation, RetrievedChunk, Turn
from replikasi.settings import Settings

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


class _Found(NamedTuple):
    chunks: list[RetrievedChunk]
    filters: dict[str, Any]
    extract: Extract
    evidence: Evidence


class InvalidQuestionError(ReplikasiError):
    """A question the engine will not search for; the message is for the user."""


class AnswerEngine:
    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever | None = None,
        llm: LLMAnswerer | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever or HybridRetriever(settings)
        if llm is None and settings.llm_enabled:
            llm = LLMAnswerer(settings)
        self.llm = llm

    @property
    def mode(self) -> str:
        return "llm" if self.llm else "extractive"

    # -- the narrow front the shells use (they never touch the retriever) ------------------
    @property
    def embedding(self) -> EmbeddingModel:
        """The embedder, shared with in-process ingests so the model is loaded once."""
        return self.retriever.embedding

    def warm(self) -> None:
        """Load the active index generation now (fails fast when it is missing)."""
        self.retriever.generation()

    def reload(self) -> None:
        """Forget the loaded generation after an in-process ingest."""
        self.retriever.reload()

    def documents(self) -> list[IndexedDocument]:
        """The documents of the active index."""
        return self.retriever.index.documents()

    def passage(self, chunk_id: str) -> RetrievedChunk | None:
        return self.retriever.chunk(chunk_id)

    def search_profiles(self, query: str, k: int = 20) -> list[RetrievedChunk]:
        """Innovation profiles that share words with `query`, best first (dense search
        alone always returns *something*, however unrelated, so keyword matches only)."""
        chunks = self.retriever.search(query, k, doc_types={"innovation"})
        return [chunk for chunk in chunks if chunk.lexical is not None]

    def retrieve(self, query: str, k: int | None = None) -> list[RetrievedChunk]:
        """The hybrid retrieval alone, no answer: the passages for `query`, best first."""
        return self.retriever.search(query, k or self.settings.retrieval_k)

    def clear_caches(self) -> None:
        """Drop cached query embeddings (benchmarks time the path a new question takes)."""
        self.retriever.clear_query_cache()

    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        doc_types: Collection[str] | None = None,
        where: dict[str, Any] | None = None,
        k: int | None = None,
    ) -> Answer:
        started = time.perf_counter()
        question = " ".join(question.split())
        language: Language = detect_language(question) if question else "id"
        validate_question(question, language)
        history = list(history)
        if is_sources_request(question):
            return self._previous_sources(question, language, history)

        resolved = self._resolve(question, history)
        t_resolve = time.perf_counter()
        k = k or self.settings.retrieval_k
        found = self._gather(resolved, k, doc_types, where)
        if resolved != question and not found.evidence.answerable:
            # The carried-over topic did not help: the question may stand on its own after all.
            alone = self._gather(question, k, doc_types, where)
            if alone.evidence.answerable:
                resolved, found = question, alone
        chunks, filters, extract, evidence = found
        t_retrieve = time.perf_counter()
        answer = Answer(
            question=question,
            language=language,
            text="",
            resolved_query=resolved,
            chunks=chunks,
            evidence={"coverage": evidence.coverage, "dense": evidence.dense},
        )
        if filters:
            answer.notes.append(f"profile filters: {filters}")
            _fill_profile_list(answer, chunks)
        elif not chunks or not evidence.answerable:
            self._abstain(answer, chunks, [])
        elif evidence.not_known:
            self._abstain(answer, chunks, evidence.not_known)
        elif self.llm is not None:
            self._answer_with_llm(answer, chunks, extract)
        else:
            _fill_extractive(answer, extract)
        finished = time.perf_counter()
        answer.timings_ms = {
            "resolve": (t_resolve - started) * 1000,
            "retrieve": (t_retrieve - t_resolve) * 1000,
            "compose": (finished - t_retrieve) * 1000,
            "total": (finished - started) * 1000,
        }
        return answer

    # -- steps ---------------------------------------------------------------------------
    def _gather(
        self,
        query: str,
        k: int,
        doc_types: Collection[str] | None,
        where: dict[str, Any] | None,
    ) -> _Found:
        """Retrieve for `query` and weigh the evidence."""
        filters = {} if (doc_types or where) else profile_filters(query)
        chunks: list[RetrievedChunk] = []
        if filters:
            # A question about profiles in a region / category / year: filter by metadata.
            chunks = self.retriever.search(query, k=k, doc_types={"innovation"}, where=filters)
        if not chunks:
            filters = {}
            chunks = self.retriever.search(query, k=k, doc_types=doc_types, where=where)
        extract = compose_extract(query, chunks, self.retriever.generation().weights)
        return _Found(chunks, filters, extract, assess(extract, chunks))

    def _resolve(self, question: str, history: list[Turn]) -> str:
        if not history or not looks_like_follow_up(question):
            return question
        if self.llm is not None:
            try:
                pairs = [(t.question, t.resolved_query) for t in history[-3:]]
                return self.llm.rewrite(question, pairs)
            except LLMError as exc:
                log.warning("Query rewrite failed, carrying the topic over instead: %s", exc)
        return carry_over(question, history)

    def _answer_with_llm(
        self, answer: Answer, chunks: list[RetrievedChunk], extract: Extract
    ) -> None:
        assert self.llm is not None
        try:
            reply = self.llm.answer(
                answer.question
                if answer.question == answer.resolved_query
                else answer.resolved_query,
                chunks,
                answer.language,
            )
        except LLMError as exc:
            log.warning("LLM answer unusable, falling back to the extractive answer: %s", exc)
            answer.notes.append(f"llm_fallback: {exc}")
            _fill_extractive(answer, extract)
            return
        if reply.no_answer:
            self._abstain(answer, chunks, [])
            answer.mode = "llm"
            return
        answer.mode = "llm"
        answer.text = reply.text
        answer.citations = [Citation.from_chunk(i, c) for i, c in enumerate(reply.cited, start=1)]

    def _abstain(
        self, answer: Answer, chunks: list[RetrievedChunk], not_known: list[ScoredUnit]
    ) -> None:
        language = answer.language
        answer.outcome = "not_known" if not_known else "abstained"
        parts: list[str] = []
        if not_known:
            numbered = _number_chunks([u.chunk for u in not_known])
            parts.append(say("not_known", language))
            parts.append(
                " ".join(f"{u.unit.text} [{numbered[u.chunk.chunk_id]}]" for u in not_known)
            )
            answer.citations = [Citation.from_chunk(n, c) for c, n in _ordered(numbered, not_known)]
        else:
            parts.append(say("not_covered", language))
            topics = list(dict.fromkeys(c.title for c in chunks))[:3]
            if topics:
                parts.append(say("closest_topics", language, topics="; ".join(topics)))
        parts.append(OFFICIAL_CHANNELS[language])
        answer.text = "\n\n".join(parts)

    def _previous_sources(self, question: str, language: Language, history: list[Turn]) -> Answer:
        previous = next((t for t in reversed(history) if t.citations), None)
        if previous is None:
            return Answer(
                question=question,
                language=language,
                text=say("no_previous_sources", language),
                outcome="abstained",
            )
        return Answer(
            question=question,
            language=language,
            text=say("previous_sources", language),
            citations=list(previous.citations),
            resolved_query=previous.resolved_query,
        )


def validate_question(question: str, language: Language) -> None:
    """Raise InvalidQuestionError (its message is for the user) for what cannot be searched:
    nothing but emoji or punctuation, far too long, or written in another script (Arabic,
    Chinese, Cyrillic…), which the sources cannot match and would only be told "not covered"."""
    if not question or not any(ch.isalnum() for ch in question):
        raise InvalidQuestionError(say("empty_question", language))
    if len(question) > MAX_QUESTION_CHARS:
        raise InvalidQuestionError(
            say("question_too_long", language, length=len(question), limit=MAX_QUESTION_CHARS)
        )
    if mostly_other_script(question):
        raise InvalidQuestionError(say("other_script", language))


def mostly_other_script(text: str) -> bool:
    """True when fewer than half the letters are Latin: "Что такое KIPP?" is, "KIPP 是什么"
    (four Latin letters of seven) is not, so a name in Latin letters keeps a question in."""
    letters = [ch for ch in text if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    return bool(letters) and latin * 2 < len(letters)


def _fill_extractive(answer: Answer, extract: Extract) -> None:
    numbered = _number_chunks([u.chunk for u in extract.units])
    paragraphs: list[str] = []
    current_doc = None
    for unit in extract.units:
        sentence = f"{unit.unit.text} [{numbered[unit.chunk.chunk_id]}]"
        if unit.chunk.doc_id == current_doc:
            multiline = "\n" in unit.unit.text or "\n" in paragraphs[-1]
            paragraphs[-1] += ("\n" if multiline else " ") + sentence
        else:
            paragraphs.append(sentence)
            current_doc = unit.chunk.doc_id
    lead = say("source_language_note", answer.language)
    answer.text = "\n\n".join([lead, *paragraphs] if lead else paragraphs)
    answer.citations = [Citation.from_chunk(n, c) for c, n in _ordered(numbered, extract.units)]
    answer.mode = "extractive"


def _fill_profile_list(answer: Answer, chunks: list[RetrievedChunk]) -> None:
    """Profiles matching the question's filters, one line each, best match first."""
    lines = [say("matching_profiles", answer.language)]
    seen: set[str] = set()
    cited: list[RetrievedChunk] = []
    for chunk in chunks:
        if chunk.doc_id in seen:
            continue
        seen.add(chunk.doc_id)
        cited.append(chunk)
        meta = chunk.metadata
        details = ", ".join(
            str(meta[key]) for key in ("agency", "region", "year", "category") if meta.get(key)
        )
        name = str(meta.get("name") or chunk.title)
        lines.append(
            f"{len(cited)}. {name}" + (f" — {details}" if details else "") + f" [{len(cited)}]"
        )
    answer.text = "\n".join(lines)
    answer.citations = [Citation.from_chunk(i, c) for i, c in enumerate(cited, start=1)]


def _number_chunks(chunks: list[RetrievedChunk]) -> dict[str, int]:
    numbered: dict[str, int] = {}
    for chunk in chunks:
        numbered.setdefault(chunk.chunk_id, len(numbered) + 1)
    return numbered


def _ordered(
    numbered: dict[str, int], units: Sequence[ScoredUnit]
) -> list[tuple[RetrievedChunk, int]]:
    by_id = {u.chunk.chunk_id: u.chunk for u in units}
    return sorted(((by_id[cid], n) for cid, n in numbered.items()), key=lambda pair: pair[1])
