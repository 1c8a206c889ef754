//! [`Store`]: the SQLite database of a state directory, opened (and created, and the old
//! layout moved in) with its schema; [`Writer`]: a batch's rows, committed one transaction per
//! window.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OpenFlags};

use super::error::OpenError;
use super::legacy::{self, Migration};
use super::{Error, Row, FILE};

/// The schema version this build writes (`PRAGMA user_version`): 2 added `input`, what each run
/// started from; 3 the `warnings` count, and the run log and input compressed (BLOBs; the
/// records of an older history stay TEXT and are read as they are). An older history is brought
/// up to this version when this build opens it ([`MIGRATIONS`]).
const VERSION: i64 = 3;

/// What brings a history of version `i + 1` to version `i + 2`.
const MIGRATIONS: [&str; 2] = [
    "ALTER TABLE runs ADD COLUMN input TEXT;",
    "ALTER TABLE runs ADD COLUMN warnings INTEGER NOT NULL DEFAULT 0;
     UPDATE runs SET warnings = coalesce(json_array_length(run, '$.warnings'), 0)
         WHERE typeof(run) = 'text' AND json_valid(run);
     CREATE INDEX runs_warned ON runs (key) WHERE warnings > 0;",
];

/// The table and its indexes: the listed columns first, the run log and its changes (the bulk)
/// last, so that listing reads no overflow pages. Each index ends with `key`, so a filtered
/// list comes out in the history's order without a sort.
const SCHEMA: &str = "
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    run_id TEXT NOT NULL,
    playbook TEXT NOT NULL,
    file TEXT NOT NULL,
    incident TEXT,
    incident_number INTEGER,
    status TEXT NOT NULL,
    start_time TEXT NOT NULL,
    start_ms INTEGER,
    duration TEXT NOT NULL,
    warnings INTEGER NOT NULL DEFAULT 0,
    run BLOB NOT NULL,
    changes TEXT NOT NULL,
    input BLOB
);
CREATE INDEX runs_run_id ON runs (run_id);
CREATE INDEX runs_playbook ON runs (playbook COLLATE NOCASE, key);
CREATE INDEX runs_incident ON runs (incident COLLATE NOCASE, key);
CREATE INDEX runs_incident_number ON runs (incident_number, key);
CREATE INDEX runs_status ON runs (status, key);
CREATE INDEX runs_start ON runs (start_ms);
CREATE INDEX runs_warned ON runs (key) WHERE warnings > 0;
";

const INSERT: &str = "INSERT OR REPLACE INTO runs
    (key, run_id, playbook, file, incident, incident_number, status, start_time, start_ms, duration, warnings, run,
     changes, input)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/// How long a command waits for another one writing the same history.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The run history of one state directory.
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
}

impl Store {
    /// Opens the history of `state_dir`, creating the directory and the database if needed,
    /// and moves the old layout's records in (what was moved, and the files that were not
    /// records, come back as the [`Migration`]).
    pub fn open(state_dir: &Path) -> Result<(Store, Migration), Error> {
        if state_dir.exists() && !state_dir.is_dir() {
            return Err(Error::NotADirectory(state_dir.to_path_buf()));
        }
        std::fs::create_dir_all(state_dir)
            .map_err(|e| Error::Open { path: state_dir.to_path_buf(), source: OpenError::Io(e) })?;
        let path = state_dir.join(FILE);
        let conn =
            Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)
                .map_err(|e| Error::Open { path: path.clone(), source: OpenError::Sql(e) })?;
        let mut store = Store { conn, path };
        store.prepare()?;
        let migration = legacy::migrate(&mut store, state_dir)?;
        Ok((store, migration))
    }

    /// Opens the history of `state_dir` if there is one (the database, or the old layout's
    /// files); `None` when nothing was ever recorded there, which leaves the directory as it is.
    pub fn open_existing(state_dir: &Path) -> Result<Option<(Store, Migration)>, Error> {
        if state_dir.exists() && !state_dir.is_dir() {
            return Err(Error::NotADirectory(state_dir.to_path_buf()));
        }
        if state_dir.join(FILE).exists() || legacy::present(state_dir) {
            return Store::open(state_dir).map(Some);
        }
        Ok(None)
    }

    /// The database's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// WAL (a commit survives the process being killed; readers do not block the writer), and
    /// the schema on a new database.
    fn prepare(&mut self) -> Result<(), Error> {
        let open = |e| Error::Open { path: self.path.clone(), source: OpenError::Sql(e) };
        self.conn.busy_timeout(BUSY_TIMEOUT).map_err(open)?;
        let version: i64 = self.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(open)?;
        if version > VERSION {
            return Err(Error::Newer { path: self.path.clone(), version });
        }
        // Settings of the file, kept in it; `auto_vacuum` only takes on a new, empty database.
        if version == 0 {
            self.conn.execute_batch("PRAGMA auto_vacuum = INCREMENTAL").map_err(open)?;
        }
        let _mode: String = self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0)).map_err(open)?;
        // In WAL mode, NORMAL loses no commit to a killed process (only to a power cut).
        self.conn.execute_batch("PRAGMA synchronous = NORMAL").map_err(open)?;
        if version == 0 {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(open)?;
            // Another process may have created it meanwhile.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(open)?;
            if now == 0 {
                tx.execute_batch(SCHEMA).map_err(open)?;
                tx.execute_batch(&format!("PRAGMA user_version = {VERSION}")).map_err(open)?;
            }
            tx.commit().map_err(open)?;
        } else if version < VERSION {
            let tx = self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(open)?;
            // Another process may have done it meanwhile.
            let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(open)?;
            let from = usize::try_from(now).unwrap_or_default().max(1);
            if now < VERSION {
                for step in MIGRATIONS.iter().skip(from - 1) {
                    tx.execute_batch(step).map_err(open)?;
                }
                tx.execute_batch(&format!("PRAGMA user_version = {VERSION}")).map_err(open)?;
            }
            tx.commit().map_err(open)?;
        }
        Ok(())
    }

    /// Writes `rows` in one transaction; a row with the key of a stored one replaces it.
    pub fn insert(&mut self, rows: &[Row]) -> Result<(), Error> {
        if rows.is_empty() {
            return Ok(());
        }
        let sql = Error::sql(&self.path);
        let tx = self.conn.transaction().map_err(Error::sql(&self.path))?;
        {
            let mut insert = tx.prepare_cached(INSERT).map_err(Error::sql(&self.path))?;
            for r in rows {
                insert
                    .execute(params![
                        r.key,
                        r.run_id,
                        r.playbook,
                        r.file,
                        r.incident,
                        r.incident_number,
                        r.status.as_str(),
                        r.start_time,
                        r.start_ms,
                        r.duration,
                        r.warnings,
                        r.run,
                        r.changes,
                        r.input
                    ])
                    .map_err(Error::sql(&self.path))?;
            }
        }
        tx.commit().map_err(sql)
    }
}

/// The rows a batch records, held for the window being written and committed in one
/// transaction; the store is opened on the first commit that has rows.
pub struct Writer {
    state_dir: PathBuf,
    store: Option<Store>,
    pending: Vec<Row>,
}

impl Writer {
    /// A writer of the history of `state_dir` (nothing is opened yet).
    pub fn new(state_dir: impl Into<PathBuf>) -> Writer {
        Writer { state_dir: state_dir.into(), store: None, pending: Vec::new() }
    }

    /// Holds a row for the next commit.
    pub fn push(&mut self, row: Row) {
        self.pending.push(row);
    }

    /// Writes the rows held in one transaction. The first commit with rows opens the store,
    /// and returns what moving the old layout in did.
    pub fn commit(&mut self) -> Result<Option<Migration>, Error> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        let mut migration = None;
        let store = match &mut self.store {
            Some(store) => store,
            None => {
                let (store, moved) = Store::open(&self.state_dir)?;
                migration = Some(moved);
                self.store.insert(store)
            }
        };
        store.insert(&self.pending)?;
        self.pending.clear();
        Ok(migration)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::RunStatus;
    use crate::playbook::history::{Filter, Record};

    fn row(id: &str, start: &str, playbook: &str, status: RunStatus) -> Row {
        warned_row(id, start, playbook, status, &[])
    }

    fn warned_row(id: &str, start: &str, playbook: &str, status: RunStatus, warnings: &[&str]) -> Row {
        let record = Record {
            run_id: id.into(),
            playbook: playbook.into(),
            file: "p.yaml".into(),
            incident: Some(format!("inc-{id}")),
            incident_number: Some(1),
            status,
            start_time: start.into(),
            duration: "PT1S".into(),
            run: if warnings.is_empty() { json!({"runId": id}) } else { json!({"runId": id, "warnings": warnings}) },
            changes: json!([]),
            input: None,
        };
        Row::encode(&record).unwrap()
    }

    fn ids(store: &Store, filter: &Filter) -> Vec<String> {
        let mut ids = Vec::new();
        store
            .list(filter, |r| {
                ids.push(r.run_id);
                Ok::<(), Error>(())
            })
            .unwrap();
        ids
    }

    #[test]
    fn runs_come_back_oldest_first_and_the_same_run_replaces_its_record() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Store::open_existing(dir.path()).unwrap().is_none(), "nothing there, nothing created");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let mut writer = Writer::new(dir.path());
        assert!(writer.commit().unwrap().is_none(), "no rows, no store");
        assert!(!dir.path().join(FILE).exists());
        writer.push(row("B", "2026-06-02T00:00:00Z", "P", RunStatus::Succeeded));
        writer.push(row("A", "2026-06-03T00:00:00Z", "Q", RunStatus::Failed));
        assert_eq!(writer.commit().unwrap().map(|m| m.moved), Some(0));
        writer.push(row("C", "2026-06-01T00:00:00Z", "p", RunStatus::Succeeded));
        writer.push(row("B", "2026-06-02T00:00:00Z", "P", RunStatus::Cancelled));
        assert!(writer.commit().unwrap().is_none(), "opened once");
        let (store, _) = Store::open_existing(dir.path()).unwrap().unwrap();
        assert_eq!(ids(&store, &Filter::default()), ["C", "B", "A"]);
        assert_eq!(ids(&store, &Filter { playbook: Some("P".into()), ..Filter::default() }), ["C", "B"]);
        assert_eq!(ids(&store, &Filter { status: Some(RunStatus::Cancelled), ..Filter::default() }), ["B"]);
        let since = chrono::DateTime::parse_from_rfc3339("2026-06-02T00:00:00Z").unwrap().to_utc();
        assert_eq!(ids(&store, &Filter { since: Some(since), ..Filter::default() }), ["B", "A"]);
        assert_eq!(ids(&store, &Filter { incident: Some("/x/INC-a".into()), ..Filter::default() }), ["A"]);
        assert_eq!(ids(&store, &Filter { warned: true, ..Filter::default() }), Vec::<String>::new());
        assert_eq!(store.count("P", "p.yaml").unwrap(), 1);
        let found = store.find("B", 10).unwrap();
        assert_eq!((found.total, found.first.len()), (1, 1));
        let record = store.record(&found.first[0].key).unwrap().unwrap();
        assert_eq!((record.status, record.run), (RunStatus::Cancelled, json!({"runId": "B"})));
    }

    #[test]
    fn warned_lists_the_runs_whose_log_has_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = Writer::new(dir.path());
        writer.push(row("A", "2026-06-01T00:00:00Z", "P", RunStatus::Succeeded));
        writer.push(warned_row("B", "2026-06-02T00:00:00Z", "P", RunStatus::Succeeded, &["VT_API_KEY is not set"]));
        writer.push(warned_row("C", "2026-06-03T00:00:00Z", "P", RunStatus::Failed, &["x", "y"]));
        writer.commit().unwrap();
        let (store, _) = Store::open_existing(dir.path()).unwrap().unwrap();
        assert_eq!(ids(&store, &Filter { warned: true, ..Filter::default() }), ["B", "C"]);
        let both = Filter { warned: true, status: Some(RunStatus::Succeeded), ..Filter::default() };
        assert_eq!(ids(&store, &both), ["B"]);
    }

    #[test]
    fn a_state_directory_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state");
        std::fs::write(&file, "").unwrap();
        let said = |e: Error| e.to_string().ends_with("it is a file, not a directory (--state-dir names a directory)");
        assert!(Store::open(&file).err().is_some_and(said));
        assert!(Store::open_existing(&file).err().is_some_and(said));
    }

    #[test]
    fn prune_removes_the_runs_started_before_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open(dir.path()).unwrap();
        store
            .insert(&[
                row("A", "2026-06-01T00:00:00Z", "P", RunStatus::Succeeded),
                row("B", "2026-06-02T00:00:00Z", "P", RunStatus::Succeeded),
                row("C", "not a time", "P", RunStatus::Succeeded),
            ])
            .unwrap();
        let before = chrono::DateTime::parse_from_rfc3339("2026-06-02T00:00:00Z").unwrap().to_utc();
        assert_eq!(store.prune(before).unwrap(), 1);
        assert_eq!(ids(&store, &Filter::default()), ["B", "C"]);
        assert_eq!(store.total().unwrap(), 2);
    }

    /// The schema of format 2 (and of format 1 without `input`), as those builds wrote it.
    const FORMAT_2: &str = "
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, run_id TEXT NOT NULL, playbook TEXT NOT NULL,
            file TEXT NOT NULL, incident TEXT, incident_number INTEGER, status TEXT NOT NULL,
            start_time TEXT NOT NULL, start_ms INTEGER, duration TEXT NOT NULL, run TEXT NOT NULL,
            changes TEXT NOT NULL, input TEXT
        );
        CREATE INDEX runs_run_id ON runs (run_id);
        CREATE INDEX runs_playbook ON runs (playbook COLLATE NOCASE, key);
        CREATE INDEX runs_incident ON runs (incident COLLATE NOCASE, key);
        CREATE INDEX runs_incident_number ON runs (incident_number, key);
        CREATE INDEX runs_status ON runs (status, key);
        CREATE INDEX runs_start ON runs (start_ms);";

    /// A history of `format` holding the runs `OLD` and `WARNED` (with two warnings), in text.
    fn old_history(format: i64) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let conn = Connection::open(dir.path().join(FILE)).unwrap();
        let schema = if format == 1 {
            FORMAT_2.replace(",\n            changes TEXT NOT NULL, input TEXT", ", changes TEXT NOT NULL")
        } else {
            FORMAT_2.to_owned()
        };
        assert_eq!(schema.contains("input TEXT"), format == 2);
        conn.execute_batch(&schema).unwrap();
        conn.execute_batch(&format!(
            "PRAGMA user_version = {format};
             INSERT INTO runs (key, run_id, playbook, file, status, start_time, duration, run, changes)
             VALUES ('20260601T000000Z-OLD', 'OLD', 'P', 'p.yaml', 'Succeeded', '2026-06-01T00:00:00Z', 'PT0S', '{{}}', '[]'),
                    ('20260601T000001Z-WARNED', 'WARNED', 'P', 'p.yaml', 'Succeeded', '2026-06-01T00:00:01Z', 'PT0S',
                     '{{\"warnings\":[\"a\",\"b\"]}}', '[]');"
        ))
        .unwrap();
        dir
    }

    #[test]
    fn an_older_history_is_brought_up_to_date_and_keeps_its_runs_as_they_were() {
        for format in [1, 2] {
            let dir = old_history(format);
            let (mut store, _) = Store::open(dir.path()).unwrap();
            let version: i64 = store.conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(version, VERSION);
            let old = store.record("20260601T000000Z-OLD").unwrap().unwrap();
            assert_eq!((old.run, old.input), (json!({}), None), "format {format}");
            assert_eq!(store.record("20260601T000001Z-WARNED").unwrap().unwrap().run, json!({"warnings": ["a", "b"]}));
            // Counted from the run log when the history was brought up: `--warned` finds it.
            assert_eq!(ids(&store, &Filter { warned: true, ..Filter::default() }), ["WARNED"]);
            // New runs go in compressed, next to the old ones in text.
            let mut new = warned_row("NEW", "2026-06-02T00:00:00Z", "P", RunStatus::Succeeded, &["c"]);
            let input = Record { input: Some(json!({"incident": {"name": "i"}})), ..new.clone().decode().unwrap() };
            new.input = Row::encode(&input).unwrap().input;
            store.insert(&[new.clone()]).unwrap();
            let kinds: Vec<String> = store
                .conn
                .prepare("SELECT typeof(run) || ' ' || typeof(input) FROM runs ORDER BY key")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            assert_eq!(kinds, ["text null", "text null", "blob blob"], "format {format}");
            assert_eq!(store.record(&new.key).unwrap().unwrap().input, Some(json!({"incident": {"name": "i"}})));
            assert_eq!(ids(&store, &Filter { warned: true, ..Filter::default() }), ["WARNED", "NEW"]);
            drop(store);
            // Opened again: nothing more to do.
            assert!(Store::open(dir.path()).is_ok());
        }
    }

    #[test]
    fn a_history_written_by_a_newer_version_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        drop(Store::open(dir.path()).unwrap());
        let conn = Connection::open(dir.path().join(FILE)).unwrap();
        conn.execute_batch("PRAGMA user_version = 7").unwrap();
        drop(conn);
        let error = Store::open(dir.path()).err().unwrap().to_string();
        assert!(error.ends_with("has format 7, written by a newer sentinel-soar; use that version"), "{error}");
    }
}
