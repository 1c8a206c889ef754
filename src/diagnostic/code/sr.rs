//! SR: automation rule files (YAML, and Sentinel JSON once decoded into the same rule model).
//! SR001-SR005 are also the structural codes of rule test files.

use super::Entry;

pub(super) const SR001: Entry = Entry::error(
    "YAML syntax error",
    r#"The file is not valid YAML, so nothing in it is read. The message is the YAML parser's, and the caret points where it gave up, which is often just after the real mistake: an unclosed quote, a tab used for indentation, a missing `:` after a key, or a line indented differently from its siblings.

```yaml
name: "Escalate VIP hosts
order: 10
```

Close the quote (or drop it: plain scalars need no quotes unless they start with a special character or contain `: `):

```yaml
name: "Escalate VIP hosts"
order: 10
```
"#,
);

pub(super) const SR002: Entry = Entry::error(
    "The same key twice in one mapping",
    r#"A mapping names the same key twice. YAML forbids it, but many parsers silently keep the last value, which hides edits that were meant to replace the first; sentinel-soar refuses the file instead. In rule test files the same code applies.

```yaml
name: Tag pentest incidents
order: 10
order: 20
```

Keep the one value you mean:

```yaml
name: Tag pentest incidents
order: 20
```
"#,
);

pub(super) const SR003: Entry = Entry::error(
    "A key this place does not take",
    r#"A mapping holds a key that this place of the file does not define: usually a typo, a camelCase spelling of a snake_case key, or a key that belongs one level up or down. Every mapping in a rule file (and a rule test file) is closed, so a mistake is never silently ignored; the help line suggests the closest key.

```yaml
name: Tag every new incident
descripton: Tags incidents for the triage queue
```

Fix the spelling (`description`). `sentinel-soar schema rules` prints the JSON Schema that lists every key, for editors that complete them.
"#,
);

pub(super) const SR004: Entry = Entry::error(
    "A required key is missing",
    r#"A key that must be present is not: a rule needs `name`, `order` and `actions`; a condition leaf needs `property`, `operator` and `values`; a closing `change_status` needs `status`. Sentinel requires the same fields (`displayName`, `order`, `actions`, and the condition's property, operator and values), so a rule without them could not be deployed either.

```yaml
name: Tag every new incident
actions:
  - add_tags: [triage]
```

Add the missing key:

```yaml
name: Tag every new incident
order: 100
actions:
  - add_tags: [triage]
```
"#,
);

pub(super) const SR005: Entry = Entry::error(
    "A value of the wrong type",
    r#"A value has the wrong shape for its key: a string where a number belongs, a list where a single value belongs, a mapping where a list belongs. The message says what was expected and what was found.

```yaml
name: Tag every new incident
order: ten
```

Write a value of the expected type:

```yaml
order: 10
```
"#,
);

pub(super) const SR006: Entry = Entry::error(
    "A property name that is not one of Sentinel's",
    r#"A condition names a property that Sentinel's automation rules do not have. Conditions use Sentinel's own 58 property names (`IncidentTitle`, `IncidentSeverity`, `HostName`, `IPAddress`, `AccountUPNSuffix`, ...), matched ignoring case; the help line suggests the closest one. Watch the casing traps of the API names: `IPAddress`, `DNSDomainName`, `HostAzureID`, `HostNTDomain`, `MailboxUPN`.

```yaml
conditions:
  - { property: HostNme, operator: StartsWith, values: [PT-] }
```

Use the property's real name:

```yaml
conditions:
  - { property: HostName, operator: StartsWith, values: [PT-] }
```
"#,
);

pub(super) const SR007: Entry = Entry::error(
    "An operator name that is not one of Sentinel's or this tool's extensions",
    r#"A condition's `operator` is not a known operator. Sentinel has `Equals`, `Contains`, `StartsWith` and `EndsWith`, each with a `Not` form; sentinel-soar adds `Matches`/`NotMatches` (regular expressions) and `InCidr`/`NotInCidr` (IP ranges), which Sentinel cannot run (see SR031). Names match ignoring case.

```yaml
conditions:
  - { property: IncidentTitle, operator: Equal, values: [Port scan] }
```

Use the operator's full name:

```yaml
conditions:
  - { property: IncidentTitle, operator: Equals, values: [Port scan] }
```
"#,
);

pub(super) const SR008: Entry = Entry::warning(
    "Sentinel does not offer this operator for this property",
    r#"Sentinel's rule editor offers only some operators for some properties: severity, status, incident provider, updated-by source and custom details key take only `Equals`/`NotEquals`; tactics, alert product names, analytics rule ids and custom details value take only `Contains`/`NotContains` (Microsoft Learn, "Create and use automation rules"). sentinel-soar still evaluates the condition, but a rule Sentinel does not offer may behave differently once deployed, so this is a warning. `InCidr` on a property that holds no IP address is the same code as an error.

```yaml
conditions:
  - { property: IncidentSeverity, operator: Contains, values: [High] }
```

Use an operator Sentinel offers for the property:

```yaml
conditions:
  - { property: IncidentSeverity, operator: Equals, values: [High] }
```
"#,
);

pub(super) const SR009: Entry = Entry::error(
    "A regular expression that does not compile or exceeds the size limit",
    r#"A value of a `Matches`/`NotMatches` condition is not a valid regular expression (Rust `regex` syntax: no look-around, no back-references), or its compiled program passes the 1 MiB limit. Regexes are compiled once when the rules load, so a broken one is reported before any incident is read. In YAML, a backslash inside double quotes must itself be escaped (`"\\d"`), or use single quotes (`'\d'`).

```yaml
conditions:
  - { property: HostName, operator: Matches, values: ["^dc(\\d+$"] }
```

Close the group:

```yaml
conditions:
  - { property: HostName, operator: Matches, values: ['^dc(\d+)$'] }
```
"#,
);

pub(super) const SR010: Entry = Entry::error(
    "A CIDR range that does not parse",
    r#"A value of an `InCidr`/`NotInCidr` condition is not an IPv4 or IPv6 range in CIDR notation (`address/prefix`, prefix up to 32 for IPv4 and 128 for IPv6). A bare address is a /32 (or /128) and is accepted.

```yaml
conditions:
  - { property: IPAddress, operator: InCidr, values: [10.99.0.0/16, 10.0.0.0/33] }
```

Give a valid prefix length:

```yaml
conditions:
  - { property: IPAddress, operator: InCidr, values: [10.99.0.0/16, 10.0.0.0/8] }
```
"#,
);

pub(super) const SR011: Entry = Entry::error(
    "An enum value that is not one of Sentinel's",
    r#"A value that Sentinel takes from a closed list is not on it: a severity (High, Medium, Low, Informational), a status (New, Active, Closed), a classification (TruePositive, BenignPositive, FalsePositive, Undetermined), a classification reason, an updated-by source, or a trigger (`on: incidents|alerts`, `when: created|updated`). Values match ignoring case; the help line lists the valid ones. Rule test files use the same code for their enum values.

```yaml
actions:
  - change_severity: Critical
```

Use one of Sentinel's values:

```yaml
actions:
  - change_severity: High
```
"#,
);

pub(super) const SR012: Entry = Entry::error(
    "Closing an incident without a classification",
    r#"A `change_status` action closes incidents without a classification. Sentinel requires one whenever the status becomes Closed ("The classification is required when status is Closed"; the API answers 400 Bad Request otherwise), so the rule would fail there; sentinel-soar refuses it when the rules load.

```yaml
actions:
  - change_status: Closed
```

Close with a classification (and the reason that goes with it, see SR013):

```yaml
actions:
  - change_status: { status: Closed, classification: BenignPositive, reason: SuspiciousButExpected }
```
"#,
);

pub(super) const SR013: Entry = Entry::error(
    "A classification reason that does not fit the classification, or a missing one",
    r#"Sentinel pairs each classification with its reasons: TruePositive takes SuspiciousActivity, BenignPositive takes SuspiciousButExpected, FalsePositive takes IncorrectAlertLogic or InaccurateData, and Undetermined takes none. A classification other than Undetermined without its reason is refused by the service ("classification 'BenignPositive' must have classificationReason"), and so is a reason that belongs to another classification.

```yaml
actions:
  - change_status:
      status: Closed
      classification: FalsePositive
      reason: SuspiciousButExpected
```

Give the reason that belongs to the classification:

```yaml
      classification: FalsePositive
      reason: IncorrectAlertLogic
```
"#,
);

pub(super) const SR014: Entry = Entry::error(
    "An update-only condition in a rule that runs on creation",
    r#"A rule that runs when incidents are created uses a condition that only an update can satisfy: a `changed` leaf (severity, status or owner changed), an `added` leaf (alerts, labels, tactics or comments added), or the `IncidentUpdatedBySource` property. Sentinel offers these only on the incident-updated trigger; on creation nothing has changed, so the rule would never fire.

```yaml
trigger: { on: incidents, when: created }
conditions:
  - { changed: IncidentSeverity, to: [High] }
```

Run the rule on updates:

```yaml
trigger: { on: incidents, when: updated }
conditions:
  - { changed: IncidentSeverity, to: [High] }
```
"#,
);

pub(super) const SR015: Entry = Entry::error(
    "An alert-trigger rule with an action other than run_playbook",
    r#"A rule on the alert trigger (`on: alerts`) has an action other than `run_playbook`. Sentinel's alert trigger offers only the Run playbook action: an alert is not an incident, so there is no status, severity, owner, tag or task to change.

```yaml
trigger: { on: alerts, when: created }
actions:
  - add_tags: [password-spray]
```

Run a playbook that does the work (an alert-trigger playbook, see SR038), or move the action to an incident rule:

```yaml
trigger: { on: alerts, when: created }
actions:
  - run_playbook: Notify-Teams-On-Alert
```
"#,
);

pub(super) const SR016: Entry = Entry::error(
    "Two rules with the same name",
    r#"Two rules of the rule set have the same name. All the files given form one rule set, so the names must be unique across files: audit records, test expectations (`fired`, `fires`) and `explain --rule` name rules by their name, and two rules of one name in the Sentinel portal are hard to tell apart. The help line points at the first one.

```yaml
rules:
  - { name: Tag pentest, order: 10, actions: [{ add_tags: [pentest] }] }
  - { name: Tag pentest, order: 20, actions: [{ add_tags: [red-team] }] }
```

Give each rule its own name.
"#,
);

pub(super) const SR017: Entry = Entry::warning(
    "Rules sharing an order number run in random order in Sentinel",
    r#"Several rules of the same trigger have the same `order`. Sentinel documents that "for rules of the same trigger type with the same order number, the execution engine randomly selects which rules will run in which order", so when both change the same field the outcome differs from run to run. sentinel-soar runs tied rules by name, so that its output stays deterministic, and warns. `apply --ties permute`, `test --ties permute` and `impact --ties permute` run every order of each tie group (up to 8 rules) and report each incident whose outcome depends on the order, naming the rules.

```yaml
rules:
  - { name: Escalate VIP hosts, order: 300, actions: [{ change_severity: High }] }
  - { name: Lower test hosts, order: 300, actions: [{ change_severity: Low }] }
```

Give each rule its own order, the one that must win last.
"#,
);

pub(super) const SR018: Entry = Entry::error(
    "Order outside 1..1000",
    r#"A rule's `order` is outside the range Sentinel accepts: the automation rule API takes an integer from 1 to 1000 and refuses anything else.

```yaml
name: Late tagging
order: 1001
```

Use a number from 1 to 1000 (lower runs first).
"#,
);

pub(super) const SR019: Entry = Entry::error(
    "More than 20 actions in a rule",
    r#"A rule has more than 20 actions. Sentinel allows at most 20 actions per automation rule (service limits; the API's `actions` has `maxItems: 20`), so the rule could not be deployed.

```yaml
actions:
  - add_tags: [tag-01]
  # ... 20 more actions
```

Merge actions (one `add_tags` takes many tags) or split the rule into two rules with the same conditions.
"#,
);

pub(super) const SR020: Entry = Entry::error(
    "More than 50 conditions in a rule",
    r#"A rule has more than 50 conditions, counting every leaf at any depth. Sentinel allows at most 50 conditions per automation rule (service limits; `triggeringLogic.conditions` has `maxItems: 50`).

```yaml
conditions:
  any:
    - { property: HostName, operator: Equals, values: [host-01] }
    # ... 50 more leaves, one per host
```

Put the values of one property in one leaf (`values` is a list: a positive operator holds when any value matches), or split the rule.

```yaml
conditions:
  - { property: HostName, operator: Equals, values: [host-01, host-02, host-03] }
```
"#,
);

pub(super) const SR021: Entry = Entry::error(
    "A nested condition group with fewer than 2 or more than 10 conditions",
    r#"A condition group nested inside another (`all`, `any`) holds fewer than 2 or more than 10 conditions, or an `any_item`/`all_items` holds no item condition or more than 10. Sentinel's Boolean condition takes 2 to 10 inner conditions and answers "'InnerConditions' must have between 2 and 10 items" otherwise; custom-details item conditions take at most 10. The top-level `all` or `any` is the rule's condition list, not a group, and may hold one condition.

```yaml
conditions:
  all:
    - { property: IncidentTitle, operator: Contains, values: [pentest] }
    - any:
        - { property: HostName, operator: StartsWith, values: [PT-] }
```

A group of one is just its condition:

```yaml
conditions:
  all:
    - { property: IncidentTitle, operator: Contains, values: [pentest] }
    - { property: HostName, operator: StartsWith, values: [PT-] }
```
"#,
);

pub(super) const SR022: Entry = Entry::error(
    "A rule name that is empty or over 500 characters",
    r#"A rule's name is empty, or longer than the 500 characters Sentinel allows for an automation rule's display name (the API's `displayName` has `maxLength: 500`).

```yaml
name: ""
order: 10
```

Give the rule a name of 1 to 500 characters.
"#,
);

pub(super) const SR023: Entry = Entry::error(
    "More than 512 rules in the set",
    r#"The rule set holds more than 512 rules. Sentinel allows at most 512 automation rules per workspace (service limits), and every file given is part of one rule set, as one workspace would hold them. The diagnostic points at the 513th rule.

Remove rules that are disabled or expired, or merge rules that share conditions; if the files are meant for several workspaces, validate each workspace's files on their own.
"#,
);

pub(super) const SR024: Entry = Entry::warning(
    "A rule that has expired",
    r#"A rule's `expires` time is at or before the run's clock (`--now`, or the wall clock when it is not given), so the rule no longer runs: Sentinel disables an automation rule at its expiration time. A warning, because the rule is harmless, but usually forgotten.

```yaml
name: Suppress red team pentest 2025
order: 10
expires: 2025-12-31T23:59:59Z
```

Remove the rule, or move `expires` if the engagement was extended.
"#,
);

pub(super) const SR025: Entry = Entry::warning(
    "Conditions that can never all hold",
    r#"Within one `all` group, two conditions contradict each other, so the rule can never fire: `Equals` on the same single-valued incident field (IncidentSeverity, IncidentStatus, IncidentTitle, IncidentDescription, IncidentProviderName) with no value in common, or `Equals X` beside `NotEquals X`. Entity and array properties hold several values, so they are never flagged.

```yaml
conditions:
  all:
    - { property: IncidentSeverity, operator: Equals, values: [High] }
    - { property: IncidentSeverity, operator: Equals, values: [Low] }
```

If either value should do, put both in one leaf (or use `any`):

```yaml
conditions:
  - { property: IncidentSeverity, operator: Equals, values: [High, Low] }
```
"#,
);

pub(super) const SR026: Entry = Entry::error(
    "A run_playbook action names a playbook that is not loaded",
    r#"A `run_playbook` action names a playbook that is not among the playbooks loaded beside the rules (`validate` with playbook files among its paths or `--playbooks`, `apply --playbooks`). Names compare ignoring case, as Logic Apps workflow names do; the help line suggests a close name or lists the loaded ones. Without any playbook loaded, the reference is not checked.

```yaml
actions:
  - run_playbook: Enrich-IP-VirusTotl
```

Name the playbook as its file names it (`name:` in YAML, the workflow resource's name in Logic Apps JSON):

```yaml
actions:
  - run_playbook: Enrich-IP-VirusTotal
```
"#,
);

pub(super) const SR027: Entry = Entry::error(
    "A playbook name that is not a valid Logic Apps workflow name",
    r#"A `run_playbook` action names a playbook with characters a Logic Apps workflow name cannot have. A workflow name has 1 to 80 letters, digits, hyphens, underscores, periods and parentheses, so no playbook could have this name.

```yaml
actions:
  - run_playbook: notify soc!
```

Use the workflow's real name:

```yaml
actions:
  - run_playbook: Notify-SOC
```
"#,
);

pub(super) const SR028: Entry = Entry::error(
    "A timestamp that is not RFC 3339",
    r#"A time (a rule's `expires`, a test file's `now`) is not an RFC 3339 timestamp: a date, a time and a zone, as Sentinel's `expirationTimeUtc` is written.

```yaml
expires: next friday
```

Write the instant with its zone:

```yaml
expires: 2026-12-31T23:59:59Z
```
"#,
);

pub(super) const SR029: Entry = Entry::error(
    "An empty list where at least one item is needed",
    r#"A list that needs at least one item is empty (a condition's `values`, a rule's `actions`, an `add_tags` list), or a text that needs content is blank (a task's `title`). Sentinel requires them: a condition without values matches nothing, a rule without actions does nothing.

```yaml
conditions:
  - { property: HostName, operator: Equals, values: [] }
```

Give at least one value, or remove the condition.
"#,
);

pub(super) const SR030: Entry = Entry::error(
    "A condition or action item that mixes kinds or names none",
    r#"A condition is a mapping with exactly one kind: a group (`all`, `any`, `not`), a leaf (`property` with `operator` and `values`), `changed`, `added`, `any_item` or `all_items`. This one names none of them (often a misspelt `property`) or two at once. An action list item likewise holds exactly one action.

```yaml
conditions:
  - { propety: HostName, operator: Equals, values: [dc01] }
actions:
  - add_tags: [dc]
    change_severity: High
```

One kind per condition, one action per list item:

```yaml
conditions:
  - { property: HostName, operator: Equals, values: [dc01] }
actions:
  - add_tags: [dc]
  - change_severity: High
```
"#,
);

pub(super) const SR031: Entry = Entry::error(
    "A sentinel-soar extension operator that Sentinel cannot run",
    r#"Under `validate --sentinel` (and `export sentinel`), a condition uses one of sentinel-soar's extension operators: `Matches`, `NotMatches`, `InCidr` or `NotInCidr`. They are convenient offline, but Sentinel's automation rules have no such operators, so the rule cannot be deployed as written. Without `--sentinel` they are accepted.

```yaml
conditions:
  - { property: HostName, operator: Matches, values: ['^dc\d+$'] }
```

Rewrite the condition with Sentinel's operators:

```yaml
conditions:
  - { property: HostName, operator: StartsWith, values: [dc] }
```
"#,
);

pub(super) const SR032: Entry = Entry::error(
    "A classification or reason on a status other than Closed",
    r#"A `change_status` action sets a classification or reason together with a status other than Closed. Sentinel records a classification only when an incident is closed (the classification comment "describes the reason the incident was closed"), so it would be refused or lost.

```yaml
actions:
  - change_status: { status: Active, classification: Undetermined }
```

Classify only when closing:

```yaml
actions:
  - change_status: { status: Closed, classification: Undetermined }
```
"#,
);

pub(super) const SR033: Entry = Entry::warning(
    "A file with no rules",
    r#"A rule file holds no rules: it is empty (or only comments), or its `rules` list is empty. Harmless, but usually a file that lost its content or was added by mistake.

```yaml
rules: []
```

Add rules, or delete the file.
"#,
);

pub(super) const SR034: Entry = Entry::retired(
    "A leaf that is only meaningful inside any_item / all_items, or the reverse",
    r#"Reserved for a check of custom-details leaves (`IncidentCustomDetailsKey`, `IncidentCustomDetailsValue`) written outside `any_item`/`all_items`. The check was never implemented and the code has never been reported; the id stays taken and is not reused.
"#,
);

pub(super) const SR035: Entry = Entry::error(
    "An unreadable rule file",
    r#"A file could not be read as text: it is not UTF-8 (Latin-1 and UTF-16 editors' output are the usual cases). The diagnostic gives the line and column of the first bad byte. Sentinel's files and YAML are UTF-8; playbooks and other files read beside the rules get the same code.

Save the file as UTF-8 (most editors: "Save with encoding", or `iconv -f latin1 -t utf-8`).
"#,
);

pub(super) const SR036: Entry = Entry::error(
    "An alert-trigger rule that runs on updates",
    r#"A rule on the alert trigger (`on: alerts`) says `when: updated`. Sentinel's alert trigger runs only when an alert is created by a scheduled or NRT analytics rule; there is no alert-updated trigger, so the rule would never run.

```yaml
trigger: { on: alerts, when: updated }
```

Use `when: created`, or an incident rule to react to updates:

```yaml
trigger: { on: alerts, when: created }
```
"#,
);

pub(super) const SR037: Entry = Entry::error(
    "An alert-trigger rule with a condition other than the analytics rule or the product",
    r#"A rule on the alert trigger tests a property other than `AlertAnalyticRuleIds` or `AlertProductNames`. Sentinel documents that "the only condition that can be evaluated" on the alert trigger "is which Microsoft Sentinel analytics rule created the alert"; an alert has no incident title, status or owner to test.

```yaml
trigger: { on: alerts, when: created }
conditions:
  - { property: IncidentSeverity, operator: Equals, values: [High] }
```

Test which analytics rule raised the alert, and let the playbook look at the rest:

```yaml
trigger: { on: alerts, when: created }
conditions:
  - { property: AlertAnalyticRuleIds, operator: Contains, values: [0b2f8f5e-1c1e-4ad9-8e2c-6a3c2f0a9a11] }
```
"#,
);

pub(super) const SR038: Entry = Entry::error(
    "A run_playbook action names a playbook whose trigger does not fit the rule's trigger",
    r#"A `run_playbook` action names a loaded playbook whose trigger does not match the rule: a rule on incidents runs only playbooks with the Microsoft Sentinel incident trigger, and a rule on alerts only playbooks with the alert trigger. Sentinel lists only the fitting playbooks in the rule editor, and a playbook with another trigger (entity, request, recurrence) cannot be called by an automation rule at all.

```yaml
# rules.yaml
trigger: { on: incidents, when: created }
actions:
  - run_playbook: Notify-Teams-On-Alert   # a playbook with `trigger: alert`
```

Attach an incident-trigger playbook, or move the action to an alert rule.
"#,
);

pub(super) const SR039: Entry = Entry::warning(
    "A run_playbook action names a disabled playbook, or one Sentinel has no permission to run",
    r#"A `run_playbook` action names a playbook that Sentinel could not run: it is disabled (`enabled: false`, or a Logic App with `state: Disabled`), or it is deployed in a resource group that the workspace settings file does not list under `playbook_resource_groups` (Sentinel needs explicit permission on each resource group holding playbooks). Sentinel would record the run as failed, and `apply --playbooks` does the same; a warning, because enabling the playbook or granting the permission fixes it without touching the rule.

```yaml
# settings.yaml
playbook_resource_groups: [rg-soc-playbooks]
# the playbook: resource_group: rg-elsewhere
```

Enable the playbook (`sentinel-soar playbook enable NAME`), or grant Sentinel permission on its resource group.
"#,
);

pub(super) const SR040: Entry = Entry::error(
    "Attaching a playbook to a rule needs the Microsoft Sentinel Contributor role",
    r#"With `validate --as NAME` and a settings file that defines `roles`, a rule with a `run_playbook` action is checked against the person who attaches it: attaching a playbook to an automation rule needs the Microsoft Sentinel Contributor role on the workspace, as Azure grants it. Each `run_playbook` of a person without it is reported.

```yaml
# settings.yaml
roles:
  bob@contoso.com: [Microsoft Sentinel Responder]
```

`validate rules/ --settings settings.yaml --as bob@contoso.com` reports every `run_playbook`. Have someone with the Contributor role attach the playbook, or grant the role.
"#,
);

pub(super) const SR041: Entry = Entry::error(
    "The Incident provider condition does not exist in the Defender portal",
    r#"Under `validate --portal defender`, a condition tests `IncidentProviderName`. Once a workspace is onboarded to the Microsoft Defender portal, "the **Incident provider** condition property is removed, as all incidents have *Microsoft XDR* as the incident provider", in the Defender portal and in the Azure portal alike (Microsoft Learn, "Automation in Microsoft Sentinel", section "Automation in the Microsoft Defender portal"), so a rule with it cannot be written there. Existing rules "run on both Microsoft Sentinel and Microsoft Defender XDR incidents": `apply --portal defender` and `test --portal defender` run such a rule as if the provider condition were not there.

```yaml
conditions:
  - { property: IncidentProviderName, operator: Equals, values: [Azure Sentinel] }
```

Scope the rule by the analytics rules that raise its incidents instead (`analytics_rules:` or `IncidentRelatedAnalyticRuleIds`), as Microsoft recommends, or by tags. See docs/defender-portal.md.
"#,
);

pub(super) const SR042: Entry = Entry::warning(
    "The incident description is absent for creation rules in the Defender portal",
    r#"Under `validate --portal defender`, a rule that runs when incidents are created tests `IncidentDescription`. Once the workspace is onboarded to the Defender portal, "the **SecurityIncident** table no longer includes a **Description** field. Therefore: If you're using this **Description** field as a condition for an automation rule with an incident creation trigger, that automation rule won't work" (Microsoft Learn, "Automation in Microsoft Sentinel"). `apply --portal defender` and `test --portal defender` evaluate the condition on an absent description: a positive operator never holds, a negative one always does.

```yaml
trigger: { on: incidents, when: created }
conditions:
  - { property: IncidentDescription, operator: Contains, values: [ransomware] }
```

Test the analytics rules that raise the incident, its tactics or its entities instead. See docs/defender-portal.md.
"#,
);

pub(super) const SR043: Entry = Entry::warning(
    "Updated by Microsoft 365 Defender reads as Other in the Defender portal",
    r#"Under `validate --portal defender`, an `IncidentUpdatedBySource` condition names `MicrosoftDefenderXDR` (the portal's "Microsoft 365 Defender"). Onboarded, "the **Updated by** field has a new set of supported values, which no longer include *Microsoft 365 Defender*. In existing automation rules, *Microsoft 365 Defender* is replaced by a value of *Other*" (Microsoft Learn, "Automation in Microsoft Sentinel"). `apply --portal defender` and `test --portal defender` compare the value as `Other`, and an update made by Microsoft 365 Defender arrives as Other.

```yaml
trigger: { on: incidents, when: updated }
conditions:
  - { property: IncidentUpdatedBySource, operator: Equals, values: [MicrosoftDefenderXDR] }
```

Write `Other` if that is what the rule should mean, or scope the rule another way. See docs/defender-portal.md.
"#,
);

pub(super) const SR044: Entry = Entry::warning(
    "Incident titles may change in the Defender portal; Microsoft advises against title conditions",
    r#"Under `validate --portal defender`, a condition tests `IncidentTitle`. The Defender portal correlates alerts into incidents with its own engine and names the incidents it creates, so "existing incident names might be changed if the correlation is applied. To ensure that your automation rules always run correctly, we therefore recommend that you avoid using incident titles as condition criteria" (Microsoft Learn, "Automation in Microsoft Sentinel"). Which title an incident will get cannot be predicted, so `apply` and `test` still compare the title they are given.

```yaml
conditions:
  - { property: IncidentTitle, operator: Contains, values: [Pentest] }
```

Use the analytics rules that created the incident's alerts (`analytics_rules:`), and tags for more precision. See docs/defender-portal.md.
"#,
);

pub(super) const SR045: Entry = Entry::error(
    "An analytics_rules entry that is neither a rule id nor an alertRules ARM id",
    r#"`analytics_rules` (Sentinel's `IncidentRelatedAnalyticRuleIds Contains` condition) names the analytic rules a rule is scoped to by id: the rule's GUID (`8d0a2f3b-...`) or its full ARM id (`/subscriptions/.../providers/Microsoft.SecurityInsights/alertRules/<GUID>`). An incident carries those ids, never the rule's display name, so an entry of any other form (a display name, a shortened GUID) never matches and the rule never fires. When the repository holds analytic rules, the help line names the closest display name's id.

```yaml
analytics_rules: ["Rare RDP connections", 1111111-2222-3333-4444-555555555555]
```

Use the analytic rule's id (the `id:` of its YAML, the GUID at the end of its resource name):

```yaml
analytics_rules: [23de46ea-c425-4a77-b456-511ae4855d69]
```
"#,
);

pub(super) const SR046: Entry = Entry::warning(
    "An analytics_rules id that no analytic rule of the repository defines",
    r#"When the files validated together hold analytic rules (Azure-Sentinel detection YAML, ARM `alertRules`), every GUID in a rule's `analytics_rules` is looked up among their ids. One that none of them defines may be a rule deployed from elsewhere (a solution, the portal), or a typo or a deleted rule, after which the automation rule never fires. It is a warning: Sentinel accepts any id. While an analytic rule file of the repository cannot be read (it does not parse, or has no `id`), no id is known to be missing, so SR046 waits until that file's error is fixed.

```yaml
analytics_rules: [23de46ea-c425-4a77-b456-511ae4855d6a]   # the rule's id ends in ...d69
```

Use the id of an analytic rule in the repository, or ignore the warning when the rule lives elsewhere.
"#,
);
