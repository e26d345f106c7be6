#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the example server on 127.0.0.1 with the PostHog spec and all
# of its checks but two:
# - `status_code_conformance`: PostHog's document, like every drf-spectacular document, lists no
#   error responses, so each 400/401/403/404/409 the server rightly gives would count as
#   undocumented;
# - `negative_data_rejection`, in this first run only: every body here may also come as a
#   urlencoded or multipart form, where values carry no type, so schemathesis' "invalid" form data
#   (`false` for a string field) is valid text. A second run checks exactly that (invalid data
#   must be rejected) with negative data only, on a copy of the document whose bodies are JSON
#   alone. The bad-request table in tests/tests/server.rs covers form bodies deterministically.
# Called as a module so no console-script shim is needed. One worker: schemathesis' own
# generator is not thread-safe here.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${OAGEN_ST_PORT:-18765}"
token="st_$(date +%s%N)"
cargo build --quiet -p posthog-organizations --example server
target/debug/examples/server --listen "127.0.0.1:$port" \
  --token "$token=organization:read,organization:write,organization_member:read,organization_member:write" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done
# Hooks (tests/st_hooks.py): integers beyond 64 bits are not valid data for this server.
export PYTHONPATH="$(pwd)/tests${PYTHONPATH:+:$PYTHONPATH}" SCHEMATHESIS_HOOKS=st_hooks
OAGEN_ST_POSITIVE=1 python3 -m schemathesis.cli run spec/posthog-organizations.yaml --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --checks all --exclude-checks status_code_conformance,negative_data_rejection \
  --max-examples "${OAGEN_ST_EXAMPLES:-30}" --workers 1 --seed "${OAGEN_ST_SEED:-1}"

# Negative data, JSON bodies: the same document with each request body's JSON media type only.
mkdir -p target/tmp
python3 - spec/posthog-organizations.yaml target/tmp/posthog-json-bodies.yaml <<'PY'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
for item in doc["paths"].values():
    for op in item.values():
        content = op.get("requestBody", {}).get("content") if isinstance(op, dict) else None
        if content:
            for media in [m for m in content if m != "application/json"]:
                del content[media]
yaml.safe_dump(doc, open(sys.argv[2], "w"), sort_keys=False)
PY
python3 -m schemathesis.cli run target/tmp/posthog-json-bodies.yaml --url "http://127.0.0.1:$port" \
  -H "Authorization: Bearer $token" --mode negative --checks negative_data_rejection,not_a_server_error \
  --max-examples "${OAGEN_ST_EXAMPLES:-30}" --workers 1 --seed "${OAGEN_ST_SEED:-1}"
