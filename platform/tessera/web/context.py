"""Per-request dependencies: the unit of work, the signed-in actor, CSRF, JSON-only bodies."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException

from tessera.access.catalog import CORE_TRANSLATIONS
from tessera.audit import capture as audit
from tessera.db.engine import Database
from tessera.errors import Forbidden, NotFound, Unauthenticated
from tessera.identity.api_tokens import actor_from_token
from tessera.identity.service import Actor, act_as, actor_from_session
from tessera.mail.service import Mailer, deliver
from tessera.modules.registry import MODULE_OPT, PluginRegistry
from tessera.modules.texts import Texts
from tessera.recycle.capture import set_retention
from tessera.security.secrets import same_text
from tessera.security.signed import SignedTokens
from tessera.settings import Settings
from tessera.unit_of_work import Origin, UnitOfWork

SESSION_COOKIE = "tessera_session"
CSRF_COOKIE = "tessera_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: A route's ``opt`` key naming the permission it needs (see :func:`requires`).
REQUIRES = "requires"
#: A route's ``opt`` key marking it a hot read (see :func:`requires`).
HOT_READ = "hot_read"


def requires(permission: str) -> dict[str, Any]:
    """Route option: the caller must hold ``permission``. ``@get("/", opt=requires("x.y.read"))``."""
    return {REQUIRES: permission}


def hot_read() -> dict[str, Any]:
    """Route option for a read that only uses :meth:`UnitOfWork.fetch`: it runs on a plain
    driver connection, without an ORM session. ``opt=requires("x.y.read") | hot_read()``.

    For the few endpoints a screen loads all day; measure before marking one.
    """
    return {HOT_READ: True}


#: Handler parameter types: ``uow: Uow`` gets the request's unit of work, ``actor: Member``
#: the signed-in member of the current tenant, ``user_actor: SignedIn`` any signed-in user.
Uow = NamedDependency[UnitOfWork]
Member = NamedDependency[Actor]
SignedIn = NamedDependency[Actor]
#: ``texts: Language`` gets the texts of the language the request asks for (``Accept-Language``).
Language = NamedDependency[Texts]


@dataclass(frozen=True, slots=True)
class Services:
    """What the app holds for its lifetime; kept in ``app.state.services``."""

    settings: Settings
    database: Database
    signer: SignedTokens
    mailer: Mailer
    registry: PluginRegistry


def services_of(state: State) -> Services:
    services: Services = state.services
    return services


#: ``scope["state"]`` key of the open unit of work's exit, for :func:`close_abandoned_uow`.
UOW_EXIT = "tessera.uow_exit"


async def provide_uow(
    request: Request[Any, Any, Any], state: State
) -> AsyncGenerator[UnitOfWork, None]:
    """One transaction per request: committed when the handler returns, rolled back if it raises.

    Mail queued during the request goes out only after the commit. A hot read (a route marked
    ``hot_read()``, signed in by session) gets a plain driver connection
    instead of an ORM session: see :meth:`UnitOfWork.fetch`.

    Litestar drops this generator unclosed when a dependency resolved after it fails (a
    query parameter of a later dependency refused, say): the transaction would stay open,
    its locks held, until the garbage collector got to it. Its exit is therefore also left in
    the request's state, for the request middleware to roll back (:func:`close_abandoned_uow`).
    """
    services = services_of(state)
    exit_stack = AsyncExitStack()
    request_state: dict[str, Any] = request.scope.setdefault("state", {})
    request_state[UOW_EXIT] = exit_stack
    try:
        uow = await _open_uow(request, services, exit_stack)
        yield uow
    except BaseException as exc:
        request_state.pop(UOW_EXIT, None)
        await exit_stack.__aexit__(type(exc), exc, exc.__traceback__)
        raise
    request_state.pop(UOW_EXIT, None)
    await exit_stack.aclose()
    await deliver(services.mailer, uow.mail)


async def _open_uow(
    request: Request[Any, Any, Any], services: Services, exit_stack: AsyncExitStack
) -> UnitOfWork:
    if request.route_handler.opt.get(HOT_READ) and "authorization" not in request.headers:
        connection = await exit_stack.enter_async_context(services.database.read_connection())
        return UnitOfWork(
            db=NO_SESSION,
            settings=services.settings,
            signer=services.signer,
            side_transaction=services.database.transaction,
            origin=_origin(request),
            driver=connection,
        )
    db = await exit_stack.enter_async_context(services.database.transaction())
    uow = UnitOfWork(
        db=db,
        settings=services.settings,
        signer=services.signer,
        side_transaction=services.database.transaction,
        origin=_origin(request),
    )
    set_retention(db.sync_session, services.settings.recycle_days)
    audit.set_context(
        db.sync_session,
        audit.AuditContext(
            actor_kind="anonymous",
            request_id=uow.origin.request_id,
            ip=uow.origin.ip,
            user_agent=uow.origin.user_agent,
        ),
    )
    return uow


async def close_abandoned_uow(state: dict[str, Any]) -> None:
    """Roll back a unit of work its request left open (see :func:`provide_uow`)."""
    exit_stack = state.pop(UOW_EXIT, None)
    if exit_stack is not None:
        abandoned = RuntimeError("the request ended with its unit of work still open")
        await exit_stack.__aexit__(RuntimeError, abandoned, None)


class _NoSession:
    """The ``db`` of a hot read: it has none, and says so if a handler reaches for it."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(
            "A hot read (opt=... | hot_read()) has no ORM session: use uow.fetch, "
            "or drop hot_read from the route."
        )


NO_SESSION: Any = _NoSession()


def _origin(request: Request[Any, Any, Any]) -> Origin:
    return Origin(
        request_id=request.state.get("request_id", ""),
        ip=request.state.get("client_ip"),
        user_agent=request.headers.get("user-agent"),
    )


async def provide_texts(request: Request[Any, Any, Any], state: State) -> Texts:
    return Texts.negotiate(
        request.headers.get("accept-language"),
        services_of(state).registry.catalogues(),
        CORE_TRANSLATIONS,
    )


async def provide_user(request: Request[Any, Any, Any], uow: Uow) -> Actor:
    """The signed-in user (session cookie or bearer token); 401 if there is none."""
    actor = await _authenticate(request, uow)
    if actor.via == "session" and request.method not in SAFE_METHODS:
        _check_csrf(request, actor)
    if uow.driver is None:
        act_as(uow, actor.user_id, actor.token_id)
        # A session's user was known before the tenant was set and went with it; a token's
        # user is known only now. Send it before anything is written, flush or not.
        await uow.db.run_sync(audit.sync_context)
    _check_module(request, actor)
    if permission := request.route_handler.opt.get(REQUIRES):
        actor.require(permission)
    return actor


def _check_module(request: Request[Any, Any, Any], actor: Actor) -> None:
    """A plugin's route exists only for tenants that enabled the plugin: otherwise 404."""
    module = request.route_handler.opt.get(MODULE_OPT)
    if module is None:
        return
    if module not in actor.modules:
        raise NotFound(f"Nothing is at {request.url.path}.")


async def provide_actor(request: Request[Any, Any, Any], user_actor: SignedIn) -> Actor:
    """The signed-in user as a member of their current tenant; 403 without one."""
    user_actor.require_member()
    return user_actor


async def _authenticate(request: Request[Any, Any, Any], uow: UnitOfWork) -> Actor:
    authorization = request.headers.get("authorization")
    if authorization is not None:
        scheme, _, credentials = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise Unauthenticated("Use 'Authorization: Bearer <API token>'.")
        actor = await actor_from_token(uow.db, credentials.strip())
        if actor is None:
            raise Unauthenticated("The API token is not valid, has expired or was revoked.")
        return actor
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        actor = await actor_from_session(uow, cookie)
        if actor is not None:
            return actor
        raise Unauthenticated("Your session has ended; sign in again.")
    raise Unauthenticated("Sign in, or send an API token.")


def _check_csrf(request: Request[Any, Any, Any], actor: Actor) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if not sent or actor.csrf_token is None or not same_text(sent, actor.csrf_token):
        raise Forbidden(
            "The CSRF token is missing or wrong: send the X-CSRF-Token header with the "
            "csrf_token of your session."
        )


async def check_request(request: Request[Any, Any, Any]) -> None:
    """What every request must be before any handler sees it.

    No NUL character in the path or query: PostgreSQL cannot store or compare one, so it would
    surface as a database error instead of the client's mistake.

    A state-changing request with a body must say it is JSON. Browsers send cross-site form
    posts as form or text types without a CORS preflight; insisting on ``application/json``
    keeps those away from the endpoints that work without a session (sign-up, log-in), where
    there is no CSRF token to check yet.
    """
    query = request.scope.get("query_string", b"").lower()
    if b"%00" in query or b"\x00" in query or "\x00" in request.url.path:
        raise HTTPException(status_code=400, detail="The URL contains a NUL character.")
    if request.method in SAFE_METHODS:
        return
    length = request.headers.get("content-length")
    chunked = request.headers.get("transfer-encoding", "").lower() == "chunked"
    if not chunked and (length is None or length.strip() == "0"):
        return
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json":
        raise HTTPException(status_code=415, detail="Send the request body as application/json.")
