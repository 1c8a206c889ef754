//! Where a value read from a call goes into a built-in Sentinel operation that only takes
//! certain values: Update incident's severity, status, classification and owner action.

use serde_json::Value;

use crate::model::{Classification, Severity, Status};
use crate::playbook::expr::{Template, ValueTemplate};
use crate::playbook::model::Input;

use super::{single, Ctx, Walker};
use crate::playbook::infer::origin::Origin;
use crate::playbook::infer::shape::Reader;

impl<'p> Walker<'p> {
    /// Update incident's enumerated fields: a value read from a call must be one Sentinel
    /// takes (a severity, a status, a classification, an owner action), or the update fails.
    pub(super) fn sinks(&mut self, inputs: &Input, ctx: Ctx<'p>) {
        let method = text_field(&inputs.template, "method");
        let path = text_field(&inputs.template, "path");
        let update = method.is_some_and(|m| m.eq_ignore_ascii_case("put"))
            && path.is_some_and(|p| p.eq_ignore_ascii_case("/Incidents"));
        if !update {
            return;
        }
        let body = entry(&inputs.template, "body");
        let classification = body.and_then(|b| entry(b, "classification"));
        let field = |key: &str| body.and_then(|b| entry(b, key));
        let severities = Severity::names().join(", ");
        let statuses = Status::names().join(", ");
        let fields = [
            (field("severity"), Severity::High.as_str(), severities.as_str()),
            (field("status"), Status::Active.as_str(), statuses.as_str()),
            (field("ownerAction"), "Assign", "Assign, Unassign"),
            (
                classification.and_then(|c| entry(c, "ClassificationAndReason")),
                Classification::Undetermined.as_str(),
                "a classification and its reason",
            ),
        ];
        for (value, wanted, takes) in fields {
            let Some(expr) = value.and_then(single) else { continue };
            // Recorded again, saying what the value must be.
            let plain = match value {
                Some(ValueTemplate::String(Template::Expression(_))) => expr.to_string(),
                _ => format!("@{{{expr}}}"),
            };
            self.reader.expression = plain;
            self.reader.note = format!("(Update incident takes {takes})");
            let origins = self.eval(expr, ctx).origins;
            let plain = Reader { note: String::new(), ..self.reader.clone() };
            self.reader.note.clear();
            for origin in origins.iter().filter(|o| o.is_direct()) {
                for end in 0..=origin.path.len() {
                    let above = Origin::new(&origin.action, origin.path.get(..end).unwrap_or_default().to_vec());
                    self.node(&above).readers.remove(&plain);
                }
                let node = self.node(origin);
                if node.same_as.is_none() {
                    node.literal.get_or_insert_with(|| Value::String(wanted.to_owned()));
                }
            }
        }
    }
}

/// The entry `key` of an object value (any case).
fn entry<'v>(value: &'v ValueTemplate, key: &str) -> Option<&'v ValueTemplate> {
    match value {
        ValueTemplate::Object(entries) => entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// The literal text of the entry `key` of an object value.
fn text_field<'v>(value: &'v ValueTemplate, key: &str) -> Option<&'v str> {
    match value {
        ValueTemplate::Object(entries) => {
            match entries.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v) {
                Some(ValueTemplate::Literal(Value::String(s))) => Some(s),
                _ => None,
            }
        }
        ValueTemplate::Literal(Value::Object(map)) => {
            map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).and_then(|(_, v)| v.as_str())
        }
        _ => None,
    }
}
