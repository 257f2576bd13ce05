"""A local OpenAI-compatible chat server for tests: it records what it is sent and answers
the way a test tells it to (a reply, an HTTP error, a slow reply, or garbage)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Behaviour:
    content: str = "Jawaban [1]."
    status: int = 200
    delay: float = 0.0
    garbage: bool = False


@dataclass
class ChatStub:
    base_url: str
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, content: str) -> None:
        self.behaviour = Behaviour(content=content)

    def last_messages(self) -> list[dict[str, Any]]:
        return list(self.requests[-1]["messages"])


@contextmanager
def chat_stub() -> Iterator[ChatStub]:
    stub = ChatStub(base_url="")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            stub.requests.append(body)
            behaviour = stub.behaviour
            if behaviour.delay:
                time.sleep(behaviour.delay)
            if behaviour.status != 200:
                self._send(behaviour.status, b'{"error": {"message": "boom"}}')
            elif behaviour.garbage:
                self._send(200, b"{not json at all")
            else:
                payload = {
                    "id": "chatcmpl-test",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": body.get("model", "test"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": behaviour.content},
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                }
                self._send(200, json.dumps(payload).encode())

        def _send(self, status: int, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)  # the client may have given up (timeout tests)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        # A short poll interval: shutting the stub down would otherwise take 0.5 s per test.
        target=server.serve_forever,
        kwargs={"poll_interval": 0.02},
        daemon=True,
    )
    thread.start()
    stub.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield stub
    finally:
        server.shutdown()
        server.server_close()
