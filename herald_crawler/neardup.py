"""Near-duplicate signatures of article bodies: 64-bit SimHash over word 3-shingles (``simhash`` library).

Two bodies whose signatures differ in at most ``MAX_DISTANCE`` bits are near-duplicates: a republished
wire story, a re-issued article with a changed headline or a corrected figure.
"""

from __future__ import annotations

import re

from simhash import Simhash

MAX_DISTANCE = 3
_WORD = re.compile(r"\w+")


def signature(body: str) -> int:
    """The body's 64-bit SimHash over lower-cased word 3-shingles (single words for very short bodies)."""
    words = _WORD.findall(body.lower())
    shingles = [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))] if len(words) >= 3 else words
    return Simhash(shingles or [""], f=64).value
