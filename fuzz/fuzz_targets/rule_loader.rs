//! Fuzz target: the rule loader on arbitrary UTF-8. Decodes the text as a rule file
//! (`rules::file::decode`: YAML parse with serde-saphyr's budgets, then the file model),
//! compiles it (`rules::compile`: names, regexes, CIDRs, limits) and renders every diagnostic
//! with its source snippet, as `validate` and `apply` would. Nothing may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sentinel_soar::diagnostic::{render_human, Sources};
use sentinel_soar::rules;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut diags = Vec::new();
    let file = rules::file::decode("fuzz.yaml", text, &mut diags);
    let (_set, more) = rules::compile(&[file], &rules::Options::default());
    diags.extend(more);
    let mut sources = Sources::default();
    sources.insert("fuzz.yaml", text);
    let _ = render_human(&diags, &sources, false);
});
