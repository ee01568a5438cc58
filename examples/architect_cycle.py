"""Drive a whole Architect Scripting cycle against the fake cloud.

    python examples/architect_cycle.py [EXIT_CODE] [--wrong-secret]

It starts a fake Genesys Cloud on a loopback port, then walks through what
the ArchSession reference page describes, with its camelCase names and the
Python ones: a person's login through the (simulated) browser and the reuse
of the stored token, permissions, logging, filters, background work, the end
callback and the logout. The last session ends the process: it exits with
EXIT_CODE (default 0), or with 99 when its login fails (--wrong-secret).

The camelCase names are attached at run time, so type checkers know only the
snake_case ones: the lines that use camelCase say so to mypy.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
from pathlib import Path
from urllib.request import urlopen

from pytest_archsession import (
    ArchSession,
    ArchStateError,
    create_filter_object,
    resolve_location,
)
from pytest_archsession.fakecloud import FakeCloud

CLIENT_ID, CLIENT_SECRET = "example-client", "example:sécret"
PERSON_ID, PERSON_SECRET = "example-person-client", "person-secret-123"


def browser(url: str) -> None:
    """Stand in for the web browser: follow the login page's redirect."""
    with urlopen(url, timeout=10) as page:
        page.read()


def check(label: str, ok: bool) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {label}")


def person_logs_in_twice(cloud: FakeCloud, store: Path) -> None:
    location = resolve_location("prod", cloud.url, cloud.url)
    for attempt in (1, 2):
        session = ArchSession(end_terminates_process=False)
        session.browser_opener = browser
        session.redirect_port = 0
        session.token_store = store
        session.startWithClientIdAndSecret(  # type: ignore[attr-defined]
            location, lambda s: None, PERSON_ID, PERSON_SECRET, None, False
        )
        check(f"person login {attempt} ends with 0", session.endExitCode == 0)  # type: ignore[attr-defined]
    check(
        "second login reused the stored token",
        cloud.count("GET", "/oauth/authorize") == 1,
    )
    check("token store is owner-only", store.stat().st_mode & 0o777 == 0o600)


def missing_permission(cloud: FakeCloud, store: Path) -> None:
    cloud.add_user("no-architect", ["architect:flow:view"])
    session = ArchSession(end_terminates_process=False)
    session.browser_opener = browser
    session.redirect_port = 0
    session.token_store = store.with_name("other.json")
    session.start_with_client_id_and_secret(
        resolve_location("prod", cloud.url, cloud.url),
        lambda s: None,
        PERSON_ID,
        PERSON_SECRET,
        None,
        False,
    )
    check("missing architect:ui:view ends with 99", session.end_exit_code == 99)
    check("and leaves nothing running", session.status == "ended")


def client_session(cloud: FakeCloud, exit_code: int, secret: str) -> None:
    session = ArchSession()
    session.endMode = "endWithLogout"  # type: ignore[attr-defined]
    session.log_network_activity = True
    seen: list[str] = []

    async def callback_start(running: ArchSession) -> None:
        check("status is running", running.status == "running")
        check(
            "orgInfo and org_info agree",
            running.orgInfo.name == running.org_info.name,  # type: ignore[attr-defined]
        )
        only_prod = create_filter_object()
        only_prod.addClausePropertyValueEquals("environment", "prod")  # type: ignore[attr-defined]
        check("filter matches the session", running.isFilterMatch(only_prod))  # type: ignore[attr-defined]
        try:
            running.start_with_auth_token("prod", lambda s: None, "t0ken-value")
        except ArchStateError:
            check("starting while running is refused", True)
        running.submit(seen.append, "background work")
        await asyncio.sleep(0)
        running.end_exit_code = exit_code
        print(f"exiting with {exit_code} after logout")

    def callback_end(running: ArchSession) -> None:
        seen.append("end callback")
        raise RuntimeError("an end callback error changes no exit code")

    session.start_with_client_id_and_secret(
        resolve_location("prod", cloud.url, cloud.url),
        callback_start,
        CLIENT_ID,
        secret,
        callback_end,
        True,
    )
    print("not reached: the session ends the process")


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    exit_code = int(next((a for a in argv if a.isdigit()), "0"))
    secret = "wrong" if "--wrong-secret" in argv else CLIENT_SECRET
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeCloud(clients={CLIENT_ID: CLIENT_SECRET}) as cloud,
    ):
        cloud.add_client(PERSON_ID, PERSON_SECRET, grant="code")
        store = Path(folder, "tokens.json")
        person_logs_in_twice(cloud, store)
        missing_permission(cloud, store)
        client_session(cloud, exit_code, secret)


if __name__ == "__main__":
    main(sys.argv[1:])
