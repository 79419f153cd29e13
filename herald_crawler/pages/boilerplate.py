"""What sits inside an article container without being its text, recognised by what it is.

Class names are hints (``related``, ``advert``, ``newsletter``...); the evidence is structural: a block
whose text is mostly links and which links to other articles (a related list, a "Most Popular" top 10, a
"Read more" line), a block of share links, a box with a form (newsletter sign-up), a reporter box (an
e-mail beside a link to the reporter's page), hidden text, embeds and players. ``BodyFilter`` is the
``skip`` predicate the body walk asks about every element.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from urllib.parse import urlsplit

from ..text import EMAIL, class_words
from ..urls import SITE_HOSTS, path_article_id

__all__ = ["BodyFilter", "SKIP_TAGS", "hinted", "is_hidden", "is_link_list", "navigation_link"]

SKIP_TAGS = frozenset(
    {"img", "amp-img", "picture", "script", "style", "noscript", "iframe", "amp-iframe", "amp-youtube", "amp-ad",
     "button", "form", "figcaption", "video", "audio", "object", "embed", "svg", "template", "input", "select",
     "textarea", "nav", "aside", "ins", "amp-social-share", "amp-sidebar"}
)

#: Class or id words (split at ``-``, ``_`` and spaces) that mark non-article blocks wherever they appear.
#: Reporter boxes are not among them: a closing e-mail line must reach the cleaner, which reads the authors'
#: e-mails from it; a box with a link to the reporter's page is recognised by its structure.
_HINT_WORDS = frozenset(
    {"ad", "ads", "adsbygoogle", "advert", "advertisement", "banner", "sponsor", "sponsored", "promotion", "promo",
     "tags", "tag", "copyright", "share", "sharing", "sns", "social", "newsletter", "subscribe", "subscription",
     "related", "relate", "relation", "recommend", "recommended", "popular", "ranking", "trending", "mostread",
     "outbrain", "taboola", "dable", "comment", "comments", "breadcrumb", "pagination",
     "toolbar", "util", "print", "caption", "cap", "capt", "credit", "blind", "hidden", "sr", "visually", "offscreen", "embed",
     "video", "player", "youtube", "twitter", "instagram", "tiktok", "facebook", "fb", "kakao", "gpt", "dfp",
     "readmore", "morenews", "seealso", "alsoread", "signup", "cta", "widget", "button", "btn"}
)
#: Hints found inside longer class words (``view_related``, ``news_advert_box``, ``article-newsletter``).
_HINT_PARTS = ("related", "advert", "newsletter", "subscri", "sponsor", "recommend", "popular", "outbrain",
               "taboola", "relation", "banner", "caption", "youtube", "instagram")

#: Share and social endpoints: a block linking only to these (or to nothing) is a share widget.
_SHARE_LINK = re.compile(
    r"^(?:#|javascript:|mailto:\?|sms:|kakao|line:)|facebook\.com/(?:sharer|share)|twitter\.com/(?:intent|share)|"
    r"x\.com/intent|linkedin\.com/(?:share|cws)|pinterest\.com/pin|reddit\.com/submit|line\.me/|"
    r"story\.kakao|band\.us/plugin|t\.me/share|wa\.me|whatsapp|telegram\.me/share|addthis|sharethis",
    re.IGNORECASE,
)
_REPORTER_LINK = re.compile(r"/reporter/|list_name\.php|byline=|/author/|/journalist", re.IGNORECASE)
_READ_MORE = re.compile(
    r"^\s*(?:read more|related(?: articles?| stories| news)?|see also|also read|read also|recommended|"
    r"more from|more on this|most popular|latest news|you may also like)\b",
    re.IGNORECASE,
)
#: Blocks (not inline elements) on which the structural tests run.
_BLOCKS = frozenset(
    "p div ul ol li dl dd section table tbody tr td blockquote center figure header footer article h2 h3 h4 h5 h6"
    .split()
)
_LISTS = frozenset({"ul", "ol", "dl", "table", "tbody"})




@functools.lru_cache(maxsize=20_000)  # by attribute value: the same class values recur page after page
def hinted(value: str, extra: frozenset[str] = frozenset()) -> bool:
    """Whether a class (or id) value names a non-article block: one of the layout's ``extra`` classes, a hint
    word, or a hint inside a longer word."""
    if not value:
        return False
    names = value.lower().split()
    if extra and not extra.isdisjoint(names):
        return True
    words = class_words(value)
    return not _HINT_WORDS.isdisjoint(words) or any(part in name for name in names for part in _HINT_PARTS)


def _text_length(element: Any) -> int:
    return sum(len(t.strip()) for t in element.itertext())


_HIDING_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def is_hidden(element: Any) -> bool:
    """Not shown: the ``hidden`` attribute, ``aria-hidden``, ``display: none``, or a class for screen readers
    only (``visually-hidden``, ``sr-only``, ``blind``)."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and _HIDING_STYLE.search(style):
        return True
    value = element.get("class")
    return bool(value) and not _HIDDEN_WORDS.isdisjoint(class_words(value))


def is_link_list(element: Any, own_id: str | None) -> bool:
    """A block that is mostly link text pointing at other articles (or at share endpoints only): a related
    list, a numbered popular list, a "Read more: <headline>" line, a share widget."""
    anchors = list(element.iter("a"))
    if not anchors:
        return False
    total = _text_length(element)
    linked = sum(_text_length(a) for a in anchors)
    hrefs = [(a.get("href") or "").strip() for a in anchors]
    to_articles = sum(1 for h in hrefs if h and (found := path_article_id(h)) and found != own_id)
    if total == 0:  # icons only: share buttons, empty promos
        return all(not h or _SHARE_LINK.search(h) for h in hrefs)
    density = linked / total
    if to_articles and (density >= 0.6 or (element.tag in _LISTS and density >= 0.4)):
        return True
    if to_articles and total < 300 and _READ_MORE.match("".join(element.itertext())):
        return True
    if density >= 0.6 and all(not h or _SHARE_LINK.search(h) for h in hrefs) and total < 200:
        return True
    return False


_SIGN_UP = re.compile(r"newsletter|subscri|sign[ -]?up|e-?mail|register|inbox", re.IGNORECASE)


def _is_form_box(element: Any) -> bool:
    """A newsletter or subscribe box: a form control with a few words, or with sign-up words, around it."""
    control = next(element.iter("form", "input", "button", "select", "textarea"), None)
    if control is None:
        return False
    length = _text_length(element)
    return length < 80 or (length < 400 and bool(_SIGN_UP.search("".join(element.itertext()))))


def _is_reporter_box(element: Any) -> bool:
    """A reporter box: an e-mail (or a mailto link) beside a link to the reporter's page, short."""
    if _text_length(element) > 300:
        return False
    hrefs = [a.get("href") or "" for a in element.iter("a")]
    has_mail = any(h.lower().startswith("mailto:") for h in hrefs) or bool(EMAIL.search("".join(element.itertext())))
    return has_mail and any(_REPORTER_LINK.search(h) for h in hrefs)


#: Ad slots: a box so marked that holds paragraphs of text is a wrapper malformed markup left open around
#: the article's own text, not an ad.
_AD_WORDS = frozenset({"ad", "ads", "adsbygoogle", "advert", "advertisement", "banner", "sponsor", "sponsored",
                       "promotion", "promo", "gpt", "dfp"})
_EMBEDS = ("iframe", "video", "embed", "object", "amp-youtube", "amp-iframe", "amp-video", "audio")
_LISTING_PATH = re.compile(
    r"^/(?:list\.php|search|reporter/|topic/|topics/|tag/|tags/|section/|"
    r"(?:National|Business|Culture|Life|Entertainment|Sports|World|Opinion|Kpop|K-pop)\b)",
    re.IGNORECASE,
)


#: Hidden text: screen-reader labels, and the collapsed rest of an article behind a "Read more" button.
_HIDDEN_WORDS = frozenset({"hidden", "blind", "sr", "visually", "offscreen"})
#: Marks that a box can carry around the article's own text (an ad slot left open by malformed markup, the
#: collapsed part of a long article): such a box holding paragraphs of text is read, not dropped.
_WEAK_WORDS = _AD_WORDS | _HIDDEN_WORDS
_OWN_TEXT = 300


def only_weak_hint(value: str, classes: frozenset[str] = frozenset()) -> bool:
    """Whether a class value marks its element only as an ad slot or as hidden (no stronger hint, none of
    ``classes``): a mark a box around article text can carry."""
    names = value.lower().split()
    words = set(class_words(value))
    strong = (words & _HINT_WORDS) - _WEAK_WORDS
    parts = [p for p in _HINT_PARTS if p not in ("advert", "banner", "sponsor") and any(p in n for n in names)]
    return not strong and not parts and classes.isdisjoint(names)


def _own_text_length(element: Any) -> int:
    return _text_length(element) - sum(_text_length(a) for a in element.iter("a"))


def _sentences(element: Any) -> int:
    """Paragraphs of running text inside ``element``: ``<p>`` of 80 characters or more closing a sentence,
    few of them links."""
    count = 0
    for paragraph in element.iter("p"):
        text = " ".join("".join(paragraph.itertext()).split())
        if len(text) >= 80 and text[-1:] in ".!?\"”’)" and _text_length(paragraph) > 2 * sum(
            _text_length(a) for a in paragraph.iter("a")
        ):
            count += 1
    return count


def is_embed_box(element: Any) -> bool:
    """A block holding a player or embedded post (and maybe its label), but no photo and little text."""
    if next(element.iter(*_EMBEDS), None) is None or next(element.iter("img"), None) is not None:
        return False
    return _text_length(element) < 200


def navigation_link(anchor: Any, own_id: str | None) -> bool:
    """A link to another page of the site: another article, a section list, a search or reporter page."""
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    try:
        parts = urlsplit(href)
        if parts.scheme and parts.hostname not in SITE_HOSTS:
            return False
    except ValueError:  # a malformed address
        return False
    target = path_article_id(href)
    if target:
        return target != own_id
    return bool(_LISTING_PATH.match(parts.path or ""))


class BodyFilter:
    """``filter(element)`` is true for an element of an article container that is not article text.

    ``classes``: the layout's own non-text classes (its caption and share classes); ``own_id``: the
    article's id (links to it are not links to other articles); ``exclude``: elements other fields were
    read from (title, byline, dates), which are not body text wherever they sit.
    """

    def __init__(self, classes: Iterable[str] = (), own_id: str | None = None, exclude: Iterable[Any] = ()) -> None:
        self.classes = frozenset(c.lower() for c in classes)
        self.own_id = own_id
        self.exclude = set(exclude)

    def __call__(self, element: Any) -> bool:
        tag = element.tag
        if tag in SKIP_TAGS or element in self.exclude:
            return True
        value = element.get("class")
        if value and hinted(value, self.classes) and not self._holds_text(element, value):
            return True
        identifier = element.get("id")
        if identifier and hinted(identifier) and not self._holds_text(element, identifier):
            return True
        if element.get("style") or element.get("hidden") is not None or element.get("aria-hidden"):
            if is_hidden(element) and _own_text_length(element) <= _OWN_TEXT:
                return True
        if (tag not in _BLOCKS and "-" not in tag) or not len(element):
            return False
        first = next(element.iter("a", "form", "input", "button", "select", "textarea", *_EMBEDS), None)
        if first is None:  # no link, form control or player: none of the structural tests can be true
            return False
        return (is_link_list(element, self.own_id) or _is_form_box(element) or _is_reporter_box(element)
                or is_embed_box(element))

    def _holds_text(self, element: Any, value: str) -> bool:
        """Marked only as an ad slot or hidden, or as one of the layout's photo or caption boxes, yet holding
        the article's own text: malformed markup left the box open around it (or a collapsed "Read more")."""
        if only_weak_hint(value, self.classes):
            return _own_text_length(element) > _OWN_TEXT or _sentences(element) >= 1
        if not self.classes.isdisjoint(value.lower().split()) and only_weak_hint(value):
            return _sentences(element) >= 2
        return False

    def navigation(self, anchor: Any) -> bool:
        """A link to another page of the site (a line holding only it is not article text)."""
        return navigation_link(anchor, self.own_id)
