//! ST: rule test files (`sentinel-soar test`). Structural problems that mean the same as in rule
//! files keep the rule codes: SR001 YAML syntax, SR002 duplicate key, SR003 unknown key, SR004
//! missing key, SR005 wrong type, SR011 bad enum value, SR028 bad timestamp, SR029 empty list.

use super::Entry;

pub(super) const ST001: Entry = Entry::error(
    "A path in a test file that does not exist or cannot be read",
    r#"A path the test file names (`rules`, `playbooks`, `mocks`, a test's `incident` or `previous`) does not exist or cannot be read. Paths are relative to the test file, not to the directory `sentinel-soar test` runs in.

```yaml
rules: ../rule
tests:
  - name: pentest is closed
    incident: ../incidents/4101-pentest-pt-07.json
    expect: { status: Closed }
```

Fix the path, relative to the test file (`rules: ../rules`).
"#,
);

pub(super) const ST002: Entry = Entry::error(
    "An incident that is not one usable incident",
    r#"A test's `incident` (or `previous`) is not exactly one incident: the file holds several (a JSON Lines batch, an array), or none, or the inline mapping is not an incident (no `title`, `severity` and `status`, or something else altogether, such as an entity). A test runs the rules on one incident.

```yaml
tests:
  - name: a host is not an incident
    incident: { kind: Host, hostName: pt-07 }
    expect: { status: New }
```

Give one incident, as a file or inline:

```yaml
    incident: { title: Port scan from PT-07, severity: Medium, status: New }
```
"#,
);

pub(super) const ST003: Entry = Entry::error(
    "An expectation names a rule that is not in the rule set",
    r#"An expectation (`fired`, `fires`, `not_fired`) names a rule that the rule set under test does not have, usually a typo or a renamed rule. Such an expectation could never fail (`not_fired`) or never pass (`fired`), so it is an error; the help line suggests the closest name.

```yaml
expect:
  not_fired: [Supress red team pentest 2026]
```

Use the rule's name as its file writes it (`sentinel-soar rules list` shows them):

```yaml
expect:
  not_fired: [Suppress red team pentest 2026]
```
"#,
);

pub(super) const ST004: Entry = Entry::error(
    "Two tests with the same name in one file",
    r#"Two tests of one file have the same name. Test names identify a test in the report (`file::name`) and in JUnit output, so each must be unique within its file.

```yaml
tests:
  - { name: dev VM, incident: ../incidents/4104-crypto-mining-dev-vm.json, expect: { severity: Low } }
  - { name: dev VM, incident: ../incidents/4106-port-scan-dev-vm-informational.json, expect: { severity: Informational } }
```

Name each test after what it checks.
"#,
);

pub(super) const ST005: Entry = Entry::error(
    "Keys that contradict each other, or an expect that checks nothing",
    r#"A test's keys contradict each other, or it checks nothing: `fired` (exactly these rules) together with `fires` (at least these), `previous` or `updated_by` without `trigger: updated` (only an update has a previous version), `mocks` without `playbooks`, or an empty `expect`. A test that checks nothing always passes, which hides a forgotten expectation.

```yaml
- name: previous without an update
  incident: ../incidents/4101-pentest-pt-07.json
  previous: ../incidents/4101-pentest-pt-07.json
  expect: { status: Closed }
```

Say that the test is an update:

```yaml
  trigger: updated
  previous: ../incidents/4101-pentest-pt-07.json
```
"#,
);

pub(super) const ST006: Entry = Entry::error(
    "The rules a test file names have errors",
    r#"The rule files a test file names (`rules`) have errors, so its tests cannot run: a broken rule set gives no meaningful result. The rule files' own diagnostics are printed above this one.

Fix the rule files first (`sentinel-soar validate` on them shows every problem at once).
"#,
);

pub(super) const ST007: Entry = Entry::warning(
    "A test file with no tests",
    r#"A rule test file holds no tests: its `tests` list is empty. Nothing is checked, which is usually a file whose tests were commented out.

```yaml
rules: ../rules
tests: []
```

Add tests, or delete the file.
"#,
);

pub(super) const ST008: Entry = Entry::error(
    "A playbook test names an action the playbook does not have",
    r#"A playbook test's expectation (`actions`, `calls`, `outputs`) names an action that the playbook under test does not have, or `calls` names an action that makes no call (a Compose, a Condition). Such an expectation could never pass (or, for `Skipped`, never fail), so it is an error; the help line suggests the closest name. Actions are named as the run log names them: `Post_message` (`Post message` also works, in any case).

```yaml
- name: the SOC channel hears of the alert
  playbook: Notify-Teams-On-Alert
  alert: ../alerts/password-spray-vpn.json
  expect:
    calls:
      - action: Post_to_SOC_chanel
        inputs: { body: { body: { content: { contains: Password spray } } } }
```

Use the action's name (`sentinel-soar playbook show` lists them):

```yaml
    calls:
      - action: Post_to_SOC_channel
```
"#,
);

pub(super) const ST009: Entry = Entry::error(
    "A playbook test's playbook cannot be found or cannot start from what the test gives",
    r#"A playbook test's `playbook` is neither the name of a playbook the test file's `playbooks` loads nor a playbook file relative to the test file, or the test gives an `alert` to a playbook that does not have the alert trigger (Sentinel runs only alert-trigger playbooks on alerts).

```yaml
playbooks: ../playbooks
tests:
  - name: the IP is enriched
    playbook: Enrich-IP-VirusTotl
    incident: ../incidents/4102-c2-beacon-from-redteam-range.json
    expect: { run: Succeeded }
```

Name a playbook that is loaded (its `name`, or its Logic Apps workflow name), or give its file:

```yaml
    playbook: Enrich-IP-VirusTotal
```
"#,
);
