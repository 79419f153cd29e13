"""The cms layout (about 2024-12-31 to now): ``/article/NNNNNNNN`` pages with a JSON-LD ``NewsArticle``.

Title, dates, authors, section and keywords come from JSON-LD first (``datePublished`` carries no offset:
Korea time), then meta tags, then the visible markup, whose classes are unknown and so are tried from a
short list. Body ``article.article-body > p``; photos ``div.article-photo-wrap > figure.article-img > img``
whose ``alt`` is the caption ending in its credit.
"""

from __future__ import annotations

from .base import (
    Document,
    Page,
    Selectors,
    by_class,
    class_test,
    first_of,
    inside,
    jsonld_names,
    jsonld_sections,
    jsonld_text,
    link_trail,
    published_updated,
    read_dom,
    section_pair,
    skipper,
    text_of,
    xpath,
)

LAYOUT = "cms"

_HEADER = by_class("article-header", "article-head", "view-header")
_PHOTO_WRAP = f"div[{class_test('article-photo-wrap')}]"
SELECTORS = Selectors(
    title=first_of(inside(_HEADER, ".//h1"), by_class("article-title", tag="h1")),
    subtitle=first_of(
        by_class("article-sub-title", "article-subtitle", "sub-title", "subtitle"), inside(_HEADER, ".//h2")
    ),
    byline=first_of(
        by_class("article-author", "byline", "writer", "author"),
        inside(_HEADER, ".//*[not(self::h1 or self::h2 or self::a)][starts-with(normalize-space(.), 'By ')]"
                        "[not(*[not(self::a)])]"),
    ),
    crumbs=inside(by_class("breadcrumb", "article-category", "location"), ".//a"),
    body=by_class("article-body", tag="article"),
    photos=xpath(f".//{_PHOTO_WRAP} | .//figure[not(ancestor::{_PHOTO_WRAP})]"),
    caption=xpath(f".//figcaption | .//*[{class_test('caption', 'img-caption', 'article-img-caption')}]"),
    skip=skipper({"article-photo-wrap", "article-img", "caption", "img-caption", "article-share"}),
)
_DATES = inside(_HEADER, f".//*[{class_test('article-date', 'date')}]")


def matches(doc: Document) -> bool:
    return bool(SELECTORS.body(doc))


def dates(doc: Document) -> tuple[str | None, str | None]:
    article = doc.news_article or {}
    published = jsonld_text(article.get("datePublished"))
    updated = jsonld_text(article.get("dateModified"))
    if published:
        return published, updated
    shown = " ".join(text_of(e) for e in _DATES(doc))
    return published_updated(shown or doc.meta_value("article:published_time"))


def sections(doc: Document) -> tuple[str | None, str | None]:
    names = jsonld_sections(doc)
    if len(names) < 2:
        crumbs = link_trail(SELECTORS.crumbs(doc))
        if not names or (crumbs and crumbs[0] == names[0]):
            names = crumbs or names
    return section_pair(names or ([doc.meta_value("article:section")] if doc.meta_value("article:section") else []))


def parse(doc: Document, article_id: str) -> Page:
    article = doc.news_article or {}
    published, updated = dates(doc)
    section, subsection = sections(doc)
    page = read_dom(
        doc, article_id, LAYOUT, SELECTORS,
        author_names=jsonld_names(article.get("author")),
        published=published, updated=updated, section=section, subsection=subsection,
    )
    page.title = jsonld_text(article.get("headline")) or doc.meta_value("og:title") or page.title
    return page
