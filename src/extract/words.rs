//! Facts about a folded word that the geoparser asks again and again (does it report an event, hedge, name
//! a date or a weapon? is it a common word, a given name, a street or settlement word?), worked out once per
//! distinct word and cached per thread: news text repeats its vocabulary, so a word costs one lookup instead
//! of a pass over every word list, and every later check reads a bit (the bits are [`super::classes`]).

use std::cell::RefCell;
use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet as HashSet};

use super::classes::*;
use super::lexicon;
use super::text::{Folded, Kind, Token};

/// The words that start a "between A and B" pair.
pub const BETWEEN_WORDS: &[&str] = &["between", "между", "між"];

/// The classes of one folded word.
pub fn classify(word: &str) -> Classes {
    let events = super::events::lexicon().classes_of(word);
    let mut c = Classes::from(events) << EVENT_SHIFT;
    if events & super::events::REPORTS_EVENT != 0 {
        c |= TRIGGER;
    }
    if super::roles::is_hedge(word) {
        c |= HEDGE;
    }
    if super::dates::is_date_word(word) {
        c |= DATE;
    }
    if super::dates::is_earlier_word(word) {
        c |= EARLIER;
    }
    if super::dates::is_now_word(word) {
        c |= NOW;
    }
    if super::weapons::is_weapon_word(word) {
        c |= WEAPON;
    }
    if super::lexicon::is_speech(word) {
        c |= SPEECH;
    }
    if super::lexicon::has_stem(word, super::lexicon::DESTINATION_STEMS) {
        c |= DESTINATION;
    }
    if super::lexicon::has_stem(word, super::lexicon::HOUSING_STEMS) {
        c |= HOUSING;
    }
    if super::lexicon::has_stem(word, super::lexicon::HOSPITAL_STEMS) {
        c |= HOSPITAL;
    }
    if super::lexicon::CAPTION_LETTERS.iter().any(|l| word.contains(l)) {
        c |= CAPTION;
    }
    let sets: [(&HashSet<&str>, Classes); 8] = [
        (&lexicon::NOT_PLACES, NOT_PLACE),
        (&lexicon::SETTLEMENT_CUE_SET, SETTLEMENT_CUE),
        (&lexicon::ENGLISH_WORDS, ENGLISH),
        (&lexicon::CYRILLIC_COMMON, CYRILLIC_COMMON),
        (&lexicon::GIVEN_NAMES, GIVEN_NAME),
        (&lexicon::TITLES, TITLE),
        (&lexicon::OUTLET_WORDS, OUTLET),
        (&FEATURE_SET, FEATURE),
    ];
    for (set, class) in sets {
        if set.contains(word) {
            c |= class;
        }
    }
    if super::roles::NEAR_BEFORE.contains(&word) {
        c |= NEAR;
    }
    if super::lexicon::ATTACH_GAP.contains(&word) {
        c |= ATTACH_GAP;
    }
    if super::regions::is_region_word(word) {
        c |= REGION;
    }
    if BETWEEN_WORDS.contains(&word) {
        c |= BETWEEN;
    }
    c | super::roles::context_cue_classes(word) | super::weapons::word_classes(word)
}

static FEATURE_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| lexicon::FEATURE_WORDS.iter().copied().collect());

/// Distinct words seen before this many are forgotten (bounds memory on endless input).
const LIMIT: usize = 500_000;

thread_local! {
    /// One cache per thread, shared by every extractor on it: classes depend on the word alone, and a
    /// short-lived extractor (one per article) should not pay for the vocabulary again.
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// Slots of the memo for words of up to eight bytes (a power of two).
const TINY_SLOTS: usize = 16384;
/// Slots of the memo for words of nine to sixteen bytes (a power of two).
const SHORT_SLOTS: usize = 16384;
/// Slots of the memo for words of seventeen to thirty-two bytes (a power of two).
const LONG_SLOTS: usize = 4096;

/// Classes of words seen on this thread: direct-mapped memos for words of up to eight bytes (most English
/// words, Cyrillic ones of up to four letters), of up to sixteen bytes (Cyrillic words of up to eight
/// letters) and of up to thirty-two bytes, which need neither string hashing nor a byte-by-byte comparison,
/// in front of a map for all words.
struct Cache {
    map: FxHashMap<Box<str>, Classes>,
    tiny: Memo<1, TINY_SLOTS>,
    short: Memo<2, SHORT_SLOTS>,
    long: Memo<4, LONG_SLOTS>,
}

impl Default for Cache {
    fn default() -> Self {
        Cache { map: FxHashMap::default(), tiny: Memo::new(), short: Memo::new(), long: Memo::new() }
    }
}

/// A direct-mapped memo for words of up to `8 * W` bytes: a word's key is its bytes as `W` little-endian
/// integers (zero padded) and its length, so a lookup is a few integer compares.
struct Memo<const W: usize, const SLOTS: usize> {
    slots: Box<[Slot<W>; SLOTS]>,
}

#[derive(Clone, Copy)]
struct Slot<const W: usize> {
    key: [u64; W],
    /// The word's length in bytes; 0 marks an empty slot (no word is empty).
    len: u32,
    classes: Classes,
}

impl<const W: usize, const SLOTS: usize> Memo<W, SLOTS> {
    fn new() -> Self {
        let slots = vec![Slot { key: [0; W], len: 0, classes: 0 }; SLOTS].into_boxed_slice();
        // A slice of SLOTS slots always converts; the fixed size lets the slot index skip bounds checks.
        Memo { slots: slots.try_into().unwrap_or_else(|_| unreachable!()) }
    }

    /// The key of the word made of the first `len` bytes (1 to `8 * W`) of `rest`, and its slot.
    #[inline(always)]
    fn key(&self, rest: &[u8], len: usize) -> ([u64; W], usize) {
        let mut key = [0u64; W];
        for (k, part) in key.iter_mut().enumerate() {
            let from = 8 * k;
            if from >= len {
                break;
            }
            // Whole eight-byte loads (of the word and whatever follows it), masked to the word; only near
            // the end of `rest` are the bytes copied.
            let x = match rest.get(from..).and_then(<[u8]>::first_chunk::<8>) {
                Some(chunk) => u64::from_le_bytes(*chunk),
                None => {
                    let tail = &rest[from..len];
                    let mut padded = [0u8; 8];
                    padded[..tail.len()].copy_from_slice(tail);
                    u64::from_le_bytes(padded)
                }
            };
            let valid = len - from;
            *part = if valid >= 8 { x } else { x & ((1u64 << (8 * valid)) - 1) };
        }
        let mixed = key.iter().fold(len as u64, |h, &x| (h.rotate_left(29) ^ x).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let slot = (mixed >> (64 - SLOTS.trailing_zeros())) as usize;
        (key, slot)
    }

    /// The classes of the word made of the first `len` bytes of `rest`, from the memo or else from `miss`.
    #[inline(always)]
    fn classes(&mut self, rest: &[u8], len: usize, miss: impl FnOnce() -> Classes) -> Classes {
        let (key, i) = self.key(rest, len);
        let slot = &mut self.slots[i];
        if slot.key == key && slot.len as usize == len {
            return slot.classes;
        }
        let classes = miss();
        *slot = Slot { key, len: len as u32, classes };
        classes
    }
}

impl Cache {
    /// The classes of the word made of the first `len` bytes of `rest` (`rest` may go on after the word: see
    /// [`Memo::key`]); `word` makes the word as a `str` when the memos do not know it.
    #[inline(always)]
    fn classes<'w>(&mut self, rest: &[u8], len: usize, word: impl FnOnce() -> &'w str) -> Classes {
        let Cache { map, tiny, short, long } = self;
        match len {
            1..=8 => tiny.classes(rest, len, || Self::looked_up(map, word())),
            9..=16 => short.classes(rest, len, || Self::looked_up(map, word())),
            17..=32 => long.classes(rest, len, || Self::looked_up(map, word())),
            _ => Self::looked_up(map, word()),
        }
    }

    #[cold]
    #[inline(never)]
    fn looked_up(map: &mut FxHashMap<Box<str>, Classes>, word: &str) -> Classes {
        if let Some(&c) = map.get(word) {
            return c;
        }
        let c = classify(word);
        if map.len() >= LIMIT {
            map.clear();
        }
        map.insert(word.into(), c);
        c
    }
}

/// The classes of `word` (folded), from this thread's cache of [`classify`].
pub fn of(word: &str) -> Classes {
    CACHE.with(|cache| cache.borrow_mut().classes(word.as_bytes(), word.len(), || word))
}

/// The classes of the words among `tokens[first..last]` (folded as `lower`) into `out[first..last]`
/// (punctuation gets none): [`of`] for a whole sentence at once.
pub fn of_tokens(lower: &Folded, tokens: &[Token], first: usize, last: usize, out: &mut [Classes]) {
    let bytes = lower.bytes();
    let spans = &lower.spans()[first..last];
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let words = tokens[first..last].iter().zip(&mut out[first..last]).zip(spans).zip(first..);
        for (((t, o), &(a, b)), i) in words {
            if t.kind == Kind::Word {
                *o = cache.classes(&bytes[a..], b - a, || lower.word(i));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_words() {
        assert_eq!(classify("exploded") & TRIGGER, TRIGGER);
        assert_eq!(classify("could") & !ENGLISH, HEDGE);
        assert_eq!(classify("января") & !CYRILLIC_COMMON, DATE);
        assert_eq!(classify("12"), DATE);
        assert_eq!(classify("shahed") & WEAPON, WEAPON);
        assert_eq!(classify("governor") & (TRIGGER | HEDGE | DATE | WEAPON | SPEECH), 0);
        assert_eq!(classify("denied") & SPEECH, SPEECH);
        assert_eq!(classify("заявили") & SPEECH, SPEECH);
        assert_eq!(classify("evacuated") & DESTINATION, DESTINATION);
        assert_eq!(classify("розміщують") & (DESTINATION | HOUSING), DESTINATION | HOUSING);
        assert_eq!(classify("photo") & CAPTION, CAPTION);
        assert_eq!(classify("russian") & NOT_PLACE, NOT_PLACE);
        assert_eq!(classify("village") & SETTLEMENT_CUE, SETTLEMENT_CUE);
        assert_eq!(classify("near") & (NEAR | ATTACH_GAP), NEAR | ATTACH_GAP);
        assert_eq!(of("tuesday") & DATE, DATE);
        assert_eq!(of("tuesday"), classify("tuesday"));
    }

    #[test]
    fn of_tokens_answers_as_classify_does() {
        // Words of every length around the memos' limits (8, 16, 32 bytes), ending the text too, so that the
        // memo's eight-byte loads run past the word and past the end of the folded document.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |m: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % m
        };
        const LETTERS: &[char] = &['a', 'o', 'E', 'z', 'а', 'р', 'Я', 'ё', 'ї', '’', '-', '1', 'é'];
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..next(6) + 1 {
                let len = next(40) + 1;
                for _ in 0..len {
                    text.push(LETTERS[next(if round % 2 == 0 { 4 } else { LETTERS.len() })]);
                }
                text.push_str([" ", ", ", "\n", ". "][next(4)]);
            }
            text.truncate(text.trim_end().len());
            let (tokens, lower) = super::super::text::tokenize_folded(&text);
            let mut out = vec![0; tokens.len()];
            for _ in 0..2 {
                of_tokens(&lower, &tokens, 0, tokens.len(), &mut out);
                for (t, &got) in tokens.iter().zip(&out) {
                    if t.kind == Kind::Word {
                        let word = super::super::text::fold(&text[t.start..t.end]);
                        assert_eq!(got, classify(&word), "{word:?} in {text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_short_word_memo_answers_as_classify_does() {
        // Short and long words, words sharing slots, and words repeated after others took their slot.
        let words: Vec<String> = (0..20_000)
            .map(|i| format!("{}{}", ["could", "drone", "area", "в", "12", "shelling", "potentially"][i % 7], i % 97))
            .chain(
                [
                    "a",
                    "ab",
                    "abcdefgh",
                    "abcdefghi",
                    "abcdefghijklmnop",
                    "abcdefghijklmnopq",
                    "abcdefghijklmnopqrstuvwxyz012345",
                    "abcdefghijklmnopqrstuvwxyz0123456",
                    "село",
                    "обстріл",
                    "обстрілювали",
                    "розміщуватимуться",
                ]
                .map(String::from),
            )
            .collect();
        for _ in 0..2 {
            for w in &words {
                assert_eq!(of(w), classify(w), "{w}");
            }
        }
    }
}
