"""Scrapy alone on the benchmark mirror: every article URL of its sitemaps fetched, nothing else done.

``scrapy runspider benchmarks/floor_spider.py -a sitemaps=DIR`` (run outside the project, so none of its
settings, middlewares or pipelines apply) with the crawl's concurrency: the pages per second Scrapy itself
reaches on this machine with 100 KB pages, the ceiling of any Scrapy crawl of the same mirror.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy

_ARTICLE_LOC = re.compile(r"<loc>([^<]+/(?:article/|view\.php)[^<]*)</loc>")


class FloorSpider(scrapy.Spider):
    name = "floor"
    custom_settings = {
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 32, "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False, "LOG_LEVEL": "INFO",
    }

    def __init__(self, sitemaps: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sitemaps = Path(sitemaps)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for path in sorted(self.sitemaps.glob("*.xml")):
            for url in _ARTICLE_LOC.findall(path.read_text()):
                yield scrapy.Request(url.replace("&amp;", "&"))

    def parse(self, response: scrapy.http.Response) -> Any:
        yield {"bytes": len(response.body)}
