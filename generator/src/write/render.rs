//! The render loop: every unit of every file's plan rendered and formatted on all cores (only
//! the units in hand hold tokens), then the files put together in order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::format;
use crate::emit::Options;
use crate::emit::{self, Container, Piece, Plan, Unit};
use crate::error::Error;
use crate::ir::Api;
use crate::parallel::{WORKER_STACK, in_parallel};
use crate::settings::Timings;

/// The support module copied into every generated crate.
const RUNTIME: &str = include_str!("../../../templates/runtime.rs");
/// The client's runtime, copied into every generated crate with a client.
const CLIENT_RUNTIME: &str = include_str!("../../../templates/client_runtime.rs");
/// The server's runtime, copied into every generated crate with a server.
const SERVER_RUNTIME: &str = include_str!("../../../templates/server_runtime.rs");
/// The fake server's runtime, copied into every generated crate with both sides.
const TESTING_RUNTIME: &str = include_str!("../../../templates/testing_runtime.rs");

/// A file and its plan.
pub(crate) type Job<'a> = (String, Plan<'a>);

/// The module files, shared by the crate layout and the build-script layout; `extra` files are
/// rendered with them.
pub(crate) fn modules<'a>(
    api: &'a Api,
    options: &Options<'_>,
    extra: Vec<Job<'a>>,
    timings: &mut Timings,
) -> Result<BTreeMap<String, String>, Error> {
    let header = super::header(options.source_name);
    let mut files = BTreeMap::new();
    files.insert("runtime.rs".to_owned(), format!("{header}\n{}", RUNTIME));
    if options.client {
        files.insert("client_runtime.rs".to_owned(), format!("{header}\n{}", CLIENT_RUNTIME));
    }
    if options.server {
        files.insert("server_runtime.rs".to_owned(), format!("{header}\n{}", SERVER_RUNTIME));
    }
    if options.testing {
        files.insert("testing_runtime.rs".to_owned(), format!("{header}\n{}", TESTING_RUNTIME));
    }
    let plans = emit::plans(api, options);
    let mut jobs: Vec<Job<'a>> = plans.into_iter().map(|(name, plan)| (name.to_owned(), plan)).collect();
    jobs.extend(extra);
    files.extend(render_all(api, options, jobs, timings)?);
    Ok(files)
}

/// Where a task's text goes in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    /// Whole items, after a blank line.
    Items,
    /// A big item's first lines, after a blank line.
    Open,
    /// Some of its members: right after the first lines, after a blank line otherwise.
    Members,
    /// The `}` of the item opened before.
    Close,
}

/// One task of the render loop: a unit to render and format for its part of a file.
enum Task<'p, 'a> {
    Items(&'p Unit<'a>),
    Open(&'p Unit<'a>),
    Members(Container, &'p Unit<'a>),
    Close,
}

impl Task<'_, '_> {
    fn part(&self) -> Part {
        match self {
            Self::Items(_) => Part::Items,
            Self::Open(_) => Part::Open,
            Self::Members(..) => Part::Members,
            Self::Close => Part::Close,
        }
    }
}

/// A plan's tasks, in order: a big item is its shell, a task per unit of members, its close.
fn tasks<'p, 'a>(plan: &'p Plan<'a>) -> impl Iterator<Item = Task<'p, 'a>> {
    plan.iter().flat_map(|piece| match piece {
        Piece::Items(unit) => vec![Task::Items(unit)],
        // Without members the shell is the whole item (`trait Api {}` without operations).
        Piece::Container { shell, members, .. } if members.is_empty() => vec![Task::Items(shell)],
        Piece::Container { kind, shell, members } => std::iter::once(Task::Open(shell))
            .chain(members.iter().map(|m| Task::Members(*kind, m)))
            .chain(std::iter::once(Task::Close))
            .collect(),
    })
}

/// Renders and formats a task; the time of each goes to `emit` and `format`.
fn run(
    api: &Api,
    options: &Options<'_>,
    task: &Task<'_, '_>,
    emit: &mut Duration,
    format: &mut Duration,
) -> Result<String, Error> {
    let unit = match task {
        Task::Items(u) | Task::Open(u) | Task::Members(_, u) => u,
        Task::Close => return Ok("}\n".to_owned()),
    };
    let started = Instant::now();
    let rendered = emit::render(api, options, unit);
    *emit += started.elapsed();
    let started = Instant::now();
    let text = match task {
        Task::Open(_) => format::open(rendered),
        Task::Members(kind, _) => format::members(*kind, rendered),
        _ => format::items(rendered),
    };
    *format += started.elapsed();
    text
}

/// Renders and formats every task of every file on as many threads as the machine offers (each
/// task is independent, and only the tasks in hand hold tokens), then assembles the files in
/// order. Each thread's emit and format time is added to `timings`.
fn render_all(
    api: &Api,
    options: &Options<'_>,
    jobs: Vec<Job<'_>>,
    timings: &mut Timings,
) -> Result<Vec<(String, String)>, Error> {
    let work: Vec<(usize, Task<'_, '_>)> =
        jobs.iter().enumerate().flat_map(|(file, (_, plan))| tasks(plan).map(move |t| (file, t))).collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(work.len()).max(1);
    let worker = || {
        let mut done = Vec::new();
        let (mut emit, mut format) = (Duration::ZERO, Duration::ZERO);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((_, task)) = work.get(i) else { break };
            done.push((i, run(api, options, task, &mut emit, &mut format)));
        }
        (done, emit, format)
    };
    let mut texts: Vec<Option<Result<String, Error>>> = (0..work.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        // Deeply nested documents recurse deeply in syn and prettyplease, so the work happens on
        // threads with a known, large stack, whatever the caller's (a test thread has 2 MiB).
        let spawn = || std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, worker).ok();
        let handles: Vec<_> = (0..threads).filter_map(|_| spawn()).collect();
        // Only when no thread could be spawned does the caller work, on its own stack.
        let mut outcomes = if handles.is_empty() { vec![worker()] } else { Vec::new() };
        // A worker only panics on a bug in an emitter; passing the panic on keeps it visible.
        outcomes.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))));
        for (done, emit, format) in outcomes {
            timings.emit += emit;
            timings.format += format;
            for (i, text) in done {
                texts[i] = Some(text);
            }
        }
    });
    let mut per_file: Vec<Vec<(Part, String)>> = jobs.iter().map(|_| Vec::new()).collect();
    for ((file, task), text) in work.iter().zip(texts) {
        let text = text.ok_or_else(|| Error::Internal("a task was not run".to_owned()))??;
        per_file[*file].push((task.part(), text));
    }
    // Files are put together on all cores too (Graph's are hundreds of megabytes).
    let texts = in_parallel(&per_file, |parts| assemble(options.source_name, parts));
    Ok(jobs.into_iter().map(|(name, _)| name).zip(texts).collect())
}

/// A module file from its formatted parts, in order: the header, then the parts, a blank line
/// between two, except after a big item's first lines and before its `}`.
fn assemble(source_name: &str, parts: &[(Part, String)]) -> String {
    let header = super::header(source_name);
    let mut out = String::with_capacity(header.len() + 1 + parts.iter().map(|(_, p)| p.len() + 1).sum::<usize>());
    out.push_str(&header);
    out.push('\n');
    let mut before = None;
    for (part, text) in parts.iter().filter(|(_, p)| !p.is_empty()) {
        let blank = match part {
            Part::Items | Part::Open => before.is_some(),
            Part::Members => before.is_some_and(|b| b != Part::Open),
            Part::Close => false,
        };
        if blank {
            out.push('\n');
        }
        out.push_str(text);
        before = Some(*part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Part, assemble};

    /// Parts are a blank line apart, except a big item's first member and its `}`.
    #[test]
    fn parts_are_spaced_like_hand_formatted_rust() {
        let parts = [
            (Part::Items, "use a;\n"),
            (Part::Open, "impl A {\n"),
            (Part::Members, "    fn a() {}\n"),
            (Part::Members, ""),
            (Part::Members, "    fn b() {}\n"),
            (Part::Close, "}\n"),
            (Part::Items, "struct B;\n"),
        ]
        .map(|(p, t)| (p, t.to_owned()));
        let text = assemble("x", &parts);
        assert_eq!(
            text,
            "// @generated by oagen from x. Do not edit.\n\n\
             use a;\n\nimpl A {\n    fn a() {}\n\n    fn b() {}\n}\n\nstruct B;\n"
        );
    }
}
