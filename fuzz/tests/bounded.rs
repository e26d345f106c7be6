//! A bounded fuzzing run: a fixed number of mutants of the corpus' smallest documents, from a
//! fixed seed, through load, lower and emit; none may panic, hang or be refused without
//! locations. The long run is `scripts/fuzz.sh` (TESTING.md).
//!
//! The corpus is `$OAGEN_CORPUS` or `../shared/corpus` beside the checkout; without it the test
//! says so and passes, unless `OAGEN_REQUIRE_CORPUS` or `CI` is set. A process abort (a stack
//! overflow) cannot be caught: the mutant being checked is always in
//! `target/tmp/fuzz-current.*`, with its seed and iteration in `fuzz-current.txt`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const SEED: u64 = 13;
/// About half a minute of one core in a debug build.
const ITERATIONS: u64 = 120;
/// The smallest documents of the corpus are mutated: they generate fastest.
const DOCUMENTS: usize = 8;
/// Huge strings stay below a quarter of a megabyte here (the long run goes to 4 MB).
const HUGE: usize = 256 << 10;

fn corpus_dir() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = std::env::var_os("OAGEN_CORPUS").map_or_else(|| root.join("../shared/corpus"), PathBuf::from);
    dir.is_dir().then_some(dir)
}

#[test]
fn mutants_never_panic_and_every_refusal_is_located() {
    let Some(dir) = corpus_dir() else {
        let msg = "corpus not found: set OAGEN_CORPUS to a directory of OpenAPI documents, or place the shared \
                   corpus at ../shared/corpus";
        let required = std::env::var_os("OAGEN_REQUIRE_CORPUS").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "{msg}");
        eprintln!("skipped: {msg}");
        return;
    };
    let mut paths = oagen_fuzz::corpus(std::slice::from_ref(&dir), 64 << 10);
    paths.sort_by_key(|p| (std::fs::metadata(p).map_or(u64::MAX, |m| m.len()), p.clone()));
    let docs: Vec<(PathBuf, serde_json::Value)> = paths
        .into_iter()
        .filter_map(|p| {
            let doc = oagen_fuzz::parse(&std::fs::read_to_string(&p).ok()?)?;
            Some((p, doc))
        })
        .take(DOCUMENTS)
        .collect();
    assert!(!docs.is_empty(), "no documents of at most 64 KiB under {}", dir.display());
    let trees: Vec<serde_json::Value> = docs.iter().map(|(_, d)| d.clone()).collect();

    oagen_fuzz::check::install_panic_hook();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let started = Instant::now();
    let mut findings = Vec::new();
    let mut verdicts = std::collections::BTreeMap::<String, u64>::new();
    for i in 0..ITERATIONS {
        let mutant = std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn({
                let trees = trees.clone();
                move || oagen_fuzz::mutant(SEED, i, &trees, HUGE)
            })
            .expect("spawn the mutant thread")
            .join()
            .expect("the mutator does not panic");
        let current = scratch.join(format!("fuzz-current.{}", mutant.format.extension()));
        let source = docs[mutant.document].0.display().to_string();
        let note = format!("seed {SEED} iteration {i} from {source}\n{}\n", mutant.mutations.join("\n"));
        std::fs::write(&current, &mutant.text).expect("target/tmp is writable");
        std::fs::write(scratch.join("fuzz-current.txt"), &note).expect("target/tmp is writable");
        let settings = oagen::Settings { source_name: "mutant".to_owned(), ..oagen::Settings::default() };
        match oagen_fuzz::check(&mutant.text, &settings, Duration::from_secs(60)) {
            Ok(verdict) => {
                let label = format!("{verdict:?}");
                *verdicts.entry(label.split('(').next().unwrap_or_default().to_owned()).or_default() += 1;
            }
            Err(finding) => {
                let kept = scratch.join(format!("fuzz-{}-{SEED}-{i}.{}", finding.kind, mutant.format.extension()));
                std::fs::write(&kept, &mutant.text).expect("target/tmp is writable");
                findings.push(format!("{}: {}\n  {note}  mutant: {}", finding.kind, finding.detail, kept.display()));
                if finding.kind == "hang" {
                    break;
                }
            }
        }
    }
    eprintln!(
        "fuzz: {ITERATIONS} mutants of {} documents in {:.1} s: {verdicts:?}",
        docs.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(findings.is_empty(), "{} finding(s):\n{}", findings.len(), findings.join("\n"));
}
