"""Run the fake Genesys Cloud until SIGINT or SIGTERM.

``python -m pytest_archsession.fakecloud --port N --client-id ID --client-secret S``
prints one line, the base URL, then serves on it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .cloud import FakeCloud
from .records import GRANTS


def positive_int(text: str) -> int:
    """Parse a whole number of seconds greater than zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not greater than zero")
    return value


def port_number(text: str) -> int:
    """Parse a TCP port, 0 meaning any free one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 65535")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser; the client is required, never built in."""
    parser = argparse.ArgumentParser(
        prog="python -m pytest_archsession.fakecloud",
        description=(
            "Serve a fake Genesys Cloud (login and API) on 127.0.0.1 until "
            "interrupted. The first line printed is its base URL."
        ),
    )
    parser.add_argument(
        "--port", type=port_number, default=0, help="port to listen on (0: any free)"
    )
    parser.add_argument("--client-id", required=True, help="OAuth client id")
    parser.add_argument("--client-secret", required=True, help="OAuth client secret")
    parser.add_argument(
        "--grant",
        choices=GRANTS,
        default=GRANTS[0],
        help="grant the client uses (default: %(default)s)",
    )
    parser.add_argument(
        "--token-lifetime",
        type=positive_int,
        default=86400,
        metavar="SECONDS",
        help="expires_in of issued tokens (default: %(default)s)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until SIGINT or SIGTERM; return the exit status."""
    args = build_parser().parse_args(argv)
    cloud = FakeCloud(token_lifetime=args.token_lifetime, port=args.port)
    cloud.add_client(args.client_id, args.client_secret, grant=args.grant)
    try:
        cloud.start()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        print(
            f"fakecloud: cannot listen on 127.0.0.1:{args.port}: {reason}",
            file=sys.stderr,
        )
        return 2

    stopped = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        print(cloud.url, flush=True)
        while not stopped.wait(0.2):
            continue
    finally:
        cloud.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
