//! "Did you mean" messages for unknown sheets, columns and names.

/// The candidate closest to `name` by Jaro-Winkler similarity on
/// lower-case text, when it is close enough to be a likely typo.
pub fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let needle = name.trim().to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&needle, &c.to_lowercase()), *c))
        .filter(|(score, _)| *score >= 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `no column "Nett"; the columns are: A, B, Net; did you mean "Net"?`
pub fn unknown(what: &str, name: &str, candidates: &[&str]) -> String {
    let plural = if what.ends_with('s') {
        what.to_string()
    } else {
        format!("{what}s")
    };
    unknown_listing(what, &plural, name, candidates)
}

/// Like [`unknown`], where what was looked up (`table or sheet`) differs
/// from what the candidates are (`sheets`).
pub fn unknown_listing(what: &str, listed: &str, name: &str, candidates: &[&str]) -> String {
    let mut msg = format!("no {what} named \"{name}\"");
    if candidates.is_empty() {
        return msg;
    }
    msg.push_str(&format!("; the {listed} are: {}", candidates.join(", ")));
    if let Some(c) = closest(name, candidates) {
        msg.push_str(&format!("; did you mean \"{c}\"?"));
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let cols = ["Customer", "Net", "VAT Rate"];
        assert_eq!(closest("vat rat", &cols), Some("VAT Rate"));
        assert_eq!(closest("zzz", &cols), None);
        let msg = unknown("column", "Custmer", &cols);
        assert!(msg.contains("Customer, Net, VAT Rate"));
        assert!(msg.ends_with("did you mean \"Customer\"?"));
    }
}
