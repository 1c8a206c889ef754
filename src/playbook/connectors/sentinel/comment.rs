//! Add comment to incident (V3, `POST /Incidents/Comment`, body `{incidentArmId, message}`)
//! and the legacy V2 form (`PUT /Comment/...`, body `{Value}`, for the incident in hand):
//! appends `{message, createdTimeUtc, author}` to `properties.comments` and counts it in
//! `additionalData.commentsCount`. Answers the comment resource.

use serde_json::{json, Value};

use super::{edit, error, modified_by, record, target};
use crate::playbook::connectors::{Effects, Reply};

/// V3.
pub fn add(body: &Value, effects: &mut Effects<'_>) -> Reply {
    let Some(message) = body.get("message").and_then(Value::as_str) else {
        return error(400, "BadRequest", "The request has no message");
    };
    if let Err(reply) = target(body, effects) {
        return *reply;
    }
    append(message, effects)
}

/// V2: the comment text is `Value`; the path names the incident by number, which offline is
/// always the incident in hand.
pub fn add_legacy(body: &Value, effects: &mut Effects<'_>) -> Reply {
    let Some(message) = body.get("Value").and_then(Value::as_str) else {
        return error(400, "BadRequest", "The request has no Value");
    };
    if effects.incident.is_none() {
        return error(404, "NotFound", "this run has no incident");
    }
    append(message, effects)
}

fn append(message: &str, effects: &mut Effects<'_>) -> Reply {
    let author =
        json!({"name": modified_by(effects.playbook), "objectId": null, "email": null, "userPrincipalName": null});
    let comment = json!({"message": message, "createdTimeUtc": effects.now, "author": author});
    let mut count = 0;
    if let Some(incident) = effects.incident.as_deref_mut() {
        edit(incident, |props| {
            let comments = props.entry("comments").or_insert_with(|| Value::Array(Vec::new()));
            if !comments.is_array() {
                *comments = Value::Array(Vec::new());
            }
            if let Value::Array(items) = comments {
                items.push(comment.clone());
            }
            let data = props.entry("additionalData").or_insert_with(|| json!({}));
            if let Value::Object(data) = data {
                count = data.get("commentsCount").and_then(Value::as_i64).unwrap_or(0) + 1;
                data.insert("commentsCount".into(), json!(count));
            }
        });
    }
    record(effects, "add_comment", Some("comments"), Value::Null, Value::String(message.to_owned()));
    Reply::builtin(200, json!({"name": format!("comment-{count}"), "properties": comment}))
}
