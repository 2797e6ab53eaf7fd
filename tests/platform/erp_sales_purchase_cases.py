"""The permission matrix's cases for the sales_purchase module (tests/platform/test_permissions.py adds
them to its own). Each builds a valid request for the person under test (see
oa_expense_cases.py for the shape); the scene's tenant has every ERP module enabled."""

from __future__ import annotations

from typing import Any

SALES_PURCHASE_CASES: list[tuple[str, str, Any]] = []
