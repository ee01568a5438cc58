"""The HTTP side: read each request, log it, apply a fault, write the answer."""

from __future__ import annotations

import contextlib
import gzip
import socket
import socketserver
import sys
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .faults import FaultKind
from .messages import RecordedRequest, Reply, api_error
from .routes import route
from .state import CloudState

HOST = "127.0.0.1"
MAX_BODY_BYTES = 10 * 1024 * 1024
IDLE_SECONDS = 60.0

Connection = socket.socket | tuple[bytes, socket.socket]


class BadRequestError(ValueError):
    """The request's framing cannot be read (length or chunks)."""


class FakeCloudServer(ThreadingHTTPServer):
    """A threaded HTTP server on loopback that can cut its open connections."""

    daemon_threads = True

    def __init__(self, port: int, state: CloudState) -> None:
        """Bind to ``127.0.0.1:port`` (0 for any free port) and serve ``state``."""
        self.state = state
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__((HOST, port), FakeCloudHandler)

    def server_bind(self) -> None:
        """Bind without the reverse name lookup that HTTPServer makes."""
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.socket.getsockname()[1]

    def process_request(self, request: Connection, client_address: Any) -> None:
        """Remember the connection, so that stopping can cut it."""
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Connection) -> None:
        """Forget the connection once its handler is done with it."""
        if isinstance(request, socket.socket):
            with self._open_lock:
                self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut every connection still open, idle keep-alive ones included."""
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Connection, client_address: Any) -> None:
        """Say nothing when a client went away; report anything else."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class FakeCloudHandler(BaseHTTPRequestHandler):
    """Answer one connection's requests, keeping it alive between them."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeGenesysCloud/1"
    timeout = IDLE_SECONDS
    # Headers and body go out in two writes; without TCP_NODELAY each answer
    # on a kept-alive connection waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        """Name the server in the Server header."""
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        """Print nothing: tests read the request log instead."""

    def do_GET(self) -> None:
        """Serve any method the same way; the routes decide what it may do."""
        self.serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def cloud_state(self) -> CloudState:
        """Return the state of the server this handler works for."""
        if not isinstance(self.server, FakeCloudServer):
            raise TypeError("FakeCloudHandler only works for a FakeCloudServer.")
        return self.server.state

    def serve(self) -> None:
        """Log the request, then fail, stall, drop or answer it."""
        state = self.cloud_state()
        try:
            request = self.read_request()
        except BadRequestError as exc:
            self.close_connection = True
            self.write(state, api_error(400, "bad.request", str(exc)), head_only=False)
            return
        state.record(request)

        fault = state.faults.take(request.method, request.path)
        if fault is None:
            reply = self.answer(state, request)
        elif fault.kind is FaultKind.FAIL:
            reply = fault.reply()
        elif fault.kind is FaultKind.STALL and not state.stopping.wait(fault.seconds):
            reply = self.answer(state, request)
        else:
            # Dropped, or the cloud stopped during a stall: close unanswered.
            self.close_connection = True
            return
        self.write(state, reply, head_only=request.method == "HEAD")

    def read_request(self) -> RecordedRequest:
        """Return the request as received: method, path, query, headers, body."""
        parts = urlsplit(self.path)
        return RecordedRequest(
            method=self.command.upper(),
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=dict(self.headers.items()),
            body=self.read_body(),
        )

    def read_body(self) -> bytes:
        """Read the body announced by Content-Length or sent in chunks."""
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            return self.read_chunks()
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        try:
            size = int(length)
        except ValueError:
            raise BadRequestError(
                f"Content-Length {length!r} is not a number."
            ) from None
        if not 0 <= size <= MAX_BODY_BYTES:
            raise BadRequestError(f"Content-Length {size} is out of range.")
        return self.rfile.read(size)

    def read_chunks(self) -> bytes:
        """Read a chunked body up to its last, empty chunk."""
        body = bytearray()
        while True:
            line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(line, 16)
            except ValueError:
                raise BadRequestError(f"Bad chunk size {line!r}.") from None
            if size == 0:
                break
            if len(body) + size > MAX_BODY_BYTES:
                raise BadRequestError("The chunked body is too large.")
            body += self.rfile.read(size)
            self.rfile.readline(8)
        while self.rfile.readline(1024).strip():
            continue
        return bytes(body)

    def answer(self, state: CloudState, request: RecordedRequest) -> Reply:
        """Route the request; a bug in the fake answers 500 and is reported."""
        try:
            return route(state, request)
        except Exception as exc:
            traceback.print_exc()
            return api_error(500, "fakecloud.bug", f"The fake cloud failed: {exc!r}")

    def write(self, state: CloudState, reply: Reply, *, head_only: bool) -> None:
        """Write the status, headers and (maybe compressed) body of ``reply``."""
        body = reply.body
        headers = list(reply.headers)
        if reply.is_json and state.gzip and body:
            body = gzip.compress(body)
            headers.append(("Content-Encoding", "gzip"))
        if head_only:
            body = b""

        self.send_response(reply.status)
        if reply.content_type is not None and reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("ININ-Correlation-Id", reply.correlation_id)
        for name, value in headers:
            self.send_header(name, value)
        if reply.status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
