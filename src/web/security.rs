//! Who may use the page: the access token a `--bind` server needs on
//! every request, and the cross-site checks of every POST (a token in the
//! form that must match a cookie only this site can set, and the
//! browser's Origin).

use axum::http::{header, HeaderMap};

/// The cookie that carries the access token after `?token=`.
pub const TOKEN_COOKIE: &str = "sheetscript_token";
/// The cookie whose value every form must repeat.
pub const CSRF_COOKIE: &str = "sheetscript_csrf";
/// The cookie of the chosen language.
pub const LANG_COOKIE: &str = "sheetscript_lang";

/// The value of cookie `name` in the request's Cookie headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// The value of `name` in a query string (`a=1&token=x`), undecoded: the
/// values looked for here (tokens, `cs`/`en`) need no decoding, and a
/// token with escapes simply does not match.
pub fn query_value<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The value of `name` in a query string, decoded (`%21` is `!`, `+` a
/// space); `None` when it is missing or does not decode to UTF-8 text.
pub fn query_text(query: Option<&str>, name: &str) -> Option<String> {
    let raw = query_value(query, name)?.as_bytes();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (raw[i], hex) {
            (b'%', Some(b)) => {
                bytes.push(b);
                i += 3;
            }
            (b'+', _) => {
                bytes.push(b' ');
                i += 1;
            }
            (b, _) => {
                bytes.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).ok()
}

/// Compares two secrets in time that does not depend on where they
/// first differ, so the token cannot be guessed a character at a time.
pub fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How the request shows the access token: `Authorization: Bearer T`,
/// the cookie, or `?token=T` (which also sets the cookie, so the links
/// of the page need not carry it). `Some(true)` when it came in the
/// query.
pub fn token_given(headers: &HeaderMap, query: Option<&str>, token: &str) -> Option<bool> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|t| same_secret(t.trim(), token));
    let cookie = cookie(headers, TOKEN_COOKIE).is_some_and(|t| same_secret(&t, token));
    if bearer || cookie {
        return Some(false);
    }
    query_value(query, "token")
        .filter(|t| same_secret(t, token))
        .map(|_| true)
}

/// Why a POST is refused as possibly cross-site, or `None` when it is
/// not: the browser says another site sent it (Origin other than this
/// host, or `Sec-Fetch-Site: cross-site`).
pub fn cross_site(headers: &HeaderMap) -> Option<String> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let own = host
            .is_some_and(|h| origin == format!("http://{h}") || origin == format!("https://{h}"));
        if !own {
            return Some(format!(
                "this form was sent from another site ({origin}); open the page itself and send it from there"
            ));
        }
    }
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if site == Some("cross-site") {
        return Some(
            "this form was sent from another site; open the page itself and send it from there"
                .into(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn query_text_is_decoded() {
        let q = Some("cell=%27Q1%202026%27%21B7&x=a+b&bad=%FF&cut=%2");
        assert_eq!(query_text(q, "cell").as_deref(), Some("'Q1 2026'!B7"));
        assert_eq!(query_text(q, "x").as_deref(), Some("a b"));
        assert_eq!(query_text(q, "bad"), None);
        assert_eq!(query_text(q, "cut").as_deref(), Some("%2"));
        assert_eq!(query_text(q, "none"), None);
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_token_is_taken_from_a_header_a_cookie_or_the_query() {
        let none = headers(&[]);
        assert_eq!(
            token_given(&none, Some("token=s3cret"), "s3cret"),
            Some(true)
        );
        assert_eq!(token_given(&none, Some("token=wrong"), "s3cret"), None);
        assert_eq!(token_given(&none, None, "s3cret"), None);
        let bearer = headers(&[("authorization", "Bearer s3cret")]);
        assert_eq!(token_given(&bearer, None, "s3cret"), Some(false));
        let cookie = headers(&[("cookie", "a=b; sheetscript_token=s3cret")]);
        assert_eq!(token_given(&cookie, None, "s3cret"), Some(false));
        assert!(!same_secret("s3cre", "s3cret"));
    }

    #[test]
    fn another_sites_post_is_refused() {
        let own = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
        ]);
        assert!(cross_site(&own).is_none());
        let other = headers(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example"),
        ]);
        assert!(cross_site(&other).is_some());
        let fetch = headers(&[("host", "127.0.0.1:8080"), ("sec-fetch-site", "cross-site")]);
        assert!(cross_site(&fetch).is_some());
        assert!(cross_site(&headers(&[("host", "x")])).is_none());
    }
}
