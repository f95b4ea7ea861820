//! Lance's errors as our codes and messages. The code comes from the error's variant and, for
//! I/O failures, the operating system's error kind: never from the text of a message, which holds
//! the table's path (a table under `/srv/versioned/` must not look like a version error).

use crate::core::error::{cause_chain, CodedError, ErrorCode};
use std::error::Error as StdError;
use std::path::Path;

/// The code for a lance error raised while opening or scanning a table.
pub fn classify(err: &lance::Error) -> ErrorCode {
    use lance::Error as E;
    match err {
        E::Shared { source } => classify(source),
        E::DatasetNotFound { .. } => ErrorCode::NotATable,
        E::VersionNotFound { .. } => ErrorCode::Version,
        E::NotSupported { .. } => ErrorCode::Unsupported,
        E::Schema { .. } | E::FieldNotFound { .. } => ErrorCode::Schema,
        // A file the manifest names is missing, or one that is there is damaged.
        E::NotFound { .. } | E::CorruptFile { .. } | E::Arrow { .. } => ErrorCode::Corrupt,
        E::Timeout { .. } => ErrorCode::Network,
        _ => by_source(err),
    }
}

/// An error whose variant says only "I/O" or "wrapped": decided by what it wraps — a lance error
/// of a telling variant, or the operating system's error kind. Lance reports failures to decode
/// a file as I/O errors with no OS error behind them: those are damaged files.
fn by_source(err: &lance::Error) -> ErrorCode {
    let mut next: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = next {
        if let Some(inner) = e.downcast_ref::<lance::Error>() {
            let code = classify(inner);
            if code != ErrorCode::Corrupt {
                return code;
            }
        }
        if let Some(store) = e.downcast_ref::<object_store::Error>() {
            return store_code(store);
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io_code(io.kind());
        }
        next = e.source();
    }
    ErrorCode::Corrupt
}

/// The code of an object-store error: refused credentials or access, a missing object (the
/// table is damaged), or anything else on the way to the store (unreachable, reset, timed out,
/// a server error).
fn store_code(err: &object_store::Error) -> ErrorCode {
    use object_store::Error as S;
    match err {
        S::PermissionDenied { .. } | S::Unauthenticated { .. } => ErrorCode::Access,
        S::NotFound { .. } => ErrorCode::Corrupt,
        S::Generic { source, .. } => {
            // A local file store wraps the operating system's error; a remote one, HTTP.
            let mut next: Option<&(dyn StdError + 'static)> = Some(source.as_ref());
            while let Some(e) = next {
                if let Some(io) = e.downcast_ref::<std::io::Error>() {
                    return io_code(io.kind());
                }
                next = e.source();
            }
            match http_status_in(source.as_ref()) {
                Some(401 | 403) => ErrorCode::Access,
                Some(404) => ErrorCode::Corrupt,
                _ => ErrorCode::Network,
            }
        }
        _ => ErrorCode::Network,
    }
}

/// The HTTP status an object store answered, where a request failed on one. object_store keeps
/// the status in a private type (its list requests on Azure do not map it to a variant); its
/// message says `Server returned non-2xx status code: 403 Forbidden`. Only that phrase of the
/// errors object_store made is read: in the URL it also prints, a space is `%20`, so no path of
/// the caller's can spell it.
pub fn http_status_in(err: &(dyn StdError + 'static)) -> Option<u16> {
    const PHRASE: &str = "non-2xx status code: ";
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        if let Some(at) = text.find(PHRASE) {
            let digits: String = text[at + PHRASE.len()..].chars().take(3).collect();
            return digits.parse().ok();
        }
        next = e.source();
    }
    None
}

/// The HTTP status behind a lance error, if an object store answered one.
pub fn http_status(err: &lance::Error) -> Option<u16> {
    let mut next: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = next {
        if let Some(object_store::Error::Generic { source, .. }) =
            e.downcast_ref::<object_store::Error>()
        {
            return http_status_in(source.as_ref());
        }
        next = e.source();
    }
    None
}

/// The code of an operating-system error met while reading a table's files.
pub fn io_code(kind: std::io::ErrorKind) -> ErrorCode {
    use std::io::ErrorKind as K;
    match kind {
        // A file the table's manifest names is gone or cut short: the table is damaged.
        K::NotFound | K::UnexpectedEof | K::InvalidData => ErrorCode::Corrupt,
        _ => ErrorCode::Io,
    }
}

/// A lance error as a [`CodedError`] saying what was being done. Lance's messages name files by
/// their object-store path (the table's path without its leading `/`); that prefix is cut, so a
/// file reads as `_versions/3.manifest` and the table itself is named once, by the caller.
pub fn from_lance(err: &lance::Error, table: &Path, doing: &str) -> CodedError {
    let table = table.to_string_lossy();
    let chain = strip_locations(&cause_chain(err));
    let chain = strip_table_path(&chain, &table);
    let mut code = classify(err);
    // On an object store no operating-system read is involved: an "I/O" error there is the
    // store refusing access, or the way to it failing.
    if code == ErrorCode::Io && super::locate::is_remote(&table) {
        code = if has_io_kind(err, std::io::ErrorKind::PermissionDenied) {
            ErrorCode::Access
        } else {
            ErrorCode::Network
        };
    }
    // A store's refusal: its status and its own words, not the request URL and XML body.
    if matches!(code, ErrorCode::Access | ErrorCode::Network) && super::locate::is_remote(&table) {
        if let Some(answer) = super::store_answer::summary(&chain) {
            return CodedError::new(code, format!("{doing}: {answer}"));
        }
    }
    CodedError::new(code, format!("{doing}: {chain}"))
}

fn has_io_kind(err: &lance::Error, kind: std::io::ErrorKind) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = err.source();
    while let Some(e) = next {
        if e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == kind)
        {
            return true;
        }
        next = e.source();
    }
    false
}

/// `text` with the table's path (in either form, with or without the leading `/`) cut out of
/// the file names in it.
pub fn strip_table_path(text: &str, table: &str) -> String {
    // An object-store URI names files by the path after the bucket.
    if let Some(path) = url::Url::parse(table)
        .ok()
        .filter(|u| u.scheme() != "file" && u.host_str().is_some())
        .map(|u| u.path().to_owned())
    {
        return strip_table_path(&text.replace(table, "the table"), &path);
    }
    let bare = table.trim_start_matches('/').trim_end_matches('/');
    if bare.is_empty() {
        return text.to_owned();
    }
    let mut out = text
        .replace(&format!("/{bare}/"), "")
        .replace(&format!("{bare}/"), "");
    for whole in [format!("/{bare}"), bare.to_owned()] {
        out = out.replace(&whole, "the table");
    }
    out
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
    use super::*;

    #[test]
    fn locations_are_stripped() {
        assert_eq!(
            strip_locations("Dataset at path /x was not found: boom, /root/.cargo/registry/src/lance-14.0.2/src/dataset.rs:12:5"),
            "Dataset at path /x was not found: boom"
        );
        assert_eq!(strip_locations("plain message"), "plain message");
        assert_eq!(strip_locations("a, src/a.rs:1:2: b, src/b.rs:3:4"), "a: b");
    }

    #[test]
    fn the_table_path_is_cut_from_file_names() {
        assert_eq!(
            strip_table_path(
                "Not found: srv/versioned/t.lance/_versions/3.manifest",
                "/srv/versioned/t.lance"
            ),
            "Not found: _versions/3.manifest"
        );
        assert_eq!(
            strip_table_path("Dataset at path srv/t.lance was not found", "/srv/t.lance"),
            "Dataset at path the table was not found"
        );
        assert_eq!(
            strip_table_path(
                "Not found: db/t.lance/data/x.lance",
                "s3://bucket/db/t.lance"
            ),
            "Not found: data/x.lance"
        );
    }

    #[test]
    fn codes_come_from_variants_and_error_kinds_not_from_words() {
        use std::io::{Error as IoError, ErrorKind};
        let io = |kind: ErrorKind, text: &str| {
            lance::Error::io_source(Box::new(IoError::new(kind, text.to_owned())))
        };
        // Words that used to decide the code, in messages (as a path would put them there).
        let words = "/srv/versioned/unsupported/corrupt/not found/permission denied/t.lance";
        assert_eq!(
            classify(&io(ErrorKind::PermissionDenied, words)),
            ErrorCode::Io
        );
        assert_eq!(
            classify(&io(ErrorKind::NotFound, words)),
            ErrorCode::Corrupt
        );
        assert_eq!(classify(&io(ErrorKind::Other, words)), ErrorCode::Io);
        assert_eq!(
            classify(&lance::Error::not_found(words)),
            ErrorCode::Corrupt
        );
        assert_eq!(
            classify(&lance::Error::VersionNotFound {
                message: words.into()
            }),
            ErrorCode::Version
        );
        assert_eq!(
            classify(&lance::Error::invalid_input(words)),
            ErrorCode::Corrupt
        );
    }

    #[test]
    fn object_store_errors_are_access_network_or_a_missing_file() {
        let store = |e: object_store::Error| lance::Error::io_source(Box::new(e));
        let source = || -> Box<dyn std::error::Error + Send + Sync> { "403 Forbidden".into() };
        let refused = object_store::Error::PermissionDenied {
            path: "db/t.lance".into(),
            source: source(),
        };
        assert_eq!(classify(&store(refused)), ErrorCode::Access);
        let unauth = object_store::Error::Unauthenticated {
            path: "x".into(),
            source: source(),
        };
        assert_eq!(classify(&store(unauth)), ErrorCode::Access);
        let gone = object_store::Error::NotFound {
            path: "x".into(),
            source: source(),
        };
        assert_eq!(classify(&store(gone)), ErrorCode::Corrupt);
        let reset = object_store::Error::Generic {
            store: "S3",
            source: "connection reset".into(),
        };
        assert_eq!(classify(&store(reset)), ErrorCode::Network);
        // An Azure list request keeps the status only in its message.
        let denied = object_store::Error::Generic {
            store: "MicrosoftAzure",
            source: "Error performing GET http://127.0.0.1:1/a/b%20c in 2ms - Server returned non-2xx status code: 403 Forbidden".into(),
        };
        assert_eq!(classify(&store(denied)), ErrorCode::Access);
    }
}
