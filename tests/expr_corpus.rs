//! Every string in the 50 real corpus templates (../shared/corpus/playbooks) parses as a
//! template: the grammar and the function table cover what real Sentinel playbooks write.
//! ARM template expressions (`[parameters('x')]`) are plain strings to WDL and stay literal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::Path;

use serde_json::Value;

use sentinel_soar::playbook::expr::{Function, Template};

fn strings<'v>(value: &'v Value, pointer: String, out: &mut Vec<(String, &'v str)>) {
    match value {
        Value::String(s) => out.push((pointer, s)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| strings(v, format!("{pointer}/{i}"), out)),
        Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, format!("{pointer}/{k}"), out)),
        _ => {}
    }
}

#[test]
fn every_corpus_expression_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/playbooks");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("corpus not found at {}; skipping", dir.display());
        return;
    };
    let mut paths: Vec<_> =
        entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    paths.sort();
    let (mut expressions, mut failures, mut functions) = (0, Vec::new(), std::collections::BTreeSet::new());
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap();
        let json: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        let mut found = Vec::new();
        strings(&json, String::new(), &mut found);
        for (pointer, s) in found {
            match Template::parse(s) {
                Ok(Template::Literal(_)) => {}
                Ok(template) => {
                    expressions += 1;
                    let debug = format!("{template:?}");
                    for function in Function::all() {
                        if debug.contains(&format!("{function:?}")) {
                            functions.insert(function.name());
                        }
                    }
                }
                Err(e) => {
                    failures.push(format!("{}{pointer}: {e}\n    {s}", path.file_name().unwrap().to_string_lossy()))
                }
            }
        }
    }
    eprintln!("{} files, {expressions} template strings, {} distinct functions", paths.len(), functions.len());
    assert!(failures.is_empty(), "{} strings failed to parse:\n{}", failures.len(), failures.join("\n"));
    assert!(paths.len() >= 50 && expressions > 1000, "{} files, {expressions} expressions", paths.len());
    for needed in ["triggerBody", "body", "items", "encodeUriComponent", "variables", "outputs", "listCallbackUrl"] {
        assert!(functions.contains(needed), "{needed} not seen in the corpus");
    }
}
