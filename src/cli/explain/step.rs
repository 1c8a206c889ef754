//! `explain` over a batch: each incident is explained on a worker ([`ExplainStep`]) and printed
//! as it comes, in input order ([`ExplainSink`]): the tree, or one JSON document written
//! incident by incident (the same bytes as if it had been built whole).

use std::collections::HashMap;
use std::io::Write;

use anyhow::Context;
use serde_json::Value;

use crate::batch::{Done, Problem, Sink, Step};
use crate::engine::{Clock, PlaybookHost};
use crate::io::{InputFile, JsonDocument};
use crate::model::Incident;
use crate::playbook::host::Catalog;
use crate::rules::RuleSet;

use super::explanation::{self, Explanation, IncidentExplanation};
use super::render;
use crate::cli::dry_run::Stdout;
use crate::cli::prelude::{event_for, ReportFormat, TriggerArg};

/// Explains one incident.
pub struct ExplainStep<'a> {
    pub rules: &'a RuleSet,
    pub trigger: TriggerArg,
    /// Earlier versions for `--trigger updated`, by lower-cased name.
    pub previous: &'a HashMap<String, Incident>,
    pub clock: Clock,
    pub catalog: Option<&'a Catalog>,
    /// `--rule`: the only rule explained.
    pub only: Option<&'a str>,
}

impl Step for ExplainStep<'_> {
    type Item = IncidentExplanation;

    fn run(&self, value: Value, input: &InputFile) -> Result<Done<IncidentExplanation>, String> {
        let incident = Incident::from_value(value).map_err(|e| format!("invalid incident: {e}"))?;
        let event = event_for(&incident, self.trigger, self.previous);
        let host = self.catalog.map(|c| c as &dyn PlaybookHost);
        let mut explained =
            explanation::explain_incident(self.rules, &input.display, incident, &event, self.clock, host);
        if let Some(name) = self.only {
            explained.rules.retain(|r| r.rule == name);
        }
        Ok(Done { record: None, item: explained })
    }
}

const CANNOT_WRITE: &str = "cannot write the explanation";

/// Prints each incident's explanation as it comes.
pub struct ExplainSink<'a> {
    pub head: &'a Explanation,
    pub format: ReportFormat,
    /// Box-drawing characters (standard output is a terminal).
    pub unicode: bool,
    pub out: Stdout,
    /// JSON: the document, once its first incident is written.
    pub json: Option<JsonDocument>,
    /// Incidents written.
    pub count: usize,
}

impl ExplainSink<'_> {
    /// Closes the JSON document, if one was opened; flushes.
    pub fn finish(mut self) -> anyhow::Result<()> {
        if let Some(doc) = self.json.take() {
            doc.close(&mut self.out, &[]).context(CANNOT_WRITE)?;
        }
        self.out.flush().context(CANNOT_WRITE)
    }
}

impl Sink<IncidentExplanation> for ExplainSink<'_> {
    type Error = anyhow::Error;

    fn write(&mut self, inc: IncidentExplanation) -> anyhow::Result<()> {
        match self.format {
            ReportFormat::Json => {
                let mut doc = match self.json.take() {
                    Some(doc) => doc,
                    None => {
                        let (now, event) = (Value::from(self.head.now.as_str()), Value::from(self.head.event));
                        JsonDocument::open(&mut self.out, &[("now", &now), ("event", &event)], "incidents")
                            .context(CANNOT_WRITE)?
                    }
                };
                doc.push(&mut self.out, &inc).context(CANNOT_WRITE)?;
                self.json = Some(doc);
            }
            ReportFormat::Human => {
                if self.count > 0 {
                    self.out.write_all(b"\n").context(CANNOT_WRITE)?;
                }
                let text = render::render(self.head, &inc, self.unicode);
                self.out.write_all(text.as_bytes()).context(CANNOT_WRITE)?;
            }
        }
        self.count += 1;
        Ok(())
    }

    fn problem(&mut self, problem: &Problem<'_>) {
        eprintln!("error: {problem}");
    }
}
