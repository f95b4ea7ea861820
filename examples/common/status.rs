//! Memory figures of this process, for the example binaries' JSON lines.

/// CPU time (user and kernel) spent so far by the threads of this process that are still running,
/// in ms: the sum of `/proc/self/task/*/schedstat`'s first field (nanoseconds on the CPU).
pub fn threads_cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

/// A `/proc/self/status` field (`"VmHWM:"`, `"VmRSS:"`) in MB; NaN where there is no such file.
pub fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
