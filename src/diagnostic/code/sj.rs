//! SJ: Sentinel's own JSON formats (REST resources and lists, REST API example files, ARM
//! templates). Problems the rule compiler finds once such a file is decoded (an unknown
//! property, a limit) keep their SR codes and point into the JSON file all the same.

use super::Entry;

pub(super) const SJ001: Entry = Entry::error(
    "The JSON rule file is not valid JSON",
    r#"A `*.json` file read as Sentinel automation rules does not parse as JSON: a missing comma or bracket, a trailing comma, a comment, single quotes. The position is where the parser gave up. (A Logic Apps playbook file with the same problem is PB001.)

```json
{ "properties": { "displayName": "Close pentest noise", "order": 10, } }
```

JSON allows no trailing comma:

```json
{ "properties": { "displayName": "Close pentest noise", "order": 10 } }
```
"#,
);

pub(super) const SJ002: Entry = Entry::error(
    "A JSON file that holds no automation rule",
    r#"A JSON file given as rules is none of the shapes Sentinel writes automation rules in: a single `automationRules` resource (or its bare `properties`), a REST list `{"value": [...]}`, a REST API example file, or an ARM template. When a directory is searched, such files (incidents, say) are skipped silently and Logic Apps playbooks are checked as playbooks; only a file named on the command line is reported.

```json
{ "title": "Port scan", "severity": "Medium", "status": "New" }
```

Give the rule files only, or export the rule from Sentinel (`GET .../automationRules/{id}`).
"#,
);

pub(super) const SJ003: Entry = Entry::error(
    "A field Sentinel requires is missing",
    r#"A field that Sentinel's automation rule API requires is missing from a rule, condition or action: `displayName`, `order`, `triggeringLogic` (with `triggersOn` and `triggersWhen`), `actions`, a condition's `conditionType` and `conditionProperties` (a Property condition's `propertyName`, `operator` and `propertyValues`), an action's `order`, `actionType` and `actionConfiguration`, RunPlaybook's `logicAppResourceId`, AddIncidentTask's `title`. The service refuses a rule without them.

```json
"properties": { "displayName": "Close pentest noise", "triggeringLogic": { ... }, "actions": [ ... ] }
```

Add the field (here `"order": 10`).
"#,
);

pub(super) const SJ004: Entry = Entry::error(
    "A field of the wrong JSON type",
    r#"A field of a Sentinel rule has a JSON type the API does not take there: a word where it takes a number (`"order": "first"`), an object where it takes a list (`"conditions": {}`), a list where it takes a string or an owner object. Like the service, the reader is lenient where the meaning is plain: a number written as a string (`"10"`) and a single string where a list of strings belongs are accepted. The message says what was expected and what was found.

```json
"properties": { "displayName": "Close pentest noise", "order": "first" }
```

Write the number:

```json
"properties": { "displayName": "Close pentest noise", "order": 1 }
```
"#,
);

pub(super) const SJ005: Entry = Entry::error(
    "An enum string Sentinel does not define",
    r#"A field that Sentinel's API takes from a closed list holds another string: a `conditionType` (Property, PropertyArray, PropertyChanged, PropertyArrayChanged, Boolean), an `actionType` (ModifyProperties, RunPlaybook, AddIncidentTask), a `changeType`, an `arrayType` or `arrayConditionType`, a Boolean condition's operator. (Values the rule compiler checks, such as `triggersOn` or a severity, keep their SR011.) The help line suggests the closest value or lists them.

```json
{ "conditionType": "PropertyMatches", "conditionProperties": {} }
```

Use one of the API's values (`Property` for a property condition).
"#,
);

pub(super) const SJ006: Entry = Entry::warning(
    "An ARM template parameter without a value",
    r#"An ARM template expression reads a parameter (`[parameters('x')]`) that has no `defaultValue`, and no `--param` (or parameter file) gives it one. The deployment would ask for the value; offline there is none. In a rule template the expression's text is kept as the value, so the rule still loads; in a playbook template the parameter reads as a visible placeholder (`<no value: x>`), so the expressions around it still evaluate. The warning names the `--param` to pass.

```json
"displayName": "[parameters('automationRuleName')]"
```

Pass the value: `--param automationRuleName="Close urgent high incidents"` (quote a name with spaces: `--param 'Teams channel ID=19:abc'`), or give the parameter a `defaultValue`. An expression that does not parse is SJ016; a parameter the template does not declare is SJ017.
"#,
);

pub(super) const SJ007: Entry = Entry::warning(
    "An ARM construct this tool does not read",
    r#"An ARM template uses something sentinel-soar does not evaluate offline: a `copy` loop on an automation rule resource (the rule is read once, not once per copy), or an ARM function outside the supported set (`parameters`, `variables`, `concat`, `format`, `resourceId`, `uniqueString`, `guid`, `subscription`, `resourceGroup`, `toLower`, `replace`, `if` and a few more). The expression's text is kept as written.

```json
{ "type": "Microsoft.SecurityInsights/automationRules", "copy": { "name": "rules", "count": 3 } }
```

Write the rules out one by one, or replace the function by a parameter.
"#,
);

pub(super) const SJ008: Entry = Entry::warning(
    "A PropertyArray whose arrayType does not fit where it is nested",
    r#"Custom-details conditions nest in a fixed way: the outer `PropertyArray` iterates custom detail keys (`arrayType: CustomDetails`) and one nested in it iterates a key's values (`CustomDetailValues`). A PropertyArray whose `arrayType` says otherwise is read by its position, as the warning says.

```json
{ "conditionType": "PropertyArray", "conditionProperties": { "arrayType": "CustomDetailValues", "arrayConditionType": "AnyItem", "itemConditions": [ ... ] } }
```

At the top level, use `"arrayType": "CustomDetails"` and test the key with `IncidentCustomDetailsKey`.
"#,
);

pub(super) const SJ009: Entry = Entry::error(
    "A PropertyChanged operator other than Equals or NotEquals",
    r#"A `PropertyChanged` condition (severity, status or owner changed from or to a value) uses an operator other than `Equals` or `NotEquals`. Sentinel's editor offers "Changed from" and "Changed to" as equality tests of the old or new value; the values are severities, statuses and owners, for which text operators (Contains, StartsWith, ...) have no meaning.

```json
{ "conditionType": "PropertyChanged", "conditionProperties": { "propertyName": "IncidentSeverity", "changeType": "ChangedTo", "operator": "Contains", "propertyValues": ["High"] } }
```

Use `"operator": "Equals"`.
"#,
);

pub(super) const SJ010: Entry = Entry::warning(
    "An ARM template that deploys no automation rule",
    r#"An ARM template given as rules has no resource of type `Microsoft.SecurityInsights/automationRules` (or the legacy `Microsoft.OperationalInsights/workspaces/providers/automationRules`), so it contributes no rule. Often a template for analytics rules, watchlists or playbooks in the rules directory.

Keep automation rule templates apart from other content, or ignore the warning for a template that is meant to hold none.
"#,
);

pub(super) const SJ011: Entry = Entry::error(
    "A rule that cannot be written as Sentinel JSON",
    r#"`export sentinel` meets a rule that Sentinel's automation rule JSON cannot express: a `not` around a `changed` or `added` condition. The API's PropertyChanged and PropertyArrayChanged conditions have no negated form (there is no "not changed to" and no "nothing added"), and a Boolean condition only knows And and Or. The rule is left out and nothing is exported. (Extension operators such as `InCidr` are refused before this, as SR031: export checks rules as `validate --sentinel` does.)

```yaml
trigger: { on: incidents, when: updated }
conditions:
  - not: { added: Comments }
```

Express the rule with positive conditions, or keep it out of the export.
"#,
);

pub(super) const SJ012: Entry = Entry::warning(
    "A RunPlaybook resource id that does not name a Logic Apps workflow",
    r#"A RunPlaybook action's `logicAppResourceId` is not the ARM id of a Logic Apps workflow (`/subscriptions/.../providers/Microsoft.Logic/workflows/NAME`). The last segment of the id is taken as the playbook's name, which may not be what was meant.

```json
"actionConfiguration": { "logicAppResourceId": "Notify-SOC" }
```

Give the workflow's full resource id:

```json
"actionConfiguration": { "logicAppResourceId": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-soc/providers/Microsoft.Logic/workflows/Notify-SOC" }
```
"#,
);

pub(super) const SJ013: Entry = Entry::error(
    "A classification, reason or comment without a status in ModifyProperties",
    r#"A ModifyProperties action sets `classification`, `classificationReason` or `classificationComment` but no `status`. A classification belongs to closing an incident ("The classification is required when status is Closed"; the comment "describes the reason the incident was closed"), so without `status: Closed` it has nothing to go with.

```json
"actionConfiguration": { "classification": "BenignPositive", "classificationReason": "SuspiciousButExpected" }
```

Close the incident in the same action:

```json
"actionConfiguration": { "status": "Closed", "classification": "BenignPositive", "classificationReason": "SuspiciousButExpected" }
```
"#,
);

pub(super) const SJ014: Entry = Entry::warning(
    "A --param that names no parameter of the templates read",
    r#"A `--param NAME=VALUE` names a parameter that none of the ARM templates read declares (names compare ignoring case), so it has no effect; usually a typo, which the help line corrects.

```sh
sentinel-soar import sentinel azuredeploy.json --param workspaceNam=soc
```

Use the parameter's declared name (`--param workspaceName=soc`).
"#,
);

pub(super) const SJ015: Entry = Entry::warning(
    "The same rule in several files",
    r#"The same automation rule (the same Sentinel id and the same content) is found in several files, for example an export and an API example of one rule. It is read once, from the first file, so it does not run twice; the warning names that file. Two different rules with one id are both kept.

Keep one copy of the rule.
"#,
);

pub(super) const SJ016: Entry = Entry::error(
    "An ARM template expression that does not parse",
    r#"A string value of an ARM template starts with `[` and ends with `]`, so Azure Resource Manager evaluates it as an expression, but it is not one: a missing parenthesis or comma, an unclosed quote. ARM refuses to deploy the template ("The template language expression ... is not valid"), so this is an error, as a Workflow Definition Language expression that does not parse is (PB011).

```json
"message": "[concat('<p>', parameters('CommentText'), '</p>']"
```

Close the call: `"[concat('<p>', parameters('CommentText'), '</p>')]"`. A string that should start with a literal `[` starts with `[[` instead (`"[[DRAFT]"` is the text `[DRAFT]`).
"#,
);

pub(super) const SJ017: Entry = Entry::error(
    "An ARM template expression reads a parameter or variable the template does not declare",
    r#"`[parameters('x')]` or `[variables('y')]` names a parameter or variable that the template's `parameters` or `variables` section does not declare (names compare ignoring case, as in ARM). ARM refuses to deploy the template ("The template parameter 'x' is not found"), so this is an error; it is usually a typo, which the help line corrects.

```json
"parameters": { "CommentText": { "type": "string" } },
...
"message": "[parameters('CommentTxt')]"
```

Use the declared name (`parameters('CommentText')`), or declare the parameter.
"#,
);

pub(super) const SJ018: Entry = Entry::warning(
    "An ARM template expression whose evaluation fails offline",
    r#"An ARM template expression parses, but evaluating it offline fails: a function given a value of the wrong type (`int('abc')`), a property or index that is not there (`subscription().nothing`), `resourceId` without a resource type, parameters and variables that refer to each other in a cycle. The values it read may be offline stand-ins (a placeholder for a parameter without a value, a `{subscriptionId}` for the deployment's), so this is a warning; the expression's text is kept as the value.

```json
"order": "[int(parameters('ruleOrder'))]"
```

Check the values the expression reads (`--param`, `defaultValue`); if they are right, the deployment would fail the same way.
"#,
);
