//! Text helpers of the style rules: casing per language, `feat.` parsing, version
//! qualifiers, folding names for near-duplicate detection.

/// English words kept lowercase inside a title (articles, conjunctions, prepositions of at
/// most four letters) [S45, S48, S49, S55].
const EN_MINOR: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "off", "on", "onto",
    "or", "out", "over", "so", "the", "to", "up", "with", "yet", "vs.", "feat.",
];
/// Lowercase words of Spanish titles [S55].
const ES_MINOR: &[&str] = &[
    "a", "al", "con", "de", "del", "e", "el", "en", "la", "las", "lo", "los", "o", "para", "por", "que",
    "se", "sin", "su", "un", "una", "y", "feat.",
];
/// Lowercase words of Portuguese titles [S55].
const PT_MINOR: &[&str] = &[
    "a", "à", "ao", "as", "com", "da", "das", "de", "do", "dos", "e", "em", "na", "nas", "no", "nos", "o",
    "os", "ou", "para", "por", "um", "uma", "feat.",
];

/// How titles of a language are cased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseStyle {
    /// Title case with these lowercase words.
    Title(&'static [&'static str]),
    /// Sentence case (Swedish, French, Italian …): only checked for all-caps / all-lowercase.
    Sentence,
}

/// The casing convention of a metadata language (BCP 47); English when unknown.
pub fn case_style(language: Option<&str>) -> CaseStyle {
    let primary = language.unwrap_or("en").split(['-', '_']).next().unwrap_or("en").to_ascii_lowercase();
    match primary.as_str() {
        "es" => CaseStyle::Title(ES_MINOR),
        "pt" => CaseStyle::Title(PT_MINOR),
        "sv" | "fr" | "it" | "nl" | "no" | "nb" | "da" | "fi" | "pl" | "cs" => CaseStyle::Sentence,
        "en" => CaseStyle::Title(EN_MINOR),
        // Other languages (and non-Latin scripts) are not cased by these rules.
        _ => CaseStyle::Sentence,
    }
}

fn has_letters(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
}

/// All cased letters uppercase, and more than one word or a word longer than 4 letters (so
/// "USA" or "DNA" pass) [T1].
pub fn is_all_caps(s: &str) -> bool {
    let letters: Vec<char> =
        s.chars().filter(|c| c.is_alphabetic() && (c.is_uppercase() || c.is_lowercase())).collect();
    letters.len() > 4 && letters.iter().all(|c| c.is_uppercase()) && s.split_whitespace().count() > 1
}

/// All cased letters lowercase [T1].
pub fn is_all_lower(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_uppercase() || c.is_lowercase()).collect();
    letters.len() > 1 && letters.iter().all(|c| c.is_lowercase())
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Leading punctuation of a word (`(`, `[`, `"`), the core, and trailing punctuation.
fn split_punct(word: &str) -> (&str, &str, &str) {
    let start = word.find(|c: char| c.is_alphanumeric()).unwrap_or(word.len());
    let end = word
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(start, |i| i + word[i..].chars().next().map_or(1, char::len_utf8));
    let end = end.max(start);
    // Keep a trailing "." of abbreviations ("feat.", "vs.", "Vol.") with the core.
    let end = if word[end..].starts_with('.') { end + 1 } else { end };
    (&word[..start], &word[start..end], &word[end..])
}

/// The word as title case wants it; `None` leaves it unchanged (mixed case such as "iPhone"
/// or "McCartney", numbers, acronyms are the artist's choice).
fn title_word(core: &str, minor: &[&str], force_capital: bool) -> Option<String> {
    if !has_letters(core) {
        return None;
    }
    let lower = core.to_lowercase();
    let is_plain = core == lower || *core == capitalize(&lower);
    if !is_plain {
        return None;
    }
    if core.contains('-') {
        let parts: Vec<String> = core
            .split('-')
            .enumerate()
            .map(|(i, part)| {
                let l = part.to_lowercase();
                if i > 0
                    && ["a", "an", "and", "for", "from", "of", "or", "the", "to", "in"].contains(&l.as_str())
                {
                    l
                } else {
                    capitalize(&l)
                }
            })
            .collect();
        return Some(parts.join("-"));
    }
    if !force_capital && minor.contains(&lower.as_str()) { Some(lower) } else { Some(capitalize(&lower)) }
}

/// `title` in title case per `minor` [T2, T3]: first and last word (also inside brackets) and
/// words after `-`, `/`, `:` capitalised; minor words lowercase elsewhere; words in mixed case
/// ("iPhone"), acronyms and numbers unchanged. `feat.` stays lowercase [T4].
pub fn title_case(title: &str, minor: &[&str]) -> String {
    let words: Vec<&str> = title.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    let mut force_next = true;
    for (i, word) in words.iter().enumerate() {
        let (lead, core, trail) = split_punct(word);
        let next_opens = words.get(i + 1).is_none_or(|w| w.starts_with(['(', '[']) || *w == "-" || *w == "/");
        let is_last = i + 1 == words.len() || next_opens || trail.contains([')', ']', ':']);
        let lower = core.to_lowercase();
        let force = force_next || lead.contains(['(', '[']) || (is_last && lower != "feat.");
        let fixed = if lower == "feat." || lower == "with" && lead.contains('(') {
            Some(lower)
        } else if core.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
            && core.chars().filter(|c| c.is_alphabetic()).count() > 1
        {
            None // an acronym: "USA", "DJ"
        } else {
            title_word(core, minor, force)
        };
        out.push(format!("{lead}{}{trail}", fixed.as_deref().unwrap_or(core)));
        force_next = trail.contains(':') || *word == "-" || *word == "/" || trail.ends_with('/');
    }
    out.join(" ")
}

/// Whitespace trimmed and inner runs collapsed to one space.
pub fn tidy_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase, letters and digits only, diacritics folded, a leading "the" dropped: two
/// artist names with the same key are probably one artist spelled two ways [A5].
pub fn fold_name(name: &str) -> String {
    fold_name_into(name, &mut String::with_capacity(name.len())).to_owned()
}

/// [`fold_name`] written into `buffer` (cleared first), for folding many names without an
/// allocation each.
pub fn fold_name_into<'b>(name: &str, buffer: &'b mut String) -> &'b str {
    buffer.clear();
    for c in name.chars().flat_map(char::to_lowercase) {
        let base = fold_diacritic(c);
        if base.is_alphanumeric() {
            buffer.push(base);
        } else if c == '&' {
            buffer.push_str("and");
        }
    }
    match buffer.strip_prefix("the") {
        Some(rest) if !rest.is_empty() => rest,
        _ => buffer.as_str(),
    }
}

fn fold_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'ç' | 'č' | 'ć' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'š' | 'ś' => 's',
        'ž' | 'ź' | 'ż' => 'z',
        'ř' => 'r',
        'ł' => 'l',
        'đ' | 'ď' => 'd',
        'ť' => 't',
        'ß' => 's',
        other => other,
    }
}

/// A featured-artist marker found in a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeatMarker {
    /// The title as `(feat. A & B)` style wants it.
    pub fixed: String,
    /// The featured names as written.
    pub names: Vec<String>,
    /// The title already has the right form.
    pub well_formed: bool,
}

const FEAT_SPELLINGS: &[&str] = &["featuring", "feat.", "feat", "ft.", "ft", "w/"];

/// Finds `feat.` text in a title and the form Apple's style guide wants [T4, S41]:
/// `Song ft. X` → `Song (feat. X)`, `Song [Featuring X & Y]` → `Song (feat. X & Y)`.
pub fn find_feat(title: &str) -> Option<FeatMarker> {
    let lower = title.to_lowercase();
    // Byte positions line up between `title` and `lower` only for ASCII; bail out otherwise.
    if lower.len() != title.len() {
        return None;
    }
    let (start, spelling) = FEAT_SPELLINGS.iter().find_map(|s| {
        let mut from = 0;
        while let Some(i) = lower[from..].find(s).map(|i| i + from) {
            let before_ok = i == 0 || lower[..i].ends_with([' ', '(', '[']);
            let after = &lower[i + s.len()..];
            let after_ok =
                after.starts_with(' ') || (s.ends_with('.') || s.ends_with('/')) && !after.is_empty();
            if before_ok && after_ok {
                return Some((i, *s));
            }
            from = i + s.len();
        }
        None
    })?;
    let opened = lower[..start].ends_with(['(', '[']);
    let head_end = if opened { start - 1 } else { start };
    let head = title[..head_end].trim_end();
    let rest = &title[start + spelling.len()..];
    let (names_text, tail) = if opened {
        let close = rest.find([')', ']']).unwrap_or(rest.len());
        (&rest[..close], rest.get(close + 1..).unwrap_or(""))
    } else {
        // Unbracketed: runs to the next bracket or the end.
        let stop = rest.find(['(', '[']).unwrap_or(rest.len());
        (&rest[..stop], &rest[stop..])
    };
    let names: Vec<String> = split_names(names_text);
    if names.is_empty() {
        return None;
    }
    let joined = join_names(&names);
    let tail = tail.trim();
    let fixed = if tail.is_empty() {
        format!("{head} (feat. {joined})")
    } else {
        format!("{head} (feat. {joined}) {tail}")
    };
    let well_formed = fixed == title;
    Some(FeatMarker { fixed, names, well_formed })
}

/// Splits `A, B & C` / `A and B` / `A x B` into names.
pub fn split_names(text: &str) -> Vec<String> {
    text.split([',', '&'])
        .flat_map(|part| part.split(" and "))
        .flat_map(|part| part.split(" x "))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `A`, `A & B`, `A, B & C`.
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} & {last}", init.join(", ")),
    }
}

/// Version words that belong in the version field, not the title [T6, S42, S47].
const VERSION_WORDS: &[&str] = &[
    "remix",
    "mix",
    "edit",
    "version",
    "live",
    "acoustic",
    "remaster",
    "remastered",
    "instrumental",
    "demo",
    "extended",
    "radio edit",
    "dub",
    "vip",
    "rework",
    "unplugged",
    "a cappella",
    "acapella",
    "stripped",
];

/// A trailing bracketed version qualifier in a title: `Song (Radio Edit)` → (`Song`, `Radio Edit`).
pub fn trailing_version(title: &str) -> Option<(String, String)> {
    let trimmed = title.trim_end();
    let close = trimmed.chars().last().filter(|c| *c == ')' || *c == ']')?;
    let open = if close == ')' { '(' } else { '[' };
    let start = trimmed.rfind(open)?;
    let inner = trimmed[start + 1..trimmed.len() - 1].trim();
    let lower = inner.to_lowercase();
    if lower.starts_with("feat") || lower.starts_with("with ") {
        return None;
    }
    let is_version = lower.split_whitespace().any(|w| VERSION_WORDS.contains(&w));
    let head = trimmed[..start].trim_end();
    (is_version && !head.is_empty()).then(|| (head.to_owned(), inner.to_owned()))
}

/// Emoji, pictographs, dingbats and decorative symbols [T18, S50, S92].
pub fn decorative_char(s: &str) -> Option<char> {
    s.chars().find(|c| {
        let u = u32::from(*c);
        matches!(u,
            0x1F000..=0x1FAFF // emoji, pictographs, symbols
            | 0x2600..=0x27BF // misc symbols, dingbats
            | 0x2B00..=0x2BFF // arrows, stars
            | 0xFE00..=0xFE0F // variation selectors
            | 0x1D400..=0x1D7FF // mathematical alphanumerics (fake bold/italic letters)
            | 0x2190..=0x21FF // arrows
            | 0x25A0..=0x25FF // geometric shapes
            | 0x200D // zero-width joiner
        ) || (c.is_control() && *c != '\t')
    })
}

/// A URL, e-mail, @handle or #hashtag in the text [T17, S50].
pub fn contact_or_link(s: &str) -> Option<String> {
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | '"')))
        .find(|w| {
            let l = w.to_lowercase();
            l.starts_with("http://")
                || l.starts_with("https://")
                || l.starts_with("www.")
                || [".com", ".net", ".org", ".io", ".co.uk", ".fm"]
                    .iter()
                    .any(|tld| l.ends_with(tld) && l.len() > tld.len())
                || (w.len() > 1
                    && (w.starts_with('@') || w.starts_with('#'))
                    && w[1..].chars().all(|c| c.is_alphanumeric() || c == '_')
                    && w[1..].chars().any(char::is_alphabetic))
                || (l.contains('@') && l.contains('.') && !l.starts_with('@'))
        })
        .map(str::to_owned)
}

/// `needle` (lowercase, may hold spaces) as whole words in `haystack`.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    lowercase_contains_words(&haystack.to_lowercase(), needle)
}

/// The first `needle` in `haystack` at or after byte `from` (a char boundary). An ASCII needle
/// is compared byte by byte: titles are short, and `str::find` sets up a two-way searcher per
/// call, which cost more than the search for the dozen words each title is checked for. An
/// ASCII match starts and ends on char boundaries (UTF-8 continuation bytes are never ASCII).
fn find_from(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    let Some(&first) = n.first().filter(|_| needle.is_ascii()) else {
        return haystack[from..].find(needle).map(|i| i + from);
    };
    let last = h.len().checked_sub(n.len())?;
    (from..=last).find(|&i| h[i] == first && &h[i..i + n.len()] == n)
}

/// [`contains_words`] on a haystack already lowercased (`str::to_lowercase`), so a caller
/// looking for many needles lowercases it once.
pub fn lowercase_contains_words(lower: &str, needle: &str) -> bool {
    let mut from = 0;
    while let Some(i) = find_from(lower, needle, from) {
        let before = lower[..i].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = lower[i + needle.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        if before && after {
            return true;
        }
        from = i + needle.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_title_case_follows_the_minor_word_list() {
        assert_eq!(title_case("the sound of the city", EN_MINOR), "The Sound of the City");
        assert_eq!(
            title_case("love is all around (live at wembley)", EN_MINOR),
            "Love Is All Around (Live at Wembley)"
        );
        assert_eq!(title_case("what are you waiting for", EN_MINOR), "What Are You Waiting For");
        assert_eq!(title_case("night drive (feat. Aya)", EN_MINOR), "Night Drive (feat. Aya)");
        assert_eq!(title_case("my iPhone in the USA", EN_MINOR), "My iPhone in the USA");
        assert_eq!(title_case("part one: the end", EN_MINOR), "Part One: The End");
        assert_eq!(title_case("state-of-the-art", EN_MINOR), "State-of-the-Art");
    }

    #[test]
    fn spanish_lowercase_words() {
        let CaseStyle::Title(minor) = case_style(Some("es-MX")) else { panic!("Spanish is title-cased") };
        assert_eq!(title_case("la noche de los tambores", minor), "La Noche de los Tambores");
        assert_eq!(case_style(Some("sv")), CaseStyle::Sentence);
    }

    #[test]
    fn casing_detection() {
        assert!(is_all_caps("NIGHT DRIVE HOME"));
        assert!(!is_all_caps("USA"));
        assert!(is_all_lower("night drive"));
        assert!(!is_all_lower("Night drive"));
    }

    #[test]
    fn feat_markers_are_normalised() {
        let m = find_feat("Song ft. X").expect("found");
        assert_eq!(m.fixed, "Song (feat. X)");
        assert!(!m.well_formed);
        assert_eq!(find_feat("Song [Featuring A, B and C]").expect("found").fixed, "Song (feat. A, B & C)");
        assert_eq!(
            find_feat("Song (Feat. A & B) [Radio Edit]").expect("found").fixed,
            "Song (feat. A & B) [Radio Edit]"
        );
        assert!(find_feat("Song (feat. A & B)").expect("found").well_formed);
        assert_eq!(find_feat("Song w/ Z").expect("found").names, vec!["Z".to_owned()]);
        assert_eq!(find_feat("Left Feet"), None);
        assert_eq!(find_feat("Craft Beer"), None);
    }

    #[test]
    fn versions_and_names() {
        assert_eq!(trailing_version("Song (Radio Edit)"), Some(("Song".into(), "Radio Edit".into())));
        assert_eq!(trailing_version("Song (Interlude)"), None);
        assert_eq!(trailing_version("Song (feat. Mix Master)"), None);
        assert_eq!(fold_name("Beyoncé"), fold_name("BEYONCE"));
        assert_eq!(fold_name("The Weeknd"), fold_name("Weeknd"));
        assert_eq!(fold_name("A.B.C."), "abc");
        assert_eq!(tidy_spaces("  a   b "), "a b");
    }

    #[test]
    fn folding_into_a_reused_buffer_equals_folding_alone() {
        let mut buffer = String::new();
        for name in ["The Low Tides & Friends", "Ø", "The", "Beyoncé", "x"] {
            assert_eq!(fold_name_into(name, &mut buffer), fold_name(name), "{name}");
        }
        assert_eq!(fold_name_into("The", &mut buffer), "the", "a bare \"The\" is kept");
    }

    #[test]
    fn links_and_decoration() {
        assert_eq!(contact_or_link("Out now www.label.com"), Some("www.label.com".into()));
        assert_eq!(contact_or_link("Follow @label"), Some("@label".into()));
        assert_eq!(contact_or_link("Song #1"), None);
        assert_eq!(contact_or_link("Mr. Brightside"), None);
        assert_eq!(decorative_char("Love 💖"), Some('💖'));
        assert_eq!(decorative_char("Café ñ 東京"), None);
        assert!(contains_words("The Exclusive Mix", "exclusive"));
        assert!(contains_words("Ünïcode Free Download", "free download"));
        assert!(contains_words("freely free", "free"));
        assert!(!contains_words("freely", "free"));
        assert!(!contains_words("fre", "free"));
        assert!(contains_words("Straße Café", "café"));
        assert!(!contains_words("Cafés", "café"));
        assert!(!contains_words("Inclusive", "clusive"));
    }
}
