"""Filters for ``is_filter_match``: Architect Scripting's ArchFilterObject in Python.

A filter is a container of clauses: ``and`` (the default) needs every clause to
match, ``or`` needs one, and an empty container matches everything. Containers
nest, so any mix of and/or can be written::

    flows = create_filter_object()
    flows.add_clause_property_value_equals("flow_type", "inboundcall")
    either = flows.add_clause_container_or()
    either.add_clause_property_value_equals("name", "Main Menu")
    either.add_clause_property_callback("name", lambda name: name.endswith("IVR"))

Each method and property also answers to its Architect camelCase name
(``addClausePropertyValueEquals``, ``isMatch``, ``clauseCount``...). Those are
attached at import from one table, so type checkers know only the snake_case
names: a known limitation.

A property is read by key from a Mapping and by attribute from anything else,
trying the name as given, then its other spelling: ``"flowType"`` finds
``flow_type`` and the reverse. Dots walk nested objects (``"org_info.name"``);
a missing or ``None`` link on the way means the property does not exist.

A missing property fails the clause when ``property_must_exist`` is true, the
default, and a callback is then not called: so says the Architect reference.
For false it says only that the check is still made; JavaScript would read the
absent property as ``undefined``, which is ``None`` here. So equals matches only
an expected value of ``None``, not-equals matches any other, and a callback is
called with ``None``.

Equals and not-equals compare with ``==``, except that a bool never equals a
non-bool, as JavaScript's ``===`` never takes ``true`` for ``1``. A callback is
called as ``callback(value, obj, property_name)``, Architect's order, or with as
many of those as it takes positional parameters, as a JavaScript function would
be. Only a return of exactly ``True`` matches (the reference: a non-boolean
result is not a match), and the exceptions it raises are not caught.
"""

from __future__ import annotations

import abc
import inspect
from collections.abc import Callable, Mapping
from typing import Final, Protocol, TypeVar

from .naming import camel_case, snake_case

PropertyCallback = Callable[..., object]
"""A clause callback: ``(value, obj, property_name) -> bool``, or a prefix of it."""

_AND: Final = "and"
_OR: Final = "or"
_MISSING: Final = object()
_CALLBACK_ARGUMENTS: Final = 3

_SNAKE_CASE_MEMBERS: Final = (
    "add_filter_clause_container",
    "add_clause_container_and",
    "add_clause_container_or",
    "add_clause_property_value_equals",
    "add_clause_property_value_not_equals",
    "add_clause_property_callback",
    "is_match",
    "is_empty",
    "is_or",
    "clause_count",
    "property_name",
    "property_must_exist",
)

Path = tuple[tuple[str, ...], ...]


class _Matcher(Protocol):
    def is_match(self, obj: object) -> bool: ...


_MatcherT = TypeVar("_MatcherT", bound=_Matcher)


def _spellings(name: str) -> tuple[str, ...]:
    """Return ``name`` and, when it has one, its camelCase or snake_case twin."""
    if "_" in name.strip("_"):
        other = camel_case(name)
    elif name != name.lower():
        other = snake_case(name)
    else:
        other = name
    return (name,) if other == name else (name, other)


def _checked_path(property_name: object) -> Path:
    """Split a dotted property name into the spellings to try at each step."""
    if not isinstance(property_name, str):
        raise TypeError(
            "property_name must be a string such as 'name' or 'org_info.name', "
            f"not {type(property_name).__name__}."
        )
    if not property_name.strip():
        raise ValueError(
            "property_name is blank; give the property to check, such as 'name'."
        )
    parts = property_name.split(".")
    if any(not part or part != part.strip() for part in parts):
        raise ValueError(
            f"property_name {property_name!r} has an empty or padded part; "
            "join nested names with single dots and no spaces, as in "
            "'org_info.name'."
        )
    return tuple(_spellings(part) for part in parts)


def _checked_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}.")
    return value


def _operator(choice: object) -> str:
    """Return ``'and'`` or ``'or'`` for an ``is_or`` flag or an operator name."""
    if isinstance(choice, bool):
        return _OR if choice else _AND
    if not isinstance(choice, str):
        raise TypeError(
            "Choose how clauses combine with is_or=True/False or the operator "
            f"'and' or 'or', not {type(choice).__name__}."
        )
    if choice.lower() not in (_AND, _OR):
        raise ValueError(f"Operator {choice!r} is not valid; use 'and' or 'or'.")
    return choice.lower()


def _callback_arity(callback: PropertyCallback) -> int:
    """Return how many of ``(value, obj, property_name)`` a callback accepts."""
    try:
        parameters = inspect.signature(callback).parameters.values()
    except (TypeError, ValueError):
        return _CALLBACK_ARGUMENTS
    positional = 0
    for parameter in parameters:
        if parameter.kind is parameter.VAR_POSITIONAL:
            return _CALLBACK_ARGUMENTS
        if parameter.kind in (
            parameter.POSITIONAL_ONLY,
            parameter.POSITIONAL_OR_KEYWORD,
        ):
            positional += 1
    return min(positional, _CALLBACK_ARGUMENTS)


def _read_property(obj: object, path: Path) -> object:
    """Return the property at ``path`` on ``obj``, or ``_MISSING``."""
    current = obj
    for spellings in path:
        if current is None:
            return _MISSING
        current = _read_step(current, spellings)
        if current is _MISSING:
            return _MISSING
    return current


def _read_step(obj: object, spellings: tuple[str, ...]) -> object:
    for name in spellings:
        if isinstance(obj, Mapping):
            if name in obj:
                return obj[name]
            continue
        value = getattr(obj, name, _MISSING)
        if value is not _MISSING:
            return value
    return _MISSING


def _strictly_equal(left: object, right: object) -> bool:
    """Compare like JavaScript's ``===``: a bool never equals a non-bool."""
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    return bool(left == right)


class _PropertyClause(abc.ABC):
    """Test one property of an object: the shared half of every clause."""

    def __init__(
        self, property_name: str, value: object, property_must_exist: bool
    ) -> None:
        self._path = _checked_path(property_name)
        self._property_name = property_name
        self._value = value
        self._property_must_exist = _checked_flag(
            "property_must_exist", property_must_exist
        )

    @property
    def property_name(self) -> str:
        """The property this clause checks, as it was given."""
        return self._property_name

    @property
    def value(self) -> object:
        """The value compared against, or the callback that decides."""
        return self._value

    @property
    def property_must_exist(self) -> bool:
        """Whether an object without the property fails this clause outright."""
        return self._property_must_exist

    def is_match(self, obj: object) -> bool:
        """Return whether ``obj`` passes this clause."""
        found = _read_property(obj, self._path)
        if found is _MISSING:
            if self._property_must_exist:
                return False
            found = None
        return self._test(found, obj)

    @abc.abstractmethod
    def _test(self, found: object, obj: object) -> bool:
        """Return whether the property value ``found`` on ``obj`` passes."""

    def _describe_value(self) -> str:
        return repr(self._value)

    def __repr__(self) -> str:
        must_exist = "" if self._property_must_exist else ", property_must_exist=False"
        return (
            f"{type(self).__name__}({self._property_name!r}, "
            f"{self._describe_value()}{must_exist})"
        )


class ArchFilterClausePropertyValueEquals(_PropertyClause):
    """Match objects whose property equals the value."""

    def _test(self, found: object, obj: object) -> bool:
        return _strictly_equal(found, self._value)


class ArchFilterClausePropertyValueNotEquals(_PropertyClause):
    """Match objects whose property does not equal the value."""

    def _test(self, found: object, obj: object) -> bool:
        return not _strictly_equal(found, self._value)


class ArchFilterClausePropertyCallback(_PropertyClause):
    """Match objects for which the callback returns ``True``."""

    def __init__(
        self,
        property_name: str,
        callback: PropertyCallback,
        property_must_exist: bool,
    ) -> None:
        if not callable(callback):
            raise TypeError(
                f"callback must be a function, not {type(callback).__name__}; "
                "pass one taking (value, obj, property_name) that returns a bool."
            )
        self._arity = _callback_arity(callback)
        if self._arity == 0:
            raise TypeError(
                "callback takes no positional parameters; it is called with "
                "(value, obj, property_name) and must accept at least the value."
            )
        super().__init__(property_name, callback, property_must_exist)
        self._callback = callback

    @property
    def value(self) -> PropertyCallback:
        """The callback that decides whether the property matches."""
        return self._callback

    def _test(self, found: object, obj: object) -> bool:
        arguments = (found, obj, self._property_name)[: self._arity]
        return self._callback(*arguments) is True

    def _describe_value(self) -> str:
        return str(getattr(self._callback, "__qualname__", repr(self._callback)))


class ArchFilterClauseContainer:
    """Hold clauses and nested containers, and combine their results.

    :param is_or: ``True`` (or ``"or"``) to match when any clause matches;
        ``False`` (or ``"and"``), the default, to need every clause.
    """

    def __init__(self, is_or: bool | str = False) -> None:
        self._operator = _operator(is_or)
        self._clauses: list[_Matcher] = []

    @property
    def operator(self) -> str:
        """How the clauses combine: ``"and"`` or ``"or"``."""
        return self._operator

    @operator.setter
    def operator(self, operator: bool | str) -> None:
        self._operator = _operator(operator)

    @property
    def is_or(self) -> bool:
        """Whether one matching clause is enough."""
        return self._operator == _OR

    @property
    def clause_count(self) -> int:
        """The number of clauses and containers directly in this container."""
        return len(self._clauses)

    @property
    def is_empty(self) -> bool:
        """Whether this container has no clauses, and so matches everything."""
        return not self._clauses

    def add_filter_clause_container(
        self, operator: bool | str = _AND
    ) -> ArchFilterClauseContainer:
        """Add a nested container combining with ``operator`` and return it."""
        return self._add(ArchFilterClauseContainer(operator))

    def add_clause_container_and(self) -> ArchFilterClauseContainer:
        """Add a nested container that needs every clause, and return it."""
        return self.add_filter_clause_container(_AND)

    def add_clause_container_or(self) -> ArchFilterClauseContainer:
        """Add a nested container that needs any one clause, and return it."""
        return self.add_filter_clause_container(_OR)

    def add_clause_property_value_equals(
        self,
        property_name: str,
        value: object = None,
        property_must_exist: bool = True,
    ) -> ArchFilterClausePropertyValueEquals:
        """Add a clause matching objects whose property equals ``value``."""
        clause = ArchFilterClausePropertyValueEquals(
            property_name, value, property_must_exist
        )
        return self._add(clause)

    def add_clause_property_value_not_equals(
        self,
        property_name: str,
        value: object = None,
        property_must_exist: bool = True,
    ) -> ArchFilterClausePropertyValueNotEquals:
        """Add a clause matching objects whose property differs from ``value``."""
        clause = ArchFilterClausePropertyValueNotEquals(
            property_name, value, property_must_exist
        )
        return self._add(clause)

    def add_clause_property_callback(
        self,
        property_name: str,
        callback: PropertyCallback,
        property_must_exist: bool = True,
    ) -> ArchFilterClausePropertyCallback:
        """Add a clause matching objects for which ``callback`` returns ``True``."""
        clause = ArchFilterClausePropertyCallback(
            property_name, callback, property_must_exist
        )
        return self._add(clause)

    def is_match(self, obj: object) -> bool:
        """Return whether ``obj`` matches this container's clauses."""
        results = (clause.is_match(obj) for clause in self._clauses)
        if self.is_or:
            return self.is_empty or any(results)
        return all(results)

    def _add(self, clause: _MatcherT) -> _MatcherT:
        self._clauses.append(clause)
        return clause

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._operator!r}, {self._clauses!r})"


class ArchFilterObject(ArchFilterClauseContainer):
    """Decide whether a scripting object matches: the outermost container.

    Give one to ``is_filter_match``. Make it with :func:`create_filter_object`.
    """


def create_filter_object(is_or: bool | str = False) -> ArchFilterObject:
    """Return a new, empty filter.

    :param is_or: ``True`` or ``"or"`` to match when any clause matches;
        ``False`` or ``"and"`` (the default, as in Architect) to need every one.
    """
    return ArchFilterObject(is_or)


createFilterObject = create_filter_object


def matches(obj: object, arch_filter_object: ArchFilterObject) -> bool:
    """Return whether ``obj`` matches the filter; ``is_filter_match`` calls this.

    :raises TypeError: when ``arch_filter_object`` is not an ArchFilterObject.
    """
    if not isinstance(arch_filter_object, ArchFilterObject):
        nested = isinstance(arch_filter_object, ArchFilterClauseContainer)
        hint = (
            " A nested container is matched through the filter that holds it."
            if nested
            else ""
        )
        raise TypeError(
            "is_filter_match needs an ArchFilterObject, not "
            f"{type(arch_filter_object).__name__}. Make one with "
            f"create_filter_object() and add clauses to it.{hint}"
        )
    return arch_filter_object.is_match(obj)


def _attach_camel_case_names(*classes: type) -> None:
    """Give each class the camelCase name of every snake_case member it defines."""
    for cls in classes:
        members = vars(cls)
        for snake in _SNAKE_CASE_MEMBERS:
            if snake in members:
                setattr(cls, camel_case(snake), members[snake])


_attach_camel_case_names(
    _PropertyClause,
    ArchFilterClausePropertyValueEquals,
    ArchFilterClausePropertyValueNotEquals,
    ArchFilterClausePropertyCallback,
    ArchFilterClauseContainer,
    ArchFilterObject,
)
