"""The item's JSON Schema, shipped in the package, and validation against it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_VERSION = "2"  # 2: version and duplicate_of added


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The article JSON Schema (``herald_crawler/schema/article.schema.json``)."""
    text = resources.files("herald_crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(schema())
    return Draft202012Validator(schema())


def problems(item: dict[str, Any]) -> list[str]:
    """Every way ``item`` breaks the schema, as ``field: message`` lines; empty when it is valid."""
    found = []
    for error in sorted(_validator().iter_errors(item), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(item)"
        found.append(f"{where}: {error.message}")
    return found
