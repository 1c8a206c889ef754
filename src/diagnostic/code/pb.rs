//! PB: playbooks (YAML and Logic Apps JSON), their mocks and settings files. Codes below PB040
//! are found when a playbook loads (`validate`, and before every run); PB040 and above while it
//! runs, in the run log next to the Logic Apps error code. PB027-PB039 are free for load-time
//! codes to come.

use super::Entry;

pub(super) const PB001: Entry = Entry::error(
    "The playbook file is not valid YAML or JSON",
    r#"A playbook file does not parse, so none of its workflows is read: a YAML or JSON syntax error (an unclosed quote or bracket, a missing comma, a tab in YAML indentation) or the same key twice in one mapping. The caret points where the parser gave up. A Logic Apps JSON file gets this code rather than SJ001, because it was read as a playbook.

```json
{ "definition": { "actions": { "Compose": { "type": "Compose", } } } }
```

JSON allows no trailing comma:

```json
{ "definition": { "actions": { "Compose": { "type": "Compose" } } } }
```
"#,
);

pub(super) const PB002: Entry = Entry::error(
    "The file holds no workflow",
    r#"A file read as a playbook holds none: a YAML playbook is a mapping with `steps`, and Logic Apps JSON is an ARM template with a `Microsoft.Logic/workflows` resource, a workflow resource's `properties`, or a bare workflow definition (`definition`, or `triggers`/`actions`). This one is none of them, so nothing runs.

```yaml
- name: Enrich IP
  compose: "@triggerBody()"
```

A YAML playbook is a mapping with a name and its steps:

```yaml
name: Enrich-IP
steps:
  - compose: "@triggerBody()"
```
"#,
);

pub(super) const PB003: Entry = Entry::error(
    "A key this place of a YAML playbook does not take",
    r#"A YAML playbook (or one of its steps, or a connection) holds a key that place does not define, usually a typo. YAML playbook keys are snake_case and exact; the help line suggests the closest one. (Logic Apps JSON is read as Logic Apps reads it, and takes its own keys.)

```yaml
name: Enrich-IP
descriptoin: Looks up every IP address
steps:
  - compose: "@triggerBody()"
```

Fix the key (`description`). `sentinel-soar schema playbooks` prints the JSON Schema of the YAML form for editors.
"#,
);

pub(super) const PB004: Entry = Entry::error(
    "A required key is missing",
    r#"Something a playbook needs is not there: a YAML playbook's `name` or `steps`; an action's `type` in Logic Apps JSON; a connector action's `inputs`; an If's or Switch's `expression`; a Foreach's `foreach`; a variable's `name`; a step body's required field. Logic Apps refuses such a workflow when it is saved.

```yaml
steps:
  - compose: "@triggerBody()"
```

Name the playbook:

```yaml
name: Echo-Trigger
steps:
  - compose: "@triggerBody()"
```
"#,
);

pub(super) const PB005: Entry = Entry::error(
    "A value of the wrong type",
    r#"A value has the wrong shape: `steps` that are not a list, `actions` or an action that is not a mapping, a `runAfter` that does not map action names to status lists, a predicate mapping with more than one key, a static result that is not a mapping. The message says what was expected and what was found.

```json
"actions": {
  "Compose": "not an action"
}
```

An action is a mapping with its `type`:

```json
"actions": {
  "Compose": { "type": "Compose", "inputs": "@triggerBody()" }
}
```
"#,
);

pub(super) const PB006: Entry = Entry::error(
    "An action type or step kind that is not one of Logic Apps'",
    r#"An action's `type` (Logic Apps JSON) is not a Logic Apps action type, a YAML step has no known kind key (or two of them), or a `sentinel.` step names an operation the Microsoft Sentinel connector does not have. Types match ignoring case, as Logic Apps' own templates write both `Wait` and `wait`.

```json
"Weird": { "type": "Frobnicate", "runAfter": {} }
```

Use a Logic Apps action type (`Compose`, `ApiConnection`, `Http`, `If`, `Foreach`, `InitializeVariable`, ...). The YAML step kinds are listed in the step table of docs/playbooks.md (Playbook format).
"#,
);

pub(super) const PB007: Entry = Entry::error(
    "Two actions with the same name",
    r#"Two actions of one workflow have the same name, compared ignoring case as Logic Apps does. Action names are unique across the whole workflow, nested scopes included, because `body('X')`, `outputs('X')` and `runAfter` refer to actions by name alone.

```json
"actions": {
  "Notify": { "type": "Compose", "inputs": 1, "runAfter": {} },
  "Scope": { "type": "Scope", "actions": { "notify": { "type": "Compose", "inputs": 2, "runAfter": {} } } }
}
```

Rename one of them (in YAML, give the step its own `name` or `id`).
"#,
);

pub(super) const PB008: Entry = Entry::error(
    "A runAfter that names an action outside its scope",
    r#"An action's `runAfter` (YAML `run_after`) names an action that does not exist in the same scope. Logic Apps orders actions only among siblings: an action inside a Scope, Foreach or branch cannot wait for one outside it (its container does that), and a typo leaves the action waiting for nothing.

```yaml
steps:
  - name: First
    compose: 1
  - name: Second
    run_after: [Frist]
    compose: 2
```

Name a sibling action (the help line suggests one):

```yaml
    run_after: [First]
```
"#,
);

pub(super) const PB009: Entry = Entry::error(
    "A cycle of runAfter dependencies",
    r#"The `runAfter` dependencies of some actions form a cycle: A runs after B, and B after A (directly or through others). None of them can ever start, and Logic Apps refuses the workflow. Every action of the cycle is reported.

```json
"A": { "type": "Compose", "inputs": 1, "runAfter": { "B": ["Succeeded"] } },
"B": { "type": "Compose", "inputs": 2, "runAfter": { "A": ["Succeeded"] } }
```

Decide which runs first and remove the other dependency:

```json
"A": { "type": "Compose", "inputs": 1, "runAfter": {} },
"B": { "type": "Compose", "inputs": 2, "runAfter": { "A": ["Succeeded"] } }
```
"#,
);

pub(super) const PB010: Entry = Entry::error(
    "A runAfter status other than Succeeded, Failed, Skipped, TimedOut",
    r#"A `runAfter` status list holds a value that is not one of the four Logic Apps statuses an action can wait for: `Succeeded`, `Failed`, `Skipped`, `TimedOut`. (A run can end Cancelled, but an action cannot run after a Cancelled one.)

```json
"runAfter": { "Compose": ["Succeeded", "Finished"] }
```

To run whatever happened before, list every status:

```json
"runAfter": { "Compose": ["Succeeded", "Failed", "Skipped", "TimedOut"] }
```
"#,
);

pub(super) const PB011: Entry = Entry::error(
    "An expression that does not parse",
    r#"A Workflow Definition Language expression (`@...` or `@{...}` in a string) does not parse: a syntax error, a function the language does not have, or the wrong number of arguments; in a YAML predicate mapping, a predicate name that is not a function. Logic Apps refuses to save such a workflow (the template language expression is not valid), so it is reported when the playbook loads, before any run. The label under the caret says which error it is (unexpected token, unknown function, argument count, ...).

```json
"inputs": "Verdict: @{concat('IP ' 'is malicious')}"
```

Separate the arguments with a comma:

```json
"inputs": "Verdict: @{concat('IP ', 'is malicious')}"
```
"#,
);

pub(super) const PB012: Entry = Entry::error(
    "An action read before it runs",
    r#"An expression reads the result of an action (`body('X')`, `outputs('X')`, `actions('X')`, `result('X')`) that does not run before this one: X is not on any `runAfter` path into the reading action or a container around it. In Logic Apps the expression would fail at run time, or read X while it is still running in a parallel branch.

```yaml
steps:
  - name: First
    compose: "@body('Second')"
  - name: Second
    compose: x
```

Make the reader run after what it reads (in YAML, order the steps):

```yaml
steps:
  - name: Second
    compose: x
  - name: First
    compose: "@outputs('Second')"
```
"#,
);

pub(super) const PB013: Entry = Entry::error(
    "An expression names an action that does not exist",
    r#"An expression reads an action (`body('X')`, `outputs('X')`, `actions('X')`, `result('X')`) that the workflow does not have, usually a typo or an action renamed without its readers; the help line suggests the closest name. Action names in expressions use `_` for spaces, as the designer writes them.

```yaml
steps:
  - name: Get IPs
    sentinel.get_ips: {}
  - compose: "@body('Get_IP')"
```

Use the action's name:

```yaml
  - compose: "@body('Get_IPs')"
```
"#,
);

pub(super) const PB014: Entry = Entry::error(
    "A loop function outside its loop",
    r#"`items('X')` is used outside a Foreach named X, `iterationIndexes('X')` outside an Until named X, or `item()` outside any Foreach (or a Query/Select's `where`/`select`). There is no current item there, and Logic Apps refuses the workflow.

```yaml
steps:
  - name: Loop
    foreach: "@body('Get_IPs')?['IPs']"
    steps:
      - compose: x
  - compose: "@items('Loop')"
```

Move the reader into the loop:

```yaml
  - name: Loop
    foreach: "@body('Get_IPs')?['IPs']"
    steps:
      - compose: "@items('Loop')"
```
"#,
);

pub(super) const PB015: Entry = Entry::error(
    "A variable that no InitializeVariable declares",
    r#"`variables('v')`, or a Set, Increment, Decrement or Append variable action, uses a variable that no InitializeVariable action of the workflow declares. Logic Apps requires every variable to be initialized (at the top level, see PB024) before it is used. Names compare ignoring case.

```yaml
steps:
  - set_variable: { name: verdict, value: malicious }
```

Initialize it first:

```yaml
steps:
  - initialize_variable: { name: verdict, type: string, value: unknown }
  - set_variable: { name: verdict, value: malicious }
```
"#,
);

pub(super) const PB016: Entry = Entry::error(
    "An Until loop without a count limit",
    r#"An Until loop has no `limit.count`. Logic Apps falls back to a default of 60 iterations, but a loop whose bound is not written down is easy to misjudge; sentinel-soar requires one, so that every loop in a playbook states how far it may go (at most 5000, Logic Apps' maximum).

```yaml
- name: Wait for the ticket
  until: "@equals(body('Get_ticket')?['state'], 'closed')"
  steps:
    - call: { connector: service-now, method: get, path: /api/now/table/incident }
```

State the bound (and, for simulated time, a timeout):

```yaml
  until: "@equals(body('Get_ticket')?['state'], 'closed')"
  limit: { count: 10, timeout: PT1H }
```
"#,
);

pub(super) const PB017: Entry = Entry::error(
    "A secret written as a literal",
    r#"A credential is written in the playbook file as a value: an Http action's authentication password, secret or pfx, a header or query parameter whose name says it carries a credential (`Authorization`, `x-api-key`, `token`, ...), or a YAML connection secret. A literal secret ends up in every run log, every copy of the file and the repository's history. Sentinel's own templates take secrets from parameters, Key Vault or managed identities.

```yaml
- http:
    method: get
    uri: https://intel.example/api/ip
    headers: { x-api-key: 3f9c0a7e5b }
```

Reference it instead: a workflow parameter that reads an environment variable (`parameters: { ApiKey: { env: INTEL_API_KEY } }`) and `"@parameters('ApiKey')"` in the header.
"#,
);

pub(super) const PB018: Entry = Entry::warning(
    "A connector call whose connection is not declared",
    r#"An ApiConnection action refers to a connection (`@parameters('$connections')['key']`) that the workflow's `$connections` parameter does not declare, so its connector cannot be told from the connection's API id. sentinel-soar takes the connection key as the connector name and goes on, which is usually right for templates whose connections are declared at deployment; mocks then match on that name.

```json
"host": { "connection": { "name": "@parameters('$connections')['virustotal_1']['connectionId']" } }
```

Declare the connection in `$connections` (with its `id` ending in `/managedApis/virustotal`), or in YAML under `connections:`.
"#,
);

pub(super) const PB019: Entry = Entry::retired(
    "Not assigned",
    r#"This id was set aside for a template that holds several workflows, before such templates were supported: every workflow of a template now loads on its own. It has never been reported and is not reused.
"#,
);

pub(super) const PB020: Entry = Entry::error(
    "A value outside its allowed set",
    r#"A value that Logic Apps takes from a closed list or range is not in it: a variable type (`string`, `integer`, `float`, `boolean`, `array`, `object`), a Terminate `runStatus` (Succeeded, Failed, Cancelled), a Table `format` (HTML, CSV), a Foreach concurrency (1 to 50), an Until `limit.count` (1 to 5000) or `limit.timeout` (an ISO 8601 duration), a YAML `trigger` kind.

```yaml
- initialize_variable: { name: hits, type: number, value: 0 }
```

Use one of the allowed values:

```yaml
- initialize_variable: { name: hits, type: integer, value: 0 }
```
"#,
);

pub(super) const PB021: Entry = Entry::warning(
    "An action type this tool runs only through a mock",
    r#"The action has a real Logic Apps type that sentinel-soar does not run itself, because it calls code or services outside the workflow: `Workflow` (a child Logic App), `Function` (Azure Functions), `JavaScriptCode`, and similar, or an `Expression` action of a kind other than the built-in Date Time ones. The playbook loads, and the action runs only when a mock (or a static result) answers it; otherwise it is recorded as not run. The Date Time actions (`Expression` of kind `CurrentTime`, `AddToTime`, `SubtractFromTime`, `GetFutureTime`, `GetPastTime`, `ConvertTimeZone`) only read the clock, so they run on the simulated clock, as the WDL functions of the same names do, with no warning.

```json
"Call_enrichment": { "type": "Function", "inputs": { "function": { "id": "..." } }, "runAfter": {} }
```

Give it a mock in the run's mocks file:

```yaml
mocks:
  - match: { action: Call_enrichment }
    outputs: { statusCode: 200, body: { verdict: clean } }
```
"#,
);

pub(super) const PB022: Entry = Entry::error(
    "A static result that staticResults does not define",
    r#"An action's `runtimeConfiguration.staticResult.name` names a static result that the workflow definition's `staticResults` does not have. Logic Apps refuses the workflow; the action would have no answer to fall back on.

```json
"runtimeConfiguration": { "staticResult": { "name": "Get_user0", "staticResultOptions": "Enabled" } }
```

Name an entry of `staticResults` (the designer names them after the action, `Get_user0`), or add one.
"#,
);

pub(super) const PB023: Entry = Entry::error(
    "A problem in a mocks file",
    r#"A mocks file does not have the expected shape: it is not valid YAML or JSON, has no `mocks` list, or a mock has an unknown key, an `outputs` key other than `statusCode`, `headers` and `body` (Logic Apps' static-results shape), a `status` other than Succeeded, Failed or TimedOut, or a `duration` that is neither an ISO 8601 duration nor a number of seconds. A typo here would silently give a call the wrong answer, so every mistake is an error.

```yaml
mocks:
  - match: { action: Get_an_IP_report }
    outputs: { status_code: 200, body: { data: {} } }
```

Use the static-results keys:

```yaml
    outputs: { statusCode: 200, body: { data: {} } }
```
"#,
);

pub(super) const PB024: Entry = Entry::error(
    "InitializeVariable outside the top level of the workflow",
    r#"An InitializeVariable action sits inside a container (Scope, If, Switch, Foreach, Until). Logic Apps allows variables to be initialized only at the top level of a workflow, so the designer and the service refuse it.

```yaml
- scope:
    - initialize_variable: { name: verdict, type: string }
```

Initialize the variable at the top level, and set it inside the container:

```yaml
- initialize_variable: { name: verdict, type: string }
- scope:
    - set_variable: { name: verdict, value: clean }
```
"#,
);

pub(super) const PB025: Entry = Entry::error(
    "Containers nested deeper than the depth limit",
    r#"Containers (Scope, If, Switch, Foreach, Until) nest more than 32 levels deep. Real playbooks rarely pass 9; a deeper tree is almost always generated by mistake, and the limit keeps loading and running bounded. The deepest container is reported.

Flatten the workflow: move the inner part into a Scope at a higher level, or into a child workflow.
"#,
);

pub(super) const PB026: Entry = Entry::error(
    "A problem in a workspace settings file",
    r#"A workspace settings file (the `roles` of people and the `playbook_resource_groups` Sentinel may run playbooks in) does not have the expected shape: it is not valid YAML, has an unknown key, a person whose roles are not a list, or a role that is not one of Azure's roles for Sentinel and Logic Apps (Microsoft Sentinel Reader, Responder, Contributor, Playbook Operator and Automation Contributor; Logic App Operator and Logic App Contributor; Reader, Contributor and Owner). Role names match ignoring case, with or without `Microsoft `.

```yaml
roles:
  ada@contoso.com: [Sentinel Respondr]
```

Spell the role as Azure names it:

```yaml
roles:
  ada@contoso.com: [Microsoft Sentinel Responder]
```
"#,
);

pub(super) const PB040: Entry = Entry::error(
    "Run time: a Foreach over a value that is not an array",
    r#"While the playbook runs, a Foreach's `foreach` expression gives something other than an array (null, an object, a string). Logic Apps fails the loop with InvalidTemplate ("the result of the evaluation of 'foreach' expression is of type 'Null'. The result must be a valid array."), and so does sentinel-soar: the run log shows the error with this code and the action's position.

```yaml
- name: For each IP
  foreach: "@body('Get_IPs')?['IP']"
```

Point the loop at the array (here the output's `IPs`), or guard it with `coalesce(..., json('[]'))`.
"#,
);

pub(super) const PB041: Entry = Entry::error(
    "Run time: an expression failed to evaluate",
    r#"While the playbook runs, an expression in an action's inputs (or a condition) fails to evaluate: a property selected on null without `?`, a function given the wrong type (`add('1', 2)`), an index out of range, a division by zero. Logic Apps fails the action with InvalidTemplate; sentinel-soar does the same, and the run log names the expression's error and the action's position.

```yaml
- compose: "@body('Get_incident')['properties']['owner']['email']"
```

Select optional properties with `?` so that a missing one gives null instead of an error:

```yaml
- compose: "@body('Get_incident')?['properties']?['owner']?['email']"
```
"#,
);

pub(super) const PB042: Entry = Entry::error(
    "Run time: a run budget is spent",
    r#"A run spent one of its budgets: 100,000 actions, 100,000 loop iterations, 90 days of simulated time, or the expression evaluator's step, depth and size budget. The run fails (BudgetExceeded) with a message naming the budget and the action that passed it. Real runs are bounded by Logic Apps' limits and by time; offline runs are bounded by these, so that a loop that never ends still finishes.

Look at the loops around the named action: an Until whose condition never holds, a Foreach over an unexpectedly large array, a Wait in a loop.
"#,
);

pub(super) const PB043: Entry = Entry::error(
    "Run time: an external call without a mock under --strict-mocks",
    r#"With `playbook run --strict-mocks`, an external connector or HTTP call has no mock and no static result to answer it, so the action fails as a failed call would. Without `--strict-mocks` such a call is logged as not run and counts as Succeeded with no outputs, which can hide a missing mock.

Add a mock that answers the call, matched by action name or by connector, method and path:

```yaml
mocks:
  - match: { connector: virustotal, method: get, path: "/api/v3/ip_addresses/{ip}" }
    outputs: { statusCode: 200, body: { data: { attributes: { reputation: 0 } } } }
```
"#,
);

pub(super) const PB044: Entry = Entry::error(
    "Run time: an action's inputs have the wrong shape",
    r#"While the playbook runs, an action's rendered inputs do not fit the action: a value of another type set into a typed variable, a variable initialized twice, a Select, Query or Join whose `from` is not an array, a Wait whose `until` is not a timestamp. Logic Apps fails the action with BadRequest; the run log shows this code and the action's position.

```yaml
- initialize_variable: { name: hits, type: integer, value: 0 }
- set_variable: { name: hits, value: "@body('Count')?['label']" }
```

Convert the value to the variable's type (`int(...)`, `string(...)`), or give the variable the type the value has.
"#,
);
