//! The pipeline: load → lower → emit → write, timed per stage. The CLI, build scripts and the
//! drift test all come through here, so their bytes are identical.

use std::collections::BTreeMap;
use std::time::Instant;

use crate::error::{Diagnostic, Error, Severity};
use crate::settings::{Generated, Settings, Timings};
use crate::write::Job;
use crate::{config, emit, ir, load, lower, manifest, overlay};

/// The document a generated server serves: its JSON and YAML texts.
pub(crate) struct Served {
    pub json: String,
    pub yaml: String,
}

/// The document's IR (after the settings' overlays), or every problem that stops generation.
/// Features are assigned when `tag_features` asks for them. With a server, also the document as
/// the server serves it: after overlays and the configuration's selection, before normalizing.
pub(crate) fn lower_timed(
    text: &str,
    settings: &Settings,
    tag_features: bool,
    timings: &mut Timings,
) -> Result<(ir::Api, Vec<Diagnostic>, Option<Served>), Error> {
    let source_name = settings.source_name.as_str();
    let started = Instant::now();
    let mut doc = load::parse(source_name, text)?;
    let mut overlay_warnings = Vec::new();
    for (name, overlay) in &settings.overlays {
        overlay_warnings.extend(overlay::apply(&mut doc, name, overlay)?);
    }
    // What the server serves: the document after overlays, with the configuration's selection
    // but not the hints it writes for lowering; copied (compactly, quicker than a clone) before
    // the configuration and normalizing change the document, and written on another core while
    // this one lowers.
    let snapshot = settings.server.then(|| serde_json::to_vec(&doc).expect("a JSON value has a text"));
    let tailoring = config::apply(&mut doc, &settings.config).map_err(|problems| config_error(settings, problems))?;
    std::thread::scope(|scope| {
        let served = snapshot.map(|snapshot| {
            scope.spawn(move || {
                let mut reader = serde_json::Deserializer::from_slice(&snapshot);
                // As deep as the document was, overlays included.
                reader.disable_recursion_limit();
                let mut doc = <serde_json::Value as serde::Deserialize>::deserialize(&mut reader)
                    .expect("the text serde_json just wrote reads back");
                config::select_only(&mut doc, &settings.config);
                Served { json: load::to_json(&doc), yaml: load::to_yaml(&doc) }
            })
        });
        load::normalize(&mut doc);
        timings.load = started.elapsed();
        let started = Instant::now();
        let (mut api, mut diagnostics) = lower::lower(&doc, &tailoring);
        drop(doc);
        if let Some(api) = api.as_mut() {
            let problems = lower::tailor::tailor(api, &tailoring);
            if !problems.is_empty() {
                return Err(config_error(settings, problems));
            }
        }
        if let Some(api) = api.as_mut().filter(|_| tag_features) {
            lower::features::assign(api);
        }
        locate(text, &mut diagnostics);
        timings.lower = started.elapsed();
        diagnostics.extend(overlay_warnings);
        let served = served.map(|handle| handle.join().expect("writing a JSON value as text does not panic"));
        match api {
            Some(api) if !diagnostics.iter().any(|d| d.severity == Severity::Error) => Ok((api, diagnostics, served)),
            _ => Err(Error::Invalid { source_name: source_name.to_owned(), diagnostics }),
        }
    })
}

/// The configuration's problems, located in its file when it came from one.
fn config_error(settings: &Settings, mut problems: Vec<config::ConfigProblem>) -> Error {
    let source_name = match &settings.config_file {
        Some((name, text)) => {
            config::locate_problems(text, &mut problems);
            name.clone()
        }
        None => {
            problems.sort();
            "configuration".to_owned()
        }
    };
    Error::Configuration { source_name, problems }
}

/// Gives each diagnostic the line its pointer names in `text`, and sorts them in document order.
fn locate(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
    let lines = load::locate(text, &pointers);
    for (d, line) in diagnostics.iter_mut().zip(lines) {
        d.line = line;
    }
    // Document order, so a reader can walk the file top to bottom.
    diagnostics.sort_by_key(|d| d.line.unwrap_or(usize::MAX));
}

/// What the emitters read of `settings`.
pub(crate) fn options(settings: &Settings) -> emit::Options<'_> {
    emit::Options {
        source_name: &settings.source_name,
        client: settings.client,
        server: settings.server,
        server_stubs: settings.server_stubs,
        // The fake server needs both sides.
        testing: settings.client && settings.server,
    }
}

/// A complete crate (see [`crate::generate`]).
pub(crate) fn generate(text: &str, settings: &Settings) -> Result<Generated, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    let (api, diagnostics, served) = lower_timed(text, settings, settings.tag_features, &mut timings)?;
    let root: Job<'_> = ("lib.rs".to_owned(), vec![emit::Piece::Items(emit::Unit::CrateRoot)]);
    let mut files: BTreeMap<String, String> =
        crate::write::modules(&api, &options(settings), vec![root], &mut timings)?
            .into_iter()
            .map(|(k, v)| (format!("src/{k}"), v))
            .collect();
    files.insert("Cargo.toml".to_owned(), manifest::manifest(&api, settings));
    files.insert("rustfmt.toml".to_owned(), manifest::RUSTFMT_TOML.to_owned());
    if let Some(served) = served {
        files.insert("src/openapi.json".to_owned(), served.json);
        files.insert("src/openapi.yaml".to_owned(), served.yaml);
    }
    timings.total = started.elapsed();
    Ok(Generated { files, diagnostics, timings })
}

/// The files a build script writes (see [`crate::generate_modules`]).
pub(crate) fn generate_modules(text: &str, settings: &Settings, module: &str) -> Result<Generated, Error> {
    let started = Instant::now();
    let mut timings = Timings::default();
    // An including crate has no features of ours to gate on.
    let (api, diagnostics, served) = lower_timed(text, settings, false, &mut timings)?;
    let root: Job<'_> = (format!("{module}.rs"), vec![emit::Piece::Items(emit::Unit::IncludeRoot)]);
    // Nor a `testing` feature to put the fake server behind.
    let options = emit::Options { testing: false, ..options(settings) };
    let mut files = crate::write::modules(&api, &options, vec![root], &mut timings)?;
    if let Some(served) = served {
        files.insert("openapi.json".to_owned(), served.json);
        files.insert("openapi.yaml".to_owned(), served.yaml);
    }
    timings.total = started.elapsed();
    Ok(Generated { files, diagnostics, timings })
}
