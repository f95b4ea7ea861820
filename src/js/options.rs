//! `BuildHashMapsOptions`: declared for TypeScript, parsed by hand so that a wrong type becomes an
//! `E_ARG` rejection instead of a thrown napi type error.

use crate::core::{ErrorCode, LoadError, LoadOptions};
use napi::bindgen_prelude::*;
use napi::{JsValue, ValueType};
use napi_derive::napi;

/// Options of [`buildHashMaps`]. Every field is optional.
#[napi(object, object_from_js = false, object_to_js = false)]
pub struct BuildHashMapsOptions {
    /// The table's name when `tablePath` is a database directory: the table `<tableName>.lance` inside
    /// it is read (as `connect(tablePath).openTable(tableName)` would). Without it, `tablePath` must
    /// be the table directory itself (e.g. `<db>/embeddings.lance`).
    pub table_name: Option<String>,
    /// The id column. Default `"id"`. Must be a string column; a null id rejects with `E_NULL_ID`.
    pub id_column: Option<String>,
    /// The hash column. Default `"text_hash"`. Must be a string column; nulls are kept as `null`.
    pub hash_column: Option<String>,
    /// Read this table version instead of the latest (see `HashMaps.version`). A version that does
    /// not exist rejects with `E_VERSION`.
    pub version: Option<i64>,
    /// Rows per batch read from the table (default 8192). Affects speed and memory, never results.
    pub batch_size: Option<u32>,
    /// Stops the call: it then rejects with `E_ABORTED`, promptly (the scan checks between batches).
    /// An already aborted signal rejects before anything is read. Your own `onabort` is left alone.
    #[napi(ts_type = "AbortSignal")]
    pub signal: Option<Unknown<'static>>,
    /// Called from the JS thread as rows are loaded, at most once per `progressEvery` rows and once
    /// at the end (calls may still arrive until the promise settles). If it throws, the call stops
    /// and rejects with `E_CALLBACK`, with the thrown value as `cause`.
    #[napi(ts_type = "(loadedRows: number, totalRows: number) => void")]
    pub on_progress: Option<Unknown<'static>>,
    /// Rows between `onProgress` calls. Default 50,000.
    pub progress_every: Option<u32>,
}

fn arg_error(msg: impl Into<String>) -> LoadError {
    LoadError::new(ErrorCode::Arg, msg)
}

fn get_string(obj: &Object, name: &str) -> std::result::Result<Option<String>, LoadError> {
    let v: Unknown = obj
        .get_named_property(name)
        .map_err(|e| arg_error(format!("options.{name}: {e}")))?;
    match v.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => Ok(None),
        Ok(ValueType::String) => Ok(Some(
            unsafe { String::from_napi_value(v.value().env, v.raw()) }
                .map_err(|e| arg_error(format!("options.{name}: {e}")))?,
        )),
        Ok(t) => Err(arg_error(format!(
            "options.{name} must be a string, got {t}"
        ))),
        Err(e) => Err(arg_error(format!("options.{name}: {e}"))),
    }
}

fn get_integer(
    obj: &Object,
    name: &str,
    min: f64,
    max: f64,
) -> std::result::Result<Option<f64>, LoadError> {
    let v: Unknown = obj
        .get_named_property(name)
        .map_err(|e| arg_error(format!("options.{name}: {e}")))?;
    match v.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => Ok(None),
        Ok(ValueType::Number) => {
            let n = unsafe { f64::from_napi_value(v.value().env, v.raw()) }
                .map_err(|e| arg_error(format!("options.{name}: {e}")))?;
            if n.fract() != 0.0 || !(min..=max).contains(&n) {
                return Err(arg_error(format!(
                    "options.{name} must be a whole number from {min} to {max}, got {n}"
                )));
            }
            Ok(Some(n))
        }
        Ok(t) => Err(arg_error(format!(
            "options.{name} must be a number, got {t}"
        ))),
        Err(e) => Err(arg_error(format!("options.{name}: {e}"))),
    }
}

/// The table path argument: a non-empty string.
pub fn parse_path(value: &Unknown) -> std::result::Result<String, LoadError> {
    match value.get_type() {
        Ok(ValueType::String) => unsafe { String::from_napi_value(value.value().env, value.raw()) }
            .map_err(|e| arg_error(format!("tablePath: {e}"))),
        Ok(t) => Err(arg_error(format!(
            "tablePath must be a string (a table directory or file:// URI), got {t}"
        ))),
        Err(e) => Err(arg_error(format!("tablePath: {e}"))),
    }
}

/// The options argument: `undefined`, `null` or an object.
pub fn parse_options(value: Option<&Unknown>) -> std::result::Result<LoadOptions, LoadError> {
    let mut opts = LoadOptions::default();
    let Some(value) = value else { return Ok(opts) };
    match value.get_type() {
        Ok(ValueType::Undefined) | Ok(ValueType::Null) => return Ok(opts),
        Ok(ValueType::Object) => {}
        Ok(t) => return Err(arg_error(format!("options must be an object, got {t}"))),
        Err(e) => return Err(arg_error(format!("options: {e}"))),
    }
    let obj = unsafe { Object::from_napi_value(value.value().env, value.raw()) }
        .map_err(|e| arg_error(format!("options: {e}")))?;
    opts.table_name = get_string(&obj, "tableName")?;
    if let Some(c) = get_string(&obj, "idColumn")? {
        opts.id_column = c;
    }
    if let Some(c) = get_string(&obj, "hashColumn")? {
        opts.hash_column = c;
    }
    opts.version = get_integer(&obj, "version", 1.0, 9_007_199_254_740_991.0)?.map(|v| v as u64);
    if let Some(b) = get_integer(&obj, "batchSize", 1.0, 1_048_576.0)? {
        opts.batch_size = b as usize;
    }
    Ok(opts)
}
