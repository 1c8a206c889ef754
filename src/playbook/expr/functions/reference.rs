//! The function reference: one row per function of [`SPECS`](super::SPECS) (every function of
//! Microsoft's "Reference guide to workflow expression functions", plus `actionBody` and
//! `actionOutputs` from its older versions) with its category, how completely it is supported
//! and what to know. [`markdown`] renders `docs/wdl-functions.md`; a test keeps the committed
//! file equal to it and this table in step with [`SPECS`](super::SPECS).

use std::fmt::Write;

/// How much of a function's documented behaviour this engine has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Support {
    Full,
    /// Documented parts are missing; the note says which.
    Partial,
}

use Support::{Full, Partial};

/// (name, category, support, note).
pub const ROWS: &[(&str, &str, Support, &str)] = &[
    ("action", "workflow", Full, "The record of the action being evaluated; defined in an Until loop's condition (its record so far), an error elsewhere. Webhook `unsubscribe` and `trackedProperties` do not run offline."),
    ("actionBody", "workflow", Full, "Older name of `body` (dropped from the current reference; old templates use it)."),
    ("actionOutputs", "workflow", Full, "Older name of `outputs`."),
    ("actions", "workflow", Full, "The action's run record."),
    ("add", "math", Full, ""),
    ("addDays", "date", Full, "Fractions count to the millisecond."),
    ("addHours", "date", Full, ""),
    ("addMinutes", "date", Full, ""),
    ("addProperty", "manipulation", Full, "Fails when the property exists, as documented."),
    ("addSeconds", "date", Full, ""),
    ("addToTime", "date", Full, "Units Second to Year; months clamp the day to the month's end."),
    ("and", "logical", Full, "Stops at the first false."),
    ("array", "conversion", Full, "An array argument is returned as it is."),
    ("base64", "conversion", Full, ""),
    ("base64ToBinary", "conversion", Full, "An `application/octet-stream` content envelope."),
    ("base64ToString", "conversion", Full, ""),
    ("binary", "conversion", Full, "An `application/octet-stream` content envelope of the text."),
    ("body", "workflow", Full, ""),
    ("bool", "conversion", Full, ""),
    ("chunk", "collection", Full, "Strings and arrays; the last piece is shorter."),
    ("coalesce", "logical", Full, ""),
    ("concat", "string", Full, "Also accepts one argument."),
    ("contains", "collection", Full, "Case-sensitive, as documented."),
    ("convertFromUtc", "date", Partial, "Only the UTC time zone: no time-zone database is embedded, to keep runs deterministic; another zone is an error naming it."),
    ("convertTimeZone", "date", Partial, "Only the UTC time zone (see convertFromUtc)."),
    ("convertToUtc", "date", Partial, "Only the UTC time zone (see convertFromUtc)."),
    ("createArray", "conversion", Full, "Also accepts one argument."),
    ("dataUri", "conversion", Full, "`text/plain` for text, `application/json` for objects, an envelope's own type for binary content."),
    ("dataUriToBinary", "conversion", Full, "A content envelope of the data URI's type."),
    ("dataUriToString", "conversion", Full, ""),
    ("dateDifference", "date", Full, "A .NET TimeSpan `[-][d.]hh:mm:ss[.fffffff]`."),
    ("dayOfMonth", "date", Full, ""),
    ("dayOfWeek", "date", Full, "Sunday is 0."),
    ("dayOfYear", "date", Full, ""),
    ("decimal", "conversion", Partial, "A double offline (15 to 17 significant digits), where Logic Apps keeps .NET decimal precision (28 digits) through `string()`."),
    ("decodeBase64", "conversion", Full, "Deprecated in favour of base64ToString."),
    ("decodeDataUri", "conversion", Full, "Same as dataUriToBinary."),
    ("decodeUriComponent", "conversion", Full, ""),
    ("div", "math", Full, "Integer division for two integers."),
    ("empty", "collection", Full, "`empty(null)` is true."),
    ("encodeUriComponent", "conversion", Full, "Also accepts several arguments (concatenated), as real templates call it."),
    ("endsWith", "string", Full, "Ignores case, as documented."),
    ("equals", "logical", Full, "`equals(true, 1)` is true; null equals \"\"."),
    ("first", "collection", Full, ""),
    ("float", "conversion", Full, "Thousands separators and the optional locale (embedded cultures: en-US, en-GB, de-DE, fr-FR, es-ES, is-IS and the invariant culture; another locale is an error naming them)."),
    ("formatDateTime", "date", Full, "Standard and custom .NET formats; the optional locale names days and months (embedded cultures, as float)."),
    ("formDataMultiValues", "workflow", Full, "Reads `$formdata` or form-encoded text from the action's body; `[]` when nothing matches."),
    ("formDataValue", "workflow", Full, "As formDataMultiValues; an error unless exactly one value matches."),
    ("formatNumber", "string", Full, "Standard (C D E F G N P R X) and custom .NET numeric formats, en-US by default, embedded cultures."),
    ("getFutureTime", "date", Full, "From the simulated clock (`--now`)."),
    ("getPastTime", "date", Full, "From the simulated clock (`--now`)."),
    ("greater", "logical", Full, "Strings compare ordinally."),
    ("greaterOrEquals", "logical", Full, ""),
    ("guid", "string", Full, "A sequence seeded by the playbook and the payload: the same run gives the same GUIDs."),
    ("if", "logical", Full, "Only the chosen branch is evaluated."),
    ("indexOf", "string", Full, "Ignores case, as documented."),
    ("int", "conversion", Full, ""),
    ("intersection", "collection", Full, ""),
    ("isFloat", "conversion", Full, "Invariant culture by default, thousands separators, the optional locale (as float)."),
    ("isInt", "conversion", Full, ""),
    ("item", "workflow", Full, ""),
    ("items", "workflow", Full, ""),
    ("iterationIndexes", "workflow", Full, ""),
    ("join", "collection", Full, ""),
    ("json", "conversion", Full, "Of a string, or of an `xml()` value (Newtonsoft's convention: `@attr`, `#text`, `?xml`; CDATA reads as text)."),
    ("last", "collection", Full, ""),
    ("lastIndexOf", "string", Full, "Ignores case; the documented empty-string rules."),
    ("length", "collection", Full, ""),
    ("less", "logical", Full, ""),
    ("lessOrEquals", "logical", Full, ""),
    ("listCallbackUrl", "workflow", Full, "A fixed offline URL (nothing calls it back)."),
    ("max", "math", Full, ""),
    ("min", "math", Full, ""),
    ("mod", "math", Full, "The dividend's sign."),
    ("mul", "math", Full, ""),
    ("multipartBody", "workflow", Full, "Part `index` (from 0) of a `$multipart` body."),
    ("not", "logical", Full, ""),
    ("nthIndexOf", "string", Full, "1-based occurrence, negative from the end, overlapping, case-sensitive; 0 is an error."),
    ("or", "logical", Full, "Stops at the first true."),
    ("outputs", "workflow", Full, ""),
    ("parameters", "workflow", Full, "A template parameter without a value reads as the placeholder `<no value: NAME>`."),
    ("parseDateTime", "date", Full, "Locale before format; without a format, the locale's date orders and month and day names (embedded cultures)."),
    ("rand", "math", Full, "Drawn from the run's seeded sequence (the one guid uses), so runs repeat."),
    ("range", "math", Full, ""),
    ("removeProperty", "manipulation", Full, ""),
    ("replace", "string", Full, "Case-sensitive; an empty old text is an error."),
    ("result", "workflow", Full, "First-level actions of a Scope, Foreach or Until."),
    ("reverse", "collection", Full, ""),
    ("setProperty", "manipulation", Full, ""),
    ("skip", "collection", Full, ""),
    ("slice", "string", Full, ""),
    ("sort", "collection", Full, "Numbers, strings (ordinal) or booleans, or objects by a key; stable; mixed types are an error."),
    ("split", "string", Full, ""),
    ("startOfDay", "date", Full, ""),
    ("startOfHour", "date", Full, ""),
    ("startOfMonth", "date", Full, ""),
    ("startsWith", "string", Full, "Ignores case, as documented."),
    ("string", "conversion", Full, "`true` is \"True\"; a content envelope reads as its text."),
    ("sub", "math", Full, ""),
    ("substring", "string", Full, "Fails past the end, as documented."),
    ("subtractFromTime", "date", Full, ""),
    ("take", "collection", Full, ""),
    ("ticks", "date", Full, ""),
    ("toLower", "string", Full, ""),
    ("toUpper", "string", Full, ""),
    ("trigger", "workflow", Full, ""),
    ("triggerBody", "workflow", Full, ""),
    ("triggerFormDataMultiValues", "workflow", Full, "As formDataMultiValues, on the trigger's body."),
    ("triggerFormDataValue", "workflow", Full, "As formDataValue, on the trigger's body."),
    ("triggerMultipartBody", "workflow", Full, "As multipartBody, on the trigger's body."),
    ("triggerOutputs", "workflow", Full, ""),
    ("trim", "string", Full, ""),
    ("union", "collection", Full, ""),
    ("uriComponent", "conversion", Full, ""),
    ("uriComponentToBinary", "conversion", Full, "An `application/octet-stream` content envelope of the decoded bytes."),
    ("uriComponentToString", "conversion", Full, ""),
    ("uriHost", "uri", Full, ""),
    ("uriPath", "uri", Full, ""),
    ("uriPathAndQuery", "uri", Full, ""),
    ("uriPort", "uri", Full, ""),
    ("uriQuery", "uri", Full, ""),
    ("uriScheme", "uri", Full, ""),
    ("utcNow", "date", Full, "The simulated clock (`--now`)."),
    ("variables", "workflow", Full, ""),
    ("workflow", "workflow", Full, "A synthetic resource: id, name, type, location `offline`, the run's id and name, tags `{}`."),
    ("xml", "conversion", Full, "Of XML text or of a JSON object with one root property (Newtonsoft's convention); an `application/xml` content envelope."),
    ("xpath", "manipulation", Full, "XPath 1.0 without variables, `id()`, `lang()` and the namespace axis; a node-set is an array (elements as XML envelopes, other nodes as text)."),
];

/// `docs/wdl-functions.md`.
pub fn markdown() -> String {
    let mut rows: Vec<&(&str, &str, Support, &str)> = ROWS.iter().collect();
    rows.sort_by_key(|(name, ..)| name.to_ascii_lowercase());
    let partial = rows.iter().filter(|r| r.2 == Partial).count();
    let mut out = String::new();
    out.push_str("# Workflow Definition Language functions\n\n");
    out.push_str("Generated from `src/playbook/expr/functions/reference.rs`; a test keeps this file equal to it.\n\n");
    let _ = writeln!(
        out,
        "Every function of Microsoft's [Reference guide to workflow expression functions](https://learn.microsoft.com/azure/logic-apps/expression-functions-reference) runs offline ({} functions, {} of them with a documented part missing). None needs the cloud: the clock is `--now`, `guid()` and `rand()` draw from the run's seeded sequence, locales come from embedded culture data ({}, and the invariant culture).\n",
        rows.len(),
        partial,
        super::culture::names().join(", ")
    );
    out.push_str("| function | category | supported | notes |\n|---|---|---|---|\n");
    for (name, category, support, note) in rows {
        let support = match support {
            Full => "yes",
            Partial => "partly",
        };
        let _ = writeln!(out, "| `{name}` | {category} | {support} | {} |", note.replace('|', "\\|"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_function_has_one_row() {
        let mut names: Vec<&str> = super::super::SPECS.iter().map(|s| s.name).collect();
        let mut rows: Vec<&str> = ROWS.iter().map(|r| r.0).collect();
        names.sort_unstable();
        rows.sort_unstable();
        assert_eq!(names, rows);
    }
}
