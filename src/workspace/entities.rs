//! The entity mappings of an analytic rule against Sentinel's entity types and each type's
//! identifiers (the "Entities reference" of the Sentinel documentation): an unknown type or
//! identifier is AR005, compared ignoring case as the API does.
//!
//! Stage: spanned tree -> diagnostics.

use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::syntax::{Decoder, Node, Text};

/// Entity types analytic rules map, with their identifiers.
pub const ENTITY_TYPES: &[(&str, &[&str])] = &[
    (
        "Account",
        &[
            "Name",
            "FullName",
            "NTDomain",
            "DnsDomain",
            "UPNSuffix",
            "Sid",
            "AadTenantId",
            "AadUserId",
            "PUID",
            "IsDomainJoined",
            "DisplayName",
            "ObjectGuid",
        ],
    ),
    (
        "Host",
        &[
            "DnsDomain",
            "NTDomain",
            "HostName",
            "FullName",
            "NetBiosName",
            "AzureID",
            "OMSAgentID",
            "OSFamily",
            "OSVersion",
            "IsDomainJoined",
        ],
    ),
    ("IP", &["Address"]),
    ("Malware", &["Name", "Category"]),
    ("File", &["Directory", "Name"]),
    ("Process", &["ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"]),
    ("CloudApplication", &["AppId", "Name", "InstanceName"]),
    ("DNS", &["DomainName"]),
    ("AzureResource", &["ResourceId"]),
    ("FileHash", &["Algorithm", "Value"]),
    ("RegistryKey", &["Hive", "Key"]),
    ("RegistryValue", &["Name", "Value", "ValueType"]),
    ("SecurityGroup", &["DistinguishedName", "SID", "ObjectGuid"]),
    ("URL", &["Url"]),
    ("Mailbox", &["MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"]),
    (
        "MailCluster",
        &[
            "NetworkMessageIds",
            "CountByDeliveryStatus",
            "CountByThreatType",
            "CountByProtectionStatus",
            "Threats",
            "Query",
            "QueryTime",
            "MailCount",
            "IsVolumeAnomaly",
            "Source",
            "ClusterSourceIdentifier",
            "ClusterSourceType",
            "ClusterQueryStartTime",
            "ClusterQueryEndTime",
            "ClusterGroup",
        ],
    ),
    (
        "MailMessage",
        &[
            "Recipient",
            "Urls",
            "Threats",
            "Sender",
            "P1Sender",
            "P1SenderDisplayName",
            "P1SenderDomain",
            "SenderIP",
            "P2Sender",
            "P2SenderDisplayName",
            "P2SenderDomain",
            "ReceivedDate",
            "NetworkMessageId",
            "InternetMessageId",
            "Subject",
            "BodyFingerprintBin1",
            "BodyFingerprintBin2",
            "BodyFingerprintBin3",
            "BodyFingerprintBin4",
            "BodyFingerprintBin5",
            "AntispamDirection",
            "DeliveryAction",
            "DeliveryLocation",
            "Language",
            "ThreatDetectionMethods",
        ],
    ),
    (
        "SubmissionMail",
        &[
            "SubmissionId",
            "SubmissionDate",
            "Submitter",
            "NetworkMessageId",
            "Timestamp",
            "Recipient",
            "Sender",
            "SenderIp",
            "Subject",
            "ReportType",
        ],
    ),
];

/// Checks an `entityMappings` list.
pub fn check(d: &mut Decoder<'_>, mappings: &Node) {
    let Some(items) = mappings.items() else {
        if !mappings.is_unset() {
            d.wrong_type(mappings, "a list of entity mappings");
        }
        return;
    };
    for item in items {
        if !item.is_map() {
            d.wrong_type(item, "an entity mapping with entityType and fieldMappings");
            continue;
        }
        let Some(kind) = d.get(item, "entityType").and_then(|n| d.text(n, "an entity type")) else {
            d.missing(item.start(), "entityType", "entity mapping");
            continue;
        };
        let names = ENTITY_TYPES.iter().map(|(t, _)| *t);
        let Some((_, identifiers)) = ENTITY_TYPES.iter().find(|(t, _)| t.eq_ignore_ascii_case(kind.value.trim()))
        else {
            unknown(d, &kind, "entity type", names.collect::<Vec<_>>().as_slice());
            continue;
        };
        let Some(fields) = d.get(item, "fieldMappings") else { continue };
        let Some(fields) = fields.items() else {
            d.wrong_type(fields, "a list of field mappings");
            continue;
        };
        for field in fields {
            if let Some(id) = d.get(field, "identifier").and_then(|n| d.text(n, "an identifier")) {
                if !identifiers.iter().any(|i| i.eq_ignore_ascii_case(id.value.trim())) {
                    let what = format!("{} identifier", kind.value.trim());
                    unknown(d, &id, &what, identifiers);
                }
            }
        }
    }
}

fn unknown(d: &mut Decoder<'_>, text: &Text, what: &str, allowed: &[&str]) {
    let help = match did_you_mean(text.value.trim(), allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("expected one of: {}", allowed.join(", ")),
    };
    let path = d.path;
    d.push(
        Diagnostic::error(Code::AR005, path, Some(text.span), format!("`{}` is not a known {what}", text.value.trim()))
            .with_label(format!("unknown {what}"))
            .with_help(help),
    );
}
