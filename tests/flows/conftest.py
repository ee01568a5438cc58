"""The example flow regression suite: what a team writes to keep its
Architect flows in shape. It replays from the project's ``cassettes/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pytest_archsession import ArchSession


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """Keep the suite's cassettes beside the session's, under ``cassettes/``."""
    module = Path(str(request.node.path)).stem
    return str(request.config.rootpath / "cassettes" / "flows" / module)


@pytest.fixture
def flows(arch_session: ArchSession) -> dict[str, dict[str, Any]]:
    """Return the org's flows by name, read through the session's API client."""
    response = arch_session.api.get("/api/v2/flows", params={"pageSize": 100})
    response.raise_for_status()
    return {flow["name"]: flow for flow in response.json()["entities"]}
