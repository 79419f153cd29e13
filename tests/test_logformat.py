import logging

from herald_crawler.logformat import install_redaction, redact


def test_secret_settings_and_url_passwords_are_redacted():
    text = "{'AWS_SECRET_ACCESS_KEY': 'abc',\n 'DOWNLOAD_DELAY': 0,\n 'PROXY': 'http://user:pw@proxy:8080'}"
    cleaned = redact(text)
    assert "abc" not in cleaned and "pw@" not in cleaned
    assert "'AWS_SECRET_ACCESS_KEY': '***'" in cleaned and "'DOWNLOAD_DELAY': 0" in cleaned


def test_records_are_redacted_as_they_are_made(caplog):
    install_redaction()
    with caplog.at_level(logging.INFO):
        logging.getLogger("scrapy.crawler").info("Overridden settings:\n%(settings)s",
                                                 {"settings": "{'ZYTE_API_KEY': 'k-123'}"})
    assert "k-123" not in caplog.text and "'ZYTE_API_KEY': '***'" in caplog.text
