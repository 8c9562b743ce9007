//! The tree reader as it was before `dom` read documents itself: quick-xml's reader and
//! the same builder. Test only: `dom`'s tests read documents with both and expect the same
//! tree, or a refusal wherever quick-xml refuses (`dom` is stricter about names).

use std::borrow::Cow;

use bumpalo::Bump;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Element, Limits, ParseFailure};

fn parse_err(message: String) -> String {
    crate::error::DdexError::Parse { context: "ERN message".to_owned(), message }.to_string()
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
            let attr = attr.map_err(|err| fail(parse_err(err.to_string()), here))?;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| fail(parse_err(err.to_string()), here))?;
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
pub(super) fn parse_guarded<'a>(
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
