//! The workspace: every input file of a run, read once, its kind decided once ([`FileKind`],
//! from its extension, top-level keys and ARM resource types), its parsed tree handed to the
//! decoder of that kind. [`load`] returns the typed contents (automation rules, playbooks,
//! analytic rules, rule tests, mocks, settings), the sources diagnostics point into, every
//! diagnostic, and what each file was taken for. It knows the layouts content repositories use
//! (Sentinel Repositories: `AutomationRules/`, `Detections/`, `Playbooks/`, ... with parameter
//! files and `sentinel-deployment.config`; the Azure-Sentinel repository's `Solutions/*/...`):
//! other Sentinel content (hunting queries, parsers, workbooks, ...) is counted and skipped, a
//! file that is no Sentinel content at all is skipped with a note (RP001).
//!
//! Stages: paths -> files ([`expand`]) -> parsed trees and kinds ([`classify`], [`kind`]) -> file models
//! (each kind's decoder, [`decode`]) -> repository checks ([`analytic::duplicates`], [`xref`]).
//! Reads files; never prints.

pub mod analytic;
pub mod classify;
pub mod config;
mod decode;
mod entities;
pub mod expand;
pub mod kind;
pub mod params;
pub mod xref;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::{self, Code, Diagnostic, Sources};
use crate::playbook::connectors::mocks::Mocks;
use crate::playbook::model::Playbook;
use crate::playbook::settings::Settings;
use crate::rules::file::RuleFile;
use crate::ruletest::TestFile;
use crate::syntax::{self, Node, Span, SyntaxError};

pub use analytic::AnalyticRule;
pub use expand::{Found, LoadError};
pub use kind::{FileKind, Other};

/// What the command reading the files expects of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Expect {
    /// `validate`: every kind, each checked; files that are no Sentinel content get a note.
    #[default]
    Repository,
    /// Rules and what runs beside them (`apply`, `explain`, `rules list`, `export`): every kind
    /// is read, without notes.
    Rules,
    /// Automation rules only (`import`): a named file is read as rules whatever it holds.
    AutomationRules,
    /// Playbooks only: a named file is read as a playbook, a walked one only when it is one.
    Playbooks,
    /// Rule tests only (`test`): likewise.
    RuleTests,
    /// Mocks: every file is read as mocks.
    Mocks,
}

impl Expect {
    /// The word for the files in path errors: `rule path x does not exist`.
    fn what(self) -> &'static str {
        match self {
            Expect::Repository | Expect::Rules | Expect::AutomationRules => "rule",
            Expect::Playbooks => "playbook",
            Expect::RuleTests => "test",
            Expect::Mocks => "mocks",
        }
    }

    /// The kind a file is read as: `None` to leave it out.
    fn read_as(self, kind: FileKind, walked: bool) -> Option<FileKind> {
        let only = |wanted: FileKind| (!walked || kind == wanted).then_some(wanted);
        match self {
            Expect::Repository | Expect::Rules => Some(kind),
            Expect::AutomationRules => only(FileKind::AutomationRules),
            Expect::Playbooks => only(FileKind::Playbooks),
            Expect::RuleTests => only(FileKind::RuleTests),
            Expect::Mocks => Some(FileKind::Mocks),
        }
    }
}

/// How templates get their parameters, and what is expected of the files.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--param NAME=VALUE`, overriding everything else.
    pub params: Vec<(String, String)>,
    /// `--params-file FILE`: deployment parameter files applied to every template.
    pub params_files: Vec<String>,
    /// `--workspace ID`: which workspace's parameter files are used.
    pub workspace: Option<String>,
    pub expect: Expect,
    /// `include`/`exclude` of `sentinel-soar.toml`: files found by walking a directory that it
    /// leaves out are listed as excluded and not decoded.
    pub filter: Option<crate::config::PathFilter>,
}

/// One input file and what it was taken for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub kind: FileKind,
    /// Decoded and checked (false for other content, and for files `sentinel-deployment.config`
    /// or `sentinel-soar.toml` excludes).
    pub checked: bool,
    /// Left out by `excludecontentfiles`, or by `include`/`exclude` of `sentinel-soar.toml`.
    pub excluded: bool,
}

/// Everything read from the input files.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Every file, in load order.
    pub files: Vec<File>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: Sources,
    pub rule_files: Vec<RuleFile>,
    /// Per rule file, per rule: the Sentinel id it came with.
    pub rule_ids: Vec<Vec<Option<String>>>,
    pub playbooks: Vec<Playbook>,
    pub analytic_rules: Vec<AnalyticRule>,
    pub tests: Vec<TestFile>,
    pub mocks: Mocks,
    /// The last settings file met.
    pub settings: Option<Settings>,
}

impl Workspace {
    /// How many files of each kind were checked, and of each kind skipped.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for f in &self.files {
            let map = if f.checked { &mut counts.checked } else { &mut counts.skipped };
            *map.entry(f.kind).or_default() += 1;
        }
        counts
    }
}

/// Files counted by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub checked: BTreeMap<FileKind, usize>,
    pub skipped: BTreeMap<FileKind, usize>,
}

/// A file read and parsed, before it is decoded.
pub(crate) struct Parsed {
    pub found: Found,
    pub label: String,
    pub text: String,
    pub syntax: kind::Syntax,
    pub root: Result<Node, SyntaxError>,
    pub kind: FileKind,
    /// Why the file could not be read as text (it is reported in its place, not decoded).
    pub unreadable: Option<Diagnostic>,
}

/// Reads every file under `paths`. I/O failures are errors; problems inside the files are
/// diagnostics.
pub fn load(paths: &[String], options: &Options) -> Result<Workspace, LoadError> {
    let found = expand::expand(paths, options.expect.what())?;
    let mut sources = Vec::with_capacity(found.len());
    for f in found {
        let label = crate::io::path::display(&f.path);
        let bytes = std::fs::read(&f.path).map_err(|error| LoadError::Read {
            what: options.expect.what(),
            path: label.clone(),
            error,
        })?;
        sources.push(Source { label, walked: f.walked, bytes });
    }
    load_sources(sources, options)
}

/// One file's bytes, read from disk or from elsewhere (`impact --base git:REV` reads them at a
/// git revision), with the name messages give it.
pub struct Source {
    pub label: String,
    /// Found by walking a directory (where files a command does not expect are skipped).
    pub walked: bool,
    pub bytes: Vec<u8>,
}

/// [`load`] for files already read.
pub fn load_sources(sources: Vec<Source>, options: &Options) -> Result<Workspace, LoadError> {
    let mut ws = Workspace::default();
    let mut parsed = Vec::with_capacity(sources.len());
    for source in sources {
        if let Some(p) = read(source, options.expect) {
            parsed.push(p);
        }
    }
    decode::all(parsed, options, &mut ws)?;
    Ok(ws)
}

/// Reads one file already in memory (`--settings -`) as `kind`.
pub fn load_text(label: &str, text: &str, kind: FileKind, options: &Options) -> Result<Workspace, LoadError> {
    let mut ws = Workspace::default();
    let syntax = if label.to_ascii_lowercase().ends_with(".json") { kind::Syntax::Json } else { kind::Syntax::Yaml };
    let root = parse(syntax, text);
    let found = Found { path: PathBuf::from(label), walked: false };
    let p = Parsed { found, label: label.to_owned(), text: text.to_owned(), syntax, root, kind, unreadable: None };
    decode::all(vec![p], options, &mut ws)?;
    Ok(ws)
}

fn parse(syntax: kind::Syntax, text: &str) -> Result<Node, SyntaxError> {
    match syntax {
        kind::Syntax::Json => syntax::json::parse(text),
        kind::Syntax::Yaml => syntax::yaml::parse(text),
        kind::Syntax::Unparsed(_) => Ok(Node::new(syntax::NodeKind::Null, Span::FILE_START)),
    }
}

/// Parses one file and decides its kind; `None` for a file the command leaves out.
fn read(source: Source, expect: Expect) -> Option<Parsed> {
    let Source { label, walked, bytes } = source;
    let found = Found { path: PathBuf::from(&label), walked };
    let syntax = kind::syntax_of(&found.path).unwrap_or(kind::Syntax::Yaml);
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) if found.walked && !matches!(expect, Expect::Repository | Expect::Rules) => return None,
        Err(e) => {
            let unreadable = Some(not_utf8(&label, &e));
            let root = Ok(Node::new(syntax::NodeKind::Null, Span::FILE_START));
            let kind = FileKind::AutomationRules;
            return Some(Parsed { found, label, text: String::new(), syntax, root, kind, unreadable });
        }
    };
    let root = parse(syntax, &text);
    let kind = match &root {
        Ok(root) => classify::classify(&found.path, syntax, root),
        Err(_) => {
            let keys = if syntax == kind::Syntax::Yaml { syntax::yaml::scan_top_keys(&text) } else { Vec::new() };
            classify::classify_unparsed(&found.path, syntax, &keys)
        }
    };
    Some(Parsed { found, label, text, syntax, root, kind, unreadable: None })
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
        return Diagnostic::error(Code::SR035, display, span, message).with_help("decompress it first");
    }
    Diagnostic::error(Code::SR035, display, span, format!("the file is not UTF-8 text{byte}"))
        .with_help("save the file as UTF-8")
}

/// The repository checks made once every file is decoded, and the warnings said once.
fn finish(ws: &mut Workspace, options: &Options, declared: &[(String, Vec<String>)]) {
    let names: Vec<String> = declared.iter().flat_map(|(_, n)| n.iter().cloned()).collect();
    let templates: Vec<&str> = declared.iter().map(|(p, _)| p.as_str()).collect();
    match templates.as_slice() {
        [one] => crate::sentinel::unknown_params_in(one, &options.params, &names, &mut ws.diagnostics),
        _ => crate::sentinel::unknown_params(&options.params, &names, &mut ws.diagnostics),
    }
    crate::sentinel::dedupe(&mut ws.rule_files, &mut ws.rule_ids, &mut ws.diagnostics);
    analytic::duplicates(&ws.analytic_rules, &mut ws.diagnostics);
    if matches!(options.expect, Expect::Repository | Expect::Rules) {
        // An analytic rule file that gave no id (it does not parse, or has no `id:`) may define
        // any id: SR046 waits until every one of them can be read.
        let unread = ws.files.iter().any(|f| {
            f.checked
                && f.kind == FileKind::AnalyticRules
                && !ws.analytic_rules.iter().any(|r| r.path == f.path && r.id.is_some())
        });
        xref::analytics_rules(&ws.rule_files, &ws.analytic_rules, unread, &ws.sources, &mut ws.diagnostics);
    }
    diagnostic::merge_repeated_warnings(&mut ws.diagnostics);
}

/// `path` as the workspace compares paths.
fn key(path: &Path) -> PathBuf {
    config::normal(path)
}
