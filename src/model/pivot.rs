//! Pivot tables as the file saved them: where each one sits, which cache
//! fields it lays out on rows, columns and filters, which items it hides,
//! its data fields, and the pivot cache (fields, shared items, records)
//! it summarises. GETPIVOTDATA computes from these, as Excel does when it
//! refreshes; only the xlsx reader fills them.

use super::address::RangeAddr;
use super::number::Number;
use super::value::ErrorKind;
use std::sync::Arc;

/// One value of a pivot cache: a shared item, a group item or a record's
/// own value.
#[derive(Debug, Clone, PartialEq)]
pub enum PivotValue {
    /// No value (`<m/>`, a blank source cell).
    Missing,
    /// A number.
    Number(Number),
    /// Text.
    Text(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value.
    Error(ErrorKind),
    /// A date or date-time as a 1900-system serial.
    Date(f64),
}

/// A record's value for one field: the index of one of the field's shared
/// items (`<x v="3"/>`), or a value of its own.
#[derive(Debug, Clone, PartialEq)]
pub enum CacheCell {
    /// Index into the field's shared items.
    Shared(u32),
    /// A value the record holds itself.
    Inline(PivotValue),
}

/// Where a cache field's values come from.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldSource {
    /// This column of the records.
    Records(usize),
    /// Items of field `base` put into groups by hand: the base field's
    /// shared item `i` belongs to this field's item `map[i]`.
    Discrete {
        /// The grouped field.
        base: usize,
        /// Group item of each of the base field's shared items.
        map: Vec<u32>,
    },
    /// A calculated field: Excel's formula over other fields' sums.
    Formula(String),
    /// A grouping sheetscript does not compute (number or date ranges);
    /// the words say which.
    Unsupported(String),
}

/// One field of a pivot cache.
#[derive(Debug, Clone, PartialEq)]
pub struct CacheField {
    /// The source column's header (`Amount`).
    pub name: String,
    /// Shared items (or group items), which records and pivot fields
    /// refer to by position.
    pub items: Vec<PivotValue>,
    /// Where its values come from.
    pub source: FieldSource,
}

/// A pivot cache: the copy of the source data pivot tables summarise.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PivotCache {
    /// Fields in cache order (pivot tables refer to them by position).
    pub fields: Vec<CacheField>,
    /// Records, one value per records column.
    pub records: Vec<Vec<CacheCell>>,
}

impl PivotCache {
    /// The value record `record` has for field `field`, with the index of
    /// the field's item it is when it is one; `None` for a calculated or
    /// unsupported field, or a record too short for it.
    pub fn value(&self, record: usize, field: usize) -> Option<(Option<u32>, &PivotValue)> {
        let f = self.fields.get(field)?;
        match &f.source {
            FieldSource::Records(column) => match self.records.get(record)?.get(*column)? {
                CacheCell::Shared(i) => Some((Some(*i), f.items.get(*i as usize)?)),
                CacheCell::Inline(v) => Some((None, v)),
            },
            FieldSource::Discrete { base, map } => {
                let (Some(i), _) = self.value(record, *base)? else {
                    return None;
                };
                let group = *map.get(i as usize)?;
                Some((Some(group), f.items.get(group as usize)?))
            }
            FieldSource::Formula(_) | FieldSource::Unsupported(_) => None,
        }
    }
}

/// How a data field summarises its values (`dataField subtotal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// Sum (the default).
    Sum,
    /// Count of non-blank values.
    Count,
    /// Average.
    Average,
    /// Largest.
    Max,
    /// Smallest.
    Min,
    /// Product.
    Product,
    /// Count of numbers.
    CountNums,
    /// Sample standard deviation.
    StdDev,
    /// Population standard deviation.
    StdDevP,
    /// Sample variance.
    Var,
    /// Population variance.
    VarP,
}

impl Summary {
    /// The summary a `subtotal` attribute names (absent: sum); `None` for
    /// a name OOXML does not define.
    pub fn from_ooxml(name: Option<&str>) -> Option<Summary> {
        Some(match name.unwrap_or("sum") {
            "sum" => Summary::Sum,
            "count" => Summary::Count,
            "average" => Summary::Average,
            "max" => Summary::Max,
            "min" => Summary::Min,
            "product" => Summary::Product,
            "countNums" => Summary::CountNums,
            "stdDev" => Summary::StdDev,
            "stdDevp" => Summary::StdDevP,
            "var" => Summary::Var,
            "varp" => Summary::VarP,
            _ => return None,
        })
    }
}

/// A data field ("Sum of Amount") of a pivot table.
#[derive(Debug, Clone, PartialEq)]
pub struct PivotDataField {
    /// The name the pivot table shows.
    pub name: String,
    /// The cache field it summarises.
    pub field: usize,
    /// How.
    pub summary: Summary,
}

/// A pivot table on a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct PivotTable {
    /// Its name (`PivotTable1`).
    pub name: String,
    /// The sheet it is on.
    pub sheet: String,
    /// The cells it covers (`location ref`), filters above it excluded.
    pub range: RangeAddr,
    /// The cache it summarises, shared with other pivot tables of it.
    pub cache: Arc<PivotCache>,
    /// The names fields are shown by: a caption given in the pivot table,
    /// else the cache field's name; by cache field position.
    pub captions: Vec<String>,
    /// Cache fields on the rows, outermost first.
    pub row_fields: Vec<usize>,
    /// Cache fields on the columns, outermost first.
    pub col_fields: Vec<usize>,
    /// Cache fields in the report filter.
    pub page_fields: Vec<usize>,
    /// Per cache field, the items it hides (by item index, sorted): hidden
    /// by hand, or not chosen in a report filter.
    pub hidden: Vec<Vec<u32>>,
    /// Per cache field, whether it shows subtotals (`defaultSubtotal`).
    pub subtotals: Vec<bool>,
    /// Data fields in order.
    pub data_fields: Vec<PivotDataField>,
    /// Whether the grand total column (totals of each row) shows.
    pub row_grand_totals: bool,
    /// Whether the grand total row (totals of each column) shows.
    pub col_grand_totals: bool,
}

impl PivotTable {
    /// Whether item `item` of cache field `field` is hidden.
    pub fn is_hidden(&self, field: usize, item: u32) -> bool {
        self.hidden
            .get(field)
            .is_some_and(|h| h.binary_search(&item).is_ok())
    }

    /// Whether record `record` passes every filter: none of its values is
    /// a hidden item.
    pub fn shows_record(&self, record: usize) -> bool {
        self.hidden.iter().enumerate().all(|(field, hidden)| {
            hidden.is_empty()
                || !matches!(self.cache.value(record, field),
                    Some((Some(i), _)) if hidden.binary_search(&i).is_ok())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> PivotValue {
        PivotValue::Text(s.to_string())
    }

    #[test]
    fn group_fields_map_their_base_items() {
        let cache = PivotCache {
            fields: vec![
                CacheField {
                    name: "Value".into(),
                    items: vec![PivotValue::Number(Number::from_i64(10)), text("x")],
                    source: FieldSource::Records(0),
                },
                CacheField {
                    name: "Value2".into(),
                    items: vec![text("Group1"), text("Other")],
                    source: FieldSource::Discrete {
                        base: 0,
                        map: vec![1, 0],
                    },
                },
            ],
            records: vec![
                vec![CacheCell::Shared(0)],
                vec![CacheCell::Inline(PivotValue::Missing)],
            ],
        };
        assert_eq!(cache.value(0, 1), Some((Some(1), &text("Other"))));
        assert_eq!(cache.value(1, 0), Some((None, &PivotValue::Missing)));
        assert_eq!(cache.value(1, 1), None);
        assert_eq!(cache.value(2, 0), None);
        assert_eq!(Summary::from_ooxml(None), Some(Summary::Sum));
        assert_eq!(Summary::from_ooxml(Some("stdDevp")), Some(Summary::StdDevP));
        assert_eq!(Summary::from_ooxml(Some("median")), None);
    }
}
