//! Text plumbing for the geoparser: decoding raw bytes, tokens with exact byte offsets, sentences.
//!
//! Everything downstream works on token indices; every token keeps its byte range in the original text so
//! that mentions point back at exactly what the user wrote.

/// What a token is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits, with inner hyphens and apostrophes (`Rostov-on-Don`, `FAB-250`, `Ukraine's`).
    Word,
    /// One punctuation character.
    Punct,
}

/// The writing system of a word, from its first letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Cyrillic,
    Other,
}

/// One token: a byte range of the text and a few facts about it.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
    pub script: Script,
    /// First character is an upper-case letter.
    pub cap: bool,
    /// Every letter is upper case and there are at least two of them (`ASTRA`, `LPR`).
    pub all_caps: bool,
    /// Holds a digit.
    pub digit: bool,
    /// Newlines between this token and the previous one (saturating at 2: a blank line).
    pub newlines_before: u8,
}

impl Token {
    /// A one-character punctuation token covering `start..end`.
    fn punct(start: usize, end: usize, newlines_before: u8) -> Token {
        Token {
            start,
            end,
            kind: Kind::Punct,
            script: Script::Other,
            cap: false,
            all_caps: false,
            digit: false,
            newlines_before,
        }
    }
}

/// A sentence (or a line: headlines and captions end at the line break) as a range of token indices.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    pub first: usize,
    /// One past the last token.
    pub last: usize,
    /// Starts a paragraph (a blank line, or the start of the text, before it).
    pub paragraph_start: bool,
}

/// Decode input bytes as UTF-8; invalid sequences become U+FFFD. Returns the text and how many bytes
/// were invalid (0 for clean input).
pub fn decode_lossy(bytes: &[u8]) -> (std::borrow::Cow<'_, str>, usize) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), 0),
        Err(_) => {
            let text = String::from_utf8_lossy(bytes);
            // Count replacement characters that were not in the input to report the damage.
            let invalid = text.matches('\u{FFFD}').count().saturating_sub(count_literal_replacements(bytes));
            (text, invalid.max(1))
        }
    }
}

fn count_literal_replacements(bytes: &[u8]) -> usize {
    bytes.windows(3).filter(|w| w == b"\xEF\xBF\xBD").count()
}

/// Looks like binary data rather than text: NUL bytes, or many control characters, in the first 8 KiB.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    controls * 20 > head.len().max(1)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | '‘' | 'ʼ' | '\u{2011}')
}

/// Split `text` into tokens. Whitespace is dropped (newlines are counted into the next token).
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut i = 0;
    let mut newlines: u8 = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b == b'\n' {
                newlines = newlines.saturating_add(1).min(2);
                i += 1;
                continue;
            }
            if b.is_ascii_whitespace() {
                i += 1;
                continue;
            }
            if !b.is_ascii_alphanumeric() {
                out.push(Token::punct(i, i + 1, newlines));
                newlines = 0;
                i += 1;
                continue;
            }
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                if c == '\u{2028}' || c == '\u{2029}' {
                    newlines = newlines.saturating_add(1).min(2);
                }
                i += c.len_utf8();
                continue;
            }
            if !is_alnum(c) {
                out.push(Token::punct(i, i + c.len_utf8(), newlines));
                newlines = 0;
                i += c.len_utf8();
                continue;
            }
        }
        // A word: alphanumerics with inner joiners.
        let start = i;
        let mut first = true;
        let mut script = Script::Other;
        let mut cap = false;
        let mut letters = 0usize;
        let mut uppers = 0usize;
        let mut digit = false;
        while i < bytes.len() {
            // ASCII letters and digits, the bulk of English text, without the general character path.
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let letter = b.is_ascii_alphabetic();
                if letter {
                    letters += 1;
                    uppers += usize::from(b.is_ascii_uppercase());
                } else {
                    digit = true;
                }
                if first {
                    cap = b.is_ascii_uppercase();
                    script = if letter { Script::Latin } else { Script::Other };
                    first = false;
                } else if letter && script == Script::Other {
                    script = Script::Latin;
                }
                i += 1;
                continue;
            }
            let (c, len) = if bytes[i] < 0x80 {
                (bytes[i] as char, 1)
            } else {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c, c.len_utf8())
            };
            if is_alnum(c) {
                if !c.is_ascii_digit() && (c as u32 >= 0x400 || c.is_alphabetic()) {
                    letters += 1;
                    if is_upper(c) {
                        uppers += 1;
                    }
                } else {
                    digit = true;
                }
                if first {
                    cap = is_upper(c);
                    script = script_of(c);
                    first = false;
                } else if script == Script::Other && c.is_alphabetic() {
                    script = script_of(c);
                }
                i += len;
            } else if is_joiner(c) {
                // Keep the joiner only when an alphanumeric follows.
                let next = text[i + len..].chars().next();
                if next.is_some_and(is_alnum) {
                    i += len;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        out.push(Token {
            start,
            end: i,
            kind: Kind::Word,
            script,
            cap,
            all_caps: letters >= 2 && uppers == letters,
            digit,
            newlines_before: newlines,
        });
        newlines = 0;
    }
    out
}

fn script_of(c: char) -> Script {
    if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) {
        Script::Latin
    } else if ('\u{0400}'..='\u{052F}').contains(&c) {
        Script::Cyrillic
    } else {
        Script::Other
    }
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "sgt", "gov", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "approx", "obl", "reg", "г", "гг", "обл", "с", "пос", "пгт",
    "р", "ул", "им", "т", "д", "км", "м", "смт", "вул", "див", "ім", "a", "p", "u", "s",
];

/// Group tokens into sentences: a sentence ends at `.`/`!`/`?`/`…` before a capital, digit or quote, and
/// at every line break (headlines, captions and list items are lines of their own).
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    let mut paragraph_start = true;
    for i in 0..tokens.len() {
        let t = &tokens[i];
        if i > first && t.newlines_before > 0 {
            out.push(Sentence { first, last: i, paragraph_start });
            paragraph_start = t.newlines_before >= 2;
            first = i;
        }
        if t.kind == Kind::Punct {
            let s = &text[t.start..t.end];
            if matches!(s, "." | "!" | "?" | "…") {
                let next = tokens.get(i + 1);
                let ends = match next {
                    None => true,
                    Some(n) if n.newlines_before > 0 => false, // the line break closes it
                    Some(n) => {
                        let ns = &text[n.start..n.end];
                        n.cap
                            || n.digit
                            || matches!(ns, "\"" | "“" | "«" | "‘" | "'" | "(" | "—" | "–")
                            || !matches!(n.kind, Kind::Word)
                    }
                };
                let abbrev = s == "."
                    && i > 0
                    && tokens[i - 1].kind == Kind::Word
                    && tokens[i - 1].end == t.start
                    && ABBREVIATIONS.contains(&text[tokens[i - 1].start..tokens[i - 1].end].to_lowercase().as_str());
                if ends && !abbrev && next.is_some_and(|n| n.newlines_before == 0) {
                    out.push(Sentence { first, last: i + 1, paragraph_start });
                    paragraph_start = false;
                    first = i + 1;
                }
            }
        }
    }
    if first < tokens.len() {
        out.push(Sentence { first, last: tokens.len(), paragraph_start });
    }
    out
}

/// Lower-case `s` into `buf` (cleared first), folding `ё` to `е` and curly apostrophes to `'`.
pub fn fold_into(s: &str, buf: &mut String) {
    buf.clear();
    fold_append(s, buf);
}

/// [`fold_into`] without clearing: appends the folded `s` to `buf`.
fn fold_append(s: &str, buf: &mut String) {
    if s.is_ascii() {
        let from = buf.len();
        buf.push_str(s);
        // Safe on a str: only ASCII bytes change, and they stay ASCII.
        buf[from..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        match c {
            'ё' | 'Ё' => buf.push('е'),
            '’' | '‘' | 'ʼ' => buf.push('\''),
            c if c.is_ascii() => buf.push(c.to_ascii_lowercase()),
            // Cyrillic capitals, without the Unicode tables: А-Я → а-я, Ѐ-Џ → ѐ-џ, Ґ → ґ.
            '\u{0410}'..='\u{042F}' => buf.push(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
            '\u{0400}'..='\u{040F}' => buf.push(char::from_u32(c as u32 + 0x50).unwrap_or(c)),
            '\u{0430}'..='\u{045F}' => buf.push(c),
            'Ґ' => buf.push('ґ'),
            c => buf.extend(c.to_lowercase()),
        }
    }
}

/// An upper-case letter, with fast paths for ASCII and Cyrillic.
#[inline]
fn is_upper(c: char) -> bool {
    match c as u32 {
        0x41..=0x5a => true,
        0..=0x7f => false,
        0x400..=0x42f => true,
        0x430..=0x45f => false,
        _ => c.is_uppercase(),
    }
}

/// A letter or digit, with fast paths for ASCII and Cyrillic.
#[inline]
fn is_alnum(c: char) -> bool {
    match c as u32 {
        0..=0x7f => c.is_ascii_alphanumeric(),
        0x400..=0x481 | 0x48a..=0x52f => true,
        _ => c.is_alphanumeric(),
    }
}

/// The folded form ([`fold_into`]) of a whole document, made once so that every later check reads
/// lower-case words without allocating: word `i` is the fold of token `i`, and the text between tokens is
/// copied as written, so a sentence's folded text is one slice too.
pub struct Folded {
    buf: String,
    spans: Vec<(usize, usize)>,
}

impl Folded {
    /// Fold every token of `text`.
    pub fn new(text: &str, tokens: &[Token]) -> Folded {
        let mut buf = String::with_capacity(text.len() + text.len() / 16);
        let mut spans = Vec::with_capacity(tokens.len());
        let mut prev = 0;
        for t in tokens {
            buf.push_str(&text[prev..t.start]);
            let from = buf.len();
            fold_append(&text[t.start..t.end], &mut buf);
            spans.push((from, buf.len()));
            prev = t.end;
        }
        Folded { buf, spans }
    }

    /// The folded token `i`.
    #[inline]
    pub fn word(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.buf[a..b]
    }

    /// The folded text of tokens `first..last` (with the spacing between them as written).
    pub fn range(&self, first: usize, last: usize) -> &str {
        if first >= last {
            return "";
        }
        &self.buf[self.spans[first].0..self.spans[last - 1].1]
    }
}

/// Lower-cased, folded copy of `s` (see [`fold_into`]).
pub fn fold(s: &str) -> String {
    let mut b = String::with_capacity(s.len());
    fold_into(s, &mut b);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_byte_offsets_and_joiners() {
        let t = "В Белгороде, Rostov-on-Don; FAB-250 Ukraine’s x- y";
        let toks = tokenize(t);
        let words: Vec<&str> = toks.iter().filter(|k| k.kind == Kind::Word).map(|k| &t[k.start..k.end]).collect();
        assert_eq!(words, ["В", "Белгороде", "Rostov-on-Don", "FAB-250", "Ukraine’s", "x", "y"]);
        assert!(toks[1].cap && toks[1].script == Script::Cyrillic);
    }

    #[test]
    fn sentences_split_at_stops_and_lines() {
        let t = "It fell at 9 a.m. on Monday. Then Mr. Smith left.\nHeadline here\n\nNew paragraph.";
        let toks = tokenize(t);
        let s = sentences(t, &toks);
        let texts: Vec<&str> = s.iter().map(|s| &t[toks[s.first].start..toks[s.last - 1].end]).collect();
        assert_eq!(texts, ["It fell at 9 a.m. on Monday.", "Then Mr. Smith left.", "Headline here", "New paragraph."]);
        assert!(s[3].paragraph_start && !s[1].paragraph_start);
    }

    #[test]
    fn binary_and_invalid_utf8() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0\0"));
        assert!(!looks_binary("обычный текст\n".as_bytes()));
        let (text, bad) = decode_lossy(b"ok \xff\xfe fine");
        assert!(bad > 0 && text.contains("fine"));
    }
}
