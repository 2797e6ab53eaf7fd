"""The permissions of generic requests: every member fills in forms; admins design them and
see every request."""

from __future__ import annotations

from tessera.plugin import BUILTIN_ROLES, Permission
from tessera_oa.request_models import FORM_MANAGE, READ, WRITE

PERMISSIONS = (
    Permission(FORM_MANAGE, "Design request forms and their approval workflows; retire forms"),
    # Scoped: the workflow engine checks a submitter reaches the request (their own).
    Permission(
        WRITE,
        "Fill in request forms; submit and withdraw your requests",
        default_roles=BUILTIN_ROLES,
        scoped=True,
    ),
    # Scoped: admins see every request; a custom role may give a manager their team's.
    Permission(READ, "See other members' requests", scoped=True),
)
