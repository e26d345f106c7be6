//! `oagen-fuzz`: mutates corpus documents and runs them through oagen until the budget is spent.
//!
//! ```text
//! oagen-fuzz [--seed N] [--iterations N] [--minutes M] [--corpus DIR]... [--out DIR]
//!            [--max-bytes N] [--huge N] [--timeout SECS]
//! oagen-fuzz --seed N --replay I [--corpus DIR]... [--out DIR]    # one iteration again
//! ```
//!
//! The command supervises a worker process (itself, with `--worker`) that runs the iterations:
//! a panic, a hang or an unlocated error is caught by the worker; a stack overflow or an abort
//! kills it, and the supervisor, which knows the iteration it was on, writes that mutant out and
//! starts a new worker at the next iteration. Each finding is written to the output directory
//! (`<kind>-<seed>-<iteration>.<ext>`, with a `.txt` beside it saying what happened) and printed
//! with the command that reproduces it.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oagen_fuzz::check::{Finding, Verdict};

#[derive(Debug, Clone)]
struct Args {
    seed: u64,
    iterations: Option<u64>,
    minutes: Option<f64>,
    corpus: Vec<PathBuf>,
    out: PathBuf,
    max_bytes: u64,
    huge: usize,
    timeout: u64,
    /// Worker mode: run iterations from here, report on stdout.
    worker: Option<u64>,
    replay: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        seed: 1,
        iterations: None,
        minutes: None,
        corpus: Vec::new(),
        out: PathBuf::from("target/fuzz"),
        max_bytes: 1 << 20,
        huge: 4 << 20,
        timeout: 60,
        worker: None,
        replay: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<u64>().map_err(|e| format!("{flag} {v}: {e}"));
        match flag.as_str() {
            "--seed" => args.seed = number(value()?)?,
            "--iterations" => args.iterations = Some(number(value()?)?),
            "--minutes" => args.minutes = Some(value()?.parse().map_err(|e| format!("--minutes: {e}"))?),
            "--corpus" => args.corpus.push(PathBuf::from(value()?)),
            "--out" => args.out = PathBuf::from(value()?),
            "--max-bytes" => args.max_bytes = number(value()?)?,
            "--huge" => args.huge = usize::try_from(number(value()?)?).map_err(|e| e.to_string())?,
            "--timeout" => args.timeout = number(value()?)?,
            "--worker" => args.worker = Some(number(value()?)?),
            "--replay" => args.replay = Some(number(value()?)?),
            "-h" | "--help" => {
                return Err("usage: oagen-fuzz [--seed N] [--iterations N] [--minutes M] [--corpus DIR]... \
                            [--out DIR] [--max-bytes N] [--huge N] [--timeout SECS] [--replay I]"
                    .to_owned());
            }
            other => return Err(format!("unknown argument {other} (see --help)")),
        }
    }
    if args.corpus.is_empty() {
        let dir = std::env::var_os("OAGEN_CORPUS").map_or_else(|| PathBuf::from("../shared/corpus"), PathBuf::from);
        args.corpus.push(dir);
    }
    Ok(args)
}

/// The corpus, parsed: paths and trees of the documents that parse.
fn load(args: &Args) -> (Vec<PathBuf>, Vec<serde_json::Value>) {
    let mut paths = Vec::new();
    let mut docs = Vec::new();
    for path in oagen_fuzz::corpus(&args.corpus, args.max_bytes) {
        if let Some(doc) = std::fs::read_to_string(&path).ok().as_deref().and_then(oagen_fuzz::parse) {
            paths.push(path);
            docs.push(doc);
        }
    }
    (paths, docs)
}

/// Mutant `iteration`, made on a thread with a stack deep mutants need.
fn make_mutant(args: &Args, docs: &[serde_json::Value], iteration: u64) -> oagen_fuzz::Mutant {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(1 << 30)
            .spawn_scoped(s, || oagen_fuzz::mutant(args.seed, iteration, docs, args.huge))
            .expect("spawn the mutant thread")
            .join()
            .expect("the mutator does not panic")
    })
}

/// Writes a finding's mutant and its story; returns the mutant's path.
fn save(
    args: &Args,
    paths: &[PathBuf],
    mutant: &oagen_fuzz::Mutant,
    iteration: u64,
    finding: &Finding,
) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(&args.out)?;
    let stem = format!("{}-{}-{iteration}", finding.kind, args.seed);
    let file = args.out.join(format!("{stem}.{}", mutant.format.extension()));
    std::fs::write(&file, &mutant.text)?;
    let source = paths.get(mutant.document).map_or_else(String::new, |p| p.display().to_string());
    let mut story = format!(
        "{}: {}\nseed {} iteration {iteration}, from {source}\nreproduce: oagen-fuzz --seed {} --replay {iteration} {}\n\
         or: oagen generate {} --out /tmp/oagen-fuzz-out\nmutations:\n",
        finding.kind,
        finding.detail,
        args.seed,
        args.seed,
        args.corpus.iter().map(|c| format!("--corpus {}", c.display())).collect::<Vec<_>>().join(" "),
        file.display()
    );
    for m in &mutant.mutations {
        story.push_str(&format!("  {}\n", m.chars().take(300).collect::<String>()));
    }
    std::fs::write(args.out.join(format!("{stem}.txt")), story)?;
    Ok(file)
}

fn settings(iteration: u64) -> oagen::Settings {
    // Vary what is emitted a little, so stubs and the no-server/no-client layouts are covered.
    let mut s = oagen::Settings { source_name: "mutant".to_owned(), ..oagen::Settings::default() };
    match iteration % 8 {
        1 => s.server_stubs = true,
        2 => s.client = false,
        3 => s.server = false,
        4 => s.tag_features = false,
        _ => {}
    }
    s
}

/// Worker mode: iterations from `start` until the budget is spent; one line per event.
fn worker(args: &Args, start: u64) -> ExitCode {
    oagen_fuzz::check::install_panic_hook();
    let (paths, docs) = load(args);
    let deadline = args.minutes.map(|m| Instant::now() + Duration::from_secs_f64(m * 60.0));
    let end = args.iterations.unwrap_or(u64::MAX);
    let mut out = std::io::stdout().lock();
    for i in start..end {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            break;
        }
        let mutant = make_mutant(args, &docs, i);
        let _ = writeln!(out, "begin {i} {}", mutant.document);
        let _ = out.flush();
        let result = oagen_fuzz::check(&mutant.text, &settings(i), Duration::from_secs(args.timeout));
        let verdict = match &result {
            Ok(Verdict::Generated(_)) => "generated".to_owned(),
            Ok(Verdict::Syntax) => "syntax".to_owned(),
            Ok(Verdict::Refused(_)) => "refused".to_owned(),
            Err(finding) => {
                let file =
                    save(args, &paths, &mutant, i, finding).map_or_else(|e| e.to_string(), |f| f.display().to_string());
                format!("finding {} {file} {}", finding.kind, finding.detail.replace('\n', " "))
            }
        };
        let _ = writeln!(out, "end {i} {verdict}");
        let _ = out.flush();
        if matches!(result, Err(Finding { kind: "hang", .. })) {
            // The generation thread cannot be stopped; a fresh worker continues.
            return ExitCode::from(3);
        }
    }
    let _ = writeln!(out, "done");
    ExitCode::SUCCESS
}

/// Runs one iteration again, in this process, and says what happened.
fn replay(args: &Args, iteration: u64) -> ExitCode {
    oagen_fuzz::check::install_panic_hook();
    let (paths, docs) = load(args);
    let mutant = make_mutant(args, &docs, iteration);
    println!(
        "seed {} iteration {iteration}: {}",
        args.seed,
        paths.get(mutant.document).map_or(String::new(), |p| p.display().to_string())
    );
    for m in &mutant.mutations {
        println!("  {}", m.chars().take(300).collect::<String>());
    }
    match oagen_fuzz::check(&mutant.text, &settings(iteration), Duration::from_secs(args.timeout)) {
        Ok(verdict) => {
            println!("fine: {verdict:?}");
            ExitCode::SUCCESS
        }
        Err(finding) => {
            let file = save(args, &paths, &mutant, iteration, &finding);
            println!("FINDING {}: {} ({file:?})", finding.kind, finding.detail);
            ExitCode::FAILURE
        }
    }
}

#[derive(Default)]
struct Totals {
    iterations: u64,
    generated: u64,
    syntax: u64,
    refused: u64,
    findings: Vec<String>,
    documents: std::collections::BTreeSet<usize>,
}

/// Supervisor mode: workers until the budget is spent; findings of crashed or stuck workers are
/// written here.
fn supervise(args: &Args) -> ExitCode {
    let (paths, docs) = load(args);
    if docs.is_empty() {
        eprintln!("no documents under {:?} (at most {} bytes each)", args.corpus, args.max_bytes);
        return ExitCode::from(2);
    }
    println!(
        "oagen-fuzz: seed {}, {} documents from {:?}, budget {} iterations / {} minutes, findings to {}",
        args.seed,
        docs.len(),
        args.corpus,
        args.iterations.map_or("unlimited".to_owned(), |n| n.to_string()),
        args.minutes.map_or("unlimited".to_owned(), |m| m.to_string()),
        args.out.display()
    );
    let started = Instant::now();
    let exe = std::env::current_exe().expect("the fuzzer knows its own path");
    let mut totals = Totals::default();
    let mut next = 0;
    let mut last_report = Instant::now();
    loop {
        let remaining = args.minutes.map(|m| m - started.elapsed().as_secs_f64() / 60.0);
        if remaining.is_some_and(|r| r <= 0.0) || args.iterations.is_some_and(|n| next >= n) {
            break;
        }
        let mut cmd = Command::new(&exe);
        cmd.args(["--worker", &next.to_string(), "--seed", &args.seed.to_string()])
            .args(["--max-bytes", &args.max_bytes.to_string(), "--huge", &args.huge.to_string()])
            .args(["--timeout", &args.timeout.to_string(), "--out"])
            .arg(&args.out)
            .stdout(Stdio::piped());
        for c in &args.corpus {
            cmd.arg("--corpus").arg(c);
        }
        if let Some(n) = args.iterations {
            cmd.args(["--iterations", &n.to_string()]);
        }
        if let Some(r) = remaining {
            cmd.args(["--minutes", &r.to_string()]);
        }
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                eprintln!("cannot start a worker: {e}");
                return ExitCode::from(2);
            }
        };
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut current: Option<u64> = None;
        let mut finished = false;
        // The worker reports its own hangs after `timeout`; the supervisor waits a little longer
        // (making a huge mutant takes time too) before it calls the worker stuck.
        let patience = Duration::from_secs(args.timeout * 2 + 30);
        loop {
            match rx.recv_timeout(patience) {
                Ok(line) => {
                    let mut words = line.splitn(3, ' ');
                    match (words.next(), words.next().and_then(|w| w.parse::<u64>().ok()), words.next()) {
                        (Some("begin"), Some(i), rest) => {
                            current = Some(i);
                            if let Some(d) = rest.and_then(|r| r.parse().ok()) {
                                totals.documents.insert(d);
                            }
                        }
                        (Some("end"), Some(i), Some(verdict)) => {
                            current = None;
                            next = i + 1;
                            totals.iterations += 1;
                            match verdict.split(' ').next() {
                                Some("generated") => totals.generated += 1,
                                Some("syntax") => totals.syntax += 1,
                                Some("refused") => totals.refused += 1,
                                _ => {
                                    println!("FINDING at iteration {i} (seed {}): {verdict}", args.seed);
                                    totals.findings.push(format!("{i}: {verdict}"));
                                }
                            }
                        }
                        (Some("done"), ..) => finished = true,
                        _ => {}
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    let _ = child.kill();
                    break;
                }
            }
            if last_report.elapsed() >= Duration::from_secs(60) {
                last_report = Instant::now();
                report(&totals, started, docs.len());
            }
        }
        let status = child.wait();
        if let Some(i) = current {
            // The worker died (or was killed) inside iteration i: a stack overflow, an abort,
            // out of memory, or stuck beyond its own timeout.
            let how = match &status {
                Ok(s) if s.success() => "exited in the middle of an iteration".to_owned(),
                Ok(s) => format!("worker died: {s}"),
                Err(e) => format!("worker lost: {e}"),
            };
            let mutant = make_mutant(args, &docs, i);
            let finding = Finding { kind: "crash", detail: how };
            let file =
                save(args, &paths, &mutant, i, &finding).map_or_else(|e| e.to_string(), |f| f.display().to_string());
            println!("FINDING at iteration {i} (seed {}): crash {file} {}", args.seed, finding.detail);
            totals.findings.push(format!("{i}: crash {file} {}", finding.detail));
            totals.iterations += 1;
            next = i + 1;
        } else if finished {
            break;
        }
    }
    report(&totals, started, docs.len());
    for f in &totals.findings {
        println!("  finding {f}");
    }
    if totals.findings.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn report(totals: &Totals, started: Instant, documents: usize) {
    println!(
        "[{:.1} min] {} iterations ({} generated, {} refused, {} syntax), {} of {documents} documents mutated, {} findings",
        started.elapsed().as_secs_f64() / 60.0,
        totals.iterations,
        totals.generated,
        totals.refused,
        totals.syntax,
        totals.documents.len(),
        totals.findings.len()
    );
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if !args.corpus.iter().any(|c| Path::new(c).is_dir()) {
        eprintln!("corpus not found: {:?} (set OAGEN_CORPUS or pass --corpus DIR)", args.corpus);
        return ExitCode::from(2);
    }
    match (args.worker, args.replay) {
        (Some(start), _) => worker(&args, start),
        (None, Some(i)) => replay(&args, i),
        (None, None) => supervise(&args),
    }
}
