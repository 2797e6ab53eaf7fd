"""Identity, as a user meets it: signing in and out, tokens, invitations, email links.

Each test reads as a specification and makes its own tenants, so tests run in parallel.
"""

from __future__ import annotations

import httpx

from tests.support import (
    PASSWORD,
    LiveServer,
    SignedUp,
    invite,
    make_client,
    sign_up,
    unique_email,
    unique_slug,
)

NEW_PASSWORD = "a new and much better passphrase"


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/auth/login", json={"email": email, "password": password})


async def new_token(owner: SignedUp, name: str = "ci") -> tuple[str, str]:
    """Create an API token as ``owner``: its id and its secret."""
    response = await owner.post("/api/v1/tokens", json={"name": name})
    assert response.status_code == 201, response.text
    body = response.json()
    return body["token"]["id"], body["secret"]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


# --- Signing in and out ----------------------------------------------------------------------


async def test_log_in_then_log_out_clears_the_cookie_and_ends_the_session(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as setup:
        owner = await sign_up(setup)
    async with make_client(live_server) as client:
        response = await log_in(client, owner.email, PASSWORD)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["user"]["email"] == owner.email
        assert body["tenant"]["slug"] == owner.slug
        cookie = client.cookies.get("tessera_session")
        assert cookie
        assert (await client.get("/api/v1/me")).json()["auth"] == "session"

        out = await client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": body["csrf_token"]})
        assert out.status_code == 200, out.text
        assert client.cookies.get("tessera_session") is None
        assert client.cookies.get("tessera_csrf") is None
        assert_problem(await client.get("/api/v1/me"), 401)

    # The session is gone on the server too, not only from the browser.
    async with make_client(live_server, cookies={"tessera_session": cookie}) as replay:
        assert_problem(await replay.get("/api/v1/me"), 401)


async def test_log_in_with_a_wrong_password_is_401(live_server: LiveServer) -> None:
    async with make_client(live_server) as setup:
        owner = await sign_up(setup)
    async with make_client(live_server) as client:
        body = assert_problem(await log_in(client, owner.email, "not the password at all"), 401)
        assert "tessera_session" not in client.cookies
        assert body["detail"] == "The email or password is not correct."
        # An unknown email gets the very same answer: no probing for accounts.
        unknown = assert_problem(await log_in(client, unique_email(), "whatever-whatever"), 401)
        assert unknown["detail"] == body["detail"]


async def test_log_in_is_throttled_per_email_after_five_failures(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as setup:
        owner = await sign_up(setup)
    # Every attempt comes from another address, so only the per-email limit can trip.
    for _ in range(live_server.settings.login_max_failures_per_email):
        async with make_client(live_server) as client:
            assert_problem(await log_in(client, owner.email, "wrong password!"), 401)
    async with make_client(live_server) as client:
        refused = await log_in(client, owner.email, "wrong password!")
        assert_problem(refused, 429)
        retry_after = int(refused.headers["retry-after"])
        assert 1 <= retry_after <= live_server.settings.login_window_seconds + 1
        # While throttled even the right password is refused: guessing gains nothing.
        assert_problem(await log_in(client, owner.email, PASSWORD), 429)
        assert "tessera_session" not in client.cookies
    # Another account is not affected.
    async with make_client(live_server) as other_client:
        other = await sign_up(other_client)
        assert (await log_in(other_client, other.email, PASSWORD)).status_code == 200


async def test_csrf_is_required_with_the_session_cookie_but_not_with_a_bearer_token(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        without = await client.post("/api/v1/tokens", json={"name": "no csrf"})
        assert_problem(without, 403)
        wrong = await client.post(
            "/api/v1/tokens", json={"name": "bad csrf"}, headers={"X-CSRF-Token": "nope"}
        )
        assert_problem(wrong, 403)
        _, secret = await new_token(owner)  # with the right header it works
        listed = (await client.get("/api/v1/tokens")).json()["items"]
        assert [t["name"] for t in listed] == ["ci"]

    async with make_client(live_server, headers=bearer(secret)) as api:
        invited = await api.post("/api/v1/invitations", json={"email": unique_email()})
        assert invited.status_code == 201, invited.text


# --- API tokens -------------------------------------------------------------------------------


async def test_an_api_token_is_shown_once_used_as_bearer_and_revoked(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        created = await owner.post("/api/v1/tokens", json={"name": "deploy bot"})
        assert created.status_code == 201, created.text
        token, secret = created.json()["token"], created.json()["secret"]
        assert secret.startswith("tsk_")
        assert token["hint"] == secret[-4:]
        assert token["last_used_at"] is None

        listing = await client.get("/api/v1/tokens")
        assert secret not in listing.text
        (listed,) = listing.json()["items"]
        assert "secret" not in listed
        assert listed["id"] == token["id"]

        async with make_client(live_server, headers=bearer(secret)) as api:
            me = (await api.get("/api/v1/me")).json()
            assert me["auth"] == "token"
            assert me["user"]["id"] == owner.user_id
            assert me["tenant"]["id"] == owner.tenant_id
            assert me["csrf_token"] is None

            (used,) = (await client.get("/api/v1/tokens")).json()["items"]
            assert used["last_used_at"] is not None

            revoked = await owner.delete(f"/api/v1/tokens/{token['id']}")
            assert revoked.status_code == 200, revoked.text
            assert revoked.json()["revoked_at"] is not None
            assert_problem(await api.get("/api/v1/me"), 401)


async def test_an_api_token_cannot_create_api_tokens(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        _, secret = await new_token(owner)
        async with make_client(live_server, headers=bearer(secret)) as api:
            assert_problem(await api.post("/api/v1/tokens", json={"name": "child"}), 403)
        assert len((await client.get("/api/v1/tokens")).json()["items"]) == 1


async def test_token_list_pages_walk_every_token_exactly_once(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        created = [(await new_token(owner, f"token {n}"))[0] for n in range(5)]

        seen: list[str] = []
        sizes: list[int] = []
        cursor: str | None = None
        for _ in range(10):  # a bound, in case next_cursor never ends
            params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
            page = await client.get("/api/v1/tokens", params=params)
            assert page.status_code == 200, page.text
            body = page.json()
            sizes.append(len(body["items"]))
            seen.extend(item["id"] for item in body["items"])
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert sizes == [2, 2, 1]
        assert seen == created  # in creation order, none twice, none missed


# --- Invitations ------------------------------------------------------------------------------


async def test_an_invited_newcomer_accepts_with_a_name_and_password_and_is_signed_in(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        invited = await invite(live_server, owner, role="admin")
        (mail,) = live_server.mail_to(invited.email)
        assert f"invited you to Company {owner.slug}" in mail["subject"]
        assert "/invitations/accept?token=" in mail["link"]

        async with make_client(live_server) as newcomer:
            accepted = await newcomer.post(
                "/api/v1/invitations/accept",
                json={"token": invited.token, "name": "New Person", "password": NEW_PASSWORD},
            )
            assert accepted.status_code == 200, accepted.text
            body = accepted.json()
            assert body["tenant"] == {
                "id": owner.tenant_id,
                "slug": owner.slug,
                "name": f"Company {owner.slug}",
                "role": "admin",
            }
            assert body["user"]["email"] == invited.email
            assert body["user"]["email_verified"] is True  # the link proved the mailbox
            me = (await newcomer.get("/api/v1/me")).json()
            assert me["tenant"]["id"] == owner.tenant_id
            assert me["user"]["name"] == "New Person"

        members = (await client.get("/api/v1/members")).json()["items"]
        assert sorted((m["email"], m["role"]) for m in members) == sorted(
            [(owner.email, "owner"), (invited.email, "admin")]
        )
        (listed,) = (await client.get("/api/v1/invitations")).json()["items"]
        assert listed["status"] == "accepted"

    async with make_client(live_server) as again:
        assert (await log_in(again, invited.email, NEW_PASSWORD)).status_code == 200


async def test_an_invited_existing_user_must_give_their_own_password(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as a_client, make_client(live_server) as b_client:
        owner = await sign_up(a_client)
        existing = await sign_up(b_client)
        invited = await invite(live_server, owner, email=existing.email)

        async with make_client(live_server) as visitor:
            wrong = await visitor.post(
                "/api/v1/invitations/accept",
                json={"token": invited.token, "password": "not their password"},
            )
            assert_problem(wrong, 401)
            assert "tessera_session" not in visitor.cookies
            # A name does not make a second account for an address that has one.
            right = await visitor.post(
                "/api/v1/invitations/accept",
                json={"token": invited.token, "password": PASSWORD, "name": "Ignored"},
            )
            assert right.status_code == 200, right.text
            assert right.json()["user"]["id"] == existing.user_id
            assert right.json()["tenant"]["role"] == "member"

        tenants = (await b_client.get("/api/v1/me/tenants")).json()
        assert {t["slug"] for t in tenants} == {owner.slug, existing.slug}


async def test_a_member_who_is_not_an_admin_cannot_invite(live_server: LiveServer) -> None:
    async with make_client(live_server) as client, make_client(live_server) as member_client:
        owner = await sign_up(client)
        invited = await invite(live_server, owner, role="member")
        accepted = await member_client.post(
            "/api/v1/invitations/accept",
            json={"token": invited.token, "name": "Mia Member", "password": NEW_PASSWORD},
        )
        assert accepted.status_code == 200, accepted.text
        csrf = {"X-CSRF-Token": accepted.json()["csrf_token"]}
        refused = await member_client.post(
            "/api/v1/invitations", json={"email": unique_email()}, headers=csrf
        )
        assert_problem(refused, 403)
        assert_problem(await member_client.get("/api/v1/invitations"), 403)
        assert len((await client.get("/api/v1/invitations")).json()["items"]) == 1


async def test_a_revoked_invitation_cannot_be_accepted(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        invited = await invite(live_server, owner)
        revoked = await owner.delete(f"/api/v1/invitations/{invited.id}")
        assert revoked.status_code == 200, revoked.text
        assert revoked.json()["status"] == "revoked"

    async with make_client(live_server) as visitor:
        gone = await visitor.post(
            "/api/v1/invitations/accept",
            json={"token": invited.token, "name": "Too Late", "password": NEW_PASSWORD},
        )
        assert_problem(gone, 410)
        assert_problem(await log_in(visitor, invited.email, NEW_PASSWORD), 401)


async def test_a_user_in_two_tenants_lists_both_and_switches_between_them(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as a_client, make_client(live_server) as b_client:
        first = await sign_up(a_client)
        second = await sign_up(b_client)
        invited = await invite(live_server, second, email=first.email)
        joined = await a_client.post(
            "/api/v1/invitations/accept", json={"token": invited.token, "password": PASSWORD}
        )
        assert joined.status_code == 200, joined.text
        csrf = {"X-CSRF-Token": joined.json()["csrf_token"]}

        tenants = (await a_client.get("/api/v1/me/tenants")).json()
        assert [(t["slug"], t["role"]) for t in tenants] == [
            (first.slug, "owner"),
            (second.slug, "member"),
        ]
        # Accepting signed the user in to the tenant they joined.
        assert (await a_client.get("/api/v1/me")).json()["tenant"]["slug"] == second.slug

        switched = await a_client.post(
            "/api/v1/me/tenant", json={"tenant": first.slug}, headers=csrf
        )
        assert switched.status_code == 200, switched.text
        assert switched.json()["slug"] == first.slug
        me = (await a_client.get("/api/v1/me")).json()
        assert me["tenant"]["slug"] == first.slug
        assert {t["slug"] for t in me["tenants"]} == {first.slug, second.slug}
        # Working in the first tenant shows the first tenant's members only.
        members = (await a_client.get("/api/v1/members")).json()["items"]
        assert [m["email"] for m in members] == [first.email]

        # A tenant the user does not belong to is not there to switch to, and the session
        # stays where it was.
        async with make_client(live_server) as c_client:
            stranger = await sign_up(c_client)
        refused = await a_client.post(
            "/api/v1/me/tenant", json={"tenant": stranger.slug}, headers=csrf
        )
        assert_problem(refused, 404)
        assert (await a_client.get("/api/v1/me")).json()["tenant"]["slug"] == first.slug


# --- Links sent by email ----------------------------------------------------------------------


async def test_the_email_verification_link_works_once(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        assert (await client.get("/api/v1/me")).json()["user"]["email_verified"] is False
        token = live_server.last_link_token(owner.email)

        async with make_client(live_server) as anywhere:  # the link works in any browser
            verified = await anywhere.post("/api/v1/auth/verify-email", json={"token": token})
            assert verified.status_code == 200, verified.text
            assert verified.json()["email_verified"] is True
            again = await anywhere.post("/api/v1/auth/verify-email", json={"token": token})
            assert_problem(again, 410)
        assert (await client.get("/api/v1/me")).json()["user"]["email_verified"] is True


async def test_password_reset_changes_the_password_and_ends_every_session(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        unknown = unique_email("nobody")
        async with make_client(live_server) as visitor:
            for email in (owner.email, unknown):
                asked = await visitor.post(
                    "/api/v1/auth/password-reset/request", json={"email": email}
                )
                assert asked.status_code == 202, asked.text
            assert live_server.mail_to(unknown) == []
            newest = live_server.mail_to(owner.email)[0]
            assert "/reset-password?token=" in newest["link"]
            token = live_server.last_link_token(owner.email)

            reset = await visitor.post(
                "/api/v1/auth/password-reset", json={"token": token, "password": NEW_PASSWORD}
            )
            assert reset.status_code == 200, reset.text
            reused = await visitor.post(
                "/api/v1/auth/password-reset", json={"token": token, "password": "yet another one!"}
            )
            assert_problem(reused, 410)

        # The session that was open before the reset has ended.
        assert_problem(await client.get("/api/v1/me"), 401)

    async with make_client(live_server) as fresh:
        assert_problem(await log_in(fresh, owner.email, PASSWORD), 401)
        assert (await log_in(fresh, owner.email, NEW_PASSWORD)).status_code == 200


# --- Signing up -------------------------------------------------------------------------------


async def test_sign_up_with_an_existing_email_needs_that_accounts_password(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)

    async with make_client(live_server) as visitor:
        body = {
            "company_name": "Second Company",
            "slug": unique_slug(),
            "name": "Someone Else",
            "email": owner.email.upper(),
            "password": "an impostor's guess",
        }
        assert_problem(await visitor.post("/api/v1/signup", json=body), 401)
        assert "tessera_session" not in visitor.cookies

        created = await visitor.post("/api/v1/signup", json={**body, "password": PASSWORD})
        assert created.status_code == 201, created.text
        assert created.json()["new_account"] is False
        assert created.json()["user"]["id"] == owner.user_id
        assert created.json()["tenant"]["role"] == "owner"
        tenants = (await visitor.get("/api/v1/me/tenants")).json()
        assert {t["slug"] for t in tenants} == {owner.slug, body["slug"]}
        assert {t["role"] for t in tenants} == {"owner"}


async def test_sign_up_with_a_taken_slug_is_409(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
    async with make_client(live_server) as visitor:
        email = unique_email()
        taken = await visitor.post(
            "/api/v1/signup",
            json={
                "company_name": "Copycat",
                "slug": owner.slug,
                "name": "Copy Cat",
                "email": email,
                "password": PASSWORD,
            },
        )
        assert_problem(taken, 409)
        assert "tessera_session" not in visitor.cookies
        # Nothing of the attempt was kept: no account, no mail for the address.
        assert (await log_in(visitor, email, PASSWORD)).status_code == 401
        assert live_server.mail_to(email) == []


async def test_sign_up_with_an_existing_email_is_throttled_like_log_in(
    live_server: LiveServer,
) -> None:
    """Otherwise sign-up would be a way to guess an account's password without limit."""
    async with make_client(live_server) as first, make_client(live_server) as attacker:
        owner = await sign_up(first)
        statuses = []
        for attempt in range(6):
            response = await attacker.post(
                "/api/v1/signup",
                json={
                    "company_name": "Guess Co",
                    "slug": unique_slug("guess"),
                    "name": "Guesser",
                    "email": owner.email,
                    "password": f"wrong password {attempt}",
                },
            )
            statuses.append(response.status_code)
        assert statuses == [401] * 5 + [429]
        assert "retry-after" in response.headers


SLUG_CHECK = "/api/v1/signup/slug-availability"


def fields_of(problem: dict[str, object]) -> list[str]:
    errors = problem.get("errors")
    assert isinstance(errors, list)
    return [str(error["field"]) for error in errors]


async def check_slug(client: httpx.AsyncClient, slug: str) -> dict[str, object]:
    response = await client.get(SLUG_CHECK, params={"slug": slug})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body: dict[str, object] = response.json()
    assert body["slug"] == slug
    return body


async def test_the_slug_check_says_free_then_taken_once_a_company_signs_up_with_it(
    live_server: LiveServer,
) -> None:
    slug = unique_slug("check")
    async with make_client(live_server) as visitor:
        # No session needed: the sign-up form asks before anyone has an account.
        free = await check_slug(visitor, slug)
        assert free == {"slug": slug, "available": True, "reason": None, "detail": None}
        assert "tessera_session" not in visitor.cookies

        await sign_up(visitor, slug=slug)
        taken = await check_slug(visitor, slug)
        assert taken["available"] is False
        assert taken["reason"] == "taken"


async def test_the_slug_check_names_a_reserved_slug(live_server: LiveServer) -> None:
    async with make_client(live_server) as visitor:
        for slug in ("admin", "api", "www"):
            body = await check_slug(visitor, slug)
            assert body["available"] is False
            assert body["reason"] == "reserved"
            assert "reserved" in str(body["detail"])


async def test_the_slug_check_explains_a_slug_that_breaks_the_format(
    live_server: LiveServer,
) -> None:
    async with make_client(live_server) as visitor:
        for slug, words in (
            ("ab", "3 to 40"),
            ("-acme", "starting and ending"),
            ("acme-", "starting and ending"),
            ("acme--corp", "two hyphens"),
        ):
            body = await check_slug(visitor, slug)
            assert body["available"] is False
            assert body["reason"] == "invalid"
            assert words in str(body["detail"])


async def test_the_slug_check_agrees_with_sign_up(live_server: LiveServer) -> None:
    """What the check calls free, sign-up takes; what it refuses, sign-up refuses too."""
    async with make_client(live_server) as visitor:
        for slug, signup_status in (("acme--corp", 422), ("status", 422), (unique_slug(), 201)):
            verdict = await check_slug(visitor, slug)
            attempt = await visitor.post(
                "/api/v1/signup",
                json={
                    "company_name": "Agreeing Co",
                    "slug": slug,
                    "name": "Agnes",
                    "email": unique_email(),
                    "password": PASSWORD,
                },
            )
            assert attempt.status_code == signup_status, attempt.text
            assert verdict["available"] is (signup_status == 201)


async def test_the_slug_check_refuses_what_no_slug_could_be(live_server: LiveServer) -> None:
    async with make_client(live_server) as visitor:
        missing = assert_problem(await visitor.get(SLUG_CHECK), 400)
        assert fields_of(missing) == ["slug"]
        for bad in ("a" * 41, "Acme", "acme_co", "acme co", "caf\u00e9", ""):
            problem = assert_problem(await visitor.get(SLUG_CHECK, params={"slug": bad}), 422)
            assert fields_of(problem) == ["slug"], bad


async def test_reset_links_cannot_flood_an_inbox(live_server: LiveServer) -> None:
    async with make_client(live_server) as client:
        owner = await sign_up(client)
        statuses = []
        for _ in range(6):
            response = await client.post(
                "/api/v1/auth/password-reset/request", json={"email": owner.email}
            )
            statuses.append(response.status_code)
        assert statuses == [202] * 5 + [429]
        assert (
            len([m for m in live_server.mail_to(owner.email) if "reset" in m["subject"].lower()])
            == 5
        )
