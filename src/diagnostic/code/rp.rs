//! RP: the files of a content repository as a whole: files that are not Sentinel content,
//! Sentinel content that does not parse, `sentinel-deployment.config`, parameter files, and
//! suppressions (`sentinel-soar.toml`, inline comments) that suppress nothing.

use super::Entry;

pub(super) const RP001: Entry = Entry::info(
    "A YAML or JSON file that is not Sentinel content, skipped",
    r#"A file found under the paths is YAML or JSON but none of the kinds this tool knows: not an automation rule, playbook, analytic rule, rule test, mocks or settings file, nor other Sentinel content (hunting query, parser, workbook, data connector, watchlist, solution package, metadata, parameter file). A Kubernetes manifest, a `package.json` or a CI workflow are such files. It is skipped and this note says so; it is never a problem and fails nothing, even with `--strict`.

```json
{ "name": "my-tools", "version": "1.0.0", "scripts": { "test": "jest" } }
```

Nothing to fix. If the file was meant as Sentinel content, compare its top-level keys with the kind's (`validate --verbose` lists what each file was taken for).
"#,
);

pub(super) const RP002: Entry = Entry::error(
    "A Sentinel content file that does not parse",
    r#"A file of Sentinel content this tool counts but does not check (a hunting query, parser, workbook, data connector, watchlist, parameter file), recognised by its folder or the keys its lines start with, is not valid YAML or JSON. Sentinel Repositories would fail to deploy it.

```json
{ "version": "Notebook/1.0", "items": [ ], }
```

Fix the syntax at the position shown (JSON takes no trailing comma).
"#,
);

pub(super) const RP003: Entry = Entry::error(
    "A sentinel-deployment.config that Sentinel Repositories cannot read",
    r#"`sentinel-deployment.config` at the root of a content repository tells Sentinel Repositories which files to deploy first (`prioritizedcontentfiles`), which to leave out (`excludecontentfiles`) and which parameter file each template deploys with per workspace (`parameterfilemappings`). This one is not JSON, or one of those three sections has the wrong shape: the first two are lists of paths, the last an object of workspace ids, each an object from template path to parameter file path. Other sections are ignored, as Sentinel does; a mapped parameter file that does not exist is reported too.

```json
{ "excludecontentfiles": "Detections/Test.yaml" }
```

Write a list:

```json
{ "excludecontentfiles": ["Detections/Test.yaml"] }
```
"#,
);

pub(super) const RP004: Entry = Entry::error(
    "A parameter file that gives no parameters",
    r#"A parameter file a template deploys with (`--params-file`, a `parameterfilemappings` entry, `<template>.parameters-<workspaceId>.json` or `<template>.parameters.json` beside it) is not a deployment parameters file: not JSON, or without a `parameters` object whose entries are `{"value": ...}` (a Key Vault `reference` is kept as written).

```json
{ "workspace": "soc-prod" }
```

A parameters file wraps the values:

```json
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "workspace": { "value": "soc-prod" } }
}
```
"#,
);

pub(super) const RP005: Entry = Entry::warning(
    "A suppression of sentinel-soar.toml that has expired",
    r#"A `[[suppress]]` table of `sentinel-soar.toml` has an `expires` date that has come (by `--now`, or the clock: a date means its midnight UTC). From then on it suppresses nothing: the findings it covered are reported again, and this warning points at the table so that it is renewed or removed. A suppression that never expires is written without `expires`.

```toml
[[suppress]]
codes = ["SR024"]
reason = "the pentest rule stays until the report is signed off"
expires = 2026-05-01
```

Fix the findings and remove the table, or, if the reason still holds, give a later date:

```toml
expires = 2026-09-01
```
"#,
);

pub(super) const RP006: Entry = Entry::warning(
    "An inline suppression comment that suppresses nothing",
    r#"A YAML comment starting with `# sentinel-soar:` is not a suppression this tool can apply: it has no reason, names no code or an unknown one, or is not of the form `# sentinel-soar: ignore[CODE, ...] reason`. It suppresses nothing, so the finding it was meant for is still reported. A suppression needs a reason so that a reader knows why the finding is accepted.

```yaml
  - name: Close pentest incidents   # sentinel-soar: ignore[SR024]
```

Give the reason after the codes (at the end of the finding's line, or alone on the line above it):

```yaml
  - name: Close pentest incidents   # sentinel-soar: ignore[SR024] kept until the report is signed off
```
"#,
);
