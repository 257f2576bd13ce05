"""The knowledge base in a LangChain user's own chain: the retriever runs the engine's hybrid
retrieval over a real (small) index and keeps each passage's metadata and citation."""

from __future__ import annotations

from pathlib import Path

from langchain_core.documents import Document
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from bot.engine import AnswerEngine
from bot.langchain_retriever import KnowledgeBaseRetriever
from bot.retrieval import HybridRetriever
from ingest.pipeline import run_ingest
from replikasi.embeddings import EmbeddingModel
from replikasi.settings import Settings


def _retriever(settings: Settings, embedding: EmbeddingModel, k: int) -> KnowledgeBaseRetriever:
    assert run_ingest(settings, embedding=embedding).ok
    engine = AnswerEngine(settings, retriever=HybridRetriever(settings, embedding=embedding))
    return KnowledgeBaseRetriever(engine=engine, k=k)


def test_retriever_returns_passages_with_metadata_and_citations(
    settings: Settings, knowledge_copy: Path, fake_embedding: EmbeddingModel
) -> None:
    retriever = _retriever(settings, fake_embedding, k=3)
    documents = retriever.invoke("Berapa jumlah hub inovasi?")
    assert len(documents) == 3
    first = documents[0]
    assert first.metadata["doc_id"] == "hub-inovasi" and "hub" in first.page_content.lower()
    assert first.id == first.metadata["chunk_id"]
    assert first.metadata["citation"].startswith("[1] ") and first.metadata["title"]
    assert [d.metadata["citation_number"] for d in documents] == [1, 2, 3]
    assert first.metadata["lexical"] is not None  # found by the keywords, as in the bot


def test_retriever_in_a_small_lcel_chain(
    settings: Settings, knowledge_copy: Path, fake_embedding: EmbeddingModel
) -> None:
    retriever = _retriever(settings, fake_embedding, k=2)

    def sources(documents: list[Document]) -> str:
        return "\n".join(d.metadata["citation"] + ": " + d.page_content[:80] for d in documents)

    prompt = ChatPromptTemplate.from_messages(
        [("system", "Jawab dari sumber berikut:\n{context}"), ("human", "{question}")]
    )
    chain = {
        "context": retriever | RunnableLambda(sources),
        "question": RunnablePassthrough(),
    } | prompt
    messages = chain.invoke("Apa saja bentuk replikasi inovasi?").to_messages()
    assert messages[1].content == "Apa saja bentuk replikasi inovasi?"
    system = str(messages[0].content)
    assert "[1] " in system and "[2] " in system and "[3] " not in system
