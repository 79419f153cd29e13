"""Generic evidence for pages (or fields) no layout's selectors find: the main text block, a ``By`` line
near the headline, dates shown near it, a breadcrumb-like trail, photos with their captions.

Used as the last DOM source of every layout's fields, and on its own for a page in no known layout (the
next redesign): such a page is read by ``GENERIC`` and its item carries ``layout: "generic"``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..credits import split_credit
from ..dates import find_dates, only_dates
from ..text import ascii_int, class_words
from ..urls import path_article_id
from .base import Document, by_role, contacts_in, image_src, is_placeholder, squash, text_of, xpath
from .boilerplate import SKIP_TAGS, hinted, is_hidden, is_link_list, only_weak_hint

__all__ = [
    "byline_element",
    "captions",
    "common_ancestor",
    "contacts",
    "crumb_containers",
    "current_menu_item",
    "headings",
    "is_caption",
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


_SHOWING = xpath("//body//*[normalize-space(.) = $text][not(self::title or self::script)]")


def showing(doc: Document, text: str) -> Any:
    """The innermost element of the page's body whose text is ``text`` (a headline shown in a ``div``)."""
    found = _SHOWING(doc.root, text=text)
    return found[-1] if found else None


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


_SUBTITLE_WORDS = frozenset({"subtitle", "subtit", "subhead", "subheadline", "deck", "dek", "standfirst", "stitle",
                             "subheading"})
_SUBTITLE_PARTS = ("sub_tit", "sub-tit", "subtit", "sub_head", "sub-head", "subhead", "stitle")


def subtitle_element(headline: Any) -> Any:
    """The sub-headline printed right after the headline: an element (within the next two) marked as one
    (``subtitle``, ``sub-title``, ``deck``, ``standfirst``...), or an ``h2`` directly after an ``h1``."""
    if headline is None:
        return None
    anchor = headline
    while anchor.getnext() is None and (parent := anchor.getparent()) is not None and len(parent) == 1:
        anchor = parent  # a headline alone in a table cell or a wrapper: what follows the wrapper
    following = anchor.getnext()
    for step in range(2):
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is None:
            return None
        value = (following.get("class") or "").lower()
        words = set(class_words(value))
        marked = not _SUBTITLE_WORDS.isdisjoint(words) or any(part in value for part in _SUBTITLE_PARTS)
        if marked or (step == 0 and headline.tag == "h1" and following.tag == "h2"):
            text = text_of(following)
            return following if text and len(text) <= 400 else None
        following = following.getnext()
    return None


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


_NOT_A_BYLINE = re.compile(r"^(?:articles|more|all|view|see|stories|latest|follow|contact|e-?mail)\b", re.IGNORECASE)


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
        if element in taken or any(a in taken for a in element.iterancestors()):
            return False
        text = text_of(element)
        if any(find_dates(text)) or _NOT_A_BYLINE.match(text):
            return False
        return order.get(element, 0) > start and not outside_article(element)

    for finder in (_BY_TEXT, _AUTHOR_MARK):
        for chosen in finder(region):  # document order: an element before its descendants
            if usable(chosen) and text_of(chosen):
                return chosen  # the outermost short one: "<p><a>By A</a>, <a>B</a></p>" is the whole byline
    return None


# -- dates ----------------------------------------------------------------------------------------------

_DATE_CLASS = re.compile(r"date|time|publish|update", re.IGNORECASE)
_DATE_MARKED = by_role("date", lambda value: bool(_DATE_CLASS.search(value)))


def _date_marks(doc: Document, region: Any) -> list[Any]:
    """Elements near the headline that show dates: marked by a class (``date``, ``time``...), ``<time>`` and
    custom elements named so (``<kh-timestamp>``), and short elements showing nothing but a date."""
    inside = set(e for e in _DATE_MARKED(doc) if any(a is region for a in e.iterancestors()))
    found = []
    for element in region.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if element in inside or tag == "time" or ("-" in tag and ("time" in tag or "date" in tag)):
            found.append(element)
        elif tag in _INLINE or tag in ("div", "p", "li", "dd"):
            if not len(element) and element.text and len(element.text) <= 80 and only_dates(squash(element.text)):
                found.append(element)
    return found


def _label_of(shown: str) -> str:
    """The date label a date text starts with (``Updated :``), to keep beside a ``datetime`` attribute."""
    match = re.match(r"\s*((?:last\s+)?(?:published|posted|updated|modified)\s*[:：]?)", shown, re.IGNORECASE)
    return match.group(1) if match else ""


def shown_dates(doc: Document, headline: Any) -> tuple[str | None, str | None, list[Any]]:
    """Published and updated dates shown near the headline (elements marked as dates, ``<time>``), as shown,
    and the elements read."""
    region = _region(doc, headline)
    outer = _outermost([e for e in _date_marks(doc, region) if not outside_article(e)])
    texts = []
    for element in outer[:4]:
        shown = text_of(element)
        stamp = element.get("datetime") or element.get("content") or element.get("value")
        if stamp and (not find_dates(shown)[0] or (":" in stamp and ":" not in shown)):
            shown = f"{_label_of(shown)} {stamp}"  # the machine-readable time, when it says more than the text
        texts.append(shown)
    published, updated = find_dates(" ".join(texts))
    if published or updated:
        return published, updated, outer[:4]
    published, updated = find_dates(text_of(region), labelled_only=True) if headline is not None else (None, None)
    return published, updated, []


# -- section trail ----------------------------------------------------------------------------------------

_STRUCTURED_CRUMBS = xpath("//nav[contains(@aria-label, 'readcrumb')] | //*[@itemtype][contains(@itemtype, 'BreadcrumbList')]")
#: Class or id words of a section trail or label (``loc``, ``navi``, ``section``...), and parts of longer
#: class values (``breadcrumb``, ``location``, ``sec_name``, ``category``...).
_CRUMB_WORDS = frozenset({"loc", "navi", "navigation", "path", "section", "sect", "cate", "kicker", "depth", "trail",
                          "route"})
_CRUMB_PARTS = ("crumb", "location", "sec_name", "secname", "section_name", "section-name", "sectionname",
                "section_tit", "category", "categories", "kicker")


def _crumb_class(value: str) -> bool:
    value = value.lower()
    return not _CRUMB_WORDS.isdisjoint(class_words(value)) or any(part in value for part in _CRUMB_PARTS)


_CRUMB_MARKED = by_role("crumb", _crumb_class)
_SEPARATOR = re.compile(r"\s*(?:[>›»/|·∙•→]|\bin\b)\s*")
_NOT_A_SECTION = frozenset({"home", "홈", "the korea herald", "korea herald", "main", "all news", "news", "breadcrumb",
                            "breadcrumbs", "you are here", "location", "current page"})


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
            if isinstance(child.tag, str) and child.tag not in SKIP_TAGS and not is_hidden(child):
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
    """Section trails and labels of the page, nearest the headline first: elements marked as a trail
    (class or id words such as ``breadcrumb``, ``location``, ``navi``, ``sec_name``), then short elements
    near the headline that start with a section's name. Menus (more than four links) are not trails."""
    from ..sections import known_section

    def short(element: Any) -> bool:
        return len(text_of(element)) <= 100 and len(list(element.iter("a"))) <= 4 and not _in_footer(element)

    found = _CRUMB_MARKED(doc) + [e for e in _STRUCTURED_CRUMBS(doc.root) if e.get("class") is None]
    marked = [e for e in found if e.tag not in ("html", "body") and short(e)]
    if headline is None:
        return marked
    related = {headline, *headline.iterancestors(), *headline.iterdescendants()}
    marked = [e for e in marked if e not in related]
    region = _region(doc, headline)
    order = {element: position for position, element in enumerate(region.iter())}
    at = order.get(headline, 0)

    def distance(element: Any) -> int:
        return abs(order.get(element, at) - at)

    marked = _outermost(marked)
    near = sorted((e for e in marked if e in order), key=distance)
    labelled = []
    for element in order:
        if not isinstance(element.tag, str) or element.tag in ("h1", "script", "style") or element in marked:
            continue
        if len(element) > 6 or outside_article(element) or _in_menu(element):
            continue
        text = text_of(element)
        if not text or len(text) > 60:
            continue
        names = trail(element)
        if names and known_section(names[0]) and len(names) <= 3:
            labelled.append(element)
    labelled = _outermost(labelled)
    labelled.sort(key=distance)
    return near + labelled + [e for e in marked if e not in order]


def _outermost(elements: list[Any]) -> list[Any]:
    """Of nested candidates (a trail and its items), the outermost."""
    chosen = set(elements)
    return [e for e in elements if not any(a in chosen for a in e.iterancestors())]


def _in_menu(element: Any) -> bool:
    """Inside a list of more than four items or a page header: a menu, not a trail."""
    for ancestor in element.iterancestors():
        if ancestor.tag in ("ul", "ol") and len(ancestor) > 4:
            return True
        if ancestor.tag == "header" or (ancestor.get("id") or "").lower() in ("header", "gnb", "menu"):
            return True
        if ancestor.tag in ("body", "main", "article"):
            return False
    return False


def _in_footer(element: Any) -> bool:
    return any(a.tag == "footer" for a in element.iterancestors())


_CURRENT = xpath(
    "//*[self::nav or self::ul or self::div][contains(@class, 'menu') or contains(@class, 'gnb')"
    " or contains(@class, 'nav') or self::nav]//*[self::li or self::a]"
    "[contains(concat(' ', normalize-space(@class), ' '), ' on ') or contains(@class, 'active')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' sel ') or contains(concat(' ', normalize-space(@class), ' '), ' cur ')"
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


_INLINE = frozenset({"a", "b", "strong", "i", "em", "span", "br", "u", "small", "sup", "sub", "font", "mark", "q",
                     "cite", "abbr", "time", "code"})


def _paragraph_like(element: Any) -> bool:
    """A ``div`` (or ``span``, ``td``) holding only text and inline markup: a paragraph by another tag."""
    return len((element.text or "").strip()) >= 20 and all(
        not isinstance(child.tag, str) or child.tag in _INLINE for child in element
    )


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
                or bool(value and hinted(value) and not only_weak_hint(value)) or excluded(parent)
            )
        return verdicts[parent]

    for element in (body if body is not None else doc.root).iter():
        tag = element.tag
        if not isinstance(tag, str) or tag in SKIP_TAGS:
            continue
        if tag in _TEXT_TAGS or (tag in _CONTAINER_TAGS and _paragraph_like(element)):
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
CAPTIONS = xpath(
    ".//figcaption | .//*[contains(@class, 'caption') or contains(@class, 'Caption') or contains(@class, 'desc')]"
)
_CAPTION_WORDS = frozenset({"caption", "cap", "capt", "figcaption", "credit", "desc", "description", "phototext",
                            "photo_txt", "imgtxt", "img_txt", "pictxt", "source", "photodesc", "img_desc"})
#: Between a photo and its caption: line breaks, the <noscript> copy of a lazy photo, its <source>s.
_PASSED_OVER = frozenset({"br", "noscript", "source", "picture"})
_INLINE_CAPTION_TAGS = frozenset({"p", "div", "span", "em", "i", "small", "font", "strong", "b", "td", "dd"})


def photo_wrappers(container: Any) -> list[Any]:
    if container is None:
        return []
    return [w for w in _PHOTOS(container) if not outside_article(w)]


def is_caption(element: Any) -> bool:
    """Marked as a caption: ``figcaption``, or a class word such as ``caption``, ``cap``, ``desc``, ``credit``."""
    if element.tag == "figcaption":
        return True
    value = element.get("class")
    if not value:
        return False
    words = set(class_words(value)) | set(value.lower().split())
    return not _CAPTION_WORDS.isdisjoint(words) or "caption" in value.lower()


def _looks_like_caption(element: Any, alt: str | None) -> bool:
    """Text printed right after a photo that is its caption: marked so, or the photo's alt text again, or,
    for a photo without alt text, a short line closing in a credit (not a byline or an e-mail line)."""
    if is_caption(element):
        return True
    if element.tag not in _INLINE_CAPTION_TAGS or next(element.iter("img"), None) is not None:
        return False
    text = text_of(element)
    if not text or len(text) > 300:
        return False
    if alt is not None:
        return text == alt or text.startswith(alt)
    return split_credit(text)[1] is not None and "@" not in text and not text.lower().startswith("by ")


def caption_near(wrapper: Any) -> list[str]:
    """The caption printed beside a photo wrapper rather than inside it: the next element (past ``<br>``s),
    or, for a bare ``img``, a caption among its parent's children when the parent holds only that photo."""
    img = wrapper if wrapper.tag in ("img", "amp-img") else next(wrapper.iter("img", "amp-img"), None)
    alt = squash(img.get("alt")) or None if img is not None else None
    if wrapper.getparent() is not None and wrapper.getparent().tag == "noscript":
        wrapper = wrapper.getparent()  # the no-script copy of a lazy photo: its caption follows the <noscript>
    following = wrapper.getnext()
    while following is not None and (not isinstance(following.tag, str) or following.tag in _PASSED_OVER):
        if (following.tail or "").strip():
            break  # text between the photo and the next element: that text is no caption of ours
        following = following.getnext()
    if following is not None and isinstance(following.tag, str) and _looks_like_caption(following, alt):
        value = text_of(following)
        if value:
            return [value]
    if img is wrapper or wrapper.tag == "noscript":  # a bare photo: a caption in the small box around it
        box = wrapper.getparent()
        for _ in range(4):
            if box is None or _photo_count(box) != 1 or len(text_of(box)) > 400:
                break
            found = [t for t in (text_of(e) for e in CAPTIONS(box)) if t]
            if found:
                return found
            box = box.getparent()
    return []


_CREDIT_ELEMENT = xpath(
    ".//*[contains(@class, 'credit') or contains(@class, 'Credit') or contains(@data-testid, 'credit')"
    " or contains(@class, 'copyright') or contains(@class, 'photo-source') or contains(@class, 'photo_source')]"
)


def credit_of(wrapper: Any) -> str | None:
    """A photo credit shown in an element of its own inside the photo's box (``span.credit``), or right
    after it."""
    box = wrapper
    if wrapper.tag in ("img", "amp-img"):
        box = wrapper.getparent()
        if box is None or _photo_count(box) != 1 or len(text_of(box)) > 400:
            return None
    found = _CREDIT_ELEMENT(box)
    if not found:
        following = box.getnext()
        if following is not None and isinstance(following.tag, str) and "credit" in (following.get("class") or ""):
            found = [following]
    value = text_of(found[0]) if found else ""
    return value or None


_UI_IMAGE = re.compile(
    r"(?:^|/)(?:btn|button|icon|ico|logo|sns|share|bullet|arrow|blank|spacer|badge|emoji)[_.-]?[^/]*\.(?:gif|png|svg)"
    r"(?:\?.*)?$",
    re.IGNORECASE,
)
_JUNK_WORDS = frozenset({"ad", "ads", "adsbygoogle", "advert", "advertisement", "banner", "sponsor", "sponsored",
                         "promotion", "promo", "share", "sharing", "sns", "social", "related", "recommend",
                         "popular", "ranking", "outbrain", "taboola", "dable", "comment", "comments", "newsletter",
                         "subscribe", "widget", "toolbar", "util", "print", "btn", "button", "logo", "icon",
                         "profile", "avatar", "thumb", "thumbnail", "reporter", "journalist", "author"})


def junk_photo(wrapper: Any, container: Any, own_id: str | None) -> bool:
    """A picture that is no photo of the article: an icon or logo (by its file name or a tiny declared
    size), a thumbnail linking to another page, or inside boilerplate (share bar, related list, ad, reporter
    box) within ``container``."""
    img = wrapper if wrapper.tag in ("img", "amp-img") else next(wrapper.iter("img", "amp-img"), None)
    if img is None:
        return False
    src = image_src(img)[0] or ""
    if _UI_IMAGE.search(src):
        return True
    for size in (img.get("width"), img.get("height")):
        pixels = ascii_int(size)
        if pixels is not None and pixels <= 60:
            return True
    for ancestor in wrapper.iterancestors():
        if ancestor is container:
            break
        if ancestor.tag in ("nav", "aside", "footer", "button"):
            return True
        if ancestor.tag == "a" and (href := ancestor.get("href")):
            target = path_article_id(href)
            if target and target != own_id:
                return True
        value = ancestor.get("class")
        if value and not _JUNK_WORDS.isdisjoint(class_words(value)):
            return True
        if is_link_list(ancestor, own_id):
            return True
    return False


def _photo_count(box: Any) -> int:
    """Distinct real photos in ``box``: a lazy photo's placeholder and its <noscript> copy count once."""
    return len({src for img in box.iter("img", "amp-img") if (src := image_src(img)[0]) and not is_placeholder(src)})


def captions(wrapper: Any) -> list[str]:
    found = [t for t in (text_of(e) for e in CAPTIONS(wrapper)) if t] if wrapper.tag != "img" else []
    return found or caption_near(wrapper)


# -- reporters ------------------------------------------------------------------------------------------

_REPORTER_CLASS = re.compile(r"reporter|journalist|author|writer", re.IGNORECASE)
_REPORTER_BOXES = by_role("reporter", lambda value: bool(_REPORTER_CLASS.search(value)))


def contacts(doc: Document, box: Any = None) -> list[tuple[str, str]]:
    """(name, e-mail) pairs of the reporter box beside the article: the layout's, else one marked so."""
    for element in box(doc) if box is not None else ():
        found = contacts_in(element)
        if found:
            return found
    for element in _REPORTER_BOXES(doc):
        if "@" not in "".join(element.itertext()):
            continue
        found = contacts_in(element)
        if found:
            return found
    return []
