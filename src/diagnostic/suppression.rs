//! Findings a suppression took out of the problems: the finding as it was reported, and the
//! suppression that took it (an inline `# sentinel-soar: ignore[CODE] reason` comment, or an
//! entry of `sentinel-soar.toml`). Suppressed findings are never dropped: the summary counts
//! them, `--verbose` lists them, JSON carries them beside the diagnostics and SARIF as results
//! with `suppressions`. Which findings are suppressed is decided in [`crate::config::suppress`].
//!
//! Stage: leaf (plain data).

use serde::Serialize;

use super::Diagnostic;

/// Where a suppression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SuppressionKind {
    /// A comment in the file, on the finding's line or alone on the line above.
    Inline,
    /// An entry of `sentinel-soar.toml`: `ignore`, `per-path-ignores` or a `[[suppress]]` table.
    Config,
}

impl SuppressionKind {
    /// SARIF's `suppression.kind`: `inSource` for a comment, `external` for a configuration file.
    pub fn sarif(self) -> &'static str {
        match self {
            SuppressionKind::Inline => "inSource",
            SuppressionKind::Config => "external",
        }
    }
}

/// One suppression, as it applies to a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    pub kind: SuppressionKind,
    /// Why the finding is accepted, in the writer's words (or what the configuration says).
    pub reason: String,
    /// Where the suppression is written: `file:line:column`.
    pub at: String,
}

/// A finding that a suppression took out of the problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub suppression: Suppression,
}

impl Suppressed {
    /// One line for `--verbose`: `suppressed  warning[SR017] file:3:5: message (reason; at)`.
    pub fn line(&self) -> String {
        let d = &self.diagnostic;
        let Suppression { reason, at, .. } = &self.suppression;
        format!("suppressed  {}[{}] {}: {} ({reason}; {at})", d.severity, d.code, d.location(), d.message)
    }
}
