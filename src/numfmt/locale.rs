//! The languages a locale tag (`[$-405]`, `[$€-407]`, `[$-cs-CZ]`) can
//! name that change what a date shows: month and weekday names, and the
//! Japanese imperial eras. English is the default and needs no tag.
//!
//! The names are written out here rather than taken from a locale crate:
//! `pure-rust-locales` (what chrono's `unstable-locales` reads) carries
//! glibc's data, which differs from what Excel shows (Czech weekdays
//! capitalised, `čen` for June), and ICU4X would bring the whole of CLDR
//! for seven short lists. These follow CLDR and Windows, whose names
//! Excel shows: full names in their dictionary forms; Czech and Polish
//! month names in the genitive after a day number (`5. března`), in the
//! nominative alone (`březen 2024`), as Windows does.

/// A language a locale tag names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Language {
    /// `[$-405]`.
    Czech,
    /// `[$-407]` and the other German locales but Austria's.
    German,
    /// `[$-C07]`: German with `Jänner` for January.
    GermanAustria,
    /// `[$-40C]` and the other French locales.
    French,
    /// `[$-410]`, `[$-810]`.
    Italian,
    /// `[$-C0A]`, `[$-40A]` and the other Spanish locales.
    Spanish,
    /// `[$-415]`.
    Polish,
    /// `[$-411]`: `g`/`e` show the imperial era (names stay English).
    Japanese,
}

impl Language {
    /// The language of the part after `$` of a locale tag (`-405`,
    /// `€-407`, `-cs-CZ`, `-x-sysdate`); `None` for English and any
    /// language whose dates this module does not name.
    pub(super) fn of_tag(after_dollar: &str) -> Option<Language> {
        let locale = after_dollar.split_once('-')?.1.trim();
        if let Ok(lcid) = u32::from_str_radix(locale, 16) {
            // The low 16 bits are the locale, the low 10 its language.
            return match (lcid & 0xFFFF, lcid & 0x3FF) {
                (0x411, _) => Some(Language::Japanese),
                (0xC07, _) => Some(Language::GermanAustria),
                (_, 0x05) => Some(Language::Czech),
                (_, 0x07) => Some(Language::German),
                (_, 0x0C) => Some(Language::French),
                (_, 0x10) => Some(Language::Italian),
                (_, 0x0A) => Some(Language::Spanish),
                (_, 0x15) => Some(Language::Polish),
                _ => None,
            };
        }
        let lower = locale.to_ascii_lowercase();
        if lower == "de-at" {
            return Some(Language::GermanAustria);
        }
        match lower.split('-').next()? {
            "cs" => Some(Language::Czech),
            "de" => Some(Language::German),
            "fr" => Some(Language::French),
            "it" => Some(Language::Italian),
            "es" => Some(Language::Spanish),
            "pl" => Some(Language::Polish),
            "ja" => Some(Language::Japanese),
            _ => None,
        }
    }

    /// The names of `self`, or English's.
    fn names(self) -> &'static Names {
        match self {
            Language::Czech => &CZECH,
            Language::German => &GERMAN,
            Language::GermanAustria => &GERMAN_AUSTRIA,
            Language::French => &FRENCH,
            Language::Italian => &ITALIAN,
            Language::Spanish => &SPANISH,
            Language::Polish => &POLISH,
            Language::Japanese => &ENGLISH,
        }
    }
}

/// The calendar a format shows dates in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Calendar {
    /// The Gregorian calendar (also what `B1` asks for).
    #[default]
    Gregorian,
    /// The Thai solar calendar: years of the Buddhist era, 543 ahead of
    /// the Gregorian (calendar 7 in a locale tag, `[$-107041E]`).
    Buddhist,
    /// The Hijri calendar (`B2`, calendar 6 in a locale tag): not shown
    /// here, so its dates show as `#######` (TEXT gives `#VALUE!`) rather
    /// than as Gregorian dates under a Hijri code.
    Hijri,
}

impl Calendar {
    /// The calendar of the part after `$` of a locale tag: Windows'
    /// calendar id in bits 16-23 of a hexadecimal tag (`-107041E`); `None`
    /// where the tag names none this module knows.
    pub(super) fn of_tag(after_dollar: &str) -> Option<Calendar> {
        let locale = after_dollar.split_once('-')?.1.trim();
        let lcid = u32::from_str_radix(locale, 16).ok()?;
        match (lcid >> 16) & 0xFF {
            0x01 | 0x02 => Some(Calendar::Gregorian),
            0x06 => Some(Calendar::Hijri),
            0x07 => Some(Calendar::Buddhist),
            _ => None,
        }
    }

    /// The year shown for Gregorian year `year`.
    pub(super) fn year(self, year: i32) -> i32 {
        match self {
            Calendar::Buddhist => year + 543,
            Calendar::Gregorian | Calendar::Hijri => year,
        }
    }
}

/// One language's month and weekday names.
struct Names {
    /// Months, January first, as named alone (`mmmm`).
    months: [&'static str; 12],
    /// Months as named after a day number, where the language declines
    /// them (`None`: the same as `months`).
    months_after_day: Option<[&'static str; 12]>,
    /// Abbreviated months (`mmm`); `None`: the first three letters.
    short_months: Option<[&'static str; 12]>,
    /// Weekdays, Sunday first (`dddd`).
    days: [&'static str; 7],
    /// Abbreviated weekdays (`ddd`); `None`: the first three letters.
    short_days: Option<[&'static str; 7]>,
}

const ENGLISH: Names = Names {
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    months_after_day: None,
    short_months: None,
    days: [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ],
    short_days: None,
};

const CZECH: Names = Names {
    months: [
        "leden",
        "únor",
        "březen",
        "duben",
        "květen",
        "červen",
        "červenec",
        "srpen",
        "září",
        "říjen",
        "listopad",
        "prosinec",
    ],
    months_after_day: Some([
        "ledna",
        "února",
        "března",
        "dubna",
        "května",
        "června",
        "července",
        "srpna",
        "září",
        "října",
        "listopadu",
        "prosince",
    ]),
    short_months: Some([
        "led", "úno", "bře", "dub", "kvě", "čvn", "čvc", "srp", "zář", "říj", "lis", "pro",
    ]),
    days: [
        "neděle",
        "pondělí",
        "úterý",
        "středa",
        "čtvrtek",
        "pátek",
        "sobota",
    ],
    short_days: Some(["ne", "po", "út", "st", "čt", "pá", "so"]),
};

const GERMAN: Names = Names {
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    months_after_day: None,
    short_months: Some([
        "Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez",
    ]),
    days: [
        "Sonntag",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
    ],
    short_days: Some(["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"]),
};

/// German as Austria writes it: January is `Jänner`.
const GERMAN_AUSTRIA: Names = {
    let mut names = GERMAN;
    names.months[0] = "Jänner";
    if let Some(short) = &mut names.short_months {
        short[0] = "Jän";
    }
    names
};

const FRENCH: Names = Names {
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    months_after_day: None,
    short_months: Some([
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ]),
    days: [
        "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    ],
    short_days: Some(["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."]),
};

const ITALIAN: Names = Names {
    months: [
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ],
    months_after_day: None,
    short_months: Some([
        "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
    ]),
    days: [
        "domenica",
        "lunedì",
        "martedì",
        "mercoledì",
        "giovedì",
        "venerdì",
        "sabato",
    ],
    short_days: Some(["dom", "lun", "mar", "mer", "gio", "ven", "sab"]),
};

const SPANISH: Names = Names {
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    months_after_day: None,
    short_months: Some([
        "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
    ]),
    days: [
        "domingo",
        "lunes",
        "martes",
        "miércoles",
        "jueves",
        "viernes",
        "sábado",
    ],
    short_days: Some(["dom", "lun", "mar", "mié", "jue", "vie", "sáb"]),
};

const POLISH: Names = Names {
    months: [
        "styczeń",
        "luty",
        "marzec",
        "kwiecień",
        "maj",
        "czerwiec",
        "lipiec",
        "sierpień",
        "wrzesień",
        "październik",
        "listopad",
        "grudzień",
    ],
    months_after_day: Some([
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ]),
    short_months: Some([
        "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
    ]),
    days: [
        "niedziela",
        "poniedziałek",
        "wtorek",
        "środa",
        "czwartek",
        "piątek",
        "sobota",
    ],
    short_days: Some(["niedz.", "pon.", "wt.", "śr.", "czw.", "pt.", "sob."]),
};

/// The first `n` characters of `name` (not bytes: `Mär`).
fn first_chars(name: &str, n: usize) -> &str {
    name.char_indices().nth(n).map_or(name, |(i, _)| &name[..i])
}

/// How a month shows with `width` letters `m` (3, 4 and more, or 5 for
/// its first letter) in `language` (English when `None`), where
/// `after_day` says whether the section shows a day number.
pub(super) fn month_name(
    language: Option<Language>,
    month: u32,
    width: u8,
    after_day: bool,
) -> &'static str {
    let names = language.map_or(&ENGLISH, Language::names);
    let i = (month as usize).clamp(1, 12) - 1;
    match width {
        3 => names
            .short_months
            .map_or_else(|| first_chars(names.months[i], 3), |s| s[i]),
        5 => first_chars(names.months[i], 1),
        _ => match names.months_after_day {
            Some(declined) if after_day => declined[i],
            _ => names.months[i],
        },
    }
}

/// How a weekday (0 is Sunday) shows with `ddd` (`short`) or `dddd`.
pub(super) fn day_name(language: Option<Language>, weekday: usize, short: bool) -> &'static str {
    let names = language.map_or(&ENGLISH, Language::names);
    let i = weekday % 7;
    match (short, names.short_days) {
        (true, Some(s)) => s[i],
        (true, None) => first_chars(names.days[i], 3),
        (false, _) => names.days[i],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_their_language() {
        assert_eq!(Language::of_tag("-405"), Some(Language::Czech));
        assert_eq!(Language::of_tag("Kč-405"), Some(Language::Czech));
        assert_eq!(Language::of_tag("€-407"), Some(Language::German));
        assert_eq!(Language::of_tag("-C07"), Some(Language::GermanAustria));
        assert_eq!(Language::of_tag("-807"), Some(Language::German));
        assert_eq!(Language::of_tag("-40C"), Some(Language::French));
        assert_eq!(Language::of_tag("-410"), Some(Language::Italian));
        assert_eq!(Language::of_tag("-C0A"), Some(Language::Spanish));
        assert_eq!(Language::of_tag("-40A"), Some(Language::Spanish));
        assert_eq!(Language::of_tag("-415"), Some(Language::Polish));
        assert_eq!(Language::of_tag("-1010415"), Some(Language::Polish));
        assert_eq!(Language::of_tag("-411"), Some(Language::Japanese));
        assert_eq!(Language::of_tag("-cs-CZ"), Some(Language::Czech));
        assert_eq!(Language::of_tag("-de-AT"), Some(Language::GermanAustria));
        assert_eq!(Language::of_tag("-409"), None);
        assert_eq!(Language::of_tag("-F800"), None);
        assert_eq!(Language::of_tag("-x-sysdate"), None);
        assert_eq!(Language::of_tag("€"), None);
    }

    #[test]
    fn tags_name_their_calendar() {
        assert_eq!(Calendar::of_tag("-107041E"), Some(Calendar::Buddhist));
        assert_eq!(Calendar::of_tag("-D07041E"), Some(Calendar::Buddhist));
        assert_eq!(Calendar::of_tag("-1060401"), Some(Calendar::Hijri));
        assert_eq!(Calendar::of_tag("-1010409"), Some(Calendar::Gregorian));
        assert_eq!(Calendar::of_tag("-41E"), None);
        assert_eq!(Calendar::of_tag("-th-TH"), None);
        assert_eq!(Calendar::Buddhist.year(2024), 2567);
    }

    #[test]
    fn months_and_days_in_each_language() {
        let cs = Some(Language::Czech);
        assert_eq!(month_name(cs, 3, 4, false), "březen");
        assert_eq!(month_name(cs, 3, 4, true), "března");
        assert_eq!(month_name(cs, 6, 3, true), "čvn");
        assert_eq!(month_name(cs, 3, 5, false), "b");
        assert_eq!(day_name(cs, 2, false), "úterý");
        assert_eq!(day_name(cs, 2, true), "út");
        assert_eq!(month_name(Some(Language::Polish), 2, 4, true), "lutego");
        assert_eq!(month_name(Some(Language::Polish), 2, 4, false), "luty");
        assert_eq!(month_name(Some(Language::German), 3, 3, true), "Mär");
        assert_eq!(month_name(Some(Language::German), 3, 4, true), "März");
        assert_eq!(
            month_name(Some(Language::GermanAustria), 1, 4, true),
            "Jänner"
        );
        assert_eq!(day_name(Some(Language::GermanAustria), 0, false), "Sonntag");
        assert_eq!(month_name(Some(Language::French), 2, 3, false), "févr.");
        assert_eq!(day_name(Some(Language::Italian), 1, false), "lunedì");
        assert_eq!(day_name(Some(Language::Spanish), 3, false), "miércoles");
        assert_eq!(month_name(None, 9, 3, false), "Sep");
        assert_eq!(
            month_name(Some(Language::Japanese), 9, 4, false),
            "September"
        );
        assert_eq!(day_name(None, 6, true), "Sat");
    }
}
