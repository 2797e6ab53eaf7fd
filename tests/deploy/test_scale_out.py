"""Web, worker and scheduler processes are stateless: two of each on one database behave as one.

The processes are the installed ``tessera`` command, started once for the module on a copy of
the migrated test database: two ``serve``, two ``worker``, two ``scheduler``, and two more
``serve`` for the tests that kill or stop a web process (the test of a stop during start-up
starts its own). A test that stops a scheduler starts it again, so each test finds the fleet it
expects.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import asyncpg
import httpx
import pytest

from tessera.db.roles import drop_database
from tessera.plugin.testing.processes import FAST_BACKGROUND
from tests.deploy.fleet import Fleet
from tests.events_support import TEMPLATE_DB_VAR, clone_database, database_url
from tests.events_support import wait_until as wait_for
from tests.support import PASSWORD, SignedUp, sign_up

pytestmark = [pytest.mark.timeout(240), pytest.mark.xdist_group("scaleout")]

MAX_FAILURES_PER_EMAIL = 4
SHUTDOWN_GRACE_SECONDS = 5
WEBS = ("web1", "web2")
#: Web processes the fault tests stop (started with the others: starting one later, alone,
#: would cost a test as long as the rest of the module).
KILLED, TERMINATED = "web3", "web4"
WORKER = ("worker", "--processes", "1", "--threads", "2")
CHECKLIST = ["one", "two", "three"]


T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine from a module fixture, whether or not an event loop is running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def fleet(
    admin_url: str, owner_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Fleet]:
    name = _run(clone_database(admin_url, os.environ[TEMPLATE_DB_VAR]))
    fleet = Fleet(
        database_url(owner_url, name),
        database_url(admin_url, name),
        tmp_path_factory.mktemp("fleet"),
        {
            **FAST_BACKGROUND,
            "TESSERA_QUEUE_PREFIX": f"s{uuid.uuid4().hex[:10]}",
            "TESSERA_LOGIN_MAX_FAILURES_PER_EMAIL": str(MAX_FAILURES_PER_EMAIL),
            "TESSERA_SHUTDOWN_GRACE_SECONDS": str(SHUTDOWN_GRACE_SECONDS),
            # Eight processes share the test server's connections with every other test.
            "TESSERA_DB_POOL_SIZE": "2",
        },
    )
    try:
        # The first one compiles what the others then only load.
        fleet.spawn_web(WEBS[0])
        fleet.wait_serving(WEBS[0])
        for web in (*WEBS[1:], KILLED, TERMINATED):
            fleet.spawn_web(web)
        for n in (1, 2):
            # dramatiq names each message it receives at DEBUG: who did the work shows.
            fleet.spawn(f"worker{n}", *WORKER, env={"TESSERA_LOG_LEVEL": "DEBUG"})
            fleet.spawn(f"scheduler{n}", "scheduler")
        for web in (*WEBS[1:], KILLED, TERMINATED):
            fleet.wait_serving(web)
        yield fleet
    finally:
        fleet.stop_all()
        _run(drop_database(admin_url, name))


@pytest.fixture(autouse=True)
def _logs_on_failure(fleet: Fleet, request: pytest.FixtureRequest) -> Iterator[None]:
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        print(fleet.log_tail())  # noqa: T201  (shown by pytest with the failure)


async def _owner(fleet: Fleet, web: str) -> SignedUp:
    """A new tenant signed up through ``web``, with the notes module on.

    Its client is closed: use the session through :func:`_same_session`.
    """
    async with fleet.client(web) as client:
        owner = await sign_up(client)
        enabled = await owner.post("/api/v1/modules/notes/enable")
        assert enabled.status_code == 200, enabled.text
    return owner


def _same_session(fleet: Fleet, web: str, owner: SignedUp, **kwargs: Any) -> httpx.AsyncClient:
    """A client of ``web`` carrying the cookies and CSRF token another web process gave."""
    return fleet.client(web, cookies=owner.client.cookies, headers=owner.headers, **kwargs)


async def test_a_session_started_on_one_web_process_works_on_the_other(fleet: Fleet) -> None:
    async with fleet.client("web1") as one:
        owner = await sign_up(one)
        async with fleet.client("web2", cookies=one.cookies) as two:
            me = await two.get("/api/v1/me")
            assert me.status_code == 200, me.text
            assert me.json()["user"]["email"] == owner.email
            # The CSRF token is checked against the session's copy, wherever it was made.
            refused = await two.post("/api/v1/modules/notes/enable")
            assert refused.status_code == 403, refused.text
            enabled = await two.post("/api/v1/modules/notes/enable", headers=owner.headers)
            assert enabled.status_code == 200, enabled.text
            # Signing out on one ends the session on both.
            out = await two.post("/api/v1/auth/logout", headers=owner.headers)
            assert out.status_code == 200, out.text
        assert (await one.get("/api/v1/me")).status_code == 401
        # And the other way round: signed in on web 2, known to web 1.
        async with fleet.client("web2") as two:
            login = await two.post(
                "/api/v1/auth/login", json={"email": owner.email, "password": PASSWORD}
            )
            assert login.status_code == 200, login.text
            one.cookies = two.cookies
            token = login.json()["csrf_token"]
            note = await one.post(
                "/api/v1/notes/notes",
                json={"title": "made on web 1"},
                headers={"X-CSRF-Token": token},
            )
            assert note.status_code == 201, note.text


async def test_the_login_throttle_counts_failures_on_every_web_process(fleet: Fleet) -> None:
    async with fleet.client("web1") as signup:
        owner = await sign_up(signup)
    wrong = {"email": owner.email, "password": "not the password at all"}
    right = {"email": owner.email, "password": PASSWORD}
    async with fleet.client("web1") as one, fleet.client("web2") as two:
        # Half the failures on each: neither process alone reaches the limit.
        for attempt in range(MAX_FAILURES_PER_EMAIL):
            client = (one, two)[attempt % 2]
            failed = await client.post("/api/v1/auth/login", json=wrong)
            assert failed.status_code == 401, failed.text
        for client in (one, two):
            refused = await client.post("/api/v1/auth/login", json=right)
            assert refused.status_code == 429, refused.text
            assert int(refused.headers["Retry-After"]) > 0


async def _create_note(client: httpx.AsyncClient, title: str) -> httpx.Response:
    """A note with a checklist of three: rows of two tables, their audit and an event, at once."""
    return await client.post("/api/v1/notes/notes", json={"title": title, "checklist": CHECKLIST})


async def test_work_enqueued_through_either_web_process_runs_exactly_once(fleet: Fleet) -> None:
    owner = await _owner(fleet, "web1")
    async with (
        _same_session(fleet, "web1", owner) as one,
        _same_session(fleet, "web2", owner) as two,
    ):
        clients = (one, two)
        created = await asyncio.gather(
            *(_create_note(clients[i % 2], f"note {i}") for i in range(20))
        )
        assert [r.status_code for r in created] == [201] * 20, [r.text for r in created]
        # Each job is a message of its own and takes a moment (a pause per note counted), so
        # both workers get some.
        started = await asyncio.gather(
            *(
                clients[i % 2].post("/api/v1/notes/notes/recount?step_seconds=0.02")
                for i in range(8)
            )
        )
        assert [r.status_code for r in started] == [202] * 8, [r.text for r in started]
        job_ids = sorted(r.json()["job_id"] for r in started)

        async def all_done() -> bool:
            jobs = [(await two.get(f"/api/v1/jobs/{job_id}")).json() for job_id in job_ids]
            return all(job["status"] == "succeeded" for job in jobs)

        await wait_for(all_done, within=60)

    async def handled() -> list[asyncpg.Record] | None:
        rows = await fleet.fetch(owner.tenant_id, "SELECT kind, source FROM notes_effect")
        return rows if sum(r["kind"] == "created" for r in rows) >= 20 else None

    await wait_for(handled, within=60)
    await asyncio.sleep(1.0)  # time for a second run, were there one
    rows = await fleet.fetch(owner.tenant_id, "SELECT kind, source FROM notes_effect")
    created_by = [r["source"] for r in rows if r["kind"] == "created"]
    recounted_by = sorted(r["source"] for r in rows if r["kind"] == "recount")
    assert len(created_by) == len(set(created_by)) == 20, "each event handled once"
    assert recounted_by == job_ids, "each job run once"
    for worker in ("worker1", "worker2"):
        ran = [
            job_id
            for entry in fleet.log_entries(worker)
            if entry["msg"].startswith("Received message tessera_run_job(")
            for job_id in job_ids
            if job_id in entry["msg"]
        ]
        assert ran, f"{worker} ran none of the jobs: the other did all the work"


TICK = "notes.tick"
SCHEDULERS = ("scheduler1", "scheduler2")


def _dispatchers_by_period(fleet: Fleet) -> dict[int, list[str]]:
    """Which scheduler dispatched each period of the notes tick, from their logs."""
    found: dict[int, list[str]] = {}
    for name in SCHEDULERS:
        for entry in fleet.log_entries(name):
            if entry["msg"] == "schedule dispatched" and entry.get("schedule") == TICK:
                found.setdefault(int(entry["period"]), []).append(name)
    return found


async def _tick_runs(fleet: Fleet, tenant_id: str) -> tuple[list[int], int]:
    """The periods the tick ran in for the tenant, and its effects (in one snapshot)."""
    [row] = await fleet.fetch(
        tenant_id,
        "SELECT ARRAY(SELECT period FROM job_run WHERE schedule = $1 ORDER BY period) AS runs, "
        "(SELECT count(*) FROM notes_effect WHERE kind = 'tick') AS effects",
        TICK,
    )
    return list(row["runs"]), int(row["effects"])


async def _check_each_period_ran_once(fleet: Fleet, tenant_id: str, at_least: int) -> list[int]:
    async def enough() -> list[int] | None:
        runs, _ = await _tick_runs(fleet, tenant_id)
        return runs if len(runs) >= at_least else None

    await wait_for(enough, within=40)
    runs, effects = await _tick_runs(fleet, tenant_id)
    assert effects == len(runs), "one effect per run"
    assert runs == list(range(runs[0], runs[-1] + 1)), f"a period was skipped: {runs}"
    dispatched = _dispatchers_by_period(fleet)
    for period in runs:
        assert len(dispatched.get(period, [])) == 1, f"period {period}: {dispatched.get(period)}"
    return runs


async def test_two_schedulers_dispatch_each_period_once(fleet: Fleet) -> None:
    owner = await _owner(fleet, "web1")
    runs = await _check_each_period_ran_once(fleet, owner.tenant_id, at_least=2)
    # The one that has been dispatching dies without a word; the other carries on.
    dispatching = _dispatchers_by_period(fleet)[runs[-1]][0]
    fleet.kill(dispatching)
    try:
        after = await _check_each_period_ran_once(fleet, owner.tenant_id, at_least=len(runs) + 2)
        survivor = next(name for name in SCHEDULERS if name != dispatching)
        dispatched = _dispatchers_by_period(fleet)
        assert {dispatched[p][0] for p in after[len(runs) + 1 :]} == {survivor}
    finally:
        fleet.spawn(dispatching, "scheduler")


async def test_a_killed_web_process_loses_no_write_it_answered(fleet: Fleet) -> None:
    owner = await _owner(fleet, "web2")
    prefix = f"burst {uuid.uuid4().hex[:8]}"
    answered: list[str] = []
    enough_answered = asyncio.Event()
    async with _same_session(fleet, KILLED, owner, limits=httpx.Limits(max_connections=8)) as one:

        async def write(i: int) -> None:
            title = f"{prefix} {i}"
            response = await _create_note(one, title)
            assert response.status_code == 201, response.text
            answered.append(title)
            if len(answered) >= 20:
                enough_answered.set()

        burst = [asyncio.create_task(write(i)) for i in range(200)]
        try:
            await asyncio.wait_for(enough_answered.wait(), timeout=60)
        finally:
            fleet.kill(KILLED)
        outcomes = await asyncio.gather(*burst, return_exceptions=True)
    cut_off = [o for o in outcomes if isinstance(o, BaseException)]
    assert all(isinstance(o, httpx.TransportError) for o in cut_off), cut_off
    assert cut_off, "the process died after answering everything: nothing was in flight"

    # Every answered write is there, whole, for the other process to serve.
    async with _same_session(fleet, "web2", owner) as two:
        listed = await two.get("/api/v1/notes/notes", params={"limit": 200})
        assert listed.status_code == 200, listed.text
        assert listed.json()["next_cursor"] is None
    notes = {n["title"]: n for n in listed.json()["items"] if n["title"].startswith(prefix)}
    assert set(answered) <= set(notes)
    # A write cut off mid-way was committed whole or not at all: never a note without its
    # checklist, its audit entry or its event.
    assert all(n["checklist"] == CHECKLIST for n in notes.values())
    ids = [uuid.UUID(n["id"]) for n in notes.values()]
    [row] = await fleet.fetch(
        owner.tenant_id,
        "SELECT (SELECT count(*) FROM audit_entry WHERE action = 'create' "
        "AND record_id = ANY($1::text[])) AS audited, "
        "(SELECT count(*) FROM event_outbox WHERE type = 'notes.note.created' "
        "AND (payload->>'note_id')::uuid = ANY($2::uuid[])) AS events",
        [str(i) for i in ids],
        ids,
    )
    assert (row["audited"], row["events"]) == (len(ids), len(ids))


async def _waiting_on_a_lock(fleet: Fleet, like: str) -> bool:
    conn = await fleet.connect(admin=True)
    try:
        waiting: int = await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE $1",
            like,
        )
        return waiting > 0
    finally:
        await conn.close()


async def test_sigterm_lets_the_request_in_flight_finish(fleet: Fleet) -> None:
    owner = await _owner(fleet, "web2")
    title = f"in flight {uuid.uuid4().hex[:8]}"
    blocker = await fleet.connect()
    try:
        async with _same_session(fleet, TERMINATED, owner) as one:
            # Holding back every new note keeps the request in flight for as long as needed.
            lock = blocker.transaction()
            await lock.start()
            await blocker.execute("LOCK TABLE notes_note IN SHARE MODE")
            slow = asyncio.create_task(_create_note(one, title))
            await wait_for(lambda: _waiting_on_a_lock(fleet, "INSERT INTO notes_note%"))
            fleet.terminate(TERMINATED)
            await asyncio.sleep(1.5)
            assert fleet[TERMINATED].alive(), "it quit with a request in flight"
            await lock.rollback()
            answer = await slow
            assert answer.status_code == 201, answer.text
        assert fleet[TERMINATED].popen.wait(timeout=20) == 0, "it did not stop cleanly"
    finally:
        await blocker.close()
    async with _same_session(fleet, "web2", owner) as two:
        found = await two.get(f"/api/v1/notes/notes/{answer.json()['id']}")
        assert found.status_code == 200 and found.json()["title"] == title


async def test_sigterm_while_starting_up_stops_the_process_within_the_grace(
    fleet: Fleet,
) -> None:
    starting = fleet.spawn_web("web5")

    async def spawning_its_worker() -> bool:
        return "Spawning worker-1" in starting.log.read_text(errors="replace")

    await wait_for(spawning_its_worker, within=60)
    # Loading the app: granian's worker would take the signal in and serve on regardless.
    await asyncio.sleep(1.0)
    fleet.terminate("web5")
    try:
        starting.popen.wait(timeout=SHUTDOWN_GRACE_SECONDS + 15)
    except subprocess.TimeoutExpired:
        fleet.kill("web5")
        raise AssertionError("SIGTERM while starting up did not stop it") from None
