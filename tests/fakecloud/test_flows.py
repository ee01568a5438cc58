"""Architect flows: paging, filters, one flow, and the flow permission."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import bearer, call, client_token


def get(cloud: FakeCloud, path: str, token: str | None = None) -> Any:
    """GET ``path`` with a client token and return the decoded body."""
    answer = call(cloud, "GET", path, headers=bearer(token or client_token(cloud)))
    assert answer.status == 200, answer.body
    return answer.json()


def test_default_flows_are_three_published_flows(cloud: FakeCloud) -> None:
    listing = get(cloud, "/api/v2/flows")

    assert listing["total"] == 3
    assert [f["name"] for f in listing["entities"]] == [f["name"] for f in cloud.flows]
    for body in listing["entities"]:
        assert body["publishedVersion"]["id"]
        assert body["division"]["name"] == "Home"
    assert "nextUri" not in listing


def test_pages_split_the_flows_and_link_to_each_other(cloud: FakeCloud) -> None:
    token = client_token(cloud)

    first = get(cloud, "/api/v2/flows?pageSize=2", token)
    second = get(cloud, first["nextUri"], token)

    assert (first["pageCount"], first["pageNumber"], len(first["entities"])) == (
        2,
        1,
        2,
    )
    assert (second["pageNumber"], len(second["entities"])) == (2, 1)
    assert "nextUri" not in second
    assert second["lastUri"] == second["selfUri"]
    assert second["previousUri"] == first["selfUri"]
    names = [f["name"] for f in first["entities"] + second["entities"]]
    assert names == [f["name"] for f in cloud.flows]


def test_type_filter_ignores_case(cloud: FakeCloud) -> None:
    listing = get(cloud, "/api/v2/flows?type=inboundcall")

    assert [f["type"] for f in listing["entities"]] == ["INBOUNDCALL"]
    assert "type=inboundcall" in listing["selfUri"]


def test_name_filter_takes_a_wildcard(cloud: FakeCloud) -> None:
    exact = get(cloud, "/api/v2/flows?name=support%20web%20chat")
    wild = get(cloud, "/api/v2/flows?name=*inbound*")

    assert [f["name"] for f in exact["entities"]] == ["Support Web Chat"]
    assert [f["name"] for f in wild["entities"]] == ["Main Inbound Call"]


def test_added_flows_are_listed_and_fetched(cloud: FakeCloud) -> None:
    added = {**cloud.flows[0], "id": "added-flow", "name": "Added Flow"}
    cloud.flows.append(added)

    assert get(cloud, "/api/v2/flows")["total"] == 4
    assert get(cloud, "/api/v2/flows/added-flow")["name"] == "Added Flow"


def test_one_flow_by_id(cloud: FakeCloud) -> None:
    wanted = cloud.flows[1]

    assert get(cloud, f"/api/v2/flows/{wanted['id']}") == wanted


def test_unknown_flow_is_404(cloud: FakeCloud) -> None:
    answer = call(
        cloud, "GET", "/api/v2/flows/no-such-flow", headers=bearer(client_token(cloud))
    )

    assert answer.status == 404
    assert answer.json()["status"] == 404
    assert answer.json()["contextId"] == answer.header("ININ-Correlation-Id")


@pytest.mark.parametrize("query", ["pageSize=0", "pageNumber=-1", "pageSize=many"])
def test_bad_paging_is_400(cloud: FakeCloud, query: str) -> None:
    answer = call(
        cloud, "GET", f"/api/v2/flows?{query}", headers=bearer(client_token(cloud))
    )

    assert answer.status == 400


@pytest.mark.parametrize(
    ("permissions", "status"),
    [(["routing:queue:view"], 403), (["architect:*:*"], 200), (["*:*:*"], 200)],
)
def test_client_roles_decide_flow_access(
    cloud: FakeCloud, permissions: list[str], status: int
) -> None:
    cloud.add_client("limited", "limited-secret", roles_permissions=permissions)
    token = client_token(cloud, "limited", "limited-secret")

    answer = call(cloud, "GET", "/api/v2/flows", headers=bearer(token))

    assert answer.status == status
    if status == 403:
        assert "architect:flow:view" in answer.json()["message"]
