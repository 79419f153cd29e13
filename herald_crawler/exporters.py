"""The JSON Lines exporter: one strict JSON object a line, UTF-8, safe for every line-oriented reader.

Scrapy's writes U+2028 and U+2029 raw (a ``str.splitlines()`` reader splits the line there) and fails an
item carrying a lone surrogate (possible from a page's JSON-LD). Here both separators are escaped, and a
lone surrogate becomes U+FFFD, so every line parses with a strict JSON parser and splits only at ``\\n``.
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonLinesItemExporter


def _scrub_surrogates(text: str) -> str:
    """Lone surrogates -> U+FFFD (a valid pair survives the round trip)."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def json_line(text: str) -> bytes:
    """A JSON text (one line) as UTF-8 bytes, line separators escaped, lone surrogates replaced."""
    # str.replace, not str.translate: translate goes character by character once a line holds any non-ASCII
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _scrub_surrogates(text).encode("utf-8")


class JsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        data = self.encoder.encode(dict(self.get_serialized_fields(item)))
        self.file.write(json_line(data) + b"\n")
