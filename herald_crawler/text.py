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
