//! The package features only the xlsx patcher can carry (charts, pivots,
//! comments, macros...), named in plain words from the zip's entry names:
//! any other writer warns that it leaves them out.

use crate::io::ooxml::package::zip_names;
use crate::io::ooxml::part_names::part_key;
use std::fs::File;
use std::io::BufReader;
use zip::ZipArchive;

/// The package features of any OOXML zip (xlsb too) from its entry names
/// alone; empty when the zip cannot be listed.
pub(crate) fn zip_features(path: &std::path::Path) -> Vec<String> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let Ok(zip) = ZipArchive::new(BufReader::new(file)) else {
        return Vec::new();
    };
    let entries: Vec<String> = zip_names(&zip);
    package_features(&entries, 0, 0)
}

/// Counts package parts by kind and names them in plain words.
pub(crate) fn package_features(
    entries: &[String],
    conditional: usize,
    validation: usize,
) -> Vec<String> {
    let lower: Vec<String> = entries.iter().map(|e| part_key(e)).collect();
    let count = |dir: &str, ext: &str| {
        lower
            .iter()
            .filter(|e| e.contains(dir) && e.ends_with(ext) && !e.contains("/_rels/"))
            .count()
    };
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut out = Vec::new();
    let charts = count("/charts/chart", ".xml");
    if charts > 0 {
        out.push(plural(charts, "chart", "charts"));
    }
    let chartsheets = count("/chartsheets/", ".xml");
    if chartsheets > 0 {
        out.push(plural(chartsheets, "chart sheet", "chart sheets"));
    }
    let pictures = lower.iter().filter(|e| e.contains("/media/")).count();
    if pictures > 0 {
        out.push(plural(pictures, "picture", "pictures"));
    } else if count("/drawings/", ".xml") > 0 && charts == 0 {
        out.push("drawings (shapes)".to_string());
    }
    let pivots = count("/pivottables/", ".xml");
    if pivots > 0 {
        out.push(plural(pivots, "pivot table", "pivot tables"));
    }
    let comments = lower
        .iter()
        .filter(|e| {
            e.rsplit('/')
                .next()
                .is_some_and(|f| f.starts_with("comments"))
        })
        .count();
    if comments > 0 {
        out.push(plural(
            comments,
            "sheet with comments",
            "sheets with comments",
        ));
    }
    if lower.iter().any(|e| e.contains("threadedcomments")) {
        out.push("threaded comments".to_string());
    }
    if lower.iter().any(|e| e.ends_with("vbaproject.bin")) {
        out.push(crate::model::workbook::VBA_MACROS.to_string());
    }
    if conditional > 0 {
        out.push(plural(
            conditional,
            "sheet with conditional formatting",
            "sheets with conditional formatting",
        ));
    }
    if validation > 0 {
        out.push(plural(
            validation,
            "sheet with data validation",
            "sheets with data validation",
        ));
    }
    if count("/externallinks/", ".xml") > 0 {
        out.push("external workbook links".to_string());
    }
    if count("/slicers/", ".xml") > 0 || count("/timelines/", ".xml") > 0 {
        out.push("slicers".to_string());
    }
    if lower.iter().any(|e| e.ends_with("connections.xml")) || count("/querytables/", ".xml") > 0 {
        out.push("data connections".to_string());
    }
    out
}
