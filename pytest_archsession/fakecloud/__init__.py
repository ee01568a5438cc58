"""A fake Genesys Cloud on a loopback port, for tests that talk real HTTP.

It serves the login side (``/oauth/token``, ``/oauth/authorize``) and the API
side (organization, token, user and flow endpoints) on one base URL, records
every request, and can be told to fail, stall or drop. It uses the standard
library only and shares no code with the rest of ``pytest_archsession``, so a
mistake in the client cannot hide behind the same mistake in the fake.
"""

from .cloud import FakeCloud
from .messages import RecordedRequest

__all__ = ["FakeCloud", "RecordedRequest"]
