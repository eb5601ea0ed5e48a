//! LINEST, LOGEST, TREND and GROWTH: least-squares lines and exponential
//! curves through known points, with LINEST's statistics block. This
//! room reads Excel's arguments and shapes the results; the fit itself is
//! `least_squares`.
//!
//! How the known x's line up with the known y's follows Excel: x's of the
//! y's own shape are one variable; with a y column, each column of the
//! x's is a variable (a y row: each row); any other shape is `#REF!`.
//! Every known value must be a number (`#VALUE!` otherwise, errors pass
//! through), and LOGEST and GROWTH need positive y's (`#NUM!`).

use super::least_squares::{least_squares, Fit};
use crate::formula::functions::*;

/// Numbers in a rectangle, row by row.
struct Grid {
    rows: usize,
    cols: usize,
    values: Vec<f64>,
}

/// An argument as a grid of numbers: an error inside is returned, any
/// other value that is not a number is `#VALUE!`.
fn grid(ctx: &mut CallContext, e: &Expr) -> Result<Grid, ErrorKind> {
    let a = ctx.array(e)?;
    let mut values = Vec::with_capacity(a.values.len());
    for v in &a.values {
        match v {
            Value::Error(k) => return Err(*k),
            Value::Number(_) | Value::Date(_) => {
                let n = as_calc_number(v).ok_or(ErrorKind::Value)?.to_f64();
                values.push(n);
            }
            _ => return Err(ErrorKind::Value),
        }
    }
    Ok(Grid {
        rows: a.rows,
        cols: a.cols,
        values,
    })
}

/// How the x variables sit in the known x's (and so in the new x's).
#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// One variable, the x's shaped as the y's.
    Single,
    /// One variable per column, beside a y column.
    Columns,
    /// One variable per row, beside a y row.
    Rows,
}

/// The known points of a regression, read from its first two arguments.
struct Known {
    xs: Vec<Vec<f64>>,
    y: Vec<f64>,
    layout: Layout,
}

/// Reads known y's and (optional) known x's; `log` takes ln of the y's,
/// which must then be positive.
fn known(ctx: &mut CallContext, args: &[Expr], log: bool) -> Result<Known, ErrorKind> {
    let ys = grid(ctx, &args[0])?;
    let mut y = ys.values.clone();
    if log {
        if y.iter().any(|v| *v <= 0.0) {
            return Err(ErrorKind::Num);
        }
        y.iter_mut().for_each(|v| *v = v.ln());
    }
    if CallContext::is_missing(args, 1) {
        let x = (1..=y.len()).map(|i| i as f64).collect();
        return Ok(Known {
            xs: vec![x],
            y,
            layout: Layout::Single,
        });
    }
    let xs = grid(ctx, &args[1])?;
    let (columns, layout) = if xs.rows == ys.rows && xs.cols == ys.cols {
        (vec![xs.values], Layout::Single)
    } else if ys.cols == 1 && xs.rows == ys.rows {
        let columns = (0..xs.cols)
            .map(|c| (0..xs.rows).map(|r| xs.values[r * xs.cols + c]).collect())
            .collect();
        (columns, Layout::Columns)
    } else if ys.rows == 1 && xs.cols == ys.cols {
        let rows = xs.values.chunks(xs.cols).map(<[f64]>::to_vec).collect();
        (rows, Layout::Rows)
    } else {
        return Err(ErrorKind::Ref);
    };
    Ok(Known {
        xs: columns,
        y,
        layout,
    })
}

fn fit(known: &Known, constant: bool) -> Result<Fit, ErrorKind> {
    least_squares(&known.xs, &known.y, constant).ok_or(ErrorKind::Value)
}

/// LINEST and LOGEST share everything but the exponentials of row one.
fn estimate(ctx: &mut CallContext, args: &[Expr], log: bool) -> EvalResult {
    let known = known(ctx, args, log)?;
    let constant = ctx.opt_bool(args, 2, true)?;
    let stats = ctx.opt_bool(args, 3, false)?;
    let fit = fit(&known, constant)?;
    let coefficient = |c: f64| float_value(if log { c.exp() } else { c });
    // Excel lists the coefficients last variable first, then b.
    let mut first: Vec<Value> = fit.slopes.iter().rev().map(|m| coefficient(*m)).collect();
    first.push(coefficient(fit.intercept));
    if !stats {
        return Ok(CalcValue::Array(Array::row(first)));
    }
    let width = first.len();
    let na = || Value::Error(ErrorKind::NA);
    let padded = |pair: [f64; 2]| -> Vec<Value> {
        let mut row: Vec<Value> = pair.iter().map(|v| float_value(*v)).collect();
        row.resize_with(width, na);
        row
    };
    let mut errors: Vec<Value> = fit
        .slope_errors
        .iter()
        .rev()
        .map(|e| float_value(*e))
        .collect();
    errors.push(fit.intercept_error.map_or_else(na, float_value));
    let rows = vec![
        first,
        errors,
        padded([fit.r2, fit.se_y]),
        padded([fit.f, fit.df]),
        padded([fit.ss_reg, fit.ss_resid]),
    ];
    Array::from_rows(rows)
        .map(CalcValue::Array)
        .ok_or(ErrorKind::Value)
}

pub(super) fn linest_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    estimate(ctx, args, false)
}

pub(super) fn logest_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    estimate(ctx, args, true)
}

/// TREND and GROWTH: the fitted values at the new x's (the known x's
/// when absent), shaped as the new x's with one variable, else one value
/// per new point.
fn project(ctx: &mut CallContext, args: &[Expr], log: bool) -> EvalResult {
    let known = known(ctx, args, log)?;
    let constant = ctx.opt_bool(args, 3, true)?;
    let new = if !CallContext::is_missing(args, 2) {
        grid(ctx, &args[2])?
    } else if !CallContext::is_missing(args, 1) {
        grid(ctx, &args[1])?
    } else {
        let n = known.y.len();
        let ys = ctx.array(&args[0])?;
        Grid {
            rows: ys.rows,
            cols: ys.cols,
            values: (1..=n).map(|i| i as f64).collect(),
        }
    };
    let fit = fit(&known, constant)?;
    let value = |x: &[f64]| {
        let y = fit.predict(x);
        float_value(if log { y.exp() } else { y })
    };
    let variables = known.xs.len();
    let array = match known.layout {
        Layout::Single => Array::from_fn(new.rows, new.cols, |r, c| {
            value(&[new.values[r * new.cols + c]])
        }),
        Layout::Columns if new.cols == variables => {
            Array::column(new.values.chunks(new.cols).map(value).collect())
        }
        Layout::Rows if new.rows == variables => Array::row(
            (0..new.cols)
                .map(|c| {
                    let point: Vec<f64> = (0..new.rows)
                        .map(|r| new.values[r * new.cols + c])
                        .collect();
                    value(&point)
                })
                .collect(),
        ),
        _ => return Err(ErrorKind::Ref),
    };
    Ok(CalcValue::Array(array))
}

pub(super) fn trend_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    project(ctx, args, false)
}

pub(super) fn growth_fn(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    project(ctx, args, true)
}

#[cfg(test)]
mod tests {
    use crate::formula::calc::CalcValue;
    use crate::formula::testing::{assert_close, eval_calc_in, workbook_with};
    use crate::model::{ErrorKind, Value};

    /// The known points of Microsoft's and IronCalc's examples.
    const POINTS: [(&str, &str); 13] = [
        ("A2", "0.2"),
        ("A3", "0.41"),
        ("A4", "0.62"),
        ("A5", "0.8"),
        ("A6", "1.1"),
        ("B2", "1.1"),
        ("B3", "1.9"),
        ("B4", "3.1"),
        ("B5", "4.05"),
        ("B6", "5"),
        ("A7", "TRUE"),
        ("C2", "8"),
        ("C3", "9"),
    ];

    fn grid(cells: &[(&str, &str)], formula: &str) -> (usize, usize, Vec<Value>) {
        match eval_calc_in(workbook_with(cells), "Sheet1", formula) {
            CalcValue::Array(a) => (a.rows, a.cols, a.values),
            CalcValue::Value(v) => (1, 1, vec![v]),
            other => panic!("{formula}: {other:?}"),
        }
    }

    fn numbers(values: &[Value]) -> Vec<f64> {
        values
            .iter()
            .map(|v| v.as_number().map_or(f64::NAN, |n| n.to_f64()))
            .collect()
    }

    #[test]
    fn linest_and_logest_statistics_blocks() {
        // Excel's results on these cells (IronCalc's LINEST_LOGEST.xlsx).
        let (rows, cols, v) = grid(&POINTS, "=LINEST(A2:A6,B2:B6,,TRUE)");
        assert_eq!((rows, cols), (5, 2));
        let want = [
            0.21928887993553592,
            -0.038445306,
            0.013841438,
            0.046252982,
            0.988188898,
            0.043612611,
            250.9983192,
            3.0,
        ];
        for (g, w) in numbers(&v).iter().zip(want) {
            assert_close!(*g, w);
        }
        let (_, _, v) = grid(&POINTS, "=LOGEST(A2:A6,B2:B6,,TRUE)");
        let want = [1.502261308701874, 0.15653045, 0.057281934, 0.191415105];
        for (g, w) in numbers(&v).iter().zip(want) {
            assert_close!(*g, w);
        }
        let (_, _, v) = grid(&POINTS, "=LINEST(A2:A6)");
        assert_close!(numbers(&v)[0], 0.219);
        assert_close!(numbers(&v)[1], -0.031);
        let (_, _, v) = grid(&POINTS, "=LINEST(A2:A6,B2:B6,FALSE)");
        assert_close!(numbers(&v)[0], 0.20885684860968076);
        assert_eq!(numbers(&v)[1], 0.0);
        let (_, _, v) = grid(&POINTS, "=LOGEST(A2:A6,B2:B6,FALSE)");
        assert_close!(numbers(&v)[0], 0.9082429233796212);
        assert_eq!(numbers(&v)[1], 1.0);
    }

    #[test]
    fn microsofts_multiple_regression_example() {
        // Office buildings: floor space, offices, entrances, age -> value.
        let rows = [
            [2310.0, 2.0, 2.0, 20.0, 142000.0],
            [2333.0, 2.0, 2.0, 12.0, 144000.0],
            [2356.0, 3.0, 1.5, 33.0, 151000.0],
            [2379.0, 3.0, 2.0, 43.0, 150000.0],
            [2402.0, 2.0, 3.0, 53.0, 139000.0],
            [2425.0, 4.0, 2.0, 23.0, 169000.0],
            [2448.0, 2.0, 1.5, 99.0, 126000.0],
            [2471.0, 2.0, 2.0, 34.0, 142900.0],
            [2494.0, 3.0, 3.0, 23.0, 163000.0],
            [2517.0, 4.0, 4.0, 55.0, 169000.0],
            [2540.0, 2.0, 3.0, 22.0, 149000.0],
        ];
        let mut cells: Vec<(String, String)> = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            for (j, v) in row.iter().enumerate() {
                let col = ["A", "B", "C", "D", "E"][j];
                cells.push((format!("{col}{}", i + 1), v.to_string()));
            }
        }
        let cells: Vec<(&str, &str)> = cells
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (rows, cols, v) = grid(&cells, "=LINEST(E1:E11,A1:D11,TRUE,TRUE)");
        assert_eq!((rows, cols), (5, 5));
        let got = numbers(&v);
        // Microsoft's documented coefficients and statistics.
        let want = [
            (0, -234.2371645),
            (1, 2553.21066),
            (2, 12529.76817),
            (3, 27.64138737),
            (4, 52317.83051),
            (5, 13.26801148),
            (6, 530.6691519),
            (7, 400.0668382),
            (8, 5.429374042),
            (9, 12237.3616),
            (10, 0.996747993),
            (11, 970.5784629),
            (15, 459.7536742),
            (16, 6.0),
            (20, 1732393319.0),
            (21, 5652135.316),
        ];
        for (i, w) in want {
            assert_close!(got[i], w);
        }
        // Its TREND-style estimate of a 2500 sq ft, 3 office, 2 entrance,
        // 25 year old building.
        let (_, _, v) = grid(&cells, "=TREND(E1:E11,A1:D11,{2500,3,2,25})");
        assert_close!(numbers(&v)[0], 158261.09, 1e-6);
    }

    #[test]
    fn trend_and_growth_follow_the_new_xs() {
        let cells: Vec<(&str, &str)> = [
            ("A2", "0.2"),
            ("A3", "0.31"),
            ("A4", "0.4"),
            ("A5", "0.51"),
            ("A6", "0.7"),
            ("A7", "TRUE"),
            ("A8", "Hola"),
            ("B2", "1.1"),
            ("B3", "2.1"),
            ("B4", "3"),
            ("B5", "5.2"),
            ("B6", "7"),
            ("B7", "FALSE"),
            ("C2", "8"),
            ("C3", "9"),
            ("C4", "11"),
        ]
        .to_vec();
        // Excel's results (IronCalc's TREND_GROWTH.xlsx).
        let cases: [(&str, &[f64]); 8] = [
            (
                "=TREND(A2:A6,B2:B6,C2:C4)",
                &[0.7668816454592993, 0.846252397, 1.004993899],
            ),
            (
                "=TREND(A2:A6,B2:B6,C2:C4,FALSE)",
                &[0.8491506728435914, 0.955294507, 1.167582175],
            ),
            ("=TREND(A2:A6)", &[0.184, 0.304, 0.424, 0.544, 0.664]),
            (
                "=TREND(A2:A6,B2:B6)",
                &[0.21922346173958526, 0.298594213, 0.370027889],
            ),
            (
                "=GROWTH(A2:A6,B2:B6,C2:C4)",
                &[0.8925767627890601, 1.082085772, 1.590354373],
            ),
            (
                "=GROWTH(A2:A6,B2:B6,C2:C4,FALSE)",
                &[0.31819185285303236, 0.275756138],
            ),
            (
                "=GROWTH(A2:A6)",
                &[0.21308607271409954, 0.2877329, 0.388529482],
            ),
            ("=GROWTH(A2:A6,B2:B6)", &[0.23642555356801476, 0.286622662]),
        ];
        for (formula, want) in cases {
            let (_, cols, v) = grid(&cells, formula);
            assert_eq!(cols, 1, "{formula}");
            for (g, w) in numbers(&v).iter().zip(want) {
                assert_close!(*g, *w);
            }
        }
        let errors = [
            ("=GROWTH(A2:A8)", ErrorKind::Value),
            ("=GROWTH(A2:A7,B2:B7)", ErrorKind::Value),
            ("=GROWTH(A2:A6,B2:B5)", ErrorKind::Ref),
            ("=TREND(A2:A6,B2:B5)", ErrorKind::Ref),
            ("=GROWTH({1,-2,3})", ErrorKind::Num),
            ("=LOGEST({1,0,3})", ErrorKind::Num),
            ("=TREND({1;2;3},{1,2;3,4;5,7},{1,2,3})", ErrorKind::Ref),
            ("=TREND({1,2,3},{1,2,3},{4,\"x\"})", ErrorKind::Value),
            ("=LINEST({1,2,3},{1,2,#N/A})", ErrorKind::NA),
        ];
        for (formula, kind) in errors {
            let (_, _, v) = grid(&cells, formula);
            assert_eq!(v[0], Value::Error(kind), "{formula}");
        }
        // With one variable the new x's may take any shape.
        let (rows, cols, v) = grid(&cells, "=TREND({1,2,3},{1,2,3},{4,5;6,7})");
        assert_eq!((rows, cols), (2, 2));
        for (g, w) in numbers(&v).iter().zip([4.0, 5.0, 6.0, 7.0]) {
            assert_close!(*g, w, 1e-14);
        }
    }

    #[test]
    fn collinear_columns_are_zero_as_in_excel() {
        // x2 = 2*x1: Excel sets the later column's coefficient and standard
        // error to 0 and counts one variable less in the degrees of freedom.
        let (_, cols, v) = grid(
            &[],
            "=LINEST({3;5.1;6.9;9.2;11},{1,2;2,4;3,6;4,8;5,10},TRUE,TRUE)",
        );
        assert_eq!(cols, 3);
        let got = numbers(&v);
        assert_eq!(got[0], 0.0);
        assert_close!(got[1], 2.01);
        assert_close!(got[2], 1.01);
        assert_eq!(got[3], 0.0);
        assert_eq!(got[10], 3.0);
    }
}
