"""Strip the junk that comes along when a news article is copied out of a web page.

Admins paste articles from Indonesian news sites into `.txt` files or save the HTML. Besides
the article, the copy carries "Baca Juga" teasers, share buttons, credit lines, view counters
and, at the bottom, lists of unrelated headlines. Left in, those lines get embedded and
retrieved as if they were facts about public-service innovation. The rules below are
patterns seen across many sites, not the sentences of any one page.
"""

from __future__ import annotations

import re

# Headlines and date lines in a trailing "related news" list are shorter than this; article
# paragraphs are almost always longer.
_MAX_TAIL_LINE_CHARS = 160


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)


# Lines that only ever appear on web pages; one of them is enough to treat a text as a copy.
_WEB_ONLY_PATTERNS = (
    r"^(baca|lihat|simak|tonton)\s+(juga|pula)\b(\s*[:\-–»]|.{0,150}$)",
    r"^(url|link|tautan)\s+(berhasil|telah)\s+(di)?(copy|kopi|salin)",
    r"^back\s+to\s+top\b",
    r"^kembali\s+ke\s+atas$",
    r"^read\s+(the\s+)?(entire|full)\s+(article|story)$",
    r"^(baca|lihat)\s+(artikel\s+|berita\s+)?selengkapnya\b",
    r"^continue\s+reading\b",
    r"^(berita|artikel|tulisan)\s+ini\s+(telah\s+)?(di)?baca\s+[\d.]+\s+kali",
    r"^(berita|artikel|tulisan)\s+ini\s+[\d.]+\s+kali\s+dibaca",
    r"^(telah\s+)?dibaca\s+[\d.]+\s+kali$",
    r"^dilarang\b.*(tanpa\s+izin|crawling|pengindeksan)",
    r"^(ikuti|follow)\s+(kami|us|berita)\b.*(google\s+news|whatsapp|telegram|channel)",
    r"^\d+\s+(second|minute|hour|day|week|month|year)s?\s+ago\b[\s\d]*$",
)
_WEB_ONLY_LINES = _compile(*_WEB_ONLY_PATTERNS)

# On a web page these are junk too, but a hand-written note could contain them.
_WEB_JUNK_LINES = _compile(
    *_WEB_ONLY_PATTERNS,
    r"^(copyright|hak\s+cipta)\b",
    r"^©",
    r"\ball\s+rights\s+reserved\b",
    r"^\d+\s+(detik|menit|jam|hari|minggu|bulan|tahun)\s+(yang\s+)?lalu$",
    r"^[-–—•|]?\s*(jurnalis|wartawan|reporter|penulis|redaksi|admin|editor|kontributor)$",
)

# "Penulis: X", "Editor : Y", "Sumber Berita: Z": credits, only when the line is short.
_CREDIT = re.compile(
    r"^(penulis|editor|pewarta|sumber(\s+berita)?|reporter|redaktur|penyunting|kontributor"
    r"|fotografer|foto|jurnalis|wartawan|writer|author)\s*:",
    re.IGNORECASE,
)
_MAX_CREDIT_CHARS = 100

# fmt: off
_SHARE_WORDS = frozenset({
    "facebook", "twitter", "x", "whatsapp", "telegram", "line", "copy", "icon", "linkedin",
    "pinterest", "email", "e-mail", "share", "bagikan", "tweet", "print", "cetak", "salin",
    "link", "url", "messenger", "reddit", "tumblr", "instagram", "tiktok", "youtube", "wa",
    "fb", "google", "news"
})
# fmt: on
# fmt: off
_SHARE_NETWORKS = frozenset({
    "facebook", "twitter", "whatsapp", "telegram", "linkedin", "pinterest", "messenger",
    "reddit", "share", "bagikan"
})
# fmt: on

# A line equal to one of these starts the "more from this site" part of a page.
_SECTION_MARKERS = frozenset(
    {
        "berita terkait",
        "berita terbaru",
        "berita lainnya",
        "berita populer",
        "berita pilihan",
        "artikel terkait",
        "artikel lainnya",
        "artikel terbaru",
        "terkini",
        "terpopuler",
        "populer",
        "terbaru",
        "tags",
        "tag",
        "topik",
        "topik terkait",
        "related articles",
        "related posts",
        "related news",
        "related",
        "more stories",
        "latest news",
        "most popular",
        "trending",
        "rekomendasi",
        "pilihan editor",
        "pilihan redaksi",
        "baca juga",
        "komentar",
        "comments",
        "share",
        "bagikan",
    }
)
# Of those, the ones a hand-written note would never contain on a line of their own.
_WEB_ONLY_MARKERS = frozenset(
    {"berita terkait", "berita terbaru", "artikel terkait", "related articles", "related posts"}
    | {"terpopuler", "baca juga", "berita lainnya"}
)

_KICKER = re.compile(r"^[A-Z][A-Z&]{2,24}$")


def looks_like_web_page(text: str) -> bool:
    """True when the text carries at least one marker that only web pages have."""
    for raw in text.splitlines():
        line = _normalize_line(raw)
        if not line:
            continue
        if any(p.search(line) for p in _WEB_ONLY_LINES) or _is_share_line(line):
            return True
        if _marker_key(line) in _WEB_ONLY_MARKERS:
            return True
    return False


def clean_web_text(text: str) -> str:
    """Return the article text without web-page junk; paragraphs stay blank-line separated."""
    lines = [_normalize_line(raw) for raw in text.splitlines()]
    lines = [line if line and not _is_junk_line(line) else "" for line in lines]
    lines = _drop_kicker(lines)
    lines = _drop_trailing_sections(lines)
    return "\n\n".join(_dedupe_paragraphs(lines))


def _normalize_line(line: str) -> str:
    line = line.replace("\xa0", " ").replace("\u200b", "").replace("\ufeff", "")
    return re.sub(r"[ \t]+", " ", line).strip()


def _is_junk_line(line: str) -> bool:
    if any(p.search(line) for p in _WEB_JUNK_LINES):
        return True
    if _CREDIT.match(line) and len(line) <= _MAX_CREDIT_CHARS:
        return True
    return _is_share_line(line) or _is_empty_pipe_row(line)


def _is_share_line(line: str) -> bool:
    tokens = re.findall(r"[\w-]+", line.casefold())
    if not tokens or not all(token in _SHARE_WORDS for token in tokens):
        return False
    return any(token in _SHARE_NETWORKS for token in tokens) and (
        len(tokens) >= 2 or tokens[0] in {"share", "bagikan"}
    )


def _is_empty_pipe_row(line: str) -> bool:
    """Menu and footer residue such as "Site name | | | |": more separators than content."""
    pipes = line.count("|")
    filled = [part for part in line.split("|") if part.strip()]
    return pipes >= 2 and len(filled) < pipes


def _marker_key(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip(" :»›>#-–—").casefold())


def _drop_kicker(lines: list[str]) -> list[str]:
    """Drop a one-word all-caps category label ("HUMANITIES") sitting above the headline."""
    filled = [i for i, line in enumerate(lines) if line]
    if len(filled) >= 2 and _KICKER.match(lines[filled[0]]):
        lines = lines.copy()
        lines[filled[0]] = ""
    return lines


def _drop_trailing_sections(lines: list[str]) -> list[str]:
    """Cut at a "related/terkait/terpopuler" marker when only headline-like lines follow.

    A marker followed by a real paragraph is navigation inside the page: only the marker line
    goes. The cut also needs real article text before it, so a page that opens with a menu
    ("Terkini", "Terpopuler") and has a short body is never emptied.
    """
    lines = lines.copy()
    for index, line in enumerate(lines):
        if not line or _marker_key(line) not in _SECTION_MARKERS:
            continue
        tail = [rest for rest in lines[index + 1 :] if rest]
        tail_is_list = all(
            len(rest) <= _MAX_TAIL_LINE_CHARS or _marker_key(rest) in _SECTION_MARKERS
            for rest in tail
        )
        has_article_before = any(len(kept) > _MAX_TAIL_LINE_CHARS for kept in lines[:index])
        if tail_is_list and has_article_before:
            return lines[:index]
        lines[index] = ""
    return lines


def _dedupe_paragraphs(lines: list[str]) -> list[str]:
    """Group lines into paragraphs and drop a paragraph identical to the one before it.

    Photo captions are often copied twice (image alt text, then the caption itself).
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line:
            current.append(line)
            continue
        if current:
            paragraph = "\n".join(current)
            if not paragraphs or _squash(paragraphs[-1]) != _squash(paragraph):
                paragraphs.append(paragraph)
            current = []
    return paragraphs


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()
