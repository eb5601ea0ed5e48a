//! The pure cores against Excel's results, quoted digit for digit.
#![allow(clippy::excessive_precision)]

use super::*;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 || (a - b).abs() / a.abs().max(b.abs()) < 1e-12
}

#[test]
fn date_rolls_like_excel() {
    assert_eq!(date_core(2022.0, 1.0, 1.0), Ok(44562.0));
    assert_eq!(date_core(9999.0, 12.0, 31.0), Ok(2958465.0));
    assert_eq!(date_core(9999.0, 12.0, 32.0), Err(ErrorKind::Num));
    assert_eq!(date_core(2008.0, 14.0, 2.0), Ok(39846.0)); // 2009-02-02
    assert_eq!(date_core(2008.0, -3.0, 2.0), Ok(39327.0)); // 2007-09-02
    assert_eq!(date_core(2008.0, 1.0, 35.0), Ok(39482.0)); // 2008-02-04
    assert_eq!(date_core(108.0, 1.0, 2.0), Ok(39449.0)); // 2008-01-02
    assert_eq!(date_core(1900.0, 2.0, 29.0), Ok(60.0));
    assert_eq!(date_core(1900.0, 3.0, 1.0), Ok(61.0));
    assert_eq!(date_core(1900.0, 1.0, 0.0), Ok(0.0));
    assert_eq!(date_core(1900.0, 1.0, -1.0), Err(ErrorKind::Num));
    assert_eq!(date_core(10000.0, 1.0, 1.0), Err(ErrorKind::Num));
    assert_eq!(date_core(-1.0, 1.0, 1.0), Err(ErrorKind::Num));
}

#[test]
fn time_wraps_and_rejects_negatives() {
    assert_eq!(time_core(23.0, 59.0, 60.0), Ok(0.0));
    assert!(close(time_core(23.0, 120.0, 0.0).unwrap(), 1.0 / 24.0));
    assert_eq!(time_core(0.0, 0.0, -1.0), Err(ErrorKind::Num));
    assert!(close(time_core(12.0, 0.0, 0.0).unwrap(), 0.5));
    assert!(close(
        time_core(0.0, 750.0, 0.0).unwrap(),
        0.520833333333333
    ));
}

#[test]
fn parts_of_serials() {
    assert_eq!(year_month_day(60.0), Ok((1900, 2, 29)));
    assert_eq!(year_month_day(61.0), Ok((1900, 3, 1)));
    assert_eq!(year_month_day(0.0), Ok((1900, 1, 0)));
    assert_eq!(year_month_day(32111.7), Ok((1987, 11, 30)));
    assert_eq!(year_month_day(-1.0), Err(ErrorKind::Num));
    assert_eq!(hour_minute_second(0.12640046296296295), Ok((3, 2, 1)));
    assert_eq!(hour_minute_second(0.99998842592592596), Ok((23, 59, 59)));
    assert_eq!(hour_minute_second(0.42577546296297442), Ok((10, 13, 7)));
    assert_eq!(hour_minute_second(-0.5), Err(ErrorKind::Num));
}

#[test]
fn weekday_types() {
    // 2008-02-14 was a Thursday (serial 39492).
    assert_eq!(weekday_core(39492.0, 1.0), Ok(5));
    assert_eq!(weekday_core(39492.0, 2.0), Ok(4));
    assert_eq!(weekday_core(39492.0, 3.0), Ok(3));
    assert_eq!(weekday_core(39492.0, 11.0), Ok(4));
    assert_eq!(weekday_core(39492.0, 14.0), Ok(1));
    assert_eq!(weekday_core(39492.0, 17.0), Ok(5));
    assert_eq!(weekday_core(39492.0, 4.0), Err(ErrorKind::Num));
    assert_eq!(weekday_core(1.0, 1.0), Ok(1)); // Excel's Sunday 1900-01-01
}

#[test]
fn week_numbers() {
    // 2012-03-09: WEEKNUM 10 (Sunday start), 11 (Monday start).
    let s = date_core(2012.0, 3.0, 9.0).unwrap();
    assert_eq!(weeknum_core(s, 1.0), Ok(10));
    assert_eq!(weeknum_core(s, 2.0), Ok(11));
    assert_eq!(weeknum_core(s, 21.0), Ok(10));
    assert_eq!(iso_weeknum_core(s), Ok(10));
    let jan1_2021 = date_core(2021.0, 1.0, 1.0).unwrap();
    assert_eq!(iso_weeknum_core(jan1_2021), Ok(53));
    assert_eq!(weeknum_core(jan1_2021, 1.0), Ok(1));
    let dec31_2024 = date_core(2024.0, 12.0, 31.0).unwrap();
    assert_eq!(iso_weeknum_core(dec31_2024), Ok(1));
    assert_eq!(weeknum_core(dec31_2024, 1.0), Ok(53));
    assert_eq!(weeknum_core(s, 3.0), Err(ErrorKind::Num));
}

#[test]
fn month_arithmetic() {
    assert_eq!(edate_core(32112.0, -235.5), Ok(24959.0));
    assert_eq!(
        edate_core(date_core(2011.0, 1.0, 31.0).unwrap(), 1.0),
        date_core(2011.0, 2.0, 28.0)
    );
    assert_eq!(edate_core(61.0, -7.0), Err(ErrorKind::Num));
    assert_eq!(eomonth_core(44987.0, 7.0), Ok(45230.0));
    assert_eq!(eomonth_core(44987.0, -123.0), Ok(41274.0));
    assert_eq!(eomonth_core(44987.0, -4.7), Ok(44895.0));
    assert_eq!(eomonth_core(20881.0, 1230.0), Ok(58348.0));
    assert_eq!(eomonth_core(44987.0, -1240.333), Ok(7274.0));
}

#[test]
fn day_counts() {
    assert_eq!(days_core(46000.999999, 45992.000001), Ok(8.0));
    assert_eq!(days_core(-5.0, -10.0), Err(ErrorKind::Num));
    assert_eq!(days360_core(45992.000001, 46000.999999, false), Ok(9.0));
    assert_eq!(days360_core(45351.0, 45716.0, false), Ok(358.0));
    assert_eq!(days360_core(45350.0, 45352.0, false), Ok(3.0));
    assert_eq!(days360_core(45868.0, 45869.0, false), Ok(0.0));
    assert_eq!(days360_core(45838.0, 45869.0, false), Ok(30.0));
    assert_eq!(days360_core(45658.0, 45688.0, true), Ok(29.0));
    assert_eq!(days360_core(45658.0, 45688.0, false), Ok(30.0));
}

#[test]
fn datedif_units() {
    let d = |y, m, dd| date_core(y, m, dd).unwrap();
    let (start, end) = (d(2001.0, 6.0, 1.0), d(2002.0, 8.0, 15.0));
    for (unit, want) in [
        ("D", 440.0),
        ("YD", 75.0),
        ("md", 14.0),
        ("M", 14.0),
        ("YM", 2.0),
        ("Y", 1.0),
    ] {
        assert_eq!(datedif_core(start, end, unit), Ok(want), "{unit}");
    }
    // Excel's MD quirk: the start day is rolled into the month before
    // the end, so 31 January to 1 March 2016 gives -1.
    assert_eq!(
        datedif_core(d(2016.0, 1.0, 31.0), d(2016.0, 3.0, 1.0), "MD"),
        Ok(-1.0)
    );
    assert_eq!(datedif_core(end, start, "Y"), Err(ErrorKind::Num));
    assert_eq!(datedif_core(1.0, 2.0, "W"), Err(ErrorKind::Num));
}

#[test]
fn yearfrac_bases() {
    let cases = [
        (39508.0, 39691.0, 0.0, 0.5),
        (39508.0, 39691.0, 1.0, 0.5),
        (39508.0, 39691.0, 2.0, 0.5083333333333333),
        (39508.0, 39691.0, 3.0, 0.50136986301369868),
        (39508.0, 39691.0, 4.0, 0.49722222222222223),
        (39142.0, 39325.0, 1.0, 0.50136986301369868),
        (42769.0, 43070.0, 0.0, 0.82777777777777772),
        (42769.0, 43070.0, 1.0, 0.8246575342465754),
        (39177.0, 39301.0, 0.0, 0.33888888888888891),
        (34824.0, 46179.0, 1.0, 31.088295687885012),
        (46179.0, 46084.0, 0.0, 0.25833333333333336),
        (36015.0, 45386.0, 1.0, 25.655749340904482),
        (44988.0, 45350.0, 1.0, 0.99178082191780825),
        (44594.0, 45351.0, 1.0, 2.0720802919708032),
        (44921.0, 44561.0, 2.0, 1.0),
    ];
    for (s, e, b, want) in cases {
        let got = yearfrac_core(s, e, b).unwrap();
        assert!(
            close(got, want),
            "YEARFRAC({s},{e},{b}) = {got}, want {want}"
        );
    }
    assert_eq!(yearfrac_core(1.0, 2.0, 5.0), Err(ErrorKind::Num));
}

#[test]
fn working_days() {
    let d = |y, m, dd| date_core(y, m, dd).unwrap();
    let std = weekend_from_number(1.0).unwrap();
    let holidays = [
        d(2008.0, 11.0, 26.0),
        d(2008.0, 12.0, 4.0),
        d(2009.0, 1.0, 21.0),
    ];
    let holidays_2012 = [
        d(2012.0, 11.0, 22.0),
        d(2012.0, 12.0, 4.0),
        d(2013.0, 1.0, 21.0),
    ];
    assert_eq!(
        networkdays_core(d(2012.0, 10.0, 1.0), d(2013.0, 3.0, 1.0), &std, &[]),
        Ok(110.0)
    );
    assert_eq!(
        networkdays_core(
            d(2012.0, 10.0, 1.0),
            d(2013.0, 3.0, 1.0),
            &std,
            &holidays_2012
        ),
        Ok(107.0)
    );
    assert_eq!(
        networkdays_core(
            d(2013.0, 3.0, 1.0),
            d(2012.0, 10.0, 1.0),
            &std,
            &holidays_2012
        ),
        Ok(-107.0)
    );
    assert_eq!(
        networkdays_core(d(2006.0, 1.0, 1.0), d(2006.0, 1.0, 31.0), &std, &[]),
        Ok(22.0)
    );
    assert_eq!(
        networkdays_core(
            d(2006.0, 1.0, 1.0),
            d(2006.0, 1.0, 31.0),
            &weekend_from_number(7.0).unwrap(),
            &[]
        ),
        Ok(23.0)
    );
    assert_eq!(
        networkdays_core(
            d(2006.0, 1.0, 1.0),
            d(2006.0, 2.0, 1.0),
            &weekend_from_text("0010001").unwrap(),
            &[d(2006.0, 1.0, 2.0), d(2006.0, 1.0, 16.0)]
        ),
        Ok(20.0)
    );
    assert_eq!(
        workday_core(d(2008.0, 10.0, 1.0), 151.0, &std, &holidays),
        Ok(d(2009.0, 5.0, 5.0))
    );
    assert_eq!(
        workday_core(d(2008.0, 10.0, 1.0), 151.0, &std, &[]),
        Ok(d(2009.0, 4.0, 30.0))
    );
    assert_eq!(
        workday_core(
            d(2012.0, 1.0, 1.0),
            90.0,
            &weekend_from_number(11.0).unwrap(),
            &[]
        ),
        Ok(41013.0)
    );
    assert_eq!(
        workday_core(d(2012.0, 1.0, 1.0), -5.0, &std, &[]),
        Ok(d(2011.0, 12.0, 26.0))
    );
    assert_eq!(
        workday_core(
            d(2012.0, 1.0, 1.0),
            1.0,
            &weekend_from_text("1111111").unwrap(),
            &[]
        ),
        Err(ErrorKind::Value)
    );
    assert_eq!(weekend_from_number(8.0), Err(ErrorKind::Num));
    assert_eq!(weekend_from_text("000001"), Err(ErrorKind::Value));
    // Long jumps agree with counting back (40000 is a Monday).
    for n in [1.0, 7.0, 13.0, 500.0, 2001.0] {
        let end = workday_core(40000.0, n, &std, &holidays).unwrap();
        assert_eq!(networkdays_core(40000.0, end, &std, &holidays), Ok(n + 1.0));
        let back = workday_core(40000.0, -n, &std, &holidays).unwrap();
        assert_eq!(
            networkdays_core(back, 40000.0, &std, &holidays),
            Ok(n + 1.0)
        );
    }
}

proptest::proptest! {
    #[test]
    fn date_parts_round_trip(y in 1900i32..=9999, m in 1u32..=12, d in 1u32..=31) {
        let d = d.min(days_in_month(y, m));
        let serial = date_core(y.into(), m.into(), d.into()).unwrap();
        proptest::prop_assert_eq!(year_month_day(serial), Ok((y, m, d)));
    }

    #[test]
    fn workday_and_networkdays_agree(start in 61i64..2_900_000, n in 1i64..2000, weekend in 1i64..=17) {
        let Ok(mask) = weekend_from_number(weekend as f64) else { return Ok(()); };
        // Step back to a working day so the start counts as day one.
        let mut s = start;
        while is_weekend(s, &mask) { s -= 1; }
        let end = workday_core(s as f64, n as f64, &mask, &[]).unwrap();
        proptest::prop_assert_eq!(networkdays_core(s as f64, end, &mask, &[]), Ok((n + 1) as f64));
        let back = workday_core(end, -(n as f64), &mask, &[]).unwrap();
        proptest::prop_assert_eq!(back, s as f64);
    }

    #[test]
    fn month_ends_follow_edate(start in 20_000f64..2_900_000.0, months in -600f64..600.0) {
        let e = edate_core(start, months).unwrap();
        let eom = eomonth_core(start, months).unwrap();
        proptest::prop_assert!(e <= eom && eom - e < 31.0);
        proptest::prop_assert_eq!(eomonth_core(e, 0.0), Ok(eom));
    }
}

#[test]
fn text_dates_and_times() {
    assert_eq!(datevalue_core("29-Feb-1900", 2026), Ok(60.0));
    assert_eq!(datevalue_core("1-Mar-1900", 2026), Ok(61.0));
    assert_eq!(datevalue_core("2024-02-29 06:00", 2026), Ok(45351.0));
    assert_eq!(datevalue_core("2024-02-29", 2026), Ok(45351.0));
    assert_eq!(datevalue_core("31-Jan-2026", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("January 31, 2026", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("31.1.2026", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("1/31/2026", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("31 January 2026", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("31-Jan", 2026), Ok(46053.0));
    assert_eq!(datevalue_core("2026-02-30", 2026), Err(ErrorKind::Value));
    assert_eq!(datevalue_core("qwerty", 2026), Err(ErrorKind::Value));
    assert_eq!(timevalue_core("24:00", 2026), Ok(0.0));
    assert_eq!(timevalue_core(" 1:30 ", 2026), Ok(0.0625));
    assert_eq!(timevalue_core("12:00 PM", 2026), Ok(0.5));
    assert_eq!(timevalue_core("12:00 AM", 2026), Ok(0.0));
    assert_eq!(timevalue_core("6:00", 2026), Ok(0.25));
    assert!(close(
        timevalue_core("2024-02-29 18:30:15", 2026).unwrap(),
        (18.0 * 3600.0 + 30.0 * 60.0 + 15.0) / 86400.0
    ));
    assert_eq!(timevalue_core("2024-02-29", 2026), Ok(0.0));
    assert_eq!(timevalue_core("abc", 2026), Err(ErrorKind::Value));
    assert_eq!(
        parse_date_time_serial("2024-02-29 06:00", 2026, DateSystem::Excel1900),
        Some(45351.25)
    );
    assert_eq!(
        parse_date_time_serial("6:00 PM", 2026, DateSystem::Excel1900),
        Some(0.75)
    );
    assert_eq!(
        parse_date_time_serial("29-Feb-1900", 2026, DateSystem::Excel1900),
        Some(60.0)
    );
    assert_eq!(
        parse_date_time_serial("12", 2026, DateSystem::Excel1900),
        None
    );
}
