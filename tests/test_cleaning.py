import pytest

from herald_crawler.cleaning import (
    Credits,
    agency_name,
    authors_and_agency,
    byline_names,
    content_hash,
    drop_boilerplate,
    normalise,
    split_credit,
    split_glued,
    take_email_lines,
    take_wire_credit,
)
from herald_crawler.pages import Page


@pytest.mark.parametrize(
    "caption, expected",
    [
        ("A scene in Seoul on Monday. (Yonhap)", ("A scene in Seoul on Monday.", "Yonhap")),
        ("(Yonhap) (Yonhap)", (None, "Yonhap")),
        ("(Yonhap)", (None, "Yonhap")),
        ("Actors pose for photos. (tvN)", ("Actors pose for photos.", "tvN")),
        ("A new store. (E-mart)", ("A new store.", "E-mart")),
        ("Lee speaks. (Park Hyun-koo/The Korea Herald)", ("Lee speaks.", "Park Hyun-koo/The Korea Herald")),
        ("A scene. (Herald) A scene. (Herald)", ("A scene.", "Herald")),  # shown twice in one element
        ("Kim Yuna (left) and her coach", ("Kim Yuna (left) and her coach", None)),
        ("The team poses after the final (left)", ("The team poses after the final (left)", None)),
        ("No credit here.", ("No credit here.", None)),
        ("", (None, None)),
        # every form agencies and CMSs print
        ("A scene in Seoul [Yonhap]", ("A scene in Seoul", "Yonhap")),
        ("A scene in Seoul. Photo: Yonhap", ("A scene in Seoul.", "Yonhap")),
        ("A scene in Seoul Yonhap photo", ("A scene in Seoul", "Yonhap")),
        ("A scene in Seoul / Yonhap", ("A scene in Seoul", "Yonhap")),
        ("A scene in Seoul ⓒ AFP", ("A scene in Seoul", "AFP")),
        ("Photo by Newsis", (None, "Newsis")),
        ("Yonhap photo Yonhap photo", (None, "Yonhap")),
        ("A scene Yonhap photo A scene Yonhap photo", ("A scene", "Yonhap")),  # shown twice, any form
        ("A man holds a Yonhap photo", ("A man holds a Yonhap photo", None)),  # a photo in the picture
        ("The 2019 final (2019)", ("The 2019 final (2019)", None)),  # a year is no credit
    ],
)
def test_credit_is_split_from_caption(caption, expected):
    assert split_credit(caption) == expected


@pytest.mark.parametrize(
    "glued, expected",
    [
        ("rose 2 percent against the dollar.The benchmark fell.", ["rose 2 percent against the dollar.", "The benchmark fell."]),
        ('he said."We will act," she added.', ['he said.', '"We will act," she added.']),
        ('"We will act."The ministry agreed.', ['"We will act."', "The ministry agreed."]),
        ("Is it over?The answer is no.", ["Is it over?", "The answer is no."]),
        ("It closed at 1,187.4 won.A dealer said so.", ["It closed at 1,187.4 won.", "A dealer said so."]),
        # a paragraph may end in an acronym; "U.S." is never followed by a letter without a space
        ("firms in the U.S.The deals close.", ["firms in the U.S.", "The deals close."]),
    ],
)
def test_glued_sentences_are_split(glued, expected):
    assert split_glued(glued) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. State Department said so.",
        "Mr. Lee and Dr. Kim met at 3 p.m. Friday.",
        "Mr.Lee met Dr.Kim.",
        "It rose 3.5 percent, the No. 1 gainer.",
        "Samsung Electronics Co.Ltd said.",
        "Write to news@heraldcorp.com.",
        "He said... Then he left.",
    ],
)
def test_text_that_only_looks_glued_stays_whole(text):
    assert split_glued(text) == [text]


def test_normalise_is_nfc_and_collapses_every_space():
    assert normalise("  a\u00a0\u00a0b\u200b\n c  ") == "a b c"
    assert normalise("Cafe\u0301") == "Café"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain text, already normal.", "Plain text, already normal."),
        ("Two  spaces", "Two spaces"),
        (" leading", "leading"),
        ("trailing ", "trailing"),
        ("한국어 기사 본문", "한국어 기사 본문"),
        ("a\u3000b", "a b"),  # ideographic space
        ("a\u2028b\u2029c", "a b c"),
        ("zero\u200bwidth\ufeffjoin", "zerowidthjoin"),  # shown as nothing: "Seo\u200bul" is "Seoul"
        ("Seo\u200bul, soft\u00adhyphen", "Seoul, softhyphen"),
        ("a \u200b b", "a b"),
        ("con\x00trol\x1fs\x85", "controls"),
        ("lone \ud800 surrogate", "lone \ufffd surrogate"),
        ("\ufb01", "\ufb01"),  # NFC leaves compatibility ligatures alone
        ("A\u030a and \u212b", "\u00c5 and \u00c5"),
        ("\x00\u200b ", ""),
    ],
)
def test_normalise_cleans_whatever_reaches_it(text, expected):
    assert normalise(text) == expected


def test_boilerplate_lines_go_and_the_most_popular_list_with_them():
    lines = [
        "소아쌤", "The Korea Herald", "• Link copied", "First paragraph.", "Most Popular",
        "1 Finance ministry trims growth forecast", "2 Ferry inquiry widens", "Second paragraph stays here.",
        "Back To Top", "Articles by Korea Herald", "MOST POPULAR LATEST NEWS subscribe", "footer text",
    ]
    assert drop_boilerplate(lines) == ["First paragraph.", "Second paragraph stays here."]


@pytest.mark.parametrize(
    "paragraphs, names, emails",
    [
        (["Text.", "By Kim Arin (arin@heraldcorp.com)"], ["Kim Arin"], ["arin@heraldcorp.com"]),
        (["Text.", "By Kim Arin", "(arin@heraldcorp.com)"], ["Kim Arin"], ["arin@heraldcorp.com"]),
        (["Text.", "By Lee Jung-joo, Park Han-na (jjlee@heraldcorp.com, hnpark@heraldcorp.com)"],
         ["Lee Jung-joo", "Park Han-na"], ["jjlee@heraldcorp.com", "hnpark@heraldcorp.com"]),
        (["Text.", "By A Kim and B Lee (a@heraldcorp.com) (b@heraldcorp.com)"],
         ["A Kim", "B Lee"], ["a@heraldcorp.com", "b@heraldcorp.com"]),
        (["Text.", "By 박한나 (hnpark@heraldcorp.com)"], ["박한나"], ["hnpark@heraldcorp.com"]),
        (["Text.", "(arin@heraldcorp.com)"], [], ["arin@heraldcorp.com"]),
    ],
)
def test_email_lines_leave_the_body_and_give_names_and_emails(paragraphs, names, emails):
    credits = Credits()
    assert take_email_lines(paragraphs, credits) == ["Text."]
    assert credits.names == names
    assert credits.emails == emails


def test_a_sentence_starting_with_by_is_not_a_byline():
    credits = Credits()
    text = ["By the end of the year, prices rose.", "By 2030 the plant will close."]
    assert take_email_lines(text, credits) == text


@pytest.mark.parametrize(
    "last, rest, agency",
    [
        ("It was launched Monday. (Yonhap)", "It was launched Monday.", "Yonhap"),
        ("It was launched Monday. (Yonhap News)", "It was launched Monday.", "Yonhap"),
        ("Markets fell. (AFP)", "Markets fell.", "AFP"),
        ("(Yonhap)", None, "Yonhap"),
        ("She thanked fans (in Korean).", "She thanked fans (in Korean).", None),
    ],
)
def test_trailing_wire_credit_goes_to_agency(last, rest, agency):
    credits = Credits()
    result = take_wire_credit(["First.", last], credits)
    assert result == ["First."] + ([rest] if rest else [])
    assert credits.agency == agency


@pytest.mark.parametrize(
    "byline, names",
    [
        ("By Kim Arin", ["Kim Arin"]),
        ("By Kim Arin, Lee Jung-joo and Park Han-na", ["Kim Arin", "Lee Jung-joo", "Park Han-na"]),
        ("By 박한나", ["박한나"]),
        ("by Yonhap", ["Yonhap"]),
        (None, []),
    ],
)
def test_byline_names(byline, names):
    assert byline_names(byline) == names


def _page(**fields):
    return Page(url="https://www.koreaherald.com/article/10456893", article_id="10456893", layout="cms",
                title="T", **fields)


@pytest.mark.parametrize(
    "page, credits_agency, authors, agency",
    [
        (_page(byline="By Yonhap"), None, [], "Yonhap"),
        (_page(byline="By Korea Herald"), None, [], None),
        (_page(byline="By The Korea Herald"), None, [], None),
        (_page(author_names=["Yonhap News"]), None, [], "Yonhap"),
        (_page(byline="By Kim Arin and Yonhap"), None, [{"name": "Kim Arin", "email": None}], "Yonhap"),
        (_page(byline="By Kim Arin"), "AFP", [{"name": "Kim Arin", "email": None}], "AFP"),
        (_page(byline="By Kim Arin, Korea Herald correspondent"), None, [{"name": "Kim Arin", "email": None}], None),
    ],
)
def test_people_agencies_and_the_house_are_told_apart(page, credits_agency, authors, agency):
    credits = Credits()
    credits.agency = credits_agency
    assert authors_and_agency(page, credits) == (authors, agency)


def test_emails_attach_to_their_names():
    credits = Credits()
    credits.names, credits.emails = ["Park Han-na", "Lee Jung-joo"], ["hn@heraldcorp.com", "jj@heraldcorp.com"]
    authors, _ = authors_and_agency(_page(byline="By Lee Jung-joo, Park Han-na"), credits)
    assert authors == [{"name": "Lee Jung-joo", "email": "jj@heraldcorp.com"},
                       {"name": "Park Han-na", "email": "hn@heraldcorp.com"}]


def test_agency_names_are_normalised():
    assert agency_name("Yonhap News Agency") == "Yonhap"
    assert agency_name(" AFP ") == "AFP"
    assert agency_name("Herald") is None


def test_content_hash_changes_with_title_or_body_only():
    base = content_hash("Title", "Body.")
    assert base == content_hash("Title", "Body.")
    assert base != content_hash("Title!", "Body.")
    assert base != content_hash("Title", "Body!")


def test_boilerplate_is_recognised_by_what_it_is():
    lines = ["Related articles", "Read more: Seoul adds night buses", "Sign up for our morning newsletter",
             "Advertisement", "Copy link• Link copied", "Share on Facebook", "© Herald Corporation. All rights reserved.",
             "피터빈트 The ministry said on Tuesday.", "More than 300 people attended the rally.",
             "He went back to the list of candidates."]
    assert drop_boilerplate(lines) == [
        "The ministry said on Tuesday.", "More than 300 people attended the rally.",
        "He went back to the list of candidates.",
    ]


def test_e_mail_lines_pair_each_name_with_its_address():
    credits = Credits()
    line = "By Jung Ha-eun (hejung@heraldcorp.com), Seo Jin-woo (jwseo@heraldcorp.com)"
    assert take_email_lines(["Text.", line], credits) == ["Text."]
    assert credits.names == ["Jung Ha-eun", "Seo Jin-woo"]
    assert credits.emails == ["hejung@heraldcorp.com", "jwseo@heraldcorp.com"]


def test_a_byline_line_with_a_title_or_before_a_note_is_no_text():
    credits = Credits()
    body = ["Text.", "By Oh Seung-hwan, Korea Herald correspondent", "Correction: an earlier version misstated the date."]
    assert take_email_lines(body, credits) == ["Text.", "Correction: an earlier version misstated the date."]
    assert credits.names == ["Oh Seung-hwan"]
    assert take_email_lines(["By Monday, Seoul will decide.", "Text."], Credits()) == ["By Monday, Seoul will decide.", "Text."]
