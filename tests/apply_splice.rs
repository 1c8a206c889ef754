#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! The output contract of `apply` on streams (issue 15): a record is written as its own bytes,
//! with only what the rules changed spliced in. Number spellings, escapes, spaces, key order and
//! unknown fields of the parts no rule changed stay as the input had them; a compact record
//! stays on one line and a pretty array stays pretty, the new values pretty-printed from the
//! line they start on. A record the splice cannot keep as it is (a key the rules read or write
//! given twice) is written from its parsed form, as before. Outputs do not depend on `--jobs`.

use crate::common;

use common::{run, soar, write, NOW};

/// Phishing incidents go to High and get the `triage` tag.
const RULES: &str = "rules:
  - name: Triage phishing
    order: 1
    conditions:
      - { property: IncidentTitle, operator: Contains, values: [phish] }
    actions:
      - change_severity: High
      - add_tags: [triage]
";

/// Runs `apply` on `input` (a file named `name`) with `--jobs 1` and `--jobs 3`; returns the
/// output, after checking both give the same bytes, status and messages.
fn apply(name: &str, input: &str) -> (String, String) {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules.yaml");
    let incidents = tmp.path().join(name);
    write(&rules, RULES);
    write(&incidents, input);
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let (code, stdout, stderr) = run(soar().args([
            "apply",
            "--rules",
            rules.to_str().unwrap(),
            "--incidents",
            incidents.to_str().unwrap(),
            "--out",
            "-",
            "--now",
            NOW,
            "--jobs",
            jobs,
        ]));
        assert_eq!(code, 0, "{stderr}");
        outputs.push((stdout, stderr));
    }
    assert_eq!(outputs[0], outputs[1], "--jobs 1 and --jobs 3 differ");
    outputs.swap_remove(0)
}

#[test]
fn json_lines_keep_their_bytes_where_no_rule_changed_them() {
    let input = concat!(
        // Nothing fires: the line comes back byte for byte (spaces, 1.50, \u00e9, \/, 1E3).
        r#"{"name": "a", "properties": {"title": "Port scan", "severity": "Low", "n": 1.50, "e": 1E3, "u": "caf\u00e9 \/x", "labels": []}}"#,
        "\n",
        // The rule fires: severity replaced where it stands, the tag appended to the labels,
        // lastModifiedTimeUtc added at the end; every other byte as it was.
        r#"{"name": "b", "properties": {"title": "Phishing mail", "severity": "Low", "n": 1.50, "u": "\u00e9", "labels": [ {"labelName": "vip", "labelType": "System"} ], "z": null}, "x": [1.0]}"#,
        "\n",
    );
    let (stdout, stderr) = apply("in.jsonl", input);
    let want = concat!(
        r#"{"name": "a", "properties": {"title": "Port scan", "severity": "Low", "n": 1.50, "e": 1E3, "u": "caf\u00e9 \/x", "labels": []}}"#,
        "\n",
        r#"{"name": "b", "properties": {"title": "Phishing mail", "severity": "High", "n": 1.50, "u": "\u00e9", "labels": [ {"labelName": "vip", "labelType": "System"},{"labelName":"triage","labelType":"User"} ], "z": null,"lastModifiedTimeUtc":"2026-06-01T00:00:00Z"}, "x": [1.0]}"#,
        "\n",
    );
    assert_eq!(stdout, want);
    assert_eq!(stderr, "2 incident(s) processed, 1 changed, 2 change(s)\n");
}

#[test]
fn a_pretty_array_keeps_its_layout_and_new_values_are_pretty_printed_from_their_line() {
    // Four-space indentation, not serde_json's two: the elements keep theirs.
    let input = r#"[
  {
      "name": "c",
      "properties": {
          "title": "Phish kit",
          "severity": "Medium",
          "labels": [],
          "lastModifiedTimeUtc": "2026-05-01T00:00:00Z",
          "score": 2.50
      }
  },
  {
      "name": "d",
      "properties": {"title": "Quiet", "severity": "Low"}
  }
]
"#;
    let (stdout, _) = apply("in.json", input);
    let want = r#"[
  {
      "name": "c",
      "properties": {
          "title": "Phish kit",
          "severity": "High",
          "labels": [
            {
              "labelName": "triage",
              "labelType": "User"
            }
          ],
          "lastModifiedTimeUtc": "2026-06-01T00:00:00Z",
          "score": 2.50
      }
  },
  {
      "name": "d",
      "properties": {"title": "Quiet", "severity": "Low"}
  }
]
"#;
    assert_eq!(stdout, want);
}

#[test]
fn a_record_that_repeats_a_key_the_rules_write_is_written_from_its_parsed_form() {
    // serde_json keeps the last severity in the first one's place and writes it once.
    let input =
        r#"{"name": "e", "properties": {"title": "phish", "severity": "Low", "n": 1.50, "severity": "Medium"}}"#;
    let (stdout, _) = apply("in.jsonl", &format!("{input}\n"));
    assert_eq!(
        stdout,
        r#"{"name":"e","properties":{"title":"phish","severity":"High","n":1.5,"labels":[{"labelName":"triage","labelType":"User"}],"lastModifiedTimeUtc":"2026-06-01T00:00:00Z"}}"#
            .to_owned()
            + "\n"
    );
}
