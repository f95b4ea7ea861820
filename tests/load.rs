//! `core::load` on real tables written with the lancedb crate: scan order across fragments,
//! deletions, string encodings, versions and the error codes of the read path.

use arrow_array::{
    ArrayRef, Int32Array, LargeStringArray, RecordBatch, StringArray, StringViewArray,
};
use arrow_schema::{DataType, Field, Schema};
#[cfg(target_os = "linux")]
use lance_hashmaps::core::table::page_cache_reads;
use lance_hashmaps::core::{base_id_str, load, Control, ErrorCode, HashMapsData, LoadOptions};
use std::path::PathBuf;
use std::sync::Arc;

/// Held by each test of this file: they run one at a time, so a count of the process's reads
/// taken before and after a load is that load's.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lhm-load-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn batch(ids: Vec<Option<String>>, hashes: Vec<Option<String>>, id_type: &DataType) -> RecordBatch {
    let id_col: ArrayRef = match id_type {
        DataType::Utf8 => Arc::new(StringArray::from(ids)),
        DataType::LargeUtf8 => Arc::new(LargeStringArray::from(ids)),
        DataType::Utf8View => Arc::new(StringViewArray::from(ids)),
        _ => unreachable!(),
    };
    let schema = Schema::new(vec![
        Field::new("id", id_type.clone(), true),
        Field::new("text_hash", DataType::Utf8, true),
        Field::new("n", DataType::Int32, true),
    ]);
    let n = id_col.len() as i32;
    RecordBatch::try_new(
        Arc::new(schema),
        vec![
            id_col,
            Arc::new(StringArray::from(hashes)),
            Arc::new(Int32Array::from_iter_values(0..n)),
        ],
    )
    .unwrap()
}

/// Rows in insertion order: 3 fragments, chunked ids, a null hash, a duplicate.
fn rows() -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for i in 0..300 {
        let id = if i % 7 == 0 {
            format!("item{}#{}", i / 7 % 10, i % 3)
        } else {
            format!("item{i}")
        };
        out.push((
            id,
            if i % 11 == 0 {
                None
            } else {
                Some(format!("{i:064x}"))
            },
        ));
    }
    out.push(("item1".into(), Some("dup".into())));
    out
}

async fn write(
    dir: &std::path::Path,
    rows: &[(String, Option<String>)],
    id_type: DataType,
) -> lancedb::Table {
    let db = lancedb::connect(dir.to_str().unwrap())
        .execute()
        .await
        .unwrap();
    let batches: Vec<RecordBatch> = rows
        .chunks(100)
        .map(|c| {
            batch(
                c.iter().map(|r| Some(r.0.clone())).collect(),
                c.iter().map(|r| r.1.clone()).collect(),
                &id_type,
            )
        })
        .collect();
    let table = db
        .create_table("embeddings", batches[0].clone())
        .execute()
        .await
        .unwrap();
    for b in &batches[1..] {
        table.add(b.clone()).execute().await.unwrap();
    }
    table
}

/// Checks `data` against the JS loop over `rows` (which are in scan order).
fn assert_matches(data: &HashMapsData, rows: &[(String, Option<String>)]) {
    let mut bases: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    for (id, hash) in rows {
        let b = base_id_str(id);
        match bases.iter_mut().find(|x| x.0 == b) {
            Some(x) => x.2.push(id.clone()),
            None => bases.push((b.to_string(), hash.clone(), vec![id.clone()])),
        }
    }
    assert_eq!(data.row_count(), rows.len() as u64);
    assert_eq!(data.base_count(), bases.len());
    let mut cursor = None;
    for (b, hash, ids) in &bases {
        cursor = data.next_base(cursor);
        let base = cursor.unwrap();
        assert_eq!(data.base_key(base), b);
        assert_eq!(data.base_hash(base).to_string_opt(), *hash);
        let got: Vec<&str> = data
            .base_chunks(base)
            .to_vec()
            .into_iter()
            .map(|i| data.id(i))
            .collect();
        assert_eq!(got, *ids);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_every_string_encoding_in_scan_order() {
    let _one = ONE_AT_A_TIME.lock().await;
    for (name, t) in [
        // Characters a URI spells differently, in the table's directory name.
        ("utf8 #1 %41 ?x=é", DataType::Utf8),
        ("large", DataType::LargeUtf8),
        ("view", DataType::Utf8View),
    ] {
        let dir = temp_dir(name);
        let rows = rows();
        write(&dir, &rows, t).await;
        let path = dir.join("embeddings.lance");
        for batch_size in [1, 7, 8192] {
            let opts = LoadOptions {
                batch_size,
                ..Default::default()
            };
            #[cfg(target_os = "linux")]
            let read_before = page_cache_reads::read_bytes();
            let loaded = load(path.to_str().unwrap(), &opts, &Control::default())
                .await
                .unwrap();
            assert!(loaded.table_found);
            assert_matches(&loaded.data, &rows);
            // On Linux the data files were read through the page cache reader.
            #[cfg(target_os = "linux")]
            assert!(page_cache_reads::read_bytes() > read_before);
            // Where the time went is measured (examples/load_maps prints it).
            let t = loaded.timings;
            assert!(t.first_batch > std::time::Duration::ZERO, "{t:?}");
            assert!(t.building > std::time::Duration::ZERO, "{t:?}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletions_versions_and_errors() {
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = temp_dir("versions");
    let rows = rows();
    let table = write(&dir, &rows, DataType::Utf8).await;
    let v_full = table.version().await.unwrap();
    table.delete("n < 10").await.unwrap();
    let path = dir.join("embeddings.lance");
    let p = path.to_str().unwrap();

    // Each fragment of 100 rows lost its rows with n < 10.
    let kept: Vec<_> = rows
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 100 >= 10)
        .map(|(_, r)| r.clone())
        .collect();
    let loaded = load(p, &LoadOptions::default(), &Control::default())
        .await
        .unwrap();
    assert_matches(&loaded.data, &kept);
    assert_eq!(loaded.version, Some(v_full + 1));

    let old = LoadOptions {
        version: Some(v_full),
        ..Default::default()
    };
    assert_matches(
        &load(p, &old, &Control::default()).await.unwrap().data,
        &rows,
    );

    let missing_version = LoadOptions {
        version: Some(999),
        ..Default::default()
    };
    let err = load(p, &missing_version, &Control::default())
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::Version, "{err}");

    let wrong_type = LoadOptions {
        hash_column: "n".into(),
        ..Default::default()
    };
    let err = load(p, &wrong_type, &Control::default())
        .await
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::Schema, "{err}");
    assert!(
        err.message.contains(p) && err.message.contains("Int32"),
        "{err}"
    );

    let control = Control::default();
    control
        .aborted
        .store(true, std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        load(p, &LoadOptions::default(), &control)
            .await
            .err()
            .unwrap()
            .code,
        ErrorCode::Aborted
    );

    let missing = load(
        dir.join("nope.lance").to_str().unwrap(),
        &LoadOptions::default(),
        &Control::default(),
    )
    .await
    .unwrap();
    assert!(!missing.table_found);
    assert!(!dir.join("nope.lance").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A table of several versions written for a test of how its latest version is found: its
/// directory, rows, latest version, and the name lance gives each version's manifest.
struct Versioned {
    dir: PathBuf,
    rows: Vec<(String, Option<String>)>,
    latest: u64,
    /// lance's newer naming scheme: names of 20 digits counting down from u64::MAX.
    counts_down: bool,
}

impl Versioned {
    async fn write(name: &str) -> Self {
        let dir = temp_dir(name);
        let rows = rows();
        let table = write(&dir, &rows, DataType::Utf8).await;
        let latest = table.version().await.unwrap();
        assert!(latest >= 4, "{latest}");
        let counts_down = std::fs::read_dir(dir.join("embeddings.lance/_versions"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .any(|n| n.len() == "00000000000000000000.manifest".len() && n.ends_with(".manifest"));
        Versioned {
            dir,
            rows,
            latest,
            counts_down,
        }
    }

    fn manifest(&self, version: u64) -> PathBuf {
        let name = if self.counts_down {
            format!("{:020}.manifest", u64::MAX - version)
        } else {
            format!("{version}.manifest")
        };
        self.dir.join("embeddings.lance/_versions").join(name)
    }

    fn path(&self) -> String {
        self.dir
            .join("embeddings.lance")
            .to_str()
            .unwrap()
            .to_owned()
    }
}

/// The version lance opens for a path: the highest manifest in `_versions` (one directory read),
/// whatever a stale version hint says. Here the hint names a version below a gap (the one before
/// the latest is gone), so a lookup that trusted the hint and probed upward would stop there.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_latest_version_is_the_one_lance_opens_for_a_path() {
    let _one = ONE_AT_A_TIME.lock().await;
    let t = Versioned::write("hint").await;
    std::fs::remove_file(t.manifest(t.latest - 1)).unwrap();
    let hint = t
        .dir
        .join("embeddings.lance/_versions/latest_version_hint.json");
    std::fs::write(hint, format!("{{\"version\":{}}}", t.latest - 2)).unwrap();
    let loaded = load(&t.path(), &LoadOptions::default(), &Control::default())
        .await
        .unwrap();
    assert_eq!(loaded.version, Some(t.latest));
    assert_matches(&loaded.data, &t.rows);
    std::fs::remove_dir_all(&t.dir).unwrap();
}

/// A manifest copied under a newer version's name (a hand-made rollback): lance's plain path opens
/// the newest file, whatever version it holds, and so do we (asking lance for that version by
/// number would refuse it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_newest_manifest_file_is_opened_whatever_version_it_holds() {
    let _one = ONE_AT_A_TIME.lock().await;
    let t = Versioned::write("rollback").await;
    std::fs::copy(t.manifest(2), t.manifest(t.latest + 1)).unwrap();
    let plain = lance::dataset::Dataset::open(&t.path()).await.unwrap();
    assert_eq!(plain.version().version, 2);
    let loaded = load(&t.path(), &LoadOptions::default(), &Control::default())
        .await
        .unwrap();
    assert_eq!(loaded.version, Some(2));
    assert_matches(&loaded.data, &t.rows[..200]);
    std::fs::remove_dir_all(&t.dir).unwrap();
}
