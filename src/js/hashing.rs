//! `hashText` / `hashTexts`: sha256 as lowercase hex, identical to `Bun.CryptoHasher` and
//! `node:crypto` (JS strings are UTF-8 encoded with lone surrogates as U+FFFD, as JS does).

use crate::core::hashing::{digest, digests};
use crate::core::text_hash::hex_lower;
use napi_derive::napi;

/// sha256 of the UTF-8 bytes of `text`, as 64 lowercase hex characters.
#[napi(catch_unwind)]
pub fn hash_text(text: String) -> String {
    hex_lower(&digest(&text))
}

/// `hashText` of every text, in order. Batches of 512 or more are hashed on every core.
#[napi(catch_unwind)]
pub fn hash_texts(texts: Vec<String>) -> Vec<String> {
    digests(&texts).iter().map(hex_lower).collect()
}
