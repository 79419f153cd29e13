"""The spider's navigation decisions, callback by callback, on saved and synthetic responses."""

import asyncio

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from herald_crawler.dates import KST
from herald_crawler.extensions import RunState
from herald_crawler.pages import Page
from herald_crawler.spiders.herald import HeraldSpider

BASE = "http://127.0.0.1:8080"


@pytest.fixture
def make_spider(tmp_path):
    """A spider with its run state (store in ``tmp_path``) opened, as a crawl would have it."""

    def make(**arguments):
        crawler = get_crawler(HeraldSpider, {
            "HERALD_BASE_URL": BASE,
            "HERALD_STATE_PATH": str(tmp_path / "state.sqlite"),
            "HERALD_OUTPUT_DIR": str(tmp_path / "output"),
        })
        crawler.stats.open_spider()
        spider = HeraldSpider.from_crawler(crawler, **arguments)
        spider.state = RunState.from_crawler(crawler)
        spider.state.spider_opened(spider)
        return spider

    yield make


def start_requests(spider):
    async def collect():
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def collect(agen):
    async def run():
        return [x async for x in agen]

    return asyncio.run(run())


def backlog(spider):
    """The article requests discovery queued (and empties the queue)."""
    requests = []
    while spider._backlog:
        requests.append(spider._article_request(*spider._backlog.popleft()))
    return requests


def respond(request, body, cls=HtmlResponse, status=200):
    return cls(url=request.url, body=body, encoding="utf-8", request=request, status=status)


def test_explicit_urls_are_fetched_on_the_base_url_once_each(make_spider):
    spider = make_spider(urls="https://m.koreaherald.com/article/10456893,https://www.koreaherald.com/article/10456893,"
                              "http://khnews.heraldcorp.com/view.php?ud=20200826000789&md=1")
    requests = start_requests(spider)
    assert [r.url for r in requests] == [f"{BASE}/article/10456893", f"{BASE}/view.php?ud=20200826000789"]
    assert {r.meta["discovered_via"] for r in requests} == {"urls"}
    assert spider.crawler.stats.get_value("herald/discovered/repeat") == 1


def test_discovery_starts_every_channel_on_the_base_url(make_spider):
    spider = make_spider()
    urls = [r.url for r in start_requests(spider)]
    assert urls[0] == f"{BASE}/rss/newsAll"
    assert f"{BASE}/rss/kh_National" in urls and f"{BASE}/National" in urls and f"{BASE}/robots.txt" in urls
    assert all(u.startswith(BASE) for u in urls)
    assert spider.allowed_domains == ["127.0.0.1"]


def test_choosing_sections_and_channels_narrows_the_start(make_spider):
    urls = [r.url for r in start_requests(make_spider(sections="Sports", channels="feed,section"))]
    assert urls == [f"{BASE}/rss/kh_Sports", f"{BASE}/Sports"]  # newsAll mixes sections: left out


def test_feed_links_become_article_requests_once_per_id(make_spider):
    spider = make_spider()
    start_requests(spider)
    request = Request(f"{BASE}/rss/newsAll", meta={"channel": "feed", "sources": []})
    body = b"""<rss><channel>
      <item><link>https://www.koreaherald.com/article/10456893</link></item>
      <item><link>https://m.koreaherald.com/article/10456893?x=1</link></item>
      <item><link>https://www.koreaherald.com/view.php?ud=/view.php?ud=20230814000600</link></item>
      <item><link>https://www.koreaherald.com/National</link></item></channel></rss>"""
    assert list(spider.parse_feed(respond(request, body, XmlResponse))) == []
    out = backlog(spider)
    assert [r.url for r in out] == [f"{BASE}/article/10456893", f"{BASE}/view.php?ud=20230814000600"]
    assert all(r.meta["discovered_via"] == "feed" and r.callback == spider.parse_article for r in out)
    stats = spider.crawler.stats
    assert stats.get_value("herald/channel/feed/ok") == 1
    assert stats.get_value("herald/discovered/not_article") == 1
    assert stats.get_value("herald/discovered/repeat") == 1


def test_a_failing_source_falls_back_to_its_legacy_form_then_gives_up(make_spider):
    spider = make_spider()
    start_requests(spider)
    first = Request(f"{BASE}/rss/kh_National", meta={"channel": "feed", "sources": ["/common/rss_xml.php?ct=102"]})
    failure = Failure(HttpError(respond(first, b"", status=404)))
    failure.request = first
    (fallback,) = list(spider.source_failed(failure))
    assert fallback.url == f"{BASE}/common/rss_xml.php?ct=102" and fallback.meta["sources"] == []
    # the legacy form answers but is empty: the source gives up, counted
    assert list(spider.parse_feed(respond(fallback, b"<rss><channel></channel></rss>", XmlResponse))) == []
    stats = spider.crawler.stats
    assert stats.get_value("herald/channel/feed/failed") == 2
    assert stats.get_value("herald/channel/feed/gave_up") == 1


LIST = """<html><body><article class="recent_news"><ul class="news_list">
<li><a href="/article/10456893">A</a></li><li><a href="/article/10456894">B</a></li></ul></article>
<div class="paging"><a href="/National?page=2">2</a></div></body></html>"""


def test_section_pages_are_followed_up_to_max_pages(make_spider):
    spider = make_spider(max_pages="2")
    first = Request(f"{BASE}/National", meta={"channel": "section", "section": "National", "page": 1, "sources": []})
    (following,) = list(spider.parse_listing(respond(first, LIST)))
    articles = backlog(spider)
    assert [r.url for r in articles] == [f"{BASE}/article/10456893", f"{BASE}/article/10456894"]
    assert following.url == f"{BASE}/National?page=2" and following.meta["page"] == 2
    assert "download_latency" not in following.meta
    assert list(spider.parse_listing(respond(following, LIST.replace("10456893", "10456895")))) == []
    assert [r.url for r in backlog(spider)] == [f"{BASE}/article/10456895"]  # page 2 is the last one asked


def test_robots_sitemaps_on_site_hosts_only(make_spider):
    spider = make_spider()
    request = Request(f"{BASE}/robots.txt", meta={"channel": "sitemap", "sources": []})
    body = b"User-agent: *\nSitemap: https://www.koreaherald.com/sitemaps/index.xml\nSitemap: https://evil.example/s.xml\n"
    (sitemap,) = list(spider.parse_robots(respond(request, body, TextResponse)))
    assert sitemap.url == f"{BASE}/sitemaps/index.xml"
    assert spider.crawler.stats.get_value("herald/sitemap/offsite") == 1
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://www.koreaherald.com/sitemaps/a.xml</loc></sitemap></sitemapindex>"""
    (child,) = list(spider.parse_sitemap(respond(sitemap, index, XmlResponse)))
    urlset = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://koreaherald.com/view.php?ud=20200826000789</loc></url></urlset>"""
    assert list(spider.parse_sitemap(respond(child, urlset, XmlResponse))) == []
    (article,) = backlog(spider)
    assert article.url == f"{BASE}/view.php?ud=20200826000789" and article.meta["discovered_via"] == "sitemap"


def test_article_pages_become_pages_and_unknown_layouts_are_read_generically(make_spider, page_response):
    spider = make_spider()
    request = Request(f"{BASE}/article/10456893", meta={"discovered_via": "section", "article_id": "10456893"})
    saved = page_response("articles/cms/10456893.html", url=request.url)
    (page,) = collect(spider.parse_article(saved.replace(request=request)))
    assert isinstance(page, Page) and page.discovered_via == "section" and page.crawled_at.endswith("+00:00")
    new_layout = "<html><body><main class='story'><h1>A headline</h1><p>Some article text.</p></main></body></html>"
    (generic,) = collect(spider.parse_article(respond(request, new_layout)))
    assert (generic.layout, generic.title, generic.paragraphs) == ("generic", "A headline", ["Some article text."])
    assert spider.crawler.stats.get_value("herald/layout/generic") == 1
    # a 200 that is a consent wall or error page is a failed fetch, not a new layout
    consent = "<html><body><div class='consent'>We use cookies. Accept to continue.</div></body></html>"
    assert collect(spider.parse_article(respond(request, consent))) == []
    assert spider.crawler.stats.get_value("herald/failed/error_page") == 1


def test_a_bad_argument_stops_the_spider_before_it_starts(make_spider):
    with pytest.raises(ValueError, match="max_pages='-1'"):
        make_spider(max_pages="-1")


def _know(spider, article_id, published_at, last_fetched="2026-01-01T00:00:00+00:00"):
    from herald_crawler.store import ArticleState

    store = spider.state.store
    store.stage("earlier", ArticleState(article_id, "2026-01-01T00:00:00+00:00", last_fetched, "exported", "h",
                                        None, 1, published_at, None, "earlier"))
    store.publish_run("earlier", "t", {}, None, None, [], [])


def _requested(spider, urls, via="feed"):
    spider._article_requests([(u, None) for u in urls], via)
    return [r.url for r in backlog(spider)]


def test_known_articles_are_fetched_again_only_while_recent(make_spider):
    from datetime import datetime, timedelta

    now = datetime.now(KST)
    spider = make_spider()
    _know(spider, "10000001", (now - timedelta(days=30)).isoformat())
    _know(spider, "10000002", (now - timedelta(days=1)).isoformat())
    urls = [f"https://www.koreaherald.com/article/1000000{n}" for n in (1, 2, 3)]
    assert _requested(spider, urls) == [f"{BASE}/article/10000002", f"{BASE}/article/10000003"]
    assert spider.state.ledger.entries["10000001"].reason == "already_known"
    assert _requested(make_spider(refetch="all"), urls) == [f"{BASE}/article/1000000{n}" for n in (1, 2, 3)]


def test_a_known_article_that_showed_no_date_counts_from_when_it_was_first_seen(make_spider):
    # Its page gave no publication date: without one it would be fetched again by every run for ever.
    spider = make_spider()
    _know(spider, "10000004", None)  # first seen 2026-01-01
    assert _requested(spider, ["https://www.koreaherald.com/article/10000004"]) == []
    assert spider.state.ledger.entries["10000004"].reason == "already_known"


def test_recent_articles_fetched_a_moment_ago_wait_for_the_minimum_interval(make_spider, tmp_path):
    from datetime import datetime, timedelta, timezone

    crawler = get_crawler(HeraldSpider, {"HERALD_BASE_URL": BASE, "HERALD_REFETCH_MIN_HOURS": 6,
                                         "HERALD_STATE_PATH": str(tmp_path / "state.sqlite"),
                                         "HERALD_OUTPUT_DIR": str(tmp_path / "output")})
    crawler.stats.open_spider()
    spider = HeraldSpider.from_crawler(crawler)
    spider.state = RunState.from_crawler(crawler)
    spider.state.spider_opened(spider)
    an_hour_ago = (datetime.now(timezone.utc) - timedelta(hours=1)).replace(microsecond=0).isoformat()
    _know(spider, "10000002", datetime.now(KST).isoformat(), last_fetched=an_hour_ago)
    assert _requested(spider, ["https://www.koreaherald.com/article/10000002"]) == []
    assert spider.state.ledger.entries["10000002"].reason == "fetched_recently"


def test_the_backfill_window_skips_what_listings_date_outside_it(make_spider):
    spider = make_spider(since="2020-01-01", until="2020-12-31")
    entries = [("https://www.koreaherald.com/view.php?ud=20200826000789", None),  # id date inside
               ("https://www.koreaherald.com/view.php?ud=20190826000789", None),  # id date outside
               ("https://www.koreaherald.com/article/10456893", "April 3, 2025"),  # shown date outside
               ("https://www.koreaherald.com/article/10456894", None)]  # no date: fetched, judged later
    spider._article_requests(entries, "section")
    requested = [r.url for r in backlog(spider)]
    assert requested == [f"{BASE}/view.php?ud=20200826000789", f"{BASE}/article/10456894"]
    assert spider.crawler.stats.get_value("herald/skipped/outside_window") == 2


def test_urls_owed_by_earlier_runs_are_the_first_articles_requested(make_spider):
    from herald_crawler.store import QueuedUrl

    spider = make_spider(channels="feed", sections="Sports")
    spider.state.queued = [QueuedUrl("10000009", "https://www.koreaherald.com/article/10000009", "section",
                                     "failed", "http_500", 1)]
    first = [r for r in start_requests(spider) if r.callback == spider.parse_article][0]
    assert first.url == f"{BASE}/article/10000009" and first.meta["discovered_via"] == "section"
    assert spider.state.ledger.entries["10000009"].attempts == 1
