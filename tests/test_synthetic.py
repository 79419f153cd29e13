"""The synthetic mirror generator (``benchmarks/synthetic.py``): pages the parser reads in their layout, at
realistic weight, under unique URLs of the site's two forms; navigation files that name them. No server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks import synthetic
from herald_crawler.offline import article_from_html, item_pipelines
from herald_crawler.pages.feed import feed_entries
from herald_crawler.sections import SECTIONS

COUNT = 60
BASE = "http://127.0.0.1:8123"
_URL_FORMS = re.compile(r"^/article/2\d{7}$|^/view\.php\?ud=(\d{8})00\d{4}$")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("synthetic")
    return root, synthetic.generate(root, COUNT, base_url=BASE)


def test_every_page_parses_in_its_layout_at_its_weight(mirror: tuple[Path, dict]) -> None:
    root, facts = mirror
    pipelines = item_pipelines()
    layouts = {layout: 0 for layout in synthetic.LAYOUTS}
    assert facts["files"] == COUNT
    for k, path in enumerate(facts["paths"]):
        page = root / "pages" / f"{k % 10000:04d}.html"
        data = page.read_bytes()
        assert 60 * 1024 <= len(data) <= 150_000, f"{page}: {len(data)} bytes"
        item = article_from_html(BASE + path, data, pipelines=pipelines)
        expected = synthetic.expected_item(synthetic.story(k), facts["ids"][k])
        assert item.layout == synthetic.layout_of(k) == expected["layout"]
        assert item.article_id == facts["ids"][k]
        assert (item.title, item.published_at) == (expected["title"], expected["published_at"])
        assert item.body.split("\n\n") == expected["body"]
        assert 6 <= len(expected["body"]) <= 14
        assert all(40 <= len(p.split()) <= 90 for p in expected["body"])
        assert 1 <= len(item.images) <= 3 and all(i["caption"] and i["credit"] for i in item.images)
        layouts[item.layout] += 1
    assert layouts == facts["layouts"] == {"cms": 24, "2023": 12, "2017": 12, "2012": 12}
    assert facts["page_bytes"] == sum(p.stat().st_size for p in (root / "pages").glob("*.html"))


def test_urls_are_unique_and_of_the_two_forms(mirror: tuple[Path, dict]) -> None:
    _, facts = mirror
    paths = facts["paths"]
    assert len(paths) == len(set(paths)) == len(set(facts["ids"])) == COUNT
    for k, path in enumerate(paths):
        match = _URL_FORMS.match(path)
        assert match, path
        assert path.startswith("/article/") == (synthetic.layout_of(k) == "cms")
        if match.group(1):  # the legacy id starts with a day of its layout's era
            start, end = synthetic.ERAS[synthetic.layout_of(k)]
            assert f"{start:%Y%m%d}" <= match.group(1) <= f"{end:%Y%m%d}"
    # Copies of one page file (k + 10000 j) keep unique URLs up to a million articles.
    copies = [synthetic.article_path(m + 10_000 * j) for m in (0, 4, 6, 8, 9999) for j in range(100)]
    assert len(set(copies)) == len(copies)


def test_navigation_names_every_article(mirror: tuple[Path, dict]) -> None:
    root, facts = mirror
    assert f"Sitemap: {BASE}/sitemaps/index.xml" in (root / "robots.txt").read_text("utf-8")
    urls = set(re.findall(r"<loc>([^<]+)</loc>", (root / "sitemaps" / "articles-1.xml").read_text("utf-8")))
    assert urls == {BASE + p for p in facts["paths"]}
    newest = feed_entries((root / "rss" / "newsAll.xml").read_bytes())
    assert len(newest) == 50 and all(e.published.endswith("+09:00") for e in newest)
    for section in SECTIONS:  # the files the crawler's section table asks for exist
        feed = section.feeds[0].rsplit("/", 1)[-1]
        assert (root / "rss" / f"{feed}.xml").exists(), feed
        current, legacy = section.list_paths
        assert (root / "sections" / f"{current.lstrip('/')}-1.html").exists(), current
        assert (root / "legacy" / f"{legacy.split('ct=')[1]}-1.html").exists(), legacy
