//! The service's change check over a batch of items, natively: which items to embed (new or
//! changed), how many are unchanged, and which existing chunk ids to delete first.

use super::base_id::base_id;
use super::maps::{BaseRef, HashMapsData};
use super::text_hash::HashRef;
use super::utf16::JsStrings;
use hashbrown::HashSet;
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

/// What planning needs to know of one item: its stored base, if any, its text's digest, and
/// whether the base's stored hash equals that digest (a stored null or non-digest never does).
#[derive(Debug, Clone, Copy)]
pub struct ItemFacts {
    pub base: Option<BaseRef>,
    pub digest: [u8; 32],
    pub hash_matches: bool,
}

impl ItemFacts {
    fn new(data: &HashMapsData, base: Option<BaseRef>, digest: [u8; 32]) -> Self {
        let hash_matches =
            base.is_some_and(|b| matches!(data.base_hash(b), HashRef::Digest(d) if *d == digest));
        ItemFacts {
            base,
            digest,
            hash_matches,
        }
    }
}

/// Items per unit of parallel work in [`facts_js`].
const BLOCK: usize = 512;
/// How many items ahead [`facts_js`] asks for the hash table lines of a lookup.
const PREFETCH_AHEAD: usize = 8;

/// The facts of items given as JS ids and texts (the `contextText || text` to hash), on every
/// core: ids and texts are converted to UTF-8 as JS does (lone surrogates as U+FFFD), texts
/// hashed, and base ids looked up with the table lines of later items already requested. An id
/// with a lone surrogate has no stored base: stored ids come from UTF-8, so none equals it in JS.
pub fn facts_js(data: &HashMapsData, ids: &JsStrings, texts: &JsStrings) -> Vec<ItemFacts> {
    assert_eq!(ids.len(), texts.len(), "one text per id");
    let block = |b: usize| -> Vec<ItemFacts> {
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
        let hashes: Vec<u64> = (0..ends.len())
            .map(|k| data.hash_bytes(base_id(id(k))))
            .collect();
        // First every lookup (table lines requested ahead), then every text hash (each base's
        // stored hash requested ahead): no step waits on main memory for the one just before.
        let mut bases = Vec::with_capacity(ends.len());
        for k in 0..ends.len() {
            if let Some(&h) = hashes.get(k + PREFETCH_AHEAD) {
                data.prefetch(h);
            }
            let found = storable[k].then(|| data.find_base_hashed(base_id(id(k)), hashes[k]));
            bases.push(found.flatten());
        }
        let mut text_buf = Vec::new();
        let mut out = Vec::with_capacity(ends.len());
        for (k, i) in range.enumerate() {
            if let Some(Some(b)) = bases.get(k + PREFETCH_AHEAD) {
                data.prefetch_base_hash(*b);
            }
            let text = texts.utf8(i, &mut text_buf).0;
            out.push(ItemFacts::new(data, bases[k], Sha256::digest(text).into()));
        }
        out
    };
    let blocks = ids.len().div_ceil(BLOCK);
    if blocks <= 1 {
        (0..blocks).flat_map(block).collect()
    } else {
        let parts: Vec<Vec<ItemFacts>> = (0..blocks).into_par_iter().map(block).collect();
        parts.concat()
    }
}

/// Plans a batch from each item's facts (see [`ItemFacts`]), in item order. With `force_all`
/// every item is embedded. A stored null (or non-digest) hash never matches.
pub fn plan_facts<'a>(
    data: &HashMapsData,
    facts: impl IntoIterator<Item = &'a ItemFacts>,
    force_all: bool,
) -> Plan {
    let mut out = Plan::default();
    let mut seen_bases: HashSet<u32> = HashSet::new();
    for (i, f) in facts.into_iter().enumerate() {
        if !force_all && f.hash_matches {
            out.skipped += 1;
            continue;
        }
        out.to_embed.push(i as u32);
        out.hashes.push(f.digest);
        if let Some(b) = f.base {
            if seen_bases.insert(b.index) {
                out.ids_to_delete.extend(data.base_chunks(b).to_vec());
            }
        }
    }
    out
}

/// Plans a batch. `ids[i]` is item i's id (`None` for an id that no stored id can equal: one with
/// a lone surrogate) and `digests[i]` the sha256 of its `contextText || text`. With `force_all`
/// every item is embedded. A stored null (or non-digest) hash never matches.
pub fn plan(
    data: &HashMapsData,
    ids: &[Option<&str>],
    digests: &[[u8; 32]],
    force_all: bool,
) -> Plan {
    assert_eq!(ids.len(), digests.len(), "one digest per item");
    let facts: Vec<ItemFacts> = ids
        .iter()
        .zip(digests)
        .map(|(id, digest)| {
            let base = id.and_then(|id| data.find_base(base_id(id.as_bytes())));
            ItemFacts::new(data, base, *digest)
        })
        .collect();
    plan_facts(data, &facts, force_all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::builder::MapsBuilder;
    use crate::core::hashing::digest;
    use crate::core::text_hash::hex_lower;

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

        // The JS-strings path (what planChanges uses) decides the same, in both forms.
        let lens: Vec<u32> = items.iter().map(|i| i.0.len() as u32).collect();
        let ids_ascii = JsStrings::from_ascii(
            ids.iter()
                .flatten()
                .copied()
                .collect::<String>()
                .into_bytes(),
            &lens,
        )
        .unwrap();
        let ids16 = JsStrings::from_utf16(
            ids.iter()
                .flatten()
                .flat_map(|s| s.encode_utf16())
                .collect(),
            &lens,
        )
        .unwrap();
        let lens: Vec<u32> = items.iter().map(|i| i.1.len() as u32).collect();
        let texts16 = JsStrings::from_utf16(
            items.iter().flat_map(|i| i.1.encode_utf16()).collect(),
            &lens,
        )
        .unwrap();
        assert_eq!(
            plan_facts(&data, &facts_js(&data, &ids_ascii, &texts16), false),
            p
        );
        assert_eq!(
            plan_facts(&data, &facts_js(&data, &ids16, &texts16), false),
            p
        );

        let forced = plan(&data, &ids, &digests, true);
        assert_eq!(forced.to_embed.len(), items.len());
        assert_eq!(forced.skipped, 0);
        let del: Vec<&str> = forced.ids_to_delete.iter().map(|&i| data.id(i)).collect();
        assert_eq!(del, vec!["a", "c#0", "c#1", "n", "u", "x"]);
    }
}
