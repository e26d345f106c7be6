#!/usr/bin/env python3
"""Checks for spec/posthog-organizations.yaml.

Run directly (``python3 tests/spec_valid.py``) or with pytest
(``pytest tests/spec_valid.py``). Needs PyYAML, openapi-spec-validator and
openapi-schema-validator (which pulls in jsonschema and referencing).

Checks:
  (a) the document is valid OpenAPI 3.0 (openapi_spec_validator.validate);
  (b) it has exactly the 40 organization operations, with their methods and paths;
  (c) every operation's security scopes match PostHog's (none on custom actions);
  (d) the PostHog docs seed page (tests/fixtures/seed-organizations-4.txt) agrees with
      the document: scopes, parameters, status codes, and every response example is
      present verbatim in the document and validates against its response schema.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path

import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "posthog-organizations.yaml"
SEED = ROOT / "tests" / "fixtures" / "seed-organizations-4.txt"

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
ORG = "/api/organizations"

# operationId -> (method, path, scope); scope None means no `security` key at all.
EXPECTED = {
    "list": ("get", f"{ORG}/", "organization:read"),
    "create": ("post", f"{ORG}/", "organization:write"),
    "retrieve": ("get", f"{ORG}/{{id}}/", "organization:read"),
    "update": ("put", f"{ORG}/{{id}}/", "organization:write"),
    "partial_update": ("patch", f"{ORG}/{{id}}/", "organization:write"),
    "destroy": ("delete", f"{ORG}/{{id}}/", "organization:write"),
}


def _crud(prefix, collection, item, read, write, actions):
    table = {
        "list": ("get", collection, read),
        "create": ("post", collection, write),
        "retrieve": ("get", item, read),
        "update": ("put", item, write),
        "partial_update": ("patch", item, write),
        "destroy": ("delete", item, write),
    }
    return {f"{prefix}_{a}": table[a] for a in actions}


ALL = ("list", "create", "retrieve", "update", "partial_update", "destroy")
D = f"{ORG}/{{organization_id}}"
EXPECTED.update(_crud("domains", f"{D}/domains/", f"{D}/domains/{{id}}/",
                      "organization:read", "organization:write", ALL))
EXPECTED["domains_scim_token_create"] = ("post", f"{D}/domains/{{id}}/scim/token/", None)
EXPECTED["domains_verify_create"] = ("post", f"{D}/domains/{{id}}/verify/", None)
EXPECTED.update(_crud("invites", f"{D}/invites/", f"{D}/invites/{{id}}/",
                      "organization_member:read", "organization_member:write",
                      ("list", "create", "destroy")))
EXPECTED["invites_bulk_create"] = ("post", f"{D}/invites/bulk/", "organization_member:write")
EXPECTED.update(_crud("members", f"{D}/members/", f"{D}/members/{{user__uuid}}/",
                      "organization_member:read", "organization_member:write",
                      ("list", "update", "partial_update", "destroy")))
EXPECTED["members_scoped_api_keys_retrieve"] = (
    "get", f"{D}/members/{{user__uuid}}/scoped_api_keys/", None)
EXPECTED.update(_crud("proxy_records", f"{D}/proxy_records/", f"{D}/proxy_records/{{id}}/",
                      "organization:read", "organization:write", ALL))
EXPECTED["proxy_records_retry_create"] = ("post", f"{D}/proxy_records/{{id}}/retry/", None)
EXPECTED.update(_crud("roles", f"{D}/roles/", f"{D}/roles/{{id}}/",
                      "organization:read", "organization:write", ALL))
EXPECTED.update(_crud("roles_role_memberships", f"{D}/roles/{{role_id}}/role_memberships/",
                      f"{D}/roles/{{role_id}}/role_memberships/{{id}}/",
                      "organization:read", "organization:write",
                      ("list", "create", "retrieve", "destroy")))

# Seed page section title -> operationId (PostHog's docs call PATCH "Update").
SEED_TITLES = {
    "Update proxy records": "proxy_records_partial_update",
    "Delete proxy records": "proxy_records_destroy",
    "List all roles": "roles_list",
    "Create roles": "roles_create",
    "Retrieve roles": "roles_retrieve",
    "Update roles": "roles_partial_update",
    "Delete roles": "roles_destroy",
    "List all roles role memberships": "roles_role_memberships_list",
    "Create roles role memberships": "roles_role_memberships_create",
    "Delete roles role memberships": "roles_role_memberships_destroy",
}

SPEC_URI = "urn:posthog-organizations"


@functools.lru_cache(maxsize=None)
def load_spec() -> dict:
    with SPEC.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def operations(spec: dict) -> dict:
    """operationId -> (method, path, operation object); fails on duplicate ids."""
    ops = {}
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                op = item[method]
                op_id = op.get("operationId")
                assert op_id, f"{method.upper()} {path} has no operationId"
                assert op_id not in ops, f"duplicate operationId {op_id}"
                ops[op_id] = (method, path, op)
    return ops


def pointer(*parts: str) -> str:
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in parts)


def schema_validator(*location: str) -> OAS30Validator:
    """A validator for the schema at `location` (JSON pointer parts) with $refs resolved
    against the whole document."""
    resource = Resource.from_contents(load_spec(), default_specification=DRAFT4)
    registry = Registry().with_resource(SPEC_URI, resource)
    return OAS30Validator(
        {"$ref": SPEC_URI + "#" + pointer(*location)},
        registry=registry,
        format_checker=oas30_format_checker,
    )


def parse_seed() -> dict:
    """operationId -> {scope, path_params, query_params, status, body (parsed JSON or None)}."""
    text = SEED.read_text(encoding="utf-8")
    titles = "|".join(re.escape(t) for t in sorted(SEED_TITLES, key=len, reverse=True))
    parts = re.split(rf"^({titles})\n", text, flags=re.M)
    sections = {}
    for title, body in zip(parts[1::2], parts[2::2]):
        op_id = SEED_TITLES[title]
        scope = re.search(r"Required API key scopes\n\n(\S+)", body).group(1)

        def params(heading):
            """[(name, description or None)] listed under `heading`."""
            m = re.search(rf"{heading}\n\n(.*?)\n\n(?:Query parameters|Response)", body, re.S)
            found = []
            for entry in m.group(1).split("  • ")[1:] if m else []:
                lines = [ln.strip() for ln in entry.strip().split("\n") if ln.strip()]
                # lines: name, type, [description]
                found.append((lines[0], lines[2] if len(lines) > 2 else None))
            return found

        status = re.search(r"Status (\d{3})", body).group(1)
        response = None
        if "RESPONSE\n" in body:
            raw = body.split("RESPONSE\n", 1)[1].split("\n\n", 1)[0]
            response = json.loads(raw)
        sections[op_id] = {
            "scope": scope,
            "path_params": params("Path parameters"),
            "query_params": params("Query parameters"),
            "status": status,
            "body": response,
        }
    assert set(sections) == set(SEED_TITLES.values()), sorted(sections)
    return sections


# (a)
def test_spec_is_valid_openapi_30():
    spec = load_spec()
    assert spec["openapi"] == "3.0.3"
    assert spec["info"]["title"] == "PostHog API"
    assert [s["url"] for s in spec["servers"]] == ["https://us.posthog.com",
                                                  "https://eu.posthog.com"]
    validate_openapi(spec)


# (b)
def test_exactly_the_40_operations():
    ops = operations(load_spec())
    assert len(EXPECTED) == 40
    missing = sorted(set(EXPECTED) - set(ops))
    extra = sorted(set(ops) - set(EXPECTED))
    assert not missing and not extra, f"missing {missing}, unexpected {extra}"
    for op_id, (method, path, _) in EXPECTED.items():
        assert ops[op_id][:2] == (method, path), f"{op_id}: {ops[op_id][:2]} != {(method, path)}"
        names = [p["name"] for p in ops[op_id][2].get("parameters", [])]
        assert names == sorted(names), f"{op_id}: parameters not in name order: {names}"


# (c)
def test_security_scopes():
    ops = operations(load_spec())
    schemes = load_spec()["components"]["securitySchemes"]
    assert schemes["PersonalAPIKeyAuth"] == {"type": "http", "scheme": "bearer"}
    for op_id, (_, _, scope) in EXPECTED.items():
        op = ops[op_id][2]
        if scope is None:
            assert "security" not in op, f"{op_id} should carry no security"
        else:
            assert op.get("security") == [{"PersonalAPIKeyAuth": [scope]}], \
                f"{op_id}: {op.get('security')} != {scope}"


# (d)
def test_seed_page_and_examples():
    ops = operations(load_spec())
    for op_id, seed in parse_seed().items():
        method, path, op = ops[op_id]
        assert op["security"] == [{"PersonalAPIKeyAuth": [seed["scope"]]}], op_id
        params = op.get("parameters", [])
        for where in ("path", "query"):
            ours = [(p["name"], p.get("description")) for p in params if p["in"] == where]
            assert ours == seed[f"{where}_params"], f"{op_id} {where}: {ours}"
        assert list(op["responses"]) == [seed["status"]], op_id
        response = op["responses"][seed["status"]]
        if seed["body"] is None:
            assert response == {"description": "No response body"}, op_id
            continue
        media = response["content"]["application/json"]
        assert media.get("example") == seed["body"], f"{op_id}: example differs from the seed"
        validator = schema_validator("paths", path, method, "responses", seed["status"],
                                     "content", "application/json", "schema")
        errors = sorted(validator.iter_errors(media["example"]), key=lambda e: list(e.path))
        assert not errors, f"{op_id}: " + "; ".join(
            f"{list(e.path)}: {e.message}" for e in errors)


def main() -> int:
    tests = [(name, fn) for name, fn in sorted(globals().items())
             if name.startswith("test_") and callable(fn)]
    failed = 0
    for name, fn in tests:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - report every failure
            failed += 1
            print(f"FAIL {name}: {type(exc).__name__}: {exc}")
        else:
            print(f"ok   {name}")
    print(f"{len(tests) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
