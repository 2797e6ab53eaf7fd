"""Record facts: a few figures other modules know about a record, shown on its page.

A CRM account's page shows what the ERP knows of that customer — receivables, how much is
overdue — without either module importing the other: the module that shows the record serves
``record_facts`` at its own route (after checking the member may see the record), and every
enabled module that knows something contributes through the ``tessera_record_facts`` hook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tessera.plugin.timeline import DOTTED_NAME, MAX_RECORD_ID

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from tessera.identity.service import Actor
    from tessera.modules.texts import Texts

TONES = ("normal", "good", "warning", "danger")


@dataclass(frozen=True, slots=True)
class RecordFact:
    """``RecordFact("Overdue", "1,200.00 CNY", tone="danger")``.

    ``label`` is one of the plugin's ``UI.messages``: the platform translates it into the
    member's language through the plugin's catalogue. ``value`` is shown as given (format
    amounts with their currency). ``record_type``/``record_id`` make it a link.
    """

    label: str
    value: str
    tone: str = "normal"
    record_type: str | None = None
    record_id: str | None = None
    #: The module that contributed the fact; the platform sets it, whatever the plugin says.
    module: str = ""

    def __post_init__(self) -> None:
        if not self.label.strip() or len(self.label) > 100:
            raise ValueError("RecordFact.label must be 1 to 100 characters")
        if len(self.value) > 200:
            raise ValueError("RecordFact.value must be at most 200 characters")
        if self.tone not in TONES:
            raise ValueError(f"RecordFact.tone must be one of {', '.join(TONES)}")
        if (self.record_type is None) != (self.record_id is None):
            raise ValueError("RecordFact links with both record_type and record_id, or neither")
        if self.record_type is not None and not DOTTED_NAME.fullmatch(self.record_type):
            raise ValueError("RecordFact.record_type must look like 'module.record'")
        if self.record_id is not None and not 0 < len(self.record_id) <= MAX_RECORD_ID:
            raise ValueError(f"RecordFact.record_id must be 1 to {MAX_RECORD_ID} characters")


async def record_facts(
    db: AsyncSession, actor: Actor, record_type: str, record_id: str, texts: Texts
) -> list[RecordFact]:
    """What the actor's enabled modules say about the record, labels in the member's language.

    Call it from the route that shows the record, once the actor may see it; contributors
    apply their own rules on top.
    """
    # Imported here: the registry imports this package's declarations while it loads.
    from tessera.modules.registry import installed_plugins

    return await installed_plugins().record_facts(db, actor, record_type, record_id, texts)
