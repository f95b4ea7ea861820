//! The base-id rule shared by the whole crate.

/// Returns the base id of `id`.
///
/// If the text after the LAST `#` is one or more ASCII digits `0-9` and nothing else, the base is the
/// text before that `#`; otherwise it is the whole id. Works on UTF-8 bytes: `#` and the digits are
/// ASCII, so the split always falls on a character boundary.
#[inline]
pub fn base_id(id: &[u8]) -> &[u8] {
    // memrchr: most ids have no `#` at all, and a byte-at-a-time scan of all of them showed up
    // in profiles of the builder.
    match memchr::memrchr(b'#', id) {
        Some(pos) => {
            let tail = &id[pos + 1..];
            if !tail.is_empty() && tail.iter().all(u8::is_ascii_digit) {
                &id[..pos]
            } else {
                id
            }
        }
        None => id,
    }
}

/// [`base_id`] for `&str`.
pub fn base_id_str(id: &str) -> &str {
    let len = base_id(id.as_bytes()).len();
    &id[..len]
}

#[cfg(test)]
mod tests {
    use super::base_id_str as b;

    #[test]
    fn chunk_suffixes_are_stripped() {
        assert_eq!(b("a#0"), "a");
        assert_eq!(b("a#12"), "a");
        assert_eq!(b("a#01"), "a");
        assert_eq!(b("a#b#3"), "a#b");
        assert_eq!(b("#7"), "");
        assert_eq!(b("doc:é/ü#42"), "doc:é/ü");
    }

    #[test]
    fn anything_else_stays_whole() {
        for id in [
            "a", "", "a#", "a#x", "z#+1", "a#-1", "a#1 ", "x#1\n", "a#1.5", "a#1e3", "a#٣", "a#１",
            "a#3#", "a#3#x", "#",
        ] {
            assert_eq!(b(id), id, "{id:?}");
        }
    }
}
