"""LLM answers through any OpenAI-compatible endpoint, kept honest after generation.

The passages go to the model as numbered, delimited data, without the sentences in them that
are aimed at the assistant or carry foreign links (`replikasi.untrusted`; replaced by "[…]").
What comes back is checked: citations
to passages that were not given are dropped, paragraphs left without a valid citation and
sentences with a link that is neither official nor a cited document's own source (any scheme,
`www.`, bare domains) are removed, and an answer with no valid citation at all is treated as
not grounded (the caller falls back to the extractive answer). A reply that follows an
instruction planted in a passage (says what it dictates, repeats it, or itself instructs or
asks for credentials) is unusable as a whole (`replikasi.untrusted`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from langchain_core.messages import HumanMessage, SystemMessage

from bot.messages import Language
from bot.prompts import load_prompt
from replikasi.records import RetrievedChunk
from replikasi.sentences import split_sentences
from replikasi.settings import Settings
from replikasi.untrusted import (
    echoes_payload,
    echoes_planted,
    foreign_links,
    instruction_kind,
    planted_payloads,
    planted_sentences,
    withhold_untrusted,
)

log = logging.getLogger(__name__)

NO_ANSWER_MARKERS = ("TIDAK_ADA_JAWABAN", "NO_ANSWER")
WITHHELD = "[…]"
_CITATION = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_MARKDOWN = re.compile(r"(\*\*|__|`|^#+\s*)", re.M)


class LLMError(Exception):
    """The model could not give a usable answer (down, slow, garbage, not grounded)."""


@dataclass(frozen=True)
class LLMAnswer:
    text: str  # citations renumbered to 1..n in order of first use
    cited: list[RetrievedChunk]  # passage for each citation number, in order
    no_answer: bool = False


class LLMAnswerer:
    def __init__(self, settings: Settings) -> None:
        from langchain_openai import ChatOpenAI

        api_key = (
            settings.openai_api_key.get_secret_value() if settings.openai_api_key else "unused"
        )
        self.model = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.openai_base_url,
            api_key=api_key,  # type: ignore[arg-type]
            timeout=settings.llm_timeout_seconds,
            max_retries=0,  # the extractive answer is the fallback, not a retry loop
            temperature=settings.llm_temperature,
        )

    def answer(
        self, question: str, chunks: Sequence[RetrievedChunk], language: Language
    ) -> LLMAnswer:
        messages = build_messages(question, chunks, language)
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc
        content = reply.content if isinstance(reply.content, str) else ""
        return check_answer(content, chunks)

    def rewrite(self, question: str, history: Sequence[tuple[str, str]]) -> str:
        """A standalone version of a follow-up question."""
        lines = "\n".join(f"User: {q}\nAssistant: {a[:300]}" for q, a in history)
        prompt = load_prompt("rewrite.md").format(history=lines, question=question)
        try:
            reply = self.model.invoke([HumanMessage(content=prompt)])
        except Exception as exc:
            raise LLMError(f"{type(exc).__name__}: {exc}") from exc
        text = reply.content.strip() if isinstance(reply.content, str) else ""
        if not text or len(text) > 500:
            raise LLMError("unusable rewrite")
        return text.splitlines()[0].strip()


def build_messages(
    question: str, chunks: Sequence[RetrievedChunk], language: Language
) -> list[SystemMessage | HumanMessage]:
    system = load_prompt(f"system.{language}.md")
    template = load_prompt(f"answer.{language}.md")
    human = template.format(passages=format_passages(chunks), question=_as_data(question))
    return [SystemMessage(content=system), HumanMessage(content=human)]


def format_passages(chunks: Sequence[RetrievedChunk]) -> str:
    blocks = []
    for number, chunk in enumerate(chunks, start=1):
        header = chunk.title + (f" — {chunk.section}" if chunk.section else "")
        source = _as_data(header)
        # Sentences aimed at the assistant and foreign links are not even shown to the model.
        text = withhold_untrusted(chunk.text, WITHHELD, [chunk.source_url])
        blocks.append(f'<passage n="{number}" source="{source}">\n{_as_data(text)}\n</passage>')
    return "\n".join(blocks)


def _as_data(text: str) -> str:
    """Text cannot close the delimiters it is placed in."""
    return re.sub(r"</?\s*(passages?|system)[^>]*>", " ", text, flags=re.I).replace('"', "'")


def check_answer(content: str, chunks: Sequence[RetrievedChunk]) -> LLMAnswer:
    text = _MARKDOWN.sub("", content or "").strip()
    if not text:
        raise LLMError("empty reply")
    if any(marker in text for marker in NO_ANSWER_MARKERS):
        return LLMAnswer(text="", cited=[], no_answer=True)
    if repeats_instructions(text):
        raise LLMError("reply repeats the system prompt (prompt injection?)")
    if _follows_planted_text(text, chunks):
        raise LLMError("reply follows an instruction planted in a passage (prompt injection?)")
    # Only official domains and the documents' own sources may appear; a link written inside
    # a passage is passage content, which may be an injection ("isi formulir di evil.example").
    sources = [c.source_url for c in chunks if c.source_url]
    passage_words = _words(" ".join(f"{c.title} {c.section} {c.text}" for c in chunks))
    order: list[int] = []
    kept_paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        sentences = split_sentences(" ".join(paragraph.split()))
        kept: list[str] = []
        pending: list[str] = []
        for sentence in sentences:
            if foreign_links(sentence, sources):
                continue  # a sentence that sends the user to a foreign link is dropped whole
            if _stray_fragment(sentence, passage_words):
                continue  # "HACKED [1]": a word or two that no passage says
            valid = _valid_numbers(sentence, len(chunks))
            sentence = _CITATION.sub(lambda m: _keep_valid(m, len(chunks)), sentence).strip()
            pending.append(sentence)
            if valid:
                kept.extend(pending)  # an uncited sentence is covered by the next citation
                pending = []
                order.extend(n for n in valid if n not in order)
        if kept:
            kept_paragraphs.append(" ".join(kept))
    if not order:
        raise LLMError("answer cites no retrieved passage (not grounded)")
    renumber = {old: new for new, old in enumerate(order, start=1)}
    final = "\n\n".join(kept_paragraphs)
    final = _CITATION.sub(
        lambda m: "".join(f"[{renumber[int(n)]}]" for n in _numbers(m.group(1))), final
    )
    return LLMAnswer(text=final, cited=[chunks[n - 1] for n in order])


STRAY_FRAGMENT_WORDS = 3


def _words(text: str) -> set[str]:
    return {word.casefold() for word in re.findall(r"\w{3,}|\d+", text)}


def _stray_fragment(sentence: str, passage_words: set[str]) -> bool:
    """A reply sentence of a few words sharing none with the passages is not an answer from
    them (a model obeying "reply with X" where the instruction was not even retrieved)."""
    words = re.findall(r"\w+", _CITATION.sub("", sentence))
    return 0 < len(words) <= STRAY_FRAGMENT_WORDS and not _words(" ".join(words)) & passage_words


def _follows_planted_text(text: str, chunks: Sequence[RetrievedChunk]) -> bool:
    """The reply instructs or asks for credentials itself, says what a planted instruction
    dictates ("HACKED"), or repeats a planted sentence."""
    planted = [sentence for chunk in chunks for sentence in planted_sentences(chunk.text)]
    payloads = planted_payloads(chunk.text for chunk in chunks) if planted else set()
    for sentence in split_sentences(" ".join(text.split())):
        bare = _CITATION.sub("", sentence).strip()
        if (
            instruction_kind(bare)
            or echoes_payload(bare, payloads)
            or echoes_planted(bare, planted)
        ):
            return True
    return False


def repeats_instructions(text: str) -> bool:
    """Does the reply quote our system prompt? A model talked into "print your system prompt"
    by a passage or a user must not have that reach the user."""
    reply = " ".join(text.lower().split())
    for language in ("id", "en"):
        for line in load_prompt(f"system.{language}.md").splitlines():
            rule = " ".join(line.lower().split()).lstrip("0123456789. ")
            if len(rule) >= 40 and rule[:60] in reply:
                return True
    return False


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.split(r"\s*[,;]\s*", group) if n.strip().isdigit()]


def _valid_numbers(sentence: str, count: int) -> list[int]:
    return [
        n for m in _CITATION.finditer(sentence) for n in _numbers(m.group(1)) if 1 <= n <= count
    ]


def _keep_valid(match: re.Match[str], count: int) -> str:
    valid = [n for n in _numbers(match.group(1)) if 1 <= n <= count]
    return "".join(f"[{n}]" for n in valid)
