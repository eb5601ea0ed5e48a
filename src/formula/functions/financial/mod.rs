//! Financial functions (PV, FV, PMT, NPV, IRR, depreciation, bills and
//! bonds).
//!
//! Powers and iterative solvers work in f64 and come back through
//! `Number::from_f64`; the linear cases (SLN, SYD, zero-rate annuities)
//! stay exact decimals. Error results follow Excel: `#NUM!` for a domain
//! error or no convergence, `#DIV/0!` where Excel divides by zero.
//!
//! The registry table lives here so the order `sheetscript functions`
//! lists stays in one place; each topic file holds the wrappers and the
//! pure cores of its functions, with their tests beside them.

use super::*;
use bonds::{
    accrint, coupdaybs, coupdays, coupdaysnc, coupncd, coupnum, couppcd, duration, mduration,
    price, yield_fn,
};
use cash_flows::{irr, mirr, npv, xirr, xnpv};
use depreciation::{amordegrc, amorlinc, db, ddb, sln, syd, vdb};
use odd_periods::{oddfprice, oddfyield, oddlprice, oddlyield};
use securities::{
    accrintm, disc, intrate, pricedisc, pricemat, received, tbilleq, tbillprice, tbillyield,
    yielddisc, yieldmat,
};
use tvm::{
    cumipmt, cumprinc, dollarde, dollarfr, effect, fv, fvschedule, ipmt, ispmt, nominal, nper,
    pduration, pmt, ppmt, pv, rate, rri,
};

mod bonds;
mod cash_flows;
mod depreciation;
mod odd_periods;
mod securities;
mod tvm;
mod util;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new("PMT", 3, 5, "Payment per period of a loan or annuity", pmt),
    FunctionSpec::new("IPMT", 4, 6, "Interest part of one payment", ipmt),
    FunctionSpec::new("PPMT", 4, 6, "Principal part of one payment", ppmt),
    FunctionSpec::new(
        "CUMIPMT",
        6,
        6,
        "Interest paid between two periods",
        cumipmt,
    ),
    FunctionSpec::new(
        "CUMPRINC",
        6,
        6,
        "Principal paid between two periods",
        cumprinc,
    ),
    FunctionSpec::new(
        "PV",
        3,
        5,
        "Present value of a series of equal payments",
        pv,
    ),
    FunctionSpec::new("FV", 3, 5, "Future value of a series of equal payments", fv),
    FunctionSpec::new("NPER", 3, 5, "Number of periods of an annuity", nper),
    FunctionSpec::new("RATE", 3, 6, "Interest rate per period of an annuity", rate),
    FunctionSpec::new(
        "NPV",
        2,
        MANY,
        "Net present value of periodic cash flows",
        npv,
    ),
    FunctionSpec::new("XNPV", 3, 3, "Net present value of dated cash flows", xnpv),
    FunctionSpec::new(
        "IRR",
        1,
        2,
        "Internal rate of return of periodic cash flows",
        irr,
    ),
    FunctionSpec::new(
        "XIRR",
        2,
        3,
        "Internal rate of return of dated cash flows",
        xirr,
    ),
    FunctionSpec::new("MIRR", 3, 3, "Modified internal rate of return", mirr),
    FunctionSpec::new(
        "EFFECT",
        2,
        2,
        "Effective annual rate from a nominal rate",
        effect,
    ),
    FunctionSpec::new(
        "NOMINAL",
        2,
        2,
        "Nominal annual rate from an effective rate",
        nominal,
    ),
    FunctionSpec::new("SLN", 3, 3, "Straight-line depreciation per period", sln),
    FunctionSpec::new(
        "SYD",
        4,
        4,
        "Sum-of-years'-digits depreciation of a period",
        syd,
    ),
    FunctionSpec::new(
        "DB",
        4,
        5,
        "Fixed-declining-balance depreciation of a period",
        db,
    ),
    FunctionSpec::new(
        "DDB",
        4,
        5,
        "Double-declining-balance depreciation of a period",
        ddb,
    ),
    FunctionSpec::new(
        "VDB",
        5,
        7,
        "Declining-balance depreciation between two points",
        vdb,
    ),
    FunctionSpec::new(
        "ISPMT",
        4,
        4,
        "Interest of a period of a straight-line loan",
        ispmt,
    ),
    FunctionSpec::new(
        "RRI",
        3,
        3,
        "Equivalent interest rate for the growth of an investment",
        rri,
    ),
    FunctionSpec::new(
        "PDURATION",
        3,
        3,
        "Periods for an investment to reach a value",
        pduration,
    ),
    FunctionSpec::new(
        "FVSCHEDULE",
        2,
        2,
        "Future value after a schedule of rates",
        fvschedule,
    ),
    FunctionSpec::new(
        "DOLLARDE",
        2,
        2,
        "Fractional dollar price as a decimal",
        dollarde,
    ),
    FunctionSpec::new(
        "DOLLARFR",
        2,
        2,
        "Decimal dollar price as a fraction",
        dollarfr,
    ),
    FunctionSpec::new("DISC", 4, 5, "Discount rate of a security", disc),
    FunctionSpec::new(
        "INTRATE",
        4,
        5,
        "Interest rate of a fully invested security",
        intrate,
    ),
    FunctionSpec::new(
        "RECEIVED",
        4,
        5,
        "Amount received at maturity of a fully invested security",
        received,
    ),
    FunctionSpec::new(
        "PRICEDISC",
        4,
        5,
        "Price per 100 of a discounted security",
        pricedisc,
    ),
    FunctionSpec::new(
        "YIELDDISC",
        4,
        5,
        "Annual yield of a discounted security",
        yielddisc,
    ),
    FunctionSpec::new(
        "TBILLEQ",
        3,
        3,
        "Bond-equivalent yield of a Treasury bill",
        tbilleq,
    ),
    FunctionSpec::new(
        "TBILLPRICE",
        3,
        3,
        "Price per 100 of a Treasury bill",
        tbillprice,
    ),
    FunctionSpec::new("TBILLYIELD", 3, 3, "Yield of a Treasury bill", tbillyield),
    FunctionSpec::new(
        "COUPDAYBS",
        3,
        4,
        "Days from the coupon period start to settlement",
        coupdaybs,
    ),
    FunctionSpec::new(
        "COUPDAYS",
        3,
        4,
        "Days in the coupon period holding settlement",
        coupdays,
    ),
    FunctionSpec::new(
        "COUPDAYSNC",
        3,
        4,
        "Days from settlement to the next coupon date",
        coupdaysnc,
    ),
    FunctionSpec::new(
        "COUPNCD",
        3,
        4,
        "Next coupon date after settlement",
        coupncd,
    ),
    FunctionSpec::new(
        "COUPNUM",
        3,
        4,
        "Coupons payable between settlement and maturity",
        coupnum,
    ),
    FunctionSpec::new(
        "COUPPCD",
        3,
        4,
        "Previous coupon date before settlement",
        couppcd,
    ),
    FunctionSpec::new(
        "ACCRINT",
        6,
        8,
        "Accrued interest of a security paying periodic interest",
        accrint,
    ),
    FunctionSpec::new(
        "ACCRINTM",
        3,
        5,
        "Accrued interest of a security paying at maturity",
        accrintm,
    ),
    FunctionSpec::new(
        "AMORLINC",
        6,
        7,
        "French linear depreciation of a period (prorated first period)",
        amorlinc,
    ),
    FunctionSpec::new(
        "AMORDEGRC",
        6,
        7,
        "French degressive depreciation of a period",
        amordegrc,
    ),
    FunctionSpec::new(
        "PRICE",
        6,
        7,
        "Price per 100 of a security paying periodic interest",
        price,
    ),
    FunctionSpec::new(
        "YIELD",
        6,
        7,
        "Yield of a security paying periodic interest",
        yield_fn,
    ),
    FunctionSpec::new(
        "DURATION",
        5,
        6,
        "Macaulay duration of a security paying periodic interest",
        duration,
    ),
    FunctionSpec::new(
        "MDURATION",
        5,
        6,
        "Modified duration of a security paying periodic interest",
        mduration,
    ),
    FunctionSpec::new(
        "PRICEMAT",
        5,
        6,
        "Price per 100 of a security paying interest at maturity",
        pricemat,
    ),
    FunctionSpec::new(
        "YIELDMAT",
        5,
        6,
        "Yield of a security paying interest at maturity",
        yieldmat,
    ),
    FunctionSpec::new(
        "ODDFPRICE",
        8,
        9,
        "Price per 100 of a bond with an odd first period",
        oddfprice,
    ),
    FunctionSpec::new(
        "ODDFYIELD",
        8,
        9,
        "Yield of a bond with an odd first period",
        oddfyield,
    ),
    FunctionSpec::new(
        "ODDLPRICE",
        7,
        8,
        "Price per 100 of a bond with an odd last period",
        oddlprice,
    ),
    FunctionSpec::new(
        "ODDLYIELD",
        7,
        8,
        "Yield of a bond with an odd last period",
        oddlyield,
    ),
];

#[cfg(test)]
mod tests {

    use crate::formula::testing::{eval_str, num};
    use crate::model::{ErrorKind, Value};

    #[test]
    fn functions_through_the_evaluator() {
        assert_eq!(eval_str("=PV(0,12,-100)"), num("1200"));
        assert_eq!(eval_str("=PMT(0,12,-1200)"), num("100"));
        assert_eq!(eval_str("=FV(0,10,-0.1,-0.2)"), num("1.2"));
        assert_eq!(eval_str("=SLN(30000,7500,10)"), num("2250"));
        assert_eq!(
            eval_str("=SYD(30000,7500,10,10)"),
            num("409.09090909090909090909090909")
        );
        assert_eq!(eval_str("=NPV(-1,1)"), Value::Error(ErrorKind::Div0));
        assert_eq!(eval_str("=IRR({1,2})"), Value::Error(ErrorKind::Num));
        assert_eq!(eval_str("=PMT(0.1,0,100)"), Value::Error(ErrorKind::Num));
        assert_eq!(
            eval_str("=TBILLEQ(TRUE,45731,0.5)"),
            Value::Error(ErrorKind::Value)
        );
        for (formula, want) in [
            (
                "=PRICE(DATE(2008,2,15),DATE(2017,11,15),0.0575,0.065,100,2,0)",
                94.634361621,
            ),
            (
                "=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,0)",
                0.065,
            ),
            (
                "=MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1)",
                5.735669813918838,
            ),
            ("=ACCRINTM(39539,39614,0.1,1000,3)", 20.547_945_205),
            ("=COUPNUM(DATE(2011,1,25),DATE(2011,11,15),2,1)", 2.0),
        ] {
            match eval_str(formula) {
                Value::Number(n) => assert!((n.to_f64() - want).abs() < 1e-6, "{formula} = {n}"),
                other => panic!("{formula} gave {other:?}"),
            }
        }
        match eval_str("=EFFECT(0.0525,4)") {
            Value::Number(n) => assert!((n.to_f64() - 0.053542667370758).abs() < 1e-12),
            other => panic!("EFFECT gave {other:?}"),
        }
        assert_eq!(eval_str("=FVSCHEDULE(1000,{0.05,0.1})"), num("1155"));
        assert_eq!(eval_str("=XNPV(0.1,{-1,1},{45000,45000})"), num("0"));
    }
}
