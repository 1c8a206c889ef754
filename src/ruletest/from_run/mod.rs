//! A playbook test made from a recorded run (`runs show ID --as-test DIR`, Logic Apps
//! Standard's "create a unit test from a run"): the run's record (its run log, its changes and
//! what it started from) and the playbook it ran become the texts of a test file, of a mocks
//! file with the answers its calls got ([`mocks`]), and of the incident and alert it started
//! from. The test replays the run on them at its clock and expects what the run did
//! ([`expect`]); the caller runs it before writing anything, so a test that would not pass is
//! never written.
//!
//! Stage: output (pure: record + playbook -> file texts; the CLI writes them).

mod expect;
mod mocks;
pub mod yaml;

use serde_json::{json, Map, Value};

use crate::playbook::history::Record;
use crate::playbook::model::Playbook;

use super::playbook::log;

/// The file names the test refers to, relative to the directory it is written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Names {
    /// The playbook's file.
    pub playbook: String,
    pub mocks: String,
    pub incident: String,
    pub alert: String,
}

/// What the run started from: the incident, the alert, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub incident: Option<Value>,
    pub alert: Option<Value>,
}

/// The texts of a test made from a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    /// The test file (YAML).
    pub test: String,
    /// The mocks file (YAML).
    pub mocks: String,
    /// How many mocks it holds.
    pub mock_count: usize,
    /// What the replay may not reproduce (calls the mocks cannot tell apart).
    pub notes: Vec<String>,
}

/// What the recorded run started from; why no test can be made of it otherwise.
pub fn input(record: &Record) -> Result<Input, String> {
    let id = &record.run_id;
    let code = record.run.get("error").and_then(|e| e.get("code")).and_then(Value::as_str);
    if code == Some("PlaybookNotRun") {
        let why = record.run.get("error").and_then(|e| e.get("message")).and_then(Value::as_str).unwrap_or_default();
        return Err(format!("run {id} never started ({why}): there is no run to make a test of"));
    }
    let Some(input) = &record.input else {
        return Err(format!(
            "run {id} was recorded before runs kept what they started from: run the playbook again, then make the test from the new run"
        ));
    };
    let take = |key: &str| input.get(key).filter(|v| !v.is_null()).cloned();
    let (incident, alert) = (take("incident"), take("alert"));
    if incident.is_none() && alert.is_none() {
        return Err(format!("run {id} started from a raw trigger body; a test starts from an incident or an alert"));
    }
    Ok(Input { incident, alert })
}

/// The test and mocks texts for the run `record` of `playbook`, starting from `input`.
pub fn make(record: &Record, playbook: &Playbook, input: &Input, names: &Names) -> Made {
    let runs = log::runs(&record.run, playbook);
    let calls = log::calls(&runs, playbook);
    let (entries, notes) = mocks::entries(&calls);
    let changes = record.changes.as_array().map_or(&[][..], Vec::as_slice);
    let status = record.status.as_str();
    let short: String = record.run_id.chars().take(8).collect();
    let mut case = Map::new();
    case.insert("name".into(), json!(format!("{} run {short}", record.playbook)));
    case.insert("playbook".into(), json!(playbook.name));
    if input.incident.is_some() {
        case.insert("incident".into(), json!(names.incident));
    }
    if input.alert.is_some() {
        case.insert("alert".into(), json!(names.alert));
    }
    case.insert("mocks".into(), json!(names.mocks));
    case.insert("now".into(), json!(record.start_time));
    case.insert("expect".into(), expect::expect(status, &runs, &calls, changes, input.incident.is_some()));
    let (id, name) = (&record.run_id, &record.playbook);
    let mut test = format!(
        "# A test of playbook {name} made by `sentinel-soar runs show --as-test`\n\
         # from run {id} ({status}, started {}).\n\
         # It replays the run on what it started from, with the answers its calls got as mocks\n\
         # ({}), and expects what the run did:\n\
         # keep the expectations that matter, loosen the rest.\n",
        record.start_time, names.mocks
    );
    yaml::entry("playbooks", &json!(names.playbook), 0, &mut test);
    test.push_str("tests:\n");
    yaml::item(&Value::Object(case), 2, &mut test);
    let mut mocks = format!(
        "# Mocks of run {id} of playbook {name}, made by\n\
         # `sentinel-soar runs show --as-test`: the answers its calls got, one entry per answer,\n\
         # matched by action (and by the inputs that tell its calls apart).\n"
    );
    for note in &notes {
        mocks.push_str(&format!("# note: {note}\n"));
    }
    match entries.is_empty() {
        true => mocks.push_str("mocks: []\n"),
        false => {
            mocks.push_str("mocks:\n");
            for e in &entries {
                yaml::item(e, 2, &mut mocks);
            }
        }
    }
    Made { test, mocks, mock_count: entries.len(), notes }
}

/// `value` without what the run log redacted (`<redacted: secret>`, `<redacted: secureData>`):
/// such a text, a list holding one, and a mapping's entries holding one are left out; `null`
/// when nothing is left.
pub fn clean(value: &Value) -> Value {
    cleaned(value).unwrap_or(Value::Null)
}

fn cleaned(value: &Value) -> Option<Value> {
    match value {
        Value::String(s) if s.contains("<redacted: ") => None,
        Value::Array(items) => items.iter().map(cleaned).collect::<Option<Vec<_>>>().map(Value::Array),
        Value::Object(map) => {
            let kept: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| !k.contains("<redacted: "))
                .filter_map(|(k, v)| cleaned(v).map(|v| (k.clone(), v)))
                .collect();
            (map.is_empty() || !kept.is_empty()).then_some(Value::Object(kept))
        }
        other => Some(other.clone()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::clean;

    #[test]
    fn redacted_values_are_left_out() {
        let value = json!({"h": "Bearer <redacted: secret>", "list": ["a", "x <redacted: secret> y"], "k": 1, "e": {}});
        assert_eq!(clean(&value), json!({"k": 1, "e": {}}));
        assert_eq!(clean(&json!("<redacted: secureData>")), json!(null));
    }
}
