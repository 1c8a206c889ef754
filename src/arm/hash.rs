//! Deterministic identifiers: SHA-1 (FIPS 180-4) for name-based UUIDs (RFC 9562 version 5),
//! and ARM's `uniqueString()` (a 64-bit MurmurHash variant, base-32 encoded, 13 characters).
//! No crate in the tree provides either, and both are small.

/// The SHA-1 digest of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut message = data.to_vec();
    let bit_len = u64::try_from(data.len()).unwrap_or(u64::MAX).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (slot, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *slot = word.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        }
        for i in 16..80 {
            let x = w.get(i - 3).copied().unwrap_or(0)
                ^ w.get(i - 8).copied().unwrap_or(0)
                ^ w.get(i - 14).copied().unwrap_or(0)
                ^ w.get(i - 16).copied().unwrap_or(0);
            if let Some(slot) = w.get_mut(i) {
                *slot = x.rotate_left(1);
            }
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// RFC 9562's URL namespace (`6ba7b811-9dad-11d1-80b4-00c04fd430c8`).
pub const URL_NAMESPACE: [u8; 16] =
    [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];

/// A version 5 (SHA-1, name-based) UUID, lower-case and hyphenated.
pub fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    let mut input = namespace.to_vec();
    input.extend_from_slice(name.as_bytes());
    let digest = sha1(&input);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(digest.get(..16).unwrap_or(&[0; 16]));
    if let Some(b) = bytes.get_mut(6) {
        *b = (*b & 0x0f) | 0x50;
    }
    if let Some(b) = bytes.get_mut(8) {
        *b = (*b & 0x3f) | 0x80;
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let part = |r: std::ops::Range<usize>| hex.get(r).unwrap_or("");
    format!("{}-{}-{}-{}-{}", part(0..8), part(8..12), part(12..16), part(16..20), part(20..32))
}

/// The deterministic GUID of an automation rule named `name`: the version 5 UUID of the name
/// in this tool's namespace, itself the version 5 UUID of the URL
/// `https://github.com/sentinel-soar/automation-rules` in [`URL_NAMESPACE`].
pub fn rule_guid(name: &str) -> String {
    uuid_v5(&rule_namespace(), name)
}

fn rule_namespace() -> [u8; 16] {
    let id = uuid_v5(&URL_NAMESPACE, "https://github.com/sentinel-soar/automation-rules");
    let hex: Vec<u8> = id.bytes().filter(u8::is_ascii_hexdigit).collect();
    let mut out = [0u8; 16];
    for (slot, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).unwrap_or("00");
        *slot = u8::from_str_radix(text, 16).unwrap_or(0);
    }
    out
}

/// ARM's `uniqueString(a, b, ...)`: the arguments joined with `-`, hashed with the 64-bit
/// MurmurHash variant Azure Resource Manager uses, written as 13 base-32 characters
/// (`a-z2-7`). Checked against published values of ARM's own function (see the tests); those
/// cover inputs whose length modulo 8 is 0 to 4, so for other lengths the result is only
/// known to be deterministic. Template names built with it are ids, never compared with
/// ARM's, so this is enough offline.
pub fn unique_string(parts: &[&str]) -> String {
    const C1: u32 = 0xab0e_9789;
    const C2: u32 = 0x239b_961b;
    const C3: u32 = 0x85eb_ca6b;
    const C4: u32 = 0xc2b2_ae35;
    let data = parts.join("-").into_bytes();
    let le = |chunk: &[u8]| chunk.iter().rev().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    let (mut h1, mut h2) = (0u32, 0u32);
    let mut blocks = data.chunks_exact(8);
    for block in blocks.by_ref() {
        let (lo, hi) = block.split_at(4);
        let k1 = le(lo).wrapping_mul(C2).rotate_left(15).wrapping_mul(C1);
        let k2 = le(hi).wrapping_mul(C1).rotate_left(17).wrapping_mul(C2);
        h1 = (h1 ^ k1).rotate_left(19).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x561c_cd1b);
        h2 = (h2 ^ k2).rotate_left(13).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x0bca_a747);
    }
    let rest = blocks.remainder();
    if !rest.is_empty() {
        let (lo, hi) = rest.split_at(rest.len().min(4));
        h1 ^= le(lo).wrapping_mul(C2).rotate_left(15).wrapping_mul(C1);
        if !hi.is_empty() {
            h2 ^= le(hi).wrapping_mul(C1).rotate_left(17).wrapping_mul(C2);
        }
    }
    let len = u32::try_from(data.len()).unwrap_or(u32::MAX);
    let fmix = |mut x: u32| {
        x = (x ^ (x >> 16)).wrapping_mul(C3);
        x = (x ^ (x >> 13)).wrapping_mul(C4);
        x ^ (x >> 16)
    };
    let r0 = h2 ^ len;
    let r1 = (h1 ^ len).wrapping_add(r0);
    let r2 = r0.wrapping_add(r1);
    let (r1, r2) = (fmix(r1), fmix(r2));
    let r1 = r1.wrapping_add(r2);
    let r2 = r2.wrapping_add(r1);
    let mut h = (u64::from(r2) << 32) | u64::from(r1);
    let alphabet = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(13);
    for _ in 0..13 {
        let index = usize::try_from((h >> 59) & 31).unwrap_or(0);
        out.push(char::from(alphabet.get(index).copied().unwrap_or(b'a')));
        h <<= 5;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha1_matches_the_fips_vectors() {
        assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        let long = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(hex(&sha1(long)), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    }

    #[test]
    fn uuid_v5_matches_rfc_examples() {
        // RFC 9562's DNS namespace; python's uuid.uuid5(NAMESPACE_DNS, "python.org").
        let dns = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0, 0xc0, 0x4f, 0xd4, 0x30, 0xc8];
        assert_eq!(uuid_v5(&dns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
        assert_eq!(rule_guid("x"), rule_guid("x"));
        assert_ne!(rule_guid("x"), rule_guid("X"));
        assert_eq!(rule_guid("x").len(), 36);
    }

    #[test]
    fn unique_string_matches_arm() {
        assert_eq!(unique_string(&["test"]), "rbgf3xv4ufgzg");
        assert_eq!(unique_string(&["hello", "world"]), "a7wkljktk6wne");
        assert_eq!(unique_string(&["abc"]), "cgtzqvhu4i23s");
        assert_eq!(unique_string(&["foo", "bar", "baz"]), "xzi4ioaxtmth4");
        assert_eq!(
            unique_string(&["/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-rg"]),
            "bmg7c6xu4tw46"
        );
    }
}
