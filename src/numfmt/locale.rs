//! The languages a locale tag (`[$-405]`, `[$€-407]`, `[$-cs-CZ]`) can
//! name that change what a date shows: month and weekday names, and the
//! Japanese imperial eras. English is the default and needs no tag.
//!
//! The names are written out (in `names.rs`) rather than taken from a
//! locale crate: `pure-rust-locales` (what chrono's `unstable-locales`
//! reads) carries glibc's data, which differs from what Excel shows (Czech
//! weekdays capitalised, `čen` for June), and ICU4X would bring the whole
//! of CLDR and its calendars for a few short lists. They follow CLDR and
//! Windows, whose names Excel shows: full names in their dictionary forms;
//! Czech, Slovak, Polish and Finnish month names in the genitive
//! (partitive) after a day number (`5. března`), in the nominative alone
//! (`březen 2024`), as Windows does. Russian and Ukrainian are the
//! exception: Excel gives their genitive months tags of their own
//! (`[$-FC19]dd mmmm yyyy` among Excel's Russian date formats, and the
//! `x-genlower`, `x-genupper` and `x-nomlower` suffixes of Microsoft's
//! culture tags for Russian), so a plain `[$-419]` keeps the nominative,
//! capitalised as Windows writes it (a lower-case nominative needs
//! `x-nomlower`).

use super::names::*;

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
    /// `[$-411]`: `g`/`e` show the imperial era; weekdays are Japanese,
    /// months keep their English names.
    Japanese,
    /// `[$-416]` and the other Portuguese locales but Portugal's.
    Portuguese,
    /// `[$-816]`.
    PortuguesePortugal,
    /// `[$-413]`, `[$-813]`.
    Dutch,
    /// `[$-41B]`.
    Slovak,
    /// `[$-40E]`.
    Hungarian,
    /// `[$-41D]`, `[$-81D]`.
    Swedish,
    /// `[$-406]`.
    Danish,
    /// `[$-40B]`.
    Finnish,
    /// `[$-414]`: Norwegian Bokmål (Nynorsk, `[$-814]`, names differ).
    Norwegian,
    /// `[$-419]`: months in the nominative, capitalised, as Windows names
    /// them.
    Russian,
    /// `[$-FC19]`, `[$-ru-RU-x-genlower]`: months in the genitive.
    RussianGenitive,
    /// `[$-ru-RU-x-genupper]`: months in the genitive, capitalised.
    RussianGenitiveUpper,
    /// `[$-F419]`, `[$-ru-RU-x-nomlower]`: months in the nominative,
    /// lower case.
    RussianNominativeLower,
    /// `[$-422]`: months in the nominative.
    Ukrainian,
    /// `[$-FC22]`: months in the genitive.
    UkrainianGenitive,
    /// `[$-41F]`.
    Turkish,
    /// `[$-41E]`.
    Thai,
    /// `[$-401]` and the other Arabic locales: names only under the Hijri
    /// calendar (see `hijri.rs`); Gregorian dates keep English names.
    Arabic,
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
                (0x816, _) => Some(Language::PortuguesePortugal),
                (0x414, _) => Some(Language::Norwegian),
                (0xFC19, _) => Some(Language::RussianGenitive),
                (0xF419, _) => Some(Language::RussianNominativeLower),
                (0xFC22, _) => Some(Language::UkrainianGenitive),
                (_, 0x01) => Some(Language::Arabic),
                (_, 0x05) => Some(Language::Czech),
                (_, 0x06) => Some(Language::Danish),
                (_, 0x07) => Some(Language::German),
                (_, 0x0A) => Some(Language::Spanish),
                (_, 0x0B) => Some(Language::Finnish),
                (_, 0x0C) => Some(Language::French),
                (_, 0x0E) => Some(Language::Hungarian),
                (_, 0x10) => Some(Language::Italian),
                (_, 0x13) => Some(Language::Dutch),
                (_, 0x15) => Some(Language::Polish),
                (_, 0x16) => Some(Language::Portuguese),
                (_, 0x19) => Some(Language::Russian),
                (_, 0x1B) => Some(Language::Slovak),
                (_, 0x1D) => Some(Language::Swedish),
                (_, 0x1E) => Some(Language::Thai),
                (_, 0x1F) => Some(Language::Turkish),
                (_, 0x22) => Some(Language::Ukrainian),
                _ => None,
            };
        }
        let lower = locale.to_ascii_lowercase();
        match lower.as_str() {
            "de-at" => return Some(Language::GermanAustria),
            "pt-pt" => return Some(Language::PortuguesePortugal),
            _ => {}
        }
        match lower.split('-').next()? {
            "ar" => Some(Language::Arabic),
            "cs" => Some(Language::Czech),
            "da" => Some(Language::Danish),
            "de" => Some(Language::German),
            "es" => Some(Language::Spanish),
            "fi" => Some(Language::Finnish),
            "fr" => Some(Language::French),
            "hu" => Some(Language::Hungarian),
            "it" => Some(Language::Italian),
            "ja" => Some(Language::Japanese),
            "nb" | "no" => Some(Language::Norwegian),
            "nl" => Some(Language::Dutch),
            "pl" => Some(Language::Polish),
            "pt" => Some(Language::Portuguese),
            "ru" if lower.ends_with("-x-genlower") => Some(Language::RussianGenitive),
            "ru" if lower.ends_with("-x-genupper") => Some(Language::RussianGenitiveUpper),
            "ru" if lower.ends_with("-x-nomlower") => Some(Language::RussianNominativeLower),
            "ru" => Some(Language::Russian),
            "sk" => Some(Language::Slovak),
            "sv" => Some(Language::Swedish),
            "th" => Some(Language::Thai),
            "tr" => Some(Language::Turkish),
            "uk" => Some(Language::Ukrainian),
            _ => None,
        }
    }

    /// The names of `self`.
    fn names(self) -> &'static Names {
        match self {
            Language::Czech => &CZECH,
            Language::German => &GERMAN,
            Language::GermanAustria => &GERMAN_AUSTRIA,
            Language::French => &FRENCH,
            Language::Italian => &ITALIAN,
            Language::Spanish => &SPANISH,
            Language::Polish => &POLISH,
            Language::Japanese => &JAPANESE,
            Language::Portuguese => &PORTUGUESE,
            Language::PortuguesePortugal => &PORTUGUESE_PORTUGAL,
            Language::Dutch => &DUTCH,
            Language::Slovak => &SLOVAK,
            Language::Hungarian => &HUNGARIAN,
            Language::Swedish => &SWEDISH,
            Language::Danish => &DANISH,
            Language::Finnish => &FINNISH,
            Language::Norwegian => &NORWEGIAN,
            Language::Russian => &RUSSIAN,
            Language::RussianGenitive => &RUSSIAN_GENITIVE,
            Language::RussianGenitiveUpper => &RUSSIAN_GENITIVE_UPPER,
            Language::RussianNominativeLower => &RUSSIAN_NOMINATIVE_LOWER,
            Language::Ukrainian => &UKRAINIAN,
            Language::UkrainianGenitive => &UKRAINIAN_GENITIVE,
            Language::Turkish => &TURKISH,
            Language::Thai => &THAI,
            Language::Arabic => &ENGLISH,
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
    /// The Hijri calendar (`B2`, calendar 6 in a locale tag): Microsoft's
    /// tabular Islamic calendar (see `hijri.rs`).
    Hijri,
    /// The Gregorian calendar with English names whatever the language
    /// (calendar 2, Windows' `CAL_GREGORIAN_US`).
    GregorianEnglish,
    /// The Gregorian calendar with names of another script or spelling
    /// (calendars 9-12: Middle East French, Arabic, transliterated English
    /// and French): numbers as usual, names not known, so refused.
    GregorianOtherNames,
    /// A calendar not implemented here (3 Japanese emperor era, 4 Taiwan,
    /// 5 Korean Tangun era, 8 Hebrew, 23 Um Al Qura, and ids Windows does
    /// not define): its dates are refused rather than shown as Gregorian.
    Unsupported,
}

impl Calendar {
    /// The calendar of the part after `$` of a locale tag: Windows'
    /// calendar id in bits 16-23 of a hexadecimal tag (`-107041E`); `None`
    /// where the tag names none this module knows.
    pub(super) fn of_tag(after_dollar: &str) -> Option<Calendar> {
        let locale = after_dollar.split_once('-')?.1.trim();
        let lcid = u32::from_str_radix(locale, 16).ok()?;
        match (lcid >> 16) & 0xFF {
            0x00 => None,
            0x01 => Some(Calendar::Gregorian),
            0x02 => Some(Calendar::GregorianEnglish),
            0x06 => Some(Calendar::Hijri),
            0x07 => Some(Calendar::Buddhist),
            0x09..=0x0C => Some(Calendar::GregorianOtherNames),
            _ => Some(Calendar::Unsupported),
        }
    }

    /// The year shown for year `year` of the calendar's own count (the
    /// Gregorian year but for the Hijri calendar).
    pub(super) fn year(self, year: i32) -> i32 {
        match self {
            Calendar::Buddhist => year + 543,
            _ => year,
        }
    }
}

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
        assert_eq!(Calendar::of_tag("-20407"), Some(Calendar::GregorianEnglish));
        assert_eq!(
            Calendar::of_tag("-A0401"),
            Some(Calendar::GregorianOtherNames)
        );
        assert_eq!(Calendar::of_tag("-24050412"), Some(Calendar::Unsupported));
        assert_eq!(Calendar::of_tag("-1170401"), Some(Calendar::Unsupported));
        assert_eq!(Calendar::of_tag("-2000000"), None);
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
        assert_eq!(day_name(Some(Language::Japanese), 5, false), "金曜日");
        assert_eq!(day_name(Some(Language::Japanese), 5, true), "金");
        assert_eq!(day_name(None, 6, true), "Sat");
    }

    #[test]
    fn each_added_language_names_a_month_and_a_day() {
        // (tag, March alone, March after a day, Tuesday)
        let cases = [
            ("-416", "março", "março", "terça-feira"),
            ("-816", "março", "março", "terça-feira"),
            ("-413", "maart", "maart", "dinsdag"),
            ("-41B", "marec", "marca", "utorok"),
            ("-40E", "március", "március", "kedd"),
            ("-41D", "mars", "mars", "tisdag"),
            ("-406", "marts", "marts", "tirsdag"),
            ("-40B", "maaliskuu", "maaliskuuta", "tiistai"),
            ("-414", "mars", "mars", "tirsdag"),
            ("-419", "Март", "Март", "вторник"),
            ("-FC19", "марта", "марта", "вторник"),
            ("-F419", "март", "март", "вторник"),
            ("-ru-RU-x-genlower", "марта", "марта", "вторник"),
            ("-ru-RU-x-genupper", "Марта", "Марта", "вторник"),
            ("-ru-RU-x-nomlower", "март", "март", "вторник"),
            ("-422", "березень", "березень", "вівторок"),
            ("-FC22", "березня", "березня", "вівторок"),
            ("-41F", "Mart", "Mart", "Salı"),
            ("-41E", "มีนาคม", "มีนาคม", "วันอังคาร"),
        ];
        for (tag, alone, after_day, tuesday) in cases {
            let language = Language::of_tag(tag);
            assert!(language.is_some(), "{tag}");
            assert_eq!(month_name(language, 3, 4, false), alone, "{tag}");
            assert_eq!(month_name(language, 3, 4, true), after_day, "{tag}");
            assert_eq!(day_name(language, 2, false), tuesday, "{tag}");
        }
        let pt = Language::of_tag("-pt-BR");
        assert_eq!(month_name(pt, 2, 3, false), "fev.");
        assert_eq!(day_name(pt, 0, true), "dom.");
        assert_eq!(day_name(Language::of_tag("-pt-PT"), 0, true), "domingo");
        assert_eq!(month_name(Language::of_tag("-41E"), 3, 3, false), "มี.ค.");
        assert_eq!(day_name(Language::of_tag("-40E"), 2, true), "K");
        assert_eq!(Language::of_tag("-814"), None);
        assert_eq!(Language::of_tag("-1060401"), Some(Language::Arabic));
        assert_eq!(Language::of_tag("-ar-SA"), Some(Language::Arabic));
        // Arabic names are Hijri months only; Gregorian ones stay English.
        assert_eq!(month_name(Some(Language::Arabic), 3, 4, false), "March");
    }
}
