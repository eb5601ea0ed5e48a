//! Hash indexes of lookup key ranges. An exact-match VLOOKUP, HLOOKUP,
//! XLOOKUP, MATCH or XMATCH over a sheet range of at least
//! [`MIN_INDEXED_KEYS`] keys finds its key by hash instead of comparing
//! it with every cell: the 100k-row ledger of issue 12 spent most of its
//! evaluating time in such scans. One index serves every lookup over the
//! same key cells, kept in the store with the column stamps it was built
//! at, as the `*IFS` snapshots are, so a change in the key cells drops it.
//!
//! The index answers exactly what the scan answers ([`exact_eq`] without
//! wildcards, first or last match): equal keys (numbers and dates by
//! value, text ignoring case as [`values_equal`] folds it, booleans) form
//! one class, and a class holds only its first and last position, about
//! 20 to 36 bytes per distinct key. What has no such class is left to the
//! scan: a blank or error needle, a needle held as a float, wildcards.

use super::*;
use crate::formula::calc::date_system;
use crate::model::{DateSystem, Sheet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::sync::Arc;

/// Key ranges shorter than this are scanned: building an index costs
/// several scans.
pub(super) const MIN_INDEXED_KEYS: usize = 32;

/// The first and last position of one class of equal keys.
#[derive(Debug, Clone, Copy)]
struct Class {
    first: u32,
    last: u32,
}

/// A hash index of a vector of lookup keys.
#[derive(Debug)]
pub(crate) struct KeyIndex {
    /// The hasher of keys (randomly seeded: the classes a hash collision
    /// would merge are told apart by comparing, but a hostile workbook
    /// should not be able to make every key collide).
    hasher: RandomState,
    /// By a key's hash: the class of the first key seen with that hash.
    classes: HashMap<u64, Class, BuildHasherDefault<PassThrough>>,
    /// Further classes whose hash an earlier class holds (practically
    /// never: 64-bit hashes of different keys).
    collided: Vec<(u64, Class)>,
    /// Positions of numbers held as floats: a float equals a decimal when
    /// their nearest floats are equal, which is not a class a hash can
    /// stand for, so these are compared one by one (few or none: numbers
    /// are exact decimals unless too large or too small for one).
    floats: Vec<u32>,
    /// The date system dates were read in as numbers.
    date_system: DateSystem,
}

impl KeyIndex {
    /// The most distinct keys the store keeps indexed at once, 36 to 72 MB
    /// (past it the indexes kept are dropped and rebuilt on use); a whole
    /// sheet's column of distinct keys fits.
    pub(crate) const MAX_CACHED_KEYS: usize = 2 << 20;

    /// Indexes the `n` keys that `at` gives by position.
    pub(crate) fn build<'a>(n: usize, at: impl Fn(usize) -> &'a Value) -> KeyIndex {
        let mut index = KeyIndex {
            hasher: RandomState::new(),
            classes: HashMap::default(),
            collided: Vec::new(),
            floats: Vec::new(),
            date_system: date_system(),
        };
        for i in 0..n {
            let v = at(i);
            let pos = i as u32;
            let h = match index.hash(v) {
                Hashed::Key(h) => h,
                Hashed::Float => {
                    index.floats.push(pos);
                    continue;
                }
                Hashed::None => continue,
            };
            let class = index.classes.entry(h).or_insert(Class {
                first: pos,
                last: pos,
            });
            if class.first == pos {
                continue;
            }
            if exact_eq(v, at(class.first as usize), false) {
                class.last = pos;
                continue;
            }
            match index
                .collided
                .iter_mut()
                .find(|(ch, c)| *ch == h && exact_eq(v, at(c.first as usize), false))
            {
                Some((_, c)) => c.last = pos,
                None => index.collided.push((
                    h,
                    Class {
                        first: pos,
                        last: pos,
                    },
                )),
            }
        }
        index
    }

    /// How many entries the index holds (its weight in the store).
    pub(crate) fn entries(&self) -> usize {
        self.classes.len() + self.collided.len() + self.floats.len()
    }

    /// The first (or with `reverse` the last) position whose key equals
    /// `needle` as [`exact_eq`] without wildcards says, reading keys
    /// through `at`; `None` outside when the index cannot tell (the
    /// caller scans).
    pub(crate) fn find<'a>(
        &self,
        needle: &Value,
        reverse: bool,
        at: impl Fn(usize) -> &'a Value,
    ) -> Option<Option<usize>> {
        if self.date_system != date_system() {
            return None;
        }
        let h = match self.hash(needle) {
            Hashed::Key(h) => h,
            Hashed::Float | Hashed::None => return None,
        };
        let matches = |c: &Class| exact_eq(needle, at(c.first as usize), false);
        let class = self.classes.get(&h).filter(|c| matches(c)).or_else(|| {
            self.collided
                .iter()
                .find(|(ch, c)| *ch == h && matches(c))
                .map(|(_, c)| c)
        });
        let mut found = class.map(|c| if reverse { c.last } else { c.first });
        if matches!(needle, Value::Number(_) | Value::Date(_)) {
            let mut hits = self
                .floats
                .iter()
                .copied()
                .filter(|p| exact_eq(needle, at(*p as usize), false));
            let float = if reverse { hits.last() } else { hits.next() };
            found = match (found, float) {
                (Some(a), Some(b)) => Some(if reverse { a.max(b) } else { a.min(b) }),
                (a, b) => a.or(b),
            };
        }
        Some(found.map(|p| p as usize))
    }

    /// A key's hash, the same for every two keys [`exact_eq`] finds
    /// equal.
    fn hash(&self, v: &Value) -> Hashed {
        let number = match v {
            Value::Number(n) => *n,
            Value::Date(d) => date_number(d),
            Value::Text(t) => return Hashed::Key(self.text_hash(t)),
            Value::Bool(b) => {
                let mut h = self.hasher.build_hasher();
                h.write_u8(2);
                h.write_u8(u8::from(*b));
                return Hashed::Key(h.finish());
            }
            Value::Empty | Value::Error(_) => return Hashed::None,
        };
        match number {
            Number::Exact(d) => {
                // Equal decimals have one normal form (no trailing zeros).
                let d = d.normalize();
                let mut h = self.hasher.build_hasher();
                h.write_u8(0);
                h.write_i128(d.mantissa());
                h.write_u32(d.scale());
                Hashed::Key(h.finish())
            }
            Number::Float(_) => Hashed::Float,
        }
    }

    /// The hash of a text's lower-case form, the form [`values_equal`]
    /// compares (for ASCII text its ASCII lower case, which is the same),
    /// without allocating for short ASCII text.
    fn text_hash(&self, t: &str) -> u64 {
        let mut h = self.hasher.build_hasher();
        h.write_u8(1);
        let mut short = [0u8; 64];
        if t.is_ascii() && t.len() <= short.len() {
            let lower = &mut short[..t.len()];
            lower.copy_from_slice(t.as_bytes());
            lower.make_ascii_lowercase();
            h.write(lower);
        } else {
            h.write(t.to_lowercase().as_bytes());
        }
        h.finish()
    }
}

/// What a key hashes to.
enum Hashed {
    /// The hash of its class of equal keys.
    Key(u64),
    /// A number held as a float: no class.
    Float,
    /// A blank or an error: not indexed.
    None,
}

/// The hasher of the index's map, whose keys are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The key cells of a lookup (one row or column) as it reads them: in
/// place on the sheet, or a copy (see [`prepare_keys`]).
pub(super) enum KeyCells<'a> {
    /// The cells of `keys` (one row or column) on `sheet`.
    Sheet {
        sheet: Option<&'a Sheet>,
        keys: RangeAddr,
    },
    /// The values read one by one.
    Copied(Vec<Value>),
}

impl<'a> KeyCells<'a> {
    /// How many keys there are (none on a sheet that is not there).
    pub(super) fn len(&self) -> usize {
        match self {
            KeyCells::Sheet { sheet: None, .. } => 0,
            KeyCells::Sheet { keys, .. } => keys.rows().max(keys.cols()) as usize,
            KeyCells::Copied(v) => v.len(),
        }
    }

    /// The key at position `i`.
    pub(super) fn at(&self, i: usize) -> &Value {
        static EMPTY: Value = Value::Empty;
        match self {
            KeyCells::Sheet { sheet: None, .. } => &EMPTY,
            KeyCells::Sheet {
                sheet: Some(sheet),
                keys,
            } => sheet.value(nth_cell(*keys, i)),
            KeyCells::Copied(v) => &v[i],
        }
    }
}

/// The `i`th cell of a row or column.
fn nth_cell(keys: RangeAddr, i: usize) -> CellAddr {
    if keys.rows() == 1 {
        CellAddr::new(keys.start.row, keys.start.col + i as u32)
    } else {
        CellAddr::new(keys.start.row + i as u32, keys.start.col)
    }
}

/// The first row (`by_row`) or column of an area: its keys.
pub(super) fn key_area(a: Area, by_row: bool) -> Area {
    let start = a.range.start;
    let end = if by_row {
        CellAddr::new(start.row, a.range.end.col)
    } else {
        CellAddr::new(a.range.end.row, start.col)
    };
    Area {
        sheet: a.sheet,
        range: RangeAddr::new(start, end),
    }
}

/// Computes the formulas among the key cells, then says whether the keys
/// can be read in place ([`in_place`]): not when a cell being computed
/// lies among them (reading it must meet the cycle, as `cell_value` does;
/// the caller then reads a copy through [`Table::vector`]).
pub(super) fn prepare_keys(ctx: &mut CallContext, keys: Area) -> bool {
    ctx.ensure_area(keys);
    !ctx.run
        .computing
        .iter()
        .any(|(s, a)| *s == keys.sheet && keys.range.contains(*a))
}

/// The key cells read in place, once [`prepare_keys`] allowed it.
pub(super) fn in_place<'c>(ctx: &'c CallContext, keys: Area) -> KeyCells<'c> {
    KeyCells::Sheet {
        sheet: ctx.workbook().sheets.get(keys.sheet),
        keys: keys.range,
    }
}

/// The key cells, read in place when [`prepare_keys`] allows it, else
/// copied cell by cell.
pub(super) fn key_cells<'c>(ctx: &'c mut CallContext, keys: Area) -> KeyCells<'c> {
    if prepare_keys(ctx, keys) {
        return in_place(ctx, keys);
    }
    let by_row = keys.range.rows() == 1 && keys.range.cols() > 1;
    KeyCells::Copied(Table::Area(keys).vector(ctx, by_row, 0))
}

/// The first (or last) of the key cells equal to `needle`, by the index
/// of `keys` (built and kept on first use), once [`prepare_keys`] allowed
/// reading them in place; `None` when the index does not apply (too few
/// keys, a needle it cannot tell).
pub(super) fn indexed_find(
    ctx: &mut CallContext,
    keys: Area,
    needle: &Value,
    reverse: bool,
) -> Option<Option<usize>> {
    if matches!(needle, Value::Empty | Value::Error(_)) {
        return None;
    }
    let (rows, cols) = (keys.range.rows(), keys.range.cols());
    if (rows != 1 && cols != 1) || (rows.max(cols) as usize) < MIN_INDEXED_KEYS {
        return None;
    }
    let stamps = crate::formula::criteria::column_stamps(ctx, keys)?;
    let cached = ctx
        .run
        .lookup_cache
        .get(keys.sheet, keys.range, &stamps)
        .filter(|ix| ix.date_system == date_system())
        .cloned();
    let index = match cached {
        Some(index) => index,
        None => {
            let cells = in_place(ctx, keys);
            let index = Arc::new(KeyIndex::build(cells.len(), |i| cells.at(i)));
            let weight = index.entries();
            ctx.run
                .lookup_cache
                .insert(keys.sheet, keys.range, stamps, index.clone(), weight);
            index
        }
    };
    let cells = in_place(ctx, keys);
    index.find(needle, reverse, |i| cells.at(i))
}
