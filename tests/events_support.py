"""Running the background side for real: dispatcher and worker processes, brokers, faults.

Tests of events start the same processes production runs (``tessera scheduler``, ``tessera
worker``) against a database of their own (a copy of the migrated test database), so killing a
worker or cutting a broker off disturbs no other test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
from sqlalchemy.engine import make_url

from tessera.db.engine import plain_url
from tessera.plugin.testing.processes import FAST_BACKGROUND
from tests.support import LiveServer, test_settings

TEMPLATE_DB_VAR = "TESSERA_TEST_TEMPLATE_DB"
RABBITMQ_URL = os.environ.get("TESSERA_TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
REDIS_URL = os.environ.get("TESSERA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def clone_database(admin_url: str, template: str) -> str:
    """A fresh copy of the migrated test database; returns its name."""
    name = f"tessera_ev_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(admin_url)
    try:
        for attempt in range(50):
            try:
                await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER tessera')
                return name
            except asyncpg.ObjectInUseError:
                # Two copies of one template cannot be made at the same instant.
                await asyncio.sleep(0.1 + 0.02 * attempt)
        raise RuntimeError(f"could not copy {template}")
    finally:
        await conn.close()


def database_url(owner_url: str, database: str) -> str:
    return make_url(owner_url).set(database=database).render_as_string(hide_password=False)


class Stack:
    """A dispatcher and a worker (real processes) and a web server, on one database."""

    def __init__(
        self,
        owner_url: str,
        logs: Path,
        *,
        admin_url: str,
        broker_url: str | None = None,
        direct_broker_url: str | None = None,
        threads: int = 4,
        settings: dict[str, object] | None = None,
    ) -> None:
        self.owner_url = owner_url
        #: A superuser's URL of the same database (to watch other sessions' queries).
        self.admin_url = admin_url
        self.logs = logs
        self.threads = threads
        self.prefix = f"t{uuid.uuid4().hex[:10]}"
        self.broker_url = broker_url
        #: The broker itself, not through a test's proxy: to clean up after the stack.
        self.direct_broker_url = direct_broker_url or broker_url
        self.env = {
            **os.environ,
            **FAST_BACKGROUND,
            "TESSERA_ENV": "test",
            "TESSERA_DATABASE_URL": owner_url,
            "TESSERA_SECRET_KEY": "test-secret-key-" + "x" * 32,
            "TESSERA_QUEUE_PREFIX": self.prefix,
            "TESSERA_DATA_DIR": str(logs),
            "TESSERA_LOG_LEVEL": "INFO",
        }
        if broker_url:
            self.env["TESSERA_BROKER_URL"] = broker_url
        #: Settings for every process of the stack (web in-thread, the others by environment).
        self.settings = settings or {}
        for name, value in self.settings.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            self.env[f"TESSERA_{name.upper()}"] = text
        self.dispatcher: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.web: LiveServer | None = None

    def _spawn(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        return subprocess.Popen(
            [sys.executable, "-m", "tessera", *arguments],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: killing "the worker" kills dramatiq's children with it.
            start_new_session=True,
        )

    def start(self) -> Stack:
        self.start_web()
        self.start_dispatcher()
        self.start_worker()
        return self

    def start_web(self) -> LiveServer:
        # The stack's broker and queues, as its other processes know them (the web server
        # counts the messages waiting there).
        settings = test_settings(
            self.owner_url,
            self.logs,
            queue_prefix=self.prefix,
            broker_url=self.broker_url,
            **self.settings,
        )
        self.web = LiveServer(settings)
        self.web.start()
        return self.web

    def spawn_web(self, port: int) -> subprocess.Popen[bytes]:
        """The production web server (``tessera serve``) as a process of its own."""
        return self._spawn("web", "serve", "--port", str(port), "--workers", "1")

    def start_dispatcher(self) -> None:
        self.dispatcher = self._spawn("dispatcher", "scheduler")

    def stop_dispatcher(self) -> None:
        assert self.dispatcher is not None
        self.dispatcher.terminate()
        self.dispatcher.wait(timeout=20)
        self.dispatcher = None

    def start_worker(self) -> None:
        self.worker = self._spawn(
            "worker", "worker", "--processes", "1", "--threads", str(self.threads)
        )

    def kill_worker(self) -> None:
        """SIGKILL the worker and its children: no chance to finish or acknowledge anything."""
        assert self.worker is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=10)
        self.worker = None

    def stop(self) -> None:
        for process in (self.worker, self.dispatcher):
            if process is None:
                continue
            # To the leader only, as Kubernetes does: dramatiq passes it on to its children.
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
        for process in (self.worker, self.dispatcher):
            if process is None:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self.web is not None:
            self.web.stop()
        self.forget_broker_queues()

    def forget_broker_queues(self) -> None:
        """Remove this stack's queues from the shared RabbitMQ or Redis."""
        url = self.direct_broker_url
        if not url:
            return
        if url.startswith("amqp"):
            import pika

            connection = pika.BlockingConnection(pika.URLParameters(url))
            channel = connection.channel()
            for queue in ("events", "jobs"):
                for suffix in ("", ".DQ", ".XQ"):
                    channel.queue_delete(f"{self.prefix}_{queue}{suffix}")
            connection.close()
        else:
            import redis

            client = redis.Redis.from_url(url)
            keys = list(client.scan_iter(f"{self.prefix}:*"))
            if keys:
                client.delete(*keys)
            client.close()

    async def connect(self, tenant_id: str | None = None) -> asyncpg.Connection:
        """An owner connection to the stack's database, for looking (not for the app).

        Row-level security is forced on the owner too: name the tenant to see its rows.
        """
        conn = await asyncpg.connect(plain_url(self.owner_url))
        if tenant_id is not None:
            await conn.execute("SELECT set_config('tessera.tenant_id', $1, false)", tenant_id)
        return conn

    async def running_queries(self, like: str) -> int:
        """How many sessions on the stack's database are running a query matching ``like``."""
        conn = await asyncpg.connect(plain_url(self.admin_url))
        try:
            found: int = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
                like,
            )
            return found
        finally:
            await conn.close()

    async def fetch(self, tenant_id: str, query: str, *args: Any) -> list[asyncpg.Record]:
        conn = await self.connect(tenant_id)
        try:
            return list(await conn.fetch(query, *args))
        finally:
            await conn.close()

    def mail_to(self, address: str) -> list[dict[str, Any]]:
        """Mail the stack's worker sent to ``address`` (the development mailer keeps files)."""
        found = [json.loads(p.read_text()) for p in sorted((self.logs / "mail").glob("*.json"))]
        return [m for m in found if m["to"] == address]

    def log_tail(self, lines: int = 60) -> str:
        out = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(out)


async def wait_until(
    check: Callable[[], Awaitable[Any]], *, within: float = 30.0, interval: float = 0.1
) -> Any:
    """Poll ``check`` until it returns something truthy; fail after ``within`` seconds."""
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within} s (last: {result!r})")
        await asyncio.sleep(interval)


class TcpProxy:
    """A TCP forwarder in front of a broker: ``cut()`` makes the broker unreachable (listener
    closed, live connections dropped) and ``restore()`` brings it back on the same port — a
    broker outage as the application sees it, without stopping the machine's shared server."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:
                    client.close()
                    upstream.close()
                    return
                self._connections.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for conn in (source, sink):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.cut()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def proxied(url: str) -> Iterator[tuple[TcpProxy, str]]:
    """A proxy in front of the broker at ``url``, and the URL that goes through it."""
    parts = urlsplit(url)
    assert parts.hostname and parts.port, f"{url} must name a host and a port"
    proxy = TcpProxy(parts.hostname, parts.port)
    try:
        yield proxy, url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    finally:
        proxy.close()


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A real HTTP server on loopback that records what it is sent and answers as told:
    the status codes of ``answers`` in turn, then ``then`` for every later request."""

    def __init__(self, answers: Sequence[int] = (), then: int = 200) -> None:
        self.received: list[Received] = []
        self._answers = list(answers)
        self._then = then
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append(Received(dict(self.headers.items()), body))
                status = receiver._answers.pop(0) if receiver._answers else receiver._then
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hooks"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
