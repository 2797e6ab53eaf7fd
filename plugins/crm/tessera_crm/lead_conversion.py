"""Converting a lead: an account, a contact and perhaps a deal made of it, in one go.

POST /api/v1/crm/leads/{id}/convert. The records are made by the same functions (and so
with the same checks) as when they are created on their own, in the request's transaction:
a refusal anywhere leaves nothing behind.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal

import msgspec
from litestar import Controller, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from tessera.plugin import Actor, Input, Invalid, Member, Uow, emit, requires
from tessera_crm.accounts import account_out, create_account
from tessera_crm.contacts import checked_account, contact_out, create_contact
from tessera_crm.deals import Currency, DealIn, DealOut, create_deal, deal_out
from tessera_crm.leads import WRITE, LastName, LeadOut, lead_out, lead_to_change
from tessera_crm.models import Account, Lead
from tessera_crm.schemas import (
    AccountIn,
    AccountOut,
    Address,
    ContactIn,
    ContactOut,
    Email,
    Name,
    Notes,
    PersonName,
    Phone,
    Short,
    Tags,
    Website,
)
from tessera_crm.settings import crm_settings


class AccountChoice(Input):
    """An existing account (``account_id``), or the fields of a new one.

    A new account is named after the lead's company unless ``name`` says otherwise.
    """

    account_id: uuid.UUID | None = None
    name: Name | None = None
    website: Website | None = None
    email: Email | None = None
    phone: Phone | None = None
    industry: Short | None = None
    address: Address | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    allow_duplicate: bool = False


class ContactChoice(Input):
    """What the contact takes other than the lead's own person fields."""

    first_name: PersonName | None = None
    last_name: LastName | None = None
    title: Short | None = None
    email: Email | None = None
    phone: Phone | None = None
    tags: Tags | None = None
    notes: Notes | None = None
    allow_duplicate: bool = False


class DealChoice(Input):
    #: Default: the account's name.
    name: Name | None = None
    amount: Decimal = Decimal(0)
    #: Default: the tenant's default currency.
    currency: Currency | None = None
    pipeline_id: uuid.UUID | None = None
    stage_id: uuid.UUID | None = None
    expected_close: date | None = None


class ConvertIn(Input):
    account: AccountChoice | None = None
    contact: ContactChoice | None = None
    #: Left out: no deal.
    deal: DealChoice | None = None


class ConvertOut(msgspec.Struct):
    lead: LeadOut
    account: AccountOut
    contact: ContactOut
    deal: DealOut | None


@contextmanager
def part(name: str) -> Iterator[None]:
    """Refusals of one part name their field under it: ``deal.stage_id``, ``account.name``."""
    try:
        yield
    except Invalid as exc:
        [error] = exc.errors
        raise Invalid(f"{name}.{error.field}", error.message) from None


async def _account(
    uow: Uow, actor: Actor, lead: Lead, choice: AccountChoice, owner: uuid.UUID
) -> Account:
    if choice.account_id is not None:
        given = {k for k, v in msgspec.structs.asdict(choice).items() if v not in (None, False)}
        if given - {"account_id"}:
            raise Invalid("account_id", "either an existing account or a new one's fields")
        await checked_account(uow, actor, choice.account_id)
        found = await uow.db.get(Account, (actor.tenant, choice.account_id))
        assert found is not None
        return found
    actor.require("crm.account.write")
    name = choice.name or lead.company
    if not name:
        raise Invalid("name", "the lead names no company: name the account or choose one")
    new = AccountIn(
        name=name,
        website=choice.website,
        email=choice.email,
        phone=choice.phone,
        industry=choice.industry,
        address=choice.address,
        tags=choice.tags or [],
        notes=choice.notes or "",
        owner_id=owner,
        allow_duplicate=choice.allow_duplicate,
    )
    return await create_account(uow, actor, new)


def _contact_in(lead: Lead, choice: ContactChoice, account: Account, owner: uuid.UUID) -> ContactIn:
    return ContactIn(
        last_name=choice.last_name if choice.last_name is not None else lead.last_name,
        first_name=choice.first_name if choice.first_name is not None else lead.first_name,
        account_id=account.id,
        title=choice.title if choice.title is not None else lead.title,
        email=choice.email if choice.email is not None else lead.email,
        phone=choice.phone if choice.phone is not None else lead.phone,
        tags=choice.tags if choice.tags is not None else list(lead.tags),
        notes=choice.notes if choice.notes is not None else lead.notes,
        owner_id=owner,
        allow_duplicate=choice.allow_duplicate,
    )


async def _deal_in(uow: Uow, choice: DealChoice, account: Account, owner: uuid.UUID) -> DealIn:
    currency = choice.currency or (await crm_settings(uow.db)).default_currency
    return DealIn(
        name=choice.name or account.name,
        amount=choice.amount,
        currency=currency,
        account_id=account.id,
        pipeline_id=choice.pipeline_id,
        stage_id=choice.stage_id,
        expected_close=choice.expected_close,
        owner_id=owner,
    )


async def convert_lead(uow: Uow, actor: Actor, lead: Lead, data: ConvertIn) -> ConvertOut:
    """Make the account (or take an existing one), the contact and the optional deal, and mark
    the lead converted with links to them. The records belong to the lead's owner (to the
    one converting, for a lead in the pool)."""
    owner = lead.owner_id or actor.user_id
    with part("account"):
        account = await _account(uow, actor, lead, data.account or AccountChoice(), owner)
    with part("contact"):
        actor.require("crm.contact.write")
        contact_in = _contact_in(lead, data.contact or ContactChoice(), account, owner)
        contact = await create_contact(uow, actor, contact_in)
    deal = None
    if data.deal is not None:
        with part("deal"):
            actor.require("crm.deal.write")
            deal = await create_deal(uow, actor, await _deal_in(uow, data.deal, account, owner))
    now = datetime.now(UTC)
    lead.status, lead.converted_at, lead.last_touched_at = "converted", now, now
    lead.owner_id = owner
    lead.converted_account_id, lead.converted_contact_id = account.id, contact.id
    lead.converted_deal_id = deal.id if deal else None
    await uow.db.flush()
    await uow.db.refresh(lead)
    await emit(
        uow.db,
        actor.tenant,
        "crm.lead.converted",
        {
            "lead_id": lead.id,
            "account_id": account.id,
            "contact_id": contact.id,
            "deal_id": deal.id if deal else None,
            "owner_id": owner,
        },
    )
    return ConvertOut(
        lead_out(lead),
        account_out(account),
        contact_out(contact),
        deal_out(deal) if deal else None,
    )


class LeadConversionController(Controller):
    path = "/leads"
    tags = ["crm"]

    @post(
        "/{lead_id:uuid}/convert",
        status_code=HTTP_200_OK,
        summary="Convert a lead into an account, a contact and perhaps a deal",
        opt=requires(WRITE),
    )
    async def convert(
        self, lead_id: FromPath[uuid.UUID], data: JSONBody[ConvertIn], actor: Member, uow: Uow
    ) -> ConvertOut:
        lead = await lead_to_change(uow, actor, lead_id)
        return await convert_lead(uow, actor, lead, data)
