//! The registry as text: one code's explanation (`validate --explain CODE`) and the whole code
//! reference, `docs/codes.md` (a table of every code, then one section per family and code).
//! A test pins the committed `docs/codes.md` to [`reference`], so it cannot go stale.

use std::fmt::Write;

use super::{Code, Family};

/// `error`, `warning`, or `retired`.
fn severity_word(code: Code) -> String {
    if code.is_retired() {
        "retired".to_owned()
    } else {
        code.severity().to_string()
    }
}

/// One code as `validate --explain` prints it: `PB011 (error): summary`, a blank line, and the
/// explanation.
pub fn explain(code: Code) -> String {
    format!("{code} ({}): {}\n\n{}", severity_word(code), code.summary(), code.explanation())
}

/// The Markdown code reference (`docs/codes.md`).
pub fn reference() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         <!-- Generated from the code registry (src/diagnostic/code/); `cargo test` checks it.\n     \
         After changing the registry, run `cargo test --test it codes::`, which rewrites this file. -->\n\n\
         Every finding sentinel-soar reports carries a stable code: `SR` for automation rule files, `PB` for\n\
         playbooks (with their mocks and settings files), `SJ` for Sentinel's JSON and ARM formats, `ST` for\n\
         rule test files, `AR` for analytic rules and `RP` for the files of a content repository as a whole. A code keeps its meaning forever; a retired code stays listed and is never reused.\n\
         `sentinel-soar validate --explain CODE` prints one entry of this page.\n\n\
         | Code | Severity | Summary |\n|---|---|---|\n",
    );
    for &code in Code::ALL {
        let id = code.id();
        let summary = code.summary().replace('|', "\\|");
        let _ = writeln!(out, "| [{id}](#{}) | {} | {summary} |", id.to_lowercase(), severity_word(code));
    }
    for family in Family::ALL {
        let _ = write!(out, "\n## {} ({})\n", family.title(), family.prefix());
        for code in family.codes() {
            let _ = write!(
                out,
                "\n### {code}\n\n**{}**: {}\n\n{}",
                severity_word(code),
                code.summary(),
                code.explanation()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explain_starts_with_the_id_severity_and_summary() {
        let text = explain(Code::SR017);
        assert!(
            text.starts_with("SR017 (warning): Rules sharing an order number run in random order in Sentinel\n\n"),
            "{text}"
        );
        assert!(explain(Code::SR034).starts_with("SR034 (retired): "));
    }

    #[test]
    fn the_reference_lists_every_code_once_in_the_table_and_once_as_a_section() {
        let text = reference();
        for &code in Code::ALL {
            let row = format!("| [{code}](#{}) |", code.id().to_lowercase());
            assert_eq!(text.matches(&row).count(), 1, "{code}");
            assert_eq!(text.matches(&format!("\n### {code}\n")).count(), 1, "{code}");
        }
    }
}
