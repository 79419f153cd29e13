"""The item's JSON Schema, shipped in the package, and validation against it (compiled once)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import fastjsonschema

SCHEMA_VERSION = "3"  # 2: version and duplicate_of added; 3: extraction, layout "generic", nullable title


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The article JSON Schema (``herald_crawler/schema/article.schema.json``, draft 7)."""
    text = resources.files("herald_crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validate() -> Callable[[dict[str, Any]], Any]:
    return fastjsonschema.compile(schema())


def problems(item: dict[str, Any]) -> list[str]:
    """How ``item`` breaks the schema, as ``field: message`` (the first problem found); empty when valid."""
    try:
        _validate()(item)
    except fastjsonschema.JsonSchemaValueException as error:
        where = "/".join(str(part) for part in error.path[1:])  # path[0] is "data", the item itself
        return [f"{where or '(item)'}: {error.message}"]
    return []
