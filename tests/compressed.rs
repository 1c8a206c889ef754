#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Compressed batches (issue 13): `.gz` and `.zst` inputs are read as the plain text they hold
//! (by their first bytes, so standard input and misnamed files work too), outputs named `.gz` or
//! `.zst` are compressed, `--in-place` writes an input back compressed as it was read, and a
//! compressed file is never reported as text that is not UTF-8 without saying what it is.

use crate::common;

use std::io::{Read, Write};
use std::path::Path;

use common::{root, run, soar, NOW};
use sentinel_soar::batch::{self, Done, Problem, Sink, Step};
use sentinel_soar::io::{expand_inputs, InputFile};
use serde_json::{json, Value};

fn tag_rule() -> String {
    root().join("tests/fixtures/rules/tag-seen.yaml").display().to_string()
}

/// A JSON Lines batch of `n` incidents, every 50th with a wrong type.
fn batch(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let severity: Value = if i % 50 == 7 { json!(5) } else { json!(["Low", "Medium", "High"][i % 3]) };
        let record =
            json!({"name": format!("i{i}"), "properties": {"title": format!("Incident {i}"), "severity": severity}});
        serde_json::to_writer(&mut out, &record).unwrap();
        out.push(b'\n');
    }
    out
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zstd(bytes: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(bytes, 3).unwrap()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).unwrap();
    out
}

fn unzstd(bytes: &[u8]) -> Vec<u8> {
    zstd::stream::decode_all(bytes).unwrap()
}

/// `apply` with the tag rule in `dir`; returns (exit code, stdout, stderr).
fn apply(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run(soar().current_dir(dir).args(["apply", "--rules", &tag_rule(), "--now", NOW, "--jobs", "2"]).args(args))
}

/// Runs the batch as `name` (written as `bytes`) with outputs `out`, `audit` and `rejects`
/// (plain names); returns the three outputs and standard error with the name made `batch`.
fn outputs_of(name: &str, bytes: &[u8]) -> (Vec<u8>, Vec<u8>, Vec<u8>, String) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join(name), bytes).unwrap();
    let args = ["--incidents", name, "--out", "out.jsonl", "--audit", "audit.jsonl", "--rejects", "rejects.jsonl"];
    let (code, _, stderr) = apply(tmp.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    let read = |f: &str| std::fs::read(tmp.path().join(f)).unwrap();
    (read("out.jsonl"), read("audit.jsonl"), read("rejects.jsonl"), stderr.replace(name, "batch"))
}

#[test]
fn a_gzip_batch_gives_the_records_of_the_plain_one_byte_for_byte() {
    let plain = batch(700);
    let want = outputs_of("batch.jsonl", &plain);
    assert_eq!(want.3.lines().filter(|l| l.starts_with("error: batch:")).count(), 14);
    assert_eq!(outputs_of("batch.jsonl.gz", &gzip(&plain)), want);
}

#[test]
fn a_zstd_batch_gives_the_records_of_the_plain_one_byte_for_byte() {
    let plain = batch(700);
    assert_eq!(outputs_of("batch.jsonl.zst", &zstd(&plain)), outputs_of("batch.jsonl", &plain));
}

#[test]
fn standard_input_and_misnamed_files_are_known_by_their_first_bytes() {
    let plain = batch(120);
    let want = outputs_of("batch.jsonl", &plain);
    // A `.json` name holding gzip bytes, and zstd bytes behind a `.gz` name.
    assert_eq!(outputs_of("batch.json", &gzip(&plain)), want);
    assert_eq!(outputs_of("batch.gz", &zstd(&plain)), want);
    let tmp = tempfile::tempdir().unwrap();
    let (_, stdout, stderr) = run(soar().current_dir(tmp.path()).write_stdin(gzip(&plain)).args([
        "apply",
        "--rules",
        &tag_rule(),
        "--now",
        NOW,
        "--incidents",
        "-",
        "--audit",
        "/dev/null",
    ]));
    assert_eq!((stdout.into_bytes(), stderr.replace("<stdin>", "batch")), (want.0, want.3));
}

#[test]
fn outputs_named_gz_or_zst_are_compressed() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("batch.jsonl"), batch(300)).unwrap();
    let args = ["--incidents", "batch.jsonl", "--out", "plain.jsonl", "--audit", "a.jsonl", "--rejects", "r.jsonl"];
    apply(tmp.path(), &args);
    let args =
        ["--incidents", "batch.jsonl", "--out", "x.jsonl.gz", "--audit", "a.jsonl.zst", "--rejects", "r.jsonl.gz"];
    let (code, _, stderr) = apply(tmp.path(), &args);
    assert_eq!(code, 1, "{stderr}");
    let read = |f: &str| std::fs::read(tmp.path().join(f)).unwrap();
    assert!(read("x.jsonl.gz").starts_with(&[0x1F, 0x8B]));
    assert!(read("a.jsonl.zst").starts_with(&[0x28, 0xB5, 0x2F, 0xFD]));
    assert_eq!(gunzip(&read("x.jsonl.gz")), read("plain.jsonl"));
    assert_eq!(unzstd(&read("a.jsonl.zst")), read("a.jsonl"));
    assert_eq!(gunzip(&read("r.jsonl.gz")), read("r.jsonl"));
    // A directory output keeps each input's name, so a compressed input's stays compressed.
    std::fs::write(tmp.path().join("in.jsonl.zst"), zstd(&batch(20))).unwrap();
    std::fs::write(tmp.path().join("in.jsonl"), batch(20)).unwrap();
    apply(tmp.path(), &["--incidents", "in.jsonl.zst", "in.jsonl", "--out", "dir/"]);
    assert!(read("dir/in.jsonl.zst").starts_with(&[0x28, 0xB5, 0x2F, 0xFD]));
    assert_eq!(unzstd(&read("dir/in.jsonl.zst")), read("dir/in.jsonl"));
}

#[test]
fn in_place_writes_each_input_back_compressed_as_it_was_read() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = batch(200);
    let doc = serde_json::to_vec_pretty(&json!({"value": [
        {"name": "a", "properties": {"title": "A", "severity": "Low"}},
        {"name": "b", "properties": {"title": "B", "labels": [{"labelName": 42}]}}
    ]}))
    .unwrap();
    std::fs::write(tmp.path().join("plain.jsonl"), &plain).unwrap();
    std::fs::write(tmp.path().join("plain.json"), &doc).unwrap();
    apply(tmp.path(), &["--incidents", "plain.jsonl", "plain.json", "--in-place"]);
    std::fs::write(tmp.path().join("a.jsonl.gz"), gzip(&plain)).unwrap();
    std::fs::write(tmp.path().join("b.json.zst"), zstd(&doc)).unwrap();
    std::fs::write(tmp.path().join("c.json"), gzip(&doc)).unwrap();
    let (code, _, stderr) = apply(tmp.path(), &["--incidents", "a.jsonl.gz", "b.json.zst", "c.json", "--in-place"]);
    assert_eq!(code, 1, "{stderr}");
    let read = |f: &str| std::fs::read(tmp.path().join(f)).unwrap();
    assert_eq!(gunzip(&read("a.jsonl.gz")), read("plain.jsonl"));
    assert_eq!(unzstd(&read("b.json.zst")), read("plain.json"));
    assert!(read("c.json").starts_with(&[0x1F, 0x8B]), "a gzip file named .json is written back as gzip");
    assert_eq!(gunzip(&read("c.json")), read("plain.json"));
}

#[test]
fn errors_count_lines_of_the_decompressed_text() {
    let tmp = tempfile::tempdir().unwrap();
    let text = "{\"name\":\"a\",\"properties\":{\"title\":\"A\",\"severity\":\"Low\"}}\n\n{\"name\": tru}\n";
    std::fs::write(tmp.path().join("x.jsonl.gz"), gzip(text.as_bytes())).unwrap();
    let (code, stdout, stderr) = apply(tmp.path(), &["--incidents", "x.jsonl.gz"]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 1);
    assert_eq!(
        stderr,
        "error: x.jsonl.gz:3:13: invalid JSON: expected ident\n\
         1 incident(s) processed, 1 changed, 1 change(s), 1 record(s) could not be processed\n"
    );
}

#[test]
fn a_truncated_gzip_keeps_the_records_before_the_cut_and_says_gzip() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = gzip(&batch(2000));
    std::fs::write(tmp.path().join("cut.jsonl.gz"), &whole[..whole.len() / 2]).unwrap();
    let (code, stdout, stderr) = apply(tmp.path(), &["--incidents", "cut.jsonl.gz"]);
    assert_eq!(code, 1);
    assert!(stdout.lines().count() > 100, "the records before the cut are written");
    let broken: Vec<&str> = stderr.lines().filter(|l| l.contains("invalid gzip data")).collect();
    assert_eq!(broken.len(), 1, "{stderr}");
    assert!(broken[0].starts_with("error: cut.jsonl.gz:"), "{}", broken[0]);
    assert!(broken[0].ends_with("read error: invalid gzip data: truncated"), "{}", broken[0]);
}

#[test]
fn concatenated_gzip_members_are_read_one_after_the_other() {
    let tmp = tempfile::tempdir().unwrap();
    let all = batch(60);
    let cut = all.iter().take(30 * 80).position(|b| *b == b'\n').unwrap() + 1;
    std::fs::write(tmp.path().join("cat.jsonl.gz"), [gzip(&all[..cut]), gzip(&all[cut..])].concat()).unwrap();
    std::fs::write(tmp.path().join("plain.jsonl"), &all).unwrap();
    let (_, cat, _) = apply(tmp.path(), &["--incidents", "cat.jsonl.gz"]);
    let (_, plain, _) = apply(tmp.path(), &["--incidents", "plain.jsonl"]);
    assert_eq!(cat, plain);
}

#[test]
fn formats_that_are_not_read_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 3] = [
        ("x.jsonl.bz2", b"BZh91AY&SY\x00\x01", "bzip2-compressed data"),
        ("x.json.xz", b"\xFD7zXZ\x00\x00\x04", "xz-compressed data"),
        ("x.json", b"PK\x03\x04\x14\x00", "a zip archive"),
    ];
    for (name, bytes, what) in cases {
        std::fs::write(tmp.path().join(name), bytes).unwrap();
        let (code, stdout, stderr) = apply(tmp.path(), &["--incidents", name]);
        assert_eq!(
            (code, stdout.as_str(), stderr),
            (
                2,
                "",
                format!(
                    "error: {name}: the file is {what}, not JSON; only gzip (.gz) and zstd (.zst) are decompressed: decompress it first\n"
                )
            )
        );
    }
    std::fs::write(tmp.path().join("twice.jsonl.gz"), gzip(&gzip(&batch(5)))).unwrap();
    let (code, _, stderr) = apply(tmp.path(), &["--incidents", "twice.jsonl.gz"]);
    assert_eq!(
        (code, stderr.as_str()),
        (
            2,
            "error: twice.jsonl.gz: the gzip data holds gzip-compressed data, not JSON (compressed twice?): decompress it first\n"
        )
    );
}

#[test]
fn a_gzip_rule_file_is_named_as_gzip_not_as_text_that_is_not_utf8() {
    let tmp = tempfile::tempdir().unwrap();
    let rule = std::fs::read(tag_rule()).unwrap();
    std::fs::write(tmp.path().join("rules.yaml"), gzip(&rule)).unwrap();
    std::fs::write(tmp.path().join("in.jsonl"), batch(1)).unwrap();
    let (code, _, stderr) = run(soar().current_dir(tmp.path()).args([
        "apply",
        "--rules",
        "rules.yaml",
        "--incidents",
        "in.jsonl",
        "--now",
        NOW,
    ]));
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error[SR035]: the file is not UTF-8 text: it is gzip-compressed data (byte 0x8B)\n"),
        "{stderr}"
    );
    assert!(stderr.contains("= help: decompress it first"), "{stderr}");
}

#[test]
fn directories_yield_compressed_incident_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("a.jsonl.gz"), gzip(&batch(3))).unwrap();
    std::fs::write(dir.join("b.NDJSON.ZST"), zstd(&batch(2))).unwrap();
    std::fs::write(dir.join("c.gz"), gzip(&batch(2))).unwrap();
    let names: Vec<String> = expand_inputs(&[dir.display().to_string()])
        .unwrap()
        .iter()
        .map(|i: &InputFile| i.rel.display().to_string())
        .collect();
    assert_eq!(names, ["a.jsonl.gz", "b.NDJSON.ZST"]);
}

/// Counts what the batch tells its sink.
#[derive(Default)]
struct Counter {
    records: usize,
    bytes: u64,
}

impl Sink<()> for Counter {
    type Error = batch::Error;
    fn write(&mut self, (): ()) -> Result<(), batch::Error> {
        Ok(())
    }
    fn problem(&mut self, problem: &Problem<'_>) {
        panic!("{problem}");
    }
    fn read(&mut self, records: usize, bytes: u64) {
        self.records += records;
        self.bytes += bytes;
    }
}

struct Nothing;

impl Step for Nothing {
    type Item = ();
    fn run(&self, _: Value, _: &InputFile) -> Result<Done<()>, String> {
        Ok(Done { record: None, item: () })
    }
}

#[test]
fn progress_counts_the_compressed_bytes_read() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = batch(3000);
    let packed = gzip(&plain);
    std::fs::write(tmp.path().join("b.jsonl.gz"), &packed).unwrap();
    std::fs::write(tmp.path().join("b.jsonl"), &plain).unwrap();
    for (name, size) in [("b.jsonl.gz", packed.len()), ("b.jsonl", plain.len())] {
        let inputs = expand_inputs(&[tmp.path().join(name).display().to_string()]).unwrap();
        let config = batch::Config { inputs: &inputs, jobs: 2, window_per_job: 16, out: None, rejects: None };
        let mut sink = Counter::default();
        batch::run(&config, &Nothing, &mut sink).unwrap();
        assert_eq!((sink.records, sink.bytes), (3000, size as u64), "{name}");
    }
}
