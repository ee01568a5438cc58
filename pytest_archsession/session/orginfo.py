"""The organization a session is logged in to."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .naming import camel_case


class OrgInfo(Mapping[str, Any]):
    """The org's fields, by their API names and as snake_case attributes.

    ``info.default_language``, ``info.defaultLanguage`` and
    ``info["defaultLanguage"]`` are the same value.
    """

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self._fields = dict(fields)

    @property
    def id(self) -> str:
        """Return the org's id."""
        return str(self._fields.get("id", ""))

    @property
    def name(self) -> str:
        """Return the org's name."""
        return str(self._fields.get("name", ""))

    def __getattr__(self, name: str) -> Any:
        fields = self.__dict__.get("_fields", {})
        for key in (name, camel_case(name)):
            if key in fields:
                return fields[key]
        raise AttributeError(
            f"The org info has no field {name!r}; it has: {', '.join(sorted(fields))}."
        )

    def __getitem__(self, key: str) -> Any:
        return self._fields[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"OrgInfo(id={self.id!r}, name={self.name!r})"
