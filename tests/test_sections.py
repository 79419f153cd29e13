import pytest

from herald_crawler.sections import SECTIONS, find_sections


def test_names_and_aliases_are_accepted_in_any_case():
    assert [s.name for s in find_sections("national,LifenCulture, k-pop,Life & Culture")] == [
        "National", "Life&Culture", "Entertainment"]


def test_unknown_names_are_refused_with_the_accepted_list():
    with pytest.raises(ValueError, match="unknown section 'Politic': accepted are National, Business, Life&Culture"):
        find_sections("Politic")


def test_every_section_has_a_current_and_a_legacy_form():
    for section in SECTIONS:
        assert section.feeds[0].startswith("/rss/kh_") and section.feeds[-1].startswith("/common/rss_xml.php?ct=")
        assert not section.list_paths[0].startswith("/list.php") and section.list_paths[-1].startswith("/list.php?ct=")
        assert section.legacy_list_page(2).endswith("&np=2")
