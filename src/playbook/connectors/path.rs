//! Path templates for mocks: `/api/v3/ip_addresses/{ip}` matches one path segment per `{x}`
//! hole, `*` matches any run of characters (slashes too); everything else compares ignoring
//! ASCII case (connector paths are case-insensitive). A query string in the rendered path is
//! ignored unless the template has one.

/// True when `path` matches `template`.
pub fn matches(template: &str, path: &str) -> bool {
    let path = if template.contains('?') { path } else { path.split('?').next().unwrap_or(path) };
    glob(template.as_bytes(), path.as_bytes())
}

fn glob(t: &[u8], p: &[u8]) -> bool {
    match t.split_first() {
        None => p.is_empty(),
        Some((b'*', rest)) => (0..=p.len()).any(|i| p.get(i..).is_some_and(|tail| glob(rest, tail))),
        Some((b'{', _)) => {
            let Some(close) = t.iter().position(|&c| c == b'}') else { return literal(t, p) };
            let rest = t.get(close + 1..).unwrap_or_default();
            let segment = p.iter().position(|&c| c == b'/').unwrap_or(p.len());
            (1..=segment).any(|i| p.get(i..).is_some_and(|tail| glob(rest, tail)))
        }
        Some((c, rest)) => match p.split_first() {
            Some((d, tail)) if c.eq_ignore_ascii_case(d) => glob(rest, tail),
            _ => false,
        },
    }
}

fn literal(t: &[u8], p: &[u8]) -> bool {
    t.eq_ignore_ascii_case(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_stars_and_case() {
        assert!(matches("/api/v3/ip_addresses/{ip}", "/api/v3/ip_addresses/185.220.101.47"));
        assert!(!matches("/api/v3/ip_addresses/{ip}", "/api/v3/ip_addresses/a/b"));
        assert!(!matches("/api/v3/ip_addresses/{ip}", "/api/v3/ip_addresses/"));
        assert!(matches("/v1.0/users/*", "/v1.0/users/a%40b.com/manager"));
        assert!(matches("/Incidents/Comment", "/incidents/comment"));
        assert!(matches("/approvalmail/$subscriptions", "/approvalmail/$subscriptions"));
        assert!(matches("https://graph.microsoft.com/*", "https://graph.microsoft.com/v1.0/me?x=1"));
        assert!(matches("/search", "/search?q=1"));
        assert!(!matches("/search?q=2", "/search?q=1"));
    }
}
