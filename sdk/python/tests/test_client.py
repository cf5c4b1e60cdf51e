"""The client and its loop against a small fake of the agent API on loopback."""

import base64
import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from salestrack_agent import SalesTrackError, TaskFailed, create_client
from salestrack_agent.signing import sign

BOT = "0b0c1f36-3a0e-4b8e-9a5e-2f1d7f0c6a11"
SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


class FakeServer:
    def __init__(self, tasks):
        self.tasks = list(tasks)
        self.results = {}
        self.events = []
        self.heartbeats = []
        self.heartbeat_status = 200
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
                if self.path.startswith("/api/webhooks/bots/"):
                    expected = sign(SECRET, self.headers["webhook-id"],
                                    int(self.headers["webhook-timestamp"]), raw)
                    if self.headers["webhook-signature"] != expected:
                        return self.reply(401, {"error": {"code": "UNAUTHORIZED"}})
                    fake.events.append(json.loads(raw))
                    return self.reply(200, {"received": True, "duplicate": False})
                basic = "Basic " + base64.b64encode(f"{BOT}:{SECRET}".encode()).decode()
                if self.headers.get("authorization") != basic:
                    return self.reply(401, {"error": {"code": "UNAUTHORIZED",
                                                      "key": "agent.unauthorized",
                                                      "message": "Unknown agent"}})
                if self.path == "/api/v1/agent/pull":
                    batch, fake.tasks = fake.tasks[:1], fake.tasks[1:]
                    return self.reply(200, {"tasks": batch, "retryAfterSeconds": None})
                task_id = self.path.split("/")[5]
                if self.path.endswith("/result"):
                    fake.results[task_id] = json.loads(raw)
                if self.path.endswith("/heartbeat"):
                    fake.heartbeats.append((task_id, json.loads(raw)))
                    if fake.heartbeat_status != 200:
                        return self.reply(fake.heartbeat_status,
                                          {"error": {"code": "CONFLICT",
                                                     "key": "task.attemptEnded"}})
                return self.reply(200, {"id": task_id, "status": "SUCCEEDED", "changed": True})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def task(task_id, action="send_message"):
    return {"id": task_id, "action": action, "payload": {"to": "+595981000001"}, "priority": 0,
            "attempt": 1, "maxAttempts": 3, "timeoutSeconds": 60,
            "leaseExpiresAt": "2030-01-01T00:00:00.000Z", "notBefore": "2020-01-01T00:00:00.000Z"}


class ClientTest(unittest.TestCase):
    def test_run_agent_reports_success_and_failure_then_stops(self):
        fake = FakeServer([task("t1"), task("t2", "boom")])
        client = create_client(BOT, SECRET, fake.url)
        stop = threading.Event()

        def handler(t, c):
            c.log("working", task_id=t["id"])
            if t["action"] == "boom":
                raise TaskFailed("provider_down", "try later", retryable=False)
            return {"providerMessageId": "pm-" + t["id"]}

        def stop_when_done():
            while len(fake.results) < 2:
                threading.Event().wait(0.05)
            stop.set()

        threading.Thread(target=stop_when_done, daemon=True).start()
        client.run_agent(handler, stop=stop, idle=0.05, max_idle=0.1)
        fake.close()
        self.assertEqual(fake.results["t1"],
                         {"ok": True, "attempt": 1, "providerMessageId": "pm-t1"})
        self.assertEqual(fake.results["t2"], {"ok": False, "attempt": 1, "error": "provider_down",
                                              "message": "try later", "retryable": False})
        types = [e["type"] for e in fake.events]
        self.assertIn("HEARTBEAT", types)
        self.assertEqual(types.count("TASK_STARTED"), 2)
        self.assertEqual(types.count("TASK_LOG"), 2)
        started = [e["data"] for e in fake.events if e["type"] == "TASK_STARTED"]
        self.assertEqual(started, [{"taskId": "t1", "attempt": 1}, {"taskId": "t2", "attempt": 1}])

    def test_an_attempt_that_is_over_reports_nothing(self):
        fake = FakeServer([dict(task("t3"), attempt=2)])
        fake.heartbeat_status = 409  # the attempt ended: the task may be another worker's now
        client = create_client(BOT, SECRET, fake.url)
        stop = threading.Event()
        finished = threading.Event()

        def handler(t, c):
            # Works past a heartbeat, which answers 409, then finishes.
            threading.Event().wait(0.3)
            finished.set()
            return {"providerMessageId": "late"}

        def stop_when_done():
            finished.wait(5)
            threading.Event().wait(0.1)
            stop.set()

        threading.Thread(target=stop_when_done, daemon=True).start()
        client.run_agent(handler, stop=stop, idle=0.05, max_idle=0.1, heartbeat_seconds=0.1)
        fake.close()
        self.assertEqual(fake.heartbeats[0], ("t3", {"attempt": 2}))
        self.assertEqual(fake.results, {})

    def test_errors_carry_status_and_code(self):
        fake = FakeServer([])
        client = create_client(BOT, "whsec_" + base64.b64encode(b"x" * 32).decode(), fake.url)
        with self.assertRaises(SalesTrackError) as caught:
            client.pull()
        fake.close()
        self.assertEqual(caught.exception.status, 401)
        self.assertEqual(caught.exception.code, "UNAUTHORIZED")
        self.assertEqual(caught.exception.key, "agent.unauthorized")


if __name__ == "__main__":
    unittest.main()
