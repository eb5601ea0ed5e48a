//! Splitting a batch between machines: `--shard K/N` keeps the inputs
//! whose key hashes to share K of N, so N workers given the same inputs
//! (in any order, the folders mounted anywhere) each take their part and
//! every file is taken exactly once. The hash is our own over the key's
//! bytes: the standard library's is seeded afresh in every process.

use crate::{Error, Result};

/// One share of a batch: the `index`-th (from 1) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, from 1 to `count`.
    pub index: u64,
    /// How many shares the batch is split into.
    pub count: u64,
}

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N).
    pub fn parse(text: &str) -> Result<Shard> {
        let bad = || {
            Error::Usage(format!(
                "--shard {text}: write K/N, such as 2/4 for the second of four shares, or auto"
            ))
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: u64 = k.trim().parse().map_err(|_| bad())?;
        let count: u64 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(Error::Usage(format!(
                "--shard {text}: K must be from 1 to N (and N at least 1)"
            )));
        }
        Ok(Shard { index, count })
    }

    /// The share a scheduler gives this worker, from the environment
    /// `var` reads: `SHEETSCRIPT_SHARD_INDEX` (from 0) with
    /// `SHEETSCRIPT_SHARD_COUNT`; a Kubernetes Indexed Job's
    /// `JOB_COMPLETION_INDEX` (from 0) with `SHEETSCRIPT_SHARD_COUNT` (the
    /// manifest sets it to the job's completions); a Slurm array's
    /// `SLURM_ARRAY_TASK_ID` with `SLURM_ARRAY_TASK_MIN`,
    /// `SLURM_ARRAY_TASK_STEP` and `SLURM_ARRAY_TASK_COUNT`. Also says
    /// which variables it read.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<(Shard, String)> {
        let number = |name: &str| -> Result<Option<u64>> {
            match var(name) {
                None => Ok(None),
                Some(v) if v.trim().is_empty() => Ok(None),
                Some(v) => v.trim().parse().map(Some).map_err(|_| {
                    Error::Usage(format!("--shard auto: {name}={v} is not a whole number"))
                }),
            }
        };
        let count_var = "SHEETSCRIPT_SHARD_COUNT";
        let (index, count, from) = if let Some(i) = number("SHEETSCRIPT_SHARD_INDEX")? {
            (i, number(count_var)?, "SHEETSCRIPT_SHARD_INDEX")
        } else if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            (i, number(count_var)?, "JOB_COMPLETION_INDEX")
        } else if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let step = number("SLURM_ARRAY_TASK_STEP")?.unwrap_or(1).max(1);
            let count = number("SLURM_ARRAY_TASK_COUNT")?.or(number(count_var)?);
            let offset = id.checked_sub(min).ok_or_else(|| {
                Error::Usage(format!(
                    "--shard auto: SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"
                ))
            })?;
            (offset / step, count, "SLURM_ARRAY_TASK_ID")
        } else {
            return Err(Error::Usage(
                "--shard auto: none of SHEETSCRIPT_SHARD_INDEX, JOB_COMPLETION_INDEX or \
                 SLURM_ARRAY_TASK_ID is set; give --shard K/N"
                    .into(),
            ));
        };
        let count = count.ok_or_else(|| {
            Error::Usage(format!(
                "--shard auto: {from} is set but not how many shares there are; set {count_var}"
            ))
        })?;
        if index >= count {
            return Err(Error::Usage(format!(
                "--shard auto: {from} gives share {index} (counted from 0), but there are only {count}"
            )));
        }
        let shard = Shard {
            index: index + 1,
            count,
        };
        Ok((
            shard,
            format!("shard {}/{} from {from}", shard.index, count),
        ))
    }

    /// Whether the input with `key` belongs to this share.
    pub fn takes(&self, key: &str) -> bool {
        stable_hash(key.as_bytes()) % self.count == self.index - 1
    }
}

/// FNV-1a over `bytes`, then a final mix (splitmix64's) so that the low
/// bits a small share count looks at depend on every byte. The same in
/// every process, on every machine, in every release.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// The share (from 0) of four that `brno.xlsx` falls in, fixed.
    const BRNO_OF_FOUR: u64 = 2;

    #[test]
    fn the_hash_is_fixed_for_all_time() {
        // Workers of one batch may run different builds: the split must
        // never move.
        assert_eq!(stable_hash(b""), 0xf52a_15e9_a9b5_e89b);
        assert_eq!(stable_hash(b"brno.xlsx") % 4, BRNO_OF_FOUR);
        assert_eq!(stable_hash(b"brno.xlsx"), stable_hash(b"brno.xlsx"));
        assert_ne!(stable_hash(b"brno.xlsx"), stable_hash(b"brno.xlsy"));
    }

    #[test]
    fn every_key_is_in_exactly_one_share() {
        let keys: Vec<String> = (0..500).map(|i| format!("branch-{i}.xlsx")).collect();
        for n in 1..=9 {
            let mut counts = vec![0usize; n as usize];
            for key in &keys {
                let owners: Vec<u64> = (1..=n)
                    .filter(|&k| Shard { index: k, count: n }.takes(key))
                    .collect();
                assert_eq!(owners.len(), 1, "{key} in shares {owners:?} of {n}");
                counts[(owners[0] - 1) as usize] += 1;
            }
            // Roughly even: no share holds twice its fair part.
            let fair = keys.len() / n as usize;
            assert!(counts.iter().all(|&c| c < 2 * fair + 10), "{counts:?}");
        }
    }

    #[test]
    fn shares_parse_and_come_from_schedulers() {
        assert_eq!(Shard::parse("2/4").unwrap(), Shard { index: 2, count: 4 });
        for bad in ["0/4", "5/4", "1/0", "x/2", "3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            let map: HashMap<&str, &str> = pairs.iter().copied().collect();
            move |k: &str| map.get(k).map(|v| v.to_string())
        };
        let k8s = env(&[
            ("JOB_COMPLETION_INDEX", "0"),
            ("SHEETSCRIPT_SHARD_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_env(k8s).unwrap().0,
            Shard { index: 1, count: 4 }
        );
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "7"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_STEP", "2"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_env(slurm).unwrap().0,
            Shard { index: 4, count: 4 }
        );
        assert!(Shard::from_env(env(&[("JOB_COMPLETION_INDEX", "1")])).is_err());
        assert!(Shard::from_env(env(&[])).is_err());
        let past = env(&[
            ("SHEETSCRIPT_SHARD_INDEX", "4"),
            ("SHEETSCRIPT_SHARD_COUNT", "4"),
        ]);
        assert!(Shard::from_env(past).is_err());
    }
}
