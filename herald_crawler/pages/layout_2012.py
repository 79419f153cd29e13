"""The 2012 layout (Sept 2012 to about 2017): ``div.nview`` with ``.title_sec``, ``.writedata .date``, ``#articleText``.

No byline element: the reporter is named by an e-mail line at the end of the body, which the cleaner reads.
Photos sit in small tables inside ``#articleText`` with a caption cell.
"""

from __future__ import annotations

from .base import Document, Page, Selectors, by_class, by_id, class_test, inside, read_dom, skipper, text_of, xpath

LAYOUT = "2012"

_NVIEW = by_class("nview", tag="div")
SELECTORS = Selectors(
    title=by_class("title_sec", within=_NVIEW),
    subtitle=by_class("stitle_sec", within=_NVIEW),
    crumbs=inside(by_class("location"), ".//a"),
    body=by_id("articleText"),
    photos=xpath(".//table[.//img][not(.//table)] | .//img[not(ancestor::table)]"),
    caption=xpath(f".//*[{class_test('caption', 'img_caption')}]"),
    skip=skipper({"caption", "img_caption", "copy_msg"}),
)
_DATES = by_class("date", within=by_class("writedata", within=_NVIEW))


def matches(doc: Document) -> bool:
    return bool(SELECTORS.title(doc))


def dates(doc: Document) -> tuple[str | None, str | None]:
    """One ``span.date`` each: ``Published : 2017-05-23 09:24`` and ``Updated : 2017-05-23 09:24``."""
    published = updated = None
    for element in _DATES(doc):
        value = text_of(element)
        if value.lower().startswith("updated"):
            updated = updated or value
        elif value:
            published = published or value
    return published, updated


def parse(doc: Document, article_id: str) -> Page:
    published, updated = dates(doc)
    return read_dom(doc, article_id, LAYOUT, SELECTORS, published=published, updated=updated)
