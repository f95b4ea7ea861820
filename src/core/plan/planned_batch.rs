//! A batch's plan with what the caller reads of it as text: the hashes to embed as hex and the ids
//! to delete, in pieces of at most 4 KB; made from slices on the pool ([`super::planner`]) or
//! from one slice on the calling thread ([`plan_direct`]).

use super::joined_strings::JoinedStrings;
use super::plan_changes::{merge, plan_slice, Plan, SlicePlan};
use crate::core::text::{CheckedText, TextPieces};
use crate::core::{CodedError, ErrorCode, HashMapsData};
use rayon::prelude::*;

/// Hashes per piece of [`PlannedBatch::hex`] at most (64 characters each: 4 KB), for the
/// reasons of [`TextPieces`].
const HASHES_PER_PIECE: usize = 64;
/// Ids to delete per parallel task when they are put into pieces.
const IDS_PER_TASK: usize = 1 << 14;

/// A slice of items: their ids and the texts to hash, as many of one as of the other.
pub struct Slice {
    pub(super) ids: JoinedStrings,
    pub(super) texts: JoinedStrings,
}

impl Slice {
    /// The slice of `ids` and `texts`, each `None` when its lengths did not add up (what
    /// [`JoinedStrings::from_ascii`] and [`JoinedStrings::from_utf16`] answer then). Either error
    /// is `E_INTERNAL`: the caller made the lengths from the same strings.
    pub fn new(
        ids: Option<JoinedStrings>,
        texts: Option<JoinedStrings>,
    ) -> Result<Self, CodedError> {
        match (ids, texts) {
            (Some(ids), Some(texts)) if ids.len() == texts.len() => Ok(Slice { ids, texts }),
            (Some(_), Some(_)) => Err(bad("a slice has more ids than texts")),
            _ => Err(bad("a slice's lengths do not add up")),
        }
    }
}

/// A planChanges error that only a bug can cause.
pub(super) fn bad(what: &str) -> CodedError {
    CodedError::new(ErrorCode::Internal, format!("planChanges: {what}"))
}

/// A batch's plan, with its hashes and ids to delete as text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PlannedBatch {
    pub plan: Plan,
    /// The hashes of `plan.to_embed` as lowercase hex, 64 characters each, whole hashes back to
    /// back, at most 64 to a piece (a slice's last piece may hold fewer).
    pub hex: Vec<CheckedText>,
    /// The ids of `plan.ids_to_delete`, in pieces ([`TextPieces`]).
    pub ids: Vec<CheckedText>,
    /// Each id's length in UTF-16 code units.
    pub id_lens: Vec<u32>,
}

/// A slice's plan and its hashes as hex ([`PlannedBatch::hex`]).
pub(super) type PlannedSlice = (SlicePlan, Vec<CheckedText>);

/// A slice's plan and its hashes as hex (`parallel`: on every core).
pub(super) fn planned_slice(
    data: &HashMapsData,
    slice: &Slice,
    force_all: bool,
    parallel: bool,
) -> Result<PlannedSlice, CodedError> {
    let plan = plan_slice(data, &slice.ids, &slice.texts, force_all, parallel);
    let hex = plan
        .hex_strings(HASHES_PER_PIECE)
        .into_iter()
        .map(CheckedText::new)
        .collect::<Result<_, _>>()?;
    Ok((plan, hex))
}

/// The slices' plans merged, with the ids to delete put into pieces: on every core when
/// `parallel` (called on the pool: each task starts a piece of its own), else on this thread (a
/// JS thread must never wait for the pool, which another call may keep busy for seconds).
pub(super) fn planned_batch(
    data: &HashMapsData,
    parts: &[SlicePlan],
    hex: Vec<CheckedText>,
    parallel: bool,
) -> Result<PlannedBatch, CodedError> {
    let plan = merge(data, parts);
    let group_text = |group: &[u32]| {
        let mut ids = TextPieces::new();
        for &i in group {
            ids.push(data.id_bytes(i));
        }
        ids.finish()
    };
    let groups = if parallel {
        plan.ids_to_delete
            .par_chunks(IDS_PER_TASK)
            .map(group_text)
            .collect::<Result<Vec<_>, _>>()?
    } else {
        vec![group_text(&plan.ids_to_delete)?]
    };
    let mut ids = Vec::new();
    let mut id_lens = Vec::with_capacity(plan.ids_to_delete.len());
    for (texts, lens) in groups {
        ids.extend(texts);
        id_lens.extend(lens);
    }
    Ok(PlannedBatch {
        plan,
        hex,
        ids,
        id_lens,
    })
}

/// The whole plan of one slice, on the calling thread: no pool. For a small batch, handing it to
/// the pool and waiting for the answer costs more than planning it here.
pub fn plan_direct(
    data: &HashMapsData,
    slice: &Slice,
    force_all: bool,
) -> Result<PlannedBatch, CodedError> {
    let (part, hex) = planned_slice(data, slice, force_all, false)?;
    planned_batch(data, std::slice::from_ref(&part), hex, false)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::core::maps::builder::MapsBuilder;
    use crate::core::maps::text_hash::hex_lower;
    use crate::core::plan::sha256::digest;

    /// Joined strings of `parts` (UTF-16 when any is not ASCII, as the binding reads them).
    pub fn joined(parts: &[&str]) -> JoinedStrings {
        let lens: Vec<u32> = parts
            .iter()
            .map(|s| s.encode_utf16().count() as u32)
            .collect();
        JoinedStrings::from_ascii(parts.concat().into_bytes(), &lens).unwrap_or_else(|| {
            let units = parts.iter().flat_map(|s| s.encode_utf16()).collect();
            JoinedStrings::from_utf16(units, &lens).unwrap()
        })
    }

    pub fn slice(items: &[(String, String)]) -> Slice {
        let ids: Vec<&str> = items.iter().map(|i| i.0.as_str()).collect();
        let texts: Vec<&str> = items.iter().map(|i| i.1.as_str()).collect();
        Slice::new(Some(joined(&ids)), Some(joined(&texts))).unwrap()
    }

    /// `rows` bases, base `b{i}` with chunks `b{i}#0` and, for every fifth, `b{i}#1`, stored with
    /// the hash of `t{i}`.
    pub fn maps(rows: usize) -> HashMapsData {
        let mut b = MapsBuilder::with_capacity(rows + rows / 5);
        for i in 0..rows {
            let hash = hex_lower(&digest(&format!("t{i}")));
            for c in 0..if i % 5 == 0 { 2 } else { 1 } {
                b.push_row(&format!("b{i}#{c}"), Some(hash.as_str()))
                    .unwrap();
            }
        }
        b.finish()
    }

    /// Items over `maps(rows)`: unchanged, changed (some of them not ASCII) and new ones.
    pub fn items(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| match i % 4 {
                0 => (format!("b{i}"), format!("t{i}")),
                1 => (format!("b{i}#0"), format!("t{i} é😀")),
                2 => (format!("new-{i}-ü"), format!("t{i}")),
                _ => (format!("b{i}"), format!("other {i}")),
            })
            .collect()
    }

    /// The ids of a batch, read back from the pieces as the JS side does.
    pub fn ids_of(batch: &PlannedBatch) -> Vec<String> {
        let pieces: Vec<Vec<u16>> = batch
            .ids
            .iter()
            .map(|p| p.text.encode_utf16().collect())
            .collect();
        let (mut c, mut q) = (0, 0);
        let mut out = Vec::new();
        for &len in &batch.id_lens {
            let len = len as usize;
            while q + len > pieces.get(c).map_or(0, Vec::len) {
                c += 1;
                q = 0;
            }
            q += len;
            out.push(String::from_utf16(&pieces[c][q - len..q]).unwrap());
        }
        out
    }

    #[test]
    fn direct_plan_with_its_hex_and_ids_in_pieces() {
        let data = maps(300);
        let items = items(200);
        let batch = plan_direct(&data, &slice(&items), false).unwrap();
        // The plan is the one-item-at-a-time statement's.
        let ids: Vec<Option<&str>> = items.iter().map(|i| Some(i.0.as_str())).collect();
        let digests: Vec<[u8; 32]> = items.iter().map(|i| digest(&i.1)).collect();
        let want = super::super::plan_changes::plan(&data, &ids, &digests, false);
        assert_eq!(batch.plan, want);
        assert_eq!(batch.plan.to_embed.len(), 150);
        // Hashes: 64 to a piece of ASCII.
        let sizes: Vec<usize> = batch.hex.iter().map(|p| p.text.len() / 64).collect();
        assert_eq!(sizes, [64, 64, 22]);
        assert!(batch.hex.iter().all(|p| p.ascii));
        let hex: Vec<String> = want.hashes.iter().map(hex_lower).collect();
        assert_eq!(
            batch
                .hex
                .iter()
                .map(|p| p.text.as_str())
                .collect::<String>(),
            hex.concat()
        );
        // Ids to delete: every chunk of each changed stored base.
        let want_ids: Vec<&str> = want.ids_to_delete.iter().map(|&i| data.id(i)).collect();
        assert_eq!(ids_of(&batch), want_ids);
        assert!(want_ids.contains(&"b5#1") && want_ids.contains(&"b7#0"));
    }

    #[test]
    fn a_slice_is_checked_and_an_empty_one_plans_nothing() {
        let two = || joined(&["a", "b"]);
        let one = || joined(&["a"]);
        let err = Slice::new(Some(two()), Some(one())).err().unwrap();
        assert_eq!(err.code, ErrorCode::Internal);
        assert_eq!(err.message, "planChanges: a slice has more ids than texts");
        for (ids, texts) in [(None, Some(one())), (Some(one()), None), (None, None)] {
            let err = Slice::new(ids, texts).err().unwrap();
            assert_eq!(err.message, "planChanges: a slice's lengths do not add up");
        }
        let empty = Slice::new(Some(joined(&[])), Some(joined(&[]))).unwrap();
        let batch = plan_direct(&maps(3), &empty, true).unwrap();
        assert_eq!(batch, PlannedBatch::default());
    }
}
