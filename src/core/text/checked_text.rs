//! A joined text checked as UTF-8 once.

use crate::core::{CodedError, ErrorCode};

/// A joined text, checked as UTF-8 once as a whole (the parts are copied unchecked, e.g. from the
/// id store), and whether it is all ASCII (most ids and every hex hash), which the JS engines take
/// as Latin-1 without decoding. Made anywhere (it holds no JS value): the caller makes the JS
/// string on its thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedText {
    pub text: String,
    pub ascii: bool,
}

impl CheckedText {
    /// `bytes` as text, or `E_INTERNAL` if they are not UTF-8 (only a bug can cause that: every
    /// part comes from a UTF-8 store or string).
    pub fn new(bytes: Vec<u8>) -> Result<Self, CodedError> {
        let ascii = bytes.is_ascii();
        Self::knowing_ascii(bytes, ascii)
    }

    /// [`Self::new`] of bytes whose parts were each looked at already: `ascii` says whether they
    /// are all ASCII (it spares a second pass over a page's text).
    pub(super) fn knowing_ascii(bytes: Vec<u8>, ascii: bool) -> Result<Self, CodedError> {
        debug_assert_eq!(ascii, bytes.is_ascii());
        let text = String::from_utf8(bytes)
            .map_err(|_| CodedError::new(ErrorCode::Internal, "an id is not valid UTF-8"))?;
        Ok(CheckedText { text, ascii })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_utf8_and_tells_ascii() {
        let ascii = CheckedText::new(b"id-1id-2".to_vec()).unwrap();
        assert_eq!((ascii.text.as_str(), ascii.ascii), ("id-1id-2", true));
        let utf8 = CheckedText::new("idé😀".as_bytes().to_vec()).unwrap();
        assert_eq!((utf8.text.as_str(), utf8.ascii), ("idé😀", false));
        // Half a character (a part cut in the middle) is an internal error.
        let err = CheckedText::new("é".as_bytes()[..1].to_vec()).unwrap_err();
        assert_eq!(err.code, ErrorCode::Internal);
        assert!(err.message.contains("not valid UTF-8"));
        assert_eq!(CheckedText::new(Vec::new()).unwrap().text, "");
    }
}
