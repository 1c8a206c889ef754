//! Secrets written as literals: an `Http` action's authentication `password`, `secret`,
//! `pfx` or raw `value`, and any header or query parameter whose name says it carries a
//! credential (`Authorization`, `x-api-key`, `token`, ...), when the value is a literal
//! string rather than an expression (`@parameters('ApiKey')`) or an ARM expression. A literal
//! secret in a playbook file ends up in every run log and every copy of the file.

use crate::diagnostic::Diagnostic;
use crate::syntax::{Node, NodeKind};

use super::codes;
use super::input::Source;

/// Header and query names that carry credentials (compared ignoring case).
const SECRET_NAMES: &[&str] = &[
    "authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "x-apikey",
    "api_key",
    "key",
    "token",
    "access_token",
    "x-auth-token",
    "ocp-apim-subscription-key",
    "password",
    "client_secret",
    "secret",
];

/// Authentication fields that hold secrets.
const SECRET_AUTH_FIELDS: &[&str] = &["password", "secret", "pfx", "value"];

/// Checks the actions of a definition (and every nested block) for literal secrets.
pub fn check(actions: Option<&Node>, source: &Source, diags: &mut Vec<Diagnostic>) {
    let Some(NodeKind::Map(entries)) = actions.map(|a| &a.kind) else { return };
    for (key, def) in entries {
        if let Some(inputs) = def.get_ignore_case("inputs") {
            for part in ["headers", "queries"] {
                if let Some(NodeKind::Map(fields)) = inputs.get_ignore_case(part).map(|p| &p.kind) {
                    for (field, value) in fields {
                        if SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(&field.name)) {
                            literal(value, &key.name, &format!("{part}.{}", field.name), source, diags);
                        }
                    }
                }
            }
            if let Some(NodeKind::Map(fields)) = inputs.get_ignore_case("authentication").map(|a| &a.kind) {
                for (field, value) in fields {
                    if SECRET_AUTH_FIELDS.iter().any(|s| s.eq_ignore_ascii_case(&field.name)) {
                        literal(value, &key.name, &format!("authentication.{}", field.name), source, diags);
                    }
                }
            }
        }
        check(def.get_ignore_case("actions"), source, diags);
        check(def.get_ignore_case("else").and_then(|e| e.get_ignore_case("actions")), source, diags);
        check(def.get_ignore_case("default").and_then(|e| e.get_ignore_case("actions")), source, diags);
        if let Some(NodeKind::Map(cases)) = def.get_ignore_case("cases").map(|c| &c.kind) {
            for (_, case) in cases {
                check(case.get_ignore_case("actions"), source, diags);
            }
        }
    }
}

fn literal(value: &Node, action: &str, field: &str, source: &Source, diags: &mut Vec<Diagnostic>) {
    let Some(text) = value.as_str() else { return };
    let trimmed = text.trim();
    let is_reference =
        trimmed.is_empty() || trimmed.starts_with('@') || trimmed.contains("@{") || trimmed.starts_with('[');
    // `Bearer @{...}` and friends are references too (caught by `@{` above).
    if is_reference {
        return;
    }
    let message = format!("`{field}` of `{action}` is a secret written as a literal");
    diags.push(
        Diagnostic::error(codes::SECRET_LITERAL, &source.path, Some(value.span), message)
            .with_label("literal secret")
            .with_help("reference it instead: a workflow parameter (`@parameters('ApiKey')`) or a connection"),
    );
}
