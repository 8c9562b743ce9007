//! A minimal element tree read with quick-xml, enough for reference checks, batch metadata
//! and import. Names are local names (namespace prefixes dropped): ERN children are
//! unqualified, only the root carries the `ern:` prefix.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::DdexError;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
    /// Byte offset of the start tag in the parsed text, for findings with line and column.
    pub pos: usize,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Follows a path of child names, first match at each step.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// Every descendant (depth first, document order) with this name.
    pub fn descendants<'a>(&'a self, name: &str, out: &mut Vec<&'a Element>) {
        for c in &self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants(name, out);
        }
    }
}

fn local(name: &str) -> String {
    match name.rsplit_once(':') {
        Some((_, local)) => local.to_owned(),
        None => name.to_owned(),
    }
}

fn start(e: &BytesStart<'_>) -> Result<Element, DdexError> {
    let mut attrs = Vec::new();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| parse_err(err.to_string()))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| parse_err(err.to_string()))?;
        attrs.push((local(attr.key.as_ref()), value.into_owned()));
    }
    Ok(Element { name: local(e.name().as_ref()), attrs, ..Element::default() })
}

fn parse_err(message: String) -> DdexError {
    DdexError::Parse { context: "ERN message".to_owned(), message }
}

/// Parses a document into its root element.
pub(crate) fn parse(xml: &str) -> Result<Element, DdexError> {
    parse_guarded(xml.trim_start_matches('\u{feff}'), &Limits::TRUSTED)
        .map_err(|e| parse_err(format!("at byte {}: {}", e.pos, e.message)))
}

/// What an untrusted document may contain before parsing stops.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Deepest element nesting (ERN messages nest about 12 deep).
    pub max_depth: usize,
    /// Most elements in one document: bounds the tree's memory whatever the file size.
    pub max_elements: usize,
    /// Refuse `<!DOCTYPE ...>`: ERN never needs one, and it is how entity expansion
    /// (billion laughs) and external entities get in.
    pub refuse_doctype: bool,
}

impl Limits {
    /// For messages Catno wrote itself or already holds in memory.
    pub const TRUSTED: Limits =
        Limits { max_depth: usize::MAX, max_elements: usize::MAX, refuse_doctype: false };
    /// For files from elsewhere (import).
    pub const UNTRUSTED: Limits = Limits { max_depth: 64, max_elements: 2_000_000, refuse_doctype: true };
}

/// Why a document was not read: the message and the byte offset it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseFailure {
    pub message: String,
    pub pos: usize,
}

fn fail(message: String, pos: u64) -> ParseFailure {
    ParseFailure { message, pos: usize::try_from(pos).unwrap_or(usize::MAX) }
}

fn open(
    e: &BytesStart<'_>,
    here: u64,
    depth: usize,
    count: &mut usize,
    limits: &Limits,
) -> Result<Element, ParseFailure> {
    *count += 1;
    if *count > limits.max_elements {
        return Err(fail(format!("more than {} elements; refused", limits.max_elements), here));
    }
    if depth >= limits.max_depth {
        return Err(fail(format!("elements nest deeper than {}; refused", limits.max_depth), here));
    }
    let mut el = start(e).map_err(|err| fail(err.to_string(), here))?;
    el.pos = usize::try_from(here).unwrap_or(usize::MAX);
    Ok(el)
}

/// Parses a document (already without a byte-order mark) into its root element, within
/// `limits`; every element records its byte offset.
pub(crate) fn parse_guarded(xml: &str, limits: &Limits) -> Result<Element, ParseFailure> {
    let mut reader = Reader::from_str(xml);
    let mut stack: Vec<Element> = Vec::new();
    let mut count = 0usize;
    loop {
        let here = reader.buffer_position();
        let event = reader.read_event().map_err(|e| fail(e.to_string(), reader.error_position()))?;
        match event {
            Event::DocType(_) if limits.refuse_doctype => {
                return Err(fail(
                    "a DOCTYPE declaration is not allowed (entity declarations are refused)".to_owned(),
                    here,
                ));
            }
            Event::Start(e) => {
                let el = open(&e, here, stack.len(), &mut count, limits)?;
                stack.push(el);
            }
            Event::Empty(e) => {
                let el = open(&e, here, stack.len(), &mut count, limits)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::End(_) => {
                let Some(el) = stack.pop() else { return Err(fail("unbalanced end tag".to_owned(), here)) };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::Text(t) => {
                if let Some(el) = stack.last_mut() {
                    // Indentation between elements is most of a message's text events: whitespace
                    // before any text is not copied (readers trim), whitespace between entity
                    // references inside text is.
                    if !el.text.is_empty() || !t.as_ref().bytes().all(|b| b.is_ascii_whitespace()) {
                        el.text.push_str(&t.xml10_content());
                    }
                }
            }
            Event::CData(t) => {
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                let resolved = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| fail(e.to_string(), here))?.map(String::from)
                } else {
                    quick_xml::escape::resolve_predefined_entity(r.as_ref()).map(str::to_owned)
                };
                let resolved =
                    resolved.ok_or_else(|| fail(format!("unknown entity reference &{};", &*r), here))?;
                if let Some(el) = stack.last_mut() {
                    el.text.push_str(&resolved);
                }
            }
            Event::Eof => return Err(fail("no root element".to_owned(), here)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_with_entities_and_local_names() -> Result<(), DdexError> {
        let root = parse(
            r#"<?xml version="1.0"?><ern:A xmlns:ern="x" k="v&amp;w"><B>Tom &amp; Jerry &#169;</B><C/></ern:A>"#,
        )?;
        assert_eq!(root.name, "A");
        assert_eq!(root.attr("k"), Some("v&w"));
        assert_eq!(root.child_text("B"), Some("Tom & Jerry ©"));
        assert!(root.child("C").is_some());
        let spaced = parse("<A>\n  <B>x &amp; &#169; y</B>\n</A>")?;
        assert_eq!(spaced.child_text("B"), Some("x & © y"), "spaces between references are text");
        assert_eq!(spaced.text, "", "indentation is not");
        Ok(())
    }
}
