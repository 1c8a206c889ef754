//! The visible placeholder a template parameter without a value reads as, in playbooks: a
//! Logic Apps template whose parameter has no `defaultValue` and no `--param` still loads and
//! runs, the parameter reading as `<no value: NAME>` wherever it is used (inside `concat(...)`
//! too), and an expression that needs a real value fails at its step naming the parameter
//! ([`note`]).

/// The placeholder of parameter `name`.
pub fn placeholder(name: &str) -> String {
    format!("{PREFIX}{name}>")
}

const PREFIX: &str = "<no value: ";

/// The parameters whose placeholders `text` holds.
pub fn names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let after = rest.get(at + PREFIX.len()..).unwrap_or_default();
        let Some(end) = after.find('>') else { break };
        let name = after.get(..end).unwrap_or_default();
        if !out.contains(&name) {
            out.push(name);
        }
        rest = after.get(end..).unwrap_or_default();
    }
    out
}

/// What to add to an error about a value holding placeholders: which parameters have no value
/// and how to give them one; `None` when it holds none.
pub fn note(text: &str) -> Option<String> {
    let names = names(text);
    let (first, rest) = names.split_first()?;
    let mut list = format!("'{first}'");
    for n in rest {
        list.push_str(&format!(", '{n}'"));
    }
    let params: Vec<String> = names.iter().map(|n| super::template::param_flag(n)).collect();
    Some(format!(
        "the value holds the placeholder of template parameter {list}, which has no value: pass {}",
        params.join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_parameters_in_a_text() {
        let text = format!("https://{}/v1?key={}", placeholder("ApiHost"), placeholder("Api Key"));
        assert_eq!(names(&text), ["ApiHost", "Api Key"]);
        assert_eq!(
            note(&placeholder("n")).as_deref(),
            Some("the value holds the placeholder of template parameter 'n', which has no value: pass --param n=VALUE")
        );
        assert_eq!(note("plain"), None);
        assert_eq!(
            note(&placeholder("Api Key")).as_deref(),
            Some("the value holds the placeholder of template parameter 'Api Key', which has no value: pass --param 'Api Key=VALUE'")
        );
    }
}
