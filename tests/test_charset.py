import pytest

from herald_crawler.charset import UndecodablePage, decode_html

KOREAN = "서울 시민 박한나"


@pytest.mark.parametrize("body, content_type, encoding", [
    (KOREAN.encode("utf-8"), "text/html; charset=utf-8", "utf-8"),
    (KOREAN.encode("euc-kr"), "text/html; charset=euc-kr", "euc_kr"),
    (b'<meta charset="euc-kr">' + KOREAN.encode("euc-kr"), "text/html", "euc_kr"),
    (KOREAN.encode("euc-kr"), None, "cp949"),  # unlabelled
    (KOREAN.encode("euc-kr"), "text/html; charset=utf-8", "cp949"),  # mislabelled
    (KOREAN.encode("utf-8"), "text/html; charset=euc-kr", "utf-8"),  # mislabelled the other way
    (KOREAN.encode("utf-8"), "text/html; charset=iso-8859-1", "utf-8"),  # a single-byte label proves nothing
    ("\ufeff".encode("utf-8") + KOREAN.encode("utf-8"), None, "utf-8"),
])
def test_the_right_text_whatever_the_label(body, content_type, encoding):
    text, used = decode_html(body, content_type)
    assert KOREAN in text and used == encoding


def test_a_declared_single_byte_charset_is_the_last_resort():
    assert decode_html("café".encode("cp1252"), "text/html; charset=windows-1252") == ("café", "cp1252")


def test_bytes_nothing_reads_are_refused():
    with pytest.raises(UndecodablePage, match="no encoding reads the page"):
        decode_html(b"\xff\xfe\xfa\x80\xff", None)
