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
    class_test,
    contacts_in,
    first,
    first_text,
    published_updated,
    read_dom,
    skipper,
    xpath,
)

LAYOUT = "2023"

_AREA = f"//div[{class_test('news_content')}]//div[{class_test('news_title_area')}]"
_IMG_BOX = f"div[{class_test('img_box')}]"
SELECTORS = Selectors(
    title=xpath(f"{_AREA}//h1[{class_test('news_title')}] | //h1[{class_test('news_title')}]"),
    subtitle=xpath(f"{_AREA}//h2[{class_test('news_title')}]"),
    byline=xpath(
        f"{_AREA}//*[not(self::h1 or self::h2 or self::a)]"
        "[starts-with(normalize-space(.), 'By ') or starts-with(normalize-space(.), 'by ')][not(*[not(self::a)])]"
    ),
    crumbs=xpath(
        f"{_AREA}//*[{class_test('news_category', 'category', 'location')}]//a | //*[{class_test('location')}]//a"
    ),
    body=xpath(f"//div[{class_test('news_text_area')}]"),
    photos=xpath(f".//{_IMG_BOX} | .//figure[not(ancestor::{_IMG_BOX})]"),
    caption=xpath(f".//*[{class_test('img_caption', 'caption')}] | .//figcaption"),
    skip=skipper({"img_box", "img_caption", "news_btn_wrap", "news_journalist_area"}),
)
_MARK = xpath(f"{_AREA} | //div[{class_test('news_text_area')}]")
_REPORTER_BOX = xpath(f"//*[{class_test('news_journalist_area')}]")
_DATES = xpath(f"//p[{class_test('news_date')}] | {_AREA}//*[{class_test('news_date', 'date')}]")


def matches(doc: Document) -> bool:
    return bool(_MARK(doc.root))


def parse(doc: Document, article_id: str) -> Page:
    published, updated = published_updated(first_text(_DATES, doc.root))
    return read_dom(
        doc, article_id, LAYOUT, SELECTORS,
        published=published, updated=updated, contacts=contacts_in(first(_REPORTER_BOX, doc.root)),
    )
