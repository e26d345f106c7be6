//! Document prose as rustdoc: titles, descriptions and notes become `#[doc]` attributes, made
//! safe for rustdoc without losing what it reads well (links to absolute URLs stay links).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc]` attributes for a title and a description from the document (made safe for rustdoc)
/// and notes of our own (markdown as written).
pub(crate) fn doc_attrs(docs: &Docs, notes: &[String]) -> TokenStream {
    let mut paragraphs: Vec<Vec<String>> = Vec::new();
    let title = docs.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if let Some(t) = title {
        paragraphs.push(sanitize_doc(t));
    }
    if let Some(d) = docs.description.as_deref().map(str::trim).filter(|d| !d.is_empty() && Some(*d) != title) {
        paragraphs.push(sanitize_doc(d));
    }
    paragraphs.extend(notes.iter().map(|n| vec![n.clone()]));
    let mut out = TokenStream::new();
    for (i, lines) in paragraphs.iter().filter(|p| !p.is_empty()).enumerate() {
        if i > 0 {
            out.extend(quote!(#[doc = ""]));
        }
        for line in lines {
            let line = if line.is_empty() { String::new() } else { format!(" {line}") };
            out.extend(quote!(#[doc = #line]));
        }
    }
    if docs.deprecated {
        out.extend(quote!(#[deprecated]));
    }
    out
}

/// Makes document prose safe for rustdoc, escaping only what it would misread: a fence without
/// a language (or a Rust one) would be a doctest, indented code likewise, a bare `[name]` an
/// intra-doc link, `<tag>` HTML, a bare URL a lint. Links to absolute URLs
/// (`[ISO code](https://..)`) stay links. No leading, trailing or doubled blank lines.
pub(crate) fn sanitize_doc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for raw in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(fence) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            in_fence = !in_fence;
            out.push(if in_fence {
                format!("```{}", fence_language(&trimmed[fence.len()..]))
            } else {
                "```".to_owned()
            });
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        out.push(escape_markdown(trimmed));
    }
    if in_fence {
        out.push("```".to_owned());
    }
    let mut cleaned: Vec<String> = Vec::new();
    for line in out {
        if line.is_empty() && cleaned.last().is_none_or(String::is_empty) {
            continue;
        }
        cleaned.push(line);
    }
    while cleaned.last().is_some_and(String::is_empty) {
        cleaned.pop();
    }
    cleaned
}

/// The language a fence keeps: rustdoc compiles and runs fences without a language or marked
/// Rust, so those become `text` (document examples are not tests of the generated crate).
fn fence_language(info: &str) -> String {
    let info = info.trim();
    let language = info.split([',', ' ']).next().unwrap_or_default();
    let safe = language.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.'));
    if language.is_empty()
        || !safe
        || matches!(language, "rust" | "rs" | "ignore" | "should_panic" | "no_run" | "compile_fail")
    {
        "text".to_owned()
    } else {
        language.to_owned()
    }
}

/// One line of prose: code spans left alone, absolute URLs linked (`<https://..>`), links to
/// them kept, other brackets, HTML and stray backticks escaped.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    // Code spans are left alone (nothing in them is a link or HTML); a lone backtick is escaped.
    let mut in_code = false;
    let balanced = line.matches('`').count() % 2 == 0;
    while !rest.is_empty() {
        if !in_code {
            if let Some(url_len) = url_at(rest) {
                out.push('<');
                out.push_str(&rest[..url_len]);
                out.push('>');
                rest = &rest[url_len..];
                continue;
            }
            if let Some((text, url, len)) = link_at(rest) {
                out.push('[');
                out.push_str(&escape_markdown(text));
                out.push_str("](");
                out.push_str(url);
                out.push(')');
                rest = &rest[len..];
                continue;
            }
        }
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        match c {
            '`' if balanced => {
                in_code = !in_code;
                out.push(c);
            }
            '[' | ']' | '<' | '>' | '\\' | '`' if !in_code => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = chars.as_str();
    }
    out
}

/// An inline link to an absolute URL starting here, `[text](https://..)`: its text, its URL and
/// its length. Links to anything else (a relative path, a name) would be read by rustdoc as
/// intra-doc links, so they are not links here and get escaped.
fn link_at(s: &str) -> Option<(&str, &str, usize)> {
    let inner = s.strip_prefix('[')?;
    let mut depth = 1usize;
    let close = inner.char_indices().find_map(|(i, c)| {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ => {}
        }
        (depth == 0).then_some(i)
    })?;
    let text = &inner[..close];
    let after = inner[close + 1..].strip_prefix('(')?;
    let end = after.find([')', ' ', '<', '>', '"', '`'])?;
    let url = &after[..end];
    let whole_url = after[end..].starts_with(')') && url_at(url) == Some(url.len());
    (whole_url && !text.trim().is_empty() && !text.contains('`')).then(|| (text, url, 1 + close + 2 + end + 1))
}

/// The length of a URL starting here, if one does.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end =
        s.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']' | '\'')).unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::sanitize_doc;

    #[test]
    fn docs_are_made_safe_for_rustdoc() {
        let lines = sanitize_doc(
            "See [the docs](https://x.io/a) and [ISO currency code](https://www.iso.org/iso-4217.html).\n\n    \
             indented code\n```\nlet x = 1;\n```\n```json\n{\"a\": [1]}\n```\n<b>bold</b> http://e.com/x, done\n\
             * `1` - `a[0]` ` odd\n[name] and [rel](/docs/x) and [x][y] and [empty]()",
        );
        assert_eq!(
            lines,
            vec![
                "See [the docs](https://x.io/a) and [ISO currency code](https://www.iso.org/iso-4217.html).",
                "",
                "indented code",
                "```text",
                "let x = 1;",
                "```",
                "```json",
                "{\"a\": [1]}",
                "```",
                "\\<b\\>bold\\</b\\> <http://e.com/x>, done",
                "* \\`1\\` - \\`a\\[0\\]\\` \\` odd",
                "\\[name\\] and \\[rel\\](/docs/x) and \\[x\\]\\[y\\] and \\[empty\\]()",
            ]
        );
    }

    #[test]
    fn link_text_is_escaped_and_fences_keep_safe_languages() {
        assert_eq!(sanitize_doc("[a <b> [c]](https://x.io/p_(1)"), vec!["[a \\<b\\> \\[c\\]](https://x.io/p_(1)"]);
        assert_eq!(sanitize_doc("~~~rust\nfn main() {}\n~~~"), vec!["```text", "fn main() {}", "```"]);
        assert_eq!(sanitize_doc("```yaml title\na: 1"), vec!["```yaml", "a: 1", "```"]);
        assert_eq!(sanitize_doc("\n\n\n"), Vec::<String>::new());
    }
}
