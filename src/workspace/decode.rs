//! Each parsed file handed to the decoder of its kind, once: the deployment configs first (they
//! say which files are excluded and which parameter files templates deploy with), then every
//! file in load order; a syntax error is reported with its kind's code.
//!
//! Stage: parsed trees -> file models + diagnostics.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::playbook::connectors::mocks;
use crate::playbook::model::{self as playbook, logicapps};
use crate::playbook::settings;
use crate::rules;
use crate::ruletest;
use crate::sentinel;
use crate::syntax::{Case, Codes, Decoder, Format, Node, SyntaxError};

use super::config::{self, DeploymentConfig};
use super::kind::{FileKind, Other, Syntax};
use super::params::{self, Param};
use super::{analytic, key, Expect, File, LoadError, Options, Parsed, Workspace};

/// Other content that does not parse: RP002.
const OTHER_FORMAT: Format = Format { codes: Codes::all(Code::RP002), case: Case::Exact };
/// Parameter files: RP004.
const PARAMS_FORMAT: Format = Format { codes: Codes::all(Code::RP004), case: Case::IgnoreAscii };

/// Parameter files, each read and parsed once: those among the inputs, and those found beside
/// templates.
struct ParamFiles {
    /// By normalised path: the values (problems reported when first read).
    read: BTreeMap<PathBuf, Vec<Param>>,
    /// Parameter files among the inputs, not yet read.
    inputs: BTreeMap<PathBuf, (String, String, Node)>,
}

impl ParamFiles {
    fn values(&mut self, path: &Path, ws: &mut Workspace) -> Vec<Param> {
        let k = key(path);
        if let Some(v) = self.read.get(&k) {
            return v.clone();
        }
        let values = match self.inputs.remove(&k) {
            Some((label, text, root)) => {
                let mut diags = Vec::new();
                let v = params::values(&label, &root, &mut diags);
                if !diags.is_empty() {
                    ws.sources.insert(&label, &text);
                    ws.diagnostics.extend(diags);
                }
                v
            }
            None => read_params(path, ws),
        };
        self.read.insert(k, values.clone());
        values
    }
}

/// Reads a parameter file that is not among the inputs.
fn read_params(path: &Path, ws: &mut Workspace) -> Vec<Param> {
    let label = crate::io::path::display(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            let d = Diagnostic::error(Code::RP004, &label, None, format!("cannot read the parameter file: {e}"))
                .with_help("sentinel-deployment.config maps a template to it: fix the path in parameterfilemappings");
            ws.diagnostics.push(d);
            return Vec::new();
        }
    };
    let mut diags = Vec::new();
    let values = match Decoder::new(&label, &text, PARAMS_FORMAT, &mut diags).parse_json() {
        Some(root) => params::values(&label, &root, &mut diags),
        None => Vec::new(),
    };
    if !diags.is_empty() {
        ws.sources.insert(&label, &text);
        ws.diagnostics.extend(diags);
    }
    values
}

/// Decodes every parsed file into `ws`.
pub(super) fn all(parsed: Vec<Parsed>, options: &Options, ws: &mut Workspace) -> Result<(), LoadError> {
    let mut configs: Vec<DeploymentConfig> = Vec::new();
    let mut param_files = ParamFiles { read: BTreeMap::new(), inputs: BTreeMap::new() };
    for p in &parsed {
        match (p.kind, &p.root) {
            (FileKind::Other(Other::DeploymentConfig), Ok(root)) => {
                let mut diags = Vec::new();
                configs.push(config::read(&p.label, root, &mut diags));
                if !diags.is_empty() {
                    ws.sources.insert(&p.label, &p.text);
                    ws.diagnostics.extend(diags);
                }
            }
            (FileKind::Other(Other::ParameterFile), Ok(root)) => {
                param_files.inputs.insert(key(&p.found.path), (p.label.clone(), p.text.clone(), root.clone()));
            }
            _ => {}
        }
    }
    let mut given: Vec<Param> = Vec::new();
    for file in &options.params_files {
        let text = std::fs::read_to_string(file).map_err(|error| LoadError::Read {
            what: "parameters",
            path: file.clone(),
            error,
        })?;
        let mut diags = Vec::new();
        if let Some(root) = Decoder::new(file, &text, PARAMS_FORMAT, &mut diags).parse_json() {
            given.extend(params::values(file, &root, &mut diags));
        }
        if !diags.is_empty() {
            ws.sources.insert(file, &text);
            ws.diagnostics.extend(diags);
        }
    }
    given.extend(options.params.iter().cloned());
    let mut declared: Vec<(String, Vec<String>)> = Vec::new();
    for mut p in parsed {
        if p.found.walked && options.filter.as_ref().is_some_and(|f| f.excludes(&p.found.path)) {
            ws.files.push(File { path: p.label.clone(), kind: p.kind, checked: false, excluded: true });
            continue;
        }
        if let Some(d) = p.unreadable.take() {
            ws.files.push(File { path: p.label.clone(), kind: p.kind, checked: true, excluded: false });
            ws.diagnostics.push(d);
            continue;
        }
        let Some(kind) = options.expect.read_as(p.kind, p.found.walked) else { continue };
        let excluded = configs.iter().any(|c| c.covers(&p.found.path) && c.excludes(&p.found.path));
        let checked = kind.is_checked() && !excluded;
        ws.files.push(File { path: p.label.clone(), kind, checked, excluded });
        if excluded {
            continue;
        }
        let root = match &p.root {
            Ok(root) => root,
            Err(e) => {
                syntax_error(&p, kind, e, ws);
                if kind == FileKind::AutomationRules {
                    ws.rule_files.push(rules::file::RuleFile { path: p.label.clone(), rules: Vec::new() });
                    ws.rule_ids.push(Vec::new());
                }
                continue;
            }
        };
        let is_template = p.syntax == Syntax::Json && root.get_ignore_case("resources").is_some();
        let own;
        let template_params: &[Param] = if is_template && kind.is_checked() {
            let mut values = match params::parameter_file(&p.found.path, &configs, options.workspace.as_deref()) {
                Some(file) => param_files.values(&file, ws),
                None => Vec::new(),
            };
            values.extend(given.iter().cloned());
            own = values;
            &own
        } else {
            &given
        };
        one(&p, kind, root, template_params, options.expect, ws, &mut declared);
    }
    super::finish(ws, options, &declared);
    Ok(())
}

/// The syntax error of a file that does not parse, with its kind's code.
fn syntax_error(p: &Parsed, kind: FileKind, e: &SyntaxError, ws: &mut Workspace) {
    let json = p.syntax == Syntax::Json;
    let format = match kind {
        FileKind::AutomationRules if json => sentinel::rest::FORMAT,
        FileKind::AutomationRules => rules::file::FORMAT,
        FileKind::Playbooks if json => playbook::JSON_FORMAT,
        FileKind::Playbooks => playbook::yaml::FORMAT,
        FileKind::AnalyticRules => analytic::FORMAT,
        FileKind::RuleTests => ruletest::file::FORMAT,
        FileKind::Mocks => mocks::FORMAT,
        FileKind::Settings => settings::FORMAT,
        FileKind::Other(_) | FileKind::NotSentinel => OTHER_FORMAT,
    };
    let mut diags = Vec::new();
    let mut d = Decoder::new(&p.label, &p.text, format, &mut diags).syntax_error(e);
    if json || kind == FileKind::Playbooks {
        d = d.with_label("here");
    }
    ws.sources.insert(&p.label, &p.text);
    ws.diagnostics.push(d);
}

/// Decodes one parsed file as `kind`.
fn one(
    p: &Parsed,
    kind: FileKind,
    root: &Node,
    params: &[Param],
    expect: Expect,
    ws: &mut Workspace,
    declared: &mut Vec<(String, Vec<String>)>,
) {
    let (path, text) = (p.label.as_str(), p.text.as_str());
    let diags = &mut ws.diagnostics;
    match kind {
        FileKind::AutomationRules if p.syntax == Syntax::Json => {
            let decoded = sentinel::decode_tree(path, text, root, params, diags);
            if decoded.shape == Some(sentinel::detect::Shape::Template) {
                declared.push((path.to_owned(), decoded.parameters));
            }
            ws.rule_files.push(decoded.file);
            ws.rule_ids.push(decoded.ids);
        }
        FileKind::AutomationRules => {
            let file = rules::file::decode_tree(path, text, root, diags);
            ws.rule_ids
                .push(file.rules.iter().map(|r| sentinel::import::source_comment_id(text, r.span.line)).collect());
            ws.rule_files.push(file);
        }
        FileKind::Playbooks => {
            if logicapps::is_logic_apps(root) {
                let names = logicapps::template_parameters(root);
                if !names.is_empty() {
                    declared.push((path.to_owned(), names));
                }
            }
            ws.playbooks.extend(playbook::load_tree(path, text, root, params, diags));
        }
        FileKind::AnalyticRules if p.syntax == Syntax::Json => {
            if let Some(entries) = root.get_ignore_case("parameters").and_then(Node::entries) {
                declared.push((path.to_owned(), entries.iter().map(|(k, _)| k.name.clone()).collect()));
            }
            ws.analytic_rules.extend(analytic::from_template(path, text, root, params, diags));
        }
        FileKind::AnalyticRules => ws.analytic_rules.extend(analytic::from_yaml(path, text, root, diags)),
        FileKind::RuleTests => ws.tests.push(ruletest::file::decode_tree(path, text, root, diags)),
        FileKind::Mocks => ws.mocks.mocks.extend(mocks::load_tree(path, text, root, diags).mocks),
        FileKind::Settings => ws.settings = Some(settings::load_tree(path, text, root, diags)),
        FileKind::Other(_) => return,
        FileKind::NotSentinel => {
            if expect == Expect::Repository {
                diags.push(
                    Diagnostic::info(Code::RP001, path, None, "not Sentinel content: skipped")
                        .with_help("none of the file kinds sentinel-soar reads or recognises has this shape"),
                );
            }
            return;
        }
    }
    ws.sources.insert(path, text);
}
