//! AR: analytic rules (Azure-Sentinel detection YAML, ARM `alertRules` templates), checked
//! lightly: what Sentinel's API would refuse (an id that is not a GUID, a value outside its
//! enums) and what breaks a repository (two rules with one id).

use super::Entry;

pub(super) const AR001: Entry = Entry::error(
    "The analytic rule file is not valid YAML or JSON",
    r#"A file recognised as an analytic rule (its top-level keys `id`, `query`, `severity`, `triggerOperator`, ... or a folder of analytic rules) does not parse: wrong indentation, a tab, an unclosed quote, a missing comma in JSON. The position is where the parser gave up; nothing else of the file is checked.

```yaml
id: 23de46ea-c425-4a77-b456-511ae4855d69
name: Rare subscription-level operations
query: |
AzureActivity
```

A block scalar's lines are indented under its key:

```yaml
query: |
  AzureActivity
```
"#,
);

pub(super) const AR002: Entry = Entry::error(
    "A field an analytic rule needs is missing",
    r#"An analytic rule lacks a field Sentinel needs to create it: `id` and `name` (an ARM `alertRules` resource: its name and `displayName`), and for scheduled and near-real-time rules (`kind: Scheduled` or `NRT`, the default) `severity` and `query`.

```yaml
id: 23de46ea-c425-4a77-b456-511ae4855d69
name: Rare subscription-level operations
kind: Scheduled
query: AzureActivity | take 1
```

Add the missing field (`severity: Low`).
"#,
);

pub(super) const AR003: Entry = Entry::error(
    "An analytic rule id that is not a GUID",
    r#"An analytic rule's `id` (an ARM `alertRules` resource's name, after the workspace part) is the rule's resource name in Sentinel, and Sentinel requires a GUID there: 32 hexadecimal digits in the 8-4-4-4-12 groups. Automation rules scope to analytic rules by this id (`analytics_rules`), so a malformed one also breaks every reference to it.

```yaml
id: 23de46ea-c425-4a77-b456-511ae4855d6
```

Give the rule a GUID (`uuidgen` makes one):

```yaml
id: 23de46ea-c425-4a77-b456-511ae4855d69
```
"#,
);

pub(super) const AR004: Entry = Entry::error(
    "A value outside Sentinel's enum (severity, kind, tactic, trigger operator)",
    r#"A field of an analytic rule takes one of a fixed set of values and this one is none of them (compared ignoring case): `severity` (High, Medium, Low, Informational), `kind` (Scheduled, NRT, MicrosoftSecurityIncidentCreation, Fusion, MLBehaviorAnalytics, ThreatIntelligence, Anomaly), each of `tactics` (Sentinel's AttackTactic: Reconnaissance, ResourceDevelopment, InitialAccess, Execution, Persistence, PrivilegeEscalation, DefenseEvasion, CredentialAccess, Discovery, LateralMovement, Collection, Exfiltration, CommandAndControl, Impact, PreAttack, ImpairProcessControl, InhibitResponseFunction), `triggerOperator` (gt, lt, eq, ne, or GreaterThan, LessThan, Equal, NotEqual). The help line names the closest value.

```yaml
tactics: [Privilege Escalation]
```

Write the value as Sentinel spells it:

```yaml
tactics: [PrivilegeEscalation]
```
"#,
);

pub(super) const AR005: Entry = Entry::error(
    "An entity mapping with an unknown entity type or identifier",
    r#"An `entityMappings` entry names an `entityType` Sentinel does not map (Account, Host, IP, Malware, File, Process, CloudApplication, DNS, AzureResource, FileHash, RegistryKey, RegistryValue, SecurityGroup, URL, Mailbox, MailCluster, MailMessage, SubmissionMail), or a field mapping's `identifier` that its entity type does not have (an IP has `Address`, an Account `Name`, `FullName`, `NTDomain`, `UPNSuffix`, `Sid`, `AadUserId`, ...). Sentinel refuses to create the rule.

```yaml
entityMappings:
  - entityType: IP
    fieldMappings:
      - identifier: IPAddress
        columnName: CallerIpAddress
```

Use the entity type's identifier:

```yaml
      - identifier: Address
```
"#,
);

pub(super) const AR006: Entry = Entry::error(
    "Two analytic rules with the same id",
    r#"Two analytic rules of the files validated together have the same `id`. The id is the rule's resource name, so deploying both makes the second overwrite the first, and automation rules scoped to that id run for both rules' incidents. The help line names the first definition. A copied rule file that kept its id is the usual cause.

```yaml
# Detections/AzureActivity/RareOperations.yaml
id: 23de46ea-c425-4a77-b456-511ae4855d69
# Detections/AzureActivity/RareOperations-copy.yaml
id: 23de46ea-c425-4a77-b456-511ae4855d69
```

Give the copy a new GUID.
"#,
);

pub(super) const AR007: Entry = Entry::error(
    "An analytic rule field of the wrong type",
    r#"A field of an analytic rule holds a value of the wrong type: `tactics`, `relevantTechniques` and `entityMappings` are lists, an entity mapping's `fieldMappings` a list of mappings with `identifier` and `columnName`, `id`, `name`, `severity` and `query` text.

```yaml
tactics: InitialAccess
```

Write a list:

```yaml
tactics: [InitialAccess]
```
"#,
);
