//! The JSON Schema (draft-07) of `sentinel-soar.toml`, for editors that check TOML against one
//! (Even Better TOML / Taplo: `#:schema ./schemas/config.schema.json` on the file's first line).
//! Built from the key tables the decoder uses ([`super::file::KEYS`],
//! [`super::file::SUPPRESS_KEYS`]) and the code registry, so it lists what the decoder accepts;
//! `schemas/config.schema.json` is this output (`sentinel-soar schema config`).

use serde_json::{json, Map, Value};

use crate::diagnostic::Code;

use super::file::{KEYS, SUPPRESS_KEYS};

/// A code of the registry (the decoder also takes lower case).
fn code() -> Value {
    let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
    json!({ "description": "A diagnostic code (docs/codes.md).", "type": "string", "enum": ids })
}

fn codes(description: &str) -> Value {
    json!({
        "description": description,
        "type": "array",
        "items": { "$ref": "#/definitions/code" },
        "minItems": 1,
        "uniqueItems": true,
    })
}

fn globs(description: &str) -> Value {
    json!({ "description": description, "type": "array", "items": { "type": "string", "minLength": 1 } })
}

fn key(name: &str) -> Value {
    match name {
        "include" => globs("Globs, relative to this file's directory, of the files a directory walk checks; without it every file. A glob that matches a directory covers the files under it."),
        "exclude" => globs("Globs, relative to this file's directory, of the files a directory walk leaves out (listed as excluded by `validate --verbose`). Files named on the command line are always checked."),
        "sentinel" => json!({ "description": "Report this tool's extension operators as errors, as `--sentinel` does.", "type": "boolean", "default": false }),
        "strict" => json!({ "description": "Warnings fail the run, as `--strict` does.", "type": "boolean", "default": false }),
        "portal" => json!({ "description": "The portal of every command that takes `--portal` (validate, test, apply, impact, explain, rules list, playbook run) when the flag is not given.", "enum": ["azure", "defender"], "default": "azure" }),
        "ignore" => json!({
            "description": "Codes suppressed everywhere (counted as suppressed, never dropped).",
            "type": "array",
            "items": { "$ref": "#/definitions/code" },
            "uniqueItems": true,
        }),
        "per-path-ignores" => json!({
            "description": "Codes suppressed in the files a glob (relative to this file's directory) matches.",
            "type": "object",
            "additionalProperties": codes("The codes suppressed under this glob."),
        }),
        "suppress" => json!({
            "description": "Suppressions with a reason and an optional expiry date.",
            "type": "array",
            "items": suppress(),
        }),
        _ => json!({}),
    }
}

fn suppress() -> Value {
    let properties: Map<String, Value> = SUPPRESS_KEYS
        .iter()
        .map(|k| {
            let spec = match *k {
                "codes" => codes("The codes suppressed."),
                "path" => json!({ "description": "Only in the files this glob (relative to this file's directory) matches; every file without it.", "type": "string", "minLength": 1 }),
                "reason" => json!({ "description": "Why the findings are accepted.", "type": "string", "minLength": 1, "pattern": "\\S" }),
                "expires" => json!({ "description": "A TOML date (2026-12-31, midnight UTC) or offset date-time: from then on the suppression no longer applies and is itself reported (RP005).", "type": "string", "anyOf": [{ "format": "date" }, { "format": "date-time" }] }),
                _ => json!({}),
            };
            ((*k).to_owned(), spec)
        })
        .collect();
    json!({
        "description": "A suppression.",
        "type": "object",
        "properties": properties,
        "required": ["codes", "reason"],
        "additionalProperties": false,
    })
}

/// The schema of `sentinel-soar.toml`.
pub fn config() -> Value {
    let properties: Map<String, Value> = KEYS.iter().map(|k| ((*k).to_owned(), key(k))).collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "sentinel-soar.toml",
        "description": "The sentinel-soar configuration of a repository, found from the working directory upwards (up to the repository root).",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "definitions": { "code": code() },
    })
}
