import json
from importlib import resources

from jsonschema import Draft202012Validator

from herald_crawler.items import EXPORT_FIELDS
from herald_crawler.validation import problems, schema
from tests.goldens import golden_paths, load_golden


CRAWL = {"crawled_at": "2026-11-28T01:00:00+00:00", "discovered_via": "feed", "version": 1, "duplicate_of": None}


def test_the_schema_ships_in_the_package_and_is_valid():
    text = resources.files("herald_crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    Draft202012Validator.check_schema(json.loads(text))
    assert schema()["required"] == EXPORT_FIELDS


def test_every_golden_item_is_valid():
    for path in golden_paths():
        item = load_golden(path) | CRAWL
        assert problems(item) == [], path


def test_problems_name_the_field():
    item = load_golden(golden_paths()[0]) | CRAWL
    item["published_at"] = "2014-05-23 09:24"
    item["extra"] = 1
    found = problems(item)
    assert any(p.startswith("published_at:") for p in found)
    assert any("extra" in p for p in found)
