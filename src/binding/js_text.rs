//! A joined text of the core as a JS string: the last step, on the JS thread.

use crate::core::text::CheckedText;
use napi::bindgen_prelude::{Either, Latin1String};

/// A joined text as napi makes it a JS string: Latin-1 when it is all ASCII (most ids and every
/// hex hash), which the engines copy without decoding; else UTF-8.
pub type JsText = Either<Latin1String, String>;

/// `text` as a [`JsText`] (no copy: both own the bytes).
pub fn js_text(text: CheckedText) -> JsText {
    if text.ascii {
        Either::A(Latin1String::from(text.text))
    } else {
        Either::B(text.text)
    }
}

/// Each of `texts` as a [`JsText`].
pub fn js_texts(texts: Vec<CheckedText>) -> Vec<JsText> {
    texts.into_iter().map(js_text).collect()
}
