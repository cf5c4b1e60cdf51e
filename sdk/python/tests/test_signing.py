import base64
import hashlib
import hmac
import unittest

from salestrack_agent import sign, signed_headers

# The same vector as src/modules/bots/agent-signature.test.ts: what the server computes.
SECRET = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
BODY = b'{"type":"HEARTBEAT","data":{}}'
EXPECTED = "v1,9iJIA2JZO6fm2kroF6z9WdrjWOvnt6zlWYWRt2p2jCQ="


class SigningTest(unittest.TestCase):
    def test_matches_the_server_vector(self):
        self.assertEqual(sign(SECRET, "msg_vector", 1700000000, BODY), EXPECTED)

    def test_secret_without_prefix_signs_the_same(self):
        self.assertEqual(sign(SECRET[len("whsec_"):], "msg_vector", 1700000000, BODY), EXPECTED)

    def test_headers_carry_id_timestamp_and_a_signature_over_them(self):
        headers = signed_headers(SECRET, BODY, webhook_id="msg_1", timestamp=1700000001)
        self.assertEqual(headers["webhook-id"], "msg_1")
        self.assertEqual(headers["webhook-timestamp"], "1700000001")
        key = base64.b64decode(SECRET[6:])
        mac = hmac.new(key, b"msg_1.1700000001." + BODY, hashlib.sha256).digest()
        self.assertEqual(headers["webhook-signature"], "v1," + base64.b64encode(mac).decode())

    def test_fresh_ids_per_request(self):
        a = signed_headers(SECRET, BODY)["webhook-id"]
        b = signed_headers(SECRET, BODY)["webhook-id"]
        self.assertNotEqual(a, b)


if __name__ == "__main__":
    unittest.main()
