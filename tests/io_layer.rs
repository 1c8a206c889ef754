//! Integration tests of the io layer: shape detection, streaming, malformed and truncated
//! input, round trips, input expansion, atomic output, and the sample corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::io::{BufReader, Cursor, Read, Write};
use std::path::{Path, PathBuf};

use sentinel_soar::io::{
    expand_inputs, open, open_reader, write_document, AtomicFile, Document, Opened, Record, RecordStream, RecordWriter,
    Shape, Source, Style,
};
use serde_json::{json, Value};

const INC: &str = r#"{"name":"a","properties":{"title":"T","severity":"High","status":"New"}}"#;

fn opened(bytes: impl Into<Vec<u8>>) -> Opened {
    open_reader(Box::new(Cursor::new(bytes.into())), "t.json").unwrap()
}

fn stream(bytes: impl Into<Vec<u8>>) -> RecordStream {
    match opened(bytes) {
        Opened::Stream(s) => s,
        Opened::Document(d) => panic!("expected a stream, got a document: {:?}", d.root),
    }
}

fn doc(bytes: impl Into<Vec<u8>>) -> Document {
    match opened(bytes) {
        Opened::Document(d) => d,
        Opened::Stream(s) => panic!("expected a document, got a {:?} stream", s.shape()),
    }
}

fn records(s: &mut RecordStream) -> Vec<Record> {
    let mut out = Vec::new();
    while let Some(r) = s.next_record().unwrap() {
        out.push(r);
    }
    out
}

fn positions(records: &[Record]) -> Vec<(usize, usize)> {
    records.iter().map(|r| (r.index, r.line)).collect()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

#[test]
fn single_object_is_a_document_with_the_root_slot() {
    let d = doc(format!("  {INC}\n"));
    assert_eq!((d.slots, d.style), (vec![String::new()], Style { pretty: false }));
    assert_eq!(d.root["properties"]["severity"], "High");
    let d = doc(pretty(&serde_json::from_str(INC).unwrap()));
    assert!(d.style.pretty);
}

#[test]
fn compact_and_pretty_arrays_are_streams() {
    let mut s = stream(format!("[{INC},{INC}]\n"));
    assert_eq!((s.shape(), s.style()), (Shape::Array, Style { pretty: false }));
    assert_eq!(positions(&records(&mut s)), [(0, 1), (1, 1)]);
    let inc: Value = serde_json::from_str(INC).unwrap();
    let mut s = stream(pretty(&json!([inc, inc])));
    assert_eq!((s.shape(), s.style()), (Shape::Array, Style { pretty: true }));
    let all = records(&mut s);
    assert_eq!(positions(&all), [(0, 2), (1, 10)]);
    assert_eq!(all[1].parse().unwrap(), inc);
    assert_eq!(records(&mut stream("[ ]")).len(), 0);
}

#[test]
fn json_lines_and_concatenated_pretty_objects_are_line_streams() {
    let mut s = stream(format!("{INC}\n{INC}\n\n{INC}\n"));
    assert_eq!((s.shape(), s.style()), (Shape::Lines, Style { pretty: false }));
    assert_eq!(positions(&records(&mut s)), [(0, 1), (1, 2), (2, 4)]);
    let one = pretty(&serde_json::from_str(INC).unwrap());
    let mut s = stream(format!("{one}\n{one}"));
    assert_eq!((s.shape(), s.style()), (Shape::Lines, Style { pretty: false }));
    let all = records(&mut s);
    assert_eq!(positions(&all), [(0, 1), (1, 9)]);
    assert!(all.iter().all(|r| r.parse().is_ok()));
}

#[test]
fn rest_list_and_example_files_expose_their_incidents() {
    let task = r#"{"type":"Microsoft.SecurityInsights/incidents/tasks","properties":{"title":"x","status":"New"}}"#;
    let d = doc(format!(r#"{{"value":[{INC},{{"properties":{{"message":"hi"}}}},{task},{INC}],"nextLink":"n"}}"#));
    assert_eq!(d.slots, ["/value/0", "/value/3"]);
    let example = format!(
        r#"{{"parameters":{{"incident":{INC}}},"responses":{{"200":{{"body":{INC}}},"201":{{"body":{{"value":[{INC}]}}}},"204":{{}},"a/b":{{"body":{INC}}}}}}}"#
    );
    let d = doc(example);
    assert_eq!(d.slots, ["/responses/200/body", "/responses/201/body/value/0", "/responses/a~1b/body"]);
    assert!(d.slots.iter().all(|p| d.root.pointer(p).is_some()));
    let entities = r#"{"entities":[{"kind":"Host","properties":{"hostName":"h"}}],"metaData":[{"count":1}]}"#;
    assert_eq!(doc(entities).slots.len(), 0);
    assert_eq!(doc(format!(r#"{{"responses":{{"200":{{"body":{entities}}}}}}}"#)).slots.len(), 0);
}

#[test]
fn empty_input_is_an_empty_line_stream() {
    for input in ["", " \r\n\n", "\u{feff}"] {
        let mut s = stream(input);
        assert_eq!((s.shape(), s.style()), (Shape::Lines, Style { pretty: false }));
        assert!(s.next_record().unwrap().is_none());
        assert!(s.next_batch(10).unwrap().is_empty());
    }
}

#[test]
fn malformed_json_lines_records_are_reported_and_neighbours_parse() {
    let mut input = b"{\"a\":1}\n{\"a\": tru}\n\xff\xfe\n  {\"s\":\"\xff\"}\n{\"a\":3}\n".to_vec();
    input.extend_from_slice(b"{\"a\":4} 5");
    let all = records(&mut stream(input));
    // JSON Lines proper (the first record is on one line): one record per physical line.
    assert_eq!(positions(&all), [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)]);
    let errors: Vec<_> = all.iter().map(|r| r.parse().err()).collect();
    let errors: Vec<Option<&str>> = errors.iter().map(Option::as_deref).collect();
    assert_eq!(
        errors,
        [
            None,
            Some("expected ident at line 2 column 10"),
            Some("invalid UTF-8 (byte 0xFF) at line 3 column 1"),
            Some("invalid UTF-8 (byte 0xFF) at line 4 column 9"),
            None,
            Some("trailing characters at line 6 column 9"),
        ]
    );
    assert_eq!(&*all[1].raw, b"{\"a\": tru}");
    assert_eq!(all[4].parse().unwrap(), json!({"a": 3}));
    assert_eq!(&*all[5].raw, b"{\"a\":4} 5");
}

#[test]
fn malformed_array_element_is_reported_with_index_and_line() {
    let all = records(&mut stream("[\n  {\"a\":1},\n  {\"a\":\n     tru},\n  {\"a\":3}\n]\n"));
    assert_eq!(positions(&all), [(0, 2), (1, 3), (2, 5)]);
    assert_eq!(all[1].parse(), Err("expected ident at line 4 column 9".to_owned()));
    assert_eq!(all[2].parse(), Ok(json!({"a": 3})));
}

#[test]
fn structural_failures_end_the_stream_with_line_and_column() {
    let mut s = stream("[\n  {\"a\":1},\n  {\"a\":");
    assert!(s.next_record().unwrap().unwrap().parse().is_ok());
    let err = s.next_record().err().unwrap();
    assert_eq!(err.message, "t.json:3:8: unexpected end of input inside the value starting at line 3, column 3");
    assert!(s.next_record().unwrap().is_none());
    let mut s = stream("[{\"a\":1}\n");
    assert_eq!(s.next_batch(10).unwrap().len(), 1);
    let err = s.next_batch(10).err().unwrap();
    assert_eq!(
        err.to_string(),
        "t.json:2:1: unexpected end of input: the array opened at line 1, column 1 is not closed"
    );
    // Concatenated pretty documents are split by brackets, so unbalanced ones are structural.
    let mut s = stream("{\n\"a\":1}\n{\"b\":[1}\n");
    assert_eq!(s.next_batch(5).unwrap().len(), 1);
    let err = s.next_batch(5).err().unwrap();
    assert!(err.message.starts_with("t.json:3:8: unbalanced brackets: unexpected `}`"), "{err}");
    // In JSON Lines proper, an unbalanced line is one bad record and the next line still reads.
    let all = records(&mut stream("{\"a\":1}\n{\"b\":[1}\n{\"c\":2}\n"));
    assert_eq!(positions(&all), [(0, 1), (1, 2), (2, 3)]);
    assert!(all[1].parse().is_err() && all[2].parse().is_ok());
    let mut s = stream("[1, 2} ");
    assert_eq!(s.next_batch(5).unwrap().len(), 2);
    let err = s.next_batch(5).err().unwrap();
    assert_eq!(err.message, "t.json:1:6: expected `,` or `]` after an array element, found `}`");
    let err = open_reader(Box::new(Cursor::new(b"{\"a\": 1".to_vec())), "x.json").err().unwrap();
    assert_eq!(err.message, "x.json:1:8: unexpected end of input inside the value starting at line 1, column 1");
}

#[test]
fn nesting_deeper_than_128_is_a_record_error() {
    let nest = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let input = format!("{INC}\n{{\"d\":{}}}\n{{\"d\":{}}}\n", nest(100_000), nest(126));
    let all = records(&mut stream(input));
    // One record per line: serde_json's own depth limit (127 levels) reports it, without recursing.
    assert_eq!(all[1].parse(), Err("recursion limit exceeded at line 2 column 132".to_owned()));
    assert!(all[0].parse().is_ok() && all[2].parse().is_ok());
    // Exactly 128 levels passes the scanner but hits serde_json's own limit (127 levels).
    let at_limit = records(&mut stream(format!("{{\"d\":{}}}\n{INC}", nest(127))));
    assert_eq!(at_limit[0].parse(), Err("recursion limit exceeded at line 1 column 132".to_owned()));
    assert_eq!(positions(&all), [(0, 1), (1, 2), (2, 3)]);
    let deep = format!("{{\"d\":{}}}", nest(300)).into_bytes();
    let err = open_reader(Box::new(Cursor::new(deep)), "deep.json").err().unwrap();
    assert_eq!(err.message, "deep.json:1:133: nesting deeper than 128 levels");
}

#[test]
fn bom_crlf_and_strings_holding_brackets_and_quotes() {
    let all = records(&mut stream(format!("\u{feff}{INC}\r\n\r\n{{\"s\":\"]}}[{{\\\"x\\\\\"}}\r\n")));
    assert_eq!(positions(&all), [(0, 1), (1, 3)]);
    assert_eq!(all[1].parse(), Ok(json!({"s": "]}[{\"x\\"})));
    let all = records(&mut stream("\u{feff}[\r\n  {\"a\":\"[,\"},\r\n  {\"b\":\"\\\"]\"}\r\n]\r\n"));
    assert_eq!(positions(&all), [(0, 2), (1, 3)]);
    assert_eq!(all[1].parse(), Ok(json!({"b": "\"]"})));
    assert_eq!(doc(format!("\u{feff}{INC}\r\n")).slots, [""]);
}

fn rewrite(input: &[u8]) -> Vec<u8> {
    let mut s = stream(input);
    let mut w = RecordWriter::new(Vec::new(), s.shape(), s.style());
    while let Some(r) = s.next_record().unwrap() {
        match &r.parse() {
            Ok(v) => w.write_value(v).unwrap(),
            Err(_) => w.write_raw(&r.raw).unwrap(),
        }
    }
    w.finish().unwrap()
}

#[test]
fn compact_json_lines_round_trip_byte_for_byte() {
    let input =
        "{\"zeta\":1,\"properties\":{\"title\":\"Té\",\"x\":{\"b\":[1,2.5,{\"c\":null}],\"a\":\"\"}},\"alpha\":true}\n\
                 {\"a\": tru}\n[]\n{\"b\":-3,\"a\":{}}\n";
    assert_eq!(String::from_utf8(rewrite(input.as_bytes())).unwrap(), input);
}

#[test]
fn pretty_array_round_trip_equals_to_string_pretty() {
    let array = json!([{"z": 1, "a": [1, {"y": [], "b": {}}]}, "s", [], {"properties": {"title": "T"}}]);
    let text = format!("{}\n", pretty(&array));
    assert_eq!(String::from_utf8(rewrite(text.as_bytes())).unwrap(), text);
    let compact = format!("{}\n", serde_json::to_string(&array).unwrap());
    assert_eq!(String::from_utf8(rewrite(compact.as_bytes())).unwrap(), compact);
}

#[test]
fn document_incidents_are_replaced_in_place() {
    let example = json!({"parameters": {"x": 1}, "responses": {"200": {"body": {"value": [
        {"name": "a", "zz": [], "properties": {"title": "T", "severity": "Low", "extra": 1}}]}}}});
    let mut d = doc(pretty(&example));
    assert_eq!(d.slots, ["/responses/200/body/value/0"]);
    let slot = d.root.pointer_mut(&d.slots[0]).unwrap();
    slot["properties"]["severity"] = json!("High");
    let mut out = Vec::new();
    write_document(&mut out, &d.root, d.style).unwrap();
    let mut expected = example.clone();
    expected["responses"]["200"]["body"]["value"][0]["properties"]["severity"] = json!("High");
    assert_eq!(String::from_utf8(out).unwrap(), format!("{}\n", pretty(&expected)));
}

/// An array of `total` incidents generated on the fly, never held in memory.
struct GeneratedArray {
    next: usize,
    total: usize,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for GeneratedArray {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.chunk.len() {
            if self.next > self.total {
                return Ok(0);
            }
            self.chunk.clear();
            self.at = 0;
            let end = (self.next + 1000).min(self.total);
            for i in self.next..end {
                let sep = if i == 0 { "[" } else { "," };
                write!(self.chunk, "{sep}\n{{\"i\":{i},\"properties\":{{\"title\":\"t\",\"status\":\"New\"}}}}")?;
            }
            if end == self.total {
                self.chunk.extend_from_slice(b"\n]\n");
                self.next = self.total + 1;
            } else {
                self.next = end;
            }
        }
        let n = out.len().min(self.chunk.len() - self.at);
        out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[test]
fn streams_a_200k_element_array_in_batches() {
    let reader = GeneratedArray { next: 0, total: 200_000, chunk: Vec::new(), at: 0 };
    let Opened::Stream(mut s) = open_reader(Box::new(BufReader::new(reader)), "gen").unwrap() else {
        panic!("expected a stream")
    };
    assert_eq!(s.shape(), Shape::Array);
    let mut count = 0;
    loop {
        let batch = s.next_batch(1024).unwrap();
        if batch.is_empty() {
            break;
        }
        assert!(batch.len() <= 1024);
        for r in batch {
            assert_eq!((r.index, r.line), (count, count + 2));
            assert_eq!(r.parse().unwrap()["i"], count);
            count += 1;
        }
    }
    assert_eq!(count, 200_000);
}

fn touch(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, "{}\n").unwrap();
}

#[test]
fn expand_inputs_walks_directories_globs_and_names_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("in");
    for f in ["b.json", "a.txt", "sub/c.jsonl", "sub/deeper/d.ndjson", "other/x.yaml"] {
        touch(&root.join(f));
    }
    let s = |p: PathBuf| p.display().to_string();
    let args = [s(root.join("sub/c.jsonl")), s(root.clone()), "-".to_owned()];
    let got: Vec<_> = expand_inputs(&args).unwrap().into_iter().map(|i| (i.display, i.rel, i.source)).collect();
    let file = |rel: &str, shown: &str| (s(root.join(rel)), PathBuf::from(shown), Source::File(root.join(rel)));
    assert_eq!(
        got,
        [
            file("sub/c.jsonl", "c.jsonl"),
            file("b.json", "b.json"),
            file("sub/deeper/d.ndjson", "sub/deeper/d.ndjson"),
            ("<stdin>".to_owned(), PathBuf::from("stdin.jsonl"), Source::Stdin)
        ]
    );
    let rels =
        |arg: &str| -> Vec<PathBuf> { expand_inputs(&[arg.to_owned()]).unwrap().into_iter().map(|i| i.rel).collect() };
    let error = |arg: &str| expand_inputs(&[arg.to_owned()]).unwrap_err().to_string();
    assert_eq!(rels(&s(root.join("*/*.json*"))), [PathBuf::from("c.jsonl")]);
    let (missing, empty, other) = (s(root.join("nope.json")), s(root.join("*.yaml")), s(root.join("other")));
    assert_eq!(error(&missing), format!("{missing}: no such file or directory"));
    assert_eq!(error(&empty), format!("no files match {empty}"));
    let no_files =
        format!("{other}: directory holds no incident files (.json, .jsonl, .ndjson, or those with .gz or .zst)");
    assert_eq!(error(&other), no_files);
}

#[test]
fn atomic_file_takes_a_record_writer_and_replaces_on_commit_only() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("out.json");
    std::fs::write(&path, "old\n").unwrap();
    let mut w = RecordWriter::new(AtomicFile::create(&path).unwrap(), Shape::Array, Style { pretty: false });
    w.write_value(&json!({"a": 1})).unwrap();
    drop(w.finish().unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
    let mut w = RecordWriter::new(AtomicFile::create(&path).unwrap(), Shape::Array, Style { pretty: false });
    w.write_value(&json!({"a": 1})).unwrap();
    w.finish().unwrap().commit().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "[{\"a\":1}]\n");
}

#[test]
fn corpus_files_are_detected_and_round_trip() {
    let dir = Path::new("/work/shared/corpus/incidents");
    if !dir.is_dir() {
        eprintln!("skipping: {} does not exist", dir.display());
        return;
    }
    let expected: &[(&str, &[&str])] = &[
        ("azure-powershell-recording-2021-09-01-preview-incident-unassigned-object.json", &[""]),
        ("restapi-2025-03-01-GetIncidentById.json", &["/responses/200/body"]),
        ("restapi-2025-03-01-GetIncidents.json", &["/responses/200/body/value/0"]),
        ("restapi-2025-09-01-CreateIncident.json", &["/responses/200/body", "/responses/201/body"]),
    ];
    let inputs = expand_inputs(&[dir.display().to_string()]).unwrap();
    let mut seen = Vec::new();
    for input in &inputs {
        let name = input.rel.display().to_string();
        let bytes = std::fs::read(dir.join(&input.rel)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut out = Vec::new();
        let slots = match open(input).unwrap() {
            Opened::Document(d) => {
                write_document(&mut out, &d.root, d.style).unwrap();
                d.slots
            }
            Opened::Stream(_) => panic!("{name}: corpus files are single documents"),
        };
        let original: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&out).unwrap(), original, "{name}");
        match expected.iter().find(|(n, _)| *n == name) {
            Some((_, want)) => {
                assert_eq!(slots, *want, "{name}");
                seen.push(name);
            }
            None if ["Entit", "Alert", "Comment", "Task"].iter().any(|k| name.contains(k)) => {
                assert_eq!(slots, Vec::<String>::new(), "{name}");
            }
            None => {}
        }
    }
    assert_eq!(seen.len(), expected.len(), "incident files found: {seen:?}");
}
