//! Entities - Get IPs / Accounts / Hosts / URLs / FileHashes / DNS (`POST /entities/{kind}`, body:
//! the entities, as the incident trigger gives them in `relatedEntities` (ARM form: `kind`,
//! camelCase `properties`) or the alert trigger in `Entities` (graph form: `Type`, PascalCase
//! properties)). Answers `{IPs: [...]}`, `{Accounts}`, `{Hosts}`, `{URLs}`, `{Filehashes}`,
//! `{Dnsresolutions}` (entities of kind DnsResolution, graph type `dns`; `DomainName`)
//! (that casing is the connector's), each entity's properties in PascalCase as the connector
//! returns them: `Address`; `Name` (from `accountName`), `UPNSuffix`, `AadUserId`, `NTDomain`,
//! `Sid`; `HostName`, `DnsDomain`, `AzureID`, `OMSAgentID`, `MdatpDeviceId`, `FQDN`; `Url`;
//! `Value` (from `hashValue`), `Algorithm`. This field mapping follows the reference's
//! reading of real templates and static results; it is not verified against the service.

use serde_json::{json, Map, Value};

use super::error;
use crate::playbook::connectors::Reply;

/// (path segment, entity kinds (ARM kind and graph type), output key).
const KINDS: &[(&str, &[&str], &str)] = &[
    ("ip", &["ip"], "IPs"),
    ("account", &["account"], "Accounts"),
    ("host", &["host"], "Hosts"),
    ("url", &["url"], "URLs"),
    ("filehash", &["filehash"], "Filehashes"),
    ("dnsresolution", &["dnsresolution", "dns"], "Dnsresolutions"),
];

/// Answers `/entities/<segment>`; `None` for kinds this tool does not know.
pub fn get(segment: &str, body: &Value) -> Option<Reply> {
    let (_, kind, key) = KINDS.iter().find(|(s, _, _)| s.eq_ignore_ascii_case(segment))?;
    let parsed;
    let list = match body {
        Value::String(text) => {
            parsed = serde_json::from_str::<Value>(text).unwrap_or(Value::Null);
            &parsed
        }
        other => other,
    };
    let items = match list {
        Value::Array(items) => items.as_slice(),
        Value::Null => &[],
        _ => return Some(error(400, "BadRequest", "The entities must be an array")),
    };
    let found: Vec<Value> = items.iter().filter_map(|e| project(e, kind)).collect();
    let mut out = Map::new();
    out.insert((*key).to_owned(), Value::Array(found));
    Some(Reply::builtin(200, Value::Object(out)))
}

/// The entity's PascalCase properties when it is of `kind`.
fn project(entity: &Value, kinds: &[&str]) -> Option<Value> {
    let obj = entity.as_object()?;
    let entity_kind =
        obj.get("kind").or_else(|| obj.get("Type")).or_else(|| obj.get("type")).and_then(Value::as_str)?;
    if !kinds.iter().any(|k| entity_kind.eq_ignore_ascii_case(k)) {
        return None;
    }
    let props = obj.get("properties").and_then(Value::as_object).unwrap_or(obj);
    let mut out = Map::new();
    for (k, v) in props {
        if matches!(k.as_str(), "$id" | "Type" | "type" | "kind") {
            continue;
        }
        out.insert(pascal(k), v.clone());
    }
    Some(json!(out))
}

/// The connector's name for an entity property.
pub fn pascal(key: &str) -> String {
    match key {
        "accountName" => "Name".into(),
        "upnSuffix" => "UPNSuffix".into(),
        "ntDomain" => "NTDomain".into(),
        "azureID" | "azureId" => "AzureID".into(),
        "omsAgentID" | "omsAgentId" => "OMSAgentID".into(),
        "fqdn" => "FQDN".into(),
        "hashValue" => "Value".into(),
        "aadUserId" => "AadUserId".into(),
        other => {
            let mut chars = other.chars();
            chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_both_entity_forms() {
        let incident = json!([
            {"kind": "Ip", "properties": {"address": "1.2.3.4", "friendlyName": "1.2.3.4"}},
            {"kind": "Account", "properties": {"accountName": "ada", "upnSuffix": "contoso.com", "aadUserId": "x"}},
            {"kind": "Host", "properties": {"hostName": "pc1"}}
        ]);
        let ips = get("ip", &incident).unwrap();
        assert_eq!(ips.outputs["body"], json!({"IPs": [{"Address": "1.2.3.4", "FriendlyName": "1.2.3.4"}]}));
        let accounts = get("account", &incident).unwrap();
        assert_eq!(
            accounts.outputs["body"]["Accounts"][0],
            json!({"Name": "ada", "UPNSuffix": "contoso.com", "AadUserId": "x"})
        );
        let alert = json!([{"$id": "1", "Type": "filehash", "Value": "abc", "Algorithm": "SHA256"}]);
        assert_eq!(
            get("filehash", &alert).unwrap().outputs["body"],
            json!({"Filehashes": [{"Value": "abc", "Algorithm": "SHA256"}]})
        );
        assert_eq!(get("dns", &incident), None);
        let dns = json!([{"kind": "DnsResolution", "properties": {"domainName": "evil.example"}}, {"Type": "dns", "DomainName": "b.example"}]);
        assert_eq!(
            get("dnsresolution", &dns).unwrap().outputs["body"],
            json!({"Dnsresolutions": [{"DomainName": "evil.example"}, {"DomainName": "b.example"}]})
        );
        assert_eq!(get("ip", &json!({"a": 1})).unwrap().status, crate::playbook::model::Status::Failed);
    }
}
