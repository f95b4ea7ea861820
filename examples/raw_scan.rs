//! The lower bound for `buildHashMaps`: the very same scan of the two columns, touching every
//! byte, but building no maps. Prints one JSON line like `bench/method.ts`.
//! Usage: cargo run --release --example raw_scan -- <tablePath>

use lance_hashmaps::core::table::scan::scan;
use lance_hashmaps::core::{Control, LoadOptions};
use std::time::Instant;

#[path = "common/status.rs"]
mod status;

#[tokio::main]
async fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: raw_scan <tablePath>");
        std::process::exit(2);
    };
    let cpu0 = status::threads_cpu_ms();
    let t0 = Instant::now();
    let (mut rows, mut bytes) = (0u64, 0usize);
    let result = scan(
        &path,
        &LoadOptions::default(),
        &Control::default(),
        |_, ids, hashes| {
            for i in 0..ids.len() {
                bytes += ids.get_non_null(i).len() + hashes.get(i).map_or(0, str::len);
            }
            rows += ids.len() as u64;
            std::future::ready(Ok(()))
        },
    )
    .await;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    // The runtime's threads live to the end of main, so none of the scan's CPU time is lost.
    let cpu_ms = status::threads_cpu_ms() - cpu0;
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
    println!(
        r#"{{"method":"rawScan","ms":{ms:.3},"cpuMs":{cpu_ms:.1},"peakMB":{:.1},"heldMB":0,"rows":{rows},"bytes":{bytes}}}"#,
        status::status_mb("VmHWM:")
    );
}
