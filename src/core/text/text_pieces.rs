//! Parts joined into pieces of at most 4096 bytes, with each part's UTF-16 length.

use super::{utf16_len, CheckedText};
use crate::core::CodedError;

/// Bytes per piece of [`TextPieces`] at most (a part longer than that is a piece of its own).
pub const PIECE_BYTES: usize = 4096;

/// Parts joined into several texts, the *pieces*, of at most [`PIECE_BYTES`] bytes each (a part
/// longer than that is a piece of its own; no part straddles two pieces; a piece may end before it
/// is full, the next part is then in the next piece), with each part's UTF-16 length. For results
/// the caller keeps a few parts of: a slice of a JS string keeps all of it alive, so one kept hash
/// of a batch must not hold the whole batch's text, and no string may reach the engines' length
/// limit (V8: 2^29 - 24 characters) however large the batch.
#[derive(Default)]
pub struct TextPieces {
    pieces: Vec<Vec<u8>>,
    lens: Vec<u32>,
}

impl TextPieces {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a part: UTF-8 bytes, which need not be checked (see [`Self::finish`]).
    pub fn push(&mut self, part: &[u8]) {
        match self.pieces.last_mut() {
            Some(last) if last.len() + part.len() <= PIECE_BYTES => last.extend_from_slice(part),
            _ => {
                let mut piece = Vec::with_capacity(PIECE_BYTES.max(part.len()));
                piece.extend_from_slice(part);
                self.pieces.push(piece);
            }
        }
        self.lens.push(utf16_len(part));
    }

    /// The pieces, each checked as UTF-8 once as a whole, and the parts' UTF-16 lengths. (No JS
    /// value: it may run on any thread.)
    pub fn finish(self) -> Result<(Vec<CheckedText>, Vec<u32>), CodedError> {
        let texts = self
            .pieces
            .into_iter()
            .map(CheckedText::new)
            .collect::<Result<_, _>>()?;
        Ok((texts, self.lens))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts back, read as the JS side does (`js/plan-changes.js`, `unpack`): by UTF-16
    /// lengths, moving to the next piece when a part does not fit in what is left of this one.
    fn unpack(pieces: &[CheckedText], lens: &[u32]) -> Vec<String> {
        let pieces: Vec<Vec<u16>> = pieces
            .iter()
            .map(|p| p.text.encode_utf16().collect())
            .collect();
        let (mut c, mut q) = (0, 0);
        lens.iter()
            .map(|&len| {
                let len = len as usize;
                while q + len > pieces.get(c).map_or(0, Vec::len) {
                    c += 1;
                    q = 0;
                }
                q += len;
                String::from_utf16(&pieces[c][q - len..q]).unwrap()
            })
            .collect()
    }

    #[test]
    fn no_part_straddles_a_piece_and_a_long_part_is_a_piece_of_its_own() {
        let parts: Vec<String> = (0..3000)
            .map(|i| match i % 7 {
                0 => format!("base-{i}#{}", i % 3),
                1 => format!("é{i}😀"),
                2 => String::new(),
                3 => "中".repeat(i % 50),
                _ => format!("id-{i}"),
            })
            .chain([
                "x".repeat(PIECE_BYTES),
                "y".repeat(PIECE_BYTES + 1),
                "z".into(),
            ])
            .collect();
        let mut p = TextPieces::new();
        for part in &parts {
            p.push(part.as_bytes());
        }
        let (pieces, lens) = p.finish().unwrap();
        assert!(pieces.len() > 10);
        assert_eq!(unpack(&pieces, &lens), parts);
        let n = pieces.len();
        for piece in &pieces[..n - 3] {
            assert!(piece.text.len() <= PIECE_BYTES);
        }
        // Exactly 4096 bytes fits a piece; one byte more is a piece of its own, beyond the limit.
        assert_eq!(pieces[n - 3].text, "x".repeat(PIECE_BYTES));
        assert_eq!(pieces[n - 2].text, "y".repeat(PIECE_BYTES + 1));
        assert_eq!(pieces[n - 1].text, "z");
        // Whole parts only: every piece is valid UTF-8 on its own, ASCII ones marked so.
        assert!(pieces.iter().any(|p| p.ascii) && pieces.iter().any(|p| !p.ascii));
        assert_eq!(
            lens.iter().map(|&l| l as usize).sum::<usize>(),
            parts
                .iter()
                .map(|s| s.encode_utf16().count())
                .sum::<usize>()
        );
    }

    #[test]
    fn fills_each_piece_to_the_limit_and_checks_each_once() {
        // 64-byte parts (a hash in hex): 64 to a piece.
        let mut p = TextPieces::new();
        for i in 0..130u8 {
            p.push(&[b'a' + i % 26; 64]);
        }
        let (pieces, lens) = p.finish().unwrap();
        let sizes: Vec<usize> = pieces.iter().map(|p| p.text.len()).collect();
        assert_eq!(sizes, [4096, 4096, 128]);
        assert_eq!(lens, [64; 130]);
        // A piece that is not UTF-8 (only a bug could copy such a part) is an error.
        let mut p = TextPieces::new();
        p.push(b"ok");
        p.push(&"é".as_bytes()[..1]);
        assert!(p.finish().is_err());
        let (pieces, lens) = TextPieces::new().finish().unwrap();
        assert!(pieces.is_empty() && lens.is_empty());
    }
}
