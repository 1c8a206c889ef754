#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Nothing lost in any shape (issue 13): the table "input shapes x guarantees" of docs/batch.md
//! ("Bad input, and nothing lost"), one test per cell. Every shape holds one incident with a
//! wrong type (`labels[0].labelName: 42`, title `B`) among good ones (titles `A`, `C`), and a
//! second input (`other.jsonl`, title `O`) runs beside it. Each cell is a test named
//! `shapes_guarantees::<shape>::<guarantee>`, and its failures name the cell.

use crate::common;

use std::path::Path;

use common::{root, run, soar, NOW};
use serde_json::Value;

/// One input shape: its file, its text, the bad record's exact bytes and where its error points.
struct Case {
    file: &'static str,
    text: String,
    bad: &'static str,
    /// The error's place: line, column, and the record's index or pointer as the error words it.
    line: usize,
    column: usize,
    within: &'static str,
    /// The bad field's path in the message.
    field: &'static str,
    /// Titles of the incidents in the output after the bad one is left out (`None`: the file is
    /// not written).
    out_titles: Option<&'static [&'static str]>,
}

const A: &str = r#"{"name": "a", "properties": {"title": "A", "severity": "Low", "status": "New"}}"#;
const C: &str = r#"{"name": "c", "properties": {"title": "C", "severity": "High", "status": "New"}}"#;
const BAD: &str = r#"{"name": "b", "properties": {"title": "B", "severity": "Low", "labels": [{"labelName": 42}]}}"#;
/// The bad incident over several lines, as it stands inside a pretty-printed document.
const BAD_PRETTY: &str =
    "{\n      \"name\": \"b\",\n      \"properties\": {\"title\": \"B\", \"labels\": [{\"labelName\": 42}]}\n    }";
const BAD_REST: &str = "{\n  \"id\": \"/subscriptions/0/providers/Microsoft.SecurityInsights/Incidents/b\",\n  \"name\": \"b\",\n  \"etag\": \"\\\"0300bf09\\\"\",\n  \"type\": \"Microsoft.SecurityInsights/Incidents\",\n  \"properties\": {\n    \"title\": \"B\",\n    \"severity\": \"Low\",\n    \"labels\": [{\"labelName\": 42}]\n  }\n}";
const BAD_BARE: &str = r#"{"title": "B", "severity": "Low", "status": "New", "labels": [{"labelName": 42}]}"#;

fn case(shape: &str) -> Case {
    match shape {
        "json_lines" => Case {
            file: "lines.jsonl",
            text: format!("{A}\n{BAD}\n{C}\n"),
            bad: BAD,
            line: 2,
            column: 1,
            within: "",
            field: "properties.labels[0].labelName",
            out_titles: Some(&["A", "C"]),
        },
        "top_level_array" => Case {
            file: "array.json",
            text: format!("[\n  {A},\n  {BAD},\n  {C}\n]\n"),
            bad: BAD,
            line: 3,
            column: 3,
            within: "array index 1: ",
            field: "properties.labels[0].labelName",
            out_titles: Some(&["A", "C"]),
        },
        "rest_list" => Case {
            file: "list.json",
            text: format!("{{\n  \"value\": [\n    {A},\n    {BAD_PRETTY},\n    {C}\n  ]\n}}\n"),
            bad: BAD_PRETTY,
            line: 4,
            column: 5,
            within: "incident at /value/1: ",
            field: "properties.labels[0].labelName",
            out_titles: Some(&["A", "C"]),
        },
        "rest_example" => Case {
            file: "Incidents_CreateOrUpdate.json",
            text: format!(
                "{{\n  \"parameters\": {{\"api-version\": \"2025-09-01\"}},\n  \"responses\": {{\n    \"200\": {{\"body\": {BAD}}},\n    \"201\": {{\"body\": {A}}}\n  }}\n}}\n"
            ),
            bad: BAD,
            line: 4,
            column: 21,
            within: "incident at /responses/200/body: ",
            field: "properties.labels[0].labelName",
            out_titles: Some(&["A"]),
        },
        "single_object" => Case {
            file: "one.json",
            text: format!("\n  {BAD}\n"),
            bad: BAD,
            line: 2,
            column: 3,
            within: "",
            field: "properties.labels[0].labelName",
            out_titles: None,
        },
        "sentinel_rest" => Case {
            file: "rest.json",
            text: format!("{BAD_REST}\n"),
            bad: BAD_REST,
            line: 1,
            column: 1,
            within: "",
            field: "properties.labels[0].labelName",
            out_titles: None,
        },
        "bare_properties" => Case {
            file: "bare.json",
            text: format!("{BAD_BARE}\n"),
            bad: BAD_BARE,
            line: 1,
            column: 1,
            within: "",
            field: "labels[0].labelName",
            out_titles: None,
        },
        other => panic!("no case {other}"),
    }
}

const OTHER: &str = r#"{"name": "o", "properties": {"title": "O", "severity": "Medium", "status": "New"}}"#;

/// Every `title` in a JSON value, in document order.
fn titles(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(t)) = map.get("title") {
                out.push(t.clone());
            }
            map.values().for_each(|v| titles(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| titles(v, out)),
        _ => {}
    }
}

/// Titles of the incidents in a JSON document or JSON Lines text, with whether each was tagged.
fn incidents(text: &[u8]) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_slice(text).into_iter::<Value>() {
        collect(&value.unwrap(), &mut out);
    }
    out
}

fn collect(value: &Value, out: &mut Vec<(String, bool)>) {
    let Some(map) = value.as_object() else {
        if let Some(items) = value.as_array() {
            items.iter().for_each(|v| collect(v, out));
        }
        return;
    };
    let props = map.get("properties").filter(|p| p.get("title").is_some()).unwrap_or(value);
    if let Some(Value::String(t)) = props.get("title") {
        let tagged = props["labels"].as_array().is_some_and(|l| l.iter().any(|l| l["labelName"] == "seen"));
        out.push((t.clone(), tagged));
        return;
    }
    map.values().for_each(|v| collect(v, out));
}

/// `apply` with the tag-every-incident rule on the shape's file and `other.jsonl` in `dir`.
fn apply(dir: &Path, case: &Case, extra: &[&str]) -> (i32, String, String) {
    let rule = root().join("tests/fixtures/rules/tag-seen.yaml");
    run(soar()
        .current_dir(dir)
        .args(["apply", "--rules", rule.to_str().unwrap(), "--now", NOW])
        .args(["--incidents", case.file, "other.jsonl"])
        .args(extra))
}

fn inputs(dir: &Path, case: &Case) {
    std::fs::write(dir.join(case.file), &case.text).unwrap();
    std::fs::write(dir.join("other.jsonl"), format!("{OTHER}\n")).unwrap();
}

#[derive(Debug, Clone, Copy)]
enum Guarantee {
    LocatedError,
    LeftOutOfTheOutput,
    RawBytesInRejects,
    WrittenBackInPlace,
    OthersProcessed,
}

/// Checks one cell of the table.
fn cell(shape: &str, guarantee: Guarantee) {
    let name = format!("cell {shape} x {guarantee:?}");
    let case = case(shape);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    inputs(dir, &case);
    if let Guarantee::WrittenBackInPlace = guarantee {
        let before = std::fs::read(dir.join(case.file)).unwrap();
        let (code, stdout, stderr) = apply(dir, &case, &["--in-place"]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{name}: {stderr}");
        let after = std::fs::read(dir.join(case.file)).unwrap();
        if case.out_titles.is_none() {
            assert_eq!(
                String::from_utf8_lossy(&after),
                case.text,
                "{name}: a document with no record processed is left as it was"
            );
            return;
        }
        let bad = case.bad.as_bytes();
        assert!(
            after.windows(bad.len()).any(|w| w == bad),
            "{name}: the bad record's bytes are not in {}",
            String::from_utf8_lossy(&after)
        );
        let got: Vec<(String, bool)> = incidents(&after);
        let want: Vec<(String, bool)> = incidents(&before).into_iter().map(|(t, _)| (t.clone(), t != "B")).collect();
        assert_eq!(got, want, "{name}: every record where it was, the good ones processed, the bad one as it was");
        return;
    }
    let (code, stdout, stderr) = apply(dir, &case, &["--out", "out/", "--rejects", "rejects.txt"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{name}: {stderr}");
    match guarantee {
        Guarantee::LocatedError => {
            let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error")).collect();
            let want = format!(
                "error: {}:{}:{}: {}invalid incident: {}: expected a string, found a number",
                case.file, case.line, case.column, case.within, case.field
            );
            assert_eq!(errors, [want.as_str()], "{name}");
        }
        Guarantee::LeftOutOfTheOutput => {
            let out = dir.join("out").join(case.file);
            match case.out_titles {
                None => assert!(!out.exists(), "{name}: a document that is the bad record is not written"),
                Some(want) => {
                    let mut got = Vec::new();
                    for value in serde_json::Deserializer::from_slice(&std::fs::read(&out).unwrap()).into_iter() {
                        titles(&value.unwrap(), &mut got);
                    }
                    assert_eq!(got, want, "{name}");
                }
            }
        }
        Guarantee::RawBytesInRejects => {
            let rejects = common::read(dir.join("rejects.txt"));
            assert_eq!(rejects, format!("{}\n", case.bad), "{name}");
        }
        Guarantee::OthersProcessed => {
            let good = case.out_titles.map_or(0, <[_]>::len);
            assert_eq!(
                stderr.lines().last().unwrap(),
                format!(
                    "{} incident(s) processed, {0} changed, {0} change(s), 1 record(s) could not be processed",
                    good + 1
                ),
                "{name}"
            );
            let other = incidents(&std::fs::read(dir.join("out/other.jsonl")).unwrap());
            assert_eq!(other, [("O".to_owned(), true)], "{name}: the other input");
            if case.out_titles.is_some() {
                let own = incidents(&std::fs::read(dir.join("out").join(case.file)).unwrap());
                assert!(own.iter().all(|(_, tagged)| *tagged), "{name}: {own:?}");
                assert_eq!(own.len(), good, "{name}");
            }
        }
        Guarantee::WrittenBackInPlace => unreachable!(),
    }
}

macro_rules! shape {
    ($($shape:ident),* $(,)?) => {$(
        mod $shape {
            use super::{cell, Guarantee};

            #[test]
            fn located_error() {
                cell(stringify!($shape), Guarantee::LocatedError);
            }

            #[test]
            fn left_out_of_the_output() {
                cell(stringify!($shape), Guarantee::LeftOutOfTheOutput);
            }

            #[test]
            fn raw_bytes_in_rejects() {
                cell(stringify!($shape), Guarantee::RawBytesInRejects);
            }

            #[test]
            fn written_back_in_place() {
                cell(stringify!($shape), Guarantee::WrittenBackInPlace);
            }

            #[test]
            fn others_processed() {
                cell(stringify!($shape), Guarantee::OthersProcessed);
            }
        }
    )*};
}

shape!(json_lines, top_level_array, rest_list, rest_example, single_object, sentinel_rest, bare_properties);
