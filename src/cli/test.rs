//! `sentinel-soar test PATH...`: finds rule test files, loads the rules and incidents each one
//! names (paths relative to the test file), runs every test and prints the results like
//! `cargo test`, as JSON or as JUnit XML. Exit 0 all passed, 1 a test failed, 2 unreadable
//! paths or invalid test files (reported as diagnostics; then no test runs).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};

use crate::diagnostic::Diagnostic;
use crate::engine::PlaybookHost;
use crate::ruletest::{self, report, CaseResult};
use crate::workspace::{self, Expect};

use super::prelude::rule_tests::{prepare, Found};
use super::prelude::{Color, TemplateArgs};
use super::report::{print_diagnostics, Exit};

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
    after_help = "Exit codes: 0 all tests passed, 1 a test failed, 2 unreadable paths or invalid test files."
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
}

/// Runs `test`.
pub fn run(args: TestArgs, color: Color) -> anyhow::Result<Exit> {
    for arg in &args.paths {
        if !arg.contains(['*', '?', '[']) && !Path::new(arg).exists() {
            bail!("test path {arg} does not exist");
        }
    }
    let read = workspace::load(&args.paths, &args.templates.options(Expect::RuleTests))?;
    let mut diags = read.diagnostics;
    let mut sources = read.sources;
    let mut cache = BTreeMap::new();
    let mut loaded = Vec::new();
    let rules_options = args.templates.options(Expect::Rules);
    let mut rule_diags = Vec::new();
    for file in read.tests {
        if diags.iter().any(|d| d.is_error() && d.file == file.path) {
            continue;
        }
        let mut found = Found { cache: &mut cache, sources: &mut sources, diags: &mut diags, rules: &mut rule_diags };
        if let Some(l) = prepare(file, &rules_options, &mut found) {
            loaded.push(l);
        }
    }
    print_diagnostics(&mut rule_diags, &sources, color);
    if diags.iter().any(Diagnostic::is_error) {
        print_diagnostics(&mut diags, &sources, color);
        eprintln!("no test was run: fix the test files first");
        return Ok(Exit::Usage);
    }
    print_diagnostics(&mut diags, &sources, color);
    let mut results: Vec<CaseResult> = Vec::new();
    for l in loaded {
        for (case, (incident, previous)) in l.file.cases.iter().zip(l.inputs) {
            let host = l.playbooks.as_ref().map(|c| c as &dyn PlaybookHost);
            results.push(ruletest::run_case(&l.file.path, case, &l.rules.set, incident, previous.as_ref(), host));
        }
    }
    print(&results, args.format, color)?;
    Ok(if results.iter().all(CaseResult::passed) { Exit::Success } else { Exit::Findings })
}

fn print(results: &[CaseResult], format: TestFormat, color: Color) -> anyhow::Result<()> {
    let text = match format {
        TestFormat::Human => report::human(results, color.stdout),
        TestFormat::Json => format!("{:#}\n", report::json(results)),
        TestFormat::Junit => report::junit(results).context("cannot write the JUnit report")?,
    };
    std::io::stdout().lock().write_all(text.as_bytes()).context("cannot write the results")
}
