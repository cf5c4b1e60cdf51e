"""A runnable agent against the demo.

Create an ``agent`` bot in Bots, copy its id and secret, then from ``sdk/python``:

    SALESTRACK_BOT_ID=... SALESTRACK_BOT_SECRET=whsec_... python3 examples/demo_agent.py

It pulls tasks, logs what it would do and reports success; ``send_message`` tasks get a
made-up provider message id (a real agent would send the message there). Ctrl+C stops it.
"""

import os
import signal
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from salestrack_agent import create_client  # noqa: E402

base_url = os.environ.get("SALESTRACK_URL", "http://localhost:3000")
client = create_client(os.environ["SALESTRACK_BOT_ID"], os.environ["SALESTRACK_BOT_SECRET"], base_url)
stop = threading.Event()
signal.signal(signal.SIGINT, lambda *_: stop.set())
signal.signal(signal.SIGTERM, lambda *_: stop.set())


def handle(task, c):
    print(f"task {task['id']} {task['action']} (attempt {task['attempt']})", flush=True)
    c.log(f"working on {task['action']}", task_id=task["id"], context={"payload": task["payload"]})
    if task["action"] == "send_message":
        c.log(f"would send to {task['payload'].get('to')}", task_id=task["id"])
        return {"providerMessageId": f"demo-{task['id']}"}
    return {"output": {"handledBy": "demo_agent.py"}}


print(f"agent {client.bot_id} pulling from {base_url}", flush=True)
client.run_agent(handle, stop=stop, on_error=lambda err: print(f"retrying after: {err}", file=sys.stderr))
