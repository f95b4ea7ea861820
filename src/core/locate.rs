//! From the caller's path (and optional table name) to a table directory, without creating or
//! touching anything: `lancedb::connect` would create a missing directory, so we never call it.

use super::error::{ErrorCode, LoadError};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Where the table is, or that there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    /// Nothing at the path (or no such table in the database): the caller gets empty maps.
    Missing(PathBuf),
    /// A directory that holds a Lance table.
    Table(PathBuf),
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
                .ok_or_else(|| {
                    LoadError::new(
                        ErrorCode::Arg,
                        format!("{path:?} is not a valid file:// URI"),
                    )
                })?
        } else if scheme.len() > 1
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(LoadError::new(
                ErrorCode::Unsupported,
                format!("{path:?}: only local tables (a path or a file:// URI) are supported, not {scheme}://"),
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
            format!("{path:?}: cannot make the path absolute: {e}"),
        )
    })
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> LoadError {
    LoadError::new(ErrorCode::Io, format!("{}: {what}: {e}", path.display()))
}

/// Finds the table directory for `path` (a table directory, or a database directory with `table_name`).
pub fn locate(path: &str, table_name: Option<&str>) -> Result<Located, LoadError> {
    let root = to_local_path(path)?;
    let dir = match table_name {
        Some(name) => {
            if !is_valid_table_name(name) {
                return Err(LoadError::new(
                    ErrorCode::Arg,
                    format!("tableName {name:?} is not a valid table name (1 to 128 of A-Z a-z 0-9 _ . -)"),
                ));
            }
            match std::fs::metadata(&root) {
                Ok(m) if !m.is_dir() => {
                    return Err(LoadError::new(
                        ErrorCode::NotATable,
                        format!("{}: is a file, not a database directory", root.display()),
                    ))
                }
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Located::Missing(root)),
                Err(e) => return Err(io_error(&root, "cannot read the database directory", e)),
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
                format!(
                    "{}: part of the path is a file, not a directory ({e})",
                    dir.display()
                ),
            ))
        }
        Err(e) => return Err(io_error(&dir, "cannot read the table directory", e)),
    };
    if !meta.is_dir() {
        return Err(LoadError::new(
            ErrorCode::NotATable,
            format!("{}: is a file, not a Lance table directory", dir.display()),
        ));
    }
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| io_error(&dir, "cannot list the table directory", e))?;
    let mut tables = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(&dir, "cannot list the table directory", e))?;
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
        format!(
            "{}: not a Lance table (no _versions directory){hint}",
            dir.display()
        ),
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
            locate("s3://bucket/t", None).unwrap_err().code,
            ErrorCode::Unsupported
        );
        let d = temp_dir("uri");
        let uri = url::Url::from_directory_path(&d).unwrap().to_string();
        assert_eq!(
            locate(&format!("{uri}x"), None).unwrap(),
            Located::Missing(d.join("x"))
        );
    }
}
