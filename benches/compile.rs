#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Benchmark: rule loading, from YAML text to the compiled rule set (parse, decode, resolve
//! names, build matchers, check limits), for the 50-rule pack and 500 rules.

mod pack;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile");
    for (rules, text) in [(50, pack::RULES.to_owned()), (500, pack::repeated(10))] {
        assert_eq!(pack::compile(&text).len(), rules);
        group.throughput(Throughput::Elements(rules as u64));
        group.bench_function(format!("{rules} rules"), |b| b.iter(|| pack::compile(std::hint::black_box(&text))));
    }
    group.finish();
}

criterion_group!(benches, compile);
criterion_main!(benches);
