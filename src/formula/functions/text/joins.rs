//! Joining the values of ranges into one text (CONCAT, TEXTJOIN) at the
//! cost of the cells a range holds: a whole column, or the whole sheet
//! beside a stray cell at XFD1048576, is walked through its stored cells
//! with the empty positions between them counted, never made one by one.
//! The result stops at Excel's 32,767 characters of a cell (`#VALUE!`
//! beyond), so no join builds more than that.

use super::*;

/// A text being joined, refused as soon as it passes a cell's length.
#[derive(Default)]
struct Joined {
    text: String,
    chars: usize,
}

impl Joined {
    fn push(&mut self, piece: &str) -> Result<(), ErrorKind> {
        self.chars += piece.chars().count();
        if self.chars > core::MAX_TEXT_CHARS {
            return Err(ErrorKind::Value);
        }
        self.text.push_str(piece);
        Ok(())
    }
}

/// TEXTJOIN's delimiters, used in turn: the one before the piece after
/// `n` pieces is number `n - 1`, cycling through the list.
struct Delimiters {
    texts: Vec<String>,
    /// Where in the list the non-empty delimiters are, in order.
    non_empty: Vec<usize>,
}

impl Delimiters {
    fn new(texts: Vec<String>) -> Delimiters {
        let non_empty = (0..texts.len()).filter(|&i| !texts[i].is_empty()).collect();
        Delimiters { texts, non_empty }
    }

    /// Appends the `count` delimiters numbered from `first`. Only the
    /// non-empty ones are visited, each adding at least a character, so
    /// however many positions a gap of empty cells spans this stops
    /// within a cell's length.
    fn append(&self, out: &mut Joined, first: u64, count: u64) -> Result<(), ErrorKind> {
        if count == 0 || self.non_empty.is_empty() {
            return Ok(());
        }
        let cycle = self.texts.len() as u64;
        let end = first.saturating_add(count);
        let mut cycle_start = first - first % cycle;
        let offset = (first % cycle) as usize;
        let mut next = self.non_empty.partition_point(|&i| i < offset);
        loop {
            if next == self.non_empty.len() {
                next = 0;
                cycle_start += cycle;
            }
            let at = self.non_empty[next];
            if cycle_start + at as u64 >= end {
                return Ok(());
            }
            out.push(&self.texts[at])?;
            next += 1;
        }
    }
}

/// Visits the non-empty values of an argument in row-major order (area
/// after area), with their positions counted from 0, and returns how
/// many positions it has. Only stored cells are visited, but every
/// position of an area counts, as in Excel: `TEXTJOIN(",",FALSE,A:A)`
/// puts a delimiter between each of a million cells, which is more
/// than a cell holds.
fn for_each_value(
    ctx: &mut CallContext,
    e: &Expr,
    mut visit: impl FnMut(u64, &Value) -> Result<(), ErrorKind>,
) -> Result<u64, ErrorKind> {
    let areas = match ctx.eval(e) {
        CalcValue::Value(v) => {
            visit(0, &v)?;
            return Ok(1);
        }
        CalcValue::Array(a) => {
            for (i, v) in a.values.iter().enumerate() {
                if !v.is_empty() {
                    visit(i as u64, v)?;
                }
            }
            return Ok(a.values.len() as u64);
        }
        CalcValue::Ref(area) => vec![area],
        CalcValue::Refs(areas) => areas,
        CalcValue::Lambda(_) => return Err(ErrorKind::Calc),
    };
    let mut before = 0u64;
    for area in areas {
        let cols = u64::from(area.range.cols());
        ctx.for_each_cell(area, false, |r, c, v| {
            visit(before + u64::from(r) * cols + u64::from(c), v)
        })?;
        before += u64::from(area.range.rows()) * cols;
    }
    Ok(before)
}

pub(super) fn concat(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let mut out = Joined::default();
    for a in args {
        if matches!(a, Expr::Missing) {
            continue;
        }
        for_each_value(ctx, a, |_, v| out.push(&to_text(v)?))?;
    }
    Ok(CalcValue::Value(Value::text(out.text)))
}

pub(super) fn textjoin(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let delimiters = Delimiters::new(delimiters(ctx, &args[0])?);
    let ignore_empty = if CallContext::is_missing(args, 1) {
        false
    } else {
        ctx.boolean(&args[1])?
    };
    let mut out = Joined::default();
    // Pieces joined so far: the delimiter before the next is number
    // `pieces - 1`.
    let mut pieces = 0u64;
    let join = |out: &mut Joined, piece: &str, pieces: &mut u64| {
        if *pieces > 0 {
            delimiters.append(out, *pieces - 1, 1)?;
        }
        *pieces += 1;
        out.push(piece)
    };
    // Empty pieces add only their delimiters.
    let empties = |out: &mut Joined, count: u64, pieces: &mut u64| {
        if count == 0 {
            return Ok(());
        }
        let (first, delimited) = match *pieces {
            0 => (0, count - 1),
            n => (n - 1, count),
        };
        *pieces += count;
        delimiters.append(out, first, delimited)
    };
    for a in &args[2..] {
        if matches!(a, Expr::Missing) {
            if !ignore_empty {
                empties(&mut out, 1, &mut pieces)?;
            }
            continue;
        }
        // The next position of this argument not yet joined.
        let mut next = 0u64;
        let positions = for_each_value(ctx, a, |at, v| {
            let piece = to_text(v)?;
            if ignore_empty {
                if !piece.is_empty() {
                    join(&mut out, &piece, &mut pieces)?;
                }
                return Ok(());
            }
            empties(&mut out, at - next, &mut pieces)?;
            next = at + 1;
            join(&mut out, &piece, &mut pieces)
        })?;
        if !ignore_empty {
            empties(&mut out, positions - next, &mut pieces)?;
        }
    }
    Ok(CalcValue::Value(Value::text(out.text)))
}
