"""Section list pages: the article links they carry, the date each shows, and the next page.

Current form ``/National`` with ``article.recent_news > ul.news_list > li a``; legacy form
``/list.php?ct=<code>&np=<page>`` whose item markup is not documented, so any article link in the page's
content (not its header, navigation, side boxes or footer) is taken there. Dates show as ``%b %d, %Y`` or
glued to the category (``Social AffairsSept. 22, 2023``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import html

from .base import class_test, text_of, xpath

_CURRENT_ITEMS = xpath("//article[" + class_test("recent_news") + "]//ul[" + class_test("news_list") + "]/li")
_CHROME = (
    "ancestor::header or ancestor::nav or ancestor::footer or ancestor::aside or "
    f"ancestor::*[{class_test('header', 'gnb', 'footer', 'most_popular', 'popular', 'popular_news', 'side', 'aside')}]"
    " or ancestor::*[@id='header' or @id='footer' or @id='aside' or @id='gnb']"
)
_CONTENT_LINKS = xpath(f"//a[@href][not({_CHROME})]")
_PAGER_LINKS = xpath(
    f"//*[{class_test('paging', 'pagination', 'pager', 'page_nav', 'paginate')}]//a[@href] | //a[@rel='next']"
)
_DATE = re.compile(
    r"((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}(?: - \d{1,2}:\d{2})?"
    r"|\d{4}[.-]\d{2}[.-]\d{2}(?: \d{1,2}:\d{2})?)"
)


@dataclass(frozen=True)
class ListEntry:
    url: str
    shown_date: str | None


@dataclass(frozen=True)
class Listing:
    entries: list[ListEntry]
    next_url: str | None
    has_pager: bool = False


def _date_in(text: str) -> str | None:
    match = _DATE.search(text)
    return match.group(1) if match else None


def read_listing(url: str, body: str, page_number: int, is_article) -> Listing:
    """Article links of a list page (``is_article(absolute_url)`` decides), and the link to page + 1."""
    root = html.document_fromstring(body.encode("utf-8")) if body.strip() else None
    if root is None:
        return Listing([], None)
    entries: list[ListEntry] = []
    seen: set[str] = set()

    def add(href: str | None, context_text: str) -> None:
        if not href:
            return
        absolute = urljoin(url, href.strip())
        if absolute in seen or not is_article(absolute):
            return
        seen.add(absolute)
        entries.append(ListEntry(absolute, _date_in(context_text)))

    for item in _CURRENT_ITEMS(root):
        for anchor in item.iter("a"):
            add(anchor.get("href"), text_of(item))
    if not entries:
        for anchor in _CONTENT_LINKS(root):
            container = anchor.getparent()
            while container is not None and container.tag not in ("li", "tr", "div", "dl", "article"):
                container = container.getparent()
            add(anchor.get("href"), text_of(container if container is not None else anchor))
    return Listing(
        entries, _next_page(url, root, page_number) if entries else None, has_pager=bool(_PAGER_LINKS(root))
    )


def _next_page(url: str, root, page_number: int) -> str | None:
    """The pager link labelled ``page_number + 1``; failing that, one marked ``rel=next`` or class ``next``."""
    wanted = str(page_number + 1)
    numbered = marked = None
    for anchor in _PAGER_LINKS(root):
        href = anchor.get("href", "").strip()
        if not href or href.startswith(("#", "javascript:")):
            continue
        if numbered is None and text_of(anchor) == wanted:
            numbered = href
        if marked is None and (anchor.get("rel") == "next" or "next" in (anchor.get("class") or "").split()):
            marked = href
    chosen = numbered or marked
    return urljoin(url, chosen) if chosen else None
