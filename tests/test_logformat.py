import logging

from herald_crawler.logformat import install_redaction, redact, skip_unemitted_records


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


def test_records_no_handler_emits_are_not_formatted():
    """A DEBUG line per item at LOG_LEVEL=INFO must not cost formatting the item (nor leak it anywhere)."""
    install_redaction()
    formatted = []

    class Item:
        def __repr__(self) -> str:
            formatted.append(1)
            return "{'url': 'http://user:pw@example.org/'}"

    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("herald_crawler.tests.quiet")
    logger.propagate, logger.level = False, logging.DEBUG
    logger.addHandler(handler)
    try:
        record = logger.makeRecord(logger.name, logging.DEBUG, __file__, 1, "Scraped %(item)r", ({"item": Item()},), None)
        assert formatted == [] and record.args
        record = logger.makeRecord(logger.name, logging.INFO, __file__, 1, "Scraped %(item)r", ({"item": Item()},), None)
        assert formatted == [1] and "pw@" not in record.getMessage()
    finally:
        logger.removeHandler(handler)


def test_debug_records_are_not_made_when_every_handler_is_at_info(monkeypatch):
    """Scrapy leaves the root logger at NOTSET: without this each page and item builds a DEBUG record."""
    handlers = [h for lg in [logging.root, *logging.Logger.manager.loggerDict.values()]
                if isinstance(lg, logging.Logger) for h in lg.handlers]
    for handler in handlers:  # pytest's own capture handlers: out of the way for this test
        monkeypatch.setattr(handler, "level", logging.INFO)
    monkeypatch.setattr(logging.root, "level", logging.NOTSET)
    handler = logging.StreamHandler()
    handler.setLevel(logging.INFO)
    logging.root.addHandler(handler)
    try:
        skip_unemitted_records()
        assert not logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)
        assert logging.getLogger("scrapy.core.engine").isEnabledFor(logging.INFO)
        # A handler at DEBUG anywhere (a user's, a test's) keeps DEBUG records coming.
        logging.root.setLevel(logging.NOTSET)
        debug = logging.StreamHandler()
        debug.setLevel(logging.DEBUG)
        logging.getLogger("herald_crawler.tests.loud").addHandler(debug)
        try:
            skip_unemitted_records()
            assert logging.getLogger("scrapy.core.engine").isEnabledFor(logging.DEBUG)
        finally:
            logging.getLogger("herald_crawler.tests.loud").removeHandler(debug)
    finally:
        logging.root.removeHandler(handler)
        logging.root.setLevel(logging.NOTSET)
        logging.Logger.manager._clear_cache()
