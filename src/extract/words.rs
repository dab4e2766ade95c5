//! Facts about a folded word that the geoparser asks again and again (does it report an event, hedge, name
//! a date or a weapon?), worked out once per distinct word and cached: news text repeats its vocabulary,
//! so most words cost one hash lookup instead of a pass over every word list.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

/// The word reports an event (see [`super::lexicon::is_trigger`]).
pub const TRIGGER: u8 = 1;
/// The word hedges the sentence ("could", "potential").
pub const HEDGE: u8 = 2;
/// The word can be part of a date (a month, a weekday, "yesterday", or it starts with a digit).
pub const DATE: u8 = 4;
/// The word can name a weapon (starts like a model or a weapon word).
pub const WEAPON: u8 = 8;

/// The classes of one folded word.
pub fn classify(word: &str) -> u8 {
    let mut c = 0;
    if super::lexicon::is_trigger(word) {
        c |= TRIGGER;
    }
    if super::roles::is_hedge(word) {
        c |= HEDGE;
    }
    if super::dates::is_date_word(word) {
        c |= DATE;
    }
    if super::weapons::is_weapon_word(word) {
        c |= WEAPON;
    }
    c
}

/// Distinct words seen before this many are forgotten (bounds memory on endless input).
const LIMIT: usize = 500_000;

thread_local! {
    /// One cache per thread, shared by every extractor on it: classes depend on the word alone, and a
    /// short-lived extractor (one per article) should not pay for the vocabulary again.
    static CACHE: RefCell<FxHashMap<Box<str>, u8>> = RefCell::new(FxHashMap::default());
}

/// The classes of `word` (folded), from this thread's cache of [`classify`].
pub fn of(word: &str) -> u8 {
    CACHE.with(|cache| {
        if let Some(&c) = cache.borrow().get(word) {
            return c;
        }
        let c = classify(word);
        let mut map = cache.borrow_mut();
        if map.len() >= LIMIT {
            map.clear();
        }
        map.insert(word.into(), c);
        c
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_of_common_words() {
        assert_eq!(classify("exploded") & TRIGGER, TRIGGER);
        assert_eq!(classify("could"), HEDGE);
        assert_eq!(classify("января"), DATE);
        assert_eq!(classify("12"), DATE);
        assert_eq!(classify("shahed") & WEAPON, WEAPON);
        assert_eq!(classify("governor"), 0);
        assert_eq!(of("tuesday"), DATE);
        assert_eq!(of("tuesday"), DATE);
    }
}
