"""Each field of an article from an ordered chain of sources, with the source that gave it recorded.

One small function per field. Each tries its sources in order and the first that gives a usable value
wins: the layout's own DOM selectors where the shared notes pin the markup down, the page's structured data
(JSON-LD, then meta tags), generic DOM evidence (a ``By`` line near the headline, a breadcrumb-like trail,
the main text block), and the URL (a legacy id starts with its publication day). A value that is there but
cannot be read (a date in no known form) is a warning, and the next source is tried: no field costs the
article. ``extract`` assembles the ``Page``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from lxml import etree

from ..dates import DateError, find_dates, to_kst_iso
from ..sections import known_section, section_of_code
from ..urls import ud_date
from . import generic
from .base import (
    Document,
    Finder,
    Page,
    PageImage,
    all_texts,
    block_paragraphs,
    contacts_in,
    image_list,
    jsonld_names,
    jsonld_sections,
    jsonld_text,
    page_tags,
    squash,
    text_of,
)
from .boilerplate import BodyFilter

__all__ = ["Layout", "extract"]


@dataclass(frozen=True)
class Layout:
    """Where one layout era keeps each field in its markup. ``mark`` recognises the layout; the rest are
    finders for the page, and XPaths inside the body for photos and their captions."""

    name: str
    mark: Finder
    title: Finder
    body: Finder
    photos: etree.XPath  # photo wrappers, relative to the body
    caption: etree.XPath  # caption elements, relative to a photo wrapper
    skip_classes: frozenset[str] = frozenset()  # the layout's own non-text classes inside the body
    subtitle: Finder | None = None
    byline: Finder | None = None
    crumbs: Finder | None = None  # the section trail's container(s)
    dates: Finder | None = None  # elements showing the dates
    contacts: Finder | None = None  # the reporter box
    #: The headline from JSON-LD before the DOM: where the notes name JSON-LD as the title's home (cms).
    structured_title: bool = False
    #: What a field read through these finders is recorded as: ``dom`` for a layout's own selectors,
    #: ``generic`` for the reader of pages in no known layout.
    source: str = "dom"

    def matches(self, doc: Document) -> bool:
        return bool(self.mark(doc))


# -- title and subtitle -------------------------------------------------------------------------------

_SITE_SUFFIX = re.compile(r"\s*(?:[-|–—:·]\s*)?(?:The\s+)?Korea\s*Herald\s*$", re.IGNORECASE)


def _site_stripped(value: str | None) -> str | None:
    if not value:
        return None
    stripped = _SITE_SUFFIX.sub("", value).strip()
    return stripped or None


def _agrees(shown: str, stated: str) -> bool:
    """A visible headline and a structured one name the same title (one may be cut short with '...')."""
    a, b = shown.casefold().rstrip(".… "), stated.casefold().rstrip(".… ")
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 20 and longer.startswith(shorter)


def title(doc: Document, layout: Layout) -> tuple[str | None, str | None, Any]:
    """The headline as shown: the layout's element; a visible ``h1`` agreeing with the structured data;
    JSON-LD ``headline``; ``og:title``; the ``<title>``; the page's first ``h1``. A layout whose headline
    lives in JSON-LD (``structured_title``) takes that first, with the layout's element kept out of the body."""
    article = doc.news_article or {}
    shown = next(((text_of(e), e) for e in layout.title(doc) if text_of(e)), (None, None))
    if layout.structured_title:
        headline = jsonld_text(article.get("headline"))
        if headline:
            anchor = shown[1]
            if anchor is None:  # the visible headline, where byline, dates and subtitle are found
                anchor = next((e for e in generic.headings(doc) if _agrees(text_of(e), headline)), None)
            return headline, "jsonld", anchor
    if shown[0]:
        return shown[0], layout.source, shown[1]
    stated = [
        ("jsonld", jsonld_text(article.get("headline"))),
        ("meta", _site_stripped(doc.meta_value("og:title", "twitter:title", "title"))),
    ]
    headings = generic.headings(doc)
    for element in headings:
        value = text_of(element)
        if value and any(s and _agrees(value, s) for _, s in stated):
            return value, "generic", element
    for source, value in stated:
        if value:
            return value, source, generic.showing(doc, value)
    value = _site_stripped(doc.title_tag())
    if value:
        return value, "title_tag", generic.showing(doc, value)
    for element in headings:
        value = text_of(element)
        if value:
            return value, "generic", element
    return None, None, None


def subtitle(
    doc: Document, layout: Layout, headline: str | None, headline_element: Any
) -> tuple[str | None, str | None, Any]:
    """The sub-headline: the layout's element, JSON-LD ``alternativeHeadline``, an element marked as one
    right after the headline."""
    if layout.subtitle is not None:
        for element in layout.subtitle(doc):
            value = text_of(element)
            if value and value != headline:
                return value, layout.source, element
    value = jsonld_text((doc.news_article or {}).get("alternativeHeadline"))
    if value and value != headline:
        return value, "jsonld", None
    element = generic.subtitle_element(headline_element)
    value = text_of(element) if element is not None else None
    if value and value != headline:
        return value, "generic", element
    return None, None, None


# -- byline and authors -------------------------------------------------------------------------------


def byline(
    doc: Document, layout: Layout, headline_element: Any, body: Any, used: list[Any]
) -> tuple[str | None, str | None, Any]:
    """The byline as shown: the layout's element, else a short ``By ...`` line near the headline (not in
    the layout's body, where a closing e-mail line is the cleaner's to read)."""
    if layout.byline is not None:
        for element in layout.byline(doc):
            value = text_of(element)
            if value:
                return value, layout.source, element
    element = generic.byline_element(doc, headline_element, avoid=body, used=used)
    if element is not None:
        return text_of(element), "generic", element
    return None, None, None


def jsonld_contacts(doc: Document) -> list[tuple[str, str]]:
    """(name, e-mail) of JSON-LD authors that state an ``email``."""
    value = (doc.news_article or {}).get("author")
    found = []
    for person in value if isinstance(value, list) else [value]:
        if isinstance(person, dict) and isinstance(person.get("email"), str) and "@" in person["email"]:
            name = jsonld_text(person.get("name"))
            if name:
                found.append((name, person["email"].strip().removeprefix("mailto:")))
    return found


def author_names(doc: Document) -> list[str]:
    """People and agencies the structured data credits: JSON-LD ``author`` (``creator``)."""
    article = doc.news_article or {}
    return jsonld_names(article.get("author")) or jsonld_names(article.get("creator"))


# -- dates ---------------------------------------------------------------------------------------------

_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                   "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "sailthru.date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "last-modified", "dc.date.modified")


def _date_candidates(
    doc: Document, layout: Layout, headline_element: Any, used: list[Any]
) -> Iterator[tuple[str, Callable[[], tuple[str | None, str | None]]]]:
    """(source, a reader of (published, updated) as shown), best source first: each source is read only
    when asked for, and the elements it read go into ``used`` only then."""
    article = doc.news_article or {}
    yield "jsonld", lambda: (jsonld_text(article.get("datePublished")), jsonld_text(article.get("dateModified")))
    yield "meta", lambda: (doc.meta_value(*_PUBLISHED_META), doc.meta_value(*_MODIFIED_META))
    elements = layout.dates(doc) if layout.dates is not None else []
    if elements:
        def shown() -> tuple[str | None, str | None]:
            used.extend(elements)
            return find_dates(" ".join(text_of(e) for e in elements))

        yield layout.source, shown

    def near_headline() -> tuple[str | None, str | None]:
        published, updated, read = generic.shown_dates(doc, headline_element)
        used.extend(read)
        return published, updated

    yield "generic", near_headline


def _read(shown: str | None, field_name: str, source: str, page: Page) -> str | None:
    if not shown:
        return None
    try:
        return to_kst_iso(shown)
    except DateError as exc:
        if not any(w.startswith(f"{field_name}: ") and repr(shown) in w for w in page.warnings):
            page.warnings.append(f"{field_name}: {exc} ({source})")  # once per value, whichever sources show it
        return None


def dates(doc: Document, layout: Layout, article_id: str, headline_element: Any, page: Page, used: list[Any]) -> None:
    """``published`` and ``updated`` (ISO 8601, Korea time) from the first source whose value reads; each
    value that does not read is a warning. Sources are read in order until both are found; generic evidence
    near the headline is read only when none of the page's own sources (structured data, meta, the layout's
    date element) shows a readable date (so it never adds an update to a page whose date element shows
    none). Without either date, a legacy id gives the publication day. The elements read go into ``used``."""
    for source, read in _date_candidates(doc, layout, headline_element, used):
        if source == "generic" and (page.published is not None or page.updated is not None):
            break  # a generic guess never adds a date to a page whose own sources show one
        published, updated = read()
        if page.updated is None and (value := _read(updated, "updated_at", source, page)):
            page.updated = value
            page.sources["updated_at"] = source
        if page.published is None and (value := _read(published, "published_at", source, page)):
            page.published = value
            page.sources["published_at"] = source
        if page.published is not None and page.updated is not None:
            break
    if page.published is None and page.updated is None:
        if len(article_id) == 14:
            page.published = f"{ud_date(article_id)}T00:00:00+09:00"
            page.sources["published_at"] = "url"
            page.warnings.append("published_at: no readable date on the page; the day is the article id's")
        else:
            page.warnings.append("published_at: no readable date on the page")
# -- section ------------------------------------------------------------------------------------------

_CODE = re.compile(r"(?<!\d)(\d{12})(?!\d)")


def _from_codes(links: list[Any]) -> list[str]:
    """The trail a legacy list link names by its code (``list.php?ct=020201000000``): the deepest one."""
    best: tuple[str, str | None] | None = None
    for link in links:
        href = link.get("href") or ""
        values = parse_qs(urlsplit(href).query).get("ct", [])
        for value in values:
            match = _CODE.search(value)
            named = section_of_code(match.group(1)) if match else None
            if named and (best is None or (named[1] and not best[1])):
                best = named
    if best is None:
        return []
    return [best[0]] + ([best[1]] if best[1] else [])


def sections(doc: Document, layout: Layout, headline_element: Any) -> tuple[list[str], str | None]:
    """The section trail: JSON-LD (``articleSection``, a BreadcrumbList), refined by the page's own trail;
    the layout's trail; a breadcrumb-like trail anywhere near the article; ``article:section``; the codes of
    legacy list links in those trails; the menu's current item."""
    stated = jsonld_sections(doc)
    containers = layout.crumbs(doc) if layout.crumbs is not None else []
    shown = next((t for t in (generic.trail(c) for c in containers) if t), [])
    source = layout.source
    if not shown and len(stated) >= 2:
        return stated, "jsonld"  # the structured trail has both levels: no need to look for one shown
    if not shown:
        containers = generic.crumb_containers(doc, headline_element)
        shown = next((t for t in (generic.trail(c) for c in containers) if t), [])
        source = "generic"
    if stated:
        if len(stated) < 2 and shown and shown[0].casefold() == stated[0].casefold():
            return shown, source
        return stated, "jsonld"
    if shown:
        return shown, source
    meta = doc.meta_value("article:section", "section", "category")
    if meta:
        return [v for v in (squash(p) for p in meta.split(">")) if v], "meta"
    links = [a for c in containers for a in c.iter("a")]
    coded = _from_codes(links)
    if coded:
        return coded, "url"
    current = generic.current_menu_item(doc)
    if current and known_section(current):
        return [current], "generic"
    return [], None


# -- body and photos ------------------------------------------------------------------------------------


def _caption_texts(layout: Layout, wrapper: Any) -> list[str]:
    return all_texts(layout.caption, wrapper) or generic.caption_near(wrapper)


def photo_boxes(found: list[Any], container: Any, own_id: str | None) -> list[Any]:
    """The photos of a container, each once, in its own box: of the wrappers a layout finds (a photo table,
    a figure, a bare ``img``), the outermost; a layout table around the text is no photo box (its photos
    count one by one); photos in boilerplate (share icons, related thumbnails, ads), linking to other
    pages, or too small to be photos are left out."""
    wanted = set(found)
    boxes: list[Any] = []
    for wrapper in found:
        if any(a in wanted for a in _ancestors_below(wrapper, container)):
            continue
        if wrapper.tag not in ("img", "amp-img") and len(text_of(wrapper)) > 500:
            boxes.extend(w for w in wrapper.iter("img", "amp-img") if not generic.junk_photo(w, container, own_id))
        elif not generic.junk_photo(wrapper, container, own_id):
            boxes.append(wrapper)
    return boxes


def _ancestors_below(element: Any, container: Any) -> list[Any]:
    found = []
    for ancestor in element.iterancestors():
        if ancestor is container:
            break
        found.append(ancestor)
    return found


def photos(doc: Document, layout: Layout, body: Any, region_extra: list[Any], own_id: str) -> list[PageImage]:
    wrappers = list(region_extra)
    if body is not None:
        wrappers += photo_boxes(layout.photos(body), body, own_id)
    return image_list(doc, wrappers, lambda wrapper: _caption_texts(layout, wrapper), generic.credit_of)


def lead_photos(layout: Layout, headline_element: Any, body: Any, own_id: str | None) -> list[Any]:
    """Photo wrappers between the headline and the body, outside the body container (a lead photo)."""
    if headline_element is None or body is None:
        return []
    region = generic.common_ancestor(headline_element, body, limit=5)
    if region is None:
        return []
    order = {element: position for position, element in enumerate(region.iter())}
    start, end = order.get(headline_element, 0), order.get(body, 0)
    found = []
    for wrapper in layout.photos(region):
        position = order.get(wrapper, -1)
        if not start < position < end:
            continue
        if wrapper.tag in ("img", "amp-img") and not generic.caption_near(wrapper):
            continue  # a bare image there without a caption is an icon, a logo or a portrait
        if not any(a is body for a in wrapper.iterancestors()):
            found.append(wrapper)
    return photo_boxes(found, region, own_id)


# -- the page ---------------------------------------------------------------------------------------------


def extract(doc: Document, layout: Layout, article_id: str) -> Page:
    """The Page a layout's markup shows, every field from its chain of sources."""
    page = Page(url=doc.url, article_id=article_id, layout=layout.name, title=None)
    sources = page.sources
    used: list[Any] = []
    own_markup = layout.source == "dom"

    def note(name: str, source: str | None, element: Any = None) -> None:
        if source:
            sources[name] = source
        if element is not None:
            used.append(element)

    body = next(iter(layout.body(doc)), None)
    page.title, source, headline = title(doc, layout)
    note("title", source, headline)
    page.subtitle, source, element = subtitle(doc, layout, page.title, headline)
    note("subtitle", source, element)
    dates(doc, layout, article_id, headline, page, used)
    page.byline, source, element = byline(doc, layout, headline, body if own_markup else None, used)
    note("byline", source, element)
    page.author_names = author_names(doc)
    page.meta_author = doc.meta_value("author", "article:author", "byl", "dc.creator")
    trail, source = sections(doc, layout, headline)
    if trail:
        page.section = trail[0]
        page.subsection = trail[1] if len(trail) > 1 else None
        note("section", source)
        if page.subsection:
            note("subsection", source)
    page.tags, tag_source = page_tags(doc)
    note("tags", tag_source)

    skip = BodyFilter(layout.skip_classes, article_id, exclude=used)
    page.paragraphs = block_paragraphs(body, skip) if body is not None else []
    if page.paragraphs:
        note("body", layout.source)
        page.images = photos(doc, layout, body, lead_photos(layout, headline, body, article_id), article_id)
    else:
        body = generic.main_block(doc, exclude=used)
        page.paragraphs = block_paragraphs(body, skip) if body is not None else []
        if page.paragraphs:
            note("body", "generic")
            page.warnings.append("body: the layout's container held no text; read from the main text block")
        page.images = image_list(doc, photo_boxes(generic.photo_wrappers(body), body, article_id), generic.captions,
                                 generic.credit_of) if body is not None else []
    if page.images:
        note("images", sources.get("body") or "generic")
    page.contacts = generic.contacts(doc, layout.contacts) + jsonld_contacts(doc)
    page.language = doc.language(" ".join(page.paragraphs))
    return page

