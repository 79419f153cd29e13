import pytest

from herald_crawler.arguments import CHANNELS, DEFAULT_MAX_PAGES, ArgumentError, parse_arguments
from herald_crawler.sections import SECTIONS
from herald_crawler.urls import Site

SITE = Site("http://127.0.0.1:8080")


def test_defaults_discover_everything():
    options = parse_arguments({}, SITE)
    assert options.channels == CHANNELS and options.sections == SECTIONS
    assert options.max_pages == DEFAULT_MAX_PAGES and not options.explicit


def test_sections_channels_and_max_pages():
    options = parse_arguments({"sections": "national, business", "channels": "section", "max_pages": "2"}, SITE)
    assert [s.name for s in options.sections] == ["National", "Business"]
    assert options.channels == ("section",) and options.max_pages == 2 and options.sections_chosen


def test_the_channels_setting_applies_when_the_argument_is_absent():
    assert parse_arguments({}, SITE, "feed").channels == ("feed",)
    with pytest.raises(ArgumentError, match="HERALD_CHANNELS: unknown channel 'rss'"):
        parse_arguments({}, SITE, "feed,rss")


def test_urls_fetch_exactly_those(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# articles\nhttps://m.koreaherald.com/article/10456893\n\nhttp://127.0.0.1:8080/view.php?ud=20200826000789\n")
    options = parse_arguments({"urls": "https://www.koreaherald.com/article/10456894", "urls_file": str(listing)}, SITE)
    assert options.explicit and options.channels == ()
    assert options.urls == (
        "https://www.koreaherald.com/article/10456894",
        "https://m.koreaherald.com/article/10456893",
        "http://127.0.0.1:8080/view.php?ud=20200826000789",
    )


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"max_pages": "abc"}, r"max_pages='abc' is not accepted: expected a whole number of 1 or more"),
        ({"max_pages": "0"}, r"max_pages='0'"),
        ({"sections": "National,Wrold"}, r"unknown section 'Wrold': accepted are National, Business"),
        ({"sections": " , "}, r"names no section"),
        ({"channels": "feed,rss"}, r"unknown channel 'rss': accepted are feed, section, sitemap"),
        ({"urls": "https://example.com/view.php?ud=20200826000789"}, r"'https://example.com/view.php\?ud=20200826000789' is not a Korea Herald article URL"),
        ({"urls": "https://www.koreaherald.com/National"}, r"not a Korea Herald article URL"),
        ({"urls": "file:///etc/passwd"}, r"'file:///etc/passwd' is not a Korea Herald article URL"),
        ({"urls": ","}, r"name no article URL"),
        ({"urls": "https://www.koreaherald.com/article/10456893", "sections": "National"}, r"sections cannot be combined with urls"),
        ({"urls_file": "/no/such/file.txt"}, r"urls_file='/no/such/file.txt': no such file"),
        ({"section": "National"}, r"unknown argument 'section': accepted are urls, urls_file, sections, max_pages, channels"),
    ],
)
def test_bad_values_are_named_with_what_is_accepted(arguments, message):
    with pytest.raises(ArgumentError, match=message):
        parse_arguments(arguments, SITE)


def test_a_bad_line_in_urls_file_is_named_by_its_number(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("https://www.koreaherald.com/article/10456893\nnot a url\n")
    with pytest.raises(ArgumentError, match=r"urls_file .*urls.txt line 2: 'not a url'"):
        parse_arguments({"urls_file": str(listing)}, SITE)


def test_scrapyd_job_argument_is_ignored():
    assert not parse_arguments({"_job": "abc123"}, SITE).explicit
