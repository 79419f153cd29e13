"""Log lines for dropped items that name the reason and URL instead of dumping the whole item."""

from __future__ import annotations

from typing import Any

from scrapy import logformatter


class HeraldLogFormatter(logformatter.LogFormatter):
    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> dict[str, Any]:
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
