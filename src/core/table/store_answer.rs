//! An object store's refusal, or a failure to reach it, in one sentence. object_store reports
//! them as "Error performing GET http://host/bucket?list-type=2&prefix=… in 5ms - Server returned
//! non-2xx status code: 403 Forbidden: <?xml …?><Error><Code>…</Code><Message>…</Message>…" or
//! "… in 2.1s, after 1 retries, max_retries: 1, retry_timeout: 2s - HTTP error: error sending
//! request: operation timed out": a request URL (the store's own path of the table), timings and
//! a whole XML body. A user needs the status and the store's reason, or where the store was
//! looked for and what went wrong on the way.

/// What object_store writes before the HTTP status.
const PHRASE: &str = "non-2xx status code: ";

/// What object_store writes before the reason a request got no answer.
const NO_ANSWER: &str = "HTTP error: ";

/// "the object store answered 403 Forbidden (SignatureDoesNotMatch: The request signature …)" or
/// "could not reach the object store at http://127.0.0.1:9000 (after 1 retries): operation timed
/// out", from an error text of object_store's; `None` for any other text.
pub fn summary(text: &str) -> Option<String> {
    answered(text).or_else(|| unanswered(text))
}

fn answered(text: &str) -> Option<String> {
    let after = &text[text.find(PHRASE)? + PHRASE.len()..];
    // "403 Forbidden: <body>" or "403 Forbidden" alone.
    let (status, body) = match after.find(": ") {
        Some(at) => (&after[..at], &after[at + 2..]),
        None => (after, ""),
    };
    let status = status.lines().next().unwrap_or("").trim();
    let detail = match (xml_tag(body, "Code"), xml_tag(body, "Message")) {
        (Some(code), Some(message)) => format!(" ({code}: {message})"),
        (Some(one), None) | (None, Some(one)) => format!(" ({one})"),
        (None, None) => String::new(),
    };
    Some(format!("the object store answered {status}{detail}"))
}

fn unanswered(text: &str) -> Option<String> {
    let mut reason = &text[text.find(NO_ANSWER)? + NO_ANSWER.len()..];
    for noise in ["error sending request: ", "client error (Connect): "] {
        reason = reason.strip_prefix(noise).unwrap_or(reason);
    }
    // Where the store was looked for: the origin of the request URL, never its path (that is the
    // store's name of the table, and may hold the caller's names).
    let origin = text
        .split("Error performing ")
        .skip(1)
        .filter_map(|rest| rest.split(' ').nth(1))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .find_map(|u| url::Url::parse(u).ok())
        .map(|u| u.origin().ascii_serialization())
        .filter(|o| o != "null");
    let at = origin.map(|o| format!(" at {o}")).unwrap_or_default();
    let retries = text
        .find("after ")
        .map(|i| &text[i..])
        .and_then(|rest| rest.split(',').next())
        .filter(|a| a.ends_with(" retries"))
        .map(|a| format!(" ({a})"))
        .unwrap_or_default();
    Some(format!(
        "could not reach the object store{at}{retries}: {}",
        reason.trim()
    ))
}

/// The first line of the text of the first `<tag>…</tag>` in `xml` (Azure's messages go on with
/// request ids and times on further lines), with the XML entities decoded; `None` when absent or
/// empty.
fn xml_tag(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    let text = xml[start..end].lines().next().unwrap_or("").trim();
    (!text.is_empty()).then(|| {
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    })
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn s3_refusal() {
        let text = "LanceError(IO): Generic S3 error: Error performing list request: Error performing GET \
            http://127.0.0.1:45123/lhm-auth?list-type=2&prefix=db%2Fembeddings.lance%2F_versions%2F in \
            5.069075ms - Server returned non-2xx status code: 403 Forbidden: <?xml version=\"1.0\" \
            encoding=\"utf-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature \
            we calculated does not match the signature you provided. Check your key and signing \
            method.</Message><BucketName>lhm-auth</BucketName><RequestId>42jx</RequestId></Error>";
        assert_eq!(
            summary(text).unwrap(),
            "the object store answered 403 Forbidden (SignatureDoesNotMatch: The request signature we \
             calculated does not match the signature you provided. Check your key and signing method.)"
        );
    }

    #[test]
    fn azure_refusal_keeps_the_first_line_of_the_message() {
        let text = "Error performing GET http://127.0.0.1:1/devstoreaccount1/c?restype=container in 3ms \
            - Server returned non-2xx status code: 403 Forbidden: \u{feff}<?xml version=\"1.0\"?><Error>\
            <Code>AuthorizationFailure</Code><Message>Server failed to authenticate the request &amp; \
            more.\nRequestId:abc\nTime:2026-11-26T12:00:00Z</Message></Error>";
        assert_eq!(
            summary(text).unwrap(),
            "the object store answered 403 Forbidden (AuthorizationFailure: Server failed to \
             authenticate the request & more.)"
        );
    }

    #[test]
    fn unreachable_and_silent_stores() {
        let refused = "LanceError(IO): Generic S3 error: Error performing list request: Error performing GET \
            http://127.0.0.1:40133/b?list-type=2&prefix=db%2Ft.lance%2F_versions%2F in 102.09ms, after 1 \
            retries, max_retries: 1, retry_timeout: 2s  - HTTP error: error sending request: client error \
            (Connect): tcp connect error: Connection refused (os error 111)";
        assert_eq!(
            summary(refused).unwrap(),
            "could not reach the object store at http://127.0.0.1:40133 (after 1 retries): tcp connect \
             error: Connection refused (os error 111)"
        );
        let silent = "Generic MicrosoftAzure error: Error performing list request: Error performing GET \
            http://127.0.0.1:35237/devstoreaccount1/c?restype=container in 2.1s - HTTP error: error \
            sending request: operation timed out";
        assert_eq!(
            summary(silent).unwrap(),
            "could not reach the object store at http://127.0.0.1:35237: operation timed out"
        );
    }

    #[test]
    fn a_bare_status_and_no_status() {
        assert_eq!(
            summary("x - Server returned non-2xx status code: 503 Service Unavailable").unwrap(),
            "the object store answered 503 Service Unavailable"
        );
        assert_eq!(summary("connection refused"), None);
    }
}
