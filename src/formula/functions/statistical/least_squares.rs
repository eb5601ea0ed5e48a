//! The least-squares solver behind LINEST, LOGEST, TREND and GROWTH: a
//! pure function of columns of numbers, kept apart from how those
//! functions read their arguments and shape their results, as a category
//! keeps its solvers.
//!
//! The fit orthogonalises the x columns one by one (modified Gram-Schmidt,
//! each column cleaned twice against the kept ones), so a column that the
//! earlier columns already explain is found as Excel finds it: its
//! coefficient and standard error are 0 and it leaves the degrees of
//! freedom, as Microsoft documents for collinear x columns.

/// A column whose part not explained by the earlier columns is below
/// this share of its own length counts as collinear with them.
const COLLINEAR_SHARE: f64 = 1e-12;

/// What LINEST reports about a fit (its five statistics rows).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fit {
    /// One coefficient per x column, in the columns' order; 0 for a
    /// collinear column.
    pub slopes: Vec<f64>,
    /// The constant b (0 when the fit is forced through the origin).
    pub intercept: f64,
    /// The standard error of each slope; 0 for a collinear column.
    pub slope_errors: Vec<f64>,
    /// The standard error of b; `None` when the fit has no constant.
    pub intercept_error: Option<f64>,
    /// Coefficient of determination.
    pub r2: f64,
    /// Standard error of the y estimate.
    pub se_y: f64,
    /// The F statistic.
    pub f: f64,
    /// Degrees of freedom of the residuals.
    pub df: f64,
    /// Regression sum of squares.
    pub ss_reg: f64,
    /// Residual sum of squares.
    pub ss_resid: f64,
}

impl Fit {
    /// The fitted value at one point (one number per x column).
    pub(super) fn predict(&self, x: &[f64]) -> f64 {
        self.intercept + self.slopes.iter().zip(x).map(|(m, v)| m * v).sum::<f64>()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

/// Fits `y` on the columns `xs` (each as long as `y`), with a constant
/// term unless `constant` is false. `None` when there are no points.
pub(super) fn least_squares(xs: &[Vec<f64>], y: &[f64], constant: bool) -> Option<Fit> {
    let n = y.len();
    if n == 0 {
        return None;
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let x_means: Vec<f64> = xs
        .iter()
        .map(|c| if constant { mean(c) } else { 0.0 })
        .collect();
    let y_mean = if constant { mean(y) } else { 0.0 };
    let centred: Vec<Vec<f64>> = xs
        .iter()
        .zip(&x_means)
        .map(|(c, m)| c.iter().map(|v| v - m).collect())
        .collect();
    let yc: Vec<f64> = y.iter().map(|v| v - y_mean).collect();

    // Q's columns and R's columns (r[j] holds R's entries above the
    // diagonal and the diagonal last) for the kept x columns.
    let mut q: Vec<Vec<f64>> = Vec::new();
    let mut r: Vec<Vec<f64>> = Vec::new();
    let mut kept: Vec<usize> = Vec::new();
    for (j, column) in centred.iter().enumerate() {
        let length = dot(column, column).sqrt();
        let mut v = column.clone();
        let mut coefficients = vec![0.0; q.len()];
        for _ in 0..2 {
            for (i, qi) in q.iter().enumerate() {
                let c = dot(qi, &v);
                coefficients[i] += c;
                v.iter_mut().zip(qi).for_each(|(a, b)| *a -= c * b);
            }
        }
        let rest = dot(&v, &v).sqrt();
        if length == 0.0 || rest <= COLLINEAR_SHARE * length || !rest.is_finite() {
            continue;
        }
        v.iter_mut().for_each(|a| *a /= rest);
        coefficients.push(rest);
        q.push(v);
        r.push(coefficients);
        kept.push(j);
    }
    let k = kept.len();
    // R's inverse, column by column (upper triangular).
    let mut r_inv = vec![vec![0.0; k]; k];
    for j in 0..k {
        r_inv[j][j] = 1.0 / r[j][j];
        for i in (0..j).rev() {
            let s: f64 = (i + 1..=j).map(|l| r[l][i] * r_inv[l][j]).sum();
            r_inv[i][j] = -s / r[i][i];
        }
    }
    let qty: Vec<f64> = q.iter().map(|qi| dot(qi, &yc)).collect();
    let beta: Vec<f64> = (0..k)
        .map(|i| (i..k).map(|j| r_inv[i][j] * qty[j]).sum())
        .collect();

    let mut slopes = vec![0.0; xs.len()];
    for (b, &j) in beta.iter().zip(&kept) {
        slopes[j] = *b;
    }
    let intercept = if constant {
        y_mean - slopes.iter().zip(&x_means).map(|(m, x)| m * x).sum::<f64>()
    } else {
        0.0
    };
    let ss_resid: f64 = (0..n)
        .map(|p| {
            let fitted: f64 = slopes.iter().zip(&centred).map(|(m, c)| m * c[p]).sum();
            (yc[p] - fitted).powi(2)
        })
        .sum();
    let ss_total = dot(&yc, &yc);
    let ss_reg = ss_total - ss_resid;
    let df = n as f64 - k as f64 - if constant { 1.0 } else { 0.0 };
    let variance = ss_resid / df;
    // diag((X'X)^-1) is the squared row norms of R's inverse.
    let mut slope_errors = vec![0.0; xs.len()];
    for (i, &j) in kept.iter().enumerate() {
        let d: f64 = (i..k).map(|l| r_inv[i][l].powi(2)).sum();
        slope_errors[j] = (variance * d).sqrt();
    }
    let intercept_error = constant.then(|| {
        let means: Vec<f64> = kept.iter().map(|&j| x_means[j]).collect();
        let spread: f64 = (0..k)
            .map(|l| (0..=l).map(|i| r_inv[i][l] * means[i]).sum::<f64>().powi(2))
            .sum();
        (variance * (1.0 / n as f64 + spread)).sqrt()
    });
    Some(Fit {
        slopes,
        intercept,
        slope_errors,
        intercept_error,
        r2: ss_reg / ss_total,
        se_y: variance.sqrt(),
        f: (ss_reg / k as f64) / variance,
        df,
        ss_reg,
        ss_resid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formula::testing::assert_close;

    #[test]
    fn one_variable_matches_the_closed_form() {
        let x = vec![1.1, 1.9, 3.1, 4.05, 5.0];
        let y = [0.2, 0.41, 0.62, 0.8, 1.1];
        let fit = least_squares(&[x], &y, true).unwrap();
        // Excel's LINEST(A2:A6,B2:B6,,TRUE) on the same data.
        assert_close!(fit.slopes[0], 0.21928887993553592);
        assert_close!(fit.intercept, -0.038445306);
        assert_close!(fit.slope_errors[0], 0.013841438);
        assert_close!(fit.intercept_error.unwrap(), 0.046252982);
        assert_close!(fit.r2, 0.988188898);
        assert_close!(fit.se_y, 0.043612611);
        assert_close!(fit.f, 250.9983192);
        assert_eq!(fit.df, 3.0);
        assert_close!(fit.ss_reg, 0.477413821);
        assert_close!(fit.ss_resid, 0.005706179);
    }

    #[test]
    fn a_collinear_column_gets_zero_and_leaves_the_degrees_of_freedom() {
        let x1 = vec![1.0, 2.0, 3.0, 4.0, 5.0];
        let x2: Vec<f64> = x1.iter().map(|v| 2.0 * v + 1.0).collect();
        let y = [3.0, 5.1, 6.9, 9.2, 11.0];
        let both = least_squares(&[x1.clone(), x2], &y, true).unwrap();
        let alone = least_squares(&[x1], &y, true).unwrap();
        assert_eq!(both.slopes[1], 0.0);
        assert_eq!(both.slope_errors[1], 0.0);
        assert_close!(both.slopes[0], alone.slopes[0]);
        assert_eq!(both.df, alone.df);
        assert_close!(both.se_y, alone.se_y);
    }

    #[test]
    fn without_a_constant_the_total_is_not_centred() {
        let fit = least_squares(&[vec![1.0, 2.0, 3.0]], &[2.0, 4.0, 6.5], false).unwrap();
        assert_eq!(fit.intercept, 0.0);
        assert!(fit.intercept_error.is_none());
        assert_eq!(fit.df, 2.0);
        let ss_total = 4.0 + 16.0 + 42.25;
        assert_close!(fit.ss_reg + fit.ss_resid, ss_total);
        assert!(least_squares(&[], &[], true).is_none());
    }
}
