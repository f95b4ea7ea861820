//! The one error type of the crate: a stable code per failure kind, and a message that names the
//! path and the whole cause chain.

use std::fmt;

/// Stable failure codes. Their strings (`E_…`) are part of the public API: the JS `Error.code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// A bad argument or option.
    Arg,
    /// The path exists but is not a Lance table (a file, an empty or foreign directory).
    NotATable,
    /// A needed column is missing or has a type that is not a string.
    Schema,
    /// A row has a null id.
    NullId,
    /// The operating system refused or failed a read (permissions, I/O errors).
    Io,
    /// A file of the table is damaged (truncated, garbage, missing data file).
    Corrupt,
    /// The table uses a format feature or storage this build cannot read.
    Unsupported,
    /// The requested table version does not exist.
    Version,
    /// The object store refused the credentials or the access.
    Access,
    /// The object store could not be reached, or did not answer in time.
    Network,
    /// The caller aborted the call.
    Aborted,
    /// A callback passed in the options (`onProgress`) threw; the error it threw is the `cause`.
    Callback,
    /// The table is larger than this build's compact structures can address.
    TooLarge,
    /// Memory for the maps could not be had (checked before it is taken, never an abort).
    NoMemory,
    /// A bug: a panic or an invariant that failed. Nothing partial is returned.
    Internal,
}

impl ErrorCode {
    /// Every code, once.
    pub const ALL: [ErrorCode; 15] = [
        ErrorCode::Arg,
        ErrorCode::NotATable,
        ErrorCode::Schema,
        ErrorCode::NullId,
        ErrorCode::Io,
        ErrorCode::Corrupt,
        ErrorCode::Unsupported,
        ErrorCode::Version,
        ErrorCode::Access,
        ErrorCode::Network,
        ErrorCode::Aborted,
        ErrorCode::Callback,
        ErrorCode::TooLarge,
        ErrorCode::NoMemory,
        ErrorCode::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Arg => "E_ARG",
            ErrorCode::NotATable => "E_NOT_A_TABLE",
            ErrorCode::Schema => "E_SCHEMA",
            ErrorCode::NullId => "E_NULL_ID",
            ErrorCode::Io => "E_IO",
            ErrorCode::Corrupt => "E_CORRUPT",
            ErrorCode::Unsupported => "E_UNSUPPORTED",
            ErrorCode::Version => "E_VERSION",
            ErrorCode::Access => "E_ACCESS",
            ErrorCode::Network => "E_NETWORK",
            ErrorCode::Aborted => "E_ABORTED",
            ErrorCode::Callback => "E_CALLBACK",
            ErrorCode::TooLarge => "E_TOO_LARGE",
            ErrorCode::NoMemory => "E_NO_MEMORY",
            ErrorCode::Internal => "E_INTERNAL",
        }
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Any failure of the crate (loading, planning, a lookup): its code and a human-readable message.
/// It reaches JS as a `LanceHashMapsError` with the same code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodedError {
    pub code: ErrorCode,
    pub message: String,
}

impl CodedError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        CodedError {
            code,
            message: message.into(),
        }
    }

    /// Prefixes the message with where it happened (usually the table path).
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }
}

impl fmt::Display for CodedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for CodedError {}

/// Reserves room for `additional` more elements in `v`, or fails with `E_NO_MEMORY` naming `what`
/// (an allocation failure is otherwise an abort no `catch_unwind` can catch).
pub fn try_reserve<T>(v: &mut Vec<T>, additional: usize, what: &str) -> Result<(), CodedError> {
    v.try_reserve_exact(additional).map_err(|_| {
        CodedError::new(
            ErrorCode::NoMemory,
            format!(
                "could not get {} MiB of memory for {what}",
                (additional as u128 * std::mem::size_of::<T>() as u128) >> 20
            ),
        )
    })
}

/// `err` and each of its sources, joined by `: ` — without repeating a link already contained in
/// the previous one, as lance's messages often embed their source.
pub fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut source = err.source();
    while let Some(e) = source {
        let s = e.to_string();
        if !out.contains(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        source = e.source();
    }
    out
}

/// The message of a caught panic payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

/// A caught panic as an `E_INTERNAL` error: what every task that must not unwind (a rayon task,
/// a call from the engine) answers instead.
pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> CodedError {
    CodedError::new(
        ErrorCode::Internal,
        format!(
            "internal error (a bug in lance-hashmaps, please report it): {}",
            panic_message(payload)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::ErrorCode::{self, *};

    /// Each code's place in [`ErrorCode::ALL`]: exhaustive, so a new code does not compile
    /// until it has a place.
    fn place(code: ErrorCode) -> usize {
        match code {
            Arg => 0,
            NotATable => 1,
            Schema => 2,
            NullId => 3,
            Io => 4,
            Corrupt => 5,
            Unsupported => 6,
            Version => 7,
            Access => 8,
            Network => 9,
            Aborted => 10,
            Callback => 11,
            TooLarge => 12,
            NoMemory => 13,
            Internal => 14,
        }
    }

    #[test]
    fn all_lists_every_code_once_as_an_e_string() {
        for (i, &code) in ErrorCode::ALL.iter().enumerate() {
            assert_eq!(place(code), i, "{code:?}");
            let s = code.as_str();
            assert!(
                s.len() > 2
                    && s.starts_with("E_")
                    && s.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
                "{s}"
            );
            assert!(ErrorCode::ALL[..i].iter().all(|c| c.as_str() != s), "{s}");
        }
    }
}
