"""A small HTTP server on loopback for the web-source tests and benchmark
(`scripts.bench_web_sources`).

Routes are set (and changed) by the test: body, content type, ETag, status, redirect. A
request carrying the route's ETag in If-None-Match, or its Last-Modified in
If-Modified-Since, gets 304. Every request is counted per path.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str = ""
    last_modified: str = ""
    location: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True
    delay: float = 0.0  # seconds before answering (a slow server)


class WebServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms stall)

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                server.hits[path] += 1
                route = server.routes.get(path)
                if route is None:
                    self._send(404, b"not found", "text/plain", {})
                    return
                etag = self.headers.get("If-None-Match", "")
                since = self.headers.get("If-Modified-Since", "")
                if etag or since:
                    server.conditional[path] += 1
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                if route.last_modified:
                    headers["Last-Modified"] = route.last_modified
                if route.location:
                    headers["Location"] = route.location
                if route.delay:
                    time.sleep(route.delay)
                if (route.etag and etag == route.etag) or (
                    route.last_modified and since == route.last_modified
                ):
                    self._send(304, b"", "", headers)
                    return
                self._send(route.status, route.body, route.content_type, headers, route)

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str,
                headers: dict[str, str],
                route: Route | None = None,
            ) -> None:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name, value)
                if route is None or route.declare_length:
                    self.send_header("Content-Length", str(len(body)))
                else:
                    self.send_header("Connection", "close")
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
                if route is not None and not route.declare_length:
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def start(self) -> WebServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def page(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (
        f"<html><head><title>{title}</title></head><body><nav>Beranda | Profil</nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>© Kementerian</footer></body></html>"
    ).encode()
