"""A fault-injection web server for the tests: one misbehaviour per URL, on 127.0.0.1, bounded.

It speaks HTTP/1.1 over raw sockets so it can misbehave below HTTP: stall, reset, close without an answer,
lie about Content-Length, break chunking. Bounded: each connection lives at most ``STALL_LIMIT`` seconds,
the server answers at most ``max_requests`` requests (503 after that) and shuts itself down after
``lifetime`` seconds. Every request is logged with its time, path and headers.

Article URLs are ``/article/<id>``; ``ARTICLES`` maps each id to its behaviour. robots.txt and sitemaps
behave as the server's ``robots`` mode says.
"""

from __future__ import annotations

import json
import socket
import socketserver
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus

import brotli

STALL_LIMIT = 8.0

#: article id -> behaviour name
ARTICLES = {
    "10000001": "ok",
    "10000002": "delay_headers",
    "10000003": "stall_body",
    "10000004": "reset",
    "10000005": "close_without_response",
    "10000006": "truncated_length",
    "10000007": "broken_chunking",
    "10000008": "http_500",
    "10000009": "429_retry_after",
    "10000010": "429_no_retry_after",
    "10000011": "http_403",
    "10000012": "http_404",
    "10000013": "http_410",
    "10000014": "consent_page",
    "10000015": "redirect_loop",
    "10000016": "redirect_offsite",
    "10000017": "redirect_file",
    "10000018": "too_large_with_length",
    "10000019": "too_large_without_length",
    "10000020": "gzip_bomb",
    "10000021": "deflate_bomb",
    "10000022": "brotli_bomb",
    "10000023": "control_characters",
    "10000024": "euckr_header",
    "10000025": "euckr_meta",
    "10000026": "euckr_unlabelled",
    "10000027": "euckr_labelled_utf8",
    "10000028": "utf8_korean",
    "10000029": "separators_and_surrogate",
    "10000030": "robots_disallowed",
}
BY_NAME = {name: article_id for article_id, name in ARTICLES.items()}

KOREAN = "서울시는 내년부터 심야버스를 늘린다고 밝혔다"


def article_html(article_id: str, *, extra_body: str = "", headline: str | None = None, charset: str = "utf-8") -> str:
    """A cms-layout article page of our own words, with its JSON-LD."""
    headline_json = headline if headline is not None else json.dumps(f"Test article {article_id}")[1:-1]
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="{charset}">
<title>Test article {article_id}</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{headline_json}", "datePublished": "2026-03-05T09:00:00", "author": {{"@type": "Person", "name": "Park Han-na"}},
"articleSection": "National"}}</script></head><body>
<div class="article-view"><div class="article-header"><h1 class="article-title">Test article {article_id}</h1>
<span class="article-author">By 박한나</span></div>
<article class="article-body"><p>The city will add night buses next year, officials said on Thursday.</p>
<p>{KOREAN} said the notice posted in Korean at bus stops.</p>{extra_body}
<p>Routes will be announced in December.</p></article></div></body></html>"""


@lru_cache(maxsize=None)
def bomb(kind: str, size: int = 256 * 1024 * 1024) -> bytes:
    """``size`` zero bytes compressed: a few hundred KB that inflate to far beyond any size cap."""
    chunk = b"\0" * (1 << 20)
    if kind == "br":
        compressor = brotli.Compressor(quality=5)
        parts = [compressor.process(chunk) for _ in range(size >> 20)]
        return b"".join(parts) + compressor.finish()
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31 if kind == "gzip" else 15)
    parts = [compressor.compress(chunk) for _ in range(size >> 20)]
    return b"".join(parts) + compressor.flush()


@dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str] = field(default_factory=dict)


class FaultServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, robots: str = "allow", max_requests: int = 3000, lifetime: float = 600) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.robots = robots  # allow | disallow | missing | unavailable | sitemaps
        self.max_requests = max_requests
        self.hits: list[Hit] = []
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._deadline = threading.Timer(lifetime, self.shutdown)
        self._deadline.daemon = True

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, name: str) -> str:
        return f"{self.base_url}/article/{BY_NAME[name]}"

    def hits_for(self, name: str) -> list[Hit]:
        path = f"/article/{BY_NAME[name]}"
        return [h for h in self.hits if h.path == path]

    def __enter__(self) -> FaultServer:
        # The bombs take seconds of CPU to compress, about the suite's download timeout: made before the
        # crawl starts, so that their answers come at once and the test measures the size cap, not the timeout.
        for kind in ("gzip", "deflate", "br"):
            bomb(kind)
        self._thread.start()
        self._deadline.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._deadline.cancel()
        self.shutdown()
        self.server_close()


class _Handler(socketserver.BaseRequestHandler):
    server: FaultServer

    # -- plumbing ------------------------------------------------------------------------------------
    def handle(self) -> None:
        self.request.settimeout(STALL_LIMIT)
        try:
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = self.request.recv(4096)
                if not data:
                    return
                head += data
        except OSError:
            return
        lines = head.split(b"\r\n")
        try:
            _, target, _ = lines[0].decode("latin-1").split(" ", 2)
        except ValueError:
            return
        headers = {}
        for line in lines[1:]:
            if b":" in line:
                name, value = line.split(b":", 1)
                headers[name.decode("latin-1").strip().lower()] = value.decode("latin-1").strip()
        with self.server.lock:
            self.server.hits.append(Hit(time.monotonic(), target, headers))
            count = self.server.counts[target] = self.server.counts.get(target, 0) + 1
            over = len(self.server.hits) > self.server.max_requests
        try:
            if over:
                self.send(503, b"request budget spent")
            else:
                self.route(target, count)
        except OSError:
            pass

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
             content_type: str = "text/html; charset=utf-8") -> None:
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"Content-Type: {content_type}",
                 f"Content-Length: {len(body)}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.request.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    def stall(self, seconds: float) -> None:
        self.server.stopping.wait(min(seconds, STALL_LIMIT))

    # -- routes --------------------------------------------------------------------------------------
    def route(self, target: str, count: int) -> None:
        path = target.split("?")[0]
        if path == "/robots.txt":
            return self.robots()
        if path.startswith("/sitemaps/"):
            return self.sitemap(path.rsplit("/", 1)[1])
        if path.startswith("/article/"):
            article_id = path.rsplit("/", 1)[1]
            behaviour = ARTICLES.get(article_id)
            if behaviour is not None:
                return getattr(self, f"do_{behaviour}")(article_id, count)
        self.send(404, b"not found")

    def robots(self) -> None:
        mode = self.server.robots
        if mode == "missing":
            return self.send(404, b"no robots.txt")
        if mode == "unavailable":
            return self.send(503, b"try later")
        rules = "User-agent: *\nDisallow: /search/\n"
        if mode in ("disallow", "allow"):
            rules += f"Disallow: /article/{BY_NAME['robots_disallowed']}\n"
        if mode == "sitemaps":
            for name in ("xxe.xml", "laughs.xml", "bomb.xml.gz", "truncated.xml"):
                rules += f"Sitemap: {self.server.base_url}/sitemaps/{name}\n"
        self.send(200, rules.encode(), content_type="text/plain")

    def sitemap(self, name: str) -> None:
        urlset = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        ok_url = f"{self.server.base_url}/article/{BY_NAME['ok']}"
        if name == "xxe.xml":
            body = (f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>{urlset}'
                    f"<url><loc>{ok_url}?leak=&x;</loc></url></urlset>")
        elif name == "laughs.xml":
            entities = '<!ENTITY a "lol">' + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
            body = f'<?xml version="1.0"?><!DOCTYPE u [{entities}]>{urlset}<url><loc>{ok_url}&j;</loc></url></urlset>'
        elif name == "bomb.xml.gz":
            return self.send(200, bomb("gzip"), content_type="application/x-gzip")
        elif name == "truncated.xml":
            body = (f'<?xml version="1.0"?>{urlset}<url><loc>{ok_url}</loc></url>'
                    f"<url><loc>{self.server.base_url}/article/{BY_NAME['utf8_korean']}</loc></url><url><lo")
        else:
            return self.send(404, b"no such sitemap")
        self.send(200, body.encode(), content_type="application/xml")

    def do_ok(self, article_id: str, count: int) -> None:
        self.send(200, article_html(article_id).encode())

    do_robots_disallowed = do_ok

    def do_delay_headers(self, article_id: str, count: int) -> None:
        self.stall(STALL_LIMIT)
        self.send(200, article_html(article_id).encode())

    def do_stall_body(self, article_id: str, count: int) -> None:
        body = article_html(article_id).encode()
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(body)).encode() + b"\r\n\r\n" + body[:200])
        self.stall(STALL_LIMIT)

    def do_reset(self, article_id: str, count: int) -> None:
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

    def do_close_without_response(self, article_id: str, count: int) -> None:
        self.request.close()

    def do_truncated_length(self, article_id: str, count: int) -> None:
        body = article_html(article_id).encode()
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
                             + str(len(body) * 3).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        self.request.shutdown(socket.SHUT_RDWR)

    def do_broken_chunking(self, article_id: str, count: int) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                             b"10\r\n<html><body>abc\r\nZZZZ\r\nnot a chunk\r\n")
        self.request.shutdown(socket.SHUT_RDWR)

    def do_http_500(self, article_id: str, count: int) -> None:
        self.send(500, b"server error")

    def do_429_retry_after(self, article_id: str, count: int) -> None:
        if count == 1:
            return self.send(429, b"slow down", {"Retry-After": "2"})
        self.do_ok(article_id, count)

    def do_429_no_retry_after(self, article_id: str, count: int) -> None:
        if count <= 2:
            return self.send(429, b"slow down")
        self.do_ok(article_id, count)

    def do_http_403(self, article_id: str, count: int) -> None:
        self.send(403, b"forbidden")

    def do_http_404(self, article_id: str, count: int) -> None:
        self.send(404, b"not found")

    def do_http_410(self, article_id: str, count: int) -> None:
        self.send(410, b"gone")

    def do_consent_page(self, article_id: str, count: int) -> None:
        self.send(200, b"<html><body><div class='consent'><h1>Your privacy choices</h1><p>We use cookies."
                       b" Accept all cookies to continue.</p><button>Accept</button></div></body></html>")

    def do_redirect_loop(self, article_id: str, count: int) -> None:
        self.send(302, b"", {"Location": f"{self.server.base_url}/article/{article_id}?loop={count}"})

    def do_redirect_offsite(self, article_id: str, count: int) -> None:
        self.send(302, b"", {"Location": "http://evil.example.com/article/10000001"})

    def do_redirect_file(self, article_id: str, count: int) -> None:
        self.send(302, b"", {"Location": "file:///etc/passwd"})

    def do_too_large_with_length(self, article_id: str, count: int) -> None:
        self.send(200, b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>")

    def do_too_large_without_length(self, article_id: str, count: int) -> None:
        self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
        chunk = b"x" * 65536
        for _ in range(48):  # 3 MiB, until the crawler hangs up
            self.request.sendall(chunk)
        self.request.shutdown(socket.SHUT_RDWR)

    def _bomb(self, kind: str, encoding: str) -> None:
        self.send(200, bomb(kind), {"Content-Encoding": encoding})

    def do_gzip_bomb(self, article_id: str, count: int) -> None:
        self._bomb("gzip", "gzip")

    def do_deflate_bomb(self, article_id: str, count: int) -> None:
        self._bomb("deflate", "deflate")

    def do_brotli_bomb(self, article_id: str, count: int) -> None:
        self._bomb("br", "br")

    def do_control_characters(self, article_id: str, count: int) -> None:
        html = article_html(article_id, extra_body="<p>Null\x00 bytes and \x07bells\x1b in\x0b the text.</p><div><p>unclosed")
        self.send(200, html.encode())

    def do_euckr_header(self, article_id: str, count: int) -> None:
        self.send(200, article_html(article_id, charset="euc-kr").encode("euc-kr"),
                  content_type="text/html; charset=euc-kr")

    def do_euckr_meta(self, article_id: str, count: int) -> None:
        self.send(200, article_html(article_id, charset="euc-kr").encode("euc-kr"), content_type="text/html")

    def do_euckr_unlabelled(self, article_id: str, count: int) -> None:
        html = article_html(article_id).replace('<meta charset="utf-8">', "")
        self.send(200, html.encode("euc-kr"), content_type="text/html")

    def do_euckr_labelled_utf8(self, article_id: str, count: int) -> None:
        self.send(200, article_html(article_id).encode("euc-kr"), content_type="text/html; charset=utf-8")

    def do_utf8_korean(self, article_id: str, count: int) -> None:
        self.send(200, article_html(article_id).encode("utf-8"))

    def do_separators_and_surrogate(self, article_id: str, count: int) -> None:
        html = article_html(article_id, headline="Line\\u2028separator and a lone \\ud800 surrogate",
                            extra_body="<p>Paragraph\u2029separator inside.</p>")
        self.send(200, html.encode("utf-8"))
