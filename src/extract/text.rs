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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    scan::<false>(text, &mut Folder::idle(text))
}

/// [`tokenize`] and [`Folded::new`] in one pass: the same tokens and the same folded document, without
/// walking the text twice.
pub fn tokenize_folded(text: &str) -> (Vec<Token>, Folded) {
    let mut f = Folder::new(text);
    let tokens = scan::<true>(text, &mut f);
    let folded = f.finish(&tokens);
    (tokens, folded)
}

/// The character at byte `i` of `bytes` (a char boundary of a `str`) and its length in bytes.
#[inline(always)]
fn char_at(bytes: &[u8], i: usize) -> (char, usize) {
    let b0 = bytes[i];
    let cont = |k: usize| u32::from(bytes.get(i + k).copied().unwrap_or(0x80) & 0x3f);
    let (c, len) = if b0 < 0x80 {
        (u32::from(b0), 1)
    } else if b0 < 0xe0 {
        ((u32::from(b0 & 0x1f) << 6) | cont(1), 2)
    } else if b0 < 0xf0 {
        ((u32::from(b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3)
    } else {
        ((u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3), 4)
    };
    (char::from_u32(c).unwrap_or('\u{fffd}'), len)
}

/// Builds the folded document ([`Folded`]) while the tokenizer walks the text. Text is copied lazily: only
/// where folding changes a character is the pending run of the original copied and the replacement written.
///
/// The tokens' folded spans are worked out at the end ([`Folder::finish`]), not token by token: a byte of
/// the text moves in the folded document only by the length changes of the folds before it, which are rare
/// (curly apostrophes, a few letters), so the tokenizer only notes those. Upper-case ASCII letters, the
/// commonest fold by far, are only noted too and lower-cased in place at the end: the text before each one
/// need not be copied up to it.
struct Folder<'a> {
    text: &'a str,
    buf: String,
    /// Bytes of `text` before this are in `buf`.
    copied: usize,
    /// (where a fold changed a character's length, `buf.len() - copied` after it, wrapping): a byte of the
    /// text after that character, and before the next entry's, lands that much further in `buf`.
    shifts: Vec<(usize, usize)>,
    /// Where the upper-case ASCII letters of the tokens are in `text`, in order.
    ascii_capitals: Vec<usize>,
}

impl<'a> Folder<'a> {
    fn new(text: &'a str) -> Self {
        Folder {
            text,
            buf: String::with_capacity(text.len() + text.len() / 16),
            copied: 0,
            shifts: Vec::new(),
            ascii_capitals: Vec::with_capacity(text.len() / 32),
        }
    }

    /// A folder for [`tokenize`] alone, which never touches it.
    fn idle(text: &'a str) -> Self {
        Folder { text, buf: String::new(), copied: 0, shifts: Vec::new(), ascii_capitals: Vec::new() }
    }

    /// Note a fold at byte `i` that may have changed the character's length (see [`Folder::shifts`]).
    fn note_shift(&mut self, i: usize) {
        let shift = self.buf.len().wrapping_sub(self.copied);
        if shift != self.shifts.last().map_or(0, |&(_, s)| s) {
            self.shifts.push((i, shift));
        }
    }

    /// Fold the token character `c` at bytes `i..i + len`.
    #[inline]
    fn fold(&mut self, i: usize, len: usize, c: char) {
        match char_fold(c) {
            CharFold::Same => {}
            CharFold::To(to) => {
                self.buf.push_str(&self.text[self.copied..i]);
                self.buf.push(to);
                self.copied = i + len;
                if to.len_utf8() != len {
                    self.note_shift(i);
                }
            }
            CharFold::General => {
                self.buf.push_str(&self.text[self.copied..i]);
                self.buf.extend(c.to_lowercase());
                self.copied = i + len;
                self.note_shift(i);
            }
        }
    }

    /// Fold the upper-case ASCII letter at byte `i` (at the end: see [`Folder::ascii_capitals`]).
    #[inline]
    fn fold_ascii_upper(&mut self, i: usize) {
        self.ascii_capitals.push(i);
    }

    /// Fold the upper-case Cyrillic Ѐ-Я but Ё (U+0400-U+042F but U+0401, which folds to е) at bytes
    /// `i..i + 2`, whose second byte is `b1`, to ѐ-џ (U+0450-U+045F) or а-я (U+0430-U+044F), as
    /// [`char_fold`] does.
    #[inline]
    fn fold_cyrillic_upper(&mut self, i: usize, b1: u8) {
        let c = 0x400 + u32::from(b1 & 0x3f);
        let lower = if c < 0x410 { c + 0x50 } else { c + 0x20 };
        self.buf.push_str(&self.text[self.copied..i]);
        self.buf.push(char::from_u32(lower).unwrap_or(char::REPLACEMENT_CHARACTER));
        self.copied = i + 2;
    }

    /// The folded document of `tokens` (the tokens the folder saw), as [`Folded::new`] makes it.
    fn finish(mut self, tokens: &[Token]) -> Folded {
        let end = tokens.last().map_or(0, |t| t.end);
        if end > self.copied {
            self.buf.push_str(&self.text[self.copied..end]);
        }
        let spans = if self.shifts.is_empty() {
            // No fold changed a length: every token and every capital sits where it does in the text.
            for &i in &self.ascii_capitals {
                self.buf[i..i + 1].make_ascii_lowercase();
            }
            tokens.iter().map(|t| (t.start, t.end)).collect()
        } else {
            let mut capital = Shifted::new(&self.shifts);
            for &i in &self.ascii_capitals {
                let at = capital.at(i);
                self.buf[at..at + 1].make_ascii_lowercase();
            }
            let mut token = Shifted::new(&self.shifts);
            tokens.iter().map(|t| (token.at(t.start), token.at(t.end))).collect()
        };
        Folded { buf: self.buf, spans }
    }
}

/// Where bytes of the text, asked for in increasing order, are in the folded document (see
/// [`Folder::shifts`]).
struct Shifted<'s> {
    shifts: &'s [(usize, usize)],
    /// The shift of the last fold before the byte at hand.
    shift: usize,
    /// The next fold, and where it is (past the end when there is none): most bytes take one compare.
    next: usize,
    next_at: usize,
}

impl<'s> Shifted<'s> {
    fn new(shifts: &'s [(usize, usize)]) -> Self {
        Shifted { shifts, shift: 0, next: 0, next_at: shifts.first().map_or(usize::MAX, |&(i, _)| i) }
    }

    /// Where byte `at` of the text (no less than the last one asked for) is in the folded document. Folds
    /// inside a character never happen, so one before a byte ends at or before it.
    #[inline]
    fn at(&mut self, at: usize) -> usize {
        while self.next_at < at {
            self.shift = self.shifts[self.next].1;
            self.next += 1;
            self.next_at = self.shifts.get(self.next).map_or(usize::MAX, |&(i, _)| i);
        }
        at.wrapping_add(self.shift)
    }
}

/// What folding ([`fold_into`]) does to one character.
enum CharFold {
    Same,
    To(char),
    /// Whatever `char::to_lowercase` says.
    General,
}

/// [`fold_into`] of one character, with the common cases decided without the Unicode tables.
#[inline]
fn char_fold(c: char) -> CharFold {
    match c {
        'ё' | 'Ё' => CharFold::To('е'),
        '\u{0430}'..='\u{045F}' => CharFold::Same,
        '\u{0410}'..='\u{042F}' => CharFold::To(char::from_u32(c as u32 + 0x20).unwrap_or(c)),
        '\u{0400}'..='\u{040F}' => CharFold::To(char::from_u32(c as u32 + 0x50).unwrap_or(c)),
        'Ґ' => CharFold::To('ґ'),
        '’' | '‘' | 'ʼ' => CharFold::To('\''),
        'A'..='Z' => CharFold::To(c.to_ascii_lowercase()),
        '\0'..='\u{7f}' => CharFold::Same,
        // Punctuation, spaces and symbols without case (dashes, quotes, «», №, currency signs); a test checks
        // every character of these blocks against `to_lowercase`.
        '\u{00A0}'..='\u{00BF}' | '\u{2000}'..='\u{20FF}' => CharFold::Same,
        _ => CharFold::General,
    }
}

/// The length of the run of lower-case ASCII letters at the start of `b`. Eight bytes at a time: a loop
/// ending at every word's end, at an unpredictable length, costs a mispredicted branch per word.
#[inline(always)]
fn ascii_lower_run(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut k = 0;
    // `chunks_exact` rather than slicing at `k`: one pointer and one count to step, no bounds to check.
    for chunk in b.chunks_exact(8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("chunks of eight bytes"));
        // Per byte, on its low seven bits (no carries between bytes): bit 7 of `y + 0x1f` is set from `a`
        // (0x61) up, of `y + 0x05` from `{` (0x7b) up; non-ASCII bytes have bit 7 set in `x`.
        let y = x & !HIGH;
        let lower = (y + 0x1f1f_1f1f_1f1f_1f1f) & !(y + 0x0505_0505_0505_0505) & !x & HIGH;
        let miss = !lower & HIGH;
        if miss != 0 {
            return k + miss.trailing_zeros() as usize / 8;
        }
        k += 8;
    }
    while k < b.len() && b[k].is_ascii_lowercase() {
        k += 1;
    }
    k
}

/// The length in bytes of the run of lower-case Cyrillic letters that fold to themselves (see
/// [`is_cyrillic_lower_pair`]) at the start of `b`, the bytes of UTF-8 text from any offset on, four letters
/// at a time (see [`ascii_lower_run`]).
#[inline(always)]
fn cyrillic_lower_run(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8000_8000_8000_8000;
    let mut k = 0;
    for chunk in b.chunks_exact(8) {
        // Big-endian 16-bit lanes, the first pair on top. In UTF-8, D0 and D1 are always followed by 80-BF,
        // so the letters (D0 B0-BF, D1 80-9F) are exactly the lanes D0B0-D19F, but ё (D191). Per lane, on
        // its low fifteen bits (no carries between lanes): bit 15 of `y + 0x2f50` is set from 50B0 up, of
        // `y + 0x2e60` from 51A0 up, and bit 15 of `x` must be set too. A lane of `yo` is zero on ё, and
        // `((z & !HIGH) + !HIGH) | z` sets a lane's top bit exactly when the lane is not zero.
        let x = u64::from_be_bytes(chunk.try_into().expect("chunks of eight bytes"));
        let y = x & !HIGH;
        let in_range = x & (y + 0x2f50_2f50_2f50_2f50) & !(y + 0x2e60_2e60_2e60_2e60);
        let yo = x ^ 0xd191_d191_d191_d191;
        let not_yo = ((yo & !HIGH) + !HIGH) | yo;
        let miss = !(in_range & not_yo) & HIGH;
        if miss != 0 {
            return k + miss.leading_zeros() as usize / 16 * 2;
        }
        k += 8;
    }
    while k + 1 < b.len() && is_cyrillic_lower_pair(b[k], b[k + 1]) {
        k += 2;
    }
    k
}

/// The UTF-8 bytes of a lower-case Cyrillic letter that folds to itself: а-я and ѐ-џ but ё (U+0430-U+045F
/// but U+0451: D0 B0-BF, D1 80-9F but D1 91), the bulk of Russian and Ukrainian words (і, ї, є included).
/// Without branches: letters of both halves alternate unpredictably in words.
#[inline(always)]
fn is_cyrillic_lower_pair(b0: u8, b1: u8) -> bool {
    let v = u16::from_be_bytes([b0, b1]);
    (v.wrapping_sub(0xd0b0) < 16) | ((v.wrapping_sub(0xd180) < 32) & (v != 0xd191))
}

/// What a byte says to the tokenizer, from [`BYTE_CLASS`]: one table load and one `match` decide what the
/// common bytes do, instead of a chain of range tests (and, for ASCII, without decoding a `char`).
mod class {
    /// `a`-`z`.
    pub const LOWER: u8 = 0;
    /// `A`-`Z`.
    pub const UPPER: u8 = 1;
    /// `0`-`9`.
    pub const DIGIT: u8 = 2;
    /// ASCII whitespace but the newline (space, tab, form feed, carriage return).
    pub const SPACE: u8 = 3;
    /// `\n`.
    pub const NEWLINE: u8 = 4;
    /// `-` and `'`: punctuation, or a joiner inside a word.
    pub const JOINER: u8 = 5;
    /// Every other ASCII byte (punctuation, symbols, control characters such as `\x0b`).
    pub const PUNCT: u8 = 6;
    /// 0xD0 and 0xD1, the lead bytes of U+0400-U+047F (most of Cyrillic).
    pub const CYRILLIC: u8 = 7;
    /// Every other non-ASCII byte: the lead byte of some other character.
    pub const OTHER: u8 = 8;
}

/// The [`class`] of every byte.
static BYTE_CLASS: [u8; 256] = {
    let mut t = [class::OTHER; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = match b as u8 {
            b'a'..=b'z' => class::LOWER,
            b'A'..=b'Z' => class::UPPER,
            b'0'..=b'9' => class::DIGIT,
            b'\n' => class::NEWLINE,
            b' ' | b'\t' | 0x0c | b'\r' => class::SPACE,
            b'-' | b'\'' => class::JOINER,
            _ => class::PUNCT,
        };
        b += 1;
    }
    t[0xd0] = class::CYRILLIC;
    t[0xd1] = class::CYRILLIC;
    t
};

/// Is the character at byte `i` of `bytes` (a char boundary, or the end) a letter or digit ([`is_alnum`])?
#[inline]
fn alnum_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        None => false,
        Some(&b) => match BYTE_CLASS[usize::from(b)] {
            class::LOWER | class::UPPER | class::DIGIT => true,
            class::CYRILLIC | class::OTHER => is_alnum(char_at(bytes, i).0),
            _ => false,
        },
    }
}

/// What the scan of one word found (see [`Token`]). Not its script: that is its first letter's, and the
/// first character of most words is that letter (see [`first_letter_script`] for the rest).
struct WordFacts {
    letters: usize,
    uppers: usize,
    digit: bool,
}

impl WordFacts {
    /// `n` more letters, `uppers` of them capitals.
    #[inline(always)]
    fn letters(&mut self, n: usize, uppers: usize) {
        self.letters += n;
        self.uppers += uppers;
    }
}

/// The script of a word whose first character has none (a number such as `5th`, a Greek letter): that of
/// its first letter that has one. Rare, so the word is walked again rather than every letter run asking.
#[cold]
fn first_letter_script(word: &str) -> Script {
    word.chars().filter(|c| c.is_alphabetic()).map(script_of).find(|&s| s != Script::Other).unwrap_or(Script::Other)
}

/// The tokenizer; with `FOLD` it also fills `f` (see [`tokenize_folded`]).
fn scan<const FOLD: bool>(text: &str, f: &mut Folder) -> Vec<Token> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut out = Vec::with_capacity(text.len() / 5);
    let mut i = 0;
    let mut newlines: u8 = 0;
    while i < n {
        let b = bytes[i];
        // The first character of a word gives its case and script.
        let (cap, script) = match BYTE_CLASS[usize::from(b)] {
            class::SPACE => {
                i += 1;
                continue;
            }
            class::NEWLINE => {
                newlines = newlines.saturating_add(1).min(2);
                i += 1;
                continue;
            }
            class::JOINER | class::PUNCT => {
                // ASCII punctuation folds to itself.
                out.push(Token::punct(i, i + 1, newlines));
                newlines = 0;
                i += 1;
                continue;
            }
            class::LOWER => (false, Script::Latin),
            class::UPPER => (true, Script::Latin),
            class::DIGIT => (false, Script::Other),
            // U+0400-U+047F: every one a letter (see `is_alnum`); U+0400-U+042F are the capitals, U+0430-U+045F
            // the small letters, and the rest (historic letters) asks the Unicode tables.
            class::CYRILLIC => match (b, bytes.get(i + 1)) {
                (0xd0, Some(&b1)) => (b1 < 0xb0, Script::Cyrillic),
                (_, Some(0x80..=0x9f)) => (false, Script::Cyrillic),
                _ => (is_upper(char_at(bytes, i).0), Script::Cyrillic),
            },
            _ => {
                let (c, len) = char_at(bytes, i);
                if c.is_whitespace() {
                    if c == '\u{2028}' || c == '\u{2029}' {
                        newlines = newlines.saturating_add(1).min(2);
                    }
                    i += len;
                    continue;
                }
                if !is_alnum(c) {
                    if FOLD {
                        f.fold(i, len, c);
                    }
                    out.push(Token::punct(i, i + len, newlines));
                    newlines = 0;
                    i += len;
                    continue;
                }
                (is_upper(c), script_of(c))
            }
        };
        let start = i;
        let mut w = WordFacts { letters: 0, uppers: 0, digit: false };
        // A word opening with Ѐ-Я but Ё (most Russian and Ukrainian names) has that capital folded here: the
        // word scan would first try, and fail, a run of small letters on it.
        if let (true, 0xd0, Some(&b1 @ (0x80 | 0x82..=0xaf))) = (cap, b, bytes.get(i + 1)) {
            w.letters(1, 1);
            if FOLD {
                f.fold_cyrillic_upper(i, b1);
            }
            i += 2;
        }
        i = scan_word::<FOLD>(bytes, i, f, &mut w);
        let script =
            if script == Script::Other && w.letters > 0 { first_letter_script(&text[start..i]) } else { script };
        out.push(Token {
            start,
            end: i,
            kind: Kind::Word,
            script,
            cap,
            all_caps: w.letters >= 2 && w.uppers == w.letters,
            digit: w.digit,
            newlines_before: newlines,
        });
        newlines = 0;
        // Most words end at one space: skip it here rather than in another round of the loop.
        if bytes.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    out
}

/// Scan the word starting at byte `i` (an alphanumeric character): alphanumerics with inner joiners. Counts
/// into `w` and, with `FOLD`, folds into `f`; returns where the word ends.
#[inline(always)]
fn scan_word<const FOLD: bool>(bytes: &[u8], mut i: usize, f: &mut Folder, w: &mut WordFacts) -> usize {
    while let Some(&b) = bytes.get(i) {
        match BYTE_CLASS[usize::from(b)] {
            class::LOWER => {
                // Runs of lower-case ASCII letters, the bulk of English text, fold to themselves.
                let run = ascii_lower_run(&bytes[i..]);
                w.letters(run, 0);
                i += run;
                // Most words end at a space after such a run: seen here, it takes no other round.
                if bytes.get(i) == Some(&b' ') {
                    break;
                }
                continue;
            }
            class::UPPER => {
                w.letters(1, 1);
                if FOLD {
                    f.fold_ascii_upper(i);
                }
                i += 1;
                continue;
            }
            class::DIGIT => {
                w.digit = true;
                i += 1;
                continue;
            }
            class::JOINER => {
                // `-` and `'` fold to themselves; kept only when an alphanumeric follows.
                if alnum_at(bytes, i + 1) {
                    i += 1;
                    continue;
                }
                break;
            }
            class::CYRILLIC => {
                // Runs of lower-case Cyrillic letters, the bulk of Russian and Ukrainian text, fold to
                // themselves too; capitals are folded below; other letters (ё) take the general path.
                let run = cyrillic_lower_run(&bytes[i..]);
                if run > 0 {
                    w.letters(run / 2, 0);
                    i += run;
                    if bytes.get(i) == Some(&b' ') {
                        break;
                    }
                    continue;
                }
                // Ѐ-Я but Ё (D0 80-AF but D0 81), the capitals of Russian and Ukrainian names.
                if let (0xd0, Some(&b1 @ (0x80 | 0x82..=0xaf))) = (b, bytes.get(i + 1)) {
                    w.letters(1, 1);
                    if FOLD {
                        f.fold_cyrillic_upper(i, b1);
                    }
                    i += 2;
                    continue;
                }
            }
            class::OTHER => {}
            // Spaces, newlines and other punctuation end the word.
            _ => break,
        }
        // Any other character, through `char`.
        let (c, len) = char_at(bytes, i);
        if is_alnum(c) {
            if c as u32 >= 0x400 || c.is_alphabetic() {
                w.letters += 1;
                if is_upper(c) {
                    w.uppers += 1;
                }
            } else {
                w.digit = true;
            }
        } else if !(is_joiner(c) && alnum_at(bytes, i + len)) {
            break;
        }
        if FOLD {
            f.fold(i, len, c);
        }
        i += len;
    }
    i
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

/// The longest abbreviation, in bytes.
const ABBREVIATION_MAX: usize = 6;

/// Up to [`ABBREVIATION_MAX`] bytes as one integer: the bytes little-endian, the length in the top byte.
const fn abbreviation_key(b: &[u8]) -> u64 {
    let mut key = (b.len() as u64) << 56;
    let mut k = 0;
    while k < b.len() {
        key |= (b[k] as u64) << (8 * k);
        k += 1;
    }
    key
}

/// [`ABBREVIATIONS`] as [`abbreviation_key`]s: a few integer compares instead of string compares.
const ABBREVIATION_KEYS: [u64; ABBREVIATIONS.len()] = {
    let mut keys = [0; ABBREVIATIONS.len()];
    let mut k = 0;
    while k < keys.len() {
        assert!(ABBREVIATIONS[k].len() <= ABBREVIATION_MAX);
        keys[k] = abbreviation_key(ABBREVIATIONS[k].as_bytes());
        k += 1;
    }
    keys
};

/// `w` lower-cased is one of [`ABBREVIATIONS`]. Runs at every full stop, so ASCII and Cyrillic words are
/// lower-cased into a small stack buffer instead of a new `String`, and compared as one integer.
fn is_abbreviation(w: &str) -> bool {
    let bytes = w.as_bytes();
    // ASCII words (most words before a full stop), without decoding chars. Longer than any abbreviation in
    // ASCII and two-byte Cyrillic (lead bytes D0 and D1, U+0400-U+047F), whose lower case keeps every
    // character's length: not one either.
    match bytes.get(..=ABBREVIATION_MAX) {
        Some(head) if head.iter().all(|&b| b < 0xc0 || b == 0xd0 || b == 0xd1) => return false,
        None if bytes.is_ascii() => {
            let mut buf = [0u8; ABBREVIATION_MAX];
            buf[..bytes.len()].copy_from_slice(bytes);
            buf.make_ascii_lowercase();
            return ABBREVIATION_KEYS.contains(&abbreviation_key(&buf[..bytes.len()]));
        }
        _ => {}
    }
    // Longer than any abbreviation: lower-casing ASCII and Cyrillic keeps byte lengths, and other letters
    // take the general path below.
    let mut buf = [0u8; ABBREVIATION_MAX];
    let mut n = 0;
    for c in w.chars() {
        let lower = match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            '\0'..='\u{7f}' | '\u{0430}'..='\u{045F}' => c,
            '\u{0410}'..='\u{042F}' => char::from_u32(c as u32 + 0x20).unwrap_or(c),
            '\u{0400}'..='\u{040F}' => char::from_u32(c as u32 + 0x50).unwrap_or(c),
            _ => return ABBREVIATIONS.contains(&w.to_lowercase().as_str()),
        };
        let len = lower.len_utf8();
        if n + len > ABBREVIATION_MAX {
            return false;
        }
        lower.encode_utf8(&mut buf[n..]);
        n += len;
    }
    ABBREVIATION_KEYS.contains(&abbreviation_key(&buf[..n]))
}

/// Group tokens into sentences: a sentence ends at `.`/`!`/`?`/`…` before a capital, digit or quote, and
/// at every line break (headlines, captions and list items are lines of their own).
pub fn sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::with_capacity(tokens.len() / 16 + 1);
    let mut first = 0;
    let mut paragraph_start = true;
    let bytes = text.as_bytes();
    for (i, t) in tokens.iter().enumerate() {
        // Most tokens are words on the line of the token before: nothing to do.
        if t.kind == Kind::Word && t.newlines_before == 0 {
            continue;
        }
        if t.newlines_before > 0 && i > first {
            out.push(Sentence { first, last: i, paragraph_start });
            paragraph_start = t.newlines_before >= 2;
            first = i;
        }
        // Only `.`, `!`, `?` and `…` (E2 80 A6) end sentences: one byte tells them from other punctuation
        // (ASCII punctuation tokens are one byte long).
        if t.kind == Kind::Punct && matches!(bytes[t.start], b'.' | b'!' | b'?' | 0xe2) {
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
                    && is_abbreviation(&text[tokens[i - 1].start..tokens[i - 1].end]);
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

/// A letter or digit, with fast paths for ASCII, Cyrillic and General Punctuation (the curly quotes,
/// dashes, bullets and odd spaces of news text: none a letter or digit, as a test checks).
#[inline]
fn is_alnum(c: char) -> bool {
    match c as u32 {
        0..=0x7f => c.is_ascii_alphanumeric(),
        0x400..=0x481 | 0x48a..=0x52f => true,
        0x2000..=0x206f => false,
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

    /// The byte range in [`Folded::bytes`] of every token, in order: the word memo ([`super::words`]) walks
    /// these and reads words eight bytes at a time, without slicing `str`s.
    #[inline]
    pub fn spans(&self) -> &[(usize, usize)] {
        &self.spans
    }

    /// The whole folded document's bytes (see [`Folded::spans`]).
    #[inline]
    pub fn bytes(&self) -> &[u8] {
        self.buf.as_bytes()
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

    // The tokenizer as first written (one character at a time), the reference for the fast one.
    fn reference_tokenize(text: &str) -> Vec<Token> {
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

    /// Folding as specified, one character at a time through the Unicode tables.
    fn reference_fold(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                'ё' | 'Ё' => out.push('е'),
                '’' | '‘' | 'ʼ' => out.push('\''),
                c => out.extend(c.to_lowercase()),
            }
        }
        out
    }

    /// The folded document as specified: folded tokens, the text between them as written.
    fn reference_folded(text: &str, tokens: &[Token]) -> (String, Vec<(usize, usize)>) {
        let mut buf = String::new();
        let mut spans = Vec::new();
        let mut prev = 0;
        for t in tokens {
            buf.push_str(&text[prev..t.start]);
            let from = buf.len();
            buf.push_str(&reference_fold(&text[t.start..t.end]));
            spans.push((from, buf.len()));
            prev = t.end;
        }
        (buf, spans)
    }

    /// Every entry point agrees with the references on `text`.
    fn check(text: &str) {
        let want = reference_tokenize(text);
        assert_eq!(tokenize(text), want, "tokens of {text:?}");
        let (toks, folded) = tokenize_folded(text);
        assert_eq!(toks, want, "fused tokens of {text:?}");
        let (buf, spans) = reference_folded(text, &want);
        assert_eq!(folded.buf, buf, "fold of {text:?}");
        assert_eq!(folded.spans, spans, "fold spans of {text:?}");
        let old = Folded::new(text, &want);
        assert_eq!((old.buf, old.spans), (buf, spans), "Folded::new of {text:?}");
        for t in want.iter().filter(|t| t.kind == Kind::Word) {
            let w = &text[t.start..t.end];
            assert_eq!(is_abbreviation(w), ABBREVIATIONS.contains(&w.to_lowercase().as_str()), "{w:?}");
        }
    }

    #[test]
    fn fast_paths_match_the_references_on_tricky_text() {
        for t in [
            "",
            " ",
            "\n\n",
            "a",
            "A",
            "В Белгороде, Rostov-on-Don; FAB-250 Ukraine’s x- y",
            "Ёлки и ёжики: ЁЖ, Ёж, ёж. ЇЖАК Ґанок ґ Ѐ Ѝ Џ Ђ ђ Ѣ ѣ Ӂ",
            "‘Kyiv’ ‘’ ’s ʼ Ukraineʼs l’Ouest don't rock-’n’-roll 'x' -y- --z",
            "line\u{2028}sep\u{2029}para\u{85}nel\u{a0}nbsp\u{3000}ideo\u{200b}zw\u{feff}bom\x0bvt\x0cff\r\n",
            "Ὀδυσσεύς ΣΊΣΥΦΟΣ ΑΘΗΝΑ Σ İstanbul ǅemal ǈ Ǳ ÆØÅ Ärger ÉCOLE ß ẞ ﬁ K Ω Å Ⅻ Ⓐ ⓐ ℃ №5",
            "e\u{301}te\u{301} E\u{301}TE\u{301} \u{301}x a\u{20dd} Ä\u{308}",
            "12 000 2024-05-20 9:30 3.5km ²³ ½ ٣٤ ४२ 七十 x²",
            "😀 drone😀strike 🇺🇦 Kyiv🇺🇦 👍🏽 \u{10ffff} \u{e000}",
            "Mr. Smith a.m. гг. Г. ОБЛ. обл. Approx. APPROX. Sept. пгт. ПГТ. смт. Смт. İ. K. ΣΤ.",
            "«Сумщина» — “Харківщина” – …Донеччина… Щ щ Ъ",
            "trailing joiner- and ’ and \u{2011}x a\u{2011}b",
        ] {
            check(t);
        }
    }

    #[test]
    fn fast_paths_match_the_references_on_every_character() {
        // Each character alone, inside a word, after a joiner and next to a full stop.
        let mut s = String::new();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            s.clear();
            s.extend([c, ' ', 'a', c, 'b', '-', c, ' ', 'Z', c, '.', c, '\n']);
            check(&s);
        }
    }

    #[test]
    fn is_alnum_is_std_alphanumeric_on_every_character() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn char_fold_matches_to_lowercase_everywhere() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let want = reference_fold(&c.to_string());
            let got = match char_fold(c) {
                CharFold::Same => c.to_string(),
                CharFold::To(to) => to.to_string(),
                CharFold::General => c.to_lowercase().collect(),
            };
            assert_eq!(got, want, "{c:?}");
        }
    }

    #[test]
    fn fast_paths_match_the_references_on_random_text() {
        const ALPHABET: &[char] = &[
            'a', 'b', 'z', 'A', 'Q', 'Z', '0', '7', ' ', ' ', ' ', '\n', '\t', '\r', '.', ',', '-', '\'', '"', '(',
            '!', '?', 'а', 'я', 'А', 'Я', 'ё', 'Ё', 'ї', 'Ї', 'ґ', 'Ґ', 'є', 'Ѐ', 'Ѣ', '’', '‘', 'ʼ', '\u{2011}',
            '\u{2028}', '\u{2029}', '\u{a0}', '«', '»', '—', '–', '…', '“', 'é', 'É', 'ß', 'İ', 'Σ', 'σ', 'ς', 'Ω',
            'K', '\u{301}', '\u{308}', '²', '٣', '七', '😀', '\u{fffd}', 'м', 'М', 'г', 'Г', 'с', 'р',
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |m: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % m
        };
        let mut s = String::new();
        for _ in 0..20_000 {
            s.clear();
            let len = next(40);
            for _ in 0..len {
                s.push(ALPHABET[next(ALPHABET.len())]);
            }
            check(&s);
        }
    }

    #[test]
    fn runs_match_byte_loops() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |m: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % m
        };
        // Mostly lower-case letters (the first eleven), so that runs cross the eight-byte chunks at every offset.
        const LETTERS: &[char] = &[
            'a', 'q', 'z', 'а', 'п', 'р', 'я', 'і', 'ї', 'є', 'џ', 'ё', 'A', 'Я', 'І', 'Ѐ', '`', '{', '@', '[', 'ѐ',
            'ѯ', ' ', 'é',
        ];
        let mut s = String::new();
        for _ in 0..20_000 {
            s.clear();
            let len = next(30);
            for _ in 0..len {
                let c = if next(4) == 0 { LETTERS[next(LETTERS.len())] } else { LETTERS[next(11)] };
                s.push(c);
            }
            let b = s.as_bytes();
            for from in 0..b.len() {
                let ascii = b[from..].iter().take_while(|c| c.is_ascii_lowercase()).count();
                assert_eq!(ascii_lower_run(&b[from..]), ascii, "{s:?} from {from}");
                let mut cyr = 0;
                while let [0xd0, 0xb0..=0xbf, ..] | [0xd1, 0x80..=0x90 | 0x92..=0x9f, ..] = b[from + cyr..] {
                    cyr += 2;
                }
                assert_eq!(cyrillic_lower_run(&b[from..]), cyr, "{s:?} from {from}");
            }
            check(&s);
        }
    }

    #[test]
    fn byte_classes_match_the_std_predicates() {
        for b in 0..=255u8 {
            let want = if b.is_ascii_lowercase() {
                class::LOWER
            } else if b.is_ascii_uppercase() {
                class::UPPER
            } else if b.is_ascii_digit() {
                class::DIGIT
            } else if b == b'\n' {
                class::NEWLINE
            } else if b.is_ascii_whitespace() {
                class::SPACE
            } else if b.is_ascii() && is_joiner(char::from(b)) {
                class::JOINER
            } else if b.is_ascii() {
                class::PUNCT
            } else if (0x400..0x480).any(|c| char::from_u32(c).is_some_and(|c| c.to_string().as_bytes()[0] == b)) {
                class::CYRILLIC
            } else {
                class::OTHER
            };
            assert_eq!(BYTE_CLASS[usize::from(b)], want, "{b:#x}");
        }
    }

    #[test]
    fn abbreviations_match_the_lower_cased_list() {
        for w in [
            "Mr",
            "MR",
            "mrs",
            "Sept",
            "APPROX",
            "approx",
            "approxi",
            "Gen",
            "general",
            "обл",
            "Обл",
            "ОБЛ",
            "област",
            "Смт",
            "смт",
            "ПГТ",
            "пгт",
            "пгтт",
            "вул",
            "Вул",
            "вулиця",
            "Ім",
            "ім",
            "г",
            "Г",
            "гг",
            "ГГ",
            "ггг",
            "Ѡѡѡѡ",
            "Ѣ",
            "obl",
            "Obl",
            "oblast",
            "р",
            "Р",
            "ё",
            "Ёё",
            "мр",
            "aБ",
            "ab",
            "Київ",
            "Kiev",
            "İ",
            "İm",
            "KM",
            "\u{212a}m",
            "ß",
            "Σ",
            "км",
            "КМ",
            "Км",
            "кмкмкм",
            "Хмельницький",
            "7",
            "a7",
            "ааааааа",
        ] {
            assert_eq!(is_abbreviation(w), ABBREVIATIONS.contains(&w.to_lowercase().as_str()), "{w:?}");
        }
    }

    #[test]
    fn binary_and_invalid_utf8() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0\0"));
        assert!(!looks_binary("обычный текст\n".as_bytes()));
        let (text, bad) = decode_lossy(b"ok \xff\xfe fine");
        assert!(bad > 0 && text.contains("fine"));
    }
}
