//! Parts joined into one text, with each part's UTF-16 length.

use super::{utf16_len_ascii, CheckedText};
use crate::core::CodedError;

/// One joined text (e.g. a walk page's ids) and the UTF-16 length of each part.
pub struct TextBuilder {
    bytes: Vec<u8>,
    lens: Vec<u32>,
    /// Every part so far is ASCII.
    ascii: bool,
}

impl TextBuilder {
    /// A builder with room for `bytes` bytes of text and a thousand parts (a page's buffers are
    /// reused from malloc's free lists when their size stays the same).
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            bytes: Vec::with_capacity(bytes),
            lens: Vec::with_capacity(1024),
            ascii: true,
        }
    }

    /// Appends a part: UTF-8 bytes, which need not be checked (see [`Self::finish`]).
    #[inline]
    pub fn push(&mut self, part: &[u8]) {
        self.bytes.extend_from_slice(part);
        self.count(part);
    }

    /// [`Self::push`] of a part of a length known when compiling (a hash as hex): copied without
    /// a call to `memcpy`.
    #[inline]
    pub fn push_array<const N: usize>(&mut self, part: &[u8; N]) {
        self.bytes.extend_from_slice(part);
        self.count(part);
    }

    /// Notes a part just appended: its UTF-16 length, and whether the text is still all ASCII.
    #[inline]
    fn count(&mut self, part: &[u8]) {
        let (units, ascii) = utf16_len_ascii(part);
        self.lens.push(units);
        self.ascii &= ascii;
    }

    /// Appends a part with no text and a length the reader knows as a marker (e.g. `u32::MAX`
    /// for a null hash).
    #[inline]
    pub fn push_marker(&mut self, len: u32) {
        self.lens.push(len);
    }

    /// Bytes of text so far.
    #[inline]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Parts so far (markers included).
    pub fn parts(&self) -> usize {
        self.lens.len()
    }

    /// The text, checked as UTF-8 once as a whole, and each part's UTF-16 length.
    pub fn finish(self) -> Result<(CheckedText, Vec<u32>), CodedError> {
        Ok((
            CheckedText::knowing_ascii(self.bytes, self.ascii)?,
            self.lens,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_parts_with_their_utf16_lengths() {
        let mut b = TextBuilder::with_capacity(64);
        assert!(b.is_empty());
        for part in ["id-1", "", "é", "中文", "😀"] {
            b.push(part.as_bytes());
        }
        b.push_marker(u32::MAX);
        assert_eq!((b.len(), b.parts()), ("id-1é中文😀".len(), 6));
        let (text, lens) = b.finish().unwrap();
        assert_eq!(text.text, "id-1é中文😀");
        assert!(!text.ascii);
        assert_eq!(lens, [4, 0, 1, 2, 2, u32::MAX]);
        // The JS side slices by those lengths and gets the parts back.
        let units: Vec<u16> = text.text.encode_utf16().collect();
        let mut at = 0;
        let mut parts = Vec::new();
        for &l in &lens[..5] {
            parts.push(String::from_utf16(&units[at..at + l as usize]).unwrap());
            at += l as usize;
        }
        assert_eq!(parts, ["id-1", "", "é", "中文", "😀"]);
    }

    #[test]
    fn utf8_is_checked_once_as_a_whole() {
        // Each half of "é" alone is not UTF-8: the parts are not checked, the joined text is.
        let e = "é".as_bytes();
        let mut b = TextBuilder::with_capacity(8);
        b.push(&e[..1]);
        b.push(&e[1..]);
        assert_eq!(b.finish().unwrap().0.text, "é");
        let mut b = TextBuilder::with_capacity(8);
        b.push(b"ok");
        b.push(&e[..1]);
        assert!(b.finish().is_err());
        let (text, lens) = TextBuilder::with_capacity(0).finish().unwrap();
        assert_eq!((text.text.as_str(), text.ascii, lens.len()), ("", true, 0));
        // ASCII as a whole exactly when every part is (a marker has no text).
        let mut b = TextBuilder::with_capacity(8);
        b.push(b"id-1");
        b.push_array(b"00ff");
        b.push_marker(u32::MAX);
        b.push(b"");
        assert!(b.finish().unwrap().0.ascii);
        let mut b = TextBuilder::with_capacity(8);
        b.push(b"id-1");
        b.push("\u{80}".as_bytes());
        assert!(!b.finish().unwrap().0.ascii);
    }
}
