#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Robustness properties (issue 6), the bounded counterpart of the fuzz targets under `fuzz/`:
//! arbitrary text, arbitrary bytes and arbitrary JSON fed to the rule loader
//! (`rules::file::decode` + `rules::compile` + the diagnostic renderer) and to the incident
//! reader (`io::open_reader`, every record parsed, `model::Incident::from_value`, then the
//! engine) never panic, and every error says where: a line and column in the rule file, a line
//! (and array index) in the incident file, or the JSON path of the bad field.
//!
//! 64 cases per property and small inputs, so the whole file runs in seconds.

use std::io::Cursor;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;
use sentinel_soar::diagnostic::{render_human, Diagnostic, Sources};
use sentinel_soar::engine::{self, Clock, Event, Options as EngineOptions};
use sentinel_soar::io::{open_reader, Opened, Record, Shape};
use sentinel_soar::model::{Incident, Update, UpdatedBySource};
use sentinel_soar::rules::{self, RuleSet};
use serde_json::{json, Map, Value};

/// 64 cases, or `PROPTEST_CASES` for a longer hunt.
fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().with_timezone(&Utc)
}

fn example(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The rule loader

/// Decodes, compiles and renders `text` as the CLI does; returns the diagnostics.
fn load_rules(text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let file = rules::file::decode("p.yaml", text, &mut diags);
    let (_, more) = rules::compile(&[file], &rules::Options { now: Some(now()), sentinel: false });
    diags.extend(more);
    let mut sources = Sources::default();
    sources.insert("p.yaml", text);
    let rendered = render_human(&diags, &sources, false);
    // The snippet renderer counts lines at LF only, YAML also at a lone CR (old Mac line
    // ends), and YAML gives no column to a byte order mark before any document of a stream, the
    // renderer only to the one starting the file: in such texts the header's line and column
    // may differ from the span's (which JSON and SARIF use).
    let lone_cr = text.split("\r\n").any(|part| part.contains('\r'));
    let inner_bom = text.char_indices().any(|(i, c)| c == '\u{feff}' && i > 0);
    for d in diags.iter().filter(|d| d.is_error() && !lone_cr && !inner_bom) {
        assert!(rendered.contains(&d.location()), "{} missing from:\n{rendered}", d.location());
    }
    diags
}

/// Every error points at a line and column inside the text.
fn assert_rule_errors_located(text: &str, diags: &[Diagnostic]) {
    for d in diags.iter().filter(|d| d.is_error()) {
        let span = d.span.unwrap_or_else(|| panic!("error without a location: {d:?}\n--- text:\n{text}"));
        assert!(span.line >= 1 && span.column >= 1, "{d:?}");
        assert!(span.start <= span.end && span.end <= text.len(), "span out of the text: {d:?}");
    }
}

/// Pieces of YAML (and of rule files) from which random documents are assembled.
const YAML_TOKENS: &[&str] = &[
    "rules:",
    "\n",
    "\n  ",
    "\n    ",
    "- ",
    "name: ",
    "order: ",
    "10",
    "-3",
    "1e9",
    "trigger: { on: incidents, when: updated }",
    "conditions:",
    "all:",
    "any:",
    "not:",
    "{ property: IncidentTitle, operator: Matches, values: [",
    "{ property: IPAddress, operator: InCidr, values: [10.0.0.0/8",
    "{ changed: IncidentSeverity, from: [Low], to: [High] }",
    "actions:",
    "change_status: { status: Closed }",
    "add_tags: [",
    "]",
    "}",
    "[",
    "{",
    ", ",
    ": ",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!!binary ",
    "'",
    "\"",
    "\\",
    "#",
    "---\n",
    "...\n",
    "|",
    ">-",
    "?",
    "\t",
    "\u{feff}",
    "é",
    "(?i)x{1000}",
    "null",
    "~",
    "yes",
    "0x1F",
];

fn yaml_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(YAML_TOKENS), 0..60).prop_map(|t| t.concat())
}

/// A real rule file, cut at a random place and with a random slice removed or a token inserted.
fn mutated_rule_file() -> impl Strategy<Value = String> {
    let files = [
        "examples/rules/pentest-suppression.yaml",
        "examples/rules/assign-by-platform.yaml",
        "examples/rules/severity-reevaluation.yaml",
        "examples/rules/tag-by-tactic.yaml",
        "examples/rules/ticketing.yaml",
    ];
    (prop::sample::select(files.to_vec()), any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0..3usize)
        .prop_flat_map(|(file, a, b, op)| {
            (Just(example(file)), Just(a), Just(b), Just(op), prop::sample::select(YAML_TOKENS))
        })
        .prop_map(|(text, a, b, op, token)| {
            let chars: Vec<char> = text.chars().collect();
            let (i, j) = (a.index(chars.len() + 1), b.index(chars.len() + 1));
            let (lo, hi) = (i.min(j), i.max(j));
            match op {
                0 => chars[..hi].iter().collect(),
                1 => chars[..lo].iter().chain(&chars[hi..]).collect(),
                _ => chars[..lo].iter().collect::<String>() + token + &chars[lo..].iter().collect::<String>(),
            }
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn rule_loader_survives_arbitrary_text(text in "(?s).{0,300}") {
        let diags = load_rules(&text);
        assert_rule_errors_located(&text, &diags);
    }

    #[test]
    fn rule_loader_survives_yaml_soup(text in yaml_soup()) {
        let diags = load_rules(&text);
        assert_rule_errors_located(&text, &diags);
    }

    #[test]
    fn rule_loader_survives_truncated_and_mutated_rule_files(text in mutated_rule_file()) {
        let diags = load_rules(&text);
        assert_rule_errors_located(&text, &diags);
    }
}

// ---------------------------------------------------------------------------------------------
// The incident reader

fn open(bytes: &[u8]) -> Result<Opened, String> {
    open_reader(Box::new(Cursor::new(bytes.to_vec())), "in.jsonl").map_err(|e| e.message)
}

/// True when a structural message names a line and a column.
fn has_line_and_column(message: &str) -> bool {
    let line = message.find("line ").is_some_and(|i| message[i + 5..].starts_with(|c: char| c.is_ascii_digit()));
    let column = message.find("column ").is_some_and(|i| message[i + 7..].starts_with(|c: char| c.is_ascii_digit()));
    // Or `file:line:column: message`, the way input errors are located.
    let located = message.split(": ").next().is_some_and(|head| {
        let mut parts = head.rsplitn(3, ':');
        let numeric = |p: Option<&str>| p.is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        numeric(parts.next()) && numeric(parts.next())
    });
    (line && column) || located
}

fn rule_set() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| {
        let mut files = Vec::new();
        let mut diags = Vec::new();
        for name in ["assign-by-platform", "pentest-suppression", "severity-reevaluation", "tag-by-tactic", "ticketing"]
        {
            let path = format!("examples/rules/{name}.yaml");
            files.push(rules::file::decode(&path, &example(&path), &mut diags));
        }
        let (set, more) = rules::compile(&files, &rules::Options { now: Some(now()), sentinel: false });
        diags.extend(more);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        set
    })
}

/// Wraps a value as an incident and, when it is one, runs the example rules over it (created
/// and updated events). Err: the error text, which must name the bad field or the whole record.
fn run_incident(value: Value) -> Result<(), String> {
    match Incident::from_value(value) {
        Ok(incident) => {
            let clock = Clock::new(now());
            let update = Update::between(&incident, &incident, UpdatedBySource::Other);
            for event in [Event::Created, Event::Updated(Box::new(update))] {
                let out =
                    engine::process(rule_set(), incident.clone(), &event, clock, EngineOptions { explain: false });
                serde_json::to_vec(&out.incident.into_value()).unwrap();
            }
            Ok(())
        }
        Err(e) => {
            assert!(
                !e.path.is_empty()
                    || e.message.starts_with("expected an incident object")
                    || e.message.starts_with("not an incident"),
                "an incident error that names no field: {e}"
            );
            Err(e.to_string())
        }
    }
}

/// Reads every record (or document slot); checks positions and messages; returns the values
/// parsed and the number of records that failed.
fn read_everything(bytes: &[u8]) -> (Vec<Value>, usize) {
    let mut values = Vec::new();
    let mut bad = 0;
    match open(bytes) {
        Err(message) => assert!(has_line_and_column(&message), "no position in {message:?}"),
        Ok(Opened::Document(doc)) => {
            for slot in &doc.slots {
                values.push(doc.root.pointer(slot).unwrap_or_else(|| panic!("slot {slot} does not exist")).clone());
            }
        }
        Ok(Opened::Stream(mut stream)) => {
            let mut expected_index = 0;
            let mut last: Option<(usize, usize)> = None;
            loop {
                match stream.next_record() {
                    Ok(Some(record)) => {
                        check_record(&record, expected_index, last);
                        last = Some((record.line, record.column));
                        expected_index += 1;
                        match record.parse() {
                            Ok(v) => values.push(v),
                            Err(message) => {
                                bad += 1;
                                assert!(has_line_and_column(&message), "no position in {message:?}");
                            }
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        assert!(has_line_and_column(&e.message), "no position in {:?}", e.message);
                        break;
                    }
                }
            }
            assert!(matches!(stream.shape(), Shape::Lines | Shape::Array));
        }
    }
    (values, bad)
}

/// Records come with 1-based positions, in file order, numbered from 0.
fn check_record(record: &Record, index: usize, last: Option<(usize, usize)>) {
    assert_eq!(record.index, index);
    assert!(record.line >= 1 && record.column >= 1);
    if let Some(prev) = last {
        assert!((record.line, record.column) > prev, "records out of order: {prev:?} then {record:?}");
    }
}

const JSON_TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\"title\"",
    "\"properties\"",
    "\"severity\"",
    "\"High\"",
    "\"labels\"",
    "\"labelName\"",
    "\"relatedEntities\"",
    "\"kind\"",
    "\"Host\"",
    "\"hostName\"",
    "null",
    "true",
    "1",
    "-0.5e3",
    "\n",
    "\r\n",
    " ",
    "\u{feff}",
    "\u{0}",
    "é",
    "\"\\u00e9\"",
    "\"\\ud800\"",
    "tru",
    "1.",
];

fn json_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(JSON_TOKENS), 0..80).prop_map(|t| t.concat().into_bytes())
}

/// An incident file in one of the shapes, cut at a random byte and with a random byte changed.
fn mutated_incident_file() -> impl Strategy<Value = Vec<u8>> {
    let files = ["examples/batch/incidents.jsonl", "examples/incidents/4101-pentest-pt-07.json"];
    (prop::sample::select(files.to_vec()), any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>())
        .prop_map(|(file, cut, at, byte)| {
            let text = example(file);
            let mut bytes = if file.ends_with(".json") {
                // The single pretty incident, as an array of two: a streamed array.
                let v: Value = serde_json::from_str(&text).unwrap();
                serde_json::to_vec_pretty(&json!([v, v])).unwrap()
            } else {
                text.into_bytes()
            };
            bytes.truncate(cut.index(bytes.len() + 1));
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = byte;
            }
            bytes
        })
}

/// Arbitrary JSON objects (the records of a JSON Lines file: a first record that is an array
/// would make the file a top-level array).
fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[a-zA-Z]{0,8}", json_value()), 0..6)
        .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>()))
}

/// Arbitrary JSON values, nested a few levels (no floats: their text form is not always read
/// back to the same bits without serde_json's float_roundtrip feature).
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        "(?s).{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(("[a-zA-Z]{0,8}", inner), 0..6)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn reader_survives_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let (values, _) = read_everything(&bytes);
        for v in values {
            let _ = run_incident(v);
        }
    }

    #[test]
    fn reader_survives_json_soup(bytes in json_soup()) {
        let (values, _) = read_everything(&bytes);
        for v in values {
            let _ = run_incident(v);
        }
    }

    #[test]
    fn reader_survives_truncated_and_corrupted_incident_files(bytes in mutated_incident_file()) {
        let (values, _) = read_everything(&bytes);
        for v in values {
            let _ = run_incident(v);
        }
    }

    /// Valid JSON in every stream shape comes back value for value.
    #[test]
    fn arbitrary_json_values_are_read_back_in_every_shape(
        values in prop::collection::vec(json_object(), 2..6),
        pretty in any::<bool>(),
    ) {
        let lines: String = values.iter().map(|v| serde_json::to_string(v).unwrap() + "\n").collect();
        let array = if pretty { serde_json::to_vec_pretty(&values) } else { serde_json::to_vec(&values) }.unwrap();
        for bytes in [lines.into_bytes(), array] {
            let Ok(Opened::Stream(mut stream)) = open(&bytes) else { panic!("not a stream") };
            let mut got = Vec::new();
            while let Some(record) = stream.next_record().unwrap() {
                got.push(record.parse().unwrap());
            }
            prop_assert_eq!(&got, &values);
        }
        for v in values {
            let _ = run_incident(v);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Incident-like records with a wrong type in one field

/// A REST incident with every field the engine reads.
fn base_incident() -> Value {
    json!({
        "id": "/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/i1",
        "name": "i1",
        "type": "Microsoft.SecurityInsights/Incidents",
        "properties": {
            "title": "Scheduled pentest activity on PT-07",
            "description": "d",
            "severity": "Medium",
            "status": "New",
            "classification": null,
            "classificationReason": null,
            "classificationComment": null,
            "providerName": "Azure Sentinel",
            "incidentNumber": 4101,
            "owner": { "objectId": null, "email": null, "assignedTo": null, "userPrincipalName": null },
            "labels": [{ "labelName": "vip", "labelType": "User" }],
            "relatedAnalyticRuleIds": ["/subscriptions/s/alertRules/0b6d1f3e-2a94-4c57-8e1d-6f2a9c3b7e10"],
            "additionalData": {
                "alertsCount": 3,
                "alertProductNames": ["Microsoft Defender for Endpoint"],
                "tactics": ["CredentialAccess"]
            },
            "createdTimeUtc": "2026-05-04T09:14:05Z",
            "lastModifiedTimeUtc": "2026-05-04T09:14:05Z",
            "relatedEntities": [
                { "kind": "Host", "properties": { "hostName": "PT-07", "netBiosName": "PT-07" } },
                { "kind": "Ip", "properties": { "address": "10.99.4.17" } },
                { "kind": "Account", "properties": { "accountName": "judy", "upnSuffix": "contoso.com" } }
            ]
        },
        "entities": [{ "kind": "Url", "url": "https://example.com/x" }]
    })
}

/// The JSON type `from_value` requires of a field. Null means "not set" for the fields of the
/// incident, but an array element or an entity's kind must be there.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Want {
    /// A string or null.
    Str,
    /// An object or null.
    Obj,
    /// An array or null.
    Arr,
    /// A string (array elements, label names, entity kinds).
    StrOnly,
    /// An object (labels and entities).
    ObjOnly,
    /// Anything: the engine reads the field loosely, or not at all.
    Any,
}

/// Every field of [`base_incident`], as a JSON pointer, with the type `from_value` requires.
const FIELDS: &[(&str, Want)] = &[
    ("/properties/title", Want::Str),
    ("/properties/description", Want::Str),
    ("/properties/severity", Want::Str),
    ("/properties/status", Want::Str),
    ("/properties/classification", Want::Str),
    ("/properties/classificationReason", Want::Str),
    ("/properties/classificationComment", Want::Str),
    ("/properties/providerName", Want::Str),
    ("/properties/incidentNumber", Want::Any),
    ("/properties/owner", Want::Obj),
    ("/properties/owner/userPrincipalName", Want::Any),
    ("/properties/owner/objectId", Want::Any),
    ("/properties/labels", Want::Arr),
    ("/properties/labels/0", Want::ObjOnly),
    ("/properties/labels/0/labelName", Want::StrOnly),
    ("/properties/relatedAnalyticRuleIds", Want::Arr),
    ("/properties/relatedAnalyticRuleIds/0", Want::StrOnly),
    ("/properties/additionalData", Want::Obj),
    ("/properties/additionalData/alertsCount", Want::Any),
    ("/properties/additionalData/alertProductNames", Want::Arr),
    ("/properties/additionalData/alertProductNames/0", Want::StrOnly),
    ("/properties/additionalData/tactics", Want::Arr),
    ("/properties/additionalData/tactics/0", Want::StrOnly),
    ("/properties/createdTimeUtc", Want::Any),
    ("/properties/lastModifiedTimeUtc", Want::Any),
    ("/properties/relatedEntities", Want::Arr),
    ("/properties/relatedEntities/0", Want::ObjOnly),
    ("/properties/relatedEntities/0/kind", Want::StrOnly),
    ("/properties/relatedEntities/0/properties", Want::Any),
    ("/properties/relatedEntities/0/properties/hostName", Want::Any),
    ("/properties/relatedEntities/1/properties/address", Want::Any),
    ("/properties/relatedEntities/2/properties/upnSuffix", Want::Any),
    ("/entities", Want::Arr),
    ("/entities/0", Want::ObjOnly),
    ("/entities/0/kind", Want::StrOnly),
    ("/entities/0/url", Want::Any),
    ("/name", Want::Any),
    ("/id", Want::Any),
];

/// True when `v` has the wanted type (null is always accepted: "not set").
fn fits(v: &Value, want: Want) -> bool {
    match want {
        Want::Any => true,
        Want::Str => v.is_string() || v.is_null(),
        Want::Obj => v.is_object() || v.is_null(),
        Want::Arr => v.is_array() || v.is_null(),
        Want::StrOnly => v.is_string(),
        Want::ObjOnly => v.is_object(),
    }
}

/// `/properties/labels/0/labelName` -> `properties.labels[0].labelName` (the error's path).
fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.trim_start_matches('/').split('/') {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}

proptest! {
    #![proptest_config(config())]

    /// A wrong type in any field the engine reads is an error naming that field (or, for a
    /// container, a field inside it); any other value is processed. Also as a bare properties
    /// object, and inside a JSON Lines stream, where the record's line is the location.
    #[test]
    fn wrong_types_in_every_field_are_named(
        field in prop::sample::select(FIELDS.to_vec()),
        replacement in json_value(),
        bare in any::<bool>(),
    ) {
        let (pointer, want) = field;
        let mut incident = base_incident();
        *incident.pointer_mut(pointer).unwrap() = replacement.clone();
        let (incident, pointer) = match (bare, pointer.strip_prefix("/properties")) {
            (true, Some(rest)) => (incident["properties"].clone(), rest.to_owned()),
            _ => (incident, pointer.to_owned()),
        };
        let result = run_incident(incident.clone());
        if fits(&replacement, want) {
            // Containers of the right type can still hold wrong elements.
            if let Err(e) = &result {
                prop_assert!(
                    matches!(replacement, Value::Array(_) | Value::Object(_)) && e.starts_with(&dotted(&pointer)),
                    "{pointer} = {replacement} was refused: {e}"
                );
            }
        } else {
            let e = result.expect_err("a wrong type was accepted");
            // The field itself, or for an entity its `kind` inside it.
            prop_assert!(e.starts_with(&dotted(&pointer)) && e.contains(": expected "), "{pointer}: {e}");
        }
        // In a stream the record itself says where it is.
        let line = serde_json::to_string(&incident).unwrap();
        let bytes = format!("{}\n\n{line}\n", serde_json::to_string(&base_incident()).unwrap());
        let Ok(Opened::Stream(mut stream)) = open(bytes.as_bytes()) else { panic!("not a stream") };
        let records: Vec<Record> = std::iter::from_fn(|| stream.next_record().unwrap()).collect();
        prop_assert_eq!(records.iter().map(|r| (r.index, r.line)).collect::<Vec<_>>(), vec![(0, 1), (1, 3)]);
        prop_assert_eq!(records[1].parse().unwrap(), incident);
    }
}

#[test]
fn nesting_past_the_reader_limit_is_a_record_error_with_a_position() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let bytes = format!("{{\"title\":\"a\",\"severity\":\"Low\"}}\n{{\"x\":{deep}}}\n");
    let (values, bad) = read_everything(bytes.as_bytes());
    assert_eq!((values.len(), bad), (1, 1));
}
