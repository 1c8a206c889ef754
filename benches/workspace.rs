#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Benchmark: validating a whole content repository, `../shared/corpus` next to the crate (real
//! Azure-Sentinel solutions, detections, hunting queries, parsers, workbooks, playbook templates
//! and automation rules): every file read, classified and decoded by its kind, analytic rules and
//! cross-references checked, the automation rules compiled, as `validate` does. Throughput is in
//! files. Skipped with a message when the corpus is absent.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sentinel_soar::rules;
use sentinel_soar::workspace::{self, Expect, Options};

fn validate(path: &str) -> usize {
    let options = Options { expect: Expect::Repository, ..Options::default() };
    let ws = workspace::load(&[path.to_owned()], &options).unwrap();
    let (set, _) = rules::compile(&ws.rule_files, &rules::Options::default());
    std::hint::black_box(set);
    ws.files.len()
}

fn corpus(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");
    if !Path::new(path).is_dir() {
        eprintln!("skipped: no corpus at {path}");
        return;
    }
    let files = validate(path);
    let mut group = c.benchmark_group("workspace");
    group.throughput(Throughput::Elements(files as u64));
    group.bench_function(format!("validate the corpus ({files} files)"), |b| b.iter(|| validate(path)));
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
