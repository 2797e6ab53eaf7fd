"""Generated requests against every operation of the OpenAPI schema: none may end in a 500.

Schemathesis reads the live server's own schema and generates requests for each operation,
valid ones and deliberately invalid ones (wrong types, missing fields, odd strings, boundary
numbers), sent as the owner of a fresh tenant with every test module, the CRM and the OA on.
The operations are shared out over a few tests, for parallel workers to run side by side.
Whatever arrives, the answer must be a deliberate one: never a server error.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from tests.support import PASSWORD, LiveServer

EXAMPLES_PER_MODE = 15
#: The operations are split into this many tests, so parallel workers share them.
SHARDS = 4


def _owner_token(live_server: LiveServer) -> dict[str, str]:
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        slug = f"fuzz-{uuid.uuid4().hex[:10]}"
        signed_up = client.post(
            "/api/v1/signup",
            json={
                "company_name": "Fuzz",
                "slug": slug,
                "name": "Fuzz Owner",
                "email": f"{slug}@example.com",
                "password": PASSWORD,
            },
        )
        csrf = {"X-CSRF-Token": signed_up.json()["csrf_token"]}
        client.post("/api/v1/modules/pins/enable", json={"with_dependencies": True}, headers=csrf)
        client.post("/api/v1/modules/crm/enable", headers=csrf)
        client.post("/api/v1/modules/oa/enable", headers=csrf)
        token = client.post("/api/v1/tokens", json={"name": "fuzz"}, headers=csrf)
        return {"Authorization": f"Bearer {token.json()['secret']}"}


def _operations(live_server: LiveServer) -> list[Any]:
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/docs/openapi.json")
    results = list(schema.get_all_operations())
    assert all(isinstance(r, Ok) for r in results), "the schema describes every operation"
    return [r.ok() for r in results if isinstance(r, Ok)]


@pytest.mark.timeout(600)
@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_generated_request_ends_in_a_server_error(
    live_server: LiveServer, mode: GenerationMode, shard: int
) -> None:
    headers = _owner_token(live_server)
    operations = _operations(live_server)
    assert len(operations) > 40, "the schema lists every route"
    mine = operations[shard::SHARDS]
    failures: list[str] = []
    fuzzed = 0
    for operation in mine:

        @given(case=operation.as_strategy(generation_mode=mode))
        # Derandomised: the suite gates every merge, so the same examples run every time;
        # explore new ones locally with TESSERA_FUZZ_RANDOM=1.
        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            database=None,
            derandomize=not os.environ.get("TESSERA_FUZZ_RANDOM"),
            suppress_health_check=list(HealthCheck),
        )
        def send(case: Any) -> None:
            case.call_and_validate(
                base_url=live_server.url, headers=headers, checks=[not_a_server_error]
            )

        try:
            send()
        except Unsatisfiable:
            # Nothing in this operation can be made invalid (no parameters, no body).
            assert mode is GenerationMode.NEGATIVE, operation.label
            continue
        except Exception as exc:  # a failure names the request; gather them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
        fuzzed += 1
    assert failures == [], "\n\n".join(failures)
    assert fuzzed > len(mine) // 2, f"only {fuzzed} of {len(mine)} operations could be fuzzed"
