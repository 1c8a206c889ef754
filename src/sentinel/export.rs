//! File-model rules -> a deployable ARM template (`export sentinel`): one
//! `Microsoft.SecurityInsights/automationRules` extension resource per rule, scoped to the
//! workspace given as the template's `workspace` parameter. Rule ids are the ids the rules came
//! with (a Sentinel resource name, or the `# source:` comment `import` writes) when those are
//! GUIDs, else deterministic version 5 GUIDs of the rule names ([`rule_guid`]).
//! Descriptions go to the resource's `comments`; playbooks become
//! `[resourceId('Microsoft.Logic/workflows', NAME)]` in the deployment's resource group;
//! analytics rule GUIDs become `resourceId()` expressions for alert rules in the workspace.

use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::arm;
use crate::diagnostic::Diagnostic;
use crate::model::{Classification, ClassificationReason, Severity, Status};
use crate::rules::file::{ActionDef, RuleDef, Text};
use crate::syntax::Span;

use super::codes;
use super::export_conditions::{self, Problems};

/// The API version written into exported templates (the newest stable one).
pub const API_VERSION: &str = "2025-09-01";

/// A rule to export: where it came from and the id it came with, if any.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub path: &'a str,
    pub rule: &'a RuleDef,
    pub id: Option<&'a str>,
}

/// A string as an ARM template literal: text that would be read as an expression gets ARM's
/// `[[` escape, except text that already is a valid expression (kept from an imported
/// template whose parameters had no value).
pub fn literal(text: &str) -> Value {
    if text.starts_with('[') && !arm::expr::is_expression(text) {
        Value::String(format!("[{text}"))
    } else {
        Value::String(text.to_owned())
    }
}

fn quote_arg(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// The deterministic GUID of an automation rule named `name`: the version 5 UUID of the name
/// in this tool's namespace, itself the version 5 UUID of the URL
/// `https://github.com/sentinel-soar/automation-rules` in RFC 9562's URL namespace.
pub fn rule_guid(name: &str) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://github.com/sentinel-soar/automation-rules");
    Uuid::new_v5(&namespace, name.as_bytes()).to_string()
}

/// The resource name (GUID) of a rule.
pub fn rule_id(name: &str, given: Option<&str>) -> String {
    let last = given.map(|g| g.trim().trim_end_matches('/').rsplit('/').next().unwrap_or(g).to_owned());
    match last {
        Some(id) if is_guid(&id) => id.to_ascii_lowercase(),
        _ => rule_guid(name),
    }
}

fn spelled(t: &Text, parse: impl Fn(&str) -> Option<&'static str>) -> Value {
    match parse(&t.value) {
        Some(s) => Value::String(s.to_owned()),
        None => literal(t.value.trim()),
    }
}

fn scope_value(id: &Text) -> Value {
    let v = id.value.trim();
    if v.contains('/') || v.starts_with('[') {
        return literal(v);
    }
    Value::String(format!(
        "[resourceId('Microsoft.OperationalInsights/workspaces/providers/alertRules', parameters('workspace'), 'Microsoft.SecurityInsights', {})]",
        quote_arg(v)
    ))
}

fn action(a: &ActionDef) -> (&'static str, Value) {
    let text = |t: &Text| literal(t.value.trim());
    let mut config = Map::new();
    let kind = match a {
        ActionDef::ChangeStatus { status, classification, reason, comment, .. } => {
            config.insert("status".into(), spelled(status, |s| Status::parse(s).map(Status::as_str)));
            if let Some(c) = classification {
                config.insert(
                    "classification".into(),
                    spelled(c, |s| Classification::parse(s).map(Classification::as_str)),
                );
            }
            if let Some(r) = reason {
                let r = spelled(r, |s| ClassificationReason::parse(s).map(ClassificationReason::as_str));
                config.insert("classificationReason".into(), r);
            }
            if let Some(c) = comment {
                config.insert("classificationComment".into(), text(c));
            }
            "ModifyProperties"
        }
        ActionDef::ChangeSeverity { severity, .. } => {
            config.insert("severity".into(), spelled(severity, |s| Severity::parse(s).map(Severity::as_str)));
            "ModifyProperties"
        }
        ActionDef::AssignOwner { object_id, email, upn, name, .. } => {
            let mut owner = Map::new();
            for (key, value) in
                [("objectId", object_id), ("email", email), ("userPrincipalName", upn), ("assignedTo", name)]
            {
                if let Some(v) = value {
                    owner.insert(key.into(), text(v));
                }
            }
            config.insert("owner".into(), Value::Object(owner));
            "ModifyProperties"
        }
        ActionDef::AddTags { tags, .. } => {
            let labels = tags.iter().map(|t| json!({ "labelName": text(t) })).collect();
            config.insert("labels".into(), Value::Array(labels));
            "ModifyProperties"
        }
        ActionDef::AddTask { title, description, .. } => {
            config.insert("title".into(), text(title));
            if let Some(d) = description {
                config.insert("description".into(), text(d));
            }
            "AddIncidentTask"
        }
        ActionDef::RunPlaybook { name, .. } => {
            let id = format!("[resourceId('Microsoft.Logic/workflows', {})]", quote_arg(name.value.trim()));
            config.insert("logicAppResourceId".into(), Value::String(id));
            config.insert("tenantId".into(), Value::String("[subscription().tenantId]".into()));
            "RunPlaybook"
        }
    };
    (kind, Value::Object(config))
}

fn title(t: Option<&Text>, default: &str) -> String {
    let v = t.map_or_else(|| default.to_owned(), |t| t.value.trim().to_ascii_lowercase());
    let mut chars = v.chars();
    chars.next().map_or_else(String::new, |c| c.to_ascii_uppercase().to_string() + chars.as_str())
}

/// The automation rule resource of one rule (with resource name `id`); `Err` when a part has
/// no Sentinel form.
pub fn resource(source: &Source<'_>, id: &str) -> Result<Value, Problems> {
    let rule = source.rule;
    let name = rule.name.as_ref().map_or("", |n| n.value.trim());
    let mut problems: Problems = Vec::new();
    let mut conditions = Vec::new();
    if !rule.analytics_rules.is_empty() {
        let ids: Vec<Value> = rule.analytics_rules.iter().map(scope_value).collect();
        conditions.push(json!({ "conditionType": "Property", "conditionProperties": {
            "propertyName": "IncidentRelatedAnalyticRuleIds", "operator": "Contains", "propertyValues": ids } }));
    }
    if let Some(c) = &rule.conditions {
        conditions.extend(export_conditions::top(c, &mut problems));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut logic = Map::new();
    logic.insert("isEnabled".into(), Value::Bool(rule.enabled));
    if let Some(e) = &rule.expires {
        logic.insert("expirationTimeUtc".into(), Value::String(e.value.trim().to_owned()));
    }
    logic.insert("triggersOn".into(), Value::String(title(rule.trigger_on.as_ref(), "incidents")));
    logic.insert("triggersWhen".into(), Value::String(title(rule.trigger_when.as_ref(), "created")));
    logic.insert("conditions".into(), Value::Array(conditions));
    let actions: Vec<Value> = rule
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (kind, config) = action(a);
            json!({ "order": i + 1, "actionType": kind, "actionConfiguration": config })
        })
        .collect();
    let mut res = Map::new();
    res.insert("type".into(), Value::String("Microsoft.SecurityInsights/automationRules".into()));
    res.insert("apiVersion".into(), Value::String(API_VERSION.into()));
    res.insert("name".into(), Value::String(id.to_owned()));
    res.insert(
        "scope".into(),
        Value::String("[format('Microsoft.OperationalInsights/workspaces/{0}', parameters('workspace'))]".into()),
    );
    if let Some(d) = &rule.description {
        res.insert("comments".into(), literal(d.value.trim()));
    }
    res.insert(
        "properties".into(),
        json!({ "displayName": literal(name), "order": rule.order.map_or(1, |(o, _)| o),
            "triggeringLogic": logic, "actions": actions }),
    );
    Ok(Value::Object(res))
}

/// The ARM template of `rules`. Rules that cannot be exported are reported (SJ011) and left
/// out; the caller decides whether to write a partial template.
pub fn template(rules: &[Source<'_>], diags: &mut Vec<Diagnostic>) -> Value {
    let mut resources = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for source in rules {
        let name = source.rule.name.as_ref().map_or("", |n| n.value.trim());
        let mut id = rule_id(name, source.id);
        if !used.insert(id.clone()) {
            // Two rules that came with the same id (different API snapshots of one resource):
            // the later one gets the id of its name, so the template deploys both.
            id = rule_guid(name);
            used.insert(id.clone());
        }
        match resource(source, &id) {
            Ok(r) => resources.push(r),
            Err(problems) => {
                for (span, message) in problems {
                    let at: Option<Span> = Some(span);
                    diags.push(
                        Diagnostic::error(codes::NOT_EXPORTABLE, source.path, at, message)
                            .with_label("cannot be exported")
                            .with_help("Sentinel has only Equals, Contains, StartsWith, EndsWith and their Not forms; rewrite the condition with them or keep this rule out of the export"),
                    );
                }
            }
        }
    }
    let mut parameters = Map::new();
    parameters.insert(
        "workspace".into(),
        json!({ "type": "string", "metadata": {
            "description": "Name of the Log Analytics workspace where Microsoft Sentinel runs" } }),
    );
    for name in kept_parameters(&resources) {
        if !parameters.keys().any(|k| k.eq_ignore_ascii_case(&name)) {
            let description = "Read by an expression kept from the imported template, which gave it no value";
            parameters.insert(name, json!({ "type": "string", "metadata": { "description": description } }));
        }
    }
    json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": parameters,
        "resources": resources,
    })
}

/// The parameters that expressions kept from an imported template read (a parameter that had
/// no value there): the exported template declares them, so that ARM deploys it and asks for
/// their values.
fn kept_parameters(resources: &[Value]) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.extend(arm::expr::parameters_read(s)),
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    resources.iter().for_each(|r| walk(r, &mut out));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_literals() {
        assert_eq!(
            rule_id("x", Some("/subs/.../automationRules/73E01A99-5cd7-4139-a149-9f2736ff2ab5")),
            "73e01a99-5cd7-4139-a149-9f2736ff2ab5"
        );
        assert_eq!(rule_id("x", Some("[concat('a')]")), rule_guid("x"));
        // The values of the hand-written SHA-1 this replaced (and of python's uuid.uuid5).
        assert_eq!(rule_guid("x"), "00458e21-22cb-5805-96d6-a9d8ae280ebc");
        assert_eq!(rule_guid("é ünïcode"), "4e98aa00-e727-5250-b8bc-7ddfc4ac27e9");
        assert_eq!(rule_guid(""), "1f53d225-ccdd-5b6e-87a7-2d04e7d7408a");
        assert_eq!(literal("[reference('a')]"), Value::String("[reference('a')]".into()));
        assert_eq!(literal("[URGENT] x"), Value::String("[[URGENT] x".into()));
        assert_eq!(literal("[parameters('a')]"), Value::String("[parameters('a')]".into()));
        assert_eq!(title(None, "incidents"), "Incidents");
    }

    #[test]
    fn parameters_of_kept_expressions_are_declared() {
        let mut diags = Vec::new();
        let text = "rules:\n  - name: \"[parameters('ruleName')]\"\n    order: 1\n    actions:\n      - add_tags: [\"[parameters('Tag')]\", \"[parameters('WORKSPACE')]\"]\n";
        let file = crate::rules::file::decode("r.yaml", text, &mut diags);
        let sources: Vec<Source<'_>> =
            file.rules.iter().map(|rule| Source { path: "r.yaml", rule, id: None }).collect();
        let t = template(&sources, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let declared: Vec<&String> = t["parameters"].as_object().into_iter().flat_map(|m| m.keys()).collect();
        assert_eq!(declared, ["workspace", "ruleName", "Tag"]);
    }
}
