"""Article page parsers, one module per layout era, and the dispatcher that picks one by the page's markup."""

from __future__ import annotations

import re
from types import ModuleType

from ..urls import path_article_id
from . import layout_2012, layout_2017, layout_2023, layout_cms
from .base import Document, Page, PageImage, ParseError

__all__ = ["LAYOUTS", "Page", "PageImage", "ParseError", "detect_layout", "looks_like_error_page", "parse_article"]

#: Tried in this order: the newest markup first, so a page carrying leftovers of an older one is read right.
LAYOUTS: tuple[ModuleType, ...] = (layout_cms, layout_2023, layout_2017, layout_2012)


def detect_layout(doc: Document) -> ModuleType | None:
    for module in LAYOUTS:
        if module.matches(doc):
            return module
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

    Raises ParseError with the drop reason: ``unknown_layout``, ``no_article_id``, ``no_title`` or ``no_body``.
    """
    doc = Document(url, html)
    module = detect_layout(doc)
    if module is None:
        raise ParseError("unknown_layout", f"{url}: no parser recognises this page's markup")
    article_id = _article_id(doc)
    if article_id is None:
        raise ParseError("no_article_id", f"{url}: neither the URL nor the page names an article id")
    page = module.parse(doc, article_id)
    if not page.title:
        raise ParseError("no_title", f"{url}: {module.LAYOUT} page without a title")
    if not page.paragraphs:
        raise ParseError("no_body", f"{url}: {module.LAYOUT} page without body text")
    return page


_ERROR_WORDS = re.compile(
    r"cookie|consent|privacy (?:choices|settings)|access denied|forbidden|not found|error|unavailable|"
    r"maintenance|captcha|verify you are (?:a )?human|too many requests|잠시|오류|점검",
    re.IGNORECASE,
)


def looks_like_error_page(html: str) -> bool:
    """A 200 answer that is a consent wall, captcha or error page rather than a page of a new layout:
    short, and saying so. Such a page is a failed fetch (retried later), not a sign the site changed."""
    text = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html))
    words = text.split()
    return len(words) < 400 and bool(_ERROR_WORDS.search(" ".join(words)))
