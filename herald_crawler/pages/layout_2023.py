"""The 2023 layout (2023-08-14 to about 2024-12-18): ``div.news_content`` with ``div.news_title_area``.

Title ``h1.news_title``, subtitle a second ``h2.news_title``, ``By Name`` in the title area (its element's
class is unknown, so it is found by its text), ``p.news_date``, body ``div.news_text_area`` with
``div.text_box > p`` and subheads, photos in ``div.img_box`` with ``.img_caption``; the reporter box
``div.news_journalist_area`` after the body gives reporters' e-mails.
"""

from __future__ import annotations

from .base import by_class, class_test, first_of, inside, xpath
from .fields import Layout

_AREA = by_class("news_title_area", within=by_class("news_content"))
_IMG_BOX = f"*[{class_test('img_box')}]"
LAYOUT = Layout(
    name="2023",
    mark=first_of(_AREA, by_class("news_text_area")),
    title=first_of(by_class("news_title", tag="h1", within=_AREA), by_class("news_title", tag="h1")),
    subtitle=by_class("news_title", tag="h2", within=_AREA),
    byline=inside(
        _AREA,
        ".//*[not(self::h1 or self::h2 or self::a)]"
        "[starts-with(normalize-space(.), 'By ') or starts-with(normalize-space(.), 'by ')][not(*[not(self::a)])]",
    ),
    crumbs=first_of(
        inside(_AREA, f".//*[{class_test('news_category', 'category', 'location')}]"), by_class("location")
    ),
    body=by_class("news_text_area"),
    photos=xpath(f".//{_IMG_BOX} | .//figure | .//img | .//amp-img"),
    caption=xpath(f".//*[{class_test('img_caption', 'caption')}] | .//figcaption"),
    skip_classes=frozenset({"img_box", "img_caption", "news_btn_wrap", "news_journalist_area"}),
    dates=first_of(by_class("news_date"), inside(_AREA, f".//*[{class_test('date')}]")),
    contacts=by_class("news_journalist_area"),
)
