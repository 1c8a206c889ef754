//! Secrets are only ever references: a YAML connection's `secrets: {api_key: {env: VT_API_KEY}}`
//! or a workflow parameter written `{env: NAME}`. The values come from the environment when a
//! run starts (the caller resolves them; the library reads no environment) and are redacted
//! from everything a run writes. Logic Apps `securestring` / `secureobject` parameters are
//! redacted too. A secret written as a literal is an error (PB017), as in action inputs
//! ([`super::secrets`]).

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Span};
use crate::rules::yaml::{Node, NodeKind};
use crate::sentinel::json;

use super::codes;

/// A reference to a secret in the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretRef {
    /// What it is for (the connection's secret field, or the parameter's name).
    pub field: String,
    /// The environment variable holding the value.
    pub env: String,
    pub span: Span,
}

/// A declared connection: its key, connector, display name and secret references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub key: String,
    pub connector: String,
    pub display_name: String,
    pub secrets: Vec<SecretRef>,
}

/// The secrets a playbook refers to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Secrets {
    /// Connections declared with details (YAML `connections`), by key.
    pub connections: BTreeMap<String, Connection>,
    /// Parameters whose value is secret: an environment reference, or `None` for a Logic Apps
    /// secure parameter whose value is in the file.
    pub parameters: BTreeMap<String, Option<SecretRef>>,
}

impl Secrets {
    /// Every environment variable referenced, sorted, once.
    pub fn env_names(&self) -> Vec<String> {
        let connections = self.connections.values().flat_map(|c| c.secrets.iter());
        let parameters = self.parameters.values().flatten();
        let mut names: Vec<String> = connections.chain(parameters).map(|r| r.env.clone()).collect();
        names.sort();
        names.dedup();
        names
    }
}

/// The keys of a YAML connection written as a mapping.
pub const CONNECTION_KEYS: &[&str] = &["connector", "display_name", "secrets"];

/// The one key of a secret reference (`{env: NAME}`).
pub const ENV_KEY: &str = "env";

/// `{env: NAME}`: the variable name, when `node` is exactly that.
pub fn env_ref(node: &Node) -> Option<&str> {
    match &node.kind {
        NodeKind::Map(entries) if entries.len() == 1 => json::get(node, ENV_KEY).and_then(json::as_str),
        _ => None,
    }
}

/// Reads one YAML `connections` entry: a connector name, or `{connector, display_name,
/// secrets: {field: {env: NAME}}}`.
pub fn connection(key: &str, node: &Node, path: &str, diags: &mut Vec<Diagnostic>) -> Connection {
    let connector = json::as_str(node).or_else(|| json::get(node, "connector").and_then(json::as_str)).unwrap_or(key);
    let display_name = json::get(node, "display_name").and_then(json::as_str).unwrap_or(key);
    let mut secrets = Vec::new();
    if let NodeKind::Map(entries) = &node.kind {
        for (field, _) in entries {
            if !CONNECTION_KEYS.contains(&field.name.as_str()) {
                let message = format!("unknown key `{}` in connection `{key}`", field.name);
                diags.push(
                    Diagnostic::error(codes::UNKNOWN_KEY, path, Some(field.span), message)
                        .with_help(format!("a connection takes {}", CONNECTION_KEYS.join(", "))),
                );
            }
        }
        if let Some(NodeKind::Map(fields)) = json::get(node, "secrets").map(|s| &s.kind) {
            for (field, value) in fields {
                match env_ref(value) {
                    Some(env) => {
                        secrets.push(SecretRef { field: field.name.clone(), env: env.to_owned(), span: value.span })
                    }
                    None => {
                        let message = format!(
                            "secret `{}` of connection `{key}` must be a reference `{{env: NAME}}`, not a value",
                            field.name
                        );
                        diags.push(
                            Diagnostic::error(codes::SECRET_LITERAL, path, Some(value.span), message)
                                .with_label("literal secret")
                                .with_help("keep the value in an environment variable: `{env: VT_API_KEY}`"),
                        );
                    }
                }
            }
        }
    }
    Connection { key: key.to_owned(), connector: connector.to_owned(), display_name: display_name.to_owned(), secrets }
}
