//! Maps lance's errors onto our codes, with the full cause chain in the message.

use super::error::{cause_chain, ErrorCode, LoadError};
use std::path::Path;

/// The code for a lance error raised while opening or scanning a table.
pub fn classify(err: &lance::Error) -> ErrorCode {
    use lance::Error as E;
    let text = cause_chain(err).to_ascii_lowercase();
    match err {
        E::DatasetNotFound { .. } => ErrorCode::NotATable,
        E::VersionNotFound { .. } => ErrorCode::Version,
        E::NotSupported { .. } => ErrorCode::Unsupported,
        E::Schema { .. } | E::FieldNotFound { .. } => ErrorCode::Schema,
        _ if text.contains("permission denied") => ErrorCode::Io,
        _ if text.contains("not found") && text.contains("version") && !text.contains("data") => {
            ErrorCode::Version
        }
        _ if text.contains("unsupported")
            || text.contains("not supported")
            || text.contains("feature flag") =>
        {
            ErrorCode::Unsupported
        }
        E::IO { .. } if !looks_corrupt(&text) => ErrorCode::Io,
        _ => ErrorCode::Corrupt,
    }
}

/// Signs of a damaged or missing file, as opposed to an operating-system failure.
fn looks_corrupt(text: &str) -> bool {
    [
        "not found",
        "no such file",
        "corrupt",
        "decode",
        "invalid",
        "unexpected",
        "eof",
        "out of range",
        "out of bounds",
        "failed to fill",
        "protobuf",
        "magic",
        "too short",
        "too small",
        "checksum",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// A lance error as a [`LoadError`] naming the table and what was being done.
pub fn from_lance(err: &lance::Error, table: &Path, doing: &str) -> LoadError {
    let chain = strip_locations(&cause_chain(err));
    LoadError::new(
        classify(err),
        format!("{}: {doing}: {chain}", table.display()),
    )
}

/// Removes lance's `, /path/to/src/file.rs:12:34` source locations, which mean nothing to a user.
fn strip_locations(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find(".rs:") {
        // Walk back to the ", " that starts the location, if this is one.
        let start = rest[..pos]
            .rfind(", ")
            .filter(|&st| !rest[st + 2..pos].contains(' '));
        let mut end = rest[pos + 4..]
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .map_or(rest.len(), |e| pos + 4 + e);
        // A location ends with its column number; a ':' after it separates the next cause.
        while end > pos + 4 && rest.as_bytes()[end - 1] == b':' {
            end -= 1;
        }
        match start {
            Some(st) => {
                out.push_str(&rest[..st]);
                rest = &rest[end..];
            }
            None => {
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::strip_locations;

    #[test]
    fn locations_are_stripped() {
        assert_eq!(
            strip_locations("Dataset at path /x was not found: boom, /root/.cargo/registry/src/lance-14.0.2/src/dataset.rs:12:5"),
            "Dataset at path /x was not found: boom"
        );
        assert_eq!(strip_locations("plain message"), "plain message");
        assert_eq!(strip_locations("a, src/a.rs:1:2: b, src/b.rs:3:4"), "a: b");
    }
}
