"""use_tokens=True against a small fake of the token route and the agent API on loopback."""

import base64
import json
import threading
import unittest
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from salestrack_agent import SalesTrackError, create_client
from salestrack_agent.client import Client
from salestrack_agent.tokens import refresh_at

BOT = "0b0c1f36-3a0e-4b8e-9a5e-2f1d7f0c6a11"
SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
BASIC = "Basic " + base64.b64encode(f"{BOT}:{SECRET}".encode()).decode()


def iso(epoch):
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat().replace("+00:00", "Z")


class Clock:
    def __init__(self, now=1_800_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


class TokenServer:
    """Issues tok1, tok2, ... for Basic; agent routes take a valid bearer token (or Basic)."""

    def __init__(self, clock):
        self.clock = clock
        self.issued = []          # bodies of token requests
        self.valid = set()
        self.seen = []            # Authorization of each agent call
        self.refuse_bearer = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, payload):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("content-length", 0)))
                auth = self.headers.get("authorization", "")
                if self.path == "/api/v1/agent/token":
                    if auth != BASIC:
                        return self.reply(401, {"error": {"code": "UNAUTHORIZED",
                                                          "key": "agent.credentialsMissing"}})
                    body = json.loads(raw or b"{}")
                    fake.issued.append(body)
                    token = f"tok{len(fake.issued)}"
                    fake.valid.add(token)
                    lifetime = body.get("expiresInSeconds", 900)
                    return self.reply(200, {"token": token,
                                            "expiresAt": iso(fake.clock() + lifetime),
                                            "scopes": body.get("scopes", ["tasks:pull"])})
                fake.seen.append(auth)
                token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
                if auth != BASIC and (fake.refuse_bearer or token not in fake.valid):
                    return self.reply(401, {"error": {"code": "UNAUTHORIZED",
                                                      "key": "agent.tokenExpired"}})
                if self.path == "/api/v1/agent/pull":
                    return self.reply(200, {"tasks": [], "retryAfterSeconds": None})
                return self.reply(200, {"status": "LEASED",
                                        "leaseExpiresAt": "2030-01-01T00:00:00.000Z"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class TokenTest(unittest.TestCase):
    def setUp(self):
        self.clock = Clock()
        self.fake = TokenServer(self.clock)
        self.addCleanup(self.fake.close)

    def client(self, **options):
        return Client(BOT, SECRET, self.fake.url, use_tokens=True, clock=self.clock, **options)

    def test_basic_stays_the_default(self):
        client = create_client(BOT, SECRET, self.fake.url)
        client.pull()
        client.heartbeat("t1", 1)
        self.assertEqual(self.fake.issued, [])
        self.assertEqual(self.fake.seen, [BASIC, BASIC])

    def test_one_token_serves_every_call_and_the_secret_is_not_sent_again(self):
        client = self.client(token_scopes=["tasks:pull", "tasks:heartbeat"], token_lifetime=600)
        client.pull()
        client.heartbeat("t1", 1)
        client.pull()
        self.assertEqual(self.fake.issued,
                         [{"scopes": ["tasks:pull", "tasks:heartbeat"], "expiresInSeconds": 600}])
        self.assertEqual(self.fake.seen, ["Bearer tok1"] * 3)

    def test_request_token_defaults_to_an_empty_body(self):
        answer = create_client(BOT, SECRET, self.fake.url).request_token()
        self.assertEqual(answer["token"], "tok1")
        self.assertEqual(self.fake.issued, [{}])

    def test_renews_before_expiry(self):
        client = self.client(token_lifetime=300)
        client.pull()
        self.clock.now += 300 - 61  # a minute and a second before the end: still good
        client.pull()
        self.clock.now += 2         # inside the last minute: a new token first
        client.pull()
        self.assertEqual(self.fake.seen, ["Bearer tok1", "Bearer tok1", "Bearer tok2"])
        self.assertEqual(len(self.fake.issued), 2)

    def test_renews_once_when_refused(self):
        client = self.client()
        client.pull()
        self.fake.valid.clear()     # e.g. the secret was rotated and the overlap ended
        client.heartbeat("t1", 1)
        self.assertEqual(self.fake.seen, ["Bearer tok1", "Bearer tok1", "Bearer tok2"])

    def test_does_not_loop_when_the_new_token_is_refused_too(self):
        client = self.client()
        self.fake.refuse_bearer = True
        with self.assertRaises(SalesTrackError) as caught:
            client.pull()
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(caught.exception.key, "agent.tokenExpired")
        self.assertEqual(self.fake.seen, ["Bearer tok1", "Bearer tok2"])
        self.assertEqual(len(self.fake.issued), 2)

    def test_a_refused_secret_surfaces_as_the_token_error(self):
        client = Client(BOT, "whsec_" + base64.b64encode(b"x" * 32).decode(), self.fake.url,
                        use_tokens=True, clock=self.clock)
        with self.assertRaises(SalesTrackError) as caught:
            client.pull()
        self.assertEqual(caught.exception.key, "agent.credentialsMissing")
        self.assertEqual(self.fake.seen, [])

    def test_threads_share_one_token(self):
        client = self.client()
        threads = [threading.Thread(target=client.pull) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(len(self.fake.issued), 1)
        self.assertEqual(set(self.fake.seen), {"Bearer tok1"})


class RefreshAtTest(unittest.TestCase):
    def test_believes_the_earlier_of_the_server_expiry_and_the_local_lifetime(self):
        now = 1_800_000_000.0
        self.assertEqual(refresh_at({"expiresAt": iso(now + 900)}, now, 900), now + 840)
        # The server says later (this clock runs behind): the local lifetime wins.
        self.assertEqual(refresh_at({"expiresAt": iso(now + 5000)}, now, 900), now + 840)
        # The server says earlier (this clock runs ahead): the server wins.
        self.assertEqual(refresh_at({"expiresAt": iso(now + 600)}, now, 900), now + 540)
        # Short tokens renew a fifth of their life early.
        self.assertEqual(refresh_at({"expiresAt": iso(now + 100)}, now, 100), now + 80)
        self.assertEqual(refresh_at({}, now, 100), now + 80)


if __name__ == "__main__":
    unittest.main()
