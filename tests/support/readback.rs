//! Reading what sheetscript wrote with calamine, an independent reader,
//! and comparing numbers as exact decimals, so a test checks the file and
//! not our own reader's view of it.

use calamine::{open_workbook_auto, Data, Reader};
use rust_decimal::Decimal;
use std::path::Path;

/// A sheet of a workbook read back with calamine.
pub struct Grid(pub calamine::Range<Data>);

/// Reads one sheet.
pub fn grid(path: &Path, sheet: &str) -> Grid {
    let mut wb = open_workbook_auto(path).expect("output opens");
    Grid(
        wb.worksheet_range(sheet)
            .unwrap_or_else(|e| panic!("sheet {sheet}: {e}")),
    )
}

impl Grid {
    /// The cell at an A1 address (absolute, not relative to the range).
    pub fn at(&self, a1: &str) -> Data {
        let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let row: u32 = a1[letters.len()..].parse().unwrap();
        let col = letters
            .bytes()
            .fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32)
            - 1;
        self.0
            .get_value((row - 1, col))
            .cloned()
            .unwrap_or(Data::Empty)
    }

    /// The number at a cell, exactly as written.
    pub fn num(&self, a1: &str) -> Decimal {
        num(&self.at(a1)).unwrap_or_else(|| panic!("{a1} is not a number: {:?}", self.at(a1)))
    }

    /// The text at a cell.
    pub fn text(&self, a1: &str) -> String {
        match self.at(a1) {
            Data::String(s) => s,
            other => panic!("{a1} is not text: {other:?}"),
        }
    }

    /// Rows of the used range, as calamine sees them.
    pub fn rows(&self) -> Vec<Vec<Data>> {
        self.0.rows().map(|r| r.to_vec()).collect()
    }
}

/// A cell's number as an exact decimal (floats through their shortest
/// form, which is how the writer stores decimals).
pub fn num(d: &Data) -> Option<Decimal> {
    match d {
        Data::Float(f) => Some(
            Decimal::from_str_exact(&format!("{f}"))
                .unwrap_or_else(|_| Decimal::from_scientific(&format!("{f:e}")).expect("finite")),
        ),
        Data::Int(i) => Some(Decimal::from(*i)),
        _ => None,
    }
}

/// Parses a decimal literal.
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Excel's ROUND: half away from zero.
pub fn round2(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}
