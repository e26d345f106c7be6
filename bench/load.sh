#!/usr/bin/env bash
# Load bench of the generated server (issue 16; results in BENCHMARKS.md, "The server under load").
#
# Two servers over the same in-memory store (generated/examples/server/app.rs), release builds, on
# 127.0.0.1 only:
#   generated    the example server (`-p posthog-organizations --example server`): the generated
#                router with its validation, authentication, scope checks and problems
#   handwritten  examples/handwritten-roles: the same operations in plain axum extractors
# Each round starts each server afresh, seeded with SEED_ROLES roles, and runs these cases on it,
# each with wrk (THREADS threads, CONNECTIONS connections) for WARMUP seconds (not counted) and
# then DURATION seconds (bench/load.lua has the requests):
#   GET roles    GET /api/organizations/{org}/roles/ (a list of SEED_ROLES roles)
#   POST roles   POST a role, then DELETE it, in turn on each connection (the store does not grow:
#                every create costs the same; creates alone would make each one scan a longer list)
# ROUNDS rounds, the two servers alternating which goes first; the table has each figure's median.
# Then, on fresh generated servers:
#   soak         SOAK seconds of creates, deletes and lists; RSS from /proc/PID/status every second
#   bad bodies   BAD_REPEAT times each: a BIG_MB MB body (with Content-Length, and chunked) and a
#                JSON body of NEST nested arrays, to POST roles; statuses, and peak RSS (VmHWM)
#                and RSS before and after. The same on the handwritten server, for comparison.
#
# Usage:   bench/load.sh                         (3.5 minutes, plus the release build)
#          DURATION=2 WARMUP=1 SOAK=6 ROUNDS=1 bench/load.sh    (a smoke run, 20 s)
# Environment (defaults in brackets):
#   DURATION [10] WARMUP [2] ROUNDS [3] SOAK [60] (0: no soak) THREADS [1] CONNECTIONS [32]
#   SEED_ROLES [10] BIG_MB [10] NEST [100000] BAD_REPEAT [5]
#   PIN [1] SERVER_CPU [0] WRK_CPU [1]: the server and wrk each on its own CPU (taskset)
#   NO_BUILD=1     use the binaries already in $CARGO_TARGET_DIR/release
#   CARGO_TARGET_DIR [target]; OUT [$CARGO_TARGET_DIR/load-bench]: logs, RSS samples, load.md
# Needs wrk (Debian package `wrk`) and curl. Exits non-zero when a server fails to start or a
# case gets a socket error or an unexpected status (the table is printed first).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
ROUNDS="${ROUNDS:-3}"
SOAK="${SOAK:-60}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
SEED_ROLES="${SEED_ROLES:-10}"
BIG_MB="${BIG_MB:-10}"
NEST="${NEST:-100000}"
BAD_REPEAT="${BAD_REPEAT:-5}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
OUT="${OUT:-$TARGET/load-bench}"
TOKEN="load_$(date +%s%N)"
SCOPES="organization:read,organization:write"

log() { echo "== $(date +%H:%M:%S) $*" >&2; }
die() { echo "load: $*" >&2; exit 1; }

command -v wrk >/dev/null || die "wrk is missing (apt-get install wrk)"
command -v curl >/dev/null || die "curl is missing"
mkdir -p "$OUT"
rm -f "$OUT"/*.log "$OUT"/*.rss "$OUT"/results.txt

if [ "${NO_BUILD:-0}" != 1 ]; then
  log "building the two servers (release)"
  cargo build --release --quiet -p posthog-organizations --example server -p handwritten-roles --bin handwritten-roles
fi
declare -A BIN=([generated]="$TARGET/release/examples/server" [handwritten]="$TARGET/release/handwritten-roles")
for kind in generated handwritten; do
  [ -x "${BIN[$kind]}" ] || die "no ${BIN[$kind]} (build it, or unset NO_BUILD)"
done

# ------------------------------------------------------------------------------------ servers
# With PIN=1 (the default, on a machine of 2 or more CPUs) the server runs on CPU SERVER_CPU and
# wrk on WRK_CPU (taskset), so neither takes the other's core: requests/s is what one core of
# server does, and the two servers' figures compare. PIN=0 lets the scheduler place them.
SERVER_CPU="${SERVER_CPU:-0}"
WRK_CPU="${WRK_CPU:-1}"
# `pin` runs in a background job or a pipeline (a subshell it replaces, so that `$!` is the
# command's own pid).
if [ "${PIN:-1}" = 1 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin() { local cpu="$1"; shift; exec taskset -c "$cpu" "$@"; }
else
  pin() { shift; exec "$@"; }
fi

# The one running server: its pid, base URL and default organization.
PID=""
URL=""
ORG=""
stop_server() {
  if [ -n "$PID" ]; then
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
  fi
}
trap stop_server EXIT

# start_server KIND NAME: a fresh server on an ephemeral port, seeded with SEED_ROLES roles.
start_server() {
  local kind="$1" name="$2" out="$OUT/$2.log"
  : >"$out" # before the server's shell opens it, for the readiness loop below
  pin "$SERVER_CPU" "${BIN[$kind]}" --listen 127.0.0.1:0 --token "$TOKEN=$SCOPES" >"$out" 2>&1 &
  PID=$!
  URL=""
  for _ in $(seq 1 100); do
    URL="$(sed -n 's/^listening on //p' "$out")"
    [ -n "$URL" ] && break
    kill -0 "$PID" 2>/dev/null || die "$kind server exited: $(cat "$out")"
    sleep 0.05
  done
  [ -n "$URL" ] || die "$kind server did not start in 5 s: $(cat "$out")"
  ORG="$(sed -n 's/^default organization: //p' "$out")"
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$URL/api/organizations/$ORG/roles/")"
  [ "$status" = 200 ] || die "$kind server: GET roles answered $status"
  for i in $(seq 1 "$SEED_ROLES"); do
    status="$(post_role "{\"name\":\"seed-$i\"}")"
    [ "$status" = 201 ] || die "$kind server: seeding role $i answered $status"
  done
}

# post_role BODY [CURL ARGS...]: POST roles with BODY (a string, or @FILE); prints the status.
post_role() {
  local body="$1"
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 30 -X POST -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' --data-binary "$body" "$@" "$URL/api/organizations/$ORG/roles/" || true
}

# status_kb FIELD: VmRSS or VmHWM of the running server, in KiB.
status_kb() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$PID/status"; }
# mb KIB: in MB, one decimal.
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
# cpu_ticks: the running server's CPU time (user + system), in clock ticks.
TICK_HZ="$(getconf CLK_TCK)"
cpu_ticks() { sed 's/.*) //' "/proc/$PID/stat" | awk '{ print $12 + $13 }'; }

# ------------------------------------------------------------------------------------ cases
FAILED=0
# run_wrk MODE SECONDS TAG: one wrk run against the running server; prints its RESULT line.
run_wrk() {
  pin "$WRK_CPU" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 5s -s bench/load.lua "$URL" -- "$1" "$TOKEN" "$ORG" "$3" |
    sed -n 's/^RESULT //p'
}

# field NAME LINE: the value of NAME=... in a RESULT line.
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" <<<"$2"; }

# check CASE SERVER LINE: records the result; a socket error, a timeout or a status other than
# the case's successes fails the run.
check() {
  local line="$3" unexpected
  echo "$1 $2 $line rss_kb=$(status_kb VmRSS)" >>"$OUT/results.txt"
  unexpected="$(field statuses "$line" | tr ',' '\n' | cut -d: -f1 | grep -Ev '^(200|201|204|)$' || true)"
  if [ "$(field socket_errors "$line")" != 0 ] || [ "$(field timeouts "$line")" != 0 ] ||
    [ "$(field status_errors "$line")" != 0 ] || [ -n "$unexpected" ]; then
    echo "load: $1 on $2 had errors or unexpected statuses: $line" >&2
    FAILED=1
  fi
}

log "wrk: $THREADS thread(s), $CONNECTIONS connections, ${WARMUP}s warm-up + ${DURATION}s per case, $ROUNDS round(s)"
for round in $(seq 1 "$ROUNDS"); do
  order="generated handwritten"
  [ $((round % 2)) = 0 ] && order="handwritten generated"
  for kind in $order; do
    start_server "$kind" "$kind-$round"
    for mode in get post; do
      [ "$WARMUP" != 0 ] && run_wrk "$mode" "$WARMUP" "warm$round" >/dev/null
      ticks="$(cpu_ticks)"
      line="$(run_wrk "$mode" "$DURATION" "run$round")"
      [ -n "$line" ] || die "wrk printed no result ($mode on $kind)"
      # The server's CPU time per request: less at the mercy of what else runs than requests/s.
      line+=" cpu_us=$(awk -v t=$(($(cpu_ticks) - ticks)) -v hz="$TICK_HZ" -v n="$(field requests "$line")" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')"
      log "round $round, $kind, $mode: $line"
      check "$mode" "$kind" "$line"
    done
    stop_server
  done
done

# ------------------------------------------------------------------------------------ soak
SOAK_LINE=""
if [ "$SOAK" != 0 ]; then
  log "soak: ${SOAK}s of creates, deletes and lists on the generated server"
  start_server generated soak
  rss="$OUT/soak.rss"
  (
    start=$(date +%s)
    while kill -0 "$PID" 2>/dev/null; do
      echo "$(($(date +%s) - start)) $(status_kb VmRSS)"
      sleep 1
    done
  ) >"$rss" 2>/dev/null &
  sampler=$!
  SOAK_LINE="$(run_wrk mix "$SOAK" soak)"
  check soak generated "$SOAK_LINE"
  SOAK_HWM="$(status_kb VmHWM)"
  stop_server
  wait "$sampler" 2>/dev/null || true
  log "soak: $SOAK_LINE"
fi

# ------------------------------------------------------------------------------------ bad bodies
big="$OUT/big.json"
nested="$OUT/nested.json"
{ printf '{"name":"'; head -c $((BIG_MB * 1024 * 1024)) /dev/zero | tr '\0' a; printf '"}'; } >"$big"
{ head -c "$NEST" /dev/zero | tr '\0' '['; head -c "$NEST" /dev/zero | tr '\0' ']'; } >"$nested"
BAD_ROWS=""
# bad KIND: each bad body BAD_REPEAT times on a fresh server; a table row per body.
bad() {
  local kind="$1" what statuses hwm0 rss0
  start_server "$kind" "bad-$kind"
  hwm0="$(status_kb VmHWM)"
  rss0="$(status_kb VmRSS)"
  for what in length chunked nested; do
    statuses=""
    for _ in $(seq 1 "$BAD_REPEAT"); do
      case "$what" in
        # `Expect:` off: the whole body is on its way before the server answers.
        length) statuses+=" $(post_role "@$big" -H 'Expect:')" ;;
        chunked) statuses+=" $(post_role "@$big" -H 'Expect:' -H 'Transfer-Encoding: chunked')" ;;
        nested) statuses+=" $(post_role "@$nested")" ;;
      esac
    done
    statuses="$(tr ' ' '\n' <<<"$statuses" | grep . | sort | uniq -c | awk '{printf "%s%s×%s", sep, $1, $2; sep=", "}')"
    case "$what" in
      length) label="${BIG_MB} MB, Content-Length" ;;
      chunked) label="${BIG_MB} MB, chunked" ;;
      nested) label="$NEST nested arrays ($((NEST * 2 / 1024)) KB)" ;;
    esac
    BAD_ROWS+="| $kind | $label | $statuses | $(mb "$hwm0") → $(mb "$(status_kb VmHWM)") MB | $(mb "$rss0") → $(mb "$(status_kb VmRSS)") MB |"$'\n'
    echo "bad $kind $what statuses=[$statuses] hwm_kb=$hwm0->$(status_kb VmHWM) rss_kb=$rss0->$(status_kb VmRSS)" >>"$OUT/results.txt"
  done
  stop_server
}
log "bad bodies, $BAD_REPEAT of each"
bad generated
bad handwritten

# ------------------------------------------------------------------------------------ report
# median FIELD CASE SERVER: the median over the rounds.
median() {
  grep "^$2 $3 " "$OUT/results.txt" | sed -n "s/.*\\b$1=\\([0-9.]*\\).*/\\1/p" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
# statuses CASE SERVER: every status over the rounds (wrk's count of >399 for get).
all_statuses() {
  grep "^$1 $2 " "$OUT/results.txt" | awk '{
    for (i = 1; i <= NF; i++) {
      if ($i ~ /^statuses=./) { split(substr($i, 10), s, ","); for (j in s) { split(s[j], kv, ":"); n[kv[1]] += kv[2] } }
      if ($i ~ /^status_errors=/) bad += substr($i, 15)
      if ($i ~ /^socket_errors=/) sock += substr($i, 15)
    }
  } END {
    out = ""; for (k in n) out = out (out == "" ? "" : ", ") k ": " n[k]
    if (out == "") out = "≥400: " bad
    if (sock) out = out ", socket errors: " sock
    print out
  }'
}

{
  echo "wrk $THREADS thread(s), $CONNECTIONS connections, ${DURATION} s per run after ${WARMUP} s warm-up, median of $ROUNDS round(s); $(nproc) cores; $(date -u +%Y-%m-%d)"
  echo
  echo "| case | server | requests/s | p50 | p99 | server CPU per request | generated vs handwritten: requests/s, CPU per request | statuses (all rounds) |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
  for mode in get post; do
    label="GET roles"
    [ "$mode" = post ] && label="POST roles + DELETE"
    for kind in generated handwritten; do
      ratio=""
      [ "$kind" = generated ] && ratio="$(awk -v g="$(median rps "$mode" generated)" -v h="$(median rps "$mode" handwritten)" \
        -v gc="$(median cpu_us "$mode" generated)" -v hc="$(median cpu_us "$mode" handwritten)" \
        'BEGIN { printf "%.1f %%, %+.1f %%", 100 * g / h, 100 * (gc / hc - 1) }')"
      echo "| $label | $kind | $(median rps "$mode" "$kind") | $(ms "$(median p50_us "$mode" "$kind")") | $(ms "$(median p99_us "$mode" "$kind")") | $(median cpu_us "$mode" "$kind") µs | $ratio | $(all_statuses "$mode" "$kind") |"
    done
  done
  if [ -n "$SOAK_LINE" ]; then
    echo
    echo "Soak, generated server, ${SOAK} s: $(field rps "$SOAK_LINE") requests/s, p50 $(ms "$(field p50_us "$SOAK_LINE")"), p99 $(ms "$(field p99_us "$SOAK_LINE")"), statuses $(field statuses "$SOAK_LINE"), socket errors $(field socket_errors "$SOAK_LINE"), timeouts $(field timeouts "$SOAK_LINE"); peak RSS $(mb "$SOAK_HWM") MB."
    echo "RSS (MB) by second: $(awk 'NF == 2 { last = $1 " s " sprintf("%.1f", $2 / 1024); if ($1 % 10 == 0 || $1 == 1) { printf "%s%s", sep, last; sep = ", "; last = "" } } END { if (last != "") printf "%s%s", sep, last }' "$OUT/soak.rss")"
    echo "RSS over the last half, min–max: $(awk -v h=$((SOAK / 2)) 'NF == 2 && $1 >= h { if (min == "" || $2 < min) min = $2; if ($2 > max) max = $2 } END { printf "%.1f–%.1f MB", min / 1024, max / 1024 }' "$OUT/soak.rss")"
  fi
  echo
  echo "| server | bad body, $BAD_REPEAT times, POST roles | statuses | peak RSS before → after | RSS before → after |"
  echo "|---|---|---|---|---|"
  printf '%s' "$BAD_ROWS"
} | tee "$OUT/load.md"

if grep -q '^bad .*statuses=\[[^]]*\(000\|2[0-9][0-9]\|5[0-9][0-9]\)' "$OUT/results.txt"; then
  echo "load: a bad body was accepted, failed or got no answer (see $OUT/results.txt)" >&2
  FAILED=1
fi
exit "$FAILED"
