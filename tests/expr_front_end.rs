//! The shared expression front end in both dialects, driven by
//! `tests/cases/expr/front_end/*.yaml` (see the comment at the top of each file): every case
//! reads a string value as ARM (`arm::StringValue::parse`) or as WDL (`Template::parse`), and
//! checks its canonical form, its literal text, the spans of its expressions, or its first
//! error. Every failing case is printed, then the test fails.

use std::fs;
use std::path::Path;

use serde::Deserialize;

use sentinel_soar::arm::StringValue;
use sentinel_soar::expr::Span;
use sentinel_soar::playbook::expr::{Part, Template};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    note: String,
    dialect: Dialect,
    text: String,
    want: Option<String>,
    want_literal: Option<String>,
    want_spans: Option<Vec<[usize; 2]>>,
    want_error: Option<WantError>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Dialect {
    Arm,
    Wdl,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WantError {
    kind: String,
    span: [usize; 2],
    message: String,
    help: Option<String>,
}

/// What a dialect made of a string value, in dialect-neutral terms.
enum Parsed {
    Literal(String),
    /// The canonical form and the spans of the expressions in it.
    Expressions(String, Vec<Span>),
}

/// An error in dialect-neutral terms: kind name, span, message, help.
type Error = (String, Span, String, Option<String>);

fn read(dialect: Dialect, text: &str) -> Result<Parsed, Error> {
    match dialect {
        Dialect::Arm => match StringValue::parse(text) {
            Ok(StringValue::Literal(s)) => Ok(Parsed::Literal(s)),
            Ok(StringValue::Expression(e)) => Ok(Parsed::Expressions(format!("[{e}]"), vec![e.span])),
            Err(e) => Err((e.kind.name().to_owned(), e.span, e.message, e.help)),
        },
        Dialect::Wdl => match Template::parse(text) {
            Ok(Template::Literal(s)) => Ok(Parsed::Literal(s)),
            Ok(Template::Expression(e)) => Ok(Parsed::Expressions(format!("@{e}"), vec![e.span])),
            Ok(Template::Interpolated(parts)) => {
                let mut out = String::new();
                let mut spans = Vec::new();
                for part in &parts {
                    match part {
                        Part::Text(t) => out.push_str(t),
                        Part::Expr(e) => {
                            out.push_str(&format!("@{{{e}}}"));
                            spans.push(e.span);
                        }
                    }
                }
                Ok(Parsed::Expressions(out, spans))
            }
            Err(e) => Err((e.kind.name().to_owned(), e.span, e.message, e.help)),
        },
    }
}

/// Runs one case; `Err` describes the mismatch.
fn run(case: &Case) -> Result<(), String> {
    let got = read(case.dialect, &case.text);
    match (&case.want, &case.want_literal, &case.want_error, got) {
        (Some(want), None, None, Ok(Parsed::Expressions(text, spans))) => {
            if &text != want {
                return Err(format!("want {want}, got {text}"));
            }
            let spans: Vec<[usize; 2]> = spans.iter().map(|s| [s.start, s.end]).collect();
            match &case.want_spans {
                Some(want) if want != &spans => Err(format!("spans {spans:?} (want {want:?})")),
                _ => Ok(()),
            }
        }
        (None, Some(want), None, Ok(Parsed::Literal(text))) if &text == want => Ok(()),
        (None, None, Some(want), Err((kind, span, message, help))) => {
            let want_span = Span::new(want.span[0], want.span[1]);
            if (&kind, span, &message) != (&want.kind, want_span, &want.message) || help != want.help {
                return Err(format!(
                    "error {kind} [{}, {}] {message:?} help {help:?} (want {} {:?} {:?} help {:?})",
                    span.start, span.end, want.kind, want.span, want.message, want.help
                ));
            }
            Ok(())
        }
        (_, _, _, Ok(Parsed::Literal(text))) => Err(format!("got the literal {text:?}")),
        (_, _, _, Ok(Parsed::Expressions(text, _))) => Err(format!("got the expression {text}")),
        (_, _, _, Err((kind, span, message, _))) => {
            Err(format!("got error {kind} [{}, {}]: {message}", span.start, span.end))
        }
    }
}

#[test]
fn front_end_cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/expr/front_end");
    let mut paths: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    paths.sort();
    let (mut total, mut failures) = (0, Vec::new());
    let mut dialects = [0, 0];
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file: CaseFile =
            serde_saphyr::from_str(&fs::read_to_string(path).unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (i, case) in file.cases.iter().enumerate() {
            total += 1;
            dialects[case.dialect as usize] += 1;
            if let Err(problem) = run(case) {
                failures.push(format!("{name} #{} ({})\n    {}\n    {problem}", i + 1, case.note, case.text));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} cases failed:\n{}", failures.len(), failures.join("\n"));
    assert!(dialects.iter().all(|n| *n >= 10), "cases per dialect (ARM, WDL): {dialects:?}");
}
