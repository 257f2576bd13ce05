"""The knowledge base as a LangChain retriever, for your own chains:

    from bot.langchain_retriever import KnowledgeBaseRetriever
    retriever = KnowledgeBaseRetriever.from_settings(get_settings(), k=5)
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | llm

It runs the engine's hybrid retrieval (BM25 + dense, fused; the same as the bot's answers)
through the engine front, and returns one `Document` per passage, best first: the passage
text, its chunk metadata (title, section, source URL, article of a regulation, …), how it
was found (score, dense, lexical) and its numbered citation as the bot would print it.
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.engine_front import EngineFront
from replikasi.records import Citation, RetrievedChunk
from replikasi.settings import Settings


class KnowledgeBaseRetriever(BaseRetriever):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    engine: Any  # an EngineFront (a Protocol, so not a pydantic-checkable type)
    k: int | None = None  # passages per query; None = RETRIEVAL_K

    @classmethod
    def from_settings(cls, settings: Settings, k: int | None = None) -> KnowledgeBaseRetriever:
        from bot.engine import AnswerEngine

        return cls(engine=AnswerEngine(settings), k=k)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        front: EngineFront = self.engine
        return [to_document(n, chunk) for n, chunk in enumerate(front.retrieve(query, self.k), 1)]


def to_document(number: int, chunk: RetrievedChunk) -> Document:
    citation = Citation.from_chunk(number, chunk)
    metadata = {
        **chunk.metadata,
        "chunk_id": chunk.chunk_id,
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "section": chunk.section,
        "doc_type": chunk.doc_type,
        "source_url": chunk.source_url,
        "score": chunk.score,
        "dense": chunk.dense,
        "lexical": chunk.lexical,
        "citation_number": number,
        "citation": f"[{number}] {citation.label()}",
    }
    return Document(page_content=chunk.text, metadata=metadata, id=chunk.chunk_id)
