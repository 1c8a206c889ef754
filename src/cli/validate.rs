//! `sentinel-soar validate PATH...`: reads every file under the paths through the workspace
//! (a whole content repository: each file's kind decided once), checks every kind that can be
//! checked (automation rules with every check of the decoder and the compiler, SPEC 1.1 and 2;
//! playbooks; analytic rules; rule tests as deeply as `test` would; mocks and settings), the
//! references between them (`run_playbook`, `analytics_rules`), and reports all findings at
//! once, with the files counted by kind, in the format asked for: human text with snippets, JSON,
//! SARIF, JUnit XML, GitHub workflow commands, Azure Pipelines logging commands or GitLab Code
//! Quality JSON, all on standard output, every file named the same way (relative to the working
//! directory). `sentinel-soar.toml` ([`crate::config`]) gives the defaults of `--sentinel`,
//! `--strict` and `--portal`, leaves files out of directory walks, and suppresses findings
//! (with the inline comments of YAML files); suppressed findings are counted, listed with
//! `--verbose` and carried by JSON and SARIF. Exit 0 when there is no error (warnings are allowed
//! unless `--strict`), 1 on findings, 2 on usage errors, unreadable paths or a bad
//! configuration. `validate --explain CODE` prints one code's entry of the registry instead
//! (like `rustc --explain`).

use std::io::Write;

use anyhow::Context;
use clap::{Args, ValueEnum};

use std::collections::BTreeMap;

use crate::config::{self, Config};
use crate::diagnostic::{
    self, azure_devops, github, gitlab, human, json, junit, sarif, Diagnostic, KindCount, Sources, Summary, Suppressed,
};
use crate::model::Portal;
use crate::rules;
use crate::workspace::{self, Expect, FileKind};

use super::prelude::rule_tests;
use super::prelude::{clock, load_files_with, parse, read_settings, Color, ConfigArgs, PortalArgs, TemplateArgs};
use super::report::Exit;
use super::rule_files::{self, LoadedRules};

/// Where SARIF readers learn about the tool, when the manifest names no repository.
const FALLBACK_INFORMATION_URI: &str =
    "https://learn.microsoft.com/azure/sentinel/automate-incident-handling-with-automation-rules";

/// Output format of the findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets and a closing count line.
    Human,
    /// `{"diagnostics": [...], "suppressed": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (upload-sarif).
    Sarif,
    /// JUnit XML: one test case per file.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Azure Pipelines logging commands (issues of the step; the step fails with the run).
    #[value(name = "azuredevops")]
    AzureDevops,
    /// GitLab Code Quality JSON (artifacts:reports:codequality).
    Gitlab,
}

/// Arguments of `validate`, as typed.
#[derive(Debug, Args)]
#[command(
    override_usage = "sentinel-soar validate [OPTIONS] <PATH>...",
    after_help = "Exit codes: 0 no errors (warnings allowed unless --strict), 1 findings, 2 usage or unreadable paths."
)]
pub struct ValidateArgs {
    /// Rule files, directories (searched for *.yaml, *.yml, *.json) or glob patterns; rule test
    /// files, playbooks, mocks and settings files among them are checked too.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<String>,
    /// Print the explanation of a diagnostic code (SR003, pb011, ...) and exit.
    #[arg(long, value_name = "CODE", conflicts_with_all = ["paths", "format", "sentinel", "strict", "now", "playbooks", "settings", "as_person", "portal"])]
    pub explain: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Report this tool's extension operators (Matches, InCidr, ...) as errors, because
    /// Sentinel cannot run them (also `sentinel = true` in sentinel-soar.toml).
    #[arg(long)]
    pub sentinel: bool,
    /// Warnings fail the run (exit 1) too (also `strict = true` in sentinel-soar.toml).
    #[arg(long)]
    pub strict: bool,
    /// The clock for expiry warnings (RFC 3339, or a date meaning midnight UTC). Without it,
    /// the wall clock is read once.
    #[arg(long, value_name = "TIME", value_parser = parse::time)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// Playbooks the rules may run (files, directories, globs): each `run_playbook` must name
    /// one with the trigger that fits the rule. Playbooks among PATH count too.
    #[arg(long, num_args = 1.., value_name = "PATH")]
    pub playbooks: Vec<String>,
    /// The workspace settings file (roles, resource groups with playbook permission), or - for
    /// standard input.
    #[arg(long, value_name = "PATH|-")]
    pub settings: Option<String>,
    /// Who attaches the playbooks: with a settings file that defines roles (--settings, or one
    /// among PATH), a rule that runs a playbook needs the Microsoft Sentinel Contributor role
    /// (SR040).
    #[arg(long = "as", value_name = "NAME")]
    pub as_person: Option<String>,
    /// List the configuration read, every file with the kind it was taken for, and the
    /// suppressed findings (human format), before the findings.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[command(flatten)]
    pub templates: TemplateArgs,
    #[command(flatten)]
    pub portal: PortalArgs,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Everything a validation run found, ready to render.
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    /// What suppressions took out of the problems.
    pub suppressed: Vec<Suppressed>,
    pub sources: Sources,
    /// Every file looked at, in load order, with the kind it was taken for.
    pub files: Vec<workspace::File>,
    pub summary: Summary,
}

/// Runs `validate`.
pub fn run(args: ValidateArgs, color: Color) -> anyhow::Result<Exit> {
    if let Some(id) = &args.explain {
        return super::explain_code::run(id);
    }
    let config = args.config.load()?;
    let cfg = config.as_ref();
    if let Some(note) = args.config.unused_note(&args.paths, cfg) {
        eprintln!("{note}");
    }
    let now = clock(args.now);
    let options = rules::Options { now: Some(now), sentinel: args.sentinel || cfg.is_some_and(|c| c.sentinel) };
    let strict = args.strict || cfg.is_some_and(|c| c.strict);
    let with = Playbooks {
        paths: &args.playbooks,
        settings: args.settings.as_deref(),
        person: args.as_person.as_deref(),
        portal: args.portal.resolve(cfg),
    };
    let mut reading = args.templates.options(Expect::Repository);
    reading.filter = cfg.map(|c| c.paths.clone());
    let mut findings = check_with(&args.paths, &options, &with, &reading)?;
    suppress(&mut findings, cfg, now);
    let Summary { errors, warnings, .. } = findings.summary;
    let fails = errors > 0 || (strict && warnings > 0);
    let mut text = String::new();
    if args.verbose && args.format == Format::Human {
        text.push_str(&listing(cfg, &findings));
    }
    text.push_str(&render(args.format, &findings, color, fails, strict)?);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).context("cannot write to standard output")?;
    Ok(if fails { Exit::Findings } else { Exit::Success })
}

/// Takes what the configuration and inline comments suppress out of the problems, and counts it.
fn suppress(findings: &mut Findings, config: Option<&Config>, now: chrono::DateTime<chrono::Utc>) {
    let diagnostics = std::mem::take(&mut findings.diagnostics);
    let (mut kept, suppressed) = config::suppress::apply(diagnostics, &mut findings.sources, config, now);
    diagnostic::sort(&mut kept);
    findings.summary = Summary { suppressed: suppressed.len(), ..summary(&kept, &findings.files) };
    findings.diagnostics = kept;
    findings.suppressed = suppressed;
}

/// What `validate` checks the rules' playbook references against.
#[derive(Debug, Default)]
pub struct Playbooks<'a> {
    /// `--playbooks` paths.
    pub paths: &'a [String],
    /// `--settings`.
    pub settings: Option<&'a str>,
    /// `--as`.
    pub person: Option<&'a str>,
    /// `--portal`: under `defender`, what onboarding changes is reported too
    /// ([`rules::portal::check`]).
    pub portal: Portal,
}

/// Loads and checks every file under `paths`, and the rules' playbook references against the
/// playbooks among them and `with`. Paths that do not exist or cannot be read are errors
/// (exit 2); problems inside the files are diagnostics, sorted by position.
pub fn check_with(
    paths: &[String],
    options: &rules::Options,
    with: &Playbooks<'_>,
    reading: &workspace::Options,
) -> anyhow::Result<Findings> {
    let mut loaded = rule_files::load_with(paths, options, reading)?;
    let mut files = std::mem::take(&mut loaded.workspace.files);
    let extra = if with.paths.is_empty() {
        Vec::new()
    } else {
        let found = load_files_with(with.paths, reading)?;
        files.extend(found.sources.paths().map(|p| checked(p, FileKind::Playbooks)));
        loaded.diagnostics.extend(found.diagnostics);
        loaded.sources.extend(found.sources);
        found.playbooks
    };
    let settings = match with.settings {
        Some(path) => {
            files.push(checked(path, FileKind::Settings));
            Some(read_settings(path, &mut loaded.diagnostics, &mut loaded.sources)?)
        }
        None => None,
    };
    rule_files::check_playbooks(&mut loaded, &extra, settings.as_ref());
    if let Some(person) = with.person {
        let Some(settings) = settings.as_ref().or(loaded.settings.as_ref()) else {
            anyhow::bail!(
                "--as checks roles: give the settings file that defines them (--settings, or among the paths)"
            );
        };
        if let Some(reason) = settings.refuse_attach(person) {
            rules::playbook_refs::check_attach(&loaded.rule_files, &reason, &mut loaded.diagnostics);
        }
    }
    check_tests(&mut loaded, reading);
    let mut diagnostics = loaded.diagnostics;
    if with.portal == Portal::Defender {
        diagnostics.extend(rules::portal::check(&loaded.rule_files));
    }
    diagnostic::sort(&mut diagnostics);
    let summary = summary(&diagnostics, &files);
    Ok(Findings { diagnostics, suppressed: Vec::new(), sources: loaded.sources, files, summary })
}

/// A file given by a flag, checked as `kind`.
fn checked(path: &str, kind: FileKind) -> workspace::File {
    workspace::File { path: path.to_owned(), kind, checked: true, excluded: false }
}

/// Checks each rule test file as deeply as `test` would before running it: the rules, playbooks,
/// mocks and incidents it names are loaded, and its expectations checked against the rule set
/// (ST001-ST007). What the named files report themselves is added unless it is already there.
fn check_tests(loaded: &mut LoadedRules, reading: &workspace::Options) {
    let tests = std::mem::take(&mut loaded.workspace.tests);
    let rules_options = workspace::Options { expect: Expect::Rules, ..reading.clone() };
    let mut cache = BTreeMap::new();
    let mut found = Vec::new();
    let mut named = Vec::new();
    for file in tests {
        let mut into =
            rule_tests::Found { cache: &mut cache, sources: &mut loaded.sources, diags: &mut found, rules: &mut named };
        rule_tests::prepare(file, &rules_options, Portal::Azure, &mut into);
    }
    for d in named.into_iter().chain(found) {
        if !loaded.diagnostics.contains(&d) {
            loaded.diagnostics.push(d);
        }
    }
}

/// The totals, with the files counted by kind.
fn summary(diagnostics: &[Diagnostic], files: &[workspace::File]) -> Summary {
    let mut checked: BTreeMap<FileKind, usize> = BTreeMap::new();
    let mut skipped: BTreeMap<FileKind, usize> = BTreeMap::new();
    for f in files {
        *(if f.checked { &mut checked } else { &mut skipped }).entry(f.kind).or_default() += 1;
    }
    let counts = |map: BTreeMap<FileKind, usize>| -> Vec<KindCount> {
        map.into_iter().map(|(k, count)| KindCount { key: k.key(), name: k.name(), count }).collect()
    };
    Summary { checked: counts(checked), skipped: counts(skipped), ..Summary::of(diagnostics, files.len()) }
}

/// `--verbose`: the configuration read, one line per file (whether it was checked or skipped,
/// and as what), then one line per suppressed finding.
fn listing(config: Option<&Config>, findings: &Findings) -> String {
    let mut out = String::new();
    match config {
        Some(c) => out.push_str(&format!("config   {}\n", c.path)),
        None => out.push_str("config   none (no sentinel-soar.toml in the working directory or above)\n"),
    }
    for f in &findings.files {
        let status = match (f.checked, f.excluded) {
            (true, _) => "checked",
            (false, true) => "excluded",
            (false, false) => "skipped",
        };
        out.push_str(&format!("{status:<8} {:<22} {}\n", f.kind.name(), f.path));
    }
    for s in &findings.suppressed {
        out.push_str(&s.line());
        out.push('\n');
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Renders the findings in `format`; human text is coloured as `color.stdout` says; `fails`
/// says whether the run fails (Azure Pipelines' step is failed then), `strict` whether warnings
/// fail it (JUnit fails the files that have them).
pub fn render(format: Format, f: &Findings, color: Color, fails: bool, strict: bool) -> anyhow::Result<String> {
    Ok(match format {
        Format::Human => {
            let mut text = diagnostic::render_human(&f.diagnostics, &f.sources, color.stdout);
            text.push_str(&human::summary_line(&f.summary));
            text.push('\n');
            text
        }
        Format::Json => json::render(&f.diagnostics, &f.suppressed, &f.summary)?,
        Format::Sarif => {
            let repository = env!("CARGO_PKG_REPOSITORY");
            let tool = sarif::Tool {
                name: env!("CARGO_PKG_NAME"),
                version: env!("CARGO_PKG_VERSION"),
                information_uri: if repository.is_empty() { FALLBACK_INFORMATION_URI } else { repository },
            };
            sarif::render(&f.diagnostics, &f.suppressed, &f.sources, tool)?
        }
        Format::Junit => {
            let reasons: Vec<Option<String>> = f
                .files
                .iter()
                .map(|f| match (f.checked, f.excluded) {
                    (true, _) => None,
                    (false, true) => Some(format!("{}: excluded by sentinel-soar.toml", f.kind.name())),
                    (false, false) => Some(format!("{}: not checked", f.kind.name())),
                })
                .collect();
            let files: Vec<junit::File<'_>> = f
                .files
                .iter()
                .zip(&reasons)
                .map(|(f, r)| junit::File { path: &f.path, skipped: r.as_deref() })
                .collect();
            junit::render(&f.diagnostics, &files, strict)?
        }
        Format::Github => github::render(&f.diagnostics, &f.sources),
        Format::AzureDevops => azure_devops::render(&f.diagnostics, &f.sources, &f.summary, fails),
        Format::Gitlab => gitlab::render(&f.diagnostics, &f.sources)?,
    })
}
