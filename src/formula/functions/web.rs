//! Web functions: ENCODEURL and FILTERXML. (WEBSERVICE needs the network
//! and is left out, as the function catalogue says.)
//!
//! FILTERXML reads the XML with quick-xml, which the package reader
//! already uses, and evaluates the XPath subset spreadsheet formulas use
//! here: absolute and relative location paths with `/` and `//`, `.`,
//! `..`, element names and `*`, `@attr` and `@*`, `text()` and `node()`,
//! and predicates `[n]`, `[last()]`, `[last()-n]`, `[position() op n]`,
//! `[path]` (exists) and `[path op 'literal' or number]` joined by `and`
//! / `or`. Anything else is `#VALUE!`, never a guess.

use super::*;
use crate::formula::criteria::CriterionOp as Op;
use crate::io::ooxml::xml::resolve_reference;
use quick_xml::events::Event;
use quick_xml::Reader;

/// The functions of this category.
pub const FUNCTIONS: &[FunctionSpec] = &[
    FunctionSpec::new(
        "ENCODEURL",
        1,
        1,
        "A text percent-encoded for use in a URL",
        encodeurl,
    ),
    FunctionSpec::new(
        "FILTERXML",
        2,
        2,
        "The values an XPath selects in an XML text",
        filterxml,
    ),
];

/// Percent-encodes every byte of the UTF-8 text but the unreserved
/// characters of RFC 3986 (letters, digits, `-`, `.`, `_`, `~`).
pub(crate) fn encode_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn encodeurl(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    ctx.map_value(&args[0], |v| {
        let encoded = encode_url(&to_text(v)?);
        crate::formula::text_core::check_length(encoded).map(Value::text)
    })
}

fn filterxml(ctx: &mut CallContext, args: &[Expr]) -> EvalResult {
    let xml = ctx.text(&args[0])?;
    let path = ctx.text(&args[1])?;
    let doc = Document::parse(&xml).ok_or(ErrorKind::Value)?;
    let steps = parse_path(&path).ok_or(ErrorKind::Value)?;
    let texts = doc.select(&steps).ok_or(ErrorKind::Value)?;
    if texts.is_empty() {
        return Err(ErrorKind::Value);
    }
    // Text that reads as a number comes back as the number, as Excel
    // returns it.
    let values: Vec<Value> = texts
        .into_iter()
        .map(|t| {
            let plain = t.trim();
            let numeric = plain.parse::<f64>().is_ok()
                && plain.bytes().any(|b| b.is_ascii_digit())
                && !plain
                    .bytes()
                    .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E');
            match to_number(&Value::text(plain)) {
                Ok(n) if numeric => Value::Number(n),
                _ => Value::text(t),
            }
        })
        .collect();
    if values.len() == 1 {
        return Ok(CalcValue::Value(values.into_iter().next().expect("one")));
    }
    Ok(CalcValue::Array(Array::column(values)))
}

/// One node of a parsed document: an element (with its attributes) or a
/// text node. Ids are in document order.
#[derive(Debug)]
enum Node {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<usize>,
        parent: usize,
    },
    Text {
        text: String,
        parent: usize,
    },
}

/// A parsed XML document; node 0 is the document root above the root
/// element.
#[derive(Debug)]
struct Document {
    nodes: Vec<Node>,
}

/// What a step selects: a node, or one attribute of an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Item {
    Node(usize),
    Attr(usize, usize),
}

impl Document {
    /// Parses well-formed XML; `None` when it is not.
    fn parse(xml: &str) -> Option<Document> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut nodes = vec![Node::Element {
            name: String::new(),
            attrs: Vec::new(),
            children: Vec::new(),
            parent: 0,
        }];
        let mut open = vec![0usize];
        let mut text = String::new();
        loop {
            let event = reader.read_event().ok()?;
            let is_text = matches!(
                event,
                Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)
            );
            if !is_text {
                let parent = *open.last()?;
                flush_text(&mut nodes, &mut text, parent);
            }
            match event {
                Event::Start(e) => {
                    let id = add_element(&mut nodes, *open.last()?, &e)?;
                    open.push(id);
                }
                Event::Empty(e) => {
                    add_element(&mut nodes, *open.last()?, &e)?;
                }
                Event::End(_) => {
                    open.pop();
                    if open.is_empty() {
                        return None;
                    }
                }
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(c) => text.push_str(&c.xml10_content()),
                Event::GeneralRef(r) => resolve_reference(&r)?.push_to(&mut text),
                Event::Eof => break,
                _ => {}
            }
        }
        let roots = match &nodes[0] {
            Node::Element { children, .. } => children.len(),
            Node::Text { .. } => 0,
        };
        (open.len() == 1 && roots == 1).then_some(Document { nodes })
    }

    fn children(&self, id: usize) -> &[usize] {
        match &self.nodes[id] {
            Node::Element { children, .. } => children,
            Node::Text { .. } => &[],
        }
    }

    fn parent(&self, id: usize) -> Option<usize> {
        match &self.nodes[id] {
            _ if id == 0 => None,
            Node::Element { parent, .. } | Node::Text { parent, .. } => Some(*parent),
        }
    }

    /// The string value: an attribute's value, a text node's text, an
    /// element's text with its descendants'.
    fn string_value(&self, item: Item) -> String {
        match item {
            Item::Attr(el, i) => match &self.nodes[el] {
                Node::Element { attrs, .. } => attrs[i].1.clone(),
                Node::Text { .. } => String::new(),
            },
            Item::Node(id) => {
                let mut out = String::new();
                self.push_text(id, &mut out);
                out
            }
        }
    }

    /// Appends the text of `id` and its descendants, in document order
    /// (iteratively: a hostile text may nest thousands deep).
    fn push_text(&self, id: usize, out: &mut String) {
        let mut below = vec![id];
        self.descendants(id, &mut below);
        for n in below {
            if let Node::Text { text, .. } = &self.nodes[n] {
                out.push_str(text);
            }
        }
    }

    /// Every node below `id`, in document order.
    fn descendants(&self, id: usize, out: &mut Vec<usize>) {
        let mut stack: Vec<usize> = self.children(id).iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.children(n).iter().rev());
        }
    }

    /// The string values a path selects from the document root.
    fn select(&self, path: &Path) -> Option<Vec<String>> {
        let items = self.evaluate(path, Item::Node(0))?;
        Some(items.into_iter().map(|i| self.string_value(i)).collect())
    }

    /// The items a path selects from a context item, in document order.
    fn evaluate(&self, path: &Path, context: Item) -> Option<Vec<Item>> {
        let mut current = vec![if path.absolute {
            Item::Node(0)
        } else {
            context
        }];
        for step in &path.steps {
            let mut next: Vec<Item> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for &item in &current {
                let Item::Node(id) = item else {
                    // Attributes have no children.
                    continue;
                };
                let found = self.step(step, id)?;
                next.extend(found.into_iter().filter(|f| seen.insert(*f)));
            }
            next.sort_by_key(|i| match *i {
                Item::Node(n) => (n, 0),
                Item::Attr(n, a) => (n, a + 1),
            });
            current = next;
        }
        Some(current)
    }

    /// The items one step selects from one node, filtered by the step's
    /// predicates.
    fn step(&self, step: &Step, id: usize) -> Option<Vec<Item>> {
        let candidates: Vec<usize> = if step.descendant {
            let mut all = vec![id];
            self.descendants(id, &mut all);
            all
        } else {
            vec![id]
        };
        let mut out = Vec::new();
        for c in candidates {
            let mut selected: Vec<Item> = match &step.test {
                Test::SelfNode => vec![Item::Node(c)],
                Test::Parent => self.parent(c).map(Item::Node).into_iter().collect(),
                Test::Attribute(name) => match &self.nodes[c] {
                    Node::Element { attrs, .. } => attrs
                        .iter()
                        .enumerate()
                        .filter(|(_, (k, _))| name == "*" || k == name)
                        .map(|(i, _)| Item::Attr(c, i))
                        .collect(),
                    Node::Text { .. } => Vec::new(),
                },
                test => self
                    .children(c)
                    .iter()
                    .filter(|&&ch| self.matches(test, ch))
                    .map(|&ch| Item::Node(ch))
                    .collect(),
            };
            for predicate in &step.predicates {
                let size = selected.len();
                let mut kept = Vec::new();
                for (i, item) in selected.into_iter().enumerate() {
                    if self.holds(predicate, item, i + 1, size)? {
                        kept.push(item);
                    }
                }
                selected = kept;
            }
            out.extend(selected);
        }
        Some(out)
    }

    fn matches(&self, test: &Test, id: usize) -> bool {
        match (&self.nodes[id], test) {
            (Node::Element { name, .. }, Test::Name(want)) => want == "*" || name == want,
            (Node::Text { .. }, Test::Text) => true,
            (_, Test::AnyNode) => true,
            _ => false,
        }
    }

    /// Whether a predicate holds for an item at `position` of `size`.
    fn holds(&self, p: &Predicate, item: Item, position: usize, size: usize) -> Option<bool> {
        Some(match p {
            Predicate::Or(a, b) => {
                self.holds(a, item, position, size)? || self.holds(b, item, position, size)?
            }
            Predicate::And(a, b) => {
                self.holds(a, item, position, size)? && self.holds(b, item, position, size)?
            }
            Predicate::Compare(l, op, r) => {
                let left = self.operand(l, item, position, size)?;
                let right = self.operand(r, item, position, size)?;
                // Existential comparison of node-sets, as XPath 1.0 does.
                left.iter()
                    .any(|a| right.iter().any(|b| compare(a, *op, b)))
            }
            Predicate::Exists(path) => !self.evaluate(path, item)?.is_empty(),
            Predicate::Position(n) => position as f64 == *n,
        })
    }

    fn operand(&self, o: &Operand, item: Item, position: usize, size: usize) -> Option<Vec<Atom>> {
        Some(match o {
            Operand::Literal(s) => vec![Atom::Text(s.clone())],
            Operand::Number(n) => vec![Atom::Number(*n)],
            Operand::Position => vec![Atom::Number(position as f64)],
            Operand::Last(minus) => vec![Atom::Number(size as f64 - minus)],
            Operand::Path(path) => self
                .evaluate(path, item)?
                .into_iter()
                .map(|i| Atom::Text(self.string_value(i)))
                .collect(),
        })
    }
}

/// Adds an element with its attributes under `parent`; `None` for a
/// malformed attribute.
fn add_element(
    nodes: &mut Vec<Node>,
    parent: usize,
    e: &quick_xml::events::BytesStart<'_>,
) -> Option<usize> {
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.ok()?;
        let key = a.key.as_ref().to_string();
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()?
            .into_owned();
        attrs.push((key, value));
    }
    let id = nodes.len();
    nodes.push(Node::Element {
        name,
        attrs,
        children: Vec::new(),
        parent,
    });
    push_child(nodes, parent, id);
    Some(id)
}

fn push_child(nodes: &mut [Node], parent: usize, child: usize) {
    if let Node::Element { children, .. } = &mut nodes[parent] {
        children.push(child);
    }
}

/// Adds the text gathered since the last markup as a text node, unless
/// it is only whitespace (which Excel's XML reader drops).
fn flush_text(nodes: &mut Vec<Node>, text: &mut String, parent: usize) {
    if text.trim().is_empty() || parent == 0 {
        text.clear();
        return;
    }
    let id = nodes.len();
    nodes.push(Node::Text {
        text: std::mem::take(text),
        parent,
    });
    push_child(nodes, parent, id);
}

/// A value a predicate compares.
#[derive(Debug, Clone)]
enum Atom {
    Text(String),
    Number(f64),
}

fn compare(a: &Atom, op: Op, b: &Atom) -> bool {
    let number = |x: &Atom| match x {
        Atom::Number(n) => Some(*n),
        Atom::Text(t) => t.trim().parse::<f64>().ok(),
    };
    // XPath 1.0: numbers compare as numbers, and so does any ordering.
    let by_number = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge)
        || matches!(a, Atom::Number(_))
        || matches!(b, Atom::Number(_));
    let ordering = if by_number {
        match (number(a), number(b)) {
            (Some(x), Some(y)) => x.partial_cmp(&y),
            // NaN: unequal to everything, and unordered.
            _ => None,
        }
    } else {
        // Texts meet only `=` and `!=` here: any unequal ordering will do.
        match (a, b) {
            (Atom::Text(x), Atom::Text(y)) => Some(if x == y {
                std::cmp::Ordering::Equal
            } else {
                std::cmp::Ordering::Less
            }),
            _ => None,
        }
    };
    match ordering {
        Some(o) => op.accepts(o),
        None => op == Op::Ne,
    }
}

/// A location path.
#[derive(Debug)]
struct Path {
    absolute: bool,
    steps: Vec<Step>,
}

#[derive(Debug)]
struct Step {
    /// Reached through `//`: the test applies to the node and every
    /// descendant.
    descendant: bool,
    test: Test,
    predicates: Vec<Predicate>,
}

#[derive(Debug)]
enum Test {
    Name(String),
    Attribute(String),
    Text,
    AnyNode,
    SelfNode,
    Parent,
}

#[derive(Debug)]
enum Predicate {
    Or(Box<Predicate>, Box<Predicate>),
    And(Box<Predicate>, Box<Predicate>),
    Compare(Operand, Op, Operand),
    Exists(Path),
    Position(f64),
}

#[derive(Debug)]
enum Operand {
    Literal(String),
    Number(f64),
    Position,
    /// `last()` less a number.
    Last(f64),
    Path(Path),
}

/// Longest XPath accepted: a formula's text is bounded, this bounds the
/// nesting of predicates too.
const MAX_PATH_LEN: usize = 1024;

fn parse_path(text: &str) -> Option<Path> {
    if text.len() > MAX_PATH_LEN {
        return None;
    }
    let mut p = PathParser {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let path = p.path()?;
    p.skip_space();
    (p.pos == p.chars.len()).then_some(path)
}

struct PathParser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl PathParser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n
            && self.chars[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(s.chars())
        {
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> Option<String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
        {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.chars[start..self.pos].iter().collect())
    }

    fn path(&mut self) -> Option<Path> {
        self.skip_space();
        let mut absolute = false;
        let mut descendant = false;
        if self.eat("//") {
            absolute = true;
            descendant = true;
        } else if self.eat("/") {
            absolute = true;
        }
        let mut steps = Vec::new();
        loop {
            steps.push(self.step(descendant)?);
            if self.eat("//") {
                descendant = true;
            } else if self.eat("/") {
                descendant = false;
            } else {
                break;
            }
        }
        Some(Path { absolute, steps })
    }

    fn step(&mut self, descendant: bool) -> Option<Step> {
        let test = if self.eat("..") {
            Test::Parent
        } else if self.eat(".") {
            Test::SelfNode
        } else if self.eat("@") {
            if self.eat("*") {
                Test::Attribute("*".into())
            } else {
                Test::Attribute(self.name()?)
            }
        } else if self.eat("*") {
            Test::Name("*".into())
        } else if self.eat("text()") {
            Test::Text
        } else if self.eat("node()") {
            Test::AnyNode
        } else {
            Test::Name(self.name()?)
        };
        let mut predicates = Vec::new();
        while self.eat("[") {
            self.depth += 1;
            if self.depth > 16 {
                return None;
            }
            let p = self.or()?;
            self.skip_space();
            if !self.eat("]") {
                return None;
            }
            self.depth -= 1;
            predicates.push(p);
        }
        Some(Step {
            descendant,
            test,
            predicates,
        })
    }

    fn or(&mut self) -> Option<Predicate> {
        let mut left = self.and()?;
        loop {
            self.skip_space();
            if self.eat("or ") {
                left = Predicate::Or(Box::new(left), Box::new(self.and()?));
            } else {
                return Some(left);
            }
        }
    }

    fn and(&mut self) -> Option<Predicate> {
        let mut left = self.comparison()?;
        loop {
            self.skip_space();
            if self.eat("and ") {
                left = Predicate::And(Box::new(left), Box::new(self.comparison()?));
            } else {
                return Some(left);
            }
        }
    }

    fn comparison(&mut self) -> Option<Predicate> {
        let left = self.operand()?;
        self.skip_space();
        let op = if self.eat("!=") {
            Op::Ne
        } else if self.eat("<=") {
            Op::Le
        } else if self.eat(">=") {
            Op::Ge
        } else if self.eat("=") {
            Op::Eq
        } else if self.eat("<") {
            Op::Lt
        } else if self.eat(">") {
            Op::Gt
        } else {
            return Some(match left {
                Operand::Number(n) => Predicate::Position(n),
                Operand::Last(m) => Predicate::Compare(Operand::Position, Op::Eq, Operand::Last(m)),
                Operand::Path(p) => Predicate::Exists(p),
                _ => return None,
            });
        };
        let right = self.operand()?;
        Some(Predicate::Compare(left, op, right))
    }

    fn operand(&mut self) -> Option<Operand> {
        self.skip_space();
        match self.peek()? {
            q @ ('\'' | '"') => {
                self.pos += 1;
                let start = self.pos;
                while self.peek()? != q {
                    self.pos += 1;
                }
                let s = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                Some(Operand::Literal(s))
            }
            c if c.is_ascii_digit() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
                    self.pos += 1;
                }
                let s: String = self.chars[start..self.pos].iter().collect();
                s.parse().ok().map(Operand::Number)
            }
            _ if self.eat("position()") => Some(Operand::Position),
            _ if self.eat("last()") => {
                self.skip_space();
                if self.eat("-") {
                    self.skip_space();
                    match self.operand()? {
                        Operand::Number(n) => Some(Operand::Last(n)),
                        _ => None,
                    }
                } else {
                    Some(Operand::Last(0.0))
                }
            }
            _ => self.path().map(Operand::Path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::encode_url;
    use crate::formula::testing::{eval_calc, eval_str, eval_with, num};
    use crate::formula::{Array, CalcValue};
    use crate::model::{ErrorKind, Value};

    fn t(s: &str) -> Value {
        Value::text(s)
    }

    #[test]
    fn encodeurl_escapes_all_but_unreserved() {
        assert_eq!(
            encode_url("http://contoso.sharepoint.com/teams/Finance/Documents/April Reports/Profit and Loss Statement.xlsx"),
            "http%3A%2F%2Fcontoso.sharepoint.com%2Fteams%2FFinance%2FDocuments%2FApril%20Reports%2FProfit%20and%20Loss%20Statement.xlsx"
        );
        assert_eq!(encode_url("é~"), "%C3%A9~");
        assert_eq!(eval_str("=ENCODEURL(12.5)"), t("12.5"));
        assert_eq!(eval_str("=ENCODEURL(1/0)"), Value::Error(ErrorKind::Div0));
    }

    const XML: &str = "<data><item id='1' kind=\"a\">10</item><item id='2'>twenty</item>\
        <group><item id='3' kind='a'>30</item></group><note><![CDATA[x<y]]> &amp; z</note></data>";

    fn filter(path: &str) -> CalcValue {
        eval_calc(&format!(
            "=FILTERXML(\"{}\",\"{path}\")",
            XML.replace('"', "\"\"")
        ))
    }

    fn column(values: &[Value]) -> CalcValue {
        CalcValue::Array(Array::column(values.to_vec()))
    }

    #[test]
    fn filterxml_selects_nodes() {
        assert_eq!(
            filter("//item"),
            column(&[num("10"), t("twenty"), num("30")])
        );
        assert_eq!(filter("/data/item"), column(&[num("10"), t("twenty")]));
        assert_eq!(filter("/data/item[2]"), CalcValue::Value(t("twenty")));
        assert_eq!(filter("//item[last()]"), column(&[t("twenty"), num("30")]));
        assert_eq!(
            filter("//item[@kind='a']/@id"),
            column(&[num("1"), num("3")])
        );
        assert_eq!(filter("//item[. > 15]"), CalcValue::Value(num("30")));
        assert_eq!(filter("//group/item/.."), CalcValue::Value(num("30")));
        assert_eq!(filter("//note/text()"), CalcValue::Value(t("x<y & z")));
        assert_eq!(
            filter("//item[@id='2' or @id='3']"),
            column(&[t("twenty"), num("30")])
        );
        assert_eq!(
            filter("//missing"),
            CalcValue::Value(Value::Error(ErrorKind::Value))
        );
        assert_eq!(
            filter("//item[("),
            CalcValue::Value(Value::Error(ErrorKind::Value))
        );
        assert_eq!(
            eval_str("=FILTERXML(\"<a><b></a>\",\"//b\")"),
            Value::Error(ErrorKind::Value)
        );
        assert_eq!(
            eval_str("=FILTERXML(\"<a/><b/>\",\"//b\")"),
            Value::Error(ErrorKind::Value)
        );
        // Deep nesting is walked without recursion.
        let deep = format!("{}x{}", "<a>".repeat(4000), "</a>".repeat(4000));
        assert_eq!(
            eval_with(&[("A1", deep.as_str())], "=FILTERXML(A1,\"/a\")"),
            t("x")
        );
    }
}
