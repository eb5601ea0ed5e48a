//! The units of measure CONVERT knows, with Excel's names and which of
//! them take a prefix (`km`, `mg`, `kibyte`). Factors are in the base
//! unit of each quantity and follow the units' definitions (an inch is
//! exactly 0.0254 m, a pound 453.59237 g, a US gallon 231 cubic inches),
//! so that derived units (square feet, cubic miles, horsepower) are
//! exactly as consistent as a double allows.

/// What a unit measures; CONVERT converts only within one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantity {
    /// Base: gram.
    Mass,
    /// Base: meter.
    Length,
    /// Base: second.
    Time,
    /// Base: pascal.
    Pressure,
    /// Base: newton.
    Force,
    /// Base: joule.
    Energy,
    /// Base: watt.
    Power,
    /// Base: tesla.
    Magnetism,
    /// Scales with offsets, see [`Scale`].
    Temperature,
    /// Base: cubic meter.
    Volume,
    /// Base: square meter.
    Area,
    /// Base: bit.
    Information,
    /// Base: meter per second.
    Speed,
}

/// A temperature scale: converting between them needs offsets, not
/// only a factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scale {
    Celsius,
    Fahrenheit,
    Kelvin,
    Rankine,
    Reaumur,
}

/// Which prefixes a unit takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Prefixes {
    /// None (`kmi` is not a unit).
    No,
    /// The decimal prefixes, applied to the unit's length dimension:
    /// 1 for `km`, 2 for `km2` (a square kilometer is 10^6 m2), 3 for
    /// `km3`.
    Decimal(i32),
    /// Decimal and binary prefixes (`kbyte`, `kibyte`): the information
    /// units.
    DecimalAndBinary,
}

/// One unit: its names, what it measures, its size in the quantity's
/// base unit, and the prefixes it takes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    /// The names CONVERT accepts (case matters: `m` and `M` differ).
    pub names: &'static [&'static str],
    /// What it measures.
    pub quantity: Quantity,
    /// Its size in the base unit (1 for temperatures, see `scale`).
    pub factor: f64,
    /// Which prefixes it takes.
    pub prefixes: Prefixes,
    /// The temperature scale, for temperatures.
    pub scale: Option<Scale>,
}

const INCH: f64 = 0.0254;
const FOOT: f64 = 0.3048;
const YARD: f64 = 0.9144;
const MILE: f64 = 1609.344;
const NAUTICAL_MILE: f64 = 1852.0;
const PICA_POINT: f64 = INCH / 72.0;
const LIGHT_YEAR: f64 = 9_460_730_472_580_800.0;
/// The US survey mile: 5280 survey feet of 1200/3937 m.
const SURVEY_MILE: f64 = 5280.0 * 1200.0 / 3937.0;
const POUND_GRAMS: f64 = 453.592_37;
/// The pound-force: a pound under standard gravity, in newtons.
const POUND_FORCE: f64 = 4.448_221_615_260_5;
/// The mechanical horsepower: 550 foot-pounds per second, in watts.
const HORSEPOWER: f64 = 550.0 * FOOT * POUND_FORCE;
const US_GALLON: f64 = 0.003_785_411_784;
const UK_GALLON: f64 = 0.004_546_09;

const fn unit(
    names: &'static [&'static str],
    quantity: Quantity,
    factor: f64,
    prefixes: Prefixes,
) -> Unit {
    Unit {
        names,
        quantity,
        factor,
        prefixes,
        scale: None,
    }
}

const fn temperature(names: &'static [&'static str], scale: Scale, prefixes: Prefixes) -> Unit {
    Unit {
        names,
        quantity: Quantity::Temperature,
        factor: 1.0,
        prefixes,
        scale: Some(scale),
    }
}

use Prefixes::{Decimal, DecimalAndBinary, No};
use Quantity::*;

const LINEAR: Prefixes = Decimal(1);
const SQUARE: Prefixes = Decimal(2);
const CUBIC: Prefixes = Decimal(3);

/// Every unit of Excel's CONVERT.
pub(super) const UNITS: &[Unit] = &[
    // Weight and mass
    unit(&["g"], Mass, 1.0, LINEAR),
    unit(&["sg"], Mass, POUND_FORCE / FOOT * 1000.0, No),
    unit(&["lbm"], Mass, POUND_GRAMS, No),
    unit(&["u"], Mass, 1.660_538_782e-24, LINEAR),
    unit(&["ozm"], Mass, POUND_GRAMS / 16.0, No),
    unit(&["grain"], Mass, 0.064_798_91, No),
    unit(&["cwt", "shweight"], Mass, POUND_GRAMS * 100.0, No),
    unit(
        &["uk_cwt", "lcwt", "hweight"],
        Mass,
        POUND_GRAMS * 112.0,
        No,
    ),
    unit(&["stone"], Mass, POUND_GRAMS * 14.0, No),
    unit(&["ton"], Mass, POUND_GRAMS * 2000.0, No),
    unit(&["uk_ton", "LTON", "brton"], Mass, POUND_GRAMS * 2240.0, No),
    // Distance
    unit(&["m"], Length, 1.0, LINEAR),
    unit(&["mi"], Length, MILE, No),
    unit(&["Nmi"], Length, NAUTICAL_MILE, No),
    unit(&["in"], Length, INCH, No),
    unit(&["ft"], Length, FOOT, No),
    unit(&["yd"], Length, YARD, No),
    unit(&["ang"], Length, 1e-10, LINEAR),
    unit(&["ell"], Length, 45.0 * INCH, No),
    unit(&["ly"], Length, LIGHT_YEAR, LINEAR),
    unit(&["parsec", "pc"], Length, 30_856_775_812_815_500.0, LINEAR),
    unit(&["Picapt", "Pica"], Length, PICA_POINT, No),
    unit(&["pica"], Length, INCH / 6.0, No),
    unit(&["survey_mi"], Length, SURVEY_MILE, No),
    // Time
    unit(&["yr"], Time, 365.25 * 86400.0, No),
    unit(&["day", "d"], Time, 86400.0, No),
    unit(&["hr"], Time, 3600.0, No),
    unit(&["mn", "min"], Time, 60.0, No),
    unit(&["sec", "s"], Time, 1.0, LINEAR),
    // Pressure
    unit(&["Pa", "p"], Pressure, 1.0, LINEAR),
    unit(&["atm", "at"], Pressure, 101_325.0, LINEAR),
    unit(&["mmHg"], Pressure, 133.322, LINEAR),
    unit(&["psi"], Pressure, POUND_FORCE / (INCH * INCH), No),
    unit(&["Torr"], Pressure, 101_325.0 / 760.0, No),
    // Force
    unit(&["N"], Force, 1.0, LINEAR),
    unit(&["dyn", "dy"], Force, 1e-5, LINEAR),
    unit(&["lbf"], Force, POUND_FORCE, No),
    unit(&["pond"], Force, 0.009_806_65, LINEAR),
    // Energy
    unit(&["J"], Energy, 1.0, LINEAR),
    unit(&["e"], Energy, 1e-7, LINEAR),
    unit(&["c"], Energy, 4.184, LINEAR),
    unit(&["cal"], Energy, 4.1868, LINEAR),
    unit(&["eV", "ev"], Energy, 1.602_176_487e-19, LINEAR),
    unit(&["HPh", "hh"], Energy, HORSEPOWER * 3600.0, No),
    unit(&["Wh", "wh"], Energy, 3600.0, LINEAR),
    unit(&["flb"], Energy, FOOT * POUND_FORCE, No),
    unit(&["BTU", "btu"], Energy, 1_055.055_852_62, No),
    // Power
    unit(&["HP", "h"], Power, HORSEPOWER, No),
    unit(&["PS"], Power, 735.498_75, No),
    unit(&["W", "w"], Power, 1.0, LINEAR),
    // Magnetism
    unit(&["T"], Magnetism, 1.0, LINEAR),
    unit(&["ga"], Magnetism, 1e-4, LINEAR),
    // Temperature
    temperature(&["C", "cel"], Scale::Celsius, No),
    temperature(&["F", "fah"], Scale::Fahrenheit, No),
    temperature(&["K", "kel"], Scale::Kelvin, LINEAR),
    temperature(&["Rank"], Scale::Rankine, No),
    temperature(&["Reau"], Scale::Reaumur, No),
    // Volume (or liquid measure)
    unit(&["tsp"], Volume, US_GALLON / 768.0, No),
    unit(&["tspm"], Volume, 5e-6, No),
    unit(&["tbs"], Volume, US_GALLON / 256.0, No),
    unit(&["oz"], Volume, US_GALLON / 128.0, No),
    unit(&["cup"], Volume, US_GALLON / 16.0, No),
    unit(&["pt", "us_pt"], Volume, US_GALLON / 8.0, No),
    unit(&["uk_pt"], Volume, UK_GALLON / 8.0, LINEAR),
    unit(&["qt"], Volume, US_GALLON / 4.0, No),
    unit(&["uk_qt"], Volume, UK_GALLON / 4.0, No),
    unit(&["gal"], Volume, US_GALLON, No),
    unit(&["uk_gal"], Volume, UK_GALLON, No),
    unit(&["l", "L", "lt"], Volume, 0.001, LINEAR),
    unit(&["ang3", "ang^3"], Volume, 1e-30, CUBIC),
    unit(&["barrel"], Volume, 42.0 * US_GALLON, No),
    unit(&["bushel"], Volume, 2150.42 * INCH * INCH * INCH, No),
    unit(&["ft3", "ft^3"], Volume, FOOT * FOOT * FOOT, No),
    unit(&["in3", "in^3"], Volume, INCH * INCH * INCH, No),
    unit(
        &["ly3", "ly^3"],
        Volume,
        LIGHT_YEAR * LIGHT_YEAR * LIGHT_YEAR,
        No,
    ),
    unit(&["m3", "m^3"], Volume, 1.0, CUBIC),
    unit(&["mi3", "mi^3"], Volume, MILE * MILE * MILE, No),
    unit(&["yd3", "yd^3"], Volume, YARD * YARD * YARD, No),
    unit(
        &["Nmi3", "Nmi^3"],
        Volume,
        NAUTICAL_MILE * NAUTICAL_MILE * NAUTICAL_MILE,
        No,
    ),
    unit(
        &["Picapt3", "Picapt^3", "Pica3", "Pica^3"],
        Volume,
        PICA_POINT * PICA_POINT * PICA_POINT,
        No,
    ),
    unit(&["GRT", "regton"], Volume, 100.0 * FOOT * FOOT * FOOT, No),
    unit(&["MTON"], Volume, 40.0 * FOOT * FOOT * FOOT, No),
    // Area
    unit(&["uk_acre"], Area, 43_560.0 * FOOT * FOOT, No),
    unit(
        &["us_acre"],
        Area,
        43_560.0 * (1200.0 / 3937.0) * (1200.0 / 3937.0),
        No,
    ),
    unit(&["ang2", "ang^2"], Area, 1e-20, SQUARE),
    unit(&["ar"], Area, 100.0, LINEAR),
    unit(&["ft2", "ft^2"], Area, FOOT * FOOT, No),
    unit(&["ha"], Area, 10_000.0, No),
    unit(&["in2", "in^2"], Area, INCH * INCH, No),
    unit(&["ly2", "ly^2"], Area, LIGHT_YEAR * LIGHT_YEAR, No),
    unit(&["m2", "m^2"], Area, 1.0, SQUARE),
    unit(&["Morgen"], Area, 2500.0, No),
    unit(&["mi2", "mi^2"], Area, MILE * MILE, No),
    unit(&["Nmi2", "Nmi^2"], Area, NAUTICAL_MILE * NAUTICAL_MILE, No),
    unit(
        &["Picapt2", "Pica2", "Pica^2", "Picapt^2"],
        Area,
        PICA_POINT * PICA_POINT,
        No,
    ),
    unit(&["yd2", "yd^2"], Area, YARD * YARD, No),
    // Information
    unit(&["bit"], Information, 1.0, DecimalAndBinary),
    unit(&["byte"], Information, 8.0, DecimalAndBinary),
    // Speed
    unit(&["admkn"], Speed, 6080.0 * FOOT / 3600.0, No),
    unit(&["kn"], Speed, NAUTICAL_MILE / 3600.0, No),
    unit(&["m/h", "m/hr"], Speed, 1.0 / 3600.0, LINEAR),
    unit(&["m/s", "m/sec"], Speed, 1.0, LINEAR),
    unit(&["mph"], Speed, MILE / 3600.0, LINEAR),
];

/// The decimal prefixes, two-letter ones first so `da` is tried before
/// `d`.
pub(super) const DECIMAL_PREFIXES: &[(&str, f64)] = &[
    ("da", 1e1),
    ("Y", 1e24),
    ("Z", 1e21),
    ("E", 1e18),
    ("P", 1e15),
    ("T", 1e12),
    ("G", 1e9),
    ("M", 1e6),
    ("k", 1e3),
    ("h", 1e2),
    ("e", 1e1),
    ("d", 1e-1),
    ("c", 1e-2),
    ("m", 1e-3),
    ("u", 1e-6),
    ("n", 1e-9),
    ("p", 1e-12),
    ("f", 1e-15),
    ("a", 1e-18),
    ("z", 1e-21),
    ("y", 1e-24),
];

/// The binary prefixes (kibi = 2^10 ... yobi = 2^80), for information
/// units only.
pub(super) const BINARY_PREFIXES: &[(&str, f64)] = &[
    ("Yi", 1_208_925_819_614_629_174_706_176.0),
    ("Zi", 1_180_591_620_717_411_303_424.0),
    ("Ei", 1_152_921_504_606_846_976.0),
    ("Pi", 1_125_899_906_842_624.0),
    ("Ti", 1_099_511_627_776.0),
    ("Gi", 1_073_741_824.0),
    ("Mi", 1_048_576.0),
    ("ki", 1024.0),
];
