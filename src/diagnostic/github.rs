//! GitHub Actions workflow commands (`--format github`): one
//! `::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=CODE::message` line per
//! diagnostic (`::warning` for warnings), which GitHub shows as annotations on the file.
//! Data escapes `%`, `\r` and `\n`; property values also escape `:` and `,` (as the Actions
//! toolkit does). Columns are inclusive, and are left out when the range spans several lines,
//! as GitHub annotations only support columns within one line.

use super::{Diagnostic, Region, Severity, Sources};

/// Escapes a command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One workflow command for one diagnostic.
fn command(d: &Diagnostic, sources: &Sources) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = vec![format!("file={}", escape_property(&d.file.replace('\\', "/")))];
    if let Some(r) = Region::of_diagnostic(d, sources) {
        props.push(format!("line={}", r.start_line));
        if r.end_line == r.start_line {
            props.push(format!("col={}", r.start_column));
        }
        props.push(format!("endLine={}", r.end_line));
        if r.end_line == r.start_line {
            props.push(format!("endColumn={}", r.last_column()));
        }
    }
    props.push(format!("title={}", escape_property(d.code.id())));
    format!("::{kind} {}::{}", props.join(","), escape_data(&d.text()))
}

/// Renders every diagnostic as a workflow command, one per line.
pub fn render(diags: &[Diagnostic], sources: &Sources) -> String {
    diags.iter().map(|d| command(d, sources) + "\n").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::syntax::Span;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("100%\r\nnext: a, b"), "100%25%0D%0Anext: a, b");
        assert_eq!(escape_property("C:\\a,b%"), "C%3A\\a%2Cb%25");
    }

    #[test]
    fn writes_one_command_per_diagnostic() {
        let mut sources = Sources::default();
        sources.insert("r,1.yaml", "rules:\n  - nme: x\n");
        let span = Some(Span { start: 11, end: 14, line: 2, column: 5 });
        let diags = [
            Diagnostic::error(Code::SR003, "r,1.yaml", span, "unknown key `nme`").with_help("did you mean `name`?"),
            Diagnostic::warning(Code::SR033, "e.yaml", None, "the file holds no rules"),
        ];
        assert_eq!(
            render(&diags, &sources),
            "::error file=r%2C1.yaml,line=2,col=5,endLine=2,endColumn=7,title=SR003::unknown key `nme`%0Ahelp: did you mean `name`?\n\
             ::warning file=e.yaml,title=SR033::the file holds no rules\n"
        );
    }
}
