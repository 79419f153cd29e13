"""The 2023 layout (2023-08-14 to about 2024-12-18): ``div.news_content`` with ``div.news_title_area``.

Title ``h1.news_title``, subtitle a second ``h2.news_title``, ``By Name`` in the title area (its element's
class is unknown, so it is found by its text), ``p.news_date``, body ``div.news_text_area`` with
``div.text_box > p`` and subheads, photos in ``div.img_box`` with ``.img_caption``; the reporter box
``div.news_journalist_area`` after the body gives reporters' e-mails.
"""

from __future__ import annotations

from .base import (
    Document,
    Page,
    Selectors,
    by_class,
    class_test,
    contacts_in,
    first,
    first_of,
    first_text,
    inside,
    published_updated,
    read_dom,
    skipper,
    xpath,
)

LAYOUT = "2023"

_AREA = by_class("news_title_area", tag="div", within=by_class("news_content", tag="div"))
_IMG_BOX = f"div[{class_test('img_box')}]"
SELECTORS = Selectors(
    title=first_of(by_class("news_title", tag="h1", within=_AREA), by_class("news_title", tag="h1")),
    subtitle=by_class("news_title", tag="h2", within=_AREA),
    byline=inside(
        _AREA,
        ".//*[not(self::h1 or self::h2 or self::a)]"
        "[starts-with(normalize-space(.), 'By ') or starts-with(normalize-space(.), 'by ')][not(*[not(self::a)])]",
    ),
    crumbs=first_of(
        inside(_AREA, f".//*[{class_test('news_category', 'category', 'location')}]//a"),
        inside(by_class("location"), ".//a"),
    ),
    body=by_class("news_text_area", tag="div"),
    photos=xpath(f".//{_IMG_BOX} | .//figure[not(ancestor::{_IMG_BOX})]"),
    caption=xpath(f".//*[{class_test('img_caption', 'caption')}] | .//figcaption"),
    skip=skipper({"img_box", "img_caption", "news_btn_wrap", "news_journalist_area"}),
)
_MARK = first_of(_AREA, by_class("news_text_area", tag="div"))
_DATES = first_of(by_class("news_date", tag="p"), inside(_AREA, f".//*[{class_test('news_date', 'date')}]"))
_REPORTER_BOX = by_class("news_journalist_area")


def matches(doc: Document) -> bool:
    return bool(_MARK(doc))


def parse(doc: Document, article_id: str) -> Page:
    published, updated = published_updated(first_text(_DATES, doc))
    return read_dom(
        doc, article_id, LAYOUT, SELECTORS,
        published=published, updated=updated, contacts=contacts_in(first(_REPORTER_BOX, doc)),
    )
