//! The 58 condition properties of Sentinel's newest stable API (`AutomationRulePropertyCondition
//! SupportedProperty`, 2025-09-01) and where each is read from an incident. Entity fields follow
//! the REST entity schema (EntityTypes.json); see the reference, sections 1.6-1.8.

use super::operator::BaseOp;

/// Where a property's values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A string field of the incident's properties.
    Field(&'static str),
    /// An array of strings under the properties (path of keys).
    Array(&'static [&'static str]),
    /// `labels[].labelName`.
    Labels,
    /// A field of every entity of one kind.
    Entity { kind: &'static str, field: &'static str },
    /// Who made the update (update events only).
    UpdatedBySource,
    /// Custom detail keys.
    CustomDetailKey,
    /// Custom detail values.
    CustomDetailValue,
}

/// The incident properties rule actions change (keys of the properties object): bit `i` of a
/// property mask ([`property_mask`]) stands for `MUTABLE[i]`, the next bit for every other
/// property.
pub const MUTABLE: [&str; 9] = [
    "severity",
    "status",
    "classification",
    "classificationReason",
    "classificationComment",
    "owner",
    "labels",
    "tasks",
    "lastModifiedTimeUtc",
];

/// The bit of every property not in [`MUTABLE`].
const OTHER: u16 = 1 << MUTABLE.len();

/// The mask of the incident property `key` (see [`MUTABLE`]).
pub fn property_mask(key: &str) -> u16 {
    MUTABLE.iter().position(|k| *k == key).map_or(OTHER, |i| 1 << i)
}

impl Source {
    /// The mask of the properties ([`property_mask`]) these values are read from: a change to
    /// one of them can change the values; a change to any other cannot.
    pub fn read_mask(&self) -> u16 {
        match self {
            Source::Field(field) => property_mask(field),
            Source::Labels => property_mask("labels"),
            Source::Array(_) | Source::Entity { .. } | Source::CustomDetailKey | Source::CustomDetailValue => OTHER,
            Source::UpdatedBySource => 0,
        }
    }
}

/// Which operators Sentinel offers for a property (DOC-CREATE's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operators {
    /// All eight string operators.
    Text,
    /// Equals / NotEquals only (Severity, Status, provider, updated by, custom detail key).
    EqualsOnly,
    /// Contains / NotContains only (Tactics, product names, rule ids, custom detail value).
    ContainsOnly,
}

/// One property.
#[derive(Debug, PartialEq, Eq)]
pub struct Property {
    /// Sentinel's `propertyName`.
    pub name: &'static str,
    pub source: Source,
    pub operators: Operators,
    /// Holds IP addresses (InCidr / NotInCidr apply).
    pub ip: bool,
}

impl Property {
    /// True when Sentinel offers `op` for this property.
    pub fn sentinel_allows(&self, op: BaseOp) -> bool {
        match self.operators {
            Operators::Text => op.is_sentinel(),
            Operators::EqualsOnly => op == BaseOp::Equals,
            Operators::ContainsOnly => op == BaseOp::Contains,
        }
    }

    /// True for properties of the incident itself rather than its entities.
    pub fn is_entity(&self) -> bool {
        matches!(self.source, Source::Entity { .. })
    }
}

const fn p(name: &'static str, source: Source, operators: Operators) -> Property {
    Property { name, source, operators, ip: false }
}

const fn e(name: &'static str, kind: &'static str, field: &'static str) -> Property {
    Property { name, source: Source::Entity { kind, field }, operators: Operators::Text, ip: false }
}

const fn ip(name: &'static str, kind: &'static str, field: &'static str) -> Property {
    Property { name, source: Source::Entity { kind, field }, operators: Operators::Text, ip: true }
}

use Operators::{ContainsOnly, EqualsOnly, Text};

/// Every property, in the API's order.
pub static PROPERTIES: [Property; 58] = [
    p("IncidentTitle", Source::Field("title"), Text),
    p("IncidentDescription", Source::Field("description"), Text),
    p("IncidentSeverity", Source::Field("severity"), EqualsOnly),
    p("IncidentStatus", Source::Field("status"), EqualsOnly),
    p("IncidentRelatedAnalyticRuleIds", Source::Array(&["relatedAnalyticRuleIds"]), ContainsOnly),
    p("IncidentTactics", Source::Array(&["additionalData", "tactics"]), ContainsOnly),
    p("IncidentLabel", Source::Labels, Text),
    p("IncidentProviderName", Source::Field("providerName"), EqualsOnly),
    p("IncidentUpdatedBySource", Source::UpdatedBySource, EqualsOnly),
    p("IncidentCustomDetailsKey", Source::CustomDetailKey, EqualsOnly),
    p("IncidentCustomDetailsValue", Source::CustomDetailValue, ContainsOnly),
    e("AccountAadTenantId", "Account", "aadTenantId"),
    e("AccountAadUserId", "Account", "aadUserId"),
    e("AccountName", "Account", "accountName"),
    e("AccountNTDomain", "Account", "ntDomain"),
    e("AccountPUID", "Account", "puid"),
    e("AccountSid", "Account", "sid"),
    e("AccountObjectGuid", "Account", "objectGuid"),
    e("AccountUPNSuffix", "Account", "upnSuffix"),
    p("AlertProductNames", Source::Array(&["additionalData", "alertProductNames"]), ContainsOnly),
    // On an incident, the analytics rules of its alerts are the incident's related rule ids.
    p("AlertAnalyticRuleIds", Source::Array(&["relatedAnalyticRuleIds"]), ContainsOnly),
    e("AzureResourceResourceId", "AzureResource", "resourceId"),
    e("AzureResourceSubscriptionId", "AzureResource", "subscriptionId"),
    e("CloudApplicationAppId", "CloudApplication", "appId"),
    e("CloudApplicationAppName", "CloudApplication", "appName"),
    e("DNSDomainName", "DnsResolution", "domainName"),
    e("FileDirectory", "File", "directory"),
    e("FileName", "File", "fileName"),
    e("FileHashValue", "FileHash", "hashValue"),
    e("HostAzureID", "Host", "azureID"),
    e("HostName", "Host", "hostName"),
    e("HostNetBiosName", "Host", "netBiosName"),
    e("HostNTDomain", "Host", "ntDomain"),
    e("HostOSVersion", "Host", "osVersion"),
    e("IoTDeviceId", "IoTDevice", "deviceId"),
    e("IoTDeviceName", "IoTDevice", "deviceName"),
    e("IoTDeviceType", "IoTDevice", "deviceType"),
    e("IoTDeviceVendor", "IoTDevice", "vendor"),
    e("IoTDeviceModel", "IoTDevice", "model"),
    e("IoTDeviceOperatingSystem", "IoTDevice", "operatingSystem"),
    ip("IPAddress", "Ip", "address"),
    e("MailboxDisplayName", "Mailbox", "displayName"),
    e("MailboxPrimaryAddress", "Mailbox", "mailboxPrimaryAddress"),
    e("MailboxUPN", "Mailbox", "upn"),
    e("MailMessageDeliveryAction", "MailMessage", "deliveryAction"),
    e("MailMessageDeliveryLocation", "MailMessage", "deliveryLocation"),
    e("MailMessageRecipient", "MailMessage", "recipient"),
    ip("MailMessageSenderIP", "MailMessage", "senderIP"),
    e("MailMessageSubject", "MailMessage", "subject"),
    e("MailMessageP1Sender", "MailMessage", "p1Sender"),
    e("MailMessageP2Sender", "MailMessage", "p2Sender"),
    e("MalwareCategory", "Malware", "category"),
    e("MalwareName", "Malware", "malwareName"),
    e("ProcessCommandLine", "Process", "commandLine"),
    e("ProcessId", "Process", "processId"),
    e("RegistryKey", "RegistryKey", "key"),
    e("RegistryValueData", "RegistryValue", "valueData"),
    e("Url", "Url", "url"),
];

/// Looks a property up by name, case-insensitively (SPEC 1.1).
pub fn lookup(name: &str) -> Option<&'static Property> {
    PROPERTIES.iter().find(|p| p.name.eq_ignore_ascii_case(name.trim()))
}

/// Every property name, for suggestions.
pub fn names() -> impl Iterator<Item = &'static str> {
    PROPERTIES.iter().map(|p| p.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_lookup_ignores_case() {
        let mut names: Vec<_> = names().map(str::to_lowercase).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 58);
        assert_eq!(lookup("ipaddress").map(|p| p.name), Some("IPAddress"));
        assert_eq!(lookup("HostName").map(|p| p.source), Some(Source::Entity { kind: "Host", field: "hostName" }));
        assert!(lookup("Hostname ").is_some());
        assert!(lookup("HostNam").is_none());
    }
}
