//! The base-id rule against a second, independently written statement of it.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "core.rs"]
mod lhm;
// The modules name their error type `crate::core::error`, as in the library.
use lhm as core;

/// DEVELOPERS.md's wording: if the text after the LAST `#` is one or more ASCII digits and nothing
/// else, the base is the text before that `#`; otherwise the id itself.
fn reference(id: &str) -> &str {
    match id.rsplit_once('#') {
        Some((head, tail)) if !tail.is_empty() && tail.chars().all(|c| c.is_ascii_digit()) => head,
        _ => id,
    }
}

fuzz_target!(|data: &[u8]| {
    let base = lhm::base_id::base_id(data);
    // Always a prefix; when shorter, exactly `base` + "#" + digits.
    assert!(data.starts_with(base));
    if base.len() != data.len() {
        let rest = &data[base.len()..];
        assert!(rest.len() >= 2 && rest[0] == b'#' && rest[1..].iter().all(u8::is_ascii_digit));
        assert!(!rest[1..].contains(&b'#'));
    }
    if let Ok(s) = std::str::from_utf8(data) {
        assert_eq!(lhm::base_id::base_id_str(s), reference(s), "{s:?}");
    }
});
