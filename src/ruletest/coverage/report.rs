//! The coverage for people ([`human`]: a total line, then per file each rule with its leaves
//! and actions, each playbook with its actions and branches, by line) and for programs
//! ([`json`]).
//!
//! Stage: output.

use serde_json::{json, Value};

use super::{Coverage, PlaybookCov, RuleCov, Totals};

/// `87.5% (105 of 120)`.
fn share((covered, total): (usize, usize)) -> String {
    let percent = if total == 0 { 100.0 } else { covered as f64 * 100.0 / total as f64 };
    format!("{percent:.1}% ({covered} of {total})")
}

/// The total line: the percentage, then each kind's covered/total.
pub fn summary(totals: &Totals) -> String {
    let kind = |name: &str, (c, t): (usize, usize)| format!("{name} {c}/{t}");
    let mut kinds = vec![
        kind("rules fired", totals.rules),
        kind("condition outcomes", totals.outcomes),
        kind("actions", totals.actions),
    ];
    if totals.playbook_actions.1 > 0 {
        kinds.push(kind("playbook actions", totals.playbook_actions));
        kinds.push(kind("playbook branches", totals.branches));
    }
    format!("coverage: {}: {}", share(totals.all()), kinds.join(", "))
}

/// `fired 2 times`, `fired once`, `never fired`.
fn times(verb: &str, n: u64) -> String {
    match n {
        0 => format!("never {verb}"),
        1 => format!("{verb} once"),
        n => format!("{verb} {n} times"),
    }
}

fn rule_lines(rule: &RuleCov, out: &mut String) {
    out.push_str(&format!(
        "  {:>4}  rule `{}` (order {}): {}\n",
        rule.line,
        rule.name,
        rule.order,
        times("fired", rule.fired)
    ));
    for c in &rule.conditions {
        let mut missing = Vec::new();
        if c.seen_true == 0 {
            missing.push("never true");
        }
        if c.seen_false == 0 {
            missing.push("never false");
        }
        let note = if missing.is_empty() { String::new() } else { format!(" ({})", missing.join(", ")) };
        out.push_str(&format!("  {:>4}    {}: true {}, false {}{note}\n", c.line, c.text, c.seen_true, c.seen_false));
    }
    for a in &rule.actions {
        out.push_str(&format!("  {:>4}    {}: {}\n", a.line, a.action, times("ran", a.ran)));
    }
}

fn playbook_lines(playbook: &PlaybookCov, out: &mut String) {
    out.push_str(&format!("  {:>4}  playbook `{}`: {}\n", playbook.line, playbook.name, times("ran", playbook.runs)));
    for a in &playbook.actions {
        let mut text = format!("  {:>4}    {} ({}): {}", a.line, a.name, a.kind, times("ran", a.ran));
        if !a.branches.is_empty() {
            let branches: Vec<String> = a.branches.iter().map(|b| format!("{} {}", b.name, b.taken)).collect();
            text.push_str(&format!("; branches taken: {}", branches.join(", ")));
        }
        text.push('\n');
        out.push_str(&text);
    }
}

/// The report for people.
pub fn human(coverage: &Coverage) -> String {
    let mut out = format!("{}\n", summary(&coverage.totals()));
    for (path, rules) in &coverage.rules {
        let mut totals = Totals::default();
        rules.iter().for_each(|r| totals.add(r.totals()));
        out.push_str(&format!("\n{path}: {}\n", share(totals.all())));
        rules.iter().for_each(|r| rule_lines(r, &mut out));
    }
    for (path, playbooks) in &coverage.playbooks {
        let mut totals = Totals::default();
        playbooks.iter().for_each(|p| totals.add(p.totals()));
        out.push_str(&format!("\n{path}: {}\n", share(totals.all())));
        playbooks.iter().for_each(|p| playbook_lines(p, &mut out));
    }
    out
}

fn pair((covered, total): (usize, usize)) -> Value {
    json!({"covered": covered, "total": total})
}

fn totals_json(t: &Totals) -> Value {
    let (covered, total) = t.all();
    json!({
        "percent": (t.percent() * 100.0).round() / 100.0,
        "covered": covered,
        "total": total,
        "rules": pair(t.rules),
        "conditionOutcomes": pair(t.outcomes),
        "actions": pair(t.actions),
        "playbookActions": pair(t.playbook_actions),
        "playbookBranches": pair(t.branches),
    })
}

/// The report for programs: `{"coverage": totals, "files": [...]}`.
pub fn json(coverage: &Coverage) -> Value {
    let mut files = Vec::new();
    for (path, rules) in &coverage.rules {
        let rules: Vec<Value> = rules
            .iter()
            .map(|r| {
                json!({
                    "name": r.name, "order": r.order, "line": r.line, "column": r.column, "fired": r.fired,
                    "conditions": r.conditions.iter().map(|c| json!({
                        "line": c.line, "column": c.column, "condition": c.text,
                        "true": c.seen_true, "false": c.seen_false,
                    })).collect::<Vec<_>>(),
                    "actions": r.actions.iter().map(|a| json!({
                        "line": a.line, "column": a.column, "action": a.action, "ran": a.ran,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        files.push(json!({"file": path, "rules": rules}));
    }
    for (path, playbooks) in &coverage.playbooks {
        let playbooks: Vec<Value> = playbooks
            .iter()
            .map(|p| {
                json!({
                    "name": p.name, "runs": p.runs,
                    "actions": p.actions.iter().map(|a| json!({
                        "name": a.name, "type": a.kind, "line": a.line, "column": a.column, "ran": a.ran,
                        "branches": a.branches.iter().map(|b| json!({"branch": b.name, "taken": b.taken})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        files.push(json!({"file": path, "playbooks": playbooks}));
    }
    json!({"coverage": totals_json(&coverage.totals()), "files": files})
}
