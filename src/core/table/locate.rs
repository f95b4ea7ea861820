//! From the caller's path (and optional table name) to a table directory or object-store URI,
//! without creating or touching anything: `lancedb::connect` would create a missing directory, so
//! we never call it.

use crate::core::error::{ErrorCode, LoadError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

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
fn uri_scheme(path: &str) -> Option<String> {
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
fn remote_table(uri: &str, table_name: Option<&str>) -> Result<Located, LoadError> {
    let parsed = url::Url::parse(uri)
        .map_err(|e| LoadError::new(ErrorCode::Arg, format!("not a valid URI: {e}")))?;
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(LoadError::new(
            ErrorCode::Arg,
            "the URI names no bucket or container (e.g. s3://bucket/path/table.lance)",
        ));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(LoadError::new(
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

/// Valid LanceDB table names, as `open_table` accepts them.
pub fn is_valid_table_name(name: &str) -> bool {
    (1..=128).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

/// Turns a path or `file://` URI into an absolute path (relative to the working directory).
pub fn to_local_path(path: &str) -> Result<PathBuf, LoadError> {
    if path.is_empty() {
        return Err(LoadError::new(
            ErrorCode::Arg,
            "tablePath is an empty string",
        ));
    }
    if path.contains('\0') {
        return Err(LoadError::new(
            ErrorCode::Arg,
            "tablePath contains a NUL character",
        ));
    }
    let local = if let Some(scheme_end) = path.find("://") {
        let scheme = &path[..scheme_end];
        if scheme.eq_ignore_ascii_case("file") {
            url::Url::parse(path)
                .ok()
                .and_then(|u| u.to_file_path().ok())
                .ok_or_else(|| LoadError::new(ErrorCode::Arg, "not a valid file:// URI"))?
        } else if uri_scheme(path).is_some() {
            return Err(LoadError::new(
                ErrorCode::Unsupported,
                format!(
                    "{scheme}:// is not supported: this build reads local tables (a path or a \
                     file:// URI) and s3://, az:// and abfss:// URIs"
                ),
            ));
        } else {
            PathBuf::from(path)
        }
    } else {
        PathBuf::from(path)
    };
    std::path::absolute(&local).map_err(|e| {
        LoadError::new(
            ErrorCode::Arg,
            format!("cannot make the path absolute: {e}"),
        )
    })
}

fn io_error(what: &str, e: std::io::Error) -> LoadError {
    LoadError::new(ErrorCode::Io, format!("{what}: {e}"))
}

/// Finds the table directory for `path` (a table directory, or a database directory with `table_name`).
pub fn locate(path: &str, table_name: Option<&str>) -> Result<Located, LoadError> {
    if let Some(name) = table_name {
        if !is_valid_table_name(name) {
            return Err(LoadError::new(
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
                    return Err(LoadError::new(
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
            return Err(LoadError::new(
                ErrorCode::NotATable,
                format!("part of the path is a file, not a directory ({e})"),
            ))
        }
        Err(e) => return Err(io_error("cannot read the table directory", e)),
    };
    if !meta.is_dir() {
        return Err(LoadError::new(
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
    let hint = if tables.is_empty() {
        String::new()
    } else {
        format!("; it looks like a database directory holding the tables {tables:?}: pass options.tableName")
    };
    Err(LoadError::new(
        ErrorCode::NotATable,
        format!("not a Lance table (no _versions directory){hint}"),
    ))
}

/// The tables (`<name>.lance` directories with a `_versions` directory) directly in `dir`, sorted.
fn tables_in(dir: &Path) -> Vec<String> {
    let mut tables: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let t = name.strip_suffix(".lance")?.to_owned();
            e.path().join("_versions").is_dir().then_some(t)
        })
        .collect();
    tables.sort();
    tables
}

/// When nothing was found at `path` (with `table_name`): why that may be a mistake, if a likely
/// one is visible — a `~` that only a shell expands, a table name given with its `.lance`, or a
/// database directory that holds other tables. `None` when nothing looks wrong.
pub fn missing_hint(path: &str, table_name: Option<&str>) -> Option<String> {
    let mut hints = Vec::new();
    if path.starts_with('~') {
        hints.push(
            "the path starts with \"~\", which only a shell turns into the home directory: \
             pass an absolute path (e.g. path.join(os.homedir(), ...))"
                .to_owned(),
        );
    }
    if let Some(name) = table_name.and_then(|n| n.strip_suffix(".lance")) {
        hints.push(format!(
            "tableName is the table's name without \".lance\": {name:?}, not \"{name}.lance\""
        ));
    }
    if let Ok(root) = to_local_path(path) {
        // The database directory: the path itself with a table name, else the path's parent.
        let db = match table_name {
            Some(_) => Some(root.as_path()),
            None => root.parent(),
        };
        if let Some(db) = db {
            let tables = tables_in(db);
            if !tables.is_empty() {
                hints.push(match table_name {
                    Some(_) => format!("the database holds the tables {tables:?}"),
                    None => format!("the directory it is in holds the tables {tables:?}"),
                });
            }
        }
    }
    (!hints.is_empty()).then(|| hints.join("; "))
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
}
