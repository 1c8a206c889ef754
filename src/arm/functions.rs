//! The functions of ARM template expressions that templates deploying automation rules use
//! (string functions, `parameters`, `variables`, `concat`, `format`, `resourceId`,
//! `uniqueString`, `guid`, `subscription`, `resourceGroup`, logic and array helpers). `guid()`
//! is a version 5 UUID of its joined arguments: deterministic, but not ARM's own value.
//! Names resolve against [`ArmFunction`]'s table ([`super::table`]) after parsing; any other
//! function is an unknown function there, and [`EvalError::Unsupported`] for the template.

use serde_json::{Map, Value};

use super::expr::{text_of, EvalError, Evaluated, Scope};
use super::hash;
use super::table::ArmFunction;

fn strings(name: &str, args: &[Evaluated]) -> Result<Vec<String>, EvalError> {
    args.iter()
        .map(|a| text_of(&a.value).ok_or_else(|| EvalError::Invalid(format!("`{name}` takes strings"))))
        .collect()
}

fn placeholder(fields: &[(&str, String)]) -> Value {
    Value::Object(fields.iter().map(|(k, v)| ((*k).to_owned(), Value::String(v.clone()))).collect::<Map<_, _>>())
}

/// `resourceId([subscriptionId], [resourceGroupName], type, name1, name2, ...)`, built the way
/// ARM builds it: `/subscriptions/S/resourceGroups/G/providers/NS/t1/n1/t2/n2...`.
fn resource_id(args: &[String]) -> Result<Evaluated, EvalError> {
    let Some(at) = args.iter().position(|a| a.contains('/')) else {
        return Err(EvalError::Invalid("`resourceId` needs a resource type such as Microsoft.Logic/workflows".into()));
    };
    let (scope, rest) = args.split_at(at);
    let Some((kind, names)) = rest.split_first() else { return Err(EvalError::Invalid("`resourceId`".into())) };
    let mut segments = kind.split('/');
    let namespace = segments.next().unwrap_or_default();
    let types: Vec<&str> = segments.collect();
    if types.len() != names.len() {
        return Err(EvalError::Invalid(format!(
            "`resourceId` for {kind} takes {} name(s), {} given",
            types.len(),
            names.len()
        )));
    }
    let (sub, group, deployment) = match scope {
        [] => ("{subscriptionId}".to_owned(), "{resourceGroupName}".to_owned(), true),
        [g] => ("{subscriptionId}".to_owned(), g.clone(), true),
        [s, g] => (s.clone(), g.clone(), false),
        _ => return Err(EvalError::Invalid("`resourceId` takes at most a subscription and a group first".into())),
    };
    let mut id = format!("/subscriptions/{sub}/resourceGroups/{group}/providers/{namespace}");
    for (t, n) in types.iter().zip(names) {
        id.push_str(&format!("/{t}/{n}"));
    }
    Ok(Evaluated { value: Value::String(id), deployment })
}

fn format_fn(args: &[String]) -> String {
    let Some((fmt, rest)) = args.split_first() else { return String::new() };
    let mut out = String::new();
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' && chars.peek() != Some(&'{') {
            let spec: String = chars.by_ref().take_while(|c| *c != '}').collect();
            let index = spec.split(':').next().and_then(|i| i.trim().parse::<usize>().ok());
            out.push_str(index.and_then(|i| rest.get(i)).map_or("", String::as_str));
        } else if (c == '{' || c == '}') && chars.peek() == Some(&c) {
            chars.next();
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// Calls `function` (written `name`, named so in messages) on evaluated arguments.
pub fn call(
    function: ArmFunction,
    name: &str,
    args: Vec<Evaluated>,
    scope: &mut dyn Scope,
) -> Result<Evaluated, EvalError> {
    use ArmFunction as F;
    let deployment = args.iter().any(|a| a.deployment);
    let arg = |i: usize| args.get(i).map(|a| &a.value).unwrap_or(&Value::Null);
    let value = match function {
        F::Parameters | F::Variables => {
            let key = strings(name, &args)?.into_iter().next().unwrap_or_default();
            return if function == F::Parameters { scope.parameter(&key) } else { scope.variable(&key) };
        }
        F::Concat if !args.is_empty() && args.iter().all(|a| a.value.is_array()) => {
            Value::Array(args.iter().filter_map(|a| a.value.as_array()).flatten().cloned().collect())
        }
        F::Concat => Value::String(strings(name, &args)?.concat()),
        F::Format => Value::String(format_fn(&strings(name, &args)?)),
        F::ResourceId => {
            let mut id = resource_id(&strings(name, &args)?)?;
            id.deployment |= deployment;
            return Ok(id);
        }
        F::UniqueString => {
            let parts = strings(name, &args)?;
            Value::String(hash::unique_string(&parts.iter().map(String::as_str).collect::<Vec<_>>()))
        }
        F::Guid => Value::String(hash::guid(&strings(name, &args)?)),
        F::Subscription => {
            return Ok(Evaluated {
                value: placeholder(&[
                    ("id", "/subscriptions/{subscriptionId}".into()),
                    ("subscriptionId", "{subscriptionId}".into()),
                    ("tenantId", "{tenantId}".into()),
                    ("displayName", "{subscriptionName}".into()),
                ]),
                deployment: true,
            })
        }
        F::ResourceGroup => {
            return Ok(Evaluated {
                value: placeholder(&[
                    ("id", "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}".into()),
                    ("name", "{resourceGroupName}".into()),
                    ("location", "{location}".into()),
                ]),
                deployment: true,
            })
        }
        F::Tenant => {
            return Ok(Evaluated { value: placeholder(&[("tenantId", "{tenantId}".into())]), deployment: true })
        }
        F::ToLower => Value::String(strings(name, &args)?.concat().to_lowercase()),
        F::ToUpper => Value::String(strings(name, &args)?.concat().to_uppercase()),
        F::Trim => Value::String(strings(name, &args)?.concat().trim().to_owned()),
        F::String => Value::String(text_of(arg(0)).unwrap_or_else(|| arg(0).to_string())),
        F::Int => text_of(arg(0))
            .and_then(|t| t.parse::<i64>().ok())
            .map(Value::from)
            .ok_or_else(|| EvalError::Invalid("`int` of a value that is not a number".into()))?,
        F::Bool => Value::Bool(truthy(arg(0))),
        F::True => Value::Bool(true),
        F::False => Value::Bool(false),
        F::Replace => {
            let s = strings(name, &args)?;
            match s.as_slice() {
                [text, from, to] => Value::String(text.replace(from.as_str(), to)),
                _ => return Err(EvalError::Invalid("`replace` takes three strings".into())),
            }
        }
        F::Split => {
            let s = strings(name, &args)?;
            match s.as_slice() {
                [text, sep] => Value::Array(text.split(sep.as_str()).map(|p| Value::String(p.to_owned())).collect()),
                _ => return Err(EvalError::Invalid("`split` takes a string and a delimiter".into())),
            }
        }
        F::First | F::Last => match arg(0) {
            Value::Array(items) => {
                (if function == F::First { items.first() } else { items.last() }).cloned().unwrap_or(Value::Null)
            }
            Value::String(s) => {
                let c = if function == F::First { s.chars().next() } else { s.chars().last() };
                Value::String(c.map(String::from).unwrap_or_default())
            }
            _ => return Err(EvalError::Invalid(format!("`{name}` takes an array or a string"))),
        },
        F::CreateArray => Value::Array(args.iter().map(|a| a.value.clone()).collect()),
        F::If => {
            let chosen = if truthy(arg(0)) { arg(1) } else { arg(2) };
            chosen.clone()
        }
        F::Equals => Value::Bool(arg(0) == arg(1)),
        F::Not => Value::Bool(!truthy(arg(0))),
        F::And => Value::Bool(args.iter().all(|a| truthy(&a.value))),
        F::Or => Value::Bool(args.iter().any(|a| truthy(&a.value))),
        F::Empty => Value::Bool(match arg(0) {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }),
        F::Coalesce => args.iter().map(|a| a.value.clone()).find(|v| !v.is_null()).unwrap_or(Value::Null),
        F::Length => Value::from(match arg(0) {
            Value::String(s) => s.chars().count(),
            Value::Array(a) => a.len(),
            Value::Object(o) => o.len(),
            _ => 0,
        }),
    };
    Ok(Evaluated { value, deployment })
}
