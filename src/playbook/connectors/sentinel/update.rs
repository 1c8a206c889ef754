//! Update incident (`PUT /Incidents`): `severity`, `status`, `classification`
//! (`{ClassificationAndReason: "TruePositive - SuspiciousActivity", ClassificationReasonText}`),
//! `owner` with `ownerAction` (Assign / Unassign), `title`, `description`, `tagsToAdd`
//! (`{TagsToAdd: [{Tag}]}`) and `tagsToRemove`. The request is checked whole before anything
//! changes (unknown enum values, a classification reason that does not fit, closing without a
//! classification: 400, nothing applied). Setting a field to its value is a no-op and records
//! nothing. Answers the updated incident resource.

use serde_json::Value;

use crate::model::{Classification, ClassificationReason, Incident, Owner, Severity, Status};

use super::{edit, error, record, resource, target};
use crate::playbook::connectors::{Effects, Reply};

/// The checked request.
#[derive(Default)]
struct Request {
    severity: Option<Severity>,
    status: Option<Status>,
    classification: Option<(Classification, Option<ClassificationReason>)>,
    comment: Option<String>,
    owner: Option<Owner>,
    title: Option<String>,
    description: Option<String>,
    add: Vec<String>,
    remove: Vec<String>,
}

pub fn update(body: &Value, effects: &mut Effects<'_>) -> Reply {
    let request = match parse(body) {
        Ok(r) => r,
        Err(message) => return error(400, "BadRequest", message),
    };
    let incident = match target(body, effects) {
        Ok(incident) => incident,
        Err(reply) => return *reply,
    };
    let closing = request.status == Some(Status::Closed);
    if closing && request.classification.is_none() && incident.field("classification").is_none() {
        return error(400, "BadRequest", "Closing an incident requires a classification");
    }
    let mut changes: Vec<(&'static str, Value, Value)> = Vec::new();
    let mut set = |incident: &mut Incident, key: &'static str, value: &str| {
        if let Some(old) = incident.set_field(key, value) {
            changes.push((key, old, Value::String(value.to_owned())));
        }
    };
    for (key, value) in [("title", &request.title), ("description", &request.description)] {
        if let Some(v) = value {
            set(incident, key, v);
        }
    }
    if let Some(s) = request.severity {
        set(incident, "severity", s.as_str());
    }
    if let Some(s) = request.status {
        set(incident, "status", s.as_str());
    }
    if let Some((c, reason)) = request.classification {
        set(incident, "classification", c.as_str());
        if let Some(r) = reason {
            set(incident, "classificationReason", r.as_str());
        }
    }
    if let Some(comment) = &request.comment {
        set(incident, "classificationComment", comment);
    }
    if let Some(owner) = &request.owner {
        if let Some(old) = incident.set_owner(owner) {
            let name = |o: &Owner| o.display().map_or(Value::Null, |d| Value::String(d.to_owned()));
            changes.push(("owner", name(&old), name(owner)));
        }
    }
    for tag in &request.add {
        if incident.add_label(tag) {
            changes.push(("labels", Value::Null, Value::String(tag.clone())));
        }
    }
    for tag in &request.remove {
        let present = incident.labels().any(|l| l.eq_ignore_ascii_case(tag));
        if present {
            edit(incident, |props| {
                if let Some(Value::Array(labels)) = props.get_mut("labels") {
                    labels.retain(|l| {
                        !l.get("labelName").and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(tag))
                    });
                }
            });
            changes.push(("labels", Value::String(tag.clone()), Value::Null));
        }
    }
    let answer = resource(incident);
    for (property, from, to) in changes {
        record(effects, "update_incident", Some(property), from, to);
    }
    Reply::builtin(200, answer)
}

fn parse(body: &Value) -> Result<Request, String> {
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let mut r = Request::default();
    if let Some(s) = text("severity") {
        r.severity = Some(
            Severity::parse(s).ok_or_else(|| format!("'{s}' is not a severity: {}", Severity::names().join(", ")))?,
        );
    }
    if let Some(s) = text("status") {
        r.status =
            Some(Status::parse(s).ok_or_else(|| format!("'{s}' is not a status: {}", Status::names().join(", ")))?);
    }
    if let Some(c) = body.get("classification") {
        let and_reason = c.get("ClassificationAndReason").and_then(Value::as_str).unwrap_or_default();
        if !and_reason.trim().is_empty() {
            r.classification = Some(classification(and_reason)?);
        }
        r.comment = c.get("ClassificationReasonText").and_then(Value::as_str).map(str::to_owned);
    }
    r.title = text("title").map(str::to_owned);
    r.description = text("description").map(str::to_owned);
    if let Some(owner) = text("owner") {
        let action = text("ownerAction").unwrap_or("Assign");
        r.owner = Some(if action.eq_ignore_ascii_case("Unassign") { Owner::default() } else { owner_of(owner) });
    } else if text("ownerAction").is_some_and(|a| a.eq_ignore_ascii_case("Unassign")) {
        r.owner = Some(Owner::default());
    }
    r.add = tags(body.get("tagsToAdd").and_then(|t| t.get("TagsToAdd")));
    r.remove = tags(body.get("tagsToRemove").and_then(|t| t.get("TagsToRemove")));
    Ok(r)
}

/// `TruePositive - SuspiciousActivity` (spaces anywhere, as templates also write `True
/// Positive - Suspicious Activity`), or a classification alone (`Undetermined`).
fn classification(text: &str) -> Result<(Classification, Option<ClassificationReason>), String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (c, reason) = match compact.split_once('-') {
        Some((c, r)) => (c, Some(r)),
        None => (compact.as_str(), None),
    };
    let c = Classification::parse(c).ok_or_else(|| format!("'{text}' is not a classification"))?;
    let reason = match reason {
        Some(r) => {
            Some(ClassificationReason::parse(r).ok_or_else(|| format!("'{text}' has no valid classification reason"))?)
        }
        None => None,
    };
    match reason {
        Some(r) if !c.allowed_reasons().contains(&r) => Err(format!("'{r}' is not a reason for {c}")),
        None if !c.allowed_reasons().is_empty() => Err(format!("{c} needs a classification reason")),
        _ => Ok((c, reason)),
    }
}

/// An owner from the connector's `owner` text: a UPN or e-mail, an object id, or a name.
fn owner_of(text: &str) -> Owner {
    let guid = text.len() == 36 && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if text.contains('@') {
        Owner { upn: Some(text.to_owned()), email: Some(text.to_owned()), ..Owner::default() }
    } else if guid {
        Owner { object_id: Some(text.to_owned()), ..Owner::default() }
    } else {
        Owner { name: Some(text.to_owned()), ..Owner::default() }
    }
}

fn tags(list: Option<&Value>) -> Vec<String> {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("Tag").and_then(Value::as_str).or_else(|| t.as_str()))
        .filter(|t| !t.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_texts() {
        use Classification as C;
        use ClassificationReason as R;
        assert_eq!(
            classification("TruePositive - SuspiciousActivity"),
            Ok((C::TruePositive, Some(R::SuspiciousActivity)))
        );
        assert_eq!(
            classification("True Positive - Suspicious Activity"),
            Ok((C::TruePositive, Some(R::SuspiciousActivity)))
        );
        assert_eq!(classification("Undetermined"), Ok((C::Undetermined, None)));
        assert!(classification("FalsePositive - SuspiciousActivity").is_err());
        assert!(classification("BenignPositive").is_err());
        assert!(classification("Maybe").is_err());
    }
}
