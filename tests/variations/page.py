"""Gold pages and what the variation families need to find in them.

A :class:`GoldPage` is one hand-written page with its golden item. :class:`PageModel` locates, in the raw
HTML, the things the families edit: the body container, each golden body paragraph, the gaps between
paragraphs where a CMS inserts blocks, the headline / byline / date elements of the title area, the
reporter e-mail line, a closing wire credit, the photos and their captions, JSON-LD blocks and meta tags.
Locating works from the golden item (the paragraph and caption texts are known) and from the site notes
(``/work/shared/KOREA_HERALD.md``: which layout puts what where), never from the crawler's parsers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path
from urllib.parse import urljoin
from typing import Any

from tests.variations.markup import Doc, Element, collapse, squash

from tests.goldens import ARTICLES, INDEPENDENT

SETS = {"mirror": ARTICLES, "independent": INDEPENDENT}
LAYOUTS = ("2012", "2017", "2023", "cms")
KST = timezone(timedelta(hours=9))

# Wire services a byline or a closing credit can name, normalised (README: ``Yonhap News`` -> ``Yonhap``).
AGENCIES = {"yonhap": "Yonhap", "yonhap news": "Yonhap", "yonhapnews": "Yonhap", "afp": "AFP", "ap": "AP",
            "reuters": "Reuters", "xinhua": "Xinhua", "kyodo": "Kyodo", "efe": "EFE", "dpa": "dpa",
            "bloomberg": "Bloomberg", "ani": "ANI", "afp-yonhap": "AFP", "yna": "Yonhap"}
HOUSE = {"korea herald", "the korea herald"}
EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_EMAIL_TAIL = re.compile(rf"(?:[,;]|and)?[^()@.<>]{{0,60}}?\((?:{EMAIL}[,;]?)+\)")


def agency_name(text: str | None) -> str | None:
    if not text:
        return None
    return AGENCIES.get(collapse(text).lower().removeprefix("by ").strip())


@dataclass
class GoldPage:
    key: str  # "<set>:<layout>/<id>"
    set: str
    layout: str
    page_id: str
    html_path: Path
    json_path: Path
    html: str
    raw_bytes: bytes
    truth: dict[str, Any]  # golden item, body as a list, no "_" keys
    boilerplate: list[str]
    cases: list[str]

    @cached_property
    def model(self) -> PageModel:
        return PageModel(self.html, self.truth, self.layout)


@dataclass
class LoadReport:
    pages: list[GoldPage] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # pairs that could not be read (being written?)


def load_pages(sets: tuple[str, ...] = ("mirror", "independent")) -> LoadReport:
    """Every ``<layout>/<id>.json`` + ``.html`` pair of the given sets, as they are on disk right now."""
    report = LoadReport()
    for name in sets:
        root = SETS[name]
        if not root.is_dir():
            continue
        for json_path in sorted(root.glob("*/*.json")):
            html_path = json_path.with_suffix(".html")
            rel = f"{name}:{json_path.parent.name}/{json_path.stem}"
            try:
                raw = json.loads(json_path.read_text("utf-8"))
                data = html_path.read_bytes()
                html = data.decode("utf-8")
                truth = {k: v for k, v in raw.items() if not k.startswith("_")}
                if not isinstance(truth.get("body"), list):
                    raise ValueError("body is not a list")
                layout = truth.get("layout") or json_path.parent.name
                if layout not in LAYOUTS:
                    raise ValueError(f"unknown layout {layout!r}")
                for key in ("url", "title", "authors", "images", "published_at", "updated_at"):
                    truth[key]  # noqa: B018 (a KeyError marks the pair unreadable)
            except (OSError, ValueError, KeyError, UnicodeDecodeError) as exc:
                report.skipped.append(f"{rel}: {type(exc).__name__}: {exc}")
                continue
            report.pages.append(GoldPage(rel, name, layout, json_path.stem, html_path, json_path, html, data,
                                         truth, list(raw.get("_boilerplate", [])), list(raw.get("_cases", []))))
    return report


# -- dates -------------------------------------------------------------------------------------------
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
AP_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTH_WORD = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_WORD.update({m.lower(): i + 1 for i, m in enumerate(ABBR)})
_MONTH_WORD["sept"] = 9
VISIBLE_DATE = re.compile(
    r"(?P<label>Published|Updated)\s*:?\s*(?P<value>(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\s+(?P<H>\d{2}):(?P<M>\d{2})"
    r"|(?P<mon>[A-Z][a-z]{2,8})\.?\s*(?P<d2>\d{1,2}),\s*(?P<y2>\d{4})\s*-\s*(?P<H2>\d{2}):(?P<M2>\d{2}))")


def parse_visible(match: re.Match) -> str:
    if match.group("y"):
        y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
        hh, mm = int(match.group("H")), int(match.group("M"))
    else:
        y, m, d = int(match.group("y2")), _MONTH_WORD[match.group("mon").lower()], int(match.group("d2"))
        hh, mm = int(match.group("H2")), int(match.group("M2"))
    return datetime(y, m, d, hh, mm, tzinfo=KST).isoformat()


def kst(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(KST)


def fmt_date(value: str, style: str) -> str:
    t = kst(value)
    hm = f"{t:%H:%M}"
    if style == "numeric":
        return f"{t:%Y-%m-%d} {hm}"
    if style == "dotted":
        return f"{t:%Y.%m.%d} {hm}"
    if style == "ap":
        return f"{AP_MONTHS[t.month - 1]} {t.day}, {t.year} - {hm}"
    if style == "full":
        return f"{MONTHS[t.month - 1]} {t.day}, {t.year} - {hm}"
    if style == "abbr":
        return f"{ABBR[t.month - 1]} {t.day:02d}, {t.year} - {hm}"
    raise ValueError(style)


NATIVE_DATE_STYLE = {"2012": "numeric", "2017": "abbr", "2023": "ap", "cms": "ap"}


# -- the page model ----------------------------------------------------------------------------------
@dataclass
class DateSpan:
    label: str  # Published / Updated
    start: int
    end: int
    value: str  # ISO, parsed from the page
    value_start: int = -1  # raw offset where the date itself starts (after the label)


@dataclass
class Photo:
    index: int  # in truth["images"]
    img: Element
    box: Element  # the photo's own block (table / figure / div.img_box), holding no body paragraph
    caption_spans: list[tuple[int, int]]  # visible "caption (credit)" texts, in the box and repeated
    alt: str | None


@dataclass
class JsonLd:
    element: Element  # the <script> element
    start: int  # raw span of the JSON text
    end: int
    data: Any  # parsed (None if invalid)


class PageModel:
    def __init__(self, html: str, truth: dict[str, Any], layout: str):
        self.html = html
        self.truth = truth
        self.layout = layout
        self.doc = Doc(html)

    # structure -----------------------------------------------------------------------------------
    @cached_property
    def body(self) -> Element:
        return self.doc.first("body") or self.doc.root

    @cached_property
    def container(self) -> Element:
        d = self.doc
        for finder in (lambda: d.first(id="articleText"), lambda: d.first(cls="news_text_area"),
                       lambda: d.first("article", cls="article-body"), lambda: d.first(cls="article-body")):
            el = finder()
            if el is not None:
                return el
        raise LookupError("no body container (#articleText, div.news_text_area, article.article-body)")

    @cached_property
    def paras(self) -> list[tuple[int, int]]:
        """Raw span of each golden body paragraph, found in order inside the container."""
        spans = []
        pos, end = self.container.content_start, self.container.content_end
        for text in self.truth["body"]:
            span = self.doc.find_text(text, pos, end)
            if span is None:
                raise LookupError(f"body paragraph not found in the container: {text[:60]!r}")
            spans.append(span)
            pos = span[1]
        return spans

    def in_paragraph(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.paras)

    @cached_property
    def header_region(self) -> tuple[int, int]:
        """From <body> to the body container: title area, byline, dates."""
        return self.body.content_start, self.container.start

    def _smallest_with_text(self, span: tuple[int, int], text: str) -> Element | None:
        want = squash(text)
        el = self.doc.element_containing(*span)
        best = None
        while el is not None and el is not self.doc.root:
            if self.doc.text_of(el) == want:
                best = el
            elif best is not None:
                break
            el = el.parent
        return best

    def element_with_text(self, text: str | None, region: tuple[int, int] | None = None) -> Element | None:
        if not text:
            return None
        start, end = region or self.header_region
        span = self.doc.find_text(text, start, end)
        while span is not None:
            el = self._smallest_with_text(span, text)
            if el is not None:
                return el
            span = self.doc.find_text(text, span[1], end)
        return None

    @cached_property
    def title_el(self) -> Element | None:
        return self.element_with_text(self.truth["title"])

    @cached_property
    def subtitle_el(self) -> Element | None:
        return self.element_with_text(self.truth.get("subtitle"))

    @cached_property
    def dates(self) -> list[DateSpan]:
        """Visible "Published : ..." / "Updated : ..." texts in the title area."""
        d = self.doc
        lo, hi = d.char_index(self.header_region[0]), d.char_index(self.header_region[1])
        pattern = re.compile(squash_pattern(VISIBLE_DATE.pattern))
        out = []
        for m in pattern.finditer(d.text, lo, hi):
            out.append(DateSpan(m.group("label"), d.char_start[m.start()], d.char_end[m.end() - 1],
                                parse_visible(m), d.char_start[m.start("value")]))
        return out

    @cached_property
    def header_byline(self) -> Element | None:
        """The title area's byline element, when the page shows one (the notes give 2012 pages none, but
        some pages have one): the golden byline's element, else an element reading ``By <first author>``."""
        byline = self.truth.get("byline")
        el = self.element_with_text(byline)
        if el is not None and el.name not in ("body", "html"):
            return el
        names = [a["name"] for a in self.truth["authors"]] + ([self.truth["agency"]] if self.truth.get("agency") else [])
        for name in names[:1] + names[-1:]:
            span = self.doc.find_text("By " + name, *self.header_region)
            if span is None:
                continue
            el = self.doc.element_containing(*span)
            while el.parent is not None and el.parent is not self.body and \
                    self.doc.text_of(el.parent).startswith(squash("By " + name)) and \
                    len(self.doc.text_of(el.parent)) < 160:
                el = el.parent
            if el.name not in ("body", "html") and len(self.doc.text_of(el)) < 160:
                return el
        return None

    @cached_property
    def closing_credit(self) -> tuple[int, int, str] | None:
        """A wire credit right after the last golden paragraph (``(Yonhap)``, ``(Yonhap News)``, ``(AFP)``)."""
        if not self.paras:
            return None
        d = self.doc
        k = d.char_index(self.paras[-1][1])
        m = re.compile(r"\(([A-Za-z][A-Za-z -]{0,20}?)\)").match(d.text, k)
        if not m:
            return None
        # The squashed text has no spaces, so "Yonhap News" reads "YonhapNews".
        name = AGENCIES.get(m.group(1).lower())
        if name is None:
            return None
        return d.char_start[m.start()], d.char_end[m.end() - 1], name

    @cached_property
    def byline_line(self) -> tuple[int, int] | None:
        """The reporter line in the body: ``By Name (e-mail)`` at the end (or a ``By Name`` line)."""
        d = self.doc
        c = self.container
        candidates: list[tuple[int, int]] = []
        byline = self.truth.get("byline")
        names = [a["name"] for a in self.truth["authors"]]
        needles = []
        if byline:
            needles.append(byline.split("(")[0])
        if names:
            needles.append("By " + names[0])
        for needle in needles:
            for span in d.find_all_text(needle, c.content_start, c.content_end):
                if not self.in_paragraph(*span):
                    candidates.append(span)
            if candidates:
                break
        if not candidates:
            emails = [a["email"] for a in self.truth["authors"] if a.get("email")]
            for email in emails[:1]:
                span = d.find_text(email, c.content_start, c.content_end)
                if span is None or self.in_paragraph(*span):
                    continue
                k = d.char_index(span[0])
                lo = d.char_index(max([e for s, e in self.paras if e <= span[0]] or [c.content_start]))
                j = d.text.rfind("By", lo, k)
                if j >= 0:
                    candidates.append((d.char_start[j], span[1]))
        if not candidates:
            return None
        start, end = candidates[-1]
        # Then the e-mail part: "(a@x)", "(a@x, b@x)", "(a@x) (b@x)", ", senior reporter (a@x)",
        # "and Name (b@x)".
        for _ in range(4):
            k = d.char_index(end)
            m = _EMAIL_TAIL.match(d.text, k)
            if not m or m.end() == m.start():
                break
            new_end = d.char_end[m.end() - 1]
            if self.in_paragraph(end, new_end):
                break
            end = new_end
        return start, end

    @cached_property
    def photos(self) -> list[Photo]:
        d = self.doc
        out = []
        for i, image in enumerate(self.truth["images"]):
            img = self.image_element(image["url"])
            if img is None:
                continue  # an image the families cannot find is left as it is
            box = img
            node = img.parent
            while node is not None and node is not self.container and node is not self.body:
                if self.in_paragraph(node.start, node.end) or node.name in ("body", "html"):
                    break
                box = node
                node = node.parent
            spans = []
            text = caption_text(image)
            if text:
                for span in d.find_all_text(text, self.container.content_start, self.container.content_end):
                    if not self.in_paragraph(*span):
                        spans.append(span)
                if not any(box.start <= s and e <= box.end for s, e in spans) and image.get("caption"):
                    # The visible caption may end differently (no credit shown); fall back to the caption.
                    for span in d.find_all_text(image["caption"], box.start, box.end):
                        spans.append(span)
                # A credit-only caption like "(Yonhap)": only the one inside the photo's own box.
                if not image.get("caption"):
                    spans = [s for s in spans if box.start <= s[0] and s[1] <= box.end]
            out.append(Photo(i, img, box, sorted(set(spans)), img.attr("alt")))
        return out

    def image_element(self, url: str) -> Element | None:
        """The <img>/<amp-img> showing ``url``: by src, else by a lazy-loading attribute or srcset."""
        base = self.truth.get("url") or "https://www.koreaherald.com/"
        candidates = [el for el in self.doc.elements if el.name in ("img", "amp-img")
                      and not any(a.name == "noscript" for a in el.ancestors())]
        for attrs in (("src",), ("data-src", "data-original", "data-lazy-src", "data-url", "srcset", "data-srcset")):
            for el in candidates:
                for name in attrs:
                    value = el.attr(name)
                    if not value:
                        continue
                    values = [c.strip().split(" ")[0] for c in value.split(",")] if "srcset" in name else [value]
                    if any(urljoin(base, v.strip()) == url for v in values):
                        return el
        return None

    @cached_property
    def jsonld(self) -> list[JsonLd]:
        out = []
        for el in self.doc.find_elements("script"):
            if (el.attr("type") or "").strip().lower() != "application/ld+json":
                continue
            raw = self.html[el.content_start:el.content_end]
            try:  # control characters inside strings (a raw newline) are read, as lenient JSON readers do
                data = json.loads(raw, strict=False)
            except ValueError:
                data = None
            out.append(JsonLd(el, el.content_start, el.content_end, data))
        return out

    def news_article(self) -> tuple[JsonLd, dict] | None:
        for block in self.jsonld:
            for node in jsonld_nodes(block.data):
                if is_article(node):
                    return block, node
        return None

    def meta(self, key: str) -> list[Element]:
        out = []
        for el in self.doc.find_elements("meta"):
            if (el.attr("name") or el.attr("property") or "").lower() == key:
                out.append(el)
        return out

    def tag_links(self) -> list[str]:
        """Visible ``#tag`` links (cms ``div.article-tags``, 2023 ``news_tag``)."""
        out = []
        for el in self.doc.find_elements("a"):
            text = self.doc.spaced_text(el.content_start, el.content_end)
            if text.startswith("#") and len(text) > 1 and el.start > self.body.start:
                out.append(text[1:].strip())
        return out

    def visible_breadcrumb(self) -> list[str]:
        for cls in ("breadcrumb", "news_category", "view_top_t", "location"):
            el = self.doc.first(cls=cls)
            if el is not None:
                names = [self.doc.spaced_text(a.content_start, a.content_end)
                         for a in self.doc.find_elements("a", within=el)]
                return [n for n in names if n and n != "Home"]
        return []

    # gaps ----------------------------------------------------------------------------------------
    def boundaries(self, start: int, end: int) -> list[int]:
        """Token boundaries in [start, end]."""
        return [t.start for t in self.doc.tokens if start <= t.start <= end] + (
            [end] if end not in {t.start for t in self.doc.tokens} else [])

    def clean_boundary(self, at: int, *, allow_inline: bool = False) -> bool:
        """May a block element be inserted at raw offset ``at``? (No open p, link, heading or inline
        formatting element; not directly inside a table row.)"""
        stack = self.doc.stack_at(at)
        if self.container not in stack:
            return False
        inner = stack[stack.index(self.container):]
        bad = {"p", "a", "h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "em", "i", "u", "font", "li", "ul",
               "ol", "figure", "figcaption", "blockquote", "button", "small", "big", "s", "strike", "tt", "code",
               "pre", "noscript", "select", "option", "label", "script", "style"}
        if not allow_inline:
            bad |= {"span"}
        if any(e.name in bad for e in inner):
            return False
        if inner[-1].name in ("table", "tbody", "thead", "tfoot", "tr"):
            return False
        # Not inside a photo box.
        if any(self.is_photo_box(e) for e in inner[1:]):
            return False
        return True

    def is_photo_box(self, el: Element) -> bool:
        return any(p.box is el or (el.start <= p.img.start < el.end and not self.in_paragraph(el.start, el.end))
                   for p in self.photos)

    @cached_property
    def gaps(self) -> list[list[int]]:
        """For each pair of consecutive paragraphs, the raw offsets between them where a block may go."""
        out = []
        for (s1, e1), (s2, e2) in zip(self.paras, self.paras[1:]):
            options = []
            if not any(t.kind != "text" and e1 <= t.start < s2 for t in self.doc.tokens):
                out.append(options)  # glued sentences: nothing in the markup separates them
                continue
            for at in self.boundaries(e1, s2):
                between = self.doc.visible(e1, at)
                if between and not re.fullmatch(r"\([^)]*\)", between):
                    break  # only the run of tags / whitespace right after the paragraph
                if self.clean_boundary(at) and all(e.start < e1 for e in self.doc.stack_at(at)):
                    options.append(at)  # (not inside the next paragraph's own element)
            out.append(options)
        return out

    def gap_positions(self) -> list[tuple[int, int]]:
        """(gap index, offset): one insertion offset per usable gap (the last clean one in the run)."""
        return [(i, opts[-1]) for i, opts in enumerate(self.gaps) if opts]

    @cached_property
    def container_top(self) -> int:
        """Where a block goes at the top of the body (inside div.view_con_t on 2017 pages)."""
        inner = self.doc.first(cls="view_con_t", within=self.container)
        if inner is not None and inner.start < self.paras[0][0]:
            return inner.content_start
        return self.container.content_start

    @cached_property
    def container_end(self) -> int:
        """Where a block goes at the very end of the body container."""
        return self.container.content_end


def caption_text(image: dict) -> str:
    caption, credit = image.get("caption"), image.get("credit")
    if caption and credit:
        return f"{caption} ({credit})"
    if credit:
        return f"({credit})"
    return caption or ""


def squash_pattern(pattern: str) -> str:
    """A pattern over whitespace-free text: drop the whitespace tokens of a visible-text pattern."""
    return pattern.replace(r"\s*", "").replace(r"\s+", "")


def jsonld_nodes(data: Any) -> list[dict]:
    out: list[dict] = []
    if isinstance(data, list):
        for item in data:
            out.extend(jsonld_nodes(item))
    elif isinstance(data, dict):
        out.append(data)
        if "@graph" in data:
            out.extend(jsonld_nodes(data["@graph"]))
    return out


def is_article(node: dict) -> bool:
    types = node.get("@type")
    types = types if isinstance(types, list) else [types]
    return any(t in ("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle")
               for t in types)
