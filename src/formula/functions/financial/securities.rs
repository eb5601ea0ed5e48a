//! Securities without a coupon schedule: discounted securities,
//! Treasury bills and securities paying interest at maturity. Their
//! formulas need only the year fraction between two dates.

use super::util::{atp_function, finite, settle_mature, FinResult};
use crate::formula::date_serial::edate_core;
use crate::formula::day_count::{basis_of, year_fraction};
use crate::formula::functions::*;

atp_function!(disc, disc_core, [s, m, p, r, b], &[0.0], dates = [0, 1]);

atp_function!(
    intrate,
    intrate_core,
    [s, m, i, r, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    received,
    received_core,
    [s, m, i, d, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    pricedisc,
    pricedisc_core,
    [s, m, d, r, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(
    yielddisc,
    yielddisc_core,
    [s, m, p, r, b],
    &[0.0],
    dates = [0, 1]
);

atp_function!(tbilleq, tbilleq_core, [s, m, d], &[], dates = [0, 1]);

atp_function!(tbillprice, tbillprice_core, [s, m, d], &[], dates = [0, 1]);

atp_function!(tbillyield, tbillyield_core, [s, m, p], &[], dates = [0, 1]);

atp_function!(
    pricemat,
    pricemat_core,
    [s, m, i, r, y, b],
    &[0.0],
    dates = [0, 1, 2]
);

atp_function!(
    yieldmat,
    yieldmat_core,
    [s, m, i, r, pr, b],
    &[0.0],
    dates = [0, 1, 2]
);

atp_function!(
    accrintm,
    accrintm_core,
    [i, s, r, p, b],
    &[1000.0, 0.0],
    dates = [0, 1]
);

/// DISC(settlement, maturity, pr, redemption, basis).
fn disc_core(
    settlement: f64,
    maturity: f64,
    pr: f64,
    redemption: f64,
    basis: f64,
) -> FinResult<f64> {
    let basis = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    if pr <= 0.0 || redemption <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((1.0 - pr / redemption) / year_fraction(s, m, basis)?)
}

/// INTRATE(settlement, maturity, investment, redemption, basis).
fn intrate_core(
    settlement: f64,
    maturity: f64,
    investment: f64,
    redemption: f64,
    basis: f64,
) -> FinResult<f64> {
    let basis = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    if investment <= 0.0 || redemption <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((redemption - investment) / investment / year_fraction(s, m, basis)?)
}

/// RECEIVED(settlement, maturity, investment, discount, basis).
fn received_core(
    settlement: f64,
    maturity: f64,
    investment: f64,
    discount: f64,
    basis: f64,
) -> FinResult<f64> {
    let basis = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    if investment <= 0.0 || discount <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let denominator = 1.0 - discount * year_fraction(s, m, basis)?;
    if denominator <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite(investment / denominator)
}

/// PRICEDISC(settlement, maturity, discount, redemption, basis).
fn pricedisc_core(
    settlement: f64,
    maturity: f64,
    discount: f64,
    redemption: f64,
    basis: f64,
) -> FinResult<f64> {
    let basis = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    if discount <= 0.0 || redemption <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite(redemption * (1.0 - discount * year_fraction(s, m, basis)?))
}

/// YIELDDISC(settlement, maturity, pr, redemption, basis).
fn yielddisc_core(
    settlement: f64,
    maturity: f64,
    pr: f64,
    redemption: f64,
    basis: f64,
) -> FinResult<f64> {
    let basis = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    if pr <= 0.0 || redemption <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((redemption / pr - 1.0) / year_fraction(s, m, basis)?)
}

/// Checks a Treasury bill's dates: settlement first, maturity at most one
/// calendar year later. Returns the days between them.
fn tbill_days(settlement: f64, maturity: f64) -> FinResult<f64> {
    let (s, m) = settle_mature(settlement, maturity)?;
    let year_later = edate_core(s, 12.0)?;
    if m > year_later {
        return Err(ErrorKind::Num);
    }
    Ok(m - s)
}

/// TBILLPRICE(settlement, maturity, discount).
fn tbillprice_core(settlement: f64, maturity: f64, discount: f64) -> FinResult<f64> {
    let days = tbill_days(settlement, maturity)?;
    if discount <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let price = 100.0 * (1.0 - discount * days / 360.0);
    if price <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite(price)
}

/// TBILLYIELD(settlement, maturity, pr).
fn tbillyield_core(settlement: f64, maturity: f64, pr: f64) -> FinResult<f64> {
    let days = tbill_days(settlement, maturity)?;
    if pr <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((100.0 - pr) / pr * 360.0 / days)
}

/// TBILLEQ(settlement, maturity, discount): bond-equivalent yield, with
/// the compounding formula past half a year.
fn tbilleq_core(settlement: f64, maturity: f64, discount: f64) -> FinResult<f64> {
    let days = tbill_days(settlement, maturity)?;
    if discount <= 0.0 {
        return Err(ErrorKind::Num);
    }
    if days <= 182.0 {
        return finite(365.0 * discount / (360.0 - discount * days));
    }
    let price = 100.0 * (1.0 - discount * days / 360.0);
    if price <= 0.0 {
        return Err(ErrorKind::Num);
    }
    // A 366-day bill spans a leap day and counts a 366-day year.
    let t = days / if days > 365.0 { 366.0 } else { 365.0 };
    let root = t * t - (2.0 * t - 1.0) * (1.0 - 100.0 / price);
    if root < 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((-t + root.sqrt()) / (t - 0.5))
}

/// Year fractions of a security paying at maturity: issue to maturity,
/// settlement to maturity and issue to settlement.
fn maturity_fractions(
    settlement: f64,
    maturity: f64,
    issue: f64,
    basis: f64,
) -> FinResult<[f64; 3]> {
    let b = basis_of(basis)?;
    let (s, m) = settle_mature(settlement, maturity)?;
    let i = issue.trunc();
    if i < 0.0 || i > s {
        return Err(ErrorKind::Num);
    }
    Ok([
        year_fraction(i, m, b)?,
        year_fraction(s, m, b)?,
        year_fraction(i, s, b)?,
    ])
}

/// PRICEMAT(settlement, maturity, issue, rate, yld, basis).
pub(super) fn pricemat_core(
    settlement: f64,
    maturity: f64,
    issue: f64,
    rate: f64,
    yld: f64,
    basis: f64,
) -> FinResult<f64> {
    if rate < 0.0 || yld < 0.0 {
        return Err(ErrorKind::Num);
    }
    let [dim, dsm, a] = maturity_fractions(settlement, maturity, issue, basis)?;
    finite((100.0 + dim * rate * 100.0) / (1.0 + dsm * yld) - a * rate * 100.0)
}

/// YIELDMAT(settlement, maturity, issue, rate, pr, basis).
pub(super) fn yieldmat_core(
    settlement: f64,
    maturity: f64,
    issue: f64,
    rate: f64,
    pr: f64,
    basis: f64,
) -> FinResult<f64> {
    if rate < 0.0 || pr <= 0.0 {
        return Err(ErrorKind::Num);
    }
    let [dim, dsm, a] = maturity_fractions(settlement, maturity, issue, basis)?;
    finite(((1.0 + dim * rate) / (pr / 100.0 + a * rate) - 1.0) / dsm)
}

/// ACCRINTM(issue, settlement, rate, par, basis).
pub(super) fn accrintm_core(
    issue: f64,
    settlement: f64,
    rate: f64,
    par: f64,
    basis: f64,
) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let (i, s) = settle_mature(issue, settlement)?;
    if rate <= 0.0 || par <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite(par * rate * year_fraction(i, s, b)?)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod tests {
    use super::*;

    use crate::formula::testing::assert_close;

    #[test]
    fn discounted_securities() {
        assert_close!(
            disc_core(39472.0, 39614.0, 97.975, 100.0, 1.0).unwrap(),
            5.219366197183125E-2
        );
        assert_close!(
            disc_core(46170.0, 48728.0, 12.5, 123.0, 1.0).unwrap(),
            0.1282764259425237
        );
        assert_eq!(
            disc_core(39472.0, 39614.0, 97.975, 100.0, 5.0),
            Err(ErrorKind::Num)
        );
        assert_close!(
            intrate_core(46433.0, 46522.0, 2000001.0, 2040001.02, 1.0).unwrap(),
            8.2022471910112402E-2
        );
        assert_close!(
            received_core(39493.0, 39583.0, 1_000_000.0, 0.0575, 2.0).unwrap(),
            1014584.6544071021
        );
        assert_close!(
            pricedisc_core(39494.0, 39508.0, 0.0525, 100.0, 2.0).unwrap(),
            99.795833333333334
        );
        assert_close!(
            yielddisc_core(39494.0, 39508.0, 99.795, 100.0, 2.0).unwrap(),
            0.052822571
        );
        assert_close!(
            tbilleq_core(20000.0, 20182.0, 0.5).unwrap(),
            0.67843866171003719
        );
        assert_close!(
            tbilleq_core(2040.0, 2400.0, 0.8).unwrap(),
            2.5066048253748145
        );
        assert_close!(
            tbilleq_core(14640.0, 15006.0, 0.5).unwrap(),
            0.85229613124917014
        );
        assert_eq!(tbilleq_core(1000.0, 1366.0, 0.5), Err(ErrorKind::Num));
        assert_close!(
            tbillprice_core(20000.0, 20182.0, 0.5).unwrap(),
            74.722222222222229
        );
        assert_close!(
            tbillyield_core(20000.0, 20182.0, 200.0).unwrap(),
            -0.98901098901098905
        );
        assert_eq!(tbillyield_core(20000.0, 20182.0, 0.0), Err(ErrorKind::Num));
    }
}
