"""Every flow the contact center relies on is deployed and published."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_archsession import ArchSession

pytestmark = pytest.mark.vcr

EXPECTED_FLOWS = {
    "Main Inbound Call": "INBOUNDCALL",
    "Support Web Chat": "INBOUNDCHAT",
    "Order Status Workflow": "WORKFLOW",
}


def test_the_session_is_logged_in_to_the_expected_org(
    arch_session: ArchSession,
) -> None:
    assert arch_session.status == "running"
    assert arch_session.org_info.name == "FakeCloud Org"
    assert arch_session.org_info.default_language == "en-us"


@pytest.mark.parametrize(("name", "flow_type"), sorted(EXPECTED_FLOWS.items()))
def test_expected_flow_exists_with_its_type(
    flows: dict[str, dict[str, Any]], name: str, flow_type: str
) -> None:
    assert name in flows, f"flow {name!r} is missing; found {sorted(flows)}"
    assert flows[name]["type"] == flow_type


def test_no_flow_is_deleted_or_inactive(flows: dict[str, dict[str, Any]]) -> None:
    broken = [
        name for name, flow in flows.items() if flow["deleted"] or not flow["active"]
    ]
    assert broken == []
