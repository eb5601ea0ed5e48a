//! Part names and relationship targets. A package names its parts with
//! paths inside the zip, and relationships point at them with targets
//! relative to the source part; the reader and the patcher must turn a
//! target into the same entry name, or one of them reads a part the other
//! never writes.

/// The lookup key of a part name: part names compare case-insensitively
/// (OPC), and some writers use backslashes as separators.
pub(crate) fn part_key(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// The folder of a part (`xl` for `xl/workbook.xml`; empty at the root).
pub(crate) fn parent_dir(part: &str) -> &str {
    part.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The `.rels` part holding the relationships of `part`.
pub(crate) fn rels_part_for(part: &str) -> String {
    match part.rsplit_once('/') {
        Some((dir, file)) => format!("{dir}/_rels/{file}.rels"),
        None => format!("_rels/{part}.rels"),
    }
}

/// The entry name a relationship target of `source_part` points at
/// (`""` for the package's own relationships). A target starting with `/`
/// starts at the package root; a `#fragment` names a place inside the
/// part, not a part, so it is left off.
pub(crate) fn resolve_target(source_part: &str, target: &str) -> String {
    let target = target.split('#').next().unwrap_or_default();
    let mut segments: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => parent_dir(source_part).split('/').collect(),
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.retain(|s| !s.is_empty());
    segments.join("/")
}

/// The relationship target from `source_part` to `target` (both entry
/// names), relative to the source's folder.
pub(crate) fn relative_target(source_part: &str, target: &str) -> String {
    let from: Vec<&str> = source_part.split('/').collect();
    let from = &from[..from.len() - 1];
    let to: Vec<&str> = target.split('/').collect();
    let common = from
        .iter()
        .zip(&to)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to.len() - 1);
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend_from_slice(&to[common..]);
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_part() {
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "../drawings/d1.xml"),
            "xl/drawings/d1.xml"
        );
        assert_eq!(
            resolve_target("xl/worksheets/sheet1.xml", "/xl/tables/table1.xml"),
            "xl/tables/table1.xml"
        );
        assert_eq!(resolve_target("", "/xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(resolve_target("", "xl/workbook.xml"), "xl/workbook.xml");
        assert_eq!(
            rels_part_for("xl/workbook.xml"),
            "xl/_rels/workbook.xml.rels"
        );
        assert_eq!(rels_part_for("workbook.xml"), "_rels/workbook.xml.rels");
    }

    #[test]
    fn a_fragment_is_not_part_of_the_part_name() {
        assert_eq!(
            resolve_target("xl/workbook.xml", "worksheets/sheet1.xml#A1"),
            "xl/worksheets/sheet1.xml"
        );
    }

    #[test]
    fn relative_targets_climb_out_of_the_source_folder() {
        assert_eq!(
            relative_target("xl/workbook.xml", "xl/worksheets/sheet3.xml"),
            "worksheets/sheet3.xml"
        );
        assert_eq!(
            relative_target("xl/worksheets/sheet1.xml", "xl/tables/table2.xml"),
            "../tables/table2.xml"
        );
        assert_eq!(part_key("XL\\Workbook.xml"), "xl/workbook.xml");
        assert_eq!(parent_dir("xl/workbook.xml"), "xl");
        assert_eq!(parent_dir("workbook.xml"), "");
    }
}
