//! The workspace settings file: who may run playbooks, and where Sentinel may run them, as
//! Sentinel grants it. Without a settings file everything is allowed.
//!
//! ```yaml
//! roles:                                      # Azure RBAC roles on the workspace, by person
//!   ada@contoso.com: [Microsoft Sentinel Responder]
//!   bob@contoso.com: [Microsoft Sentinel Reader]
//! playbook_resource_groups: [rg-soc-playbooks] # where Sentinel holds permission to run playbooks
//! ```
//!
//! - A manual run (`playbook run --as NAME`) needs the Microsoft Sentinel Responder role (or
//!   Contributor, which includes it, or Playbook Operator) when the file defines `roles`;
//!   without `--as`, such a run is refused too.
//! - When the file lists `playbook_resource_groups`, a playbook deployed elsewhere (its YAML
//!   `resource_group`) cannot be run by Sentinel. A playbook whose resource group is not known
//!   (Logic Apps JSON is deployed wherever the template is) is not checked.
//!
//! Role names match ignoring case, with or without the `Microsoft ` prefix; a name that is
//! none of Azure's roles for Sentinel and Logic Apps ([`KNOWN_ROLES`]) is an error.

use std::collections::BTreeMap;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::rules::file::{FILE_KEYS, RULE_KEYS};
use crate::syntax::{Case, Codes, Decoder, Format, Node};

use super::model::codes;

/// The settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Person (as written, compared ignoring case) -> roles.
    pub roles: Option<BTreeMap<String, Vec<String>>>,
    pub playbook_resource_groups: Option<Vec<String>>,
}

const KEYS: &[&str] = &["roles", "playbook_resource_groups"];

/// Every role a settings file may name: Microsoft Sentinel's built-in roles, the Logic Apps
/// roles playbooks need, and Azure's general roles that also grant access to the workspace.
const KNOWN_ROLES: &[&str] = &[
    "Microsoft Sentinel Reader",
    "Microsoft Sentinel Responder",
    "Microsoft Sentinel Contributor",
    "Microsoft Sentinel Playbook Operator",
    "Microsoft Sentinel Automation Contributor",
    "Logic App Operator",
    "Logic App Contributor",
    "Reader",
    "Contributor",
    "Owner",
];

/// Roles that may run playbooks by hand: Responder and Contributor as the issue has it, and
/// Playbook Operator, the role Sentinel's roles page gives for "list, view, and manually run
/// playbooks" (https://learn.microsoft.com/azure/sentinel/roles).
const RUNNERS: &[&str] = &["Sentinel Responder", "Sentinel Contributor", "Sentinel Playbook Operator"];
/// Roles that may attach playbooks to automation rules.
const ATTACHERS: &[&str] = &["Sentinel Contributor"];
/// Roles that may enable and disable playbooks (Logic Apps).
const OPERATORS: &[&str] = &["Logic App Operator", "Logic App Contributor"];
/// Roles that may edit playbooks (Logic Apps).
const EDITORS: &[&str] = &["Logic App Contributor"];

/// What a person wants to do with playbooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Run a playbook by hand on an incident or alert.
    Run,
    /// Attach a playbook to an automation rule.
    Attach,
    /// Enable or disable a playbook.
    EnableDisable,
    /// Edit a playbook.
    Edit,
}

impl Task {
    fn roles(self) -> &'static [&'static str] {
        match self {
            Task::Run => RUNNERS,
            Task::Attach => ATTACHERS,
            Task::EnableDisable => OPERATORS,
            Task::Edit => EDITORS,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Task::Run => "running a playbook by hand needs the Microsoft Sentinel Responder, Contributor or Playbook Operator role",
            Task::Attach => "attaching a playbook to an automation rule needs the Microsoft Sentinel Contributor role",
            Task::EnableDisable => {
                "enabling or disabling a playbook needs the Logic App Operator or Logic App Contributor role"
            }
            Task::Edit => "editing a playbook needs the Logic App Contributor role",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Task::Run => "run playbooks",
            Task::Attach => "attach playbooks to automation rules",
            Task::EnableDisable => "enable or disable playbooks",
            Task::Edit => "edit playbooks",
        }
    }
}

/// Settings files: every problem is PB026; keys spelt exactly.
pub const FORMAT: Format = Format { codes: Codes::all(codes::SETTINGS), case: Case::Exact };

/// Reads a settings file; problems are PB026 diagnostics.
pub fn load(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Settings {
    let Some(root) = Decoder::new(path, text, FORMAT, diags).parse_yaml() else { return Settings::default() };
    load_tree(path, text, &root, diags)
}

/// [`load`] of a file already parsed into `root` (the workspace parses each file once).
pub fn load_tree(path: &str, text: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Settings {
    let mut d = Decoder::new(path, text, FORMAT, diags);
    let mut settings = Settings::default();
    let Some(f) = d.fields(root, "a settings file", KEYS) else { return settings };
    if let Some(value) = f.get("roles") {
        settings.roles = Some(roles(&mut d, value));
    }
    if let Some(value) = f.get("playbook_resource_groups") {
        match value.items() {
            Some(items) => {
                settings.playbook_resource_groups =
                    Some(items.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
            }
            None => d.wrong_type(value, "a list of resource groups"),
        }
    }
    settings
}

/// `roles`: person -> the roles they hold.
fn roles(d: &mut Decoder<'_>, value: &Node) -> BTreeMap<String, Vec<String>> {
    let mut roles = BTreeMap::new();
    let Some(people) = value.entries() else {
        d.wrong_type(value, "a mapping of people to lists of roles");
        return roles;
    };
    for (person, list) in people {
        let Some(items) = list.items() else {
            d.wrong_type(list, &format!("a list of the roles of `{}`", person.name));
            roles.insert(person.name.clone(), Vec::new());
            continue;
        };
        let mut names = Vec::new();
        for item in items {
            match item.as_str() {
                Some(name) => {
                    if let Some(diag) = unknown_role(d.path, item, name) {
                        d.push(diag);
                    }
                    names.push(name.to_owned());
                }
                None => d.wrong_type(item, "a role name"),
            }
        }
        roles.insert(person.name.clone(), names);
    }
    roles
}

/// True when a YAML text's top keys ([`crate::syntax::yaml::top_keys`]) make a settings file: `roles` or
/// `playbook_resource_groups` at the top, or one whose every key is closer to one of these
/// than to any rule key (a settings file with misspelt keys, reported as such by [`load`]).
pub fn is_settings(top_keys: &[String]) -> bool {
    let closest_is_settings = |key: &str| {
        let all = KEYS.iter().chain(FILE_KEYS).chain(RULE_KEYS).copied();
        did_you_mean(key, all).is_some_and(|k| KEYS.contains(&k))
    };
    top_keys.iter().any(|k| KEYS.contains(&k.as_str()))
        || (!top_keys.is_empty() && top_keys.iter().all(|k| closest_is_settings(k)))
}

/// The PB026 error for a role name that is not one of [`KNOWN_ROLES`], if it is not.
fn unknown_role(path: &str, node: &Node, role: &str) -> Option<Diagnostic> {
    let role_normal = normal(role);
    if KNOWN_ROLES.iter().any(|k| normal(k) == role_normal) {
        return None;
    }
    let known: Vec<String> = KNOWN_ROLES.iter().map(|k| normal(k)).collect();
    let suggestion = did_you_mean(&role_normal, known.iter().map(String::as_str))
        .and_then(|n| known.iter().position(|k| k == n))
        .and_then(|i| KNOWN_ROLES.get(i))
        .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
    Some(
        Diagnostic::error(codes::SETTINGS, path, Some(node.span), format!("unknown role `{role}`{suggestion}"))
            .with_help(format!("known roles: {}", KNOWN_ROLES.join(", "))),
    )
}

fn normal(role: &str) -> String {
    let lower = role.trim().to_ascii_lowercase();
    lower.strip_prefix("microsoft ").unwrap_or(&lower).to_owned()
}

impl Settings {
    /// Why `person` may not run playbooks by hand, if they may not.
    pub fn refuse_manual_run(&self, person: Option<&str>) -> Option<String> {
        if self.roles.is_some() && person.is_none() {
            return Some("the settings file defines roles: say who runs the playbook with --as NAME".into());
        }
        self.refuse(Task::Run, person.unwrap_or_default())
    }

    /// Why `person` may not attach playbooks to automation rules, if they may not.
    pub fn refuse_attach(&self, person: &str) -> Option<String> {
        self.refuse(Task::Attach, person)
    }

    /// Why `person` may not do `task`, if they may not. Without roles in the settings,
    /// everything is allowed.
    pub fn refuse(&self, task: Task, person: &str) -> Option<String> {
        let roles = self.roles.as_ref()?;
        let held =
            roles.iter().find(|(p, _)| p.eq_ignore_ascii_case(person)).map(|(_, r)| r.as_slice()).unwrap_or_default();
        let allowed = held.iter().any(|r| task.roles().iter().any(|ok| normal(r) == normal(ok)));
        let has = if held.is_empty() { "none".to_owned() } else { held.join(", ") };
        (!allowed).then(|| format!("{person} may not {}: {} (has: {has})", task.verb(), task.what()))
    }

    /// Why Sentinel may not run a playbook deployed in `resource_group`, if it may not.
    pub fn refuse_resource_group(&self, resource_group: Option<&str>) -> Option<String> {
        let allowed = self.playbook_resource_groups.as_ref()?;
        let group = resource_group?;
        (!allowed.iter().any(|g| g.eq_ignore_ascii_case(group))).then(|| {
            format!("Microsoft Sentinel has no permission to run playbooks in resource group '{group}' (permissions are granted for: {})", allowed.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_resource_groups() {
        let mut diags = Vec::new();
        let text = "roles:\n  ada@contoso.com: [Microsoft Sentinel Responder]\n  bob@contoso.com: [Sentinel Reader]\nplaybook_resource_groups: [rg-soc]\n";
        let s = load("settings.yaml", text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(s.refuse_manual_run(Some("ADA@contoso.com")), None);
        assert!(s.refuse_manual_run(Some("bob@contoso.com")).is_some_and(|m| m.contains("has: Sentinel Reader")));
        assert!(s.refuse_manual_run(None).is_some());
        let operator =
            load("s.yaml", "roles:\n  cy@contoso.com: [Microsoft Sentinel Playbook Operator]\n", &mut Vec::new());
        assert_eq!(operator.refuse_manual_run(Some("cy@contoso.com")), None);
        assert_eq!(s.refuse_resource_group(Some("RG-SOC")), None);
        assert!(s.refuse_resource_group(Some("rg-other")).is_some());
        assert_eq!(s.refuse_resource_group(None), None);
        assert_eq!(Settings::default().refuse_manual_run(None), None);
        assert_eq!(Settings::default().refuse(Task::Edit, "anyone"), None);
        load("s.yaml", "rolez: {}\n", &mut diags);
        assert_eq!(diags.len(), 1);
    }

    #[test]
    fn unknown_roles_are_errors_known_ones_match_loosely() {
        let mut diags = Vec::new();
        let text = "roles:\n  a: [sentinel RESPONDER, Owner, Microsoft Sentinel Playbook Operator]\n  b: [Sentinel Respondr, 3]\n";
        load("s.yaml", text, &mut diags);
        let found: Vec<_> =
            diags.iter().map(|d| (d.code, d.message.as_str(), d.span.map(|s| (s.line, s.column)))).collect();
        assert_eq!(
            found,
            [
                (
                    codes::SETTINGS,
                    "unknown role `Sentinel Respondr` (did you mean `Microsoft Sentinel Responder`?)",
                    Some((3, 7))
                ),
                (codes::SETTINGS, "expected a role name, found an integer", Some((3, 26))),
            ]
        );
        diags.clear();
        load("s.yaml", "roles:\n  a: [Janitor]\n", &mut diags);
        assert_eq!(diags.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["unknown role `Janitor`"]);
    }

    #[test]
    fn misspelt_settings_keys_still_make_a_settings_file() {
        assert!(is_settings(&crate::syntax::yaml::top_keys("roles: {}\nfoo: 1\n")));
        assert!(is_settings(&crate::syntax::yaml::top_keys("rolez: {}\nplaybook_resource_group: [rg]\n")));
        assert!(is_settings(&crate::syntax::yaml::top_keys("role: {}\n")));
        // Closer to a rule key, or to nothing: a rule file.
        assert!(!is_settings(&crate::syntax::yaml::top_keys("rulez: []\n")));
        assert!(!is_settings(&crate::syntax::yaml::top_keys("rolez: {}\nname: x\n")));
        assert!(!is_settings(&crate::syntax::yaml::top_keys("foo: 1\n")));
        assert!(!is_settings(&crate::syntax::yaml::top_keys("{}\n")));
    }

    #[test]
    fn each_task_needs_its_role() {
        let mut diags = Vec::new();
        let text = "roles:\n  ada: [Microsoft Sentinel Contributor]\n  ops: [Logic App Operator]\n  dev: [Logic App Contributor]\n  resp: [Microsoft Sentinel Responder]\n";
        let s = load("settings.yaml", text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let allowed = |task, who| s.refuse(task, who).is_none();
        // Contributor runs and attaches; Responder only runs.
        assert!(allowed(Task::Run, "ada") && allowed(Task::Attach, "ada"));
        assert!(allowed(Task::Run, "resp") && !allowed(Task::Attach, "resp"));
        // Logic Apps roles: Operator enables/disables, Contributor also edits; neither runs.
        assert!(allowed(Task::EnableDisable, "ops") && !allowed(Task::Edit, "ops"));
        assert!(allowed(Task::EnableDisable, "dev") && allowed(Task::Edit, "dev"));
        assert!(!allowed(Task::Run, "dev") && !allowed(Task::EnableDisable, "ada"));
        assert_eq!(
            s.refuse_attach("resp").as_deref(),
            Some("resp may not attach playbooks to automation rules: attaching a playbook to an automation rule needs the Microsoft Sentinel Contributor role (has: Microsoft Sentinel Responder)")
        );
    }
}
