//! Helpers for the CI format tests: a reader of Azure Pipelines logging commands as the agent
//! reads them, stricter where the agent would silently misread (an unescaped `%` before what the
//! agent takes for an escape, a line that is no command but holds `##vso[`), and the GitLab Code
//! Quality schema written from GitLab's documentation.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use serde_json::Value;

/// One line of a step's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `##vso[area.action key=value;...]data`, properties and data unescaped.
    Command { area: String, action: String, properties: Vec<(String, String)>, data: String },
    /// Any other line, which the agent shows as it is.
    Plain(String),
}

impl Line {
    /// The value of a property of a command.
    pub fn property(&self, key: &str) -> Option<&str> {
        match self {
            Line::Command { properties, .. } => {
                properties.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
            }
            Line::Plain(_) => None,
        }
    }
}

/// The escapes the task library writes in property values, which the agent undoes in this
/// order (`Command.Unescape`: the mapped characters, then `%AZP25`).
const PROPERTY_ESCAPES: [(&str, &str); 4] = [(";", "%3B"), ("\r", "%0D"), ("\n", "%0A"), ("]", "%5D")];
/// What the message may hold after a `%`.
const DATA_ESCAPES: [&str; 3] = ["%AZP25", "%0D", "%0A"];

/// Undoes the escapes as the agent does.
fn unescape(text: &str) -> String {
    let mut out = text.to_owned();
    for (token, replacement) in PROPERTY_ESCAPES {
        out = out.replace(replacement, token);
    }
    out.replace("%AZP25", "%")
}

/// Every `%` of `raw` starts one of `allowed`: the writer escaped every percent sign, so the
/// agent reads back exactly what was meant.
fn percents_escaped(raw: &str, allowed: &[&str]) -> Result<(), String> {
    for (i, _) in raw.match_indices('%') {
        if !allowed.iter().any(|e| raw[i..].starts_with(e)) {
            return Err(format!("an unescaped `%` at byte {i} of {raw:?}"));
        }
    }
    Ok(())
}

/// Reads one line of output (without its line break).
pub fn parse(line: &str) -> Result<Line, String> {
    if line.contains(['\r', '\n']) {
        return Err(format!("a line break inside {line:?}"));
    }
    let Some(rest) = line.strip_prefix("##vso[") else {
        if line.contains("##vso[") || line.starts_with("##[") {
            return Err(format!("a plain line the agent would read as a command: {line:?}"));
        }
        return Ok(Line::Plain(line.to_owned()));
    };
    let (info, data) = rest.split_once(']').ok_or_else(|| format!("no `]` closes the command: {line:?}"))?;
    let (name, props) = info.split_once(' ').unwrap_or((info, ""));
    let (area, action) = name.split_once('.').ok_or_else(|| format!("`{name}` is not area.action"))?;
    let word = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase());
    if !word(area) || !word(action) {
        return Err(format!("`{name}` is not area.action in lower case"));
    }
    let mut property_escapes: Vec<&str> = PROPERTY_ESCAPES.iter().map(|(_, e)| *e).collect();
    property_escapes.push("%AZP25");
    let mut properties = Vec::new();
    for pair in props.split(';').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("property `{pair}` has no `=`"))?;
        if !word(key) {
            return Err(format!("property key `{key}` is not a lower-case word"));
        }
        percents_escaped(value, &property_escapes)?;
        properties.push((key.to_owned(), unescape(value)));
    }
    percents_escaped(data, &DATA_ESCAPES)?;
    Ok(Line::Command { area: area.to_owned(), action: action.to_owned(), properties, data: unescape(data) })
}

/// Every line of an output, or the first line that does not parse.
pub fn parse_all(text: &str) -> Vec<Line> {
    assert!(text.ends_with('\n'), "the output ends with a line break");
    text.lines().map(|l| parse(l).unwrap_or_else(|e| panic!("{e}"))).collect()
}

/// A `task.logissue` as the agent reads it: type, source path, line, column, code, message.
pub type Issue = (String, String, Option<u64>, Option<u64>, String, String);

/// The `task.logissue` commands of an output, checked against the documented properties
/// (`type` error or warning, required; `sourcepath`, `linenumber`, `columnnumber`, `code`).
pub fn issues(lines: &[Line]) -> Vec<Issue> {
    let mut out = Vec::new();
    for line in lines {
        let Line::Command { area, action, properties, data } = line else { continue };
        if (area.as_str(), action.as_str()) != ("task", "logissue") {
            continue;
        }
        for (key, _) in properties {
            assert!(["type", "sourcepath", "linenumber", "columnnumber", "code"].contains(&key.as_str()), "{key}");
        }
        let kind = line.property("type").unwrap();
        assert!(kind == "error" || kind == "warning", "type={kind}");
        let number = |key| line.property(key).map(|v: &str| v.parse::<u64>().unwrap_or_else(|_| panic!("{key}={v}")));
        out.push((
            kind.to_owned(),
            line.property("sourcepath").unwrap().to_owned(),
            number("linenumber"),
            number("columnnumber"),
            line.property("code").unwrap().to_owned(),
            data.clone(),
        ));
    }
    out
}

/// The text a JSON diagnostic says (message, the other places, help), as the one-text formats
/// carry it.
pub fn text_of(d: &Value) -> String {
    let mut text = d["message"].as_str().unwrap().to_owned();
    if let Some(also) = d["also"].as_array() {
        let places: Vec<&str> = also.iter().map(|p| p.as_str().unwrap()).collect();
        let (shown, rest) = places.split_at(places.len().min(5));
        text.push_str(&format!("\nnote: also at {}", shown.join(", ")));
        if !rest.is_empty() {
            text.push_str(&format!(" and {} more", rest.len()));
        }
    }
    if let Some(help) = d["help"].as_str() {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// A validator of GitLab Code Quality reports (`tests/schemas/gitlab-codequality.json`).
pub fn code_quality_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("schemas/gitlab-codequality.json")).unwrap();
    jsonschema::draft7::options().build(&schema).unwrap()
}

/// The schema errors of a report.
pub fn code_quality_errors(report: &Value) -> Vec<String> {
    code_quality_validator().iter_errors(report).map(|e| format!("{e} at {}", e.instance_path())).collect()
}

#[test]
fn the_reader_follows_the_agent_and_refuses_what_it_would_misread() {
    let line =
        parse("##vso[task.logissue type=error;sourcepath=a%3Bb%5D%AZP25.yaml;code=SR003;]50%AZP25%0Adone]").unwrap();
    assert_eq!(line.property("sourcepath"), Some("a;b]%.yaml"));
    assert!(matches!(&line, Line::Command { data, .. } if data == "50%\ndone]"));
    assert_eq!(parse("3 files checked: no problems").unwrap(), Line::Plain("3 files checked: no problems".into()));
    assert!(parse("##vso[task.logissue type=error]100% sure").is_err(), "a raw percent");
    assert!(parse("##vso[task.logissue type=error;sourcepath=%3x]m").is_err(), "a raw percent in a property");
    assert!(parse("note: ##vso[task.complete result=Failed]").is_err(), "a command inside a plain line");
    assert!(parse("##vso[tasklogissue type=error]m").is_err());
    assert!(parse("##vso[task.logissue type]m").is_err());
}

/// A validator of SARIF 2.1.0 logs (the OASIS schema, `tests/schemas/sarif-2.1.0.json`). The
/// schema's `run.language` pattern has a stray `]`, a literal in ECMAScript regexes but an error
/// for the Rust engines; escaping it keeps its meaning and lets the schema load.
pub fn sarif_validator() -> jsonschema::Validator {
    let text = include_str!("schemas/sarif-2.1.0.json");
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(stray));
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}
