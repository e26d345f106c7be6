//! `tracing` spans as tests see them: [`SpanLog::capture`] runs a future and returns the spans
//! opened on its thread, with their fields, and its events (as spans named `event`).

use std::collections::BTreeMap;
use std::future::Future;

/// The spans opened while a thread captures: id, name and fields (values as text).
type Spans = Vec<(u64, &'static str, BTreeMap<String, String>)>;

thread_local! {
    /// The spans of the capture running on this thread, if one is.
    static CAPTURED: std::cell::RefCell<Option<Spans>> = const { std::cell::RefCell::new(None) };
}

/// A `tracing` layer that keeps the fields of every span opened on a capturing thread, as given
/// when it opened and recorded later. It is the process's subscriber, set once: tracing decides
/// whether a span is of interest when it is first created, from the dispatchers there are then,
/// and keeps the answer, so a subscriber set for one test only could miss spans another test's
/// thread made first.
pub struct SpanLog;

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl tracing::field::Visit for Fields<'_> {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SpanLog {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        Self::event(event);
    }

    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        CAPTURED.with(|captured| {
            if let Some(spans) = captured.borrow_mut().as_mut() {
                let mut fields = BTreeMap::new();
                attrs.record(&mut Fields(&mut fields));
                spans.push((id.into_u64(), attrs.metadata().name(), fields));
            }
        });
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        CAPTURED.with(|captured| {
            let mut captured = captured.borrow_mut();
            let span = captured.as_mut().and_then(|spans| spans.iter_mut().rev().find(|(at, ..)| *at == id.into_u64()));
            if let Some((_, _, fields)) = span {
                values.record(&mut Fields(fields));
            }
        });
    }
}

impl SpanLog {
    /// Keeps an event of a capturing thread as a span named `event` (its message is the field
    /// `message`), in order among the spans.
    fn event(event: &tracing::Event<'_>) {
        CAPTURED.with(|captured| {
            if let Some(spans) = captured.borrow_mut().as_mut() {
                let mut fields = BTreeMap::new();
                fields.insert("level".to_owned(), event.metadata().level().to_string());
                event.record(&mut Fields(&mut fields));
                spans.push((0, "event", fields));
            }
        });
    }

    /// Runs `future` on this thread, capturing the spans opened on it.
    pub async fn capture<F: Future>(future: F) -> (F::Output, Vec<(&'static str, BTreeMap<String, String>)>) {
        let (output, mut spans) = Self::capture_with_events(future).await;
        spans.retain(|(name, _)| *name != "event");
        (output, spans)
    }

    /// Runs `future` on this thread, capturing the spans opened on it and its events.
    pub async fn capture_with_events<F: Future>(
        future: F,
    ) -> (F::Output, Vec<(&'static str, BTreeMap<String, String>)>) {
        use tracing_subscriber::layer::SubscriberExt as _;
        static GLOBAL: std::sync::Once = std::sync::Once::new();
        GLOBAL.call_once(|| {
            tracing::subscriber::set_global_default(tracing_subscriber::registry().with(SpanLog))
                .expect("no other global subscriber in this test binary");
        });
        CAPTURED.with(|captured| *captured.borrow_mut() = Some(Vec::new()));
        let output = future.await;
        let spans = CAPTURED.with(|captured| captured.borrow_mut().take()).unwrap_or_default();
        (output, spans.into_iter().map(|(_, name, fields)| (name, fields)).collect())
    }
}

pub fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}
