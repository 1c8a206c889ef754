//! Suppressions applied to a run's findings. A finding is suppressed by, in this order:
//!
//! 1. a code of `ignore` in `sentinel-soar.toml`;
//! 2. a code of `per-path-ignores` whose glob matches the finding's file;
//! 3. a `[[suppress]]` table naming the code (and matching the file, when it has a `path`)
//!    that has not expired;
//! 4. an inline comment in a YAML file, `# sentinel-soar: ignore[SR017] reason` (several codes:
//!    `ignore[SR017, SR024]`), at the end of the finding's line, or alone on the line above it.
//!
//! A warning said once for several places (SR017 at each rule sharing the order) is suppressed
//! place by place: each place needs its comment, and a path glob covers the places in the files
//! it matches. Suppressed findings leave the problems and are kept with their suppression
//! ([`Suppressed`]). An expired `[[suppress]]` table is reported (RP005) and suppresses nothing;
//! an inline comment without a reason, with an unknown code or not of that form is reported
//! (RP006) and suppresses nothing. These two are never suppressed themselves.
//!
//! Stage: diagnostics -> diagnostics and suppressed findings.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use regex::Regex;

use crate::diagnostic::{self, did_you_mean, Code, Diagnostic, Sources, Suppressed, Suppression, SuppressionKind};
use crate::syntax::Span;

use super::{Config, Place};

/// An inline directive: `#`, optional blanks, `sentinel-soar:`, at the start of a line or after
/// a blank.
static DIRECTIVE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[ \t])(#[ \t]*sentinel-soar:)(.*)$").ok());

/// `ignore[CODES] reason`.
static IGNORE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^\s*ignore\[([^\]]*)\]\s*(.*?)\s*$").ok());

/// An inline suppression found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inline {
    /// The line whose findings it suppresses.
    target: usize,
    codes: Vec<Code>,
    reason: String,
    /// `file:line:column` of the `#`.
    at: String,
}

/// Takes the suppressed findings out of `diags`; adds the findings about the suppressions
/// themselves (RP005, RP006), and the configuration's text to `sources` when one is about it.
pub fn apply(
    diags: Vec<Diagnostic>,
    sources: &mut Sources,
    config: Option<&Config>,
    now: DateTime<Utc>,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let mut notes = Vec::new();
    let mut inline: BTreeMap<String, Vec<Inline>> = BTreeMap::new();
    let yaml: Vec<String> = sources.paths().filter(|p| is_yaml(p)).map(str::to_owned).collect();
    for path in yaml {
        let found = scan(&path, sources.get(&path).unwrap_or_default(), &mut notes);
        if !found.is_empty() {
            inline.insert(path, found);
        }
    }
    if let Some(config) = config {
        expired(config, now, &mut notes);
        if notes.iter().any(|d| d.file == config.path) {
            sources.insert(&config.path, &config.text);
        }
    }
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    // A warning said once for several places is suppressed place by place, then said once again
    // for the places left.
    for d in diagnostic::split_merged(diags) {
        let by = config.and_then(|c| by_config(&d, c, now)).or_else(|| by_comment(&d, &inline));
        match by {
            Some(suppression) => suppressed.push(Suppressed { diagnostic: d, suppression }),
            None => kept.push(d),
        }
    }
    kept.extend(notes);
    diagnostic::merge_repeated_warnings(&mut kept);
    (kept, merge_suppressed(suppressed))
}

/// The places of a warning one suppression took, said once again (each suppression's findings
/// merged on their own), in the order of the findings.
fn merge_suppressed(suppressed: Vec<Suppressed>) -> Vec<Suppressed> {
    let mut by: BTreeMap<(SuppressionKind, String, String), Vec<Diagnostic>> = BTreeMap::new();
    for s in suppressed {
        let Suppression { kind, reason, at } = s.suppression;
        by.entry((kind, reason, at)).or_default().push(s.diagnostic);
    }
    let mut out = Vec::new();
    for ((kind, reason, at), mut diags) in by {
        diagnostic::merge_repeated_warnings(&mut diags);
        let suppression = Suppression { kind, reason, at };
        out.extend(diags.into_iter().map(|diagnostic| Suppressed { diagnostic, suppression: suppression.clone() }));
    }
    out.sort_by(|a, b| {
        let key = |d: &Diagnostic| (d.file.clone(), d.span.map(|s| (s.line, s.column)), d.code.id());
        key(&a.diagnostic).cmp(&key(&b.diagnostic))
    });
    out
}

fn is_yaml(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// `file:line:column` of a place of the configuration.
fn at(config: &Config, place: Place) -> String {
    format!("{}:{}:{}", config.path, place.line, place.column)
}

/// The configuration's suppression of `d`, if any.
fn by_config(d: &Diagnostic, config: &Config, now: DateTime<Utc>) -> Option<Suppression> {
    let suppression =
        |reason: String, place: Place| Suppression { kind: SuppressionKind::Config, reason, at: at(config, place) };
    if let Some(entry) = config.ignore.iter().find(|e| e.value == d.code) {
        return Some(suppression("listed in `ignore`".to_owned(), entry.at));
    }
    let rel = config.paths.relative(Path::new(&d.file));
    let matches = |glob: &super::Glob| rel.as_deref().is_some_and(|r| glob.matches(r));
    if let Some(p) = config.per_path.iter().find(|p| p.codes.contains(&d.code) && matches(&p.glob)) {
        return Some(suppression(format!("listed in `per-path-ignores` for `{}`", p.glob.text), p.at));
    }
    config
        .suppress
        .iter()
        .filter(|s| s.expires.as_ref().is_none_or(|(until, _)| now < *until))
        .find(|s| s.codes.contains(&d.code) && s.path.as_ref().is_none_or(&matches))
        .map(|s| suppression(s.reason.clone(), s.at))
}

/// The inline suppression of `d`, if any.
fn by_comment(d: &Diagnostic, inline: &BTreeMap<String, Vec<Inline>>) -> Option<Suppression> {
    let line = d.span?.line;
    inline.get(&d.file)?.iter().find(|i| i.target == line && i.codes.contains(&d.code)).map(|i| Suppression {
        kind: SuppressionKind::Inline,
        reason: i.reason.clone(),
        at: i.at.clone(),
    })
}

/// RP005 for each `[[suppress]]` table whose expiry has come.
fn expired(config: &Config, now: DateTime<Utc>, notes: &mut Vec<Diagnostic>) {
    for s in &config.suppress {
        let Some((until, written)) = &s.expires else { continue };
        if now < *until {
            continue;
        }
        let codes: Vec<&str> = s.codes.iter().map(|c| c.id()).collect();
        let span = Span { start: s.at.start, end: s.at.end, line: s.at.line, column: s.at.column };
        let message = format!("the suppression of {} expired on {written}", codes.join(", "));
        notes.push(
            Diagnostic::warning(Code::RP005, &config.path, Some(span), message).with_label("expired").with_help(
                "the findings it covered are reported again: fix them, or renew `expires` if the reason still holds",
            ),
        );
    }
}

/// The inline suppressions of one YAML file; malformed ones are reported (RP006).
fn scan(path: &str, text: &str, notes: &mut Vec<Diagnostic>) -> Vec<Inline> {
    let (Some(directive), Some(ignore)) = (DIRECTIVE.as_ref(), IGNORE.as_ref()) else { return Vec::new() };
    let mut found = Vec::new();
    let mut offset = 0;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let Some(caps) = directive.captures(line) else { continue };
        let (Some(hash), Some(rest)) = (caps.get(1), caps.get(2)) else { continue };
        let number = index + 1;
        let column = line.get(..hash.start()).map_or(0, |b| b.chars().count()) + 1;
        let span = Span { start: start + hash.start(), end: start + line.len(), line: number, column };
        let own_line = line.get(..hash.start()).is_some_and(|b| b.trim().is_empty());
        let mut bad = |message: String, help: &str| {
            notes.push(
                Diagnostic::warning(Code::RP006, path, Some(span), message)
                    .with_label("suppresses nothing")
                    .with_help(help.to_owned()),
            );
        };
        let form =
            "write `# sentinel-soar: ignore[CODE] reason`, at the end of the finding's line or alone on the line above";
        let Some(parts) = ignore.captures(rest.as_str()) else {
            bad("not a suppression sentinel-soar understands".to_owned(), form);
            continue;
        };
        let (list, reason) = (parts.get(1).map_or("", |m| m.as_str()), parts.get(2).map_or("", |m| m.as_str()));
        let mut codes = Vec::new();
        let mut unknown = None;
        for id in list.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            match Code::from_id(id) {
                Some(code) => codes.push(code),
                None => unknown = unknown.or(Some(id)),
            }
        }
        if let Some(id) = unknown {
            let hint = did_you_mean(id, Code::ALL.iter().map(|c| c.id())).map(|c| format!(": did you mean `{c}`?"));
            bad(format!("unknown code `{id}` in the suppression{}", hint.unwrap_or_default()), form);
        } else if codes.is_empty() {
            bad("the suppression names no code".to_owned(), form);
        } else if reason.is_empty() {
            let ids: Vec<&str> = codes.iter().map(|c| c.id()).collect();
            let help = format!(
                "say why the finding is accepted after the codes: `# sentinel-soar: ignore[{}] <why>`",
                ids.join(", ")
            );
            bad("the suppression gives no reason".to_owned(), &help);
        } else {
            let target = if own_line { number + 1 } else { number };
            found.push(Inline { target, codes, reason: reason.to_owned(), at: format!("{path}:{number}:{column}") });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(code: Code, line: usize) -> Diagnostic {
        Diagnostic::warning(code, "r.yaml", Some(Span { start: 0, end: 0, line, column: 3 }), "m")
    }

    #[test]
    fn inline_comments_cover_their_line_or_the_next() {
        let text = "rules:\n  # sentinel-soar: ignore[SR017] the tie is harmless\n  - name: A\n    order: 1 # sentinel-soar: ignore[sr024, SR025]  expired on purpose\n";
        let mut notes = Vec::new();
        let found = scan("r.yaml", text, &mut notes);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(
            found,
            [
                Inline {
                    target: 3,
                    codes: vec![Code::SR017],
                    reason: "the tie is harmless".into(),
                    at: "r.yaml:2:3".into()
                },
                Inline {
                    target: 4,
                    codes: vec![Code::SR024, Code::SR025],
                    reason: "expired on purpose".into(),
                    at: "r.yaml:4:14".into()
                },
            ]
        );
        let mut sources = Sources::default();
        sources.insert("r.yaml", text);
        let now = DateTime::<Utc>::MIN_UTC;
        let (kept, suppressed) =
            apply(vec![warn(Code::SR017, 3), warn(Code::SR017, 4), warn(Code::SR024, 4)], &mut sources, None, now);
        assert_eq!(kept, [warn(Code::SR017, 4)]);
        let at: Vec<(&str, &str)> =
            suppressed.iter().map(|s| (s.suppression.reason.as_str(), s.suppression.at.as_str())).collect();
        assert_eq!(at, [("the tie is harmless", "r.yaml:2:3"), ("expired on purpose", "r.yaml:4:14")]);
    }

    #[test]
    fn malformed_comments_are_reported_and_suppress_nothing() {
        let text = "a: 1 # sentinel-soar: ignore[SR017]\nb: 2 # sentinel-soar: ignore[SR999] why\nc: 3 #sentinel-soar: skip SR017\nd: \"x#sentinel-soar: ignore[SR017] in a string\"\n";
        let mut notes = Vec::new();
        assert!(scan("r.yaml", text, &mut notes).is_empty());
        let shown: Vec<(usize, usize, &str)> = notes
            .iter()
            .map(|d| (d.span.map_or(0, |s| s.line), d.span.map_or(0, |s| s.column), d.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (1, 6, "the suppression gives no reason"),
                (2, 6, "unknown code `SR999` in the suppression: did you mean `SR009`?"),
                (3, 6, "not a suppression sentinel-soar understands"),
            ]
        );
    }
}
