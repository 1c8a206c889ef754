//! Reading the history: the runs a filter selects, handed over as the query yields them
//! ([`Store::list`]); a run by id prefix ([`Store::find`], [`Store::record`]); runs per playbook
//! ([`Store::count`]); and removing old runs ([`Store::prune`]). Every list is in the history's
//! order, oldest first.

use chrono::{DateTime, Utc};
use rusqlite::types::Value as Sql;
use rusqlite::{params, params_from_iter, OptionalExtension};

use super::row::status;
use super::{Error, Record, Row, Store};
use crate::model::RunStatus;

/// Which runs to list; every condition given must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Runs of this playbook (any ASCII case).
    pub playbook: Option<String>,
    /// Runs on this incident: its name (any ASCII case), number, or an ARM id ending in
    /// `/<name>` or `/<number>`.
    pub incident: Option<String>,
    pub status: Option<RunStatus>,
    /// Runs that started at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Runs whose run log has warnings (a secret not set, a name matched only ignoring case):
    /// the runs `apply`'s closing line counts as with warnings.
    pub warned: bool,
}

/// A run as a list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The record's key ([`Row::key`]).
    pub key: String,
    pub run_id: String,
    pub playbook: String,
    pub incident: Option<String>,
    pub incident_number: Option<i64>,
    pub status: RunStatus,
    pub start_time: String,
    pub duration: String,
}

/// The runs whose id starts with a prefix: the first few, and how many there are.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub first: Vec<Listed>,
    pub total: usize,
}

const LISTED: &str = "key, run_id, playbook, incident, incident_number, status, start_time, duration";

impl Store {
    /// Hands each run `filter` selects to `each`, oldest first, as the query yields it;
    /// returns how many there were. Stops at the first error of `each`.
    pub fn list<E: From<Error>>(
        &self,
        filter: &Filter,
        mut each: impl FnMut(Listed) -> Result<(), E>,
    ) -> Result<usize, E> {
        let (conditions, values) = conditions(filter);
        let sql = format!("SELECT {LISTED} FROM runs{conditions} ORDER BY key");
        let mut statement = self.conn.prepare(&sql).map_err(Error::sql(&self.path))?;
        let mut rows = statement.query(params_from_iter(values)).map_err(Error::sql(&self.path))?;
        let mut count = 0;
        while let Some(row) = rows.next().map_err(Error::sql(&self.path))? {
            each(listed(row).map_err(Error::sql(&self.path))??)?;
            count += 1;
        }
        Ok(count)
    }

    /// The runs whose id starts with `prefix` (as stored: run ids are upper case): the first
    /// `first` of them, oldest first, and their number.
    pub fn find(&self, prefix: &str, first: usize) -> Result<Found, Error> {
        // A range on the run id index; the `substr` keeps it exact.
        let upper = format!("{prefix}{}", char::MAX);
        let matching = "run_id >= ?1 AND run_id < ?2 AND substr(run_id, 1, length(?1)) = ?1";
        let total: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM runs WHERE {matching}"), params![prefix, upper], |r| r.get(0))
            .map_err(Error::sql(&self.path))?;
        let sql = format!("SELECT {LISTED} FROM runs WHERE {matching} ORDER BY key LIMIT ?3");
        let mut statement = self.conn.prepare(&sql).map_err(Error::sql(&self.path))?;
        let limit = i64::try_from(first).unwrap_or(i64::MAX);
        let mut rows = statement.query(params![prefix, upper, limit]).map_err(Error::sql(&self.path))?;
        let mut found = Vec::new();
        while let Some(row) = rows.next().map_err(Error::sql(&self.path))? {
            found.push(listed(row).map_err(Error::sql(&self.path))??);
        }
        Ok(Found { first: found, total: usize::try_from(total).unwrap_or_default() })
    }

    /// The whole record of a listed run.
    pub fn record(&self, key: &str) -> Result<Option<Record>, Error> {
        let sql = "SELECT run_id, playbook, file, incident, incident_number, status, start_time, start_ms, duration, \
                   warnings, run, changes, input FROM runs WHERE key = ?1";
        let found = self
            .conn
            .query_row(sql, [key], |r| {
                let row = Row {
                    key: key.to_owned(),
                    run_id: r.get(0)?,
                    playbook: r.get(1)?,
                    file: r.get(2)?,
                    incident: r.get(3)?,
                    incident_number: r.get(4)?,
                    // Read below: a status that is not one is an error of its own.
                    status: RunStatus::Failed,
                    start_time: r.get(6)?,
                    start_ms: r.get(7)?,
                    duration: r.get(8)?,
                    warnings: r.get(9)?,
                    run: r.get(10)?,
                    changes: r.get(11)?,
                    input: r.get(12)?,
                };
                Ok((r.get::<_, String>(5)?, row))
            })
            .optional()
            .map_err(Error::sql(&self.path))?;
        let Some((text, row)) = found else { return Ok(None) };
        let status = status(&row.run_id, &text)?;
        Row { status, ..row }.decode().map(Some)
    }

    /// How many runs are recorded.
    pub fn total(&self) -> Result<usize, Error> {
        let n: i64 =
            self.conn.query_row("SELECT count(*) FROM runs", [], |r| r.get(0)).map_err(Error::sql(&self.path))?;
        Ok(usize::try_from(n).unwrap_or_default())
    }

    /// How many runs of the playbook named `playbook` (exactly) from `file` are recorded.
    pub fn count(&self, playbook: &str, file: &str) -> Result<usize, Error> {
        let sql = "SELECT count(*) FROM runs WHERE playbook = ?1 COLLATE NOCASE AND playbook = ?1 AND file = ?2";
        let n: i64 = self.conn.query_row(sql, [playbook, file], |r| r.get(0)).map_err(Error::sql(&self.path))?;
        Ok(usize::try_from(n).unwrap_or_default())
    }

    /// Removes the runs that started before `before` (a run whose start is not a time is
    /// kept), gives their space back to the file system, and returns how many were removed.
    pub fn prune(&mut self, before: DateTime<Utc>) -> Result<usize, Error> {
        let removed = self
            .conn
            .execute("DELETE FROM runs WHERE start_ms < ?1", [before.timestamp_millis()])
            .map_err(Error::sql(&self.path))?;
        self.conn.execute_batch("PRAGMA incremental_vacuum").map_err(Error::sql(&self.path))?;
        Ok(removed)
    }
}

/// A listed run from a row of [`LISTED`] columns; the inner error: a status that is not one.
fn listed(row: &rusqlite::Row<'_>) -> rusqlite::Result<Result<Listed, Error>> {
    let run_id: String = row.get(1)?;
    let text: String = row.get(5)?;
    let status = match status(&run_id, &text) {
        Ok(status) => status,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(Listed {
        key: row.get(0)?,
        run_id,
        playbook: row.get(2)?,
        incident: row.get(3)?,
        incident_number: row.get(4)?,
        status,
        start_time: row.get(6)?,
        duration: row.get(7)?,
    }))
}

/// The `WHERE` clause of a filter and its values.
fn conditions(filter: &Filter) -> (String, Vec<Sql>) {
    let mut clauses = Vec::new();
    let mut values = Vec::new();
    if let Some(playbook) = &filter.playbook {
        let mark = push(&mut values, vec![Sql::Text(playbook.clone())]);
        clauses.push(format!("playbook = {mark} COLLATE NOCASE"));
    }
    if let Some(wanted) = &filter.incident {
        let (names, numbers) = incident_keys(wanted);
        let names = push(&mut values, names.into_iter().map(Sql::Text).collect());
        let mut clause = format!("incident COLLATE NOCASE IN ({names})");
        if !numbers.is_empty() {
            let numbers = push(&mut values, numbers.into_iter().map(Sql::Integer).collect());
            clause = format!("({clause} OR incident_number IN ({numbers}))");
        }
        clauses.push(clause);
    }
    if let Some(status) = filter.status {
        let mark = push(&mut values, vec![Sql::Text(status.as_str().to_owned())]);
        clauses.push(format!("status = {mark}"));
    }
    if let Some(since) = filter.since {
        let mark = push(&mut values, vec![Sql::Integer(since.timestamp_millis())]);
        clauses.push(format!("start_ms >= {mark}"));
    }
    if filter.warned {
        clauses.push("warnings > 0".to_owned());
    }
    if clauses.is_empty() {
        return (String::new(), values);
    }
    (format!(" WHERE {}", clauses.join(" AND ")), values)
}

/// Adds `new` to `values`; their placeholders (`?3, ?4`).
fn push(values: &mut Vec<Sql>, new: Vec<Sql>) -> String {
    let start = values.len() + 1;
    let marks: Vec<String> = (start..start + new.len()).map(|i| format!("?{i}")).collect();
    values.extend(new);
    marks.join(", ")
}

/// The incident names and numbers `--incident ID` matches: the id itself and, for an ARM id,
/// everything after each `/` (`.../Incidents/<name>` ends in `/<name>`); a number is one whose
/// decimal form is one of them.
fn incident_keys(wanted: &str) -> (Vec<String>, Vec<i64>) {
    let mut names = vec![wanted.to_owned()];
    names.extend(wanted.match_indices('/').map(|(i, _)| wanted.get(i + 1..).unwrap_or_default().to_owned()));
    let numbers = names.iter().filter_map(|n| n.parse::<i64>().ok().filter(|v| v.to_string() == *n)).collect();
    (names, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arm_id_matches_the_name_or_number_it_ends_with() {
        let (names, numbers) = incident_keys("/subscriptions/s/incidents/4102");
        assert_eq!(names.last().map(String::as_str), Some("4102"));
        assert!(names.contains(&"incidents/4102".to_owned()));
        assert_eq!(numbers, [4102]);
        assert_eq!(incident_keys("0042").1, Vec::<i64>::new());
        assert_eq!(incident_keys("abc"), (vec!["abc".to_owned()], vec![]));
    }
}
