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
use std::path::Path;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use crate::diagnostic::Diagnostic;
use crate::engine::ties;
use crate::engine::PlaybookHost;
use crate::model::Portal;
use crate::playbook::connectors::watchlists::Watchlists;
use crate::ruletest::coverage::{self, Coverage};
use crate::ruletest::{self, report, CaseResult, Extras};
use crate::workspace::{self, Expect};

use super::prelude::playbook_tests::PlaybookInput;
use super::prelude::rule_tests::{prepare, Found, Loaded};
use super::prelude::write_file;
use super::prelude::{
    parse, read_watchlists, Color, ConfigArgs, PortalArgs, TemplateArgs, Ties, TiesArgs, INFER_MOCKS_HELP,
};
use super::report::{print_diagnostics, Exit};

/// Output format of `test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// Like `cargo test`: a line per test, a diff per failure, a summary line.
    Human,
    /// One JSON document: each test with its outcome and failures, and the totals.
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
    #[command(flatten)]
    pub templates: TemplateArgs,
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
    /// Format of the coverage report (needs --coverage): human (per file, rule and condition),
    /// json, or lcov (a tracefile for genhtml, Codecov and coverage gutters).
    #[arg(long, value_enum, value_name = "FORMAT", requires = "coverage")]
    pub coverage_format: Option<CoverageFormat>,
    /// Fail (exit 1) when the coverage is below PERCENT (0 to 100); needs --coverage.
    #[arg(long, value_name = "PERCENT", value_parser = parse::percent, requires = "coverage")]
    pub min: Option<f64>,
    #[command(flatten)]
    pub ties: TiesArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Format of the `--coverage` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum CoverageFormat {
    /// A total line, then per file each rule with its conditions and actions, by line.
    #[default]
    Human,
    /// One JSON document: the totals and, per file, what the tests reached.
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

/// Runs `test`.
pub fn run(args: TestArgs, color: Color) -> anyhow::Result<Exit> {
    args.check()?;
    for arg in &args.paths {
        if !arg.contains(['*', '?', '[']) && !Path::new(arg).exists() {
            bail!("test path {arg} does not exist");
        }
    }
    let read = workspace::load(&args.paths, &args.templates.options(Expect::RuleTests))?;
    let watchlists = read_watchlists(&args.watchlists)?;
    let mut diags = read.diagnostics;
    let mut sources = read.sources;
    let mut cache = BTreeMap::new();
    let mut loaded = Vec::new();
    let rules_options = args.templates.options(Expect::Rules);
    let portal = args.portal.resolve(args.config.load()?.as_ref());
    let mut rule_diags = Vec::new();
    for file in read.tests {
        // A file with errors of its own is still checked as deeply (every problem at once),
        // but not run.
        let invalid = diags.iter().any(|d| d.is_error() && d.file == file.path);
        let mut found = Found { cache: &mut cache, sources: &mut sources, diags: &mut diags, rules: &mut rule_diags };
        let prepared = prepare(file, &rules_options, portal, &mut found).filter(|_| !invalid);
        if let Some(mut l) = prepared {
            if let Some(catalog) = &mut l.playbooks {
                catalog.options.watchlists = watchlists.clone();
                catalog.options.infer_mocks = args.infer_mocks;
            }
            for input in &mut l.playbook_inputs {
                input.options.infer_mocks |= args.infer_mocks;
                if input.options.watchlists == Watchlists::default() {
                    input.options.watchlists = watchlists.clone();
                }
            }
            loaded.push(l);
        }
    }
    print_diagnostics(&mut rule_diags, &sources, color);
    let no_playbooks = loaded.iter().all(|l| l.playbooks.is_none() && l.playbook_inputs.is_empty());
    if !args.watchlists.is_empty() && !loaded.is_empty() && no_playbooks {
        bail!("--watchlist answers the watchlist calls of the playbooks test files name; no test file here names playbooks: leave --watchlist out");
    }
    if diags.iter().any(Diagnostic::is_error) {
        print_diagnostics(&mut diags, &sources, color);
        eprintln!("no test was run: fix the test files first");
        return Ok(Exit::Usage);
    }
    print_diagnostics(&mut diags, &sources, color);
    if args.infer_mocks && no_playbooks {
        eprintln!("warning: --infer-mocks is not used: no test file names playbooks");
    }
    if args.ties.ties == Ties::Permute {
        for l in &mut loaded {
            let Some(rules) = &l.rules else { continue };
            let groups = ties::groups(&rules.set);
            ties::check(&rules.set, &groups).map_err(|e| anyhow::anyhow!("{}: {e}", l.file.path))?;
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

/// Runs every test of every file, in the order written, counting what they reach into
/// `coverage` when asked.
fn run_all(loaded: Vec<Loaded>, portal: Portal, mut coverage: Option<&mut Coverage>) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for l in loaded {
        let playbooks = l.playbooks.as_ref().map_or(&[][..], |c| c.playbooks());
        if let Some(cov) = coverage.as_deref_mut() {
            if let Some(rules) = &l.rules {
                cov.add_rules(&rules.set);
            }
            cov.add_playbooks(playbooks);
        }
        // (line, result): rule tests and playbook tests, put back in the order written.
        let mut file_results = Vec::new();
        let extras = Extras { ties: l.ties.as_deref(), portal, adapted: &l.adapted };
        let host = l.playbooks.as_ref().map(|c| c as &dyn PlaybookHost);
        if let Some(rules) = &l.rules {
            for (case, (incident, previous)) in l.file.cases.iter().zip(l.inputs) {
                let input = (incident, previous.as_ref());
                let (result, outcome) = ruletest::run_case_with(&l.file.path, case, &rules.set, input, host, &extras);
                if let Some(cov) = coverage.as_deref_mut() {
                    cov.record(&rules.set, &outcome, playbooks);
                }
                file_results.push((case.span.start, result));
            }
        }
        for (case, input) in l.file.playbook_cases.iter().zip(l.playbook_inputs) {
            let PlaybookInput { playbook, start, mocks, options } = input;
            let (mut result, outcome) =
                ruletest::playbook::run_case(&l.file.path, case, &playbook, start, &mocks, &options);
            if !result.passed() {
                result.note = ruletest::portal::playbook_test_note(portal, case);
            }
            if let Some(cov) = coverage.as_deref_mut() {
                cov.add_playbooks(std::slice::from_ref(&playbook));
                if let Ok(log) = serde_json::to_value(&outcome.log) {
                    cov.record_run(&playbook, &log);
                }
            }
            file_results.push((case.span.start, result));
        }
        file_results.sort_by_key(|(start, _)| *start);
        results.extend(file_results.into_iter().map(|(_, r)| r));
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
