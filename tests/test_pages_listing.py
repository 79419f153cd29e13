from herald_crawler.pages.listing import read_listing
from herald_crawler.urls import Site

SITE = Site()


def is_article(url):
    return SITE.article_id(url) is not None


CURRENT = """<html><body><header><a href="/article/10000001">header promo</a></header>
<article class="recent_news"><ul class="news_list">
<li><a href="/article/10456893"><p class="news_tit">One</p><p class="news_date">April 3, 2025</p></a></li>
<li><a href="https://m.koreaherald.com/article/10456894">Two</a><span>April 2, 2025</span></li>
<li><a href="/National">not an article</a></li>
</ul></article>
<aside class="popular"><a href="/article/10000002">popular</a></aside>
<div class="paging"><a href="?page=1" class="on">1</a><a href="?page=2">2</a><a href="?page=11" class="next">next</a></div>
</body></html>"""


def test_current_list_items_dates_and_the_next_page():
    listing = read_listing("https://www.koreaherald.com/National", CURRENT, 1, is_article)
    assert [(e.url, e.shown_date) for e in listing.entries] == [
        ("https://www.koreaherald.com/article/10456893", "April 3, 2025"),
        ("https://m.koreaherald.com/article/10456894", "April 2, 2025"),
    ]
    assert listing.next_url == "https://www.koreaherald.com/National?page=2"
    assert read_listing("https://www.koreaherald.com/National?page=2", CURRENT, 2, is_article).next_url.endswith("page=11")


LEGACY = """<html><body><div id="header"><a href="/view.php?ud=20230101000001">nav</a></div>
<div id="contents"><ul class="main_sec_li">
<li><a href="/view.php?ud=20230922000123&amp;np=1"><div class="main_l_t1">A</div></a>
<div class="main_l_t2">Social AffairsSept. 22, 2023</div></li>
</ul><div class="paging"><a href="/list.php?ct=020102000000&amp;np=2">2</a></div></div>
<div id="aside"><div class="most_popular"><a href="/view.php?ud=20230101000002">x</a></div></div>
</body></html>"""


def test_legacy_list_links_outside_the_page_chrome_and_glued_dates():
    listing = read_listing("https://www.koreaherald.com/list.php?ct=020102000000&np=1", LEGACY, 1, is_article)
    assert [(e.url, e.shown_date) for e in listing.entries] == [
        ("https://www.koreaherald.com/view.php?ud=20230922000123&np=1", "Sept. 22, 2023"),
    ]
    assert listing.next_url == "https://www.koreaherald.com/list.php?ct=020102000000&np=2"


def test_a_page_with_no_articles_has_no_next_page():
    listing = read_listing("https://www.koreaherald.com/National", "<html><body><div class=paging><a href='?page=2'>2</a></div></body></html>", 1, is_article)
    assert listing.entries == [] and listing.next_url is None
