//! Cross-references across the files validated together: the analytic rules automation rules
//! are scoped to (`analytics_rules`, Sentinel's `IncidentRelatedAnalyticRuleIds Contains`).
//! An entry must be a GUID or an `alertRules` ARM id (SR045, with a did-you-mean over the
//! repository's analytic rule display names); a GUID no analytic rule of the repository defines
//! is a warning when the repository holds any (SR046), unless an analytic rule file could not
//! be read (it may define the id). (Which playbooks `run_playbook` may name
//! is checked against the playbooks loaded, in [`crate::rules::playbook_refs`].)
//!
//! Stage: file models -> diagnostics.

use std::collections::BTreeSet;

use crate::diagnostic::{did_you_mean, Code, Diagnostic, Sources};
use crate::rules::file::RuleFile;
use crate::syntax::Span;

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

/// SR045 and SR046 for every rule's `analytics_rules`; `unread`: an analytic rule file gave no
/// id, so no id is known to be missing (no SR046). `sources` give the files' text, so that
/// SR046 points at the GUID inside an expression (`[resourceId(..., 'GUID')]`).
pub fn analytics_rules(
    files: &[RuleFile],
    analytic: &[AnalyticRule],
    unread: bool,
    sources: &Sources,
    diags: &mut Vec<Diagnostic>,
) {
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
                Some(guid) if unread || defined.is_empty() || defined.contains(&guid.to_ascii_lowercase()) => {}
                Some(guid) => diags.push(
                    Diagnostic::warning(
                        Code::SR046,
                        &file.path,
                        Some(narrowed(sources.get(&file.path), entry.span, guid)),
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

/// `span` narrowed to where `guid` is written inside it (an entry written as an expression, or
/// as an ARM id), when the file's text shows it there once; else `span`.
fn narrowed(text: Option<&str>, span: Span, guid: &str) -> Span {
    let Some(written) = text.and_then(|t| t.get(span.start..span.end)) else { return span };
    let lower = written.to_ascii_lowercase();
    let wanted = guid.to_ascii_lowercase();
    match (lower.find(&wanted), lower.rfind(&wanted)) {
        (Some(at), Some(last)) if at == last && lower.len() > wanted.len() => {
            let start = span.start + at;
            text.map_or(span, |t| crate::expr::location::with_line_column(t, start, start + wanted.len()))
        }
        _ => span,
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

    #[test]
    fn the_span_narrows_to_the_guid_written_inside_the_entry() {
        let guid = "23de46ea-c425-4a77-b456-511ae4855d69";
        let text = format!("x\n  \"[resourceId('alertRules', 'W', '{}')]\",\n", guid.to_uppercase());
        let start = text.find('"').unwrap();
        let end = text.rfind('"').unwrap() + 1;
        let span = Span { start, end, line: 2, column: 3 };
        let at = text.find("23DE").unwrap();
        assert_eq!(
            narrowed(Some(&text), span, guid),
            Span { start: at, end: at + 36, line: 2, column: 3 + at - start }
        );
        // The GUID itself, or not in the text: the span as it was.
        let bare = format!("\"{guid}\"");
        let whole = Span { start: 1, end: 37, line: 1, column: 2 };
        assert_eq!(narrowed(Some(&bare), whole, guid), whole);
        assert_eq!(narrowed(None, span, guid), span);
    }
}
