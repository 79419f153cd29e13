import pytest

from herald_crawler.urls import Site, canonical_url, is_valid_ud, path_article_id, ud_date

SITE = Site()


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://www.koreaherald.com/view.php?ud=20200826000789", "20200826000789"),
        ("http://koreaherald.com/view.php?ud=20200826000789&md=20200826154400_1", "20200826000789"),
        ("http://m.koreaherald.com/view.php?ud=20200826000789&kr=1&nt=1&mp=&np=3", "20200826000789"),
        ("https://m.koreaherald.com/amp/view.php?ud=20200826000789", "20200826000789"),
        ("http://www01.koreaherald.com/view.php?ud=20200826000789&ACE_SEARCH=1", "20200826000789"),
        ("http://nwww.koreaherald.com/view.php?ud=20200826000789", "20200826000789"),
        ("http://news.koreaherald.com/view.php?ud=20200826000789", "20200826000789"),
        ("http://khnews.kheraldm.com/view.php?ud=20200826000789", "20200826000789"),
        ("http://khnews.heraldcorp.com/view.php?ud=20200826000789", "20200826000789"),
        ("http://khview.heraldm.com/view.php?ud=20200826000789", "20200826000789"),
        # the broken form the legacy feed emitted in Aug 2023
        ("https://www.koreaherald.com/view.php?ud=/view.php?ud=20230814000600", "20230814000600"),
        ("https://www.koreaherald.com/article/10456893", "10456893"),
        ("https://m.koreaherald.com/article/10663337/", "10663337"),
        ("https://www.koreaherald.com/amp/article/10663337", "10663337"),
    ],
)
def test_article_ids_on_every_known_host_and_form(url, expected):
    assert SITE.article_id(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.koreaherald.com/National",
        "https://www.koreaherald.com/list.php?ct=020100000000",
        "https://www.koreaherald.com/view.php?ud=2020082600078",  # 13 digits
        "https://www.koreaherald.com/view.php?ud=20201326000789",  # month 13
        "https://www.koreaherald.com/article/1045689",  # 7 digits
        "https://www.koreaherald.com/reporter/1234567",
        "https://example.com/view.php?ud=20200826000789",  # not a site host
        "https://evil-koreaherald.com/article/10456893",
        "ftp://www.koreaherald.com/article/10456893",
        "file:///etc/passwd",
        "javascript:void(0)",
    ],
)
def test_non_article_urls_have_no_id(url):
    assert SITE.article_id(url) is None


def test_relative_links_resolve_against_the_page():
    assert SITE.article_id("/view.php?ud=20200826000789", base="https://www.koreaherald.com/National") == "20200826000789"


def test_loopback_is_the_site_only_when_it_is_the_base_url():
    mirror = Site("http://127.0.0.1:8080/")
    assert mirror.base_url == "http://127.0.0.1:8080"
    assert mirror.article_id("http://127.0.0.1:8080/article/10456893") == "10456893"
    assert mirror.article_id("http://127.0.0.1:9999/article/10456893") is None
    assert SITE.article_id("http://127.0.0.1:8080/article/10456893") is None
    # real hosts stay recognised, and are fetched on the base URL
    assert mirror.article_id("https://m.koreaherald.com/article/10456893") == "10456893"
    assert mirror.article_fetch_url("10456893") == "http://127.0.0.1:8080/article/10456893"
    assert mirror.article_fetch_url("20200826000789") == "http://127.0.0.1:8080/view.php?ud=20200826000789"


@pytest.mark.parametrize("bad", ["ftp://www.koreaherald.com", "www.koreaherald.com", "", "http://"])
def test_a_base_url_that_is_not_http_is_refused_with_the_value(bad):
    with pytest.raises(ValueError, match="HERALD_BASE_URL"):
        Site(bad)


def test_canonical_url_is_always_on_www_over_https():
    assert canonical_url("20200826000789") == "https://www.koreaherald.com/view.php?ud=20200826000789"
    assert canonical_url("10456893") == "https://www.koreaherald.com/article/10456893"


def test_path_article_id_ignores_the_host():
    assert path_article_id("http://127.0.0.1:1/view.php?ud=20200826000789") == "20200826000789"


def test_ud_carries_its_publication_date():
    assert is_valid_ud("20200826000789")
    assert ud_date("20200826000789") == "2020-08-26"
    assert not is_valid_ud("19890826000789")
