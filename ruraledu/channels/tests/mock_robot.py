"""A local robot webhook for tests: records each request, checks 钉钉's signature, and answers
with the HTTP statuses it is given in turn (then 200 with errcode 0)."""

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class MockRobot:
    def __init__(self, *, secret: str = ""):
        self.secret = secret
        self.statuses: list[int] = []
        self.requests: list[dict] = []
        self.bad_signatures = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
                signed = robot.signature_valid(query)
                robot.requests.append({"path": self.path, "query": query, "body": body})
                status = robot.statuses.pop(0) if robot.statuses else 200
                answer = {"errcode": 0, "errmsg": "ok"}
                if robot.secret and not signed:
                    robot.bad_signatures += 1
                    answer = {"errcode": 310000, "errmsg": "sign not match"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def signature_valid(self, query: dict) -> bool:
        """钉钉's rule: sign = base64(HMAC-SHA256(secret, "timestamp\\nsecret"))."""
        if not self.secret:
            return True
        timestamp = query.get("timestamp", "")
        expected = base64.b64encode(
            hmac.new(
                self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
            ).digest()
        ).decode()
        return bool(timestamp) and hmac.compare_digest(query.get("sign", ""), expected)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/robot/send?access_token=test-token"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
