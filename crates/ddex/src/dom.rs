//! A minimal element tree read with quick-xml, enough for reference checks, batch metadata
//! and import. Names are local names (namespace prefixes dropped): ERN children are
//! unqualified, only the root carries the `ern:` prefix.
//!
//! The tree borrows from the parsed text and from a [`Bump`] arena the caller owns: names are
//! slices of the text, and so are attribute values and texts unless an entity reference, a
//! CDATA section or a line-ending normalisation made them differ from the bytes in the file
//! (then they are copied into the arena). Children are gathered on one scratch stack while the
//! parser is inside their parent and moved into the arena as one slice when the parent closes,
//! so building the tree costs no allocation per element, and dropping it one free per arena
//! chunk.

use std::borrow::Cow;

use bumpalo::Bump;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::DdexError;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Element<'a> {
    pub name: &'a str,
    pub attrs: &'a [(&'a str, &'a str)],
    pub children: &'a [Element<'a>],
    pub text: &'a str,
    /// Byte offset of the start tag in the parsed text, for findings with line and column.
    pub pos: usize,
}

impl<'a> Element<'a> {
    pub fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    pub fn child(&self, name: &str) -> Option<&'a Element<'a>> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'s>(&self, name: &'s str) -> impl Iterator<Item = &'a Element<'a>> + 's
    where
        'a: 's,
    {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Text of the first child with this name.
    pub fn child_text(&self, name: &str) -> Option<&'a str> {
        self.child(name).map(|c| c.text)
    }

    /// Follows a path of child names, first match at each step.
    pub fn at<'s>(&'s self, path: &[&str]) -> Option<&'s Element<'a>> {
        path.iter().try_fold(self, |el, name| el.child(name))
    }

    /// Every descendant (depth first, document order) with this name.
    pub fn descendants(&self, name: &str, out: &mut Vec<&'a Element<'a>>) {
        for c in self.children {
            if c.name == name {
                out.push(c);
            }
            c.descendants(name, out);
        }
    }
}

/// The part of a qualified name after its last `:`.
fn local(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or(name),
        None => name,
    }
}

/// `part` as a slice of `xml` with `xml`'s lifetime, when `part` lies inside `xml` (quick-xml
/// reading a `&str` hands out slices of it; this gets them back without copying or checking
/// their UTF-8 again).
fn within<'a>(xml: &'a str, part: &str) -> Option<&'a str> {
    let start = part.as_ptr().addr().checked_sub(xml.as_ptr().addr())?;
    xml.get(start..start.checked_add(part.len())?)
}

fn rebase<'a>(xml: &'a str, text: Cow<'_, str>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(part) => within(xml, part).map_or_else(|| Cow::Owned(part.to_owned()), Cow::Borrowed),
        Cow::Owned(text) => Cow::Owned(text),
    }
}

fn name_in<'a>(xml: &'a str, name: &str, here: u64) -> Result<&'a str, ParseFailure> {
    within(xml, local(name)).ok_or_else(|| fail(format!("name {name:?} is not part of the document"), here))
}

fn parse_err(message: String) -> DdexError {
    DdexError::Parse { context: "ERN message".to_owned(), message }
}

/// Parses a document into its root element.
pub(crate) fn parse<'a>(xml: &'a str, arena: &'a Bump) -> Result<Element<'a>, DdexError> {
    parse_guarded(xml.trim_start_matches('\u{feff}'), &Limits::TRUSTED, arena)
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

/// An element whose end tag has not been read yet, and where its children start on the
/// builder's stack of finished elements.
struct Open<'a> {
    name: &'a str,
    attrs: &'a [(&'a str, &'a str)],
    text: Cow<'a, str>,
    pos: usize,
    first_child: usize,
}

struct Builder<'a, 'l> {
    xml: &'a str,
    arena: &'a Bump,
    limits: &'l Limits,
    open: Vec<Open<'a>>,
    /// Finished elements whose parent is still open, in document order.
    done: Vec<Element<'a>>,
    /// The attributes of the start tag being read.
    attrs: Vec<(&'a str, &'a str)>,
    count: usize,
}

impl<'a> Builder<'a, '_> {
    fn keep(&self, text: Cow<'a, str>) -> &'a str {
        match text {
            Cow::Borrowed(text) => text,
            Cow::Owned(text) => self.arena.alloc_str(&text),
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, here: u64) -> Result<Open<'a>, ParseFailure> {
        self.count += 1;
        if self.count > self.limits.max_elements {
            return Err(fail(format!("more than {} elements; refused", self.limits.max_elements), here));
        }
        if self.open.len() >= self.limits.max_depth {
            return Err(fail(format!("elements nest deeper than {}; refused", self.limits.max_depth), here));
        }
        let name = name_in(self.xml, e.name().0, here)?;
        self.attrs.clear();
        for attr in e.attributes() {
            let attr = attr.map_err(|err| fail(parse_err(err.to_string()).to_string(), here))?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| fail(parse_err(err.to_string()).to_string(), here))?;
            let value = self.keep(rebase(self.xml, value));
            self.attrs.push((name_in(self.xml, attr.key.0, here)?, value));
        }
        let attrs: &'a [(&'a str, &'a str)] =
            if self.attrs.is_empty() { &[] } else { self.arena.alloc_slice_copy(&self.attrs) };
        let pos = usize::try_from(here).unwrap_or(usize::MAX);
        Ok(Open { name, attrs, text: Cow::Borrowed(""), pos, first_child: self.done.len() })
    }

    /// Closes an element: the root, or one more child of the innermost open element.
    fn finish(&mut self, open: Open<'a>) -> Option<Element<'a>> {
        let children: &'a [Element<'a>] = if open.first_child < self.done.len() {
            self.arena.alloc_slice_fill_iter(self.done.drain(open.first_child..))
        } else {
            &[]
        };
        let element = Element {
            name: open.name,
            attrs: open.attrs,
            children,
            text: self.keep(open.text),
            pos: open.pos,
        };
        if self.open.is_empty() {
            return Some(element);
        }
        self.done.push(element);
        None
    }

    fn text(&mut self) -> Option<&mut Cow<'a, str>> {
        self.open.last_mut().map(|o| &mut o.text)
    }
}

fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

/// Parses a document (already without a byte-order mark) into its root element, within
/// `limits`; every element records its byte offset. The tree lives in `arena`.
pub(crate) fn parse_guarded<'a>(
    xml: &'a str,
    limits: &Limits,
    arena: &'a Bump,
) -> Result<Element<'a>, ParseFailure> {
    let mut reader = Reader::from_str(xml);
    let mut b =
        Builder { xml, arena, limits, open: Vec::new(), done: Vec::new(), attrs: Vec::new(), count: 0 };
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
                let open = b.start(&e, here)?;
                b.open.push(open);
            }
            Event::Empty(e) => {
                let open = b.start(&e, here)?;
                if let Some(root) = b.finish(open) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                let Some(open) = b.open.pop() else {
                    return Err(fail("unbalanced end tag".to_owned(), here));
                };
                if let Some(root) = b.finish(open) {
                    return Ok(root);
                }
            }
            Event::Text(t) => {
                let xml = b.xml;
                if let Some(text) = b.text() {
                    // Indentation between elements is most of a message's text events: whitespace
                    // before any text is not copied (readers trim), whitespace between entity
                    // references inside text is.
                    if !text.is_empty() || !t.as_ref().bytes().all(|c| c.is_ascii_whitespace()) {
                        append(text, rebase(xml, t.xml10_content()));
                    }
                }
            }
            Event::CData(t) => {
                let xml = b.xml;
                if let Some(text) = b.text() {
                    append(text, rebase(xml, t.xml10_content()));
                }
            }
            Event::GeneralRef(r) => {
                let resolved: Option<Cow<'a, str>> = if r.is_char_ref() {
                    r.resolve_char_ref().map_err(|e| fail(e.to_string(), here))?.map(|c| Cow::Owned(c.into()))
                } else {
                    quick_xml::escape::resolve_predefined_entity(r.as_ref()).map(Cow::Borrowed)
                };
                let resolved =
                    resolved.ok_or_else(|| fail(format!("unknown entity reference &{};", &*r), here))?;
                if let Some(text) = b.text() {
                    append(text, resolved);
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
        let arena = Bump::new();
        let root = parse(
            r#"<?xml version="1.0"?><ern:A xmlns:ern="x" k="v&amp;w"><B>Tom &amp; Jerry &#169;</B><C/></ern:A>"#,
            &arena,
        )?;
        assert_eq!(root.name, "A");
        assert_eq!(root.attr("k"), Some("v&w"));
        assert_eq!(root.child_text("B"), Some("Tom & Jerry ©"));
        assert!(root.child("C").is_some());
        let spaced = parse("<A>\n  <B>x &amp; &#169; y</B>\n</A>", &arena)?;
        assert_eq!(spaced.child_text("B"), Some("x & © y"), "spaces between references are text");
        assert_eq!(spaced.text, "", "indentation is not");
        Ok(())
    }
}
