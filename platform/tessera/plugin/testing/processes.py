"""The background side of a test deployment as production runs it: real processes.

``tessera scheduler`` (relay, schedules) and ``tessera worker`` (handlers, jobs) start on the
test app's database with a queue prefix of their own, and write mail where the app does.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from tessera.plugin.testing.app import TesseraApp

#: Short enough that a test sees retries, dead letters and digests within seconds.
FAST_BACKGROUND = {
    "TESSERA_EVENT_MAX_RETRIES": "2",
    "TESSERA_EVENT_MIN_BACKOFF_MS": "100",
    "TESSERA_EVENT_MAX_BACKOFF_MS": "400",
    "TESSERA_WORKER_HEARTBEAT_SECONDS": "3",
    "TESSERA_NOTIFICATION_DIGEST_SECONDS": "2",
    "TESSERA_WORKFLOW_ESCALATION_SECONDS": "2",
    # A test's processes need a few connections each; many test processes share one server
    # (PostgreSQL's default max_connections is 100), so they must not hold production's 10 + 10.
    "TESSERA_DB_POOL_SIZE": "3",
}


class BackgroundProcesses:
    """A scheduler and a worker process serving the test app's database."""

    def __init__(self, app: TesseraApp, *, threads: int = 2) -> None:
        self.app = app
        self.threads = threads
        self.logs = Path(tempfile.mkdtemp(prefix="tessera-background-"))
        self.env = {
            **os.environ,
            **FAST_BACKGROUND,
            "TESSERA_ENV": "test",
            "TESSERA_DATABASE_URL": app.owner_url,
            "TESSERA_SECRET_KEY": app.settings.secret_key,
            "TESSERA_QUEUE_PREFIX": f"t{uuid.uuid4().hex[:10]}",
            "TESSERA_DATA_DIR": str(app.settings.data_dir),
            "TESSERA_LOG_LEVEL": "INFO",
        }
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def _spawn(self, name: str, *arguments: str) -> subprocess.Popen[bytes]:
        # The child writes to its own copy of the descriptor: ours closes on return.
        with (self.logs / f"{name}.log").open("ab") as log:
            return subprocess.Popen(  # noqa: S603  (our own interpreter, our own arguments)
                [sys.executable, "-m", "tessera", *arguments],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                # A process group of its own: stopping the worker stops dramatiq's children too.
                start_new_session=True,
            )

    def start(self) -> BackgroundProcesses:
        self.scheduler = self._spawn("scheduler", "scheduler")
        self.worker = self._spawn(
            "worker", "worker", "--processes", "1", "--threads", str(self.threads)
        )
        return self

    def stop(self) -> None:
        running = [p for p in (self.worker, self.scheduler) if p is not None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.worker = self.scheduler = None

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of each process's log, to print when a test fails."""
        out = []
        for path in sorted(self.logs.glob("*.log")):
            text = path.read_text(errors="replace").splitlines()[-lines:]
            out.append(f"--- {path.name}\n" + "\n".join(text))
        return "\n".join(out)

    async def wait_until(
        self, check: Callable[[], Awaitable[Any]], *, within: float = 60.0, interval: float = 0.2
    ) -> Any:
        """Poll ``check`` until it returns something truthy; fail (with the logs) after ``within``."""
        deadline = time.monotonic() + within
        while True:
            result = await check()
            if result:
                return result
            for process in (self.scheduler, self.worker):
                if process is not None and process.poll() is not None:
                    raise AssertionError(f"a background process exited:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not reached within {within} s (last: {result!r})\n{self.log_tail()}"
                )
            await asyncio.sleep(interval)
