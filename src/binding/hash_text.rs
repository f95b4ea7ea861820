//! `hashText` / `hashTexts`: sha256 as lowercase hex, identical to `Bun.CryptoHasher` and
//! `node:crypto` (JS strings are UTF-8 encoded with lone surrogates as U+FFFD, as JS does).

use super::errors::guard;
use crate::core::maps::text_hash::hex_lower;
use crate::core::plan::sha256::{digest, digests};
use crate::core::ErrorCode;
use napi_derive::napi;

#[napi]
pub fn hash_text(text: String) -> napi::Result<String, ErrorCode> {
    guard(|| Ok(hex_lower(&digest(&text))))
}

#[napi]
pub fn hash_texts(texts: Vec<String>) -> napi::Result<Vec<String>, ErrorCode> {
    guard(|| Ok(digests(&texts).iter().map(hex_lower).collect()))
}
