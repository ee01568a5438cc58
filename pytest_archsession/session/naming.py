"""Spelling one name two ways: Python's snake_case and Architect's camelCase."""

from __future__ import annotations

import re

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def camel_case(name: str) -> str:
    """Return the camelCase form of a snake_case name, leading ``_`` kept."""
    stem = name.lstrip("_")
    head, *rest = stem.split("_")
    prefix = name[: len(name) - len(stem)]
    return prefix + head + "".join(part[:1].upper() + part[1:] for part in rest)


def snake_case(name: str) -> str:
    """Return the snake_case form of a camelCase name."""
    return _WORD_BOUNDARY.sub("_", name).lower()
