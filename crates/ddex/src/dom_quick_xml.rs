//! The tree reader as it was before `dom` read documents itself: quick-xml's events into
//! `dom`'s builder. Test only: `dom`'s tests read documents with both and expect the same
//! tree, or a refusal wherever quick-xml refuses (`dom` is stricter about names).

use std::borrow::Cow;

use bumpalo::Bump;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Builder, Element, Limits, Open, ParseFailure, append};

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

/// Reads a start tag into `dom`'s builder, as `dom` did with quick-xml's events.
fn start<'a>(
    b: &mut Builder<'a, '_>,
    xml: &'a str,
    e: &BytesStart<'_>,
    here: u64,
) -> Result<Open<'a>, ParseFailure> {
    b.enter(usize::try_from(here).unwrap_or(usize::MAX))?;
    let qname =
        within(xml, e.name().0).ok_or_else(|| fail("name is not part of the document".to_owned(), here))?;
    let name = name_in(xml, e.name().0, here)?;
    b.attrs.clear();
    for attr in e.attributes() {
        let attr = attr.map_err(|err| fail(err.to_string(), here))?;
        let value = attr
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| fail(err.to_string(), here))?;
        let value = b.keep(rebase(xml, value));
        b.attrs.push((name_in(xml, attr.key.0, here)?, value));
    }
    let attrs: &'a [(&'a str, &'a str)] =
        if b.attrs.is_empty() { &[] } else { b.arena.alloc_slice_copy(&b.attrs) };
    let pos = usize::try_from(here).unwrap_or(usize::MAX);
    Ok(Open { qname, name, attrs, text: Cow::Borrowed(""), pos, first_child: b.done.len() })
}

fn text<'b, 'a>(b: &'b mut Builder<'a, '_>) -> Option<&'b mut Cow<'a, str>> {
    b.open.last_mut().map(|o| &mut o.text)
}

/// Parses a document (already without a byte-order mark) into its root element, within
/// `limits`; every element records its byte offset. The tree lives in `arena`.
pub(super) fn parse_guarded<'a>(
    xml: &'a str,
    limits: &Limits,
    arena: &'a Bump,
) -> Result<Element<'a>, ParseFailure> {
    let mut reader = Reader::from_str(xml);
    let mut b = Builder::new(arena, limits);
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
                let open = start(&mut b, xml, &e, here)?;
                b.open.push(open);
            }
            Event::Empty(e) => {
                let open = start(&mut b, xml, &e, here)?;
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
                if let Some(text) = text(&mut b) {
                    // Indentation between elements is most of a message's text events: whitespace
                    // before any text is not copied (readers trim), whitespace between entity
                    // references inside text is.
                    if !text.is_empty() || !t.as_ref().bytes().all(|c| c.is_ascii_whitespace()) {
                        append(text, rebase(xml, t.xml10_content()));
                    }
                }
            }
            Event::CData(t) => {
                if let Some(text) = text(&mut b) {
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
                if let Some(text) = text(&mut b) {
                    append(text, resolved);
                }
            }
            Event::Eof => return Err(fail("no root element".to_owned(), here)),
            _ => {}
        }
    }
}
