//! The run log as a tree for people: one line per step with its status, simulated start
//! (offset from the run's start) and duration, who answered a connector call and the step's
//! note; under it, inputs and outputs as compact JSON cut to one line, and the error. Loop
//! iterations are `#0`, `#1`, ... nodes. Plain text, the same on a terminal and in a pipe.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::engine::Change;
use crate::playbook::run::log::{ErrorInfo, RunLog, StepLog};

/// Characters of JSON shown for inputs and outputs.
const WIDTH: usize = 110;

/// The whole report.
pub fn render(log: &RunLog, changes: &[Change]) -> String {
    let start = parse(&log.start_time);
    let mut out = format!(
        "Playbook {} (trigger {}, run {})\n",
        log.playbook,
        log.trigger.kind.class(),
        log.run_id.get(..8).unwrap_or(&log.run_id)
    );
    steps(&log.steps, "", start, &mut out);
    out.push_str(&format!("Run {} at {}, took {}", log.status.as_str(), log.start_time, human(&log.duration)));
    out.push_str(&format!(", {} action(s), {} iteration(s)\n", log.spent.actions, log.spent.iterations));
    if let Some(e) = &log.error {
        out.push_str(&format!("  {}\n", error(e)));
    }
    if !log.unmocked.is_empty() {
        out.push_str(&format!("Not run (no mock): {}\n", log.unmocked.join(", ")));
    }
    for w in &log.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    out.push_str(&format!("{} change(s) to the incident\n", changes.len()));
    for c in changes {
        let what = c.property.as_deref().unwrap_or("-");
        out.push_str(&format!(
            "  {} {} {}: {} -> {}\n",
            c.step.as_deref().unwrap_or("-"),
            c.action,
            what,
            cut(&c.from),
            cut(&c.to)
        ));
    }
    out
}

fn steps(list: &[StepLog], prefix: &str, start: Option<DateTime<Utc>>, out: &mut String) {
    for (i, step) in list.iter().enumerate() {
        let last = i + 1 == list.len();
        let (branch, pad) = if last { ("└─ ", "   ") } else { ("├─ ", "│  ") };
        let mut line = format!(
            "{prefix}{branch}{} {} at {} took {}",
            step.name,
            step.status,
            offset(start, &step.start_time),
            human(&step.duration)
        );
        if let Some(m) = step.mock {
            line.push_str(&format!(" [{}]", m.as_str()));
        }
        if let Some(note) = &step.note {
            line.push_str(&format!(" ({note})"));
        }
        out.push_str(&line);
        out.push('\n');
        let inner = format!("{prefix}{pad}");
        let has_children = !step.children.is_empty() || !step.iterations.is_empty();
        let detail = if has_children { format!("{inner}│  ") } else { format!("{inner}   ") };
        if let Some(v) = &step.inputs {
            out.push_str(&format!("{detail}in:  {}\n", cut(v)));
        }
        if let Some(v) = &step.outputs {
            out.push_str(&format!("{detail}out: {}\n", cut(v)));
        }
        if let Some(e) = &step.error {
            out.push_str(&format!("{detail}{}\n", error(e)));
        }
        steps(&step.children, &inner, start, out);
        for (j, it) in step.iterations.iter().enumerate() {
            let last_it = j + 1 == step.iterations.len();
            let (b, p) = if last_it { ("└─ ", "   ") } else { ("├─ ", "│  ") };
            out.push_str(&format!("{inner}{b}#{} {} at {}\n", it.index, it.status, offset(start, &it.start_time)));
            steps(&it.steps, &format!("{inner}{p}"), start, out);
        }
    }
}

fn error(e: &ErrorInfo) -> String {
    let mut text = format!("error {}: {}", e.code, e.message);
    if let (Some(code), Some(at)) = (e.diagnostic, &e.at) {
        text.push_str(&format!(" [{code} at {at}]"));
    }
    text
}

/// Compact JSON on one line, cut to [`WIDTH`] characters.
fn cut(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default().replace('\n', "\\n");
    if text.chars().count() <= WIDTH {
        return text;
    }
    let head: String = text.chars().take(WIDTH).collect();
    format!("{head}…")
}

fn parse(stamp: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(stamp).ok().map(|t| t.with_timezone(&Utc))
}

/// `+HH:MM:SS` from the run's start.
fn offset(start: Option<DateTime<Utc>>, at: &str) -> String {
    let (Some(start), Some(at)) = (start, parse(at)) else { return at.to_owned() };
    let secs = at.signed_duration_since(start).num_seconds().max(0);
    format!("+{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `PT1M30S` -> `1m30s`; `PT0S` -> `0s`.
fn human(iso: &str) -> String {
    let text = iso.trim_start_matches("PT").to_ascii_lowercase();
    if text.is_empty() {
        "0s".to_owned()
    } else {
        text
    }
}
