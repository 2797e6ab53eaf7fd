"""What a file can be imported into: accounts, contacts and leads, each an :class:`ImportKind`.

Another kind is one more declaration here, added to :data:`IMPORT_KINDS`: its model, its write
permission, its fields (parser, required, aliases, where the value goes, lookups), its
duplicate keys, how an existing record is named, and what to fill in for every row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import String, any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY

from tessera.plugin import Actor, Uow, member_ids_by_email, visible_to
from tessera_crm import accounts, contacts, leads
from tessera_crm.importing import (
    DuplicateKey,
    ImportField,
    ImportKind,
    Lookup,
    email,
    member_email,
    one_of,
    phone,
    tags,
    text,
    website,
)
from tessera_crm.models import LEAD_SOURCES, LEAD_STATUSES, Account, Contact, Lead
from tessera_crm.normalize import company_key, email_key, phone_key


async def _members(uow: Uow, actor: Actor, emails: set[str]) -> Mapping[str, Sequence[uuid.UUID]]:
    found = await member_ids_by_email(uow.db, emails)
    return {address: [user_id] for address, user_id in found.items()}


async def _visible_accounts(
    uow: Uow, actor: Actor, keys: set[str]
) -> Mapping[str, Sequence[uuid.UUID]]:
    """Accounts the actor may see, by normalised name (a contact may link to those only)."""
    query = select(Account.name_key, Account.id).where(
        Account.name_key == any_(bindparam("names", sorted(keys), type_=ARRAY(String))),
        visible_to(actor, accounts.READ, Account.owner_id),
    )
    found: dict[str, list[uuid.UUID]] = {}
    for key, account_id in await uow.db.execute(query):
        found.setdefault(key, []).append(account_id)
    return found


#: A member of the tenant, by email; rows without one belong to whoever imports them.
OWNER = ImportField(
    "owner",
    member_email,
    aliases=("owner email", "assigned to"),
    to="owner_id",
    lookup=Lookup(_members, "is not the email of a member of this tenant"),
)
NOTES = ImportField("notes", text(10_000), aliases=("note", "description", "comments"))
TAGS = ImportField("tags", tags, aliases=("labels",))
EMAIL = ImportField("email", email, aliases=("e-mail", "email address", "mail"))


ADDRESS_PARTS = ("street", "city", "region", "postal_code", "country")


def _address(part: str) -> Callable[[dict[str, Any], Any], None]:
    def put(row: dict[str, Any], value: Any) -> None:
        row.setdefault("address", {})[part] = value

    return put


def _complete_account(row: dict[str, Any], actor: Actor) -> None:
    for column in ("website", "email", "phone", "industry"):
        row.setdefault(column, None)
    # As the API stores one: every part, empty if not given; or none at all.
    given = row.setdefault("address", {})
    if given:
        row["address"] = {part: given.get(part, "") for part in ADDRESS_PARTS}
    row.setdefault("tags", [])
    row.setdefault("notes", "")
    row.setdefault("owner_id", actor.user_id)
    row["name_key"] = company_key(row["name"])
    row["email_key"] = email_key(row["email"])
    row["phone_key"] = phone_key(row["phone"])


ACCOUNTS = ImportKind(
    name="accounts",
    model=Account,
    write_permission=accounts.WRITE,
    fields=(
        ImportField(
            "name",
            text(200),
            required=True,
            aliases=(
                "company",
                "company name",
                "account",
                "account name",
                "organisation",
                "organization",
            ),
        ),
        ImportField("website", website, aliases=("web", "url", "site", "homepage", "web site")),
        EMAIL,
        ImportField("phone", phone, aliases=("telephone", "tel", "phone number")),
        ImportField("industry", text(100), aliases=("sector",)),
        ImportField(
            "street", text(200), aliases=("address", "street address"), to=_address("street")
        ),
        ImportField("city", text(100), aliases=("town",), to=_address("city")),
        ImportField("region", text(100), aliases=("state", "province"), to=_address("region")),
        ImportField(
            "postal_code",
            text(20),
            aliases=("zip", "zip code", "postcode"),
            to=_address("postal_code"),
        ),
        ImportField("country", text(100), to=_address("country")),
        TAGS,
        NOTES,
        OWNER,
    ),
    duplicate_keys=(
        DuplicateKey("name", "name", company_key, Account.name_key),
        DuplicateKey("email", "email", email_key, Account.email_key),
        DuplicateKey("phone", "phone", phone_key, Account.phone_key),
    ),
    label=Account.name,
    complete=_complete_account,
    event="crm.account.imported",
)


def _complete_contact(row: dict[str, Any], actor: Actor) -> None:
    for column in ("account_id", "title", "email", "phone"):
        row.setdefault(column, None)
    row.setdefault("first_name", "")
    row.setdefault("tags", [])
    row.setdefault("notes", "")
    row.setdefault("owner_id", actor.user_id)
    row["email_key"] = email_key(row["email"])
    row["phone_key"] = phone_key(row["phone"])


CONTACTS = ImportKind(
    name="contacts",
    model=Contact,
    write_permission=contacts.WRITE,
    fields=(
        ImportField("first_name", text(100), aliases=("first", "given name", "forename")),
        ImportField(
            "last_name", text(100), required=True, aliases=("last", "surname", "family name")
        ),
        # An account the importer may see, by name (compared as duplicate checks do).
        ImportField(
            "account",
            text(200),
            aliases=("account name", "company", "company name", "organisation", "organization"),
            to="account_id",
            lookup=Lookup(
                _visible_accounts, "no account you can see has this name", key=company_key
            ),
        ),
        ImportField("title", text(100), aliases=("job title", "position")),
        EMAIL,
        ImportField("phone", phone, aliases=("telephone", "tel", "phone number", "mobile")),
        TAGS,
        NOTES,
        OWNER,
    ),
    duplicate_keys=(
        DuplicateKey("email", "email", email_key, Contact.email_key),
        DuplicateKey("phone", "phone", phone_key, Contact.phone_key),
    ),
    label=func.trim(func.concat_ws(" ", Contact.first_name, Contact.last_name)),
    complete=_complete_contact,
    event="crm.contact.imported",
)


def _complete_lead(row: dict[str, Any], actor: Actor) -> None:
    for column in ("company", "title", "email", "phone"):
        row.setdefault(column, None)
    row.setdefault("first_name", "")
    row.setdefault("source", "other")
    row.setdefault("status", "new")
    row.setdefault("tags", [])
    row.setdefault("notes", "")
    row.setdefault("owner_id", actor.user_id)
    row["email_key"] = email_key(row["email"])
    row["phone_key"] = phone_key(row["phone"])


LEADS = ImportKind(
    name="leads",
    model=Lead,
    write_permission=leads.WRITE,
    fields=(
        ImportField("first_name", text(100), aliases=("first", "given name", "forename")),
        ImportField(
            "last_name", text(100), required=True, aliases=("last", "surname", "family name")
        ),
        ImportField("company", text(200), aliases=("company name", "organisation", "organization")),
        ImportField("title", text(100), aliases=("job title", "position")),
        EMAIL,
        ImportField("phone", phone, aliases=("telephone", "tel", "phone number", "mobile")),
        ImportField("source", one_of(LEAD_SOURCES), aliases=("lead source", "channel")),
        # Converted leads come from conversion, with their links; not from a file.
        ImportField(
            "status",
            one_of(tuple(s for s in LEAD_STATUSES if s != "converted")),
            aliases=("lead status",),
        ),
        TAGS,
        NOTES,
        OWNER,
    ),
    duplicate_keys=(
        DuplicateKey("email", "email", email_key, Lead.email_key),
        DuplicateKey("phone", "phone", phone_key, Lead.phone_key),
    ),
    label=func.trim(func.concat_ws(" ", Lead.first_name, Lead.last_name)),
    complete=_complete_lead,
    event="crm.lead.imported",
)

#: By the name in the URL.
IMPORT_KINDS: dict[str, ImportKind] = {kind.name: kind for kind in (ACCOUNTS, CONTACTS, LEADS)}
