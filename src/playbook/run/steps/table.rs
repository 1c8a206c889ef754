//! `Table` (Create HTML table / Create CSV table): the items of `from` as rows. Columns are the
//! custom `columns` (`header`, and `value` rendered per item with `item()`), or else every key
//! of the items in first-seen order. HTML is `<table><thead>...</thead><tbody>...</tbody>
//! </table>` with cell text escaped; CSV follows RFC 4180 (fields with `,`, `"` or line breaks
//! quoted, lines ending in CRLF). Cells are values as `string()` renders them.

use serde_json::{json, Value};

use crate::playbook::expr::value::to_text;
use crate::playbook::model::step::{Table, TableFormat};
use crate::playbook::model::Action;
use crate::playbook::run::runner::Runner;

use super::projection::from_array;
use super::StepOutcome;

/// Runs a `Table` action.
pub fn table(action: &Action, table: &Table, run: &mut Runner<'_>) -> StepOutcome {
    let items = match from_array(action, run, &table.from) {
        Ok(items) => items,
        Err(outcome) => return *outcome,
    };
    let inputs = Some(json!({"from": items, "format": table.format.as_str()}));
    let (headers, rows) = if table.columns.is_empty() {
        let mut headers: Vec<String> = Vec::new();
        for item in &items {
            for key in item.as_object().into_iter().flat_map(|m| m.keys()) {
                if !headers.contains(key) {
                    headers.push(key.clone());
                }
            }
        }
        let rows = items
            .iter()
            .map(|item| {
                headers.iter().map(|h| item.get(h).map(|v| to_text(v).into_owned()).unwrap_or_default()).collect()
            })
            .collect();
        (headers, rows)
    } else {
        let headers = table.columns.iter().map(|(h, _)| h.clone()).collect();
        let mut rows = Vec::new();
        for item in items {
            let mut row = Vec::new();
            run.ctx.loops.push((action.name.clone(), item));
            for (_, value) in &table.columns {
                match run.render(action, value) {
                    Ok(v) => row.push(to_text(&v).into_owned()),
                    Err(e) => {
                        run.ctx.loops.pop();
                        return StepOutcome::failed(inputs, e);
                    }
                }
            }
            run.ctx.loops.pop();
            rows.push(row);
        }
        (headers, rows)
    };
    let body = match table.format {
        TableFormat::Html => html(&headers, &rows),
        TableFormat::Csv => csv(&headers, &rows),
    };
    StepOutcome::ok(inputs, Some(json!({"body": Value::String(body)})))
}

fn html(headers: &[String], rows: &[Vec<String>]) -> String {
    let cells =
        |tag: &str, items: &[String]| items.iter().map(|c| format!("<{tag}>{}</{tag}>", escape(c))).collect::<String>();
    let body: String = rows.iter().map(|r| format!("<tr>{}</tr>", cells("td", r))).collect();
    format!("<table><thead><tr>{}</tr></thead><tbody>{body}</tbody></table>", cells("th", headers))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn csv(headers: &[String], rows: &[Vec<String>]) -> String {
    let line = |items: &[String]| items.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    let mut out = line(headers);
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&line(row));
        out.push_str("\r\n");
    }
    out
}

fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_html_and_csv() {
        let headers = vec!["IP".to_owned(), "Note".to_owned()];
        let rows = vec![vec!["1.2.3.4".to_owned(), "a <b>, \"c\"".to_owned()]];
        assert_eq!(
            html(&headers, &rows),
            "<table><thead><tr><th>IP</th><th>Note</th></tr></thead><tbody><tr><td>1.2.3.4</td><td>a &lt;b&gt;, &quot;c&quot;</td></tr></tbody></table>"
        );
        assert_eq!(csv(&headers, &rows), "IP,Note\r\n1.2.3.4,\"a <b>, \"\"c\"\"\"\r\n");
    }
}
