//! Redaction of secret values: every string a run writes (step inputs, outputs and errors,
//! the run error, warnings, the response, audit records and the incident) has each secret
//! value replaced by [`MASK`], wherever the value appears inside it. Secrets are the values of
//! secret parameters (environment references and Logic Apps secure parameters) and of
//! connections' secret references.

use serde_json::Value;

/// What a secret becomes.
pub const MASK: &str = "<redacted: secret>";

/// The secret values of a run, longest first (so a secret containing another is masked whole).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for the string leaves of `values` (empty strings are ignored).
    pub fn new<'v>(values: impl IntoIterator<Item = &'v Value>) -> Redactor {
        let mut secrets = Vec::new();
        for value in values {
            collect(value, &mut secrets);
        }
        secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        secrets.dedup();
        Redactor { secrets }
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The text with every secret masked.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), MASK);
            }
        }
        out
    }

    /// Masks every secret in the strings (and object keys) of `value`, in place.
    pub fn value(&self, value: &mut Value) {
        if self.is_empty() {
            return;
        }
        match value {
            Value::String(s) => {
                if self.secrets.iter().any(|secret| s.contains(secret.as_str())) {
                    *s = self.text(s);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(map) => {
                let entries = std::mem::take(map);
                for (key, mut item) in entries {
                    self.value(&mut item);
                    map.insert(self.text(&key), item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !s.is_empty() => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect(v, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn masks_secrets_anywhere_in_strings_and_keys() {
        let r = Redactor::new([&json!("abc123"), &json!({"token": "abc123456"}), &json!("")]);
        let mut v = json!({"h": "Bearer abc123456", "list": ["x abc123 y"], "abc123": 1});
        r.value(&mut v);
        assert_eq!(
            v,
            json!({"h": "Bearer <redacted: secret>", "list": ["x <redacted: secret> y"], "<redacted: secret>": 1})
        );
        assert_eq!(r.text("no secret here"), "no secret here");
    }
}
