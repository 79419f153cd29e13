"""What every layout parser returns, and the helpers they share: the parsed document (JSON-LD, meta tags,
elements by class and id), text with block boundaries as whitespace, body paragraphs, photos.

A parser reads structure: which elements hold the title, the body, the photos. It returns the text as the
page shows it, each field with the source it came from (``Page.sources``) and what went wrong on the way
(``Page.warnings``); cleaning that text (boilerplate lines, credits, e-mail lines, glued sentences) is the
pipelines' work (``herald_crawler.cleaning``).
"""

from __future__ import annotations

import functools
import json
import re
from html import unescape
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from ..text import EMAIL

__all__ = [
    "Page",
    "PageImage",
    "ParseError",
    "Document",
    "xpath",
    "text_of",
    "block_paragraphs",
    "class_test",
    "image_list",
    "image_src",
]


class ParseError(ValueError):
    """A page that yields no article; ``reason`` is the counted drop reason."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class PageImage:
    url: str
    caption: str | None  # as shown, credit still attached
    alt: str | None = None
    credit: str | None = None  # a credit shown in an element of its own


@dataclass
class Page:
    """An article page as one layout parser read it: text as shown, dates in ISO 8601 Korea time.

    ``sources`` names where each field was found (``jsonld``, ``meta``, ``dom``, ``generic``, ``url``, ...);
    ``warnings`` says what could not be read (``published_at: unreadable date 'soon' (dom)``).
    """

    url: str
    article_id: str
    layout: str
    title: str | None
    subtitle: str | None = None
    byline: str | None = None
    author_names: list[str] = field(default_factory=list)  # from structured data (JSON-LD)
    meta_author: str | None = None  # the author meta tag
    published: str | None = None
    updated: str | None = None
    section: str | None = None
    subsection: str | None = None
    tags: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    images: list[PageImage] = field(default_factory=list)
    language: str | None = None
    # (name, e-mail) pairs a reporter box shows beside the article (not in its body).
    contacts: list[tuple[str, str]] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Fetch context, set by the spider (not read from the page).
    discovered_via: str = "urls"
    crawled_at: str | None = None
    requested_id: str = ""  # the id the fetched URL named (differs from article_id after a redirect)


def xpath(expression: str) -> etree.XPath:
    """A compiled XPath with the ``has-class`` helper namespace-free (EXSLT regex is enabled)."""
    return etree.XPath(expression, namespaces={"re": "http://exslt.org/regular-expressions"})


def class_test(*names: str) -> str:
    """An XPath predicate body true for an element carrying any of the CSS classes ``names``.

    The plain ``contains(@class, ...)`` first is a cheap filter: the exact whole-word test, which builds a
    string per element, runs only on the few elements that pass it.
    """
    return " or ".join(
        f"(contains(@class, '{n}') and contains(concat(' ', normalize-space(@class), ' '), ' {n} '))" for n in names
    )


_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


def text_of(element: Any) -> str:
    """All text of an element, whitespace collapsed; block boundaries and ``<br>`` are whitespace (so
    ``Published : ...<br>Updated : ...`` stays two phrases), scripts and styles left out."""
    if element is None:
        return ""
    if isinstance(element, str):
        return squash(element)
    if not len(element):  # no children: its own text
        return squash(element.text)
    return " ".join(block_paragraphs(element, _script_like))


_SCRIPT_LIKE = frozenset({"script", "style", "noscript", "template", "svg"})


def _script_like(element: Any) -> bool:
    return element.tag in _SCRIPT_LIKE


_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol blockquote table tbody thead tr td th figure section article "
    "header footer aside dl dt dd pre hr center address nav main figcaption caption details summary fieldset "
    "legend hgroup form".split()
)


_ARROWS = " »›>→·•-|▶►"


def block_paragraphs(container: Any, skip: Callable[[Any], bool]) -> list[str]:
    """The container's text split into paragraphs at block elements and at every ``<br>``.

    Elements inside it for which ``skip`` is true are left out with their subtree (their tail text is kept);
    the container itself is always read. A line that is nothing but a link ``skip.navigation`` names (when
    ``skip`` has that method) is left out too.
    """
    paragraphs: list[str] = []
    buffer: list[str] = []
    linked: list[str] = []  # this line's text inside links to other pages of the site
    navigation = getattr(skip, "navigation", None)

    def flush() -> None:
        text = squash("".join(buffer))
        buffer.clear()
        if linked:  # a line that is only a link to another page ("More Industry news »"): navigation
            only = squash(" ".join(linked))
            linked.clear()
            if text.strip(_ARROWS) == only.strip(_ARROWS):
                return
        if text:
            paragraphs.append(text)

    def walk(element: Any) -> None:
        tag = element.tag
        if not isinstance(tag, str):  # comment or processing instruction
            return
        if element is not container and skip(element):
            return
        if tag == "br":
            flush()
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        start = len(buffer)
        if element.text:
            buffer.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                buffer.append(child.tail)
        if tag == "a" and navigation is not None and navigation(element):
            linked.append("".join(buffer[start:]))
        if block:
            flush()

    walk(container)
    flush()
    return paragraphs


# Plain lxml elements (no lxml.html element classes: their per-element lookup costs more than it gives).
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


_LATIN = re.compile(r"[A-Za-z]")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff]")


class Document:
    """One parsed page: the lxml tree plus its JSON-LD and meta tags, read once."""

    _JSONLD = xpath("//script[@type='application/ld+json']/text()")
    _META = xpath("/html/head/meta[@content] | /html/body/meta[@content]")
    # Selecting the attributes (then their elements) is several times faster than testing every element.
    _CLASS_ATTRS = etree.XPath("//@class")
    _ID = etree.XPath("id($v)")
    _ID_ATTR = etree.XPath("//*[@id=$v]")
    _HTML_LANG = xpath("/html/@lang")
    _LINK_CANONICAL = xpath("//link[@rel='canonical']/@href")
    _TITLE = xpath("/html/head/title | /html/title")

    def __init__(self, url: str, markup: str | bytes) -> None:
        self.url = url
        # lxml refuses str input that declares an XML encoding: it gets UTF-8 bytes. NUL and other control
        # characters (malformed pages carry them) would stop libxml2 or reach the text: they are deleted
        # from the bytes, where no multi-byte UTF-8 sequence can contain them.
        if isinstance(markup, str):  # bytes are taken as UTF-8 as they are (the parser replaces what is not)
            markup = markup.encode("utf-8", "replace")
        markup = markup.translate(None, _CONTROL_BYTES)
        self._has_jsonld = b"ld+json" in markup
        root = etree.fromstring(markup, parser=_PARSER) if markup.strip() else None
        if root is None:
            raise ParseError("empty_page", f"{url}: empty page")
        self.root = root
        self._meta: dict[str, str] | None = None
        self._jsonld: list[dict[str, Any]] | None = None
        self._classes: dict[str, list[tuple[int, Any]]] | None = None

    # -- elements by class and id ----------------------------------------------------------------
    def _index(self) -> dict[str, list[tuple[int, Any]]]:
        """Elements by wanted class name: one pass over the page's class attributes.

        Most class attributes are page chrome repeated from page to page (``nav_item``, ``btn``), so what a
        value holds of the wanted names is remembered per value across documents (``_wanted_in``).
        """
        if self._classes is None:
            classes: dict[str, list[tuple[int, Any]]] = {}
            cache = _WANTED_IN
            for position, value in enumerate(self._CLASS_ATTRS(self.root)):
                names = cache.get(value)
                if names is None:
                    names = _wanted_in(value)
                if names:
                    element = value.getparent()
                    for name in names:
                        classes.setdefault(name, []).append((position, element))
            self._classes = classes
        return self._classes

    def with_class(self, names: tuple[str, ...], tag: str | None = None) -> list[Any]:
        """Elements carrying any of the CSS classes ``names`` (and of ``tag``), in document order."""
        index = self._index()
        if len(names) == 1:
            found = index.get(names[0], [])
        else:
            merged = {position: element for name in names for position, element in index.get(name, [])}
            found = sorted(merged.items(), key=lambda pair: pair[0])
        return [element for _, element in found if tag is None or element.tag == tag]

    def by_id(self, identifier: str) -> Any:
        """The first element with this ``id``, from libxml2's table of the ids it met while parsing (no walk
        over the tree). The table also holds ``<a name>``: such a hit is checked, then the tree searched."""
        found = self._ID(self.root, v=identifier)
        if found and found[0].get("id") != identifier:
            found = self._ID_ATTR(self.root, v=identifier)
        return found[0] if found else None

    # -- meta tags ---------------------------------------------------------------------------------
    @property
    def meta(self) -> dict[str, str]:
        if self._meta is None:
            found: dict[str, str] = {}
            for element in self._META(self.root):
                key = element.get("property") or element.get("name") or element.get("itemprop")
                if key:
                    found.setdefault(key.strip().lower(), element.get("content", "").strip())
            self._meta = found
        return self._meta

    def meta_value(self, *keys: str) -> str | None:
        for key in keys:
            value = self.meta.get(key)
            if value:
                return squash(value)
        return None

    # -- JSON-LD -----------------------------------------------------------------------------------
    @property
    def jsonld(self) -> list[dict[str, Any]]:
        if self._jsonld is None:
            objects: list[dict[str, Any]] = []
            for raw in self._JSONLD(self.root) if self._has_jsonld else ():
                try:
                    data = json.loads(raw, strict=False)
                except ValueError:
                    continue
                objects.extend(_flatten_jsonld(data))
            self._jsonld = objects
        return self._jsonld

    def jsonld_of_type(self, *types: str) -> dict[str, Any] | None:
        for obj in self.jsonld:
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(k in types for k in kinds):
                return obj
        return None

    @property
    def news_article(self) -> dict[str, Any] | None:
        return self.jsonld_of_type("NewsArticle", "Article", "ReportageNewsArticle", "OpinionNewsArticle")

    # -- page-level facts ---------------------------------------------------------------------------
    def language(self, text: str = "") -> str | None:
        """The page's language: what ``text`` (the article's own words) is written in when it tells (the site
        writes English, with Korean only in promo strings and rare bylines), else the declared one."""
        if text:
            sample = text[:4000]
            latin = len(_LATIN.findall(sample))
            hangul = 0 if sample.isascii() else len(_HANGUL.findall(sample))
            if latin + hangul >= 40:
                return "ko" if hangul > 0.3 * (latin + hangul) else "en"
        lang = self._HTML_LANG(self.root)
        value = (lang[0] if lang else None) or self.meta_value("og:locale", "content-language")
        if not value:
            return None
        return value.strip().replace("_", "-").split("-")[0].lower() or None

    def self_urls(self) -> list[str]:
        """URLs the page states as its own: canonical link, og:url, JSON-LD mainEntityOfPage/url."""
        urls = list(self._LINK_CANONICAL(self.root))
        og = self.meta_value("og:url")
        if og:
            urls.append(og)
        article = self.news_article or {}
        main = article.get("mainEntityOfPage")
        if isinstance(main, dict):
            main = main.get("@id") or main.get("url")
        for candidate in (main, article.get("url")):
            if isinstance(candidate, str):
                urls.append(candidate)
        return [urljoin(self.url, u.strip()) for u in urls if u and u.strip()]

    def title_tag(self) -> str | None:
        """The text of the page's ``<title>``."""
        found = self._TITLE(self.root)
        return text_of(found[0]) or None if found else None

    def absolute(self, url: str | None) -> str | None:
        url = (url or "").strip()
        if not url or url.startswith("data:"):
            return None
        return url if url.startswith(("http://", "https://")) else urljoin(self.url, url)


def _flatten_jsonld(data: Any) -> Iterable[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten_jsonld(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _flatten_jsonld(data["@graph"])
        else:
            yield data


def jsonld_names(value: Any) -> list[str]:
    """Names from a JSON-LD ``author``-like value: a string, an object with ``name``, or a list of them."""
    if value is None:
        return []
    if isinstance(value, str):
        return [squash(unescape(value))] if value.strip() else []
    if isinstance(value, dict):
        return jsonld_names(value.get("name"))
    if isinstance(value, list):
        names: list[str] = []
        for item in value:
            names.extend(jsonld_names(item))
        return names
    return []


def jsonld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.strip():
        return squash(unescape(value))  # some CMSs put HTML entities in JSON-LD strings
    return None


def split_keywords(value: Any) -> list[str]:
    """Tags from a keywords value: a comma-separated string or a list."""
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        return []
    tags: list[str] = []
    for item in items:
        if isinstance(item, str):
            tag = squash(unescape(item)).lstrip("#").strip()
            if tag and tag not in tags:
                tags.append(tag)
    return tags


_BY = re.compile(r"^by\s+", re.IGNORECASE)
_NOT_A_NAME = re.compile(r"^(?:articles by|more|e-?mail|reporter|view more)\b", re.IGNORECASE)


def contacts_in(box: Any) -> list[tuple[str, str]]:
    """(name, e-mail) pairs of a reporter box: each e-mail with the nearest name shown before it."""
    if box is None:
        return []
    pairs: list[tuple[str, str]] = []
    name = ""
    for chunk in box.itertext():
        text = squash(chunk)
        if not text:
            continue
        emails = EMAIL.findall(text)
        rest = _BY.sub("", squash(EMAIL.sub("", text)).strip("()<>:,"))
        if rest and not _NOT_A_NAME.match(rest):
            name = rest
        for email in emails:
            if name:
                pairs.append((name, email))
    return pairs


_HOME = frozenset({"home", "홈"})


def link_trail(elements: Iterable[Any]) -> list[str]:
    """Non-empty, non-Home link texts in document order, without repeats: a breadcrumb."""
    trail: list[str] = []
    for element in elements:
        label = text_of(element)
        if label and label.lower() not in _HOME and label not in trail:
            trail.append(label)
    return trail


def jsonld_sections(doc: Document) -> list[str]:
    """Section names from JSON-LD: ``articleSection`` (string, ``A > B`` or list), or a BreadcrumbList when
    it says more (``articleSection: National`` beside a trail National > Education)."""
    article = doc.news_article or {}
    value = article.get("articleSection")
    stated: list[str] = []
    if isinstance(value, str) and value.strip():
        stated = [squash(unescape(v)) for v in unescape(value).split(">") if v.strip()]
    elif isinstance(value, list):
        stated = [squash(unescape(v)) for v in value if isinstance(v, str) and v.strip()]
    crumbs = doc.jsonld_of_type("BreadcrumbList") or {}
    items = crumbs.get("itemListElement") or []
    trail: list[str] = []
    if isinstance(items, list):
        ordered = sorted(
            (i for i in items if isinstance(i, dict)), key=lambda i: _position(i.get("position"))
        )
        names = link_trail(jsonld_text(_crumb_name(i)) or "" for i in ordered)
        trail = [n for n in names if n.casefold() not in ("the korea herald", "korea herald")]
    if len(trail) > len(stated) and (not stated or trail[0].casefold() == stated[0].casefold()):
        return trail
    return stated or trail


def _crumb_name(item: dict[str, Any]) -> Any:
    name = item.get("name")
    if name is None and isinstance(item.get("item"), dict):
        name = item["item"].get("name")
    return name


def _position(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


_IMAGES = xpath(".//img | .//amp-img")
#: Where lazy-loading scripts keep the real address while ``src`` holds a placeholder.
_LAZY_ATTRIBUTES = ("data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-full-src",
                    "data-origin", "data-echo")
_PLACEHOLDER = re.compile(
    r"^data:|(?:^|/)(?:(?:blank|spacer|lazy|loading|1x1|pixel|transparent|dummy|empty|grey|gray)[^/]*\.(?:gif|png|svg)|"
    r"(?:placeholder|no_?image)[^/]*\.\w+)(?:\?.*)?$",
    re.IGNORECASE,
)


_DESCRIPTOR = re.compile(r"([0-9]+(?:\.[0-9]+)?)[wx]")


def is_placeholder(src: str) -> bool:
    """A lazy-loading placeholder's address (a data: URI, ``blank.gif``, ``placeholder.png``...)."""
    return bool(_PLACEHOLDER.search(src))


def srcset_first(value: str | None) -> str | None:
    """The widest (else the first) address of a ``srcset`` value (``a.jpg 480w, b.jpg 800w``)."""
    best: tuple[float, str] | None = None
    for position, candidate in enumerate((value or "").split(",")):
        parts = candidate.split()
        if not parts:
            continue
        width = 0.0
        if len(parts) > 1 and (size := _DESCRIPTOR.fullmatch(parts[1])):
            width = float(size.group(1))
        if best is None or width > best[0]:
            best = (width, parts[0])
    return best[1] if best else None


def image_src(img: Any) -> tuple[str | None, str]:
    """The real address of an ``img`` and the attribute it came from: ``src`` unless it is a lazy-loading
    placeholder, then ``data-src`` and its kin, then ``srcset``."""
    src = (img.get("src") or "").strip()
    if src and not _PLACEHOLDER.search(src):
        return src, "src"
    for name in _LAZY_ATTRIBUTES:
        value = (img.get(name) or "").strip()
        if value and not value.startswith("data:"):
            return value, name
    for name in ("srcset", "data-srcset"):
        value = srcset_first(img.get(name))
        if value and not value.startswith("data:"):
            return value, name
    return (src or None), "src"


def image_list(
    doc: Document,
    wrappers: list[Any],
    caption_of: Callable[[Any], list[str]],
    credit_of: Callable[[Any], str | None] | None = None,
) -> list[PageImage]:
    """PageImages of photo wrappers: each wrapper's ``img`` with the caption ``caption_of`` finds (else its
    alt); a wrapper holding several photos and as many captions gives each photo its caption, in order.
    ``credit_of`` finds a credit shown in an element of its own (the first photo's). Lazy-loaded photos
    give their real address; placeholders and repeats are left out."""
    images: list[PageImage] = []
    seen: set[str] = set()
    for wrapper in wrappers:
        found = [wrapper] if wrapper.tag in ("img", "amp-img") else _IMAGES(wrapper)
        imgs = []  # the wrapper's real photos: placeholders out, a <noscript> copy counted once
        for img in found:
            src = doc.absolute(image_src(img)[0])
            if src and src not in seen and not _PLACEHOLDER.search(src):
                seen.add(src)
                imgs.append((img, src))
        if not imgs:
            continue
        captions = caption_of(wrapper)
        # Several photos side by side with as many captions are paired in order; otherwise the first
        # caption belongs to the first photo and the others have their alt text.
        paired = len(imgs) > 1 and len(captions) == len(imgs)
        credit = credit_of(wrapper) if credit_of is not None else None
        for position, (img, src) in enumerate(imgs):
            alt = squash(img.get("alt")) or None
            shown = captions[position] if paired else (captions[0] if captions and position == 0 else None)
            own = credit if position == 0 else None
            if own and shown and shown.endswith(own):  # the credit element printed inside the caption
                shown = shown[: -len(own)].rstrip() or None
            images.append(PageImage(url=src, caption=shown or (alt if not own or alt != own else None), alt=alt,
                                    credit=own))
    return images


#: Every class name a ``by_class`` finder asks for; the document index keeps only these.
WANTED_CLASSES: set[str] = set()
#: class attribute value -> the wanted names it holds (a cache over documents, emptied when it grows large
#: or when a finder asks for a new name).
_WANTED_IN: dict[str, tuple[str, ...]] = {}
_WANTED_IN_MAX = 50_000


#: Roles a class value can mark an element for (``"@date"``: any class naming a date), each a predicate over
#: the whole class value; the document index keeps elements by role as by class name (``by_role``).
CLASS_ROLES: dict[str, Callable[[str], bool]] = {}


def _wanted_in(value: str) -> tuple[str, ...]:
    names = tuple(name for name in value.split() if name in WANTED_CLASSES)
    names += tuple(role for role, test in CLASS_ROLES.items() if test(value))
    if len(_WANTED_IN) >= _WANTED_IN_MAX:
        _WANTED_IN.clear()
    _WANTED_IN[str(value)] = names  # a plain str: the attribute result would keep its whole tree alive
    return names


#: Finds elements of a document. Built from ``by_class`` / ``by_id`` / ``first_of`` / ``inside``: the
#: document is walked once (``Document._index``); a whole-document XPath per field would walk it each time.
Finder = Callable[[Document], list[Any]]


def by_class(*names: str, tag: str | None = None, within: Finder | None = None) -> Finder:
    """Elements with any of the classes ``names`` (of ``tag``), inside an element ``within`` finds."""
    WANTED_CLASSES.update(names)
    _WANTED_IN.clear()

    def find(doc: Document) -> list[Any]:
        found = doc.with_class(names, tag)
        if within is not None and found:
            containers = set(within(doc))
            found = [e for e in found if any(a in containers for a in e.iterancestors())]
        return found

    return find


def by_role(role: str, test: Callable[[str], bool]) -> Finder:
    """Elements whose class value ``test`` accepts (``test`` runs once per distinct value, over documents)."""
    key = f"@{role}"
    CLASS_ROLES[key] = test
    _WANTED_IN.clear()

    def find(doc: Document) -> list[Any]:
        return doc.with_class((key,))

    return find


def by_id(identifier: str, within: Finder | None = None) -> Finder:
    """The element with this ``id`` (inside an element ``within`` finds)."""

    def find(doc: Document) -> list[Any]:
        element = doc.by_id(identifier)
        if element is None:
            return []
        if within is not None and not set(within(doc)).intersection(element.iterancestors()):
            return []
        return [element]

    return find


def inside(container: Finder, path: str) -> Finder:
    """What the relative XPath ``path`` finds under each element ``container`` finds (small subtrees)."""
    compiled = xpath(path)

    def find(doc: Document) -> list[Any]:
        return [found for element in container(doc) for found in compiled(element)]

    return find


def first_of(*finders: Finder) -> Finder:
    """The result of the first finder that finds anything."""

    def find(doc: Document) -> list[Any]:
        for finder in finders:
            found = finder(doc)
            if found:
                return found
        return []

    return find


_TAG_LINKS = inside(by_class("news_tag", "article-tags", "tags", "tag_list", "tag-list", "keyword"), ".//a")
#: Links shown as hashtags (``#floods``) outside menus and footers: the page's tags whatever their box's class.
_HASHTAG_LINKS = xpath("//a[starts-with(normalize-space(.), '#')][not(ancestor::nav or ancestor::footer or ancestor::header)]")


def all_texts(expression: etree.XPath, node: Any) -> list[str]:
    """Texts of every element ``expression`` finds under ``node`` (blank ones left out)."""
    return [t for t in (text_of(e) for e in expression(node)) if t]


def page_tags(doc: Document) -> tuple[list[str], str | None]:
    """Tags and their source: JSON-LD keywords, else meta (news_)keywords, else the page's tag links;
    repeats dropped."""
    article = doc.news_article or {}
    found = split_keywords(article.get("keywords"))
    if found:
        return found, "jsonld"
    found = split_keywords(doc.meta_value("news_keywords", "keywords"))
    if found:
        return found, "meta"
    found = split_keywords([text_of(a) for a in _TAG_LINKS(doc)])
    if found:
        return found, "dom"
    found = split_keywords([t for t in (text_of(a) for a in _HASHTAG_LINKS(doc.root)) if len(t) <= 40])
    return found, ("generic" if found else None)
