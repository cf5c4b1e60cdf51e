"""Standard Webhooks signing, exactly as SalesTrack verifies bot events.

The signed content is ``<webhook-id>.<webhook-timestamp>.<raw body>``, HMAC-SHA256 keyed with
the base64-decoded secret after its ``whsec_`` prefix, sent as ``webhook-signature: v1,<base64>``.
"""

import base64
import hashlib
import hmac
import time
import uuid


def sign(secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    content = f"{webhook_id}.{timestamp}.".encode() + body
    mac = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, body: bytes, webhook_id=None, timestamp=None) -> dict:
    """The three headers of one signed request (a fresh id unless one is given, for retries)."""
    webhook_id = webhook_id or f"msg_{uuid.uuid4()}"
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }
