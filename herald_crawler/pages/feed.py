"""RSS feeds (``/rss/newsAll``, ``/rss/kh_*``, legacy ``/common/rss_xml.php?ct=N``): article links and dates.

Item ``pubDate`` values use a colon offset (``Wed, 19 Aug 2026 11:29:16 +09:00``) that strict RFC 822
parsers reject; they are kept as text for ``herald_crawler.dates``. Entities are never resolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(
    recover=True, resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True, huge_tree=False
)


@dataclass(frozen=True)
class FeedEntry:
    url: str
    published: str | None
    title: str | None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(item: etree._Element, *names: str) -> str | None:
    for child in item:
        if _local(child.tag) in names:
            if _local(child.tag) == "link" and child.get("href"):
                return child.get("href").strip()
            text = (child.text or "").strip()
            if text:
                return text
    return None


def feed_entries(body: bytes) -> list[FeedEntry]:
    """Entries of an RSS 2.0 (``item``) or Atom (``entry``) feed; empty for an empty or unparsable body."""
    if not body.strip():
        return []
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    entries: list[FeedEntry] = []
    for element in root.iter():
        if _local(element.tag) not in ("item", "entry"):
            continue
        link = _child_text(element, "link", "guid")
        if link:
            entries.append(
                FeedEntry(
                    url=link,
                    published=_child_text(element, "pubDate", "published", "updated", "date"),
                    title=_child_text(element, "title"),
                )
            )
    return entries
