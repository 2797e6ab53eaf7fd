"""The lead pool: leads without an owner, for any rep to claim.

Reps claim leads from the pool and release them back; admins assign them. A lead its owner
left untouched for the tenant's ``lead_pool_days`` goes back by itself (an hourly schedule),
so that leads nobody works on do not stay locked up with one rep.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from tessera.plugin import (
    Actor,
    Conflict,
    Forbidden,
    HandlerContext,
    Input,
    Member,
    NotFound,
    Schedule,
    Uow,
    emit,
    notify,
    requires,
)
from tessera_crm.leads import (
    ASSIGN,
    WRITE,
    LeadOut,
    get_lead,
    lead_label,
    lead_out,
    may_change,
    still_open,
)
from tessera_crm.models import Lead
from tessera_crm.records import checked_owner
from tessera_crm.settings import crm_settings

RETURNED = "crm.lead.returned"


class AssignIn(Input):
    #: A member of the tenant.
    owner_id: uuid.UUID


class LeadPoolController(Controller):
    path = "/leads"
    tags = ["crm"]

    @post(
        "/{lead_id:uuid}/claim",
        status_code=HTTP_200_OK,
        summary="Take a lead from the pool",
        opt=requires(WRITE),
    )
    async def claim(self, lead_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> LeadOut:
        # One conditional UPDATE: of two reps claiming at once, the second waits for the
        # first's row lock, then finds the lead owned and changes nothing.
        claimed = await uow.db.execute(
            update(Lead)
            .where(Lead.id == lead_id, Lead.owner_id.is_(None), Lead.status != "converted")
            .values(owner_id=actor.user_id, last_touched_at=func.now())
            .returning(Lead.id)
            .execution_options(synchronize_session=False)
        )
        if claimed.first() is None:
            await _why_not_claimed(uow, actor, lead_id)
        lead = await get_lead(uow, actor, lead_id)
        await emit(
            uow.db,
            actor.tenant,
            "crm.lead.claimed",
            {"lead_id": lead.id, "owner_id": actor.user_id},
        )
        return lead_out(lead)

    @post(
        "/{lead_id:uuid}/release",
        status_code=HTTP_200_OK,
        summary="Give a lead back to the pool (its owner, their manager or an admin)",
        opt=requires(WRITE),
    )
    async def release(self, lead_id: FromPath[uuid.UUID], actor: Member, uow: Uow) -> LeadOut:
        lead = await get_lead(uow, actor, lead_id)
        still_open(lead)
        if lead.owner_id is None:
            raise Conflict("The lead is in the pool already.")
        if not await may_change(uow, actor, lead):
            raise Forbidden("Only the lead's owner, their manager or an admin may release it.")
        previous = lead.owner_id
        lead.owner_id, lead.returned_to_pool_at = None, datetime.now(UTC)
        await uow.db.flush()
        await uow.db.refresh(lead)
        await emit(
            uow.db,
            actor.tenant,
            "crm.lead.released",
            {"lead_id": lead.id, "previous_owner_id": previous},
        )
        return lead_out(lead)

    @post(
        "/{lead_id:uuid}/assign",
        status_code=HTTP_200_OK,
        summary="Give a lead to a member",
        opt=requires(ASSIGN),
    )
    async def assign(
        self, lead_id: FromPath[uuid.UUID], data: JSONBody[AssignIn], actor: Member, uow: Uow
    ) -> LeadOut:
        lead = await get_lead(uow, actor, lead_id)
        still_open(lead)
        previous = lead.owner_id
        lead.owner_id = await checked_owner(uow, actor, data.owner_id)
        # The new owner gets the rule's full time to work on it.
        lead.last_touched_at = datetime.now(UTC)
        await uow.db.flush()
        await uow.db.refresh(lead)
        await emit(
            uow.db,
            actor.tenant,
            "crm.lead.assigned",
            {"lead_id": lead.id, "owner_id": lead.owner_id, "previous_owner_id": previous},
        )
        if lead.owner_id not in (actor.user_id, previous):
            await notify(
                uow.db,
                actor.tenant,
                [data.owner_id],
                "crm.lead_assigned",
                f"A lead was assigned to you: {lead_label(lead)}",
                link=f"/crm/leads/{lead.id}",
            )
        return lead_out(lead)


async def _why_not_claimed(uow: Uow, actor: Actor, lead_id: uuid.UUID) -> NoReturn:
    """A lead that is not in the pool: 409 whoever has it (even someone whose leads the actor
    cannot see: the loser of a race saw it in the pool a moment ago), 404 if there is none."""
    found = (
        await uow.db.execute(select(Lead.status, Lead.owner_id).where(Lead.id == lead_id))
    ).first()
    if found is None:
        raise NotFound("No such lead.")
    if found.status == "converted":
        raise Conflict("The lead is converted: it is read-only now.")
    if found.owner_id == actor.user_id:
        raise Conflict("You own this lead already.")
    raise Conflict("Someone else has this lead: it is not in the pool.")


async def return_untouched_leads(ctx: HandlerContext) -> None:
    """The return-to-pool rule, for one tenant (the platform runs it for each, hourly)."""
    days = (await crm_settings(ctx.db)).lead_pool_days
    if days > 0:
        await return_to_pool(ctx.db, ctx.tenant_id, timedelta(days=days))


async def return_to_pool(db: AsyncSession, tenant_id: uuid.UUID, untouched: timedelta) -> int:
    """Put back in the pool every open lead its owner has not touched for ``untouched``;
    returns how many. Safe to repeat: a returned lead has no owner to lose any more."""
    stale = (
        await db.execute(
            select(Lead)
            .where(
                Lead.owner_id.is_not(None),
                Lead.status != "converted",
                Lead.last_touched_at < func.now() - untouched,
            )
            .order_by(Lead.id)
            # A lead someone is changing right now is being worked on: leave it.
            .with_for_update(skip_locked=True)
        )
    ).scalars()
    by_owner: dict[uuid.UUID, list[Lead]] = defaultdict(list)
    now = datetime.now(UTC)
    for lead in stale:
        assert lead.owner_id is not None
        by_owner[lead.owner_id].append(lead)
        previous, lead.owner_id, lead.returned_to_pool_at = lead.owner_id, None, now
        await emit(db, tenant_id, RETURNED, {"lead_id": lead.id, "previous_owner_id": previous})
    await db.flush()
    for owner_id, leads in by_owner.items():
        await _tell_previous_owner(db, tenant_id, owner_id, leads, untouched)
    return sum(len(leads) for leads in by_owner.values())


async def _tell_previous_owner(
    db: AsyncSession,
    tenant_id: uuid.UUID,
    owner_id: uuid.UUID,
    leads: list[Lead],
    untouched: timedelta,
) -> None:
    """One notification per owner and run, however many of their leads went back."""
    why = f"Nobody worked on them for {untouched.days} days."
    if len(leads) == 1:
        title = f"Your lead {lead_label(leads[0])} went back to the pool"
        link = f"/crm/leads/{leads[0].id}"
    else:
        title = f"{len(leads)} of your leads went back to the pool"
        link = "/crm/leads?pool=true"
    body = ", ".join(lead_label(lead) for lead in leads[:20])
    if len(leads) > 20:
        body += f" and {len(leads) - 20} more"
    await notify(
        db, tenant_id, [owner_id], "crm.lead_returned", title, body=f"{why} {body}", link=link
    )


RETURN_TO_POOL = Schedule("crm.leads.return_to_pool", timedelta(hours=1), return_untouched_leads)
