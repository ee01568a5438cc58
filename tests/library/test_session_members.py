"""The session's properties: status, end settings, org info and camelCase names."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from pytest_archsession import (
    ArchSession,
    ArchSessionError,
    ArchStateError,
    ArchUsageError,
    Location,
    resolve_location,
)
from pytest_archsession.fakecloud import FakeCloud

from .helpers import CLIENT_ID, CLIENT_SECRET


def test_status_goes_from_not_started_to_running_to_ended(
    session: ArchSession, location: Location
) -> None:
    seen: list[str] = []
    before = session.status

    session.start_with_client_id_and_secret(
        location, lambda s: seen.append(s.status), CLIENT_ID, CLIENT_SECRET, None, True
    )

    assert [before, *seen, session.status] == ["notStarted", "running", "ended"]


@pytest.mark.parametrize("code", [99, "7", 7.0, True, None])
def test_end_exit_code_refuses_99_and_non_integers(
    session: ArchSession, code: object
) -> None:
    with pytest.raises(ValueError):
        session.end_exit_code = code  # type: ignore[assignment]

    assert session.end_exit_code == 0


@pytest.mark.parametrize("code", [0, 1, 7, 98, 100])
def test_end_exit_code_takes_other_integers(session: ArchSession, code: int) -> None:
    session.end_exit_code = code

    assert session.end_exit_code == code


@pytest.mark.parametrize("mode", ["endwithlogout", "logout", "End", ""])
def test_a_misspelt_end_mode_is_refused(session: ArchSession, mode: str) -> None:
    with pytest.raises(ValueError, match="endWithLogout"):
        session.end_mode = mode

    assert session.end_mode == "end"


def test_org_info_offers_each_field_three_ways(connected: ArchSession) -> None:
    info = connected.org_info

    assert info.default_language == "en-us"
    assert info.defaultLanguage == "en-us"
    assert info["defaultLanguage"] == "en-us"
    assert info.id == "d236727a-36af-4540-9e9f-dd7fc30bfdb1"
    assert info.name == "FakeCloud Org"
    assert (info.domain, info.state) == ("fakecloud-org", "active")
    assert info.features["contactCenter"] is True


def test_org_info_follows_what_the_org_says(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    cloud.org = {**cloud.org, "name": "Acme Support", "defaultLanguage": "fr-ca"}

    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)

    assert session.org_info.name == "Acme Support"
    assert session.org_info.default_language == "fr-ca"


def test_an_unknown_org_field_names_the_fields_there_are(
    connected: ArchSession,
) -> None:
    with pytest.raises(AttributeError, match="default_currency") as caught:
        connected.org_info.default_currency  # noqa: B018

    assert "defaultLanguage" in str(caught.value)


def test_org_info_stays_readable_after_the_end(connected: ArchSession) -> None:
    connected.end()

    assert connected.org_info.name == "FakeCloud Org"


def test_org_id_and_org_name_still_work_but_are_deprecated(
    connected: ArchSession,
) -> None:
    with pytest.deprecated_call(match="org_info.id"):
        org_id = connected.org_id
    with pytest.deprecated_call(match="org_info.name"):
        org_name = connected.org_name

    assert (org_id, org_name) == (connected.org_info.id, connected.org_info.name)


# The camelCase names are made at import time, so type checkers do not see
# them: the tests reach them through ``Any``, as a ported script would.


def test_camel_case_names_reach_the_same_members(
    connected: ArchSession, cloud: FakeCloud
) -> None:
    script: Any = connected
    script_class: Any = ArchSession

    script.endMode = "endWithLogout"

    assert connected.end_mode == "endWithLogout"
    assert script.orgInfo.name == "FakeCloud Org"
    assert script.authToken == cloud.issued_tokens[-1]
    assert script.archSessionId == connected.arch_session_id
    assert script.isConnected is True
    assert script_class.displayTypeName == "ArchSession"
    assert script_class.isArchSession is True


def test_camel_case_setters_check_like_the_snake_case_ones(
    session: ArchSession,
) -> None:
    script: Any = session

    with pytest.raises(ValueError):
        script.endExitCode = 99
    with pytest.raises(ValueError):
        script.endMode = "endWithLogOut"


def test_a_script_can_start_through_the_camel_case_method(
    session: ArchSession, location: Location
) -> None:
    script: Any = session
    names: list[str] = []

    script.startWithClientIdAndSecret(
        location,
        lambda s: names.append(s.orgInfo.name),
        CLIENT_ID,
        CLIENT_SECRET,
        None,
        True,
    )

    assert names == ["FakeCloud Org"]
    assert script.endExitCode == 0


def test_the_location_gives_environment_host_and_region(
    session: ArchSession, cloud: FakeCloud
) -> None:
    location = resolve_location("euw2.pure.cloud", cloud.url, cloud.url)

    session.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)

    assert session.location == location
    assert (session.environment, session.host, session.region) == (
        "prod",
        "euw2.pure.cloud",
        "eu-west-2",
    )


def test_the_log_string_names_the_session_and_its_org(
    connected: ArchSession,
) -> None:
    assert connected.log_str == (
        "[ArchSession, Environment:'prod', Host:'mypurecloud.com', "
        "Region:'us-east-1', ArchSessionId:'" + connected.arch_session_id + "', "
        "OrgName:'FakeCloud Org', OrgId:'d236727a-36af-4540-9e9f-dd7fc30bfdb1']"
    )
    assert connected.log_str_type_only == "[ArchSession]"


def test_each_session_has_its_own_fixed_id(location: Location) -> None:
    first = ArchSession(end_terminates_process=False)
    second = ArchSession(end_terminates_process=False)
    kept = first.arch_session_id

    first.connect_with_client_id_and_secret(location, CLIENT_ID, CLIENT_SECRET, True)
    first.end()

    assert first.arch_session_id == kept
    assert kept and kept != second.arch_session_id


def test_the_token_and_api_need_a_running_session(session: ArchSession) -> None:
    with pytest.raises(ArchStateError, match="notStarted"):
        session.auth_token  # noqa: B018
    with pytest.raises(ArchStateError):
        session.api  # noqa: B018


def test_an_unknown_location_is_refused_before_anything_is_sent(
    session: ArchSession, cloud: FakeCloud
) -> None:
    with pytest.raises(ArchUsageError, match="prod_eu_west_1"):
        session.connect_with_client_id_and_secret(
            "prod_eu_west_9", CLIENT_ID, CLIENT_SECRET, True
        )

    assert cloud.requests == []


def test_log_lines_go_to_the_package_logger_with_the_log_string(
    connected: ArchSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pytest_archsession")
    connected.log_notes_verbose = True

    connected.log_note("reading flows")
    connected.log_note_verbose("page 1 of 3")
    connected.log_warning("flow 'Old IVR' is deprecated")
    connected.log_error("flow 'Main' failed to publish")

    lines = [(r.name, r.levelname, r.getMessage()) for r in caplog.records]
    assert [level for _, level, _ in lines] == ["INFO", "DEBUG", "WARNING", "ERROR"]
    assert {name for name, _, _ in lines} == {"pytest_archsession"}
    assert all(connected.arch_session_id in message for _, _, message in lines)
    assert lines[0][2].startswith("reading flows")


def test_log_flags_silence_their_kind_of_line(
    connected: ArchSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pytest_archsession")
    connected.log_notes = False
    connected.log_warnings = False
    connected.log_errors = False

    connected.log_note("a note")
    connected.log_note_verbose("a detail")
    connected.log_warning("a warning")
    connected.log_error("an error")

    assert caplog.records == []


def test_log_error_and_throw_logs_then_raises_the_text(
    connected: ArchSession, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ArchSessionError, match=r"^queue 'Support' not found$"):
        connected.log_error_and_throw("queue 'Support' not found")

    assert "queue 'Support' not found" in caplog.text


def test_a_start_callback_that_is_not_callable_is_refused(
    session: ArchSession, location: Location, cloud: FakeCloud
) -> None:
    not_a_function: Any = "main"

    with pytest.raises(ArchUsageError, match="callback_start"):
        session.start_with_client_id_and_secret(
            location, not_a_function, CLIENT_ID, CLIENT_SECRET, None, True
        )

    assert session.status == "notStarted"
    assert cloud.requests == []
