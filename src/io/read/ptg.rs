//! What the formula tokens (Ptgs) of xls and xlsb share, for the readers
//! that write out their shared formulas (xls/shared_formulas.rs,
//! xlsb_shared_formulas.rs): the two formats lay most tokens out alike but
//! for the width of rows and strings.

/// A shared or array formula as its record holds it.
#[derive(Debug, Clone)]
pub(crate) struct StoredFormula {
    /// The tokens (rgce).
    pub tokens: Vec<u8>,
    /// The data after the tokens (rgcb): array constants and the like.
    pub extra: Vec<u8>,
    /// An array formula (entered over this range), not a shared one.
    pub array: Option<crate::model::RangeAddr>,
}

/// The size of the data after a PtgAttr token at the start of `at` (a
/// kind and a word; PtgAttrChoose adds its table of word + 1 jumps).
pub(crate) fn attr_size(at: &[u8]) -> Option<usize> {
    let kind = *at.get(1)?;
    let word = usize::from(u16::from_le_bytes([*at.get(2)?, *at.get(3)?]));
    Some(if kind & 0x04 != 0 {
        3 + 2 * (word + 1)
    } else {
        3
    })
}

/// The column field `column` of a relative reference resolved for a
/// formula in column `col` of a grid `columns` wide: when bit 14 says the
/// column is relative, its 14 bits are a signed offset from `col`, and
/// the column it reaches wraps round the grid; the flags are kept.
pub(crate) fn resolve_column(column: u16, col: u32, columns: u32) -> u16 {
    if column & 0x4000 == 0 {
        return column;
    }
    let offset = i64::from(((column & 0x3FFF) << 2) as i16 >> 2);
    let resolved = (i64::from(col) + offset).rem_euclid(i64::from(columns)) as u16;
    (column & 0xC000) | resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_columns_wrap_round_the_grid_keeping_their_flags() {
        // One column left of A: the last column.
        assert_eq!(resolve_column(0xC000 | 0x3FFF, 0, 256), 0xC000 | 255);
        assert_eq!(resolve_column(0x4000 | 0x3FFF, 0, 16384), 0x4000 | 16383);
        assert_eq!(resolve_column(0x4002, 3, 16384), 0x4005);
        assert_eq!(resolve_column(0x8007, 3, 256), 0x8007, "an absolute column");
        assert_eq!(attr_size(&[0x19, 0x10, 0, 0]), Some(3));
        assert_eq!(attr_size(&[0x19, 0x04, 2, 0]), Some(9));
        assert_eq!(attr_size(&[0x19, 0x04]), None);
    }
}
