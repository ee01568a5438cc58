"""A fake Genesys Cloud on a loopback port, for tests that talk real HTTP.

It serves the login side (``/oauth/token``, ``/oauth/authorize``) and the API
side (organization, token, user and flow endpoints) on one base URL, records
every request, and can be told to fail, stall or drop. It uses the standard
library only and shares no code with the rest of ``pytest_archsession``, so a
mistake in the client cannot hide behind the same mistake in the fake.

What it chose where Genesys Cloud leaves room:

- Clients authenticate with ``Authorization: Basic`` only, the UTF-8 bytes of
  ``id:secret`` split at the first colon; form fields are not accepted instead.
- Until ``add_user`` is called, authorize logs in ``tester``, who holds
  ``architect:ui:view`` and ``architect:flow:view``.
- The flow endpoints need ``architect:flow:view`` (wildcards count): a user
  token is checked against the user's permissions, a client-credentials token
  against the client's ``roles_permissions`` (None allows everything).
- A missing bearer token is 401 ``authentication.required``; an unknown,
  revoked or expired one is 401 ``bad.credentials``.

Known limitations: no refresh tokens, no registered redirect URIs (any
redirect_uri is accepted at authorize, then must match at the exchange), and
only the S256 PKCE method.
"""

from .cloud import FakeCloud
from .messages import RecordedRequest

__all__ = ["FakeCloud", "RecordedRequest"]
