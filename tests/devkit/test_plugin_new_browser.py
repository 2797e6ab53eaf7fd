"""A plugin fresh from ``tessera plugin new``, installed from its wheel, has full screens.

The real ``tessera dev`` serves the built browser app (``make frontend-build``) with the
plugin on its PYTHONPATH, on a database of this test's; a company signs up and enables the
module over HTTP, then Debian's Chromium (Playwright) opens the plugin's list, creates an
item in its form and lands on the item's page — screens made from the plugin's metadata alone.

Run by ``make devkit`` (marker ``browser``; the default run leaves it out).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tessera.db.roles import drop_database, ensure_owner_database
from tessera.plugin.testing import PASSWORD
from tessera.plugin.testing.app import free_port
from tests.devkit.generated import ROOT, Installed, clean_env, generate_and_install

pytestmark = [pytest.mark.browser, pytest.mark.timeout(420)]

NAME = "gadgets"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture
def plugin(tmp_path: Path) -> Installed:
    return generate_and_install(tmp_path, NAME)


@pytest.fixture
async def database(admin_url: str) -> AsyncIterator[str]:
    """A database of this test's own: migrated by the server, with the new plugin's branch."""
    name = f"tessera_devkit_{uuid.uuid4().hex[:10]}"
    owner_url = await ensure_owner_database(admin_url, "tessera", name)
    yield owner_url
    await drop_database(admin_url, name)


def wait_ready(url: str, server: subprocess.Popen[bytes], log: Path, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"tessera dev stopped:\n{log.read_text()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise AssertionError(f"tessera dev was not ready within {within}s:\n{log.read_text()[-4000:]}")


@pytest.fixture
def server(plugin: Installed, database: str, tmp_path: Path) -> Iterator[str]:
    """``tessera dev`` (migrations, web, worker, scheduler) with the plugin installed."""
    assert (ROOT / "frontend" / "dist" / "index.html").exists(), "run make frontend-build"
    port = free_port()
    log = tmp_path / "dev.log"
    env = clean_env(
        PYTHONPATH=plugin.pythonpath(),
        TESSERA_DATABASE_URL=database,
        TESSERA_DATA_DIR=str(tmp_path / "data"),
        TESSERA_COOKIE_SECURE="false",
        TESSERA_LOG_LEVEL="WARNING",
    )
    with log.open("ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tessera", "dev", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own group: stopping it stops the worker and scheduler it started.
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, process, log, within=180)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


async def test_the_new_plugin_lists_creates_and_shows_items_in_a_real_browser(
    server: str,
) -> None:
    from playwright.async_api import async_playwright, expect

    run = uuid.uuid4().hex[:10]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = await browser.new_context(base_url=server, locale="en-US")
            page = await context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))

            signed_up = await page.request.post(
                "/api/v1/signup",
                data={
                    "company_name": f"Gadgets {run}",
                    "slug": f"gadgets-{run}",
                    "name": "Olive Owner",
                    "email": f"owner-{run}@example.com",
                    "password": PASSWORD,
                },
            )
            assert signed_up.ok, await signed_up.text()
            csrf = (await signed_up.json())["csrf_token"]
            enabled = await page.request.post(
                f"/api/v1/modules/{NAME}/enable", headers={"X-CSRF-Token": csrf}
            )
            assert enabled.ok, await enabled.text()

            # The list, from its menu entry: its heading, its columns, no items yet.
            await page.goto("/")
            await page.get_by_role("menuitem", name="Gadgets").click()
            await expect(page.get_by_role("heading", level=1, name="Gadgets")).to_be_visible()
            await expect(page.get_by_role("columnheader", name="Amount")).to_be_visible()
            await expect(page.get_by_text("There is no Item yet.")).to_be_visible()
            assert page.url.endswith(f"/{NAME}/items")

            # The form: a new item.
            await page.get_by_role("link", name="New Item").click()
            await expect(page.get_by_role("heading", level=1, name="New Item")).to_be_visible()
            await page.get_by_label("Name", exact=True).fill("Soldering station")
            await page.get_by_label("Amount", exact=True).fill("249.90")
            await page.get_by_label("Notes", exact=True).fill("For the lab")
            await page.get_by_role("button", name="Create").click()

            # Its page: the item, as the server keeps it.
            heading = page.get_by_role("heading", level=1, name="Soldering station")
            await expect(heading).to_be_visible()
            await expect(page.get_by_text("249.90").first).to_be_visible()
            await expect(page.get_by_text("For the lab")).to_be_visible()
            await expect(page.get_by_text("Draft").first).to_be_visible()
            item_url = page.url
            assert f"/{NAME}/items/" in item_url

            # Back in the list, the item links to that page.
            await page.goto(f"/{NAME}/items")
            link = page.get_by_role("link", name="Soldering station")
            await expect(link).to_be_visible()
            await link.click()
            await expect(heading).to_be_visible()
            assert page.url == item_url
            assert errors == []
        finally:
            await browser.close()
