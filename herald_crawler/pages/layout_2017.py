"""The 2017 layout (about 2017 to 2023-08-13): ``h1.view_tit``, ``div.view_tit_byline_l/_r``, ``div#articleText``.

The body is ``<br>``-separated text in one or more ``div.view_con_t``, often in a table cell, with malformed
markup (stray ``</td>``, unclosed divs) that moves text out of ``view_con_t``: the whole of ``#articleText``
is read. Published and updated dates share one element, separated by non-breaking spaces.
"""

from __future__ import annotations

from .base import (
    Document,
    Page,
    Selectors,
    by_class,
    by_id,
    class_test,
    first_of,
    first_text,
    inside,
    published_updated,
    read_dom,
    skipper,
    xpath,
)

LAYOUT = "2017"

SELECTORS = Selectors(
    title=by_class("view_tit", tag="h1"),
    subtitle=by_class("view_tit_sub"),
    byline=by_class("view_tit_byline_l"),
    crumbs=inside(by_class("view_top_t", "location"), ".//a"),
    body=by_id("articleText"),
    photos=xpath(".//table[.//img][not(.//table)] | .//img[not(ancestor::table)]"),
    caption=xpath(f".//*[{class_test('view_con_caption', 'caption')}]"),
    skip=skipper({"view_con_caption", "caption", "view_con_bt", "url_copy_layer"}),
)
_MARK = first_of(by_class("view_tit", tag="h1"), by_class("view_con_t", tag="div"))
_DATES = by_class("view_tit_byline_r")


def matches(doc: Document) -> bool:
    return bool(_MARK(doc))


def parse(doc: Document, article_id: str) -> Page:
    published, updated = published_updated(first_text(_DATES, doc))
    return read_dom(doc, article_id, LAYOUT, SELECTORS, published=published, updated=updated)
