//! Tables for people, JSON for scripts. JSON keys are snake_case (`track_count`, `duration_ms`)
//! whatever the Rust or IPC spelling, so scripts see one stable style.

use catno_core::ReleaseDetail;
use catno_core::domain::{Track, format_duration_ms};
use serde::Serialize;
use serde_json::Value;

pub struct Output {
    pub json: bool,
}

pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Self {
        Self { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: rows.collect() }
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let line = |cells: &[String]| {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| format!("{c:<w$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_owned()
        };
        let mut out = line(&self.header);
        for row in &self.rows {
            out.push('\n');
            out.push_str(&line(row));
        }
        out
    }
}

impl Output {
    pub fn list<T: Serialize>(&self, items: &[T], table: Table) {
        if self.json {
            print_json(items);
        } else {
            println!("{}", table.render());
        }
    }

    pub fn detail<T: Serialize>(&self, value: &T, text: &str) {
        if self.json {
            print_json(value);
        } else {
            println!("{text}");
        }
    }

    pub fn message<T: Serialize>(&self, value: &T, text: &str) {
        self.detail(value, text);
    }
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    let value = serde_json::to_value(value).map(snake_keys).unwrap_or(Value::Null);
    println!("{}", serde_json::to_string_pretty(&value).unwrap_or_default());
}

fn snake_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (snake(&k), snake_keys(v))).collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn opt(value: Option<&str>) -> &str {
    value.unwrap_or("—")
}

pub fn release_text(detail: &ReleaseDetail) -> String {
    let r = &detail.release;
    let line = |l: &Option<catno_core::domain::RightsLine>| {
        l.as_ref().map(|l| format!("{} {}", l.year, l.holder)).unwrap_or_else(|| "—".into())
    };
    let mut out = format!(
        "{title}{version}\n{artist}\n\nid                 {id}\nlabel              {label}\ntype               {kind}\nupc                {upc}\ncatalog number     {cat}\np-line             ℗ {p}\nc-line             © {c}\ngenre              {genre}{sub}\nrelease date       {date}\noriginal date      {orig}\nparental advisory  {pa}\nmetadata language  {lang}\nstatus             {status}\n",
        title = r.title,
        version = r.version.as_ref().map(|v| format!(" ({v})")).unwrap_or_default(),
        artist = r.display_artist,
        id = r.id,
        label = r.label_name,
        kind = r.release_type,
        upc = r.upc.as_ref().map(|u| u.as_str()).unwrap_or("—"),
        cat = opt(r.catalog_number.as_deref()),
        p = line(&r.p_line),
        c = line(&r.c_line),
        genre = opt(r.genre.as_deref()),
        sub = r.subgenre.as_ref().map(|s| format!(" / {s}")).unwrap_or_default(),
        date = opt(r.release_date.as_deref()),
        orig = opt(r.original_release_date.as_deref()),
        pa = r.parental_advisory,
        lang = opt(r.metadata_language.as_deref()),
        status = r.status,
    );
    for t in &r.localized_titles {
        out.push_str(&format!(
            "title [{}]{}{}\n",
            t.language,
            " ".repeat(10usize.saturating_sub(t.language.len())),
            t.title
        ));
    }
    for a in &r.artists {
        out.push_str(&format!("artist             {} ({})\n", a.artist_name, a.role));
    }
    out.push_str("\ntracks\n");
    for t in &detail.tracks {
        out.push_str(&format!(
            "  {}-{:02}  {}{}  {}  {}  {}\n",
            t.disc_number,
            t.track_number,
            t.title,
            t.version.as_ref().map(|v| format!(" ({v})")).unwrap_or_default(),
            t.display_artist,
            opt(t.isrc.as_deref()),
            t.duration_ms.map(format_duration_ms).unwrap_or_default()
        ));
    }
    if !detail.assets.is_empty() {
        out.push_str("\nassets\n");
        for a in &detail.assets {
            out.push_str(&format!("  {}  {}\n", a.kind, a.path));
        }
    }
    out.trim_end().to_owned()
}

pub fn track_text(t: &Track) -> String {
    let mut out = format!(
        "{}{}\n{}\n\nid              {}\nisrc            {}\nduration        {}\nexplicit        {}\naudio language  {}\n",
        t.title,
        t.version.as_ref().map(|v| format!(" ({v})")).unwrap_or_default(),
        t.display_artist,
        t.id,
        t.isrc.as_ref().map(|i| i.as_str()).unwrap_or("—"),
        t.duration_ms.map(format_duration_ms).unwrap_or_else(|| "—".into()),
        if t.explicit { "yes" } else { "no" },
        opt(t.audio_language.as_deref()),
    );
    for l in &t.localized_titles {
        out.push_str(&format!("title [{}]  {}\n", l.language, l.title));
    }
    for c in &t.contributors {
        out.push_str(&format!("credit          {} ({})\n", c.artist_name, c.role));
    }
    for w in &t.writers {
        out.push_str(&format!(
            "writer          {} ({}), {}, {:.2} %\n",
            w.name,
            w.role,
            opt(w.publisher.as_deref()),
            w.share_basis_points as f64 / 100.0
        ));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keys_become_snake_case() {
        let v = serde_json::json!({"trackCount": 2, "items": [{"durationMs": 1, "id": 3}]});
        assert_eq!(
            snake_keys(v),
            serde_json::json!({"track_count": 2, "items": [{"duration_ms": 1, "id": 3}]})
        );
    }
}
