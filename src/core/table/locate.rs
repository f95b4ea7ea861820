//! From the caller's path (and optional table name) to a table directory or object-store URI,
//! without creating or touching anything: `lancedb::connect` would create a missing directory, so
//! we never call it.

use crate::core::error::{CodedError, ErrorCode};
use std::io::ErrorKind;
use std::path::PathBuf;

/// Where the table is, or that there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// Nothing at the path (or no such table in the database): the caller gets empty maps.
    Missing(PathBuf),
    /// A directory that holds a Lance table.
    Table(PathBuf),
    /// A table URI on an object store (`s3://bucket/db/t.lance`): whether a table is there is
    /// known only once it is opened.
    Remote(String),
}

/// Object-store schemes this build reads (lance's `aws` and `azure` stores).
pub const REMOTE_SCHEMES: [&str; 3] = ["s3", "az", "abfss"];

/// The scheme of `path` when it is a URI (`scheme://…`), lowercased.
pub(super) fn uri_scheme(path: &str) -> Option<String> {
    let end = path.find("://")?;
    let scheme = &path[..end];
    (scheme.len() > 1
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)))
    .then(|| scheme.to_ascii_lowercase())
}

/// Whether `path` is an object-store URI this build reads.
pub fn is_remote(path: &str) -> bool {
    uri_scheme(path).is_some_and(|s| REMOTE_SCHEMES.contains(&s.as_str()))
}

/// The table URI on an object store: `uri` itself, or `<uri>/<table_name>.lance`.
fn remote_table(uri: &str, table_name: Option<&str>) -> Result<Located, CodedError> {
    let parsed = url::Url::parse(uri)
        .map_err(|e| CodedError::new(ErrorCode::Arg, format!("not a valid URI: {e}")))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(CodedError::new(
            ErrorCode::Arg,
            "the URI names no bucket or container (e.g. s3://bucket/path/table.lance)",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(CodedError::new(
            ErrorCode::Arg,
            "the URI has a query or fragment: pass settings in options.storageOptions",
        ));
    }
    let base = uri.trim_end_matches('/');
    Ok(Located::Remote(match table_name {
        Some(name) => format!("{base}/{name}.lance"),
        None => base.to_owned(),
    }))
}

/// An object-store URI without its `//`: most often one that `path.join("s3://b/db", "t.lance")`
/// turned into `s3:/b/db/t.lance`. The error says how to pass it instead.
fn lost_slashes(path: &str) -> Option<CodedError> {
    let (scheme, rest) = path.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    (REMOTE_SCHEMES.contains(&scheme.as_str()) && !rest.starts_with("//")).then(|| {
        let how = if rest.starts_with('/') {
            "a URI that lost a slash of its \"//\" (path.join and path.resolve collapse it)"
        } else {
            "not a URI: an object-store URI starts with \"//\" after its scheme"
        };
        CodedError::new(
            ErrorCode::Arg,
            format!(
                "{scheme}:… is {how}: pass the database URI as it is with options.tableName, e.g. \
                 buildHashMaps(\"{scheme}://bucket/db\", {{ tableName: \"embeddings\" }})"
            ),
        )
    })
}

/// Valid LanceDB table names, as `open_table` accepts them.
pub fn is_valid_table_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Turns a path or `file://` URI into the absolute path lance reads for it, by lance's own rule
/// (`lance_io::object_store::uri_to_url`, what `connect(…).openTable(…)` goes through): a leading
/// `~` or `~/` is the home directory, a relative path is taken from the working directory, and
/// `.` and `..` are resolved by name, before any symbolic link is followed (`link/../t` is `t`
/// in the working directory, wherever `link` points).
pub fn to_local_path(path: &str) -> Result<PathBuf, CodedError> {
    if path.is_empty() {
        return Err(CodedError::new(
            ErrorCode::Arg,
            "tablePath is an empty string",
        ));
    }
    if path.contains('\0') {
        return Err(CodedError::new(
            ErrorCode::Arg,
            "tablePath contains a NUL character",
        ));
    }
    if let Some(e) = lost_slashes(path) {
        return Err(e);
    }
    // lance's error names its own source location: the message says what can be wrong instead.
    let url = lance_io::object_store::uri_to_url(path).map_err(|_| {
        CodedError::new(
            ErrorCode::Arg,
            "cannot make the path absolute (a \"..\" above the root directory, or a working \
             directory that no longer exists)",
        )
    })?;
    if url.scheme() != "file" {
        let scheme = url.scheme();
        let message = if path
            .to_ascii_lowercase()
            .starts_with(&format!("{scheme}://"))
        {
            format!(
                "{scheme}:// is not supported: this build reads local tables (a path or a \
                 file:// URI) and s3://, az:// and abfss:// URIs"
            )
        } else {
            // `run:2024/db` is a URI with the scheme "run" for the SDK too.
            format!(
                "reads as a URI with the scheme \"{scheme}:\" (as for @lancedb/lancedb), which this \
                 build does not read: for a relative directory whose name has a colon, write \
                 \"./{path}\""
            )
        };
        return Err(CodedError::new(ErrorCode::Unsupported, message));
    }
    // Collected from its components: without the trailing `/` of a directory URL.
    url.to_file_path()
        .map(|p| p.components().collect())
        .map_err(|()| CodedError::new(ErrorCode::Arg, "not a valid file:// URI"))
}

fn io_error(what: &str, e: std::io::Error) -> CodedError {
    CodedError::new(ErrorCode::Io, format!("{what}: {e}"))
}

/// Finds the table directory for `path` (a table directory, or a database directory with `table_name`).
pub fn locate(path: &str, table_name: Option<&str>) -> Result<Located, CodedError> {
    if let Some(name) = table_name {
        if !is_valid_table_name(name) {
            return Err(CodedError::new(
                ErrorCode::Arg,
                format!(
                    "tableName {name:?} is not a valid table name (1 to 128 of A-Z a-z 0-9 _ . -)"
                ),
            ));
        }
    }
    if is_remote(path) {
        return remote_table(path, table_name);
    }
    let root = to_local_path(path)?;
    let dir = match table_name {
        Some(name) => {
            match std::fs::metadata(&root) {
                Ok(m) if !m.is_dir() => {
                    return Err(CodedError::new(
                        ErrorCode::NotATable,
                        "is a file, not a database directory",
                    ))
                }
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Located::Missing(root)),
                Err(e) => return Err(io_error("cannot read the database directory", e)),
            }
            root.join(format!("{name}.lance"))
        }
        None => root,
    };
    let meta = match std::fs::metadata(&dir) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Located::Missing(dir)),
        Err(e) if e.kind() == ErrorKind::NotADirectory => {
            return Err(CodedError::new(
                ErrorCode::NotATable,
                format!("part of the path is a file, not a directory ({e})"),
            ))
        }
        Err(e) => return Err(io_error("cannot read the table directory", e)),
    };
    if !meta.is_dir() {
        return Err(CodedError::new(
            ErrorCode::NotATable,
            "is a file, not a Lance table directory",
        ));
    }
    let entries =
        std::fs::read_dir(&dir).map_err(|e| io_error("cannot list the table directory", e))?;
    let mut tables = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error("cannot list the table directory", e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "_versions" {
            return Ok(Located::Table(dir));
        }
        if let Some(t) = name.strip_suffix(".lance") {
            if entry.path().join("_versions").is_dir() {
                tables.push(t.to_owned());
            }
        }
    }
    tables.sort();
    let others = if tables.is_empty() {
        String::new()
    } else {
        format!("; it looks like a database directory holding the tables {tables:?}: pass options.tableName")
    };
    Err(CodedError::new(
        ErrorCode::NotATable,
        format!("not a Lance table (no _versions directory){others}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("lhm-locate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn missing_paths_are_missing_and_not_created() {
        let d = temp_dir("missing");
        let p = d.join("nope/deeper.lance");
        assert_eq!(
            locate(p.to_str().unwrap(), None).unwrap(),
            Located::Missing(p.clone())
        );
        assert_eq!(
            locate(d.join("db").to_str().unwrap(), Some("t")).unwrap(),
            Located::Missing(d.join("db"))
        );
        assert!(!d.join("nope").exists() && !d.join("db").exists());
    }

    #[test]
    fn files_empty_dirs_and_databases_are_not_tables() {
        let d = temp_dir("kinds");
        std::fs::write(d.join("f"), b"x").unwrap();
        let e = locate(d.join("f").to_str().unwrap(), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotATable);
        std::fs::create_dir_all(d.join("db/t.lance/_versions")).unwrap();
        assert_eq!(
            locate(d.join("db").to_str().unwrap(), Some("t")).unwrap(),
            Located::Table(d.join("db/t.lance"))
        );
        let e = locate(d.join("db").to_str().unwrap(), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::NotATable);
        assert!(
            e.message.contains("tableName") && e.message.contains("\"t\""),
            "{}",
            e.message
        );
        std::fs::create_dir_all(d.join("empty")).unwrap();
        assert_eq!(
            locate(d.join("empty").to_str().unwrap(), None)
                .unwrap_err()
                .code,
            ErrorCode::NotATable
        );
    }

    #[test]
    fn arguments_are_checked() {
        assert_eq!(locate("", None).unwrap_err().code, ErrorCode::Arg);
        assert_eq!(
            locate("/tmp", Some("a/b")).unwrap_err().code,
            ErrorCode::Arg
        );
        assert_eq!(
            locate("gs://bucket/t", None).unwrap_err().code,
            ErrorCode::Unsupported
        );
        assert_eq!(
            locate("s3://bucket/db/", Some("t")).unwrap(),
            Located::Remote("s3://bucket/db/t.lance".into())
        );
        assert_eq!(
            locate("az://container/t.lance", None).unwrap(),
            Located::Remote("az://container/t.lance".into())
        );
        assert_eq!(locate("s3:///t", None).unwrap_err().code, ErrorCode::Arg);
        assert_eq!(
            locate("s3://b/t?secret=1", None).unwrap_err().code,
            ErrorCode::Arg
        );
        let d = temp_dir("uri");
        let uri = url::Url::from_directory_path(&d).unwrap().to_string();
        assert_eq!(
            locate(&format!("{uri}x"), None).unwrap(),
            Located::Missing(d.join("x"))
        );
    }

    #[test]
    fn paths_resolve_as_lance_resolves_them() {
        let home = std::env::home_dir().expect("a home directory");
        assert_eq!(to_local_path("~").unwrap(), home);
        assert_eq!(to_local_path("~/x/db").unwrap(), home.join("x/db"));
        let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
        assert_eq!(to_local_path("~x").unwrap(), cwd.join("~x"));
        assert_eq!(to_local_path("a/./b/../c").unwrap(), cwd.join("a/c"));
        assert_eq!(
            to_local_path("//tmp//a b/é").unwrap(),
            PathBuf::from("/tmp/a b/é")
        );
        assert_eq!(
            to_local_path("file:///tmp/a%20b/%C3%A9").unwrap(),
            PathBuf::from("/tmp/a b/é")
        );
        // `..` is resolved by name before a symbolic link is followed, as lance does.
        let d = temp_dir("symlink");
        std::fs::create_dir_all(d.join("real/sub")).unwrap();
        std::os::unix::fs::symlink(d.join("real/sub"), d.join("link")).unwrap();
        let p = format!("{}/link/../t.lance", d.display());
        assert_eq!(to_local_path(&p).unwrap(), d.join("t.lance"));
    }

    #[test]
    fn uris_that_lost_a_slash_say_how_to_pass_them() {
        for p in [
            "s3:/bucket/db/t.lance",
            "az:/c/db",
            "S3:/b/t.lance",
            "s3:bucket/db",
        ] {
            let e = locate(p, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::Arg, "{p}");
            assert!(e.message.contains("tableName"), "{}", e.message);
        }
        let e = locate("gs:/b/t", None).unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
        let e = locate("run:2024/db", Some("t")).unwrap_err();
        assert_eq!(e.code, ErrorCode::Unsupported);
        assert!(e.message.contains("\"./run:2024/db\""), "{}", e.message);
        let e = locate("/../tmp/db", None).unwrap_err();
        assert_eq!(e.code, ErrorCode::Arg);
        assert!(!e.message.contains(".rs"), "{}", e.message);
    }
}
