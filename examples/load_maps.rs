//! `core::load` alone, outside any JS runtime: time, peak memory, the size of the result, and
//! where the time went (the first batch, the builder's work, the scan waiting for the builder).
//! Usage: cargo run --release --example load_maps -- <tablePath> [batchSize]

use lance_hashmaps::core::{load, Control, LoadOptions};
use std::time::Instant;

#[path = "common/status.rs"]
mod status;
use status::{status_mb, threads_cpu_ms};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: load_maps <tablePath> [batchSize]");
        std::process::exit(2);
    };
    let mut opts = LoadOptions::default();
    if let Some(b) = args.next().and_then(|b| b.parse().ok()) {
        opts.batch_size = b;
    }
    let cpu0 = threads_cpu_ms();
    let t0 = Instant::now();
    let loaded = match load(&path, &opts, &Control::default()).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    // The runtime's threads (the builder's blocking thread too) are still alive here.
    let cpu_ms = threads_cpu_ms() - cpu0;
    let d = &loaded.data;
    println!(
        r#"{{"method":"loadMaps","ms":{ms:.3},"cpuMs":{cpu_ms:.1},"peakMB":{:.1},"rssMB":{:.1},"rows":{},"heapBytes":{},"idTextBytes":{},"bytesPerRowBeyondIdText":{:.1},"firstBatchMs":{:.1},"buildingMs":{:.1},"scanWaitingMs":{:.1}}}"#,
        status_mb("VmHWM:"),
        status_mb("VmRSS:"),
        d.row_count(),
        d.heap_bytes(),
        d.id_text_bytes(),
        (d.heap_bytes() - d.id_text_bytes()) as f64 / d.row_count().max(1) as f64,
        loaded.timings.first_batch.as_secs_f64() * 1000.0,
        loaded.timings.building.as_secs_f64() * 1000.0,
        loaded.timings.scan_waiting.as_secs_f64() * 1000.0,
    );
}
