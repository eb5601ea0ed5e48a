//! How much one file may make a reader hold: cells, text, the length of
//! one string, the entries of a shared-string table. Small hostile files
//! can claim any of these in billions (a repeat count, a `text:s` space
//! count, a 3 GB string compressed to 3 MB); past a limit the file is
//! refused with a message naming the limit and the option that raises it,
//! before the memory is taken.

use crate::error::Error;
use std::io::{self, BufRead, Read};
use std::path::Path;

/// The limits every reader holds a workbook to. The defaults are far
/// beyond any real finance workbook and low enough that a file claiming
/// more is refused instead of exhausting memory; the command line raises
/// or lowers each (`--max-cells`, `--max-text-mb`, `--max-string-kb`,
/// `--max-shared-strings`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// The most cell slots the workbook may take (a row holds a slot for
    /// each column up to its last cell): a million rows by sixty columns,
    /// about 2.4 GB at 40 bytes a slot.
    pub max_cells: u64,
    /// The most bytes of text the cells may hold together, a cell's text
    /// counted once per cell that holds it; also the most a shared-string
    /// table or a CSV file may hold.
    pub max_text_bytes: u64,
    /// The longest one string may be, in bytes: a cell's text or formula,
    /// a shared string, a CSV field, and any one item of a workbook's XML.
    /// 16 MiB is 500 times the 32,767 characters Excel lets a cell hold.
    pub max_string_bytes: u64,
    /// The most entries an xlsx shared-string table may have: one per
    /// distinct text, so no more than a workbook has cells.
    pub max_shared_strings: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_cells: 60_000_000,
            max_text_bytes: 1 << 30,
            max_string_bytes: 16 << 20,
            max_shared_strings: 60_000_000,
        }
    }
}

/// One of the [`ReadLimits`], to name in a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`ReadLimits::max_cells`].
    Cells,
    /// [`ReadLimits::max_text_bytes`].
    TextBytes,
    /// [`ReadLimits::max_string_bytes`].
    StringBytes,
    /// [`ReadLimits::max_shared_strings`].
    SharedStrings,
}

impl Limit {
    /// The command-line option that sets this limit.
    pub fn option(self) -> &'static str {
        match self {
            Limit::Cells => "--max-cells",
            Limit::TextBytes => "--max-text-mb",
            Limit::StringBytes => "--max-string-kb",
            Limit::SharedStrings => "--max-shared-strings",
        }
    }

    /// The limit's value in the unit its option takes.
    pub fn option_value(self, limits: &ReadLimits) -> u64 {
        match self {
            Limit::Cells => limits.max_cells,
            Limit::TextBytes => limits.max_text_bytes >> 20,
            Limit::StringBytes => limits.max_string_bytes >> 10,
            Limit::SharedStrings => limits.max_shared_strings,
        }
    }

    /// The limit in words, such as `16384 KiB` or `60000000 cells`.
    fn amount(self, limits: &ReadLimits) -> String {
        let value = self.option_value(limits);
        match self {
            Limit::Cells => format!("{value} cells"),
            Limit::TextBytes => format!("{value} MiB of text"),
            Limit::StringBytes => format!("{value} KiB"),
            Limit::SharedStrings => format!("{value} strings"),
        }
    }
}

/// A file went past one of the [`ReadLimits`]: what went past it, in
/// words that read on with "more than ..." (`sheet "Data", cell A1 holds
/// a string of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OverLimit {
    /// The limit.
    pub limit: Limit,
    /// What holds too much.
    pub what: String,
}

impl OverLimit {
    /// Going past `limit`; `what` reads on with "more than ...".
    pub fn new(limit: Limit, what: impl Into<String>) -> Self {
        OverLimit {
            limit,
            what: what.into(),
        }
    }

    /// The refusal of the file at `path`, naming the limit and the option
    /// that raises it.
    pub fn refusal(&self, path: &Path, limits: &ReadLimits) -> Error {
        let option = self.limit.option();
        Error::unreadable(
            path,
            format!(
                "{} more than {} (the {option} limit); {option} N raises it",
                self.what,
                self.limit.amount(limits)
            ),
        )
    }
}

impl ReadLimits {
    /// The limits as the command line gives them: `None` keeps a default.
    /// Sizes are in the options' units (MiB of text, KiB a string).
    pub fn from_options(
        max_cells: Option<u64>,
        max_text_mb: Option<u64>,
        max_string_kb: Option<u64>,
        max_shared_strings: Option<u64>,
    ) -> Self {
        let default = ReadLimits::default();
        ReadLimits {
            max_cells: max_cells.unwrap_or(default.max_cells),
            max_text_bytes: max_text_mb
                .map_or(default.max_text_bytes, |mb| mb.saturating_mul(1 << 20)),
            max_string_bytes: max_string_kb
                .map_or(default.max_string_bytes, |kb| kb.saturating_mul(1 << 10)),
            max_shared_strings: max_shared_strings.unwrap_or(default.max_shared_strings),
        }
    }

    /// The most bytes the XML parser may gather for one item (a text run,
    /// a tag with its attributes, a comment): a string's length and room
    /// for the markup around it.
    pub(crate) fn max_xml_item(&self) -> u64 {
        self.max_string_bytes.saturating_add(1 << 16)
    }
}

/// A reader under an XML parser that refuses to hand over more than a
/// budget of bytes for one item. quick-xml gathers a whole text run or tag
/// into its buffer before returning it, so a 3 GB string would be held
/// whole before any check on the string could run; with this reader the
/// parse fails once the item passes the budget (overshooting by at most
/// one buffer of the reader beneath), and [`is_item_too_long`] tells that
/// failure from others. Call [`ItemBudget::next_item`] before asking the
/// parser for each event.
pub(crate) struct ItemBudget<R> {
    inner: R,
    taken: u64,
    most: u64,
}

/// The read error an [`ItemBudget`] fails with.
#[derive(Debug, thiserror::Error)]
#[error("an XML item is longer than the reading limit")]
struct ItemTooLong;

/// Whether the XML parser failed because an item went past its
/// [`ItemBudget`].
pub(crate) fn is_item_too_long(e: &quick_xml::Error) -> bool {
    matches!(e, quick_xml::Error::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<ItemTooLong>()))
}

impl<R: BufRead> ItemBudget<R> {
    /// `inner` with at most `most` bytes for one item.
    pub fn new(inner: R, most: u64) -> Self {
        ItemBudget {
            inner,
            taken: 0,
            most,
        }
    }

    /// Starts the budget of the next item.
    pub fn next_item(&mut self) {
        self.taken = 0;
    }
}

impl<R: BufRead> Read for ItemBudget<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        crate::io::pipe::read_through_buffer(self, out)
    }
}

impl<R: BufRead> BufRead for ItemBudget<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.taken > self.most {
            return Err(io::Error::other(ItemTooLong));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.taken += amount as u64;
        self.inner.consume(amount);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    #[test]
    fn refusals_name_the_limit_and_its_option() {
        let limits = ReadLimits::from_options(None, Some(10), Some(64), None);
        assert_eq!(limits.max_text_bytes, 10 << 20);
        assert_eq!(limits.max_string_bytes, 64 << 10);
        assert_eq!(limits.max_cells, ReadLimits::default().max_cells);
        let over = OverLimit::new(
            Limit::StringBytes,
            "sheet \"Data\", cell A1 holds a string of",
        );
        assert_eq!(
            over.refusal(Path::new("big.xlsx"), &limits).to_string(),
            "big.xlsx: sheet \"Data\", cell A1 holds a string of more than 64 KiB (the --max-string-kb limit); --max-string-kb N raises it"
        );
        let over = OverLimit::new(Limit::Cells, "the workbook holds");
        assert!(over
            .refusal(Path::new("b.ods"), &limits)
            .to_string()
            .ends_with(
                "more than 60000000 cells (the --max-cells limit); --max-cells N raises it"
            ));
    }

    #[test]
    fn an_xml_item_past_the_budget_stops_the_parse() {
        let xml = format!("<a><b x=\"1\">{}</b><c/></a>", "y".repeat(5000));
        let read = |most: u64| {
            let source = std::io::BufReader::with_capacity(64, xml.as_bytes());
            let mut reader = quick_xml::Reader::from_reader(ItemBudget::new(source, most));
            let mut buf = Vec::new();
            let mut events = 0;
            loop {
                reader.get_mut().next_item();
                match reader.read_event_into(&mut buf) {
                    Ok(Event::Eof) => return Ok(events),
                    Ok(_) => events += 1,
                    Err(e) => return Err(is_item_too_long(&e)),
                }
                buf.clear();
            }
        };
        assert_eq!(read(6000), Ok(6));
        assert_eq!(read(1000), Err(true));
    }
}
