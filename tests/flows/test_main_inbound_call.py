"""The main inbound call flow, read by id, is published as checked in."""

from __future__ import annotations

import pytest

from pytest_archsession import ArchSession

MAIN_CALL_FLOW_ID = "37f40b3f-ebca-4f0c-b08d-af0fd4a911ef"


@pytest.mark.vcr
def test_main_call_flow_is_published_from_its_checked_in_version(
    arch_session: ArchSession,
) -> None:
    response = arch_session.api.get(f"/api/v2/flows/{MAIN_CALL_FLOW_ID}")

    assert response.status_code == 200
    flow = response.json()
    assert flow["name"] == "Main Inbound Call"
    published = flow["publishedVersion"]["id"]
    assert published == flow["checkedInVersion"]["id"]


@pytest.mark.vcr
def test_unknown_flow_is_reported_as_not_found(arch_session: ArchSession) -> None:
    response = arch_session.api.get(
        "/api/v2/flows/00000000-0000-0000-0000-000000000000"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not.found"
