//! The page's two languages, English and Czech: which one a request
//! gets (the `lang` cookie a switch set, else the browser's
//! Accept-Language), the page's words in each, and numbers shown as
//! that language writes them.

use std::collections::BTreeMap;

/// A language the page speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English: `1,234.50`.
    En,
    /// Czech: `1 234,50`.
    Cs,
}

impl Lang {
    /// The tag `<html lang>`, `?lang=` and the cookie use.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cs => "cs",
        }
    }

    /// The language a tag names (`cs`, `cs-CZ`, `en-GB`), if the page
    /// speaks it.
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "cs" => Some(Lang::Cs),
            _ => None,
        }
    }

    /// The language an Accept-Language header prefers most among those
    /// the page speaks (by q-value, then order); English when none.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::of_tag) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    /// The page's words in this language, by key, for the templates.
    pub fn words(self) -> BTreeMap<&'static str, &'static str> {
        WORDS
            .iter()
            .map(|(key, en, cs)| {
                (
                    *key,
                    match self {
                        Lang::En => *en,
                        Lang::Cs => *cs,
                    },
                )
            })
            .collect()
    }

    /// One word of the page, by key (the key itself when unknown, which a
    /// test catches).
    pub fn word(self, key: &str) -> &'static str {
        WORDS
            .iter()
            .find(|(k, _, _)| *k == key)
            .map_or("?", |(_, en, cs)| match self {
                Lang::En => en,
                Lang::Cs => cs,
            })
    }

    /// A count as this language writes it: `1,234` or `1 234` (with a
    /// no-break space, as Czech Windows groups digits).
    pub fn count(self, n: usize) -> String {
        let digits = n.to_string();
        let sep = match self {
            Lang::En => ",",
            Lang::Cs => "\u{a0}",
        };
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(d);
        }
        out
    }

    /// A number Excel rendered with its format (in Excel's US
    /// conventions, which are what a format code's `,` and `.` mean) as
    /// a Czech Excel shows it: the decimal point a comma and the
    /// thousands comma a no-break space. Only marks standing between
    /// digits (or a point before digits) are separators; the rest of the
    /// text (a currency word, a literal) is left as it is.
    pub fn localize_number(self, shown: &str) -> String {
        if self == Lang::En {
            return shown.to_string();
        }
        let chars: Vec<char> = shown.chars().collect();
        let digit = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_digit());
        let mut out = String::with_capacity(shown.len());
        for (i, &c) in chars.iter().enumerate() {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            match c {
                ',' if digit(before) && digit(after) => out.push('\u{a0}'),
                '.' if digit(after) => out.push(','),
                _ => out.push(c),
            }
        }
        out
    }
}

/// Every word of the page: key, English, Czech.
const WORDS: &[(&str, &str, &str)] = &[
    ("title", "Scripts", "Skripty"),
    ("intro", "Choose a script, drop a workbook on it, see what it would change, then download the result.", "Vyberte skript, přetáhněte na něj sešit, podívejte se, co by změnil, a stáhněte výsledek."),
    ("no_scripts", "No scripts were found in the configured folders.", "V nastavených složkách nejsou žádné skripty."),
    ("back", "All scripts", "Všechny skripty"),
    ("workbook", "Workbook", "Sešit"),
    ("drop", "Drop the workbook here or choose it", "Sešit přetáhněte sem nebo ho vyberte"),
    ("attachments", "Other workbooks", "Další sešity"),
    ("parameters", "Parameters", "Parametry"),
    ("required", "required", "povinné"),
    ("preview", "Preview", "Náhled"),
    ("run", "Run", "Spustit"),
    ("preview_note", "Preview runs the script without writing anything.", "Náhled spustí skript, ale nic nezapíše."),
    ("summary", "Summary", "Souhrn"),
    ("printed", "What the script printed", "Co skript vypsal"),
    ("nothing_printed", "(nothing)", "(nic)"),
    ("printed_cut", "more lines were printed and are not shown", "dalších vypsaných řádků se nezobrazuje"),
    ("warnings", "Warnings", "Upozornění"),
    ("no_warnings", "None.", "Žádná."),
    ("changes", "Changes", "Změny"),
    ("sheet", "Sheet", "List"),
    ("cell", "Cell", "Buňka"),
    ("old", "Before", "Před"),
    ("new", "After", "Po"),
    ("empty", "(empty)", "(prázdné)"),
    ("show_more", "Show more", "Zobrazit další"),
    ("not_listed", "more changed cells are not listed here; Run gives the full change report (CSV).", "dalších změněných buněk zde není uvedeno; úplný přehled změn (CSV) dá Spustit."),
    ("rendered", "The changed sheets", "Změněné listy"),
    ("rendered_note", "Values as Excel shows them; changed cells are marked.", "Hodnoty tak, jak je ukazuje Excel; změněné buňky jsou zvýrazněné."),
    ("more_rows", "more rows", "dalších řádků"),
    ("more_cols", "more columns", "dalších sloupců"),
    ("result", "Result", "Výsledek"),
    ("download", "Download the result", "Stáhnout výsledek"),
    ("download_changes", "Download the change report (CSV)", "Stáhnout přehled změn (CSV)"),
    ("kept_until", "The files are deleted once downloaded, or after", "Soubory se smažou po stažení, nebo po"),
    ("minutes", "minutes", "minutách"),
    ("error", "The run failed; nothing was written.", "Běh skončil chybou; nic nebylo zapsáno."),
    ("queued", "Other runs are going; this one waits its turn and starts when one ends.", "Běží jiné úlohy; tato čeká ve frontě a spustí se, až jedna skončí."),
    ("cells_changed", "cell(s) changed", "změněných buněk"),
    ("again", "Back to the form", "Zpět na formulář"),
    ("explain", "How this value comes about:", "Jak vzniká tato hodnota:"),
    ("explain_note", "Click a changed cell to see how its value comes about.", "Klepněte na změněnou buňku a uvidíte, jak vzniká její hodnota."),
    ("findings", "What the check found", "Co našla kontrola"),
    ("findings_note", "The script may still run; these names and calls look wrong.", "Skript se možná spustí, ale tyto názvy a volání vypadají chybně."),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_spoken_language() {
        assert_eq!(
            Lang::from_accept_language("cs-CZ,cs;q=0.9,en;q=0.8"),
            Lang::Cs
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,en;q=0.5,cs;q=0.7"),
            Lang::Cs
        );
        assert_eq!(Lang::from_accept_language("en-GB,cs;q=0.2"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("cs;q=0"), Lang::En);
    }

    #[test]
    fn numbers_are_written_as_each_language_does() {
        assert_eq!(Lang::Cs.localize_number("1,234.50"), "1\u{a0}234,50");
        assert_eq!(Lang::Cs.localize_number("$1,234.50"), "$1\u{a0}234,50");
        assert_eq!(Lang::Cs.localize_number("21%"), "21%");
        assert_eq!(Lang::Cs.localize_number("(.5)"), "(,5)");
        assert_eq!(Lang::En.localize_number("1,234.50"), "1,234.50");
        assert_eq!(Lang::Cs.count(1234567), "1\u{a0}234\u{a0}567");
        assert_eq!(Lang::En.count(1234), "1,234");
        assert_eq!(Lang::En.count(12), "12");
    }

    #[test]
    fn every_word_has_both_languages() {
        for (key, en, cs) in WORDS {
            assert!(!en.is_empty() && !cs.is_empty(), "{key}");
        }
        assert_eq!(Lang::Cs.word("run"), "Spustit");
    }
}
