//! `xpath(xml, expression)`: XPath 1.0 (the .NET `XPathNavigator.Evaluate` Logic Apps uses),
//! written here over roxmltree because no XPath crate is maintained (sxd-xpath's last release
//! is from 2018).
//!
//! Covered: location paths with every axis but `namespace::`, abbreviations (`//`, `.`, `..`,
//! `@`), node tests (`*`, `p:*`, names, `node()`, `text()`, `comment()`,
//! `processing-instruction()`), predicates (numbers are positions), `|`, `or`, `and`, `=`,
//! `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `div`, `mod`, unary minus, and the core function
//! library but `id()` and `lang()`. Not covered: variables (`$x`), which Logic Apps cannot bind
//! either. An unprefixed name matches only elements in no namespace, as XPath 1.0 says, so
//! namespaced documents are queried with `*[name()="x"]` or `*[local-name()="x"]`, as the
//! reference's own example does; a prefixed name matches the prefix as declared in the
//! document.
//!
//! Results: a number, a string or a boolean as such (`sum(...)` = 30); a node-set as an array
//! in document order (as IllogicApps does; the reference's examples show a lone node without
//! brackets, which is left undecided there): elements as XML envelopes of their outer XML,
//! attributes, text and comments as their string values.

mod eval;
mod parser;

use serde_json::Value;

use super::super::content;
use eval::{evaluate, XNode, XValue};

/// Evaluates `expression` over the XML of `xml` (an XML envelope or XML text).
pub fn xpath(xml: &Value, expression: &str) -> Result<Value, String> {
    let text = super::text_of(xml).ok_or("the first parameter must be XML (an xml() value or a string of XML)")?;
    let doc = super::parse(&text)?;
    let expr = parser::parse(expression).map_err(|e| format!("'{expression}' is not a valid XPath expression: {e}"))?;
    let value = evaluate(&expr, doc.root()).map_err(|e| format!("the XPath expression '{expression}' failed: {e}"))?;
    Ok(match value {
        XValue::Nodes(nodes) => Value::Array(nodes.iter().map(node_value).collect()),
        XValue::Num(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
            // Exact: integral and below 2^53.
            #[allow(clippy::cast_possible_truncation)]
            Value::from(n as i64)
        }
        XValue::Num(n) => {
            serde_json::Number::from_f64(n).map_or_else(|| Value::String(eval::number_text(n)), Value::Number)
        }
        XValue::Str(s) => Value::String(s),
        XValue::Bool(b) => Value::Bool(b),
    })
}

fn node_value(node: &XNode<'_, '_>) -> Value {
    match node {
        XNode::Node(n) if n.is_element() => content::envelope(content::XML, super::outer_xml(*n).as_bytes()),
        XNode::Node(n) if n.is_root() => content::envelope(content::XML, n.document().input_text().trim().as_bytes()),
        other => Value::String(other.string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const PRODUCE: &str = "<produce><item><name expired='true'>Gala</name><type>apple</type><count>20</count></item><item><name>Honeycrisp</name><type>apple</type><count>10</count></item></produce>";

    fn run(expr: &str) -> Value {
        xpath(&json!(PRODUCE), expr).unwrap()
    }

    fn texts(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| content::text(x).unwrap_or_else(|| x.as_str().unwrap().to_owned()))
            .collect()
    }

    #[test]
    fn the_references_examples() {
        assert_eq!(run("/produce/item/name/text()"), json!(["Gala", "Honeycrisp"]));
        assert_eq!(
            texts(&run("/produce/item/name[1]")),
            ["<name expired='true'>Gala</name>", "<name>Honeycrisp</name>"]
        );
        assert_eq!(texts(&run("//name[@expired]")), ["<name expired='true'>Gala</name>"]);
        assert_eq!(run("sum(/produce/item/count)"), json!(30));
        let ns = r#"<?xml version="1.0"?><file xmlns="https://contoso.com"><location>Paris</location></file>"#;
        assert_eq!(xpath(&json!(ns), r#"string(/*[name()="file"]/*[name()="location"])"#).unwrap(), json!("Paris"));
        assert_eq!(xpath(&json!(ns), "/file").unwrap(), json!([]));
    }

    #[test]
    fn axes_predicates_and_functions() {
        assert_eq!(run("count(//item[count > 15])"), json!(1));
        assert_eq!(run("//item[last()]/name/text()"), json!(["Honeycrisp"]));
        assert_eq!(run("string(//item[2]/preceding-sibling::item/count)"), json!("20"));
        assert_eq!(run("//name[. = 'Gala']/@expired"), json!(["true"]));
        assert_eq!(run("concat(local-name(/*), '-', string-length('abc'))"), json!("produce-3"));
        assert_eq!(run("20 div 8"), json!(2.5));
        assert_eq!(run("not(//missing) and 1 < 2"), json!(true));
        assert!(xpath(&json!(PRODUCE), "//item[").unwrap_err().contains("not a valid XPath expression"));
        assert!(xpath(&json!("<a>"), "/a").unwrap_err().contains("not valid XML"));
    }
}
