from herald_crawler.pages.feed import feed_entries
from tests.mirror.server import SITE


def test_rss_items_with_cdata_and_colon_offsets():
    body = b"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
    <item><title><![CDATA[One & two]]></title><link>https://www.koreaherald.com/article/10456893</link>
    <description><![CDATA[<p>Lead <b>text</b></p>]]></description><pubDate>Wed, 19 Aug 2026 11:29:16 +09:00</pubDate></item>
    <item><title>Two</title><link> http://m.koreaherald.com/view.php?ud=20200826000789&amp;md=1 </link></item>
    <item><title>No link</title></item>
    </channel></rss>"""
    entries = feed_entries(body)
    assert [(e.url, e.published, e.title) for e in entries] == [
        ("https://www.koreaherald.com/article/10456893", "Wed, 19 Aug 2026 11:29:16 +09:00", "One & two"),
        ("http://m.koreaherald.com/view.php?ud=20200826000789&md=1", None, "Two"),
    ]


def test_atom_entries():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
    <link href="https://www.koreaherald.com/article/10456893"/><published>2025-04-03T09:15:00</published></entry></feed>"""
    assert [e.url for e in feed_entries(body)] == ["https://www.koreaherald.com/article/10456893"]


def test_empty_broken_and_hostile_feeds_give_no_entries():
    assert feed_entries(b"") == []
    assert feed_entries(b"<html><body>Not found</body></html>") == []
    laughs = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">
    <!ENTITY x SYSTEM "file:///etc/passwd">]><rss><channel><item><link>&x;&b;</link></item></channel></rss>"""
    for entry in feed_entries(laughs):
        assert "root:" not in entry.url


def test_the_mirror_feeds_parse():
    news_all = feed_entries((SITE / "rss" / "newsAll.xml").read_bytes())
    assert news_all and all(e.published for e in news_all)
