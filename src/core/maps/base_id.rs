//! The base-id rule shared by the whole crate.

/// Returns the base id of `id`.
///
/// If the text after the LAST `#` is one or more ASCII digits `0-9` and nothing else, the base is the
/// text before that `#`; otherwise it is the whole id. Works on UTF-8 bytes: `#` and the digits are
/// ASCII, so the split always falls on a character boundary.
#[inline]
pub fn base_id(id: &[u8]) -> &[u8] {
    // Only the trailing digits need reading: the suffix is a chunk number exactly when the id ends
    // in one or more digits with a `#` just before them (that `#` is then the last one, as digits
    // hold none). Most ids end in a non-digit and cost one comparison; no search for the `#`
    // (memrchr was a visible share of the builder thread in perf, most of it call overhead on
    // short ids: bench/README.md, "Tried and not kept").
    let digits = id.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let hash = id.len() - digits;
    if digits > 0 && hash > 0 && id[hash - 1] == b'#' {
        &id[..hash - 1]
    } else {
        id
    }
}

/// Whether `id` has no chunk suffix, i.e. is its own base.
#[inline]
pub fn is_whole(id: &[u8]) -> bool {
    base_id(id).len() == id.len()
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
    fn agrees_with_the_rule_as_written_on_every_short_id() {
        // The rule word for word: split at the LAST '#', keep the head if the tail is 1+ digits.
        fn rule(id: &str) -> &str {
            match id.rsplit_once('#') {
                Some((head, tail))
                    if !tail.is_empty() && tail.bytes().all(|c| c.is_ascii_digit()) =>
                {
                    head
                }
                _ => id,
            }
        }
        let alphabet = ["#", "1", "0", "a", "٣", " "];
        let mut ids = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = ids
                .iter()
                .filter(|s| s.chars().count() == ids.last().unwrap().chars().count())
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            ids.extend(longer);
        }
        assert!(ids.len() > 50_000);
        for id in &ids {
            assert_eq!(b(id), rule(id), "{id:?}");
        }
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
