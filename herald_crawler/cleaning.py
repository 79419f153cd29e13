"""Text cleaning: from a page as a parser read it to the article's own words.

Removes what is not the article (masthead and promo strings, share text, ``Most Popular`` / ``Back To Top``
/ footer lines, photo captions repeated in the text, reporter e-mail lines, the trailing wire credit),
splits sentences glued where ``<br>`` once separated paragraphs, splits photo credits from captions and
reads bylines into authors and agency. Every string comes out NFC with whitespace collapsed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from .items import Article, Author, Image
from .pages import Page, PageImage
from .urls import canonical_url

# -- text normalisation -----------------------------------------------------------------------------

_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: Any of the three above; searched for only in text that is not all printable (``str.isprintable``, a
#: fast scan, is false for each of them and for every whitespace character but U+0020).
_ODD = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise(text: str | None) -> str:
    """NFC, control characters out, lone surrogates U+FFFD, every run of whitespace (non-breaking,
    zero-width and line separators included) one space, trimmed."""
    if not text:
        return ""
    if text.isprintable():  # no control, format or surrogate character, no space but U+0020
        if text.isascii() or unicodedata.is_normalized("NFC", text):
            if "  " in text or text[0] == " " or text[-1] == " ":
                return " ".join(text.split())
            return text  # already normal: most text, as the parsers squash it
    elif _ODD.search(text):
        text = _ZERO_WIDTH.sub(" ", _CONTROL.sub("", _SURROGATE.sub("\ufffd", text)))
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())  # str.split() knows every Unicode space, U+2028/2029 and NBSP included


def content_hash(title: str, body: str) -> str:
    """sha256 (hex) of ``title + "\\n\\n" + body``, both already normalised; the change detector's key."""
    return hashlib.sha256(f"{title}\n\n{body}".encode("utf-8")).hexdigest()


def word_count(body: str) -> int:
    return len(body.split())


# -- agencies, house bylines --------------------------------------------------------------------------

#: Wire services, by every spelling seen, to the name the item carries.
AGENCIES: dict[str, str] = {
    "yonhap": "Yonhap",
    "yonhap news": "Yonhap",
    "yonhap news agency": "Yonhap",
    "연합뉴스": "Yonhap",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "the associated press": "AP",
    "reuters": "Reuters",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo",
    "kyodo news": "Kyodo",
    "bloomberg": "Bloomberg",
    "newsis": "Newsis",
    "news1": "News1",
}

#: Bylines that name the paper itself: no person, no agency.
HOUSE_NAMES = frozenset(
    {"korea herald", "the korea herald", "korea herald staff", "herald staff", "herald corp", "herald corporation",
     "kh", "khstaff", "herald"}
)

_ROLE_WORDS = re.compile(
    r"\b(?:correspondent|reporter|reporters|writer|writers|staff|contributor|columnist|editor|intern|"
    r"bureau|desk|team|herald)\b",
    re.IGNORECASE,
)


def agency_name(text: str) -> str | None:
    """The normalised wire-service name for ``text`` (``Yonhap News`` -> ``Yonhap``), or None."""
    return AGENCIES.get(normalise(text).strip(" .").lower())


# -- photo captions and credits ----------------------------------------------------------------------

_TRAILING_PAREN = re.compile(r"\s*\(([^()]{1,80})\)\s*$")
#: Parentheses that close a caption without being a credit.
_NOT_CREDITS = frozenset(
    {"left", "right", "center", "centre", "top", "bottom", "from left", "from right", "front", "back",
     "second from left", "second from right", "third from left", "third from right", "file photo"}
)


def split_credit(caption: str | None) -> tuple[str | None, str | None]:
    """``"A scene. (Yonhap)"`` -> ``("A scene.", "Yonhap")``; ``"(Yonhap) (Yonhap)"`` -> ``(None, "Yonhap")``.

    The credit is the parenthesised text closing the caption; repeats of it are dropped. A caption shown
    twice in one element ("X (Yonhap) X (Yonhap)") is read once.
    """
    text = normalise(caption)
    if not text:
        return None, None
    match = _TRAILING_PAREN.search(text)
    if not match:
        return text, None
    credit = normalise(match.group(1))
    if credit.lower() in _NOT_CREDITS:
        return text, None
    text = text[: match.start()]
    while True:  # "(Yonhap) (Yonhap)", "... (Yonhap) (Yonhap)"
        again = _TRAILING_PAREN.search(text)
        if not again or normalise(again.group(1)) != credit:
            break
        text = text[: again.start()]
    text = text.strip()
    left, marker, right = text.partition(f" ({credit}) ")
    if marker and left.strip() == right.strip():
        text = left.strip()
    return (text or None), (credit or None)


def clean_images(images: Iterable[PageImage]) -> list[Image]:
    cleaned: list[Image] = []
    for image in images:
        caption, credit = split_credit(image.caption)
        cleaned.append({"url": image.url, "caption": caption, "credit": credit})
    return cleaned


# -- boilerplate lines --------------------------------------------------------------------------------

_BOILERPLATE = frozenset(
    s.lower()
    for s in (
        "The Korea Herald", "Korea Herald", "• Link copied", "Link copied", "Back To Top", "Back to top", "Top",
        "Articles by Korea Herald", "subscribe", "Subscribe", "Share", "Print", "Facebook", "Twitter", "Copy URL",
        "Font size", "List", "Advertisement", "AD", "Related Articles", "Related articles",
    )
)
#: Lines after which nothing is the article (page footers).
_FOOTER_MARKS = frozenset({"most popular latest news subscribe", "latest news", "most popular latest news"})
_MOST_POPULAR = re.compile(r"^most popular$", re.IGNORECASE)
_LIST_ENTRY = re.compile(r"^\d{1,2}\s*[.)]?\s+\S")
#: The rotating Korean promo string of the masthead (소아쌤, 피터빈트, 지나쌤, ...): a short Hangul-only line.
_PROMO = re.compile(r"^[\uac00-\ud7a3]{2,8}$")


#: Longer than any footer mark or boilerplate line, with room for separators ("Most Popular | Latest News").
_SHORT = 2 * max(len(s) for s in (*_BOILERPLATE, *_FOOTER_MARKS))


def _is_boilerplate(line: str) -> bool:
    low = line.lower()
    return low in _BOILERPLATE or low.lstrip("•·- ") in _BOILERPLATE or bool(_PROMO.match(line))


def drop_boilerplate(paragraphs: list[str]) -> list[str]:
    kept: list[str] = []
    in_popular = False
    for line in paragraphs:
        short = len(line) <= _SHORT  # every marker and boilerplate line is short: long lines skip the tests
        if short:
            low = line.lower()
            if low in _FOOTER_MARKS or low.replace("|", " ").split() == ["most", "popular", "latest", "news"]:
                break
            if _MOST_POPULAR.match(line):
                in_popular = True
                continue
        if in_popular:
            if _LIST_ENTRY.match(line) or len(line) < 90 and not line.endswith((".", '"', "”")):
                continue
            in_popular = False
        if short and _is_boilerplate(line):
            continue
        kept.append(line)
    return kept


# -- bylines and e-mail lines -------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NAME_WORD = r"(?:[A-Z][A-Za-z'’.-]*|[\uac00-\ud7a3]{2,5})"
_NAME = rf"{_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|\band\b)\s*{_NAME})*"
#: "By Kim Arin (arin@heraldcorp.com)", "By A, B (a@x.com, b@x.com)", "Kim Arin (arin@...)", "(arin@...)".
_EMAILS = rf"{_EMAIL.pattern}(?:[\s,;/()]+{_EMAIL.pattern})*"
#: A reporter's title between the names and the e-mails: ", Korea Herald correspondent", ", senior reporter".
_ROLE = r"(?:,\s*[^,()@]{2,60}?)?"
_EMAIL_LINE = re.compile(
    rf"^(?:[Bb]y\s+)?(?:(?P<names>{_NAMES}){_ROLE})?\s*[(<]?\s*(?P<emails>{_EMAILS})\s*[)>]?$"
)
_BYLINE_LINE = re.compile(rf"^[Bb]y\s+(?P<names>{_NAMES})$")
_EMAIL_ONLY = re.compile(rf"^[(<]?\s*{_EMAILS}\s*[)>]?$")
_BY_PREFIX = re.compile(r"^(?:written\s+)?by\s+", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:,|&|/|\band\b)\s*")


def byline_names(byline: str | None) -> list[str]:
    """Names in a byline as shown: ``By Kim Arin, Lee Jung-joo and Yonhap`` -> three names; a reporter's
    title (``Korea Herald correspondent``, ``senior reporter``) is not a name."""
    text = normalise(byline)
    if not text:
        return []
    text = _EMAIL.sub("", _BY_PREFIX.sub("", text))
    text = re.sub(r"\(\s*[,;\s]*\)", "", text)
    names = []
    for part in _NAME_SPLIT.split(text):
        name = part.strip(" .;:()")
        if name and name not in names and not _ROLE_WORDS.search(name) and not name[0].islower():
            names.append(name)
    return names


def _email_line(paragraphs: list[str], index: int) -> tuple[int, str, list[str], list[str]] | None:
    """An e-mail line at ``index``: (paragraphs used, text as shown, names, e-mails), or None.

    Also the form split over two paragraphs: ``By Kim Arin`` then ``(arin@heraldcorp.com)``.
    """
    text = paragraphs[index]
    if "@" in text and len(text) <= 240 and (match := _EMAIL_LINE.match(text)):
        names = byline_names(match.group("names")) if match.group("names") else []
        return 1, text, names, _EMAIL.findall(match.group("emails"))
    if (
        index + 1 < len(paragraphs)
        and text[:3].lower() == "by "
        and "@" in paragraphs[index + 1]
        and _BYLINE_LINE.match(text)
        and _EMAIL_ONLY.match(paragraphs[index + 1])
    ):
        following = paragraphs[index + 1]
        return 2, f"{text} {following}", byline_names(text), _EMAIL.findall(following)
    return None


class Credits:
    """What the cleaner learns about who wrote the article while it cleans the body."""

    def __init__(self) -> None:
        self.byline_lines: list[str] = []
        self.names: list[str] = []
        self.emails: list[str] = []
        self.agency: str | None = None


def take_email_lines(paragraphs: list[str], credits: Credits) -> list[str]:
    kept: list[str] = []
    index = 0
    while index < len(paragraphs):
        found = _email_line(paragraphs, index)
        if found:
            used, text, names, emails = found
            credits.byline_lines.append(text)
            credits.names.extend(n for n in names if n not in credits.names)
            credits.emails.extend(emails)
            index += used
            continue
        kept.append(paragraphs[index])
        index += 1
    # A bare "By Kim Arin" line first or last in the body is a byline, not text.
    for position in (-1, 0):
        if kept and _BYLINE_LINE.match(kept[position]) and len(kept[position]) <= 80:
            line = kept.pop(position)
            credits.byline_lines.insert(0, line)
            credits.names.extend(n for n in byline_names(line) if n not in credits.names)
    return kept


_WIRE_CREDIT = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z .-]{1,30}|연합뉴스)\s*\)\s*$")


def take_wire_credit(paragraphs: list[str], credits: Credits) -> list[str]:
    """Strip ``(Yonhap)``, ``(Yonhap News)``, ``(AFP)`` ending the last paragraph into ``credits.agency``."""
    if not paragraphs:
        return paragraphs
    last = paragraphs[-1]
    match = _WIRE_CREDIT.search(last)
    if not match:
        return paragraphs
    agency = agency_name(match.group(1))
    if agency is None:
        return paragraphs
    credits.agency = credits.agency or agency
    rest = last[: match.start()].strip()
    return paragraphs[:-1] + ([rest] if rest else [])


# -- glued sentences ----------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col sgt capt cmdr adm gov sen rep rev st jr sr no nos vs etc inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft dept univ assn est approx a.m p.m i.e e.g"
    .split()
)
# A sentence end glued to the next sentence: "dollar.The", "excessive.\"We", "won?The".
_GLUE = re.compile(
    r"(?:(?<=[a-z0-9%)\]’”\"'])|(?<=\b[A-Z]\.[A-Z]))([.!?])([\"”’']?)(?=[\"“‘']?[A-Z][a-z]|[\"“‘']?(?:A|I) )"
)
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")


_GLUE_HINT = re.compile(r"[.!?][\"”’']?[\"“‘']?[A-Z]")


def split_glued(paragraph: str) -> list[str]:
    """Split a paragraph where a sentence ends and the next starts without a space."""
    if not _GLUE_HINT.search(paragraph):  # most paragraphs: no sentence end touching a capital
        return [paragraph]
    pieces: list[str] = []
    start = 0
    for match in _GLUE.finditer(paragraph):
        before = paragraph[start : match.start()]
        word = _WORD_BEFORE.search(before)
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if match.start() > 0 and paragraph[match.start() - 1] == "." :
            continue  # an ellipsis or "U.S.": not a glue point
        quote = match.group(2)
        cut = match.end()
        if quote == '"' and paragraph[start : match.start()].count('"') % 2 == 0:
            cut = match.end() - 1  # an even count before: this quote opens the next sentence
        pieces.append(paragraph[start:cut].strip())
        start = cut
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


# -- the whole page -----------------------------------------------------------------------------------


def clean_body(page: Page, captions: Iterable[str]) -> tuple[list[str], Credits]:
    credits = Credits()
    caption_lines = {normalise(c).lower() for c in captions if c}
    paragraphs = [normalise(p) for p in page.paragraphs]
    paragraphs = [p for p in paragraphs if p and p.lower() not in caption_lines]
    paragraphs = drop_boilerplate(paragraphs)
    paragraphs = take_email_lines(paragraphs, credits)
    paragraphs = take_wire_credit(paragraphs, credits)
    split: list[str] = []
    for paragraph in paragraphs:
        split.extend(split_glued(paragraph))
    return split, credits


def authors_and_agency(page: Page, credits: Credits) -> tuple[list[Author], str | None]:
    """People from JSON-LD, else the visible byline, else the e-mail line; agencies and the house apart.

    E-mails come from the e-mail line, else from a reporter box showing the same name.
    """
    candidates = [normalise(n) for n in page.author_names] or byline_names(page.byline) or credits.names
    people: list[str] = []
    agency: str | None = None
    for name in candidates:
        as_agency = agency_name(name)
        if as_agency:
            agency = agency or as_agency
        elif name.lower() in HOUSE_NAMES or _ROLE_WORDS.search(name):
            continue
        elif name not in people:
            people.append(name)
    agency = agency or credits.agency
    emails = list(credits.emails)
    by_name = dict(zip(credits.names, emails)) if len(credits.names) == len(emails) else {}
    shown = {normalise(n).lower(): e for n, e in page.contacts}
    authors: list[Author] = []
    for position, name in enumerate(people):
        email = by_name.get(name)
        if email is None and not by_name and len(emails) == len(people):
            email = emails[position]
        authors.append({"name": name, "email": email or shown.get(name.lower())})
    return authors, agency


_TITLE_SUFFIX = re.compile(r"\s*[-|–]\s*The Korea Herald$", re.IGNORECASE)


def clean_title(title: str | None) -> str:
    return _TITLE_SUFFIX.sub("", normalise(title))


def build_article(page: Page, crawled_at: str, discovered_via: str) -> Article:
    """The article a page shows, cleaned; dates still as shown (DatesPipeline normalises them)."""
    images = clean_images(page.images)
    captions = [c for image in page.images for c in (image.caption, image.alt)]
    captions += [i["caption"] for i in images if i["caption"]]
    paragraphs, credits = clean_body(page, captions)
    authors, agency = authors_and_agency(page, credits)
    title = clean_title(page.title)
    body = "\n\n".join(paragraphs)
    byline = normalise(page.byline) or " ".join(credits.byline_lines) or None
    return Article(
        article_id=page.article_id,
        url=page.url,
        canonical_url=canonical_url(page.article_id),
        title=title,
        subtitle=normalise(page.subtitle) or None,
        authors=authors,
        byline=byline,
        agency=agency,
        published_at=normalise(page.published) or None,
        updated_at=normalise(page.updated) or None,
        section=normalise(page.section) or None,
        subsection=normalise(page.subsection) or None,
        tags=[t for t in (normalise(t) for t in page.tags) if t],
        body=body,
        images=images,
        language=(page.language or "en"),
        layout=page.layout,
        word_count=word_count(body),
        content_hash=content_hash(title, body),
        crawled_at=crawled_at,
        discovered_via=discovered_via,
    )
