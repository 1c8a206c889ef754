//! The same Sentinel rule read from several files: API snapshots repeat a rule (a GET
//! response, a list response and an upsert example of one rule id). A rule whose id (the last
//! segment, compared case-insensitively) and content ([`super::canon`]) equal an earlier one
//! is dropped with a warning; rules that share an id but differ are kept, and the compiler
//! reports what conflicts (their names, usually).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diagnostic::Diagnostic;
use crate::rules::file::RuleFile;

use super::{canon, codes};

fn key(id: &str) -> String {
    id.trim().trim_end_matches('/').rsplit('/').next().unwrap_or(id).to_ascii_lowercase()
}

/// Drops repeated rules from `files` (and the matching `ids`), warning about each.
pub fn dedupe(files: &mut [RuleFile], ids: &mut [Vec<Option<String>>], diags: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, Vec<(Value, String)>> = BTreeMap::new();
    for (file, file_ids) in files.iter_mut().zip(ids.iter_mut()) {
        let mut keep = Vec::new();
        let mut kept_ids = Vec::new();
        for (rule, id) in std::mem::take(&mut file.rules).into_iter().zip(std::mem::take(file_ids)) {
            let Some(k) = id.as_deref().map(key) else {
                keep.push(rule);
                kept_ids.push(id);
                continue;
            };
            let form = canon::rule(&rule);
            let earlier = seen.entry(k.clone()).or_default();
            if let Some((_, first)) = earlier.iter().find(|(c, _)| *c == form) {
                diags.push(
                    Diagnostic::warning(
                        codes::SAME_RULE,
                        &file.path,
                        Some(rule.span),
                        format!("rule {k} is the same as in {first}"),
                    )
                    .with_label("read once"),
                );
                continue;
            }
            earlier.push((form, file.path.clone()));
            keep.push(rule);
            kept_ids.push(id);
        }
        file.rules = keep;
        *file_ids = kept_ids;
    }
}
