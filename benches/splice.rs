#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Benchmark: the steps of the splice path of `apply` (issue 15) over the 200 sample incidents,
//! one record at a time as a worker takes them, against the tree path's same steps. Throughput
//! is in input bytes.
//!
//! - `scan/tape`: [`Tape::read`], the one checking pass that notes where every value stands;
//!   `scan/tape+fields` adds [`RawIncident::read`] (the fields the engine reads, found and
//!   type-checked); `scan/serde_json tree` is what the tree path does instead (parse into a
//!   `Value` and [`Incident::from_value`]).
//! - `splice/write`: writing the records the 50 rules changed, by splicing the new values into
//!   their bytes; `splice/serde_json write` encodes the same incidents from the tree.
//! - `record/*`: a whole record through each path, 50 rules included: read, evaluate, write.

mod pack;

// The allocator of the binary (src/main.rs): the record groups allocate as apply does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sentinel_soar::engine::{self, Event, Options};
use sentinel_soar::io::tape::Tape;
use sentinel_soar::model::{Incident, RawIncident};

fn records() -> Vec<&'static str> {
    pack::INCIDENTS.lines().collect()
}

fn bytes(records: &[&str]) -> u64 {
    records.iter().map(|r| r.len() as u64).sum()
}

fn scan(c: &mut Criterion) {
    let records = records();
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(bytes(&records)));
    group.bench_function("tape", |b| {
        b.iter(|| {
            for text in &records {
                std::hint::black_box(Tape::read(text).unwrap());
            }
        })
    });
    group.bench_function("tape+fields", |b| {
        b.iter(|| {
            for text in &records {
                let tape = Tape::read(text).unwrap();
                std::hint::black_box(RawIncident::read(tape.root()).unwrap());
            }
        })
    });
    group.bench_function("serde_json tree", |b| {
        b.iter(|| {
            for text in &records {
                std::hint::black_box(Incident::from_value(serde_json::from_str(text).unwrap()).unwrap());
            }
        })
    });
    group.finish();
}

fn splice(c: &mut Criterion) {
    let records = records();
    let set = pack::compile(pack::RULES);
    let tapes: Vec<Tape<'_>> = records.iter().map(|text| Tape::read(text).unwrap()).collect();
    let spliced: Vec<RawIncident<'_>> = tapes
        .iter()
        .map(|tape| {
            let raw = RawIncident::read(tape.root()).unwrap();
            engine::process_target(&set, raw, &Event::Created, pack::clock()).incident
        })
        .collect();
    let trees: Vec<serde_json::Value> = pack::incidents()
        .into_iter()
        .map(|i| engine::process(&set, i, &Event::Created, pack::clock(), Options::default()).incident.into_value())
        .collect();
    let mut out = Vec::with_capacity(2 * bytes(&records) as usize);
    let mut group = c.benchmark_group("splice");
    group.throughput(Throughput::Bytes(bytes(&records)));
    group.bench_function("write", |b| {
        b.iter(|| {
            out.clear();
            for incident in &spliced {
                incident.write(&mut out);
            }
            std::hint::black_box(&out);
        })
    });
    group.bench_function("serde_json write", |b| {
        b.iter(|| {
            out.clear();
            for value in &trees {
                serde_json::to_writer(&mut out, value).unwrap();
            }
            std::hint::black_box(&out);
        })
    });
    group.finish();
}

fn record(c: &mut Criterion) {
    let records = records();
    let set = pack::compile(pack::RULES);
    let mut out = Vec::with_capacity(2 * bytes(&records) as usize);
    let mut group = c.benchmark_group("record");
    group.throughput(Throughput::Bytes(bytes(&records)));
    group.bench_function("splice path, 50 rules", |b| {
        b.iter(|| {
            out.clear();
            for text in &records {
                let tape = Tape::read(text).unwrap();
                let raw = RawIncident::read(tape.root()).unwrap();
                engine::process_target(&set, raw, &Event::Created, pack::clock()).incident.write(&mut out);
            }
            std::hint::black_box(&out);
        })
    });
    group.bench_function("tree path, 50 rules", |b| {
        b.iter(|| {
            out.clear();
            for text in &records {
                let incident = Incident::from_value(serde_json::from_str(text).unwrap()).unwrap();
                let outcome = engine::process(&set, incident, &Event::Created, pack::clock(), Options::default());
                serde_json::to_writer(&mut out, &outcome.incident.into_value()).unwrap();
            }
            std::hint::black_box(&out);
        })
    });
    group.finish();
}

criterion_group!(benches, scan, splice, record);
criterion_main!(benches);
