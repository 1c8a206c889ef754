#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Output never depends on scheduling: the incidents on standard output and the audit log are
//! byte-identical whatever `--jobs` is and however the input files are named on the command
//! line (SPEC 2: "output never depends on file order"; `--jobs`: "Output does not depend on it").

use crate::common;

use std::path::Path;

use common::{root, run, soar, NOW};
use proptest::prelude::*;
use proptest::test_runner::Config;
use serde_json::{json, Value};

const TITLES: [&str; 6] = [
    "Scheduled pentest activity",
    "Red team lateral movement drill",
    "Possible ransomware activity",
    "Kerberoasting activity",
    "Port scan detected",
    "Mailbox forwarding rule to external address",
];
const SEVERITIES: [&str; 4] = ["Informational", "Low", "Medium", "High"];
const STATUSES: [&str; 2] = ["New", "Active"];
const HOSTS: [&str; 5] = ["PT-07", "vm-dev-17", "DC01", "wks-114", "web-03"];
const IPS: [&str; 4] = ["10.99.4.17", "2001:db8:99:4::20", "185.220.101.47", "10.20.1.15"];
const ACCOUNTS: [&str; 4] = ["ceo", "admin-tier0", "pentest-01", "judy"];
const TACTICS: [&str; 5] = ["CredentialAccess", "LateralMovement", "Exfiltration", "Impact", "InitialAccess"];
const PRODUCTS: [&str; 4] = [
    "Microsoft Defender for Endpoint",
    "Microsoft Defender for Identity",
    "Microsoft Defender for Office 365",
    "Azure Sentinel",
];
const RANSOMWARE_RULE: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w/providers/Microsoft.SecurityInsights/alertRules/9c2f5e1a-7b3d-4e8f-a16c-5d0e2b7f4a93";

/// The varying parts of one generated incident.
#[derive(Debug, Clone)]
struct Gen {
    title: usize,
    severity: usize,
    status: usize,
    host: Option<usize>,
    ip: Option<usize>,
    account: Option<usize>,
    tactics: Vec<bool>,
    product: usize,
    ransomware_rule: bool,
}

fn gen_incident() -> impl Strategy<Value = Gen> {
    (
        0..TITLES.len(),
        0..SEVERITIES.len(),
        0..STATUSES.len(),
        proptest::option::of(0..HOSTS.len()),
        proptest::option::of(0..IPS.len()),
        proptest::option::of(0..ACCOUNTS.len()),
        proptest::collection::vec(any::<bool>(), TACTICS.len()),
        0..PRODUCTS.len(),
        any::<bool>(),
    )
        .prop_map(|(title, severity, status, host, ip, account, tactics, product, ransomware_rule)| Gen {
            title,
            severity,
            status,
            host,
            ip,
            account,
            tactics,
            product,
            ransomware_rule,
        })
}

/// How a generated file is laid out.
#[derive(Debug, Clone, Copy)]
enum Layout {
    Lines,
    Array,
    PrettyArray,
}

/// One generated file: its incidents and layout (a single incident is written as one object).
#[derive(Debug, Clone)]
struct GenFile {
    incidents: Vec<Gen>,
    layout: Layout,
}

fn gen_file() -> impl Strategy<Value = GenFile> {
    (
        proptest::collection::vec(gen_incident(), 1..=3),
        prop_oneof![Just(Layout::Lines), Just(Layout::Array), Just(Layout::PrettyArray)],
    )
        .prop_map(|(incidents, layout)| GenFile { incidents, layout })
}

fn to_value(g: &Gen, number: usize) -> Value {
    let mut entities = Vec::new();
    if let Some(h) = g.host {
        entities.push(json!({ "kind": "Host", "properties": { "hostName": HOSTS[h], "friendlyName": HOSTS[h] } }));
    }
    if let Some(i) = g.ip {
        entities.push(json!({ "kind": "Ip", "properties": { "address": IPS[i] } }));
    }
    if let Some(a) = g.account {
        entities.push(json!({ "kind": "Account", "properties": { "accountName": ACCOUNTS[a] } }));
    }
    let tactics: Vec<&str> = TACTICS.iter().zip(&g.tactics).filter(|(_, on)| **on).map(|(t, _)| *t).collect();
    let rules: Vec<&str> = if g.ransomware_rule { vec![RANSOMWARE_RULE] } else { vec![] };
    json!({
        "id": format!("/subscriptions/s/providers/Microsoft.SecurityInsights/Incidents/inc-{number}"),
        "name": format!("inc-{number}"),
        "type": "Microsoft.SecurityInsights/Incidents",
        "properties": {
            "title": TITLES[g.title],
            "severity": SEVERITIES[g.severity],
            "status": STATUSES[g.status],
            "owner": { "objectId": null, "email": null, "assignedTo": null, "userPrincipalName": null },
            "labels": [],
            "incidentNumber": number,
            "lastModifiedTimeUtc": "2026-05-01T00:00:00Z",
            "relatedAnalyticRuleIds": rules,
            "additionalData": { "alertProductNames": [PRODUCTS[g.product]], "tactics": tactics },
            "relatedEntities": entities
        }
    })
}

/// Writes the files as `f<i>.json` / `f<i>.jsonl` under `dir`; returns their names, sorted.
fn write_files(dir: &Path, files: &[GenFile]) -> Vec<String> {
    let mut number = 5000;
    let mut names = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let values: Vec<Value> = file
            .incidents
            .iter()
            .map(|g| {
                number += 1;
                to_value(g, number)
            })
            .collect();
        let (name, text) = match (file.layout, values.as_slice()) {
            (Layout::Lines, [one]) => (format!("f{i}.json"), serde_json::to_string(one).unwrap() + "\n"),
            (Layout::Lines, _) => (
                format!("f{i}.jsonl"),
                values.iter().map(|v| serde_json::to_string(v).unwrap() + "\n").collect::<String>(),
            ),
            (Layout::Array, _) => (format!("f{i}.json"), serde_json::to_string(&values).unwrap() + "\n"),
            (Layout::PrettyArray, _) => (format!("f{i}.json"), serde_json::to_string_pretty(&values).unwrap() + "\n"),
        };
        std::fs::write(dir.join(&name), text).unwrap();
        names.push(name);
    }
    names.sort();
    names
}

/// Runs apply on `inputs` (relative to `dir`) with `--out - --audit <audit>`; returns stdout and
/// the audit file.
fn apply(dir: &Path, inputs: &[String], jobs: usize, audit: &str) -> (String, String) {
    let rules = root().join("examples/rules");
    let (code, stdout, stderr) = run(soar()
        .current_dir(dir)
        .args(["apply", "--rules", rules.to_str().unwrap(), "--now", NOW, "--out", "-", "--audit", audit])
        .args(["--jobs", &jobs.to_string(), "--incidents"])
        .args(inputs));
    assert_eq!(code, 0, "{stderr}");
    (stdout, std::fs::read_to_string(dir.join(audit)).unwrap())
}

/// 3-6 files, a permutation of their positions, and a job count.
fn case() -> impl Strategy<Value = (Vec<GenFile>, Vec<usize>, usize)> {
    proptest::collection::vec(gen_file(), 3..=6).prop_flat_map(|files| {
        let order: Vec<usize> = (0..files.len()).collect();
        (Just(files), Just(order).prop_shuffle(), 1..=4usize)
    })
}

fn config() -> Config {
    Config { cases: 16, failure_persistence: None, ..Config::default() }
}

proptest! {
    #![proptest_config(config())]

    /// Given as a directory (expanded and sorted by the tool) with any `--jobs`, the output is
    /// the same as the sorted file list with `--jobs 1`.
    #[test]
    fn output_does_not_depend_on_jobs((files, _order, jobs) in case()) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("in");
        std::fs::create_dir(&dir).unwrap();
        let sorted: Vec<String> = write_files(&dir, &files).into_iter().map(|n| format!("in/{n}")).collect();
        let (stdout, audit) = apply(tmp.path(), &sorted, 1, "base.jsonl");
        prop_assert!(!audit.is_empty());
        let (stdout2, audit2) = apply(tmp.path(), &["in".to_owned()], jobs, "other.jsonl");
        prop_assert_eq!(stdout2, stdout);
        prop_assert_eq!(audit2, audit);
    }

    /// The files named in any order and with any `--jobs` give the output of the sorted order
    /// with `--jobs 1`.
    #[test]
    fn output_does_not_depend_on_argument_order((files, order, jobs) in case()) {
        let tmp = tempfile::tempdir().unwrap();
        let sorted = write_files(tmp.path(), &files);
        let (stdout, audit) = apply(tmp.path(), &sorted, 1, "base.jsonl");
        let permuted: Vec<String> = order.iter().map(|&i| sorted[i].clone()).collect();
        let (stdout2, audit2) = apply(tmp.path(), &permuted, jobs, "other.jsonl");
        prop_assert_eq!(stdout2, stdout, "arguments {:?}, --jobs {}", permuted, jobs);
        prop_assert_eq!(audit2, audit, "arguments {:?}, --jobs {}", permuted, jobs);
    }
}

#[test]
fn the_example_batch_gives_the_same_output_with_one_and_four_jobs() {
    let tmp = tempfile::tempdir().unwrap();
    let batch = root().join("examples/batch/incidents.jsonl").display().to_string();
    let (one, audit_one) = apply(tmp.path(), std::slice::from_ref(&batch), 1, "one.jsonl");
    let (four, audit_four) = apply(tmp.path(), std::slice::from_ref(&batch), 4, "four.jsonl");
    assert_eq!(one.lines().count(), 40);
    assert_eq!(audit_one.lines().count(), 109);
    assert_eq!(four, one);
    assert_eq!(audit_four, audit_one);
}

#[test]
fn a_batch_larger_than_the_read_window_gives_the_same_output_for_every_job_count() {
    // 25 copies of the 40-record batch: 1000 records, more than one window (256 per job).
    let tmp = tempfile::tempdir().unwrap();
    let batch = std::fs::read_to_string(root().join("examples/batch/incidents.jsonl")).unwrap();
    std::fs::write(tmp.path().join("big.jsonl"), batch.repeat(25)).unwrap();
    let input = ["big.jsonl".to_owned()];
    let (one, audit_one) = apply(tmp.path(), &input, 1, "one.jsonl");
    assert_eq!(one.lines().count(), 1000);
    assert_eq!(audit_one.lines().count(), 109 * 25);
    for jobs in [2, 3, 4] {
        let (out, audit) = apply(tmp.path(), &input, jobs, &format!("audit-{jobs}.jsonl"));
        assert!(out == one, "--jobs {jobs}: the incidents differ");
        assert!(audit == audit_one, "--jobs {jobs}: the audit log differs");
    }
}
