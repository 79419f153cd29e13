from dataclasses import replace

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from herald_crawler.items import EXPORT_FIELDS, Article, exported
from herald_crawler.pages import Page, PageImage
from herald_crawler.pipelines import CleanPipeline, DedupPipeline, ValidatePipeline
from herald_crawler.spiders.herald import HeraldSpider


@pytest.fixture
def crawler():
    crawler = get_crawler(HeraldSpider)
    crawler.stats.open_spider()
    return crawler


def page(**overrides):
    fields = dict(
        url="http://127.0.0.1:8080/view.php?ud=20200826000789",
        article_id="20200826000789",
        layout="2017",
        title="Won slides  to three-week low",
        byline="By Choi Jae-hee",
        published="2020-08-26T15:44:00+09:00",
        updated="2020-08-26T20:36:00+09:00",
        sources={"title": "dom", "published_at": "dom", "updated_at": "dom", "byline": "dom", "section": "dom",
                 "body": "dom", "images": "dom"},
        section="Business",
        paragraphs=["The Korea Herald", "• Link copied", "The won fell.The Kospi fell too.",
                    "A dealer checks rates. (Yonhap)", "By Choi Jae-hee", "(cjh@heraldcorp.com)"],
        images=[PageImage("http://res.heraldm.com/a.jpg", "A dealer checks rates. (Yonhap)")],
        language="en",
        discovered_via="section",
        crawled_at="2026-11-28T01:00:00+00:00",
    )
    fields.update(overrides)
    return Page(**fields)


def article(**overrides) -> Article:
    """A page through clean, as new (version 1): what validation sees."""
    return replace(CleanPipeline().process_item(page()), version=1, **overrides)


def test_clean_turns_a_page_into_the_article(crawler):
    item = CleanPipeline(crawler).process_item(page())
    assert isinstance(item, Article)
    assert item.title == "Won slides to three-week low"
    assert item.body == "The won fell.\n\nThe Kospi fell too."
    assert item.images == [{"url": "http://res.heraldm.com/a.jpg", "caption": "A dealer checks rates.", "credit": "Yonhap"}]
    assert item.authors == [{"name": "Choi Jae-hee", "email": "cjh@heraldcorp.com"}]
    assert item.canonical_url == "https://www.koreaherald.com/view.php?ud=20200826000789"
    assert item.url == "http://127.0.0.1:8080/view.php?ud=20200826000789"
    assert item.word_count == 7
    assert (item.discovered_via, item.crawled_at) == ("section", "2026-11-28T01:00:00+00:00")


def test_a_page_whose_body_was_all_boilerplate_is_kept_with_a_warning(crawler):
    item = CleanPipeline(crawler).process_item(page(paragraphs=["Back To Top", "• Link copied"]))
    assert item.body == "" and item.title == "Won slides to three-week low"
    assert "body: nothing left after cleaning" in item.extraction["warnings"]
    assert item.extraction["sources"]["body"] is None
    assert crawler.stats.get_value("herald/extraction/warnings/body") == 1
    assert crawler.stats.get_value("herald/extraction/missing/body") == 1
    ValidatePipeline(crawler).process_item(replace(item, version=1))  # still a valid item


def test_clean_records_how_each_field_was_found(crawler):
    item = CleanPipeline(crawler).process_item(page(warnings=["published_at: unrecognised date 'x' (meta)"]))
    assert item.extraction["layout"] == "2017"
    sources = item.extraction["sources"]
    assert (sources["title"], sources["published_at"], sources["authors"], sources["agency"]) == (
        "dom", "dom", "dom", None
    )
    assert sources["subtitle"] is None  # the page shows none
    assert item.extraction["warnings"] == ["published_at: unrecognised date 'x' (meta)"]
    stats = crawler.stats
    assert stats.get_value("herald/extraction/source/title/dom") == 1
    assert stats.get_value("herald/extraction/missing/subtitle") == 1
    assert stats.get_value("herald/extraction/warnings/published_at") == 1
    assert stats.get_value("herald/extraction/pages_with_warnings") == 1


def test_validation_passes_a_clean_item_and_drops_an_invalid_one(crawler):
    validate = ValidatePipeline(crawler)
    good = article()
    assert validate.process_item(good) is good
    with pytest.raises(DropItem, match="invalid/published_at"):
        validate.process_item(replace(good, published_at="Aug 26, 2020"))
    with pytest.raises(DropItem, match="invalid/authors"):
        validate.process_item(replace(good, authors=[{"name": "", "email": None}]))
    assert crawler.stats.get_value("herald/dropped/invalid/published_at") == 1
    assert crawler.stats.get_value("herald/dropped/invalid/authors") == 1


def test_an_article_is_exported_once_per_run(crawler):
    dedup = DedupPipeline(crawler)
    first = article()
    assert dedup.process_item(first) is first
    with pytest.raises(DropItem, match="duplicate"):
        dedup.process_item(replace(first, url="http://m.koreaherald.com/view.php?ud=20200826000789"))
    assert dedup.process_item(replace(first, article_id="20200826000790")).article_id == "20200826000790"
    assert crawler.stats.get_value("herald/dropped/duplicate") == 1


def test_pipelines_pass_other_items_through():
    other = {"not": "an article"}
    for pipeline in (CleanPipeline(), ValidatePipeline(), DedupPipeline()):
        assert pipeline.process_item(other) is other


def test_field_order_is_the_documented_one():
    assert list(exported(article())) == EXPORT_FIELDS == [
        "article_id", "url", "canonical_url", "title", "subtitle", "authors", "byline", "agency",
        "published_at", "updated_at", "section", "subsection", "tags", "body", "images", "language",
        "layout", "word_count", "content_hash", "crawled_at", "discovered_via", "version", "duplicate_of",
        "extraction",
    ]
