"""Agent tokens on the client side (docs/agents.md, Tokens).

One short-lived bearer token at a time: fetched with the bot's secret when first needed,
fetched again a little before it expires (or when the server refused it), shared by the
threads of ``run_agent``.
"""

import threading
import time
from datetime import datetime

DEFAULT_TOKEN_LIFETIME = 900
SCOPES = ("tasks:pull", "tasks:heartbeat", "tasks:result")


def _epoch(iso):
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except (AttributeError, ValueError):
        return float("inf")


def refresh_at(issued, requested_at, lifetime):
    """When to fetch the next token: a fifth of its life before it ends, at most a minute.

    The lifetime is measured on this machine's clock from the request (the server's
    ``expiresAt`` is only believed when earlier), so a clock running behind cannot keep an
    expired token.
    """
    expires = min(_epoch(issued.get("expiresAt")), requested_at + lifetime)
    return expires - min(60.0, lifetime / 5)


class TokenSource:
    """``header()`` gives ``Bearer <token>``; ``invalidate(header)`` after the server refused it."""

    def __init__(self, fetch_token, lifetime=DEFAULT_TOKEN_LIFETIME, clock=time.time):
        self._fetch_token = fetch_token
        self._lifetime = lifetime
        self._clock = clock
        self._lock = threading.Lock()
        self._header = None
        self._refresh_at = 0.0

    def header(self):
        with self._lock:
            if self._header is None or self._clock() >= self._refresh_at:
                requested_at = self._clock()
                issued = self._fetch_token()
                self._header = "Bearer " + issued["token"]
                self._refresh_at = refresh_at(issued, requested_at, self._lifetime)
            return self._header

    def invalidate(self, header):
        with self._lock:
            if self._header == header:
                self._header = None
