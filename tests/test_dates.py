import pytest

from herald_crawler.dates import DateError, parse_day, parse_kst, to_kst_iso


@pytest.mark.parametrize(
    "shown, expected",
    [
        ("Published : 2017-05-23 09:24", "2017-05-23T09:24:00+09:00"),
        ("Updated : 2017-05-23 09:24", "2017-05-23T09:24:00+09:00"),
        ("Published : Aug 26, 2020 - 15:44", "2020-08-26T15:44:00+09:00"),
        ("Updated : Aug 26, 2020 - 20:36", "2020-08-26T20:36:00+09:00"),
        ("Published : Sept. 18, 2012 - 09:26", "2012-09-18T09:26:00+09:00"),
        ("July 25, 2019 - 10:28", "2019-07-25T10:28:00+09:00"),
        ("Jan. 2, 2023 - 11:10", "2023-01-02T11:10:00+09:00"),
        ("2025-04-03T09:15:00", "2025-04-03T09:15:00+09:00"),  # JSON-LD, no offset: Korea time
        ("2025.04.03 09:15", "2025-04-03T09:15:00+09:00"),  # search results
        ("Wed, 19 Aug 2026 11:29:16 +09:00", "2026-08-19T11:29:16+09:00"),  # feeds, colon offset
        ("April 23, 2025", "2025-04-23T00:00:00+09:00"),  # lists
        ("2025-04-03T00:15:00Z", "2025-04-03T09:15:00+09:00"),  # an explicit offset is converted
        ("2025-04-02T20:15:00-04:00", "2025-04-03T09:15:00+09:00"),
        ("Published\u00a0:\u00a0Dec. 31, 2024 - 23:59", "2024-12-31T23:59:00+09:00"),
    ],
)
def test_every_form_seen_on_the_site(shown, expected):
    assert to_kst_iso(shown) == expected


def test_naive_values_are_korea_time_whatever_the_machine_zone(monkeypatch):
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert to_kst_iso("2025-04-03T09:15:00") == "2025-04-03T09:15:00+09:00"
        assert parse_kst("Aug 26, 2020 - 15:44").utcoffset().total_seconds() == 9 * 3600
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


@pytest.mark.parametrize("bad", ["Published : yesterday", "Aug 26 - 15:44", "2025-02-30T09:15:00", "soon"])
def test_unreadable_dates_raise_and_name_the_value(bad):
    with pytest.raises(DateError) as caught:
        to_kst_iso(bad)
    assert repr(bad) in str(caught.value)


def test_blank_is_none():
    assert to_kst_iso(None) is None
    assert to_kst_iso("  ") is None


def test_parse_day_names_the_value_and_the_form():
    assert str(parse_day("2025-04-03")) == "2025-04-03"
    with pytest.raises(DateError, match=r"'2025/04/03'.*YYYY-MM-DD"):
        parse_day("2025/04/03")
