import json
from importlib import resources

from jsonschema import Draft7Validator

from herald_crawler.items import EXPORT_FIELDS
from herald_crawler.validation import problems, schema
from tests.goldens import golden_paths, load_golden


SOURCES = {name: "dom" for name in ("title", "subtitle", "byline", "authors", "agency", "published_at", "updated_at",
                                    "section", "subsection", "tags", "body", "images")}
CRAWL = {"crawled_at": "2026-11-28T01:00:00+00:00", "discovered_via": "feed", "version": 1, "duplicate_of": None,
         "extraction": {"layout": "2017", "sources": SOURCES, "warnings": []}}


def test_the_schema_ships_in_the_package_and_is_valid():
    text = resources.files("herald_crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    Draft7Validator.check_schema(json.loads(text))
    assert schema()["required"] == EXPORT_FIELDS


def test_every_golden_item_is_valid():
    for path in golden_paths():
        item = load_golden(path) | CRAWL
        assert problems(item) == [], path


def test_problems_name_the_field():
    good = load_golden(golden_paths()[0]) | CRAWL
    assert problems(good) == []
    assert problems(good | {"published_at": "2014-05-23 09:24"})[0].startswith("published_at:")
    assert problems(good | {"authors": [{"name": "", "email": None}]})[0].startswith("authors/0/name:")
    assert "extra" in problems(good | {"extra": 1})[0]
    assert problems({k: v for k, v in good.items() if k != "title"})[0].startswith("(item):")


def test_the_extraction_record_is_checked_too():
    good = load_golden(golden_paths()[0]) | CRAWL
    extraction = CRAWL["extraction"]
    assert problems(good | {"extraction": extraction | {"layout": "2030"}})[0].startswith("extraction/layout:")
    unknown_source = extraction | {"sources": SOURCES | {"title": "guess"}}
    assert problems(good | {"extraction": unknown_source})[0].startswith("extraction/sources/title:")
    missing = {k: v for k, v in SOURCES.items() if k != "body"}
    assert problems(good | {"extraction": extraction | {"sources": missing}})
    # a field that could not be read is null with a warning, and the item stays valid
    assert problems(good | {"title": None, "body": "", "word_count": 0,
                            "extraction": extraction | {"warnings": ["title: none found on the page"]}}) == []
