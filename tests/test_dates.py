import pytest

from herald_crawler.dates import DateError, find_dates, only_dates, parse_day, parse_kst, to_kst_iso


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


@pytest.mark.parametrize(
    "shown, published, updated",
    [
        # one element holding both, whatever separates them: <br> read as a space, none at all, NBSP runs
        ("Published : 2017-05-23 09:24 Updated : 2017-05-23 10:00", "2017-05-23 09:24", "2017-05-23 10:00"),
        ("Published : 2017-05-23 09:24Updated : 2017-05-23 10:00", "2017-05-23 09:24", "2017-05-23 10:00"),
        ("Published : Aug 26, 2020 - 15:44\u00a0\u00a0\u00a0Updated : Aug 26, 2020 - 20:36",
         "Aug 26, 2020 - 15:44", "Aug 26, 2020 - 20:36"),
        ("Updated: 2024-01-02 10:00 Published: 2024-01-01 09:00", "2024-01-01 09:00", "2024-01-02 10:00"),
        ("Updated : 2014-06-02 10:47", None, "2014-06-02 10:47"),  # a page showing only its update
        ("Posted on Aug. 26th, 2020 at 3:44 p.m. KST", "Aug. 26th, 2020 at 3:44 p.m. KST", None),
        ("18 November 2027 14:03 (KST) · Last updated 18 November 2027 16:30 (KST)",
         "18 November 2027 14:03 (KST)", "18 November 2027 16:30 (KST)"),
        ("입력 2025년 4월 3일 09:15", "2025년 4월 3일 09:15", None),
        ("Published : soon", "soon", None),  # a label with no date: handed back, so it can be reported
    ],
)
def test_dates_are_found_in_running_text(shown, published, updated):
    assert find_dates(shown) == (published, updated)


@pytest.mark.parametrize(
    "shown, expected",
    [
        ("Aug. 26th, 2020 at 3:44 p.m. KST", "2020-08-26T15:44:00+09:00"),
        ("Aug 26, 2020 12:05 am", "2020-08-26T00:05:00+09:00"),
        ("18 November 2027 14:03 (KST)", "2027-11-18T14:03:00+09:00"),
        ("2025. 4. 3. 09:15", "2025-04-03T09:15:00+09:00"),
        ("2025년 4월 3일 09:15", "2025-04-03T09:15:00+09:00"),
        ("Wednesday, April 3, 2025 | 09:15", "2025-04-03T09:15:00+09:00"),
    ],
)
def test_the_forms_cms_print(shown, expected):
    assert to_kst_iso(shown) == expected


def test_labelled_only_passes_over_dates_in_prose():
    text = "Seoul said on Jan. 3, 2023 that it would act. Published : Jan. 2, 2023 - 11:10"
    assert find_dates(text, labelled_only=True) == ("Jan. 2, 2023 - 11:10", None)
    assert find_dates("Footage posted online showed cars.", labelled_only=True) == (None, None)


def test_only_dates_tells_a_date_line_from_a_sentence():
    assert only_dates("Published : 2017-05-23 09:24 | Updated : 2017-05-23 10:00")
    assert not only_dates("The law takes effect on 2017-05-23.")
