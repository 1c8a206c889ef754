//! `sentinel-soar.toml` decoded with the toml crate into [`Config`]: unknown keys, wrong types,
//! unknown codes, bad globs, bad dates and suppressions without a reason are errors at their
//! line and column ([`ConfigError`]), which the CLI reports with exit 2; the usual TOML mistakes
//! (a date in quotes, a top-level key below a table header) get a hint.
//!
//! Stage: text -> configuration.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Code};
use crate::model::Portal;

use super::{Config, ConfigError, Entry, Glob, PathFilter, PathIgnore, Place, Suppress};

/// The keys of the file, in the order the schema lists them.
pub const KEYS: &[&str] =
    &["include", "exclude", "sentinel", "strict", "portal", "ignore", "per-path-ignores", "suppress"];

/// The keys of a `[[suppress]]` table.
pub const SUPPRESS_KEYS: &[&str] = &["codes", "path", "reason", "expires"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    include: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    sentinel: bool,
    #[serde(default)]
    strict: bool,
    portal: Option<RawPortal>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    per_path_ignores: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum RawPortal {
    Azure,
    Defender,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    codes: Vec<Spanned<String>>,
    path: Option<Spanned<String>>,
    reason: Spanned<String>,
    expires: Option<Spanned<toml::value::Datetime>>,
}

/// Line and column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before.get(start..).map_or(0, |l| l.chars().count()) + 1)
}

/// A hint for the usual TOML mistakes behind a decoding error at `offset`: a date in quotes (a
/// string, where TOML writes dates bare), and a top-level key written below a table header,
/// where it belongs to that table.
fn hint(text: &str, offset: usize, message: &str) -> Option<String> {
    if message.contains("expected a TOML datetime") && message.starts_with("invalid type: string") {
        let written = message.split('"').nth(1)?;
        return written
            .parse::<toml::value::Datetime>()
            .is_ok()
            .then(|| format!("; TOML writes a date without quotes: expires = {written}"));
    }
    let before = text.get(..offset.min(text.len()))?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(line_start..)?.lines().next()?;
    let key = line.split('=').next()?.trim().trim_matches('"');
    if !KEYS.contains(&key) {
        return None;
    }
    let table = before.get(..line_start)?.lines().rev().find_map(|l| {
        let l = l.trim();
        l.starts_with('[').then(|| l.trim_matches(|c| c == '[' || c == ']').trim().to_owned())
    })?;
    let header = if text.contains(&format!("[[{table}]]")) { format!("[[{table}]]") } else { format!("[{table}]") };
    Some(format!(
        "; `{key}` is below the {header} header, so it is read as part of that table: move it above the first table"
    ))
}

/// Reads the file's text; `root` is its directory (absolute), which globs are relative to.
pub fn parse(label: &str, text: &str, root: PathBuf) -> Result<Config, ConfigError> {
    let error = |span: std::ops::Range<usize>, message: String| ConfigError {
        path: label.to_owned(),
        at: Some(line_column(text, span.start)),
        message,
    };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end().to_owned();
        let hint = e.span().and_then(|s| hint(text, s.start, &message)).unwrap_or_default();
        ConfigError {
            path: label.to_owned(),
            at: e.span().map(|s| line_column(text, s.start)),
            message: message + &hint,
        }
    })?;
    let place = |span: std::ops::Range<usize>| {
        let (line, column) = line_column(text, span.start);
        Place { start: span.start, end: span.end, line, column }
    };
    let code = |s: &Spanned<String>| -> Result<Code, ConfigError> {
        Code::from_id(s.get_ref()).ok_or_else(|| {
            let ids = Code::ALL.iter().map(|c| c.id());
            let hint = did_you_mean(s.get_ref(), ids).map(|c| format!(": did you mean `{c}`?")).unwrap_or_default();
            error(s.span(), format!("unknown code `{}`{hint}", s.get_ref()))
        })
    };
    let codes = |list: &[Spanned<String>], span: std::ops::Range<usize>| -> Result<Vec<Code>, ConfigError> {
        if list.is_empty() {
            return Err(error(span, "name at least one code".to_owned()));
        }
        list.iter().map(code).collect()
    };
    let glob = |s: &Spanned<String>| Glob::new(s.get_ref()).map_err(|m| error(s.span(), format!("invalid glob: {m}")));
    let globs = |list: &[Spanned<String>]| list.iter().map(glob).collect::<Result<Vec<_>, _>>();
    let mut config = Config {
        path: label.to_owned(),
        text: text.to_owned(),
        sentinel: raw.sentinel,
        strict: raw.strict,
        portal: raw.portal.map(|p| match p {
            RawPortal::Azure => Portal::Azure,
            RawPortal::Defender => Portal::Defender,
        }),
        paths: PathFilter { root, include: globs(&raw.include)?, exclude: globs(&raw.exclude)? },
        ..Config::default()
    };
    for s in &raw.ignore {
        config.ignore.push(Entry { value: code(s)?, at: place(s.span()) });
    }
    for (path, list) in &raw.per_path_ignores {
        let span = path.span();
        config.per_path.push(PathIgnore { glob: glob(path)?, codes: codes(list, span.clone())?, at: place(span) });
    }
    for table in &raw.suppress {
        let s = table.get_ref();
        let reason = s.reason.get_ref().trim();
        if reason.is_empty() {
            return Err(error(s.reason.span(), "the reason is empty: say why the finding is accepted".to_owned()));
        }
        let expires = match &s.expires {
            None => None,
            Some(date) => {
                let written = date.get_ref().to_string();
                let at = crate::model::time::parse(&written).map_err(|_| {
                    error(date.span(), format!("`{written}` is neither a date nor a time with an offset"))
                })?;
                Some((at, written))
            }
        };
        config.suppress.push(Suppress {
            codes: codes(&s.codes, table.span())?,
            path: s.path.as_ref().map(glob).transpose()?,
            reason: reason.to_owned(),
            expires,
            at: place(table.span()),
        });
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Config, String> {
        parse("sentinel-soar.toml", text, PathBuf::from("/repo")).map_err(|e| e.to_string())
    }

    #[test]
    fn reads_every_key() {
        let config = read(
            r#"
include = ["AutomationRules", "Playbooks"]
exclude = ["Playbooks/Drafts"]
sentinel = true
strict = true
portal = "defender"
ignore = ["RP001"]

[per-path-ignores]
"Playbooks/Legacy/**" = ["PB021", "pb017"]

[[suppress]]
codes = ["SR017"]
path = "AutomationRules/pentest.yaml"
reason = "  the two rules touch different fields "
expires = 2026-12-31
"#,
        )
        .unwrap();
        assert!(config.sentinel && config.strict);
        assert_eq!(config.portal, Some(Portal::Defender));
        assert_eq!((config.paths.include.len(), config.paths.exclude.len()), (2, 1));
        assert_eq!(config.ignore.iter().map(|e| e.value).collect::<Vec<_>>(), [Code::RP001]);
        assert_eq!((config.ignore[0].at.line, config.ignore[0].at.column), (7, 11));
        assert_eq!(config.per_path[0].codes, [Code::PB021, Code::PB017]);
        let s = &config.suppress[0];
        assert_eq!((s.reason.as_str(), s.at.line), ("the two rules touch different fields", 12));
        assert_eq!(s.expires.as_ref().map(|(at, w)| (at.to_rfc3339(), w.as_str())).unwrap().1, "2026-12-31");
    }

    #[test]
    fn every_mistake_is_an_error_at_its_place() {
        let cases = [
            ("strictt = true\n", "sentinel-soar.toml:1:1: unknown field `strictt`"),
            ("strict = \"yes\"\n", "sentinel-soar.toml:1:10: invalid type: string \"yes\", expected a boolean"),
            ("portal = \"defendr\"\n", "sentinel-soar.toml:1:10: unknown variant `defendr`"),
            (
                "ignore = [\"SR017\", \"SR999\"]\n",
                "sentinel-soar.toml:1:20: unknown code `SR999`: did you mean `SR009`?",
            ),
            ("exclude = [\"a[\"]\n", "sentinel-soar.toml:1:12: invalid glob"),
            ("[[suppress]]\ncodes = [\"SR017\"]\nreason = \" \"\n", "sentinel-soar.toml:3:10: the reason is empty"),
            ("[[suppress]]\ncodes = [\"SR017\"]\n", "sentinel-soar.toml:1:1: missing field `reason`"),
            ("[[suppress]]\ncodes = []\nreason = \"r\"\n", "sentinel-soar.toml:1:1: name at least one code"),
            (
                "[[suppress]]\ncodes = [\"SR017\"]\nreason = \"r\"\nexpires = 2026-12-31T10:00:00\n",
                "sentinel-soar.toml:4:11: `2026-12-31T10:00:00` is neither a date nor a time with an offset",
            ),
            ("strict = \n", "sentinel-soar.toml:1:10:"),
        ];
        for (text, want) in cases {
            let got = read(text).err().unwrap_or_default();
            assert!(got.starts_with(want), "{text:?}: {got}");
        }
    }
}
