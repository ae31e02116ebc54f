"""An unreliable network between laptops and a hub: a reverse proxy that misbehaves.

``FaultyProxy(upstream)`` listens on a free loopback port and forwards each request to
``upstream`` (a hub's base URL, on loopback too). Per request it draws one action
from a seeded ``random.Random``, so a run that sends the same requests in the same
order meets the same faults:

- ``pass``: forward, answer with the hub's answer;
- ``drop``: close the connection without answering (the hub never hears of it);
- ``delay``: wait ``delay_range`` seconds, then forward;
- ``cut``: forward, then send the headers with the full Content-Length but only part
  of the body, and close;
- ``bad_gateway``: answer 502 without forwarding;
- ``lost_answer``: forward, let the hub apply the request, then close the connection
  without answering (the hub did the work; the laptop never heard).

Bodies and end-to-end headers (Authorization, Content-Encoding, Moot-Protocol, ...)
pass through untouched in both directions; only hop-by-hop headers are dropped.

    with running_hub(db) as hub, FaultyProxy(hub, seed=7, rates={"drop": 0.1}) as proxy:
        HubClient(proxy.url, token).pull(group_id, after=0, limit=100)
        proxy.counts  # Counter of actions taken
"""

from __future__ import annotations

import contextlib
import http.client
import random
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

ACTIONS = ("pass", "drop", "delay", "cut", "bad_gateway", "lost_answer")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# Connection-level headers: they describe one hop, so neither side's are passed on.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)


@dataclass(frozen=True)
class Seen:
    """One request the proxy handled, and what it did to it."""

    method: str
    path: str
    action: str
    status: int | None  # the hub's answer, when the request reached it


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False
    proxy: FaultyProxy

    def __init__(self, address: tuple[str, int]) -> None:
        super().__init__(address, _Handler)
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        self.closing = False

    def hang_up_all(self) -> None:
        """End every open connection, so no handler waits on an idle keep-alive one."""
        with self.connections_lock:
            self.closing = True
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the sync client uses it
    timeout = 30  # an idle keep-alive connection is closed after this many seconds
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.open_connections.add(self.connection)
            if self.server.closing:  # accepted just as the proxy stopped
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.open_connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the test reports what matters

    def do_GET(self) -> None:
        self._relay()

    def do_POST(self) -> None:
        self._relay()

    def do_PUT(self) -> None:
        self._relay()

    def do_DELETE(self) -> None:
        self._relay()

    def _relay(self) -> None:
        proxy = self.server.proxy
        body = self._read_body()
        action, delay, cut_share = proxy._draw()
        status: int | None = None
        try:
            if action == "drop":
                self._hang_up()
                return
            if action == "bad_gateway":
                self._answer(502, [("Content-Type", "application/json")], b'{"detail":"proxy"}')
                return
            if action == "delay":
                time.sleep(delay)
            answer = proxy._forward(self.command, self.path, self.headers.items(), body)
            if answer is None:  # the hub could not be reached: what a gateway says
                self._answer(502, [("Content-Type", "application/json")], b'{"detail":"hub"}')
                return
            status, reason, headers, payload = answer
            if action == "lost_answer":
                self._hang_up()
            elif action == "cut":
                self._answer(status, headers, payload, send=int(len(payload) * cut_share))
                self._hang_up()
            else:
                self._answer(status, headers, payload, reason=reason)
        except OSError:  # the laptop gave up waiting (its read timeout) and hung up
            self.close_connection = True
        finally:
            proxy._record(Seen(self.command, self.path, action, status))

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _answer(
        self,
        status: int,
        headers: Iterable[tuple[str, str]],
        payload: bytes,
        *,
        reason: str | None = None,
        send: int | None = None,
    ) -> None:
        self.send_response_only(status, reason)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload if send is None else payload[:send])
        self.wfile.flush()

    def _hang_up(self) -> None:
        """Close the connection now, with whatever was sent so far."""
        self.close_connection = True
        self.wfile.flush()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


class FaultyProxy:
    """A reverse proxy on 127.0.0.1 in front of ``upstream`` that fails at random.

    ``rates`` maps actions (see ``ACTIONS``) to probabilities; what they leave is
    ``pass``. ``force(...)`` queues actions taken, in order, before any random one.
    """

    def __init__(
        self,
        upstream: str,
        *,
        seed: int = 0,
        rates: Mapping[str, float] | None = None,
        delay_range: tuple[float, float] = (0.05, 0.5),
        upstream_timeout: float = 30.0,
    ) -> None:
        parts = urlsplit(upstream)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK or parts.port is None:
            raise ValueError(f"the proxy only fronts http://<loopback>:<port>, not {upstream!r}")
        self.upstream_host, self.upstream_port = parts.hostname, parts.port
        self.upstream_prefix = parts.path.rstrip("/")
        rates = dict(rates or {})
        unknown = set(rates) - set(ACTIONS)
        if unknown or any(r < 0 for r in rates.values()) or sum(rates.values()) > 1:
            raise ValueError(f"bad fault rates {rates!r}: actions are {ACTIONS}, sum <= 1")
        self.rates = rates
        self.delay_range = delay_range
        self.upstream_timeout = upstream_timeout
        self.random = random.Random(seed)
        self.counts: Counter[str] = Counter()
        self.seen: list[Seen] = []
        self.enabled = True
        self._forced: deque[str] = deque()
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- control ------------------------------------------------------------------------

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the proxy is not running")
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> FaultyProxy:
        server = _Server(("127.0.0.1", 0))
        server.proxy = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()  # stop accepting
        server.hang_up_all()  # end idle keep-alive connections
        server.server_close()  # and wait for their handlers
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultyProxy:
        return self.start()

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def force(self, *actions: str) -> None:
        """Take these actions for the next requests, in order, before drawing again."""
        for action in actions:
            if action not in ACTIONS:
                raise ValueError(f"unknown action {action!r}")
        with self._lock:
            self._forced.extend(actions)

    def faults(self, method: str | None = None, path_part: str = "") -> Counter[str]:
        """Actions taken on requests matching ``method`` and containing ``path_part``."""
        with self._lock:
            return Counter(
                s.action
                for s in self.seen
                if (method is None or s.method == method) and path_part in s.path
            )

    # --- plumbing -----------------------------------------------------------------------

    def _draw(self) -> tuple[str, float, float]:
        """The next action, and its delay and cut share (drawn every time, for a stable
        sequence of draws whatever the action)."""
        with self._lock:
            roll = self.random.random()
            delay = self.random.uniform(*self.delay_range)
            cut_share = self.random.random()
            if self._forced:
                return self._forced.popleft(), delay, cut_share
            if not self.enabled:
                return "pass", delay, cut_share
            for action in ACTIONS[1:]:
                rate = self.rates.get(action, 0.0)
                if roll < rate:
                    return action, delay, cut_share
                roll -= rate
            return "pass", delay, cut_share

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)
            self.counts[seen.action] += 1

    def _forward(
        self, method: str, path: str, headers: Iterable[tuple[str, str]], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes] | None:
        """Send the request to the hub on a connection of its own; its whole answer."""
        out = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP | {"host"}]
        out = [(k, v) for k, v in out if k.lower() != "content-length"]
        if body or method in ("POST", "PUT"):
            out.append(("Content-Length", str(len(body))))
        out.append(("Host", f"{self.upstream_host}:{self.upstream_port}"))
        conn = http.client.HTTPConnection(
            self.upstream_host, self.upstream_port, timeout=self.upstream_timeout
        )
        try:
            conn.putrequest(
                method, self.upstream_prefix + path, skip_host=True, skip_accept_encoding=True
            )
            for name, value in out:
                conn.putheader(name, value)
            conn.endheaders(body or None)
            response = conn.getresponse()
            payload = response.read()  # raw bytes: a gzip body stays gzip
            return response.status, response.reason, response.getheaders(), payload
        except (OSError, http.client.HTTPException):
            return None
        finally:
            conn.close()
