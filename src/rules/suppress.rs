//! Suppression rules from an incident: Sentinel's "create automation rule from this incident"
//! for noise. A [`Suppression`] is built from an incident (scope = its analytics rules,
//! conditions = its title and, optionally, its entities) and written as rule YAML that closes
//! matching incidents as BenignPositive / SuspiciousButExpected, tags them `suppressed` and
//! expires at a given time. Pure: incident in, YAML text out.

use chrono::{DateTime, Utc};

use crate::model::{time, Incident};

use super::compile::limits;
use super::property::{self, Source};

/// The tag a suppression rule adds.
pub const TAG: &str = "suppressed";

/// Entity properties `--entities` prefills, each an `Equals` leaf over the incident's values.
pub const ENTITY_PROPERTIES: &[&str] = &[
    "HostName",
    "IPAddress",
    "AccountName",
    "MailboxPrimaryAddress",
    "Url",
    "FileHashValue",
    "DNSDomainName",
    "AzureResourceResourceId",
];

/// What the caller chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Default: `Suppress: <title>`, cut to Sentinel's 500-character limit.
    pub name: Option<String>,
    pub until: DateTime<Utc>,
    pub order: u32,
    /// Also match the incident's entities.
    pub entities: bool,
}

/// A suppression rule, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub name: String,
    pub order: u32,
    pub until: DateTime<Utc>,
    /// The incident's `relatedAnalyticRuleIds`, as written there.
    pub analytics_rules: Vec<String>,
    /// `(property, values)`: each an `Equals` leaf; all must hold.
    pub conditions: Vec<(&'static str, Vec<String>)>,
    /// `incident 4102` (or its name), for the description and comment.
    pub source: String,
}

/// The values of an entity property in the incident, de-duplicated case-insensitively, in the
/// order the entities appear.
fn entity_values(incident: &Incident, name: &str) -> Vec<String> {
    let Some(Source::Entity { kind, field }) = property::lookup(name).map(|p| p.source) else { return Vec::new() };
    let mut values: Vec<String> = Vec::new();
    for entity in incident.entities().filter(|e| e.kind.eq_ignore_ascii_case(kind)) {
        let Some(value) = entity.properties.get(field).and_then(|v| v.as_str()).map(str::trim) else { continue };
        if !value.is_empty() && !values.iter().any(|v| v.eq_ignore_ascii_case(value)) {
            values.push(value.to_owned());
        }
    }
    values
}

impl Suppression {
    /// Builds the rule for `incident`; an error when the incident has no title or the name
    /// given is empty or too long.
    pub fn from_incident(incident: &Incident, options: &Options) -> Result<Suppression, String> {
        let title = incident.title().map(str::trim).filter(|t| !t.is_empty());
        let Some(title) = title else { return Err("the incident has no title to match".to_owned()) };
        let name = match &options.name {
            Some(n) => {
                let chars = n.trim().chars().count();
                if chars == 0 || chars > limits::MAX_NAME_CHARS {
                    return Err(format!(
                        "a rule name has 1 to {} characters, --name has {chars}",
                        limits::MAX_NAME_CHARS
                    ));
                }
                n.trim().to_owned()
            }
            None => format!("Suppress: {title}")
                .chars()
                .take(limits::MAX_NAME_CHARS)
                .collect::<String>()
                .trim_end()
                .to_owned(),
        };
        let mut conditions = vec![("IncidentTitle", vec![title.to_owned()])];
        if options.entities {
            for prop in ENTITY_PROPERTIES {
                let values = entity_values(incident, prop);
                if !values.is_empty() {
                    conditions.push((prop, values));
                }
            }
        }
        let source = match (incident.number(), incident.name()) {
            (Some(n), _) => format!("incident {n}"),
            (None, Some(name)) => format!("incident {name}"),
            (None, None) => "an incident".to_owned(),
        };
        Ok(Suppression {
            name,
            order: options.order,
            until: options.until,
            analytics_rules: incident.string_array(&["relatedAnalyticRuleIds"]).map(str::to_owned).collect(),
            conditions,
            source,
        })
    }

    /// The rule as a YAML rule file. Every text that came from the incident is double-quoted.
    pub fn to_yaml(&self) -> String {
        let until = time::stamp(self.until);
        let mut y = String::new();
        y.push_str(&format!("# Suppression rule created by `sentinel-soar suppress` from {}.\n", self.source));
        y.push_str("# Review the conditions before deploying it.\n");
        y.push_str("rules:\n");
        y.push_str(&format!("  - name: {}\n", quote(&self.name)));
        let description = format!(
            "Closes incidents that match {} (same title{}{}) as benign positive until {until}.",
            self.source,
            if self.conditions.len() > 1 { " and entities" } else { "" },
            match self.analytics_rules.len() {
                0 => "",
                1 => ", same analytics rule",
                _ => ", same analytics rules",
            },
        );
        y.push_str(&format!("    description: {}\n", quote(&description)));
        y.push_str(&format!("    order: {}\n", self.order));
        y.push_str(&format!("    expires: {until}\n"));
        y.push_str("    trigger: { on: incidents, when: created }\n");
        if !self.analytics_rules.is_empty() {
            y.push_str("    analytics_rules:\n");
            for id in &self.analytics_rules {
                y.push_str(&format!("      - {}\n", quote(id)));
            }
        }
        y.push_str("    conditions:\n      all:\n");
        for (property, values) in &self.conditions {
            let values: Vec<String> = values.iter().map(|v| quote(v)).collect();
            y.push_str(&format!(
                "        - {{ property: {property}, operator: Equals, values: [{}] }}\n",
                values.join(", ")
            ));
        }
        y.push_str("    actions:\n");
        y.push_str("      - change_status:\n");
        y.push_str("          status: Closed\n");
        y.push_str("          classification: BenignPositive\n");
        y.push_str("          reason: SuspiciousButExpected\n");
        let comment = format!("Suppressed until {until} by a rule created from {}", self.source);
        y.push_str(&format!("          comment: {}\n", quote(&comment)));
        y.push_str(&format!("      - add_tags: [{TAG}]\n"));
        y
    }
}

/// A YAML double-quoted scalar: safe for any text (`:`, `#`, quotes, leading `-`, line breaks).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
