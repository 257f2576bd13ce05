"""The answer engine: question (+ conversation) → retrieval → grounded answer with citations.

One pipeline, read top to bottom in `AnswerEngine.answer`:

1. the question is analysed once into a `Query` (bot.query);
2. hybrid retrieval finds candidate passages, rerankers reorder them (bot.rerank);
3. every answer unit of the best passages is scored by a `SentenceScorer` (bot.scoring);
4. the best units are composed into an answer (bot.compose) and the evidence is weighed by
   calibrated models (bot.answerability): answer, "not known — here is what is known", or
   abstain;
5. a strategy (profile list, extractive, LLM) writes the text (bot.strategies).

It knows nothing about Telegram; the CLI, the eval and the bot all call `AnswerEngine.answer`.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar, cast

from bot.absent_article import AbsentArticle, absent_article
from bot.acronyms import ASKS_EXPANSION, expands_asked_name
from bot.answerability import (
    NO_STATEMENT,
    Calibration,
    load_calibration,
    matching_statements,
    question_signals,
)
from bot.closing import readable_closings
from bot.compose import ANSWER_BUDGET, Composition, compose, compose_article
from bot.definitions import (
    Definition,
    defining_passages,
    definitions,
    short_names,
    states_definition,
)
from bot.elucidation import ElucidationIndex, elucidation_index, with_elucidations
from bot.followup import asks_for_more, is_sources_request
from bot.llm import LLMAnswerer, LLMError
from bot.messages import Language, say
from bot.overview import (
    OVERVIEW_POOL,
    asks_broadly,
    best_unit_per_passage,
    overview_passages,
    topic_terms,
)
from bot.profile_filters import filter_words
from bot.query import CARRIED_WEIGHT, Query, analyse, elliptical
from bot.question_validation import question_error, without_markup
from bot.regulation_frames import IN_FORCE, frame_matches, frames_elsewhere
from bot.regulation_outline import Outline, regulation_outline
from bot.rerank import ArticleFirst, ProfileRowsAfterDocuments, Reranker, rerank
from bot.retrieval import HybridRetriever
from bot.scoring import (
    TESTABLE_KINDS,
    Evidence,
    LinearSentenceScorer,
    ScoredUnit,
    SentenceScorer,
    article_matches,
    candidate_units,
    defines,
    gives_title,
    kinds_in,
    names_a_body,
    terms_of,
)
from bot.small_talk import small_talk
from bot.strategies import (
    write_absent_article,
    write_abstention,
    write_extractive,
    write_llm,
    write_not_known,
    write_outline,
    write_overview,
    write_parts,
    write_privacy_refusal,
    write_profile_list,
    write_small_talk,
)
from bot.term_weights import TermWeights
from replikasi.embeddings import EmbeddingModel
from replikasi.errors import ReplikasiError
from replikasi.index import IndexedDocument
from replikasi.indonesian import other_senses, synonyms, word_terms
from replikasi.language import detect_language
from replikasi.records import Answer, MetaKey, RetrievedChunk, Turn
from replikasi.regulation_marks import opens_ayat
from replikasi.settings import Settings
from replikasi.vocabulary import VocabularyBridge

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
CANDIDATE_POOL = 20  # fused candidates the rerankers see; the best `k` are read for sentences
# How far (in the sentence scorer's log-odds) a "not known" statement may trail a qualified
# answer and still be the honest lead.
CAVEAT_MARGIN = 1.0


class InvalidQuestionError(ReplikasiError):
    """A question the engine will not search for; the message is for the user."""


_T = TypeVar("_T")


@dataclass(frozen=True)
class Finding:
    """What the pipeline found for one question (or one part of it)."""

    query: Query
    chunks: list[RetrievedChunk]
    scored: list[ScoredUnit]
    composition: Composition
    signals: dict[str, float]
    p_answer: float
    p_relevant: float
    answerable: bool
    relevant: bool
    statements: list[ScoredUnit]  # "not known" statements, best match first
    also_in: tuple[str, ...] = ()  # other regulations with the article asked about, unnamed
    absent: AbsentArticle | None = None  # the article asked about, which they do not have
    missing_ayat: str = ""  # the ayat asked about, which the article named does not have

    @property
    def not_known(self) -> list[ScoredUnit]:
        """Statements of the knowledge base that the asked thing is not known, when one
        matches the question at least as well as any answering sentence (or nearly as well,
        when the answer itself comes qualified)."""
        dominance = self.signals.get("not_known_dominance", NO_STATEMENT)
        if dominance < 0 and not self.qualified:
            return []
        fresh = list(self.statements)  # said first, also when composed (write_not_known)
        lead = self.composition.best
        if lead is not None and self.qualified:
            # a qualified answer: only what its own document says it does not know
            fresh = [u for u in fresh if u.chunk.doc_id == lead.chunk.doc_id]
        # a second statement only from the same document: others answer other questions
        return [u for u in fresh[:2] if u.chunk.doc_id == fresh[0].chunk.doc_id]

    @property
    def qualified(self) -> bool:
        """The best answer comes with the sources' own note that the asked thing is not
        certain, and a statement of what is not known matches the question nearly as well
        as the answer: "not known, and here is what is known" is the honest outcome."""
        if not self.composition.lead_caveat:
            return False
        dominance = self.signals.get("not_known_dominance", NO_STATEMENT)
        return dominance >= -CAVEAT_MARGIN


class AnswerEngine:
    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever | None = None,
        llm: LLMAnswerer | None = None,
        *,
        calibration: Calibration | None = None,
        rerankers: Sequence[Reranker] | None = None,
        scorer: SentenceScorer | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever or HybridRetriever(settings)
        if llm is None and settings.llm_enabled:
            llm = LLMAnswerer(settings)
        self.llm = llm
        # The models fitted for this index's embedding model, or the lexical ones (see
        # Calibration.for_model).
        self.calibration = (calibration or load_calibration()).for_model(
            self.retriever.embedding.model_id
        )
        self.scorer = scorer or LinearSentenceScorer(self.calibration.unit_scorer)
        self._rerankers = rerankers
        # what is derived from the index's chunks, by the function deriving it: (generation, value)
        self._derived: dict[Callable[..., Any], tuple[str, Any]] = {}

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

    def retrieve(self, query: str, k: int | None = None) -> list[RetrievedChunk]:
        """The `k` best passages for `query` (default RETRIEVAL_K), reranked as for an
        answer; no answer is written."""
        analysed = analyse(" ".join(query.split()), detect_language(query), split_parts=False)
        k = k or self.settings.retrieval_k
        return self._candidates(analysed, k, None, None)[:k]

    def search_profiles(self, query: str, k: int = 20) -> list[RetrievedChunk]:
        """Innovation profiles that share words with `query`, best first (dense search
        alone always returns *something*, however unrelated, so keyword matches only)."""
        chunks = self.retriever.search(query, k, doc_types={"innovation"})
        return [chunk for chunk in chunks if chunk.lexical is not None]

    def clear_caches(self) -> None:
        """Drop cached query embeddings (benchmarks time the path a new question takes)."""
        self.retriever.clear_query_cache()

    # -- answering -----------------------------------------------------------------------
    def answer(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        doc_types: Collection[str] | None = None,
        where: dict[str, Any] | None = None,
        k: int | None = None,
        overview: bool = True,
    ) -> Answer:
        """The answer to `question` (after `history`); `doc_types` / `where` restrict the
        passages; `overview=False` answers a broad how-to question like any other (for a
        caller that composes its own overview, such as the planner)."""
        started = time.perf_counter()
        question = " ".join(question.split())
        question = without_markup(question) or question  # "<b>apa itu JIPPNas?</b>": the words
        language: Language = detect_language(question) if question else "id"
        validate_question(question, language)
        history = list(history)
        if is_sources_request(question):
            return _previous_sources(question, language, history)
        chat = small_talk(question)
        if chat is not None:  # "halo", "makasih", "kamu bisa apa?": nothing to search
            answer = Answer(question=question, language=language, text="")
            write_small_talk(answer, chat)
            return _timed(answer, started)
        if history and not history[-1].abstained and asks_for_more(question):
            more = self._more(question, language, history, k or self.settings.retrieval_k)
            return _timed(more, started)
        k = k or self.settings.retrieval_k

        query = analyse(question, language, history)
        answer = Answer(question=question, language=language, text="")
        if "personal" in query.kinds:
            answer.resolved_query = query.search_text
            write_privacy_refusal(answer)
            return _timed(answer, started)
        finding = None
        if query.filters and not (doc_types or where):
            profiles = self._profiles(query, k)
            if profiles:
                finding = self.find(replace(query, filters={}), k)
                if not _documents_answer(finding, question):
                    answer.resolved_query = query.search_text
                    answer.notes.append(f"profile filters: {query.filters}")
                    write_profile_list(answer, profiles)
                    return _timed(answer, started)

        finding = finding or self.find(query, k, doc_types, where)
        if (
            query.follow_up
            and not finding.answerable
            and not query.names_nothing
            and not query.borrowed_kinds  # "kalau SWP?" alone asks nothing
        ):
            # The carried-over topic did not help: the question may stand on its own after all
            # (not one naming nothing of its own: "who runs it?" alone is about nothing).
            alone = self.find(analyse(question, language), k, doc_types, where)
            if alone.answerable:
                query, finding = alone.query, alone
        elif history and not query.follow_up and query.names_nothing:
            # "kapan pertama kali diadakan?" after "Apa itu KIPP?": read with the topic
            # carried over too, and keep the reading the evidence supports better.
            leaning = analyse(question, language, history, follow_up=True)
            carried = self.find(leaning, k, doc_types, where)
            if _support(carried) > _support(finding):
                query, finding = carried.query, carried
        answer.resolved_query = query.search_text
        outline = self._outline(query, finding) if query.outline or query.chapter else None
        if outline is not None:  # a fact of structure, in every mode
            answer.chunks = finding.chunks
            write_outline(answer, outline, query.chapter)
            return _timed(answer, started)
        answer.chunks = finding.chunks
        answer.evidence = {
            **self.calibration.evidence(finding.signals),
            "p_answer": finding.p_answer,
            "p_relevant": finding.p_relevant,
        }

        parts = self._find_parts(query, finding, k, doc_types, where)
        by_parts = bool(parts) and any(ok for _, ok in parts) and not _covers_all(finding, parts)
        if by_parts:
            answer.chunks = _merged_chunks([p for p, _ in parts])
        guides = [] if by_parts or not overview else self._overview(finding, k, doc_types, where)
        if guides:  # the guides first: they are what a broad question asks for
            answer.chunks = _unique([u.chunk for u in guides] + finding.chunks)[:k]
        if finding.absent is not None and not by_parts:
            write_absent_article(answer, finding.absent)  # a fact of structure, in every mode
            answer.chunks = _unique([*answer.chunks, *finding.absent.last_articles])
        elif self.llm is not None and (
            finding.relevant or finding.answerable or by_parts or guides
        ):
            # the model reads the passages of every part and answers them together
            self._answer_with_llm(answer, finding, parts if by_parts else None, guides)
        elif guides:
            write_overview(answer, guides)
        elif by_parts:
            write_parts(answer, parts)
        elif finding.answerable and not finding.qualified:
            write_extractive(answer, finding.composition)
        elif finding.not_known or finding.relevant:
            write_not_known(answer, finding.not_known, finding.composition)
        else:
            write_abstention(answer)
        best = finding.composition.best
        if finding.also_in and best is not None and answer.outcome == "answered":
            # whoever answered, say which other regulations have the article asked about
            others = "; ".join(finding.also_in)
            note = say("article_also_in", language, article=best.chunk.article, others=others)
            answer.text = f"{answer.text}\n\n{note}"
        if finding.missing_ayat and best is not None and answer.outcome == "answered":
            # "Pasal 16 ayat (5)" of an article with two: say so before quoting it whole
            note = say(
                "absent_ayat",
                language,
                article=best.chunk.article,
                regulation=best.chunk.document_label,
                ayat=finding.missing_ayat,
            )
            answer.text = f"{note}\n\n{answer.text}"
            answer.outcome = "not_known"  # what was asked is not there; what is, is quoted
        return _timed(answer, started)

    def _more(self, question: str, language: Language, history: list[Turn], k: int) -> Answer:
        """ "lebih detail dong", "ada lagi?": the last question asked again, without the
        sentences the conversation already gave; said plainly when there is nothing more."""
        answer = Answer(question=question, language=language, text="")
        asked = history[-1].resolved_query or history[-1].question
        said = "\n".join(turn.answer_text for turn in history)  # nothing said is "more"
        query = analyse(asked, language)
        finding = self.find(query, k, said=said)
        answer.resolved_query = query.search_text
        answer.chunks = finding.chunks
        if not finding.composition or not (finding.answerable or finding.relevant):
            answer.text = say("nothing_more", language)
            answer.outcome = "not_known"
        elif self.llm is not None:
            self._answer_with_llm(answer, finding)
        else:
            write_extractive(answer, finding.composition)
        return answer

    def _overview(
        self,
        finding: Finding,
        k: int,
        doc_types: Collection[str] | None,
        where: dict[str, Any] | None,
    ) -> list[ScoredUnit]:
        """For a broad how-to question, the best unit of each passage that lays out steps
        (see bot.overview); none for any other question."""
        generation = self.retriever.generation()
        query = finding.query
        if not asks_broadly(query, self._per_generation(topic_terms, generation)):
            return []
        pool = self._candidates(query, max(k, OVERVIEW_POOL), doc_types, where)
        passages = overview_passages(pool)
        if not passages:
            return []
        evidence = self._evidence(generation, self.retriever.query_vector(query.dense_text))
        scored = self.scorer.score(query, candidate_units(query, passages, evidence))
        return best_unit_per_passage(scored, passages)

    def _framed(self, query: Query, chunks: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
        """The passages of the frame part asked for ("dasar hukumnya apa?": the Mengingat),
        of one regulation: the best-ranked one holding it (of the number the question
        gives, if any). When it takes effect is said with when it was promulgated: its
        closing comes too."""
        if not query.frame:
            return []
        numbers = query.anchors.reg_numbers
        framed = [
            c
            for c in chunks
            if frame_matches(query.frame, c) and (not numbers or c.regulation_number in numbers)
        ]
        if not framed:
            return []
        framed = [c for c in framed if c.doc_id == framed[0].doc_id]
        if query.frame == IN_FORCE:
            held = {c.chunk_id for c in framed}
            framed += [
                c
                for c in self.retriever.generation().chunks.values()
                if c.doc_id == framed[0].doc_id
                and c.chunk_id not in held
                and c.reg_section == "closing"
            ]
        return framed

    def _outline(self, query: Query, finding: Finding) -> Outline | None:
        """The outline of the regulation the question names: the best-ranked regulation
        found (of the number it gives, if any), when its chapters and articles are known."""
        numbers = query.anchors.reg_numbers
        regulation = next(
            (
                c
                for c in finding.chunks
                if c.doc_type == "regulation" and (not numbers or c.regulation_number in numbers)
            ),
            None,
        )
        if regulation is None:
            return None
        return regulation_outline(regulation.doc_id, self.retriever.generation().chunks.values())

    def _find_parts(
        self,
        query: Query,
        whole: Finding,
        k: int,
        doc_types: Collection[str] | None,
        where: dict[str, Any] | None,
    ) -> list[tuple[Finding, bool]]:
        """Each part of a two-part question with whether it is answered. A part is answered
        when its own evidence says so, or when the whole question is answerable and the
        part's evidence is relevant; a unit already used for an earlier part is not used
        again; a part that the answer of an earlier part already answers ("SIBADI itu apa?
        yang mengelola siapa?": one definition names both) is answered above, not "not
        known"; a part naming nothing after parts none of which is known is not known."""
        found: list[tuple[Finding, bool]] = []
        used: set[tuple[str, int]] = set()
        for part, narrow in zip(query.parts, query.narrow_parts, strict=True):
            earlier = _answered_above(part, found)
            if earlier is not None:
                found.append((earlier, True))
                continue
            finding = self.find(part, k, doc_types, where, exclude=used)
            if narrow is not None:  # read without the later parts' words, if that fits better
                alone = self.find(narrow, k, doc_types, where, exclude=used)
                if _within(alone, whole):
                    finding = max(finding, alone, key=_fit)
            answered = bool(finding.composition) and (
                finding.answerable or (whole.answerable and finding.relevant)
            )
            if found and elliptical(part) and not any(ok for _, ok in found):
                # "X berasal dari mana dan sudah direplikasi di mana saja?": a part that
                # names nothing asks about what the parts before it named; when the sources
                # do not know what they named, nothing is known of it either
                answered = answered and not any(_unknown_subject(f) for f, _ in found)
            if answered:
                used.update((u.chunk.chunk_id, u.unit.order) for u in finding.composition.units)
            found.append((finding, answered))
        return found

    def find(
        self,
        query: Query,
        k: int,
        doc_types: Collection[str] | None = None,
        where: dict[str, Any] | None = None,
        *,
        exclude: Collection[tuple[str, int]] = (),
        said: str = "",
    ) -> Finding:
        """Retrieve, score and weigh the evidence for `query` (units in `exclude`, as
        (chunk id, order), and units `said` already holds are not used for the answer)."""
        generation = self.retriever.generation()
        query = known_senses(query, generation.weights)
        query = synonym_senses(query, generation.weights)
        if self.calibration.uses_embeddings:  # word-vector bridges are tuned for the model
            query = bridge_unknown_words(query, generation.weights, generation.vocabulary)
        query = drop_untranslated_words(query, generation.weights)
        chunks = self._candidates(query, k, doc_types, where)
        query = named_document_found(query, chunks)
        # A question naming an article ("isi Pasal 9 apa?", "Pasal 2 ayat 3 Perwal … ngatur
        # apa?") is answered from that article (and its elucidation) when the index holds it.
        numbers = query.anchors.reg_numbers  # "Pasal 9 UU 25/2009" is no other act's Pasal 9
        named = [
            c
            for c in chunks
            if article_matches(query, c) and (not numbers or c.regulation_number in numbers)
        ]
        absent = None if named else absent_article(query, generation.chunks.values())
        about_article = bool(named) and asks_for_the_article(query, named)
        framed = self._framed(query, chunks)
        if framed:  # "dasar hukumnya apa?": the Mengingat, quoted whole
            named, about_article = framed, True
        if not framed and (about_article or "definition" not in query.kinds):
            # its own text first; the elucidation when there is no more, or when the
            # question asks what a word in it means
            named = [c for c in named if c.article] or named
        also_in: tuple[str, ...] = ()
        if about_article and not framed:
            named, also_in = one_regulations_article(query, named)
        vector = self.retriever.query_vector(query.dense_text) if chunks else None
        evidence = self._evidence(generation, vector)
        scored = self.scorer.score(query, candidate_units(query, named or chunks, evidence))
        missing_ayat = ""
        if named and query.anchors.ayat:
            in_ayat = [u for u in scored if opens_ayat(u.unit.text, query.anchors.ayat)]
            scored = in_ayat or scored
            held = any(_holds_ayat(c, query.anchors.ayat) for c in named)
            missing_ayat = "" if in_ayat or held else query.anchors.ayat
        if exclude:
            scored = [u for u in scored if (u.chunk.chunk_id, u.unit.order) not in exclude]
        if said:
            scored = [u for u in scored if u.text not in said]
        budget = ANSWER_BUDGET // max(len(query.parts), 1)
        if about_article:
            composition = compose_article(scored, named, budget)
        else:
            composition = compose(query, scored, budget)
        signals = question_signals(
            query, chunks, scored, composition, generation.weights, self.calibration.unit_scorer
        )
        signals.update(self.calibration.question_features(vector))
        p_answer = self.calibration.answer.probability(signals)
        p_relevant = self.calibration.relevant.probability(signals)
        # A question naming an article the index holds is answered from it: the user
        # pointed at the text (a named article that does not exist finds nothing here).
        # So is one asking what a term means when the answer is the regulation's own
        # definition of it, and one asking where to read something when the best sentence
        # says where ("rujuk teks resmi … di JDIH KemenPANRB"), even among what the
        # sources say they do not hold.
        best = composition.best
        answerable = bool(composition) and (
            p_answer >= self.calibration.answer.threshold
            or bool(named)
            or (best is not None and states_definition(best.text, best.chunk, query))
            or (best is not None and "pointer" in query.kinds & best.kinds)
            # "SE 16/2023 itu tentang apa?": the sentence giving its title answers it
            or (best is not None and not best.is_not_known and gives_title(query, best.text))
        )
        if answerable and not named and not expansion_known(query, scored):
            answerable = False  # asked what a name stands for; no passage spells it out
        if answerable and not named and not shares_a_word(query, composition.covered):
            answerable = False  # "' OR 1=1; DROP TABLE …", "%s {0}": nothing of it is met
        if absent is not None:
            answerable = False  # the regulation's other articles are not the one asked about
        if answerable and (framed or not named) and names_the_unknown(query, generation.weights):
            # "hibah yang diterima Desa Sukamaju", "inovasi Kabupaten Merauke": what the
            # sources say of others does not answer for a name they never mention
            answerable = False
        if (
            answerable
            and "address" in query.kinds
            and (best is None or "address" not in best.kinds)
        ):
            # asked for a web address: the answer's lead must hold one (another platform's
            # address quoted beside it is not the one asked for)
            answerable = False
        relevant = (
            bool(chunks)
            and p_relevant >= self.calibration.relevant.threshold
            and shares_a_word(query, frozenset().union(*(u.terms for u in scored)))
        )
        statements = matching_statements(scored, self.calibration.unit_scorer)
        if not about_article:
            # A regulation's heading, preamble and closing weigh in the decision (a question
            # naming the regulation but asking what it does not hold meets only them); they
            # are quoted only when asked about, else its articles answer.
            body = [u for u in scored if not frames_elsewhere(query, u.chunk)]
            if body and len(body) < len(scored):
                composition = compose(query, body, budget)
        # the quoted ayat with its explanation: after the decision, which weighs the quote
        composition = with_elucidations(composition, query, self._elucidations())
        chunks = _unique([*chunks, *(u.chunk for u in composition.units)])  # cited: found
        return Finding(
            query,
            chunks,
            scored,
            readable_closings(composition),
            signals,
            p_answer,
            p_relevant,
            answerable,
            relevant,
            statements,
            also_in,
            absent,
            missing_ayat,
        )

    # -- steps ---------------------------------------------------------------------------
    def rerankers(self) -> Sequence[Reranker]:
        if self._rerankers is not None:
            return self._rerankers
        weights = self.retriever.generation().weights
        return (ArticleFirst(), ProfileRowsAfterDocuments(weights))

    def _candidates(
        self,
        query: Query,
        k: int,
        doc_types: Collection[str] | None,
        where: dict[str, Any] | None,
    ) -> list[RetrievedChunk]:
        pool = self.retriever.search(
            query.dense_text,
            max(k, CANDIDATE_POOL),
            doc_types=set(doc_types) if doc_types else None,
            where=where,
            lexical_query=query.lexical_text,
        )
        if not doc_types and not where and not query.filters:
            pool = self._documents_beside_rows(query, pool, k)
        if query.frame:  # before an article a follow-up may carry ("dasar hukumnya?")
            pool = self._frame_passages(query, pool) + pool
        elif query.anchors.article:
            pool = self._named_article(query, pool) + pool
        elif "definition" in query.kinds and not doc_types and not where:
            pool = defining_passages(query, self._definitions()) + pool
        pool = rerank(
            self.retriever.with_similarity(query.dense_text, _unique(pool)), query, self.rerankers()
        )
        best = pool[:k]
        # and a passage ranked lower, of a document found, whose sentence is one of the two
        # nearest the question (an article's one ayat that answers, in a long article)
        found = {c.doc_id for c in best}
        chosen = {c.chunk_id for c in best}
        rest = [c for c in pool if c.doc_id in found and c.chunk_id not in chosen]
        return _unique(best + self.retriever.closest_unit_passages(query.dense_text, rest))

    def _elucidations(self) -> ElucidationIndex:
        """The regulations' elucidation passages by article."""
        return self._per_generation(elucidation_index)

    def _definitions(self) -> list[Definition]:
        """The regulations' numbered definitions."""
        return self._per_generation(definitions)

    def _evidence(self, generation: Any, vector: np.ndarray | None) -> Evidence:
        """What unit features are computed from, for this index generation and question."""
        return Evidence(
            generation.weights,
            vector,
            generation.unit_vectors,
            self._per_generation(short_names, generation),
        )

    def _per_generation(
        self, derive: Callable[[Iterable[RetrievedChunk]], _T], generation: Any = None
    ) -> _T:
        """What `derive` reads off every chunk of the index (of `generation`, when the caller
        holds one already), once per index generation."""
        generation = generation or self.retriever.generation()
        name, value = self._derived.get(derive, ("", None))
        if name != generation.name:
            value = derive(generation.chunks.values())
            self._derived[derive] = (generation.name, value)
        return cast(_T, value)

    def _named_article(self, query: Query, pool: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
        """The passages of the article a question names ("isi Pasal 7 Pergub Contoh
        12/2025?"), looked up by their metadata: a question made of little more than the
        reference gives search nothing to find them by. Of the regulation it names by number,
        else of the regulations search found, else of every one that has such an article."""
        passages = [
            c for c in self.retriever.generation().chunks.values() if article_matches(query, c)
        ]
        numbers = query.anchors.reg_numbers
        if numbers:
            return [c for c in passages if c.regulation_number in numbers]
        found = {c.doc_id for c in pool}
        return [c for c in passages if c.doc_id in found] or passages

    def _frame_passages(self, query: Query, pool: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
        """The part of a regulation's frame the question asks for ("dasar hukum Perwal
        3/2026?" → its Mengingat), looked up by structure: of the regulation it names by
        number, else of the regulation search found first."""
        passages = [
            c for c in self.retriever.generation().chunks.values() if frame_matches(query.frame, c)
        ]
        numbers = query.anchors.reg_numbers
        if numbers:
            return [c for c in passages if c.regulation_number in numbers]
        framed = {c.doc_id for c in passages}
        first = next((c.doc_id for c in pool if c.doc_id in framed), None)
        return [c for c in passages if c.doc_id == first]

    def _documents_beside_rows(
        self, query: Query, pool: list[RetrievedChunk], k: int
    ) -> list[RetrievedChunk]:
        """With a large catalogue indexed, its rows can fill every candidate place, so a
        document passage reaches the rerankers through keyword search alone, or not at all.
        The best `k` document passages are looked up apart and join the pool, after it (the
        similarity a keyword-only passage lacks is filled in for the whole pool later)."""
        if not any(chunk.is_profile_row for chunk in pool):
            return pool
        return pool + self.retriever.search(
            query.dense_text, k, lexical_query=query.lexical_text, documents_only=True
        )

    def _profiles(self, query: Query, k: int) -> list[RetrievedChunk]:
        """Profiles matching the question's region / category / year filters."""
        return self.retriever.search(
            query.dense_text, max(k, 8), doc_types={"innovation"}, where=query.filters
        )

    def _answer_with_llm(
        self,
        answer: Answer,
        finding: Finding,
        parts: list[tuple[Finding, bool]] | None = None,
        overview: Sequence[ScoredUnit] = (),
    ) -> None:
        """The model answers from the passages found (those of every part, for a question
        answered part by part; the guides first, for a broad question); the extractive
        answer when its reply is unusable."""
        assert self.llm is not None
        query = finding.query
        question = self._llm_question(query, answer)
        chunks = answer.chunks if parts or overview else finding.chunks
        try:
            reply = self.llm.answer(question, chunks, answer.language)
        except LLMError as exc:
            log.warning("LLM answer unusable, falling back to the extractive answer: %s", exc)
            answer.notes.append(f"llm_fallback: {exc}")
            if parts:
                write_parts(answer, parts)
            elif overview:
                write_overview(answer, overview)
            elif finding.answerable:
                write_extractive(answer, finding.composition)
            elif finding.not_known or finding.relevant:
                write_not_known(answer, finding.not_known, finding.composition)
            else:
                write_abstention(answer)
            return
        if reply.no_answer:
            if finding.relevant or finding.not_known:
                write_not_known(answer, finding.not_known, finding.composition)
            else:
                write_abstention(answer)
            answer.mode = "llm"
            return
        write_llm(answer, reply)

    def _llm_question(self, query: Query, answer: Answer) -> str:
        if not query.follow_up or query.previous is None:
            return query.text
        try:
            previous = [(query.previous.question, query.previous.resolved_query)]
            rewritten = self.llm.rewrite(query.text, previous) if self.llm else query.search_text
        except LLMError as exc:
            log.warning("Query rewrite failed, carrying the topic over instead: %s", exc)
            return query.search_text
        answer.resolved_query = rewritten
        return rewritten


BRIDGE_WEIGHT = 0.5


def bridge_unknown_words(query: Query, weights: TermWeights, bridge: VocabularyBridge) -> Query:
    """Words of the question that no passage contains lend their place to the closest
    passage words (see `replikasi.vocabulary`), at reduced weight."""
    unknown = [
        word
        for word, terms in word_terms(query.text)
        if terms
        and word.isalpha()
        and len(word) > 2
        and not any(weights.df.get(t) for t in terms)
        and not set(terms) <= query.bridged  # already met by a word of the same meaning
    ]
    if not unknown:
        return query
    bridges = bridge.bridges(list(dict.fromkeys(unknown)))
    if not bridges:
        return query
    terms = dict(query.terms)
    bridged: set[str] = set()
    for found in bridges:
        bridged.update(t for w, ts in word_terms(found.word) for t in ts)
        for term in found.terms:
            terms.setdefault(term, BRIDGE_WEIGHT)
    return _searched_also(query, terms, [t for b in bridges for t in b.terms], bridged)


def known_senses(query: Query, weights: TermWeights) -> Query:
    """An English word whose first Indonesian sense no passage holds is searched by its other
    senses that passages do hold: "score" is "skor" in one regulation and "nilai" in
    another, "funding" is "anggaran" or "dana"."""
    if query.language != "en":
        return query
    terms = dict(query.terms)
    found: list[str] = []
    for word, own in word_terms(query.text):
        missing = [t for t in own if t in terms and not weights.df.get(t)]
        known = [t for t in other_senses(word) if weights.df.get(t)] if missing else []
        if not known:
            continue
        weight = max(terms.pop(t) for t in missing)
        for term in known:
            terms.setdefault(term, weight)
            found.append(term)
    return _searched_also(query, terms, found) if found else query


def named_document_found(query: Query, chunks: Sequence[RetrievedChunk]) -> Query:
    """A question naming a document the candidates come from ("Menurut Pergub Uji Nomor 5
    Tahun 2026, berapa orang …?") has found where to look: the words naming it weigh like
    words carried from an earlier turn, so neither a sentence repeating the document's name
    nor the length of that name decides the answer. A document no candidate comes from is
    still asked about with every word (it may be one the sources lack)."""
    naming = query.naming
    if not naming or not any(naming <= terms_of(c.title) for c in chunks):
        return query
    terms = {t: min(w, CARRIED_WEIGHT) if t in naming else w for t, w in query.terms.items()}
    return replace(query, terms=terms)


def synonym_senses(query: Query, weights: TermWeights) -> Query:
    """A question word no passage holds is searched by the words of the same meaning that
    passages do hold ("diteken" -> "ditandatangani", "beruntun" -> "berturut-turut"; see
    `replikasi.indonesian.synonyms`), at its own weight: it is no longer unknown."""
    terms = dict(query.terms)
    found: list[str] = []
    bridged: set[str] = set()
    for term in list(terms):
        if weights.df.get(term):
            continue
        known = [t for t in synonyms(term) if weights.df.get(t) and t not in terms]
        if not known:
            continue
        weight = terms.pop(term)
        bridged.add(term)
        for synonym in known:
            terms[synonym] = weight
            found.append(synonym)
    return _searched_also(query, terms, found, bridged) if found else query


def _searched_also(
    query: Query, terms: dict[str, float], found: list[str], bridged: Collection[str] = ()
) -> Query:
    """`query` with `terms`, the passage terms `found` added to its keyword search, and the
    question's own terms they stand in for marked `bridged` (no longer counted unknown)."""
    extra = " ".join(dict.fromkeys([*query.lexical_extra.split(), *found]))
    return replace(query, terms=terms, bridged=query.bridged | set(bridged), lexical_extra=extra)


def names_the_unknown(query: Query, weights: TermWeights) -> bool:
    """Does an Indonesian question name something (a capitalised word, see `name_terms`)
    that no passage holds? English questions capitalise words the glossary does not know
    ("Korean", "West"), so they are left to the calibrated decision."""
    return query.language != "en" and any(not weights.df.get(t) for t in query.names)


def expansion_known(query: Query, scored: Sequence[ScoredUnit]) -> bool:
    """False when the question asks what a short name stands for and no candidate sentence
    spells out a name it uses (see `bot.acronyms`)."""
    if not ASKS_EXPANSION.search(query.text):
        return True
    return expands_asked_name(query.text, (u.text for u in scored))


def drop_untranslated_words(query: Query, weights: TermWeights) -> Query:
    """An English question's plain words that neither the glossary nor the word bridge
    carries over to the (Indonesian) passages say nothing about whether they answer it:
    "showed up", "qualifies", "whole country". They are left out of its terms; names and
    acronyms (capitalised in the question) stay."""
    if query.language != "en":
        return query
    drop: set[str] = set()
    for word, terms in word_terms(query.text):
        if not word.isalpha() or not word.isascii():
            continue
        if not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", query.text):
            continue  # written with capitals in the question: a name or an acronym
        drop.update(t for t in terms if not weights.df.get(t) and t not in query.bridged)
    drop -= set(query.entities) | set(query.anchors.terms)
    if not drop or not set(query.own_terms) - drop:
        return query
    return replace(query, terms={t: w for t, w in query.terms.items() if t not in drop})


def _unknown_subject(finding: Finding) -> bool:
    """Nothing relevant was found, or the question names something no source holds."""
    return not finding.relevant or finding.signals.get("unknown_entity", 0.0) > 0


def _within(part: Finding, whole: Finding) -> bool:
    """Does the answer to a part come from the documents the whole question found? A
    question asks its parts about one subject."""
    documents = {chunk.doc_id for chunk in whole.chunks}
    return all(unit.chunk.doc_id in documents for unit in part.composition.units)


def _fit(finding: Finding) -> tuple[float, float, bool, bool, float]:
    """How well a reading of a part is answered: the share of the part's own words its
    quoted units hold, then the share of what it asks for (a number, a name, what a short
    name stands for), then the support of the evidence."""
    query, units = finding.query, finding.composition.units
    own = set(query.own_terms)
    said = finding.composition.quoted_terms
    asked = query.kinds & TESTABLE_KINDS
    text = " ".join(unit.text for unit in units)
    held = len(kinds_in(text, asked)) / len(asked) if asked else 1.0
    if ASKS_EXPANSION.search(query.text) and not expands_asked_name(query.text, [text]):
        held = 0.0
    share = len(own & said) / len(own) if own else 0.0
    return (share, held, *_support(finding))


def _support(finding: Finding) -> tuple[bool, bool, float]:
    """How well the evidence supports answering: answerable first, then relevant, then the
    calibrated probability."""
    return (finding.answerable, finding.relevant, finding.p_answer)


def shares_a_word(query: Query, terms: frozenset[str]) -> bool:
    """Do `terms` hold a word of the question (its own, carried or bridged) other than a
    number? The calibrated decisions weigh how close and how well covered the evidence is;
    they were fitted on questions, and a string of symbols or a line of code is none: with
    no word of it in the passages (a number aside, "1" is everywhere), nothing answers it."""
    asked = {term for term in query.terms if not term.isdigit()}
    return not asked or bool(asked & terms)


def _unique(chunks: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
    """Each chunk once, where it first appears."""
    seen: set[str] = set()
    return [c for c in chunks if not (c.chunk_id in seen or seen.add(c.chunk_id))]


def _documents_answer(finding: Finding, question: str) -> bool:
    """A question naming a region or a category is a search of the catalogue ("inovasi apa
    saja di Jawa Tengah?") unless it also asks something else that documents speak to
    ("sulbar jadi hub inovasi pake SK apa?"): then their answer, or what they say is not
    known, is the one wanted, not a list of the region's innovations."""
    best = finding.composition.best
    if not finding.relevant or best is None or best.chunk.is_profile_row:
        return False
    return bool(set(finding.query.own_terms) - terms_of(filter_words(question)))


def one_regulations_article(
    query: Query, named: Sequence[RetrievedChunk]
) -> tuple[list[RetrievedChunk], tuple[str, ...]]:
    """ "isi Pasal 9 apa?" when several regulations have a Pasal 9: the article of the one
    found first (the one whose name the question or the conversation gives, if any) is
    quoted, never two regulations' articles run together; the titles of the others come
    back when nothing in the question tells them apart, so the answer can say so."""
    documents = list(dict.fromkeys(c.doc_id for c in named))
    if len(documents) < 2:
        return list(named), ()
    first = [c for c in named if c.doc_id == documents[0]]
    others = [c for c in named if c.doc_id != documents[0]]
    own_title = terms_of(first[0].title) - set().union(*(terms_of(c.title) for c in others))
    if query.anchors.reg_numbers or own_title & set(query.terms):
        return first, ()
    return first, tuple(dict.fromkeys(c.title for c in others))


def asks_for_the_article(query: Query, named: Sequence[RetrievedChunk]) -> bool:
    """Is the question about the named article itself, not one fact in it? Then its text is
    the answer. It is when at most one of the question's terms ("isi", "atur") is not part
    of the reference: the regulation's title or label, the article's heading, "ayat"."""
    anchors = query.anchors
    reference = frozenset({"pasal", "ayat", anchors.article, anchors.ayat}) | anchors.terms
    for chunk in named:
        label = str(chunk.metadata.get(MetaKey.REG_LABEL) or "")
        reference |= terms_of(f"{chunk.title} {label} {chunk.section}")
    return len([t for t in query.own_terms if t not in reference]) <= 1


def _holds_ayat(chunk: RetrievedChunk, ayat: str) -> bool:
    """Does this article passage have ayat `ayat`? Ingest records the ayat that open a line
    of each passage ("1,2,3,4")."""
    return ayat in str(chunk.metadata.get(MetaKey.AYAT) or "").split(",")


def validate_question(question: str, language: Language) -> None:
    """Raise InvalidQuestionError (its message is for the user) for what cannot be searched:
    nothing but emoji or punctuation, far too long, or written in another script (Arabic,
    Chinese, Cyrillic…), which the sources cannot match and would only be told "not covered"."""
    problem = question_error(question, language)  # invalid bytes, control characters, symbols
    if problem is not None:
        raise InvalidQuestionError(problem)
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


def _covers_all(whole: Finding, parts: list[tuple[Finding, bool]]) -> bool:
    """Does the whole question's answer already answer every part (one passage holding both
    facts)? Then it is kept as one answer. The words must be in what is quoted or in its
    document's title: a section heading ("Mitra dan sejarah pelatihan") does not make a
    list of dates name the partner."""
    if not whole.answerable:
        return False
    kinds = whole.composition.kinds
    titles = {unit.chunk.title for unit in whole.composition.units}
    covered = whole.composition.quoted_terms.union(*(terms_of(title) for title in titles))
    return all(
        p.query.kinds & TESTABLE_KINDS <= kinds
        and set(p.query.own_terms) <= covered
        # "X singkatan dari apa, dan apa fungsinya?": a sentence on what X does names X
        # but does not spell it out
        and expansion_known(p.query, whole.composition.units)
        # "apa itu KIPP dan apa itu SINOVIK?": what SINOVIK is for names KIPP, but says
        # nothing of what KIPP is
        and (
            "definition" not in p.query.kinds
            or any(defines(unit.text, p.query) for unit in whole.composition.units)
        )
        for p, _ in parts
    )


def _answered_above(part: Query, found: list[tuple[Finding, bool]]) -> Finding | None:
    """The answer of an earlier part when one of its units holds every word and asked-for
    kind of `part` as well (then the part is answered by what is already quoted)."""
    terms = set(part.own_terms)
    kinds = part.kinds & TESTABLE_KINDS
    if not terms:
        return None
    for finding, answered in found:
        if answered and any(
            terms <= unit.terms and _holds_kinds(unit.text, kinds)
            for unit in finding.composition.units
        ):
            return finding
    return None


def _holds_kinds(text: str, kinds: frozenset[str]) -> bool:
    """`kinds_in`, with a body's acronym as the "who" of a part whose subject an earlier
    part settled ("SIBADI itu apa? yg ngelola siapa?" — "… dikelola BRIDA")."""
    found = kinds_in(text, kinds)
    if "name" in kinds and "name" not in found and names_a_body(text):
        found = found | {"name"}
    return found == kinds


def _merged_chunks(parts: list[Finding]) -> list[RetrievedChunk]:
    return _unique([chunk for part in parts for chunk in part.chunks])


def _previous_sources(question: str, language: Language, history: list[Turn]) -> Answer:
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


def _timed(answer: Answer, started: float) -> Answer:
    answer.timings_ms["total"] = (time.perf_counter() - started) * 1000
    return answer
