"""Text cleaning: from a page as a parser read it to the article's own words.

Removes what is not the article (masthead and promo strings, share text, ``Most Popular`` / ``Back To Top``
/ footer lines, photo captions repeated in the text, reporter e-mail lines, the trailing wire credit),
splits sentences glued where ``<br>`` once separated paragraphs, splits photo credits from captions and
reads bylines into authors and agency. Every string comes out NFC with whitespace collapsed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from .credits import credit_name, is_credit_only, split_credit
from .dates import only_dates
from .items import Article, Author, Image
from .pages import Page, PageImage
from .text import EMAIL, SITE_SUFFIX, normalise
from .urls import canonical_url

__all__ = ["build_article", "clean_body", "normalise", "split_credit"]  # normalise, split_credit: re-exported

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


# -- photo captions and credits --------------------------------------------------------------------


def clean_images(images: Iterable[PageImage]) -> list[Image]:
    """Each photo's caption without its credit, and the credit: shown in an element of its own, else
    closing the caption, else closing the alt text."""
    cleaned: list[Image] = []
    for image in images:
        caption, credit = split_credit(image.caption)
        if image.credit:
            credit = credit_name(image.credit) or credit
        elif credit is None and image.alt and image.alt != image.caption:
            credit = split_credit(image.alt)[1]
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
#: Short lines that introduce or are boxes around the article: "Related articles", "Read more: <headline>",
#: newsletter and subscribe prompts, ad labels, copyright lines, share prompts.
_BOX_LINE = re.compile(
    r"^(?:read more|related(?: articles?| stories| news| content)?|see also|also read|read also|recommended"
    r"(?: articles?| stories)?|more (?:stories|news|from [^.]{1,40})|you may also like|editor'?s picks?|"
    r"top stories|latest(?: news)?|trending(?: now)?|most (?:read|viewed|popular))\s*(?:[:：>»|-].{0,200})?$"
    r"|^(?:sign up|subscribe|get|join|receive)\b.{0,80}\b(?:newsletters?|inbox|updates|alerts)\b.{0,40}$"
    r"|^.{0,40}\bnewsletters?\b.{0,40}\b(?:sign up|subscribe|here)\b.{0,40}$"
    r"|^(?:advertisement|sponsored(?: content)?|ad|ads|promotion)$"
    r"|^(?:©|ⓒ|\(c\)|copyright\b).{0,120}$"
    r"|^.{0,60}\ball rights reserved\.?.{0,60}$",
    re.IGNORECASE,
)
#: The words of share widgets, toolbars and their notices: a short line of nothing else is one.
_WIDGET_WORDS = frozenset(
    "share this article story on copy copied link url send print email e-mail mail kakao kakaotalk facebook twitter "
    "x line band linkedin whatsapp telegram tweet pin save bookmark font size a a+ a- + - text zoom comment "
    "comments reply list top back to".split()
)
_WIDGET_SPLIT = re.compile(r"[\s|/·•,:]+")


def _is_widget_line(line: str) -> bool:
    if len(line) > 120:
        return False
    words = [w for w in _WIDGET_SPLIT.split(line.lower()) if w]
    return 0 < len(words) <= 12 and all(w in _WIDGET_WORDS for w in words)


#: Longer than any footer mark or boilerplate line, with room for separators and a "Read more: <headline>".
_SHORT = 240


def _is_boilerplate(line: str) -> bool:
    low = line.lower()
    if low in _BOILERPLATE or low.lstrip("•·- ") in _BOILERPLATE or _PROMO.match(line):
        return True
    return bool(_BOX_LINE.match(low.lstrip("•·-▶►> "))) or _is_widget_line(line)


#: The promo string printed inline at the edge of a paragraph ("소아쌤 The ministry said..."): the site's
#: text is English; Korean appears only in the promo string, rare bylines and comments.
_EDGE_PROMO = re.compile(r"^[\uac00-\ud7a3]{2,8}\s+(?=[\"“‘'(A-Z0-9])|(?<=[.!?\"”’)])\s+[\uac00-\ud7a3]{2,8}$")


def drop_boilerplate(paragraphs: list[str]) -> list[str]:
    paragraphs = [_EDGE_PROMO.sub("", p) if "\uac00" <= max(p, default=" ") else p for p in paragraphs]
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

_EMAIL = EMAIL
#: A name's word, possessive: a hyphen belongs to the word (``Jung-joo``), never tried again as a separator
#: (backtracking over both made a run of hyphenated capitals take O(n^4)).
_NAME_WORD = r"(?:[A-Z][A-Za-z'’.-]*+|[\uac00-\ud7a3]{2,5})"
_NAME = rf"{_NAME_WORD}(?:[ -]{_NAME_WORD}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|\band\b)\s*{_NAME})*"
#: "By Kim Arin (arin@heraldcorp.com)", "By A, B (a@x.com, b@x.com)", "Kim Arin (arin@...)", "(arin@...)".
_EMAILS = rf"{_EMAIL.pattern}(?:[\s,;/()]+{_EMAIL.pattern})*"
#: A reporter's title between the names and the e-mails: ", Korea Herald correspondent", ", senior reporter".
_ROLE = r"(?:,\s*[^,()@]{2,60}?)?"
_EMAIL_LINE = re.compile(
    rf"^(?:[Bb]y\s+)?(?:(?P<names>{_NAMES}){_ROLE})?\s*[(<]?\s*(?P<emails>{_EMAILS})\s*[)>]?$"
)
#: ... the same title closing a byline with no e-mail: "By Oh Seung-hwan, Korea Herald correspondent".
_TITLED = (r"(?:,\s*(?=[^,()@]*\b(?:correspondent|reporter|writer|editor|columnist|contributor|staff|intern|chief|"
           r"Herald)\b)[^,()@]{2,60}?)?")
_BYLINE_LINE = re.compile(rf"^[Bb]y\s+(?P<names>{_NAMES}){_TITLED}\.?$")
#: Names each with their own e-mail: "By A (a@x.com), B (b@x.com)", "By A (a@x.com) and B (b@x.com)".
_PAIR = rf"(?P<name>{_NAME})\s*[(<]\s*(?P<email>{_EMAIL.pattern})\s*[)>]"
_PAIRED_LINE = re.compile(rf"^(?:[Bb]y\s+)?{_PAIR}(?:\s*(?:,|;|&|\band\b)\s*{_PAIR.replace('?P<name>', '').replace('?P<email>', '')})+\.?$")
_PAIRS = re.compile(_PAIR)
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
    if "@" in text and len(text) <= 240 and _PAIRED_LINE.match(text):
        pairs = [(m.group("name"), m.group("email")) for m in _PAIRS.finditer(_BY_PREFIX.sub("", text))]
        return 1, text, [name for name, _ in pairs], [email for _, email in pairs]
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
        self.byline_lines: list[str] = []  # reporter e-mail lines, as shown
        self.bare_bylines: list[str] = []  # "By Name" lines without an e-mail, as shown
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
    # A bare "By Kim Arin" line first in the body, or among its last three (a correction note or an editor's
    # note may follow it), is a byline, not text.
    for position in (0, *range(max(1, len(kept) - 3), len(kept))[::-1]):
        if position < len(kept) and len(kept[position]) <= 80 and _BYLINE_LINE.match(kept[position]):
            line = kept.pop(position)
            credits.bare_bylines.insert(0, line)
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


_QUOTES = " \"“”‘’'«»"


def _without_pull_quotes(paragraphs: list[str]) -> list[str]:
    """Paragraphs without pull quotes: a short line repeating words of a longer paragraph of the body."""
    if len(paragraphs) < 2:
        return paragraphs
    everything = "\n".join(paragraphs)
    kept = []
    for paragraph in paragraphs:
        core = paragraph.strip(_QUOTES)
        # its words again elsewhere in the body (one search over the whole text, in C), and not merely the
        # same paragraph printed twice
        if 30 <= len(core) <= 250 and everything.count(core) > 1 and everything.count(paragraph) < 2:
            continue
        kept.append(paragraph)
    return kept


def _without_split_captions(paragraphs: list[str], caption_lines: set[str]) -> list[str]:
    """Paragraphs without a caption printed in the body over two to four lines (a ``<br>`` inside it)."""
    kept: list[str] = []
    index = 0
    while index < len(paragraphs):
        for size in (2, 3, 4):
            if " ".join(paragraphs[index:index + size]).lower() in caption_lines and index + size <= len(paragraphs):
                index += size
                break
        else:
            kept.append(paragraphs[index])
            index += 1
    return kept


def clean_body(page: Page, captions: Iterable[str], shown: Iterable[str] = ()) -> tuple[list[str], Credits]:
    """The article's own paragraphs, and what its closing lines say of who wrote it. ``captions`` are photo
    captions and ``shown`` the headline, subtitle and byline: the same text in the body is not body text
    (a headline repeated at the top, a caption printed again as a paragraph)."""
    credits = Credits()
    caption_lines = {normalise(c).lower() for c in captions if c}
    shown = [normalise(t).lower() for t in shown]
    headlines = {t for t in shown[:2] if t}
    byline = shown[2] if len(shown) > 2 else ""
    paragraphs = _without_split_captions([normalise(p) for p in page.paragraphs], caption_lines)
    paragraphs = [
        p for position, p in enumerate(paragraphs)
        if p and p.lower() not in caption_lines and not (position < 4 and p.lower() in headlines)
        and p.lower() != byline and not (len(p) <= 120 and only_dates(p))
    ]
    paragraphs = drop_boilerplate(_without_pull_quotes(paragraphs))
    paragraphs = take_email_lines(paragraphs, credits)
    paragraphs = take_wire_credit(paragraphs, credits)
    paragraphs = [p for p in paragraphs if not is_credit_only(p)]
    split: list[str] = []
    for paragraph in paragraphs:
        split.extend(split_glued(paragraph))
    return split, credits


def _people(names: Iterable[str]) -> tuple[list[str], str | None]:
    """People and the first wire service among ``names``; the house and reporters' titles left out."""
    people: list[str] = []
    agency: str | None = None
    for raw in names:
        name = normalise(raw)
        as_agency = agency_name(name)
        if as_agency:
            agency = agency or as_agency
        elif not name or name.lower() in HOUSE_NAMES or _ROLE_WORDS.search(name):
            continue
        elif name not in people:
            people.append(name)
    return people, agency


def authors_and_agency(
    page: Page, credits: Credits, sources: dict[str, str | None] | None = None
) -> tuple[list[Author], str | None]:
    """People from the first source that credits anyone: JSON-LD, the visible byline, the e-mail line, the
    author meta tag; agencies and the house apart. ``sources`` gets which source gave them.

    E-mails come from the e-mail line, else from a reporter box showing the same name.
    """
    chain = (
        ("jsonld", page.author_names),
        (page.sources.get("byline") or "dom", byline_names(page.byline)),
        ("body", credits.names),
        ("meta", byline_names(page.meta_author)),
    )
    people: list[str] = []
    agency: str | None = None
    found_in: str | None = None
    for source, names in chain:
        people, agency = _people(names)
        if people or agency:
            found_in = source
            break
    if sources is not None:
        sources["authors"] = found_in if people else None
        sources["agency"] = found_in if agency else ("body" if credits.agency else None)
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


def clean_title(title: str | None) -> str:
    return SITE_SUFFIX.sub("", normalise(title)).strip()


#: The fields whose source the item's ``extraction`` records, in this order.
TRACKED_FIELDS = ("title", "subtitle", "byline", "authors", "agency", "published_at", "updated_at", "section",
                  "subsection", "tags", "body", "images")


def build_article(page: Page, crawled_at: str, discovered_via: str) -> Article:
    """The article a page shows, cleaned, with how each field was found (``extraction``)."""
    images = clean_images(page.images)
    captions = [c for image in page.images for c in (image.caption, image.alt)]
    captions += [i["caption"] for i in images if i["caption"]]
    paragraphs, credits = clean_body(page, captions, (page.title, page.subtitle, page.byline))
    sources: dict[str, str | None] = {name: page.sources.get(name) for name in TRACKED_FIELDS}
    authors, agency = authors_and_agency(page, credits, sources)
    title = clean_title(page.title) or None
    body = "\n\n".join(paragraphs)
    # The byline as shown: the page's byline element, else a "By Name" line in the body, else the e-mail line.
    byline = normalise(page.byline) or next(iter(credits.bare_bylines), None) or " ".join(credits.byline_lines) or None
    if byline and not page.byline:
        sources["byline"] = "body"
    warnings = list(page.warnings)
    if page.paragraphs and not body:
        warnings.append("body: nothing left after cleaning")
    for name, value in (("title", title), ("body", body), ("images", images), ("tags", page.tags),
                        ("subtitle", page.subtitle), ("section", page.section), ("subsection", page.subsection)):
        if not value:
            sources[name] = None
    return Article(
        article_id=page.article_id,
        url=page.url,
        canonical_url=canonical_url(page.article_id),
        title=title,
        subtitle=normalise(page.subtitle) or None,
        authors=authors,
        byline=byline,
        agency=agency,
        published_at=page.published,
        updated_at=page.updated,
        section=normalise(page.section) or None,
        subsection=normalise(page.subsection) or None,
        tags=[t for t in (normalise(t) for t in page.tags) if t],
        body=body,
        images=images,
        language=(page.language or "en"),
        layout=page.layout,
        word_count=word_count(body),
        content_hash=content_hash(title or "", body),
        crawled_at=crawled_at,
        discovered_via=discovered_via,
        extraction={"layout": page.layout, "sources": sources, "warnings": warnings},
    )
