//! Secrets are only ever references: a YAML connection's `secrets: {api_key: {env: VT_API_KEY}}`
//! or a workflow parameter written `{env: NAME}`. The values come from the environment when a
//! run starts (the caller resolves them; the library reads no environment) and are redacted
//! from everything a run writes. Logic Apps `securestring` / `secureobject` parameters are
//! redacted too. A secret written as a literal is an error (PB017), as in action inputs
//! ([`super::secrets`]).

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::syntax::{Decoder, Node, NodeKind, Span};

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
        NodeKind::Map(entries) if entries.len() == 1 => node.get(ENV_KEY).and_then(Node::as_str),
        _ => None,
    }
}

/// Reads one YAML `connections` entry: a connector name, or `{connector, display_name,
/// secrets: {field: {env: NAME}}}`.
pub fn connection(key: &str, node: &Node, d: &mut Decoder<'_>) -> Connection {
    let mut connection = Connection {
        key: key.to_owned(),
        connector: key.to_owned(),
        display_name: key.to_owned(),
        secrets: Vec::new(),
    };
    if let Some(name) = node.as_str() {
        name.clone_into(&mut connection.connector);
    }
    if !node.is_map() {
        return connection;
    }
    let Some(f) = d.fields(node, &format!("connection `{key}`"), CONNECTION_KEYS) else { return connection };
    if let Some(name) = f.get("connector").and_then(Node::as_str) {
        name.clone_into(&mut connection.connector);
    }
    if let Some(name) = f.get("display_name").and_then(Node::as_str) {
        name.clone_into(&mut connection.display_name);
    }
    for (field, value) in f.get("secrets").and_then(Node::entries).unwrap_or_default() {
        match env_ref(value) {
            Some(env) => {
                connection.secrets.push(SecretRef { field: field.name.clone(), env: env.to_owned(), span: value.span })
            }
            None => {
                let message = format!(
                    "secret `{}` of connection `{key}` must be a reference `{{env: NAME}}`, not a value",
                    field.name
                );
                d.push(
                    Diagnostic::error(codes::SECRET_LITERAL, d.path, Some(value.span), message)
                        .with_label("literal secret")
                        .with_help("keep the value in an environment variable: `{env: VT_API_KEY}`"),
                );
            }
        }
    }
    connection
}
