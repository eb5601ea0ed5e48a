//! Readers: calamine for xlsx, xlsm, xlsb, xls and ods; the csv crate for
//! text. The format is detected from the file's content.
