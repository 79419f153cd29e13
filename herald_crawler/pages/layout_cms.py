"""The cms layout (about 2024-12-31 to now): ``/article/NNNNNNNN`` pages with a JSON-LD ``NewsArticle``.

Title, dates, authors, section and keywords come from JSON-LD first (``datePublished`` carries no offset: Korea
time), then meta tags, then the visible markup, whose classes are unknown and so are tried from a short
list. Body ``article.article-body > p``; photos ``div.article-photo-wrap > figure.article-img > img`` whose
``alt`` is the caption ending in its credit.
"""

from __future__ import annotations

from .base import by_class, class_test, first_of, inside, xpath
from .fields import Layout

_HEADER = by_class("article-header", "article-head", "view-header")
_PHOTO_WRAP = f"div[{class_test('article-photo-wrap')}]"
LAYOUT = Layout(
    name="cms",
    mark=by_class("article-body"),
    title=first_of(inside(_HEADER, ".//h1"), by_class("article-title", tag="h1")),
    subtitle=first_of(
        by_class("article-sub-title", "article-subtitle", "sub-title", "subtitle"), inside(_HEADER, ".//h2")
    ),
    byline=first_of(
        by_class("article-author", "byline", "writer", "author"),
        inside(_HEADER, ".//*[not(self::h1 or self::h2 or self::a)][starts-with(normalize-space(.), 'By ')]"
                        "[not(*[not(self::a)])]"),
    ),
    crumbs=by_class("breadcrumb", "article-category", "location"),
    body=by_class("article-body"),
    photos=xpath(f".//{_PHOTO_WRAP} | .//figure | .//img | .//amp-img"),
    caption=xpath(f".//figcaption | .//*[{class_test('caption', 'img-caption', 'article-img-caption')}]"),
    skip_classes=frozenset({"article-photo-wrap", "article-img", "caption", "img-caption", "article-share"}),
    dates=first_of(inside(_HEADER, f".//*[{class_test('article-date', 'date')}]"), by_class("article-date")),
    structured_title=True,
)
