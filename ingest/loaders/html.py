"""Saved web pages: keep the article, drop the page around it, write headings as Markdown."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

from ingest.documents import LoadError, SourceDocument
from ingest.loaders.base import (
    LoadOptions,
    path_doc_id,
    readable_stem,
    relative_path,
    table_lines,
)
from ingest.loaders.boilerplate import clean_web_text
from ingest.regulation import as_regulation

_DROP_TAGS = (
    "script",
    "style",
    "nav",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
    "select",
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})
# Class/id words used by CMS themes for everything that is not the article.
# fmt: off
_JUNK_WORDS = frozenset({
    "nav", "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs", "share", "sharing",
    "sharer", "social", "socials", "related", "recommended", "recommendation", "comment",
    "comments", "disqus", "ad", "ads", "advert", "adverts", "advertisement", "iklan",
    "banner", "sidebar", "widget", "popup", "modal", "cookie", "cookies", "newsletter",
    "subscribe", "pagination", "pager", "promo", "sponsored", "sponsor", "tags", "tag",
    "terkait", "populer", "popular", "trending", "baca", "readmore", "footer", "masthead",
    "skip"
})
# fmt: on
_PROTECTED = frozenset({"html", "body", "main", "article"})
_HEADINGS = {"h1": "#", "h2": "##", "h3": "###", "h4": "####"}
# fmt: off
_CONTAINERS = frozenset({
    "div", "section", "article", "main", "header", "body", "html", "blockquote", "figure",
    "figcaption", "address", "details", "summary", "dl", "dt", "dd", "center", "p", "h5",
    "h6", "hgroup"
})
# fmt: on
# Stands in for <br> until whitespace is collapsed, so the line break survives.
_BREAK = "\u2063"


def load_html(path: Path, root: Path, options: LoadOptions | None = None) -> list[SourceDocument]:
    display = relative_path(path, root)
    # Bytes, not text: BeautifulSoup honours the page's own <meta charset>.
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    page_title = soup.title.get_text(" ", strip=True) if soup.title else ""
    doc_type = "article" if _meta(soup, "og:type") == "article" else "document"
    canonical = _canonical_url(soup)
    updated = _meta(soup, "article:modified_time") or _meta(soup, "article:published_time")

    _strip_page_furniture(soup)
    content = _main_content(soup)
    for br in content.find_all("br"):
        br.replace_with(_BREAK)
    h1 = content.find("h1")
    heading = h1.get_text(" ", strip=True) if h1 else ""
    text = clean_web_text("\n\n".join(_blocks(content)))
    if not text.strip():
        raise LoadError(display, "web page has no readable text (only navigation or scripts)")
    return [
        as_regulation(
            SourceDocument(
                doc_id=path_doc_id(path, root),
                title=heading or page_title or readable_stem(path),
                text=text,
                path=display,
                doc_type=doc_type,
                source_urls=(canonical,) if canonical else (),
                updated=updated[:10] if re.match(r"\d{4}-\d{2}-\d{2}", updated) else "",
                format="html",
            ),
            # A news page about a regulation is an article, not the regulation.
            declared_type="article" if doc_type == "article" else "",
        )
    ]


def _strip_page_furniture(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for header in soup.find_all("header"):
        # A header inside the article holds its title; the page header holds the menu.
        if not header.find_parent(["article", "main"]):
            header.decompose()
    page_chars = len(soup.get_text(strip=True))
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in _PROTECTED or not _is_junk(tag):
            continue
        # Themes also name layout wrappers "has-sidebar" or "with-ads"; an element holding
        # the article or most of the page's text is such a wrapper, not furniture.
        if tag.find(["article", "main", "h1"]) or len(tag.get_text(strip=True)) > page_chars / 2:
            continue
        tag.decompose()


def _is_junk(tag: Tag) -> bool:
    if str(tag.get("role", "")).lower() in _DROP_ROLES:
        return True
    names = [*tag.get_attribute_list("class"), str(tag.get("id") or "")]
    words = {word for name in names if name for word in re.split(r"[\s_\-]+", name.lower())}
    return bool(words & _JUNK_WORDS)


def _main_content(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text(strip=True)))
    return soup.find("main") or soup.body or soup


def _blocks(node: Tag) -> list[str]:
    """Render an element as blank-line separated blocks of Markdown-ish text."""
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        text = _squash("".join(inline))
        inline.clear()
        if text:
            blocks.append(text)

    for child in node.children:
        if isinstance(child, Comment | Doctype):
            continue
        if isinstance(child, NavigableString):
            inline.append(str(child))
        elif not isinstance(child, Tag):
            continue
        elif child.name in _HEADINGS:
            flush()
            heading = _squash(child.get_text()).replace("\n", " ")
            if heading:
                blocks.append(f"{_HEADINGS[child.name]} {heading}")
        elif child.name in ("ul", "ol"):
            flush()
            items = _list_lines(child)
            if items:
                blocks.append("\n".join(items))
        elif child.name == "table":
            flush()
            rows = [
                [_squash(cell.get_text(" ")) for cell in row.find_all(["th", "td"])]
                for row in child.find_all("tr")
            ]
            lines = table_lines(rows)
            if lines:
                blocks.append("\n".join(lines))
        elif child.name == "pre":
            flush()
            blocks.append(child.get_text().replace(_BREAK, "\n").strip("\n"))
        elif child.name in _CONTAINERS or child.name == "li":
            flush()
            blocks.extend(_blocks(child))
        else:
            inline.append(child.get_text())
    flush()
    return blocks


def _list_lines(list_tag: Tag) -> list[str]:
    lines: list[str] = []
    for item in list_tag.find_all("li", recursive=False):
        parts = _blocks(item)
        if not parts:
            continue
        lines.append(f"- {parts[0]}")
        lines.extend(f"  {line}" for part in parts[1:] for line in part.split("\n"))
    return lines


def _squash(text: str) -> str:
    text = re.sub(r"[ \t\n\r\f\v\xa0]+", " ", text)
    return "\n".join(line.strip() for line in text.split(_BREAK) if line.strip())


def _meta(soup: BeautifulSoup, prop: str) -> str:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    return str(tag.get("content", "")).strip() if isinstance(tag, Tag) else ""


def _canonical_url(soup: BeautifulSoup) -> str:
    link = soup.find("link", rel="canonical")
    href = str(link.get("href", "")).strip() if isinstance(link, Tag) else ""
    url = href or _meta(soup, "og:url")
    return url if url.startswith(("http://", "https://")) else ""
