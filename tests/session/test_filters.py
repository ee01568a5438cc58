"""The filter objects that ``is_filter_match`` takes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pytest_archsession.session.filters import (
    ArchFilterObject,
    create_filter_object,
    createFilterObject,
    matches,
)


@dataclass
class OrgInfo:
    name: str
    regionName: str = "us-east-1"


@dataclass
class Flow:
    name: str
    flow_type: str = "inboundcall"
    division: str = "Home"
    is_archived: bool = False
    org_info: OrgInfo | None = None
    flowId: str = "f-1"


MAIN = Flow("Main Menu")
SALES_IVR = Flow("Sales IVR", division="Sales", is_archived=True)
BOT = Flow("Helper", flow_type="bot")


def is_ivr(name: str) -> bool:
    return name.endswith("IVR")


def equals(name: str, value: object, must_exist: bool = True) -> ArchFilterObject:
    only = create_filter_object()
    only.add_clause_property_value_equals(name, value, must_exist)
    return only


def not_equals(name: str, value: object, must_exist: bool = True) -> ArchFilterObject:
    only = create_filter_object()
    only.add_clause_property_value_not_equals(name, value, must_exist)
    return only


def test_an_empty_filter_matches_everything() -> None:
    for is_or in (False, True):
        empty = create_filter_object(is_or)

        assert empty.is_empty
        assert all(matches(obj, empty) for obj in (MAIN, {"name": "x"}, None, 42))


def test_an_and_filter_needs_every_clause() -> None:
    home_calls = create_filter_object()
    home_calls.add_clause_property_value_equals("flow_type", "inboundcall")
    home_calls.add_clause_property_value_equals("division", "Home")

    assert [matches(flow, home_calls) for flow in (MAIN, SALES_IVR, BOT)] == [
        True,
        False,
        False,
    ]


def test_an_or_filter_needs_one_clause() -> None:
    either = create_filter_object(is_or=True)
    either.add_clause_property_value_equals("name", "Helper")
    either.add_clause_property_value_equals("division", "Sales")

    assert [matches(flow, either) for flow in (MAIN, SALES_IVR, BOT)] == [
        False,
        True,
        True,
    ]


def test_the_operator_can_be_named_as_in_architect() -> None:
    assert create_filter_object("or").is_or
    assert create_filter_object("AND").operator == "and"
    assert not create_filter_object(is_or="and").is_or

    switched = create_filter_object()
    switched.add_clause_property_value_equals("name", "Helper")
    switched.add_clause_property_value_equals("division", "Sales")
    switched.operator = "or"

    assert switched.is_or
    assert matches(BOT, switched)


def test_containers_nest_three_deep() -> None:
    # Inbound call flows named Main Menu, or live ones in the Sales division.
    flows = create_filter_object()
    flows.add_clause_property_value_equals("flow_type", "inboundcall")
    either = flows.add_clause_container_or()
    either.add_clause_property_value_equals("name", "Main Menu")
    live_sales = either.add_clause_container_and()
    live_sales.add_clause_property_value_equals("division", "Sales")
    live_sales.add_clause_property_value_equals("is_archived", False)

    assert matches(Flow("Main Menu"), flows)
    assert matches(Flow("Sales Queue", division="Sales"), flows)
    assert not matches(Flow("Old Sales", division="Sales", is_archived=True), flows)
    assert not matches(Flow("Main Menu", flow_type="bot"), flows)
    assert (flows.clause_count, either.clause_count, either.is_or) == (2, 2, True)


def test_not_equals_matches_every_other_value() -> None:
    no_bots = not_equals("flow_type", "bot")

    assert matches(MAIN, no_bots)
    assert not matches(BOT, no_bots)


def test_a_bool_never_equals_a_number() -> None:
    assert matches({"is_archived": True}, equals("is_archived", True))
    assert not matches({"is_archived": 1}, equals("is_archived", True))
    assert matches({"version": 1.0}, equals("version", 1))
    assert not matches({"version": True}, equals("version", 1))
    assert matches({"is_archived": 0}, not_equals("is_archived", False))


def test_a_callback_gets_the_value_the_object_and_the_name() -> None:
    seen: list[tuple[object, object, str]] = []

    def remember(value: object, obj: object, name: str) -> bool:
        seen.append((value, obj, name))
        return True

    named = create_filter_object()
    named.add_clause_property_callback("name", remember)

    assert matches(MAIN, named)
    assert seen == [("Main Menu", MAIN, "name")]


def test_a_callback_may_take_only_the_value() -> None:
    ivrs = create_filter_object()
    ivrs.add_clause_property_callback("name", is_ivr)

    assert matches(SALES_IVR, ivrs)
    assert not matches(MAIN, ivrs)


def test_only_a_callback_returning_true_is_a_match() -> None:
    def returning(result: object) -> Callable[[object], object]:
        return lambda _value: result

    for result, expected in ((True, True), (1, False), ("yes", False), (None, False)):
        decided = create_filter_object()
        decided.add_clause_property_callback("name", returning(result))

        assert matches(MAIN, decided) is expected, result


def test_an_error_in_a_callback_reaches_the_caller() -> None:
    broken = create_filter_object()
    broken.add_clause_property_callback("name", lambda name: name / 0)

    with pytest.raises(TypeError, match="unsupported operand"):
        matches(MAIN, broken)


def test_a_missing_property_fails_every_clause_that_needs_it() -> None:
    called: list[object] = []

    def remember(value: object) -> bool:
        called.append(value)
        return True

    anything = create_filter_object(is_or=True)
    anything.add_clause_property_value_equals("owner", None)
    anything.add_clause_property_value_not_equals("owner", "ann")
    anything.add_clause_property_callback("owner", remember)

    assert not matches(MAIN, anything)
    assert called == []
    assert matches({"owner": None}, anything)


def test_a_missing_property_reads_as_none_when_it_need_not_exist() -> None:
    called: list[object] = []

    def remember(value: object) -> bool:
        called.append(value)
        return value is None

    unowned = create_filter_object()
    unowned.add_clause_property_callback("owner", remember, property_must_exist=False)

    assert matches(MAIN, equals("owner", None, must_exist=False))
    assert not matches(MAIN, equals("owner", "ann", must_exist=False))
    assert matches(MAIN, not_equals("owner", "ann", must_exist=False))
    assert not matches(MAIN, not_equals("owner", None, must_exist=False))
    assert matches(MAIN, unowned)
    assert called == [None]


def test_dotted_names_walk_nested_objects_and_dicts() -> None:
    acme = equals("org_info.name", "Acme")

    assert matches(Flow("x", org_info=OrgInfo("Acme")), acme)
    assert matches({"org_info": {"name": "Acme"}}, acme)
    assert matches({"org_info": OrgInfo("Acme")}, acme)
    assert not matches(Flow("x", org_info=OrgInfo("Other")), acme)
    assert not matches(Flow("x"), acme)
    assert matches(Flow("x"), equals("org_info.name", None, must_exist=False))


def test_names_match_in_either_spelling() -> None:
    nested = Flow("x", org_info=OrgInfo("Acme"))

    assert matches(BOT, equals("flowType", "bot"))
    assert matches(MAIN, equals("flow_id", "f-1"))
    assert matches(nested, equals("orgInfo.region_name", "us-east-1"))
    assert matches({"flowType": "bot"}, equals("flow_type", "bot"))
    assert matches({"is_archived": False}, equals("isArchived", False))


def test_the_name_as_given_wins_over_its_other_spelling() -> None:
    both = {"flow_type": "bot", "flowType": "inboundcall"}

    assert matches(both, equals("flow_type", "bot"))
    assert matches(both, equals("flowType", "inboundcall"))


def test_a_mapping_is_read_by_key_not_by_attribute() -> None:
    assert not matches({}, not_equals("keys", None))
    assert matches({"keys": 3}, equals("keys", 3))


def test_camel_case_names_work_like_snake_case() -> None:
    js: Any = createFilterObject("or")
    js.addClausePropertyValueEquals("flowType", "bot")
    inner = js.addClauseContainerAnd()
    inner.addClausePropertyValueNotEquals("isArchived", True)
    inner.addClausePropertyCallback("name", lambda name: name.startswith("Main"))
    py = create_filter_object(is_or=True)
    py.add_clause_property_value_equals("flow_type", "bot")
    same = py.add_clause_container_and()
    same.add_clause_property_value_not_equals("is_archived", True)
    same.add_clause_property_callback("name", lambda name: name.startswith("Main"))
    flows = (MAIN, SALES_IVR, BOT, Flow("Main Old", is_archived=True))

    assert [js.isMatch(flow) for flow in flows] == [True, False, True, False]
    assert [js.isMatch(flow) for flow in flows] == [py.is_match(f) for f in flows]
    assert (js.isOr, js.clauseCount, js.isEmpty) == (True, 2, False)
    assert js.addFilterClauseContainer("or").isEmpty
    assert js.addClauseContainerOr().isOr


def test_each_added_clause_tells_what_it_checks() -> None:
    js: Any = createFilterObject()
    clause = js.addClausePropertyValueEquals("org_info.name", "Acme", False)
    callback = create_filter_object().add_clause_property_callback("name", is_ivr)

    assert (clause.propertyName, clause.value, clause.propertyMustExist) == (
        "org_info.name",
        "Acme",
        False,
    )
    assert clause.isMatch({"org_info": {"name": "Acme"}})
    assert (callback.property_name, callback.value) == ("name", is_ivr)
    assert callback.property_must_exist


def test_repr_shows_the_whole_filter() -> None:
    flows = create_filter_object()
    flows.add_clause_property_value_equals("name", "Main Menu")
    either = flows.add_clause_container_or()
    either.add_clause_property_callback("name", is_ivr, property_must_exist=False)

    assert repr(flows) == (
        "ArchFilterObject('and', ["
        "ArchFilterClausePropertyValueEquals('name', 'Main Menu'), "
        "ArchFilterClauseContainer('or', ["
        "ArchFilterClausePropertyCallback('name', is_ivr, "
        "property_must_exist=False)])])"
    )


@pytest.mark.parametrize(
    ("mistake", "error", "message"),
    [
        (
            lambda f: f.add_clause_property_value_equals(42, "x"),
            TypeError,
            r"property_name must be a string such as 'name'.*not int\.",
        ),
        (
            lambda f: f.add_clause_property_value_not_equals("  ", "x"),
            ValueError,
            r"property_name is blank; give the property to check",
        ),
        (
            lambda f: f.add_clause_property_value_equals("org_info..name", "x"),
            ValueError,
            r"'org_info\.\.name' has an empty or padded part; join nested names",
        ),
        (
            lambda f: f.add_clause_property_value_equals("org_info. name", "x"),
            ValueError,
            r"empty or padded part",
        ),
        (
            lambda f: f.add_clause_property_callback("name", "is_ivr"),
            TypeError,
            r"callback must be a function, not str; pass one taking \(value",
        ),
        (
            lambda f: f.add_clause_property_callback("name", lambda: True),
            TypeError,
            r"takes no positional parameters; .* must accept at least the value",
        ),
        (
            lambda f: f.add_clause_property_value_equals("name", "x", "yes"),
            TypeError,
            r"property_must_exist must be True or False, not 'yes'\.",
        ),
        (
            lambda f: f.add_filter_clause_container("nand"),
            ValueError,
            r"Operator 'nand' is not valid; use 'and' or 'or'\.",
        ),
        (
            lambda f: setattr(f, "operator", None),
            TypeError,
            r"is_or=True/False or the operator 'and' or 'or', not NoneType\.",
        ),
        (
            lambda f: f.add_filter_clause_container(1),
            TypeError,
            r"is_or=True/False or the operator 'and' or 'or', not int\.",
        ),
    ],
)
def test_bad_input_says_what_to_fix(
    mistake: Callable[[Any], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        mistake(create_filter_object())


def test_matches_refuses_what_is_not_a_filter() -> None:
    not_a_filter: Any = {"name": "Main Menu"}
    nested: Any = create_filter_object().add_clause_container_or()

    with pytest.raises(TypeError, match=r"needs an ArchFilterObject, not dict\. "):
        matches(MAIN, not_a_filter)
    with pytest.raises(TypeError, match="matched through the filter that holds it"):
        matches(MAIN, nested)
