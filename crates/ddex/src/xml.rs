//! A thin layer over quick-xml's writer: indentation, escaping and attribute order are
//! quick-xml's, so the only ordering decisions left are the callers' (which follow the XSDs).

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::error::DdexError;

pub(crate) struct Xml {
    writer: Writer<Vec<u8>>,
    // quick-xml reports io errors per call; writing into a Vec cannot fail in practice, so the
    // first error is kept and reported once by `finish` instead of threading `?` everywhere.
    error: Option<std::io::Error>,
}

impl Xml {
    pub(crate) fn new() -> Self {
        let mut xml = Xml { writer: Writer::new_with_indent(Vec::new(), b' ', 2), error: None };
        let decl = BytesDecl::new("1.0", Some("UTF-8"), None);
        xml.record(|w| w.write_event(Event::Decl(decl)));
        xml
    }

    fn record(&mut self, f: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>) {
        if self.error.is_none()
            && let Err(e) = f(&mut self.writer)
        {
            self.error = Some(e);
        }
    }

    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        let mut start = BytesStart::new(name);
        for attr in attrs {
            start.push_attribute(*attr);
        }
        self.record(|w| w.write_event(Event::Start(start)));
    }

    pub(crate) fn close(&mut self, name: &str) {
        self.record(|w| w.write_event(Event::End(BytesEnd::new(name))));
    }

    /// `<name attrs>text</name>` on one line.
    pub(crate) fn leaf_with(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.record(|w| w.write_event(Event::Text(BytesText::new(text))));
        self.close(name);
    }

    pub(crate) fn leaf(&mut self, name: &str, text: &str) {
        self.leaf_with(name, &[], text);
    }

    pub(crate) fn opt_leaf(&mut self, name: &str, text: Option<&str>) {
        if let Some(text) = text {
            self.leaf(name, text);
        }
    }

    pub(crate) fn finish(self) -> Result<String, DdexError> {
        if let Some(e) = self.error {
            return Err(DdexError::Write(e.to_string()));
        }
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        String::from_utf8(bytes).map_err(|e| DdexError::Write(e.to_string()))
    }
}
