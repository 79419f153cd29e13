"""The markup-variation suite: every gold page (mirror and independent sets) rewritten the ways real CMS
output varies (``tests/variations/families.py``), each variant's truth derived from the page's, and our
extraction measured per variation family.

Per family, every variant must be exported, each scored field must be right on >= 99% of the variants,
body paragraphs must reach F1 >= 0.99, and no variant may leak boilerplate into the body. A failure lists
the worst variants with the fields that differ. ``make bench-robustness`` prints the same figures, with
trafilatura beside them.

The generator itself is tested too: every variant changes the page, keeps each golden paragraph as text,
and comes out the same when made again.
"""

from __future__ import annotations

import copy
import json
import random
from collections import defaultdict

import pytest

from benchmarks.scoring import FIELDS
from tests.goldens import independent_paths
from tests.variations import FAMILIES, generate
from tests.variations.families import Variant
from tests.variations.markup import Doc
from tests.variations.page import GoldPage, PageModel, load_pages
from tests.variations.runner import evaluate, family_summary, worst

FIELD_FLOOR = 0.99
BODY_F1_FLOOR = 0.99
MIN_APPLICABLE = 0.8  # share of pages each family must be able to vary


@pytest.fixture(scope="module")
def outcomes():
    return evaluate(("mirror", "independent"), workers=2, checks=True)


@pytest.fixture(scope="module")
def by_family(outcomes):
    results = defaultdict(list)
    for o in outcomes:
        for r in o.results:
            results[r.variant.family].append(r)
    return results


@pytest.fixture(scope="module")
def mirror_pages() -> dict[str, GoldPage]:
    return {p.key: p for p in load_pages(("mirror",)).pages}


# -- extraction, per family --------------------------------------------------------------------------------
@pytest.mark.parametrize("family", list(FAMILIES))
def test_family_extraction(family, by_family):
    results = by_family.get(family, [])
    assert results, f"{family}: no variants were made"
    s = family_summary(results)
    problems = []
    if s["exported"] < s["pages"]:
        problems.append(f"{s['pages'] - s['exported']} of {s['pages']} variants gave no item")
    for name in FIELDS:
        if name in s and s[name] < FIELD_FLOOR:
            problems.append(f"{name} right on {s[name]:.1%} of variants (floor {FIELD_FLOOR:.0%})")
    if s["body_f1"] < BODY_F1_FLOOR:
        problems.append(f"body paragraph F1 {s['body_f1']:.4f} (floor {BODY_F1_FLOOR})")
    if s["leakage_pages"]:
        problems.append(f"{s['leakage_pages']} variants leak boilerplate into the body")
    if problems:
        lines = [f"{family} ({s['pages']} variants): " + "; ".join(problems), "worst variants:"]
        lines += [f"  - {line[:600]}" for line in worst(results, 15)]
        pytest.fail("\n".join(lines), pytrace=False)


# -- the generator -----------------------------------------------------------------------------------------
def test_generator_reads_every_page(outcomes):
    errors = [e for o in outcomes for e in o.errors]
    assert not errors, "the generator could not analyse these pages:\n" + "\n".join(errors[:30])


def test_every_family_applies_to_most_pages(outcomes):
    pages = len(outcomes)
    applied = defaultdict(set)
    for o in outcomes:
        for r in o.results:
            applied[r.variant.family].add(o.page)
    reasons = defaultdict(list)
    for o in outcomes:
        for line in o.not_applicable:
            reasons[line.split("|")[1].split(":")[0]].append(line)
    thin = {f: len(applied[f]) for f in FAMILIES if len(applied[f]) < MIN_APPLICABLE * pages}
    assert not thin, f"families applied to too few of {pages} pages: {thin}\n" + "\n".join(
        line for f in thin for line in reasons[f][:10])


def test_variants_change_the_page(outcomes):
    unchanged = [u for o in outcomes for u in o.unchanged]
    assert not unchanged, "variants identical to their page:\n" + "\n".join(unchanged[:30])


def test_variants_keep_the_golden_paragraphs(outcomes):
    lost = [line for o in outcomes for line in o.lost_paragraphs]
    assert not lost, "variants whose body container no longer holds every golden paragraph:\n" + "\n".join(lost[:30])


def test_variants_are_deterministic(outcomes):
    moving = [line for o in outcomes for line in o.nondeterministic]
    assert not moving, "families giving different variants on a second run:\n" + "\n".join(moving)


def test_inserted_boilerplate_is_not_golden_text(mirror_pages):
    for page in list(mirror_pages.values())[::7]:
        body = " ".join(" ".join(p.split()) for p in page.truth["body"])
        for name in ("inserted_blocks", "share_promo_moved", "attributes_whitespace_comments"):
            for v in generate(page, name):
                if name == "attributes_whitespace_comments" and v.name != "comments":
                    continue  # only the comments variant adds text (commented-out markup)
                added = v.boilerplate[len(page.boilerplate):]
                assert added, f"{v.id}: the inserted texts are not in its boilerplate list"
                assert not [s for s in added if s in body], v.id


def test_loader_picks_up_the_independent_set():
    report = load_pages(("independent",))
    keys = {p.key for p in report.pages}
    skipped = {line.split(": ", 1)[0] for line in report.skipped}
    listed = {f"independent:{p.parent.name}/{p.stem}" for p in independent_paths()}
    assert keys <= listed and listed <= keys | skipped, (sorted(listed - keys - skipped), report.skipped)


# -- derived truth: the rules, on pages whose facts are known ---------------------------------------------
def variant(pages, key, family, name) -> Variant:
    found = [v for v in generate(pages[key], family) if v.name == name]
    assert found, f"{key}: {family}/{name} was not made"
    return found[0]


def test_jsonld_absent_falls_back_to_what_the_page_shows(mirror_pages):
    v = variant(mirror_pages, "mirror:cms/10704012", "jsonld", "absent")
    assert v.truth["tags"] == ["won", "exchange rate"]  # no meta keywords: the visible #tag links
    assert v.truth["published_at"] == "2026-03-27T09:30:00+09:00"  # the visible Published text
    assert "ld+json" not in v.html
    v = variant(mirror_pages, "mirror:cms/10722800", "jsonld", "absent")
    assert v.truth["agency"] is None  # Yonhap was named only by the JSON-LD author list
    assert v.truth["published_at"] is None and v.truth["updated_at"] == "2026-06-15T17:20:00+09:00"
    v = variant(mirror_pages, "mirror:cms/10456893", "jsonld", "absent")
    assert v.truth["tags"] == ["semiconductors", "exports", "AI servers"]  # meta keywords say the same
    assert v.truth == {k: val for k, val in json.loads(
        mirror_pages["mirror:cms/10456893"].json_path.read_text("utf-8")).items() if not k.startswith("_")}


def test_malformed_jsonld_counts_as_absent(mirror_pages):
    for name in ("truncated", "trailing_comma"):
        v = variant(mirror_pages, "mirror:cms/10722800", "jsonld", name)
        assert v.truth["agency"] is None, name
        blocks = [el for el in Doc(v.html).find_elements("script") if el.attr("type") == "application/ld+json"]
        with pytest.raises(ValueError):
            for el in blocks:
                json.loads(v.html[el.content_start:el.content_end], strict=False)


def test_a_raw_newline_in_jsonld_is_read_as_lenient_readers_do(mirror_pages):
    page = mirror_pages["mirror:cms/10722800"]
    v = variant(mirror_pages, page.key, "jsonld", "raw_newline")
    assert v.truth["agency"] == page.truth["agency"] is not None


def test_a_legacy_page_left_with_no_date_is_dated_by_its_id(mirror_pages):
    # the crawler's documented rule: the id's first eight digits are the publication day in Korea time
    from tests.variations.families import date_by_id

    truth = {"article_id": "20140602000120", "published_at": None, "updated_at": None}
    assert date_by_id(truth) and truth["published_at"] == "2014-06-02T00:00:00+09:00"
    cms = {"article_id": "10456893", "published_at": None, "updated_at": None}
    assert date_by_id(cms) == [] and cms["published_at"] is None


def test_moved_jsonld_keeps_the_truth(mirror_pages):
    page = mirror_pages["mirror:cms/10456893"]
    for name in ("moved_to_body", "graph", "top_level_list"):
        v = variant(mirror_pages, page.key, "jsonld", name)
        assert v.truth == page.truth, name


def test_meta_keywords_removed(mirror_pages):
    v = variant(mirror_pages, "mirror:2017/20190213002074", "meta_absent", "keywords_absent")
    assert v.truth["tags"] == []
    v = variant(mirror_pages, "mirror:cms/10738110", "meta_absent", "keywords_absent")
    assert v.truth["tags"] == ["Moonsal", "world tour"]  # no JSON-LD keywords: the #tag links


def test_byline_variants(mirror_pages):
    page = mirror_pages["mirror:2017/20200826000789"]
    v = variant(mirror_pages, page.key, "bylines", "three_list")
    names = [a["name"] for a in v.truth["authors"]]
    assert len(names) == 3 and v.truth["byline"] == f"By {names[0]}, {names[1]} and {names[2]}"
    assert all(a["email"] for a in v.truth["authors"])  # the page keeps an e-mail line, rewritten
    assert "Choi Jae-hee" not in v.html
    v = variant(mirror_pages, page.key, "bylines", "agency_by")
    assert (v.truth["byline"], v.truth["authors"], v.truth["agency"]) == ("By Yonhap", [], "Yonhap")
    v = variant(mirror_pages, page.key, "bylines", "correspondent")
    assert v.truth["byline"].endswith(", Korea Herald correspondent") and len(v.truth["authors"]) == 1
    # 2012: the reporter line at the end of the body is the byline; a closing (Yonhap) keeps the agency.
    v = variant(mirror_pages, "mirror:2012/20120917000712", "bylines", "two_and")
    assert v.truth["byline"].startswith("By ") and "@heraldcorp.com" in v.truth["byline"]
    assert v.truth["agency"] == "Yonhap" and len(v.truth["authors"]) == 2


def test_date_variants(mirror_pages):
    page = mirror_pages["mirror:cms/10456893"]
    v = variant(mirror_pages, page.key, "dates", "no_updated")
    assert v.truth["updated_at"] is None and "Updated" not in v.html and "dateModified" not in v.html
    v = variant(mirror_pages, page.key, "dates", "style_numeric")
    assert "Published : 2025-04-03 09:15" in v.html and v.truth == page.truth
    v = variant(mirror_pages, "mirror:2012/20140523000456", "dates", "style_ap")
    assert "Published : May 23, 2014 - 09:24" in v.html
    v = variant(mirror_pages, "mirror:2017/20200826000789", "dates", "style_ap")
    assert "Aug. 26, 2020 - 15:44" in v.html


def test_credit_variants(mirror_pages):
    page = mirror_pages["mirror:2012/20140523000456"]
    caption = page.truth["images"][0]["caption"]
    for name, shown in (("bracket", f"{caption} [Yonhap]"), ("photo_colon", f"{caption} Photo: Yonhap"),
                        ("yonhap_photo", f"{caption} Yonhap photo"), ("slash", f"{caption} / Yonhap")):
        v = variant(mirror_pages, page.key, "credits", name)
        assert shown in v.html and v.truth["images"] == [{**page.truth["images"][0], "credit": "Yonhap"}]
    v = variant(mirror_pages, page.key, "credits", "credit_only")
    assert v.truth["images"][0]["caption"] is None and v.truth["images"][0]["credit"] == "Yonhap"
    v = variant(mirror_pages, "mirror:2012/20130408001127", "credits", "paren")  # a page without photos
    assert len(v.truth["images"]) == 1 and v.truth["images"][0]["url"] in v.html


def test_charset_variants_keep_the_characters(mirror_pages):
    page = mirror_pages["mirror:2017/20200826000789"]
    for v in generate(page, "charset"):
        assert v.truth == page.truth
        if v.name.startswith("cp949"):
            text = v.html.decode("cp949")
            assert "피터빈트" in text and ("euc-kr" in text.lower() or "euc-kr" in v.content_type.lower())
            assert PageModel(text, v.truth, v.layout).paras


def test_generator_is_seeded_per_page_and_family(mirror_pages):
    page = mirror_pages["mirror:2023/20240102050117"]
    first = [v.html for v in generate(page, "inserted_blocks")]
    random.seed(12345)  # the global generator must not matter
    assert [v.html for v in generate(copy.deepcopy(page), "inserted_blocks")] == first
