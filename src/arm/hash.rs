//! Deterministic identifiers for ARM's `guid()` (a version 5 UUID, from the `uuid` crate) and
//! `uniqueString()` (a 64-bit MurmurHash variant, base-32 encoded, 13 characters). The latter
//! is ARM's own 64-bit arrangement (two 32-bit lanes over 8-byte blocks, its own constants and
//! finalization), none of the standard MurmurHash3 variants that crates implement, so it stays
//! written out here, pinned by ARM's published values.

use uuid::Uuid;

/// ARM's `guid(a, b, ...)` offline: the version 5 (SHA-1, name-based) UUID of the arguments
/// joined with `-`, in RFC 9562's URL namespace, lower-case and hyphenated. Deterministic, but
/// not the value ARM itself computes.
pub fn guid(parts: &[String]) -> String {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, parts.join("-").as_bytes()).to_string()
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

    #[test]
    fn guid_is_the_version_5_uuid_of_the_joined_arguments() {
        // The values of the hand-written SHA-1 this replaced, and python's
        // uuid.uuid5(uuid.NAMESPACE_URL, ...): "a-b", then 1000 bytes (several SHA-1 blocks).
        assert_eq!(guid(&["a".into(), "b".into()]), "5018f3ed-f2de-53c2-ac4f-1a54fb1fdca4");
        assert_eq!(guid(&["y".repeat(1000)]), "36580b61-32e6-5781-90f6-7a26bbc982fd");
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
