"""The 2017 layout (about 2017 to 2023-08-13): ``h1.view_tit``, ``div.view_tit_byline_l/_r``, ``div#articleText``.

The body is ``<br>``-separated text in one or more ``div.view_con_t``, often in a table cell, with malformed
markup (stray ``</td>``, unclosed divs) that moves text out of ``view_con_t``: the whole of ``#articleText``
is read. Published and updated dates share one element, separated by non-breaking spaces or a ``<br>``.
"""

from __future__ import annotations

from .base import by_class, by_id, class_test, first_of, xpath
from .fields import Layout

LAYOUT = Layout(
    name="2017",
    mark=first_of(by_class("view_tit", tag="h1"), by_class("view_con_t", "view_tit_byline_r", "view_tit_sub")),
    title=first_of(by_class("view_tit", tag="h1"), by_class("view_tit")),
    subtitle=by_class("view_tit_sub"),
    byline=by_class("view_tit_byline_l"),
    crumbs=by_class("view_top_t", "location"),
    body=first_of(by_id("articleText"), by_class("view_con")),
    photos=xpath(".//table[.//img][not(.//table)] | .//figure | .//img | .//amp-img"),
    caption=xpath(f".//*[{class_test('view_con_caption', 'caption')}] | .//figcaption"),
    skip_classes=frozenset({"view_con_caption", "caption", "view_con_bt", "url_copy_layer"}),
    dates=by_class("view_tit_byline_r"),
)
