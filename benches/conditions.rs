#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Benchmark: rule evaluation (conditions and actions) through `engine::process`, 50 and 500
//! rules over the 200 sample incidents, per incident. Parsing and encoding are not included
//! (see `io_path`).

mod pack;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sentinel_soar::engine::{self, Event, Options};

fn evaluate(c: &mut Criterion) {
    let incidents = pack::incidents();
    let mut group = c.benchmark_group("evaluate");
    group.throughput(Throughput::Elements(incidents.len() as u64));
    for (label, text) in [("50 rules", pack::RULES.to_owned()), ("500 rules", pack::repeated(10))] {
        let set = pack::compile(&text);
        group.bench_function(label, |b| {
            b.iter_batched(
                || incidents.clone(),
                |batch| {
                    for incident in batch {
                        std::hint::black_box(engine::process(
                            &set,
                            incident,
                            &Event::Created,
                            pack::clock(),
                            Options::default(),
                        ));
                    }
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
