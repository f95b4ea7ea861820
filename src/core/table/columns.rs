//! Reading the id and hash columns of a batch as strings, whatever string encoding the file uses.

use crate::core::error::{CodedError, ErrorCode};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray};
use arrow_schema::DataType;

/// Whether a column of this type can be read as text.
pub fn is_string_type(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, value) => matches!(
            **value,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        ),
        _ => false,
    }
}

/// A string column of one batch.
pub enum StrColumn {
    Utf8(StringArray),
    Large(LargeStringArray),
}

impl StrColumn {
    /// Wraps `array`, casting view and dictionary encodings to plain `Utf8`.
    pub fn new(array: &ArrayRef, name: &str) -> Result<Self, CodedError> {
        match array.data_type() {
            DataType::Utf8 => Ok(StrColumn::Utf8(array.as_string::<i32>().clone())),
            DataType::LargeUtf8 => Ok(StrColumn::Large(array.as_string::<i64>().clone())),
            t if is_string_type(t) => {
                let cast = arrow_cast::cast(array, &DataType::LargeUtf8).map_err(|e| {
                    CodedError::new(
                        ErrorCode::Corrupt,
                        format!("column {name:?}: cannot decode {t} as text: {e}"),
                    )
                })?;
                Ok(StrColumn::Large(cast.as_string::<i64>().clone()))
            }
            t => Err(CodedError::new(
                ErrorCode::Schema,
                format!("column {name:?} has type {t}, not a string type"),
            )),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            StrColumn::Utf8(a) => a.len(),
            StrColumn::Large(a) => a.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of text of all values together.
    pub fn value_bytes(&self) -> usize {
        fn span<O: arrow_array::OffsetSizeTrait>(o: &[O]) -> usize {
            (o[o.len() - 1] - o[0]).as_usize()
        }
        match self {
            StrColumn::Utf8(a) => span(a.value_offsets()),
            StrColumn::Large(a) => span(a.value_offsets()),
        }
    }

    pub fn null_count(&self) -> usize {
        match self {
            StrColumn::Utf8(a) => a.null_count(),
            StrColumn::Large(a) => a.null_count(),
        }
    }

    /// The value at `i`, `None` for null.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&str> {
        match self {
            StrColumn::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            StrColumn::Large(a) => a.is_valid(i).then(|| a.value(i)),
        }
    }

    /// The value at `i`, for a column known to hold no nulls.
    #[inline]
    pub fn get_non_null(&self, i: usize) -> &str {
        match self {
            StrColumn::Utf8(a) => a.value(i),
            StrColumn::Large(a) => a.value(i),
        }
    }
}
