"""`tessera dev`, run for real as a subprocess on its own embedded PostgreSQL, over real HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import PASSWORD, free_port, unique_email, unique_slug

TESSERA = Path(sys.executable).parent / "tessera"


class DevServer:
    """``tessera dev`` in a subprocess, with its own data directory and port."""

    def __init__(self, data_dir: Path, log_path: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("TESSERA_")}
        env |= {"TESSERA_DATA_DIR": str(data_dir), "TESSERA_LOG_JSON": "true"}
        self._log = log_path.open("ab")
        self.log_path = log_path
        self.process = subprocess.Popen(
            [str(TESSERA), "dev", "--port", str(self.port)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/health/ready", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail("tessera dev did not become ready:\n" + self.log_path.read_text())
            time.sleep(0.2)

    def interrupt(self) -> int:
        """Ctrl-C, as a developer would; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        finally:
            self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._log.close()


def processes_using(data_dir: Path) -> list[int]:
    """Processes still running with ``data_dir`` as their Tessera data directory."""
    marker = f"TESSERA_DATA_DIR={data_dir}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def dev_servers(tmp_path: Path) -> Iterator[list[DevServer]]:
    started: list[DevServer] = []
    yield started
    for server in started:
        server.stop()


@pytest.mark.timeout(180)
def test_dev_server_signup_login_token_logout(dev_servers: list[DevServer], tmp_path: Path) -> None:
    data_dir = tmp_path / "tessera-data"
    first = DevServer(data_dir, tmp_path / "dev.log")
    dev_servers.append(first)
    first.wait_ready()
    url = first.url
    email, slug = unique_email("dev"), unique_slug("dev")
    with httpx.Client(base_url=url, timeout=30) as browser:
        signup = browser.post(
            "/api/v1/signup",
            json={
                "company_name": "Dev Co",
                "slug": slug,
                "name": "Dev Owner",
                "email": email,
                "password": PASSWORD,
            },
        )
        assert signup.status_code == 201, signup.text
        assert (
            browser.post(
                "/api/v1/auth/logout", headers={"X-CSRF-Token": signup.json()["csrf_token"]}
            ).status_code
            == 200
        )
        assert browser.get("/api/v1/me").status_code == 401

        login = browser.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        csrf = login.json()["csrf_token"]
        me = browser.get("/api/v1/me").json()
        assert me["user"]["email"] == email and me["tenant"]["slug"] == slug

        created = browser.post(
            "/api/v1/tokens", json={"name": "ci"}, headers={"X-CSRF-Token": csrf}
        )
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]

        logout = browser.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
        assert logout.status_code == 200
        assert browser.get("/api/v1/me").status_code == 401

    with httpx.Client(base_url=url, timeout=30) as script:
        me = script.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        assert me.status_code == 200, me.text
        assert me.json()["auth"] == "token" and me.json()["tenant"]["slug"] == slug
        # The worker and the scheduler run beside the server: a background job finishes.
        bearer = {"Authorization": f"Bearer {secret}"}
        enabled = script.post("/api/v1/modules/notes/enable", headers=bearer)
        assert enabled.status_code == 200, enabled.text
        started = script.post("/api/v1/notes/notes/recount", headers=bearer)
        assert started.status_code == 202, started.text
        job_url = f"/api/v1/jobs/{started.json()['job_id']}"
        deadline = time.monotonic() + 60
        while (job := script.get(job_url, headers=bearer).json())["status"] != "succeeded":
            assert time.monotonic() < deadline, f"the job did not run: {job}"
            time.sleep(0.2)
        assert job["result"] == {"notes": 1}

    # The verification mail was kept for the developer to click.
    mail = httpx.get(f"{url}/api/v1/dev/mail").json()
    assert any(m["to"] == email and "verify-email?token=" in m["link"] for m in mail)

    # Ctrl-C stops the server, its worker and scheduler, and the embedded PostgreSQL; the data
    # stays.
    assert first.interrupt() == 0
    assert processes_using(data_dir) == []
    assert (data_dir / "pg" / "PG_VERSION").exists()
    assert not (data_dir / "pg" / "postmaster.pid").exists()

    # Started again on the same data directory, the account is still there.
    second = DevServer(data_dir, tmp_path / "dev.log")
    dev_servers.append(second)
    second.wait_ready()
    with httpx.Client(base_url=second.url, timeout=30) as browser:
        again = browser.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert again.status_code == 200, again.text
        assert again.json()["tenant"]["slug"] == slug
    assert second.interrupt() == 0
