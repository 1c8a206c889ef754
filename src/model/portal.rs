//! [`Portal`]: where the workspace's automation runs. `Defender` is a workspace onboarded to the
//! Microsoft Defender portal (the unified SOC platform; every workspace moves there when the
//! Azure portal experience retires after 31 March 2027), whose automation behaves differently
//! in documented ways ("Automation in the Microsoft Defender portal",
//! <https://learn.microsoft.com/en-us/azure/sentinel/automation/automation>). This module holds
//! the differences that concern single values; the rule set is adapted in
//! [`crate::rules::portal`], and `docs/defender-portal.md` lists every difference with its
//! source, applied or not.
//!
//! Stage: model.

use super::{Alert, UpdatedBySource};

/// The portal whose documented automation behaviour applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Portal {
    /// Microsoft Sentinel in the Azure portal, workspace not onboarded (this tool's behaviour
    /// before portals were told apart).
    #[default]
    Azure,
    /// A workspace onboarded to the Microsoft Defender portal.
    Defender,
}

/// The incident provider of every incident once the workspace is onboarded: "all incidents
/// have *Microsoft XDR* as the incident provider (the value in the *ProviderName* field)".
pub const DEFENDER_PROVIDER: &str = "Microsoft XDR";

impl Portal {
    pub fn as_str(self) -> &'static str {
        match self {
            Portal::Azure => "azure",
            Portal::Defender => "defender",
        }
    }

    /// Who made an update as automation rules see it: onboarded, "*Microsoft 365 Defender* is
    /// replaced by a value of *Other*".
    pub fn updated_by(self, source: UpdatedBySource) -> UpdatedBySource {
        match (self, source) {
            (Portal::Defender, UpdatedBySource::MicrosoftDefenderXdr) => UpdatedBySource::Other,
            (_, source) => source,
        }
    }

    /// Whether an alert raises alert-trigger rules: in the Defender portal "automation rules
    /// with alert triggers act only on Microsoft Sentinel alerts" ([`Alert::is_sentinel`]).
    pub fn raises_alert_rules(self, alert: &Alert) -> bool {
        self == Portal::Azure || alert.is_sentinel()
    }

    /// The incident provider name playbooks see, when the portal fixes it.
    pub fn provider_name(self) -> Option<&'static str> {
        (self == Portal::Defender).then_some(DEFENDER_PROVIDER)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn defender_reads_microsoft_365_defender_as_other_and_only_sentinel_alerts() {
        assert_eq!(Portal::Defender.updated_by(UpdatedBySource::MicrosoftDefenderXdr), UpdatedBySource::Other);
        assert_eq!(
            Portal::Azure.updated_by(UpdatedBySource::MicrosoftDefenderXdr),
            UpdatedBySource::MicrosoftDefenderXdr
        );
        assert_eq!(Portal::Defender.updated_by(UpdatedBySource::User), UpdatedBySource::User);
        let alert = |product: &str| {
            Alert::from_value(json!({"SystemAlertId": "a", "AlertName": "x", "ProductName": product})).unwrap()
        };
        assert!(Portal::Defender.raises_alert_rules(&alert("Azure Sentinel")));
        assert!(Portal::Defender.raises_alert_rules(&alert("microsoft sentinel")));
        assert!(!Portal::Defender.raises_alert_rules(&alert("Microsoft Defender Advanced Threat Protection")));
        assert!(Portal::Azure.raises_alert_rules(&alert("Microsoft Defender Advanced Threat Protection")));
        let bare = Alert::from_value(json!({"SystemAlertId": "a", "AlertName": "x"})).unwrap();
        assert!(!Portal::Defender.raises_alert_rules(&bare));
        let ruled =
            Alert::from_value(json!({"SystemAlertId": "a", "AlertName": "x", "analyticRuleIds": ["r1"]})).unwrap();
        assert!(Portal::Defender.raises_alert_rules(&ruled));
    }
}
