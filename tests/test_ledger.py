from herald_crawler.ledger import Ledger, adds_up


def test_every_discovered_url_ends_in_one_place():
    ledger = Ledger()
    for key in ("a", "b", "c", "d", "e", "f", "g"):
        assert ledger.discover(key, f"https://www.koreaherald.com/{key}", "feed")
    assert not ledger.discover("a", "http://m.koreaherald.com/a", "section")  # a repeat, not a new URL
    ledger.exported("a")
    ledger.unchanged("b")
    ledger.dropped("c", "no_body")
    ledger.failed("d", "http_500")
    ledger.skipped("e", "already_known")
    ledger.skipped("f", "outside_window")
    ledger.exported("a")  # a later event does not move an ended entry
    ledger.dropped("a", "duplicate")
    counts = ledger.counts()
    assert counts == {
        "discovered": 7, "exported": 1, "unchanged": 1, "dropped": {"no_body": 1}, "failed": {"http_500": 1},
        "skipped": {"already_known": 1, "outside_window": 1}, "pending": 1, "repeats": 1,
    }
    assert adds_up(counts)


def test_an_outcome_for_a_url_never_discovered_breaks_the_identity():
    ledger = Ledger()
    ledger.discover("a", "u", "feed")
    ledger.exported("a")
    ledger.exported("stray")
    assert not adds_up(ledger.counts())
