#!/usr/bin/env bash
# The long fuzzing run (TESTING.md, "Fuzzing"): builds oagen-fuzz in release and mutates corpus
# documents for MINUTES (default 60) from SEED (default: the time), at low priority. Findings
# (the mutant and a .txt saying what happened and how to reproduce it) go to $OUT
# (default target/fuzz); the exit status is 1 when there are any.
#
#   scripts/fuzz.sh [MINUTES] [SEED] [extra oagen-fuzz arguments...]
#   OAGEN_CORPUS=/path/to/corpus MAX_BYTES=3000000 scripts/fuzz.sh 120 7 --corpus ../shared/corpus-swagger2
set -euo pipefail
cd "$(dirname "$0")/.."

minutes="${1:-60}"
seed="${2:-$(date +%s)}"
shift $(( $# < 2 ? $# : 2 ))
corpus="${OAGEN_CORPUS:-$(pwd)/../shared/corpus}"
out="${OUT:-target/fuzz}"
# Documents up to 1 MB by default: each mutant is generated whole (emit and format included),
# and a 10 MB document takes seconds per iteration.
max_bytes="${MAX_BYTES:-1000000}"

if [ ! -d "$corpus" ]; then
  echo "corpus not found at $corpus: set OAGEN_CORPUS" >&2
  exit 2
fi
nice -n 10 cargo build --release --quiet -p oagen-fuzz
bin="${CARGO_TARGET_DIR:-target}/release/oagen-fuzz"
exec nice -n 10 "$bin" --seed "$seed" --minutes "$minutes" --corpus "$corpus" --out "$out" \
  --max-bytes "$max_bytes" "$@"
