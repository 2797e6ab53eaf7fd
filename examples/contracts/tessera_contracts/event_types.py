"""Every event contracts emit, with its payload. Amounts are decimal strings.

Other plugins (and webhooks) may rely on these payloads: keys are only ever added.
"""

from typing import TypedDict

from tessera.plugin import EventType

SIGNED = "contracts.contract.signed"
ACTIVATED = "contracts.contract.activated"
REJECTED = "contracts.contract.rejected"
PAYMENT_RECORDED = "contracts.payment.recorded"


class ContractFacts(TypedDict):
    contract_id: str
    number: str
    account_id: str
    amount: str
    currency: str
    status: str


class PaymentFacts(TypedDict):
    contract_id: str
    number: str
    instalment_id: str
    payment_id: str
    amount: str
    currency: str
    paid_on: str
    #: True when this payment covered what was left of the instalment.
    instalment_paid: bool


EVENT_TYPES = (
    EventType(
        SIGNED,
        "A contract was signed: active at once, or sent for approval above the threshold",
        ContractFacts,
    ),
    EventType(
        ACTIVATED,
        "A contract became active: signed within the threshold, or approved",
        ContractFacts,
    ),
    EventType(REJECTED, "The approval of a signed contract was refused", ContractFacts),
    EventType(
        PAYMENT_RECORDED, "A payment was recorded against a contract's instalment", PaymentFacts
    ),
)
