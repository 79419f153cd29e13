"""Photo captions and their credits, in every form agencies and CMSs print them.

``(Yonhap)``, ``[Yonhap]``, ``Photo: Yonhap``, ``Yonhap photo``, ``/ Yonhap``, ``ⓒ Yonhap``, credit-only
captions and captions shown twice around their credit.
"""

from __future__ import annotations

import re

from .text import normalise

_TRAILING_PAREN = re.compile(r"\s*\(([^()]{1,80})\)\s*$")
_TRAILING_BRACKET = re.compile(r"\s*\[([^\[\]]{1,80})\]\s*$")
#: "Photo: Yonhap", "Photos by Kim", "Image courtesy of the ministry", "Photo credit: AFP" closing a caption.
_PHOTO_LABEL = re.compile(
    r"(?:^|(?<=[.!?\s]))\s*(?:photos?|image|picture)\s*(?:credit\s*)?(?:[:：]|\bby\b|\bcourtesy of\b)\s*"
    r"(?P<credit>[^:：()]{1,60}?)\s*$",
    re.IGNORECASE,
)
#: Sources whose name followed by "photo" is a credit wherever it closes a caption ("... in Seoul Yonhap photo").
PHOTO_SOURCES = frozenset(
    {"yonhap", "yonhap news", "newsis", "news1", "afp", "ap", "epa", "reuters", "xinhua", "kyodo", "bloomberg",
     "getty images", "getty images bank", "korea herald", "the korea herald", "herald", "herald db", "kcna",
     "kcna-yonhap", "joint press corps", "123rf", "the associated press"}
)
_SOURCE_PHOTO = re.compile(
    r"(?:^|\s)(?P<credit>" + "|".join(sorted((re.escape(s) for s in PHOTO_SOURCES), key=len, reverse=True))
    + r")\s+photos?$",
    re.IGNORECASE,
)
_DETERMINER = re.compile(r"(?:^|\s)(?:a|an|the|this|that|his|her|their|its|of|with|from|holds?|holding)$", re.IGNORECASE)
#: "Samsung Electronics photo" closing a caption after a sentence end, or as the whole caption.
_NAME_PHOTO = re.compile(r"(?:^|(?<=[.!?])\s+)(?P<credit>[A-Z][\w&.'-]*+(?:[ -][A-Z][\w&.'-]*+){0,3})\s+photos?$")
#: "... / Yonhap", "... — Yonhap" closing a caption; "ⓒ Yonhap", "© AFP".
_SLASH_CREDIT = re.compile(r"\s+[/|—–]\s*(?P<credit>[A-Z][^/|—–()]{0,50}?)\s*$")
_COPYRIGHT_CREDIT = re.compile(r"\s*[ⓒ©]\s*(?P<credit>[^ⓒ©]{1,60}?)\s*$")
#: Parentheses that close a caption without being a credit.
_NOT_CREDITS = frozenset(
    {"left", "right", "center", "centre", "top", "bottom", "from left", "from right", "front", "back",
     "second from left", "second from right", "third from left", "third from right", "file photo", "clockwise",
     "clockwise from top left", "in korean", "in english"}
)
_CREDIT_WRAPPING = re.compile(r"^(?:photos?|image|picture)\s*(?:credit\s*)?(?:[:：]|by\b)\s*|\s+photos?$", re.IGNORECASE)


def credit_name(text: str | None) -> str | None:
    """A credit without its wrapping: ``(Yonhap)``, ``[Yonhap]``, ``Photo: Yonhap``, ``Yonhap photo``,
    ``/ Yonhap``, ``ⓒ Yonhap`` -> ``Yonhap``."""
    value = normalise(text).strip(" ()[]/|—–ⓒ©").strip()
    value = _CREDIT_WRAPPING.sub("", value).strip(" :")
    return value or None


def _peel_credit(text: str) -> tuple[str, str | None]:
    """The caption without the credit closing it, and that credit (None when nothing closes it)."""
    for pattern in (_TRAILING_PAREN, _TRAILING_BRACKET):
        match = pattern.search(text)
        if match:
            inside = normalise(match.group(1))
            if inside.lower() in _NOT_CREDITS or inside.isdigit():
                return text, None
            return text[: match.start()], credit_name(inside)
    for pattern in (_PHOTO_LABEL, _COPYRIGHT_CREDIT, _SOURCE_PHOTO, _NAME_PHOTO, _SLASH_CREDIT):
        match = pattern.search(text)
        if match and pattern is _SOURCE_PHOTO and _DETERMINER.search(text[: match.start()]):
            continue  # "holds a Yonhap photo": a photo in the picture, not a credit
        if match:
            credit = credit_name(match.group("credit"))
            if credit and len(credit.split()) <= 8:
                return text[: match.start()], credit
    return text, None


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """``"A scene. (Yonhap)"`` -> ``("A scene.", "Yonhap")``; ``"(Yonhap) (Yonhap)"`` -> ``(None, "Yonhap")``.

    The credit is what closes the caption in any form agencies and CMSs print (``(Yonhap)``, ``[Yonhap]``,
    ``Photo: Yonhap``, ``Yonhap photo``, ``/ Yonhap``, ``ⓒ Yonhap``); repeats of it are dropped. A caption
    shown twice in one element ("X (Yonhap) X (Yonhap)") is read once.
    """
    text = normalise(caption)
    if not text:
        return None, None
    text, credit = _peel_credit(text)
    if credit is None:
        return text, None
    while True:  # "(Yonhap) (Yonhap)", "... (Yonhap) [Yonhap]"
        rest, again = _peel_credit(text)
        if again is None or again.casefold() != credit.casefold():
            break
        text = rest
    text = text.strip().rstrip("/|—–-").strip()
    return (_shown_once(text, credit) or None), credit


def _shown_once(text: str, credit: str) -> str:
    """A caption printed twice around its credit ("A scene (Yonhap) A scene", "A scene Yonhap photo A
    scene") read once."""
    words = text.split()
    for size in range(len(words) // 2, 0, -1):
        if words[:size] == words[-size:]:
            middle = " ".join(words[size:-size])
            if middle and _peel_credit(middle) == ("", credit) or (middle and credit_name(middle) == credit):
                return " ".join(words[:size])
    return text


def is_credit_only(line: str) -> bool:
    """A line that is only a photo credit: ``(Yonhap)``, ``[Newsis]``, ``Photo: Yonhap``, ``Yonhap photo``."""
    if len(line) > 80 or line.rstrip(")]").endswith((".", "?", "!")):
        return False
    caption, credit = split_credit(line)
    return caption is None and credit is not None and len(credit.split()) <= 6
