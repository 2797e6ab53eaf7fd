"""The testing kit plugin authors get (tessera.plugin.testing), used here as they would.

Its fixtures come from the ``pytest11`` entry point of the installed tessera; this suite only
points ``tessera_database`` at its own migrated database (tests/conftest.py).
"""

from __future__ import annotations

import pytest

from tessera.plugin.testing import BackgroundProcesses, Tenant
from tessera.plugin.testing.pytest_plugin import TenantFactory

NOTES = "/api/v1/notes/notes"


async def note(tenant: Tenant, title: str, body: str = "") -> str:
    made = await tenant.owner.post(NOTES, json={"title": title, "body": body})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def effects(tenant: Tenant, kind: str) -> list[str]:
    async with tenant.connect() as conn:
        rows = await conn.fetch("SELECT source FROM notes_effect WHERE kind = $1", kind)
    return [row["source"] for row in rows]


async def test_a_tenant_comes_with_its_modules_and_a_signed_in_owner(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("notes")
    me = await tenant.owner.get("/api/v1/me")
    assert me.status_code == 200, me.text
    modules = await tenant.owner.get("/api/v1/modules")
    enabled = {m["name"] for m in modules.json() if m["enabled"]}
    assert "notes" in enabled
    # The CSRF token goes along by itself: a write works without the test naming it.
    await note(tenant, "Hello")
    other = await tessera_tenant()
    assert (await other.owner.get(NOTES)).status_code == 404, "not enabled there"


async def test_clients_act_as_a_role_or_hold_exactly_given_permissions(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("notes")
    member = await tenant.client_as("member")
    assert (await member.post("/api/v1/roles", json={"name": "By member"})).status_code == 403
    admin = await tenant.client_as("admin")
    assert (await admin.post("/api/v1/roles", json={"name": "By admin"})).status_code == 201
    clerk = await tenant.client_as(permissions=["access.role.manage"])
    assert (await clerk.post("/api/v1/roles", json={"name": "By clerk"})).status_code == 201
    assert (await clerk.get("/api/v1/audit")).status_code == 403, "nothing more"
    assert len({member.user_id, admin.user_id, clerk.user_id, tenant.owner.user_id}) == 4


async def test_events_and_audit_are_asserted_and_handlers_run_now(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("notes")
    note_id = await note(tenant, "Audited")
    entry = await tenant.assert_audited("notes_note", note_id, action="create")
    assert entry.actor_user_id is not None and str(entry.actor_user_id) == tenant.owner.user_id
    event = await tenant.assert_emitted("notes.note.created", note_id=note_id)
    assert await effects(tenant, "created") == []
    assert await tenant.run_pending() >= 1
    assert await effects(tenant, "created") == [str(event.id)]
    assert await tenant.run_pending() == 0, "nothing is left"
    with pytest.raises(AssertionError, match=r"no notes\.note\.created event with"):
        await tenant.assert_emitted("notes.note.created", note_id="not-this-one")
    with pytest.raises(AssertionError, match="no delete of notes_note"):
        await tenant.assert_audited("notes_note", note_id, action="delete")


async def test_a_failing_handler_fails_run_pending_with_its_error(
    tessera_tenant: TenantFactory,
) -> None:
    tenant = await tessera_tenant("notes")
    await note(tenant, "Broken", body="fail")
    with pytest.raises(AssertionError, match="the note says fail"):
        await tenant.run_pending()
    # Dead-lettered as after its last retry, for the tenant's admins to see.
    letters = await tenant.owner.get("/api/v1/events/dead-letters")
    assert letters.status_code == 200, letters.text
    assert [d["handler"] for d in letters.json()["items"]] == ["notes:record_creation"]
    await note(tenant, "Broken again", body="fail")
    assert await tenant.run_pending(expect_failures=True) >= 1


async def test_jobs_and_schedules_run_now(tessera_tenant: TenantFactory) -> None:
    tenant = await tessera_tenant("notes")
    started = await tenant.owner.post("/api/v1/notes/notes/recount")
    assert started.status_code == 202, started.text
    job_id = started.json()["job_id"]
    await tenant.run_pending()
    job = await tenant.owner.get(f"/api/v1/jobs/{job_id}")
    assert job.json()["status"] == "succeeded", job.text
    assert await effects(tenant, "recount") == [job_id]
    await tenant.run_schedule("notes.tick")
    assert await effects(tenant, "tick") == ["schedule"]
    with pytest.raises(LookupError, match=r"no schedule 'notes\.nope'"):
        await tenant.run_schedule("notes.nope")


@pytest.mark.timeout(180)
async def test_the_real_scheduler_and_worker_serve_the_app(
    tessera_tenant: TenantFactory, tessera_background: BackgroundProcesses
) -> None:
    tenant = await tessera_tenant("notes")
    await note(tenant, "In the background")

    async def handled() -> list[str]:
        return await effects(tenant, "created")

    await tessera_background.wait_until(handled, within=90)

    async def ticked() -> list[str]:
        return await effects(tenant, "tick")

    await tessera_background.wait_until(ticked, within=60)
