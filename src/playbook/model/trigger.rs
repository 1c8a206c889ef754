//! The workflow's trigger, classified as Sentinel classifies playbooks: by connector and path,
//! never by the trigger's name (designer labels vary). An `ApiConnectionWebhook` on
//! `azuresentinel` with path `/incident-creation` is the incident trigger, `/subscribe` the
//! alert trigger, `/entity/...` the entity trigger.

use std::fmt;

use serde::Serialize;

use crate::syntax::Span;

/// What starts the playbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TriggerKind {
    /// Microsoft Sentinel incident (`/incident-creation`).
    Incident,
    /// Microsoft Sentinel alert (`/subscribe`).
    Alert,
    /// Microsoft Sentinel entity (`/entity/{type}`).
    Entity,
    /// Request (HTTP, manual).
    Request,
    /// Recurrence (schedule).
    Recurrence,
    /// Anything else.
    Other,
}

impl TriggerKind {
    /// The kind's display name: Incident, Alert, Entity, Request, Recurrence, Other.
    /// (`playbook list` shows the [`PlaybookClass`](super::PlaybookClass) instead, which also
    /// looks at the actions.)
    pub fn label(self) -> &'static str {
        match self {
            TriggerKind::Incident => "Incident",
            TriggerKind::Alert => "Alert",
            TriggerKind::Entity => "Entity",
            TriggerKind::Request => "Request",
            TriggerKind::Recurrence => "Recurrence",
            TriggerKind::Other => "Other",
        }
    }

    /// The YAML spelling (`trigger: incident`).
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerKind::Incident => "incident",
            TriggerKind::Alert => "alert",
            TriggerKind::Entity => "entity",
            TriggerKind::Request => "request",
            TriggerKind::Recurrence => "recurrence",
            TriggerKind::Other => "other",
        }
    }

    /// The kinds a YAML playbook can name (`trigger: alert`), the default first.
    pub const YAML: [TriggerKind; 5] =
        [TriggerKind::Incident, TriggerKind::Alert, TriggerKind::Entity, TriggerKind::Request, TriggerKind::Recurrence];

    /// Parses a YAML trigger kind, ignoring case.
    pub fn parse(text: &str) -> Option<TriggerKind> {
        TriggerKind::YAML.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(text.trim()))
    }

    /// Classifies a Logic Apps trigger from its `type`, connector API and `inputs.path`.
    pub fn classify(type_name: &str, api: Option<&str>, path: Option<&str>) -> TriggerKind {
        let sentinel = api.is_some_and(|a| a.eq_ignore_ascii_case("azuresentinel"));
        match type_name.to_ascii_lowercase().as_str() {
            "apiconnectionwebhook" if sentinel => {
                let path = path.unwrap_or_default().to_ascii_lowercase();
                if path.starts_with("/incident-creation") {
                    TriggerKind::Incident
                } else if path.starts_with("/subscribe") {
                    TriggerKind::Alert
                } else if path.starts_with("/entity") {
                    TriggerKind::Entity
                } else {
                    TriggerKind::Other
                }
            }
            "request" => TriggerKind::Request,
            "recurrence" => TriggerKind::Recurrence,
            _ => TriggerKind::Other,
        }
    }
}

impl fmt::Display for TriggerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The trigger: its name (what `trigger()` reports), type as written, and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub name: String,
    pub type_name: String,
    pub kind: TriggerKind,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_connector_and_path() {
        let k = |t, a, p| TriggerKind::classify(t, a, p);
        assert_eq!(k("ApiConnectionWebhook", Some("azuresentinel"), Some("/incident-creation")), TriggerKind::Incident);
        assert_eq!(k("ApiConnectionWebhook", Some("azuresentinel"), Some("/subscribe")), TriggerKind::Alert);
        assert_eq!(
            k("ApiConnectionWebhook", Some("azuresentinel"), Some("/entity/@{encodeURIComponent('IP')}")),
            TriggerKind::Entity
        );
        assert_eq!(k("ApiConnectionWebhook", Some("teams"), Some("/subscribe")), TriggerKind::Other);
        assert_eq!(k("Request", None, None), TriggerKind::Request);
        assert_eq!(k("Recurrence", None, None).label(), "Recurrence");
    }
}
