//! The builder alone, on batches already in memory: scans the table once, keeps its batches, then
//! builds the maps from them `rounds` times (a fresh builder each time, sized as a load sizes it).
//! Prints ns per row for each round. Usage: build_only <tablePath> [rounds]

use lance_hashmaps::core::table::columns::StrColumn;
use lance_hashmaps::core::table::scan::scan;
use lance_hashmaps::core::{Control, LoadOptions, MapsBuilder};
use std::time::Instant;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: build_only <tablePath> [rounds]");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(7);
    let mut batches: Vec<(StrColumn, StrColumn)> = Vec::new();
    let mut total = 0;
    scan(
        &path,
        &LoadOptions::default(),
        &Control::default(),
        |t, ids, hashes| {
            total = t;
            batches.push((ids, hashes));
            std::future::ready(Ok(()))
        },
    )
    .await
    .expect("scan");
    let mut out = Vec::new();
    for _ in 0..rounds {
        let t0 = Instant::now();
        let mut b = MapsBuilder::for_rows(total).expect("builder");
        for (ids, hashes) in &batches {
            b.push_batch(ids, hashes).expect("push");
        }
        let data = b.finish();
        let ns = t0.elapsed().as_nanos() as f64 / data.row_count() as f64;
        out.push(format!("{ns:.1}"));
    }
    println!("{}", out.join(" "));
}
