//! Watchlists for the built-in Sentinel watchlist operations: each one read from a CSV file
//! given with `--watchlist ALIAS=FILE` (the caller reads the file; this module parses it), and
//! kept per run as an in-memory copy the operations change (adding, updating and deleting
//! items, creating and deleting watchlists); the files are never written.
//!
//! The CSV is RFC 4180: a header row naming the columns, then one row per item; fields are
//! separated by commas, may be quoted (`"a, b"`, `""` for a quote) and may then hold line
//! breaks; a UTF-8 byte-order mark is skipped; blank lines are ignored. A row with another
//! number of fields than the header, an unterminated quote, text after a closing quote or a
//! repeated column is a [`CsvError`] at its line. The watchlist's search key
//! (`itemsSearchKey`) is its first column.
//!
//! Stage: runtime support (parsing and state); no I/O.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// One watchlist.
#[derive(Debug, Clone, PartialEq)]
pub struct Watchlist {
    /// The alias as given (`--watchlist VIPUsers=...`) or as created.
    pub alias: String,
    /// Where it came from (the file, or `created by <step>`).
    pub source: String,
    pub columns: Vec<String>,
    pub items: Vec<Item>,
    pub description: String,
}

/// One item: its id and its column values.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub values: Map<String, Value>,
}

/// The watchlists of a run, by alias (compared ignoring case, as Sentinel's aliases are).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Watchlists {
    by_alias: BTreeMap<String, Watchlist>,
}

/// A CSV problem at a line (1-based, of the line where the bad row starts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    pub line: usize,
    pub message: String,
}

impl Watchlists {
    pub fn is_empty(&self) -> bool {
        self.by_alias.is_empty()
    }

    pub fn get(&self, alias: &str) -> Option<&Watchlist> {
        self.by_alias.get(&alias.to_lowercase())
    }

    pub fn get_mut(&mut self, alias: &str) -> Option<&mut Watchlist> {
        self.by_alias.get_mut(&alias.to_lowercase())
    }

    /// Adds or replaces a watchlist.
    pub fn insert(&mut self, watchlist: Watchlist) {
        self.by_alias.insert(watchlist.alias.to_lowercase(), watchlist);
    }

    pub fn remove(&mut self, alias: &str) -> Option<Watchlist> {
        self.by_alias.remove(&alias.to_lowercase())
    }

    /// The aliases, in order.
    pub fn aliases(&self) -> Vec<&str> {
        self.by_alias.values().map(|w| w.alias.as_str()).collect()
    }
}

impl Watchlist {
    /// A watchlist from CSV text; `source` names it (the file).
    pub fn from_csv(alias: &str, source: &str, text: &str) -> Result<Watchlist, CsvError> {
        let mut rows = parse_csv(text)?.into_iter();
        let Some((header_line, columns)) = rows.next() else {
            return Err(CsvError { line: 1, message: "the file is empty: a watchlist needs a header row".into() });
        };
        for (i, c) in columns.iter().enumerate() {
            if c.trim().is_empty() {
                return Err(CsvError {
                    line: header_line,
                    message: format!("column {} of the header has no name", i + 1),
                });
            }
            if columns.iter().take(i).any(|p| p.eq_ignore_ascii_case(c)) {
                return Err(CsvError { line: header_line, message: format!("the header repeats the column '{c}'") });
            }
        }
        let mut watchlist = Watchlist {
            alias: alias.to_owned(),
            source: source.to_owned(),
            columns,
            items: Vec::new(),
            description: String::new(),
        };
        for (line, fields) in rows {
            if fields.len() != watchlist.columns.len() {
                return Err(CsvError {
                    line,
                    message: format!(
                        "this row has {} field(s), the header has {} ({})",
                        fields.len(),
                        watchlist.columns.len(),
                        watchlist.columns.join(", ")
                    ),
                });
            }
            let values = watchlist.columns.iter().cloned().zip(fields.into_iter().map(Value::String)).collect();
            watchlist.push(values);
        }
        Ok(watchlist)
    }

    /// The search key: the first column.
    pub fn search_key(&self) -> &str {
        self.columns.first().map_or("", String::as_str)
    }

    /// Appends an item with a deterministic id (a version 5 UUID of the alias, the position and
    /// the values); returns its index.
    pub fn push(&mut self, values: Map<String, Value>) -> usize {
        let seed = format!("{}\n{}\n{}", self.alias.to_lowercase(), self.items.len(), Value::Object(values.clone()));
        let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, seed.as_bytes()).to_string();
        self.items.push(Item { id, values });
        self.items.len() - 1
    }
}

/// Parses CSV into rows, each with the line it starts on; blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while chars.peek().is_some() {
        let start = line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        loop {
            match chars.next() {
                None => {
                    fields.push(std::mem::take(&mut field));
                    break;
                }
                Some('"') if field.is_empty() && !quoted => {
                    quoted = true;
                    loop {
                        match chars.next() {
                            None => {
                                return Err(CsvError { line: start, message: "a quoted field is not closed".into() })
                            }
                            Some('"') if chars.peek() == Some(&'"') => {
                                chars.next();
                                field.push('"');
                            }
                            Some('"') => break,
                            Some(c) => {
                                if c == '\n' {
                                    line += 1;
                                }
                                field.push(c);
                            }
                        }
                    }
                    if !matches!(chars.peek(), None | Some(',' | '\r' | '\n')) {
                        return Err(CsvError { line, message: "text follows a closing quote".into() });
                    }
                }
                Some(',') => {
                    fields.push(std::mem::take(&mut field));
                    quoted = false;
                }
                Some('\r') if chars.peek() == Some(&'\n') => {}
                Some('\n') => {
                    fields.push(std::mem::take(&mut field));
                    line += 1;
                    break;
                }
                Some('"') => return Err(CsvError { line, message: "a quote inside an unquoted field".into() }),
                Some(c) => field.push(c),
            }
        }
        let blank = fields.len() == 1 && fields.first().is_some_and(String::is_empty) && !quoted;
        if !blank {
            rows.push((start, fields));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_quotes_line_breaks_and_locates_bad_rows() {
        let text =
            "\u{feff}Ip,Note\r\n10.0.0.1,\"gateway, main\"\n\n10.0.0.2,\"two\nlines\"\n10.0.0.3,\"say \"\"hi\"\"\"\n";
        let w = Watchlist::from_csv("Ips", "ips.csv", text).unwrap();
        assert_eq!(w.columns, ["Ip", "Note"]);
        let notes: Vec<&str> = w.items.iter().map(|i| i.values["Note"].as_str().unwrap()).collect();
        assert_eq!(notes, ["gateway, main", "two\nlines", "say \"hi\""]);
        assert_eq!(w.search_key(), "Ip");
        let err = Watchlist::from_csv("Ips", "ips.csv", "Ip,Note\n1,a\n2,b,c\n").unwrap_err();
        assert_eq!(err, CsvError { line: 3, message: "this row has 3 field(s), the header has 2 (Ip, Note)".into() });
        assert_eq!(Watchlist::from_csv("x", "x", "a\n\"b\n").unwrap_err().line, 2);
        assert_eq!(Watchlist::from_csv("x", "x", "a,A\n").unwrap_err().message, "the header repeats the column 'A'");
        assert_eq!(Watchlist::from_csv("x", "x", "").unwrap_err().line, 1);
    }
}
