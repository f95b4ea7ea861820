//! Texts handed out in bulk: many parts (ids, keys, hashes as hex) joined into one UTF-8 text,
//! with each part's length in UTF-16 code units (what JS `slice` counts), so that the caller makes
//! one string of many parts and slices it.
//!
//! - [`TextBuilder`]: the parts joined into one text (a walk page's keys, values or ids).
//! - [`TextPieces`]: the parts joined into *pieces* of at most 4096 bytes (a plan's hashes and ids
//!   to delete, which the caller keeps a few of).
//! - [`CheckedText`]: a joined text checked as UTF-8 once, as a whole, knowing whether it is ASCII.

pub mod checked_text;
pub mod text_builder;
pub mod text_pieces;

pub use checked_text::CheckedText;
pub use text_builder::TextBuilder;
pub use text_pieces::TextPieces;

/// UTF-16 code units of valid UTF-8 `b` (what JS `slice` counts): one per character, two for a
/// character of 4 bytes.
#[inline]
pub fn utf16_len(b: &[u8]) -> u32 {
    utf16_len_ascii(b).0
}

/// [`utf16_len`] of `b`, and whether `b` is all ASCII (one pass for both when it is).
#[inline]
pub fn utf16_len_ascii(b: &[u8]) -> (u32, bool) {
    if b.is_ascii() {
        return (b.len() as u32, true);
    }
    let units = b
        .iter()
        .map(|&c| match c {
            0x80..=0xBF => 0,
            0xF0..=0xFF => 2,
            _ => 1,
        })
        .sum();
    (units, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_len_counts_what_js_counts() {
        for s in [
            "",
            "plain ascii id#3",
            "é ü ß",                                                  // 2-byte characters
            "中文 ✓",                                                 // 3-byte characters
            "😀 and 𝄞", // 4-byte characters: a surrogate pair each
            "a\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", // every length's edges
        ] {
            assert_eq!(
                utf16_len(s.as_bytes()) as usize,
                s.encode_utf16().count(),
                "{s:?}"
            );
        }
        assert_eq!(utf16_len("é".as_bytes()), 1);
        assert_eq!(utf16_len("中".as_bytes()), 1);
        assert_eq!(utf16_len("😀".as_bytes()), 2);
    }
}
