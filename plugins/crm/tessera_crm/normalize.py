"""Keys that make duplicates findable: the same company, address or number written differently."""

from __future__ import annotations

import re

#: Legal forms dropped from company names before comparing them.
_LEGAL_FORMS = {
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "gmbh", "ag", "sa", "sas",
    "sarl", "bv", "nv", "srl", "spa", "oy", "ab", "as", "co", "corp", "corporation", "company",
    "pty", "kk",
}  # fmt: skip
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def company_key(name: str) -> str:
    """``"ACME, Inc."`` and ``"Acme"`` compare equal."""
    words = [w for w in _WORD.findall(name.casefold()) if w not in _LEGAL_FORMS]
    return " ".join(words) or name.casefold().strip()


def email_key(email: str | None) -> str | None:
    return email.strip().casefold() if email and email.strip() else None


def phone_key(phone: str | None) -> str | None:
    """Digits only, without a leading international 00 (``+1 (555) 010-0000`` → ``15550100000``)."""
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("00"):
        digits = digits[2:]
    return digits or None
