//! The service's change check over a batch of items, natively: which items to embed (new or
//! changed), how many are unchanged, and which existing chunk ids to delete first.

use super::base_id::base_id;
use super::maps::HashMapsData;
use super::text_hash::HashRef;
use hashbrown::HashSet;

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

/// Plans a batch. `ids[i]` is item i's id and `digests[i]` the sha256 of its `contextText || text`.
/// With `force_all` every item is embedded. A stored null (or non-digest) hash never matches.
pub fn plan(data: &HashMapsData, ids: &[&str], digests: &[[u8; 32]], force_all: bool) -> Plan {
    assert_eq!(ids.len(), digests.len(), "one digest per item");
    let mut out = Plan::default();
    let mut seen_bases: HashSet<u32> = HashSet::new();
    for (i, (id, digest)) in ids.iter().zip(digests).enumerate() {
        let base = data.find_base(base_id(id.as_bytes()));
        let unchanged = !force_all
            && base.is_some_and(|b| matches!(data.base_hash(b), HashRef::Digest(d) if d == digest));
        if unchanged {
            out.skipped += 1;
            continue;
        }
        out.to_embed.push(i as u32);
        out.hashes.push(*digest);
        if let Some(b) = base {
            if seen_bases.insert(b.index) {
                out.ids_to_delete.extend(data.base_chunks(b).to_vec());
            }
        }
    }
    out
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
        let ids: Vec<&str> = items.iter().map(|i| i.0).collect();
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

        let forced = plan(&data, &ids, &digests, true);
        assert_eq!(forced.to_embed.len(), items.len());
        assert_eq!(forced.skipped, 0);
        let del: Vec<&str> = forced.ids_to_delete.iter().map(|&i| data.id(i)).collect();
        assert_eq!(del, vec!["a", "c#0", "c#1", "n", "u", "x"]);
    }
}
