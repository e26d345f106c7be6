//! The parallel runner: work spread over all cores in contiguous chunks, results in item order.

/// The stack of each worker thread (address space; only what recursion touches is used). Deeply
/// nested documents recurse deeply in lowering, syn and prettyplease.
pub(crate) const WORKER_STACK: usize = 64 << 20;

/// `f` on every item, on all cores (threads with [`WORKER_STACK`]), in contiguous chunks; the
/// results come back in item order, so what runs in parallel stays deterministic.
pub(crate) fn in_parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let work = |part: &[T]| part.iter().map(f).collect::<Vec<R>>();
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                (part, std::thread::Builder::new().stack_size(WORKER_STACK).spawn_scoped(scope, move || work(part)))
            })
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for (part, handle) in handles {
            // A chunk whose thread could not be spawned is done here; a panic is passed on.
            match handle {
                Ok(h) => out.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
                Err(_) => out.extend(work(part)),
            }
        }
        out
    })
}
