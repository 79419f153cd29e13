"""Generic evidence for pages (or fields) no layout's selectors find: the main text block, a ``By`` line
near the headline, dates shown near it, a breadcrumb-like trail, photos with their captions.

Used as the last DOM source of every layout's fields, and on its own for a page in no known layout (the
next redesign): such a page is read by ``GENERIC`` and its item carries ``layout: "generic"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..dates import find_dates
from .base import Document, contacts_in, jsonld_sections, squash, text_of, xpath
from .boilerplate import SKIP_TAGS, hinted

__all__ = [
    "byline_element",
    "captions",
    "common_ancestor",
    "contacts",
    "crumb_containers",
    "current_menu_item",
    "headings",
    "is_caption",
    "jsonld_sections",
    "main_block",
    "photo_wrappers",
    "shown_dates",
    "trail",
]

_OUTSIDE = frozenset({"nav", "aside", "footer"})  # regions that never hold the article's own fields


def outside_article(element: Any) -> bool:
    """Inside a menu, sidebar, footer or a block whose class marks it as not the article."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _OUTSIDE:
            return True
        value = ancestor.get("class")
        if value and hinted(value):
            return True
    return False


def common_ancestor(first: Any, second: Any, limit: int = 5) -> Any:
    """The nearest element holding both, at most ``limit`` levels above ``first``."""
    seconds = set(second.iterancestors())
    for depth, ancestor in enumerate(first.iterancestors()):
        if depth >= limit:
            return None
        if ancestor in seconds:
            return ancestor
    return None


def _region(doc: Document, headline: Any, levels: int = 3) -> Any:
    """Where a headline's byline and dates are: a few levels above it, else the page's body."""
    if headline is not None:
        region = headline
        for _ in range(levels):
            parent = region.getparent()
            if parent is None or parent.tag in ("body", "html"):
                break
            region = parent
        return region
    body = doc.root.find("body")
    return body if body is not None else doc.root


# -- headline -----------------------------------------------------------------------------------------

_H1 = xpath("//h1")


def headings(doc: Document) -> list[Any]:
    """The page's ``h1`` elements that can be a headline (not a logo, not in a menu or sidebar)."""
    found = []
    for element in _H1(doc.root):
        value = element.get("class") or ""
        if "logo" in value.lower() or outside_article(element):
            continue
        text = text_of(element)
        if text and text.casefold() not in ("the korea herald", "korea herald"):
            found.append(element)
    return found


# -- byline -------------------------------------------------------------------------------------------

_BY_TEXT = xpath(
    ".//*[not(self::script or self::style or self::h1 or self::title)]"
    "[starts-with(normalize-space(.), 'By ') or starts-with(normalize-space(.), 'by ')"
    " or starts-with(normalize-space(.), 'BY ')][string-length(normalize-space(.)) < 160]"
)
_AUTHOR_MARK = xpath(
    ".//*[@rel='author' or @itemprop='author' or contains(@class, 'byline') or contains(@class, 'author')"
    " or contains(@class, 'writer')][string-length(normalize-space(.)) < 160]"
)


def byline_element(doc: Document, headline: Any, avoid: Any = None, used: Iterable[Any] = ()) -> Any:
    """A short line starting with ``By`` after the headline, outside ``avoid`` (the body) and the elements
    other fields were read from (``used``); else an element marked as the author's that shows no date."""
    taken = set(used)
    region = _region(doc, headline)
    order = {element: position for position, element in enumerate(region.iter())} if headline is not None else {}
    start = order.get(headline, -1)

    def usable(element: Any) -> bool:
        if avoid is not None and (element is avoid or any(a is avoid for a in element.iterancestors())):
            return False
        if element in taken or any(a in taken for a in element.iterancestors()) or find_dates(text_of(element))[0]:
            return False
        return order.get(element, 0) > start and not outside_article(element)

    for finder in (_BY_TEXT, _AUTHOR_MARK):
        candidates = [e for e in finder(region) if usable(e)]
        if candidates:
            chosen = candidates[0]
            inner = [e for e in candidates[1:] if any(a is chosen for a in e.iterancestors())]
            if finder is _BY_TEXT and inner:
                chosen = inner[-1]  # the innermost element still starting with "By"
            if text_of(chosen):
                return chosen
    return None


# -- dates ----------------------------------------------------------------------------------------------

_DATE_MARK = xpath(
    ".//*[self::time or contains(@class, 'date') or contains(@class, 'Date') or contains(@class, 'time')"
    " or contains(@class, 'publish') or contains(@class, 'update') or @itemprop='datePublished'"
    " or @itemprop='dateModified']"
)


def shown_dates(doc: Document, headline: Any) -> tuple[str | None, str | None, list[Any]]:
    """Published and updated dates shown near the headline (elements marked as dates, ``<time>``), as shown,
    and the elements read."""
    region = _region(doc, headline)
    marked = [e for e in _DATE_MARK(region) if not outside_article(e)]
    outer = [e for e in marked if not any(a in marked for a in e.iterancestors())]
    texts = []
    for element in outer[:4]:
        shown = text_of(element)
        stamp = element.get("datetime") or element.get("content")
        if stamp and not find_dates(shown)[0]:
            shown = f"{shown} {stamp}"
        texts.append(shown)
    published, updated = find_dates(" ".join(texts))
    if published or updated:
        return published, updated, outer[:4]
    published, updated = find_dates(text_of(region), labelled_only=True) if headline is not None else (None, None)
    return published, updated, []


# -- section trail ----------------------------------------------------------------------------------------

_CRUMBS = xpath(
    "//*[contains(@class, 'crumb') or contains(@class, 'Crumb') or contains(@class, 'location')"
    " or contains(@id, 'crumb') or contains(@id, 'location') or contains(@itemtype, 'BreadcrumbList')"
    " or contains(@aria-label, 'readcrumb')]"
)
_CATEGORY = xpath(
    ".//*[contains(@class, 'categ') or contains(@class, 'cate ') or @class='cate' or contains(@class, 'kicker')"
    " or contains(@class, 'section-name') or contains(@class, 'section_name')]"
)
_SEPARATOR = re.compile(r"\s*(?:[>›»/|·∙•→]|\bin\b)\s*")
_NOT_A_SECTION = frozenset({"home", "홈", "the korea herald", "korea herald", "main", "all news", "news"})
_DATE_LIKE = re.compile(r"\d{1,2}:\d{2}|(?<!\d)(?:19|20)\d{2}(?!\d)")
_AS_ONE = frozenset({"a", "li", "span", "strong", "em", "b", "i", "h2", "h3", "h4", "p"})


def trail(container: Any) -> list[str]:
    """The names of a section trail, in order: links, spans or plain text split at ``>``, ``›``, ``/``...;
    ``Home``, the masthead and dates left out."""
    segments: list[str] = []

    def add(text: str | None) -> None:
        for part in _SEPARATOR.split(text or ""):
            part = squash(part).strip(":").strip()
            if part:
                segments.append(part)

    def walk(element: Any) -> None:
        add(element.text)
        for child in element:
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS:
                if child.tag in _AS_ONE and not any(isinstance(g.tag, str) and g.tag in ("a", "li") for g in child):
                    value = text_of(child)
                    if value:
                        segments.extend(p for p in (squash(x) for x in _SEPARATOR.split(value)) if p)
                else:
                    walk(child)
            add(child.tail)

    walk(container)
    names: list[str] = []
    for segment in segments:
        if segment.casefold() in _NOT_A_SECTION or _DATE_LIKE.search(segment) or len(segment) > 40:
            continue
        if segment not in names:
            names.append(segment)
    return names[:3]


def crumb_containers(doc: Document, headline: Any) -> list[Any]:
    """Breadcrumb-like elements of the page, and category labels near the headline; short ones only."""
    found = [e for e in _CRUMBS(doc.root) if e.tag not in ("html", "body") and not _in_footer(e)]
    found += list(_CATEGORY(_region(doc, headline))) if headline is not None else []
    return [e for e in found if len(text_of(e)) <= 120]


def _in_footer(element: Any) -> bool:
    return any(a.tag == "footer" for a in element.iterancestors())


_CURRENT = xpath(
    "//*[self::nav or self::ul or self::div][contains(@class, 'menu') or contains(@class, 'gnb')"
    " or contains(@class, 'nav') or self::nav]//*[self::li or self::a]"
    "[contains(concat(' ', normalize-space(@class), ' '), ' on ') or contains(@class, 'active')"
    " or contains(@class, 'current') or contains(@class, 'selected') or @aria-current]"
)


def current_menu_item(doc: Document) -> str | None:
    """The label of the main menu's current item (``li.on``, ``.active``, ``aria-current``)."""
    for element in _CURRENT(doc.root):
        value = text_of(element)
        if value and len(value) <= 30:
            return value
    return None


# -- main text block, photos ---------------------------------------------------------------------------

_TEXT_TAGS = frozenset({"p", "h2", "h3", "h4", "li", "blockquote"})
_CONTAINER_TAGS = frozenset({"div", "td", "article", "section", "main", "span", "font", "center"})
_ARTICLE_BODY = xpath("//*[@itemprop='articleBody']")


def _linked(element: Any) -> int:
    return sum(len(squash("".join(a.itertext()))) for a in element.iter("a"))


def main_block(doc: Document, exclude: Iterable[Any] = (), shortest: int = 25) -> Any:
    """The element holding the article's running text: marked ``articleBody``, else the element whose
    paragraphs of ``shortest`` characters or more (and ``<br>``-separated text) carry the most words,
    sidebars and menus left out; a page of only short paragraphs is read from its longest."""
    skip = set(exclude)
    marked = [e for e in _ARTICLE_BODY(doc.root) if e not in skip and text_of(e)]
    if marked:
        return marked[0]
    body = doc.root.find("body")
    scores: dict[Any, float] = {}
    verdicts: dict[Any, bool] = {}

    def excluded(element: Any) -> bool:
        parent = element.getparent()
        if parent is None:
            return False
        if parent not in verdicts:
            value = parent.get("class")
            verdicts[parent] = (
                parent.tag in _OUTSIDE or parent.tag == "header" or parent in skip
                or bool(value and hinted(value)) or excluded(parent)
            )
        return verdicts[parent]

    for element in (body if body is not None else doc.root).iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            continue
        if tag in _TEXT_TAGS:
            length = len(text_of(element)) - _linked(element)
            if length < shortest or excluded(element):
                continue
            parent = element.getparent()
            scores[parent] = scores.get(parent, 0.0) + length
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0.0) + length / 2
        elif tag in _CONTAINER_TAGS:
            direct = len((element.text or "").strip()) + sum(len((c.tail or "").strip()) for c in element)
            if direct >= 40 * shortest / 25 and not excluded(element):
                scores[element] = scores.get(element, 0.0) + direct
    if not scores:
        return main_block(doc, exclude, shortest=1) if shortest > 1 else None
    return max(scores.items(), key=lambda pair: pair[1])[0]


_PHOTOS = xpath(".//figure | .//img[not(ancestor::figure)] | .//amp-img[not(ancestor::figure)]")
_CAPTIONS = xpath(
    ".//figcaption | .//*[contains(@class, 'caption') or contains(@class, 'Caption') or contains(@class, 'desc')]"
)
_CAPTION_CLASS = re.compile(r"caption|credit|desc|photo_?te?xt|img_?txt|source", re.IGNORECASE)


def photo_wrappers(container: Any) -> list[Any]:
    if container is None:
        return []
    return [w for w in _PHOTOS(container) if not outside_article(w)]


def is_caption(element: Any) -> bool:
    return element.tag == "figcaption" or bool(_CAPTION_CLASS.search(element.get("class") or ""))


def captions(wrapper: Any) -> list[str]:
    found = [t for t in (text_of(e) for e in _CAPTIONS(wrapper)) if t] if wrapper.tag != "img" else []
    if found:
        return found
    following = wrapper.getnext()
    if following is not None and isinstance(following.tag, str) and is_caption(following):
        value = text_of(following)
        return [value] if value else []
    return []


# -- reporters ------------------------------------------------------------------------------------------

_REPORTER_BOXES = xpath(
    "//*[contains(@class, 'reporter') or contains(@class, 'journalist') or contains(@class, 'author')"
    " or contains(@class, 'writer')][contains(., '@')]"
)


def contacts(doc: Document, box: Any = None) -> list[tuple[str, str]]:
    """(name, e-mail) pairs of the reporter box beside the article: the layout's, else one marked so."""
    for element in box(doc) if box is not None else ():
        found = contacts_in(element)
        if found:
            return found
    for element in _REPORTER_BOXES(doc.root):
        found = contacts_in(element)
        if found:
            return found
    return []
