//! `sentinel-soar test PATH...`: finds rule test files, loads the rules and incidents each one
//! names (paths relative to the test file), runs every test and prints the results like
//! `cargo test`, as JSON or as JUnit XML. Exit 0 all passed, 1 a test failed, 2 unreadable
//! paths or invalid test files (reported as diagnostics; then no test runs).
//!
//! `--coverage[=PATH]` also reports what the tests reached in the rule and playbook files
//! ([`crate::ruletest::coverage`]; `--coverage-format human|json|lcov`), to standard output
//! after the results or to PATH; `--min PERCENT` makes a lower coverage a failure (exit 1).
//! (`--format` stays the format of the results: the coverage has its own flag.)
//! `--ties permute` fails a test whose outcome depends on the order of tied rules;
//! `--portal defender` runs the tests as a workspace onboarded to the Defender portal.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::rc::Rc;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use crate::diagnostic::{Diagnostic, Sources};
use crate::engine::ties::{self, TieGroup};
use crate::engine::PlaybookHost;
use crate::model::Incident;
use crate::model::Portal;
use crate::playbook::host::Catalog;
use crate::rules;
use crate::ruletest::coverage::{self, Coverage};
use crate::ruletest::{self, codes, report, CaseResult, Extras, IncidentSource, TestFile, Trigger};

use super::prelude::write_file;
use super::prelude::{
    adapt_rules, catalog, parse, read_one, read_playbooks, read_watchlists, Color, OneIncidentError, PortalArgs, Ties,
    TiesArgs, INFER_MOCKS_HELP,
};
use super::report::{print_diagnostics, Exit};
use super::rule_files::{self, LoadedRules};

/// Output format of `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Like `cargo test`: a line per test, a diff per failure, a summary line.
    Human,
    Json,
    /// JUnit XML: a testsuite per file, a testcase per test.
    Junit,
}

/// Arguments of `test`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar test [OPTIONS] <PATH>...",
    after_help = "Exit codes: 0 all tests passed, 1 a test failed (or the coverage is below --min), 2 unreadable paths or invalid test files."
)]
pub struct TestArgs {
    /// Test files, directories (searched recursively for *.yaml, *.yml) or glob patterns.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Output format: human (like cargo test), json, or junit (XML for CI test reports).
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    #[arg(long, help = INFER_MOCKS_HELP)]
    pub infer_mocks: bool,
    /// A watchlist the Sentinel watchlist operations of the tests' playbooks answer from: its
    /// alias and a CSV file, repeatable (for test files that name playbooks).
    #[arg(long = "watchlist", value_name = "ALIAS=FILE", value_parser = super::prelude::parse::watchlist)]
    pub watchlists: Vec<(String, String)>,
    /// Also report what the tests reached in the rule and playbook files (rules fired, condition
    /// outcomes, actions, playbook actions and branches, by line): to standard output after the
    /// results (`--coverage`), or to a file (`--coverage=PATH`).
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "-", value_name = "PATH")]
    pub coverage: Option<String>,
    /// Format of the coverage report: human (per file, rule and condition), json, or lcov (a
    /// tracefile for genhtml, Codecov and coverage gutters).
    #[arg(long, value_enum, value_name = "FORMAT", requires = "coverage")]
    pub coverage_format: Option<CoverageFormat>,
    /// Fail (exit 1) when the coverage is below PERCENT (0 to 100).
    #[arg(long, value_name = "PERCENT", value_parser = parse::percent, requires = "coverage")]
    pub min: Option<f64>,
    #[command(flatten)]
    pub ties: TiesArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
}

/// Format of the `--coverage` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CoverageFormat {
    /// A total line, then per file each rule with its conditions and actions, by line.
    #[default]
    Human,
    Json,
    /// An lcov tracefile (SF/FN/FNDA/BRDA/DA records).
    Lcov,
}

impl TestArgs {
    /// Refuses a coverage report that would share standard output with machine-readable
    /// results, and a coverage file that cannot be written, before any test runs.
    fn check(&self) -> anyhow::Result<()> {
        let Some(path) = self.coverage.as_deref() else { return Ok(()) };
        let format = self.coverage_format.unwrap_or_default();
        if path == "-" && (self.format != TestFormat::Human || format != CoverageFormat::Human) {
            bail!(
                "the test results and the coverage report would both go to standard output: write the coverage to a file with --coverage=PATH"
            );
        }
        if path != "-" {
            let target = Path::new(path);
            if target.is_dir() {
                bail!("--coverage={path}: is a directory; give a file path");
            }
            let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
            if let Some(file) = parent.and_then(|p| p.ancestors().find(|a| a.is_file())) {
                bail!("--coverage={path}: cannot be written: {} is a file, not a directory", file.display());
            }
        }
        Ok(())
    }
}

/// A test file with everything it names loaded.
struct Loaded {
    file: TestFile,
    /// The rules as loaded (rule set, file model, sources), shared by the files naming them.
    rules: Rc<LoadedRules>,
    /// The playbooks the file names, when it names any.
    playbooks: Option<Catalog>,
    /// Per case: the incident and, for updates, the previous version.
    inputs: Vec<(Incident, Option<Incident>)>,
    /// `--ties permute`: the tie groups of the rules.
    ties: Option<Vec<TieGroup>>,
}

/// Runs `test`.
pub fn run(args: TestArgs, color: Color) -> anyhow::Result<Exit> {
    args.check()?;
    for arg in &args.paths {
        if !arg.contains(['*', '?', '[']) && !Path::new(arg).exists() {
            bail!("test path {arg} does not exist");
        }
    }
    let paths = rule_files::expand(&args.paths)?;
    let watchlists = read_watchlists(&args.watchlists)?;
    let mut diags = Vec::new();
    let mut sources = Sources::default();
    let mut files = Vec::new();
    for path in &paths {
        let display = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read test file {display}"))?;
        sources.insert(&display, &text);
        files.push(ruletest::decode(&display, &text, &mut diags));
    }
    let mut cache: BTreeMap<Vec<String>, Option<Rc<LoadedRules>>> = BTreeMap::new();
    let mut loaded = Vec::new();
    let portal = args.portal.portal.portal();
    for file in files {
        if diags.iter().any(|d| d.is_error() && d.file == file.path) {
            continue;
        }
        if let Some(mut l) = load(file, &mut cache, &mut sources, &mut diags, (color, portal), args.infer_mocks) {
            if let Some(catalog) = &mut l.playbooks {
                catalog.options.watchlists = watchlists.clone();
            }
            loaded.push(l);
        }
    }
    if !args.watchlists.is_empty() && !loaded.is_empty() && loaded.iter().all(|l| l.playbooks.is_none()) {
        bail!("--watchlist answers the watchlist calls of the playbooks test files name; no test file here names playbooks: leave --watchlist out");
    }
    if diags.iter().any(Diagnostic::is_error) {
        print_diagnostics(&mut diags, &sources, color);
        eprintln!("no test was run: fix the test files first");
        return Ok(Exit::Usage);
    }
    print_diagnostics(&mut diags, &sources, color);
    if args.infer_mocks && loaded.iter().all(|l| l.playbooks.is_none()) {
        eprintln!("warning: --infer-mocks is not used: no test file names playbooks");
    }
    if args.ties.ties == Ties::Permute {
        for l in &mut loaded {
            let groups = ties::groups(&l.rules.set);
            ties::check(&l.rules.set, &groups).map_err(|e| anyhow::anyhow!("{}: {e}", l.file.path))?;
            l.ties = Some(groups);
        }
    }
    let mut coverage = args.coverage.is_some().then(Coverage::default);
    let results = run_all(loaded, portal, coverage.as_mut());
    print(&results, args.format, color)?;
    let mut exit = if results.iter().all(CaseResult::passed) { Exit::Success } else { Exit::Findings };
    if let (Some(cov), Some(path)) = (coverage, args.coverage.as_deref()) {
        write_coverage(&cov, path, args.coverage_format.unwrap_or_default())?;
        let percent = cov.totals().percent();
        if let Some(min) = args.min.filter(|min| percent < *min) {
            eprintln!("error: coverage {percent:.1}% is below --min {min}%");
            exit = Exit::Findings;
        }
    }
    Ok(exit)
}

/// Runs every test of every file, counting what they reach into `coverage` when asked.
fn run_all(loaded: Vec<Loaded>, portal: Portal, mut coverage: Option<&mut Coverage>) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for l in loaded {
        let playbooks = l.playbooks.as_ref().map_or(&[][..], |c| c.playbooks());
        if let Some(cov) = coverage.as_deref_mut() {
            cov.add_rules(&l.rules.set);
            cov.add_playbooks(playbooks);
        }
        let extras = Extras { ties: l.ties.as_deref(), portal };
        for (case, (incident, previous)) in l.file.cases.iter().zip(l.inputs) {
            let host = l.playbooks.as_ref().map(|c| c as &dyn PlaybookHost);
            let input = (incident, previous.as_ref());
            let (result, outcome) = ruletest::run_case_with(&l.file.path, case, &l.rules.set, input, host, &extras);
            if let Some(cov) = coverage.as_deref_mut() {
                cov.record(&l.rules.set, &outcome, playbooks);
            }
            results.push(result);
        }
    }
    results
}

/// Writes the coverage report to `path` (`-`: standard output, after the results).
fn write_coverage(cov: &Coverage, path: &str, format: CoverageFormat) -> anyhow::Result<()> {
    let text = match format {
        CoverageFormat::Human => coverage::report::human(cov),
        CoverageFormat::Json => format!("{:#}\n", coverage::report::json(cov)),
        CoverageFormat::Lcov => coverage::lcov::render(cov),
    };
    if path == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(b"\n").and_then(|()| out.write_all(text.as_bytes())).context("cannot write the coverage")?;
    } else {
        write_file(Path::new(path), &text).with_context(|| format!("cannot write the coverage report {path}"))?;
        eprintln!("{} (report written to {path})", coverage::report::summary(&cov.totals()));
    }
    Ok(())
}

fn print(results: &[CaseResult], format: TestFormat, color: Color) -> anyhow::Result<()> {
    let text = match format {
        TestFormat::Human => report::human(results, color.stdout),
        TestFormat::Json => format!("{:#}\n", report::json(results)),
        TestFormat::Junit => report::junit(results).context("cannot write the JUnit report")?,
    };
    std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write the results")
}

/// Loads the rules and incidents a test file names; `None` when something is missing or
/// invalid (reported to `diags`).
fn load(
    file: TestFile,
    cache: &mut BTreeMap<Vec<String>, Option<Rc<LoadedRules>>>,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    (color, portal): (Color, Portal),
    infer_mocks: bool,
) -> Option<Loaded> {
    let base = Path::new(&file.path).parent().map(Path::to_path_buf).unwrap_or_default();
    let specs: Vec<String> = file.rules.iter().map(|t| relative(&base, &t.value)).collect();
    let span = file.rules_span;
    let rules = cache
        .entry(specs.clone())
        .or_insert_with(|| match rule_files::load(&specs, &rules::Options::default()) {
            Ok(mut l) => {
                print_diagnostics(&mut l.diagnostics, &l.sources, color);
                let errors = l.diagnostics.iter().filter(|d| d.is_error()).count();
                l.diagnostics.clear();
                l.set = adapt_rules(std::mem::take(&mut l.set), portal);
                (errors == 0).then(|| Rc::new(l))
            }
            Err(e) => {
                diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, span, format!("{e:#}")));
                None
            }
        })
        .clone();
    let Some(rules) = rules else {
        if !diags.iter().any(|d| d.file == file.path && d.code == codes::PATH_NOT_FOUND) {
            let message = "the rule files of this test file have errors (listed above)";
            diags.push(Diagnostic::error(codes::INVALID_RULES, &file.path, span, message));
        }
        return None;
    };
    diags.extend(ruletest::check_rule_names(&file, &rules.set));
    let mut playbooks = playbooks(&file, &base, &rules, sources, diags, infer_mocks)?;
    if let Some(c) = playbooks.as_mut() {
        c.provider = portal.provider_name();
    }
    let mut inputs = Vec::with_capacity(file.cases.len());
    let mut ok = true;
    for case in &file.cases {
        let incident = incident(&file.path, &base, &case.incident, diags);
        let previous = match &case.trigger {
            Trigger::Updated { previous: Some(p), .. } => incident_opt(&file.path, &base, p, diags),
            _ => Some(None),
        };
        match (incident, previous) {
            (Some(i), Some(p)) => inputs.push((i, p)),
            _ => ok = false,
        }
    }
    ok.then_some(Loaded { file, rules, playbooks, inputs, ties: None })
}

/// The playbooks, mocks and the rules' references to them, when the file names playbooks:
/// `Some(None)` without playbooks, `None` when they have errors (reported to `diags`).
fn playbooks(
    file: &TestFile,
    base: &Path,
    rules: &LoadedRules,
    sources: &mut Sources,
    diags: &mut Vec<Diagnostic>,
    infer_mocks: bool,
) -> Option<Option<Catalog>> {
    if file.playbooks.is_empty() {
        if let Some(first) = file.mocks.first() {
            let message = "`mocks` without `playbooks`: mocks answer the calls of the playbooks the rules run";
            diags.push(
                Diagnostic::error(codes::CONFLICTING_KEYS, &file.path, Some(first.span), message).with_help(
                    "add `playbooks:` (the playbooks the rules' run_playbook actions name), or remove `mocks`",
                ),
            );
            return None;
        }
        return Some(None);
    }
    // A path that does not exist is reported where it is written.
    let mut missing = false;
    for (kind, texts) in [("playbook", &file.playbooks), ("mocks", &file.mocks)] {
        for t in texts.iter().filter(|t| !t.value.contains(['*', '?', '[']) && !base.join(&t.value).exists()) {
            let message = format!("{kind} path {} does not exist", relative(base, &t.value));
            diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, Some(t.span), message));
            missing = true;
        }
    }
    if missing {
        return None;
    }
    let paths: Vec<String> = file.playbooks.iter().map(|t| relative(base, &t.value)).collect();
    let mocks: Vec<String> = file.mocks.iter().map(|t| relative(base, &t.value)).collect();
    let span = file.playbooks.first().map(|t| t.span);
    let parts = match read_playbooks(&paths, &mocks, None) {
        Ok(parts) => parts,
        Err(e) => {
            diags.push(Diagnostic::error(codes::PATH_NOT_FOUND, &file.path, span, format!("{e:#}")));
            return None;
        }
    };
    let references = rule_files::playbook_findings(rules, &parts.playbooks, None);
    let found: Vec<Diagnostic> = parts.diagnostics.into_iter().chain(references).collect();
    sources.extend(parts.sources);
    sources.extend(rules.sources.clone());
    let failed = found.iter().any(Diagnostic::is_error);
    diags.extend(found);
    if failed {
        return None;
    }
    // Each run starts on its case's clock; this is only the catalog's default.
    let now = file.cases.first().map_or(chrono::DateTime::UNIX_EPOCH, |c| c.now);
    Some(Some(catalog(parts.playbooks, parts.mocks, None, false, infer_mocks, now)))
}

fn incident_opt(
    file: &str,
    base: &Path,
    source: &IncidentSource,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<Incident>> {
    incident(file, base, source, diags).map(Some)
}

/// Reads a test's incident (a file holding exactly one, or inline).
fn incident(file: &str, base: &Path, source: &IncidentSource, diags: &mut Vec<Diagnostic>) -> Option<Incident> {
    let span = Some(source.span());
    let value = match source {
        IncidentSource::Inline { value, .. } => Ok(value.clone()),
        IncidentSource::Path(text) => read_one(&relative(base, &text.value)).map_err(|e| match e {
            OneIncidentError::Unreadable(m) => (codes::PATH_NOT_FOUND, m),
            OneIncidentError::Invalid(m) => (codes::INVALID_INCIDENT, m),
        }),
    };
    let result = value.and_then(|v| {
        Incident::from_value(v).map_err(|e| (codes::INVALID_INCIDENT, format!("not a usable incident: {e}")))
    });
    match result {
        Ok(incident) => Some(incident),
        Err((code, message)) => {
            let mut diag = Diagnostic::error(code, file, span, message);
            if code == codes::INVALID_INCIDENT {
                diag = diag.with_help(
                    "a test takes one incident: a file that holds only it, or an inline mapping with title, severity and status",
                );
            }
            diags.push(diag);
            None
        }
    }
}

/// `rel` resolved against the test file's directory, with `.` and `..` removed lexically so
/// messages show short paths (`examples/rules`, not `examples/tests/../rules`).
fn relative(base: &Path, rel: &str) -> String {
    let joined = base.join(rel);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        out.display().to_string()
    }
}
