//! When no table was found: why that may be a mistake, if a likely one is visible (the
//! `warning` of the result and the text of `E_NO_TABLE`).

use super::locate::{to_local_path, uri_scheme};
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

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

/// The first directory on the way to `path` that does not exist, when one above `path` is
/// missing (`/a/b` for `/a/b/c/t.lance` when `/a` exists but `/a/b` does not).
fn first_missing_ancestor(path: &Path) -> Option<PathBuf> {
    let mut missing = None;
    for dir in path.ancestors().skip(1) {
        match std::fs::symlink_metadata(dir) {
            Err(e) if e.kind() == ErrorKind::NotFound => missing = Some(dir.to_path_buf()),
            _ => break,
        }
    }
    missing
}

/// Whether `path` is relative to the working directory (not absolute, not `~`, not a URI).
fn is_relative(path: &str) -> bool {
    !(path == "~"
        || path.starts_with("~/")
        || uri_scheme(path).is_some()
        || path.to_ascii_lowercase().starts_with("file:")
        || Path::new(path).is_absolute())
}

/// When nothing was found at `path` (with `table_name`): why that may be a mistake, if a likely
/// one is visible — a `~name` path (only `~` and `~/` mean the home directory), a table name
/// given with its `.lance`, a database directory that holds other tables, a relative path (the
/// absolute path looked at and the working directory), a missing parent directory. `None` when
/// nothing looks wrong.
pub fn missing_warning(path: &str, table_name: Option<&str>) -> Option<String> {
    let mut warnings = Vec::new();
    if path.starts_with('~') && path != "~" && !path.starts_with("~/") {
        let first = path.split('/').next().unwrap_or(path);
        warnings.push(format!(
            "only a leading \"~\" or \"~/\" means the home directory (as for @lancedb/lancedb): \
             {first:?} is a directory of that name in the working directory"
        ));
    }
    if let Some(name) = table_name.and_then(|n| n.strip_suffix(".lance")) {
        warnings.push(format!(
            "tableName is the table's name without \".lance\": {name:?}, not \"{name}.lance\""
        ));
    }
    if let Ok(root) = to_local_path(path) {
        let looked_at = match table_name {
            Some(name) => root.join(format!("{name}.lance")),
            None => root.clone(),
        };
        if is_relative(path) {
            let cwd = std::env::current_dir()
                .map(|d| d.display().to_string())
                .unwrap_or_else(|e| format!("unknown ({e})"));
            warnings.push(format!(
                "nothing at {} (a relative path is taken from the working directory, {cwd})",
                looked_at.display()
            ));
        }
        if let Some(dir) = first_missing_ancestor(&looked_at) {
            warnings.push(format!("the directory {} does not exist", dir.display()));
        }
        // The database directory: the path itself with a table name, else the path's parent.
        let db = match table_name {
            Some(_) => Some(root.as_path()),
            None => root.parent(),
        };
        if let Some(db) = db {
            let tables = tables_in(db);
            if !tables.is_empty() {
                warnings.push(match table_name {
                    Some(_) => format!("the database holds the tables {tables:?}"),
                    None => format!("the directory it is in holds the tables {tables:?}"),
                });
            }
        }
    }
    (!warnings.is_empty()).then(|| warnings.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_tables_say_where_they_were_looked_for() {
        let d = std::env::temp_dir().join(format!("lhm-warning-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("no/such/db");
        let warning = missing_warning(p.to_str().unwrap(), Some("t")).unwrap();
        assert!(
            warning.contains(&format!(
                "the directory {} does not exist",
                d.join("no").display()
            )),
            "{warning}"
        );
        let warning = missing_warning("lhm-surely-missing/db", Some("t")).unwrap();
        let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
        assert!(warning.contains(&cwd.display().to_string()), "{warning}");
        assert!(
            warning.contains(
                &cwd.join("lhm-surely-missing/db/t.lance")
                    .display()
                    .to_string()
            ),
            "{warning}"
        );
        assert!(missing_warning("~lhm/x", None)
            .unwrap()
            .contains("\"~lhm\""));
        // An absolute path whose directory exists: nothing looks wrong.
        std::fs::create_dir_all(d.join("db")).unwrap();
        assert_eq!(
            missing_warning(d.join("db").to_str().unwrap(), Some("t")),
            None
        );
    }
}
