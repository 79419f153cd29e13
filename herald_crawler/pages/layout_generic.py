"""Pages in no known layout (the site's next redesign, a special page): read from generic evidence alone.

The headline is a visible ``h1`` (agreeing with the structured data when there is any), the body the main
text block, photos the ``figure`` / ``img`` elements in it; everything else comes from JSON-LD, meta tags
and the generic finders every layout falls back on. Its items carry ``layout: "generic"``.
"""

from __future__ import annotations

from typing import Any

from . import generic
from .base import Document, xpath
from .fields import Layout


def _main_block(doc: Document) -> list[Any]:
    found = generic.main_block(doc)
    return [found] if found is not None else []


LAYOUT = Layout(
    name="generic",
    mark=lambda doc: [doc.root],
    # No headline element of its own: the title chain takes a visible h1 agreeing with the structured data,
    # then JSON-LD, og:title, <title>, and only then the first h1.
    title=lambda doc: [],
    body=_main_block,
    photos=xpath(".//figure | .//img | .//amp-img"),
    caption=generic.CAPTIONS,
    source="generic",
)
