//! The `oagen` command line: `generate` writes a crate, `check` says whether a directory holds
//! what `generate` would write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

// Generation allocates many small tokens and trees; mimalloc does that markedly faster than the
// system allocator.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "oagen",
    version,
    about = "OpenAPI to Rust: serde models, an async client and an axum server, from one IR"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a complete crate (Cargo.toml and src/) for a document.
    Generate(Args),
    /// Exit 0 when DIR holds what `generate` would write, 1 with a diff when not.
    Check(Args),
}

#[derive(clap::Args)]
struct Args {
    /// The OpenAPI document (YAML or JSON).
    spec: PathBuf,
    /// The crate directory.
    #[arg(long)]
    out: PathBuf,
    /// The package name (default: from the document's file name).
    #[arg(long, value_parser = package_name)]
    crate_name: Option<String>,
    /// Leave out the async client.
    #[arg(long)]
    no_client: bool,
    /// Leave out the server.
    #[arg(long)]
    no_server: bool,
    /// Give the server trait's methods default bodies answering 501 Not Implemented.
    #[arg(long)]
    server_stubs: bool,
    /// Refuse the document (exit 2) instead of taking a fallback for anything it warns about.
    #[arg(long)]
    strict: bool,
    /// An OpenAPI Overlay 1.0 document to apply first (repeatable, applied in order).
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<PathBuf>,
    /// Compile every operation and model unconditionally (no `tag-*` or `path-*` cargo features).
    #[arg(long)]
    no_tag_features: bool,
    /// Print how long each stage took (load, lower, emit, format, write) to stderr.
    #[arg(long)]
    timings: bool,
    /// The configuration (default: `oagen.toml` beside the document, when there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Ignore `oagen.toml` beside the document.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

/// A cargo package name: ASCII letters, digits, `-` and `_`, not starting with a digit (anything
/// else would be written into `Cargo.toml` as is and break it).
fn package_name(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        Ok(text.to_owned())
    } else {
        Err(format!("`{text}` is not a package name: use ASCII letters, digits, `-` and `_`, starting with a letter"))
    }
}

/// Exit codes: 0 fine, 1 `check` found a difference, 2 a bad document or an I/O failure.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let (args, checking) = match &cli.command {
        Command::Generate(a) => (a, false),
        Command::Check(a) => (a, true),
    };
    match run(args, checking) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args, checking: bool) -> anyhow::Result<ExitCode> {
    let mut settings = oagen::Settings::for_spec(&args.spec);
    let beside = args.spec.parent().map(|dir| dir.join("oagen.toml")).filter(|p| p.is_file());
    if let Some(path) = args.config.clone().or(if args.no_config { None } else { beside }) {
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.display().to_string();
        let config = oagen::config::parse(&name, &text)?;
        settings.configure(config, Some((name, text)));
    }
    // Flags win over the configuration.
    if let Some(name) = &args.crate_name {
        settings.crate_name.clone_from(name);
    }
    settings.client &= !args.no_client;
    settings.server &= !args.no_server;
    settings.server_stubs |= args.server_stubs;
    settings.tag_features &= !args.no_tag_features;
    for path in &args.overlays {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        settings.overlays.push((path.display().to_string(), text));
    }
    let text = std::fs::read_to_string(&args.spec).with_context(|| format!("reading {}", args.spec.display()))?;
    let generated =
        oagen::generate(&text, &settings).with_context(|| format!("generating from {}", args.spec.display()))?;
    for d in &generated.diagnostics {
        eprintln!("{}: {d}", args.spec.display());
    }
    if args.strict && !generated.diagnostics.is_empty() {
        anyhow::bail!("--strict: {} warning(s) above; nothing written", generated.diagnostics.len());
    }
    if checking {
        return Ok(check(&args.out, &generated));
    }
    let started = std::time::Instant::now();
    let written = oagen::write(&args.out, &generated).with_context(|| format!("writing {}", args.out.display()))?;
    if args.timings {
        let t = generated.timings;
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "oagen: load {:.0} ms, lower {:.0} ms, emit {:.0} ms, format {:.0} ms (summed over threads), generate {:.0} ms, write {:.0} ms",
            ms(t.load),
            ms(t.lower),
            ms(t.emit),
            ms(t.format),
            ms(t.total),
            ms(started.elapsed())
        );
    }
    eprintln!("oagen: {} files in {} ({} changed)", generated.files.len(), args.out.display(), written.len());
    Ok(ExitCode::SUCCESS)
}

fn check(out: &Path, generated: &oagen::Generated) -> ExitCode {
    let diffs = oagen::check(out, generated);
    if diffs.is_empty() {
        eprintln!("oagen: {} is up to date", out.display());
        return ExitCode::SUCCESS;
    }
    for (_, diff) in &diffs {
        println!("{diff}");
    }
    eprintln!(
        "oagen: {} of {} files in {} differ from what the document generates; run `oagen generate` to update them",
        diffs.len(),
        generated.files.len(),
        out.display()
    );
    ExitCode::from(1)
}
