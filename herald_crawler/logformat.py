"""Logging: dropped items named by reason and URL (not dumped whole), and secrets kept out of the log."""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy import logformatter


class HeraldLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry


# -- secrets never reach the log -------------------------------------------------------------------------

#: Setting names whose values are secrets.
SECRET_NAME = re.compile(r"KEY|SECRET|TOKEN|PASSW|PASSPHRASE|AUTH|CREDENTIAL|COOKIE|SESSION|PRIVATE|DSN", re.I)
_SETTING_VALUE = re.compile(r"('(?P<name>[A-Z0-9_]+)': )('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^,\n}]+)")
_USERINFO = re.compile(r"(?<=://)[^/\s:@'\"]+:[^/\s@'\"]+@")


def redact(text: str) -> str:
    """Values of secret-looking settings and passwords inside URLs replaced by ``***``."""
    text = _SETTING_VALUE.sub(
        lambda m: f"{m.group(1)}'***'" if SECRET_NAME.search(m.group("name")) else m.group(0), text
    )
    return _USERINFO.sub("***:***@", text)


_installed = False


def _lowest_handler_level(name: str) -> int:
    """The lowest level any handler a record of logger ``name`` reaches would emit."""
    logger: logging.Logger | None = logging.getLogger(name)
    levels = []
    while logger is not None:
        levels += [handler.level for handler in logger.handlers]
        if not logger.propagate:
            break
        logger = logger.parent
    return min(levels) if levels else logging.lastResort.level if logging.lastResort else logging.WARNING


def skip_unemitted_records() -> None:
    """Raise the root logger's level to the lowest level of any handler, so that records no handler would
    emit are not even created. Scrapy leaves the root logger at NOTSET and filters in its handler: at
    ``LOG_LEVEL=INFO`` each page and each item would still build a DEBUG record ("Crawled (200)", "Scraped
    from") only to throw it away. A handler anywhere at a lower level (a test's, a user's) keeps it lower."""
    loggers = [logging.root] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    levels = [handler.level for logger in loggers for handler in logger.handlers]
    if levels and logging.root.level < min(levels):
        logging.root.setLevel(min(levels))


def install_redaction() -> None:
    """Redact every log record as it is created (Scrapy prints -s settings under "Overridden settings")."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def redacting_factory(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.levelno < _lowest_handler_level(record.name):
            return record  # no handler will emit it (a DEBUG "Scraped from" line at LOG_LEVEL=INFO): no work
        if record.args or "://" in str(record.msg):
            try:
                message = record.getMessage()
            except (TypeError, ValueError):
                return record
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(redacting_factory)
    _installed = True
