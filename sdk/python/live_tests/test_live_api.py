"""The SDK against a running SalesTrack (run by `npm run fuzz:api`, see scripts/fuzz/sdk-live.ts).

Needs SALESTRACK_URL, SALESTRACK_BOT_ID, SALESTRACK_BOT_SECRET and SALESTRACK_TASK_IDS (three
tasks of the declared action `sdk.echo` on that agent bot). Without them the tests fail: they
are never skipped.
"""

import os
import threading
import time

import pytest

from salestrack_agent import SalesTrackError, create_client


def _env(name):
    value = os.environ.get(name)
    assert value, f"{name} is not set: run these through `npm run fuzz:api`"
    return value


@pytest.fixture(scope="module")
def client():
    return create_client(_env("SALESTRACK_BOT_ID"), _env("SALESTRACK_BOT_SECRET"), _env("SALESTRACK_URL"))


@pytest.fixture(scope="module")
def task_ids():
    ids = _env("SALESTRACK_TASK_IDS").split(",")
    assert len(ids) == 3
    return ids


def test_pull_leases_due_tasks_within_the_bots_concurrency(client, task_ids):
    first = client.pull(limit=2)
    second = client.pull(limit=5)
    leased = [t["id"] for t in first["tasks"] + second["tasks"]]
    # Concurrency 3: two, then the one left; never a task twice.
    assert len(first["tasks"]) == 2
    assert sorted(leased) == sorted(task_ids)
    assert all(t["action"] == "sdk.echo" for t in first["tasks"] + second["tasks"])
    assert client.pull(limit=5)["tasks"] == []


def test_heartbeat_extends_a_lease_and_result_is_idempotent(client, task_ids):
    beat = client.heartbeat(task_ids[0], 1)
    assert beat
    done = client.result(task_ids[0], 1, True, provider_message_id="py-1", output={"n": 1})
    again = client.result(task_ids[0], 1, True, provider_message_id="py-other")
    assert done == {"id": task_ids[0], "status": "SUCCEEDED", "attempts": 1, "changed": True}
    assert again == {**done, "changed": False}
    # The lease is over: a heartbeat now is refused, and says so.
    with pytest.raises(SalesTrackError) as refused:
        client.heartbeat(task_ids[0], 1)
    assert refused.value.status == 409
    # A result for an attempt that is not the task's is refused and changes nothing.
    with pytest.raises(SalesTrackError) as stale:
        client.result(task_ids[0], 2, False, error="stale")
    assert (stale.value.status, stale.value.key) == (409, "task.attemptEnded")


def test_a_permanent_failure_is_recorded_once(client, task_ids):
    failed = client.result(task_ids[1], 1, False, error="no_route", retryable=False)
    assert failed == {"id": task_ids[1], "status": "FAILED", "attempts": 1, "changed": True}
    repeated = client.result(task_ids[1], 1, False, error="other", retryable=False)
    assert repeated == {**failed, "changed": False}


def test_signed_events_are_accepted_and_a_replay_changes_nothing(client, task_ids):
    event = {"type": "TASK_LOG", "data": {"level": "info", "message": "hola", "taskId": task_ids[0]}}
    first = client.send(event, webhook_id="msg_sdk_live_1")
    replay = client.send(event, webhook_id="msg_sdk_live_1")
    assert first == {"received": True, "duplicate": False}
    assert replay == {"received": True, "duplicate": True}
    assert client.send({"type": "HEARTBEAT"})["received"] is True


def test_a_forged_secret_is_refused(task_ids):
    forged = create_client(
        _env("SALESTRACK_BOT_ID"), "whsec_" + "A" * 43 + "=", _env("SALESTRACK_URL")
    )
    with pytest.raises(SalesTrackError) as refused:
        forged.log("forged")
    assert refused.value.status == 401
    with pytest.raises(SalesTrackError) as pulled:
        forged.pull()
    assert pulled.value.status == 401


def test_a_retryable_failure_goes_back_with_a_backoff(client, task_ids):
    retried = client.result(task_ids[2], 1, False, error="busy", retryable=True)
    assert retried["status"] == "PENDING"
    # Requeued for a later attempt, not due yet: nothing to pull right now.
    assert client.pull(limit=3)["tasks"] == []


def test_run_agent_backs_off_while_the_server_is_unreachable():
    errors, stamps = [], []
    stop = threading.Event()

    def on_error(err):
        errors.append(err)
        stamps.append(time.monotonic())
        if len(errors) == 3:
            stop.set()

    # Port 9 (discard) on loopback: connection refused, like a server that is down.
    dead = create_client(_env("SALESTRACK_BOT_ID"), _env("SALESTRACK_BOT_SECRET"), "http://127.0.0.1:9")
    dead.run_agent(lambda task: None, stop=stop, idle=0.05, on_error=on_error)
    assert len(errors) == 3
    assert all(isinstance(e, OSError) for e in errors)
    # Waits of at least idle/2, then idle (doubling, with jitter) between the attempts.
    assert stamps[2] - stamps[0] >= 0.07
