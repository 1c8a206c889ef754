#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
//! Benchmark: the I/O path of `apply` without rules, over a JSON Lines buffer (the 200 sample
//! incidents five times, about 3.9 MB): splitting it into records (scan), then parsing each,
//! then encoding each back as the output writer does. Throughput is in input bytes.

mod pack;

use std::io::Cursor;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sentinel_soar::io::{open_reader, Opened, Record, RecordWriter, Shape, Style};

/// Records per read, as `apply --jobs 1` reads them.
const WINDOW: usize = 256;

/// Streams `buffer` and hands every batch of records to `each`.
fn stream(buffer: &[u8], mut each: impl FnMut(&[Record])) {
    let Ok(Opened::Stream(mut records)) = open_reader(Box::new(Cursor::new(buffer.to_vec())), "bench.jsonl") else {
        panic!("not a stream")
    };
    loop {
        let batch = records.next_batch(WINDOW).unwrap();
        if batch.is_empty() {
            break;
        }
        each(&batch);
    }
}

fn io_path(c: &mut Criterion) {
    let buffer = pack::INCIDENTS.repeat(5).into_bytes();
    let mut group = c.benchmark_group("io_path");
    group.throughput(Throughput::Bytes(buffer.len() as u64));
    group.bench_function("scan", |b| {
        b.iter(|| {
            stream(&buffer, |batch| {
                std::hint::black_box(batch);
            })
        })
    });
    group.bench_function("scan+parse", |b| {
        b.iter(|| {
            stream(&buffer, |batch| {
                for record in batch {
                    std::hint::black_box(record.parse().unwrap());
                }
            })
        })
    });
    group.bench_function("scan+parse+encode", |b| {
        b.iter(|| {
            let mut writer = RecordWriter::new(std::io::sink(), Shape::Lines, Style::default());
            stream(&buffer, |batch| {
                for record in batch {
                    writer.write_value(&record.parse().unwrap()).unwrap();
                }
            });
            writer.finish().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, io_path);
criterion_main!(benches);
