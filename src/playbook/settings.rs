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
//!   Contributor, which includes it) when the file defines `roles`; without `--as`, such a run
//!   is refused too.
//! - When the file lists `playbook_resource_groups`, a playbook deployed elsewhere (its YAML
//!   `resource_group`) cannot be run by Sentinel. A playbook whose resource group is not known
//!   (Logic Apps JSON is deployed wherever the template is) is not checked.
//!
//! Role names match ignoring case, with or without the `Microsoft ` prefix.

use std::collections::BTreeMap;

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::rules::yaml::NodeKind;
use crate::sentinel::json;

use super::model::codes;

/// The settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Person (as written, compared ignoring case) -> roles.
    pub roles: Option<BTreeMap<String, Vec<String>>>,
    pub playbook_resource_groups: Option<Vec<String>>,
}

const KEYS: &[&str] = &["roles", "playbook_resource_groups"];

/// Roles that may run playbooks by hand.
const RUNNERS: &[&str] = &["Sentinel Responder", "Sentinel Contributor"];

/// Reads a settings file; problems are PB026 diagnostics.
pub fn load(path: &str, text: &str, diags: &mut Vec<Diagnostic>) -> Settings {
    let mut bad = |span, message: String| diags.push(Diagnostic::error(codes::SETTINGS, path, span, message));
    let root = match crate::rules::yaml::parse(text) {
        Ok(root) => root,
        Err(e) => {
            bad(e.span, format!("invalid settings file: {}", e.message));
            return Settings::default();
        }
    };
    let mut settings = Settings::default();
    let NodeKind::Map(entries) = &root.kind else {
        bad(Some(root.span), "a settings file is a mapping".into());
        return settings;
    };
    for (key, value) in entries {
        match key.name.as_str() {
            "roles" => {
                let mut roles = BTreeMap::new();
                if let NodeKind::Map(people) = &value.kind {
                    for (person, list) in people {
                        let names: Vec<String> = json::items(list)
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|n| json::as_str(n).map(str::to_owned))
                            .collect();
                        if json::items(list).is_none() {
                            bad(Some(list.span), format!("the roles of `{}` are a list", person.name));
                        }
                        roles.insert(person.name.clone(), names);
                    }
                } else {
                    bad(Some(value.span), "`roles` maps people to lists of roles".into());
                }
                settings.roles = Some(roles);
            }
            "playbook_resource_groups" => match json::items(value) {
                Some(items) => {
                    settings.playbook_resource_groups =
                        Some(items.iter().filter_map(|n| json::as_str(n).map(str::to_owned)).collect())
                }
                None => bad(Some(value.span), "`playbook_resource_groups` is a list".into()),
            },
            other => {
                let help = did_you_mean(other, KEYS.iter().copied())
                    .map_or(String::new(), |n| format!(" (did you mean `{n}`?)"));
                bad(Some(key.span), format!("unknown key `{other}`{help}"));
            }
        }
    }
    settings
}

fn normal(role: &str) -> String {
    let lower = role.trim().to_ascii_lowercase();
    lower.strip_prefix("microsoft ").unwrap_or(&lower).to_owned()
}

impl Settings {
    /// Why `person` may not run playbooks by hand, if they may not.
    pub fn refuse_manual_run(&self, person: Option<&str>) -> Option<String> {
        let roles = self.roles.as_ref()?;
        let Some(person) = person else {
            return Some("the settings file defines roles: say who runs the playbook with --as NAME".into());
        };
        let held =
            roles.iter().find(|(p, _)| p.eq_ignore_ascii_case(person)).map(|(_, r)| r.as_slice()).unwrap_or_default();
        let allowed = held.iter().any(|r| RUNNERS.iter().any(|ok| normal(r) == normal(ok)));
        (!allowed).then(|| {
            format!("{person} may not run playbooks: running a playbook by hand needs the Microsoft Sentinel Responder role (has: {})", if held.is_empty() { "none".into() } else { held.join(", ") })
        })
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
        assert_eq!(s.refuse_resource_group(Some("RG-SOC")), None);
        assert!(s.refuse_resource_group(Some("rg-other")).is_some());
        assert_eq!(s.refuse_resource_group(None), None);
        assert_eq!(Settings::default().refuse_manual_run(None), None);
        load("s.yaml", "rolez: {}\n", &mut diags);
        assert_eq!(diags.len(), 1);
    }
}
