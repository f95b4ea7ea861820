//! Many strings handed over at once, as joined strings: their UTF-16 code units back to back (one
//! byte each when all are ASCII) and the length of each in code units. Converting one to UTF-8
//! follows JavaScript's rule exactly (the strings come from JS): every unpaired surrogate becomes
//! U+FFFD, as `TextEncoder`, `Buffer.from` and Node-API's UTF-8 conversion do.

/// The code units of strings, back to back: one byte each when every one is ASCII.
enum Units {
    Ascii(Vec<u8>),
    Utf16(Vec<u16>),
}

/// Joined strings; string `i` is code units `ends[i-1]..ends[i]`.
pub struct JoinedStrings {
    units: Units,
    ends: Vec<usize>,
}

impl JoinedStrings {
    fn new(units: Units, count: usize, lens: &[u32]) -> Option<Self> {
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        if total != count {
            return None;
        }
        let ends = lens
            .iter()
            .scan(0usize, |end, &l| {
                *end += l as usize;
                Some(*end)
            })
            .collect();
        Some(JoinedStrings { units, ends })
    }

    /// Strings made of the ASCII `bytes`, of lengths `lens`. `None` unless the lengths add up
    /// and every byte is ASCII.
    pub fn from_ascii(bytes: Vec<u8>, lens: &[u32]) -> Option<Self> {
        if !bytes.is_ascii() {
            return None;
        }
        let n = bytes.len();
        Self::new(Units::Ascii(bytes), n, lens)
    }

    /// Strings made of the UTF-16 `units`, of lengths `lens` (in code units). `None` unless the
    /// lengths add up.
    pub fn from_utf16(units: Vec<u16>, lens: &[u32]) -> Option<Self> {
        let n = units.len();
        Self::new(Units::Utf16(units), n, lens)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    fn span(&self, i: usize) -> std::ops::Range<usize> {
        (if i == 0 { 0 } else { self.ends[i - 1] })..self.ends[i]
    }

    /// String `i` as UTF-8: borrowed when ASCII, else converted into `buf`. The flag is `false`
    /// when the string had a lone surrogate (written as U+FFFD, so the bytes stand for another
    /// JS string).
    pub fn utf8<'a>(&'a self, i: usize, buf: &'a mut Vec<u8>) -> (&'a [u8], bool) {
        match &self.units {
            Units::Ascii(b) => (&b[self.span(i)], true),
            Units::Utf16(u) => {
                buf.clear();
                let exact = utf8_into(&u[self.span(i)], buf);
                (&buf[..], exact)
            }
        }
    }
}

/// Appends the UTF-8 form of `units` to `out`, unpaired surrogates as U+FFFD. Returns `false`
/// when there was an unpaired surrogate (the UTF-8 then stands for a different JS string).
pub fn utf8_into(units: &[u16], out: &mut Vec<u8>) -> bool {
    let mut lossless = true;
    out.reserve(units.len());
    let mut rest = units;
    while !rest.is_empty() {
        // ASCII runs (the common case for ids and much text) are narrowed without decoding.
        let ascii = rest.iter().position(|&u| u >= 0x80).unwrap_or(rest.len());
        out.extend(rest[..ascii].iter().map(|&u| u as u8));
        rest = &rest[ascii..];
        let other = rest.iter().position(|&u| u < 0x80).unwrap_or(rest.len());
        let mut tmp = [0u8; 4];
        for c in char::decode_utf16(rest[..other].iter().copied()) {
            let c = c.unwrap_or_else(|_| {
                lossless = false;
                char::REPLACEMENT_CHARACTER
            });
            out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
        }
        rest = &rest[other..];
    }
    lossless
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn strings(s: &JoinedStrings) -> Vec<String> {
        let mut buf = Vec::new();
        (0..s.len())
            .map(|i| String::from_utf8(s.utf8(i, &mut buf).0.to_vec()).unwrap())
            .collect()
    }

    fn digests(s: &JoinedStrings) -> Vec<[u8; 32]> {
        let mut buf = Vec::new();
        (0..s.len())
            .map(|i| Sha256::digest(s.utf8(i, &mut buf).0).into())
            .collect()
    }

    fn from(strings: &[Vec<u16>]) -> JoinedStrings {
        let lens: Vec<u32> = strings.iter().map(|x| x.len() as u32).collect();
        JoinedStrings::from_utf16(strings.concat(), &lens).unwrap()
    }

    #[test]
    fn converts_like_js_and_hashes_the_utf8() {
        let cases: Vec<Vec<u16>> = vec![
            vec![],
            "plain ascii".encode_utf16().collect(),
            "é ü ß 中文 😀".encode_utf16().collect(),
            vec![0xD800],                              // lone high surrogate
            vec![0xDC00, b'a' as u16],                 // lone low surrogate
            vec![0xD83D, 0xDE00],                      // a valid pair (😀)
            vec![0xDE00, 0xD83D],                      // reversed: two lone halves
            vec![b'x' as u16, 0xD83D, 0xD83D, 0xDE00], // lone high, then a pair
        ];
        let want: Vec<String> = cases.iter().map(|c| String::from_utf16_lossy(c)).collect();
        let s = from(&cases);
        assert_eq!(s.len(), cases.len());
        assert_eq!(strings(&s), want);
        let want_digests: Vec<[u8; 32]> = want
            .iter()
            .map(|w| Sha256::digest(w.as_bytes()).into())
            .collect();
        assert_eq!(digests(&s), want_digests);
        assert_eq!(want[3], "\u{FFFD}");
        assert_eq!(want[6], "\u{FFFD}\u{FFFD}");
        let lossless: Vec<bool> = cases
            .iter()
            .map(|c| utf8_into(c, &mut Vec::new()))
            .collect();
        assert_eq!(
            lossless,
            [true, true, true, false, false, true, false, false]
        );
    }

    #[test]
    fn many_strings_keep_their_spans() {
        let cases: Vec<Vec<u16>> = (0..3000)
            .map(|i| {
                format!("item {i} ü {}", "x".repeat(i % 70))
                    .encode_utf16()
                    .collect()
            })
            .collect();
        let s = from(&cases);
        let (strings, digests) = (strings(&s), digests(&s));
        for (i, c) in cases.iter().enumerate() {
            assert_eq!(strings[i], String::from_utf16_lossy(c));
            assert_eq!(
                digests[i],
                <[u8; 32]>::from(Sha256::digest(strings[i].as_bytes()))
            );
        }
    }

    #[test]
    fn ascii_and_utf16_forms_agree_and_lengths_must_add_up() {
        let words = ["", "id-1", "a#2", "plain text"];
        let lens: Vec<u32> = words.iter().map(|w| w.len() as u32).collect();
        let ascii = JoinedStrings::from_ascii(words.concat().into_bytes(), &lens).unwrap();
        let utf16 =
            JoinedStrings::from_utf16(words.concat().encode_utf16().collect(), &lens).unwrap();
        assert_eq!(strings(&ascii), words);
        assert_eq!(strings(&utf16), words);
        assert_eq!(digests(&ascii), digests(&utf16));
        assert!(JoinedStrings::from_ascii(b"abc".to_vec(), &[1, 1]).is_none());
        assert!(JoinedStrings::from_ascii("é".as_bytes().to_vec(), &[2]).is_none());
        assert!(JoinedStrings::from_utf16(vec![1, 2, 3], &[1, 1]).is_none());
        assert_eq!(
            JoinedStrings::from_utf16(vec![1, 2, 3], &[1, 2])
                .unwrap()
                .len(),
            2
        );
    }
}
