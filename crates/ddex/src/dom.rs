//! A minimal element tree, enough for reference checks, batch metadata and import. Names are
//! local names (namespace prefixes dropped): ERN children are unqualified, only the root
//! carries the `ern:` prefix.
//!
//! The document is tokenised here, straight from the `&str` (quick-xml's reader checked the
//! UTF-8 of every event again, a sixth of the time of a whole import); quick-xml still
//! resolves references and normalises attribute values and line ends, the rare cases that
//! need it. Tests read the same documents with quick-xml's reader (`dom_quick_xml.rs`) and
//! expect the same tree, or a refusal wherever quick-xml refuses (this reader also refuses
//! names with `<`, `&`, quotes or `/` in them, which quick-xml lets through).
//!
//! The tree borrows from the parsed text and from a [`Bump`] arena the caller owns: names are
//! slices of the text, and so are attribute values and texts unless an entity reference, a
//! CDATA section or a line-ending normalisation made them differ from the bytes in the file
//! (then they are copied into the arena). Children are gathered on one scratch stack while the
//! parser is inside their parent and moved into the arena as one slice when the parent closes,
//! so building the tree costs no allocation per element, and dropping it one free per arena
//! chunk.

use std::borrow::Cow;
use std::collections::HashSet;

use bumpalo::Bump;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesRef, BytesText};
use quick_xml::name::QName;

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

/// An element whose end tag has not been read yet, and where its children start on the
/// builder's stack of finished elements.
struct Open<'a> {
    /// The name as written (with its prefix), which the end tag must repeat.
    qname: &'a str,
    /// The local name (after the prefix).
    name: &'a str,
    attrs: &'a [(&'a str, &'a str)],
    text: Cow<'a, str>,
    pos: usize,
    first_child: usize,
}

struct Builder<'a, 'l> {
    arena: &'a Bump,
    limits: &'l Limits,
    open: Vec<Open<'a>>,
    /// Finished elements whose parent is still open, in document order.
    done: Vec<Element<'a>>,
    /// The attributes of the start tag being read, and their names as written.
    attrs: Vec<(&'a str, &'a str)>,
    keys: SeenKeys<'a>,
    count: usize,
}

/// The attribute names of one start tag, for the duplicate check: a list for the few
/// attributes real tags have, a hash set from [`SeenKeys::HASHED_FROM`] on, so that a crafted
/// tag with thousands of attributes costs no scan of the list per attribute.
#[derive(Default)]
struct SeenKeys<'a> {
    list: Vec<&'a str>,
    set: HashSet<&'a str>,
}

impl<'a> SeenKeys<'a> {
    const HASHED_FROM: usize = 16;

    fn clear(&mut self) {
        self.list.clear();
        self.set.clear();
    }

    /// Records `key`; `false` when the tag already had it.
    fn insert(&mut self, key: &'a str) -> bool {
        if self.list.len() < Self::HASHED_FROM {
            if self.list.contains(&key) {
                return false;
            }
            self.list.push(key);
            return true;
        }
        if self.set.is_empty() {
            self.set.extend(self.list.iter().copied());
        }
        self.set.insert(key)
    }
}

/// XML white space (production `S`).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Offset of the first `byte` at or after `from`.
fn find(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == byte).map(|at| at + from)
}

/// The end of the (element or attribute) name starting at `from` (white space or a byte
/// that cannot be part of a name: `/ > = < & " '`) and where its local part starts (after
/// its last `:`).
fn scan_name(bytes: &[u8], from: usize) -> (usize, usize) {
    let (mut at, mut local) = (from, from);
    while let Some(&b) = bytes.get(at) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' | b'=' | b'<' | b'&' | b'"' | b'\'' => break,
            b':' => local = at + 1,
            _ => {}
        }
        at += 1;
    }
    (at, local)
}

/// Offset of the first `needle` at or after `from`.
fn find_seq(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|at| at + from)
}

/// Offset of the first byte at or after `from` that is not white space (or the end).
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|&b| is_space(b)) {
        at += 1;
    }
    at
}

/// A piece of the document between two offsets found at ASCII delimiters (`str::get` also
/// checks they fall on character boundaries, so a bad offset is an error, never a panic).
fn slice(xml: &str, from: usize, to: usize, here: usize) -> Result<&str, ParseFailure> {
    xml.get(from..to).ok_or_else(|| failure("markup cut inside a character", here))
}

fn failure(message: impl Into<String>, pos: usize) -> ParseFailure {
    ParseFailure { message: message.into(), pos }
}

/// Text with XML 1.0 line endings normalised (`\r\n` and `\r` read as `\n`).
fn eols(text: &str) -> Cow<'_, str> {
    if text.as_bytes().contains(&b'\r') {
        BytesText::from_escaped(text).xml10_content()
    } else {
        Cow::Borrowed(text)
    }
}

fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

impl<'a, 'l> Builder<'a, 'l> {
    fn new(arena: &'a Bump, limits: &'l Limits) -> Self {
        Builder {
            arena,
            limits,
            open: Vec::with_capacity(16),
            done: Vec::with_capacity(64),
            attrs: Vec::new(),
            keys: SeenKeys::default(),
            count: 0,
        }
    }

    /// Counts the element starting at `pos` against the limits on elements and depth.
    fn enter(&mut self, pos: usize) -> Result<(), ParseFailure> {
        self.count += 1;
        if self.count > self.limits.max_elements {
            return Err(failure(format!("more than {} elements; refused", self.limits.max_elements), pos));
        }
        if self.open.len() >= self.limits.max_depth {
            return Err(failure(
                format!("elements nest deeper than {}; refused", self.limits.max_depth),
                pos,
            ));
        }
        Ok(())
    }

    fn keep(&self, text: Cow<'a, str>) -> &'a str {
        match text {
            Cow::Borrowed(text) => text,
            Cow::Owned(text) => self.arena.alloc_str(&text),
        }
    }

    /// Reads the start tag at `lt` (its `<`): returns the element it opens, whether it is
    /// empty (`/>`), and the offset after it.
    fn start(&mut self, xml: &'a str, lt: usize) -> Result<(Open<'a>, bool, usize), ParseFailure> {
        self.enter(lt)?;
        let bytes = xml.as_bytes();
        let (name_end, local_start) = scan_name(bytes, lt + 1);
        if name_end == lt + 1 || local_start == name_end {
            return Err(failure("an element without a name", lt));
        }
        let qname = slice(xml, lt + 1, name_end, lt)?;
        let name = slice(xml, local_start, name_end, lt)?;
        self.attrs.clear();
        self.keys.clear();
        let mut at = name_end;
        let empty = loop {
            at = skip_space(bytes, at);
            match bytes.get(at) {
                None => return Err(failure(format!("start tag <{qname}> is not closed"), lt)),
                Some(b'>') => {
                    at += 1;
                    break false;
                }
                Some(b'/') if bytes.get(at + 1) == Some(&b'>') => {
                    at += 2;
                    break true;
                }
                Some(_) => at = self.attribute(xml, at, lt)?,
            }
        };
        let attrs: &'a [(&'a str, &'a str)] =
            if self.attrs.is_empty() { &[] } else { self.arena.alloc_slice_copy(&self.attrs) };
        let open =
            Open { qname, name, attrs, text: Cow::Borrowed(""), pos: lt, first_child: self.done.len() };
        Ok((open, empty, at))
    }

    /// Reads one `key="value"` starting at `from` inside the start tag at `lt`; returns the
    /// offset after it. Values are normalised as XML 1.0 says (references resolved, line
    /// ends and tabs read as spaces); names are local names.
    fn attribute(&mut self, xml: &'a str, from: usize, lt: usize) -> Result<usize, ParseFailure> {
        let bytes = xml.as_bytes();
        let (key_end, local_start) = scan_name(bytes, from);
        if key_end == from || local_start == key_end {
            return Err(failure("an attribute without a name", lt));
        }
        let key = slice(xml, from, key_end, lt)?;
        let eq = skip_space(bytes, key_end);
        if bytes.get(eq) != Some(&b'=') {
            return Err(failure(format!("attribute {key:?} has no value"), lt));
        }
        let open_quote = skip_space(bytes, eq + 1);
        let quote = match bytes.get(open_quote) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => return Err(failure(format!("the value of attribute {key:?} is not quoted"), lt)),
        };
        // The closing quote, and whether the value needs normalising on the way.
        let mut close_quote = open_quote + 1;
        let mut plain = true;
        loop {
            match bytes.get(close_quote) {
                None => return Err(failure(format!("the value of attribute {key:?} is not closed"), lt)),
                Some(&b) if b == quote => break,
                Some(&b) => plain &= !matches!(b, b'&' | b'\t' | b'\n' | b'\r'),
            }
            close_quote += 1;
        }
        if !self.keys.insert(key) {
            return Err(failure(format!("attribute {key:?} appears twice"), lt));
        }
        let raw = slice(xml, open_quote + 1, close_quote, lt)?;
        let value = if !plain {
            let attr = Attribute { key: QName(key), value: Cow::Borrowed(raw) };
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| failure(err.to_string(), lt))?;
            self.keep(value)
        } else {
            raw
        };
        let name = slice(xml, local_start, key_end, lt)?;
        self.attrs.push((name, value));
        Ok(close_quote + 1)
    }

    /// Closes an element: the root, or one more child of the innermost open element.
    fn finish(&mut self, open: Open<'a>) -> Option<Element<'a>> {
        let children: &'a [Element<'a>] = match self.done.get(open.first_child..) {
            Some(finished) if !finished.is_empty() => {
                let children = self.arena.alloc_slice_copy(finished);
                self.done.truncate(open.first_child);
                children
            }
            _ => &[],
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

    /// Text between markup, without references: whitespace before any text of the element
    /// is not kept (readers trim, and indentation is most of a message's text), whitespace
    /// after text or between references is.
    fn text(&mut self, piece: &'a str) {
        if let Some(open) = self.open.last_mut()
            && (!open.text.is_empty() || !piece.bytes().all(|c| c.is_ascii_whitespace()))
        {
            append(&mut open.text, eols(piece));
        }
    }

    /// The text from `from` up to the markup at `to`, with its entity and character
    /// references resolved. Only the predefined entities exist: nothing can declare more.
    fn text_run(&mut self, xml: &'a str, from: usize, to: usize) -> Result<(), ParseFailure> {
        let bytes = xml.as_bytes();
        let mut at = from;
        while let Some(amp) = find(bytes.get(..to).unwrap_or_default(), at, b'&') {
            if amp > at {
                self.text(slice(xml, at, amp, at)?);
            }
            let semi = (amp + 1..to)
                .find(|&i| matches!(bytes.get(i), Some(b';' | b'&')))
                .filter(|&i| bytes.get(i) == Some(&b';'))
                .ok_or_else(|| failure("`&` starts no reference (`&name;` or `&#number;`)", amp))?;
            let name = slice(xml, amp + 1, semi, amp)?;
            let reference = BytesRef::new(name);
            let resolved: Cow<'a, str> = if reference.is_char_ref() {
                match reference.resolve_char_ref().map_err(|e| failure(e.to_string(), amp))? {
                    Some(c) => Cow::Owned(c.into()),
                    None => return Err(failure(format!("unknown character reference &{name};"), amp)),
                }
            } else {
                let entity = quick_xml::escape::resolve_predefined_entity(name)
                    .ok_or_else(|| failure(format!("unknown entity reference &{name};"), amp))?;
                Cow::Borrowed(entity)
            };
            if let Some(open) = self.open.last_mut() {
                append(&mut open.text, resolved);
            }
            at = semi + 1;
        }
        if to > at {
            self.text(slice(xml, at, to, at)?);
        }
        Ok(())
    }

    /// Reads the end tag at `lt`, which must close the innermost open element; returns the
    /// offset after it and the root once it is closed.
    fn end(&mut self, xml: &'a str, lt: usize) -> Result<(usize, Option<Element<'a>>), ParseFailure> {
        let bytes = xml.as_bytes();
        if let Some(open) = self.open.last() {
            let after_name = lt + 2 + open.qname.len();
            if bytes.get(lt + 2..after_name) == Some(open.qname.as_bytes()) {
                let gt = skip_space(bytes, after_name);
                if bytes.get(gt) == Some(&b'>')
                    && let Some(open) = self.open.pop()
                {
                    return Ok((gt + 1, self.finish(open)));
                }
            }
        }
        let gt = find(bytes, lt + 2, b'>').ok_or_else(|| failure("end tag is not closed", lt))?;
        let found = slice(xml, lt + 2, gt, lt)?.trim_end_matches([' ', '\t', '\n', '\r']);
        Err(match self.open.last() {
            Some(open) => failure(
                format!("ill-formed document: expected `</{}>`, but `</{found}>` was found", open.qname),
                lt,
            ),
            None => failure(format!("ill-formed document: `</{found}>` closes no element"), lt),
        })
    }
}

/// Skips a DOCTYPE declaration starting at `lt` (trusted documents only): returns the
/// offset after its closing `>`, past any internal subset, quoted literal or comment.
fn skip_doctype(bytes: &[u8], lt: usize) -> Option<usize> {
    let mut at = lt + 2;
    let mut depth = 0usize;
    loop {
        match *bytes.get(at)? {
            q @ (b'"' | b'\'') => at = find(bytes, at + 1, q)?,
            b'<' if bytes.get(at..at + 4) == Some(b"<!--") => at = find_seq(bytes, at + 4, b"-->")? + 2,
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'>' if depth == 0 => return Some(at + 1),
            _ => {}
        }
        at += 1;
    }
}

/// Parses a document (already without a byte-order mark) into its root element, within
/// `limits`; every element records its byte offset. The tree lives in `arena`.
///
/// The document is read straight from the `&str`: every piece is cut at an ASCII delimiter
/// (`<`, `>`, `&`, `;`, quotes, white space), so it is valid UTF-8 without checking again.
/// Comments and processing instructions (the XML declaration among them) are skipped;
/// CDATA sections are text; entity references resolve to the five predefined entities
/// and character references only; end tags must match their start tags; an attribute may
/// appear once per element.
pub(crate) fn parse_guarded<'a>(
    xml: &'a str,
    limits: &Limits,
    arena: &'a Bump,
) -> Result<Element<'a>, ParseFailure> {
    let bytes = xml.as_bytes();
    let mut b = Builder::new(arena, limits);
    let mut at = 0;
    loop {
        // Text up to the next markup. Most of it is indentation (white space before any text
        // of the element), which is dropped after one look at each byte.
        let mut lt = at;
        while bytes.get(lt).is_some_and(u8::is_ascii_whitespace) {
            lt += 1;
        }
        if bytes.get(lt) != Some(&b'<') || b.open.last().is_some_and(|o| !o.text.is_empty()) {
            let mut special = false;
            while let Some(&c) = bytes.get(lt) {
                if c == b'<' {
                    break;
                }
                special |= c == b'&';
                lt += 1;
            }
            if special {
                b.text_run(xml, at, lt)?;
            } else {
                b.text(slice(xml, at, lt, at)?);
            }
        }
        if lt >= bytes.len() {
            return Err(match b.open.last() {
                Some(open) => failure(format!("the document ends before `</{}>`", open.qname), bytes.len()),
                None => failure("no root element", bytes.len()),
            });
        }
        let rest = bytes.get(lt + 1..).unwrap_or_default();
        at = match rest.first() {
            Some(b'/') => {
                let (after, root) = b.end(xml, lt)?;
                if let Some(root) = root {
                    return Ok(root);
                }
                after
            }
            Some(b'?') => {
                find_seq(bytes, lt + 2, b"?>")
                    .ok_or_else(|| failure("processing instruction is not closed", lt))?
                    + 2
            }
            Some(b'!') if rest.starts_with(b"!--") => {
                find_seq(bytes, lt + 4, b"-->").ok_or_else(|| failure("comment is not closed", lt))? + 3
            }
            Some(b'!') if rest.starts_with(b"![CDATA[") => {
                let end = find_seq(bytes, lt + 9, b"]]>")
                    .ok_or_else(|| failure("CDATA section is not closed", lt))?;
                let content = slice(xml, lt + 9, end, lt)?;
                if let Some(open) = b.open.last_mut() {
                    append(&mut open.text, eols(content));
                }
                end + 3
            }
            Some(b'!') if rest.get(1..8).is_some_and(|k| k.eq_ignore_ascii_case(b"DOCTYPE")) => {
                if limits.refuse_doctype {
                    return Err(failure(
                        "a DOCTYPE declaration is not allowed (entity declarations are refused)",
                        lt,
                    ));
                }
                skip_doctype(bytes, lt).ok_or_else(|| failure("DOCTYPE declaration is not closed", lt))?
            }
            Some(b'!') => return Err(failure("`<!` starts no comment, CDATA section or DOCTYPE", lt)),
            Some(_) => {
                let (open, empty, after) = b.start(xml, lt)?;
                if empty {
                    if let Some(root) = b.finish(open) {
                        return Ok(root);
                    }
                } else {
                    b.open.push(open);
                }
                after
            }
            None => return Err(failure("`<` at the end of the document", lt)),
        };
    }
}

#[cfg(test)]
#[path = "dom_quick_xml.rs"]
mod quick_xml_reader;

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `xml` with this module and with quick-xml's reader (what `dom` used before):
    /// the same tree, or both refuse (at the same line).
    fn same_as_quick_xml(xml: &str, limits: &Limits) {
        let (ours, theirs) = (Bump::new(), Bump::new());
        let line = |pos: usize| xml.get(..pos).map_or(0, |b| b.matches('\n').count());
        match (parse_guarded(xml, limits, &ours), quick_xml_reader::parse_guarded(xml, limits, &theirs)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{xml}"),
            (Err(a), Err(b)) => assert_eq!(line(a.pos), line(b.pos), "{a:?} {b:?} {xml}"),
            (a, b) => panic!("{xml}\nthis reader: {a:?}\nquick-xml: {b:?}"),
        }
    }

    #[test]
    fn reads_what_quick_xml_reads_and_refuses_what_it_refuses() {
        let cases = [
            "<A/>",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->\n<A>x</A>",
            "<a:A xmlns:a='n' b = \"1\"\tc='2'><B>t</B ><B/><a:C d=\"&lt;&#x41;&#66;\"/></a:A>",
            "<A k=\"a\tb\r\nc\nd\">\r\n  <B>one\r\ntwo\rthree</B>\r\n</A>",
            "<A><B>  lead &amp; trail  </B><B>&lt;&gt;&apos;&quot;</B><B>  &amp;</B></A>",
            "<A><B><![CDATA[<raw> & \r\n]]>tail</B><B>x<!-- gap -->y</B><B>x<?pi?>y</B></A>",
            "<A><A><A>deep</A></A><A/></A>",
            "<A>mixed<B>child</B>text</A>",
            "text before<A/>",
            "<A>caf\u{e9} \u{1f3b5}</A>",
            "<A k='\u{e9}'>\u{e9}&#233;</A>",
            "<!DOCTYPE A [<!ENTITY e \"x\"> <!-- ] > -->]><A>y</A>",
            // Refused by both.
            "",
            "just text",
            "<A>",
            "<A></B>",
            "<A><B></A></B>",
            "</A>",
            "<A>&unknown;</A>",
            "<A>& x</A>",
            "<A>&amp</A>",
            "<A>&#0;</A>",
            "<A>&#xZZ;</A>",
            "<A k='&nope;'/>",
            "<A k=\"1\" k=\"2\"/>",
            "<A k/>",
            "<A k=1/>",
            "<A k=\"1/>",
            "<A",
            "<A><!-- open</A>",
            "<A><![CDATA[open</A>",
            "<A><?pi</A>",
            "<A><!WHAT></A>",
            "<A>x</A",
        ];
        for xml in cases {
            same_as_quick_xml(xml, &Limits::TRUSTED);
            same_as_quick_xml(xml, &Limits::UNTRUSTED);
        }
        let bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE l [<!ENTITY l \"l\">]>\n<l>&l;</l>";
        same_as_quick_xml(bomb, &Limits::UNTRUSTED);
        let deep = format!("{}{}", "<a>".repeat(100), "</a>".repeat(100));
        same_as_quick_xml(&deep, &Limits::UNTRUSTED);
        same_as_quick_xml(&deep, &Limits::TRUSTED);
        let many = Limits { max_elements: 3, ..Limits::UNTRUSTED };
        same_as_quick_xml("<a><b/><c/></a>", &many);
        same_as_quick_xml("<a><b/><c/><d/></a>", &many);
    }

    #[test]
    fn a_duplicate_among_many_attributes_is_refused() {
        let tag = |names: &[usize]| {
            let attrs: Vec<String> = names.iter().map(|n| format!("a{n}=\"{n}\"")).collect();
            format!("<A {}/>", attrs.join(" "))
        };
        let distinct: Vec<usize> = (0..2000).collect();
        // Past the list the check starts with: the repeat of an early name and of a late one.
        for repeated in [3, 1500] {
            let mut names = distinct.clone();
            names.push(repeated);
            let xml = tag(&names);
            let refused = parse_guarded(&xml, &Limits::UNTRUSTED, &Bump::new()).expect_err("duplicate");
            assert_eq!(refused.message, format!("attribute \"a{repeated}\" appears twice"));
            same_as_quick_xml(&xml, &Limits::UNTRUSTED);
        }
        let xml = tag(&distinct);
        same_as_quick_xml(&xml, &Limits::UNTRUSTED);
        let arena = Bump::new();
        let root = parse_guarded(&xml, &Limits::UNTRUSTED, &arena).expect("distinct names");
        assert_eq!(root.attrs.len(), 2000);
        // A tag that starts a second element forgets the first one's names.
        same_as_quick_xml(&format!("<R>{}{}</R>", tag(&distinct), tag(&distinct)), &Limits::UNTRUSTED);
    }

    #[test]
    fn reads_ddex_samples_as_quick_xml_does() {
        let dir = std::env::var_os("CATNO_DDEX_SCHEMAS")
            .map_or_else(|| std::path::PathBuf::from("../../../shared/ddex"), std::path::PathBuf::from)
            .join("samples");
        let mut read = 0;
        for version in ["ern43", "ern382"] {
            let Ok(files) = std::fs::read_dir(dir.join(version)) else { continue };
            for file in files.flatten() {
                let Ok(xml) = std::fs::read_to_string(file.path()) else { continue };
                let xml = xml.trim_start_matches('\u{feff}');
                same_as_quick_xml(xml, &Limits::UNTRUSTED);
                // Cut anywhere, a document is refused by both.
                for cut in [xml.len() / 3, xml.len() / 2, xml.len() - 2] {
                    if let Some(part) = xml.get(..cut) {
                        same_as_quick_xml(part, &Limits::UNTRUSTED);
                    }
                }
                read += 1;
            }
        }
        if read == 0 {
            eprintln!("SKIPPED: no DDEX samples at {} (set CATNO_DDEX_SCHEMAS)", dir.display());
        }
    }

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

    #[test]
    fn damaged_samples_are_refused_at_least_where_quick_xml_refuses_them() {
        let path = std::env::var_os("CATNO_DDEX_SCHEMAS")
            .map_or_else(|| std::path::PathBuf::from("../../../shared/ddex"), std::path::PathBuf::from)
            .join("samples/ern43/4 SimpleAudioSingle.xml");
        let Ok(xml) = std::fs::read_to_string(&path) else {
            eprintln!("SKIPPED: no DDEX sample at {} (set CATNO_DDEX_SCHEMAS)", path.display());
            return;
        };
        let xml = xml.trim_start_matches('\u{feff}');
        let pieces = [
            "<",
            ">",
            "&",
            ";",
            "\"",
            "'",
            "/",
            "=",
            " ",
            "\r",
            "]]>",
            "<!--",
            "-->",
            "<![CDATA[",
            "&amp;",
            "&#65;",
            ":",
            "<?",
            "?>",
            "</",
            "/>",
            "\u{e9}",
            "\t",
            "\n",
        ];
        // A fixed xorshift sequence: the same damage on every run.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % 1_000_000_007).unwrap_or_default()
        };
        let mut compared = 0;
        for _ in 0..150 {
            let mut doc = xml.to_owned();
            for _ in 0..=next() % 3 {
                let mut at = next() % doc.len();
                while !doc.is_char_boundary(at) {
                    at -= 1;
                }
                if next() % 4 == 0 {
                    let mut end = (at + 1 + next() % 3).min(doc.len());
                    while !doc.is_char_boundary(end) {
                        end += 1;
                    }
                    doc.replace_range(at..end, "");
                } else {
                    doc.insert_str(at, pieces.get(next() % pieces.len()).copied().unwrap_or("<"));
                }
            }
            let (ours, theirs) = (Bump::new(), Bump::new());
            match (
                parse_guarded(&doc, &Limits::UNTRUSTED, &ours),
                quick_xml_reader::parse_guarded(&doc, &Limits::UNTRUSTED, &theirs),
            ) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{doc}");
                    compared += 1;
                }
                (Ok(_), Err(e)) => panic!("quick-xml refuses ({e:?}), this reader does not:\n{doc}"),
                // Stricter than quick-xml on names: `<a b/c="1">` is refused here.
                (Err(_), _) => {}
            }
        }
        assert!(compared > 30, "most damage is to text, which both read: {compared} of 150");
    }
}
