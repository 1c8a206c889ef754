//! The syntax layer, the bottom of the house: [`Span`], the spanned [`Node`] tree that YAML
//! ([`yaml`]) and JSON ([`json`]) parse into, with its accessors as methods, and the one
//! [`Decoder`] every file kind is read through (fields with unknown-key reporting and
//! did-you-mean, text, wrong type, missing key, unknown enum value), its diagnostic codes a
//! parameter ([`Codes`]) and its key comparison decided once per format ([`Format`], [`Case`]);
//! JSON Pointer escaping ([`pointer`]).
//!
//! Stage: source text -> spanned tree -> (with a file kind's decoder) file model. Nothing here
//! knows a file kind; [`crate::diagnostic`] builds on [`Span`], and the decoder reports
//! [`crate::diagnostic::Diagnostic`]s.

mod decoder;
pub mod json;
mod json_reader;
mod node;
pub mod pointer;
mod span;
pub mod yaml;
mod yaml_hint;

pub use decoder::{Codes, Decoder, Fields, Format, Text};
pub use node::{Case, Key, Node, NodeKind};
pub use span::Span;

/// A file that does not parse: message and position.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Option<Span>,
    pub kind: SyntaxErrorKind,
    /// Plain-words help where the parser's message is cryptic (YAML: indentation, tabs, a
    /// missing colon, an unquoted `: `).
    pub help: Option<String>,
}

/// What kind of syntax error, for loaders that give duplicate keys their own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// The text is not YAML (or breaches a parser budget).
    Yaml,
    /// The text is not JSON.
    Json,
    /// A mapping repeats a key; the message reads "duplicate key `k`".
    DuplicateKey,
}

impl SyntaxError {
    /// The message as loaders show it: "duplicate key `k`", or "invalid YAML: ..." /
    /// "invalid JSON: ..." for the rest.
    pub fn describe(&self) -> String {
        match self.kind {
            SyntaxErrorKind::DuplicateKey => self.message.clone(),
            SyntaxErrorKind::Yaml => format!("invalid YAML: {}", self.message),
            SyntaxErrorKind::Json => format!("invalid JSON: {}", self.message),
        }
    }
}
