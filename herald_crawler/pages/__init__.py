"""Article page parsers, one module per layout era, the generic reader for pages in none of them, and the
dispatcher that picks one by the page's markup."""

from __future__ import annotations

import re

from ..urls import path_article_id
from . import layout_2012, layout_2017, layout_2023, layout_cms, layout_generic
from .base import Document, Page, PageImage, ParseError, text_of
from .fields import Layout, extract

__all__ = ["GENERIC", "LAYOUTS", "Layout", "Page", "PageImage", "ParseError", "detect_layout",
           "looks_like_error_page", "parse_article"]

#: Tried in this order: the newest markup first, so a page carrying leftovers of an older one is read right.
LAYOUTS: tuple[Layout, ...] = (layout_cms.LAYOUT, layout_2023.LAYOUT, layout_2017.LAYOUT, layout_2012.LAYOUT)
#: What reads a page no layout recognises.
GENERIC: Layout = layout_generic.LAYOUT


def detect_layout(doc: Document) -> Layout | None:
    for layout in LAYOUTS:
        if layout.matches(doc):
            return layout
    return None


def _article_id(doc: Document) -> str | None:
    found = path_article_id(doc.url)
    if found:
        return found
    for url in doc.self_urls():
        found = path_article_id(url)
        if found:
            return found
    return None


def parse_article(url: str, html: str | bytes) -> Page:
    """Read an article page: a pure function of the URL it was fetched from and its HTML.

    A page in no known layout is read by the generic reader (``layout == "generic"``). A field that cannot be
    read is None with a warning in ``Page.warnings``. Raises ParseError with the drop reason only for a
    page that is no article: ``empty_page``, ``no_article_id``, ``error_page`` (an error, consent or login
    page), ``not_an_article`` (neither a title nor body text).
    """
    doc = Document(url, html)
    layout = detect_layout(doc)
    article_id = _article_id(doc)
    if article_id is None:
        raise ParseError("no_article_id", f"{url}: neither the URL nor the page names an article id")
    page = extract(doc, layout or GENERIC, article_id)
    if (layout is None or not page.title or not page.paragraphs) and looks_like_error_page(doc, page):
        raise ParseError("error_page", f"{url}: a 200 answer that is an error, consent or login page")
    if not page.title and not page.paragraphs:
        raise ParseError("not_an_article", f"{url}: {page.layout} page with neither a title nor body text")
    if not page.title:
        page.warnings.append("title: none found on the page")
    if not page.paragraphs:
        page.warnings.append("body: no article text found on the page")
    return page


_ERROR_WORDS = re.compile(
    r"cookie|consent|privacy (?:choices|settings)|access denied|forbidden|not found|\berror\b|unavailable|"
    r"maintenance|captcha|verify you are (?:a )?human|too many requests|log ?in to (?:continue|read)|"
    r"sign ?in to (?:continue|read)|subscribers? only|subscribe to (?:continue|read)|paywall|잠시|오류|점검|로그인",
    re.IGNORECASE,
)


def looks_like_error_page(doc: Document | str, page: Page | None = None) -> bool:
    """A 200 answer that is a consent wall, login wall, captcha or error page rather than an article or a
    page of a new layout: little text, and saying so in its title or first words. Such a page is a failed
    fetch (retried later), not an article and not a sign the site changed. ``page``: what was read from
    it (an article body of 80 words or more is an article, whatever words it uses). Linear in the page's
    size (read from the parsed tree)."""
    if isinstance(doc, str):
        try:
            doc = Document("about:blank", doc)
        except ParseError:
            return False
    body = doc.root.find("body")
    words = text_of(body if body is not None else doc.root).split()
    if len(words) >= 400:
        return False
    if page is not None and sum(len(p.split()) for p in page.paragraphs) >= 80:
        return False
    title = (page.title if page is not None else None) or doc.title_tag() or ""
    return bool(_ERROR_WORDS.search(title) or _ERROR_WORDS.search(" ".join(words[:80])))
