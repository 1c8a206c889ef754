//! An ARM template's parameters (defaults, overridden by `--param name=value`) and variables
//! as the [`Scope`] of its expressions, and the resolution of the string values in it
//! (automation rule resources, Logic Apps workflows) with warnings for what stays unresolved.
//!
//! A parameter without a value is a warning (SJ006) that names the parameter and the `--param`
//! to pass; the expression's text is kept as the value, so a template whose parameters have no
//! defaults still loads. What ARM refuses to deploy is an error: an expression that does not
//! parse (SJ016), a parameter or variable the template does not declare (SJ017); an evaluation
//! that fails offline is a warning (SJ018). For playbooks ([`Template::with_placeholders`]) a parameter without a
//! value reads as a visible placeholder instead ([`super::placeholder`]), with one warning per
//! parameter, so the expressions around it still evaluate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Severity};
use crate::syntax::Span;
use crate::syntax::{Node, NodeKind};

use super::expr::{self, EvalError, Evaluated, Scope};

struct Param {
    /// The name as declared.
    name: String,
    kind: String,
    default: Option<Value>,
    given: Option<String>,
}

/// A template's parameters and variables, and the warnings already given.
pub struct Template {
    path: String,
    params: BTreeMap<String, Param>,
    variables: BTreeMap<String, Value>,
    depth: usize,
    warned: BTreeSet<String>,
    /// Parameters without a value read as placeholders (playbooks).
    placeholders: bool,
    /// Placeholders read since the last [`Template::resolve`] (to warn about).
    read: Vec<String>,
}

/// A string value after expression evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Value(Evaluated),
    /// Reported; the caller keeps the text as written.
    Unresolved,
}

impl Template {
    /// Reads the parameters and variables of `root`; `given` are the `--param` pairs.
    pub fn new(path: &str, root: &Node, given: &[(String, String)]) -> Template {
        let mut params = BTreeMap::new();
        if let Some(NodeKind::Map(entries)) = root.get_ignore_case("parameters").map(|p| &p.kind) {
            for (key, decl) in entries {
                let kind = decl.get_ignore_case("type").and_then(Node::as_str).unwrap_or("string").to_ascii_lowercase();
                let default = decl.get_ignore_case("defaultValue").map(Node::to_value);
                params.insert(
                    key.name.to_ascii_lowercase(),
                    Param { name: key.name.clone(), kind, default, given: None },
                );
            }
        }
        for (name, value) in given {
            if let Some(p) = params.get_mut(&name.to_ascii_lowercase()) {
                p.given = Some(value.clone());
            }
        }
        let mut variables = BTreeMap::new();
        if let Some(NodeKind::Map(entries)) = root.get_ignore_case("variables").map(|v| &v.kind) {
            for (key, value) in entries {
                variables.insert(key.name.to_ascii_lowercase(), value.to_value());
            }
        }
        Template {
            path: path.to_owned(),
            params,
            variables,
            depth: 0,
            warned: BTreeSet::new(),
            placeholders: false,
            read: Vec::new(),
        }
    }

    /// Parameters without a value read as visible placeholders instead of leaving the
    /// expression unresolved (Logic Apps playbooks).
    pub fn with_placeholders(mut self) -> Template {
        self.placeholders = true;
        self
    }

    /// Evaluates every expression string inside a value.
    fn eval_value(&mut self, value: &Value) -> Result<Evaluated, EvalError> {
        self.depth += 1;
        let result = if self.depth > 32 {
            Err(EvalError::Invalid("parameters and variables refer to each other in a cycle".into()))
        } else {
            match value {
                Value::String(s) => expr::evaluate(s, self),
                Value::Array(items) => {
                    let mut deployment = false;
                    let mut out = Vec::new();
                    for item in items {
                        let e = self.eval_value(item)?;
                        deployment |= e.deployment;
                        out.push(e.value);
                    }
                    Ok(Evaluated { value: Value::Array(out), deployment })
                }
                Value::Object(map) => {
                    let mut deployment = false;
                    let mut out = serde_json::Map::new();
                    for (k, v) in map {
                        let e = self.eval_value(v)?;
                        deployment |= e.deployment;
                        out.insert(k.clone(), e.value);
                    }
                    Ok(Evaluated { value: Value::Object(out), deployment })
                }
                other => Ok(Evaluated { value: other.clone(), deployment: false }),
            }
        };
        self.depth -= 1;
        result
    }

    /// Resolves a string that may be an expression; reports what cannot be resolved.
    pub fn resolve(&mut self, text: &str, span: Span, diags: &mut Vec<Diagnostic>) -> Resolved {
        let result = expr::evaluate(text, self);
        for name in std::mem::take(&mut self.read) {
            if self.warned.insert(format!("placeholder {}", name.to_ascii_lowercase())) {
                let shown = super::placeholder::placeholder(&name);
                let message = format!("template parameter `{name}` has no value: the playbook reads it as `{shown}`");
                diags.push(
                    Diagnostic::warning(Code::SJ006, &self.path, Some(span), message)
                        .with_label("needs a parameter value")
                        .with_help(format!("pass {} (the template gives `{name}` no defaultValue); an expression that needs a real value fails at its step", param_flag(&name))),
                );
            }
        }
        match result {
            Ok(v) => Resolved::Value(v),
            Err(err) => {
                self.report(&err, span, diags);
                Resolved::Unresolved
            }
        }
    }

    /// Resolves a string that only shapes a resource's name or id (a `name`, an id's workspace
    /// part): what cannot be resolved is not reported, since the deployment, not the content,
    /// decides it.
    pub fn resolve_quiet(&mut self, text: &str) -> Resolved {
        expr::evaluate(text, self).map_or(Resolved::Unresolved, Resolved::Value)
    }

    fn report(&mut self, err: &EvalError, span: Span, diags: &mut Vec<Diagnostic>) {
        let key = format!("{err:?}");
        let first = self.warned.insert(key);
        let path = self.path.clone();
        let found = |code: Code, message: String| match code.severity() {
            Severity::Error => Diagnostic::error(code, &path, Some(span), message),
            _ => Diagnostic::warning(code, &path, Some(span), message),
        };
        let diag = match err {
            EvalError::NoValue(p) if first => found(
                Code::SJ006,
                format!("template parameter `{p}` has no value, so this expression is kept as written"),
            )
            .with_label("needs a parameter value")
            .with_help(format!("pass {} (the template gives `{p}` no defaultValue)", param_flag(p))),
            EvalError::UnknownParameter(p) if first => {
                let declared = self.params.values().map(|d| d.name.as_str());
                let diag = found(Code::SJ017, format!("the template declares no parameter `{p}`"))
                    .with_label("unknown parameter");
                match did_you_mean(p, declared) {
                    Some(name) => diag.with_help(format!("did you mean `{name}`? ARM refuses to deploy a template that reads an undeclared parameter")),
                    None => diag.with_help(format!("declare `{p}` under `parameters`; ARM refuses to deploy a template that reads an undeclared parameter")),
                }
            }
            EvalError::UnknownVariable(v) if first => {
                found(Code::SJ017, format!("the template declares no variable `{v}`")).with_label("unknown variable")
            }
            EvalError::Unsupported(f) if first => found(
                Code::SJ007,
                format!("ARM function `{f}` is not evaluated offline; the expression is kept as written"),
            )
            .with_label("not evaluated"),
            EvalError::Syntax(m) => found(Code::SJ016, format!("this ARM expression does not parse: {m}"))
                .with_label("not an expression")
                .with_help("ARM evaluates every string that starts with `[` and ends with `]`; fix the expression, or start the string with `[[` for a literal `[`"),
            EvalError::Invalid(m) => {
                found(Code::SJ018, format!("cannot evaluate this ARM expression: {m}")).with_label("kept as written")
            }
            _ => return,
        };
        diags.push(diag);
    }
}

/// `--param NAME=VALUE` as a shell takes it: quoted when the name holds anything but letters,
/// digits, `_`, `-` and `.` (template parameter names may hold spaces).
pub fn param_flag(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        format!("--param {name}=VALUE")
    } else {
        format!("--param '{}=VALUE'", name.replace('\'', r"'\''"))
    }
}

fn typed(kind: &str, text: &str) -> Value {
    match kind {
        "int" => text.trim().parse::<i64>().map_or_else(|_| Value::String(text.to_owned()), Value::from),
        "bool" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        "array" | "object" => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
        _ => Value::String(text.to_owned()),
    }
}

impl Scope for Template {
    fn parameter(&mut self, name: &str) -> Result<Evaluated, EvalError> {
        let Some(param) = self.params.get(&name.to_ascii_lowercase()) else {
            return Err(EvalError::UnknownParameter(name.to_owned()));
        };
        if let Some(given) = &param.given {
            return Ok(Evaluated { value: typed(&param.kind, given), deployment: false });
        }
        match param.default.clone() {
            Some(default) => self.eval_value(&default),
            None if self.placeholders => {
                let shown = param.name.clone();
                self.read.push(shown.clone());
                Ok(Evaluated { value: Value::String(super::placeholder::placeholder(&shown)), deployment: false })
            }
            None => Err(EvalError::NoValue(name.to_owned())),
        }
    }

    fn variable(&mut self, name: &str) -> Result<Evaluated, EvalError> {
        match self.variables.get(&name.to_ascii_lowercase()).cloned() {
            Some(value) => self.eval_value(&value),
            None => Err(EvalError::UnknownVariable(name.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "ws": { "type": "string" }, "n": { "type": "int", "defaultValue": 3 } },
  "variables": { "id": "[uniqueString(parameters('ws'))]", "loop": "[variables('loop')]" },
  "resources": [ { "type": "Microsoft.SecurityInsights/AutomationRules", "name": "x" }, { "type": "other" } ]
}"#;

    fn template(given: &[(String, String)]) -> (Node, Template) {
        let root = crate::syntax::json::parse(TEMPLATE).unwrap_or_else(|e| unreachable!("{e:?}"));
        let t = Template::new("t.json", &root, given);
        (root, t)
    }

    #[test]
    fn resolves_parameters_and_variables() {
        let (_, mut t) = template(&[("WS".into(), "soc".into())]);
        let mut diags = Vec::new();
        let v = t.resolve("[variables('id')]", Span::default(), &mut diags);
        assert_eq!(v, Resolved::Value(Evaluated { value: "aktylxk334ifq".into(), deployment: false }));
        let n = t.resolve("[parameters('n')]", Span::default(), &mut diags);
        assert_eq!(n, Resolved::Value(Evaluated { value: Value::from(3), deployment: false }));
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn unresolved_parameters_are_warned_once_and_cycles_stop() {
        let (_, mut t) = template(&[]);
        let mut diags = Vec::new();
        assert_eq!(t.resolve("[parameters('ws')]", Span::default(), &mut diags), Resolved::Unresolved);
        assert_eq!(t.resolve("[concat(parameters('ws'), 'x')]", Span::default(), &mut diags), Resolved::Unresolved);
        assert_eq!(diags.len(), 1);
        assert!(diags
            .iter()
            .all(|d| d.help.as_deref() == Some("pass --param ws=VALUE (the template gives `ws` no defaultValue)")));
        assert_eq!(t.resolve("[variables('loop')]", Span::default(), &mut diags), Resolved::Unresolved);
        assert_eq!(
            t.resolve("[[literal]", Span::default(), &mut diags),
            Resolved::Value(Evaluated { value: "[literal]".into(), deployment: false })
        );
    }

    #[test]
    fn unknown_functions_and_bad_syntax_are_reported_with_their_codes() {
        let (_, mut t) = template(&[]);
        let mut diags = Vec::new();
        assert_eq!(t.resolve("[Reference('x').outputs]", Span::default(), &mut diags), Resolved::Unresolved);
        assert_eq!(t.resolve("[concat('a' 'b')]", Span::default(), &mut diags), Resolved::Unresolved);
        let got: Vec<(Code, &str)> = diags.iter().map(|d| (d.code, d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Code::SJ007, "ARM function `Reference` is not evaluated offline; the expression is kept as written"),
                (Code::SJ016, "this ARM expression does not parse: expected `,` or `)`, found a string"),
            ]
        );
    }

    #[test]
    fn the_param_flag_is_quoted_when_the_name_needs_it() {
        assert_eq!(param_flag("workspace_Name-1.x"), "--param workspace_Name-1.x=VALUE");
        assert_eq!(param_flag("Teams channel ID"), "--param 'Teams channel ID=VALUE'");
        assert_eq!(param_flag("it's"), r"--param 'it'\''s=VALUE'");
    }

    #[test]
    fn an_undeclared_parameter_is_an_error_with_the_closest_name() {
        let (_, mut t) = template(&[]);
        let mut diags = Vec::new();
        assert_eq!(t.resolve("[parameters('wss')]", Span::default(), &mut diags), Resolved::Unresolved);
        assert_eq!(t.resolve("[parameters('other')]", Span::default(), &mut diags), Resolved::Unresolved);
        let got: Vec<(bool, Code, &str, Option<&str>)> =
            diags.iter().map(|d| (d.is_error(), d.code, d.message.as_str(), d.help.as_deref())).collect();
        assert_eq!(
            got,
            [
                (
                    true,
                    Code::SJ017,
                    "the template declares no parameter `wss`",
                    Some("did you mean `ws`? ARM refuses to deploy a template that reads an undeclared parameter")
                ),
                (
                    true,
                    Code::SJ017,
                    "the template declares no parameter `other`",
                    Some("declare `other` under `parameters`; ARM refuses to deploy a template that reads an undeclared parameter")
                )
            ]
        );
    }
}
