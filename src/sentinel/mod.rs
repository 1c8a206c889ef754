//! Sentinel's native formats. Automation rules as Sentinel writes them (REST resources, REST
//! lists, REST API example files, ARM templates) decode into the same rule file model as YAML
//! ([`decode`]), so every later stage (compile, engine, validate) is shared and diagnostics
//! point at the JSON file's line and column. [`import`] writes that model back as YAML;
//! [`export`] writes it as a deployable ARM template. [`security_incident`] reads exports of
//! the Log Analytics SecurityIncident table and [`audit`] writes audit rows in that shape.
//!
//! Stage: file formats, beside `rules::file`; nothing here reads files or prints.

mod actions;
pub mod audit;
pub mod canon;
pub mod codes;
mod conditions;
mod dedupe;
pub mod detect;
pub mod export;
mod export_conditions;
pub mod import;
pub mod rest;
pub mod security_incident;
pub(crate) mod yaml_out;

use crate::arm::{self, Resolved, Template};
use crate::diagnostic::Diagnostic;
use crate::rules::file::RuleFile;
use crate::syntax::{self, Node, NodeKind};

pub use dedupe::dedupe;

use detect::Shape;
use rest::Decoder;

/// Rules decoded from one Sentinel JSON file.
#[derive(Debug, Clone, Default)]
pub struct Decoded {
    pub file: RuleFile,
    /// Each rule's Sentinel id (the resource `id`, else its `name`), in the order of
    /// `file.rules`.
    pub ids: Vec<Option<String>>,
    pub shape: Option<Shape>,
    /// The parameters an ARM template declares (to check `--param` names against).
    pub parameters: Vec<String>,
}

/// Decodes a Sentinel JSON rule document. `params` are `--param` values for ARM templates.
/// Every problem goes to `diags`; the rules that could be read are returned.
pub fn decode(path: &str, source: &str, params: &[(String, String)], diags: &mut Vec<Diagnostic>) -> Decoded {
    let Some(root) = syntax::Decoder::new(path, source, rest::FORMAT, diags).parse_json() else {
        return Decoded { file: RuleFile { path: path.to_owned(), rules: Vec::new() }, ..Decoded::default() };
    };
    decode_tree(path, source, &root, params, diags)
}

/// [`decode`] of a file already parsed into `root` (the workspace parses each file once).
pub fn decode_tree(
    path: &str,
    source: &str,
    root: &Node,
    params: &[(String, String)],
    diags: &mut Vec<Diagnostic>,
) -> Decoded {
    let mut decoded = Decoded { file: RuleFile { path: path.to_owned(), rules: Vec::new() }, ..Decoded::default() };
    let Some((shape, found)) = detect::detect(root) else {
        diags.push(
            Diagnostic::error(codes::NOT_RULES, path, Some(root.start()), "this JSON file holds no Sentinel automation rule")
                .with_label("not an automation rule document")
                .with_help("expected an automationRules resource, a REST list {\"value\": [...]}, a REST API example file or an ARM template"),
        );
        return decoded;
    };
    decoded.shape = Some(shape);
    if let Some(NodeKind::Map(entries)) = root.get_ignore_case("parameters").map(|p| &p.kind) {
        if shape == Shape::Template {
            decoded.parameters = entries.iter().map(|(k, _)| k.name.clone()).collect();
        }
    }
    let mut template = (shape == Shape::Template).then(|| Template::new(path, root, params));
    if shape == Shape::Template && found.is_empty() {
        diags.push(
            Diagnostic::warning(codes::NO_AUTOMATION_RULES, path, None, "the ARM template deploys no automation rule")
                .with_help(format!("expected resources of type {}", detect::RULE_TYPES.join(" or "))),
        );
    }
    for f in found {
        if let Some((copy, _)) = f.resource.entry_ignore_case("copy") {
            diags.push(
                Diagnostic::warning(codes::UNSUPPORTED_ARM, path, Some(copy.span), "copy loops are not expanded")
                    .with_label("the rule is read once"),
            );
        }
        let id = resource_id(f.resource, template.as_mut());
        let mut d = Decoder { base: syntax::Decoder::new(path, source, rest::FORMAT, diags), arm: template.as_mut() };
        if let Some(rule) = d.rule(f) {
            decoded.file.rules.push(rule);
            decoded.ids.push(id);
        }
    }
    decoded
}

/// A rule's id: the resource `id`, else its `name`; for the legacy nested ARM form
/// (`<workspace>/Microsoft.SecurityInsights/<ruleId>`) the last segment.
/// A name only shapes the resource, so what it leaves unresolved (the workspace) is not
/// reported.
fn resource_id(resource: &Node, template: Option<&mut Template>) -> Option<String> {
    let node = resource.get_ignore_case("id").or_else(|| resource.get_ignore_case("name"))?;
    let text = node.as_str()?;
    match template {
        None => Some(text.to_owned()),
        Some(t) => match t.resolve_quiet(text) {
            Resolved::Value(v) => {
                let s = arm::expr::text_of(&v.value)?;
                Some(s.rsplit('/').next().unwrap_or(&s).to_owned())
            }
            Resolved::Unresolved => Some(text.to_owned()),
        },
    }
}

/// Warnings (SJ014) for `--param` names that no template of the run declares.
pub fn unknown_params(given: &[(String, String)], declared: &[String], diags: &mut Vec<Diagnostic>) {
    unknown_params_in("--param", given, declared, diags);
}

/// [`unknown_params`] reported against `file` (the one template the parameters are for).
pub fn unknown_params_in(file: &str, given: &[(String, String)], declared: &[String], diags: &mut Vec<Diagnostic>) {
    for (name, _) in given {
        if !declared.iter().any(|d| d.eq_ignore_ascii_case(name)) {
            let mut d = Diagnostic::warning(
                codes::BAD_PARAM,
                file,
                None,
                format!("--param {name} matches no parameter of the ARM templates read"),
            );
            if let Some(s) = crate::diagnostic::did_you_mean(name, declared.iter().map(String::as_str)) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
        }
    }
}

/// True for a file name that holds Sentinel JSON rather than YAML.
pub fn is_json_path(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"))
}
