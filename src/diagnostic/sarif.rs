//! SARIF 2.1.0 (`--format sarif`) as GitHub code scanning accepts it: one run whose
//! `tool.driver.rules` lists one reportingDescriptor per code used, described from the code
//! registry ([`super::code`]): id, the summary as `shortDescription`, the explanation's first
//! paragraph as `fullDescription`, the whole explanation as `help` (text and Markdown) and the
//! code's severity as `defaultConfiguration.level`. Then one result per diagnostic with its
//! level, message and location: the file as a relative URI with forward slashes, and a region
//! whose columns count Unicode code points (`columnKind`). A suppressed finding is a result
//! too, with `suppressions` (kind `inSource` for an inline comment, `external` for
//! `sentinel-soar.toml`, status `accepted`, the reason as `justification`), which code scanning
//! shows as dismissed.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Code, Diagnostic, Region, Severity, Sources, Suppressed, Suppression};

/// The `$schema` written into every log (the `$id` of the OASIS schema).
pub const SCHEMA: &str =
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json";

/// The tool that produced the log.
#[derive(Debug, Clone, Copy)]
pub struct Tool<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub information_uri: &'a str,
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: ToolComponent<'a>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct ToolComponent<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'a str,
    version: &'a str,
    information_uri: &'a str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: Code,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

/// A `multiformatMessageString` with text only.
#[derive(Serialize)]
struct Text {
    text: &'static str,
}

/// A `multiformatMessageString` with text and Markdown.
#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Descriptor {
    fn of(code: Code) -> Descriptor {
        Descriptor {
            id: code,
            short_description: Text { text: code.summary() },
            full_description: Text { text: code.description() },
            help: Help { text: code.explanation(), markdown: code.explanation() },
            default_configuration: Configuration { level: level(code.severity()) },
        }
    }
}

/// SARIF's `level` of a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: Code,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[SarifSuppression; 1]>,
}

/// SARIF's `suppression` object.
#[derive(Serialize)]
struct SarifSuppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

impl From<&Suppression> for SarifSuppression {
    fn from(s: &Suppression) -> Self {
        SarifSuppression { kind: s.kind.sarif(), status: "accepted", justification: s.reason.clone() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

/// Renders diagnostics (then the suppressed findings, with their suppression) as a SARIF log
/// (pretty JSON with a final newline); every rule is described from the code registry.
pub fn render(
    diags: &[Diagnostic],
    suppressed: &[Suppressed],
    sources: &Sources,
    tool: Tool<'_>,
) -> serde_json::Result<String> {
    let all = diags.iter().map(|d| (d, None)).chain(suppressed.iter().map(|s| (&s.diagnostic, Some(&s.suppression))));
    // Rules in id order, whatever the family.
    let codes: Vec<Code> =
        all.clone().map(|(d, _)| (d.code.id(), d.code)).collect::<BTreeSet<_>>().into_iter().map(|(_, c)| c).collect();
    let rules = codes.iter().map(|&code| Descriptor::of(code)).collect();
    let results = all.map(|(d, suppression)| result(d, suppression, &codes, sources)).collect();
    let driver = Driver { name: tool.name, version: tool.version, information_uri: tool.information_uri, rules };
    let run = Run { tool: ToolComponent { driver }, column_kind: "unicodeCodePoints", results };
    let mut text = serde_json::to_string_pretty(&Log { schema: SCHEMA, version: "2.1.0", runs: [run] })?;
    text.push('\n');
    Ok(text)
}

/// One result.
fn result(d: &Diagnostic, suppression: Option<&Suppression>, codes: &[Code], sources: &Sources) -> SarifResult {
    let region = Region::of_diagnostic(d, sources).map(|r| SarifRegion {
        start_line: r.start_line,
        start_column: r.start_column,
        end_line: r.end_line,
        end_column: r.end_column,
    });
    SarifResult {
        rule_id: d.code,
        rule_index: codes.iter().position(|c| *c == d.code).unwrap_or(0),
        level: level(d.severity),
        message: Message { text: d.text() },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: artifact_uri(&d.file) },
                region,
            },
        }],
        suppressions: suppression.map(|s| [SarifSuppression::from(s)]),
    }
}

/// A file path as a URI reference: forward slashes, no leading `./`, percent-encoded; relative
/// paths stay relative (code scanning resolves them against the repository root), absolute
/// ones become `file://` URIs.
pub fn artifact_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped;
    }
    let bytes = rest.as_bytes();
    let drive = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && matches!(bytes.get(2), Some(b'/') | None);
    let absolute = rest.starts_with('/') || drive;
    let mut out = String::new();
    if absolute {
        out.push_str(if drive { "file:///" } else { "file://" });
    }
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) || (b == b':' && absolute) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(artifact_uri("./rules/a b.yaml"), "rules/a%20b.yaml");
        assert_eq!(artifact_uri("rules\\sub\\x.yml"), "rules/sub/x.yml");
        assert_eq!(artifact_uri("/tmp/r.yaml"), "file:///tmp/r.yaml");
        assert_eq!(artifact_uri("C:\\r\\é.yaml"), "file:///C:/r/%C3%A9.yaml");
        assert_eq!(artifact_uri("a:b/100%.yaml"), "a%3Ab/100%25.yaml");
    }
}
