"""The bearer token of a running session, renewed when it is due."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..errors import ArchTokenExpiredError
from ..wire.oauth import TokenGrant

#: Renew a renewable token when less than this share of its life is left.
RENEW_SHARE = 0.1

#: ...or less than this many seconds, whichever is smaller.
RENEW_MARGIN = 60.0


class SessionToken:
    """Hand out a session's token; renew it by logging in again when it can.

    :param renew: logs in again and returns the new grant; ``None`` for a
        token given by the user, which cannot be renewed here.
    :param on_renewed: called with each new grant (to record its secret).
    """

    def __init__(
        self,
        grant: TokenGrant,
        renew: Callable[[], TokenGrant] | None,
        on_renewed: Callable[[TokenGrant], None] | None = None,
        *,
        replayed: bool = False,
    ) -> None:
        self._grant = grant
        self._renew = renew
        self._on_renewed = on_renewed
        self._lock = threading.Lock()
        self._replayed = replayed
        self.renewals = 0

    @property
    def grant(self) -> TokenGrant:
        """Return the grant in use now."""
        return self._grant

    def bearer_token(self) -> str:
        """Return a token valid now, renewing it first when it is nearly spent."""
        __tracebackhide__ = True
        grant = self._grant
        left = grant.seconds_left()
        if self._renew is None:
            if left <= 0:
                raise self._expired()
            return grant.access_token.reveal()
        if left < min(RENEW_MARGIN, grant.expires_in * RENEW_SHARE):
            grant = self._renew_from(grant)
        return grant.access_token.reveal()

    def renew_after_refusal(self) -> bool:
        """Renew after a 401; for a given token, say that it expired."""
        __tracebackhide__ = True
        if self._replayed:
            # A recording may hold the refusal and, after it, the answer to
            # the request sent again: send it again, with the same token.
            return True
        if self._renew is None:
            raise self._expired()
        self._renew_from(self._grant)
        return True

    def refused_again(self) -> None:
        """Say why a replayed session's token was refused twice."""
        __tracebackhide__ = True
        if self._replayed:
            raise self._expired()

    def _renew_from(self, seen: TokenGrant) -> TokenGrant:
        assert self._renew is not None
        with self._lock:
            if self._grant is seen:
                self._grant = self._renew()
                self.renewals += 1
                if self._on_renewed is not None:
                    self._on_renewed(self._grant)
            return self._grant

    def _expired(self) -> ArchTokenExpiredError:
        if self._replayed:
            return ArchTokenExpiredError(
                "This session was replayed from a cassette, so its token is a "
                "placeholder the server refuses. Mark the test with "
                "@pytest.mark.vcr and record its cassette (--record-mode=once "
                "with credentials).",
                status=401,
            )
        return ArchTokenExpiredError(
            "Genesys Cloud refused the auth token this session was started "
            "with: it has expired, was revoked, or belongs to an org in another "
            "region. A given token cannot be renewed here: get a new token for "
            "this location and start again, or start with a client id and secret.",
            status=401,
        )

    def __repr__(self) -> str:
        return f"<SessionToken {time.monotonic() - self._grant.obtained_at:.0f}s old>"
