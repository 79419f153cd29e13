"""Decoding article pages: the right characters even when the page mislabels its charset.

The site is UTF-8 in every era seen, so bytes that are valid UTF-8 are read as UTF-8 whatever the label
says (valid UTF-8 is a strong signal: other encodings' non-ASCII text almost never is). Otherwise the
declared charset (header, then meta) is tried strictly, then CP949 (the superset of EUC-KR, the Korean
legacy encoding), then a declared single-byte charset. Bytes none of these read without errors are
refused: ``UndecodablePage``.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)


_SINGLE_BYTE = frozenset({"latin-1", "iso8859-1", "cp1252", "ascii", "iso8859-15"})


class UndecodablePage(ValueError):
    """No encoding reads the page without errors."""


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared(body: bytes, content_type: str | None) -> list[str]:
    """Encodings the response declares, header first, then the page's meta tag."""
    found = []
    if content_type and (match := _HEADER_CHARSET.search(content_type)):
        found.append(_codec(match.group(1)))
    if match := _META_CHARSET.search(body[:4096]):
        found.append(_codec(match.group(1).decode("ascii", "ignore")))
    return [name for name in dict.fromkeys(found) if name]


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding that read it. Raises UndecodablePage."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    try:  # valid UTF-8 is taken first, whatever the labels say (ASCII included)
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    labels = declared(body, content_type)
    single_byte = [n for n in labels if n in _SINGLE_BYTE]
    # Single-byte labels read any bytes and so prove nothing: they come last.
    candidates = list(dict.fromkeys(["utf-8", *(n for n in labels if n not in _SINGLE_BYTE), "cp949", *single_byte]))
    for name in candidates[1:]:
        try:
            return body.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    raise UndecodablePage(f"no encoding reads the page without errors (tried {', '.join(candidates)})")
