"""The exported item: one Korea Herald article, fields in the order they are written.

``published_at`` and ``updated_at`` are ISO 8601 in Korea time (the parsers read them so); ``extraction``
says how the page was read.

Documented field by field in the README; validated against ``schema/article.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypedDict


class Author(TypedDict):
    name: str
    email: str | None


class Image(TypedDict):
    url: str
    caption: str | None
    credit: str | None


@dataclass
class Article:
    article_id: str
    url: str
    canonical_url: str
    title: str | None
    subtitle: str | None
    authors: list[Author]
    byline: str | None
    agency: str | None
    published_at: str | None
    updated_at: str | None
    section: str | None
    subsection: str | None
    tags: list[str]
    body: str
    images: list[Image]
    language: str
    layout: str
    word_count: int
    content_hash: str
    crawled_at: str
    discovered_via: str
    version: int = 0  # set by ChangePipeline: 1 when new, +1 each time its content changes
    duplicate_of: str | None = None  # set by NearDuplicatePipeline
    # How the page was read: {"layout", "sources": {field: source or null}, "warnings": [...]}.
    extraction: dict = field(default_factory=dict)
    # Not exported: the id the fetched URL named (the ledger's key) and the body's near-duplicate signature.
    requested_id: str = field(default="", metadata={"export": False})
    signature: bytes | None = field(default=None, metadata={"export": False})
    known: object = field(default=None, metadata={"export": False})  # the state's record, read once


#: The exported fields, in order (FEED_EXPORT_FIELDS).
EXPORT_FIELDS: list[str] = [f.name for f in fields(Article) if f.metadata.get("export", True)]


def exported(article: Article) -> dict:
    """The item as it is written: the exported fields, in order."""
    return {name: getattr(article, name) for name in EXPORT_FIELDS}

#: The fields every exported item should have, judged by the field-coverage monitor (``HERALD_REQUIRED_FIELDS``).
REQUIRED_FIELDS: list[str] = ["title", "published_at", "body"]
