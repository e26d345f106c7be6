"""schemathesis hooks for tests/schemathesis.sh.

The generated server stores `type: integer` as a 64-bit integer (PostHog's document gives no
format), and rejects a whole number it cannot hold with a 400 rather than losing it. A JSON
Schema integer has no bound, so schemathesis counts `?limit=10**23` as valid data. In the
positive run (OAGEN_ST_POSITIVE set) such values are filtered out of what it generates; the
negative run keeps them, where a 400 is the answer it expects.
"""

import os

import schemathesis

LOW, HIGH = -(2**63), 2**63 - 1
POSITIVE = bool(os.environ.get("OAGEN_ST_POSITIVE"))


def fits(value):
    """Every integer in `value` (or in the text of a query, path or header value) fits i64."""
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return LOW <= value <= HIGH
    if isinstance(value, str):
        digits = value[1:] if value.startswith("-") else value
        return not digits.isdigit() or LOW <= int(value) <= HIGH
    if isinstance(value, dict):
        return all(fits(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(fits(v) for v in value)
    return True


def keep(value):
    return not POSITIVE or value is None or fits(value)


@schemathesis.hook
def filter_query(ctx, query):
    return keep(query)


@schemathesis.hook
def filter_path_parameters(ctx, path_parameters):
    return keep(path_parameters)


@schemathesis.hook
def filter_headers(ctx, headers):
    return keep(headers)


@schemathesis.hook
def filter_body(ctx, body):
    return keep(body)
