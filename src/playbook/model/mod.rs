//! The playbook model: Logic Apps' own workflow model, compiled. Two file formats load into
//! the one [`Playbook`]:
//!
//! - **Logic Apps JSON** ([`logicapps`]): an ARM template deploying
//!   `Microsoft.Logic/workflows` (as Sentinel's templates are), a workflow resource's
//!   `properties`, or a bare workflow definition. ARM expressions left in the definition are
//!   resolved from the template's parameter defaults; `$connections` keys are resolved to
//!   connector APIs through their ids; `staticResults` are kept as canned results.
//! - **YAML** ([`yaml`], [`yaml::step`], [`yaml::sentinel`]): steps in a list that run one after
//!   another unless `run_after` says otherwise, ids that default from names, short names for
//!   the built-in Sentinel operations (`sentinel.add_comment`, `sentinel.update_incident`,
//!   `sentinel.get_ips`, ...) ([`yaml::sentinel`]), data steps in `yaml::data`. It desugars into
//!   the WDL action tree, spans kept.
//!
//! Both then go through one compiler ([`compile`], [`compile_step`], [`compile_variable`],
//! [`condition`]): actions with a closed [`Step`] enum, `runAfter` [`Dependency`]s, every
//! string a parsed template ([`Input`]) anchored in the file, and static [`check`]s (runAfter
//! names and cycles, actions read before they run, loops, variables, literal
//! [`secrets`]); secret references of parameters and connections are kept in [`secret`]. Every
//! problem is a `PB` [`Diagnostic`] ([`codes`]) with file, line and column.
//!
//! Stage: file model -> compiled form. No I/O (the caller reads the file), no printing.

pub mod action;
pub mod canned;
pub mod check;
pub mod class;
pub mod codes;
pub mod compile;
pub mod compile_step;
mod compile_variable;
pub mod condition;
pub mod control;
pub mod duration;
pub mod input;
pub mod logicapps;
pub mod refs;
pub mod secret;
pub mod secrets;
pub mod step;
pub mod trigger;
pub mod yaml;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::syntax::{self, Decoder, Format, Node};

pub use action::{Action, Block, Dependency, Status, StatusSet};
pub use canned::Canned;
pub use class::PlaybookClass;
pub use control::{Case, Foreach, If, Switch, Until};
pub use input::{Anchor, Input, Source};
pub use secret::{Connection, SecretRef, Secrets};
pub use step::{Connector, DateTime, DateTimeKind, Predicate, Step, Variable, VariableOp, VariableType};
pub use trigger::{Trigger, TriggerKind};

/// A compiled playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Playbook {
    /// The workflow's name (the ARM resource name, the YAML `name`, or the file stem).
    pub name: String,
    pub description: Option<String>,
    /// The resource group the playbook is deployed in, when known (YAML `resource_group`).
    pub resource_group: Option<String>,
    pub source: Source,
    /// `state: Disabled` in the resource, `enabled: false` in YAML.
    pub enabled: bool,
    /// `None` when the definition has no trigger.
    pub trigger: Option<Trigger>,
    /// Workflow parameter values (definition defaults, overridden by the resource's values),
    /// `$connections` included.
    pub parameters: BTreeMap<String, Value>,
    /// `$connections` key -> connector API.
    pub connections: BTreeMap<String, String>,
    /// Secret references (connections' and parameters'), resolved when a run starts.
    pub secrets: Secrets,
    /// `definition.staticResults` by name.
    pub static_results: BTreeMap<String, Canned>,
    pub actions: Block,
}

impl Playbook {
    /// The trigger kind (Other when there is no trigger).
    pub fn trigger_kind(&self) -> TriggerKind {
        self.trigger.as_ref().map_or(TriggerKind::Other, |t| t.kind)
    }

    /// The playbook's class as Sentinel's playbooks page shows it ([`PlaybookClass`]).
    pub fn class(&self) -> PlaybookClass {
        PlaybookClass::of(self)
    }

    /// Every action, depth first.
    pub fn all_actions(&self) -> Vec<&Action> {
        self.actions.walk()
    }
}

/// Loads every playbook of a file (Logic Apps templates may hold several workflows). The
/// format is told by the content: a YAML playbook has `steps`, Logic Apps JSON has
/// `resources`, `definition` or `triggers`/`actions`. Every finding is appended to `diags`;
/// a playbook with errors is still returned when it could be compiled at all, so callers
/// decide (`validate` reports, `run` refuses on errors).
pub fn load(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Playbook> {
    load_with(path, text, &[], diags)
}

/// [`load`] with `--param NAME=VALUE` values for the parameters of a Logic Apps ARM template
/// (a name the file does not declare is a warning, SJ014).
pub fn load_with(path: &str, text: &str, params: &[(String, String)], diags: &mut Vec<Diagnostic>) -> Vec<Playbook> {
    let Some(root) = parse(path, text, diags) else { return Vec::new() };
    let declared = if logicapps::is_logic_apps(&root) { logicapps::template_parameters(&root) } else { Vec::new() };
    crate::sentinel::unknown_params_in(path, params, &declared, diags);
    load_tree(path, text, &root, params, diags)
}

/// [`load_with`] of a file already parsed into `root` (the workspace parses each file once),
/// without the check of `--param` names (the workspace makes it over every template it read).
pub fn load_tree(
    path: &str,
    text: &str,
    root: &Node,
    params: &[(String, String)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Playbook> {
    let source = Source::new(path, text);
    if yaml::is_yaml_surface(root) {
        return yaml::load(&source, root, diags).into_iter().collect();
    }
    if logicapps::is_logic_apps(root) {
        return logicapps::load(&source, root, params, diags);
    }
    let message =
        "not a playbook: expected YAML `steps`, or Logic Apps JSON (`resources`, `definition`, `triggers`/`actions`)";
    diags.push(Diagnostic::error(codes::NOT_A_PLAYBOOK, path, Some(root.span), message));
    Vec::new()
}

/// Logic Apps JSON: PB codes, keys compared ignoring ASCII case as Azure does.
pub const JSON_FORMAT: Format = Format { codes: yaml::FORMAT.codes, case: syntax::Case::IgnoreAscii };

/// Parses YAML or JSON into the spanned tree (JSON falls back to serde_json for what YAML does
/// not share); a syntax error is PB001, labelled "here".
fn parse(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Option<Node> {
    let body = text.trim_start_matches('\u{feff}');
    if path.to_ascii_lowercase().ends_with(".json") || body.trim_start().starts_with('{') {
        return Decoder::new(path, body, JSON_FORMAT, diags).parse_json();
    }
    let d = Decoder::new(path, text, yaml::FORMAT, diags);
    match crate::syntax::yaml::parse(text) {
        Ok(node) => Some(node),
        Err(e) => {
            let report = d.syntax_error(&e).with_label("here");
            d.diags.push(report);
            None
        }
    }
}
