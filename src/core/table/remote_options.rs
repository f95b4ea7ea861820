//! The storage options a load passes to lance for an object store.

/// Defaults that bound how long a call can wait on an object store, where the caller set none
/// (every other key is passed to lance as given, as `@lancedb/lancedb`'s `storageOptions` are).
pub(super) const REMOTE_DEFAULTS: [(&str, &str); 3] = [
    // object_store's own: 5 s to connect, 30 s per request.
    ("connect_timeout", "5s"),
    ("timeout", "30s"),
    // lance's default is 180 s of retries; a call then fails within about a minute.
    ("client_retry_timeout", "30"),
];

/// The storage options for lance: the caller's, plus [`REMOTE_DEFAULTS`] where a key is absent.
pub(super) fn remote_options(
    given: &std::collections::HashMap<String, String>,
) -> std::collections::HashMap<String, String> {
    let mut out = given.clone();
    for (k, v) in REMOTE_DEFAULTS {
        if !given.keys().any(|g| g.eq_ignore_ascii_case(k)) {
            out.insert(k.to_owned(), v.to_owned());
        }
    }
    out
}
