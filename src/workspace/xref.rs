//! Cross-references across the files validated together: the analytic rules automation rules
//! are scoped to (`analytics_rules`, Sentinel's `IncidentRelatedAnalyticRuleIds Contains`).
//! An entry must be a GUID or an `alertRules` ARM id (SR045, with a did-you-mean over the
//! repository's analytic rule display names); a GUID no analytic rule of the repository defines
//! is a warning when the repository holds any (SR046). (Which playbooks `run_playbook` may name
//! is checked against the playbooks loaded, in [`crate::rules::playbook_refs`].)
//!
//! Stage: file models -> diagnostics.

use std::collections::BTreeSet;

use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::rules::file::RuleFile;

use super::analytic::{is_guid, AnalyticRule};

/// The GUID an `analytics_rules` entry scopes by: the entry itself, or the last segment of an
/// `alertRules` ARM id; `None` for any other form.
pub fn scope_guid(entry: &str) -> Option<&str> {
    let entry = entry.trim().trim_end_matches('/');
    if is_guid(entry) {
        return Some(entry);
    }
    let (head, last) = entry.rsplit_once('/')?;
    (head.to_ascii_lowercase().ends_with("/alertrules") && is_guid(last)).then_some(last)
}

/// SR045 and SR046 for every rule's `analytics_rules`.
pub fn analytics_rules(files: &[RuleFile], analytic: &[AnalyticRule], diags: &mut Vec<Diagnostic>) {
    let defined: BTreeSet<String> =
        analytic.iter().filter_map(|r| r.id.as_ref()).map(|t| t.value.trim().to_ascii_lowercase()).collect();
    let names: Vec<(&str, &str)> =
        analytic.iter().filter_map(|r| Some((r.name.as_deref()?, r.id.as_ref()?.value.trim()))).collect();
    for file in files {
        for entry in file.rules.iter().flat_map(|r| &r.analytics_rules) {
            let value = entry.value.trim();
            if crate::arm::expr::body(value).is_some() {
                continue; // an expression left unresolved: SJ006 says which parameter it needs
            }
            match scope_guid(value) {
                Some(guid) if defined.is_empty() || defined.contains(&guid.to_ascii_lowercase()) => {}
                Some(guid) => diags.push(
                    Diagnostic::warning(
                        Code::SR046,
                        &file.path,
                        Some(entry.span),
                        format!("no analytic rule of the repository has the id `{guid}`"),
                    )
                    .with_label("unknown analytic rule")
                    .with_help(match closest_id(guid, &defined) {
                        Some(id) => format!("did you mean `{id}`?"),
                        None => {
                            "check the id, or ignore this when the analytic rule is deployed from elsewhere".to_owned()
                        }
                    }),
                ),
                None => diags.push(malformed(&file.path, entry, &names)),
            }
        }
    }
}

/// The defined id closest to `guid` (a typo of one or two characters).
fn closest_id<'a>(guid: &str, defined: &'a BTreeSet<String>) -> Option<&'a str> {
    defined
        .iter()
        .map(|d| (crate::diagnostic::distance(guid, d), d))
        .filter(|(n, _)| *n <= 2)
        .min()
        .map(|(_, d)| d.as_str())
}

/// SR045: an entry that is neither a GUID nor an alertRules ARM id.
fn malformed(path: &str, entry: &crate::syntax::Text, names: &[(&str, &str)]) -> Diagnostic {
    let value = entry.value.trim();
    let named = names.iter().find(|(n, _)| n.eq_ignore_ascii_case(value)).or_else(|| {
        let hit = did_you_mean(value, names.iter().map(|(n, _)| *n))?;
        names.iter().find(|(n, _)| *n == hit)
    });
    let help = match named {
        Some((name, id)) => format!("use the analytic rule's id: `{id}` is the id of `{name}`"),
        None => "use the analytic rule's id (the GUID of its `id:`), or its alertRules ARM id".to_owned(),
    };
    Diagnostic::error(
        Code::SR045,
        path,
        Some(entry.span),
        format!("`{value}` is neither an analytic rule id (a GUID) nor an alertRules ARM id"),
    )
    .with_label("never matches an incident's analytic rule ids")
    .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_scope_by_a_guid() {
        let guid = "23de46ea-c425-4a77-b456-511ae4855d69";
        assert_eq!(scope_guid(guid), Some(guid));
        let id = format!("/subscriptions/s/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/alertRules/{guid}/");
        assert_eq!(scope_guid(&id), Some(guid));
        assert_eq!(scope_guid("Rare RDP connections"), None);
        assert_eq!(scope_guid("1111111-2222-3333-4444-555555555555"), None);
        assert_eq!(scope_guid(&format!("/subscriptions/s/providers/Microsoft.Web/sites/{guid}")), None);
    }
}
