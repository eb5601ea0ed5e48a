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
    /// Values of a field put into ranges (dates by month, numbers by
    /// tens): this field's items are the ranges, the first one below the
    /// start and the last one above the end.
    Range {
        /// The grouped values.
        base: RangeBase,
        /// The ranges.
        group: RangeGroup,
    },
    /// A calculated field: Excel's formula over other fields' sums.
    Formula(String),
    /// A grouping sheetscript does not compute (number or date ranges);
    /// the words say which.
    Unsupported(String),
}

/// The values a range group puts into ranges.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeBase {
    /// Another cache field's values.
    Field(usize),
    /// The field's own records column (a field grouped in place), whose
    /// records refer to `items`, the field's shared items before grouping.
    Column {
        /// The records column.
        column: usize,
        /// The shared items its records refer to.
        items: Vec<PivotValue>,
    },
}

/// What a range group's items are (`rangePr`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RangeGroup {
    /// The unit.
    pub by: GroupBy,
    /// `startNum` or `startDate` (a 1900-system serial).
    pub start: f64,
    /// `endNum` or `endDate`.
    pub end: f64,
    /// `groupInterval`: the width of a number range.
    pub interval: f64,
}

/// The unit of a range group (`groupBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Number ranges of `interval` from `start`.
    Numbers,
    /// Second of the minute.
    Seconds,
    /// Minute of the hour.
    Minutes,
    /// Hour of the day.
    Hours,
    /// Day of the year (1-Jan to 31-Dec, 29-Feb included).
    Days,
    /// Month of the year.
    Months,
    /// Quarter of the year.
    Quarters,
    /// Year, from the start's.
    Years,
}

impl RangeGroup {
    /// Whether `count` items are the ones Excel saves for this group: one
    /// per range, and one each below the start and above the end. Number
    /// ranges end with the one holding the end (`30-39` for an end of 30
    /// in tens), or, as some writers save them, stretch the last range
    /// to the end (`20-30`).
    pub fn fits(&self, count: usize) -> bool {
        let year = |serial: f64| {
            super::value::date_from_serial(serial.floor() as i64)
                .map(|d| chrono::Datelike::year(&d))
        };
        let Some(ranges) = count.checked_sub(2) else {
            return false;
        };
        match self.by {
            GroupBy::Numbers => {
                let width = (self.end - self.start) / self.interval;
                self.interval > 0.0
                    && width.is_finite()
                    && width >= 0.0
                    && (ranges as f64 == width.floor() + 1.0
                        || ranges as f64 == width.ceil().max(1.0))
            }
            GroupBy::Seconds | GroupBy::Minutes => ranges == 60,
            GroupBy::Hours => ranges == 24,
            GroupBy::Days => ranges == 366,
            GroupBy::Months => ranges == 12,
            GroupBy::Quarters => ranges == 4,
            GroupBy::Years => match (year(self.start), year(self.end)) {
                (Some(a), Some(b)) => i64::from(b - a + 1) == ranges as i64,
                _ => false,
            },
        }
    }

    /// The item a value falls in, out of `count` items; `None` for a
    /// value that is no number or date.
    pub fn item_of(&self, value: &PivotValue, count: usize) -> Option<u32> {
        let v = match value {
            PivotValue::Number(n) => n.to_f64(),
            PivotValue::Date(d) => *d,
            _ => return None,
        };
        let last = u32::try_from(count.checked_sub(3)? + 2).ok()?;
        if v < self.start {
            return Some(0);
        }
        if self.by == GroupBy::Numbers {
            if v > self.end {
                return Some(last);
            }
            let i = ((v - self.start) / self.interval).floor() as i64;
            return Some((i.clamp(0, i64::from(last) - 2) + 1) as u32);
        }
        // Dates compare by day: a time on the end date is still in range.
        if v.floor() > self.end.floor() {
            return Some(last);
        }
        let dt = super::value::DateValue {
            serial: v,
            kind: super::value::DateKind::DateTime,
        }
        .datetime()?;
        use chrono::{Datelike, Timelike};
        let i = match self.by {
            GroupBy::Seconds => dt.second(),
            GroupBy::Minutes => dt.minute(),
            GroupBy::Hours => dt.hour(),
            GroupBy::Days => {
                chrono::NaiveDate::from_ymd_opt(2000, dt.month(), dt.day())?.ordinal0()
            }
            GroupBy::Months => dt.month0(),
            GroupBy::Quarters => dt.month0() / 3,
            GroupBy::Years => {
                let start = super::value::date_from_serial(self.start.floor() as i64)?.year();
                u32::try_from(dt.year() - start).ok()?
            }
            GroupBy::Numbers => unreachable!("numbers are placed above"),
        };
        Some((i + 1).min(last))
    }
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
    /// Whether it defines calculated items, which totals include and
    /// sheetscript does not compute.
    pub calculated_items: bool,
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
            FieldSource::Range { base, group } => {
                let value = match base {
                    RangeBase::Field(b) => self.value(record, *b)?.1,
                    RangeBase::Column { column, items } => {
                        match self.records.get(record)?.get(*column)? {
                            CacheCell::Shared(i) => items.get(*i as usize)?,
                            CacheCell::Inline(v) => v,
                        }
                    }
                };
                let i = group.item_of(value, f.items.len())?;
                Some((Some(i), f.items.get(i as usize)?))
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
    /// How it shows the summary (`showDataAs`).
    pub shown_as: ShownAs,
}

/// How a data field shows its summary ("Show Values As").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShownAs {
    /// The summary as it is.
    Normal,
    /// As a share of the grand total (`percentOfTotal`).
    PercentOfTotal,
    /// As a share of its row's total (`percentOfRow`).
    PercentOfRow,
    /// As a share of its column's total (`percentOfCol`).
    PercentOfColumn,
    /// (value × grand total) / (row total × column total) (`index`).
    Index,
    /// Another way (a difference from or share of a base item, a running
    /// total, a share of a parent, a rank), named as the file names it;
    /// sheetscript does not compute it.
    Other(String),
}

impl ShownAs {
    /// The way a `showDataAs` (or x14 `pivotShowAs`) value names; absent
    /// is `normal`.
    pub fn from_ooxml(name: Option<&str>) -> ShownAs {
        match name.map(str::trim).unwrap_or("normal") {
            "normal" => ShownAs::Normal,
            "percentOfTotal" => ShownAs::PercentOfTotal,
            "percentOfRow" => ShownAs::PercentOfRow,
            "percentOfCol" => ShownAs::PercentOfColumn,
            "index" => ShownAs::Index,
            other => ShownAs::Other(other.to_string()),
        }
    }
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
    /// Why its values cannot be computed from the cache, when they
    /// cannot (label or value filters, calculated items): GETPIVOTDATA
    /// is then `#REF!` rather than a total the table does not show.
    pub not_computed: Option<String>,
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
            calculated_items: false,
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

    #[test]
    fn range_groups_place_dates_and_numbers() {
        // 2024-01-15 .. 2025-03-31 by months, quarters, years, days.
        let (start, end) = (45306.0, 45747.0);
        let group = |by| RangeGroup {
            by,
            start,
            end,
            interval: 1.0,
        };
        let date = |y, m, d| {
            PivotValue::Date(super::super::value::serial_from_date(
                chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            ) as f64)
        };
        let months = group(GroupBy::Months);
        assert!(months.fits(14) && !months.fits(13));
        assert_eq!(months.item_of(&date(2024, 3, 5), 14), Some(3));
        assert_eq!(months.item_of(&date(2025, 3, 31), 14), Some(3));
        assert_eq!(months.item_of(&date(2024, 1, 1), 14), Some(0));
        assert_eq!(months.item_of(&date(2025, 4, 1), 14), Some(13));
        assert_eq!(months.item_of(&PivotValue::Text("x".into()), 14), None);
        let time = PivotValue::Date(45747.75);
        assert_eq!(months.item_of(&time, 14), Some(3), "a time on the end day");
        assert_eq!(
            group(GroupBy::Quarters).item_of(&date(2024, 12, 31), 6),
            Some(4)
        );
        let years = group(GroupBy::Years);
        assert!(years.fits(4) && !years.fits(3));
        assert_eq!(years.item_of(&date(2025, 2, 1), 4), Some(2));
        assert!(group(GroupBy::Days).fits(368));
        assert_eq!(
            group(GroupBy::Days).item_of(&date(2024, 3, 1), 368),
            Some(61)
        );
        assert_eq!(
            group(GroupBy::Days).item_of(&date(2025, 3, 1), 368),
            Some(61)
        );
        assert_eq!(group(GroupBy::Hours).item_of(&time, 26), Some(19));
        // Numbers in tens from 0 to 30: <0, 0-9, 10-19, 20-29, 30-39, >30.
        let tens = RangeGroup {
            by: GroupBy::Numbers,
            start: 0.0,
            end: 30.0,
            interval: 10.0,
        };
        assert!(tens.fits(6) && tens.fits(5) && !tens.fits(7));
        let n = |v: f64| PivotValue::Number(Number::from_f64(v));
        assert_eq!(tens.item_of(&n(-1.0), 6), Some(0));
        assert_eq!(tens.item_of(&n(9.5), 6), Some(1));
        assert_eq!(tens.item_of(&n(30.0), 6), Some(4));
        assert_eq!(tens.item_of(&n(30.0), 5), Some(3));
        assert_eq!(tens.item_of(&n(31.0), 6), Some(5));
    }
}
