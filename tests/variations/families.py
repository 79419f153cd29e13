"""The variation families: what real CMS output does to an article page, applied to every gold page.

Each family is a function ``(html, truth, layout, rng) -> list[Variant]`` (``truth``: the golden file's
dict, ``_boilerplate`` included). Edits are string edits at offsets found by :mod:`tests.variations.page`,
so the rest of the page stays byte-identical. A family raises :class:`NotApplicable` when the page has
nothing it can vary (e.g. ``lazy_images`` on an AMP page without ``<img>``); a variant identical to the
page is never returned.

Derived truth. A variant's truth starts as the page's truth; it changes only where the variant changes
what the page shows, by these rules (the golden conventions of ``tests/mirror/README.md`` applied to the
changed page):

- ``bylines``: ``byline`` is the new visible byline as written (collapsed); on the 2012 layout, which has
  no byline element, the new reporter line at the end of the body is the byline. ``authors`` are the new
  people in byline order, e-mails from the new e-mail line (``null`` when the variant shows none; the 2023
  reporter box is removed because it would name the old reporter). ``agency``: the wire named by an agency
  byline (``By Yonhap``, ``Yonhap``), else the page's closing wire credit if it has one, else ``null``.
  The meta author and the JSON-LD ``author`` are rewritten to agree.
- ``dates``: the visible date texts are rewritten from the golden values, so ``published_at`` /
  ``updated_at`` stay; the ``no_updated`` variant removes the Updated text (and JSON-LD ``dateModified``):
  ``updated_at`` null (and on a legacy page that showed only an update, ``published_at`` the id's day).
- ``jsonld`` and ``meta_absent``: when a variant removes or breaks structured data, each field that can
  come from it is re-derived from what the page still has, and changed only if the result differs from
  what the same derivation gives on the original page: ``tags`` = valid JSON-LD ``keywords``, else meta
  keywords, else ``#tag`` links, else ``[]``; ``published_at`` / ``updated_at`` = JSON-LD
  ``datePublished`` / ``dateModified``, else the visible ``Published :`` / ``Updated :`` text, else null;
  ``agency`` = agency byline, else JSON-LD author naming a wire, else closing credit, else null;
  an author whose name the page no longer shows is dropped. A JSON-LD block that is not JSON (truncated,
  trailing comma) counts as absent; a raw newline inside a string is read, as lenient JSON readers do.
  A legacy page left showing no date at all is dated by its id's first eight digits
  (``YYYY-MM-DDT00:00:00+09:00``), the crawler's documented rule. Where the rule cannot decide, the variant is not made:
  a date would become null while the title area still shows an unlabelled date, or ``section`` /
  ``subsection`` would change (the page may show them in markup this suite does not read).
- ``credits``: images keep their url and caption; the credit is the credited name without brackets or
  ``Photo:`` / ``photo`` / ``/`` (``Yonhap``); a credit-only caption gives caption null. A photo added to a
  page without photos is added to ``images``.
- ``inserted_blocks``, ``share_promo_moved``, ``attributes_whitespace_comments``: the inserted texts (ads,
  related headlines, newsletter and share text, commented-out markup) are added to the boilerplate list.
- Every other family leaves the truth unchanged (same characters, same facts).
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime, timedelta, timezone
import html as htmllib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.variations.markup import Doc, Edits, Element, collapse, escape_attr, escape_text, squash
from tests.variations.page import (NATIVE_DATE_STYLE, GoldPage, PageModel, agency_name, caption_text, fmt_date,
                                   jsonld_nodes, kst)

GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
ROOT = "https://www.koreaherald.com"


class NotApplicable(Exception):
    """The family has nothing to vary on this page."""


@dataclass
class Variant:
    family: str
    name: str
    html: str | bytes
    content_type: str
    truth: dict[str, Any]  # golden format, body as a list
    boilerplate: list[str]
    page: str = ""  # GoldPage.key
    layout: str = ""
    notes: list[str] = field(default_factory=list)  # how the truth was derived, when it changed

    @property
    def id(self) -> str:
        return f"{self.page}|{self.family}/{self.name}"

    def body_bytes(self) -> bytes:
        return self.html if isinstance(self.html, bytes) else self.html.encode("utf-8")

    def text(self) -> str:
        """The variant's characters (for checks): bytes decoded by their real encoding."""
        if isinstance(self.html, str):
            return self.html
        data = self.html
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp949")


class Ctx:
    """One family applied to one page: the page, its model, the rng, and the variants made so far."""

    def __init__(self, family: str, html: str, truth: dict, layout: str, rng: random.Random):
        self.family = family
        self.html = html
        self.raw_truth = truth
        self.truth = {k: v for k, v in truth.items() if not k.startswith("_")}
        self.boilerplate = list(truth.get("_boilerplate", []))
        self.layout = layout
        self.rng = rng
        self.variants: list[Variant] = []
        self.m = PageModel(html, self.truth, layout)
        self.body_text = collapse(" ".join(self.truth["body"]))

    def model(self, html: str, truth: dict | None = None) -> PageModel:
        return PageModel(html, truth or self.truth, self.layout)

    def fresh_truth(self) -> dict:
        return copy.deepcopy(self.truth)

    def safe(self, strings) -> list[str]:
        """Boilerplate strings that the golden body does not itself contain."""
        out = []
        for s in strings:
            s = collapse(s)
            if s and s not in self.body_text and s not in out:
                out.append(s)
        return out

    def add(self, name: str, html: str | bytes, *, truth: dict | None = None, boilerplate=(),
            content_type: str = "text/html", notes=()) -> None:
        if html == self.html:
            return
        self.variants.append(Variant(self.family, name, html, content_type, truth or self.fresh_truth(),
                                     self.boilerplate + [b for b in self.safe(boilerplate)
                                                         if b not in self.boilerplate],
                                     layout=self.layout, notes=list(notes)))

    def pick(self, seq, k: int = 1):
        seq = list(seq)
        if not seq:
            return []
        return sorted(self.rng.sample(range(len(seq)), min(k, len(seq))))


Family = Callable[[str, dict, str, random.Random], list["Variant"]]
FAMILIES: dict[str, Family] = {}


def family(name: str):
    def register(fn):
        def run(html: str, truth: dict, layout: str, rng: random.Random) -> list[Variant]:
            ctx = Ctx(name, html, truth, layout, rng)
            fn(ctx)
            if not ctx.variants:
                raise NotApplicable(f"{name}: nothing to vary on this page")
            return ctx.variants

        run.__name__ = fn.__name__
        run.__doc__ = fn.__doc__
        FAMILIES[name] = run
        return run

    return register


def seed_for(page_key: str, family_name: str) -> random.Random:
    digest = hashlib.sha256(f"{page_key}|{family_name}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def generate(page: GoldPage, family_name: str) -> list[Variant]:
    variants = FAMILIES[family_name](page.html, {**page.truth, "_boilerplate": page.boilerplate}, page.layout,
                                     seed_for(page.key, family_name))
    for v in variants:
        v.page = page.key
    return variants


def generate_all(pages: list[GoldPage], families: list[str] | None = None):
    """(variants, not_applicable, errors): not_applicable and errors are "page|family: reason" lines."""
    variants, skipped, errors = [], [], []
    for page in pages:
        for name in families or list(FAMILIES):
            try:
                variants.extend(generate(page, name))
            except NotApplicable as exc:
                skipped.append(f"{page.key}|{name}: {exc}")
            except (LookupError, ValueError) as exc:
                errors.append(f"{page.key}|{name}: {type(exc).__name__}: {exc}")
    return variants, skipped, errors


# -- shared helpers ----------------------------------------------------------------------------------
INLINE = {"span", "a", "b", "strong", "em", "i", "u", "font", "small", "big", "sup", "sub", "label", "time", "cite",
          "abbr", "mark", "q", "s", "strike", "tt", "code", "img", "amp-img", "br"}
PARA_HOLDERS = {"p", "div", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"}


def block_tag(el: Element) -> bool:
    return el.name not in INLINE


def outer_html(html: str, el: Element) -> str:
    return html[el.start:el.end]


def start_tag(html: str, el: Element) -> str:
    return html[el.start:el.content_start]


def set_start_tag_name(html: str, el: Element, new: str) -> str:
    tag = start_tag(html, el)
    return "<" + new + tag[1 + len(el.name):]


def wrap(edits: Edits, start: int, end: int, open_: str, close: str) -> None:
    edits.insert(start, open_)
    edits.insert(end, close)


def gap_offsets(m: PageModel) -> list[int]:
    return [at for _, at in m.gap_positions()]


def insertion_points(ctx: Ctx, k: int, m: PageModel | None = None) -> list[int]:
    """k offsets between body paragraphs (spread over the text); the top of the body if there are none."""
    m = m or ctx.m
    gaps = gap_offsets(m)
    if not gaps:
        return [m.container_top]
    chosen = ctx.pick(gaps, k)
    return [gaps[i] for i in chosen]


def block(html: str) -> str:
    return "\n" + html + "\n"


def json_text(data: Any) -> str:
    return "\n" + json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/") + "\n"


def para_holder(m: PageModel, i: int) -> Element | None:
    """The innermost block element whose text is exactly paragraph i (with its closing credit, if last)."""
    s, e = m.paras[i]
    wanted = {squash(m.truth["body"][i])}
    if i == len(m.paras) - 1 and m.closing_credit:
        wanted.add(squash(m.truth["body"][i]) + m.doc.visible(m.closing_credit[0], m.closing_credit[1]))
    el = m.doc.element_containing(s, e)
    while el is not None and el is not m.container and el is not m.doc.root:
        text = m.doc.text_of(el)
        if text in wanted and el.name in PARA_HOLDERS:
            return el
        if len(text) > max(len(w) for w in wanted):
            return None
        el = el.parent
    return None


def para_span(m: PageModel, i: int) -> tuple[int, int]:
    """Raw span of paragraph i's text, with its closing credit if it is the last paragraph."""
    s, e = m.paras[i]
    if i == len(m.paras) - 1 and m.closing_credit:
        e = m.closing_credit[1]
    return s, e


# -- 1. wrappers -------------------------------------------------------------------------------------
def wrap_container(ctx: Ctx, html: str) -> str:
    m = ctx.model(html)
    c = m.container
    edits = Edits(html)
    wrap(edits, c.start, c.end, '<div class="article-wrap"><section class="article-section" data-role="content">',
         "</section></div>")
    return edits.apply()


def wrap_groups(ctx: Ctx, html: str) -> str:
    """Runs of consecutive paragraphs wrapped in div.paragraph-group (boundaries at the same depth)."""
    m = ctx.model(html)
    n = len(m.paras)
    doc = m.doc
    # Candidate boundaries before paragraph i / after paragraph j: clean offsets in the gaps.
    before = {}
    after = {}
    for i in range(n):
        lo = m.paras[i - 1][1] if i else m.container.content_start
        hi = m.paras[i][0]
        before[i] = [b for b in m.boundaries(lo, hi) if m.clean_boundary(b) and not doc.visible(b, hi).strip()]
        lo2 = para_span(m, i)[1]
        hi2 = m.paras[i + 1][0] if i + 1 < n else m.container.content_end
        after[i] = [b for b in m.boundaries(lo2, hi2) if m.clean_boundary(b) and not doc.visible(lo2, b).strip()]
    edits = Edits(html)
    made = 0
    i = 0
    size = max(2, n // 3)
    while i < n:
        j = min(n - 1, i + size - 1)
        done = False
        for jj in range(j, i - 1, -1):
            for b1 in before[i]:
                for b2 in after[jj]:
                    if b2 > b1 and doc.stack_at(b1) == doc.stack_at(b2):
                        wrap(edits, b1, b2, '\n<div class="paragraph-group">', "</div>\n")
                        made += 1
                        i = jj + 1
                        done = True
                        break
                if done:
                    break
            if done:
                break
        if not done:
            i += 1
    if not made:
        raise NotApplicable("no run of paragraphs can be wrapped without breaking the nesting")
    return edits.apply()


def wrap_header(ctx: Ctx, html: str) -> str:
    m = ctx.model(html)
    edits = Edits(html)
    done = set()

    def outer(el: Element, cls: str):
        if el is None or id(el) in done:
            return
        done.add(id(el))
        tag = "span" if el.name in INLINE or el.parent.name in ("p", "span", "a", "h1", "h2", "strong") else "div"
        wrap(edits, el.start, el.end, f'<{tag} class="{cls}">', f"</{tag}>")

    def inner(el: Element, cls: str):
        if el is None:
            return
        wrap(edits, el.content_start, el.content_end, f'<span class="{cls}">', "</span>")

    outer(m.title_el, "headline-wrap")
    inner(m.title_el, "headline-text")
    if m.subtitle_el is not None:
        outer(m.subtitle_el, "subheadline-wrap")
    if m.header_byline is not None:
        outer(m.header_byline, "byline-wrap")
        inner(m.header_byline, "byline-text")
    holders = []
    for d in m.dates:
        el = m.doc.element_containing(d.start, d.end)
        if el not in holders and el is not m.header_byline:
            holders.append(el)
    for el in holders:
        if el.name in ("body", "div") and len(m.doc.text_of(el)) > 120:
            continue
        outer(el, "date-wrap")
    return edits.apply()


@family("wrappers")
def wrappers(ctx: Ctx) -> None:
    """Extra div/section/span wrappers around the container, paragraph runs and title-area elements."""
    ctx.add("container", wrap_container(ctx, ctx.html))
    try:
        ctx.add("paragraph_groups", wrap_groups(ctx, ctx.html))
    except NotApplicable:
        pass
    ctx.add("header_elements", wrap_header(ctx, ctx.html))
    html = wrap_header(ctx, wrap_container(ctx, ctx.html))
    try:
        html = wrap_groups(ctx, html)
    except NotApplicable:
        pass
    ctx.add("all", html)


# -- 2. class modifiers ------------------------------------------------------------------------------
UTILITY = ["mt-2", "mb-4", "px-3", "text-lg", "d-flex", "clearfix", "col-12", "font-serif", "lh-base", "w-100"]


def rewrite_classes(ctx: Ctx, fn: Callable[[list[str], str], list[str] | None], add_missing: bool = False) -> str:
    m = ctx.m
    edits = Edits(ctx.html)
    for el in m.doc.elements:
        if el.start < m.body.start or el.token is None:
            continue
        attr = next((a for a in el.token.attrs if a.name == "class"), None)
        if attr is not None:
            new = fn(attr.value.split(), el.name)
            if new is not None:
                edits.replace(attr.start, attr.end, f'class="{escape_attr(" ".join(new))}"')
        elif add_missing and el.name in ("p", "div", "h1", "h2", "span", "figure", "section", "table", "ul"):
            new = fn([], el.name)
            if new:
                edits.insert(el.start + 1 + len(el.name), f' class="{escape_attr(" ".join(new))}"')
    return edits.apply()


@family("class_modifiers")
def class_modifiers(ctx: Ctx) -> None:
    """Class tokens added (BEM modifiers, state, js-* hooks, utility classes) and token order changed."""
    rng = ctx.rng

    def bem(tokens, _):
        if not tokens:
            return None
        out = []
        for t in tokens:
            out.append(t)
            mod = rng.choice(["--large", "--v2", "--featured", "--dark", "__inner"])
            out.append(t + mod if not t.endswith(mod) else t)
        return out

    def state(tokens, name):
        extra = [rng.choice(["is-active", "is-visible", "is-loaded"]), "js-" + (tokens[0] if tokens else name)]
        extra += rng.sample(UTILITY, 2)
        return tokens + extra

    def reorder(tokens, _):
        if not tokens:
            return None
        out = tokens + rng.sample(UTILITY, 1) + ["js-track"]
        rng.shuffle(out)
        if out == tokens:
            out = list(reversed(out))
        return out

    ctx.add("bem_modifiers", rewrite_classes(ctx, bem))
    ctx.add("state_js_utility", rewrite_classes(ctx, state, add_missing=True))
    ctx.add("reordered", rewrite_classes(ctx, reorder))


# -- 3. attributes, whitespace, comments -------------------------------------------------------------
def rebuild_tag(html: str, el: Element, rng: random.Random, *, upper: bool = False, newlines: bool = False,
                reorder: bool = True, requote: bool = True) -> str:
    tok = el.token
    raw_name = html[el.start + 1:el.start + 1 + len(el.name)]
    name = raw_name.upper() if upper else raw_name
    parts = []
    for a in (reversed(tok.attrs) if reorder else tok.attrs):
        aname = a.name.upper() if upper else html[a.start:a.start + len(a.name)]
        if a.raw_value is None:
            parts.append(aname)
            continue
        if not requote:
            parts.append(f"{aname}={a.raw_value}")
            continue
        inner = a.raw_value[1:-1] if a.raw_value[:1] in "\"'" else a.raw_value
        if re.fullmatch(r"[A-Za-z0-9_.:-]+", inner) and rng.random() < 0.5:
            parts.append(f"{aname}={inner}")
        elif "'" not in inner and rng.random() < 0.7:
            parts.append(f"{aname}='{inner}'")
        else:
            parts.append(f'{aname}="{inner}"' if '"' not in inner else f"{aname}='{inner}'")
    sep = "\n      " if newlines else " "
    close = " />" if tok.self_closing else ">"
    return "<" + name + "".join(sep + p for p in parts) + ("\n" if newlines and parts else "") + close


def upper_end_tags(html: str, doc: Doc, edits: Edits, start: int) -> None:
    for tok in doc.tokens:
        if tok.kind == "end" and tok.start >= start:
            edits.replace(tok.start, tok.end, "</" + tok.name.upper() + ">")


SAFE_WS_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "li", "ul", "ol", "table", "tr", "td", "section", "article",
                 "figure", "figcaption", "header", "footer", "main", "aside", "nav", "blockquote", "br"}


@family("attributes_whitespace_comments")
def attributes_whitespace_comments(ctx: Ctx) -> None:
    """Attribute order and quoting, upper-case markup, whitespace and comments between and inside tags."""
    m, html, rng = ctx.m, ctx.html, ctx.rng
    doc = m.doc
    by_token = {id(e.token): e for e in doc.elements if e.token is not None}
    # a) attribute order reversed, quoting changed (double, single, none).
    edits = Edits(html)
    for el in doc.elements:
        if el.token is not None and el.token.attrs:
            edits.replace(el.start, el.token.end, rebuild_tag(html, el, rng))
    ctx.add("attributes", edits.apply())
    # b) upper-case tag and attribute names in the body (old CMS templates).
    edits = Edits(html)
    for el in doc.elements:
        if el.start >= m.body.start and el.token is not None:
            edits.replace(el.start, el.token.end, rebuild_tag(html, el, rng, upper=True, reorder=False,
                                                              requote=False))
    upper_end_tags(html, doc, edits, m.body.start)
    ctx.add("upper_case", edits.apply())
    # c) whitespace: newlines between attributes, indentation between block tags, padding inside blocks,
    #    runs of spaces / tabs / newlines where the text already has a space.
    edits = Edits(html)
    for k, tok in enumerate(doc.tokens):
        if tok.start < m.body.start:
            continue
        if tok.kind == "start" and tok.name in SAFE_WS_BLOCK and tok.attrs and rng.random() < 0.5:
            edits.replace(tok.start, tok.end, rebuild_tag(html, by_token[id(tok)], rng, newlines=True,
                                                          reorder=False, requote=False))
            edits.insert(tok.end, "\n    ")
        elif tok.kind in ("start", "end") and tok.name in SAFE_WS_BLOCK:
            edits.insert(tok.end, rng.choice(["\n", "\n\t\t", "\n    \n  ", "  "]))
        elif tok.kind == "text":
            names = {e.name for e in doc.stack_after[k]}
            if names & {"script", "style", "pre", "textarea", "title"}:
                continue
            raw = html[tok.start:tok.end]
            for sm in re.finditer(r"(?<=\S) (?=\S)", raw):
                if rng.random() < 0.15:
                    edits.replace(tok.start + sm.start(), tok.start + sm.end(),
                                  rng.choice(["  ", " \n ", "\t", "\n", " \r\n "]))
    ctx.add("whitespace", edits.apply())
    # d) comments: between paragraphs, inside the headline and paragraphs, commented-out markup.
    edits = Edits(html)
    for at in gap_offsets(m):
        edits.insert(at, rng.choice(["<!-- google_ad_section_start -->", "<!--//본문 끝-->", "<!-- /.paragraph -->",
                                     "<!---->"]))
    if m.title_el is not None:
        edits.insert(m.title_el.content_start, "<!-- headline -->")
        edits.insert(m.title_el.content_end, "<!-- /headline -->")
    for s, e in m.paras:
        options = []
        for tok in doc.tokens:
            if tok.kind != "text" or tok.end <= s or tok.start >= e:
                continue
            raw = html[tok.start:tok.end]
            options += [tok.start + sm.end() for sm in re.finditer(r"(?<=[a-z,]) (?=[a-z])", raw)
                        if s <= tok.start + sm.end() <= e]
        if options:
            edits.insert(options[len(options) // 2], "<!-- tts:pause -->")
    hidden = "Old related story headline that must stay hidden"
    warning = "Please upgrade your browser to view this article"
    edits.insert(m.container_top, block(f'<!-- <div class="related_old"><p>{hidden}</p></div> -->'))
    edits.insert(m.container_end, block(f'<!--[if lt IE 9]><p class="browser-warning">{warning}</p><![endif]-->'))
    ctx.add("comments", edits.apply(), boilerplate=[hidden, warning])


# -- 4. paragraph forms ------------------------------------------------------------------------------
def _strip_tags(raw: str) -> str:
    return re.sub(r"<[^>]*>", "", raw)


def balanced(doc: Doc, s: int, e: int) -> bool:
    """Do the tags inside the raw span [s, e) nest within it (so it can be wrapped in an element)?"""
    if doc.stack_at(s) != doc.stack_at(e):
        return False
    for el in doc.elements:
        if s <= el.start < e and el.end > e:
            return False
        if el.start < s and el.explicit_end and s < el.content_end < e:
            return False
    return True


def to_elements(ctx: Ctx, tag: str) -> str:
    """Every body paragraph as its own <tag> element; <br>-separated text wrapped, <br> separators dropped."""
    m, html = ctx.m, ctx.html
    doc = m.doc
    edits = Edits(html)
    multi = set()
    bare = []
    for i in range(len(m.paras)):
        holder = para_holder(m, i)
        if holder is not None:
            if holder.name in ("p", "div") and holder.name != tag:
                edits.replace(holder.start, holder.content_start, set_start_tag_name(html, holder, tag))
                if holder.explicit_end:
                    edits.replace(holder.content_end, holder.end, f"</{tag}>")
                else:
                    edits.insert(holder.content_end, f"</{tag}>")
            continue
        s, e = para_span(m, i)
        bare.append(i)
        for anc in doc.stack_at(s):
            if anc.name == "p" and anc is not m.container:
                multi.add(anc)
        inner = html[s:e] if balanced(doc, s, e) else _strip_tags(html[s:e])
        edits.replace(s, e, f"<{tag}>{inner}</{tag}>")
    for p in multi:
        edits.replace(p.start, p.content_start, set_start_tag_name(html, p, "div"))
        if p.explicit_end:
            edits.replace(p.content_end, p.end, "</div>")
    # <br> separators right after a wrapped paragraph are no longer needed.
    for i in bare:
        e = para_span(m, i)[1]
        nxt = m.paras[i + 1][0] if i + 1 < len(m.paras) else m.container.content_end
        for tok in doc.tokens:
            if tok.start < e or tok.start >= nxt:
                continue
            if doc.visible(e, tok.start):
                break
            if tok.kind == "start" and tok.name == "br":
                edits.delete(tok.start, tok.end)
            elif tok.kind == "end" and tok.name == "br":
                edits.delete(tok.start, tok.end)
    return edits.apply()


def to_breaks(ctx: Ctx, sep: str) -> str:
    """Body paragraphs as text separated by ``sep`` (<br><br> or a single <br>) in their container."""
    m, html = ctx.m, ctx.html
    doc = m.doc
    edits = Edits(html)
    lists_done = set()
    for i in range(len(m.paras)):
        holder = para_holder(m, i)
        if holder is None:
            s, e = para_span(m, i)
            # Make sure a separator follows (glued sentences get one; existing runs are normalised).
            nxt = m.paras[i + 1][0] if i + 1 < len(m.paras) else None
            if nxt is not None:
                run = [t for t in doc.tokens if e <= t.start < nxt]
                brs = [t for t in run if t.name == "br" and t.kind in ("start", "end")
                       and not doc.visible(e, t.start)]
                if not brs and not any(t.kind in ("start", "end") and t.name not in INLINE for t in run):
                    edits.insert(e, sep)
                elif brs:
                    for t in brs:
                        edits.delete(t.start, t.end)
                    edits.insert(brs[0].start, sep)
            continue
        name = holder.name
        open_, close = ("<b>", "</b>") if name in ("h2", "h3", "h4", "h5", "h6") else ("", "")
        edits.replace(holder.start, holder.content_start, open_)
        if holder.explicit_end:
            edits.replace(holder.content_end, holder.end, close + sep)
        else:
            edits.insert(holder.content_end, close + sep)
        if name == "li" and holder.parent is not None and holder.parent.name in ("ul", "ol"):
            lst = holder.parent
            if id(lst) not in lists_done:
                lists_done.add(id(lst))
                edits.delete(lst.start, lst.content_start)
                if lst.explicit_end:
                    edits.delete(lst.content_end, lst.end)
    return edits.apply()


@family("paragraph_forms")
def paragraph_forms(ctx: Ctx) -> None:
    """Body paragraphs as <p>, as <div>, or as text separated by <br><br> / a single <br>."""
    ctx.add("as_p", to_elements(ctx, "p"))
    ctx.add("as_div", to_elements(ctx, "div"))
    ctx.add("as_br_br", to_breaks(ctx, "<br /><br />\n"))
    ctx.add("as_single_br", to_breaks(ctx, "<br>\n"))


# -- 5. inserted blocks ------------------------------------------------------------------------------
HEADLINES = [
    "Seoul to expand free breakfast program at universities", "Kospi closes higher on chip rally",
    "Heavy snow grounds flights at Jeju airport", "Parliament passes revised labor bill",
    "Hyundai unveils hydrogen truck for European market", "Busan film festival names new director",
    "Coast guard rescues 12 from capsized fishing boat", "Bank of Korea holds rate steady",
    "New subway line to link Gimpo and Gangnam", "Korean pianist wins top prize in Warsaw",
    "Government unveils plan to curb rural depopulation", "Ex-minister questioned over land deal",
    "K-pop agency shares tumble after contract dispute", "Seoul museum returns looted relic to Mongolia",
    "Exporters brace for weaker yen", "Fine dust warning issued for capital region",
    "Startup raises 40 bln won for battery recycling", "Coach resigns after Asian Cup exit",
    "Police crack down on illegal street racing", "Court upholds ban on cross-border leaflets",
    "Retail sales post sharpest fall in a decade", "Defense ministry to buy more surveillance drones",
    "Festival of lanterns lights up Cheonggyecheon", "Tenants rally against rising jeonse deposits",
]


def related_urls(ctx: Ctx, n: int) -> list[str]:
    rng = ctx.rng
    aid = str(ctx.truth.get("article_id") or "")
    out = []
    for _ in range(n):
        if ctx.layout == "cms" and aid.isdigit():
            url = f"/article/{int(aid) - rng.randint(100, 9000)}"
        else:
            day = aid[:8] if len(aid) >= 8 and aid[:8].isdigit() else "20200101"
            url = f"/view.php?ud={day}{rng.randint(100, 999999):06d}"
        out.append(ROOT + url if rng.random() < 0.5 else url)
    return out


def headlines(ctx: Ctx, n: int) -> list[str]:
    pool = [h for h in HEADLINES if h not in ctx.body_text]
    return ctx.rng.sample(pool, n)


def ad_blocks(ctx: Ctx) -> tuple[list[str], list[str]]:
    slot = ctx.rng.randint(1000000, 9999999)
    gpt = (f'<div class="ad-slot ad-inarticle" data-ad-unit="/21234567/kh_article_{slot}">'
           f'<span class="ad-label">Advertisement</span>'
           f'<div id="div-gpt-ad-{slot}-0" style="min-width:300px;min-height:250px;">'
           f"<script>googletag.cmd.push(function() {{ googletag.display('div-gpt-ad-{slot}-0'); }});</script>"
           f"</div></div>")
    ins = ('<ins class="adsbygoogle" style="display:block; text-align:center;" data-ad-layout="in-article" '
           'data-ad-format="fluid" data-ad-client="ca-pub-3141592653589793" data-ad-slot="2718281828"></ins>\n'
           "<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>")
    label = '<div class="ad_label" style="font-size:11px;color:#999">ADVERTISEMENT</div>' + ins
    return [gpt, label], ["Advertisement", "ADVERTISEMENT"]


def related_block(ctx: Ctx) -> tuple[str, list[str]]:
    heads = headlines(ctx, 3)
    urls = related_urls(ctx, 3)
    items = "".join(f'<li><a href="{u}">{escape_text(h)}</a></li>' for u, h in zip(urls, heads))
    return (f'<div class="related-articles"><h4 class="related-title">Related articles</h4><ul>{items}</ul></div>',
            ["Related articles"] + heads)


def newsletter_block(ctx: Ctx) -> tuple[str, list[str]]:
    texts = ["Get The Korea Herald's morning briefing", "The day's top stories from Korea, in your inbox",
             "Subscribe to our newsletter"]
    html = (f'<aside class="newsletter-box"><p class="newsletter-title"><strong>{texts[0]}</strong></p>'
            f"<p>{texts[1]}</p>"
            '<form action="/newsletter/subscribe" method="post"><input type="email" name="email" '
            f'placeholder="Your e-mail address"><button type="submit">{texts[2]}</button></form></aside>')
    return html, texts


def read_more_blocks(ctx: Ctx, n: int) -> tuple[list[str], list[str]]:
    heads = headlines(ctx, n)
    urls = related_urls(ctx, n)
    forms = [lambda u, h: f'<p class="read-more"><strong>Read more:</strong> <a href="{u}">{escape_text(h)}</a></p>',
             lambda u, h: f'<p><a href="{u}" target="_blank">&#9654; {escape_text(h)}</a></p>',
             lambda u, h: f'<div class="read_more"><a href="{u}">[Related] {escape_text(h)}</a></div>']
    out = [ctx.rng.choice(forms)(u, h) for u, h in zip(urls, heads)]
    return out, heads + ["Read more:", "[Related]"]


@family("inserted_blocks")
def inserted_blocks(ctx: Ctx) -> None:
    """Ads, related-article lists, newsletter boxes and read-more links between body paragraphs."""
    def place(name: str, blocks: list[str], bp: list[str]) -> None:
        points = insertion_points(ctx, len(blocks))
        edits = Edits(ctx.html)
        for k, b in enumerate(blocks):
            edits.insert(points[k % len(points)], block(b))
        ctx.add(name, edits.apply(), boilerplate=bp)

    ads, ad_bp = ad_blocks(ctx)
    place("ads", ads, ad_bp)
    rel, rel_bp = related_block(ctx)
    place("related", [rel], rel_bp)
    news, news_bp = newsletter_block(ctx)
    place("newsletter", [news], news_bp)
    more, more_bp = read_more_blocks(ctx, 2)
    place("read_more", more, more_bp)
    place("mixed", [ads[0], rel, news, more[0]], ad_bp + rel_bp + news_bp + more_bp)


# -- 6. lazy images ----------------------------------------------------------------------------------
LAZY_ATTRS = ("src", "class", "data-src", "data-original", "data-lazy-src", "srcset", "data-srcset", "loading")


def lazy_edit(html: str, el: Element, form: str, real: str) -> str:
    """The <img> start tag rewritten by a lazy-loading script's conventions (``real``: the photo's URL)."""
    tok = el.token
    parts = [html[a.start:a.end] for a in tok.attrs if a.name not in LAZY_ATTRS]
    classes = tok.classes()
    real_q = escape_attr(real)
    if form == "data-src":
        head = [f'src="{GIF}"', f'data-src="{real_q}"']
        classes.append("lazyload")
    elif form == "data-original":
        head = ['src="/images/blank.gif"', f'data-original="{real_q}"']
        classes.append("lazy")
    elif form == "data-lazy-src":
        head = [f'src="{GIF}"', f'data-lazy-src="{real_q}"']
        classes.append("lazy-loaded")
    elif form == "srcset":
        head = [f'src="{GIF}"', f'srcset="{real_q} 1x"']
    elif form == "no-src":
        head = [f'data-src="{real_q}"']
        classes.append("lazyload")
    elif form == "noscript":
        head = [f'src="{GIF}"', f'data-src="{real_q}"']
        classes.append("js-lazy")
    else:
        raise ValueError(form)
    if classes:
        head.append(f'class="{" ".join(classes)}"')
    close = " />" if tok.self_closing else ">"
    new = "<img " + " ".join(head + parts) + close
    if form == "noscript":
        new += f'<noscript><img src="{real_q}"' + "".join(" " + p for p in parts) + close + "</noscript>"
    return new


@family("lazy_images")
def lazy_images(ctx: Ctx) -> None:
    """Every <img> lazy-loaded: placeholder src, real URL in data-src / data-original / data-lazy-src /
    srcset, no src at all, or a <noscript><img src=real></noscript> fallback."""
    m = ctx.m
    real = {id(p.img): ctx.truth["images"][p.index]["url"] for p in m.photos}
    imgs = []
    for el in m.doc.elements:
        if el.name != "img" or el.start < m.body.start or any(a.name == "noscript" for a in el.ancestors()):
            continue
        url = real.get(id(el)) or el.attr("src")
        if url and not url.startswith("data:"):
            imgs.append((el, url))
    if not imgs:
        raise NotApplicable("no <img> in the page (AMP pages use amp-img)")
    for form in ("data-src", "data-original", "data-lazy-src", "srcset", "no-src", "noscript"):
        edits = Edits(ctx.html)
        for el, url in imgs:
            edits.replace(el.start, el.token.end, lazy_edit(ctx.html, el, form, url))
        ctx.add(form.replace("-", "_"), edits.apply())


# -- truth derivation from what a page shows ---------------------------------------------------------
def clean_tags(values) -> list[str]:
    out = []
    for v in values:
        v = collapse(htmllib.unescape(str(v)))
        if v and v not in out:
            out.append(v)
    return out


def keywords_of(value) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, list):
        items = []
        for v in value:
            items.extend(str(v).split(",") if isinstance(v, str) else [str(v)])
        return clean_tags(items)
    return clean_tags(str(value).split(","))


def jsonld_date(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    v = value.strip().replace("Z", "+00:00")
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone(timedelta(hours=9)))
    return kst(t.isoformat()).isoformat()


def jsonld_authors(node: dict) -> list[tuple[str, str]]:
    """(type, name) of each JSON-LD author."""
    value = node.get("author")
    items = value if isinstance(value, list) else [value] if value is not None else []
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(("Person", htmllib.unescape(item)))
        elif isinstance(item, dict) and item.get("name"):
            t = item.get("@type")
            out.append((t if isinstance(t, str) else "Person", htmllib.unescape(str(item["name"]))))
    return out


def breadcrumb_of(m: PageModel) -> list[str]:
    for block in m.jsonld:
        for node in jsonld_nodes(block.data):
            if node.get("@type") == "BreadcrumbList":
                items = sorted(node.get("itemListElement") or [], key=lambda x: x.get("position", 0))
                names = [htmllib.unescape(str(i.get("name") or (i.get("item") or {}).get("name", "")))
                         for i in items if isinstance(i, dict)]
                return [n for n in names if n]
    return []


def derive(m: PageModel) -> dict[str, Any]:
    """The fields structured data can supply, by the golden conventions, from this page as it is."""
    art = m.news_article()
    node = art[1] if art else {}
    out: dict[str, Any] = {}
    kw = keywords_of(node.get("keywords")) if "keywords" in node else None
    if kw is None:
        meta = m.meta("keywords")
        kw = keywords_of(meta[0].attr("content")) if meta else None
    if kw is None:
        kw = clean_tags(m.tag_links())
    out["tags"] = kw
    visible = {d.label: d.value for d in m.dates}
    out["published_at"] = jsonld_date(node.get("datePublished")) or visible.get("Published")
    out["updated_at"] = jsonld_date(node.get("dateModified")) or visible.get("Updated")
    header = m.header_byline
    byline_text = collapse(m.doc.spaced_text(header.content_start, header.content_end)) if header else None
    agency = agency_name(byline_text) if byline_text else None
    if agency is None:
        for kind, name in jsonld_authors(node):
            if agency_name(name):
                agency = agency_name(name)
                break
    if agency is None and m.closing_credit:
        agency = m.closing_credit[2]
    out["agency"] = agency
    crumbs = m.visible_breadcrumb()
    if not crumbs:
        section = node.get("articleSection")
        crumbs = breadcrumb_of(m) or ([htmllib.unescape(str(x)) for x in section] if isinstance(section, list)
                                      else [htmllib.unescape(str(section))] if section else [])
    out["section"] = crumbs[0] if crumbs else None
    out["subsection"] = crumbs[1] if len(crumbs) > 1 else None
    out["authors"] = [a["name"] for a in m.truth["authors"] if squash(a["name"]) in m.doc.text]
    return out


_BARE_DATE = re.compile(r"(\d{4}[-.]\d{2}[-.]\d{2}\d{2}:\d{2}|[A-Z][a-z]{2,8}\.?\d{1,2},\d{4}-?\d{2}:\d{2})")


def unlabelled_dates(m: PageModel) -> bool:
    d = m.doc
    lo, hi = d.char_index(m.header_region[0]), d.char_index(m.header_region[1])
    labelled = [(d.char_index(x.start), d.char_index(x.end)) for x in m.dates]
    for mm in _BARE_DATE.finditer(d.text, lo, hi):
        if not any(a <= mm.start() < b for a, b in labelled):
            return True
    return any(el.start < m.container.start for el in d.find_elements("time") if el.attr("datetime"))


def date_by_id(truth: dict[str, Any]) -> list[str]:
    """The crawler's documented rule for a legacy page showing no date at all: the publication day is the
    id's first eight digits. Applied to a derived truth; returns the note it makes."""
    article_id = truth["article_id"]
    if truth["published_at"] is None and truth["updated_at"] is None and len(article_id) == 14:
        truth["published_at"] = f"{article_id[:4]}-{article_id[4:6]}-{article_id[6:8]}T00:00:00+09:00"
        return [f"published_at -> {truth['published_at']} (no date shown: the id's day)"]
    return []


def rederive(ctx: Ctx, html: str) -> tuple[dict, list[str]]:
    """The truth for a variant that removed or broke structured data (rule in the module docstring)."""
    before = derive(ctx.m)
    after_model = ctx.model(html)
    after = derive(after_model)
    for key in ("section", "subsection"):
        if after[key] != before[key]:
            raise NotApplicable(f"{key}: the page may show it in markup this suite does not read; truth undecidable")
    for key in ("published_at", "updated_at"):
        if before[key] and not after[key] and unlabelled_dates(after_model):
            raise NotApplicable(f"{key}: the page still shows a date without a label; truth undecidable")
    truth = ctx.fresh_truth()
    notes = []
    for key in ("tags", "published_at", "updated_at", "agency", "section", "subsection"):
        if after[key] != before[key]:
            notes.append(f"{key}: {truth[key]!r} -> {after[key]!r}")
            truth[key] = after[key]
    if after["authors"] != before["authors"]:
        kept = [a for a in truth["authors"] if a["name"] in after["authors"]]
        notes.append(f"authors: {[a['name'] for a in truth['authors']]} -> {[a['name'] for a in kept]}")
        truth["authors"] = kept
    notes += date_by_id(truth)
    return truth, notes


# -- 7. JSON-LD ----------------------------------------------------------------------------------------
def replace_block(html: str, block_, text: str) -> str:
    edits = Edits(html)
    edits.replace(block_.start, block_.end, text)
    return edits.apply()


def remove_elements(html: str, elements: list[Element]) -> str:
    edits = Edits(html)
    for el in elements:
        start = el.start
        # Take the line's indentation and newline with it.
        while start > 0 and html[start - 1] in " \t":
            start -= 1
        end = el.end
        if html[end:end + 1] == "\n":
            end += 1
        edits.delete(start, end)
    return edits.apply()


def page_jsonld(ctx: Ctx) -> dict:
    """A NewsArticle node that says what the page shows (for pages without JSON-LD)."""
    t = ctx.truth
    node: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle",
                            "mainEntityOfPage": {"@type": "WebPage", "@id": t["canonical_url"] or t["url"]},
                            "headline": t["title"]}
    if t["published_at"]:
        node["datePublished"] = t["published_at"]
    if t["updated_at"]:
        node["dateModified"] = t["updated_at"]
    authors = [{"@type": "Person", "name": a["name"]} for a in t["authors"]]
    if t["agency"]:
        authors.append({"@type": "Organization", "name": t["agency"]})
    if authors:
        node["author"] = authors if len(authors) > 1 else authors[0]
    node["publisher"] = {"@type": "Organization", "name": "The Korea Herald"}
    if t["section"]:
        node["articleSection"] = t["section"]
    if t["images"]:
        node["image"] = [{"@type": "ImageObject", "url": i["url"]} for i in t["images"]]
    return node


def head_insert_point(m: PageModel) -> int:
    head = m.doc.first("head")
    if head is not None:
        return head.content_end
    return m.body.start


@family("jsonld")
def jsonld(ctx: Ctx) -> None:
    """JSON-LD absent, malformed (truncated, trailing comma, raw newline), partial, or moved (head <-> body,
    @graph, top-level list). Lost information changes the truth (rule in the module docstring)."""
    m, html, rng = ctx.m, ctx.html, ctx.rng
    found = m.news_article()
    if found is None:
        # Pages without JSON-LD: add blocks a CMS migration adds. They agree with the page, so the truth
        # stays; a broken one must simply be ignored.
        node = page_jsonld(ctx)
        at = head_insert_point(m)
        script = '<script type="application/ld+json">{}</script>\n'
        for name, text in (("added_valid", json_text(node)),
                           ("added_truncated", json_text(node)[: len(json_text(node)) * 2 // 3]),
                           ("added_other_types", json_text([
                               {"@context": "https://schema.org", "@type": "WebSite", "name": "The Korea Herald",
                                "url": ROOT + "/"},
                               {"@context": "https://schema.org", "@type": "Organization",
                                "name": "The Korea Herald", "logo": ROOT + "/images/logo.png"}]))):
            edits = Edits(html)
            edits.insert(at, script.format(text))
            new_html = edits.apply()
            try:
                truth, notes = rederive(ctx, new_html)
            except NotApplicable:
                continue
            ctx.add(name, new_html, truth=truth, notes=notes)
        return
    block_, node = found
    data = block_.data
    raw = html[block_.start:block_.end]
    scripts = [b.element for b in m.jsonld]

    def add_derived(name: str, new_html: str) -> None:
        try:
            truth, notes = rederive(ctx, new_html)
        except NotApplicable:
            return
        ctx.add(name, new_html, truth=truth, notes=notes)

    add_derived("absent", remove_elements(html, scripts))
    # Malformed: the article block stops being JSON.
    cut = raw[: max(20, int(len(raw) * rng.uniform(0.45, 0.7)))]
    add_derived("truncated", replace_block(html, block_, cut))
    last = raw.rstrip()
    k = last.rfind("}")
    if k > 0:
        body_end = last[:k].rstrip()
        add_derived("trailing_comma", replace_block(html, block_, body_end + ",\n" + last[k:] + raw[len(last):]))
    text_key = next((key for key in ("description", "headline") if isinstance(node.get(key), str)
                     and " " in node[key]), None)
    if text_key:
        value = json.dumps(node[text_key], ensure_ascii=False)[1:-1]
        pos = raw.find(value)
        if pos >= 0:
            space = value.find(" ", len(value) // 2)
            broken = raw[:pos] + value[:space] + "\n" + value[space + 1:] + raw[pos + len(value):]
            add_derived("raw_newline", replace_block(html, block_, broken))
    # Partial: only some keys.
    core = {k: v for k, v in node.items() if k in ("@context", "@type", "headline", "datePublished", "@id")}
    core.setdefault("@context", "https://schema.org")
    add_derived("partial_core", replace_block(html, block_, json_text(core) if node is data
                                              else json_text(replace_node(data, node, core))))
    nodates = {k: v for k, v in node.items() if k not in ("datePublished", "dateModified", "keywords")}
    add_derived("partial_no_dates_keywords", replace_block(html, block_, json_text(replace_node(data, node, nodates))))
    # Moved: to the end of <body>; into a @graph; as a top-level list with the other blocks.
    body_close = m.body.content_end
    edits = Edits(html)
    for el in scripts:
        edits.delete(el.start, el.end)
        edits.insert(body_close, html[el.start:el.end] + "\n")
    add_derived("moved_to_body", edits.apply())
    others = [b.data for b in m.jsonld if b is not block_ and b.data is not None]
    article = {k: v for k, v in node.items() if k != "@context"}
    if "@graph" not in (data if isinstance(data, dict) else {}):
        graph = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "@id": ctx.truth["url"], "url": ctx.truth["url"], "name": ctx.truth["title"]},
            article] + [{k: v for k, v in o.items() if k != "@context"} for o in others if isinstance(o, dict)]}
        edits = Edits(html)
        edits.replace(block_.start, block_.end, json_text(graph))
        for b in m.jsonld:
            if b is not block_:
                edits.delete(b.element.start, b.element.end)
        add_derived("graph", edits.apply())
    listed = [node if "@context" in node else {"@context": "https://schema.org", **node}] + others
    edits = Edits(html)
    edits.replace(block_.start, block_.end, json_text(listed))
    for b in m.jsonld:
        if b is not block_:
            edits.delete(b.element.start, b.element.end)
    add_derived("top_level_list", edits.apply())


def replace_node(data: Any, old: dict, new: dict) -> Any:
    if data is old:
        return new
    if isinstance(data, list):
        return [replace_node(x, old, new) for x in data]
    if isinstance(data, dict):
        return {k: replace_node(v, old, new) for k, v in data.items()}
    return data


# -- 8. meta tags absent -----------------------------------------------------------------------------
@family("meta_absent")
def meta_absent(ctx: Ctx) -> None:
    """og:*, author, description, keywords, article:* meta tags removed; lost information changes the
    truth (rule in the module docstring)."""
    m = ctx.m

    def metas(pred) -> list[Element]:
        out = []
        for el in m.doc.find_elements("meta"):
            key = (el.attr("property") or el.attr("name") or "").lower()
            if key and pred(key):
                out.append(el)
        return out

    groups = {
        "og_absent": lambda k: k.startswith("og:"),
        "author_description_absent": lambda k: k in ("author", "description"),
        "keywords_absent": lambda k: k in ("keywords", "news_keywords"),
        "all_absent": lambda k: k.startswith(("og:", "twitter:", "article:")) or k in (
            "author", "description", "keywords", "news_keywords"),
    }
    for name, pred in groups.items():
        found = metas(pred)
        if not found:
            continue
        new_html = remove_elements(ctx.html, found)
        try:
            truth, notes = rederive(ctx, new_html)
        except NotApplicable:
            continue
        ctx.add(name, new_html, truth=truth, notes=notes)


# -- 9. bylines --------------------------------------------------------------------------------------
PEOPLE = ["Kim Min-ji", "Park Jun-ho", "Lee Ha-eun", "Choi Woo-jin", "Jung Seo-yeon", "Kang Tae-min",
          "Yoon Ji-hye", "Han Sung-woo", "Lim Da-eun", "Song Hyun-jae", "Baek Na-rae", "Oh Jae-won"]


@dataclass
class Byline:
    name: str
    people: list[tuple[str, str]]  # (name, e-mail)
    agency: str | None
    header: str  # visible byline text
    header_emails: bool  # the header itself shows the e-mails
    title: str | None = None  # "Korea Herald correspondent"


def joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + " and " + names[-1]


def email_for(name: str) -> str:
    return name.split(" ", 1)[1].replace("-", "").lower() + "@heraldcorp.com"


def byline_specs(ctx: Ctx) -> list[Byline]:
    pool = [n for n in PEOPLE if squash(n) not in ctx.m.doc.text]
    ctx.rng.shuffle(pool)
    p = [(n, email_for(n)) for n in pool[:3]]
    agency = ctx.m.closing_credit[2] if ctx.m.closing_credit else "Yonhap"
    specs = [
        Byline("email_parens", p[:1], None, f"By {p[0][0]} ({p[0][1]})", True),
        Byline("two_and", p[:2], None, f"By {joined([n for n, _ in p[:2]])}", False),
        Byline("three_list", p[:3], None, f"By {joined([n for n, _ in p[:3]])}", False),
        Byline("agency_by", [], agency, f"By {agency}", False),
        Byline("correspondent", p[:1], None, f"By {p[0][0]}, Korea Herald correspondent", False,
               "Korea Herald correspondent"),
    ]
    if ctx.layout != "2012":
        specs.append(Byline("agency_bare", [], agency, agency, False))
    return specs


def email_line(spec: Byline) -> tuple[str, str]:
    """(html, text) of the reporter line at the end of the body."""
    if not spec.people:
        return escape_text(spec.header), spec.header
    names = joined([n for n, _ in spec.people])
    if spec.title:
        names += ", " + spec.title
    html = "By " + escape_text(names) + " (" + ", ".join(
        f'<a href="mailto:{e}">{e}</a>' for _, e in spec.people) + ")"
    text = f"By {names} (" + ", ".join(e for _, e in spec.people) + ")"
    return html, text


def header_html(ctx: Ctx, spec: Byline) -> str:
    if ctx.layout != "2017":
        return escape_text(spec.header)

    def link(label: str, who: str) -> str:
        return f'<a href="/search/list_name.php?byline={who.replace(" ", "+")}">{escape_text(label)}</a>'

    if not spec.people:
        return link(spec.header, spec.agency or spec.header)
    names = [n for n, _ in spec.people]
    parts = [link("By " + names[0], names[0])] + [link(n, n) for n in names[1:]]
    out = parts[0] if len(parts) == 1 else (
        f"{parts[0]} and {parts[1]}" if len(parts) == 2 else ", ".join(parts[:-1]) + " and " + parts[-1])
    rest = spec.header[len("By " + joined(names)):]
    return out + escape_text(rest)


def header_place(m: PageModel) -> tuple[int, int, str, str] | None:
    """(start, end, before, after): where the byline goes in the title area (replace start..end)."""
    if m.header_byline is not None:
        el = m.header_byline
        return el.content_start, el.content_end, "", ""
    layout = m.layout
    if layout == "2012":
        return None
    if layout == "2017":
        el = m.doc.first(cls="view_tit_byline_l")
        if el is not None:
            return el.content_start, el.content_end, "", ""
        box = m.doc.first(cls="view_tit_byline")
        if box is not None:
            return box.content_start, box.content_start, '<div class="view_tit_byline_l">', "</div>"
    if layout == "cms":
        info = m.doc.first(cls="article-info")
        if info is not None and info.start < m.container.start:
            return info.content_start, info.content_start, '<span class="article-author">', "</span>"
    cls = {"2017": "view_tit_byline_l", "2023": "writer", "cms": "article-author"}[layout]
    tag = "div" if layout == "2017" else "span" if layout != "2023" else "span"
    if m.dates:
        holder = m.doc.element_containing(m.dates[0].start, m.dates[0].end)
        return holder.start, holder.start, f'<{tag} class="{cls}">', f"</{tag}>\n"
    anchor = m.subtitle_el or m.title_el
    if anchor is None:
        return None
    return anchor.end, anchor.end, f'\n<{tag} class="{cls}">', f"</{tag}>"


def expand_to_balanced(m: PageModel, s: int, e: int) -> tuple[int, int, bool]:
    """The span grown to whole elements until its markup nests (a line split over two <p>)."""
    grown = False
    for _ in range(6):
        if balanced(m.doc, s, e):
            return s, e, grown
        for el in m.doc.elements:
            if el.start < s < el.end and not m.in_paragraph(el.start, el.end) and el is not m.container \
                    and el.content_start <= s and el.end < e + 400:
                inner = [x for x in m.doc.elements if x.start <= s < x.end and x.start >= el.start]
                el = max(inner, key=lambda x: x.start)
                s, grown = el.start, True
                break
        for el in m.doc.elements:
            if el.start < e < el.end and not m.in_paragraph(el.start, el.end) and el is not m.container:
                inner = [x for x in m.doc.elements if x.start < e < x.end]
                el = max(inner, key=lambda x: x.start)
                e, grown = el.end, True
                break
    raise NotApplicable("the reporter line's markup cannot be replaced")


def end_of_text(m: PageModel) -> tuple[int, bool]:
    """Where a reporter line goes after the last paragraph, and whether it needs its own <p>."""
    holder = para_holder(m, len(m.paras) - 1)
    if holder is not None:
        return holder.end, True
    return para_span(m, len(m.paras) - 1)[1], False


@family("bylines")
def bylines(ctx: Ctx) -> None:
    """Byline variants in the layout's byline place: e-mail in parentheses, two or three authors, agency
    bylines (By Yonhap, Yonhap), By Name, Korea Herald correspondent; the e-mail line, meta author,
    JSON-LD author rewritten to agree; the 2023 reporter box removed."""
    m, html = ctx.m, ctx.html
    place = header_place(m)
    line = m.byline_line
    art = m.news_article()
    for spec in byline_specs(ctx):
        edits = Edits(html)
        truth = ctx.fresh_truth()
        bp: list[str] = []
        shown_emails = spec.header_emails
        if place is not None:
            start, end, before, after = place
            edits.replace(start, end, before + header_html(ctx, spec) + after)
            truth["byline"] = collapse(spec.header)
        # The reporter line at the end of the body.
        if ctx.layout == "2012" or line is not None:
            if spec.people or ctx.layout == "2012":
                line_html, line_text = email_line(spec)
                if line is not None:
                    ls, le, wrapped = expand_to_balanced(m, *line)
                    edits.replace(ls, le, f"<p>{line_html}</p>" if wrapped else line_html)
                else:
                    at, own = end_of_text(m)
                    edits.insert(at, f"\n<p>{line_html}</p>" if own else f"<br />\n<br />\n{line_html}")
                if spec.people:
                    shown_emails = True
                    bp += [line_text] + [e for _, e in spec.people]
                if place is None:
                    truth["byline"] = collapse(line_text)
            elif line is not None:
                ls, le, _ = expand_to_balanced(m, *line)
                edits.delete(ls, le)
        truth["authors"] = [{"name": n, "email": e if shown_emails else None} for n, e in spec.people]
        truth["agency"] = spec.agency or (m.closing_credit[2] if m.closing_credit else None)
        # Meta author, JSON-LD author, reporter box.
        for meta in m.meta("author"):
            attr = next((a for a in meta.token.attrs if a.name == "content"), None)
            if attr is not None:
                who = ", ".join(n for n, _ in spec.people) or spec.agency
                edits.replace(attr.start, attr.end, f'content="{escape_attr(who)}"')
        if art is not None:
            block_, node = art
            new = dict(node)
            authors = [{"@type": "Person", "name": n} for n, _ in spec.people] or [
                {"@type": "Organization", "name": spec.agency}]
            new["author"] = authors if len(authors) > 1 else authors[0]
            edits.replace(block_.start, block_.end, json_text(replace_node(block_.data, node, new)))
        for box in m.doc.find_elements(cls="news_journalist_area"):
            edits.delete(box.start, box.end)
        new_html = edits.apply()
        after = ctx.model(new_html, truth)
        old = [a["name"] for a in ctx.truth["authors"]]
        lo, hi = after.header_region
        if any(after.doc.find_text("By " + name, lo, hi) for name in old if squash(name) not in squash(spec.header)):
            raise NotApplicable("the page shows the old byline in a place this suite does not rewrite")
        ctx.add(spec.name, new_html, truth=truth, boilerplate=bp)


# -- 10. dates ---------------------------------------------------------------------------------------
LABELS = {"Published": "Published : ", "Updated": "Updated : "}


def date_holder(m: PageModel, d) -> Element | None:
    el = m.doc.element_containing(d.start, d.end)
    if m.doc.text_of(el) == m.doc.visible(d.start, d.end):
        return el
    return None


def strip_updated_jsonld(m: PageModel, edits: Edits) -> None:
    art = m.news_article()
    if art is not None and "dateModified" in art[1]:
        block_, node = art
        new = {k: v for k, v in node.items() if k != "dateModified"}
        edits.replace(block_.start, block_.end, json_text(replace_node(block_.data, node, new)))
    for el in m.meta("article:modified_time") + m.meta("og:updated_time"):
        edits.delete(el.start, el.end)


@family("dates")
def dates(ctx: Ctx) -> None:
    """Date text variants: AP-style, numeric, dotted, full and three-letter months, Updated missing,
    &nbsp; / space runs, <br> between Published and Updated, labels in other cases."""
    m, html, rng = ctx.m, ctx.html, ctx.rng
    if not m.dates:
        raise NotApplicable("no visible Published / Updated text")
    key = {"Published": "published_at", "Updated": "updated_at"}
    for d in m.dates:
        if ctx.truth[key[d.label]] is None or kst(ctx.truth[key[d.label]]).isoformat()[:16] != d.value[:16]:
            raise NotApplicable(f"the page's {d.label} text differs from the golden value")
        if not balanced(m.doc, d.value_start, d.end):
            raise NotApplicable("date text split by markup")
    native = NATIVE_DATE_STYLE[ctx.layout]

    def rewrite(name: str, label: Callable[[str], str], style: Callable[[str], str] | str,
                value_fn: Callable[[str], str] | None = None) -> None:
        edits = Edits(html)
        for d in m.dates:
            st = style if isinstance(style, str) else style(d.label)
            value = fmt_date(ctx.truth[key[d.label]], st)
            if value_fn:
                value = value_fn(value)
            if balanced(m.doc, d.start, d.end):
                edits.replace(d.start, d.end, label(d.label) + value)
            else:  # the label is in its own element: only the date changes
                edits.replace(d.value_start, d.end, value)
        ctx.add(name, edits.apply())

    for style in ("ap", "numeric", "dotted", "full", "abbr"):
        if style != native:
            rewrite(f"style_{style}", lambda lab: LABELS[lab], style)
    rewrite("nbsp_runs", lambda lab: lab + rng.choice(["&nbsp;:&nbsp;&nbsp;", "&nbsp;&nbsp;: ", " :&nbsp;&nbsp; "]),
            native, lambda v: re.sub(" ", lambda _: rng.choice(["&nbsp;", "&nbsp; ", "  ", " &nbsp;"]), v))
    rewrite("label_case", lambda lab: rng.choice([lab.upper() + " : ", lab.lower() + ": ", lab + ": ",
                                                   lab + " :  "]), native)
    pub = next((d for d in m.dates if d.label == "Published"), None)
    upd = next((d for d in m.dates if d.label == "Updated"), None)
    if upd is not None:
        edits = Edits(html)
        holder = date_holder(m, upd)
        if holder is not None and holder is not m.header_byline:
            start = holder.start
            while start > 0 and html[start - 1] in " \t":
                start -= 1
            edits.delete(start, holder.end)
        else:
            before = re.search(r"(?:\s|&nbsp;|&#160;|\xa0|<br\s*/?>)*$", html[:upd.start])
            edits.delete(before.start(), upd.end)
        strip_updated_jsonld(m, edits)
        truth = ctx.fresh_truth()
        truth["updated_at"] = None
        ctx.add("no_updated", edits.apply(), truth=truth, notes=["updated_at -> None", *date_by_id(truth)])
    if pub is not None and upd is not None:
        edits = Edits(html)
        hp, hu = date_holder(m, pub), date_holder(m, upd)
        if hp is not None and hu is not None and hp is not hu:
            edits.replace(hp.content_start, hp.content_end, html[pub.start:pub.end] + "<br>" + html[upd.start:upd.end])
            start = hu.start
            while start > 0 and html[start - 1] in " \t\n":
                start -= 1
            edits.delete(start, hu.end)
        else:
            between = html[pub.end:upd.start]
            if "<" in between:
                edits.insert(pub.end, "<br>")
            else:
                edits.replace(pub.end, upd.start, "<br />\n")
        ctx.add("br_between", edits.apply())


# -- 11. share widgets and promo strings moved into the body ----------------------------------------
HANGUL_ONLY = re.compile(r"^[\uac00-\ud7a3]+$")


def widget_block(m: PageModel, text: str) -> Element | None:
    span = m.doc.find_text(text, m.body.content_start)
    if span is None:
        return None
    el = m.doc.element_containing(*span)
    while el.parent is not None and el.parent is not m.container and el.parent is not m.body:
        parent = el.parent
        if len(m.doc.text_of(parent)) > 90 or m.title_el is not None and parent.start <= m.title_el.start < parent.end:
            break
        if any(parent.start <= x.start < parent.end for x in m.doc.elements
               if x.name in ("img", "amp-img", "svg", "picture", "h1", "h2", "nav", "form", "input", "ul", "ol")):
            break  # a logo, a headline or a menu is not part of the widget
        if m.in_paragraph(parent.start, parent.end) or any(p.box is parent for p in m.photos):
            break
        el = parent
    if el is m.container or m.in_paragraph(el.start, el.end):
        return None
    return el


def promo_block(ctx: Ctx) -> Element | None:
    m = ctx.m
    for s in ctx.boilerplate:
        if HANGUL_ONLY.match(s):
            span = m.doc.find_text(s, m.body.content_start, m.body.content_end)
            if span is None:
                continue
            el = m.doc.element_containing(*span)
            if m.doc.text_of(el) != squash(s):
                continue
            while el.parent is not None and m.doc.text_of(el.parent) == squash(s) and el.parent is not m.body \
                    and not any(el.parent.start <= x.start < el.parent.end for x in m.doc.elements
                                if x.name in ("img", "amp-img", "svg", "picture")):
                el = el.parent
            if not (m.container.start <= el.start < m.container.end):
                return el
    return None


def leaf_texts(m: PageModel, el: Element) -> list[str]:
    out = []
    for child in [e for e in m.doc.elements if el.start <= e.start and e.end <= el.end] or [el]:
        if not child.children:
            t = m.doc.spaced_text(child.content_start, child.content_end)
            if len(t) >= 3:
                out.append(t)
    return out


@family("share_promo_moved")
def share_promo_moved(ctx: Ctx) -> None:
    """Share widgets (• Link copied, Facebook / Twitter links) and promo strings moved into the body
    container: at the top, between paragraphs, at the end; a share bar added between paragraphs."""
    m, html = ctx.m, ctx.html
    share = widget_block(m, "• Link copied")
    promo = promo_block(ctx)
    moved = [el for el in (share, promo) if el is not None]
    gaps = gap_offsets(m)
    for where in ("top", "between", "end"):
        if not moved:
            break
        edits = Edits(html)
        bp = []
        picks = ctx.pick(gaps, len(moved)) if where == "between" and gaps else []
        for k, el in enumerate(moved):
            if where == "top":
                at = m.container_top
            elif where == "end":
                at = m.container_end
            else:
                at = gaps[picks[k % len(picks)]] if picks else m.container_top
            if el.start <= at <= el.end:
                continue
            edits.delete(el.start, el.end)
            moved_html = outer_html(html, el)
            if el.name in INLINE:  # an inline element among text would join the paragraph: give it a box
                moved_html = f'<div class="moved-box">{moved_html}</div>'
            edits.insert(at, block(moved_html))
            bp += leaf_texts(m, el)
        try:
            ctx.add(where, edits.apply(), boilerplate=bp)
        except ValueError:
            continue
    url = ctx.truth["url"]
    bar = (f'<div class="share-bar"><span class="share-label">Share this article</span>'
           f'<a href="https://www.facebook.com/sharer/sharer.php?u={escape_attr(url)}" class="share-fb">Facebook</a>'
           f'<a href="https://twitter.com/intent/tweet?url={escape_attr(url)}" class="share-tw">Twitter</a>'
           f'<a href="#" class="share-kakao">KakaoTalk</a><button class="share-copy">Copy link</button>'
           f'<span class="share-toast">&bull; Link copied</span></div>')
    edits = Edits(html)
    for at in insertion_points(ctx, 1):
        edits.insert(at, block(bar))
    ctx.add("share_bar_added", edits.apply(),
            boilerplate=["Share this article", "Facebook", "Twitter", "KakaoTalk", "Copy link", "• Link copied"])


# -- 12. photo credits -------------------------------------------------------------------------------
CREDIT_FORMS: list[tuple[str, Callable[[str | None], str]]] = [
    ("paren", lambda c: f"{c} (Yonhap)" if c else "(Yonhap)"),
    ("bracket", lambda c: f"{c} [Yonhap]" if c else "[Yonhap]"),
    ("photo_colon", lambda c: f"{c} Photo: Yonhap" if c else "Photo: Yonhap"),
    ("yonhap_photo", lambda c: f"{c} Yonhap photo" if c else "Yonhap photo"),
    ("slash", lambda c: f"{c} / Yonhap" if c else "(Yonhap)"),
    ("credit_only", lambda c: "(Yonhap)"),
]
CAPTIONS = ["People walk past a display at a shopping district in Seoul on Monday.",
            "Officials attend a ceremony at the government complex in Sejong.",
            "Visitors look around an exhibition hall in southern Seoul."]
_TRAILING_CREDIT = re.compile(r"\s*\([^()]*\)\s*$")


def new_photo(ctx: Ctx, caption: str) -> tuple[str, str, int]:
    """(html, url, insert offset) of a photo in the layout's own markup, for pages without one."""
    m, t = ctx.m, ctx.truth
    aid = str(t.get("article_id") or "0")
    when = kst(t["published_at"] or t["updated_at"] or "2020-01-01T00:00:00+09:00")
    if ctx.layout == "cms":
        url = (f"https://wimg.heraldcorp.com/news/cms/{when:%Y/%m/%d}/news-p.v1.{when:%Y%m%d}."
               f"{hashlib.sha1(aid.encode()).hexdigest()[:12]}.jpg")
        html = (f'<div class="article-photo-wrap"><figure class="article-img"><img src="{url}" '
                f'alt="{escape_attr(caption)}"></figure></div>')
    else:
        scheme = "https" if ctx.layout == "2023" else "http"
        url = f"{scheme}://res.heraldm.com/content/image/{when:%Y/%m/%d}/{aid[:8]}{(int(aid[-6:]) + 1) % 10**6:06d}_0.jpg"
        if ctx.layout == "2012":
            html = (f'<table align="center" border="0" cellpadding="0" cellspacing="0" width="560"><tr><td>'
                    f'<img src="{url}" alt="{escape_attr(caption)}" width="560" /></td></tr>'
                    f'<tr><td class="caption">{escape_text(caption)}</td></tr></table>')
        elif ctx.layout == "2017":
            html = (f'<table class="view_img" align="center"><tr><td><img src="{url}" alt="" /></td></tr>'
                    f'<tr><td><div class="view_con_caption">{escape_text(caption)}</div></td></tr></table>')
        else:
            html = (f'<div class="img_box"><img src="{url}" alt="{escape_attr(caption)}">'
                    f'<p class="img_caption">{escape_text(caption)}</p></div>')
    return html, url, m.container_top


@family("credits")
def credits(ctx: Ctx) -> None:
    """Photo credit forms (Yonhap), [Yonhap], Photo: Yonhap, Yonhap photo, / Yonhap and credit-only
    captions, in the visible caption and the alt text; a photo is added to pages without one."""
    m, html = ctx.m, ctx.html
    photos = m.photos
    base_caption = next((c for c in CAPTIONS if c not in ctx.body_text), CAPTIONS[0])
    for name, form in CREDIT_FORMS:
        edits = Edits(html)
        truth = ctx.fresh_truth()
        bp: list[str] = []
        if not photos:
            text = form(base_caption)
            photo_html, url, at = new_photo(ctx, text)
            edits.insert(at, block(photo_html))
            truth["images"] = [{"url": url, "caption": None if name == "credit_only" else base_caption,
                                "credit": "Yonhap"}]
            bp.append(text)
            ctx.add(name, edits.apply(), truth=truth, boilerplate=bp,
                    notes=["a photo added to a page without one"])
            continue
        changed = 0
        for photo in photos:
            image = truth["images"][photo.index]
            caption = image.get("caption")
            new_text = form(caption)
            mine: list[tuple[int, int, str]] = []
            ok = True
            for s, e in photo.caption_spans:
                if balanced(m.doc, s, e):
                    mine.append((s, e, escape_text(new_text)))
                    continue
                split = split_caption(m, s, e, image)
                if split is None:
                    ok = False
                    break
                (cs, ce), (rs, re_) = split
                if caption and new_text.startswith(caption):
                    mine.append((rs, re_, escape_text(new_text[len(caption):].strip())))
                else:
                    mine += [(cs, ce, ""), (rs, re_, escape_text(new_text))]
            if not ok:
                continue  # this photo stays as it is, and so does its truth
            alt_attr = next((a for a in photo.img.token.attrs if a.name == "alt"), None)
            if alt_attr is not None and alt_attr.value and alt_attr.value.strip():
                alt = alt_attr.value
                if squash(alt) == squash(caption_text(image)) or not photo.caption_spans:
                    new_alt = new_text
                else:
                    stripped = _TRAILING_CREDIT.sub("", alt).strip()
                    new_alt = form(stripped or None)
                mine.append((alt_attr.start, alt_attr.end, f'alt="{escape_attr(new_alt)}"'))
            if not mine:
                continue
            for s, e, text in mine:
                edits.replace(s, e, text)
            changed += 1
            image["credit"] = "Yonhap"
            image["caption"] = None if name == "credit_only" else caption
            bp.append(new_text)
        if changed:
            ctx.add(name, edits.apply(), truth=truth, boilerplate=bp + ["[Yonhap]", "Photo: Yonhap", "Yonhap photo",
                                                                         "/ Yonhap"])


def split_caption(m: PageModel, s: int, e: int, image: dict):
    """A visible "caption (credit)" whose two parts sit in their own elements: the two raw spans."""
    caption, credit = image.get("caption"), image.get("credit")
    if not caption or not credit:
        return None
    cspan = m.doc.find_text(caption, s, e)
    rspan = m.doc.find_text(f"({credit})", cspan[1] if cspan else s, e)
    if cspan is None or rspan is None:
        return None
    if not (balanced(m.doc, *cspan) and balanced(m.doc, *rspan)):
        return None
    return cspan, rspan


# -- 13. charset -------------------------------------------------------------------------------------
def charset_metas(m: PageModel) -> list[Element]:
    out = []
    for el in m.doc.find_elements("meta"):
        if el.attr("charset") is not None or (el.attr("http-equiv") or "").lower() == "content-type":
            out.append(el)
    return out


def with_meta_charset(m: PageModel, label: str | None) -> str:
    html = m.html
    edits = Edits(html)
    metas = charset_metas(m)
    if label is None:
        for el in metas:
            end = el.end + (1 if html[el.end:el.end + 1] == "\n" else 0)
            edits.delete(el.start, end)
        return edits.apply()
    if not metas:
        head = m.doc.first("head")
        edits.insert(head.content_start if head else 0, f'\n<meta charset="{label}">')
    for el in metas:
        attr = next(a for a in el.token.attrs if a.name in ("charset", "content"))
        if attr.name == "charset":
            edits.replace(attr.start, attr.end, f'charset="{label}"')
        else:
            edits.replace(attr.start, attr.end, f'content="text/html; charset={label}"')
    return edits.apply()


def encode_cp949(html: str) -> bytes:
    """CP949 bytes; characters CP949 lacks become &#N; (\\uXXXX inside scripts, \\XXXX in styles)."""
    doc = Doc(html)
    raw_ranges = [(t.start, t.end, t.name) for t in doc.tokens if t.kind == "rawtext"]
    out = []
    for i, ch in enumerate(html):
        try:
            out.append(ch.encode("cp949"))
            continue
        except UnicodeEncodeError:
            pass
        where = next((name for s, e, name in raw_ranges if s <= i < e), None)
        if where == "script":
            out.append(json.dumps(ch, ensure_ascii=True)[1:-1].encode())
        elif where == "style":
            out.append(f"\\{ord(ch):x} ".encode())
        else:
            out.append(f"&#{ord(ch)};".encode())
    return b"".join(out)


@family("charset")
def charset(ctx: Ctx) -> None:
    """Charset declared wrong (meta or Content-Type says EUC-KR / ISO-8859-1, bytes are UTF-8),
    declaration missing, a UTF-8 BOM against the meta, the page encoded in CP949 and labelled EUC-KR."""
    m = ctx.m
    euckr = with_meta_charset(m, "euc-kr")
    ctx.add("meta_euckr_bytes_utf8", euckr.encode("utf-8"))
    ctx.add("meta_latin1_bytes_utf8", with_meta_charset(m, "iso-8859-1").encode("utf-8"))
    ctx.add("header_euckr_bytes_utf8", ctx.html.encode("utf-8"), content_type="text/html; charset=euc-kr")
    ctx.add("header_latin1_bytes_utf8", ctx.html.encode("utf-8"), content_type="text/html; charset=ISO-8859-1")
    ctx.add("no_declaration", with_meta_charset(m, None).encode("utf-8"))
    ctx.add("bom_meta_latin1", b"\xef\xbb\xbf" + with_meta_charset(m, "iso-8859-1").encode("utf-8"))
    ctx.add("cp949_labelled", encode_cp949(euckr), content_type="text/html; charset=EUC-KR")
    ctx.add("cp949_meta_only", encode_cp949(euckr))
    ctx.add("cp949_header_only", encode_cp949(with_meta_charset(m, None)), content_type="text/html; charset=euc-kr")


# -- 14. entities and spaces -------------------------------------------------------------------------
ENTITY_FOR = {"'": ["&#39;", "&#x27;", "&apos;"], '"': ["&quot;", "&#34;"], "\u2019": ["&rsquo;", "&#8217;", "&#x2019;"],
              "\u2018": ["&lsquo;", "&#8216;"], "\u201c": ["&ldquo;", "&#8220;"], "\u201d": ["&rdquo;", "&#x201D;"],
              "\u2014": ["&mdash;", "&#8212;"], "\u2013": ["&ndash;"], "\u2026": ["&hellip;"], "%": ["&#37;"],
              "$": ["&#36;", "&dollar;"], "\u00b7": ["&middot;"], ",": ["&#44;"], ".": ["&#46;", "&period;"]}
SPACES = ["\u3000", "\u2002", "\u2009", "\u202f", "\u205f"]


def text_tokens(m: PageModel):
    for k, tok in enumerate(m.doc.tokens):
        if tok.kind != "text" or tok.start < m.body.start:
            continue
        if {e.name for e in m.doc.stack_after[k]} & {"script", "style", "textarea", "pre", "title"}:
            continue
        yield tok


@family("entities_and_spaces")
def entities_and_spaces(ctx: Ctx) -> None:
    """Characters written as named / decimal / hex entities; spaces as &nbsp;, NBSP, ideographic and
    other Unicode spaces; visually empty spacer paragraphs (&nbsp;, <br>, zero-width space, U+3000)."""
    m, html, rng = ctx.m, ctx.html, ctx.rng
    edits = Edits(html)
    for tok in text_tokens(m):
        raw = html[tok.start:tok.end]
        for j, ch in enumerate(raw):
            if ch in ENTITY_FOR and rng.random() < (0.15 if ch in ",." else 0.8):
                edits.replace(tok.start + j, tok.start + j + 1, rng.choice(ENTITY_FOR[ch]))
            elif "\uac00" <= ch <= "\ud7a3" and rng.random() < 0.5:
                edits.replace(tok.start + j, tok.start + j + 1, f"&#x{ord(ch):X};")
    ctx.add("entities", edits.apply())
    for name, choices in (("nbsp", ["&nbsp;", "\xa0", "&#160;", " &nbsp;", "&nbsp; "]), ("unicode_spaces", SPACES)):
        edits = Edits(html)
        for tok in text_tokens(m):
            raw = html[tok.start:tok.end]
            for sm in re.finditer(r"(?<=\S) (?=\S)", raw):
                if rng.random() < 0.3:
                    edits.replace(tok.start + sm.start(), tok.start + sm.end(), rng.choice(choices))
        ctx.add(name, edits.apply())
    edits = Edits(html)
    spacers = ["<p>&nbsp;</p>", "<p><br></p>", "<div>&nbsp;</div>", "<p>\u3000</p>", "<p>&#8203;</p>",
               "<p> &nbsp; </p>", "<div><br /></div>"]
    gaps = gap_offsets(m)
    for k, at in enumerate(gaps or [m.container_top]):
        edits.insert(at, block(spacers[k % len(spacers)]))
    ctx.add("spacer_paragraphs", edits.apply())


# -- 15. layout tables -------------------------------------------------------------------------------
@family("tables_layout")
def tables_layout(ctx: Ctx) -> None:
    """Old-style layout tables: the body's content in a table cell, the headline in a table, the body
    container in the first cell of a two-column table whose second cell is a sidebar of links."""
    m, html = ctx.m, ctx.html
    c = m.container
    edits = Edits(html)
    wrap(edits, c.content_start, c.content_end,
         '\n<table width="100%" border="0" cellspacing="0" cellpadding="0" class="article_tbl"><tbody><tr>'
         '<td class="article_td" valign="top">', "</td></tr></tbody></table>\n")
    ctx.add("body_in_cell", edits.apply())
    if m.title_el is not None:
        edits = Edits(html)
        wrap(edits, m.title_el.start, m.title_el.end,
             '<table class="tit_tbl" width="100%"><tr><td class="tit_td">', "</td></tr></table>")
        ctx.add("headline_in_table", edits.apply())
    heads = headlines(ctx, 4)
    urls = related_urls(ctx, 4)
    side = "".join(f'<li><a href="{u}">{escape_text(h)}</a></li>' for u, h in zip(urls, heads))
    edits = Edits(html)
    wrap(edits, c.start, c.end, '<table width="100%" class="layout"><tr><td width="70%" valign="top">',
         f'</td><td width="30%" valign="top" class="side_td"><h4>Latest headlines</h4><ul>{side}</ul>'
         "</td></tr></table>")
    ctx.add("two_column", edits.apply(), boilerplate=["Latest headlines"] + heads)


# -- line breaks inside the texts of fields ----------------------------------------------------------------
def _text_spaces(html: str, start: int, end: int) -> list[int]:
    """Offsets of plain spaces between ``start`` and ``end`` that sit in text, not inside a tag or entity."""
    spaces, in_tag = [], False
    for at in range(start, end):
        char = html[at]
        if char == "<":
            in_tag = True
        elif char == ">":
            in_tag = False
        elif char == " " and not in_tag and html[at - 1] not in " >" and html[at + 1] not in " <&":
            spaces.append(at)
    return spaces


@family("line_breaks")
def line_breaks(ctx: Ctx) -> None:
    """A ``<br>`` where a space was inside the headline, the subtitle, the byline, each date text and each
    caption: CMSs break long lines so. The text is the same (a line break is whitespace): truth unchanged."""
    m, html, rng = ctx.m, ctx.html, ctx.rng
    spans: dict[str, list[tuple[int, int]]] = {}
    for name, el in (("title", m.title_el), ("subtitle", m.subtitle_el), ("byline", m.header_byline)):
        if el is not None:
            spans[name] = [(el.content_start, el.content_end)]
    spans["dates"] = [(d.start, d.end) for d in m.dates]
    spans["captions"] = [span for p in m.photos for span in p.caption_spans]
    chosen: dict[str, list[int]] = {}
    for name, ranges in spans.items():
        picks = []
        for start, end in ranges:
            spaces = _text_spaces(html, start, end)
            if spaces:
                picks.append(rng.choice(spaces))
        if picks:
            chosen[name] = picks
    if not chosen:
        raise NotApplicable("no field text with a space to break")
    breaks = ["<br>", "<br />\n", "<br/>"]
    for name, picks in [*chosen.items(), ("all", sorted({p for ps in chosen.values() for p in ps}))]:
        edits = Edits(html)
        for at in picks:
            edits.replace(at, at + 1, rng.choice(breaks))
        ctx.add(name, edits.apply())
