"""Client for SalesTrack agent bots: pull tasks, report results, send signed events.

Standard library only (urllib, json, hmac). The surface mirrors the TypeScript SDK:
``send(event)``, ``pull()``, ``heartbeat()``, ``result()`` and ``run_agent(handler)``; with
``use_tokens=True`` the agent API calls carry a short-lived bearer token instead of the secret.
"""

import base64
import json
import random
import threading
import time
import urllib.error
import urllib.request

from .signing import signed_headers
from .tokens import DEFAULT_TOKEN_LIFETIME, TokenSource


class SalesTrackError(Exception):
    """An error answer from SalesTrack: HTTP status plus the error's kind and code."""

    def __init__(self, status, code, key, message, retry_after=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.key = key
        self.retry_after = retry_after


class TaskFailed(Exception):
    """Raise from a handler to fail a task with an error code; retryable=False stops retries."""

    def __init__(self, code, message="", retryable=True):
        super().__init__(message or code)
        self.code = code
        self.retryable = retryable


class Client:
    def __init__(self, bot_id, secret, base_url, timeout=30.0, use_tokens=False,
                 token_scopes=None, token_lifetime=None, clock=time.time):
        """``use_tokens=True``: pull, heartbeat and result with a short-lived bearer token
        (``token_scopes``, default all; ``token_lifetime`` seconds, default 900) instead of the
        secret; renewed before it expires and once when refused. Signed events always use
        the secret."""
        self.bot_id = bot_id
        self.secret = secret
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        token = base64.b64encode(f"{bot_id}:{secret}".encode()).decode()
        self._basic = f"Basic {token}"
        self._tokens = None
        if use_tokens:
            self._tokens = TokenSource(
                lambda: self.request_token(token_scopes, token_lifetime),
                lifetime=token_lifetime or DEFAULT_TOKEN_LIFETIME,
                clock=clock,
            )

    # -- HTTP -----------------------------------------------------------------------------
    def _post(self, path, body: bytes, headers: dict):
        request = urllib.request.Request(
            self.base_url + path,
            data=body,
            method="POST",
            headers={"content-type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read().decode() or "{}"
                return json.loads(text)
        except urllib.error.HTTPError as err:
            text = err.read().decode() or "{}"
            try:
                error = json.loads(text).get("error", {})
            except ValueError:
                error = {}
            retry_after = err.headers.get("retry-after")
            raise SalesTrackError(
                err.code,
                error.get("code", "HTTP_ERROR"),
                error.get("key"),
                error.get("message", f"HTTP {err.code}"),
                int(retry_after) if retry_after and retry_after.isdigit() else None,
            ) from None

    def _agent(self, path, payload=None):
        body = json.dumps(payload or {}).encode()
        if self._tokens is None:
            return self._post("/api/v1/agent" + path, body, {"authorization": self._basic})
        header = self._tokens.header()
        try:
            return self._post("/api/v1/agent" + path, body, {"authorization": header})
        except SalesTrackError as err:
            # Expired early, secret rotated, server key changed: one new token, one more try.
            if err.status != 401:
                raise
            self._tokens.invalidate(header)
            return self._post("/api/v1/agent" + path, body,
                              {"authorization": self._tokens.header()})

    # -- API ------------------------------------------------------------------------------
    def request_token(self, scopes=None, lifetime=None) -> dict:
        """A bearer token for the agent routes: {"token", "expiresAt", "scopes"}.

        Asked with the secret (HTTP Basic); ``use_tokens=True`` does this for you.
        """
        payload = {}
        if scopes is not None:
            payload["scopes"] = list(scopes)
        if lifetime is not None:
            payload["expiresInSeconds"] = int(lifetime)
        return self._post("/api/v1/agent/token", json.dumps(payload).encode(),
                          {"authorization": self._basic})

    def send(self, event: dict, webhook_id=None) -> dict:
        """Sends one signed event ({"type": ..., "data": {...}}); an id makes a retry a no-op."""
        body = json.dumps({"data": {}, **event}).encode()
        headers = signed_headers(self.secret, body, webhook_id=webhook_id)
        return self._post(f"/api/webhooks/bots/{self.bot_id}", body, headers)

    def pull(self, limit=1, worker="agent") -> dict:
        """Leases up to `limit` due tasks: {"tasks": [...], "retryAfterSeconds": n | None}."""
        return self._agent("/pull", {"limit": limit, "worker": worker})

    def heartbeat(self, task_id, attempt) -> dict:
        """Extends the lease of the task's attempt ``attempt`` (the pulled task's "attempt");
        a 409 SalesTrackError means that attempt is over (stop working on it)."""
        return self._agent(f"/tasks/{task_id}/heartbeat", {"attempt": attempt})

    def result(self, task_id, attempt, ok, error=None, message=None, retryable=None,
               provider_message_id=None, output=None) -> dict:
        """Settles the attempt ``attempt`` (the pulled task's "attempt"); repeating it changes
        nothing, and a 409 SalesTrackError means that attempt was already over."""
        if ok:
            payload = {"ok": True, "attempt": attempt}
            if provider_message_id:
                payload["providerMessageId"] = provider_message_id
            if output is not None:
                payload["output"] = output
        else:
            payload = {"ok": False, "attempt": attempt, "error": (error or "agent_error")[:200]}
            if message:
                payload["message"] = message[:2000]
            if retryable is not None:
                payload["retryable"] = retryable
        return self._agent(f"/tasks/{task_id}/result", payload)

    def log(self, message, level="info", task_id=None, context=None) -> dict:
        data = {"level": level, "message": message}
        if task_id:
            data["taskId"] = task_id
        if context is not None:
            data["context"] = context
        return self.send({"type": "TASK_LOG", "data": data})

    # -- Loop -----------------------------------------------------------------------------
    def _run_one(self, task, handler, stop: threading.Event, heartbeat_seconds):
        wait = max(0.0, _epoch(task["notBefore"]) - time.time())
        if stop.wait(wait):
            return
        task_id, attempt = task["id"], task["attempt"]
        lost = threading.Event()

        def beat():
            while not lost.wait(heartbeat_seconds):
                try:
                    self.heartbeat(task_id, attempt)
                except SalesTrackError as err:
                    if err.status in (404, 409):
                        lost.set()  # the attempt is over: another worker may have the task
                except OSError:
                    pass

        beater = threading.Thread(target=beat, daemon=True)
        beater.start()
        try:
            self.send({"type": "TASK_STARTED", "data": {"taskId": task_id, "attempt": attempt}})
            out = handler(task, self) or {}
            if not lost.is_set():
                self.result(task_id, attempt, True,
                            provider_message_id=out.get("providerMessageId"),
                            output=out.get("output"))
        except SalesTrackError as err:
            if err.status not in (404, 409):  # 409/404: the attempt is over, nothing to report
                self._report_failure(task_id, attempt, lost, "agent_error", str(err))
        except TaskFailed as err:
            self._report_failure(task_id, attempt, lost, err.code, str(err), err.retryable)
        except Exception as err:  # noqa: BLE001 - any handler failure fails the attempt
            self._report_failure(task_id, attempt, lost, "agent_error", str(err))
        finally:
            lost.set()

    def _report_failure(self, task_id, attempt, lost, code, message, retryable=None):
        if lost.is_set():
            return  # the lease was lost: nothing to report
        try:
            self.result(task_id, attempt, False, error=code, message=message, retryable=retryable)
        except (SalesTrackError, OSError):
            pass  # the lease sweep requeues it

    def run_agent(self, handler, concurrency=1, worker="agent", stop=None, idle=1.0,
                  max_idle=30.0, heartbeat_seconds=15.0, on_error=None):
        """Pulls and runs tasks with handler(task, client) until `stop` (threading.Event) is set.

        The handler returns {"providerMessageId": ..., "output": {...}} (or None) on success and
        raises TaskFailed (or any exception) on failure. No work or an unreachable server backs
        off exponentially with jitter, up to `max_idle` seconds.
        """
        stop = stop or threading.Event()
        wait = idle
        last_beat = 0.0
        while not stop.is_set():
            try:
                if time.time() - last_beat > heartbeat_seconds:
                    self.send({"type": "HEARTBEAT"})
                    last_beat = time.time()
                answer = self.pull(limit=concurrency, worker=worker)
                tasks = answer.get("tasks", [])
                if not tasks:
                    hinted = answer.get("retryAfterSeconds")
                    stop.wait(hinted if hinted else _jitter(wait))
                    wait = min(max_idle, wait * 2)
                    continue
                wait = idle
                threads = [
                    threading.Thread(target=self._run_one,
                                     args=(task, handler, stop, heartbeat_seconds))
                    for task in tasks
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            except (SalesTrackError, OSError) as err:
                if on_error:
                    on_error(err)
                hinted = getattr(err, "retry_after", None)
                stop.wait(hinted if hinted else _jitter(wait))
                wait = min(max_idle, wait * 2)


def _jitter(seconds):
    return seconds / 2 + random.random() * seconds / 2


def _epoch(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def create_client(bot_id, secret, base_url, timeout=30.0, use_tokens=False, token_scopes=None,
                  token_lifetime=None) -> Client:
    return Client(bot_id, secret, base_url, timeout, use_tokens=use_tokens,
                  token_scopes=token_scopes, token_lifetime=token_lifetime)
