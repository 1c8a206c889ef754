//! Deterministic GUIDs: `guid()` must differ call to call inside a run yet repeat exactly when
//! the same run is replayed. A [`GuidSource`] hashes its seed (derived from the run's inputs)
//! with a per-run counter through SplitMix64 and stamps the result as a version-4 UUID, so
//! the values look like the ones Logic Apps produces. No randomness, no clock.

use std::cell::Cell;

/// A per-run sequence of GUIDs. Interior mutability, so a `&Context` can hand them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidSource {
    seed: u64,
    counter: Cell<u64>,
}

impl GuidSource {
    pub fn new(seed: u64) -> GuidSource {
        GuidSource { seed, counter: Cell::new(0) }
    }

    /// A source seeded from the run's inputs (e.g. playbook name, trigger payload bytes):
    /// the same inputs give the same sequence. FNV-1a over the parts, each length-prefixed.
    pub fn from_inputs(parts: &[&[u8]]) -> GuidSource {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for part in parts {
            let len = u64::try_from(part.len()).unwrap_or(u64::MAX);
            for byte in len.to_le_bytes().iter().chain(part.iter()) {
                hash ^= u64::from(*byte);
                hash = hash.wrapping_mul(0x0100_0000_01b3);
            }
        }
        GuidSource::new(hash)
    }

    /// The next GUID (a version-4, RFC 4122 variant UUID as 128 bits, big-endian).
    pub fn next_guid(&self) -> u128 {
        let n = self.counter.get();
        self.counter.set(n.wrapping_add(1));
        let high = splitmix64(self.seed ^ splitmix64(n));
        let low = splitmix64(high ^ self.seed.rotate_left(32));
        let mut bits = (u128::from(high) << 64) | u128::from(low);
        bits = (bits & !(0xF << 76)) | (0x4 << 76);
        bits = (bits & !(0x3 << 62)) | (0x2 << 62);
        bits
    }

    /// How many GUIDs were handed out.
    pub fn issued(&self) -> u64 {
        self.counter.get()
    }
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Formats a GUID with a .NET format specifier: `D` (default, `xxxxxxxx-xxxx-...`), `N` (32
/// digits), `B` (`{D}`), `P` (`(D)`), `X` (`{0x...,0x...,0x...,{0x..,...}}`); lowercase hex as
/// .NET prints. `None` for any other specifier.
pub fn format_guid(bits: u128, specifier: &str) -> Option<String> {
    let hex = format!("{bits:032x}");
    let part = |a: usize, b: usize| hex.get(a..b).unwrap_or_default();
    let dashed = format!("{}-{}-{}-{}-{}", part(0, 8), part(8, 12), part(12, 16), part(16, 20), part(20, 32));
    let text = match specifier {
        "" | "D" | "d" => dashed,
        "N" | "n" => hex.clone(),
        "B" | "b" => format!("{{{dashed}}}"),
        "P" | "p" => format!("({dashed})"),
        "X" | "x" => {
            let bytes: Vec<String> = (8..16).map(|i| format!("0x{}", part(2 * i, 2 * i + 2))).collect();
            format!("{{0x{},0x{},0x{},{{{}}}}}", part(0, 8), part(8, 12), part(12, 16), bytes.join(","))
        }
        _ => return None,
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_per_seed_and_differs_per_call() {
        let a = GuidSource::from_inputs(&[b"playbook", b"{}"]);
        let b = GuidSource::from_inputs(&[b"playbook", b"{}"]);
        let first = a.next_guid();
        assert_eq!(first, b.next_guid());
        assert_ne!(first, a.next_guid());
        let text = format_guid(first, "D").unwrap();
        assert_eq!(text.len(), 36);
        assert_eq!(text.get(14..15), Some("4"));
        assert!(matches!(text.get(19..20), Some("8" | "9" | "a" | "b")));
    }

    #[test]
    fn formats_like_dotnet() {
        let bits = 0xc2ecc88d_88c8_4096_912c_d6f2e2b138ce_u128;
        assert_eq!(format_guid(bits, "P").unwrap(), "(c2ecc88d-88c8-4096-912c-d6f2e2b138ce)");
        assert_eq!(format_guid(bits, "N").unwrap(), "c2ecc88d88c84096912cd6f2e2b138ce");
        assert_eq!(
            format_guid(bits, "X").unwrap(),
            "{0xc2ecc88d,0x88c8,0x4096,{0x91,0x2c,0xd6,0xf2,0xe2,0xb1,0x38,0xce}}"
        );
        assert_eq!(format_guid(bits, "Q"), None);
    }
}
