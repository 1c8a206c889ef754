//! WDL action definitions (the spanned tree of a Logic Apps `actions` object, or what the YAML
//! surface desugars to) -> compiled [`Block`]s of [`Action`]s. Collects every finding as a
//! [`Diagnostic`] instead of stopping at the first; what cannot be compiled is left out (and
//! reported), so the rest can still be checked.

use std::collections::BTreeMap;

use crate::diagnostic::Code;
use crate::diagnostic::Diagnostic;
use crate::playbook::expr::{compile_value, Limits};
use crate::syntax::{pointer, Node, NodeKind, Span};

use super::action::{Action, Block, Dependency, Status, StatusSet};
use super::codes;
use super::input::{Anchor, Input, Source};

/// How deeply containers may nest (the corpus's deepest is 9).
pub const MAX_DEPTH: usize = 32;

/// What `runtimeConfiguration.secureData.properties` (YAML `secure`) can hide from run logs.
pub const SECURE_PROPERTIES: [&str; 2] = ["inputs", "outputs"];

/// Which file format the actions were written in, for hints that show what to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The YAML surface ([`super::yaml`]).
    Yaml,
    /// Logic Apps JSON ([`super::logicapps`]).
    LogicApps,
}

/// The compiler's state: the source, the diagnostics, the names seen.
pub struct Compiler<'a> {
    pub source: &'a Source,
    pub surface: Surface,
    pub diags: &'a mut Vec<Diagnostic>,
    pub limits: Limits,
    /// `$connections` key -> API, to resolve connector calls.
    pub connections: &'a BTreeMap<String, String>,
    /// Names of static results the definition declares.
    pub static_results: Vec<String>,
    /// Every action name seen so far (lower case) and where.
    names: BTreeMap<String, Span>,
    depth: usize,
}

impl<'a> Compiler<'a> {
    pub fn new(
        source: &'a Source,
        surface: Surface,
        diags: &'a mut Vec<Diagnostic>,
        connections: &'a BTreeMap<String, String>,
    ) -> Self {
        Compiler {
            source,
            surface,
            diags,
            limits: Limits::default(),
            connections,
            static_results: Vec::new(),
            names: BTreeMap::new(),
            depth: 0,
        }
    }

    pub fn error(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::error(code, &self.source.path, Some(span), message));
    }

    pub fn warning(&mut self, code: Code, span: Span, message: impl Into<String>) {
        self.diags.push(Diagnostic::warning(code, &self.source.path, Some(span), message));
    }

    /// Compiles an `actions` object (`None` or null: an empty block).
    pub fn block(&mut self, node: Option<&Node>) -> Block {
        let Some(node) = node else { return Block::default() };
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => return Block::default(),
            _ => {
                self.error(
                    codes::WRONG_TYPE,
                    node.span,
                    format!("`actions` must be a mapping, found {}", node.describe()),
                );
                return Block::default();
            }
        };
        if self.depth >= MAX_DEPTH {
            self.error(codes::TOO_DEEP, node.span, format!("containers nest deeper than {MAX_DEPTH} levels"));
            return Block::default();
        }
        self.depth += 1;
        let mut actions = Vec::new();
        for (key, def) in entries {
            if let Some(previous) = self.names.insert(key.name.to_lowercase(), key.span) {
                let message = format!("an action named `{}` already exists (line {})", key.name, previous.line);
                self.error(codes::DUPLICATE_NAME, key.span, message);
            }
            if let Some(action) = self.action(&key.name, key.span, def) {
                actions.push(action);
            }
        }
        self.depth -= 1;
        Block { actions }
    }

    fn action(&mut self, name: &str, span: Span, def: &Node) -> Option<Action> {
        if !matches!(def.kind, NodeKind::Map(_)) {
            self.error(
                codes::WRONG_TYPE,
                def.span,
                format!("action `{name}` must be a mapping, found {}", def.describe()),
            );
            return None;
        }
        let Some(type_node) = def.get_ignore_case("type") else {
            self.error(codes::MISSING_KEY, span, format!("action `{name}` has no `type`"));
            return None;
        };
        let type_name = self.string(type_node, "type")?;
        let step = self.step(name, &type_name, type_node.span, def)?;
        let run_after = self.run_after(def.get_ignore_case("runAfter"));
        let runtime = def.get_ignore_case("runtimeConfiguration");
        let static_result = runtime.and_then(|r| r.get_ignore_case("staticResult")).and_then(|s| {
            let result = s.get_ignore_case("name").and_then(Node::as_str)?.to_owned();
            let enabled = s
                .get_ignore_case("staticResultOptions")
                .and_then(Node::as_str)
                .is_some_and(|o| o.eq_ignore_ascii_case("Enabled"));
            if !self.static_results.iter().any(|n| n == &result) {
                let message = format!("static result `{result}` is not declared in `staticResults`");
                self.error(codes::UNKNOWN_STATIC_RESULT, s.span, message);
            }
            Some((result, enabled))
        });
        let secure: Vec<String> = runtime
            .and_then(|r| r.get_ignore_case("secureData"))
            .and_then(|s| s.get_ignore_case("properties"))
            .and_then(Node::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|n| n.as_str().map(str::to_ascii_lowercase))
            .collect();
        let [inputs, outputs] = SECURE_PROPERTIES;
        Some(Action {
            name: name.to_owned(),
            type_name,
            step,
            run_after,
            span,
            static_result,
            secure_inputs: secure.iter().any(|s| s == inputs),
            secure_outputs: secure.iter().any(|s| s == outputs),
        })
    }

    fn run_after(&mut self, node: Option<&Node>) -> Vec<Dependency> {
        let Some(node) = node else { return Vec::new() };
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => return Vec::new(),
            _ => {
                self.error(codes::WRONG_TYPE, node.span, "`runAfter` must map action names to status lists");
                return Vec::new();
            }
        };
        let mut deps = Vec::new();
        for (key, list) in entries {
            let mut statuses = StatusSet::default();
            for item in list.items().unwrap_or_default() {
                match item.as_str().and_then(Status::parse) {
                    Some(s) => statuses.insert(s),
                    None => {
                        let message = "a runAfter status is one of Succeeded, Failed, Skipped, TimedOut";
                        self.error(codes::INVALID_STATUS, item.span, message);
                    }
                }
            }
            if list.items().is_none() {
                self.error(codes::WRONG_TYPE, list.span, format!("the statuses after `{}` must be a list", key.name));
            }
            if statuses.is_empty() {
                statuses = StatusSet::SUCCEEDED;
            }
            deps.push(Dependency { action: key.name.clone(), statuses, span: key.span });
        }
        deps
    }

    /// A string value, or an error naming `what`.
    /// A YAML 1.1 boolean spelled as a word (`N`, `No`, `on`) counts as that text: names like
    /// `N` or `No` are meant as strings.
    pub fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        let word = match node.kind {
            NodeKind::Bool(_) => node
                .scalar_text(&self.source.text)
                .filter(|t| !matches!(t.to_ascii_lowercase().as_str(), "true" | "false")),
            _ => None,
        };
        match node.as_str().map(str::to_owned).or(word) {
            Some(s) => Some(s),
            None => {
                self.error(
                    codes::WRONG_TYPE,
                    node.span,
                    format!("`{what}` must be a string, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// Compiles a JSON value whose strings are templates; parse errors are reported with their
    /// file position and the value is kept literal.
    pub fn input(&mut self, node: &Node) -> Input {
        let value = node.to_value();
        let mut anchors = BTreeMap::new();
        collect_anchors(node, &mut String::new(), &mut anchors);
        match compile_value(&value, &self.limits) {
            Ok(template) => Input { template, anchors },
            Err(errors) => {
                let input = Input { template: crate::playbook::expr::ValueTemplate::Literal(value), anchors };
                for e in errors {
                    let span = match input.anchor(&e.pointer) {
                        Some(anchor) => self.source.locate(anchor, e.error.span),
                        None => node.span,
                    };
                    let mut d =
                        Diagnostic::error(codes::EXPRESSION, &self.source.path, Some(span), e.error.message.clone())
                            .with_label(e.error.kind.label());
                    if let Some(help) = &e.error.help {
                        d = d.with_help(help.clone());
                    }
                    self.diags.push(d);
                }
                input
            }
        }
    }

    /// [`Compiler::input`] of an optional node (absent: null).
    pub fn input_or_null(&mut self, node: Option<&Node>) -> Input {
        node.map_or_else(|| Input::literal(serde_json::Value::Null), |n| self.input(n))
    }
}

/// Records the anchor of every string under `node` that may hold an expression.
fn collect_anchors(node: &Node, pointer: &mut String, out: &mut BTreeMap<String, Anchor>) {
    match &node.kind {
        NodeKind::Str(s) if s.contains('@') => {
            out.insert(pointer.clone(), Anchor { offset: node.span.start, span: node.span });
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                collect_anchors(item, pointer, out);
                pointer.truncate(len);
            }
        }
        NodeKind::Map(entries) => {
            for (key, item) in entries {
                let len = pointer.len();
                pointer::push(pointer, &key.name);
                collect_anchors(item, pointer, out);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}
