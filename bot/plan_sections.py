"""How each part of a plan is filled from the engine's evidence: which findings count (a
hub only when a cited statement names the province; for a form, the statement about that
form), and the numbering of sources across the whole plan (`PlanBuilder`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.plan_choices import context_difference, mentions_province
from bot.plan_model import Evidence, Finding, Form, Innovation, PlanRequest, Source, Statement
from bot.plan_questions import FORM_QUESTION, FORM_STEMS, PROFILE_LABELS, framing
from replikasi.language import Language
from replikasi.records import Citation

_WORD = re.compile(r"\w+")
_HUB = re.compile(r"\bhub\b", re.I)
HUB_QUESTIONS = ("hub", "hubs")


def answered(item: Evidence | None) -> list[Finding]:
    return item.findings if item is not None and item.outcome == "answered" else []


def first(item: Evidence | None) -> Finding | None:
    findings = answered(item)
    return findings[0] if findings else None


def stems_in(text: str) -> set[Form]:
    words = [w.casefold() for w in _WORD.findall(text)]
    return {
        form
        for form, stems in FORM_STEMS.items()
        if any(stem in word for word in words for stem in stems)
    }


def form_line(form: Form, evidence: Mapping[str, Evidence], language: Language) -> Finding | None:
    """The cited statement that best explains `form`: one about it alone, else one naming it
    with another form, else the list of all three forms."""
    pool: list[Finding] = []
    for key in (FORM_QUESTION[form], "fit_locally", "forms", *FORM_QUESTION.values()):
        pool += [f for f in answered(evidence.get(key)) if f not in pool]
    for accept in (lambda s: s == {form}, lambda s: form in s and len(s) < 3, lambda s: form in s):
        match = next((f for f in pool if accept(stems_in(f.text))), None)
        if match is not None:
            return match
    return None


def hub_findings(item: Evidence, province: str) -> list[Finding]:
    """Cited statements that name the province as a hub. A "not known" answer counts too:
    its statements are quoted from the sources like any other ("… DIY … bergabung sebagai
    hub inovasi"); what it does not know is another part of the question."""
    if not province or item.outcome == "abstained":
        return []
    return [f for f in item.findings if mentions_province(f.text, province) and _HUB.search(f.text)]


def is_about(finding: Finding, innovation: Innovation) -> bool:
    return any(
        c.doc_id == innovation.doc_id
        and (not innovation.section or c.section == innovation.section)
        for c in finding.citations
    )


def profile_facts(innovation: Innovation, profile: Citation, language: Language) -> list[Finding]:
    fields = [
        f"{PROFILE_LABELS[key][language]}: {getattr(innovation, key)}"
        for key in ("agency", "region", "year", "category", "award")
        if getattr(innovation, key)
    ]
    facts = [Finding("; ".join(fields) + ".", (profile,))] if fields else []
    if innovation.contact_url:
        label = PROFILE_LABELS["contact_url"][language]
        facts.append(Finding(f"{label}: {innovation.contact_url}", (profile,)))
    return facts


def form_statements(
    request: PlanRequest, evidence: Mapping[str, Evidence], builder: PlanBuilder
) -> list[Statement]:
    language = request.language
    chosen = form_line(request.form, evidence, language)
    overview = next(
        (f for f in answered(evidence.get("forms")) if len(stems_in(f.text)) == 3), None
    )
    result = builder.add_all([f for f in (chosen, overview) if f is not None])
    difference = context_difference(request.innovation, request.agency, request.province, language)
    hint = first(evidence.get("fit_locally"))
    if difference and hint is not None:
        added = builder.add_all([hint])
        if added:
            theirs, yours = difference
            result += [builder.framing("context_differs", theirs=theirs, yours=yours), *added]
    return result


def unknown_statements(
    evidence: Mapping[str, Evidence], builder: PlanBuilder, language: Language
) -> list[Statement]:
    """What the knowledge base says it does not know: the answer about it, and whatever
    another section's question was answered with "not known"."""
    findings = [f for f in (evidence["unknown"].findings if "unknown" in evidence else [])]
    if "unknown" in evidence and evidence["unknown"].outcome == "abstained":
        findings = []
    for key, item in evidence.items():
        if key != "unknown" and key not in HUB_QUESTIONS and item.outcome == "not_known":
            findings += item.findings
    return [*builder.add_all(findings), builder.framing("official_channels")]


# -- numbering -----------------------------------------------------------------------------
class PlanBuilder:
    """Turns findings into plan statements: one number per cited passage across the whole
    plan (in order of first use), each statement once."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.sources: list[Source] = []
        self._numbers: dict[str, int] = {}
        self._seen: set[str] = set()

    def add_all(self, findings: Iterable[Finding]) -> list[Statement]:
        added = []
        for finding in findings:
            key = " ".join(_WORD.findall(finding.text.casefold()))
            if not key or key in self._seen or not finding.citations:
                continue
            self._seen.add(key)
            added.append(Statement(finding.text, tuple(self._number(c) for c in finding.citations)))
        return added

    def framing(self, key: str, **values: str) -> Statement:
        return Statement(framing(key, self.language, **values), framing=True)

    def _number(self, citation: Citation) -> int:
        number = self._numbers.get(citation.chunk_id)
        if number is None:
            number = self._numbers[citation.chunk_id] = len(self._numbers) + 1
            self.sources.append(Source.of(number, citation))
        return number

    def links(self, statements: Iterable[Statement]) -> list[tuple[str, str]]:
        """The web addresses of the sources these statements cite (once each)."""
        links: dict[str, str] = {}
        for statement in statements:
            for number in statement.sources:
                source = self.sources[number - 1]
                if source.source_url.startswith(("http://", "https://")):
                    links.setdefault(source.source_url, source.label)
        return [(label, url) for url, label in links.items()]
