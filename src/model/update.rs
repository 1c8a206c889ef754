//! What an update event changed: the before/after of severity, status and owner, and the
//! labels, tactics, alerts and comments added. It feeds the `changed` / `added` leaves and
//! `IncidentUpdatedBySource` of update-trigger rules.

use super::enums::UpdatedBySource;
use std::borrow::Cow;

use super::owner::Owner;
use super::target::IncidentRead;

/// The changes of one update event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub source: UpdatedBySource,
    /// (before, after) when the severity changed.
    pub severity: Option<(Option<String>, Option<String>)>,
    pub status: Option<(Option<String>, Option<String>)>,
    pub owner: Option<(Owner, Owner)>,
    pub labels_added: Vec<String>,
    pub tactics_added: Vec<String>,
    pub alerts_added: bool,
    pub comments_added: bool,
}

fn changed(before: Option<Cow<'_, str>>, after: Option<Cow<'_, str>>) -> Option<(Option<String>, Option<String>)> {
    let same = match (&before, &after) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    };
    (!same).then(|| (before.map(Cow::into_owned), after.map(Cow::into_owned)))
}

fn added(before: &[Cow<'_, str>], after: &[Cow<'_, str>]) -> Vec<String> {
    let old: Vec<String> = before.iter().map(|b| b.to_lowercase()).collect();
    after.iter().filter(|a| !old.contains(&a.to_lowercase())).map(|a| a.to_string()).collect()
}

impl Update {
    /// The changes between two versions of the same incident (in either form).
    pub fn between(before: &dyn IncidentRead, after: &dyn IncidentRead, source: UpdatedBySource) -> Update {
        let (old_owner, new_owner) = (before.owner(), after.owner());
        let owner_changed = !old_owner.same_as(&new_owner);
        let count = |inc: &dyn IncidentRead, key: &str| inc.additional_count(key).unwrap_or(0);
        Update {
            source,
            severity: changed(before.field("severity"), after.field("severity")),
            status: changed(before.field("status"), after.field("status")),
            owner: owner_changed.then_some((old_owner, new_owner)),
            labels_added: added(&before.labels(), &after.labels()),
            tactics_added: added(
                &before.string_array(&["additionalData", "tactics"]),
                &after.string_array(&["additionalData", "tactics"]),
            ),
            alerts_added: count(after, "alertsCount") > count(before, "alertsCount"),
            comments_added: count(after, "commentsCount") > count(before, "commentsCount"),
        }
    }

    /// True when nothing a rule can observe changed.
    pub fn is_empty(&self) -> bool {
        self.severity.is_none()
            && self.status.is_none()
            && self.owner.is_none()
            && self.labels_added.is_empty()
            && self.tactics_added.is_empty()
            && !self.alerts_added
            && !self.comments_added
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Incident;
    use serde_json::json;

    #[test]
    fn finds_changes_and_additions() {
        let a = Incident::from_value(json!({"title": "t", "severity": "Medium", "status": "New",
            "labels": [{"labelName": "x"}], "additionalData": {"alertsCount": 1}}))
        .unwrap();
        let b = Incident::from_value(json!({"title": "t", "severity": "High", "status": "New",
            "labels": [{"labelName": "X"}, {"labelName": "y"}], "additionalData": {"alertsCount": 2},
            "owner": {"userPrincipalName": "a@b.c"}}))
        .unwrap();
        let u = Update::between(&a, &b, UpdatedBySource::User);
        assert_eq!(u.severity, Some((Some("Medium".into()), Some("High".into()))));
        assert_eq!(u.status, None);
        assert_eq!(u.labels_added, ["y"]);
        assert!(u.alerts_added && !u.comments_added);
        assert_eq!(u.owner.map(|(_, n)| n.upn), Some(Some("a@b.c".into())));
        assert!(Update::between(&a, &a, UpdatedBySource::Other).is_empty());
    }
}
