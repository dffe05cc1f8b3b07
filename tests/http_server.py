"""A real HTTP server on 127.0.0.1 for the fetch tests, with scripted behaviours per path."""

from __future__ import annotations

import gzip
import os
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler, int], None]


def send(
    request: BaseHTTPRequestHandler,
    status: int,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> None:
    request.send_response(status)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if body:
        request.wfile.write(body)


def gzip_bomb(size: int) -> bytes:
    return gzip.compress(b"\0" * size, compresslevel=9)


class ScriptedServer:
    """Routes: path -> handler(request, hit number starting at 1). Counts hits per path."""

    def __init__(self, routes: dict[str, Handler]) -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.headers: dict[str, list[dict[str, str]]] = {}
        server = self

        class Request(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the http.server API names it so
                server.hits[self.path] += 1
                server.headers.setdefault(self.path, []).append(dict(self.headers))
                handler = server.routes.get(self.path)
                if handler is None:
                    send(self, 404, b"not found")
                else:
                    handler(self, server.hits[self.path])

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Request)
        self.httpd.daemon_threads = True

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path


@contextmanager
def running(httpd: ThreadingHTTPServer) -> Iterator[ThreadingHTTPServer]:
    """``httpd`` serving in a thread until the block ends, then shut down and closed."""
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now (for a server started in another process)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_group(process: subprocess.Popen) -> None:
    """Stop a server started with ``start_new_session=True`` and every child it started:
    SIGTERM to its process group, SIGKILL when it does not end within 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@contextmanager
def serve(routes: dict[str, Handler]) -> Iterator[ScriptedServer]:
    server = ScriptedServer(routes)
    with running(server.httpd):
        yield server


def sleeper(seconds: float) -> Handler:
    def handler(request: BaseHTTPRequestHandler, hit: int) -> None:
        time.sleep(seconds)
        try:
            send(request, 200, b"late")
        except OSError:
            pass  # the client gave up

    return handler
