//! The answers the reference knows for common connector operations
//! (`../shared/reference/sentinel-playbooks.md` tables 4.1 and 4.2, and the research note on
//! the `azuresentinel` connector): sample bodies whose properties and types join what the
//! playbook reads, so a scaffold shows the service's real structure. Values here are only
//! types: strings become placeholders, numbers 0, booleans false. Sentinel operations are not
//! listed: the built-in connector answers them (legacy Cases, watchlists, DNS entities and
//! Create incident included), so they are never mocked; the bookmark operations it leaves to
//! mocks no template calls.

use serde_json::{json, Value};

use crate::playbook::connectors::path;

/// (connector, method, path template, sample body).
type Known = (&'static str, &'static str, &'static str, fn() -> Value);

const KNOWN: &[Known] = &[
    ("office365", "", "/approvalmail/$subscriptions", || json!({"SelectedOption": "", "UserEmailAddress": ""})),
    ("office365", "", "/mailwithoptions/$subscriptions", || json!({"SelectedOption": "", "UserEmailAddress": ""})),
    (
        "teams",
        "",
        "*/$subscriptions",
        || json!({"submitActionId": "", "data": {}, "responder": {"displayName": "", "userPrincipalName": ""}}),
    ),
    ("azuremonitorlogs", "post", "/queryData", || json!({"value": [{}]})),
    ("virustotal", "get", "/api/v3/ip_addresses/{ip}", || {
        json!({"data": {"id": "", "type": "", "attributes": {"reputation": 0,
            "last_analysis_stats": {"harmless": 0, "malicious": 0, "suspicious": 0, "undetected": 0}}}})
    }),
    ("service-now", "post", "/api/now/v2/table/{table}", || json!({"result": {"sys_id": "", "number": ""}})),
    ("jira", "post", "/issue", || json!({"id": "", "key": ""})),
    (
        "azuread",
        "get",
        "/v1.0/users/{user}",
        || json!({"id": "", "displayName": "", "userPrincipalName": "", "mail": ""}),
    ),
];

/// The sample body the reference gives for a call of `api` (`method` lower case, empty when
/// the template does not say; `probe`: the path with a value in each hole).
pub fn body(api: &str, method: &str, probe: &str) -> Option<Value> {
    KNOWN
        .iter()
        .find(|(a, m, p, _)| a.eq_ignore_ascii_case(api) && (m.is_empty() || *m == method) && path::matches(p, probe))
        .map(|(_, _, _, sample)| sample())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_operations_by_connector_method_and_path() {
        assert!(body("virustotal", "get", "/api/v3/ip_addresses/x").is_some());
        assert!(body("virustotal", "post", "/api/v3/ip_addresses/x").is_none());
        assert!(
            body("teams", "post", "/flowbot/actions/flowcontinuation/recipienttypes/channel/$subscriptions").is_some()
        );
        assert!(body("azuread", "get", "/v1.0/users/x").is_some());
        assert!(body("azuread", "get", "/v1.0/users/x/y").is_none());
    }
}
