"""A real HTTP receiver of webhooks on 127.0.0.1 (a free port), verifying every signature with
the Standard Webhooks reference library (`standardwebhooks`), as an integrator would."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: str
    verified: bool
    answered: int


class Receiver:
    """`secret` verifies what arrives (401 when it does not verify); `answers` is the status
    to answer with, one per request in turn (then 204)."""

    def __init__(self) -> None:
        self.secret: str | None = None
        self.answers: list[int] = []
        self.received: list[Received] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("content-length", 0))
                body = self.rfile.read(length).decode()
                headers = {k.lower(): v for k, v in self.headers.items()}
                verified = False
                if receiver.secret:
                    try:
                        Webhook(receiver.secret).verify(body, headers)
                        verified = True
                    except Exception:  # noqa: BLE001 - any failure: not verified
                        verified = False
                with receiver.lock:
                    status = receiver.answers.pop(0) if receiver.answers else 204
                    if not verified:
                        status = 401
                    receiver.received.append(Received(self.path, headers, body, verified,
                                                      status))
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tdkt"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
