//! JSON Pointer (RFC 6901) tokens: `~` is written `~0` and `/` is written `~1`, so a key that
//! holds either still names one step of the path. The pointers this tool builds (anchors of
//! expressions in a playbook, references between actions, where an incident sits in a mock
//! file) all escape their keys here.

use std::borrow::Cow;

/// `token` escaped for a JSON Pointer; borrowed when there is nothing to escape.
pub fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

/// `token` of a JSON Pointer unescaped (`~1` is `/`, then `~0` is `~`).
pub fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// Appends `/token`, escaped, to `pointer`.
pub fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tilde_then_slash_are_escaped() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        // `~1` in a key is a tilde and a one, not an escaped slash.
        assert_eq!(escape("~1"), "~01");
        assert!(matches!(escape("plain"), Cow::Borrowed("plain")));
        for token in ["a/b~c", "~1", "~01", "plain"] {
            assert_eq!(unescape(&escape(token)), token);
        }
        let mut pointer = String::from("/actions");
        push(&mut pointer, "Get/IP");
        assert_eq!(pointer, "/actions/Get~1IP");
    }
}
