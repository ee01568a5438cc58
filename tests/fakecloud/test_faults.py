"""Faults: status answers, stalls and dropped connections, in order of arrival."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest

from pytest_archsession.fakecloud import FakeCloud

from .http_helpers import Answer, bearer, call, client_token

ORG = "/api/v2/organizations/me"


def test_fail_answers_the_status_and_headers_then_stops(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    cloud.fail(ORG, 429, headers={"Retry-After": "3"}, times=2)

    answers = [call(cloud, "GET", ORG, headers=bearer(token)) for _ in range(3)]

    assert [a.status for a in answers] == [429, 429, 200]
    assert answers[0].header("Retry-After") == "3"
    body = answers[0].json()
    assert (body["status"], body["contextId"]) == (
        429,
        answers[0].header("ININ-Correlation-Id"),
    )


def test_fail_sends_the_given_body(cloud: FakeCloud) -> None:
    cloud.fail(ORG, 503, body={"message": "down for maintenance", "code": "x"})

    answer = call(cloud, "GET", ORG)

    assert answer.status == 503
    assert answer.json() == {"message": "down for maintenance", "code": "x"}


def test_fail_with_a_method_leaves_other_methods_alone(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    cloud.fail("/api/v2/tokens/me", 502, method="DELETE")

    get = call(cloud, "GET", "/api/v2/tokens/me", headers=bearer(token))
    delete = call(cloud, "DELETE", "/api/v2/tokens/me", headers=bearer(token))

    assert (get.status, delete.status) == (200, 502)


def test_faults_on_one_path_apply_in_the_order_given(cloud: FakeCloud) -> None:
    cloud.fail(ORG, 502)
    cloud.fail(ORG, 504)

    statuses = [call(cloud, "GET", ORG).status for _ in range(3)]

    assert statuses == [502, 504, 401]


def test_fault_matches_the_path_without_its_query(cloud: FakeCloud) -> None:
    cloud.fail("/api/v2/flows", 500)

    assert call(cloud, "GET", "/api/v2/flows?pageSize=1").status == 500


def test_stall_delays_the_answer(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    cloud.stall(ORG, 0.5)

    started = time.monotonic()
    answer = call(cloud, "GET", ORG, headers=bearer(token))
    waited = time.monotonic() - started

    assert answer.status == 200
    assert 0.5 <= waited < 3


def test_stall_outlasts_a_client_timeout(cloud: FakeCloud) -> None:
    cloud.stall(ORG, 2)

    with pytest.raises(socket.timeout):
        call(cloud, "GET", ORG, timeout=0.3)

    assert cloud.count("GET", ORG) == 1


def test_stop_ends_a_long_stall_at_once() -> None:
    threads_before = set(threading.enumerate())
    cloud = FakeCloud().start()
    cloud.stall(ORG, 50)
    outcome: list[BaseException | Answer] = []

    def stalled_call() -> None:
        try:
            outcome.append(call(cloud, "GET", ORG, timeout=30))
        except (OSError, http.client.HTTPException) as exc:
            outcome.append(exc)

    worker = threading.Thread(target=stalled_call)
    worker.start()
    while cloud.count("GET", ORG) == 0:
        time.sleep(0.01)
    started = time.monotonic()
    cloud.stop()
    worker.join(10)

    assert time.monotonic() - started < 3
    assert len(outcome) == 1
    assert isinstance(outcome[0], (OSError, http.client.HTTPException))
    assert handler_threads_end_within(3, threads_before)


def handler_threads_end_within(seconds: float, before: set[threading.Thread]) -> bool:
    """Return whether request threads started since ``before`` all end in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        new = set(threading.enumerate()) - before
        if not any("process_request_thread" in t.name for t in new):
            return True
        time.sleep(0.02)
    return False


def test_drop_closes_without_an_answer_then_serves_again(cloud: FakeCloud) -> None:
    token = client_token(cloud)
    cloud.drop(ORG)

    with pytest.raises(http.client.RemoteDisconnected):
        call(cloud, "GET", ORG, headers=bearer(token))

    assert call(cloud, "GET", ORG, headers=bearer(token)).status == 200
    assert cloud.count("GET", ORG) == 2


def test_faults_refuse_nonsense(cloud: FakeCloud) -> None:
    with pytest.raises(ValueError, match="times"):
        cloud.fail(ORG, 500, times=0)
    with pytest.raises(ValueError, match="status"):
        cloud.fail(ORG, 42)
