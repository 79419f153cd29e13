"""The 2012 layout (Sept 2012 to about 2017): ``div.nview`` with ``.title_sec``, ``.writedata .date``, ``#articleText``.

No byline element: the reporter is named by an e-mail line at the end of the body, which the cleaner reads.
Photos sit in small tables inside ``#articleText`` with a caption cell. Dates are one ``span.date`` each
(``Published : 2017-05-23 09:24``, ``Updated : ...``), or both in one element.
"""

from __future__ import annotations

from .base import by_class, by_id, class_test, first_of, xpath
from .fields import Layout

_NVIEW = by_class("nview")
LAYOUT = Layout(
    name="2012",
    # Any of its own parts inside div.nview: a reader-mode or archive copy may keep the body and lose the title.
    mark=first_of(by_class("title_sec", "stitle_sec", "writedata", within=_NVIEW), by_id("articleText", within=_NVIEW)),
    title=by_class("title_sec", within=_NVIEW),
    subtitle=by_class("stitle_sec", within=_NVIEW),
    crumbs=by_class("location"),
    body=first_of(by_id("articleText"), by_class("articleText")),
    photos=xpath(".//table[.//img][not(.//table)] | .//figure | .//img | .//amp-img"),
    caption=xpath(f".//*[{class_test('caption', 'img_caption', 'photo_caption')}] | .//figcaption"),
    skip_classes=frozenset({"caption", "img_caption", "copy_msg"}),
    dates=first_of(by_class("date", within=by_class("writedata", within=_NVIEW)), by_class("writedata")),
)
