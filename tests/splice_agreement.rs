//! The splice path agrees with the tree path (issue 15): on generated incidents and rule sets,
//! a record read in place (`io::tape` + `model::RawIncident` + `engine::process_target`, written
//! back by splicing) and the same record parsed into a tree (`Incident::from_value` +
//! `engine::process`, written by serde_json) give
//! - the same acceptance: the in-place reader takes exactly the records the tree reader takes;
//! - the same final fields, field by field (`engine::FinalFields`), and the same rules fired
//!   (also the same as when every leaf is evaluated afresh, as `explain` does: the results the
//!   engine keeps between rules are never stale);
//! - the same audit records, byte for byte;
//! - the same output record: byte for byte when the input was written by serde_json (compact,
//!   or pretty as an element of a pretty array), and the same JSON (keys in the same order)
//!   when it was written another way (spaces, `\u` and `\/` escapes, other number spellings),
//!   whose unchanged bytes the splice path keeps.
//!
//! Incidents and rules come from a seeded generator (the seed is what proptest varies and
//! shrinks; a failure names it). 64 cases, or `PROPTEST_CASES`.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;
use sentinel_soar::engine::{self, Clock, Event, FinalFields, Options, Outcome};
use sentinel_soar::io::tape::Tape;
use sentinel_soar::model::{Incident, IncidentRead, RawIncident, Update, UpdatedBySource};
use sentinel_soar::rules::{self, RuleSet};
use serde_json::{json, Map, Value};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().with_timezone(&Utc)
}

/// A small deterministic generator (xorshift64*).
struct Gen(u64);

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Strings the conditions look for, mixed with text that needs escapes in JSON.
const WORDS: &[&str] = &[
    "pentest",
    "Ransomware",
    "scan",
    "token",
    "MFA",
    "dc01",
    "PT-07",
    "vm-dev-3",
    "10.1.2.3",
    "192.168.0.9",
    "2001:db8::1",
    "admin-tier0",
    "svc-backup",
    "bob",
    "évènement",
    "Ünïcode",
    "\u{212A}elvin",
    "quote\"d",
    "back\\slash",
    "tab\there",
    "new\nline",
    "slash/ed",
    "CredentialAccess",
    "Execution",
    "Office 365",
    "Azure Security Center",
    "known-benign",
    "vip",
    "VIP",
    "-enc",
    "certutil -urlcache",
    "evil.example",
    "x.exe",
];

fn words(g: &mut Gen, max: usize) -> String {
    let n = 1 + g.below(max);
    (0..n).map(|_| *g.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

/// A value that is absent (None), null, or made by `f`.
fn maybe(g: &mut Gen, f: impl FnOnce(&mut Gen) -> Value) -> Option<Value> {
    match g.below(10) {
        0 => None,
        1 => Some(Value::Null),
        _ => Some(f(g)),
    }
}

fn string_list(g: &mut Gen, pool: &[&str]) -> Value {
    Value::Array((0..g.below(4)).map(|_| json!(g.pick(pool))).collect())
}

fn entity(g: &mut Gen) -> Value {
    let kinds = ["Host", "Ip", "Account", "Process", "File", "Url", "host", "MailMessage"];
    let fields = ["hostName", "address", "accountName", "upnSuffix", "commandLine", "fileName", "url", "senderIP"];
    let mut props = Map::new();
    for _ in 0..g.below(4) {
        let value = match g.below(8) {
            0 => json!(g.below(100_000)),
            1 => json!(true),
            2 => json!(1.5),
            3 => Value::Null,
            _ => json!(words(g, 2)),
        };
        props.insert(g.pick(&fields).to_string(), value);
    }
    let kind = g.pick(&kinds).to_string();
    if g.chance(70) {
        json!({"id": format!("e{}", g.below(1000)), "kind": kind, "properties": props})
    } else {
        let mut flat = props;
        flat.insert("kind".into(), json!(kind));
        Value::Object(flat)
    }
}

/// An incident in the REST shape or as bare properties, with every field the engine reads
/// present, absent or null, and unknown fields around them.
fn incident(g: &mut Gen) -> Value {
    let mut p = Map::new();
    let put = |p: &mut Map<String, Value>, key: &str, value: Option<Value>| {
        if let Some(v) = value {
            p.insert(key.to_owned(), v);
        }
    };
    put(&mut p, "title", Some(json!(words(g, 3))));
    put(&mut p, "unknownFirst", g.chance(30).then(|| json!({"n": [1, 2.25, -3, 1e3], "deep": {"x": null}})));
    put(&mut p, "description", maybe(g, |g| json!(words(g, 6))));
    put(&mut p, "severity", maybe(g, |g| json!(g.pick(&["High", "Medium", "Low", "Informational", "high"]))));
    put(&mut p, "status", maybe(g, |g| json!(g.pick(&["New", "Active", "Closed"]))));
    put(&mut p, "classification", maybe(g, |g| json!(g.pick(&["Undetermined", "TruePositive"]))));
    put(&mut p, "providerName", maybe(g, |g| json!(g.pick(&["Azure Sentinel", "Microsoft 365 Defender"]))));
    put(
        &mut p,
        "owner",
        maybe(g, |g| {
            let mut o = Map::new();
            for key in ["objectId", "email", "assignedTo", "userPrincipalName"] {
                if g.chance(70) {
                    o.insert(
                        key.into(),
                        if g.chance(40) { json!(*g.pick(&["a@b.c", "x@contoso.com", ""])) } else { Value::Null },
                    );
                }
            }
            if g.chance(50) {
                o.insert("ownerType".into(), json!("Unknown"));
            }
            if g.chance(20) {
                o.insert("extra".into(), json!([1.0, {"z": true}]));
            }
            Value::Object(o)
        }),
    );
    put(
        &mut p,
        "labels",
        maybe(g, |g| {
            let names = ["vip", "known-benign", "pentest", "VIP", "évènement", "tag\"q"];
            Value::Array((0..g.below(4)).map(|_| json!({"labelName": g.pick(&names), "labelType": "System"})).collect())
        }),
    );
    put(
        &mut p,
        "tasks",
        match g.below(5) {
            0 => None,
            1 => Some(Value::Null),
            2 => Some(json!({"not": "an array"})),
            _ => Some(json!([{"title": words(g, 2), "status": "New"}])),
        },
    );
    put(&mut p, "incidentNumber", g.chance(80).then(|| json!(g.below(100_000))));
    put(&mut p, "lastModifiedTimeUtc", g.chance(70).then(|| json!("2026-05-03T19:30:39Z")));
    put(&mut p, "relatedAnalyticRuleIds", maybe(g, |g| string_list(g, &["/x/alertRules/r1", "r2", "R1"])));
    put(
        &mut p,
        "additionalData",
        maybe(g, |g| {
            let mut d = Map::new();
            d.insert("alertsCount".into(), json!(g.below(10)));
            if let Some(t) = maybe(g, |g| string_list(g, &["CredentialAccess", "Execution", "Impact"])) {
                d.insert("tactics".into(), t);
            }
            if let Some(t) = maybe(g, |g| string_list(g, &["Office 365", "Azure Security Center"])) {
                d.insert("alertProductNames".into(), t);
            }
            d.insert("commentsCount".into(), json!(g.below(3)));
            Value::Object(d)
        }),
    );
    put(&mut p, "relatedEntities", maybe(g, |g| Value::Array((0..g.below(5)).map(|_| entity(g)).collect())));
    put(
        &mut p,
        "customDetails",
        g.chance(30).then(|| json!({"Env": [words(g, 1), "prod"], "Owner": words(g, 1), "N": 3})),
    );
    put(&mut p, "unknownLast", g.chance(50).then(|| json!("\u{1F600} astral")));
    if g.chance(25) {
        if g.chance(30) {
            p.insert("entities".into(), Value::Array(vec![entity(g)]));
        }
        return Value::Object(p);
    }
    let mut root = Map::new();
    root.insert("id".into(), json!(format!("/x/Incidents/{}", g.below(50))));
    if g.chance(80) {
        root.insert("name".into(), json!(format!("n-{}", g.below(50))));
    }
    root.insert("type".into(), json!("Microsoft.SecurityInsights/Incidents"));
    root.insert("properties".into(), Value::Object(p));
    if g.chance(20) {
        root.insert("entities".into(), Value::Array(vec![entity(g)]));
    }
    Value::Object(root)
}

/// Sometimes an incident the reader must refuse (or, for a few, accept after all): a field of
/// the wrong type, a label without a name, a non-incident type, not an object.
fn corrupted(g: &mut Gen, mut value: Value) -> Value {
    if !g.chance(15) {
        return value;
    }
    let props = if value.get("properties").is_some() { value.get_mut("properties") } else { Some(&mut value) };
    let Some(Value::Object(p)) = props else { return value };
    match g.below(9) {
        0 => drop(p.insert("title".into(), json!(5))),
        1 => drop(p.insert("labels".into(), json!([{"labelType": "User"}]))),
        2 => drop(p.insert("owner".into(), json!("someone"))),
        3 => drop(p.insert("additionalData".into(), json!({"tactics": ["Impact", 3]}))),
        4 => drop(p.insert("relatedEntities".into(), json!([{"properties": {}}]))),
        5 => drop(p.insert("customDetails".into(), json!([1, 2]))),
        6 => {
            p.remove("title");
            p.remove("severity");
            p.remove("status");
            p.remove("incidentNumber");
        }
        7 => return json!([value]),
        _ => {
            if let Some(root) = value.as_object_mut() {
                root.insert("type".into(), json!("Microsoft.SecurityInsights/Incidents/Tasks"));
            }
        }
    }
    value
}

/// Condition leaves: properties with operators Sentinel allows for them, and values.
fn leaf(g: &mut Gen) -> String {
    const SEVERITIES: &[&str] = &["High", "Medium", "Low", "Informational"];
    const STATUSES: &[&str] = &["New", "Active", "Closed"];
    let (property, ops, pool): (&str, &[&str], &[&str]) = *g.pick(&[
        ("IncidentTitle", &["Contains", "NotContains", "StartsWith", "EndsWith", "Equals"][..], WORDS),
        ("IncidentDescription", &["Contains", "NotContains"], WORDS),
        ("IncidentSeverity", &["Equals", "NotEquals"], SEVERITIES),
        ("IncidentStatus", &["Equals", "NotEquals"], STATUSES),
        ("IncidentProviderName", &["Equals", "NotEquals"], &["Azure Sentinel", "microsoft 365 defender"]),
        ("IncidentLabel", &["Contains", "NotContains", "Equals"], WORDS),
        ("IncidentTactics", &["Contains", "NotContains"], WORDS),
        ("AlertProductNames", &["Contains", "NotContains"], WORDS),
        ("IncidentRelatedAnalyticRuleIds", &["Contains", "NotContains"], &["r1", "alertRules/R1", "r2"]),
        ("HostName", &["StartsWith", "Equals", "NotEquals"], WORDS),
        ("IPAddress", &["StartsWith", "Equals"], WORDS),
        ("AccountName", &["Equals", "Contains"], WORDS),
        ("ProcessCommandLine", &["Contains"], &["-enc", "1", "true", "1.5"]),
        ("FileName", &["EndsWith"], WORDS),
        ("IncidentCustomDetailsKey", &["Equals"], &["env", "Owner", "N"]),
        ("IncidentCustomDetailsValue", &["Contains"], WORDS),
    ]);
    let values: Vec<String> = (0..1 + g.below(2)).map(|_| serde_json::to_string(g.pick(pool)).unwrap()).collect();
    let values = values.join(", ");
    format!("{{ property: {property}, operator: {}, values: [{values}] }}", g.pick(ops))
}

/// A leaf, often one an earlier rule of the set has too: identical leaves share one result
/// while the incident does not change in a way that matters to them.
fn shared_leaf(g: &mut Gen, earlier: &mut Vec<String>) -> String {
    if !earlier.is_empty() && g.chance(40) {
        return g.pick(earlier).clone();
    }
    let leaf = leaf(g);
    earlier.push(leaf.clone());
    leaf
}

fn condition(g: &mut Gen, updated: bool, earlier: &mut Vec<String>) -> String {
    let mut items: Vec<String> = (0..1 + g.below(3)).map(|_| shared_leaf(g, earlier)).collect();
    if updated && g.chance(50) {
        items.push(
            g.pick(&["{ changed: IncidentSeverity }", "{ added: Labels }", "{ changed: IncidentOwner }"]).to_string(),
        );
    }
    if g.chance(20) {
        let inner = items.pop().unwrap_or_default();
        items.push(format!("{{ not: {inner} }}"));
    }
    let group = if g.chance(60) { "all" } else { "any" };
    format!("{{ {group}: [{}] }}", items.join(", "))
}

fn action(g: &mut Gen) -> String {
    match g.below(7) {
        0 => format!("change_severity: {}", g.pick(&["High", "Medium", "Low", "Informational"])),
        1 => "change_status: { status: Closed, classification: BenignPositive, reason: SuspiciousButExpected, comment: \"auto \\\"closed\\\"\" }".into(),
        2 => "change_status: { status: Active }".into(),
        3 => format!("assign_owner: {{ upn: {} }}", g.pick(&["a@b.c", "x@contoso.com", "tier2@contoso.com"])),
        4 => format!("add_task: {{ title: {}, description: d }}", serde_json::to_string(&words(g, 2)).unwrap()),
        5 => "run_playbook: Notify-Team".into(),
        _ => format!("add_tags: [{}]", serde_json::to_string(g.pick(&["vip", "VIP", "évènement", "new\"tag", "x"])).unwrap()),
    }
}

fn rule_set(g: &mut Gen) -> RuleSet {
    let mut text = String::from("rules:\n");
    let mut earlier = Vec::new();
    for i in 0..1 + g.below(8) {
        let updated = g.chance(30);
        text.push_str(&format!("  - name: r{i}\n    order: {}\n", 1 + g.below(4)));
        if updated {
            text.push_str("    trigger: { on: incidents, when: updated }\n");
        }
        if g.chance(90) {
            text.push_str(&format!("    conditions: {}\n", condition(g, updated, &mut earlier)));
        }
        text.push_str("    actions:\n");
        for _ in 0..1 + g.below(3) {
            text.push_str(&format!("      - {}\n", action(g)));
        }
    }
    let mut diags = Vec::new();
    let file = rules::file::decode("p.yaml", &text, &mut diags);
    let (set, more) = rules::compile(&[file], &rules::Options { now: Some(now()), sentinel: false });
    diags.extend(more);
    assert!(!diags.iter().any(|d| d.is_error()), "{text}\n{diags:?}");
    set
}

/// The record as another JSON writer might have written it: spaces after `:` and `,`, every
/// non-ASCII character of the BMP and every `/` escaped, numbers with a trailing `.0` or an
/// exponent where that keeps their value.
fn respelled(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                respelled(&Value::String(k.clone()), out);
                out.push_str(": ");
                respelled(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(" , ");
                }
                respelled(v, out);
            }
            out.push(']');
        }
        Value::String(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '/' => out.push_str("\\/"),
                    c if (c as u32) < 0x20 || (c as u32 > 0x7E && (c as u32) < 0x10000) => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
        }
        Value::Number(n) if n.is_u64() && n.as_u64() == Some(1000) => out.push_str("1E3"),
        other => out.push_str(&other.to_string()),
    }
}

/// The ways a record is written in the generated inputs, and whether the splice path must give
/// serde_json's bytes exactly.
#[derive(Debug, Clone, Copy)]
enum Spelling {
    Compact,
    /// As an element of a pretty array (the first line unindented, the rest by two spaces).
    Pretty,
    Respelled,
}

fn text_of(value: &Value, spelling: Spelling) -> String {
    match spelling {
        Spelling::Compact => serde_json::to_string(value).unwrap(),
        Spelling::Pretty => serde_json::to_string_pretty(value).unwrap().replace('\n', "\n  "),
        Spelling::Respelled => {
            let mut out = String::new();
            respelled(value, &mut out);
            out
        }
    }
}

/// The audit records of an outcome, as `apply --audit` writes them.
fn audit<I>(outcome: &Outcome<I>) -> String {
    let mut out = Vec::new();
    for change in &outcome.changes {
        change.write_json(&mut out).unwrap();
        out.push(b'\n');
    }
    String::from_utf8(out).unwrap()
}

/// The event `apply --trigger updated` builds for an incident without a previous version, or a
/// creation.
fn event(trigger_updated: bool, incident: &dyn IncidentRead) -> Event {
    if trigger_updated {
        Event::Updated(Box::new(Update::between(incident, incident, UpdatedBySource::Other)))
    } else {
        Event::Created
    }
}

fn check(seed: u64) {
    let mut g = Gen::new(seed);
    let rules = rule_set(&mut g);
    let clock = Clock::new(now());
    let updated = g.chance(20);
    for _ in 0..4 {
        let value = incident(&mut g);
        let value = corrupted(&mut g, value);
        let spelling = *g.pick(&[Spelling::Compact, Spelling::Pretty, Spelling::Respelled]);
        let text = text_of(&value, spelling);
        let tree = Incident::from_value(serde_json::from_str(&text).unwrap());
        let tape = Tape::read(&text).unwrap_or_else(|| panic!("seed {seed}: the tape refuses {text}"));
        let raw = RawIncident::read(tape.root());
        assert_eq!(tree.is_ok(), raw.is_some(), "seed {seed}: the readers disagree on {text}");
        let (Ok(tree), Some(raw)) = (tree, raw) else { continue };
        let tree_event = event(updated, &tree);
        let raw_event = event(updated, &raw);
        // Explaining evaluates every leaf afresh (no shared results): the same rules must fire.
        let explained = engine::process(&rules, tree.clone(), &tree_event, clock, Options { explain: true });
        let a = engine::process(&rules, tree, &tree_event, clock, Options::default());
        let b = engine::process_target(&rules, raw, &raw_event, clock);
        let context = || format!("seed {seed}, {spelling:?}:\n{text}");
        assert_eq!(a.fired, explained.fired, "{}", context());
        assert_eq!(FinalFields::of(&a).diff(&FinalFields::of(&b)), vec![], "{}", context());
        assert_eq!(a.fired, b.fired, "{}", context());
        assert_eq!(audit(&a), audit(&b), "{}", context());
        let mut spliced = Vec::new();
        b.incident.write(&mut spliced);
        let spliced = String::from_utf8(spliced).unwrap();
        let want = a.incident.into_value();
        match spelling {
            Spelling::Respelled => {
                let got: Value = serde_json::from_str(&spliced).unwrap();
                assert_eq!(
                    serde_json::to_string(&got).unwrap(),
                    serde_json::to_string(&want).unwrap(),
                    "{}",
                    context()
                );
            }
            _ => assert_eq!(spliced, text_of(&want, spelling), "{}", context()),
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_splice_path_gives_the_tree_paths_results(seed in any::<u64>()) {
        check(seed);
    }
}

/// A fixed range of seeds, run every time.
#[test]
fn three_hundred_seeds_agree() {
    (0..300).for_each(check);
}
