#!/usr/bin/env bash
# Line coverage of generator/src/** and templates/*.rs as exercised by `cargo test --workspace`
# (TESTING.md, "Coverage"). Instruments with `-C instrument-coverage` through cargo-llvm-cov,
# which also instruments the `oagen` binary that generator/tests/cli.rs runs as a subprocess.
#
# Needs (installs nothing):
#   cargo-llvm-cov   cargo install cargo-llvm-cov --locked
#   llvm-cov and llvm-profdata of rustc's LLVM major version (rustc 1.95: LLVM 22; Debian's
#                    llvm-22 package puts them in /usr/lib/llvm-22/bin; override with
#                    LLVM_COV / LLVM_PROFDATA)
#   python3          folds the lcov report into the tables
#   the corpus       ../shared/corpus or $OAGEN_CORPUS, as for `cargo test` (generate-only pass:
#                    OAGEN_CORPUS_COMPILE is unset here, its crates are not compiled)
#
# Usage: scripts/coverage.sh [--uncovered] [--report-only]
#   --uncovered    also list every uncovered line range per file
#   --report-only  report on the profiles of the last run instead of running the tests again
#
# Builds into target/llvm-cov-target (its own target directory); the lcov file is kept at
# target/coverage/lcov.info. Templates are compiled in two places: included by tests/edge (whose
# coverage is reported against templates/*.rs) and copied into generated/src/*_runtime.rs (the
# committed crate, with a two-line @generated header). A template line counts as covered when any
# copy covers it; a copy is merged only if it is the template byte for byte after its header.
set -euo pipefail
cd "$(dirname "$0")/.."

uncovered=0
report_only=0
for arg in "$@"; do
  case "$arg" in
    --uncovered) uncovered=1 ;;
    --report-only) report_only=1 ;;
    *) echo "usage: scripts/coverage.sh [--uncovered] [--report-only]" >&2; exit 2 ;;
  esac
done

export LLVM_COV="${LLVM_COV:-/usr/lib/llvm-22/bin/llvm-cov}"
export LLVM_PROFDATA="${LLVM_PROFDATA:-/usr/lib/llvm-22/bin/llvm-profdata}"
missing=0
if ! cargo llvm-cov --version >/dev/null 2>&1; then
  echo "missing cargo-llvm-cov: cargo install cargo-llvm-cov --locked" >&2
  missing=1
fi
for tool in "$LLVM_COV" "$LLVM_PROFDATA"; do
  if [ ! -x "$tool" ]; then
    echo "missing $tool: install LLVM tools of rustc's LLVM version ($(rustc -vV | sed -n 's/^LLVM version: //p')), e.g. apt-get install llvm-22, or set LLVM_COV/LLVM_PROFDATA" >&2
    missing=1
  fi
done
if ! command -v python3 >/dev/null; then
  echo "missing python3" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 1

lcov=target/coverage/lcov.info
mkdir -p target/coverage
if [ "$report_only" = 0 ]; then
  # The figure is for the default suite: no corpus compile, no blessing.
  unset OAGEN_CORPUS_COMPILE OAGEN_BLESS
  cargo llvm-cov --workspace --locked --no-report
fi
# cargo-llvm-cov's default filter drops every file whose path has a `tests/` component, and the
# templates as tests/edge includes them are recorded as tests/edge/src/../../../templates/*.rs:
# replace it with one that drops only dependencies and the standard library.
cargo llvm-cov report --lcov --output-path "$lcov" \
  --no-default-ignore-filename-regex --ignore-filename-regex '/\.cargo/|/\.rustup/|(^|/)rustc/[0-9a-f]+/'

echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- generator templates tests generated || echo ' (with uncommitted changes)'), $(date -u +%Y-%m-%d), $(rustc --version)"
python3 - "$lcov" "$uncovered" <<'PY'
import os
import sys

lcov_path, show_uncovered = sys.argv[1], sys.argv[2] == "1"
root = os.getcwd()

# file -> {line: count}, from the lcov DA records.
files = {}
current = None
with open(lcov_path) as f:
    for line in f:
        line = line.rstrip("\n")
        if line.startswith("SF:"):
            current = files.setdefault(os.path.realpath(line[3:]), {})
        elif line.startswith("DA:") and current is not None:
            number, count = line[3:].split(",")[:2]
            number, count = int(number), int(count)
            current[number] = max(current.get(number, 0), count)
        elif line == "end_of_record":
            current = None

def rel(path):
    return os.path.relpath(path, root)

def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")

# Template copies: any other reported file of the same name whose text is a header of comment or
# blank lines followed by the template exactly. Its line n maps to template line n - offset.
templates = sorted(
    os.path.join(root, "templates", name)
    for name in os.listdir(os.path.join(root, "templates"))
    if name.endswith(".rs")
)
merged = {t: dict(files.get(t, {})) for t in templates}
copies = {t: [] for t in templates}
for template in templates:
    text = read_lines(template)
    for path, counts in files.items():
        if path == template or os.path.basename(path) != os.path.basename(template):
            continue
        try:
            other = read_lines(path)
        except OSError:
            continue
        offset = len(other) - len(text)
        header = other[:offset]
        if offset < 0 or other[offset:] != text or not all(h.startswith("//") or not h.strip() for h in header):
            print(f"note: {rel(path)} is not a copy of {rel(template)}; not merged", file=sys.stderr)
            continue
        copies[template].append(rel(path))
        for number, count in counts.items():
            if number > offset:
                target = number - offset
                merged[template][target] = max(merged[template].get(target, 0), count)

def ranges(counts):
    """Uncovered line ranges; lines with no code between two uncovered lines do not split a range."""
    out = []
    for number in sorted(counts):
        if counts[number] != 0:
            continue
        if out and all(n not in counts or counts[n] == 0 for n in range(out[-1][1] + 1, number)):
            out[-1][1] = number
        else:
            out.append([number, number])
    return ["%d" % a if a == b else "%d-%d" % (a, b) for a, b in out]

def table(title, group):
    print()
    print(f"{title}")
    print(f"  {'file':<48} {'lines':>6} {'covered':>8} {'%':>7}")
    total = hit = 0
    for path in sorted(group, key=rel):
        counts = group[path]
        n, h = len(counts), sum(1 for c in counts.values() if c)
        total += n
        hit += h
        pct = 100.0 * h / n if n else 100.0
        print(f"  {rel(path):<48} {n:>6} {h:>8} {pct:>6.1f}%")
    pct = 100.0 * hit / total if total else 100.0
    print(f"  {'TOTAL':<48} {total:>6} {hit:>8} {pct:>6.1f}%")
    if show_uncovered:
        for path in sorted(group, key=rel):
            r = ranges(group[path])
            if r:
                print(f"  uncovered {rel(path)}: {', '.join(r)}")
    return total, hit

def test_lines(path):
    """Line numbers of items under `#[cfg(test)]` (unit test modules and their helpers), which run
    whenever the tests do and so say nothing about coverage. Relies on rustfmt's layout: the item
    ends at the first later line that closes a brace at the item's own indentation."""
    lines = read_lines(path)
    out = set()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "#[cfg(test)]":
            i += 1
            continue
        start = i
        j = i + 1
        while j < len(lines) and lines[j].lstrip().startswith("#["):
            j += 1
        indent = len(lines[j]) - len(lines[j].lstrip()) if j < len(lines) else 0
        end = j
        if j < len(lines) and not lines[j].rstrip().endswith(";"):
            end = j + 1
            while end < len(lines) and not (
                lines[end].startswith(" " * indent + "}") and len(lines[end]) - len(lines[end].lstrip()) == indent
            ):
                end += 1
        out.update(range(start + 1, end + 2))
        i = end + 1
    return out

generator = {}
excluded = 0
for p, c in files.items():
    if rel(p).startswith("generator/src/"):
        skip = test_lines(p)
        excluded += sum(1 for n in c if n in skip)
        generator[p] = {n: k for n, k in c.items() if n not in skip}
# A generator source no test binary compiled (none today) would be missing from the report.
for dirpath, _, names in os.walk(os.path.join(root, "generator/src")):
    for name in names:
        path = os.path.join(dirpath, name)
        if name.endswith(".rs") and path not in generator:
            print(f"note: {rel(path)} has no coverage record (no code, or only compiled under cfg(test))", file=sys.stderr)
table(f"generator/src (without #[cfg(test)] items: {excluded} lines of unit tests left out)", generator)
table("templates (merged over copies)", merged)
for template in templates:
    sources = ([f"{rel(template)} (tests/edge include!)"] if template in files else []) + copies[template]
    print(f"  {rel(template)}: merged from {' + '.join(sources) or 'nothing: no copy was compiled'}")
PY
