import io
import json

from herald_crawler.exporters import JsonLinesExporter, json_line


def test_line_separators_are_escaped_and_lone_surrogates_replaced():
    raw = json.dumps({"a": "x\u2028y\u2029z", "b": "lone \ud800 here", "c": "한국어 \U0001f600"}, ensure_ascii=False)
    line = json_line(raw)
    text = line.decode("utf-8")  # strict UTF-8
    assert text.splitlines() == [text]
    assert json.loads(text) == {"a": "x\u2028y\u2029z", "b": "lone \ufffd here", "c": "한국어 \U0001f600"}


def test_the_exporter_writes_one_strict_line_per_item():
    buffer = io.BytesIO()
    exporter = JsonLinesExporter(buffer, encoding="utf-8")
    exporter.start_exporting()
    exporter.export_item({"title": "A\u2028B", "body": "\ud83d alone"})
    exporter.export_item({"title": "둘"})
    exporter.finish_exporting()
    lines = buffer.getvalue().decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) == 3
    assert [json.loads(x)["title"] for x in lines[:2]] == ["A\u2028B", "둘"]
