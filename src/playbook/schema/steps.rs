//! The schema of one step: a mapping with exactly one kind key (one `oneOf` branch per kind,
//! in the order of [`KINDS`] and then [`OPS`]), the keys every step may have, the kind's
//! sibling keys, and the kind's body. Conditions of `if` and `until` are [`predicate`]s.

use serde_json::{json, Value};

use crate::model::{Classification, Severity, Status};
use crate::playbook::expr::Function;
use crate::playbook::model::compile_step::{KNOWN_TYPES, MOCK_ONLY};
use crate::playbook::model::control::{DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_UNTIL_COUNT};
use crate::playbook::model::step::{TableFormat, TerminateStatus, VariableType, WAIT_UNITS};
use crate::playbook::model::yaml::sentinel::{Op, OPS};
use crate::playbook::model::yaml::step::{Kind, CASE_KEYS, KINDS, SENTINEL_PREFIX};
use crate::playbook::model::yaml::COMMON_KEYS;
use crate::rules::schema::{object, reference, texts};

use super::{any, common_key, enum_or_expression, expression};

/// Body keys the decoder or the compiler reports as missing, by kind key.
pub const BODY_REQUIRED: &[(&str, &[&str])] = &[
    ("call", &["connector"]),
    ("set_variable", &["name", "value"]),
    ("increment_variable", &["name"]),
    ("decrement_variable", &["name"]),
    ("append_to_array", &["name", "value"]),
    ("append_to_string", &["name", "value"]),
    ("query", &["from", "where"]),
    ("select", &["from", "select"]),
    ("table", &["format"]),
    ("terminate", &["status"]),
    ("sentinel.add_comment", &["message"]),
    ("sentinel.add_task", &["title"]),
];

/// The keys of an `initialize_variable` declaration (Logic Apps' `inputs.variables` items).
pub const DECLARATION_KEYS: &[&str] = &["name", "type", "value"];

/// The keys of a `table` column.
pub const COLUMN_KEYS: &[&str] = &["header", "value"];

/// The keys of an `until` step's `limit`.
pub const LIMIT_KEYS: &[&str] = &["count", "timeout"];

/// The ways a step may write an Update incident `ownerAction` (Sentinel's connector).
const OWNER_ACTIONS: &[&str] = &["Assign", "Unassign"];

fn required(kind_key: &str) -> &'static [&'static str] {
    BODY_REQUIRED.iter().find(|(k, _)| *k == kind_key).map_or(&[], |(_, r)| *r)
}

/// A step: one branch per kind.
pub(super) fn step() -> Value {
    let mut kinds: Vec<Value> = KINDS.iter().map(kind_step).collect();
    kinds.extend(OPS.iter().map(op_step));
    json!({
        "description": "A step: a mapping with one kind key (sentinel.add_comment, call, http, if, switch, foreach, compose, ...), and name, id, run_after, ...",
        "oneOf": kinds,
    })
}

fn kind_step(kind: &Kind) -> Value {
    let keys: Vec<&str> = COMMON_KEYS.iter().copied().chain([kind.key]).chain(kind.siblings.iter().copied()).collect();
    let required: &[&str] = if kind.key == "until" { &["until", "limit"] } else { &[kind.key] };
    object(kind_description(kind.key), &keys, required, |k| {
        common_key(k).or_else(|| if k == kind.key { Some(body(kind)) } else { sibling(kind.key, k) })
    })
}

fn op_step(op: &Op) -> Value {
    let key = format!("{SENTINEL_PREFIX}{}", op.name);
    let keys: Vec<&str> = COMMON_KEYS.iter().copied().chain([key.as_str()]).collect();
    object(op_description(op.name), &keys, &[key.as_str()], |k| {
        common_key(k).or_else(|| (k == key).then(|| op_body(op, &key)))
    })
}

fn kind_description(key: &str) -> &'static str {
    match key {
        "type" => "Any Logic Apps action as written: `type` and its keys (inputs, expression, actions, ...).",
        "call" => "A connector operation (ApiConnection; ApiConnectionWebhook with webhook: true), answered by a mock.",
        "http" => "An HTTP call (Http), answered by a mock.",
        "if" => "If: the condition, then steps in `then`, else steps in `else`.",
        "switch" => "Switch: the value picks the case equal to it (`cases`), else `default`.",
        "foreach" => "For each item of the array: run `steps`.",
        "until" => "Run `steps` until the condition holds, at most `limit.count` times.",
        "scope" => "A scope: the steps, run as one unit.",
        "initialize_variable" => "Declare variables (InitializeVariable).",
        "set_variable" => "Set a variable (SetVariable).",
        "increment_variable" => "Increment a number variable (IncrementVariable).",
        "decrement_variable" => "Decrement a number variable (DecrementVariable).",
        "append_to_array" => "Append to an array variable (AppendToArrayVariable).",
        "append_to_string" => "Append to a string variable (AppendToStringVariable).",
        "compose" => "Compose a value (Compose).",
        "parse_json" => "Parse JSON content with a schema (ParseJson).",
        "query" => "Filter an array (Query).",
        "select" => "Map each item of an array (Select).",
        "join" => "Join an array's items with a separator (Join).",
        "table" => "An HTML or CSV table of an array (Table).",
        "terminate" => "End the run with a status (Terminate).",
        "wait" => "Wait for an interval or until a time (Wait), on the simulated clock.",
        "response" => "Answer the HTTP request of a request trigger (Response).",
        _ => "A step.",
    }
}

fn op_description(name: &str) -> &'static str {
    match name {
        "add_comment" => "Microsoft Sentinel: Add comment to incident (V3).",
        "update_incident" => "Microsoft Sentinel: Update incident.",
        "add_task" => "Microsoft Sentinel: Add task to incident.",
        "complete_task" => "Microsoft Sentinel: Mark a task as completed (task: the id Add task answers).",
        "add_relation" => "Microsoft Sentinel: Create incident relation (related: the related resource's ARM id).",
        "get_dns" => "Microsoft Sentinel: Entities - Get DNS.",
        "get_ips" => "Microsoft Sentinel: Entities - Get IPs.",
        "get_accounts" => "Microsoft Sentinel: Entities - Get Accounts.",
        "get_hosts" => "Microsoft Sentinel: Entities - Get Hosts.",
        "get_urls" => "Microsoft Sentinel: Entities - Get URLs.",
        "get_filehashes" => "Microsoft Sentinel: Entities - Get FileHashes.",
        "get_incident" => "Microsoft Sentinel: Get incident.",
        "alert_get_incident" => "Microsoft Sentinel: Alert - Get incident.",
        "get_alerts" => "Microsoft Sentinel: Get alerts of the incident.",
        _ => "A Microsoft Sentinel operation.",
    }
}

/// The value of a kind key.
fn body(kind: &Kind) -> Value {
    if let Some(keys) = kind.body {
        return object(kind_description(kind.key), keys, required(kind.key), |k| body_key(kind.key, k));
    }
    match kind.key {
        "type" => {
            let types: Vec<&str> = KNOWN_TYPES.iter().chain(MOCK_ONLY).copied().collect();
            json!({ "description": "The Logic Apps action type.", "enum": types })
        }
        "if" | "until" => json!({ "description": "The condition.", "allOf": [reference("predicate")] }),
        "switch" => {
            json!({ "description": "The value (an expression) the cases are compared with.", "type": ["string", "number"] })
        }
        "foreach" => json!({ "description": "The array (an expression) to loop over.", "type": ["string", "array"] }),
        "scope" => json!({ "description": "The steps of the scope.", "allOf": [reference("steps")] }),
        "initialize_variable" => json!({
            "description": "One declaration or a list of them.",
            "oneOf": [reference("variable"), { "type": "array", "minItems": 1, "items": reference("variable") }],
        }),
        "compose" => any("The value to compose (any value; expressions are evaluated)."),
        _ => any(kind_description(kind.key)),
    }
}

/// A key of a kind's body mapping.
fn body_key(kind: &str, key: &str) -> Option<Value> {
    Some(match (kind, key) {
        ("call", "connector") => json!({
            "description": "The connector (managed API: teams, office365, virustotal, ...; custom:Name for a custom connector).",
            "type": "string", "minLength": 1,
        }),
        ("call", "connection") => {
            json!({ "description": "The connection key; default the connector.", "type": "string" })
        }
        ("call", "method") | ("http", "method") => json!({ "description": "The HTTP method.", "type": "string" }),
        ("call", "path") => {
            json!({ "description": "The operation's path (with @{...} expressions).", "type": "string" })
        }
        ("call", "webhook") => {
            json!({ "description": "true: the call waits for a callback (approvals, adaptive cards).", "type": "boolean" })
        }
        (_, "queries") => json!({ "description": "Query parameters.", "type": "object" }),
        (_, "headers") => json!({ "description": "Headers.", "type": "object" }),
        (_, "body") => any("The body (any value; expressions are evaluated)."),
        ("http", "uri") => json!({ "description": "The URI.", "type": "string" }),
        ("http", "authentication") => {
            json!({ "description": "Logic Apps authentication (type, audience, ...).", "type": "object" })
        }
        (_, "name") => variable_name(),
        ("increment_variable" | "decrement_variable", "value") => json!({
            "description": "How much; default 1.",
            "anyOf": [{ "type": "number" }, expression("An expression that yields the number.")],
        }),
        (_, "value") => any("The value (any value; expressions are evaluated)."),
        ("parse_json", "content") => any("The JSON content (usually an expression)."),
        ("parse_json", "schema") => json!({ "description": "The JSON Schema of the content.", "type": "object" }),
        (_, "from") => any("The array (usually an expression)."),
        ("query", "where") => any("The condition each item must satisfy (an expression over item())."),
        ("select", "select") => any("What each item becomes (a mapping or an expression over item())."),
        ("join", "with") => json!({ "description": "The separator.", "type": "string" }),
        ("table", "format") => json!({
            "description": "The table's format.",
            "enum": TableFormat::ALL.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
        }),
        ("table", "columns") => json!({
            "description": "Custom columns; default one column per key of the first item.",
            "type": "array",
            "items": object("A column.", COLUMN_KEYS, &[], |k| Some(match k {
                "header" => json!({ "description": "The column's header.", "type": ["string", "number"] }),
                _ => any("The cell of each item (an expression over item())."),
            })),
        }),
        ("terminate", "status") => json!({
            "description": "The run's status.",
            "enum": TerminateStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        }),
        ("terminate", "code") => json!({ "description": "The error code (Failed).", "type": ["string", "number"] }),
        ("terminate", "message") => json!({ "description": "The error message (Failed).", "type": "string" }),
        ("wait", "count") => json!({
            "description": "How many units to wait.",
            "anyOf": [{ "type": "integer", "minimum": 0 }, expression("An expression that yields the count.")],
        }),
        ("wait", "unit") => enum_or_expression("The unit of `count`.", WAIT_UNITS.as_slice()),
        ("wait", "until") => json!({
            "description": "Wait until this time (RFC 3339) instead.",
            "anyOf": [{ "type": "string", "format": "date-time" }, expression("An expression that yields the time.")],
        }),
        ("response", "status_code") => json!({
            "description": "The HTTP status code.",
            "anyOf": [{ "type": "integer", "minimum": 100, "maximum": 599 }, expression("An expression that yields the code.")],
        }),
        _ => return None,
    })
}

/// A key beside a kind key.
fn sibling(kind: &str, key: &str) -> Option<Value> {
    let steps = |description: &str| json!({ "description": description, "allOf": [reference("steps")] });
    Some(match (kind, key) {
        ("if", "then") => steps("The steps run when the condition holds."),
        ("if", "else") => steps("The steps run when it does not."),
        ("switch", "cases") => json!({
            "description": "The cases by name.",
            "type": "object",
            "additionalProperties": object("A case.", CASE_KEYS, &[], |k| Some(match k {
                "case" => json!({ "description": "The value that picks this case.", "type": ["string", "number"] }),
                _ => steps("The steps of this case."),
            })),
        }),
        ("switch", "default") => steps("The steps run when no case matches."),
        ("foreach", "steps") => steps("The steps run for each item (items('Id') is the item)."),
        ("foreach", "concurrency") => json!({
            "description": "How many iterations overlap on the simulated clock; 1: one after another.",
            "type": "integer", "minimum": 1, "maximum": MAX_CONCURRENCY, "default": DEFAULT_CONCURRENCY,
        }),
        ("until", "steps") => steps("The steps run in each iteration."),
        ("until", "limit") => object("The loop's bound.", LIMIT_KEYS, &["count"], |k| {
            Some(match k {
                "count" => json!({
                    "description": "At most this many iterations.",
                    "type": "integer", "minimum": 1, "maximum": MAX_UNTIL_COUNT,
                }),
                _ => json!({
                    "description": "At most this long (ISO 8601 duration: PT1H).",
                    "type": "string",
                    "pattern": "^P(\\d+(\\.\\d+)?[WD])*(T(\\d+(\\.\\d+)?[HMS])+)?$",
                }),
            })
        }),
        ("type", "operationOptions") | ("type", "kind") => {
            json!({ "description": format!("Logic Apps `{key}`."), "type": "string" })
        }
        ("type", "inputs" | "expression" | "foreach") => any(&format!("Logic Apps `{key}`, as written.")),
        ("type", _) => json!({ "description": format!("Logic Apps `{key}`, as written."), "type": "object" }),
        _ => return None,
    })
}

/// The body of a Sentinel operation.
fn op_body(op: &Op, key: &str) -> Value {
    let description = op_description(op.name);
    let mut schema = object(description, op.body, required(key), |k| sentinel_key(op.name, k));
    if required(key).is_empty() {
        // Nothing to give: `sentinel.get_ips:` alone, or `{}`.
        schema = json!({ "description": description, "oneOf": [{ "type": "null" }, schema] });
    }
    schema
}

/// The connector's ClassificationAndReason texts (`TruePositive - SuspiciousActivity`).
fn classifications() -> Vec<String> {
    Classification::ALL
        .iter()
        .flat_map(|c| {
            let reasons = c.allowed_reasons();
            if reasons.is_empty() {
                vec![c.as_str().to_owned()]
            } else {
                reasons.iter().map(|r| format!("{} - {}", c.as_str(), r.as_str())).collect()
            }
        })
        .collect()
}

fn sentinel_key(op: &str, key: &str) -> Option<Value> {
    let string = |description: &str| json!({ "description": description, "type": "string" });
    Some(match (op, key) {
        (_, "incident") => string("The incident's ARM id; default the trigger's incident (alert playbooks must name it: \"@body('Alert_-_Get_incident')?['id']\")."),
        ("add_comment", "message") => string("The comment (HTML)."),
        ("add_task", "title") => string("The task's title."),
        ("add_task", "description") => string("The task's description."),
        ("complete_task", "task") => string("The task's ARM id, as Add task answers it: \"@body('Add_task_to_incident')?['id']\"."),
        ("add_relation", "related") => string("The related resource's ARM id (an incident, a bookmark, an entity)."),
        (_, "entities") => any("The entities to look in; default the trigger's."),
        (_, "status") => enum_or_expression("The new status.", Status::names().as_slice()),
        (_, "severity") => enum_or_expression("The new severity.", Severity::names().as_slice()),
        (_, "classification") => enum_or_expression("Classification and reason (closing).", classifications().as_slice()),
        (_, "classification_comment") => string("The closing comment."),
        (_, "owner") => string("The new owner: a UPN or e-mail, an object id, or a name."),
        (_, "owner_action") => enum_or_expression("Assign (default) or Unassign.", OWNER_ACTIONS),
        (_, "title") => string("The new title."),
        (_, "description") => string("The new description."),
        (_, "add_tags") => texts("Tags to add."),
        (_, "remove_tags") => texts("Tags to remove."),
        _ => return None,
    })
}

/// A condition: an expression, or a predicate mapping (the designer's object form).
pub(super) fn predicate() -> Value {
    let list =
        |description: &str| json!({ "description": description, "type": "array", "items": reference("predicate") });
    json!({
        "description": "A condition: an expression (\"@equals(a, b)\"), or a mapping with one key: and, or, not, or a function (equals, contains, greater, ...) over its operands.",
        "oneOf": [
            { "description": "An expression that yields a boolean, or a boolean.", "type": ["string", "boolean"] },
            {
                "description": "A predicate mapping with one key.",
                "type": "object",
                "minProperties": 1,
                "maxProperties": 1,
                "properties": {
                    "and": list("Every predicate holds."),
                    "or": list("At least one predicate holds."),
                    "not": { "description": "The predicate does not hold.", "allOf": [reference("predicate")] },
                },
                "propertyNames": { "enum": Function::names().collect::<Vec<_>>() },
                "additionalProperties": { "description": "The function's operands: a list, or one value." },
            },
        ],
    })
}

/// An `initialize_variable` declaration.
pub(super) fn declaration() -> Value {
    let types: Vec<String> = VariableType::ALL.iter().map(|t| t.as_str().to_ascii_lowercase()).collect();
    object("A variable declaration.", DECLARATION_KEYS, &["name", "type"], |k| {
        Some(match k {
            "name" => variable_name(),
            "type" => json!({ "description": "The variable's type.", "enum": types }),
            _ => any("The initial value; default null."),
        })
    })
}

/// A variable's name. YAML 1.1 readers take `N` or `No` for booleans; the decoder takes the
/// word as written, so a boolean is accepted here too.
fn variable_name() -> Value {
    json!({ "description": "The variable's name, read with variables('Name').", "type": ["string", "boolean"], "minLength": 1 })
}
