//! Hash values round-trip exactly: 64 lowercase hex chars as 32 bytes, anything else verbatim.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "core.rs"]
mod lhm;
// The modules name their error type `crate::core::error`, as in the library.
use lhm as core;
use lhm::text_hash::{hex_lower, parse_hex_lower, HashRef, HashStore};

fuzz_target!(|data: &[u8]| {
    let is_digest = data.len() == 64
        && data
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b));
    match parse_hex_lower(data) {
        Some(d) => {
            assert!(is_digest);
            assert_eq!(hex_lower(&d).as_bytes(), data);
        }
        None => assert!(!is_digest),
    }
    // Split the input into values (and nulls) and check every one comes back unchanged.
    let text = String::from_utf8_lossy(data);
    let values: Vec<Option<&str>> = text
        .split('|')
        .map(|v| if v == "~" { None } else { Some(v) })
        .collect();
    let mut store = HashStore::with_capacity(values.len());
    for v in &values {
        store.push(*v);
    }
    for (i, v) in values.iter().enumerate() {
        let got = store.get(i);
        assert_eq!(got.to_string_opt().as_deref(), *v);
        assert_eq!(
            matches!(got, HashRef::Digest(_)),
            v.is_some_and(|s| parse_hex_lower(s.as_bytes()).is_some())
        );
    }
});
