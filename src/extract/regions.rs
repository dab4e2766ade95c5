//! Region phrases, text side: "in the Voronezh region", "Kursk Oblast", "the Krasnodar area", "Borovsky
//! and Maloyaroslavets municipal districts", "LPR", "Брянской области", "Грайворонском районе",
//! "Харківщині". Finding them is the text's side; the words they are made of (`region-words.tsv`) and the
//! region a phrase names are the resolver's alone ([`crate::resolve::division_word`],
//! [`crate::resolve::Resolver::regions`], and [`crate::resolve::Resolver::town_of_district`] for a district the
//! gazetteer's divisions lack).

use std::rc::Rc;

use crate::gazetteer::Gazetteer;
use crate::resolve::{
    DivisionWord, DivisionWordKind, RegionHint, division_word, is_colloquial_region_name, is_region_adjective,
    one_word_alias,
};

use super::classes::{self, Classes};
use super::text::{Folded, Kind, Script, Token};

/// A district known only as named after its town `place` (gazetteer index `index`): in the town's oblast
/// and, when GeoNames gives the town one, its district; the town is its seat.
pub fn named_after(place: &crate::gazetteer::Place, index: u32) -> RegionHint {
    RegionHint {
        level: 2,
        code: if place.admin2.is_empty() { place.admin1_code() } else { place.admin2_code() },
        name: place.name.to_string(),
        seat: Some(index),
    }
}

/// A region phrase found in a sentence.
#[derive(Debug, Clone)]
pub struct RegionPhrase {
    /// Token range of the whole phrase (core and region word).
    pub first: usize,
    pub last: usize,
    /// Token range of the core name (`Voronezh`, `Брянской`).
    pub core_first: usize,
    pub core_last: usize,
    /// 1 oblast level, 2 district level (from the region word).
    pub level: u8,
    /// The region, when the phrase alone says it (a stand-alone name); else filled in by the extractor.
    pub region: Option<Rc<RegionHint>>,
    /// A district of the city named after it ("Дніпровський район Херсона", "the Leninsky district of
    /// Zaporizhzhia"): no region, and the city is the place.
    pub city_district: bool,
}

impl RegionPhrase {
    /// An oblast named by one word at token `i` (a stand-alone name, a nickname), its region when the word
    /// alone says it.
    fn one_word(i: usize, region: Option<Rc<RegionHint>>) -> RegionPhrase {
        RegionPhrase { first: i, last: i + 1, core_first: i, core_last: i + 1, level: 1, region, city_district: false }
    }
}

/// Can the folded word start or name a phrase on its own (a region word, a stand-alone name, an oblast
/// nickname)? [`find`] acts on no other word; the extractor tells them by [`classes::REGION`].
pub(super) fn is_region_word(w: &str) -> bool {
    division_word(w).is_some_and(DivisionWord::is_head) || one_word_alias(w).is_some() || is_colloquial_region_name(w)
}

/// Find region phrases among `tokens[first..last]`, in place of what `out` held (ordered by
/// position). `lower` is the document folded once ([`Folded`]), `classes` its words' classes
/// ([`words::of_tokens`]): only [`classes::REGION`] words can start a phrase.
pub fn find(
    tokens: &[Token],
    lower: &Folded,
    classes: &[Classes],
    first: usize,
    last: usize,
    out: &mut Vec<RegionPhrase>,
) {
    out.clear();
    let mut i = first;
    while i < last {
        // Skip to the next region word (most sentences have none).
        match classes[i..last].iter().position(|&c| c & classes::REGION != 0) {
            Some(k) => i += k,
            None => break,
        }
        let t = &tokens[i];
        if t.kind != Kind::Word {
            i += 1;
            continue;
        }
        let w = lower.word(i);
        // Stand-alone names (LPR, Crimea, Кубань).
        if let Some(code) = one_word_alias(w) {
            if t.cap || t.all_caps {
                let region = RegionHint { level: 1, code: code.to_string(), name: String::new(), seat: None };
                out.push(RegionPhrase::one_word(i, Some(Rc::new(region))));
            }
            i += 1;
            continue;
        }
        // Ukrainian oblast nicknames: Харківщина, Сумщині, Донеччина.
        if t.script == Script::Cyrillic && t.cap && is_colloquial_region_name(w) {
            out.push(RegionPhrase::one_word(i, None));
        }
        let Some(word) = division_word(w).filter(|d| d.is_head()) else {
            i += 1;
            continue;
        };
        let level = word.level;
        let cyr = t.script == Script::Cyrillic;
        let plural = word.plural;
        // Cores before the region word: "Borovsky and Maloyaroslavets municipal districts".
        let mut j = i;
        while j > first && is_modifier(lower.word(j - 1)) {
            j -= 1;
        }
        let phrase_last = i + 1;
        let mut found_before = false;
        let mut k = j;
        loop {
            // One core: up to three capitalised words (or a Cyrillic adjective, any case).
            let mut cf = k;
            while cf > first && cf + 3 > k && core_word(tokens, lower, classes, cf - 1, cyr) {
                cf -= 1;
            }
            if cf == k {
                break;
            }
            out.push(RegionPhrase {
                first: cf,
                last: phrase_last,
                core_first: cf,
                core_last: k,
                level,
                region: None,
                city_district: false,
            });
            found_before = true;
            // Coordination: "X and Y regions", "X, Y and Z districts", "Брянской и Курской областях" (only
            // with a plural region word: "Taganrog, Rostov region" names one region).
            if cf > first + 1 && plural {
                let c = lower.word(cf - 1);
                if super::lexicon::is_list_joiner(c) {
                    k = cf - 1;
                    if k > first && lower.word(k - 1) == "," {
                        k -= 1;
                    }
                    continue;
                }
            }
            break;
        }
        // "the region of Belgorod", "область Брянская" is rare: only English "of".
        if !found_before
            && !cyr
            && i + 2 < last
            && lower.word(i + 1) == "of"
            && core_word(tokens, lower, classes, i + 2, false)
        {
            let mut cl = i + 2;
            while cl < last && cl < i + 5 && core_word(tokens, lower, classes, cl, false) {
                cl += 1;
            }
            out.push(RegionPhrase {
                first: i,
                last: cl,
                core_first: i + 2,
                core_last: cl,
                level,
                region: None,
                city_district: false,
            });
            i = cl;
            continue;
        }
        i += 1;
    }
    out.sort_by_key(|p| (p.first, p.core_first));
}

fn is_modifier(w: &str) -> bool {
    division_word(w).is_some_and(|d| d.kind == DivisionWordKind::Modifier)
}

/// Can token `i` be part of a region phrase's core: a Cyrillic adjective before a Cyrillic region word
/// (`cyr`), else a capitalised Latin word that is not a common word (possessive ending aside)?
fn core_word(tokens: &[Token], lower: &Folded, classes: &[Classes], i: usize, cyr: bool) -> bool {
    let t = &tokens[i];
    if t.kind != Kind::Word || t.digit {
        return false;
    }
    if cyr {
        return t.script == Script::Cyrillic && is_region_adjective(lower.word(i));
    }
    if !t.cap || t.script != Script::Latin {
        return false;
    }
    let w = lower.word(i);
    // The word's classes say whether the lists hold it; a word ending in a possessive is looked up without it.
    if !w.ends_with('s') {
        return classes[i] & (classes::NOT_PLACE | classes::ENGLISH) == 0;
    }
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    !super::lexicon::NOT_PLACES.contains(w) && !super::lexicon::ENGLISH_WORDS.contains(w)
}

/// A hint from [`crate::resolve::Resolver::regions`] with its seat: an oblast's own when the hint has none.
pub fn with_seat(gaz: &Gazetteer, mut h: RegionHint) -> RegionHint {
    if h.seat.is_none() && h.level == 1 {
        h.seat = gaz.admin1_by_code(h.admin1()).and_then(|r| r.seat);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Looking only at REGION-class words finds what looking at every word finds, on every committed article.
    #[test]
    fn the_region_class_filter_loses_no_phrase() {
        use super::super::{text, words};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = 0;
        for dir in ["tests/data/dev1", "tests/data/articles", "examples"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
            for e in entries.flatten() {
                let Ok(t) = std::fs::read_to_string(e.path()) else { continue };
                texts += 1;
                let (toks, lower) = text::tokenize_folded(&t);
                let mut classes = vec![0; toks.len()];
                words::of_tokens(&lower, &toks, 0, toks.len(), &mut classes);
                // Every word a REGION word, its other classes kept (the core test reads them).
                let every: Vec<classes::Classes> = classes.iter().map(|c| c | classes::REGION).collect();
                let key = |p: &RegionPhrase| (p.first, p.last, p.core_first, p.core_last, p.level, p.region.clone());
                for s in text::sentences(&t, &toks) {
                    let (mut filtered, mut all) = (Vec::new(), Vec::new());
                    find(&toks, &lower, &classes, s.first, s.last, &mut filtered);
                    find(&toks, &lower, &every, s.first, s.last, &mut all);
                    assert_eq!(filtered.iter().map(key).collect::<Vec<_>>(), all.iter().map(key).collect::<Vec<_>>());
                }
            }
        }
        assert!(texts > 20, "articles not found");
    }

    /// `core_word` reads the common-word lists through the words' classes: it answers as the lists do, on
    /// every word of the committed articles and on possessives, capitals and common words.
    #[test]
    fn core_words_by_class_are_core_words_by_list() {
        use super::super::{lexicon, text, words};
        fn by_list(tokens: &[Token], lower: &Folded, i: usize, cyr: bool) -> bool {
            let t = &tokens[i];
            if t.kind != Kind::Word || t.digit {
                return false;
            }
            let w = lower.word(i);
            if cyr {
                return t.script == Script::Cyrillic && is_region_adjective(w);
            }
            if !t.cap || t.script != Script::Latin {
                return false;
            }
            let w = w.trim_end_matches("'s").trim_end_matches("’s");
            !lexicon::NOT_PLACES.contains(w) && !lexicon::ENGLISH_WORDS.contains(w)
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![
            "The Russian's Kursk's Kursk’s Russian’s Russians Russian'S Belgorod's's The's Times Kyiv's Ukraine's \
             Is's Sumy's. Брянской Курской области Russia's RUSSIAN'S News's Harris Paris's"
                .to_string(),
        ];
        for dir in ["tests/data/dev1", "tests/data/articles", "examples"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
            texts.extend(entries.flatten().filter_map(|e| std::fs::read_to_string(e.path()).ok()));
        }
        assert!(texts.len() > 20, "articles not found");
        let mut core = 0;
        for t in &texts {
            let (toks, lower) = text::tokenize_folded(t);
            let mut classes = vec![0; toks.len()];
            words::of_tokens(&lower, &toks, 0, toks.len(), &mut classes);
            for i in 0..toks.len() {
                for cyr in [false, true] {
                    let want = by_list(&toks, &lower, i, cyr);
                    assert_eq!(core_word(&toks, &lower, &classes, i, cyr), want, "{:?}", lower.word(i));
                    core += usize::from(want);
                }
            }
        }
        assert!(core > 100, "{core}");
    }

    #[test]
    fn phrases_are_found_with_coordination() {
        let t = "drones fell in the Borovsky and Maloyaroslavets municipal districts of Kaluga Oblast";
        let toks = super::super::text::tokenize(t);
        let lower = Folded::new(t, &toks);
        let mut classes = vec![0; toks.len()];
        super::super::words::of_tokens(&lower, &toks, 0, toks.len(), &mut classes);
        let mut ps = Vec::new();
        find(&toks, &lower, &classes, 0, toks.len(), &mut ps);
        let cores: Vec<&str> = ps.iter().map(|p| &t[toks[p.core_first].start..toks[p.core_last - 1].end]).collect();
        assert_eq!(cores, ["Borovsky", "Maloyaroslavets", "Kaluga"]);
        assert_eq!(ps[0].level, 2);
        assert_eq!(ps[2].level, 1);
    }
}
