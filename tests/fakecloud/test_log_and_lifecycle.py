"""The request log, start and stop, and keeping quiet."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from pytest_archsession.fakecloud import FakeCloud, RecordedRequest

from .http_helpers import (
    CLIENT_ID,
    CLIENT_SECRET,
    FORM,
    basic,
    bearer,
    call,
    client_token,
)


def test_log_keeps_method_path_query_headers_and_body(cloud: FakeCloud) -> None:
    headers = {**basic(CLIENT_ID, CLIENT_SECRET), **FORM, "X-Trace": "t-1"}
    call(
        cloud,
        "POST",
        "/oauth/token",
        headers=headers,
        body=b"grant_type=client_credentials",
    )
    call(cloud, "GET", "/api/v2/flows?pageSize=2&type=a&type=b")

    token_request, flows_request = cloud.requests

    assert isinstance(token_request, RecordedRequest)
    assert (token_request.method, token_request.path) == ("POST", "/oauth/token")
    assert token_request.headers["X-Trace"] == "t-1"
    assert token_request.headers["Authorization"] == headers["Authorization"]
    assert token_request.body == b"grant_type=client_credentials"
    assert flows_request.path == "/api/v2/flows"
    assert flows_request.query == {"pageSize": ["2"], "type": ["a", "b"]}


def test_log_repr_hides_secrets(cloud: FakeCloud) -> None:
    client_token(cloud)

    shown = repr(cloud.requests[0])

    assert "POST /oauth/token" in shown
    assert basic(CLIENT_ID, CLIENT_SECRET)["Authorization"] not in shown
    assert "grant_type" not in shown


def test_count_uses_method_and_exact_path(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    for path in ("/api/v2/flows", "/api/v2/flows?pageSize=1", "/api/v2/flows/x"):
        call(cloud, "GET", path, headers=bearer(token))

    assert cloud.count("GET", "/api/v2/flows") == 2
    assert cloud.count("get", "/api/v2/flows/x") == 1
    assert cloud.count("POST", "/api/v2/flows") == 0
    assert cloud.count("POST", "/oauth/token") == 1


def test_clear_log_forgets_what_came_before(cloud: FakeCloud) -> None:
    client_token(cloud)
    cloud.clear_log()
    call(cloud, "GET", "/api/v2/organizations/me")

    assert [r.path for r in cloud.requests] == ["/api/v2/organizations/me"]


def test_url_names_the_loopback_port() -> None:
    with FakeCloud() as cloud:
        assert cloud.url == f"http://127.0.0.1:{cloud.port}"
        assert call(cloud, "GET", "/api/v2/organizations/me").status == 401


def test_stop_closes_the_port_and_can_be_repeated() -> None:
    cloud = FakeCloud().start()
    port = cloud.port

    cloud.stop()
    cloud.stop()

    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2)
    with pytest.raises(RuntimeError):
        cloud.start()


def test_stop_cuts_idle_keep_alive_connections() -> None:
    cloud = FakeCloud().start()
    connection = http.client.HTTPConnection("127.0.0.1", cloud.port, timeout=5)
    connection.request("GET", "/api/v2/organizations/me")
    connection.getresponse().read()

    cloud.stop()

    with pytest.raises((OSError, http.client.HTTPException)):
        connection.request("GET", "/api/v2/organizations/me")
        connection.getresponse()
    connection.close()


def test_nothing_is_printed_even_when_clients_hang_up(
    cloud: FakeCloud, capfd: pytest.CaptureFixture[str]
) -> None:
    token = client_token(cloud)
    call(cloud, "GET", "/api/v2/flows", headers=bearer(token))
    cloud.stall("/api/v2/flows", 0.5)
    with pytest.raises(socket.timeout):
        call(cloud, "GET", "/api/v2/flows", headers=bearer(token), timeout=0.1)
    time.sleep(0.7)  # the stalled answer is written to a closed connection
    cloud.drop("/api/v2/flows")
    with pytest.raises(http.client.RemoteDisconnected):
        call(cloud, "GET", "/api/v2/flows", headers=bearer(token))
    cloud.stop()

    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_repr_names_clients_but_never_secrets() -> None:
    cloud = FakeCloud(clients={"visible-id": "hidden-secret"})

    assert "visible-id" in repr(cloud)
    assert "hidden-secret" not in repr(cloud)
