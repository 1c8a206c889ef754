//! What `impact` writes for each compared incident, in input order ([`Report`], the batch's
//! sink): the totals are counted; a changed incident is printed at once (human), written into
//! the JSON document, or kept among the largest (markdown). Records that could not be
//! processed are reported on standard error. [`Report::finish`] writes the totals.

use std::io::Write;

use anyhow::Context;
use serde_json::Value;

use crate::batch::{Problem, Sink};
use crate::diagnostic::Sources;
use crate::impact::{words, Compared, Summary, Totals};
use crate::io::JsonDocument;
use crate::rules::RuleSet;

use super::args::ImpactFormat;
use super::markdown::Largest;
use super::{github, human, json, markdown};

const CANNOT_WRITE: &str = "cannot write the report";

/// The report on standard output (buffered).
type Stdout = std::io::BufWriter<std::io::StdoutLock<'static>>;

/// The report of a comparison, written as the incidents come.
pub struct Report {
    format: ImpactFormat,
    out: Stdout,
    /// `--format json`: the document, once opened.
    json: Option<JsonDocument>,
    /// `--format markdown`: the rows of the incidents table.
    largest: Largest,
    max_rows: usize,
    /// How the report names the two rule sets.
    base: String,
    head: String,
    pub totals: Totals,
    /// Records (or replay rows, or histories) that could not be processed.
    pub bad: usize,
    /// Inputs that broke off.
    pub broken: usize,
}

/// What the closing part needs besides the totals.
pub struct Closing<'a> {
    pub summary: &'a Summary,
    /// The head rules and their files' text (github annotations end at a rule's last line).
    pub head: &'a RuleSet,
    pub sources: &'a Sources,
    /// The run fails on the number of changed incidents.
    pub failing: bool,
}

impl Report {
    pub fn new(format: ImpactFormat, max_rows: usize, base: String, head: String) -> Report {
        Report {
            format,
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock()),
            json: None,
            largest: Largest::new(max_rows),
            max_rows,
            base,
            head,
            totals: Totals::default(),
            bad: 0,
            broken: 0,
        }
    }

    /// One compared incident.
    pub fn incident(&mut self, c: Compared) -> anyhow::Result<()> {
        self.totals.add(&c);
        if !c.changed() && !c.order_dependent() {
            return Ok(());
        }
        match self.format {
            ImpactFormat::Human => self.out.write_all(human::block(&c).as_bytes()).context(CANNOT_WRITE),
            ImpactFormat::Json => {
                let mut doc = self.open_json()?;
                let ties = self.totals.ties.is_some();
                doc.push(&mut self.out, &json::incident(&c, ties)).context(CANNOT_WRITE)?;
                self.json = Some(doc);
                Ok(())
            }
            ImpactFormat::Markdown => {
                self.largest.offer(&c);
                Ok(())
            }
            ImpactFormat::Github => Ok(()),
        }
    }

    fn open_json(&mut self) -> anyhow::Result<JsonDocument> {
        match self.json.take() {
            Some(doc) => Ok(doc),
            None => {
                let (base, head) = (Value::String(self.base.clone()), Value::String(self.head.clone()));
                JsonDocument::open(&mut self.out, &[("base", &base), ("head", &head)], "incidents")
                    .context(CANNOT_WRITE)
            }
        }
    }

    /// What the headline adds: the incidents whose outcome depends on the order of tied rules
    /// (`--ties permute`), the records that could not be processed, the inputs that broke off.
    pub fn problems(&self, summary: &Summary) -> String {
        let mut text = summary.ties.as_ref().map(|t| t.headline()).unwrap_or_default();
        if self.bad > 0 {
            let verb = if self.bad == 1 { "was" } else { "were" };
            text.push_str(&format!("; {} {verb} not processed", words::count(self.bad, "record")));
        }
        if self.broken > 0 {
            text.push_str(&format!("; {} could not be read to the end", words::count(self.broken, "file")));
        }
        text
    }

    /// Writes the totals and closes the report.
    pub fn finish(mut self, closing: &Closing<'_>) -> anyhow::Result<()> {
        let summary = closing.summary;
        let extra = self.problems(summary);
        match self.format {
            ImpactFormat::Human => {
                self.out.write_all(human::closing(summary, &extra).as_bytes()).context(CANNOT_WRITE)?;
            }
            ImpactFormat::Json => {
                let doc = self.open_json()?;
                let tail = json::summary(summary, self.bad);
                doc.close(&mut self.out, &[("summary", &tail)]).context(CANNOT_WRITE)?;
            }
            ImpactFormat::Markdown => {
                let text = markdown::render(summary, self.largest, &self.base, &self.head, &extra, self.max_rows);
                self.out.write_all(text.as_bytes()).context(CANNOT_WRITE)?;
            }
            ImpactFormat::Github => {
                let text = github::render(summary, closing.head, closing.sources, closing.failing, &extra);
                self.out.write_all(text.as_bytes()).context(CANNOT_WRITE)?;
            }
        }
        self.out.flush().context(CANNOT_WRITE)
    }
}

impl Sink<Compared> for Report {
    type Error = anyhow::Error;

    fn write(&mut self, item: Compared) -> anyhow::Result<()> {
        self.incident(item)
    }

    fn problem(&mut self, problem: &Problem<'_>) {
        match problem {
            Problem::Empty(_) => eprintln!("warning: {problem}"),
            Problem::Record { .. } => {
                self.bad += 1;
                eprintln!("error: {problem}");
            }
            Problem::Broken(_) => {
                self.broken += 1;
                eprintln!("error: {problem}");
            }
        }
    }
}
