"""A small, offset-keeping HTML reader for editing pages in place.

The variation families change a page with string edits, so that everything they do not touch stays
byte-identical (including the gold pages' own malformed markup). To know *where* to edit they need what a
browser would see: tokens with their raw offsets, an element tree built with (a simplified version of) the
HTML5 tree-building rules (implied ``</p>``, ``</li>``, ``</td>``; end tags that do not cross table
scope), and the visible text with a map from each character back to the raw bytes it came from.

Nothing here is shared with, or copied from, the crawler's parsers: it is test tooling.
"""

from __future__ import annotations

import html as htmllib
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr", "keygen"}
RAW_TEXT = {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
INVISIBLE = {"script", "style", "iframe", "noembed", "noframes", "template"}
CLOSES_P = {"address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl",
            "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
            "hgroup", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul", "li",
            "dd", "dt", "listing", "plaintext"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
SCOPE = {"html", "table", "td", "th", "caption", "marquee", "object", "applet", "template"}
TABLE_PARTS = {"table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption"}
BLOCK = CLOSES_P | {"td", "th", "tr", "table", "tbody", "thead", "tfoot", "caption", "body", "html", "head",
                    "br", "img", "noscript", "figure", "option", "select", "button", "iframe", "video", "audio"}

_TAG_NAME = r"[A-Za-z][A-Za-z0-9:_-]*"
_ATTR = r"""(?:[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)"""
_START = re.compile(rf"<({_TAG_NAME})((?:\s*/?\s*{_ATTR})*)\s*(/?)>", re.S)
_END = re.compile(rf"</({_TAG_NAME})[^>]*>", re.S)
_ATTR_ONE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""", re.S)
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


@dataclass
class Attr:
    name: str  # lower-cased
    value: str | None  # decoded
    raw_value: str | None  # as written, with its quotes
    start: int  # raw span of the whole ``name=value``
    end: int


@dataclass
class Token:
    kind: str  # text, start, end, comment, doctype
    start: int
    end: int
    name: str = ""  # lower-cased tag name
    attrs: list[Attr] = field(default_factory=list)
    self_closing: bool = False

    def attr(self, name: str) -> str | None:
        for a in self.attrs:
            if a.name == name:
                return a.value if a.value is not None else ""
        return None

    def classes(self) -> list[str]:
        return (self.attr("class") or "").split()


@dataclass(eq=False)
class Element:
    name: str
    token: Token | None
    parent: Element | None
    start: int  # raw offset of the start tag
    content_start: int  # just after the start tag
    content_end: int = -1  # raw offset of the end tag (or where it was implied)
    end: int = -1  # just after the end tag (== content_end when implied)
    children: list[Element] = field(default_factory=list)
    explicit_end: bool = False

    def attr(self, name: str) -> str | None:
        return self.token.attr(name) if self.token else None

    def classes(self) -> list[str]:
        return self.token.classes() if self.token else []

    def ancestors(self) -> list[Element]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def __repr__(self) -> str:
        cls = ".".join(self.classes())
        return f"<{self.name}{'.' + cls if cls else ''} @{self.start}-{self.end}>"


def tokenize(html: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(html)
    text_start = 0

    def flush(upto: int) -> None:
        if upto > text_start:
            tokens.append(Token("text", text_start, upto))

    while i < n:
        lt = html.find("<", i)
        if lt < 0:
            break
        if html.startswith("<!--", lt):
            flush(lt)
            close = html.find("-->", lt + 4)
            end = n if close < 0 else close + 3
            tokens.append(Token("comment", lt, end))
            i = text_start = end
            continue
        if html.startswith("<!", lt) or html.startswith("<?", lt):
            flush(lt)
            close = html.find(">", lt)
            end = n if close < 0 else close + 1
            tokens.append(Token("doctype", lt, end))
            i = text_start = end
            continue
        m = _END.match(html, lt)
        if m:
            flush(lt)
            tokens.append(Token("end", lt, m.end(), m.group(1).lower()))
            i = text_start = m.end()
            continue
        m = _START.match(html, lt)
        if m:
            flush(lt)
            name = m.group(1).lower()
            attrs = []
            base = m.start(2)
            for am in _ATTR_ONE.finditer(m.group(2)):
                raw = am.group(2)
                value = None
                if raw is not None:
                    value = raw[1:-1] if raw[:1] in "\"'" else raw
                    value = htmllib.unescape(value)
                attrs.append(Attr(am.group(1).lower(), value, raw, base + am.start(), base + am.end()))
            tok = Token("start", lt, m.end(), name, attrs, bool(m.group(3)))
            tokens.append(tok)
            i = text_start = m.end()
            if name in RAW_TEXT:
                close = re.compile(rf"</{name}\s*>", re.I).search(html, i)
                stop = n if close is None else close.start()
                if stop > i:
                    tokens.append(Token("rawtext", i, stop, name))
                i = text_start = stop
            continue
        i = lt + 1  # a lone "<" is text
    text_start_final = text_start
    if n > text_start_final:
        tokens.append(Token("text", text_start_final, n))
    return tokens


class Doc:
    """Tokens, an element tree and a character map of one HTML string."""

    def __init__(self, html: str):
        self.html = html
        self.tokens = tokenize(html)
        self.elements: list[Element] = []
        self._build_tree()
        self._build_text()

    # -- tree ---------------------------------------------------------------------------------------
    def _build_tree(self) -> None:
        root = Element("#root", None, None, 0, 0)
        stack: list[Element] = [root]
        self.root = root
        self.stack_after: list[tuple[Element, ...]] = []  # open elements after each token

        def close_top(at: int, explicit_end: int | None = None) -> None:
            el = stack.pop()
            el.content_end = at
            el.end = explicit_end if explicit_end is not None else at
            el.explicit_end = explicit_end is not None

        def in_scope(name: str, boundary: set[str]) -> int:
            for k in range(len(stack) - 1, 0, -1):
                if stack[k].name == name:
                    return k
                if stack[k].name in boundary:
                    return -1
            return -1

        for tok in self.tokens:
            if tok.kind == "start":
                name = tok.name
                if name in CLOSES_P or name in {"td", "th", "tr"}:
                    k = in_scope("p", SCOPE | {"button"})
                    if k > 0 and name in CLOSES_P:
                        while len(stack) > k:
                            close_top(tok.start)
                if name == "li":
                    k = in_scope("li", SCOPE | {"ul", "ol"})
                    while k > 0 and len(stack) > k:
                        close_top(tok.start)
                if name in {"dd", "dt"}:
                    for other in ("dd", "dt"):
                        k = in_scope(other, SCOPE | {"dl"})
                        while k > 0 and len(stack) > k:
                            close_top(tok.start)
                if name in HEADINGS and stack[-1].name in HEADINGS:
                    close_top(tok.start)
                if name in {"td", "th"}:
                    for other in ("td", "th"):
                        k = in_scope(other, {"html", "table", "tr"})
                        while k > 0 and len(stack) > k:
                            close_top(tok.start)
                if name == "tr":
                    k = in_scope("tr", {"html", "table"})
                    while k > 0 and len(stack) > k:
                        close_top(tok.start)
                if name == "option" and stack[-1].name == "option":
                    close_top(tok.start)
                el = Element(name, tok, stack[-1], tok.start, tok.end)
                stack[-1].children.append(el)
                self.elements.append(el)
                if name in VOID:
                    el.content_end = el.end = tok.end
                    el.explicit_end = True
                else:
                    stack.append(el)
            elif tok.kind == "end":
                name = tok.name
                if name == "br":
                    pass
                elif name in VOID:
                    pass
                else:
                    boundary = {"html", "table"} if name in TABLE_PARTS else SCOPE
                    if name == "p":
                        boundary = SCOPE | {"button"}
                    if name == "li":
                        boundary = SCOPE | {"ul", "ol"}
                    k = in_scope(name, boundary)
                    if k > 0:
                        while len(stack) > k + 1:
                            close_top(tok.start)
                        close_top(tok.start, tok.end)
            self.stack_after.append(tuple(stack))
        end = len(self.html)
        while len(stack) > 1:
            close_top(end)
        root.content_end = root.end = end
        self._token_starts = [t.start for t in self.tokens]

    def token_index_at(self, offset: int) -> int:
        """Index of the token starting at ``offset`` (a token boundary), or of the one containing it."""
        k = bisect_right(self._token_starts, offset) - 1
        return max(k, 0)

    def stack_at(self, offset: int) -> tuple[Element, ...]:
        """Open elements at a token boundary ``offset`` (before the token that starts there)."""
        k = bisect_left(self._token_starts, offset)
        if k == 0:
            return (self.root,)
        return self.stack_after[k - 1]

    def find_elements(self, name: str | None = None, *, cls: str | None = None, id: str | None = None,
                      within: Element | None = None, start: int = 0, end: int | None = None) -> list[Element]:
        end = len(self.html) if end is None else end
        out = []
        for el in self.elements:
            if el.start < start or el.start >= end:
                continue
            if name is not None and el.name != name:
                continue
            if cls is not None and cls not in el.classes():
                continue
            if id is not None and el.attr("id") != id:
                continue
            if within is not None and not (within.content_start <= el.start and el.end <= within.content_end):
                continue
            out.append(el)
        return out

    def first(self, *args, **kwargs) -> Element | None:
        found = self.find_elements(*args, **kwargs)
        return found[0] if found else None

    def element_containing(self, start: int, end: int) -> Element:
        """The innermost element whose content holds the raw span [start, end)."""
        best = self.root
        for el in self.elements:
            if el.content_start <= start and end <= el.content_end and el.name not in VOID:
                if el.content_end - el.content_start <= best.content_end - best.content_start:
                    best = el
        return best

    # -- text ---------------------------------------------------------------------------------------
    def _build_text(self) -> None:
        """Visible characters (decoded, whitespace dropped) with the raw span each came from."""
        chars: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        hidden_depth = 0
        for k, tok in enumerate(self.tokens):
            if tok.kind != "text":
                continue
            open_names = {e.name for e in self.stack_after[k]}
            if open_names & INVISIBLE:
                continue
            raw = self.html[tok.start:tok.end]
            pos = 0
            for m in _ENTITY.finditer(raw):
                self._add_plain(raw, pos, m.start(), tok.start, chars, starts, ends)
                decoded = htmllib.unescape(m.group(0))
                for ch in decoded:
                    if not ch.isspace():
                        chars.append(ch)
                        starts.append(tok.start + m.start())
                        ends.append(tok.start + m.end())
                pos = m.end()
            self._add_plain(raw, pos, len(raw), tok.start, chars, starts, ends)
        del hidden_depth
        self.text = "".join(chars)
        self.char_start = starts
        self.char_end = ends

    @staticmethod
    def _add_plain(raw, a, b, base, chars, starts, ends) -> None:
        for j in range(a, b):
            ch = raw[j]
            if not ch.isspace():
                chars.append(ch)
                starts.append(base + j)
                ends.append(base + j + 1)

    def char_index(self, offset: int) -> int:
        """Index of the first visible character at or after raw ``offset``."""
        return bisect_left(self.char_start, offset)

    def find_text(self, text: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
        """Raw span of the first occurrence of ``text`` (whitespace ignored) between raw offsets."""
        needle = squash(text)
        if not needle:
            return None
        lo = self.char_index(start)
        hi = len(self.text) if end is None else self.char_index(end)
        k = self.text.find(needle, lo, hi)
        if k < 0:
            return None
        return self.char_start[k], self.char_end[k + len(needle) - 1]

    def find_all_text(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        out = []
        while True:
            span = self.find_text(text, start, end)
            if span is None:
                return out
            out.append(span)
            start = span[1]

    def visible(self, start: int, end: int) -> str:
        """Visible characters in a raw span, whitespace dropped."""
        return self.text[self.char_index(start):self.char_index(end)]

    def text_of(self, el: Element) -> str:
        return self.visible(el.content_start, el.content_end)

    def spaced_text(self, start: int, end: int) -> str:
        """Visible text of a raw span with whitespace collapsed (tags of block elements count as spaces)."""
        out = []
        for k in range(self.token_index_at(start), len(self.tokens)):
            tok = self.tokens[k]
            if tok.start >= end:
                break
            if tok.end <= start:
                continue
            if tok.kind == "text":
                if {e.name for e in self.stack_after[k]} & INVISIBLE:
                    continue
                out.append(htmllib.unescape(self.html[max(tok.start, start):min(tok.end, end)]))
            elif tok.kind in ("start", "end") and tok.name in BLOCK:
                out.append(" ")
        return " ".join("".join(out).split())


def squash(text: str) -> str:
    return "".join(text.split())


def collapse(text: str) -> str:
    return " ".join(text.split())


class Edits:
    """Non-overlapping replacements of raw spans, applied at once."""

    def __init__(self, html: str):
        self.html = html
        self.items: list[tuple[int, int, int, str]] = []  # start, end, order, replacement

    def replace(self, start: int, end: int, text: str) -> None:
        self.items.append((start, end, len(self.items), text))

    def insert(self, at: int, text: str) -> None:
        self.replace(at, at, text)

    def delete(self, start: int, end: int) -> None:
        self.replace(start, end, "")

    def apply(self) -> str:
        items = sorted(self.items, key=lambda t: (t[0], t[1], t[2]))
        out, pos = [], 0
        for start, end, _, text in items:
            if start < pos:
                raise ValueError(f"overlapping edits at {start} (previous edit ended at {pos})")
            out.append(self.html[pos:start])
            out.append(text)
            pos = end
        out.append(self.html[pos:])
        return "".join(out)


def escape_text(text: str) -> str:
    return htmllib.escape(text, quote=False)


def escape_attr(text: str) -> str:
    return htmllib.escape(text, quote=True)
