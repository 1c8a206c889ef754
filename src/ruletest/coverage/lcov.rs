//! The coverage as an lcov tracefile (the format geninfo(1) describes and genhtml, Codecov and
//! coverage gutters read): one record per file, in path order,
//!
//! ```text
//! SF:<path of the file>
//! FN:<line>,<name>          a rule, or a playbook
//! FNDA:<count>,<name>       tests in which the rule fired / runs of the playbook
//! FNF:<found> FNH:<hit>
//! BRDA:<line>,<block>,<branch>,<taken>
//!                           a condition leaf: branch 0 seen true, 1 seen false; a playbook If
//!                           or Switch: one branch per branch; `-` when never evaluated / run
//! BRF:<found> BRH:<hit>
//! DA:<line>,<count>         rule lines (fired), leaf lines (evaluated), action lines (ran),
//!                           playbook action lines (ran); the counts of one line added
//! LF:<found> LH:<hit>
//! end_of_record
//! ```
//!
//! Names cannot hold a comma (lcov 2 reads `FN:<start>,<end>,<name>`) or a line break: those
//! are written as `;` and a space. Paths are as the test files name them (relative to the
//! working directory when they are).
//!
//! Stage: output.

use std::collections::BTreeMap;

use super::{Coverage, PlaybookCov, RuleCov};

/// A function name lcov parses back as written.
fn name(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            ',' => ';',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// One file's record being built.
#[derive(Default)]
struct Record {
    functions: Vec<(usize, String, u64)>,
    branches: Vec<(usize, usize, usize, Option<u64>)>,
    lines: BTreeMap<usize, u64>,
}

impl Record {
    fn line(&mut self, line: usize, count: u64) {
        *self.lines.entry(line).or_default() += count;
    }

    fn rule(&mut self, rule: &RuleCov) {
        self.functions.push((rule.line, name(&rule.name), rule.fired));
        self.line(rule.line, rule.fired);
        for c in &rule.conditions {
            let evaluated = c.seen_true + c.seen_false;
            let block = self.branches.len() / 2;
            for (branch, taken) in [(0, c.seen_true), (1, c.seen_false)] {
                self.branches.push((c.line, block, branch, (evaluated > 0).then_some(taken)));
            }
            self.line(c.line, evaluated);
        }
        for a in &rule.actions {
            self.line(a.line, a.ran);
        }
    }

    fn playbook(&mut self, playbook: &PlaybookCov, block: &mut usize) {
        self.functions.push((playbook.line, name(&playbook.name), playbook.runs));
        for a in &playbook.actions {
            self.line(a.line, a.ran);
            if a.branches.is_empty() {
                continue;
            }
            for (branch, b) in a.branches.iter().enumerate() {
                self.branches.push((a.line, *block, branch, (a.ran > 0).then_some(b.taken)));
            }
            *block += 1;
        }
    }

    fn write(&self, path: &str, out: &mut String) {
        out.push_str(&format!("SF:{path}\n"));
        for (line, n, _) in &self.functions {
            out.push_str(&format!("FN:{line},{n}\n"));
        }
        for (_, n, count) in &self.functions {
            out.push_str(&format!("FNDA:{count},{n}\n"));
        }
        let hit = self.functions.iter().filter(|(_, _, c)| *c > 0).count();
        out.push_str(&format!("FNF:{}\nFNH:{hit}\n", self.functions.len()));
        for (line, block, branch, taken) in &self.branches {
            let taken = taken.map_or_else(|| "-".to_owned(), |t| t.to_string());
            out.push_str(&format!("BRDA:{line},{block},{branch},{taken}\n"));
        }
        let hit = self.branches.iter().filter(|b| b.3.is_some_and(|t| t > 0)).count();
        out.push_str(&format!("BRF:{}\nBRH:{hit}\n", self.branches.len()));
        for (line, count) in &self.lines {
            out.push_str(&format!("DA:{line},{count}\n"));
        }
        let hit = self.lines.values().filter(|c| **c > 0).count();
        out.push_str(&format!("LF:{}\nLH:{hit}\nend_of_record\n", self.lines.len()));
    }
}

/// The tracefile of `coverage`.
pub fn render(coverage: &Coverage) -> String {
    let mut records: BTreeMap<&str, Record> = BTreeMap::new();
    for (path, rules) in &coverage.rules {
        let record = records.entry(path.as_str()).or_default();
        rules.iter().for_each(|r| record.rule(r));
    }
    for (path, playbooks) in &coverage.playbooks {
        let record = records.entry(path.as_str()).or_default();
        let mut block = record.branches.len();
        playbooks.iter().for_each(|p| record.playbook(p, &mut block));
    }
    let mut out = String::new();
    for (path, record) in &records {
        record.write(path, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_commas_and_line_breaks() {
        assert_eq!(name("Close, then tag\nnow"), "Close; then tag now");
    }
}
