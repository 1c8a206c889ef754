//! Alerts (the SecurityAlert shape) for alert-trigger rules. Accepted: the REST entity
//! (`{"kind": "SecurityAlert", "properties": {...}}`, as `GetAllIncidentAlerts` returns it), a
//! bare properties object, and a row of the Log Analytics SecurityAlert table (`SystemAlertId`,
//! `AlertName`, `ProductName`, `ExtendedProperties`). Conditions read an alert through an
//! incident-shaped view ([`Alert::view`]): its product name as `AlertProductNames` and the
//! analytics rules that raised it as `AlertAnalyticRuleIds`. The REST alert has no field for
//! those rules, so they are read from `analyticRuleIds`, `additionalData["Analytic Rule Ids"]`
//! or the table's `ExtendedProperties["Analytic Rule Ids"]` (a JSON string), where present.

use serde_json::{json, Map, Value};

use super::incident::{Incident, IncidentError};

/// The product names of Sentinel's own alerts (the older name first).
pub const SENTINEL_PRODUCTS: [&str; 2] = ["Azure Sentinel", "Microsoft Sentinel"];

/// One alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    value: Value,
}

/// The alert's fields: `properties` of a REST entity, else the object itself (bare properties,
/// a table row).
pub fn fields(value: &Value) -> Option<&Map<String, Value>> {
    value.get("properties").and_then(Value::as_object).or_else(|| value.as_object())
}

/// The value of the first of `keys` present in `map`, keys compared ignoring ASCII case (the
/// REST shape spells them camelCase, the SecurityAlert table PascalCase).
pub fn get<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| map.iter().find(|(key, _)| key.eq_ignore_ascii_case(k)).map(|(_, v)| v))
}

fn text<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    get(map, keys).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// True for a SecurityAlert in any of the accepted shapes.
pub fn looks_like_alert(value: &Value) -> bool {
    if value.get("kind").and_then(Value::as_str).is_some_and(|k| k.eq_ignore_ascii_case("SecurityAlert")) {
        return true;
    }
    fields(value).is_some_and(|m| get(m, &["systemAlertId", "alertDisplayName"]).is_some())
}

/// The alerts of a document: the root, the elements of a top-level array or of a `value`
/// list, and in REST example files the same inside `responses.<code>.body`.
pub fn find_alerts(root: &Value) -> Vec<&Value> {
    fn visit(v: &Value) -> Vec<&Value> {
        if looks_like_alert(v) {
            return vec![v];
        }
        let items = v.as_array().or_else(|| v.get("value").and_then(Value::as_array));
        items.into_iter().flatten().filter(|i| looks_like_alert(i)).collect()
    }
    let mut out = visit(root);
    if let Some(responses) = root.get("responses").and_then(Value::as_object) {
        if let Some(body) = responses.values().find_map(|r| r.get("body")) {
            out.extend(visit(body));
        }
    }
    out
}

/// The SystemAlertIds of the alerts an incident holds: its `alerts` (REST entities or bare
/// properties, by `systemAlertId` or name, as the incident trigger carries them) and a
/// SecurityIncident row's `AlertIds` (a JSON string array).
pub fn incident_alert_ids(incident: &Value) -> Vec<String> {
    let Some(props) = fields(incident) else { return Vec::new() };
    let mut ids: Vec<String> = get(props, &["alerts"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let own = fields(a).and_then(|f| get(f, &["systemAlertId"]).and_then(Value::as_str));
            own.or_else(|| a.get("name").and_then(Value::as_str)).map(str::to_owned)
        })
        .collect();
    ids.extend(string_list(
        get(props, &["alertIds"]).or_else(|| incident.as_object().and_then(|m| get(m, &["AlertIds"]))),
    ));
    ids
}

fn string_list(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => s.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect(),
        },
        _ => Vec::new(),
    }
}

impl Alert {
    /// Wraps a parsed alert.
    pub fn from_value(value: Value) -> Result<Alert, IncidentError> {
        if !looks_like_alert(&value) {
            return Err(IncidentError {
                path: String::new(),
                message: "not an alert: expected kind SecurityAlert, systemAlertId or alertDisplayName".into(),
            });
        }
        Ok(Alert { value })
    }

    fn fields(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        fields(&self.value).unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// The alert's name: the resource name, else its system alert id.
    pub fn name(&self) -> Option<&str> {
        self.value.get("name").and_then(Value::as_str).or_else(|| text(self.fields(), &["systemAlertId"]))
    }

    /// The analytics rules that raised the alert (see the module doc).
    pub fn analytic_rule_ids(&self) -> Vec<String> {
        let f = self.fields();
        let mut ids = string_list(get(f, &["analyticRuleIds", "relatedAnalyticRuleIds"]));
        for holder in ["additionalData", "ExtendedProperties"] {
            let extra = match get(f, &[holder]) {
                Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
                other => other.cloned(),
            };
            if let Some(map) = extra.as_ref().and_then(Value::as_object) {
                ids.extend(string_list(get(map, &["Analytic Rule Ids", "AnalyticRuleIds"])));
            }
        }
        ids
    }

    /// The product that raised the alert (`productName` / the table's `ProductName`).
    pub fn product_name(&self) -> Option<&str> {
        text(self.fields(), &["productName"])
    }

    /// True for an alert raised by Microsoft Sentinel: its product is Azure Sentinel or
    /// Microsoft Sentinel or, when it names no product, it names the analytics rules that raised
    /// it (only Sentinel's analytics rules do). Microsoft Defender XDR alerts name their own
    /// product (Microsoft Defender Advanced Threat Protection, ...).
    pub fn is_sentinel(&self) -> bool {
        match self.product_name() {
            Some(product) => SENTINEL_PRODUCTS.iter().any(|p| p.eq_ignore_ascii_case(product.trim())),
            None => !self.analytic_rule_ids().is_empty(),
        }
    }

    /// The incident-shaped view conditions are evaluated against.
    pub fn view(&self) -> Result<Incident, IncidentError> {
        let f = self.fields();
        let title = text(f, &["alertDisplayName", "displayName", "alertName"]).unwrap_or("alert");
        let products: Vec<&str> = text(f, &["productName"]).into_iter().collect();
        let mut props = json!({
            "title": title,
            "severity": text(f, &["severity", "alertSeverity"]).unwrap_or("Informational"),
            "status": "New",
            "relatedAnalyticRuleIds": self.analytic_rule_ids(),
            "additionalData": { "alertProductNames": products, "tactics": string_list(get(f, &["tactics"])) },
        });
        // A SecurityAlert table row holds its entities as a JSON string in graph form (`Type`,
        // not `kind`); alert rules' conditions never read entities (SR037), so only entities in
        // the REST form are kept.
        let entities = match get(f, &["entities", "relatedEntities"]) {
            Some(Value::String(text)) => serde_json::from_str::<Value>(text).ok(),
            other => other.cloned(),
        };
        if let (Some(Value::Array(list)), Some(map)) = (entities, props.as_object_mut()) {
            let rest: Vec<Value> = list.into_iter().filter(|e| e.get("kind").is_some_and(Value::is_string)).collect();
            map.insert("relatedEntities".into(), Value::Array(rest));
        }
        Incident::from_value(json!({ "name": self.name(), "properties": props }))
    }

    /// The alert as read.
    pub fn as_value(&self) -> &Value {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rest_and_table_shapes() {
        let rest = json!({"name": "a1", "kind": "SecurityAlert", "properties": {"alertDisplayName": "x",
            "productName": "Azure Security Center", "additionalData": {"Analytic Rule Ids": "[\"r1\"]"}}});
        let alert = Alert::from_value(rest).unwrap_or_else(|e| unreachable!("{e}"));
        let view = alert.view().unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(
            view.string_array(&["additionalData", "alertProductNames"]).collect::<Vec<_>>(),
            ["Azure Security Center"]
        );
        assert_eq!(view.string_array(&["relatedAnalyticRuleIds"]).collect::<Vec<_>>(), ["r1"]);
        let row = json!({"SystemAlertId": "s1", "AlertName": "y", "ProductName": "Azure Sentinel",
            "ExtendedProperties": "{\"Analytic Rule Ids\":\"[\\\"r2\\\"]\"}"});
        let alert = Alert::from_value(row).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!((alert.name(), alert.analytic_rule_ids()), (Some("s1"), vec!["r2".to_owned()]));
        assert!(Alert::from_value(json!({"title": "an incident"})).is_err());
    }
}
