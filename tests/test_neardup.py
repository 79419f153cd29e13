import hashlib
import itertools

import pytest

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


@pytest.mark.parametrize(
    ("body", "sha256"),
    [
        (
            "Seoul's (KOSPI) rose 1.5% on Monday_morning; the won-dollar rate: 1,380.20 won.\tAnalysts said "
            '"growth" would slow.',
            "e8f71e47fe1253f6fa954580a6c3ceda95425ce636228748c0b8ec93334f5d92",
        ),
        (
            "서울 증시는 월요일 1.5% 올랐다 and the KOSPI closed at 2,600.",
            "5457b9c01aac38451a4fbbdb8c4488405f59396d548738a93a61905720bb26c2",
        ),
    ],
    ids=["ascii", "hangul"],
)
def test_signatures_are_those_earlier_runs_stored(body, sha256):
    # The state keeps signatures across runs: the same body must always give the same 256 bytes, whichever
    # way its words are found (a byte translation for ASCII bodies, the \w pattern otherwise).
    assert hashlib.sha256(signature(body)).hexdigest() == sha256
