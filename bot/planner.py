"""The replication planner: from the user's choices to a plan in which every statement is
cited, composed only of what the answer engine says.

Each section of the plan is one or more questions to the engine (bot/plan_questions.py).
Their answers are cut into cited findings (bot/plan_evidence.py) and merged: duplicates
dropped, citations renumbered into one sources list for the whole plan. Whatever the engine
could not answer is left out; what it says is *not known* goes to the section about what
the knowledge base does not know. Offline the answers are extractive; with an LLM they are
the LLM's grounded, citation-checked answers: the planner does not care which.

The planner needs only the engine front (`EngineFront`), so the bot, the CLI and the tests
share it. The questions that do not depend on the user (GENERIC_QUESTIONS) can be asked
ahead (`gather`) and handed back to `compose` as `known` evidence: the bot does that while
the user is still choosing, so the plan is ready the moment the last choice is made.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.engine import InvalidQuestionError
from bot.engine_front import EngineFront
from bot.plan_choices import (
    context_difference,
    find_innovations,
    match_province,
)
from bot.plan_evidence import evidence_of, statements
from bot.plan_model import (
    FORMS,
    Evidence,
    Finding,
    Form,
    Innovation,
    Plan,
    PlanRequest,
    Section,
    Statement,
)
from bot.plan_questions import (
    FORM_NAMES,
    FORM_QUESTION,
    GENERIC_QUESTIONS,
    SECTIONS,
    TITLE,
    question,
)
from bot.plan_sections import (
    HUB_QUESTIONS,
    PlanBuilder,
    first,
    form_line,
    form_statements,
    hub_findings,
    is_about,
    profile_facts,
    unknown_statements,
)
from replikasi.language import Language
from replikasi.records import Citation
from replikasi.untrusted import untrusted_reason

log = logging.getLogger(__name__)

# Offline answering is CPU-bound (two cores are plenty); LLM answers wait on the network.
WORKERS = {"extractive": 2, "llm": 4}
FALLBACK_PROFILE_SENTENCES = 4


@dataclass(frozen=True)
class FormOption:
    """A form of replication as offered to the user: one cited line about it (if the
    knowledge base has one) and whether it suits a context that differs."""

    form: Form
    finding: Finding | None
    suggested: bool = False


@dataclass(frozen=True)
class FormChoice:
    options: tuple[FormOption, ...]
    difference: tuple[str, str] | None  # (theirs, yours) when the contexts differ
    hint: Finding | None  # the cited line that backs adapting to local needs


class Planner:
    def __init__(self, engine: EngineFront, workers: int | None = None) -> None:
        self.engine = engine
        self.workers = workers or WORKERS.get(engine.mode, 2)

    def question_language(self, language: Language) -> Language:
        """The language the engine is asked in. Offline the plan quotes the sources, which
        are Indonesian, and Indonesian questions find them best; an LLM writes its answer
        in the question's language, so it is asked in the plan's."""
        return language if self.engine.mode == "llm" else "id"

    def generic_questions(self, language: Language) -> dict[str, str]:
        """The questions that need nothing from the user (asked ahead by the bot)."""
        asking = self.question_language(language)
        return {key: question(key, asking) for key in GENERIC_QUESTIONS}

    def innovation_question(self, innovation: Innovation, language: Language) -> dict[str, str]:
        asking = self.question_language(language)
        return {"innovation": question("innovation", asking, innovation=innovation.name)}

    # -- the choices -----------------------------------------------------------------------
    def find_innovations(self, query: str, limit: int = 5) -> list[Innovation]:
        return find_innovations(self.engine, query, limit)

    def match_province(self, region: str) -> str:
        return match_province(self.engine, region)

    # -- asking the engine -----------------------------------------------------------------
    def gather(
        self, asks: Mapping[str, str], known: Mapping[str, Evidence] | None = None
    ) -> dict[str, Evidence]:
        """Evidence for each {key: question}; `known` evidence for the same question is
        reused, the rest is asked in parallel."""
        known = known or {}
        found = {k: known[k] for k, q in asks.items() if k in known and known[k].question == q}
        missing = [(k, q) for k, q in asks.items() if k not in found]
        if len(missing) == 1:
            found[missing[0][0]] = self._ask(*missing[0])
        elif missing:
            with ThreadPoolExecutor(min(self.workers, len(missing))) as pool:
                for evidence in pool.map(lambda item: self._ask(*item), missing):
                    found[evidence.key] = evidence
        return {key: found[key] for key in asks}

    def _ask(self, key: str, text: str) -> Evidence:
        try:
            answer = self.engine.answer(text, overview=False)  # each section asks its own
        except InvalidQuestionError as exc:  # e.g. a profile name the engine cannot search
            log.info("Plan question %r not asked: %s", text, exc)
            return Evidence(key, text, "abstained")
        evidence = evidence_of(key, answer)
        evidence.question = text
        return evidence

    # -- the form step ---------------------------------------------------------------------
    def form_choice(
        self,
        innovation: Innovation,
        agency: str,
        province: str,
        language: Language,
        known: Mapping[str, Evidence] | None = None,
    ) -> tuple[FormChoice, dict[str, Evidence]]:
        """The three forms, each with one cited line, and a hint when the contexts differ;
        with the evidence it took (to keep for the plan)."""
        evidence = self.gather(form_questions(self.question_language(language)), known)
        difference = context_difference(innovation, agency, province, language)
        options = tuple(
            FormOption(
                form,
                form_line(form, evidence, language),
                suggested=difference is not None and form != "adopsi",
            )
            for form in FORMS
        )
        hint = first(evidence.get("fit_locally")) if difference else None
        return FormChoice(options, difference, hint), evidence

    def hub(
        self, province: str, language: Language, known: Mapping[str, Evidence] | None = None
    ) -> tuple[list[Finding], dict[str, Evidence]]:
        """The cited statements naming `province` as an innovation hub (none when the
        knowledge base does not say so), with the evidence it took."""
        if not province:
            return [], {}
        asking = self.question_language(language)
        asks = {
            "hub": question("hub", asking, province=province),
            "hubs": question("hubs", asking),
        }
        evidence = self.gather(asks, known)
        found = [f for key in HUB_QUESTIONS for f in hub_findings(evidence[key], province)]
        return list(dict.fromkeys(found)), evidence

    # -- the plan --------------------------------------------------------------------------
    def compose(
        self,
        request: PlanRequest,
        known: Mapping[str, Evidence] | None = None,
        *,
        today: dt.date | None = None,
    ) -> Plan:
        evidence = self.gather(
            plan_questions(request, self.question_language(request.language)), known
        )
        builder = PlanBuilder(request.language)
        sections = [
            self._section(
                spec.key, spec.title[request.language], spec.step, request, evidence, builder
            )
            for spec in SECTIONS
        ]
        innovation = request.innovation
        answered_by = {e.mode for e in evidence.values() if e.outcome == "answered"}
        return Plan(
            request=request,
            title=TITLE[request.language].format(innovation=innovation.name, agency=request.agency),
            sections=sections,
            sources=builder.sources,
            created=(today or dt.date.today()).isoformat(),
            # "llm" when the model wrote any of the answers the plan is made of
            mode="llm" if "llm" in answered_by else "extractive",
        )

    def _section(
        self,
        key: str,
        title: str,
        step: bool,
        request: PlanRequest,
        evidence: Mapping[str, Evidence],
        builder: PlanBuilder,
    ) -> Section:
        language = request.language
        section = Section(key, title, step=step)
        if key == "innovation":
            section.statements = self._innovation(request.innovation, evidence, builder)
        elif key == "form":
            section.title = f"{title}: {FORM_NAMES[request.form][language]}"
            section.statements = form_statements(request, evidence, builder)
        elif key == "unknown":
            section.statements = unknown_statements(evidence, builder, language)
        else:
            spec = next(s for s in SECTIONS if s.key == key)
            for question_key in spec.questions:
                item = evidence.get(question_key)
                if item is None:
                    continue
                if question_key in HUB_QUESTIONS:
                    findings = hub_findings(item, request.province)
                else:
                    findings = item.findings if item.outcome == "answered" else []
                section.statements += builder.add_all(findings)
            if step and not section.statements:
                section.statements.append(builder.framing("empty_step"))
        section.links = builder.links(section.statements) if key == "legal" else []
        return section

    def _innovation(
        self, innovation: Innovation, evidence: Mapping[str, Evidence], builder: PlanBuilder
    ) -> list[Statement]:
        """Who runs it, where, since when and how to reach them (the profile's own fields,
        cited to the profile), then what the engine says about it from its own profile."""
        passage = self.engine.passage(innovation.chunk_id)
        profile = Citation.from_chunk(0, passage) if passage is not None else None
        result: list[Statement] = []
        if profile is not None:
            result += builder.add_all(profile_facts(innovation, profile, builder.language))
        item = evidence.get("innovation")
        own = [f for f in (item.findings if item else []) if is_about(f, innovation)]
        if not own and passage is not None and profile is not None:
            # The profile's own text, read directly: what is aimed at the assistant or sends
            # the reader to a foreign link is document data, never a statement of the plan.
            sentences = [
                s
                for s in statements(passage.text, (profile,))
                if untrusted_reason(s, (profile.source_url,)) is None
            ][:FALLBACK_PROFILE_SENTENCES]
            own = [Finding(s, (profile,)) for s in sentences]
        return result + builder.add_all(own)


# -- the questions a plan needs -------------------------------------------------------------
def plan_questions(request: PlanRequest, language: Language) -> dict[str, str]:
    """{key: question} for every section of the plan, asked in `language`."""
    asks = {"innovation": question("innovation", language, innovation=request.innovation.name)}
    asks |= {k: v for k, v in form_questions(language).items() if _needed_form_key(k, request.form)}
    for spec in SECTIONS:
        for key in spec.questions:
            if key in HUB_QUESTIONS:
                if request.province:
                    asks[key] = question(key, language, province=request.province)
            elif key != "innovation":
                asks[key] = question(key, language)
    return asks


def form_questions(language: Language) -> dict[str, str]:
    keys = [*FORM_QUESTION.values(), "forms", "fit_locally"]
    return {key: question(key, language) for key in keys}


def _needed_form_key(key: str, form: Form) -> bool:
    return key in ("forms", "fit_locally") or key == FORM_QUESTION[form]
