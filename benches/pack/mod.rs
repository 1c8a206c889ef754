//! Inputs of the benchmarks: the 50-rule pack of the peer benchmark (`data/rules.yaml`), a
//! 500-rule pack made from it, and 200 sample incidents (`data/incidents.jsonl`, from
//! `../shared/bench/gen_incidents.py 200`), compiled and parsed as the CLI would. Each benchmark
//! uses part of it.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use sentinel_soar::engine::Clock;
use sentinel_soar::model::Incident;
use sentinel_soar::rules::{self, RuleSet};

/// The 50-rule pack.
pub const RULES: &str = include_str!("../data/rules.yaml");
/// 200 incidents, JSON Lines.
pub const INCIDENTS: &str = include_str!("../data/incidents.jsonl");

/// The simulated clock of every run.
pub fn clock() -> Clock {
    Clock::new(now())
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-01T00:00:00Z").unwrap().with_timezone(&Utc)
}

/// The pack with each rule repeated `copies` times: copy k of the rule ordered i is named
/// `NAME~k` and ordered `(i - 1) * copies + k + 1`, so a rule's copies run right after it and
/// no two rules share an order (what `scripts/bench.sh` does for the 500-rule run).
pub fn repeated(copies: usize) -> String {
    let start = RULES.find("  - name: ").unwrap();
    let (head, body) = RULES.split_at(start);
    let mut out = head.to_owned();
    for block in body.split_inclusive('\n').fold(Vec::<String>::new(), |mut blocks, line| {
        if line.starts_with("  - name: ") || blocks.is_empty() {
            blocks.push(String::new());
        }
        blocks.last_mut().unwrap().push_str(line);
        blocks
    }) {
        let order: usize = block.lines().find_map(|l| l.strip_prefix("    order: ")).unwrap().trim().parse().unwrap();
        for k in 0..copies {
            for line in block.split_inclusive('\n') {
                if let Some(name) = line.strip_prefix("  - name: ") {
                    out.push_str(&format!("  - name: {}~{k}\n", name.trim_end()));
                } else if line.starts_with("    order: ") {
                    out.push_str(&format!("    order: {}\n", (order - 1) * copies + k + 1));
                } else {
                    out.push_str(line);
                }
            }
        }
    }
    out
}

/// Decodes and compiles a rule file's text; panics on any error.
pub fn compile(text: &str) -> RuleSet {
    let mut diags = Vec::new();
    let file = rules::file::decode("rules.yaml", text, &mut diags);
    let (set, more) = rules::compile(&[file], &rules::Options { now: Some(now()), sentinel: false });
    diags.extend(more);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    set
}

/// The sample incidents, parsed.
pub fn incidents() -> Vec<Incident> {
    INCIDENTS.lines().map(|l| Incident::from_value(serde_json::from_str(l).unwrap()).unwrap()).collect()
}
