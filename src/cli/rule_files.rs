//! Finding, reading and compiling rule files: paths, directories (recursively, `*.yaml`,
//! `*.yml` and `*.json`) and glob patterns, in a sorted order so the rule set never depends on
//! how the files were named on the command line. `*.json` files are Sentinel's own automation
//! rule JSON (REST resources, lists, API examples, ARM templates), decoded by
//! [`crate::sentinel`] into the same file model as YAML.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::diagnostic::{self, Diagnostic, Sources};
use crate::io;
use crate::playbook::{self, model::Playbook, settings, settings::Settings};
use crate::rules::{self, codes, file::RuleFile, playbook_refs::PlaybookFacts, RuleSet};
use crate::sentinel;
use crate::syntax::yaml::top_keys;
use crate::syntax::Span;

/// Rules loaded from disk, with everything needed to report on them.
pub struct LoadedRules {
    pub set: RuleSet,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// Rule test files found under the paths (a top-level `tests:` key), as (path, text):
    /// they are not rules, and `validate` checks them with the test-file decoder.
    pub test_files: Vec<(String, String)>,
    /// Every file read as rules or rule tests, in load order.
    pub files: Vec<String>,
    /// The rule files as decoded (for checks that need the source model).
    pub rule_files: Vec<RuleFile>,
    /// Playbooks met among the paths (YAML playbooks, Logic Apps JSON).
    pub playbooks: Vec<Playbook>,
    /// The last workspace settings file met among the paths.
    pub settings: Option<Settings>,
}

/// The extensions of rule (and playbook, mocks, settings) files found under a directory.
const RULE_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Expands rule path arguments into files, sorted and de-duplicated.
pub fn expand(args: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    Ok(expand_with_origin(args)?.into_iter().map(|(p, _)| p).collect())
}

/// [`expand`], telling for each file whether it was found by walking a directory (where JSON
/// files that hold no rules, such as incidents, are skipped rather than reported).
pub fn expand_with_origin(args: &[String]) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    expand_named(args, "rule")
}

/// [`expand_with_origin`] for files of another `kind` (`playbook`, `mocks`), named so in errors.
pub fn expand_named(args: &[String], kind: &str) -> anyhow::Result<Vec<(PathBuf, bool)>> {
    let mut all = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        let mut found = Vec::new();
        if path.is_dir() {
            found = io::walk(path, RULE_EXTENSIONS).map_err(|e| {
                anyhow::Error::new(e.error).context(format!("cannot read directory {}", e.dir.display()))
            })?;
            if found.is_empty() {
                bail!("no {kind} files (*.yaml, *.yml, *.json) under {arg}");
            }
        } else if path.exists() {
            found.push(path.to_path_buf());
        } else if arg.contains(['*', '?', '[']) {
            let paths = glob::glob(arg).with_context(|| format!("invalid glob pattern {arg}"))?;
            for p in paths {
                let p = p.with_context(|| format!("cannot read a match of {arg}"))?;
                if p.is_file() {
                    found.push(p);
                }
            }
            if found.is_empty() {
                bail!("no files match {arg}");
            }
        } else {
            bail!("{kind} path {arg} does not exist");
        }
        found.sort();
        let walked = path.is_dir();
        all.extend(found.into_iter().map(|p| (p, walked)));
    }
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|(p, _)| seen.insert(p.clone()));
    Ok(all)
}

/// The error for a file that is not UTF-8, at the first bad byte (line and character column of
/// the valid text before it).
pub fn not_utf8(display: &str, e: &std::string::FromUtf8Error) -> Diagnostic {
    let bytes = e.as_bytes();
    let at = e.utf8_error().valid_up_to();
    let valid = std::str::from_utf8(bytes.get(..at).unwrap_or_default()).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = valid.matches('\n').count() + 1;
    let column = valid.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    let byte = bytes.get(at).map_or(String::new(), |b| format!(" (byte 0x{b:02X})"));
    let span = Some(Span { start: at, end: at, line, column });
    if let Some(binary) = crate::io::compress::describe_binary(bytes) {
        let message = format!("the file is not UTF-8 text: it is {binary}{byte}");
        return Diagnostic::error(codes::UNREADABLE, display, span, message).with_help("decompress it first");
    }
    Diagnostic::error(codes::UNREADABLE, display, span, format!("the file is not UTF-8 text{byte}"))
        .with_help("save the file as UTF-8")
}

/// Rule files read and decoded, not compiled.
pub struct DecodedFiles {
    pub files: Vec<RuleFile>,
    /// Per file, per rule: the Sentinel id the rule came with (a JSON resource's id, or the
    /// `# source:` comment `import sentinel` writes above a YAML rule).
    pub ids: Vec<Vec<Option<String>>>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    /// Rule test files met on the way (see [`LoadedRules::test_files`]).
    pub test_files: Vec<(String, String)>,
    /// Every file read as rules or rule tests, in load order.
    pub files_read: Vec<String>,
    /// Playbooks met among the paths.
    pub playbooks: Vec<Playbook>,
    /// The last workspace settings file met among the paths.
    pub settings: Option<Settings>,
}

/// One rule file's bytes, read from disk or from elsewhere (`impact --base git:REV` reads them
/// at a git revision), with the name messages give it.
pub struct RuleSource {
    pub display: String,
    /// Found by walking a directory (JSON files there that hold no rules are skipped).
    pub walked: bool,
    pub bytes: Vec<u8>,
}

/// Reads and decodes every rule file under `args`; `params` are `--param` values for ARM
/// templates. I/O failures are errors (exit 2); problems in the files are diagnostics, a
/// warning repeated in several places said once.
pub fn decode(args: &[String], params: &[(String, String)]) -> anyhow::Result<DecodedFiles> {
    let mut sources = Vec::new();
    for (path, walked) in expand_with_origin(args)? {
        let display = path.display().to_string();
        let bytes = std::fs::read(&path).with_context(|| format!("cannot read rule file {display}"))?;
        sources.push(RuleSource { display, walked, bytes });
    }
    Ok(decode_sources(sources, params))
}

/// Decodes rule files already read ([`decode`] once the files are read).
pub fn decode_sources(sources: Vec<RuleSource>, params: &[(String, String)]) -> DecodedFiles {
    let mut out = DecodedFiles {
        files: Vec::new(),
        ids: Vec::new(),
        diagnostics: Vec::new(),
        sources: Sources::default(),
        test_files: Vec::new(),
        files_read: Vec::new(),
        playbooks: Vec::new(),
        settings: None,
    };
    let mut declared = Vec::new();
    for RuleSource { display, walked, bytes } in sources {
        let path = Path::new(&display);
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                out.diagnostics.push(not_utf8(&display, &e));
                out.files_read.push(display);
                continue;
            }
        };
        // A YAML file's kind is told by its top keys, parsed once here.
        let keys = if sentinel::is_json_path(path) { Vec::new() } else { top_keys(&text) };
        let has = |key: &str| keys.iter().any(|k| k == key);
        if sentinel::is_json_path(path) {
            let mut diags = Vec::new();
            let decoded = sentinel::decode(&display, &text, params, &mut diags);
            if diags.iter().any(|d| d.code == sentinel::codes::NOT_RULES) {
                // A Logic Apps playbook next to the rules is checked as one.
                let mut playbook_diags = Vec::new();
                let found = playbook::model::load(&display, &text, &mut playbook_diags);
                if !playbook_diags.iter().any(|d| d.code == playbook::model::codes::NOT_A_PLAYBOOK) {
                    out.sources.insert(&display, &text);
                    out.files_read.push(display.clone());
                    out.diagnostics.extend(playbook_diags);
                    out.playbooks.extend(found);
                    continue;
                }
            }
            if walked && diags.iter().any(|d| d.code == sentinel::codes::NOT_RULES) {
                continue; // an incident or other JSON file next to the rules
            }
            out.sources.insert(&display, &text);
            out.files_read.push(display.clone());
            out.diagnostics.extend(diags);
            declared.extend(decoded.parameters);
            out.files.push(decoded.file);
            out.ids.push(decoded.ids);
        } else if !has("tests") && (has("steps") || has("mocks")) {
            // A YAML playbook (`steps`) or a mocks file (`mocks`) next to the rules: checked
            // with the playbook loaders, its findings reported like the rules'.
            out.sources.insert(&display, &text);
            out.files_read.push(display.clone());
            if has("steps") {
                out.playbooks.extend(playbook::model::load(&display, &text, &mut out.diagnostics));
            } else {
                playbook::connectors::mocks::load(&display, &text, &mut out.diagnostics);
            }
        } else if settings::is_settings(&keys) {
            out.sources.insert(&display, &text);
            out.files_read.push(display.clone());
            out.settings = Some(settings::load(&display, &text, &mut out.diagnostics));
        } else if has("tests") {
            out.sources.insert(&display, &text);
            out.files_read.push(display.clone());
            out.test_files.push((display, text));
        } else {
            out.sources.insert(&display, &text);
            out.files_read.push(display.clone());
            let file = rules::file::decode(&display, &text, &mut out.diagnostics);
            out.ids.push(file.rules.iter().map(|r| sentinel::import::source_comment_id(&text, r.span.line)).collect());
            out.files.push(file);
        }
    }
    sentinel::unknown_params(params, &declared, &mut out.diagnostics);
    sentinel::dedupe(&mut out.files, &mut out.ids, &mut out.diagnostics);
    diagnostic::merge_repeated_warnings(&mut out.diagnostics);
    out
}

/// Reads, decodes and compiles every rule file under `args`. I/O failures are errors (exit 2);
/// problems in the files are diagnostics. (Commands without `--param` call this.)
#[allow(dead_code)]
pub fn load(args: &[String], options: &rules::Options) -> anyhow::Result<LoadedRules> {
    load_with(args, options, &[])
}

/// [`load`] with `--param` values for ARM templates.
pub fn load_with(
    args: &[String],
    options: &rules::Options,
    params: &[(String, String)],
) -> anyhow::Result<LoadedRules> {
    Ok(compile(decode(args, params)?, options))
}

/// [`load_with`] for rule files already read ([`RuleSource`]).
pub fn load_sources(sources: Vec<RuleSource>, options: &rules::Options, params: &[(String, String)]) -> LoadedRules {
    compile(decode_sources(sources, params), options)
}

/// Compiles decoded rule files.
fn compile(decoded: DecodedFiles, options: &rules::Options) -> LoadedRules {
    let mut diagnostics = decoded.diagnostics;
    let (set, compile_diags) = rules::compile(&decoded.files, options);
    diagnostics.extend(compile_diags);
    LoadedRules {
        set,
        diagnostics,
        sources: decoded.sources,
        test_files: decoded.test_files,
        files: decoded.files_read,
        rule_files: decoded.files,
        playbooks: decoded.playbooks,
        settings: decoded.settings,
    }
}

/// Checks the playbooks the rules' `run_playbook` actions name against the playbooks met
/// among the rule paths and `extra` ones (`--playbooks`), with the settings' permissions
/// (the one given, else one met among the paths). Without any playbook there is nothing to
/// check against, and nothing is reported.
pub fn check_playbooks(loaded: &mut LoadedRules, extra: &[Playbook], settings: Option<&Settings>) {
    let found = playbook_findings(loaded, extra, settings);
    loaded.diagnostics.extend(found);
}

/// The findings of [`check_playbooks`], without adding them to `loaded`.
pub fn playbook_findings(loaded: &LoadedRules, extra: &[Playbook], settings: Option<&Settings>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if loaded.playbooks.is_empty() && extra.is_empty() {
        return found;
    }
    let settings = settings.or(loaded.settings.as_ref());
    let facts: Vec<PlaybookFacts> = loaded.playbooks.iter().chain(extra).map(|p| facts(p, settings)).collect();
    rules::playbook_refs::check(&loaded.rule_files, &facts, &mut found);
    found
}

/// What the rule checks need to know of a playbook.
pub fn facts(p: &Playbook, settings: Option<&Settings>) -> PlaybookFacts {
    let not_runnable = if p.enabled {
        settings.and_then(|s| s.refuse_resource_group(p.resource_group.as_deref()))
    } else {
        Some(format!("playbook `{}` is disabled: Sentinel would record a failed run", p.name))
    };
    PlaybookFacts { name: p.name.clone(), trigger: p.trigger_kind().as_str(), not_runnable }
}
