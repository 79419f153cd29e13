"""Text as the page shows it, normalised: NFC, whitespace collapsed, invisible and control characters out."""

from __future__ import annotations

import re
import unicodedata

#: Invisible characters: zero-width space and joiners, word joiner, byte-order mark, soft hyphen. Shown as
#: nothing, so they become nothing ("Seo\u200bul" is "Seoul"); a space next to them stays a space.
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Any of the three above; searched for only in text that is not all printable (``str.isprintable``, a
#: fast scan, is false for each of them and for every whitespace character but U+0020).
_ODD = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise(text: str | None) -> str:
    """NFC, control and invisible (zero-width, soft hyphen) characters out, lone surrogates U+FFFD, every
    run of whitespace (non-breaking, ideographic and line separators included) one space, trimmed."""
    if not text:
        return ""
    if text.isprintable():  # no control, format or surrogate character, no space but U+0020
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            if "  " in text or text[0] == " " or text[-1] == " ":
                return " ".join(text.split())
            return text  # already normal: most text, as the parsers squash it
    elif _ODD.search(text):
        text = _ZERO_WIDTH.sub("", _CONTROL.sub("", _SURROGATE.sub("\ufffd", text)))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split() knows every Unicode space, U+2028/2029 and NBSP included


#: An e-mail address. The look-behind keeps a search linear on long runs of letters and digits (a match can
#: only start where such a run starts).
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
#: The site's name closing a headline as ``<title>`` and ``og:title`` show it ("... - The Korea Herald").
SITE_SUFFIX = re.compile(r"\s*(?:[-|–—:·]\s*)?(?:The\s+)?Korea\s*Herald\s*$", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[-_\s]+")
_ASCII_INT = re.compile(r"\s*([0-9]{1,9})(?:\.[0-9]*)?\s*(?:px)?\s*$")


def class_words(value: str | None) -> list[str]:
    """The words of a class or id value, split at spaces, ``-`` and ``_`` (``news_text-area`` -> 3 words)."""
    return [w for w in _WORD_SPLIT.split((value or "").lower()) if w]


def ascii_int(value: str | None) -> int | None:
    """An attribute's integer (``540``, ``540px``, ``12.5``) in ASCII digits only, or None."""
    match = _ASCII_INT.match(value or "")
    return int(match.group(1)) if match else None
