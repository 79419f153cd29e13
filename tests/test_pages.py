"""Every mirror page against its hand-written golden item, through the parsers and the item pipelines."""

from dataclasses import asdict

import pytest

from herald_crawler.offline import article_from_html, item_pipelines
from herald_crawler.pages import ParseError, detect_layout, parse_article
from herald_crawler.pages.base import Document
from tests.goldens import ARTICLES, INDEPENDENT, differences, golden_paths, independent_paths, load_golden, page_of

GOLDENS = golden_paths()
INDEPENDENT_GOLDENS = independent_paths()


@pytest.fixture(scope="module")
def pipelines():
    return item_pipelines()


@pytest.mark.parametrize("golden_path", GOLDENS, ids=[str(p.relative_to(ARTICLES)) for p in GOLDENS])
def test_page_gives_its_golden_item(golden_path, pipelines, page_response):
    golden = load_golden(golden_path)
    response = page_response(str(page_of(golden_path).relative_to(ARTICLES.parent)), url=golden["url"])
    item = asdict(article_from_html(response.url, response.text, discovered_via="feed", pipelines=pipelines))
    assert differences(item, golden) == {}
    assert item["layout"] == golden_path.parent.name


@pytest.mark.parametrize(
    "golden_path", INDEPENDENT_GOLDENS, ids=[str(p.relative_to(INDEPENDENT)) for p in INDEPENDENT_GOLDENS]
)
def test_independent_page_gives_its_golden_item(golden_path, pipelines):
    # pages rendered from the shared notes alone, by hands that never saw the parsers (tests/independent)
    golden = load_golden(golden_path)
    item = asdict(article_from_html(golden["url"], page_of(golden_path).read_bytes(), pipelines=pipelines))
    assert differences(item, golden) == {}
    assert item["layout"] == golden_path.parent.name


def test_the_independent_set_holds_at_least_ten_pages_per_layout():
    for layout in ("2012", "2017", "2023", "cms"):
        assert len(list((INDEPENDENT / layout).glob("*.json"))) >= 10, layout
    assert list((INDEPENDENT / "generic").glob("*.json")), "no page of an unknown layout"


def test_the_mirror_holds_at_least_three_pages_per_layout():
    for layout in ("2012", "2017", "2023", "cms"):
        assert len(list((ARTICLES / layout).glob("*.json"))) >= 3, layout


@pytest.mark.parametrize("golden_path", GOLDENS, ids=[str(p.relative_to(ARTICLES)) for p in GOLDENS])
def test_layout_is_chosen_by_markup_not_by_url_or_date(golden_path):
    # the same page fetched under an unrelated URL is still read by its own era's parser
    html = page_of(golden_path).read_bytes()
    assert detect_layout(Document("https://www.koreaherald.com/x", html)).name == golden_path.parent.name


@pytest.mark.parametrize(
    "html, reason",
    [
        ("", "empty_page"),
        ("<html><body><div class='nview'><div class='title_sec'> </div><div id='articleText'> </div></div></body></html>",
         "not_an_article"),
        ("<html><head><title>404 Not Found</title></head><body><h1>Page not found</h1>"
         "<p>The page you requested does not exist.</p></body></html>", "error_page"),
        ("<html><body><div class='consent'><h2>We value your privacy</h2><p>We and our partners use cookies to "
         "personalise content.</p><button>Accept all</button></div></body></html>", "error_page"),
        ("<html><head><title>The Korea Herald</title></head><body><h1>Members only</h1><p>Please log in to "
         "continue reading this article.</p></body></html>", "error_page"),
    ],
)
def test_pages_that_are_not_articles_are_refused_with_a_reason(html, reason):
    with pytest.raises(ParseError) as caught:
        parse_article("https://www.koreaherald.com/view.php?ud=20140523000456", html)
    assert caught.value.reason == reason


def test_a_page_without_body_text_keeps_its_title_and_says_so():
    html = '<html><body><div class="nview"><div class="title_sec">T</div><div id="articleText"> </div></div></body></html>'
    page = parse_article("https://www.koreaherald.com/view.php?ud=20140523000456", html)
    assert (page.title, page.paragraphs, page.layout) == ("T", [], "2012")
    assert "body: no article text found on the page" in page.warnings


def test_a_page_without_a_title_keeps_its_body_and_says_so():
    html = '<html><body><div class="nview"><div class="title_sec"> </div><div id="articleText">Text</div></div></body></html>'
    page = parse_article("https://www.koreaherald.com/view.php?ud=20140523000456", html)
    assert (page.title, page.paragraphs) == (None, ["Text"])
    assert "title: none found on the page" in page.warnings


def test_a_short_article_that_mentions_errors_is_an_article():
    # the error-page check reads the title and first words only when little article text was found
    body = " ".join(["A clerical error at the tax office was not found for months, officials said."] * 8)
    html = f"<html><body><h1>Tax office error goes unnoticed</h1><div class='story'><p>{body}</p></div></body></html>"
    page = parse_article("https://www.koreaherald.com/article/10456893", html)
    assert page.layout == "generic" and page.title == "Tax office error goes unnoticed"


def test_article_id_falls_back_to_the_url_the_page_states():
    html = page_of(ARTICLES / "cms" / "10456893.json").read_bytes()
    page = parse_article("https://www.koreaherald.com/some/redirected/path", html)
    assert page.article_id == "10456893"


def test_an_anchor_named_like_the_body_id_does_not_stand_in_for_it():
    # libxml2's id table, which finds ids without a walk over the tree, also holds <a name="...">.
    html = (
        '<html><body><div class="nview"><a name="articleText"></a><div class="title_sec">Title</div>'
        '<div id="articleText">Body text.</div></div></body></html>'
    )
    page = parse_article("https://www.koreaherald.com/view.php?ud=20150101000001", html)
    assert page.paragraphs == ["Body text."]


def test_a_finder_made_after_pages_were_read_still_finds_its_class():
    # What each class attribute value holds of the wanted names is remembered across pages: a finder for a
    # new name must not be answered from what was remembered before it existed.
    from herald_crawler.pages.base import by_class

    html = '<html><body><div class="box later-name">x</div></body></html>'
    Document("https://www.koreaherald.com/article/10000001", html).with_class(("box",))
    finder = by_class("later-name")
    found = finder(Document("https://www.koreaherald.com/article/10000001", html))
    assert [element.text for element in found] == ["x"]


def test_hidden_labels_go_but_the_collapsed_rest_of_an_article_stays():
    long_text = " ".join(["The rest of the article explains how the new routes were chosen after a survey."] * 6)
    html = (
        "<html><body><div class='nview'><div class='title_sec'>Night buses</div><div id='articleText'>"
        "<p>The city will add night bus routes.</p><span class='blind'>Share this article</span>"
        "<div class='ad-slot'>Advertisement</div>"
        f"<div class='more-text' style='display:none'><p>{long_text}</p></div>"
        f"<div class='ad_wrap'><p>{long_text} Left open by the markup.</p></div>"
        "</div></div></body></html>"
    )
    page = parse_article("https://www.koreaherald.com/view.php?ud=20140523000456", html)
    assert page.paragraphs == ["The city will add night bus routes.", long_text, f"{long_text} Left open by the markup."]
