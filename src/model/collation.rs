//! The order of text in a language: Czech puts `Ch` after `H` and `Č`
//! right after `C`, where a plain code point order puts `ČEZ` after
//! `Würth`. The rules are CLDR's, compiled into the binary by ICU4X's
//! `icu_collator`, not a table of our own.

use super::error::ModelError;
use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use std::cmp::Ordering;
use std::fmt;

/// Compares text as a language sorts it, ignoring case as Excel's sort
/// does (accents still count: `Čapek` is not `Capek`).
pub struct TextOrder {
    locale: String,
    collator: CollatorBorrowed<'static>,
}

impl TextOrder {
    /// The order of `locale`, a BCP 47 tag such as `cs-CZ`; a language
    /// without rules of its own gets the Unicode root order. An unreadable
    /// tag is an error naming it.
    pub fn new(locale: &str) -> Result<TextOrder, ModelError> {
        let tag: icu_locale_core::Locale = locale
            .trim()
            .replace('_', "-")
            .parse()
            .map_err(|_| ModelError::NotALanguageTag(locale.to_string()))?;
        let mut options = CollatorOptions::default();
        options.strength = Some(Strength::Secondary);
        let collator =
            Collator::try_new((&tag).into(), options).map_err(|e| ModelError::NoSortOrder {
                locale: locale.to_string(),
                detail: e.to_string(),
            })?;
        Ok(TextOrder {
            locale: tag.to_string(),
            collator,
        })
    }

    /// The language tag this order is for.
    pub fn locale(&self) -> &str {
        &self.locale
    }

    /// Compares two texts.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }
}

impl fmt::Debug for TextOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TextOrder({})", self.locale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(locale: &str, words: &[&str]) -> Vec<String> {
        let order = TextOrder::new(locale).unwrap();
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| order.compare(a, b));
        v
    }

    #[test]
    fn czech_puts_ch_after_h_and_hacek_after_its_letter() {
        assert_eq!(
            sorted(
                "cs-CZ",
                &["Würth", "chata", "Hrad", "ČEZ", "Cukr", "Dvořák", "Zeman", "Žák"]
            ),
            ["Cukr", "ČEZ", "Dvořák", "Hrad", "chata", "Würth", "Zeman", "Žák"]
        );
        // English has no Ch rule, and Č sorts with C.
        assert_eq!(
            sorted("en", &["Hrad", "chata", "Cukr", "ČEZ"]),
            ["ČEZ", "chata", "Cukr", "Hrad"]
        );
        let cs = TextOrder::new("cs_CZ").unwrap();
        assert_eq!(cs.locale(), "cs-CZ");
        assert_eq!(cs.compare("acme", "ACME"), Ordering::Equal);
        assert_ne!(cs.compare("Čapek", "Capek"), Ordering::Equal);
        assert!(TextOrder::new("not a tag!").is_err());
    }
}
