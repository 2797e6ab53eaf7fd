"""The ledger's permissions: owners and admins hold them all by default; a custom role gives
a bookkeeper posting without the settings, or an auditor the reports alone."""

from __future__ import annotations

from tessera.plugin import Permission
from tessera_accounting.models import MANAGE, POST, READ, REPORT

PERMISSIONS = (
    Permission(READ, "See the chart of accounts, journals, journal entries, taxes and rates"),
    Permission(POST, "Write, post and reverse journal entries"),
    Permission(
        MANAGE,
        "Manage the chart of accounts, journals, taxes, exchange rates and accounting settings "
        "(lock date, company currency, account roles)",
    ),
    Permission(REPORT, "See and export the financial reports"),
)
