//! `sentinel-soar impact`: what a rule change does. The base rules (before the change: paths,
//! or paths at a git revision, [`git`]) and the head rules (after it) run on the same incidents,
//! streaming through the batch ([`step`], [`sink`]), or on the same SecurityIncident histories
//! (`--replay`); the report says, per changed incident, the rules fired before and after and
//! each field that differs, then the totals by field and by rule ([`crate::impact`]), as text,
//! JSON, a pull request comment ([`markdown`]) or GitHub annotations ([`github`]).
//! `--fail-on-change` and `--max-changed N` turn changes into exit code 1.
//!
//! Both sides run as `apply` runs them: `--playbooks` (with `--mocks`, `--infer-mocks`, ...) run
//! through one catalog, `--portal defender` adapts both rule sets, and `--ties permute` runs
//! every order of each side's tie groups ([`crate::impact::ties`]).

mod args;
mod git;
mod github;
mod human;
mod json;
mod markdown;
mod sink;
mod step;

use anyhow::bail;

use crate::batch;
use crate::engine::ties::{self as tie_groups, TieGroup};
use crate::engine::{Clock, PlaybookHost};
use crate::impact::{words, Side, Summary};
use crate::model::Portal;
use crate::rules::{self, RuleSet};
use crate::workspace::Expect;

use super::prelude::histories::{read_histories, History};
use super::prelude::{adapt_quietly, clock, incident_inputs, load_catalog, load_previous, Color, Ties};
use super::report::{print_diagnostics, Exit};
use super::rule_files::{self, LoadedRules};

pub use args::ImpactArgs;
use git::Base;
use sink::{Closing, Report};

/// Runs `impact`.
pub fn run(args: ImpactArgs, color: Color) -> anyhow::Result<Exit> {
    args.check()?;
    let config = args.config.load()?;
    let now = clock(args.event.now);
    let options = rules::Options { now: Some(now), sentinel: false };
    let base_from = Base::of(&args.base, &args.head)?;
    let reading = args.templates.options(Expect::Rules);
    let mut head = rule_files::load_with(&args.head, &options, &reading)?;
    let mut base = match &base_from {
        Base::Paths(paths) => rule_files::load_with(paths, &options, &reading)?,
        Base::Git { rev, paths } => rule_files::load_sources(git::read(rev, paths)?, &options, &reading)?,
    };
    let mut catalog = load_catalog(&args.playbooks, now, &mut head)?;
    if !rules_are_valid(&mut base, &mut head, color) {
        eprintln!("no incident was compared: fix the rule files first");
        return Ok(Exit::Findings);
    }
    let portal = args.portal.resolve(config.as_ref());
    adapt(&mut base.set, &mut head.set, portal);
    if let Some(c) = catalog.as_mut() {
        c.provider = portal.provider_name();
    }
    let (base_ties, head_ties) = tie_groups_of(args.ties.ties, &base.set, &head.set)?;
    let host = catalog.as_ref().map(|c| c as &dyn PlaybookHost);
    let before = Side { rules: &base.set, host, ties: base_ties.as_deref() };
    let after = Side { rules: &head.set, host, ties: head_ties.as_deref() };
    let max_rows = args.max_rows.unwrap_or(args::MAX_ROWS);
    let mut report = Report::new(args.format, max_rows, base_from.label(), args.head.join(" "));
    report.totals.ties = args.ties.ties.eq(&Ties::Permute).then(Default::default);
    let jobs = crate::cli::prelude::parse::workers(args.jobs);
    if args.replay.is_empty() {
        compare_incidents(&args, (before, after), Clock::new(now), jobs, &mut report)?;
    } else {
        compare_histories(&args, (before, after), jobs, &mut report)?;
    }
    let summary = report.totals.summary(&base.set, &head.set);
    let over = args.allowed().filter(|allowed| summary.at_stake() > *allowed);
    let clean = report.bad == 0 && report.broken == 0;
    report.finish(&Closing { summary: &summary, head: &head.set, sources: &head.sources, failing: over.is_some() })?;
    if let Some(allowed) = over {
        eprintln!("error: {}", over_the_limit(&summary, args.fail_on_change, allowed));
        return Ok(Exit::Findings);
    }
    Ok(if clean { Exit::Success } else { Exit::Findings })
}

/// Why `--fail-on-change` or `--max-changed` fails the run: the changed incidents and, with
/// `--ties permute`, the unchanged ones whose head outcome depends on the order of tied rules.
fn over_the_limit(summary: &Summary, fail_on_change: bool, allowed: usize) -> String {
    let ties = summary.ties.as_ref().map(|t| t.at_stake()).unwrap_or_default();
    let headline = format!("{}{ties}", words::headline(summary.incidents, summary.changed, 0));
    match fail_on_change {
        true => format!("{headline} (--fail-on-change)"),
        false => format!("{headline}, more than --max-changed {allowed} allows"),
    }
}

/// Both rule sets as `portal` runs them; a note the two sides share (a file both read) is said
/// once, the head's first.
fn adapt(base: &mut RuleSet, head: &mut RuleSet, portal: Portal) {
    let (adapted, mut notes) = adapt_quietly(std::mem::take(head), portal);
    *head = adapted;
    let (adapted, base_notes) = adapt_quietly(std::mem::take(base), portal);
    *base = adapted;
    for note in base_notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    for note in &notes {
        eprintln!("{note}");
    }
}

/// The tie groups each side permutes: (base, head).
type SideTies = (Option<Vec<TieGroup>>, Option<Vec<TieGroup>>);

/// The tie groups each side permutes: none by name; with `--ties permute`, every group, a group
/// of more than [`tie_groups::MAX_GROUP`] rules refused as `apply` refuses it (the head's
/// first).
fn tie_groups_of(ties: Ties, base: &RuleSet, head: &RuleSet) -> anyhow::Result<SideTies> {
    let of = |set: &RuleSet, side: &str| {
        let groups = tie_groups::groups(set);
        tie_groups::check(set, &groups).map_err(|e| anyhow::anyhow!("{side}: {e}"))?;
        anyhow::Ok(groups)
    };
    Ok(match ties {
        Ties::Name => (None, None),
        Ties::Permute => {
            let head = of(head, "head")?;
            (Some(of(base, "base")?), Some(head))
        }
    })
}

/// Both rule sets on every incident of `--incidents`, through the batch.
fn compare_incidents(
    args: &ImpactArgs,
    (base, head): (Side<'_>, Side<'_>),
    clock: Clock,
    jobs: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    let inputs = incident_inputs(&args.incidents)?;
    let previous = load_previous(&args.event.previous)?;
    let config =
        batch::Config { inputs: &inputs, jobs, window_per_job: batch::WINDOW_PER_JOB, out: None, rejects: None };
    let step = step::ImpactStep { base, head, trigger: args.event.trigger, previous: &previous, clock };
    batch::run(&config, &step, report)?;
    if report.totals.incidents + report.bad == 0 {
        bail!("no incident found in {}: nothing to compare", args.incidents.join(" "));
    }
    Ok(())
}

/// Both rule sets on every incident history of `--replay` (every row is read first), on the
/// batch's workers.
fn compare_histories(
    args: &ImpactArgs,
    (base, head): (Side<'_>, Side<'_>),
    jobs: usize,
    report: &mut Report,
) -> anyhow::Result<()> {
    let (histories, _rows) = read_histories(&args.replay, &mut report.bad)?;
    if histories.is_empty() && report.bad == 0 {
        bail!("no incident history found in {}: nothing to compare", args.replay.join(" "));
    }
    let compare = |h: &History| step::replay(base, head, h);
    batch::each(jobs, histories, compare, |history, result| match result {
        Ok(Some(compared)) => report.incident(compared),
        Ok(None) => Ok(()),
        Err(e) => {
            eprintln!("error: incident {}: {e}", history.name);
            report.bad += 1;
            Ok(())
        }
    })
}

/// Prints the rule files' findings: every finding of the head (the rules under review), the
/// errors of the base (its warnings are the old state's; a file both sides read is reported
/// once). False when either has errors.
fn rules_are_valid(base: &mut LoadedRules, head: &mut LoadedRules, color: Color) -> bool {
    let mut diagnostics = std::mem::take(&mut head.diagnostics);
    let head_errors = diagnostics.iter().any(|d| d.is_error());
    let base_errors: Vec<_> = std::mem::take(&mut base.diagnostics).into_iter().filter(|d| d.is_error()).collect();
    let valid = !head_errors && base_errors.is_empty();
    for error in base_errors {
        if !diagnostics.contains(&error) {
            diagnostics.push(error);
        }
    }
    let mut sources = std::mem::take(&mut head.sources);
    sources.extend(base.sources.clone());
    print_diagnostics(&mut diagnostics, &sources, color);
    head.sources = sources;
    valid
}
