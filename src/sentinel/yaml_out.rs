//! A small YAML writer for rule files: block style for the structure, flow style
//! (`{ property: X, operator: Y, values: [a, b] }`) for leaves and actions that fit in 100
//! columns, and scalars quoted whenever a plain scalar could be read as something else.

/// A YAML value to write. Scalars are already rendered (quoted or plain).
#[derive(Debug, Clone, PartialEq)]
pub enum Y {
    Scalar(String),
    /// Items; `true` when the list may be written in flow style.
    Seq(Vec<Y>, bool),
    /// Entries; `true` when the mapping may be written in flow style.
    Map(Vec<(&'static str, Y)>, bool),
}

const WIDTH: usize = 100;

const SPECIAL_WORDS: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];

/// True when `s` reads back as the same string written plain, inside flow collections too.
fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    let last = s.chars().last().unwrap_or(first);
    first.is_alphabetic()
        && !last.is_whitespace()
        && s.chars().all(|c| c.is_alphanumeric() || " _.@/()+=-".contains(c))
        && !s.contains("  ")
        && !SPECIAL_WORDS.contains(&s.to_ascii_lowercase().as_str())
}

/// A string scalar, plain when safe, else double-quoted with JSON escapes (valid YAML).
pub fn string(s: &str) -> Y {
    if plain_ok(s) {
        Y::Scalar(s.to_owned())
    } else {
        Y::Scalar(serde_json::to_string(s).unwrap_or_else(|_| format!("\"{}\"", s.escape_default())))
    }
}

/// A scalar written as given (numbers, booleans).
pub fn raw(s: impl Into<String>) -> Y {
    Y::Scalar(s.into())
}

fn flow(y: &Y) -> String {
    match y {
        Y::Scalar(s) => s.clone(),
        Y::Seq(items, _) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        Y::Map(entries, _) if entries.is_empty() => "{}".to_owned(),
        Y::Map(entries, _) => {
            format!("{{ {} }}", entries.iter().map(|(k, v)| format!("{k}: {}", flow(v))).collect::<Vec<_>>().join(", "))
        }
    }
}

fn flow_ok(y: &Y) -> bool {
    match y {
        Y::Scalar(_) => true,
        Y::Seq(items, ok) => *ok || items.is_empty(),
        Y::Map(entries, ok) => *ok || entries.is_empty(),
    }
}

/// Writes mapping entries at `indent`.
pub fn block_map(entries: &[(&'static str, Y)], indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for (key, value) in entries {
        match value {
            Y::Scalar(s) => out.push(format!("{pad}{key}: {s}")),
            v if flow_ok(v) && indent + key.len() + 2 + flow(v).len() <= WIDTH => {
                out.push(format!("{pad}{key}: {}", flow(v)));
            }
            Y::Map(inner, _) => {
                out.push(format!("{pad}{key}:"));
                block_map(inner, indent + 2, out);
            }
            Y::Seq(items, _) => {
                out.push(format!("{pad}{key}:"));
                block_seq(items, indent + 2, out);
            }
        }
    }
}

/// Writes list items at `indent`.
pub fn block_seq(items: &[Y], indent: usize, out: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    for item in items {
        match item {
            Y::Scalar(s) => out.push(format!("{pad}- {s}")),
            v if flow_ok(v) && indent + 2 + flow(v).len() <= WIDTH => out.push(format!("{pad}- {}", flow(v))),
            Y::Map(entries, _) => {
                let mut sub = Vec::new();
                block_map(entries, indent + 2, &mut sub);
                for (i, line) in sub.into_iter().enumerate() {
                    if i == 0 {
                        out.push(format!("{pad}- {}", line.trim_start()));
                    } else {
                        out.push(line);
                    }
                }
            }
            Y::Seq(inner, _) => {
                out.push(format!("{pad}-"));
                block_seq(inner, indent + 2, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_yaml_would_misread() {
        for (s, plain) in [
            ("Closed", true),
            ("Reset user passwords", true),
            ("endpoint-team@contoso.com", true),
            ("/subscriptions/x/alertRules/1", false),
            ("tactic:credential-access", false),
            ("yes", false),
            ("10.99.0.0/16", false),
            ("2026-12-31T23:59:59Z", false),
            ("a # b", false),
            ("", false),
            ("PT-", true),
        ] {
            assert_eq!(matches!(string(s), Y::Scalar(ref t) if t == s), plain, "{s}");
        }
        assert_eq!(string("say \"hi\"\n"), Y::Scalar(r#""say \"hi\"\n""#.into()));
    }

    #[test]
    fn writes_flow_leaves_inside_block_structure() {
        let leaf = Y::Map(vec![("property", string("HostName")), ("values", Y::Seq(vec![string("PT-")], true))], true);
        let doc = vec![("conditions", Y::Map(vec![("all", Y::Seq(vec![leaf.clone(), leaf], false))], false))];
        let mut out = Vec::new();
        block_map(&doc, 0, &mut out);
        assert_eq!(
            out.join("\n"),
            "conditions:\n  all:\n    - { property: HostName, values: [PT-] }\n    - { property: HostName, values: [PT-] }"
        );
    }
}
