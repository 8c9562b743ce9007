//! Requests as the handlers see them, replies, error bodies, paging and the JSON helpers shared by
//! the handlers.

use crate::config::ErrorFormat;
use bytes::Bytes;
use serde_json::{Map, Value, json};

/// One uploaded part of a multipart body. `data` is kept only where the fake must serve the file
/// back (images); audio is summarised by size and digest (F10).
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub name: Option<String>,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub size: u64,
    pub sha256: String,
    pub data: Option<Bytes>,
}

#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    Json(Value),
    /// A body that is not JSON (or not valid JSON); kept so handlers can name the problem.
    Text(String),
    Binary(Bytes),
    Multipart(Vec<Part>),
    /// A multipart body that could not be parsed.
    BadMultipart(String),
}

/// A local file fetched for `pullexternal` before the state lock is taken.
#[derive(Debug, Clone)]
pub(crate) struct Prefetched {
    pub url: String,
    pub result: Result<(u64, String), String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ApiRequest {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Body,
    pub prefetched: Option<Prefetched>,
}

impl ApiRequest {
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Values of a repeated (`a=1&a=2`) or index-encoded (`a[0]=1&a[1]=2`) parameter.
    pub fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| {
                k.eq_ignore_ascii_case(name)
                    || k.strip_prefix(name).is_some_and(|rest| rest.starts_with('[') && rest.ends_with(']'))
            })
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn json_body(&self) -> Result<&Value, ApiError> {
        match &self.body {
            Body::Json(value) => Ok(value),
            Body::Empty => Err(ApiError::bad_request("The request body is empty; a JSON body is required.")),
            Body::Text(text) => Err(ApiError::bad_request(format!(
                "The request body is not valid JSON: {}",
                text.chars().take(80).collect::<String>()
            ))),
            _ => Err(ApiError::bad_request("Expected a JSON body (Content-Type: application/json).")),
        }
    }

    pub fn json_object(&self) -> Result<&Map<String, Value>, ApiError> {
        self.json_body()?
            .as_object()
            .ok_or_else(|| ApiError::bad_request("The request body must be a JSON object."))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub status: u16,
    pub title: String,
    /// `(field, message)` pairs, rendered as ProblemDetails `errors`.
    pub errors: Vec<(String, String)>,
    /// Extra JSON (e.g. blocking validation issues) rendered as ProblemDetails `issues`.
    pub issues: Option<Value>,
}

impl ApiError {
    pub fn new(status: u16, title: impl Into<String>) -> Self {
        Self { status, title: title.into(), errors: Vec::new(), issues: None }
    }
    pub fn bad_request(title: impl Into<String>) -> Self {
        Self::new(400, title)
    }
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self { status: 400, title: message.clone(), errors: vec![(field.to_owned(), message)], issues: None }
    }
    pub fn unauthorized(title: impl Into<String>) -> Self {
        Self::new(401, title)
    }
    pub fn forbidden(title: impl Into<String>) -> Self {
        Self::new(403, title)
    }
    pub fn not_found(title: impl Into<String>) -> Self {
        Self::new(404, title)
    }
}

/// A successful answer.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    Json(u16, Value),
    Empty(u16),
    Raw { status: u16, content_type: String, body: Bytes },
}

impl Reply {
    pub fn ok(value: Value) -> Self {
        Reply::Json(200, value)
    }
}

/// Status, content type and body of a reply ready for the wire.
pub(crate) struct Rendered {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
    pub headers: Vec<(String, String)>,
}

impl Rendered {
    pub fn from_reply(reply: Reply) -> Self {
        match reply {
            Reply::Json(status, value) => Rendered {
                status,
                content_type: Some("application/json; charset=utf-8".into()),
                body: Bytes::from(value.to_string()),
                headers: Vec::new(),
            },
            Reply::Empty(status) => {
                Rendered { status, content_type: None, body: Bytes::new(), headers: Vec::new() }
            }
            Reply::Raw { status, content_type, body } => {
                Rendered { status, content_type: Some(content_type), body, headers: Vec::new() }
            }
        }
    }

    pub fn from_error(error: &ApiError, format: ErrorFormat) -> Self {
        let (content_type, body) = match format {
            ErrorFormat::ProblemDetails => {
                let mut errors = Map::new();
                for (field, message) in &error.errors {
                    let entry = errors.entry(field.clone()).or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(list) = entry {
                        list.push(Value::String(message.clone()));
                    }
                }
                let mut body = json!({
                    "type": format!("https://tools.ietf.org/html/rfc9110#section-15.{}", rfc_section(error.status)),
                    "title": error.title,
                    "status": error.status,
                });
                if !errors.is_empty() {
                    body["errors"] = Value::Object(errors);
                }
                if let Some(issues) = &error.issues {
                    body["issues"] = issues.clone();
                }
                ("application/problem+json; charset=utf-8", body.to_string())
            }
            ErrorFormat::Message => {
                ("application/json; charset=utf-8", json!({ "message": error.title }).to_string())
            }
            ErrorFormat::PlainText => ("text/plain; charset=utf-8", error.title.clone()),
        };
        Rendered {
            status: error.status,
            content_type: Some(content_type.into()),
            body: Bytes::from(body),
            headers: Vec::new(),
        }
    }
}

fn rfc_section(status: u16) -> &'static str {
    match status {
        400 => "5.1",
        401 => "5.2",
        403 => "5.4",
        404 => "5.5",
        409 => "5.10",
        429 => "5.29",
        _ => "6.1",
    }
}

/// `pageNumber` (1-based) and `pageSize`, clamped to the cap (10.2.12).
pub(crate) struct Page {
    pub number: u32,
    pub size: u32,
}

impl Page {
    pub fn from_request(request: &ApiRequest, cap: u32) -> Result<Self, ApiError> {
        let parse = |name: &str, alias: &str, default: u32| -> Result<u32, ApiError> {
            match request.query_value(name).or_else(|| request.query_value(alias)) {
                None | Some("") => Ok(default),
                Some(text) => text.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    ApiError::field(name, format!("{name} must be a positive integer, got {text:?}."))
                }),
            }
        };
        let number = parse("pageNumber", "options.pageNumber", 1)?;
        let size = parse("pageSize", "options.pageSize", crate::assumptions::DEFAULT_PAGE_SIZE)?;
        Ok(Page { number, size: size.min(cap.max(1)) })
    }

    /// The documented envelope around one page of `items`.
    pub fn envelope(&self, items: Vec<Value>, additional_counters: Value) -> Value {
        self.envelope_of(items, |item| item, additional_counters)
    }

    /// Like [`Page::envelope`], rendering only the items on the page (lists can hold thousands).
    pub fn envelope_of<T>(
        &self,
        items: Vec<T>,
        render: impl FnMut(T) -> Value,
        additional_counters: Value,
    ) -> Value {
        let total = items.len();
        let start = (self.number as usize - 1).saturating_mul(self.size as usize);
        let page: Vec<Value> = items.into_iter().skip(start).take(self.size as usize).map(render).collect();
        json!({
            "totalItemsCount": total,
            "pageNumber": self.number,
            "pageSize": self.size,
            "items": page,
            "additionalCounters": additional_counters,
        })
    }
}

pub(crate) const ZERO_GUID: &str = "00000000-0000-0000-0000-000000000000";

pub(crate) fn is_zero_guid(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c == '0' || c == '-')
}

/// Drops `null` values and empty arrays: omitted and null/empty are the same thing to a
/// whole-object replace, and GET renders both the same way.
pub(crate) fn normalized(map: &Map<String, Value>, strip: &[&str]) -> Map<String, Value> {
    map.iter()
        .filter(|(key, _)| !strip.iter().any(|s| s.eq_ignore_ascii_case(key)))
        .filter(|(_, value)| !value.is_null() && !matches!(value, Value::Array(a) if a.is_empty()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// An integer field that may be absent; strings are refused so wire-type drift is caught.
pub(crate) fn optional_int(map: &Map<String, Value>, field: &str) -> Result<Option<i64>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::field(field, format!("{field} must be an integer, got {n}."))),
        Some(other) => Err(ApiError::field(field, format!("{field} must be an integer, got {other}."))),
    }
}

pub(crate) fn str_field<'a>(map: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    map.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

pub(crate) fn array_field<'a>(map: &'a Map<String, Value>, field: &str) -> &'a [Value] {
    map.get(field).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
}
