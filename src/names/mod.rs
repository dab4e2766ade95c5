//! Name normalisation: one function, [`key`], that every lookup goes through, so that spellings of the
//! same name meet (Graivoron / Grayvoron / Грайворон), and [`lemma_keys`], which offers the base forms
//! of a Russian or Ukrainian word in a grammatical case (Белгороде → Белгород).
//!
//! A key is a lossy "spelling skeleton": lower-case ASCII letters and single spaces (other scripts pass
//! through lower-cased). It is built in two steps:
//!
//! 1. **Letters to Latin.** Case folding; apostrophes (' ’ ʼ ‘ `), soft and hard signs dropped; Latin
//!    diacritics stripped (ë → e, with č/š/ž → ch/sh/zh as in scholarly transliteration); Cyrillic
//!    transliterated (х → kh, ц → ts, ж → zh, щ → shch, я → ia, ю → iu, є → ie, ї → i; Ukrainian г → h when
//!    the name has a letter only Ukrainian or Belarusian uses, і ї є ґ ў); every other non-letter is a space.
//! 2. **Spelling folds**, so that the press, BGN/PCGN and scholarly systems meet: y and j → i; w → v;
//!    x → ks (h at the start of a word); c (not in ch) → ts; tz → ts; kh → h; ie → e (so ye, je, ie and є all become e);
//!    io → e after a consonant or at a word's start (so yo, io and ё all become e: Tyotkino = Тёткино = Теткино); runs of the
//!    same letter collapse (Odessa → odesa, -skii/-skiy/-sky/-skyi → -ski, -oye/-oe/-oie → -oe).
//!
//! ```
//! use incimap::names::key;
//! assert_eq!(key("Grayvoron"), key("Грайворон"));
//! assert_eq!(key("Rubezhnoye"), key("Рубежное"));
//! assert_eq!(key("Kamensk-Shakhtinsky"), key("Kamensk-Shakhtinskiy"));
//! assert_eq!(key("Ryl’sk"), "rilsk");
//! ```
//!
//! Pairs that no fold can make meet (Kiev/Kyiv, Gorlovka/Horlivka, Oryol/Orel) meet through GeoNames'
//! alternate names, which the gazetteer indexes under their keys too.
//!
//! Both functions are allocation-light and fast (several million short words per second): the
//! extraction of places from article text calls them on every capitalised token. [`key_into`] and
//! [`for_each_lemma`] reuse buffers for hot loops.

use std::ops::ControlFlow;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

pub mod romanize;

/// Fewest consonants a [`consonant_skeleton`] keeps: shorter skeletons meet too many names (Kurzk, a typo of
/// Kursk, would meet the Ukrainian Kryzke).
pub const MIN_SKELETON_CONSONANTS: usize = 5;

/// The consonants of a [`key`], with h for g and runs collapsed: what a Russian spelling of a Ukrainian name shares
/// with it when the vowels differ (Svetlichnoye / Svitlychne, Petrovskoye / Petrivske, Podgorodnoye / Pidhorodne). `None` with fewer than [`MIN_SKELETON_CONSONANTS`] consonants.
///
/// ```
/// use incimap::names::{consonant_skeleton, key};
/// assert_eq!(consonant_skeleton(&key("Svetlichnoye")), consonant_skeleton(&key("Світличне")));
/// assert_eq!(consonant_skeleton(&key("Podgorodnoye")), consonant_skeleton(&key("Pidhorodne")));
/// assert_eq!(consonant_skeleton(&key("Ivanovo")), None);
/// ```
pub fn consonant_skeleton(name_key: &str) -> Option<String> {
    let mut out = String::with_capacity(name_key.len());
    for c in name_key.chars() {
        let c = if c == 'g' { 'h' } else { c };
        if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | ' ') || !c.is_ascii_alphabetic() || out.ends_with(c) {
            continue;
        }
        out.push(c);
    }
    (out.len() >= MIN_SKELETON_CONSONANTS).then_some(out)
}

/// Version of the [`key`] function. Stored in each gazetteer; bump it whenever `key` changes so that
/// stale gazetteers are rebuilt rather than silently mismatched.
pub const KEY_VERSION: u32 = 3;

/// The lookup key of a name: see the [module documentation](self) for what it folds.
///
/// ```
/// assert_eq!(incimap::names::key("  Stary   Oskol "), incimap::names::key("Staryy-Oskol"));
/// assert_eq!(incimap::names::key("Orël"), "orel");
/// ```
pub fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    key_into(name, &mut out);
    out
}

/// [`key`] written into `out` (cleared first), to reuse one buffer across many calls.
pub fn key_into(name: &str, out: &mut String) {
    let mut buf = std::mem::take(out).into_bytes();
    buf.clear();
    let mut f = Folder { out: buf };
    if name.is_ascii() {
        fold_ascii(name.as_bytes(), &mut f);
    } else {
        fold_unicode(name, &mut f);
    }
    f.finish();
    // The folder only ever pushes ASCII bytes or whole UTF-8 encoded chars, and only pops ASCII bytes.
    *out = String::from_utf8(f.out).unwrap_or_default();
}

/// Appends folded letters to a key, applying the spelling folds that look back at the previous letter.
struct Folder {
    out: Vec<u8>,
}

impl Folder {
    #[inline]
    fn last(&self) -> u8 {
        self.out.last().copied().unwrap_or(b' ')
    }

    /// A word separator: at most one, never leading.
    #[inline]
    fn space(&mut self) {
        if !self.out.is_empty() && self.last() != b' ' {
            self.out.push(b' ');
        }
    }

    /// A lower-case ASCII letter or digit after the letter-level folds (y/j → i, w → v, x → ks, c → ts
    /// are the caller's); applies kh → h, tz → ts, ie → e and the collapse of repeated letters.
    #[inline]
    fn letter(&mut self, b: u8) {
        let last = self.last();
        match b {
            b'h' if last == b'k' => {
                self.out.pop();
                self.plain(b'h');
            }
            b'z' if last == b't' => self.plain(b's'),
            b'e' if last == b'i' => {
                self.out.pop();
                self.plain(b'e');
            }
            // ё written yo/io (Tyotkino, Yolkino) is the e of the Cyrillic key (Тёткино, Ёлкино → tetkino,
            // elkino), and of Russian spellings that drop the dots (Теткино): after a consonant or at the
            // start of a word, not after a vowel (raion, Maiorsk).
            b'o' if last == b'i' && !self.before_last().is_some_and(is_key_vowel) => {
                self.out.pop();
                self.plain(b'e');
            }
            _ => self.plain(b),
        }
    }

    /// The byte before the last one, when there is one and it is not a word break.
    #[inline]
    fn before_last(&self) -> Option<u8> {
        let n = self.out.len();
        (n >= 2).then(|| self.out[n - 2]).filter(|&b| b != b' ')
    }

    #[inline]
    fn plain(&mut self, b: u8) {
        if self.last() != b || b.is_ascii_digit() {
            self.out.push(b);
        }
    }

    /// A lower-case ASCII letter before the letter-level folds; `next` is the following input byte
    /// (lower-cased), for c/ch.
    #[inline(always)]
    fn ascii(&mut self, b: u8, next: u8) {
        match b {
            b'y' | b'j' => self.letter(b'i'),
            b'w' => self.letter(b'v'),
            // scholarly x is х (Xarkiv); elsewhere x is Latin ks (Alexandrovka)
            b'x' if self.last() == b' ' => self.letter(b'h'),
            b'x' => {
                self.letter(b'k');
                self.letter(b's');
            }
            b'c' if next != b'h' => {
                self.letter(b't');
                self.letter(b's');
            }
            _ => self.letter(b),
        }
    }

    /// Latin transliteration of a Cyrillic string, letter by letter.
    #[inline]
    fn latin(&mut self, s: &str) {
        let bytes = s.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            self.ascii(b, bytes.get(i + 1).copied().unwrap_or(b' '));
        }
    }

    /// A character of another script, kept as it is (lower-cased by the caller).
    fn other(&mut self, c: char) {
        let mut tmp = [0u8; 4];
        self.out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
    }

    fn finish(&mut self) {
        if self.out.last() == Some(&b' ') {
            self.out.pop();
        }
    }
}

/// A vowel of a key (after the folds: y and j are i).
#[inline]
fn is_key_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Apostrophes and the characters used for them (dropped, not word breaks: Ryl’sk → rylsk).
#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | '´' | 'ʹ' | 'ʻ' | '′' | 'ˈ')
}

fn fold_ascii(s: &[u8], f: &mut Folder) {
    for (i, &b) in s.iter().enumerate() {
        let b = b.to_ascii_lowercase();
        if b.is_ascii_lowercase() {
            let next = s.get(i + 1).map(|n| n.to_ascii_lowercase()).unwrap_or(b' ');
            f.ascii(b, next);
        } else if b.is_ascii_digit() {
            f.letter(b);
        } else if b == b'\'' || b == b'`' {
            // apostrophe: dropped
        } else {
            f.space();
        }
    }
}

/// Whether a Cyrillic name is Ukrainian or Belarusian (where г is h), judged by letters Russian lacks.
fn h_for_g(s: &str) -> bool {
    s.chars().any(|c| matches!(c, 'і' | 'ї' | 'є' | 'ґ' | 'ў' | 'І' | 'Ї' | 'Є' | 'Ґ' | 'Ў'))
}

/// Latin for one lower-case Cyrillic letter; `None` for letters that are dropped (ь, ъ), and the letter
/// itself (as `Some("")` is never returned) for unknown ones, which the caller keeps.
#[inline]
fn cyrillic(c: char, h_mode: bool) -> Option<Option<&'static str>> {
    let s = match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => {
            if h_mode {
                "h"
            } else {
                "g"
            }
        }
        'ґ' | 'ѓ' => "g",
        'д' => "d",
        'е' | 'ё' | 'э' => "e",
        'є' => "ie",
        'ж' => "zh",
        'з' => "z",
        'и' | 'й' | 'ы' | 'і' | 'ї' | 'ј' => "i",
        'к' | 'ќ' => "k",
        'л' | 'љ' => "l",
        'м' => "m",
        'н' | 'њ' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' | 'ў' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' | 'ћ' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ю' => "iu",
        'я' => "ia",
        'ђ' => "dj",
        'џ' | 'ѕ' => "dz",
        'ь' | 'ъ' => return Some(None),
        _ => return None,
    };
    Some(Some(s))
}

/// Latin letters whose diacritic carries a sound the base letter lacks (scholarly č š ž), and letters
/// with no canonical decomposition.
#[inline]
fn special_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'č' | 'ć' => "ch",
        'š' | 'ś' => "sh",
        'ž' | 'ź' => "zh",
        'ł' => "l",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// A letter of the basic Cyrillic block (U+0400–U+045F: no apostrophes or combining marks there) lower-cased
/// by its offset, as `char::to_lowercase` would give it but without the table search; `None` outside it.
#[inline]
fn basic_cyrillic_lower(c: char) -> Option<char> {
    let lower = match c {
        '\u{0400}'..='\u{040F}' => c as u32 + 0x50,
        '\u{0410}'..='\u{042F}' => c as u32 + 0x20,
        '\u{0430}'..='\u{045F}' => c as u32,
        _ => return None,
    };
    char::from_u32(lower)
}

fn fold_unicode(s: &str, f: &mut Folder) {
    let h_mode = h_for_g(s);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii() {
            let b = c as u8;
            if b.is_ascii_alphabetic() {
                let next = chars.peek().map(|n| n.to_ascii_lowercase()).filter(char::is_ascii).unwrap_or(' ');
                f.ascii(b.to_ascii_lowercase(), next as u8);
            } else if b.is_ascii_digit() {
                f.letter(b);
            } else if is_apostrophe(c) {
            } else {
                f.space();
            }
            continue;
        }
        if let Some(lc) = basic_cyrillic_lower(c) {
            match cyrillic(lc, h_mode) {
                Some(Some(latin)) => f.latin(latin),
                Some(None) => {}
                None => f.other(lc),
            }
            continue;
        }
        if is_apostrophe(c) || is_combining_mark(c) {
            continue;
        }
        for lc in c.to_lowercase() {
            if ('\u{0400}'..='\u{04FF}').contains(&lc) {
                match cyrillic(lc, h_mode) {
                    Some(Some(latin)) => f.latin(latin),
                    Some(None) => {}
                    None => f.other(lc),
                }
            } else if let Some(latin) = special_latin(lc) {
                f.latin(latin);
            } else if lc.is_alphabetic() {
                // Compatibility decomposition: keep the base letters, drop the marks (ë → e, ﬁ → fi).
                decompose_compatible(lc, |d| {
                    if d.is_ascii_alphanumeric() {
                        let d = d.to_ascii_lowercase() as u8;
                        if d.is_ascii_digit() { f.letter(d) } else { f.ascii(d, b' ') }
                    } else if !is_combining_mark(d) {
                        f.other(d);
                    }
                });
            } else if lc.is_numeric() {
                f.other(lc);
            } else {
                f.space();
            }
        }
    }
}

/// Candidate keys for a possibly inflected name: its own [`key`] first, then the keys of the base forms
/// its Russian or Ukrainian case endings suggest (Белгороде → белгород, Клинцах → клинцы, Херсоні →
/// херсон, Сумах → суми/сумы, Курской области → курская область). Candidates are guesses: the caller
/// keeps those the gazetteer knows.
///
/// ```
/// use incimap::names::{key, lemma_keys};
/// let c = lemma_keys("Белгороде");
/// assert_eq!(c[0], key("Белгороде"));
/// assert!(c.contains(&key("Белгород")));
/// assert!(lemma_keys("Курской области").contains(&key("Курская область")));
/// ```
pub fn lemma_keys(name: &str) -> Vec<String> {
    let k = key(name);
    let mut out = vec![k.clone()];
    for_each_lemma(&k, |cand| {
        if !out.iter().any(|o| o == cand) {
            out.push(cand.to_string());
        }
    });
    out
}

/// The Russian spellings, in key form, a Russian place name written the Ukrainian way (`name_key`, a
/// [`key`]) may have: Ukrainian closes the -овка and -евка of Russian villages to -івка (Бессоновка →
/// Безсонівка, Вейделевка → Вейделівка) and keeps без- before a voiceless consonant where Russian writes
/// бес-. Empty when neither applies. Guesses, for names the gazetteer does not know as written; the caller
/// keeps only Russian places.
///
/// ```
/// use incimap::names::{key, russian_spellings};
/// assert_eq!(russian_spellings(&key("Безсонівка")), [key("Бессоновка"), key("Бессоневка")]);
/// assert!(russian_spellings(&key("Вейделівка")).contains(&key("Вейделевка")));
/// assert!(russian_spellings(&key("Белгород")).is_empty());
/// ```
pub fn russian_spellings(name_key: &str) -> Vec<String> {
    if !name_key.contains("ivk") && !name_key.starts_with("bez") {
        return Vec::new();
    }
    let mut out = name_key.to_string();
    let mut changed = false;
    if out.starts_with("bez") && out[3..].starts_with(['s', 'k', 'p', 't', 'f', 'h', 'c']) {
        out.replace_range(..3, "bes");
        changed = true;
    }
    match out.rfind("ivk").filter(|&at| at >= MIN_STEM) {
        // Keys write doubled letters once (бесс → bes).
        Some(at) => ["ovk", "evk"]
            .iter()
            .map(|vowel| {
                out.replace_range(at..at + 3, vowel);
                key(&out)
            })
            .collect(),
        None if changed => vec![key(&out)],
        None => Vec::new(),
    }
}

/// Ending (in key form) → what the base form ends with instead. Longest endings first matter only for
/// readability: every matching ending contributes its candidates.
const ENDINGS: &[(&str, &[&str])] = &[
    // adjectives (Курской, Рубежного, Старом Осколе, Харківської, Курскую)
    // (-ого is also the genitive of Ukrainian neuter names in -е and Russian ones in -о: Шебекиного)
    ("ogo", &["i", "oe", "e", "o"]),
    ("ego", &["i", "e"]),
    ("oho", &["i", "e", "a", "o"]),
    ("eho", &["i", "e"]),
    ("omu", &["i", "oe", "e", "o"]),
    ("emu", &["i", "e"]),
    ("uiu", &["aia", "a"]),
    ("oiu", &["a", "aia"]),
    ("eiu", &["ia", "e"]),
    ("imi", &["i", "e"]),
    ("ami", &["i", "a", "", "ia"]),
    ("ovi", &["", "o"]),
    ("evi", &["", "e"]),
    ("oi", &["a", "aia", "i"]),
    ("ei", &["", "ia", "a"]),
    ("om", &["", "o", "oe", "i"]),
    ("em", &["", "e"]),
    ("im", &["i", "e", "", "oe"]),
    ("ih", &["i", "e"]),
    // nouns, plural (Клинцах, Сумах, Клинцов)
    ("ah", &["i", "a", ""]),
    ("am", &["i", "a", ""]),
    ("ov", &["i"]),
    ("ev", &["i"]),
    // Ukrainian consonant alternations before -і (Шостці → Шостка, Ризі → Рига, Сумщині's кі → ка), also of
    // masculine names (Таганрозі → Таганріг, Розі → Ріг)
    ("tsi", &["ka"]),
    ("si", &["ka", "ha"]),
    ("zi", &["ga", "ha", "g", "h"]),
    // the genitive of names in -ець drops its vowel (Тростянця → Тростянець, Кременця → Кременець)
    ("tsia", &["ts"]),
    // the genitive plural of names in -ки (Олешок → Олешки, Ріпок → Ріпки)
    ("ok", &["ki"]),
    // nouns, singular (Белгороде, Москве, Херсоні, Белгорода, Москву, Ярославля, Ярославлю)
    ("e", &["", "a", "o", "ia"]),
    ("i", &["", "a", "ia", "o"]),
    ("u", &["", "a", "o"]),
    ("a", &["", "o"]),
    ("o", &[""]),
];

/// Shortest stem (in key bytes) left after removing an ending.
const MIN_STEM: usize = 3;
/// Most candidates [`for_each_lemma`] produces for a multi-word name.
const MAX_MULTIWORD_CANDIDATES: usize = 64;

/// Calls `f` with each base-form candidate of `key` (already a [`key`]), not including `key` itself.
/// Candidates may repeat. Multi-word keys get every combination of their words' candidates (bounded).
///
/// ```
/// let mut seen = Vec::new();
/// incimap::names::for_each_lemma("taganroge", |c| seen.push(c.to_string()));
/// assert!(seen.iter().any(|c| c == "taganrog"));
/// ```
pub fn for_each_lemma(key: &str, mut f: impl FnMut(&str)) {
    let _ = try_for_each_lemma(key, |c| {
        f(c);
        ControlFlow::Continue(())
    });
}

/// [`for_each_lemma`] until `f` breaks: for a caller that needs only the first candidate it accepts, the
/// candidates after it are not worked out. Breaks when `f` did.
pub(crate) fn try_for_each_lemma(key: &str, mut f: impl FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
    if !key.contains(' ') {
        let mut buf = String::with_capacity(key.len() + 4);
        return word_lemmas(key, &mut buf, &mut f);
    }
    // Multi-word: each word keeps itself or takes one of its candidates.
    let words: Vec<&str> = key.split(' ').collect();
    let mut options: Vec<Vec<String>> = Vec::with_capacity(words.len());
    for w in &words {
        let mut opts = vec![w.to_string()];
        let mut buf = String::new();
        let _ = word_lemmas(w, &mut buf, &mut |c| {
            if !opts.iter().any(|o| o == c) {
                opts.push(c.to_string());
            }
            ControlFlow::Continue(())
        });
        options.push(opts);
    }
    let mut idx = vec![0usize; words.len()];
    let mut produced = 0;
    let mut cand = String::with_capacity(key.len() + 8);
    loop {
        // advance the odometer; the all-zero combination is the key itself and is skipped
        let mut pos = words.len();
        loop {
            if pos == 0 {
                return ControlFlow::Continue(());
            }
            pos -= 1;
            idx[pos] += 1;
            if idx[pos] < options[pos].len() {
                break;
            }
            idx[pos] = 0;
        }
        cand.clear();
        for (w, &i) in options.iter().zip(&idx) {
            if !cand.is_empty() {
                cand.push(' ');
            }
            cand.push_str(&w[i]);
        }
        f(&cand)?;
        produced += 1;
        if produced >= MAX_MULTIWORD_CANDIDATES {
            return ControlFlow::Continue(());
        }
    }
}

/// Candidates for one word (a key without spaces), through `buf`, until `f` breaks.
fn word_lemmas(word: &str, buf: &mut String, f: &mut dyn FnMut(&str) -> ControlFlow<()>) -> ControlFlow<()> {
    if !word.is_ascii() || word.len() < MIN_STEM + 1 {
        return ControlFlow::Continue(());
    }
    let last = word.as_bytes().last().copied();
    for (ending, bases) in ENDINGS {
        // Most endings differ from the word in the last letter already: a byte test before the comparison.
        if ending.as_bytes().last().copied() != last {
            continue;
        }
        let Some(stem) = word.strip_suffix(ending) else { continue };
        if stem.len() < MIN_STEM {
            continue;
        }
        for base in *bases {
            buf.clear();
            refold(stem, base, buf);
            f(buf)?;
            // A nominative ending in a consonant (the ending's base has no vowel) may change its last syllable.
            if base.bytes().any(is_vowel) {
                continue;
            }
            let bare = buf.clone();
            // Ukrainian closes o/e to i in the nominative's last syllable: Харкова → Харків, Києві → Київ.
            if let Some(closed) = closed_syllable(&bare) {
                f(&closed)?;
            }
            // A fleeting vowel (Орле → Орёл, Ельце → Елец): put e or o back before the last consonant.
            if let Some(with_vowel) = fleeting_vowel(&bare) {
                for v in ["e", "o"] {
                    buf.clear();
                    buf.push_str(&bare[..with_vowel]);
                    buf.push_str(v);
                    buf.push_str(&bare[with_vowel..]);
                    let folded = key(buf);
                    f(&folded)?;
                }
            }
        }
    }
    ControlFlow::Continue(())
}

/// `stem + base` as a key (the join may create a repeated letter or an `ie` to fold).
fn refold(stem: &str, base: &str, buf: &mut String) {
    let mut folder = Folder { out: std::mem::take(buf).into_bytes() };
    folder.out.extend_from_slice(stem.as_bytes());
    for &b in base.as_bytes() {
        folder.letter(b);
    }
    *buf = String::from_utf8(folder.out).unwrap_or_default();
}

/// `stem` with the o or e of its last syllable closed to i, when only consonants follow it (harkov → harkiv).
fn closed_syllable(stem: &str) -> Option<String> {
    let b = stem.as_bytes();
    let v = b.iter().rposition(|&c| is_vowel(c))?;
    let tail = b.len() - v - 1;
    if !matches!(b[v], b'o' | b'e') || !(1..=2).contains(&tail) || v < 1 {
        return None;
    }
    let mut out = String::with_capacity(stem.len());
    out.push_str(&stem[..v]);
    out.push('i');
    out.push_str(&stem[v + 1..]);
    Some(key(&out))
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Where a fleeting vowel would go in `stem`: before its last consonant (or before a final `ts`/`k`/`l`
/// cluster) when the stem ends in two consonants.
fn fleeting_vowel(stem: &str) -> Option<usize> {
    let b = stem.as_bytes();
    let n = b.len();
    if n < 3 {
        return None;
    }
    // the final consonant unit: "ts" counts as one (ц)
    let unit = if stem.ends_with("ts") { 2 } else { 1 };
    let before = n.checked_sub(unit + 1)?;
    if is_vowel(b[n - 1]) || is_vowel(b[before]) || !matches!(b[n - 1], b'l' | b'k' | b's' | b'n' | b'r') {
        return None;
    }
    Some(n - unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_are_idempotent_on_samples() {
        for s in ["Graivoron", "Kiev", "Kyiv", "Rubezhnoye", "kkh", "Makeyevka", "Шахты", "Zaporizhzhia", "Tz"] {
            let k = key(s);
            assert_eq!(key(&k), k, "{s}");
        }
    }

    #[test]
    fn separators_and_case() {
        assert_eq!(key(" Rostov-na-Donu "), "rostov na donu");
        assert_eq!(key("ROSTOV—NA  DONU"), "rostov na donu");
        assert_eq!(key(""), "");
        assert_eq!(key("-- '' --"), "");
    }

    /// The basic Cyrillic shortcut in `fold_unicode` takes the path the general one would: each letter is
    /// one lower-case letter of the block, and none is an apostrophe or a combining mark.
    #[test]
    fn basic_cyrillic_shortcut_agrees_with_the_general_path() {
        for c in '\u{0300}'..='\u{0500}' {
            let Some(lc) = basic_cyrillic_lower(c) else {
                assert!(!('\u{0400}'..='\u{045F}').contains(&c));
                continue;
            };
            assert_eq!(c.to_lowercase().collect::<Vec<_>>(), vec![lc], "{c}");
            assert!(('\u{0400}'..='\u{04FF}').contains(&lc));
            assert!(!is_apostrophe(c) && !is_combining_mark(c), "{c}");
        }
    }

    /// Case forms whose nominative changes more than its ending (Ukrainian grammar): the locative of Таганріг
    /// is Таганрозі (г → з, і → о), the genitive of Тростянець is Тростянця (the е drops), of Олешки Олешок,
    /// of Шебекине Шебекиного.
    #[test]
    fn lemmas_undo_alternations_and_dropped_vowels() {
        for (form, nominative) in
            [("Таганрозі", "Таганріг"), ("Тростянця", "Тростянець"), ("Олешок", "Олешки"), ("Шебекиного", "Шебекине")]
        {
            let mut seen = Vec::new();
            for_each_lemma(&key(form), |c| seen.push(c.to_string()));
            assert!(seen.contains(&key(nominative)), "{form}: {seen:?} lacks {}", key(nominative));
        }
    }

    /// `try_for_each_lemma` gives `for_each_lemma`'s candidates in the same order, and stops where `f` breaks.
    #[test]
    fn try_for_each_lemma_is_a_prefix_of_for_each_lemma() {
        for name in ["Белгороде", "Харкова", "Орле", "Сумах", "Курской области", "Старом Осколе", "Taganroge", "Kursk"]
        {
            let k = key(name);
            let mut all = Vec::new();
            for_each_lemma(&k, |c| all.push(c.to_string()));
            for stop in 0..=all.len() {
                let mut seen: Vec<String> = Vec::new();
                let flow = try_for_each_lemma(&k, |c| {
                    seen.push(c.to_string());
                    if seen.len() > stop { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
                });
                assert_eq!(seen, all[..(stop + 1).min(all.len())], "{name} {stop}");
                assert_eq!(flow.is_break(), stop < all.len(), "{name} {stop}");
            }
        }
    }

    #[test]
    fn other_scripts_pass_through() {
        assert_eq!(key("東京"), "東京");
        assert_eq!(key("Ελλάδα"), "ελλαδα");
    }
}
