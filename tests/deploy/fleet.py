"""A scaled-out deployment on one machine: several ``tessera`` processes on one database.

Each process is the installed ``tessera`` command (as the Helm chart runs it), in a process
group of its own so a signal reaches the children too (granian's and dramatiq's workers), with
its own data directory, so nothing a process keeps on its local disk can help another.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from tessera.db.engine import plain_url
from tests.support import documentation_ip, free_port

TESSERA = Path(sys.executable).parent / "tessera"
#: Compiled bytecode for the fleet's processes, kept across runs outside the source tree.
PYCACHE = Path(tempfile.gettempdir()) / "tessera-test-pycache"
SECRET_KEY = "scale-out-secret-key-" + "x" * 32


@dataclass
class Process:
    """One running ``tessera`` command and the file its output goes to."""

    name: str
    arguments: tuple[str, ...]
    log: Path
    popen: subprocess.Popen[bytes]
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        assert self.port is not None, f"{self.name} serves no HTTP"
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        return self.popen.poll() is None


@dataclass
class Fleet:
    """Web, worker and scheduler processes sharing one PostgreSQL database and nothing else."""

    owner_url: str
    #: A superuser's URL of the same database (to see other sessions' queries and locks).
    admin_url: str
    home: Path
    settings: Mapping[str, str]
    processes: dict[str, Process] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("TESSERA_") and k != "PYTHONDONTWRITEBYTECODE"
        }
        return {
            **inherited,
            # A production image ships compiled bytecode; without it every process compiles
            # the whole platform again (about two thirds of a web process's start-up).
            "PYTHONPYCACHEPREFIX": str(PYCACHE),
            "TESSERA_ENV": "test",
            "TESSERA_DATABASE_URL": self.owner_url,
            # Shared by every replica, as a Kubernetes Secret would be: without it each would
            # derive its own from its data directory.
            "TESSERA_SECRET_KEY": SECRET_KEY,
            "TESSERA_COOKIE_SECURE": "false",
            "TESSERA_TRUSTED_PROXIES": "127.0.0.1",
            "TESSERA_LOG_JSON": "true",
            "TESSERA_LOG_LEVEL": "INFO",
            **self.settings,
        }

    def spawn(
        self,
        name: str,
        *arguments: str,
        port: int | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Process:
        data_dir = self.home / name
        data_dir.mkdir(exist_ok=True)
        log = self.home / f"{name}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen(
                [str(TESSERA), *arguments],
                env={**self.env, **(env or {}), "TESSERA_DATA_DIR": str(data_dir)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        process = Process(name, arguments, log, popen, port, dict(env or {}))
        self.processes[name] = process
        return process

    def spawn_web(self, name: str) -> Process:
        port = free_port()
        return self.spawn(name, "serve", "--port", str(port), "--workers", "1", port=port)

    def __getitem__(self, name: str) -> Process:
        return self.processes[name]

    def wait_serving(self, name: str, within: float = 60) -> None:
        process = self[name]
        deadline = time.monotonic() + within
        with httpx.Client(base_url=process.url, timeout=2) as probe:
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if probe.get("/health/ready").status_code == 200:
                        return
                if not process.alive() or time.monotonic() > deadline:
                    raise AssertionError(f"{name} did not become ready:\n{self.log_tail(name)}")
                time.sleep(0.2)

    def kill(self, name: str) -> None:
        """SIGKILL the process and its children: nothing gets to finish or clean up."""
        process = self[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.popen.pid, signal.SIGKILL)
        process.popen.wait(timeout=10)

    def terminate(self, name: str) -> None:
        """SIGTERM to the leader only, as Kubernetes stops a container; it tells its children."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self[name].popen.pid, signal.SIGTERM)

    def stop_all(self) -> None:
        for name, process in self.processes.items():
            if process.alive():
                self.terminate(name)
        for name, process in self.processes.items():
            try:
                process.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill(name)

    def log_entries(self, name: str) -> list[dict[str, Any]]:
        """The process's JSON log lines (other output, such as a server's banner, is skipped)."""
        entries = []
        for line in self[name].log.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                entry = json.loads(line)
                if isinstance(entry, dict):
                    entries.append(entry)
        return entries

    def log_tail(self, *names: str, lines: int = 40) -> str:
        out = []
        for name in names or tuple(self.processes):
            text = self[name].log.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {name}\n" + "\n".join(text))
        return "\n".join(out)

    def client(self, name: str, **kwargs: Any) -> httpx.AsyncClient:
        """A client of one web process, seen as a visitor of its own address."""
        headers = {"X-Forwarded-For": documentation_ip(), **kwargs.pop("headers", {})}
        kwargs.setdefault("timeout", 30)
        return httpx.AsyncClient(base_url=self[name].url, headers=headers, **kwargs)

    async def connect(
        self, tenant_id: str | None = None, *, admin: bool = False
    ) -> asyncpg.Connection:
        """A connection for looking, as the owner (row-level security: name the tenant) or
        as a superuser."""
        conn = await asyncpg.connect(plain_url(self.admin_url if admin else self.owner_url))
        if tenant_id is not None:
            await conn.execute("SELECT set_config('tessera.tenant_id', $1, false)", tenant_id)
        return conn

    async def fetch(self, tenant_id: str, query: str, *args: Any) -> list[asyncpg.Record]:
        conn = await self.connect(tenant_id)
        try:
            return list(await conn.fetch(query, *args))
        finally:
            await conn.close()
