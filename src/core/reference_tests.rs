//! The compact maps against a naive reference of the JS loop, on generated rows.

use super::*;
use crate::core::table::columns::StrColumn;
use arrow_array::{ArrayRef, StringArray};
use std::sync::Arc;

/// The JS reference loop, with `String`s and insertion-ordered vectors.
#[derive(Default)]
struct Reference {
    base_hash: Vec<(String, Option<String>)>,
    ids: Vec<String>,
    chunks: Vec<(String, Vec<String>)>,
}

impl Reference {
    fn push(&mut self, id: &str, hash: Option<&str>) {
        let base = base_id_str(id).to_string();
        if !self.base_hash.iter().any(|(b, _)| *b == base) {
            self.base_hash.push((base.clone(), hash.map(String::from)));
        }
        if !self.ids.iter().any(|i| i == id) {
            self.ids.push(id.to_string());
        }
        match self.chunks.iter_mut().find(|(b, _)| *b == base) {
            Some((_, list)) => list.push(id.to_string()),
            None => self.chunks.push((base, vec![id.to_string()])),
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_id(rng: &mut Rng) -> String {
    let bases = ["a", "b", "doc/é", "x#y", "", "#", "z#+1", "ü", "a#1", "q\n"];
    let mut id = bases[rng.below(bases.len() as u64) as usize].to_string();
    id.push_str(&rng.below(40).to_string());
    match rng.below(6) {
        0 => {}
        1 | 2 => id.push_str(&format!("#{}", rng.below(4))),
        3 => id.push_str(&format!("#0{}", rng.below(3))),
        4 => id.push_str(["#", "#x", "#1\n", "#٣", "#-2"][rng.below(5) as usize]),
        _ => id.push_str(&format!("#{}#{}", rng.below(3), rng.below(3))),
    }
    id
}

fn random_hash(rng: &mut Rng) -> Option<String> {
    match rng.below(8) {
        0 => None,
        1 => Some("ABC".into()),
        2 => Some(String::new()),
        _ => Some(format!("{:016x}", rng.next()).repeat(4)),
    }
}

fn check(rows: &[(String, Option<String>)]) {
    let mut reference = Reference::default();
    for (id, hash) in rows {
        reference.push(id, hash.as_deref());
    }
    // Odd lengths go row by row, even ones in batches of varying size (the prefetching path).
    let mut builder = MapsBuilder::with_capacity(rows.len() / 3);
    if rows.len() % 2 == 1 {
        for (id, hash) in rows {
            builder.push_row(id, hash.as_deref()).unwrap();
        }
    } else {
        let mut start = 0;
        let mut size = 1;
        while start < rows.len() {
            let part = &rows[start..(start + size).min(rows.len())];
            let ids: ArrayRef = Arc::new(StringArray::from_iter_values(part.iter().map(|r| &r.0)));
            let hashes: ArrayRef =
                Arc::new(StringArray::from_iter(part.iter().map(|r| r.1.clone())));
            let (ids, hashes) = (
                StrColumn::new(&ids, "id").unwrap(),
                StrColumn::new(&hashes, "text_hash").unwrap(),
            );
            builder.push_batch(&ids, &hashes).unwrap();
            start += part.len();
            size = size * 3 % 97 + 1;
        }
    }
    let data = Arc::new(builder.finish());
    assert_eq!(data.row_count(), rows.len() as u64);
    assert_eq!(data.base_count(), reference.base_hash.len());
    assert_eq!(data.id_count(), reference.ids.len());

    // baseHashMap and existingChunks: lookups and iteration order.
    let mut cursor = None;
    for ((base, hash), (chunk_base, chunk_ids)) in reference.base_hash.iter().zip(&reference.chunks)
    {
        assert_eq!(base, chunk_base);
        let found = data.find_base(base.as_bytes()).expect("base present");
        assert_eq!(data.base_key(found), base);
        assert_eq!(
            data.base_hash(found).to_string_opt(),
            *hash,
            "hash of {base:?}"
        );
        let chunks: Vec<&str> = data
            .base_chunks(found)
            .to_vec()
            .into_iter()
            .map(|i| data.id(i))
            .collect();
        assert_eq!(chunks, *chunk_ids, "chunks of {base:?}");
        cursor = data.next_base(cursor);
        assert_eq!(cursor, Some(found), "iteration order at {base:?}");
    }
    assert_eq!(data.next_base(cursor), None);
    let keys: Vec<&str> = data.bases().map(|b| data.base_key(b)).collect();
    let want: Vec<&str> = reference
        .base_hash
        .iter()
        .map(|(b, _)| b.as_str())
        .collect();
    assert_eq!(keys, want, "bases() order");
    assert_eq!(data.find_base(b"never-a-base#"), None);

    // existingIds' table part: order, has, and delete (ids added later live in JS).
    let mut set = TableIds::new(data.clone());
    let mut want: Vec<String> = reference.ids.clone();
    let collect = |set: &TableIds| {
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some((p, id)) = set.next_from(pos) {
            out.push(String::from_utf8(id.to_vec()).unwrap());
            pos = p + 1;
        }
        out
    };
    assert_eq!(collect(&set), want);
    let mut rng = Rng(rows.len() as u64 + 7);
    for step in 0..200 {
        let id = if want.is_empty() || rng.below(3) == 0 {
            random_id(&mut rng)
        } else {
            want[rng.below(want.len() as u64) as usize].clone()
        };
        let had = want.iter().position(|w| *w == id);
        if let Some(p) = had {
            want.remove(p);
        }
        assert_eq!(set.delete(&id), had.is_some(), "step {step}: delete {id:?}");
        assert!(!set.has(&id));
        assert_eq!(set.size(), want.len());
    }
    assert_eq!(collect(&set), want);
    for id in &want {
        assert!(set.has(id), "{id:?} after the deletes");
    }
}

#[test]
fn matches_the_reference_on_random_tables() {
    for seed in 1..40u64 {
        let mut rng = Rng(seed * 0x9E3779B97F4A7C15);
        let n = rng.below(400) as usize + if seed > 30 { 3000 } else { 0 };
        let rows: Vec<_> = (0..n)
            .map(|_| (random_id(&mut rng), random_hash(&mut rng)))
            .collect();
        check(&rows);
    }
}

#[test]
fn first_row_wins_even_when_null() {
    let rows = vec![
        ("a#0".to_string(), None),
        ("a#1".to_string(), Some("h1".to_string())),
        ("a".to_string(), Some("h2".to_string())),
        ("a#0".to_string(), Some("h3".to_string())),
    ];
    check(&rows);
}

#[test]
fn empty_table() {
    check(&[]);
    let data = MapsBuilder::with_capacity(0).finish();
    assert_eq!(data.next_base(None), None);
}
