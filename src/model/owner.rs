//! The incident owner (`IncidentOwnerInfo`): who an automation rule assigns.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// The keys of an owner object that assigning an owner writes ([`Owner::write_into`]).
pub const WRITTEN_KEYS: [&str; 5] = ["objectId", "email", "assignedTo", "userPrincipalName", "ownerType"];

/// An owner as a rule names it. At least one field is set; the others stay null, as the
/// service leaves them when it cannot resolve a user offline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owner {
    pub object_id: Option<String>,
    pub email: Option<String>,
    pub upn: Option<String>,
    pub name: Option<String>,
}

impl Owner {
    /// The best single identity for logs and tables: UPN, e-mail, name, then object id.
    pub fn display(&self) -> Option<&str> {
        self.upn.as_deref().or(self.email.as_deref()).or(self.name.as_deref()).or(self.object_id.as_deref())
    }

    /// Reads an owner object from an incident (`null` fields count as unset).
    pub fn from_json(value: &Value) -> Owner {
        Owner::from_fields(|key| value.get(key).and_then(Value::as_str).map(Cow::Borrowed))
    }

    /// Reads an owner from its string fields, looked up by key (empty strings count as unset).
    pub fn from_fields<'a>(get: impl Fn(&str) -> Option<Cow<'a, str>>) -> Owner {
        let field = |key: &str| get(key).filter(|s| !s.is_empty()).map(Cow::into_owned);
        Owner {
            object_id: field("objectId"),
            email: field("email"),
            upn: field("userPrincipalName"),
            name: field("assignedTo"),
        }
    }

    /// True when the owner is unassigned.
    pub fn is_empty(&self) -> bool {
        self.display().is_none()
    }

    /// True when `other` names the same person: any identity both sides give agrees
    /// (case-insensitively, as Sentinel compares UPNs and e-mails).
    pub fn same_as(&self, other: &Owner) -> bool {
        let pairs = [
            (&self.object_id, &other.object_id),
            (&self.upn, &other.upn),
            (&self.email, &other.email),
            (&self.name, &other.name),
        ];
        let mut compared = false;
        for (a, b) in pairs {
            if let (Some(a), Some(b)) = (a, b) {
                if !a.eq_ignore_ascii_case(b) {
                    return false;
                }
                compared = true;
            }
        }
        compared || (self.is_empty() && other.is_empty())
    }

    /// True when `text` is one of this owner's identities (case-insensitively).
    pub fn matches(&self, text: &str) -> bool {
        [&self.object_id, &self.upn, &self.email, &self.name]
            .into_iter()
            .flatten()
            .any(|id| id.eq_ignore_ascii_case(text) || id.to_lowercase() == text.to_lowercase())
    }

    /// Writes this owner over an existing owner object, keeping its key order and any unknown
    /// keys; `ownerType` becomes `User`.
    pub fn write_into(&self, target: &mut Map<String, Value>) {
        for (key, value) in self.written() {
            target.insert(key.into(), value);
        }
    }

    /// The members [`Owner::write_into`] writes ([`WRITTEN_KEYS`]), in its order.
    pub fn written(&self) -> [(&'static str, Value); 5] {
        let text = |v: Option<&String>| v.cloned().map_or(Value::Null, Value::String);
        let upn = self.upn.as_ref();
        let [object_id, email, assigned_to, user_principal_name, owner_type] = WRITTEN_KEYS;
        [
            (object_id, text(self.object_id.as_ref())),
            (email, text(self.email.as_ref().or(upn))),
            (assigned_to, text(self.name.as_ref().or(upn).or(self.email.as_ref()))),
            (user_principal_name, text(upn)),
            (owner_type, Value::String("User".into())),
        ]
    }

    /// The owner an owner object reads as once this owner is written over it
    /// ([`Owner::write_into`] fills in the e-mail and the name from the other identities).
    pub fn as_written(&self) -> Owner {
        let written = self.written();
        Owner::from_fields(|key| written.iter().find(|(k, _)| *k == key)?.1.as_str().map(Cow::Borrowed))
    }
}
