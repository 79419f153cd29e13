import itertools

from herald_crawler.neardup import THRESHOLD, band_keys, signature, similarity
from tests.goldens import golden_paths, load_golden

BODIES = [load_golden(p)["body"] for p in golden_paths()]

EDITS = {
    "one word changed": lambda b: b.replace(" the ", " a ", 1),
    "a sentence added": lambda b: b + " The ministry did not comment further.",
    "a dateline added": lambda b: "SEOUL -- " + b,
    "a new lede paragraph": lambda b: "The government confirmed the plan on Friday after weeks of debate.\n\n" + b,
}


def test_republished_copies_with_small_edits_are_near_duplicates():
    for name, edit in EDITS.items():
        for body in BODIES:
            assert similarity(signature(body), signature(edit(body))) >= THRESHOLD, (name, body[:60])


def test_different_articles_are_not():
    worst = max(similarity(signature(a), signature(b)) for a, b in itertools.combinations(BODIES, 2))
    assert worst < 0.3


def test_near_copies_share_an_lsh_band_and_different_articles_do_not():
    body = BODIES[0]
    assert set(band_keys(signature(body))) & set(band_keys(signature(EDITS["one word changed"](body))))
    assert not set(band_keys(signature(BODIES[0]))) & set(band_keys(signature(BODIES[1])))


def test_signatures_are_stable_across_processes_and_256_bytes():
    assert signature(BODIES[0]) == signature(BODIES[0])
    assert len(signature(BODIES[0])) == 256
    assert len(signature("")) == 256
