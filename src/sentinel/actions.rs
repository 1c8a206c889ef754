//! Sentinel's actions decoded into file-model actions: ModifyProperties becomes one action per
//! kind of change it makes, in the API's field order (severity; status with classification,
//! reason and comment; owner; labels), RunPlaybook names the playbook by the workflow name at
//! the end of its `logicAppResourceId` (the tenant id is not kept), AddIncidentTask is
//! `add_task` (decoded in [`super::rest`]).

use crate::rules::file::{ActionDef, Text};
use crate::syntax::{Node, NodeKind};

use super::codes;
use super::rest::Decoder;

/// `ModifyProperties`: every field that is set becomes an action.
pub fn modify_properties(d: &mut Decoder<'_>, config: &Node, out: &mut Vec<ActionDef>) {
    let span_of = |key: &str| config.entry_ignore_case(key).map_or(config.start(), |(k, _)| k.span);
    if let Some(severity) = d.field(config, "severity", "a severity") {
        out.push(ActionDef::ChangeSeverity { severity, span: span_of("severity") });
    }
    let status = d.field(config, "status", "a status");
    let classification = d.field(config, "classification", "a classification");
    let reason = d.field(config, "classificationReason", "a classification reason");
    let comment = d.field(config, "classificationComment", "a comment");
    match status {
        Some(status) => {
            out.push(ActionDef::ChangeStatus { status, classification, reason, comment, span: span_of("status") })
        }
        None => {
            if let Some(t) = classification.as_ref().or(reason.as_ref()).or(comment.as_ref()) {
                d.error_labelled(
                    codes::CLASSIFICATION_WITHOUT_STATUS,
                    t.span,
                    "a classification, reason or comment goes with `status: Closed`",
                    "no status in this ModifyProperties",
                );
            }
        }
    }
    if let Some(owner) = config.get_ignore_case("owner").filter(|o| !o.is_unset()) {
        if matches!(owner.kind, NodeKind::Map(_)) {
            let object_id = d.field(owner, "objectId", "an object id");
            let email = d.field(owner, "email", "an e-mail address");
            let upn = d.field(owner, "userPrincipalName", "a user principal name");
            let name = d.field(owner, "assignedTo", "a name");
            if object_id.is_some() || email.is_some() || upn.is_some() || name.is_some() {
                out.push(ActionDef::AssignOwner { object_id, email, upn, name, span: span_of("owner") });
            }
        } else {
            d.wrong_type(owner, "an owner object");
        }
    }
    if let Some(labels) = config.get_ignore_case("labels").filter(|l| !l.is_unset()) {
        let tags: Vec<Text> = match labels.items() {
            Some(items) => items
                .iter()
                .filter_map(|l| match &l.kind {
                    NodeKind::Map(_) => d.required_text(l, "labelName", "label"),
                    _ => d.string_text(l, "a label"),
                })
                .collect(),
            None => {
                d.wrong_type(labels, "a list of labels");
                Vec::new()
            }
        };
        if !tags.is_empty() {
            out.push(ActionDef::AddTags { tags, span: span_of("labels") });
        }
    }
}

/// The playbook a `logicAppResourceId` names: the segment after `/workflows/` (Consumption
/// `Microsoft.Logic/workflows/NAME` and Standard `Microsoft.Web/sites/APP/workflows/NAME`).
pub fn workflow_name(id: &str) -> Option<&str> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/workflows/")? + "/workflows/".len();
    id.get(at..).map(|rest| rest.split('/').next().unwrap_or(rest)).filter(|n| !n.is_empty())
}

/// `RunPlaybook`.
pub fn run_playbook(d: &mut Decoder<'_>, config: &Node) -> Option<ActionDef> {
    let span = config.entry_ignore_case("logicAppResourceId").map_or(config.start(), |(k, _)| k.span);
    let id = d.required_text(config, "logicAppResourceId", "RunPlaybook configuration")?;
    let name = match workflow_name(&id.value) {
        Some(n) => n.to_owned(),
        None => {
            let last = id.value.trim_end_matches('/').rsplit('/').next().unwrap_or(&id.value).to_owned();
            if !id.value.starts_with('[') {
                let path = d.base.path;
                d.push(
                    crate::diagnostic::Diagnostic::warning(
                        codes::PLAYBOOK_ID,
                        path,
                        Some(id.span),
                        format!("`{}` is not a Logic Apps workflow id; the playbook is taken to be `{last}`", id.value),
                    )
                    .with_label("expected .../providers/Microsoft.Logic/workflows/NAME"),
                );
            }
            last
        }
    };
    Some(ActionDef::RunPlaybook { name: Text { value: name, span: id.span }, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_names_come_from_consumption_and_standard_ids() {
        let consumption =
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Logic/workflows/Block-AADUser-Incident";
        assert_eq!(workflow_name(consumption), Some("Block-AADUser-Incident"));
        let standard = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/app/workflows/notify/";
        assert_eq!(workflow_name(standard), Some("notify"));
        assert_eq!(workflow_name("/subscriptions/s/providers/Microsoft.Web/sites/app"), None);
    }
}
