//! The service's change check over a batch of items, natively: which items to embed (new or
//! changed), how many are unchanged, and which existing chunk ids to delete first.

use super::joined_strings::JoinedStrings;
use crate::core::maps::base_id::base_id;
use crate::core::maps::bits::SeenIndexes;
use crate::core::maps::hash_maps_data::{BaseRef, Chunks, HashMapsData};
use crate::core::maps::text_hash::{hex_lower_bytes, HashRef};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The decision for one batch.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Indexes (into the items) of the items to embed, in item order.
    pub to_embed: Vec<u32>,
    /// The digest of each item in `to_embed`, in the same order.
    pub hashes: Vec<[u8; 32]>,
    /// Items whose stored hash equals their text's hash.
    pub skipped: u32,
    /// Existing ids to delete before re-embedding: for each distinct base id among `to_embed`, in
    /// first-appearance order, its chunk ids in scan order (frozen id indexes).
    pub ids_to_delete: Vec<u32>,
}

/// An item to embed, as one slice of items decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Embed {
    /// Index of the item within its slice.
    pub item: u32,
    /// The item's stored base, if any (its chunk ids are to be deleted).
    pub base: Option<BaseRef>,
    /// sha256 of the item's `contextText || text`.
    pub digest: [u8; 32],
}

/// What one slice of items decides on its own: how many are unchanged and which to embed. Slices
/// are planned in parallel; [`merge`] puts them together in item order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SlicePlan {
    /// Items in the slice.
    pub len: u32,
    pub skipped: u32,
    pub embed: Vec<Embed>,
}

impl SlicePlan {
    fn with_capacity(n: usize) -> Self {
        SlicePlan {
            len: 0,
            skipped: 0,
            embed: Vec::with_capacity(n / 4),
        }
    }

    /// Decides the next item: unchanged when its base's stored hash equals its digest (a stored
    /// null or non-digest never does), unless `force_all`.
    fn push(
        &mut self,
        data: &HashMapsData,
        base: Option<BaseRef>,
        digest: [u8; 32],
        force_all: bool,
    ) {
        let unchanged = !force_all
            && base
                .is_some_and(|b| matches!(data.base_hash(b), HashRef::Digest(d) if *d == digest));
        if unchanged {
            self.skipped += 1;
        } else {
            self.embed.push(Embed {
                item: self.len,
                base,
                digest,
            });
        }
        self.len += 1;
    }
}

impl SlicePlan {
    /// The digests of the items to embed as lowercase hex, 64 characters each, in strings of at
    /// most `per_string` digests (ASCII bytes), in order: made with the slice's plan, in parallel
    /// with the other slices, instead of all at the end.
    pub fn hex_strings(&self, per_string: usize) -> Vec<Vec<u8>> {
        self.embed
            .chunks(per_string.max(1))
            .map(|group| {
                let mut hex = Vec::with_capacity(group.len() * 64);
                for e in group {
                    hex.extend_from_slice(&hex_lower_bytes(&e.digest));
                }
                hex
            })
            .collect()
    }
}

/// Items per unit of parallel work in [`plan_slice`].
const BLOCK: usize = 512;
/// How many items ahead [`plan_slice`] asks for the memory of a lookup.
const PREFETCH_AHEAD: usize = 8;

/// Plans one slice of items given as joined ids and texts (the `contextText || text` to hash), on
/// every core when `parallel` (else on the calling thread, which then never waits for the pool):
/// ids and texts are converted to UTF-8 as JS does (lone surrogates as U+FFFD), texts
/// hashed, and base ids looked up with the table lines of later items already requested. An id
/// with a lone surrogate has no stored base: stored ids come from UTF-8, so none equals it in JS.
pub fn plan_slice(
    data: &HashMapsData,
    ids: &JoinedStrings,
    texts: &JoinedStrings,
    force_all: bool,
    parallel: bool,
) -> SlicePlan {
    assert_eq!(ids.len(), texts.len(), "one text per id");
    let block = |b: usize| -> SlicePlan {
        let range = b * BLOCK..((b + 1) * BLOCK).min(ids.len());
        let mut bytes = Vec::with_capacity(range.len() * 32);
        let mut ends = Vec::with_capacity(range.len());
        let mut storable = Vec::with_capacity(range.len());
        let mut buf = Vec::new();
        for i in range.clone() {
            let (id, exact) = ids.utf8(i, &mut buf);
            bytes.extend_from_slice(id);
            storable.push(exact);
            ends.push(bytes.len());
        }
        let id = |k: usize| &bytes[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
        // Each base id is found once; the hash and the lookup both use it.
        let base_lens: Vec<usize> = (0..ends.len()).map(|k| base_id(id(k)).len()).collect();
        let base = |k: usize| &id(k)[..base_lens[k]];
        let hashes: Vec<u64> = (0..ends.len()).map(|k| data.hash_bytes(base(k))).collect();
        // First every lookup (table lines requested ahead), then every text hash (each base's
        // stored hash requested ahead): no step waits on main memory for the one just before.
        let mut bases = Vec::with_capacity(ends.len());
        for k in 0..ends.len() {
            if let Some(&h) = hashes.get(k + PREFETCH_AHEAD) {
                data.prefetch(h);
            }
            let found = storable[k].then(|| data.find_base_hashed(base(k), hashes[k]));
            bases.push(found.flatten());
        }
        let mut text_buf = Vec::new();
        let mut out = SlicePlan::with_capacity(ends.len());
        for (k, i) in range.enumerate() {
            if let Some(Some(b)) = bases.get(k + PREFETCH_AHEAD) {
                data.prefetch_base_hash(*b);
            }
            let text = texts.utf8(i, &mut text_buf).0;
            out.push(data, bases[k], Sha256::digest(text).into(), force_all);
        }
        out
    };
    let count = ids.len().div_ceil(BLOCK).max(1);
    let blocks: Vec<SlicePlan> = if count == 1 || !parallel {
        (0..count).map(block).collect()
    } else {
        (0..count).into_par_iter().map(block).collect()
    };
    let mut out = SlicePlan::default();
    for b in blocks {
        out.embed.extend(b.embed.iter().map(|e| Embed {
            item: e.item + out.len,
            ..*e
        }));
        out.skipped += b.skipped;
        out.len += b.len;
    }
    out
}

/// Puts the slices' plans together, in item order: the items to embed with their digests, the
/// unchanged count, and for each distinct base among the items to embed (first-appearance
/// order) its chunk ids in scan order.
pub fn merge<'a>(data: &HashMapsData, slices: impl IntoIterator<Item = &'a SlicePlan>) -> Plan {
    let mut out = Plan::default();
    let slices: Vec<&SlicePlan> = slices.into_iter().collect();
    let embeds = slices.iter().map(|s| s.embed.len()).sum();
    let mut seen_bases = SeenIndexes::new(data.base_count(), embeds);
    let mut offset = 0u32;
    for slice in slices {
        out.skipped += slice.skipped;
        out.to_embed.reserve(slice.embed.len());
        out.hashes.reserve(slice.embed.len());
        for e in &slice.embed {
            out.to_embed.push(offset + e.item);
            out.hashes.push(e.digest);
            if let Some(b) = e.base {
                if seen_bases.insert(b.index) {
                    match data.base_chunks(b) {
                        Chunks::One(id) => out.ids_to_delete.push(id),
                        Chunks::Many(ids) => out.ids_to_delete.extend_from_slice(ids),
                    }
                }
            }
        }
        offset += slice.len;
    }
    out
}

/// Plans a batch one item at a time: the plain statement of what [`plan_slice`] and [`merge`]
/// compute, which the tests compare them with. `ids[i]` is item i's id (`None` for an id that no stored id can equal: one with
/// a lone surrogate) and `digests[i]` the sha256 of its `contextText || text`. With `force_all`
/// every item is embedded. A stored null (or non-digest) hash never matches.
#[cfg(test)]
pub fn plan(
    data: &HashMapsData,
    ids: &[Option<&str>],
    digests: &[[u8; 32]],
    force_all: bool,
) -> Plan {
    assert_eq!(ids.len(), digests.len(), "one digest per item");
    let mut all = SlicePlan::with_capacity(ids.len());
    for (id, digest) in ids.iter().zip(digests) {
        let base = id.and_then(|id| data.find_base(base_id(id.as_bytes())));
        all.push(data, base, *digest, force_all);
    }
    merge(data, [&all])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::maps::builder::MapsBuilder;
    use crate::core::maps::text_hash::hex_lower;
    use crate::core::plan::sha256::digest;

    #[test]
    fn unchanged_changed_new_chunked_null_and_forced() {
        let h = |s: &str| hex_lower(&digest(s));
        let mut b = MapsBuilder::with_capacity(8);
        for (id, text) in [
            ("a", Some("A")),
            ("c#0", Some("C")),
            ("c#1", Some("C")),
            ("n", None),
            ("u", Some("U")),
        ] {
            b.push_row(id, text.map(h).as_deref()).unwrap();
        }
        b.push_row("x", Some("NOT-HEX")).unwrap();
        let data = b.finish();
        let items = [
            ("a", "A"),
            ("c#0", "C2"),
            ("c#1", "C2"),
            ("n", "N"),
            ("new", "X"),
            ("u", "U"),
            ("x", "NOT-HEX"),
        ];
        let ids: Vec<Option<&str>> = items.iter().map(|i| Some(i.0)).collect();
        let digests: Vec<[u8; 32]> = items.iter().map(|i| digest(i.1)).collect();
        let p = plan(&data, &ids, &digests, false);
        assert_eq!(p.to_embed, vec![1, 2, 3, 4, 6]);
        assert_eq!(p.skipped, 2);
        assert_eq!(
            p.hashes,
            vec![digests[1], digests[2], digests[3], digests[4], digests[6]]
        );
        let del: Vec<&str> = p.ids_to_delete.iter().map(|&i| data.id(i)).collect();
        assert_eq!(del, vec!["c#0", "c#1", "n", "x"]);
        // A slice's hashes as hex, in strings of at most 2 (the last one shorter).
        let mut all = SlicePlan::with_capacity(items.len());
        for (id, d) in ids.iter().zip(&digests) {
            all.push(
                &data,
                id.and_then(|id| data.find_base(base_id(id.as_bytes()))),
                *d,
                false,
            );
        }
        let want: Vec<String> = p.hashes.iter().map(hex_lower).collect();
        let strings: Vec<String> = all
            .hex_strings(2)
            .into_iter()
            .map(|s| String::from_utf8(s).unwrap())
            .collect();
        assert_eq!(
            strings,
            [want[..2].concat(), want[2..4].concat(), want[4..].concat()]
        );

        // The joined-strings path (what planChanges uses) decides the same, in both forms.
        let lens: Vec<u32> = items.iter().map(|i| i.0.len() as u32).collect();
        let ids_ascii = JoinedStrings::from_ascii(
            ids.iter()
                .flatten()
                .copied()
                .collect::<String>()
                .into_bytes(),
            &lens,
        )
        .unwrap();
        let ids16 = JoinedStrings::from_utf16(
            ids.iter()
                .flatten()
                .flat_map(|s| s.encode_utf16())
                .collect(),
            &lens,
        )
        .unwrap();
        let lens: Vec<u32> = items.iter().map(|i| i.1.len() as u32).collect();
        let texts16 = JoinedStrings::from_utf16(
            items.iter().flat_map(|i| i.1.encode_utf16()).collect(),
            &lens,
        )
        .unwrap();
        assert_eq!(
            merge(
                &data,
                [&plan_slice(&data, &ids_ascii, &texts16, false, true)]
            ),
            p
        );
        assert_eq!(
            merge(&data, [&plan_slice(&data, &ids16, &texts16, false, true)]),
            p
        );
        // Split into slices of every size, planned apart and merged: the same plan.
        for size in 1..=items.len() {
            let lens_of = |v: &[&str]| v.iter().map(|s| s.len() as u32).collect::<Vec<u32>>();
            let parts: Vec<SlicePlan> = items
                .chunks(size)
                .map(|part| {
                    let ids: Vec<&str> = part.iter().map(|i| i.0).collect();
                    let texts: Vec<&str> = part.iter().map(|i| i.1).collect();
                    let ids = JoinedStrings::from_ascii(ids.concat().into_bytes(), &lens_of(&ids))
                        .unwrap();
                    let texts =
                        JoinedStrings::from_ascii(texts.concat().into_bytes(), &lens_of(&texts))
                            .unwrap();
                    plan_slice(&data, &ids, &texts, false, true)
                })
                .collect();
            assert_eq!(merge(&data, &parts), p, "slices of {size}");
        }

        let forced = plan(&data, &ids, &digests, true);
        assert_eq!(forced.to_embed.len(), items.len());
        assert_eq!(forced.skipped, 0);
        let del: Vec<&str> = forced.ids_to_delete.iter().map(|&i| data.id(i)).collect();
        assert_eq!(del, vec!["a", "c#0", "c#1", "n", "u", "x"]);
    }

    #[test]
    fn on_the_calling_thread_equals_on_every_core() {
        let h = |s: &str| hex_lower(&digest(s));
        let mut b = MapsBuilder::with_capacity(3000);
        for i in 0..3000 {
            let hash = h(&format!("t{i}"));
            b.push_row(&format!("b{i}#0"), Some(hash.as_str())).unwrap();
        }
        let data = b.finish();
        // Several blocks of items: unchanged, changed and new ones.
        let items: Vec<(String, String)> = (0..2500)
            .map(|i| (format!("b{}", i * 2), format!("t{}", i * 2 + i % 3)))
            .collect();
        let js = |v: Vec<&str>| {
            let lens: Vec<u32> = v.iter().map(|s| s.len() as u32).collect();
            JoinedStrings::from_ascii(v.concat().into_bytes(), &lens).unwrap()
        };
        let ids = js(items.iter().map(|i| i.0.as_str()).collect());
        let texts = js(items.iter().map(|i| i.1.as_str()).collect());
        let here = plan_slice(&data, &ids, &texts, false, false);
        let pooled = plan_slice(&data, &ids, &texts, false, true);
        assert_eq!(merge(&data, [&here]), merge(&data, [&pooled]));
        assert!(here.len > 2 * BLOCK as u32 && merge(&data, [&here]).skipped > 0);
    }
}
