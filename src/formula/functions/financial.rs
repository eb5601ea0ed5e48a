//! Financial functions (PV, FV, PMT, NPV, IRR, depreciation, bills and
//! bonds).
//!
//! Powers and iterative solvers work in f64 and come back through
//! `Number::from_f64`; the linear cases (SLN, SYD, zero-rate annuities)
//! stay exact decimals. Error results follow Excel: `#NUM!` for a domain
//! error or no convergence, `#DIV/0!` where Excel divides by zero.

use super::date_time::{atp_num, date_out};
use super::*;

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
];

/// A float result as a calculated value.
fn out(r: Result<f64, ErrorKind>) -> EvalResult {
    r.map(CalcValue::float)
}

/// Whether the optional payment-timing argument `i` says "beginning of
/// period" (any non-zero value).
fn due_arg(ctx: &mut CallContext, args: &[Expr], i: usize) -> Result<bool, ErrorKind> {
    Ok(ctx.opt_float(args, i, 0.0)? != 0.0)
}

/// The arguments shared by PMT, PV, FV and NPER: a rate, two required
/// amounts, an optional third (default 0) and the payment timing. Kept
/// as `Number` so the zero-rate formulas stay exact.
fn annuity_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[Number; 4], ErrorKind> {
    Ok([
        ctx.number(&args[0])?,
        ctx.number(&args[1])?,
        ctx.number(&args[2])?,
        ctx.opt_number(args, 3, Number::ZERO)?,
    ])
}

/// PMT, PV, FV and NPER: the exact zero-rate formula when the rate is
/// zero (`None` is `#NUM!`), the float core otherwise.
fn annuity(
    ctx: &mut CallContext,
    args: &[Expr],
    exact: fn([Number; 3]) -> Option<Number>,
    core: fn(f64, f64, f64, f64, bool) -> FinResult<f64>,
) -> EvalResult {
    let [rate, a, b, c] = annuity_args(ctx, args)?;
    let due = due_arg(ctx, args, 4)?;
    if rate.is_zero() {
        return exact([a, b, c]).map(CalcValue::from).ok_or(ErrorKind::Num);
    }
    out(core(rate.to_f64(), a.to_f64(), b.to_f64(), c.to_f64(), due))
}

fn pmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(
        ctx,
        args,
        |[nper, pv, fv]| (-(pv + fv)).checked_div(nper),
        pmt_core,
    )
}

/// The six arguments of IPMT/PPMT as floats.
fn period_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[f64; 5], ErrorKind> {
    Ok([
        ctx.float(&args[0])?,
        ctx.float(&args[1])?,
        ctx.float(&args[2])?,
        ctx.float(&args[3])?,
        ctx.opt_float(args, 4, 0.0)?,
    ])
}

fn ipmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, per, nper, pv, fv] = period_args(ctx, args)?;
    let due = due_arg(ctx, args, 5)?;
    out(ipmt_core(r, per, nper, pv, fv, due))
}

fn ppmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, per, nper, pv, fv] = period_args(ctx, args)?;
    let due = due_arg(ctx, args, 5)?;
    out(ppmt_core(r, per, nper, pv, fv, due))
}

/// The six arguments of CUMIPMT/CUMPRINC as floats.
fn cumulative_args(ctx: &mut CallContext, args: &[Expr]) -> Result<[f64; 6], ErrorKind> {
    let mut v = [0.0; 6];
    for (slot, a) in v.iter_mut().zip(args) {
        *slot = atp_num(&ctx.value(a)?)?;
    }
    Ok(v)
}

fn cumipmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, nper, pv, s, e, t] = cumulative_args(ctx, args)?;
    out(cumipmt_core(r, nper, pv, s, e, t))
}

fn cumprinc(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [r, nper, pv, s, e, t] = cumulative_args(ctx, args)?;
    out(cumprinc_core(r, nper, pv, s, e, t))
}

fn pv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(ctx, args, |[nper, pmt, fv]| Some(-fv - pmt * nper), pv_core)
}

fn fv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(ctx, args, |[nper, pmt, pv]| Some(-pv - pmt * nper), fv_core)
}

fn nper(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    annuity(
        ctx,
        args,
        |[pmt, pv, fv]| (-(pv + fv)).checked_div(pmt),
        nper_core,
    )
}

fn rate(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let nper = ctx.float(&args[0])?;
    let pmt = ctx.float(&args[1])?;
    let pv = ctx.float(&args[2])?;
    let fv = ctx.opt_float(args, 3, 0.0)?;
    let due = due_arg(ctx, args, 4)?;
    let guess = ctx.opt_float(args, 5, 0.1)?;
    out(rate_core(nper, pmt, pv, fv, due, guess))
}

fn npv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let values: Vec<f64> = ctx
        .numbers(&args[1..], Collect::Numbers)?
        .into_iter()
        .map(Number::to_f64)
        .collect();
    out(npv_core(r, &values))
}

/// The cash flows of IRR/MIRR: the numbers of a range or array (text,
/// booleans and empty cells skipped), errors propagated.
fn flows_arg(ctx: &mut CallContext, e: &Expr) -> Result<Vec<f64>, ErrorKind> {
    let mut out = Vec::new();
    ctx.for_each_value(e, |v, direct| {
        match v {
            Value::Number(n) => out.push(n.to_f64()),
            Value::Date(d) => out.push(date_number(d).to_f64()),
            Value::Error(k) => return Err(*k),
            v if direct => out.push(to_number(v)?.to_f64()),
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// The values or dates of XNPV/XIRR: every cell must hold a number (an
/// empty cell is `#NUM!`; text or a boolean is `not_number`, which Excel
/// makes `#NUM!` in XNPV but `#VALUE!` in XIRR).
fn schedule_arg(
    ctx: &mut CallContext,
    e: &Expr,
    not_number: ErrorKind,
) -> Result<Vec<f64>, ErrorKind> {
    let values = ctx.array(e)?;
    values
        .values
        .iter()
        .map(|v| match v {
            Value::Number(n) => Ok(n.to_f64()),
            Value::Date(d) => Ok(date_number(d).to_f64()),
            Value::Error(k) => Err(*k),
            Value::Empty => Err(ErrorKind::Num),
            _ => Err(not_number),
        })
        .collect()
}

fn xnpv(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = atp_num(&ctx.value(&args[0])?)?;
    let values = schedule_arg(ctx, &args[1], ErrorKind::Num)?;
    let dates = schedule_arg(ctx, &args[2], ErrorKind::Num)?;
    out(xnpv_core(r, &values, &dates))
}

fn irr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = flows_arg(ctx, &args[0])?;
    let guess = ctx.opt_float(args, 1, 0.1)?;
    out(irr_core(&values, guess))
}

fn xirr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = schedule_arg(ctx, &args[0], ErrorKind::Value)?;
    let dates = schedule_arg(ctx, &args[1], ErrorKind::Value)?;
    let guess = if CallContext::is_missing(args, 2) {
        0.1
    } else {
        atp_num(&ctx.value(&args[2])?)?
    };
    out(xirr_core(&values, &dates, guess))
}

fn mirr(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let values = flows_arg(ctx, &args[0])?;
    let finance = ctx.float(&args[1])?;
    let reinvest = ctx.float(&args[2])?;
    out(mirr_core(&values, finance, reinvest))
}

/// Defines an Analysis ToolPak function `$name` that reads its arguments
/// with [`atp_args`] (trailing optional ones taking `$defaults`) and
/// hands them, in order, to `$core`.
macro_rules! atp_function {
    ($name:ident, $core:ident, [$($arg:ident),+], $defaults:expr) => {
        atp_function!($name, $core, [$($arg),+], $defaults, dates = []);
    };
    ($name:ident, $core:ident, [$($arg:ident),+], $defaults:expr, dates = $dates:expr) => {
        fn $name(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
            let [$($arg),+] = dated_args(ctx, args, $defaults, &$dates)?;
            out($core($($arg),+))
        }
    };
}

/// [`atp_args`], with the arguments at `dates` (numbers in the workbook's
/// date system) turned into the 1900-system serials the cores' calendar
/// uses.
fn dated_args<const N: usize>(
    ctx: &mut CallContext,
    args: &[Expr],
    defaults: &[f64],
    dates: &[usize],
) -> Result<[f64; N], ErrorKind> {
    let mut v = atp_args(ctx, args, defaults)?;
    let system = ctx.date_system();
    for &i in dates {
        v[i] = system.serial_of(v[i]).ok_or(ErrorKind::Num)?;
    }
    Ok(v)
}

/// The arguments of an Analysis ToolPak function as floats (booleans are
/// `#VALUE!`); missing optional ones take `defaults`, aligned to the end.
fn atp_args<const N: usize>(
    ctx: &mut CallContext,
    args: &[Expr],
    defaults: &[f64],
) -> Result<[f64; N], ErrorKind> {
    let mut v = [0.0; N];
    let required = N - defaults.len();
    for (i, slot) in v.iter_mut().enumerate() {
        *slot = if i >= required && CallContext::is_missing(args, i) {
            defaults[i - required]
        } else {
            atp_num(&ctx.value(&args[i])?)?
        };
    }
    Ok(v)
}

atp_function!(effect, effect_core, [n, p], &[]);
atp_function!(nominal, nominal_core, [e, p], &[]);

fn sln(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.number(&args[0])?;
    let salvage = ctx.number(&args[1])?;
    let life = ctx.number(&args[2])?;
    sln_core(cost, salvage, life).map(CalcValue::from)
}

fn syd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.number(&args[0])?;
    let salvage = ctx.number(&args[1])?;
    let life = ctx.number(&args[2])?;
    let per = ctx.number(&args[3])?;
    syd_core(cost, salvage, life, per).map(CalcValue::from)
}

fn db(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let period = ctx.float(&args[3])?;
    let month = ctx.opt_float(args, 4, 12.0)?;
    out(db_core(cost, salvage, life, period, month))
}

fn ddb(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let period = ctx.float(&args[3])?;
    let factor = ctx.opt_float(args, 4, 2.0)?;
    out(ddb_core(cost, salvage, life, period, factor))
}

fn vdb(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let cost = ctx.float(&args[0])?;
    let salvage = ctx.float(&args[1])?;
    let life = ctx.float(&args[2])?;
    let start = ctx.float(&args[3])?;
    let end = ctx.float(&args[4])?;
    let factor = ctx.opt_float(args, 5, 2.0)?;
    let no_switch = ctx.opt_bool(args, 6, false)?;
    out(vdb_core(cost, salvage, life, start, end, factor, no_switch))
}

fn ispmt(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let per = ctx.float(&args[1])?;
    let nper = ctx.float(&args[2])?;
    let pv = ctx.float(&args[3])?;
    out(ispmt_core(r, per, nper, pv))
}

fn rri(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let n = ctx.float(&args[0])?;
    let pv = ctx.float(&args[1])?;
    let fv = ctx.float(&args[2])?;
    out(rri_core(n, pv, fv))
}

fn pduration(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let r = ctx.float(&args[0])?;
    let pv = ctx.float(&args[1])?;
    let fv = ctx.float(&args[2])?;
    out(pduration_core(r, pv, fv))
}

fn fvschedule(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let principal = atp_num(&ctx.value(&args[0])?)?;
    let mut rates = Vec::new();
    ctx.for_each_value(&args[1], |v, _| {
        match v {
            Value::Empty => {}
            v => rates.push(atp_num(v)?),
        }
        Ok(())
    })?;
    out(fvschedule_core(principal, &rates))
}

atp_function!(dollarde, dollarde_core, [d, f], &[]);
atp_function!(dollarfr, dollarfr_core, [d, f], &[]);
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
    coupdaybs,
    coupdaybs_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);
atp_function!(
    coupdays,
    coupdays_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);
atp_function!(
    coupdaysnc,
    coupdaysnc_core,
    [s, m, f, b],
    &[0.0],
    dates = [0, 1]
);

fn coupncd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    date_out(
        coupon_dates_core(s, m, f, b).map(|p| p.next),
        ctx.date_system(),
    )
    .map(CalcValue::Value)
}

fn coupnum(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    out(coupon_dates_core(s, m, f, b).map(|p| p.count))
}

fn couppcd(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    date_out(
        coupon_dates_core(s, m, f, b).map(|p| p.previous),
        ctx.date_system(),
    )
    .map(CalcValue::Value)
}

fn accrint(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [i, f, s, r, p, q, b] = dated_args(ctx, args, &[0.0], &[0, 1, 2])?;
    let from_issue = ctx.opt_bool(args, 7, true)?;
    out(accrint_core(i, f, s, r, p, q, b, from_issue))
}

atp_function!(
    amorlinc,
    amorlinc_core,
    [c, d, f, sv, p, r, b],
    &[0.0],
    dates = [1, 2]
);
atp_function!(
    amordegrc,
    amordegrc_core,
    [c, d, f, sv, p, r, b],
    &[0.0],
    dates = [1, 2]
);
atp_function!(
    price,
    price_core,
    [s, m, r, y, red, f, b],
    &[0.0],
    dates = [0, 1]
);
atp_function!(
    yield_fn,
    yield_core,
    [s, m, r, pr, red, f, b],
    &[0.0],
    dates = [0, 1]
);
atp_function!(
    duration,
    duration_core,
    [s, m, c, y, f, b],
    &[0.0],
    dates = [0, 1]
);

fn mduration(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let [s, m, c, y, f, b] = dated_args(ctx, args, &[0.0], &[0, 1])?;
    out(duration_core(s, m, c, y, f, b).map(|d| d / (1.0 + y / f.trunc())))
}

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

// ---------------------------------------------------------------------
// Pure cores: time value of money, cash-flow analysis and depreciation
// with Excel's domain checks. Powers and iterations run in f64; the
// wrappers turn results back into `Number` (exact where the float is a
// clean decimal), and the linear functions (SLN, SYD, zero-rate annuities)
// stay exact in `Number` arithmetic.
// ---------------------------------------------------------------------

use crate::model::value::date_from_serial;
use chrono::{Datelike, NaiveDate};

/// Result of a financial core.
type FinResult<T> = std::result::Result<T, ErrorKind>;

/// A finite result, or `#NUM!` for overflow and NaN.
fn finite(x: f64) -> FinResult<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(ErrorKind::Num)
    }
}

/// PMT(rate, nper, pv, fv, type) for a non-zero rate.
fn pmt_core(rate: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        if nper == 0.0 {
            return Err(ErrorKind::Num);
        }
        return Ok(-(pv + fv) / nper);
    }
    if rate <= -1.0 || nper == 0.0 {
        return Err(ErrorKind::Num);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    finite((fv + pv * growth) * rate / (due_factor * (1.0 - growth)))
}

/// FV(rate, nper, pmt, pv, type).
fn fv_core(rate: f64, nper: f64, pmt: f64, pv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        return Ok(-pv - pmt * nper);
    }
    if rate == -1.0 && nper < 0.0 {
        return Err(ErrorKind::Div0);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    let fv = -pv * growth - pmt * due_factor * (growth - 1.0) / rate;
    if fv.is_nan() {
        Err(ErrorKind::Num)
    } else if fv.is_infinite() {
        Err(ErrorKind::Div0)
    } else {
        Ok(fv)
    }
}

/// PV(rate, nper, pmt, fv, type).
fn pv_core(rate: f64, nper: f64, pmt: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        return Ok(-fv - pmt * nper);
    }
    if rate == -1.0 {
        return Err(ErrorKind::Div0);
    }
    let growth = (1.0 + rate).powf(nper);
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    finite(-(fv * rate + pmt * due_factor * (growth - 1.0)) / (rate * growth))
}

/// NPER(rate, pmt, pv, fv, type).
fn nper_core(rate: f64, pmt: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    if rate == 0.0 {
        if pmt == 0.0 {
            return Err(ErrorKind::Num);
        }
        return Ok(-(pv + fv) / pmt);
    }
    if rate <= -1.0 {
        return Err(ErrorKind::Num);
    }
    let due_factor = if due { 1.0 + rate } else { 1.0 };
    let num = pmt * due_factor - fv * rate;
    let den = pv * rate + pmt * due_factor;
    if den == 0.0 || num / den <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((num / den).ln() / rate.ln_1p())
}

/// Interest paid in `per` of an annuity, given its payment.
fn ipmt_with(rate: f64, per: f64, pmt: f64, pv: f64, due: bool) -> FinResult<f64> {
    if due {
        if per == 1.0 {
            return Ok(0.0);
        }
        Ok((fv_core(rate, per - 2.0, pmt, pv, true)? - pmt) * rate)
    } else {
        Ok(fv_core(rate, per - 1.0, pmt, pv, false)? * rate)
    }
}

/// IPMT(rate, per, nper, pv, fv, type).
fn ipmt_core(rate: f64, per: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    let pmt = pmt_core(rate, nper, pv, fv, due)?;
    if per < 1.0 || per >= nper + 1.0 {
        return Err(ErrorKind::Num);
    }
    finite(ipmt_with(rate, per, pmt, pv, due)?)
}

/// PPMT(rate, per, nper, pv, fv, type).
fn ppmt_core(rate: f64, per: f64, nper: f64, pv: f64, fv: f64, due: bool) -> FinResult<f64> {
    let pmt = pmt_core(rate, nper, pv, fv, due)?;
    Ok(pmt - ipmt_core(rate, per, nper, pv, fv, due)?)
}

/// Checks shared by CUMIPMT and CUMPRINC; returns whole start/end periods.
fn cumulative_periods(
    rate: f64,
    nper: f64,
    pv: f64,
    start: f64,
    end: f64,
    kind: f64,
) -> FinResult<(i64, i64, bool)> {
    let (s, e) = (start.ceil(), end.trunc());
    if rate <= 0.0 || nper <= 0.0 || pv <= 0.0 || s < 1.0 || e < 1.0 || s > e || e > nper {
        return Err(ErrorKind::Num);
    }
    let due = if kind == 0.0 {
        false
    } else if kind == 1.0 {
        true
    } else {
        return Err(ErrorKind::Num);
    };
    Ok((s as i64, e as i64, due))
}

/// CUMIPMT(rate, nper, pv, start, end, type).
fn cumipmt_core(rate: f64, nper: f64, pv: f64, start: f64, end: f64, kind: f64) -> FinResult<f64> {
    let (s, e, due) = cumulative_periods(rate, nper, pv, start, end, kind)?;
    let pmt = pmt_core(rate, nper, pv, 0.0, due)?;
    let mut total = 0.0;
    for per in s..=e {
        total += ipmt_with(rate, per as f64, pmt, pv, due)?;
    }
    finite(total)
}

/// CUMPRINC(rate, nper, pv, start, end, type).
fn cumprinc_core(rate: f64, nper: f64, pv: f64, start: f64, end: f64, kind: f64) -> FinResult<f64> {
    let (s, e, due) = cumulative_periods(rate, nper, pv, start, end, kind)?;
    let pmt = pmt_core(rate, nper, pv, 0.0, due)?;
    let mut total = 0.0;
    for per in s..=e {
        total += pmt - ipmt_with(rate, per as f64, pmt, pv, due)?;
    }
    finite(total)
}

/// RATE(nper, pmt, pv, fv, type, guess) by Newton's method from `guess`.
fn rate_core(nper: f64, pmt: f64, pv: f64, fv: f64, due: bool, guess: f64) -> FinResult<f64> {
    if nper <= 0.0 {
        return Err(ErrorKind::Num);
    }
    if guess <= -1.0 {
        return Err(ErrorKind::Value);
    }
    let t = if due { 1.0 } else { 0.0 };
    // f(r) = pv(1+r)^n + pmt(1+rt)((1+r)^n - 1)/r + fv
    let f = |r: f64| -> (f64, f64) {
        if r.abs() < 1e-12 {
            let value = pv + pmt * nper + fv;
            let slope = pv * nper + pmt * (nper * (nper - 1.0) / 2.0 + t * nper);
            return (value, slope);
        }
        let g1 = (1.0 + r).powf(nper - 1.0);
        let g = g1 * (1.0 + r);
        let value = pv * g + pmt * (1.0 + r * t) * (g - 1.0) / r + fv;
        let slope = pv * nper * g1
            + pmt * t * (g - 1.0) / r
            + pmt * (1.0 + r * t) * (nper * g1 * r - (g - 1.0)) / (r * r);
        (value, slope)
    };
    let mut r = guess;
    for _ in 0..100 {
        let (value, slope) = f(r);
        if !value.is_finite() || !slope.is_finite() || slope == 0.0 {
            return Err(ErrorKind::Num);
        }
        let next = r - value / slope;
        if next <= -1.0 || !next.is_finite() {
            return Err(ErrorKind::Num);
        }
        if (next - r).abs() < 1e-10 {
            return Ok(next);
        }
        r = next;
    }
    Err(ErrorKind::Num)
}

/// NPV(rate, values): values at the ends of periods 1, 2, ...
fn npv_core(rate: f64, values: &[f64]) -> FinResult<f64> {
    if rate == -1.0 {
        return Err(ErrorKind::Div0);
    }
    let mut total = 0.0;
    let mut discount = 1.0;
    for v in values {
        discount *= 1.0 + rate;
        total += v / discount;
    }
    finite(total)
}

/// NPV and its derivative in the rate, with flows from period 0.
fn npv0_with_slope(rate: f64, values: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    for (i, v) in values.iter().enumerate() {
        let i = i as f64;
        value += v * (1.0 + rate).powf(-i);
        slope -= i * v * (1.0 + rate).powf(-i - 1.0);
    }
    (value, slope)
}

/// Finds a root of `f` (value and slope) above -1: Newton from the guess,
/// then bisection over a bracket found by scanning outwards.
fn solve_rate(f: &dyn Fn(f64) -> (f64, f64), guess: f64) -> FinResult<f64> {
    let newton = |start: f64| -> Option<f64> {
        let mut r = start;
        for _ in 0..100 {
            let (value, slope) = f(r);
            if !value.is_finite() || !slope.is_finite() || slope == 0.0 {
                return None;
            }
            let next = r - value / slope;
            if !next.is_finite() || next <= -1.0 {
                return None;
            }
            if (next - r).abs() <= 1e-12 * next.abs().max(1.0) {
                return Some(next);
            }
            r = next;
        }
        None
    };
    if let Some(r) = newton(guess) {
        return Ok(r);
    }
    // Scan for a sign change, then bisect it.
    let grid: Vec<f64> = {
        let mut g = vec![
            -0.999_999, -0.99, -0.9, -0.75, -0.5, -0.25, -0.1, 0.0, 0.05, 0.1,
        ];
        let mut x = 0.25;
        while x < 1e6 {
            g.push(x);
            x *= 2.0;
        }
        g
    };
    for pair in grid.windows(2) {
        let (mut lo, mut hi) = (pair[0], pair[1]);
        let (flo, fhi) = (f(lo).0, f(hi).0);
        if !(flo.is_finite() && fhi.is_finite()) || flo.signum() == fhi.signum() {
            continue;
        }
        let rising = fhi > flo;
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            let fm = f(mid).0;
            if (fm > 0.0) == rising {
                hi = mid;
            } else {
                lo = mid;
            }
            if hi - lo <= 1e-15 * mid.abs().max(1.0) {
                break;
            }
        }
        let mid = 0.5 * (lo + hi);
        return Ok(newton(mid).unwrap_or(mid));
    }
    Err(ErrorKind::Num)
}

/// IRR(values, guess).
fn irr_core(values: &[f64], guess: f64) -> FinResult<f64> {
    if guess <= -1.0 {
        return Err(ErrorKind::Value);
    }
    if !values.iter().any(|v| *v > 0.0) || !values.iter().any(|v| *v < 0.0) {
        return Err(ErrorKind::Num);
    }
    solve_rate(&|r| npv0_with_slope(r, values), guess)
}

/// Checks XNPV/XIRR inputs: equal lengths, whole-day dates, none before
/// the first.
fn check_schedule(values: &[f64], dates: &[f64]) -> FinResult<Vec<f64>> {
    if values.len() != dates.len() || values.is_empty() {
        return Err(ErrorKind::Num);
    }
    let days: Vec<f64> = dates.iter().map(|d| d.trunc()).collect();
    if days.iter().any(|d| *d < 0.0 || *d < days[0]) {
        return Err(ErrorKind::Num);
    }
    Ok(days)
}

/// XNPV value and slope at `rate`.
fn xnpv_with_slope(rate: f64, values: &[f64], days: &[f64]) -> (f64, f64) {
    let mut value = 0.0;
    let mut slope = 0.0;
    for (v, d) in values.iter().zip(days) {
        let years = (d - days[0]) / 365.0;
        value += v * (1.0 + rate).powf(-years);
        slope -= years * v * (1.0 + rate).powf(-years - 1.0);
    }
    (value, slope)
}

/// XNPV(rate, values, dates).
fn xnpv_core(rate: f64, values: &[f64], dates: &[f64]) -> FinResult<f64> {
    let days = check_schedule(values, dates)?;
    if rate <= -1.0 {
        return Err(ErrorKind::Num);
    }
    finite(xnpv_with_slope(rate, values, &days).0)
}

/// XIRR(values, dates, guess).
fn xirr_core(values: &[f64], dates: &[f64], guess: f64) -> FinResult<f64> {
    let days = check_schedule(values, dates)?;
    if guess <= -1.0 {
        return Err(ErrorKind::Num);
    }
    if !values.iter().any(|v| *v > 0.0) || !values.iter().any(|v| *v < 0.0) {
        return Err(ErrorKind::Num);
    }
    solve_rate(&|r| xnpv_with_slope(r, values, &days), guess)
}

/// MIRR(values, finance_rate, reinvest_rate).
fn mirr_core(values: &[f64], finance_rate: f64, reinvest_rate: f64) -> FinResult<f64> {
    let n = values.len() as f64;
    if values.is_empty() {
        return Err(ErrorKind::Div0);
    }
    let mut positive = 0.0;
    let mut negative = 0.0;
    for (i, v) in values.iter().enumerate() {
        let i = i as f64;
        if *v > 0.0 {
            positive += v * (1.0 + reinvest_rate).powf(n - 1.0 - i);
        } else {
            negative += v / (1.0 + finance_rate).powf(i);
        }
    }
    // Without outflows there is nothing to discount (#DIV/0!); without
    // inflows the rate is -100%, as in Excel.
    if negative == 0.0 {
        return Err(ErrorKind::Div0);
    }
    finite((-positive / negative).powf(1.0 / (n - 1.0)) - 1.0)
}

/// EFFECT(nominal_rate, npery).
fn effect_core(nominal: f64, npery: f64) -> FinResult<f64> {
    let p = npery.trunc();
    if nominal <= 0.0 || p < 1.0 {
        return Err(ErrorKind::Num);
    }
    finite((1.0 + nominal / p).powf(p) - 1.0)
}

/// NOMINAL(effect_rate, npery).
fn nominal_core(effect: f64, npery: f64) -> FinResult<f64> {
    let p = npery.trunc();
    if effect <= 0.0 || p < 1.0 {
        return Err(ErrorKind::Num);
    }
    finite(p * ((1.0 + effect).powf(1.0 / p) - 1.0))
}

/// SLN(cost, salvage, life), exact for exact inputs.
fn sln_core(cost: Number, salvage: Number, life: Number) -> FinResult<Number> {
    (cost - salvage).checked_div(life).ok_or(ErrorKind::Div0)
}

/// SYD(cost, salvage, life, per), exact for exact inputs.
fn syd_core(cost: Number, salvage: Number, life: Number, per: Number) -> FinResult<Number> {
    if life <= Number::ZERO || per <= Number::ZERO || per > life || salvage < Number::ZERO {
        return Err(ErrorKind::Num);
    }
    let remaining = life - per + Number::ONE;
    let two = Number::from_i64(2);
    ((cost - salvage) * remaining * two)
        .checked_div(life * (life + Number::ONE))
        .ok_or(ErrorKind::Num)
}

/// DB(cost, salvage, life, period, month): fixed-declining balance with
/// the rate rounded to three decimals, as Excel does.
fn db_core(cost: f64, salvage: f64, life: f64, period: f64, month: f64) -> FinResult<f64> {
    let month = month.trunc();
    let period = period.trunc();
    if cost < 0.0
        || salvage < 0.0
        || life <= 0.0
        || period <= 0.0
        || !(1.0..=12.0).contains(&month)
        || period > life + 1.0
        || (period > life && month == 12.0)
    {
        return Err(ErrorKind::Num);
    }
    if cost == 0.0 {
        return Ok(0.0);
    }
    let rate = ((1.0 - (salvage / cost).powf(1.0 / life)) * 1000.0).round() / 1000.0;
    let first = cost * rate * month / 12.0;
    if period == 1.0 {
        return finite(first);
    }
    let mut total = first;
    let mut dep = first;
    let last = life.trunc() + 1.0;
    let mut p = 2.0;
    while p <= period {
        dep = if p == last {
            (cost - total) * rate * (12.0 - month) / 12.0
        } else {
            (cost - total) * rate
        };
        total += dep;
        p += 1.0;
    }
    finite(dep)
}

/// DDB(cost, salvage, life, period, factor).
fn ddb_core(cost: f64, salvage: f64, life: f64, period: f64, factor: f64) -> FinResult<f64> {
    if cost < 0.0 || salvage < 0.0 || life <= 0.0 || period <= 0.0 || factor <= 0.0 || period > life
    {
        return Err(ErrorKind::Num);
    }
    let rate = (factor / life).min(1.0);
    let (old, new) = if rate >= 1.0 {
        (if period <= 1.0 { cost } else { 0.0 }, 0.0)
    } else {
        (
            cost * (1.0 - rate).powf(period - 1.0),
            cost * (1.0 - rate).powf(period),
        )
    };
    let dep = if new < salvage {
        old - salvage
    } else {
        old - new
    };
    finite(dep.max(0.0))
}

/// Declining-balance depreciation of one whole period for VDB, switching
/// to straight line once that is larger (unless `no_switch`).
fn vdb_schedule(cost: f64, salvage: f64, life: f64, factor: f64, no_switch: bool) -> Vec<f64> {
    let periods = life.ceil().max(0.0) as usize;
    let mut out = Vec::with_capacity(periods);
    let mut book = cost;
    let mut straight = false;
    let mut sl_amount = 0.0;
    for i in 0..periods {
        let remaining_life = life - i as f64;
        let dep = if straight {
            sl_amount
        } else {
            let rate = (factor / life).min(1.0);
            let mut ddb = book * rate;
            if book - ddb < salvage {
                ddb = (book - salvage).max(0.0);
            }
            let sl = if remaining_life > 0.0 {
                ((book - salvage) / remaining_life).max(0.0)
            } else {
                0.0
            };
            if !no_switch && sl > ddb {
                straight = true;
                sl_amount = sl;
                sl
            } else {
                ddb
            }
        };
        let dep = dep.min((book - salvage).max(0.0));
        book -= dep;
        out.push(dep);
    }
    out
}

/// VDB(cost, salvage, life, start, end, factor, no_switch): depreciation
/// between two (possibly fractional) points of the life.
fn vdb_core(
    cost: f64,
    salvage: f64,
    life: f64,
    start: f64,
    end: f64,
    factor: f64,
    no_switch: bool,
) -> FinResult<f64> {
    if cost < 0.0
        || salvage < 0.0
        || life <= 0.0
        || start < 0.0
        || end < start
        || end > life
        || factor <= 0.0
    {
        return Err(ErrorKind::Num);
    }
    let schedule = vdb_schedule(cost, salvage, life, factor, no_switch);
    // Cumulative depreciation up to point x, linear within a period.
    let upto = |x: f64| -> f64 {
        let whole = x.floor() as usize;
        let mut total: f64 = schedule.iter().take(whole).sum();
        if let Some(part) = schedule.get(whole) {
            total += part * (x - x.floor());
        }
        total
    };
    finite(upto(end) - upto(start))
}

/// ISPMT(rate, per, nper, pv): interest of a straight-line loan.
fn ispmt_core(rate: f64, per: f64, nper: f64, pv: f64) -> FinResult<f64> {
    if nper == 0.0 {
        return Err(ErrorKind::Div0);
    }
    finite(pv * rate * (per / nper - 1.0))
}

/// RRI(nper, pv, fv): the equivalent growth rate.
fn rri_core(nper: f64, pv: f64, fv: f64) -> FinResult<f64> {
    if nper <= 0.0 || pv == 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((fv / pv).powf(1.0 / nper) - 1.0)
}

/// FVSCHEDULE(principal, schedule).
fn fvschedule_core(principal: f64, schedule: &[f64]) -> FinResult<f64> {
    finite(schedule.iter().fold(principal, |acc, r| acc * (1.0 + r)))
}

/// PDURATION(rate, pv, fv): periods for pv to grow to fv.
fn pduration_core(rate: f64, pv: f64, fv: f64) -> FinResult<f64> {
    if rate <= 0.0 || pv <= 0.0 || fv <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite((fv.ln() - pv.ln()) / rate.ln_1p())
}

/// The power of ten just above a DOLLARDE/DOLLARFR fraction denominator.
fn fraction_scale(fraction: f64) -> FinResult<f64> {
    let f = fraction.trunc();
    if f < 0.0 {
        return Err(ErrorKind::Num);
    }
    if f == 0.0 {
        return Err(ErrorKind::Div0);
    }
    Ok(10f64.powf(f.log10().ceil()))
}

/// DOLLARDE(fractional_dollar, fraction): 1.02 in sixteenths is 1.125.
fn dollarde_core(dollar: f64, fraction: f64) -> FinResult<f64> {
    let scale = fraction_scale(fraction)?;
    let whole = dollar.trunc();
    finite(whole + (dollar - whole) * scale / fraction.trunc())
}

/// DOLLARFR(decimal_dollar, fraction): 1.125 in sixteenths is 1.02.
fn dollarfr_core(dollar: f64, fraction: f64) -> FinResult<f64> {
    let scale = fraction_scale(fraction)?;
    let whole = dollar.trunc();
    finite(whole + (dollar - whole) * fraction.trunc() / scale)
}

/// A valid day-count basis 0-4.
fn basis_of(basis: f64) -> FinResult<i64> {
    let b = basis.trunc();
    if (0.0..=4.0).contains(&b) {
        Ok(b as i64)
    } else {
        Err(ErrorKind::Num)
    }
}

/// Whole settlement and maturity days, settlement strictly first.
fn settle_mature(settlement: f64, maturity: f64) -> FinResult<(f64, f64)> {
    let (s, m) = (settlement.trunc(), maturity.trunc());
    if s < 0.0 || s >= m {
        return Err(ErrorKind::Num);
    }
    Ok((s, m))
}

/// The year fraction between two whole days in a basis.
fn year_fraction(start: f64, end: f64, basis: i64) -> FinResult<f64> {
    date_time::yearfrac_core(start, end, basis as f64)
}

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
    let year_later = date_time::edate_core(s, 12.0)?;
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

/// Months between coupons for a frequency of 1, 2 or 4 payments a year.
fn coupon_months(frequency: f64) -> FinResult<i32> {
    let f = frequency.trunc();
    if f == 1.0 || f == 2.0 || f == 4.0 {
        Ok(12 / f as i32)
    } else {
        Err(ErrorKind::Num)
    }
}

/// The coupon period around a settlement date.
struct CouponPeriod {
    /// Previous coupon date (on or before settlement).
    previous: f64,
    /// Next coupon date (after settlement).
    next: f64,
    /// Coupons payable between settlement and maturity.
    count: f64,
}

/// Coupon dates step back from maturity by 12/frequency months, staying
/// on the month's last day when maturity is a month end.
fn coupon_period(settlement: f64, maturity: f64, frequency: f64) -> FinResult<CouponPeriod> {
    let (s, m) = settle_mature(settlement, maturity)?;
    let step = coupon_months(frequency)?;
    let month_end = date_time::eomonth_core(m, 0.0)? == m;
    let shifted = |k: i64| -> FinResult<f64> {
        let months = -(k * i64::from(step)) as f64;
        if month_end {
            date_time::eomonth_core(m, months)
        } else {
            date_time::edate_core(m, months)
        }
    };
    let mut next = m;
    let mut k = 1;
    loop {
        let previous = shifted(k)?;
        if previous <= s {
            return Ok(CouponPeriod {
                previous,
                next,
                count: k as f64,
            });
        }
        next = previous;
        k += 1;
    }
}

/// Days from `a` to `b` in a coupon basis (30/360 for 0 and 4).
fn coupon_day_count(a: f64, b: f64, basis: i64) -> FinResult<f64> {
    match basis {
        0 => Ok(date_time::yearfrac_core(a, b, 0.0)? * 360.0),
        4 => Ok(date_time::yearfrac_core(a, b, 4.0)? * 360.0),
        _ => Ok(b - a),
    }
}

/// COUPPCD, COUPNCD and COUPNUM share the schedule.
fn coupon_dates_core(
    settlement: f64,
    maturity: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<CouponPeriod> {
    basis_of(basis)?;
    coupon_period(settlement, maturity, frequency)
}

/// COUPDAYS(settlement, maturity, frequency, basis).
fn coupdays_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    let f = frequency.trunc();
    Ok(match b {
        1 => period.next - period.previous,
        3 => 365.0 / f,
        _ => 360.0 / f,
    })
}

/// COUPDAYBS(settlement, maturity, frequency, basis).
fn coupdaybs_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    coupon_day_count(period.previous, settlement.trunc(), b)
}

/// COUPDAYSNC(settlement, maturity, frequency, basis).
fn coupdaysnc_core(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let period = coupon_period(settlement, maturity, frequency)?;
    if b == 0 || b == 4 {
        let days = coupdays_core(settlement, maturity, frequency, basis)?;
        return Ok(days - coupon_day_count(period.previous, settlement.trunc(), b)?);
    }
    Ok(period.next - settlement.trunc())
}

/// Checks shared by AMORLINC and AMORDEGRC; returns the whole period
/// and the year fraction of the first (partial) period.
fn amortization_start(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<(f64, f64)> {
    let b = basis_of(basis)?;
    let (d, f) = (purchased.trunc(), first_period.trunc());
    if cost < 0.0
        || salvage < 0.0
        || salvage > cost
        || period < 0.0
        || rate <= 0.0
        || d < 0.0
        || f < d
    {
        return Err(ErrorKind::Num);
    }
    Ok((period.trunc(), year_fraction(d, f, b)?))
}

/// AMORLINC(cost, date_purchased, first_period, salvage, period, rate,
/// basis): straight line at `rate`, the first period prorated.
fn amorlinc_core(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<f64> {
    let (period, first_fraction) =
        amortization_start(cost, purchased, first_period, salvage, period, rate, basis)?;
    let full = cost * rate;
    let first = first_fraction * full;
    let whole_periods = ((cost - salvage - first) / full).floor().max(0.0);
    Ok(if period == 0.0 {
        first
    } else if period <= whole_periods {
        full
    } else if period == whole_periods + 1.0 {
        (cost - salvage - full * whole_periods - first).max(0.0)
    } else {
        0.0
    })
}

/// AMORDEGRC(cost, date_purchased, first_period, salvage, period, rate,
/// basis): declining balance at `rate` times a coefficient set by the
/// asset's life, amounts rounded to whole units, half the remainder in
/// the second-to-last period and the rest in the last.
fn amordegrc_core(
    cost: f64,
    purchased: f64,
    first_period: f64,
    salvage: f64,
    period: f64,
    rate: f64,
    basis: f64,
) -> FinResult<f64> {
    let (period, first_fraction) =
        amortization_start(cost, purchased, first_period, salvage, period, rate, basis)?;
    let life = 1.0 / rate;
    // Excel refuses fractional lives below 3 years and between 4 and 5.
    let fractional = life.fract() != 0.0;
    if fractional && (life < 3.0 || (4.0..5.0).contains(&life)) {
        return Err(ErrorKind::Num);
    }
    let coefficient = if life < 3.0 {
        1.0
    } else if life < 5.0 {
        1.5
    } else if life <= 6.0 {
        2.0
    } else {
        2.5
    };
    let rate = rate * coefficient;
    let mut amount = (first_fraction * rate * cost).round();
    if period == 0.0 {
        return Ok(amount);
    }
    let mut book = cost - amount;
    let mut remaining = book - salvage;
    let mut n = 0.0;
    while n < period {
        amount = (rate * book).round();
        remaining -= amount;
        if remaining < 0.0 {
            return Ok(if period - n <= 1.0 {
                (book * 0.5).round()
            } else {
                0.0
            });
        }
        book -= amount;
        n += 1.0;
    }
    Ok(amount)
}

/// The coupon schedule of a bond as PRICE and YIELD use it.
struct Coupons {
    /// Coupons left (N).
    count: f64,
    /// Days from the previous coupon to settlement (A).
    accrued: f64,
    /// Days in the coupon period (E).
    period: f64,
    /// Days from settlement to the next coupon (DSC).
    to_next: f64,
    /// Coupons a year.
    frequency: f64,
}

fn coupons(settlement: f64, maturity: f64, frequency: f64, basis: f64) -> FinResult<Coupons> {
    Ok(Coupons {
        count: coupon_dates_core(settlement, maturity, frequency, basis)?.count,
        accrued: coupdaybs_core(settlement, maturity, frequency, basis)?,
        period: coupdays_core(settlement, maturity, frequency, basis)?,
        to_next: coupdaysnc_core(settlement, maturity, frequency, basis)?,
        frequency: frequency.trunc(),
    })
}

/// Clean price per 100 of a bond at a yield (Excel's PRICE formula).
fn bond_price(c: &Coupons, rate: f64, yld: f64, redemption: f64) -> f64 {
    let coupon = 100.0 * rate / c.frequency;
    let accrued = coupon * c.accrued / c.period;
    let fraction = c.to_next / c.period;
    if c.count == 1.0 {
        return (coupon + redemption) / (1.0 + fraction * yld / c.frequency) - accrued;
    }
    let base = 1.0 + yld / c.frequency;
    let mut price = redemption / base.powf(c.count - 1.0 + fraction);
    let mut k = 1.0;
    while k <= c.count {
        price += coupon / base.powf(k - 1.0 + fraction);
        k += 1.0;
    }
    price - accrued
}

/// Checks shared by PRICE and YIELD.
fn check_bond(rate: f64, amount: f64, redemption: f64) -> FinResult<()> {
    if rate < 0.0 || amount < 0.0 || redemption <= 0.0 {
        Err(ErrorKind::Num)
    } else {
        Ok(())
    }
}

/// PRICE(settlement, maturity, rate, yld, redemption, frequency, basis).
fn price_core(
    settlement: f64,
    maturity: f64,
    rate: f64,
    yld: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    check_bond(rate, yld, redemption)?;
    let c = coupons(settlement, maturity, frequency, basis)?;
    finite(bond_price(&c, rate, yld, redemption))
}

/// YIELD(settlement, maturity, rate, pr, redemption, frequency, basis):
/// closed form with one coupon left, else Newton on the price.
fn yield_core(
    settlement: f64,
    maturity: f64,
    rate: f64,
    pr: f64,
    redemption: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    check_bond(rate, pr, redemption)?;
    if pr == 0.0 {
        return Err(ErrorKind::Num);
    }
    let c = coupons(settlement, maturity, frequency, basis)?;
    if c.count == 1.0 {
        let coupon = rate / c.frequency;
        let paid = pr / 100.0 + c.accrued / c.period * coupon;
        let remaining = c.period - c.accrued;
        return finite(
            (redemption / 100.0 + coupon - paid) / paid * c.frequency * c.period / remaining,
        );
    }
    let slope = |y: f64| {
        let h = 1e-7 * y.abs().max(1e-4);
        (bond_price(&c, rate, y + h, redemption) - bond_price(&c, rate, y - h, redemption))
            / (2.0 * h)
    };
    let f = |y: f64| (bond_price(&c, rate, y, redemption) - pr, slope(y));
    let y = solve_rate(&f, rate.max(0.05))?;
    if y <= -c.frequency {
        return Err(ErrorKind::Num);
    }
    Ok(y)
}

/// DURATION(settlement, maturity, coupon, yld, frequency, basis): the
/// Macaulay duration in years, each flow timed at `k - 1 + (E - A)/E`
/// coupon periods from settlement. (Excel times DURATION's flows from
/// the period length less the days accrued, not from COUPDAYSNC as PRICE
/// does; the two differ only for the actual-day bases.)
fn duration_core(
    settlement: f64,
    maturity: f64,
    coupon: f64,
    yld: f64,
    frequency: f64,
    basis: f64,
) -> FinResult<f64> {
    if coupon < 0.0 || yld < 0.0 {
        return Err(ErrorKind::Num);
    }
    let c = coupons(settlement, maturity, frequency, basis)?;
    let offset = (c.period - c.accrued) / c.period - 1.0;
    let cash = 100.0 * coupon / c.frequency;
    let base = 1.0 + yld / c.frequency;
    let (mut weighted, mut price) = (0.0, 0.0);
    let mut k = 1.0;
    while k <= c.count {
        let flow = if k == c.count { cash + 100.0 } else { cash };
        let pv = flow / base.powf(k + offset);
        weighted += (k + offset) * pv;
        price += pv;
        k += 1.0;
    }
    finite(weighted / price / c.frequency)
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
fn pricemat_core(
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
fn yieldmat_core(
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
fn accrintm_core(issue: f64, settlement: f64, rate: f64, par: f64, basis: f64) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let (i, s) = settle_mature(issue, settlement)?;
    if rate <= 0.0 || par <= 0.0 {
        return Err(ErrorKind::Num);
    }
    finite(par * rate * year_fraction(i, s, b)?)
}

/// A calendar date of a whole serial, for the bond day counts.
fn bond_date(serial: f64) -> FinResult<NaiveDate> {
    if serial < 1.0 {
        return Err(ErrorKind::Num);
    }
    date_from_serial(serial as i64).ok_or(ErrorKind::Num)
}

fn month_length(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).map_or(28, |d| d.day())
}

fn is_month_end(d: NaiveDate) -> bool {
    d.day() == month_length(d.year(), d.month())
}

fn is_feb_end(d: NaiveDate) -> bool {
    d.month() == 2 && is_month_end(d)
}

/// `d` moved by `months`, the day clamped to the target month (or moved
/// to its last day for an end-of-month schedule).
fn shift_months(d: NaiveDate, months: i32, to_month_end: bool) -> FinResult<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let last = month_length(y, m);
    let day = if to_month_end {
        last
    } else {
        d.day().min(last)
    };
    NaiveDate::from_ymd_opt(y, m, day).ok_or(ErrorKind::Num)
}

/// 30/360 day count from day/month/year triples.
fn thirty_360(d1: u32, m1: u32, y1: i32, d2: u32, m2: u32, y2: i32) -> f64 {
    f64::from((y2 - y1) * 360 + (m2 as i32 - m1 as i32) * 30 + d2 as i32 - d1 as i32)
}

/// US (NASD) 30/360 as the bond functions count it; `adjust_both` also
/// moves a 31st or February-end end date when the start is not one.
fn days_us_360(a: NaiveDate, b: NaiveDate, adjust_both: bool) -> f64 {
    let mut d1 = a.day();
    let mut d2 = b.day();
    if is_feb_end(b) && (is_feb_end(a) || adjust_both) {
        d2 = 30;
    }
    if d2 == 31 && (d1 >= 30 || adjust_both) {
        d2 = 30;
    }
    if d1 == 31 || is_feb_end(a) {
        d1 = 30;
    }
    thirty_360(d1, a.month(), a.year(), d2, b.month(), b.year())
}

/// European 30/360.
fn days_eu_360(a: NaiveDate, b: NaiveDate) -> f64 {
    thirty_360(
        a.day().min(30),
        a.month(),
        a.year(),
        b.day().min(30),
        b.month(),
        b.year(),
    )
}

/// Days from `a` to `b` in a basis; `accrued` picks the numerator
/// convention (actual days) of the actual/360 basis, whose period length
/// counts 30/360.
fn bond_days(a: NaiveDate, b: NaiveDate, basis: i64, accrued: bool) -> f64 {
    match basis {
        0 => days_us_360(a, b, false),
        4 => days_eu_360(a, b),
        2 if !accrued => days_us_360(a, b, false),
        _ => (b - a).num_days() as f64,
    }
}

/// ACCRINT(issue, first_interest, settlement, rate, par, frequency,
/// basis, calc_method): interest accrued over quasi-coupon periods that
/// step back from the first interest date.
#[allow(clippy::too_many_arguments)]
fn accrint_core(
    issue: f64,
    first_interest: f64,
    settlement: f64,
    rate: f64,
    par: f64,
    frequency: f64,
    basis: f64,
    from_issue: bool,
) -> FinResult<f64> {
    let b = basis_of(basis)?;
    let months = coupon_months(frequency)?;
    if rate <= 0.0 || par <= 0.0 || issue.trunc() >= settlement.trunc() {
        return Err(ErrorKind::Num);
    }
    let issue = bond_date(issue.trunc())?;
    let first = bond_date(first_interest.trunc())?;
    let settle = bond_date(settlement.trunc())?;
    let freq = f64::from(12 / months);
    let month_end = is_month_end(first);
    let regular_start = shift_months(first, -months, month_end)?;
    // The coupon date on or before settlement, walking forward from the
    // first interest date when settlement is past it.
    let mut previous = regular_start;
    if settle > first && from_issue {
        let mut next = first;
        previous = first;
        while next < settle {
            previous = next;
            next = shift_months(next, months, month_end)?;
        }
    }
    let accrual_start = issue.max(previous);
    let period_length = match b {
        0 | 2 | 4 => 360.0 / freq,
        3 => 365.0 / freq,
        _ => (first - regular_start).num_days() as f64,
    };
    let mut periods = bond_days(accrual_start, settle, b, true) / period_length;
    // Earlier periods back to the issue date: whole ones count when
    // accruing from issue, the issue stub counts pro rata.
    let mut end = previous;
    while end > issue {
        let start = shift_months(end, -months, month_end)?;
        if start >= issue {
            periods += if from_issue { 1.0 } else { 0.0 };
        } else {
            let accrued = if b == 0 {
                days_us_360(issue, end, false)
            } else {
                bond_days(issue, end, b, true)
            };
            let length = match b {
                0 => days_us_360(start, end, true),
                3 => 365.0 / freq,
                _ => bond_days(start, end, b, false),
            };
            periods += accrued / length;
        }
        end = start;
    }
    finite(par * rate / freq * periods)
}

#[cfg(test)]
// Expected values are Excel's results quoted digit for digit.
#[allow(clippy::excessive_precision)]
mod core_tests {
    use super::*;

    fn close(got: f64, want: f64) -> bool {
        (got - want).abs() < 5e-8 || (got - want).abs() / got.abs().hypot(want.abs()) < 5e-8
    }

    macro_rules! assert_close {
        ($got:expr, $want:expr) => {{
            let got: f64 = $got;
            let want: f64 = $want;
            assert!(
                close(got, want),
                "{} = {got}, want {want}",
                stringify!($got)
            );
        }};
    }

    #[test]
    fn annuities_match_excel() {
        assert_close!(
            pmt_core(1.0, 3.0, 100.0, 300.0, true).unwrap(),
            -78.571428571428584
        );
        assert_close!(
            pmt_core(0.08 / 12.0, 10.0, 10000.0, 0.0, false).unwrap(),
            -1037.0320893591606
        );
        assert_close!(
            pmt_core(0.0, 3.0, 100.0, 300.0, true).unwrap(),
            -133.33333333333334
        );
        assert_close!(
            pmt_core(-0.9, 3.0, 120.0, 300.0, true).unwrap(),
            -2703.7837837837828
        );
        assert_eq!(pmt_core(-3.0, 5.0, 100.0, 300.0, true), Err(ErrorKind::Num));
        assert_eq!(pmt_core(0.02, 0.0, 100.0, 300.0, true), Err(ErrorKind::Num));
        assert_close!(
            fv_core(0.5, 12.0, 100.0, 0.0, true).unwrap(),
            -38623.9013671875
        );
        assert_close!(
            fv_core(0.7, -4.0, 12.0, 1.0, true).unwrap(),
            25.533841788292762
        );
        assert_close!(
            fv_core(-0.9, 3.0, 120.0, 300.0, true).unwrap(),
            -13.619999999999994
        );
        assert_close!(
            pv_core(0.08 / 12.0, 240.0, 500.0, 0.0, false).unwrap(),
            -59777.145851187525
        );
        assert_close!(
            nper_core(0.12 / 12.0, -100.0, -1000.0, 10000.0, true).unwrap(),
            59.673865674294625
        );
        assert_close!(
            nper_core(1.0, -114.28571428571429, 100.0, 0.0, false).unwrap(),
            3.0
        );
        assert_close!(nper_core(0.0, -100.0, 1000.0, 0.0, false).unwrap(), 10.0);
    }

    proptest::proptest! {
        #[test]
        fn annuity_functions_invert_each_other(
            rate in 0.0001f64..0.3,
            nper in 1f64..480.0,
            pv in -1e6f64..1e6,
            fv in -1e6f64..1e6,
            due in proptest::bool::ANY,
        ) {
            proptest::prop_assume!(pv.abs() > 1.0);
            let Ok(pmt) = pmt_core(rate, nper, pv, fv, due) else { return Ok(()); };
            let back_fv = fv_core(rate, nper, pmt, pv, due).unwrap();
            let back_pv = pv_core(rate, nper, pmt, fv, due).unwrap();
            // Rounding scales with the largest term of the equation.
            let growth = (1.0 + rate).powf(nper);
            let scale = (pv.abs() + pmt.abs() * nper) * growth + fv.abs();
            proptest::prop_assert!((back_fv - fv).abs() <= 1e-9 * scale.max(1.0));
            proptest::prop_assert!((back_pv - pv).abs() <= 1e-9 * (scale / growth).max(1.0));
        }

        #[test]
        fn cumulative_parts_add_up_to_the_payments(rate in 0.001f64..0.2, nper in 2u32..120, pv in 1f64..1e6) {
            let n = f64::from(nper);
            let pmt = pmt_core(rate, n, pv, 0.0, false).unwrap();
            let interest = cumipmt_core(rate, n, pv, 1.0, n, 0.0).unwrap();
            let principal = cumprinc_core(rate, n, pv, 1.0, n, 0.0).unwrap();
            proptest::prop_assert!((interest + principal - pmt * n).abs() <= 1e-6 * pv);
            proptest::prop_assert!((principal + pv).abs() <= 1e-6 * pv);
        }

        #[test]
        fn irr_zeroes_the_npv(flows in proptest::collection::vec(1f64..1000.0, 2..12), outlay in 100f64..5000.0) {
            let mut values = vec![-outlay];
            values.extend(flows);
            let r = irr_core(&values, 0.1).unwrap();
            let (npv, _) = npv0_with_slope(r, &values);
            proptest::prop_assert!(npv.abs() <= 1e-6 * outlay, "NPV at {} is {}", r, npv);
        }
    }

    #[test]
    fn interest_and_principal_parts() {
        assert_close!(
            ipmt_core(0.1 / 12.0, 1.0, 36.0, 8000.0, 0.0, false).unwrap(),
            -66.666666666666671
        );
        assert_close!(
            ipmt_core(0.1, 3.0, 3.0, 8000.0, 0.0, false).unwrap(),
            -292.44712990936563
        );
        assert_eq!(ipmt_core(0.1, 1.0, 3.0, 8000.0, 0.0, true), Ok(0.0));
        assert_eq!(
            ipmt_core(0.1, 0.0, 3.0, 8000.0, 0.0, false),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            ipmt_core(0.1, 4.0, 3.0, 8000.0, 0.0, false),
            Err(ErrorKind::Num)
        );
        assert_close!(
            ppmt_core(0.1 / 12.0, 1.0, 24.0, 2000.0, 0.0, false).unwrap(),
            -75.623186008366124
        );
        assert_close!(
            ppmt_core(0.08, 10.0, 10.0, 200000.0, 0.0, false).unwrap(),
            -27598.053462421354
        );
        assert_close!(
            cumipmt_core(0.09 / 12.0, 360.0, 125000.0, 13.0, 24.0, 0.0).unwrap(),
            -11135.232130750845
        );
        assert_close!(
            cumipmt_core(0.09 / 12.0, 360.0, 125000.0, 1.0, 1.0, 0.0).unwrap(),
            -937.5
        );
        assert_close!(
            cumprinc_core(0.09 / 12.0, 360.0, 125000.0, 13.0, 24.0, 0.0).unwrap(),
            -934.10712342088004
        );
        assert_close!(
            cumprinc_core(0.09 / 12.0, 360.0, 125000.0, 1.0, 1.0, 0.0).unwrap(),
            -68.278271180977001
        );
        assert_eq!(
            cumipmt_core(0.0, 360.0, 125000.0, 1.0, 1.0, 0.0),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            cumipmt_core(0.1, 360.0, 125000.0, 1.0, 1.0, 2.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn rate_solves_the_annuity() {
        assert_close!(
            rate_core(48.0, -200.0, 8000.0, 0.0, false, 0.1).unwrap(),
            7.7014724882013682E-3
        );
        let r = rate_core(60.0, -93.22, 5000.0, 0.0, false, 0.01).unwrap();
        assert_close!(pmt_core(r, 60.0, 5000.0, 0.0, false).unwrap(), -93.22);
        assert_eq!(
            rate_core(0.0, -200.0, 8000.0, 0.0, false, 0.1),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            rate_core(10.0, 200.0, 8000.0, 0.0, false, 0.1),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn cash_flows() {
        assert_close!(
            npv_core(0.1, &[-10000.0, 3000.0, 4200.0, 6800.0]).unwrap(),
            1188.4434123352207
        );
        assert_eq!(npv_core(-1.0, &[1.0]), Err(ErrorKind::Div0));
        let flows = [-70000.0, 12000.0, 15000.0, 18000.0, 21000.0, 26000.0];
        assert_close!(irr_core(&flows, 0.1).unwrap(), 0.086630948036531);
        assert_close!(irr_core(&flows[..5], 0.1).unwrap(), -0.021244848272999);
        assert_close!(irr_core(&flows[..3], -0.1).unwrap(), -0.443506941334);
        assert_eq!(irr_core(&[1.0, 2.0], 0.1), Err(ErrorKind::Num));
        let values = [-10000.0, 2750.0, 4250.0, 3250.0, 2750.0];
        let dates = [39448.0, 39508.0, 39751.0, 39859.0, 39904.0];
        assert_close!(
            xnpv_core(0.09, &values, &dates).unwrap(),
            2086.6476020315354
        );
        assert_close!(
            xirr_core(&values, &dates, 0.1).unwrap(),
            0.37336253351883136
        );
        assert_eq!(xnpv_core(0.09, &values, &dates[..4]), Err(ErrorKind::Num));
        assert_eq!(
            xnpv_core(
                0.09,
                &values,
                &[39448.0, 39000.0, 39751.0, 39859.0, 39904.0]
            ),
            Err(ErrorKind::Num)
        );
        let mirr_flows = [-120000.0, 39000.0, 30000.0, 21000.0, 37000.0, 46000.0];
        assert_close!(mirr_core(&mirr_flows, 0.1, 0.12).unwrap(), 0.126094130);
        assert_close!(
            mirr_core(&mirr_flows[..4], 0.1, 0.12).unwrap(),
            -0.048044655
        );
        assert_eq!(mirr_core(&[1.0, 2.0], 0.1, 0.1), Err(ErrorKind::Div0));
        assert_eq!(mirr_core(&[-6.0, -1.0, -2.0], 0.1, 0.2), Ok(-1.0));
    }

    #[test]
    fn rate_conversions() {
        assert_close!(effect_core(0.0525, 4.0).unwrap(), 0.053542667370758);
        assert_close!(nominal_core(0.053543, 4.0).unwrap(), 0.052500319868356);
        assert_eq!(effect_core(0.0, 4.0), Err(ErrorKind::Num));
        assert_eq!(nominal_core(0.05, 0.5), Err(ErrorKind::Num));
    }

    #[test]
    fn depreciation() {
        use std::str::FromStr;
        let n = |s: &str| Number::Exact(rust_decimal::Decimal::from_str(s).unwrap());
        assert_eq!(sln_core(n("30000"), n("7500"), n("10")), Ok(n("2250")));
        assert_eq!(sln_core(n("1"), n("0"), n("0")), Err(ErrorKind::Div0));
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("1")),
            Ok(n("4090.9090909090909090909090909"))
        );
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("10")),
            Ok(n("409.09090909090909090909090909"))
        );
        assert_eq!(
            syd_core(n("30000"), n("7500"), n("10"), n("11")),
            Err(ErrorKind::Num)
        );
        let db = [
            186083.33333333334,
            259639.41666666666,
            176814.44275,
            120410.63551274999,
            81999.642784182998,
            55841.756736028616,
            15845.098473848666,
        ];
        for (i, want) in db.iter().enumerate() {
            assert_close!(
                db_core(1_000_000.0, 100_000.0, 6.0, i as f64 + 1.0, 7.0).unwrap(),
                *want
            );
        }
        assert_eq!(
            db_core(1_000_000.0, 100_000.0, 6.0, 8.0, 7.0),
            Err(ErrorKind::Num)
        );
        // Microsoft's DDB and VDB examples: cost 2400, salvage 300.
        let ddb = [
            (3650.0, 1.0, 2.0, 1.3150684931506849),
            (120.0, 1.0, 2.0, 40.0),
            (10.0, 1.0, 2.0, 480.0),
            (10.0, 2.0, 1.5, 306.0),
            (10.0, 10.0, 2.0, 22.122547200000025),
        ];
        for (life, period, factor, want) in ddb {
            assert_close!(ddb_core(2400.0, 300.0, life, period, factor).unwrap(), want);
        }
        let vdb = [
            (3650.0, 0.0, 1.0, 2.0, 1.3150684931506849),
            (120.0, 0.0, 1.0, 2.0, 40.0),
            (10.0, 0.0, 1.0, 2.0, 480.0),
            (120.0, 6.0, 18.0, 2.0, 396.30605326475074),
            (120.0, 6.0, 18.0, 1.5, 311.80895144210316),
            (10.0, 0.0, 0.875, 1.5, 315.0),
        ];
        for (life, start, end, factor, want) in vdb {
            assert_close!(
                vdb_core(2400.0, 300.0, life, start, end, factor, false).unwrap(),
                want
            );
        }
        assert_eq!(
            vdb_core(2400.0, 300.0, 10.0, 0.0, 11.0, 2.0, false),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn small_rate_functions() {
        assert_close!(
            ispmt_core(0.2, 1.0, 3.0, 100.0).unwrap(),
            -13.333333333333334
        );
        assert_eq!(ispmt_core(1.0, 2.0, 0.0, 3.0), Err(ErrorKind::Div0));
        assert_close!(rri_core(2.0, 3.0, 4.0).unwrap(), 0.15470053837925146);
        assert_close!(rri_core(2.0, 3.0, 0.0).unwrap(), -1.0);
        assert_eq!(rri_core(-7.2, 3.0, 4.0), Err(ErrorKind::Num));
        assert_eq!(rri_core(2.0, 0.0, 1.0), Err(ErrorKind::Num));
        assert_close!(
            fvschedule_core(1.0, &[0.09, 0.11, 0.1]).unwrap(),
            1.3308900000000004
        );
        assert_close!(
            pduration_core(0.025, 2000.0, 2200.0).unwrap(),
            3.8598661626226
        );
        assert_close!(dollarde_core(1.02, 16.0).unwrap(), 1.125);
        assert_close!(dollarde_core(1.1, 32.0).unwrap(), 1.3125);
        assert_close!(dollarfr_core(1.125, 16.0).unwrap(), 1.02);
        assert_close!(dollarfr_core(1.125, 32.0).unwrap(), 1.04);
        assert_eq!(dollarde_core(1.0, 0.0), Err(ErrorKind::Div0));
    }

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

    #[test]
    fn coupons() {
        let (s, m) = (43831.0, 44197.0);
        let p = coupon_dates_core(s, m, 2.0, 0.0).unwrap();
        assert_eq!((p.previous, p.next, p.count), (43831.0, 44013.0, 2.0));
        assert_eq!(coupdays_core(s, m, 1.0, 1.0), Ok(366.0));
        assert_eq!(coupdays_core(s, m, 2.0, 3.0), Ok(182.5));
        assert_eq!(coupdaysnc_core(s, m, 1.0, 2.0), Ok(366.0));
        assert_eq!(coupdaybs_core(s, m, 4.0, 1.0), Ok(0.0));
        // Microsoft's example: 25-Jan-2011 to 15-Nov-2011, semiannual, basis 1.
        let (s, m) = (40568.0, 40862.0);
        assert_eq!(coupdaybs_core(s, m, 2.0, 1.0), Ok(71.0));
        assert_eq!(coupdays_core(s, m, 2.0, 1.0), Ok(181.0));
        assert_eq!(coupdaysnc_core(s, m, 2.0, 1.0), Ok(110.0));
        assert_eq!(coupon_dates_core(s, m, 2.0, 1.0).unwrap().next, 40678.0);
        assert_eq!(coupon_dates_core(s, m, 2.0, 1.0).unwrap().previous, 40497.0);
        assert_eq!(
            coupon_dates_core(s, m, 3.0, 1.0).err(),
            Some(ErrorKind::Num)
        );
        assert_eq!(
            coupon_dates_core(m, s, 2.0, 1.0).err(),
            Some(ErrorKind::Num)
        );
        assert_close!(
            accrintm_core(39539.0, 39614.0, 0.1, 1000.0, 3.0).unwrap(),
            20.547945205479451
        );
        assert_eq!(
            accrintm_core(39614.0, 39539.0, 0.1, 1000.0, 3.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn french_depreciation() {
        // Microsoft's examples: bought 19-Aug-2008, first period ends
        // 31-Dec-2008, cost 2400, salvage 300, rate 15%, basis 1.
        assert_close!(
            amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, 1.0, 0.15, 1.0).unwrap(),
            360.0
        );
        assert_close!(
            amordegrc_core(2400.0, 39679.0, 39813.0, 300.0, 1.0, 0.15, 1.0).unwrap(),
            776.0
        );
        let first = amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, 0.0, 0.15, 1.0).unwrap();
        assert_close!(first, 2400.0 * 0.15 * 134.0 / 366.0);
        // The whole schedule depreciates cost minus salvage.
        let total: f64 = (0..10)
            .map(|p| {
                amorlinc_core(2400.0, 39679.0, 39813.0, 300.0, f64::from(p), 0.15, 1.0).unwrap()
            })
            .sum();
        assert_close!(total, 2100.0);
        assert_eq!(
            amordegrc_core(2400.0, 39679.0, 39813.0, 3000.0, 1.0, 0.15, 1.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn bond_prices_and_yields() {
        // Microsoft's examples.
        let (s, m) = (39493.0, 42689.0); // 15-Feb-2008, 15-Nov-2016
        assert_close!(
            price_core(s, 43054.0, 0.0575, 0.065, 100.0, 2.0, 0.0).unwrap(),
            94.634361621
        );
        assert_close!(
            yield_core(s, m, 0.0575, 95.04287, 100.0, 2.0, 0.0).unwrap(),
            0.065000
        );
        let y = yield_core(s, 43054.0, 0.0575, 94.634361621, 100.0, 2.0, 0.0).unwrap();
        assert_close!(y, 0.065);
        // One coupon left: the closed form.
        let y1 = yield_core(39493.0, 39583.0, 0.06, 99.5, 100.0, 2.0, 0.0).unwrap();
        assert_close!(
            price_core(39493.0, 39583.0, 0.06, y1, 100.0, 2.0, 0.0).unwrap(),
            99.5
        );
        let d = |y: f64, m: f64| date_time::date_core(y, m, 1.0).unwrap();
        assert_close!(
            duration_core(d(2018.0, 7.0), d(2048.0, 1.0), 0.08, 0.09, 2.0, 1.0).unwrap(),
            10.919145281591925
        );
        let md =
            duration_core(d(2008.0, 1.0), d(2016.0, 1.0), 0.08, 0.09, 2.0, 1.0).unwrap() / 1.045;
        assert_close!(md, 5.735669813918838);
        assert_close!(
            pricemat_core(39493.0, 39551.0, 39397.0, 0.061, 0.061, 0.0).unwrap(),
            99.98449887555694
        );
        assert_close!(
            yieldmat_core(39522.0, 39755.0, 39394.0, 0.0625, 100.0123, 0.0).unwrap(),
            0.060954333691538
        );
        assert_eq!(
            price_core(s, m, -0.01, 0.065, 100.0, 2.0, 0.0),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            pricemat_core(39493.0, 39551.0, 39600.0, 0.061, 0.061, 0.0),
            Err(ErrorKind::Num)
        );
    }

    #[test]
    fn accrued_interest() {
        let cases = [
            (
                39508.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                16.666666666666664,
            ),
            (
                39512.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                false,
                15.555555555555555,
            ),
            (
                39543.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                7.2222222222222214,
            ),
            (
                39142.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                true,
                116.94444444444446,
            ),
            (
                39142.0,
                39691.0,
                39569.0,
                0.1,
                1000.0,
                2.0,
                0.0,
                false,
                66.944444444444457,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                1.0,
                true,
                241.12362637362637,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                1.0,
                false,
                -253.87637362637361,
            ),
            (
                42736.0,
                43070.0,
                42826.0,
                0.33,
                3000.0,
                4.0,
                3.0,
                true,
                240.04109589041096,
            ),
            (
                42522.0,
                43070.0,
                42614.0,
                0.33,
                3000.0,
                2.0,
                1.0,
                true,
                251.55737704918027,
            ),
        ];
        for (i, f, s, r, p, q, b, m, want) in cases {
            assert_close!(accrint_core(i, f, s, r, p, q, b, m).unwrap(), want);
        }
        assert_eq!(
            accrint_core(39508.0, 39691.0, 39569.0, 0.1, 1000.0, 3.0, 0.0, true),
            Err(ErrorKind::Num)
        );
        assert_eq!(
            accrint_core(39569.0, 39691.0, 39569.0, 0.1, 1000.0, 2.0, 0.0, true),
            Err(ErrorKind::Num)
        );
    }
}

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
