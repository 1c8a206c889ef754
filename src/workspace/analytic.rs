//! Analytic rules, read lightly: the Azure-Sentinel detection YAML (`id`, `name`, `severity`,
//! `kind`, `tactics`, `triggerOperator`, `entityMappings`, `query`) and ARM templates deploying
//! `alertRules` (the same fields under `properties`, the id at the end of the resource name).
//! What is checked is what Sentinel's API refuses: an id that is not a GUID (AR003), a missing
//! field (AR002), a value outside Sentinel's enums (AR004), an unknown entity type or identifier
//! (AR005), a field of the wrong type (AR007); two rules with one id are found across the whole
//! repository ([`duplicates`], AR006). Everything else (the KQL, the schedule) is left alone.
//!
//! Stage: spanned tree -> analytic rule facts + diagnostics.

use std::collections::BTreeMap;

use crate::arm::{self, Resolved, Template};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::syntax::{Case, Codes, Decoder, Format, Node, Span, Text};

use super::entities;

/// Analytic rule files: AR codes; YAML keys spelt exactly, ARM keys ignoring case.
pub const FORMAT: Format = Format {
    codes: Codes {
        syntax: Code::AR001,
        duplicate_key: Code::AR001,
        unknown_key: None,
        missing_key: Code::AR002,
        wrong_type: Code::AR007,
        invalid_value: Code::AR004,
    },
    case: Case::Exact,
};

/// What the repository checks need of an analytic rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticRule {
    pub path: String,
    /// The id as written (a GUID when valid), and where.
    pub id: Option<Text>,
    /// The display name.
    pub name: Option<String>,
}

/// Sentinel's alert severities.
pub const SEVERITIES: &[&str] = &["High", "Medium", "Low", "Informational"];
/// Kinds of analytic rules.
pub const KINDS: &[&str] = &[
    "Scheduled",
    "NRT",
    "MicrosoftSecurityIncidentCreation",
    "Fusion",
    "MLBehaviorAnalytics",
    "ThreatIntelligence",
    "Anomaly",
];
/// Sentinel's AttackTactic.
pub const TACTICS: &[&str] = &[
    "Reconnaissance",
    "ResourceDevelopment",
    "InitialAccess",
    "Execution",
    "Persistence",
    "PrivilegeEscalation",
    "DefenseEvasion",
    "CredentialAccess",
    "Discovery",
    "LateralMovement",
    "Collection",
    "Exfiltration",
    "CommandAndControl",
    "Impact",
    "PreAttack",
    "ImpairProcessControl",
    "InhibitResponseFunction",
];
/// Trigger operators: the YAML short forms and the API's.
pub const TRIGGER_OPERATORS: &[&str] = &["gt", "lt", "eq", "ne", "GreaterThan", "LessThan", "Equal", "NotEqual"];

/// True for a GUID: 8-4-4-4-12 hexadecimal digits.
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Reads the analytic rule of a detection YAML file.
pub fn from_yaml(path: &str, source: &str, root: &Node, diags: &mut Vec<Diagnostic>) -> Vec<AnalyticRule> {
    let mut d = Decoder::new(path, source, FORMAT, diags);
    vec![rule(&mut d, root, root, None)]
}

/// Reads the `alertRules` resources of an ARM template; `params` are its parameter values.
pub fn from_template(
    path: &str,
    source: &str,
    root: &Node,
    params: &[(String, String)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<AnalyticRule> {
    let mut template = Template::new(path, root, params);
    let mut out = Vec::new();
    let format = Format { case: Case::IgnoreAscii, ..FORMAT };
    for resource in arm::resources::resources(root) {
        let typed = resource.get_ignore_case("type").and_then(Node::as_str).unwrap_or_default();
        if !typed.trim().to_ascii_lowercase().ends_with("/alertrules") {
            continue;
        }
        let id = resource_id(resource, &mut template);
        let props = resource.get_ignore_case("properties").unwrap_or(resource);
        let mut d = Decoder::new(path, source, format, diags);
        let mut rule = rule(&mut d, resource, props, Some(id));
        // An ARM rule's name is its `displayName`.
        rule.name = props.get_ignore_case("displayName").and_then(Node::as_str).map(str::to_owned);
        out.push(rule);
    }
    out
}

/// The id of an `alertRules` resource: the last segment of its (resolved) name; `None` when the
/// name stays an unresolved expression.
fn resource_id(resource: &Node, template: &mut Template) -> Option<Text> {
    let node = resource.get_ignore_case("name")?;
    let written = node.as_str()?;
    let value = match template.resolve_quiet(written) {
        Resolved::Value(v) => arm::expr::text_of(&v.value)?,
        Resolved::Unresolved => return None,
    };
    let last = value.trim_end_matches('/').rsplit('/').next().unwrap_or(&value).to_owned();
    (!last.contains(['[', ']', '('])).then_some(Text { value: last, span: node.span })
}

/// Checks one rule: `resource` holds the id (YAML: the document), `props` the fields; `arm_id`
/// is the id an ARM resource name gave (`Some(None)`: unresolved, not checked).
fn rule(d: &mut Decoder<'_>, resource: &Node, props: &Node, arm_id: Option<Option<Text>>) -> AnalyticRule {
    let path = d.path.to_owned();
    let start = props.start();
    let name_key = if arm_id.is_some() { "displayName" } else { "name" };
    let id = match arm_id {
        Some(id) => id,
        None => match d.get(resource, "id") {
            Some(n) => d.text(n, "a GUID"),
            None => {
                d.missing(start, "id", "analytic rule");
                None
            }
        },
    };
    if let Some(id) = &id {
        if !is_guid(id.value.trim()) {
            d.push(
                Diagnostic::error(Code::AR003, &path, Some(id.span), format!("`{}` is not a GUID", id.value))
                    .with_label("the rule's id")
                    .with_help("an analytic rule id is a GUID: 8-4-4-4-12 hexadecimal digits"),
            );
        }
    }
    let name = match d.get(props, name_key) {
        Some(n) => d.text(n, "a rule name").map(|t| t.value),
        None => {
            d.missing(start, name_key, "analytic rule");
            None
        }
    };
    let kind_node = d.get(resource, "kind").or_else(|| d.get(props, "kind"));
    let kind = kind_node.and_then(|n| d.text(n, "an analytic rule kind"));
    if let Some(k) = &kind {
        one_of(d, k, "kind", KINDS);
    }
    let scheduled =
        kind.as_ref().is_none_or(|k| ["Scheduled", "NRT"].iter().any(|s| s.eq_ignore_ascii_case(k.value.trim())));
    for (key, values) in [("severity", SEVERITIES), ("triggerOperator", TRIGGER_OPERATORS)] {
        match d.get(props, key) {
            Some(n) => {
                if let Some(t) = d.text(n, "text") {
                    one_of(d, &t, key, values);
                }
            }
            None if key == "severity" && scheduled => d.missing(start, key, "scheduled analytic rule"),
            None => {}
        }
    }
    if scheduled && d.get(props, "query").is_none() {
        d.missing(start, "query", "scheduled analytic rule");
    }
    match d.get(props, "tactics").map(|t| (t, t.items())) {
        Some((_, Some(items))) => {
            for item in items {
                if let Some(t) = d.text(item, "a tactic") {
                    one_of(d, &t, "tactics", TACTICS);
                }
            }
        }
        Some((t, None)) if !t.is_unset() => d.wrong_type(t, "a list of tactics"),
        _ => {}
    }
    if let Some(mappings) = d.get(props, "entityMappings") {
        entities::check(d, mappings);
    }
    AnalyticRule { path, id, name }
}

/// AR004 unless `text` is one of `allowed`, ignoring case.
fn one_of(d: &mut Decoder<'_>, text: &Text, key: &str, allowed: &[&str]) {
    let value = text.value.trim();
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) {
        return;
    }
    let squeezed: String = value.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '_').collect();
    let close = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(&squeezed))
        .copied()
        .or_else(|| did_you_mean(value, allowed.iter().copied()));
    let help = match close {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("expected one of: {}", allowed.join(", ")),
    };
    d.push(
        Diagnostic::error(Code::AR004, d.path, Some(text.span), format!("`{value}` is not a valid `{key}`"))
            .with_label(format!("not one of Sentinel's {key} values"))
            .with_help(help),
    );
}

/// AR006 for every analytic rule whose id an earlier one has (ids compare ignoring case).
pub fn duplicates(rules: &[AnalyticRule], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, (&str, Span)> = BTreeMap::new();
    for r in rules {
        let Some(id) = &r.id else { continue };
        let key = id.value.trim().to_ascii_lowercase();
        match seen.get(&key) {
            Some((file, first)) => diags.push(
                Diagnostic::error(
                    Code::AR006,
                    &r.path,
                    Some(id.span),
                    format!("analytic rule id `{}` is used twice", id.value.trim()),
                )
                .with_label("second definition")
                .with_help(format!(
                    "the first is at {file}:{}:{}; give this rule a new GUID",
                    first.line, first.column
                )),
            ),
            None => {
                seen.insert(key, (&r.path, id.span));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str) -> Vec<Code> {
        let root = crate::syntax::yaml::parse(src).unwrap_or_else(|e| unreachable!("{e:?}"));
        let mut diags = Vec::new();
        from_yaml("a.yaml", src, &root, &mut diags);
        diags.iter().map(|d| d.code).collect()
    }

    #[test]
    fn rules_are_checked_against_sentinel_enums() {
        let good = "id: 23de46ea-c425-4a77-b456-511ae4855d69\nname: x\nseverity: low\nkind: Scheduled\nquery: T\ntriggerOperator: gt\ntactics: [InitialAccess]\n";
        assert_eq!(check(good), []);
        assert_eq!(check(&good.replace("511ae4855d69", "511ae4855d6")), [Code::AR003]);
        assert_eq!(check(&good.replace("severity: low", "severity: Critical")), [Code::AR004]);
        assert_eq!(check(&good.replace("[InitialAccess]", "[Initial Access]")), [Code::AR004]);
        assert_eq!(check(&good.replace("[InitialAccess]", "InitialAccess")), [Code::AR007]);
        assert_eq!(check(&good.replace("query: T\n", "")), [Code::AR002]);
        assert!(is_guid("23DE46EA-c425-4a77-b456-511ae4855d69") && !is_guid("1111111-2222-3333-4444-555555555555"));
    }
}
