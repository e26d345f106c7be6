#!/usr/bin/env bash
# Compile cost of the Rust crates that two generators make from one OpenAPI document
# (default: GitHub's REST API, 845 operations):
#   1. openapi-generator's `rust` generator (PyPI package openapi-generator-cli, run on java 17+)
#   2. oagen (built from this repository), default features, and optionally
#      `--no-default-features --features client,<FEATURE>` when the generated Cargo.toml has FEATURE.
#
# For each crate, in its own CARGO_TARGET_DIR with CARGO_INCREMENTAL=0: first `cargo check` and
# `cargo build` with src/lib.rs replaced by an empty file (this builds the dependencies only, so the
# huge crate is not compiled twice), then the real src/lib.rs back with a fresh mtime (as `touch`) and
# a timed warm `cargo check` (only the crate itself compiles); then `touch src/lib.rs` and a timed warm
# `cargo build` (debug).
# Wall time and peak RSS come from GNU time (%e, %M: the largest single process, i.e. rustc).
# A crate that fails to compile is recorded as such (exit code, first error), never patched.
#
# Usage:
#   bench/compile-cost.sh [FEATURE]          e.g. bench/compile-cost.sh tag-repos
# Environment:
#   OAGEN_FEATURE  same as the FEATURE argument (the argument wins)
#   BENCH_DIR      scratch directory (default ../oagen-bench beside the repository); must be outside it
#   DOC            the OpenAPI document (default \$OAGEN_CORPUS or ../shared/corpus, github.com/api.github.com.json)
#   OGC_VERSION    openapi-generator-cli version from PyPI (default 7.26.0)
#   OAGEN_REF      build oagen from this commit (e.g. HEAD), exported with `git archive` into BENCH_DIR,
#                  instead of from the work tree (default: the work tree, with whatever it holds)
#   OAGEN_BIN      use this oagen binary as it is (nothing is built)
#   ONLY           "oagen" or "openapi-generator" to measure one generator only
#   KEEP=1         keep the generated crates' target directories (they take several GB)
# Results: a Markdown table on stdout and in $BENCH_DIR/results/compile-cost.md; logs and the
# generated crates' Cargo.lock files stay in $BENCH_DIR/results/.
set -uo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-$REPO/../oagen-bench}"
DOC="${DOC:-${OAGEN_CORPUS:-$REPO/../shared/corpus}/github.com/api.github.com.json}"
OGC_VERSION="${OGC_VERSION:-7.26.0}"
FEATURE="${1:-${OAGEN_FEATURE:-}}"
ONLY="${ONLY:-}"
KEEP="${KEEP:-0}"

die() { echo "compile-cost: $*" >&2; exit 1; }
log() { echo "== $(date +%H:%M:%S) $*" >&2; }

[ -f "$DOC" ] || die "no OpenAPI document at $DOC (set DOC)"
DOC="$(cd "$(dirname "$DOC")" && pwd)/$(basename "$DOC")"
mkdir -p "$BENCH_DIR" || die "cannot create $BENCH_DIR"
BENCH_DIR="$(cd "$BENCH_DIR" && pwd)"
case "$BENCH_DIR/" in "$REPO"/*) die "BENCH_DIR must be outside the repository ($REPO)";; esac
RESULTS="$BENCH_DIR/results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# ---------------------------------------------------------------- prerequisites
if [ ! -x /usr/bin/time ]; then
  log "installing GNU time (Debian package 'time')"
  { apt-get update -qq && apt-get install -y -qq time; } >&2 || die "/usr/bin/time is missing and could not be installed"
fi
command -v cargo >/dev/null || die "cargo not found"
command -v python3 >/dev/null || die "python3 not found"
if [ "$ONLY" != oagen ]; then
  command -v java >/dev/null || die "java not found (openapi-generator needs java 11+)"
  VENV="$BENCH_DIR/venv-openapi-generator-cli-$OGC_VERSION"
  if [ ! -x "$VENV/bin/openapi-generator-cli" ]; then
    log "installing openapi-generator-cli==$OGC_VERSION into $VENV"
    python3 -m venv "$VENV" >&2 &&
      "$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-generator-cli==$OGC_VERSION" >&2 ||
      die "could not install openapi-generator-cli==$OGC_VERSION"
  fi
  OGC="$VENV/bin/openapi-generator-cli"
fi

echo "disk before: $(df -h "$BENCH_DIR" | tail -n 1)" >&2

# ---------------------------------------------------------------- results
STUBBED=""   # while set, src/lib.rs of the crate being measured is a stub and this is the real one
trap '[ -n "$STUBBED" ] && [ -f "$STUBBED" ] && mv -f "$STUBBED" "${STUBBED%.bench-real}"; exit 130' INT TERM
declare -a ROWS=()      # names in table order
declare -A GEN_S GEN_MB LINES CHECK_S CHECK_MB BUILD_S BUILD_MB DEPS_CHECK_S DEPS_BUILD_S RESULT TARGET_SIZE

# timed LOG CMD...: runs CMD with its output in LOG; sets T_S (wall seconds), T_MB (peak RSS MB), T_RC.
timed() {
  local logf="$1"; shift
  local tf; tf="$(mktemp)"
  /usr/bin/time -f "%e %M" -o "$tf" "$@" >"$logf" 2>&1
  T_RC=$?
  read -r T_S kb < <(tail -n 1 "$tf")
  T_MB=$(( ${kb:-0} / 1024 ))
  rm -f "$tf"
}

# first_error LOG: the first compiler error with its location line, on one line.
first_error() {
  grep -m1 -A1 -E '^error(\[E[0-9]+\])?:' "$1" | tr '\n' ' ' | sed -e 's/[[:space:]]\+/ /g' -e 's/|/\\|/g' | cut -c1-220
}
count_errors() {
  grep -m1 -oE 'due to [0-9]+ previous errors?|due to 1 previous error' "$1" | grep -oE '[0-9]+' || echo "?"
}

rust_lines() { find "$1/src" -name '*.rs' -print0 | xargs -0 cat | wc -l; }

# measure NAME CRATE_DIR TARGET_DIR [cargo feature flags...]
measure() {
  local name="$1" dir="$2" target="$3"; shift 3
  local flags=("$@") lg="$RESULTS/${name//[ ,]/_}"
  ROWS+=("$name")
  LINES[$name]="$(rust_lines "$dir")"
  CHECK_S[$name]="-"; CHECK_MB[$name]="-"; BUILD_S[$name]="-"; BUILD_MB[$name]="-"
  DEPS_CHECK_S[$name]="-"; DEPS_BUILD_S[$name]="-"
  local result=""
  (
    cd "$dir" || exit 1
    export CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0
    # a manifest the generator wrote wrong is a result, not a reason to stop
    cargo metadata --format-version 1 --no-deps >/dev/null 2>"$lg.manifest.log"
  )
  if [ $? -ne 0 ]; then
    RESULT[$name]="invalid Cargo.toml: $(grep -m1 -A2 'error' "$lg.manifest.log" | tr '\n' ' ' | sed 's/|/\\|/g' | cut -c1-200)"
    return
  fi
  pushd "$dir" >/dev/null || return
  export CARGO_TARGET_DIR="$target" CARGO_INCREMENTAL=0

  # Dependencies first, with the crate's lib.rs swapped for an empty one: the crate itself is then
  # compiled once, in the measured run (the real lib.rs comes back with a fresh mtime, like `touch`).
  log "$name: dependencies (cargo check + cargo build ${flags[*]}, crate stubbed)"
  STUBBED="$dir/src/lib.rs.bench-real"
  mv src/lib.rs "$STUBBED"
  : >src/lib.rs
  timed "$lg.deps-check.log" cargo check "${flags[@]}"
  DEPS_CHECK_S[$name]="$T_S"; local deps_rc=$T_RC
  timed "$lg.deps-build.log" cargo build "${flags[@]}"
  DEPS_BUILD_S[$name]="$T_S"; deps_rc=$(( deps_rc | T_RC ))
  mv -f "$STUBBED" src/lib.rs
  STUBBED=""
  touch src/lib.rs
  [ -f Cargo.lock ] && cp Cargo.lock "$lg.Cargo.lock"
  [ "$deps_rc" -eq 0 ] || result="dependencies fail to build: $(first_error "$lg.deps-build.log")"

  log "$name: cargo check ${flags[*]} (warm)"
  timed "$lg.check.log" cargo check "${flags[@]}"
  CHECK_S[$name]="$T_S"; CHECK_MB[$name]="$T_MB"
  if [ "$T_RC" -ne 0 ] && [ -z "$result" ]; then
    result="check fails (exit $T_RC, $(count_errors "$lg.check.log") errors): $(first_error "$lg.check.log")"
  fi

  touch src/lib.rs
  log "$name: cargo build ${flags[*]} (warm)"
  timed "$lg.build.log" cargo build "${flags[@]}"
  BUILD_S[$name]="$T_S"; BUILD_MB[$name]="$T_MB"
  if [ "$T_RC" -ne 0 ] && [ -z "$result" ]; then
    result="build fails (exit $T_RC, $(count_errors "$lg.build.log") errors): $(first_error "$lg.build.log")"
  fi
  RESULT[$name]="${result:-ok}"
  local warnings
  warnings=$(grep -oE 'generated [0-9]+ warnings?' "$lg.check.log" | grep -oE '[0-9]+' | head -n 1)
  [ -n "$warnings" ] && RESULT[$name]="${RESULT[$name]} ($warnings warnings)"
  unset CARGO_TARGET_DIR CARGO_INCREMENTAL
  popd >/dev/null || true
  TARGET_SIZE[$name]="$(du -sh "$target" 2>/dev/null | cut -f1)"
  log "$name: ${RESULT[$name]}"
}

# has_feature CARGO_TOML FEATURE: FEATURE is a key of the [features] table
has_feature() {
  awk -v f="$2" '
    /^\[/ { in_f = ($0 ~ /^\[features\][[:space:]]*$/) ; next }
    in_f && index($0, "=") > 0 {
      line = $0; sub(/[[:space:]]*=.*/, "", line); gsub(/^[[:space:]]+|"/, "", line)
      if (line == f) { found = 1 }
    }
    END { exit !found }' "$1"
}

# ---------------------------------------------------------------- oagen
if [ "$ONLY" != openapi-generator ]; then
  if [ -n "${OAGEN_BIN:-}" ]; then
    OAGEN="$OAGEN_BIN"
    [ -x "$OAGEN" ] || die "OAGEN_BIN=$OAGEN is not an executable"
    OAGEN_REV="binary $OAGEN"
  elif [ -n "${OAGEN_REF:-}" ]; then
    # a committed revision, exported (the work tree is left alone) and built in the scratch directory
    rev="$(git -C "$REPO" rev-parse --short "$OAGEN_REF^{commit}")" || die "no commit $OAGEN_REF in $REPO"
    src="$BENCH_DIR/oagen-src-$rev"
    if [ ! -f "$src/Cargo.toml" ]; then
      rm -rf "$src" && mkdir -p "$src" && git -C "$REPO" archive "$rev" | tar -x -C "$src" ||
        die "could not export $rev"
    fi
    log "building oagen $rev (release) in $src"
    CARGO_TARGET_DIR="$BENCH_DIR/target-oagen-bin" \
      cargo build --release --locked -p oagen --manifest-path "$src/Cargo.toml" >"$RESULTS/oagen-build.log" 2>&1 ||
      die "oagen $rev did not build, see $RESULTS/oagen-build.log"
    OAGEN="$BENCH_DIR/target-oagen-bin/release/oagen"
    OAGEN_REV="$rev"
  else
    log "building oagen (release) from the work tree $REPO"
    cargo build --release --locked -p oagen --manifest-path "$REPO/Cargo.toml" >"$RESULTS/oagen-build.log" 2>&1 ||
      die "oagen did not build, see $RESULTS/oagen-build.log (OAGEN_REF=HEAD builds the last commit instead)"
    OAGEN_TARGET="$(cargo metadata --format-version 1 --no-deps --manifest-path "$REPO/Cargo.toml" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
    OAGEN="$OAGEN_TARGET/release/oagen"
    OAGEN_REV="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    git -C "$REPO" diff --quiet HEAD -- generator 2>/dev/null || OAGEN_REV="$OAGEN_REV + uncommitted changes"
  fi

  CRATE="$BENCH_DIR/crate-oagen"
  rm -rf "$CRATE"
  log "oagen: generating"
  timed "$RESULTS/oagen.generate.log" "$OAGEN" generate "$DOC" --out "$CRATE" --crate-name github
  [ "$T_RC" -eq 0 ] || die "oagen generate failed (exit $T_RC), see $RESULTS/oagen.generate.log"
  GEN_S[oagen]="$T_S"; GEN_MB[oagen]="$T_MB"
  measure oagen "$CRATE" "$BENCH_DIR/target-oagen"

  if [ -n "$FEATURE" ]; then
    v="oagen client,$FEATURE"
    if has_feature "$CRATE/Cargo.toml" "$FEATURE"; then
      GEN_S[$v]="${GEN_S[oagen]}"; GEN_MB[$v]="${GEN_MB[oagen]}"
      # same target dir: only the crate's own compile is measured, shared dependencies are reused
      measure "$v" "$CRATE" "$BENCH_DIR/target-oagen" --no-default-features --features "client,$FEATURE"
    else
      log "feature '$FEATURE' is not in the generated Cargo.toml: variant skipped"
      SKIPPED="feature '$FEATURE' not in generated Cargo.toml, variant not measured"
    fi
  fi
fi

# ---------------------------------------------------------------- openapi-generator
if [ "$ONLY" != oagen ]; then
  name="openapi-generator $OGC_VERSION"
  CRATE="$BENCH_DIR/crate-openapi-generator"
  rm -rf "$CRATE"
  log "$name: generating"
  timed "$RESULTS/openapi-generator.generate.log" "$OGC" generate -g rust -i "$DOC" -o "$CRATE"
  if [ "$T_RC" -ne 0 ] || [ ! -f "$CRATE/Cargo.toml" ]; then
    ROWS+=("$name"); GEN_S[$name]="$T_S"; GEN_MB[$name]="$T_MB"; LINES[$name]="-"
    CHECK_S[$name]="-"; CHECK_MB[$name]="-"; BUILD_S[$name]="-"; BUILD_MB[$name]="-"
    DEPS_CHECK_S[$name]="-"; DEPS_BUILD_S[$name]="-"
    RESULT[$name]="generation failed (exit $T_RC), see results/openapi-generator.generate.log"
  else
    GEN_S[$name]="$T_S"; GEN_MB[$name]="$T_MB"
    measure "$name" "$CRATE" "$BENCH_DIR/target-openapi-generator"
  fi
fi

# ---------------------------------------------------------------- report
{
  echo "## Compile cost: $(basename "$DOC")"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM;" \
    "$(rustc --version); $(cargo --version | cut -d' ' -f1-2)"
  [ "$ONLY" != openapi-generator ] && echo "oagen $OAGEN_REV."
  [ "$ONLY" != oagen ] && echo "openapi-generator-cli $OGC_VERSION (\`-g rust\`, default options and features)," \
    "$(java -version 2>&1 | head -n 1)."
  echo "Warm = dependencies already built, \`touch src/lib.rs\`, CARGO_INCREMENTAL=0: only the crate itself compiles." \
    "Peak MB = largest process's RSS (GNU time %M)."
  echo
  echo "| generator | generation (s) | generation peak (MB) | lines of Rust | cargo check warm (s / peak MB) | cargo build warm (s / peak MB) | result |"
  echo "|---|---:|---:|---:|---:|---:|---|"
  for n in "${ROWS[@]}"; do
    echo "| $n | ${GEN_S[$n]} | ${GEN_MB[$n]} | ${LINES[$n]} | ${CHECK_S[$n]} / ${CHECK_MB[$n]} | ${BUILD_S[$n]} / ${BUILD_MB[$n]} | ${RESULT[$n]} |"
  done
  [ -n "${SKIPPED:-}" ] && { echo; echo "Note: $SKIPPED."; }
  echo
  echo "Dependencies alone (crate stubbed; includes downloads; indicative only):"
  echo
  echo "| generator | dependencies check (s) | dependencies build (s) | target dir after |"
  echo "|---|---:|---:|---:|"
  for n in "${ROWS[@]}"; do
    echo "| $n | ${DEPS_CHECK_S[$n]} | ${DEPS_BUILD_S[$n]} | ${TARGET_SIZE[$n]:--} |"
  done
} | tee "$RESULTS/compile-cost.md"

echo "disk after: $(df -h "$BENCH_DIR" | tail -n 1)" >&2
if [ "$KEEP" != 1 ]; then
  rm -rf "$BENCH_DIR/target-oagen" "$BENCH_DIR/target-openapi-generator" "$BENCH_DIR/target-oagen-bin"
  log "target directories removed (KEEP=1 keeps them); crates and logs stay in $BENCH_DIR"
fi
