"""The permission matrix's cases for the accounting module (tests/platform/test_permissions.py adds
them to its own). Each builds a valid request for the person under test (see
oa_expense_cases.py for the shape); the scene's tenant has every ERP module enabled.

What a case changes the owner makes first (an account, a draft, a posted entry), so each case
stands alone. Replacing the chart needs a tenant without entries: it comes first.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, Protocol

from tests.support import SignedUp

ACC = "/api/v1/accounting"
Request = tuple[str, dict[str, Any] | None]
TODAY = date.today().isoformat()
PERIOD = f"date_from={date.today().year}-01-01&date_to={TODAY}"


class Scene(Protocol):
    owner: SignedUp
    actor: SignedUp


Build = Callable[[Any], Awaitable[Request]]


def fixed(path: str, body: dict[str, Any] | None = None) -> Build:
    async def build(scene: Scene) -> Request:
        return path, body

    return build


def _tag() -> str:
    return uuid.uuid4().hex[:6].upper()


async def _made(who: SignedUp, path: str, body: dict[str, Any]) -> dict[str, Any]:
    made = await who.post(path, json=body)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


async def _account(s: Scene) -> str:
    body = {"code": f"9{_tag()}", "name_en": "Matrix", "type": "expense"}
    return str((await _made(s.owner, f"{ACC}/accounts", body))["id"])


async def _code(s: Scene, code: str) -> str:
    found = (await s.owner.get(f"{ACC}/accounts", params={"q": code, "limit": 200})).json()
    return str(next(a["id"] for a in found["items"] if a["code"] == code))


def _entry_body(post: bool) -> dict[str, Any]:
    lines = [{"account": "expense", "debit": "1.00"}, {"account": "cash", "credit": "1.00"}]
    return {"journal": "MISC", "date": TODAY, "lines": lines, "post": post}


async def _entry(s: Scene, *, post: bool) -> str:
    return str((await _made(s.owner, f"{ACC}/entries", _entry_body(post)))["id"])


async def _new_account(s: Scene) -> Request:
    return f"{ACC}/accounts", {"code": f"8{_tag()}", "name_en": "Matrix", "type": "asset"}


async def _account_get(s: Scene) -> Request:
    return f"{ACC}/accounts/{await _account(s)}", None


async def _account_patch(s: Scene) -> Request:
    return f"{ACC}/accounts/{await _account(s)}", {"name_zh": "矩阵"}


async def _new_journal(s: Scene) -> Request:
    return f"{ACC}/journals", {"code": f"J{_tag()}", "name": "Matrix"}


async def _journal_patch(s: Scene) -> Request:
    made = await _made(s.owner, f"{ACC}/journals", {"code": f"J{_tag()}", "name": "Matrix"})
    return f"{ACC}/journals/{made['id']}", {"name": "Matrix 2"}


async def _draft(s: Scene) -> Request:
    return f"{ACC}/entries/{await _entry(s, post=False)}", None


async def _draft_put(s: Scene) -> Request:
    return f"{ACC}/entries/{await _entry(s, post=False)}", _entry_body(False)


async def _draft_post(s: Scene) -> Request:
    return f"{ACC}/entries/{await _entry(s, post=False)}/post", None


async def _reverse(s: Scene) -> Request:
    return f"{ACC}/entries/{await _entry(s, post=True)}/reverse", {"date": TODAY}


async def _roles(s: Scene) -> Request:
    return f"{ACC}/settings/roles", {"roles": {"cash": await _code(s, "1000")}}


async def _rate(s: Scene) -> Request:
    body = {"currency": "EUR", "date": f"2020-01-{uuid.uuid4().int % 28 + 1:02d}", "rate": "7.8"}
    return f"{ACC}/rates/{(await _made(s.owner, f'{ACC}/rates', body))['id']}", None


async def _new_tax(s: Scene) -> Request:
    account = await _code(s, "2100")
    body = {
        "code": f"T{_tag()}",
        "name_en": "Matrix",
        "kind": "sale",
        "rate": "6",
        "account_id": account,
    }
    return f"{ACC}/taxes", body


async def _tax(s: Scene) -> str:
    path, body = await _new_tax(s)
    assert body is not None
    return str((await _made(s.owner, path, body))["id"])


async def _tax_get(s: Scene) -> Request:
    return f"{ACC}/taxes/{await _tax(s)}", None


async def _tax_patch(s: Scene) -> Request:
    return f"{ACC}/taxes/{await _tax(s)}", {"rate": "9"}


async def _ledger(s: Scene) -> Request:
    return f"{ACC}/reports/general-ledger/{await _code(s, '1000')}?{PERIOD}", None


async def _ledger_file(s: Scene) -> Request:
    return (
        f"{ACC}/reports/general-ledger/{await _code(s, '1000')}/export?{PERIOD}&format=xlsx",
        None,
    )


REPORTS = f"{ACC}/reports"
ACCOUNTING_CASES: list[tuple[str, str, Build]] = [
    ("POST", f"{ACC}/settings/chart", fixed(f"{ACC}/settings/chart", {"template": "generic"})),
    ("GET", f"{ACC}/settings", fixed(f"{ACC}/settings")),
    ("PATCH", f"{ACC}/settings", fixed(f"{ACC}/settings", {"allow_future_dates": True})),
    ("GET", f"{ACC}/settings/roles", fixed(f"{ACC}/settings/roles")),
    ("PUT", f"{ACC}/settings/roles", _roles),
    ("GET", f"{ACC}/accounts", fixed(f"{ACC}/accounts")),
    ("POST", f"{ACC}/accounts", _new_account),
    ("GET", f"{ACC}/accounts/{{account_id:uuid}}", _account_get),
    ("PATCH", f"{ACC}/accounts/{{account_id:uuid}}", _account_patch),
    ("DELETE", f"{ACC}/accounts/{{account_id:uuid}}", _account_get),
    ("GET", f"{ACC}/journals", fixed(f"{ACC}/journals")),
    ("POST", f"{ACC}/journals", _new_journal),
    ("PATCH", f"{ACC}/journals/{{journal_id:uuid}}", _journal_patch),
    ("GET", f"{ACC}/entries", fixed(f"{ACC}/entries")),
    ("POST", f"{ACC}/entries", fixed(f"{ACC}/entries", _entry_body(True))),
    ("GET", f"{ACC}/entries/{{entry_id:uuid}}", _draft),
    ("PUT", f"{ACC}/entries/{{entry_id:uuid}}", _draft_put),
    ("DELETE", f"{ACC}/entries/{{entry_id:uuid}}", _draft),
    ("POST", f"{ACC}/entries/{{entry_id:uuid}}/post", _draft_post),
    ("POST", f"{ACC}/entries/{{entry_id:uuid}}/reverse", _reverse),
    ("GET", f"{ACC}/rates", fixed(f"{ACC}/rates")),
    (
        "POST",
        f"{ACC}/rates",
        fixed(f"{ACC}/rates", {"currency": "USD", "date": TODAY, "rate": "7.1"}),
    ),
    (
        "POST",
        f"{ACC}/rates/import",
        fixed(f"{ACC}/rates/import", {"content": f"currency,date,rate\nJPY,{TODAY},0.047\n"}),
    ),
    ("DELETE", f"{ACC}/rates/{{rate_id:uuid}}", _rate),
    ("GET", f"{ACC}/taxes", fixed(f"{ACC}/taxes")),
    ("POST", f"{ACC}/taxes", _new_tax),
    ("GET", f"{ACC}/taxes/{{tax_id:uuid}}", _tax_get),
    ("PATCH", f"{ACC}/taxes/{{tax_id:uuid}}", _tax_patch),
    (
        "POST",
        f"{ACC}/taxes/compute",
        fixed(f"{ACC}/taxes/compute", {"amount": "110", "currency": "CNY", "taxes": ["VAT-S"]}),
    ),
    ("GET", f"{REPORTS}/trial-balance", fixed(f"{REPORTS}/trial-balance?{PERIOD}")),
    (
        "GET",
        f"{REPORTS}/trial-balance/export",
        fixed(f"{REPORTS}/trial-balance/export?{PERIOD}&format=xlsx"),
    ),
    ("GET", f"{REPORTS}/profit-and-loss", fixed(f"{REPORTS}/profit-and-loss?{PERIOD}")),
    (
        "GET",
        f"{REPORTS}/profit-and-loss/export",
        fixed(f"{REPORTS}/profit-and-loss/export?{PERIOD}&format=pdf"),
    ),
    ("GET", f"{REPORTS}/balance-sheet", fixed(f"{REPORTS}/balance-sheet?date_to={TODAY}")),
    (
        "GET",
        f"{REPORTS}/balance-sheet/export",
        fixed(f"{REPORTS}/balance-sheet/export?date_to={TODAY}&format=xlsx"),
    ),
    ("GET", f"{REPORTS}/general-ledger/{{account_id:uuid}}", _ledger),
    ("GET", f"{REPORTS}/general-ledger/{{account_id:uuid}}/export", _ledger_file),
]
