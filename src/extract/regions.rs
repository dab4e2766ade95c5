//! Region phrases, text side: "in the Voronezh region", "Kursk Oblast", "the Krasnodar area", "Borovsky
//! and Maloyaroslavets municipal districts", "LPR", "Брянской области", "Грайворонском районе",
//! "Харківщині". Finding them is the text's side; what region a phrase names is the resolver's alone
//! ([`crate::resolve::Resolver::regions`], and [`crate::resolve::Resolver::town_of_district`] for a district
//! the gazetteer's divisions lack).

use std::rc::Rc;

use crate::gazetteer::Gazetteer;
use crate::resolve::RegionHint;

use super::text::{Folded, Kind, Script, Token};
use super::words::{self, Classes};

/// A region a phrase names: an oblast-level division, or a district placed at its seat.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionRef {
    /// 1 for oblast/krai/republic, 2 for a district (raion, municipal district, hromada).
    pub level: u8,
    /// Admin1 code (`RU.86`), the hard constraint on places attached to the phrase.
    pub admin1: String,
    /// Admin2 code when known.
    pub admin2: Option<String>,
    /// English name of the region (`Voronezh Oblast`), or of the district's seat.
    pub name: String,
    /// Gazetteer index of the administrative centre.
    pub seat: Option<u32>,
}

impl RegionRef {
    /// A district known only as named after its town `place` (gazetteer index `index`): in the town's oblast
    /// and, when GeoNames gives the town one, its district; the town is its seat.
    pub fn named_after(place: &crate::gazetteer::Place, index: u32) -> RegionRef {
        RegionRef {
            level: 2,
            admin1: place.admin1_code(),
            admin2: if place.admin2.is_empty() { None } else { Some(place.admin2_code()) },
            name: place.name.to_string(),
            seat: Some(index),
        }
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
    pub region: Option<Rc<RegionRef>>,
    /// A district of the city named after it ("Дніпровський район Херсона", "the Leninsky district of
    /// Zaporizhzhia"): no region, and the city is the place.
    pub city_district: bool,
}

impl RegionPhrase {
    /// An oblast named by one word at token `i` (a stand-alone name, a nickname), its region when the word
    /// alone says it.
    fn one_word(i: usize, region: Option<Rc<RegionRef>>) -> RegionPhrase {
        RegionPhrase { first: i, last: i + 1, core_first: i, core_last: i + 1, level: 1, region, city_district: false }
    }
}

const LEVEL1_EN: &[&str] =
    &["region", "regions", "oblast", "oblasts", "krai", "kray", "province", "provinces", "area", "republic", "okrug"];
const LEVEL2_EN: &[&str] = &["district", "districts", "raion", "rayon", "raions", "rayons", "hromada", "community"];
const MODIFIERS_EN: &[&str] = &["municipal", "urban", "rural", "administrative", "people's", "people’s", "autonomous"];
const LEVEL1_CY: &[&str] = &[
    // the oblast's military or state administration: "Херсонська ОВА", "Харківська ОДА"
    "ова",
    "ода",
    "область",
    "области",
    "областью",
    "областях",
    "областей",
    "обл",
    "край",
    "края",
    "крае",
    "краю",
    "краем",
    "краї",
    "краєм",
    "республика",
    "республике",
    "республики",
    "республикой",
    "області",
    "областю",
    "областях",
    "республіка",
    "республіці",
    // The oblast's own adjective: "Луганської обласної військової адміністрації", "Белгородской областной
    // думы" name the oblast.
    "обласна",
    "обласної",
    "обласній",
    "обласну",
    "обласний",
    "обласного",
    "обласному",
    "обласні",
    "обласних",
    "областной",
    "областная",
    "областного",
    "областному",
    "областную",
    "областные",
    "областных",
    "областном",
];
const LEVEL2_CY: &[&str] = &[
    "район",
    "района",
    "районе",
    "районы",
    "районах",
    "районов",
    "району",
    "округ",
    "округе",
    "округа",
    "округу",
    "районі",
    "райони",
    "районах",
    "громада",
    "громади",
    "громаді",
    "громаду",
    "громадою",
];

/// Stand-alone region names: (folded word, admin1 code).
const STANDALONE: &[(&str, &str)] = &[
    ("lpr", "UA.14"),
    ("lnr", "UA.14"),
    ("dpr", "UA.05"),
    ("dnr", "UA.05"),
    ("лнр", "UA.14"),
    ("днр", "UA.05"),
    ("crimea", "UA.11"),
    ("крым", "UA.11"),
    ("крыму", "UA.11"),
    ("крим", "UA.11"),
    ("криму", "UA.11"),
    ("kuban", "RU.38"),
    ("кубань", "RU.38"),
    ("кубани", "RU.38"),
    ("подмосковье", "RU.47"),
    ("подмосковья", "RU.47"),
    ("подмосковьи", "RU.47"),
    ("підмосков'ї", "RU.47"),
];

/// Where word `w` (at least three bytes) sets a bit of [`LISTED`]: its length, second byte (the first
/// Cyrillic letter's distinctive byte) and last byte, hashed to 10 bits.
const fn listed_bit(w: &[u8]) -> usize {
    let h = (w.len() as u32).wrapping_mul(0x9E37_79B1)
        ^ (w[1] as u32).wrapping_mul(0x85EB_CA77)
        ^ (w[w.len() - 1] as u32).wrapping_mul(0xC2B2_AE3D);
    (h >> 22) as usize
}

/// A 1024-bit filter of every word [`find`] looks up in its lists (stand-alone names, region words), so that
/// the lists are scanned only for the few words that pass (this runs on every candidate token).
const LISTED: [u64; 16] = {
    let mut bits = [0u64; 16];
    let lists: [&[&str]; 4] = [LEVEL1_EN, LEVEL2_EN, LEVEL1_CY, LEVEL2_CY];
    let mut l = 0;
    while l < lists.len() {
        let mut i = 0;
        while i < lists[l].len() {
            let b = listed_bit(lists[l][i].as_bytes());
            bits[b / 64] |= 1 << (b % 64);
            i += 1;
        }
        l += 1;
    }
    let mut i = 0;
    while i < STANDALONE.len() {
        let b = listed_bit(STANDALONE[i].0.as_bytes());
        bits[b / 64] |= 1 << (b % 64);
        i += 1;
    }
    bits
};

/// `w` may be in one of [`find`]'s lists (no false negatives: a `false` means it is in none).
#[inline]
fn may_be_listed(w: &str) -> bool {
    let b = w.as_bytes();
    if b.len() < 3 {
        return false; // every listed word has at least three bytes (`lpr`)
    }
    let bit = listed_bit(b);
    (LISTED[bit / 64] >> (bit % 64)) & 1 == 1
}

/// Can the folded word start or name a phrase on its own (a region word, a stand-alone name, an oblast
/// nickname)? [`find`] acts on no other word; the extractor tells them by [`words::REGION`].
pub(super) fn is_region_word(w: &str) -> bool {
    STANDALONE.iter().any(|(n, _)| *n == w)
        || [LEVEL1_EN, LEVEL2_EN, LEVEL1_CY, LEVEL2_CY].iter().any(|list| list.contains(&w))
        || nickname_parts(w).is_some_and(|(stem, c)| stem.chars().count() + usize::from(c) >= 3)
}

/// Find region phrases among `tokens[first..last]` of `text`, in place of what `out` held (ordered by
/// position). `lower` is the document folded once ([`Folded`]), `classes` its words' classes
/// ([`words::of_tokens`]): only [`words::REGION`] words can start a phrase.
pub fn find(
    text: &str,
    tokens: &[Token],
    lower: &Folded,
    classes: &[Classes],
    first: usize,
    last: usize,
    out: &mut Vec<RegionPhrase>,
) {
    out.clear();
    let bytes = text.as_bytes();
    let mut i = first;
    while i < last {
        // Skip to the next region word (most sentences have none).
        match classes[i..last].iter().position(|&c| c & words::REGION != 0) {
            Some(k) => i += k,
            None => break,
        }
        let t = &tokens[i];
        if t.kind != Kind::Word {
            i += 1;
            continue;
        }
        // Only words that can start or name a region are looked at (this runs on every token, so on bytes:
        // no slicing of the text).
        let len = t.end - t.start;
        let maybe = len <= 24 && (t.cap || t.all_caps || (len >= 3 && region_initial(&bytes[t.start..])));
        if !maybe {
            i += 1;
            continue;
        }
        let w = lower.word(i);
        let listed = may_be_listed(w);
        // Stand-alone names (LPR, Crimea, Кубань).
        if listed && let Some((_, code)) = STANDALONE.iter().find(|(n, _)| *n == w) {
            if t.cap || t.all_caps {
                let region =
                    RegionRef { level: 1, admin1: code.to_string(), admin2: None, name: String::new(), seat: None };
                out.push(RegionPhrase::one_word(i, Some(Rc::new(region))));
            }
            i += 1;
            continue;
        }
        // Ukrainian oblast nicknames: Харківщина, Сумщині, Донеччина.
        if t.script == Script::Cyrillic
            && t.cap
            && let Some((stem, c)) = nickname_parts(w)
            && stem.chars().count() + usize::from(c) >= 3
        {
            out.push(RegionPhrase::one_word(i, None));
        }
        let level = if !listed {
            0
        } else if t.script == Script::Cyrillic {
            if LEVEL1_CY.contains(&w) {
                1
            } else if LEVEL2_CY.contains(&w) {
                2
            } else {
                0
            }
        } else if LEVEL1_EN.contains(&w) {
            1
        } else if LEVEL2_EN.contains(&w) {
            2
        } else {
            0
        };
        if level == 0 {
            i += 1;
            continue;
        }
        let cyr = t.script == Script::Cyrillic;
        let plural = w.ends_with('s')
            || matches!(w, "областях" | "областей" | "районах" | "районов" | "районы" | "райони" | "області");
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

/// Could a word starting like this (UTF-8 from its first byte) be a region word (region, oblast, district,
/// область, район, ...)?
fn region_initial(w: &[u8]) -> bool {
    match *w {
        [b, ..] if b < 0x80 => matches!(b.to_ascii_lowercase(), b'r' | b'o' | b'k' | b'p' | b'a' | b'd' | b'c' | b'h'),
        // о О к К Р г Г (D0 ..) and р (D1 80).
        [0xd0, 0xbe | 0x9e | 0xba | 0x9a | 0xa0 | 0xb3 | 0x93, ..] | [0xd1, 0x80, ..] => true,
        _ => false,
    }
}

fn is_modifier(w: &str) -> bool {
    MODIFIERS_EN.contains(&w) || matches!(w, "городской" | "муниципальный" | "муниципальном" | "міська" | "міській")
}

/// Can token `i` be part of a region phrase's core: a Cyrillic adjective before a Cyrillic region word
/// (`cyr`), else a capitalised Latin word that is not a common word (possessive ending aside)?
fn core_word(tokens: &[Token], lower: &Folded, classes: &[Classes], i: usize, cyr: bool) -> bool {
    let t = &tokens[i];
    if t.kind != Kind::Word || t.digit {
        return false;
    }
    if cyr {
        return t.script == Script::Cyrillic && is_cyrillic_adjective(lower.word(i));
    }
    if !t.cap || t.script != Script::Latin {
        return false;
    }
    let w = lower.word(i);
    // The word's classes say whether the lists hold it; a word ending in a possessive is looked up without it.
    if !w.ends_with('s') {
        return classes[i] & (words::NOT_PLACE | words::ENGLISH) == 0;
    }
    let w = w.trim_end_matches("'s").trim_end_matches("’s");
    !super::lexicon::NOT_PLACES.contains(w) && !super::lexicon::ENGLISH_WORDS.contains(w)
}

const ADJ_ENDINGS: &[&str] = &[
    "ского",
    "скому",
    "ской",
    "ская",
    "ском",
    "скую",
    "ский",
    "ские",
    "ских",
    "ским",
    "ськой",
    "ської",
    "ській",
    "ська",
    "ську",
    "ський",
    "ського",
    "ському",
    "ськім",
    "ських",
    "цкой",
    "цкая",
    "цкого",
    "цком",
    "цкий",
    "цких",
    "цької",
    "цькій",
    "цька",
    "цький",
    "цьких",
    "ского",
];

fn is_cyrillic_adjective(w: &str) -> bool {
    ADJ_ENDINGS.iter().any(|e| w.ends_with(e)) && w.chars().count() > 5
}

/// The stem of a Ukrainian oblast nickname (`Харківщині` → `Харків`) as a slice of `w`, and whether `ц`
/// belongs after it (`Донеччина` → `Донец`); [`find`] calls this on every capitalised Cyrillic word, so it
/// does not allocate.
fn nickname_parts(w: &str) -> Option<(&str, bool)> {
    // Every ending has `ин` before its last letter (`щина`) or last two (`щиною`): most words fail here.
    let b = w.as_bytes();
    let in_ = "ин".as_bytes();
    if b.len() < 8 || (&b[b.len() - 6..b.len() - 2] != in_ && &b[b.len() - 8..b.len() - 4] != in_) {
        return None;
    }
    for e in ["щина", "щині", "щини", "щину", "щиною", "ччина", "ччині", "ччини", "ччину"]
    {
        if let Some(stem) = w.strip_suffix(e) {
            return Some((stem, e.starts_with("чч")));
        }
    }
    None
}

/// Convert a hint from [`crate::resolve::Resolver::region`] into a [`RegionRef`].
pub fn from_hint(gaz: &Gazetteer, h: RegionHint) -> RegionRef {
    let admin1 = h.code.split('.').take(2).collect::<Vec<_>>().join(".");
    let seat = h.seat.or_else(|| if h.level == 2 { None } else { gaz.admin1_by_code(&admin1).and_then(|r| r.seat) });
    RegionRef {
        level: h.level,
        admin2: if h.level == 2 { Some(h.code.clone()) } else { None },
        admin1,
        name: h.name,
        seat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_passes_the_filter() {
        let lists = [LEVEL1_EN, LEVEL2_EN, LEVEL1_CY, LEVEL2_CY];
        for w in lists.iter().flat_map(|l| l.iter()).chain(STANDALONE.iter().map(|(n, _)| n)) {
            assert!(may_be_listed(w), "{w}");
        }
        // And it rejects most other words (it is a filter worth having).
        let others = ["the", "and", "said", "moscow", "kyiv", "drone", "москва", "сказал", "удар", "обстрел"];
        assert!(others.iter().filter(|w| may_be_listed(w)).count() <= 2);
    }

    #[test]
    fn region_initials_as_first_written() {
        let reference = |c: char| {
            matches!(c.to_ascii_lowercase(), 'r' | 'o' | 'k' | 'p' | 'a' | 'd' | 'c' | 'h')
                || matches!(c, 'о' | 'О' | 'к' | 'К' | 'р' | 'Р' | 'г' | 'Г')
        };
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let w = format!("{c}x");
            assert_eq!(region_initial(w.as_bytes()), reference(c), "{c:?}");
        }
    }

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
                let every: Vec<words::Classes> = classes.iter().map(|c| c | words::REGION).collect();
                let key = |p: &RegionPhrase| (p.first, p.last, p.core_first, p.core_last, p.level, p.region.clone());
                for s in text::sentences(&t, &toks) {
                    let (mut filtered, mut all) = (Vec::new(), Vec::new());
                    find(&t, &toks, &lower, &classes, s.first, s.last, &mut filtered);
                    find(&t, &toks, &lower, &every, s.first, s.last, &mut all);
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
                return t.script == Script::Cyrillic && is_cyrillic_adjective(w);
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
        find(t, &toks, &lower, &classes, 0, toks.len(), &mut ps);
        let cores: Vec<&str> = ps.iter().map(|p| &t[toks[p.core_first].start..toks[p.core_last - 1].end]).collect();
        assert_eq!(cores, ["Borovsky", "Maloyaroslavets", "Kaluga"]);
        assert_eq!(ps[0].level, 2);
        assert_eq!(ps[2].level, 1);
    }
}
