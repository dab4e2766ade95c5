//! Region phrases, text side: "in the Voronezh region", "Kursk Oblast", "the Krasnodar area", "Borovsky
//! and Maloyaroslavets municipal districts", "LPR", "Брянской области", "Грайворонском районе",
//! "Харківщині". Each phrase is handed to [`Resolver::region`]; when that does not know it, the phrase's
//! core is looked up as a place that seats a region (Voronezh → Voronezh Oblast) or as a region name.

use std::rc::Rc;

use crate::gazetteer::Gazetteer;
use crate::resolve::{RegionHint, Resolver};

use super::text::{Folded, Kind, Script, Token, fold};
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
    /// The oblast-level region `r` (an entry of the gazetteer's admin1 table).
    fn admin1(r: &crate::gazetteer::Region) -> RegionRef {
        RegionRef { level: 1, admin1: r.code.clone(), admin2: None, name: r.name.clone(), seat: r.seat }
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
}

const LEVEL1_EN: &[&str] =
    &["region", "regions", "oblast", "oblasts", "krai", "kray", "province", "provinces", "area", "republic", "okrug"];
const LEVEL2_EN: &[&str] = &["district", "districts", "raion", "rayon", "raions", "rayons", "hromada", "community"];
const MODIFIERS_EN: &[&str] = &["municipal", "urban", "rural", "administrative", "people's", "people’s", "autonomous"];
const LEVEL1_CY: &[&str] = &[
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
                out.push(RegionPhrase {
                    first: i,
                    last: i + 1,
                    core_first: i,
                    core_last: i + 1,
                    level: 1,
                    region: Some(Rc::new(RegionRef {
                        level: 1,
                        admin1: code.to_string(),
                        admin2: None,
                        name: String::new(),
                        seat: None,
                    })),
                });
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
            out.push(RegionPhrase { first: i, last: i + 1, core_first: i, core_last: i + 1, level: 1, region: None });
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
            out.push(RegionPhrase { first: cf, last: phrase_last, core_first: cf, core_last: k, level, region: None });
            found_before = true;
            // Coordination: "X and Y regions", "X, Y and Z districts", "Брянской и Курской областях" (only
            // with a plural region word: "Taganrog, Rostov region" names one region).
            if cf > first + 1 && plural {
                let c = lower.word(cf - 1);
                if matches!(c, "and" | "," | "и" | "і" | "та" | "й") {
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
            out.push(RegionPhrase { first: i, last: cl, core_first: i + 2, core_last: cl, level, region: None });
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

fn nickname_stem(w: &str) -> Option<String> {
    nickname_parts(w).map(|(stem, c)| {
        let mut s = stem.to_string();
        if c {
            s.push('ц'); // Донеччина → Донец(ьк)
        }
        s
    })
}

/// Candidate place names for a region phrase's core, most likely first:
/// `Брянской` → Брянск, `Харківської` → Харків, `Borovsky` → Borovsk, `Graivoron` → Grayvoron.
pub fn core_candidates(core: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let folded = fold(core);
    let lower = folded.trim_end_matches("'s").trim_end_matches("’s");
    fn push_to(out: &mut Vec<String>, s: String) {
        if s.chars().nth(2).is_some() && !out.contains(&s) {
            out.push(s);
        }
    }
    // `stem + suffix`, joined in one reused buffer and copied only when it is listed.
    let mut joined = String::new();
    let mut push = |stem: &str, suf: &str| {
        joined.clear();
        joined.push_str(stem);
        joined.push_str(suf);
        if joined.chars().nth(2).is_some() && !out.contains(&joined) {
            out.push(joined.clone());
        }
    };
    let cyr = lower.chars().any(|c| ('\u{0400}'..='\u{052F}').contains(&c));
    if cyr {
        if let Some(stem) = nickname_stem(lower) {
            for suf in ["", "и", "ськ", "ск", "ы", "ь", "я", "к", "ьк"] {
                push(&stem, suf);
            }
        }
        // The longest adjective ending the word has (the first listed, among equals).
        let mut ending: Option<&str> = None;
        for e in ADJ_ENDINGS {
            if lower.ends_with(e) && ending.is_none_or(|best| e.len() > best.len()) {
                ending = Some(e);
            }
        }
        if let Some(e) = ending {
            let stem = &lower[..lower.len() - e.len()];
            if e.starts_with('ц') {
                for suf in ["цк", "цьк", "ц", "цы"] {
                    push(stem, suf);
                }
            } else {
                for suf in ["", "ск", "ськ", "ы", "и", "ье", "ья", "ь", "а", "я", "о", "е"] {
                    push(stem, suf);
                }
                // -а/-я towns take -ин-/-ан-/-ян- before the ending: Шостка → Шосткинський, Суджа → Суджанский,
                // Ивня → Ивнянский.
                for (infix, ending) in [("ин", "а"), ("ан", "а"), ("ян", "я")] {
                    if let Some(town) = stem.strip_suffix(infix) {
                        push(town, ending);
                    }
                }
            }
        }
        push(lower, "");
    } else {
        push(lower, "");
        for e in ["skiy", "skyi", "skyy", "skii", "skij", "sky", "ski", "ska", "ske"] {
            if let Some(stem) = lower.strip_suffix(e) {
                for suf in ["sk", "", "o", "a", "e", "i", "y"] {
                    push(stem, suf);
                }
                // As in Cyrillic: Shostkynskyi → Shostka, Sudzhansky → Sudzha, Ivnyansky → Ivnya.
                for (infix, ending) in [("yn", "a"), ("in", "a"), ("yan", "ya"), ("ian", "ia"), ("an", "a")] {
                    if let Some(town) = stem.strip_suffix(infix) {
                        push(town, ending);
                    }
                }
            }
        }
    }
    if !cyr {
        // Transliteration variants the gazetteer may spell differently (Graivoron / Grayvoron).
        // (of the names listed so far: the variants are appended after them)
        for i in 0..out.len() {
            for (from, to) in
                [("ai", "ay"), ("ay", "ai"), ("yi", "iy"), ("ii", "iy"), ("ye", "e"), ("iia", "ia"), ("j", "y")]
            {
                // Without `from` the variant is the name itself, already listed: no copy to make and compare.
                if out[i].contains(from) {
                    let variant = out[i].replace(from, to);
                    push_to(&mut out, variant);
                }
            }
        }
    }
    out
}

/// The town a district phrase's core names inside `admin1` (`Borovsky` → Borovsk), most populous first.
pub fn named_town(gaz: &Gazetteer, core: &str, admin1: &str) -> Option<u32> {
    // Every form the core may take, and the most prominent place of them all: a district seat before a
    // village that happens to bear the district's adjective as its name. A village known only by its district
    // (placed at the district's point) is never the town a district is named after.
    let prominence = |p: u32| {
        let pl = &gaz.places[p as usize];
        (matches!(&*pl.feature_code, "PPLA2" | "PPLA" | "PPLC"), pl.population)
    };
    core_candidates(core)
        .iter()
        .flat_map(|c| gaz.names_with_key(&crate::names::key(c)).iter().map(|e| e.place))
        .filter(|&p| {
            let pl = &gaz.places[p as usize];
            pl.in_admin1(admin1) && pl.precision == crate::gazetteer::PointPrecision::Exact
        })
        .max_by_key(|&p| prominence(p))
}

/// Convert a hint from [`Resolver::region`] into a [`RegionRef`].
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

/// Resolve the region a phrase names. `phrase` is the whole phrase, `core` its name part, `level` what the
/// region word says; `prefer` are admin1 codes named elsewhere in the document (to pick among districts).
pub fn resolve_phrase<S: AsRef<str>>(
    resolver: &Resolver,
    phrase: &str,
    core: &str,
    level: u8,
    prefer: &[S],
) -> Option<RegionRef> {
    if let Some(h) = resolver.region(phrase) {
        return Some(from_hint(resolver.gazetteer(), h));
    }
    fallback(resolver, core, level, prefer)
}

/// The region of a phrase [`Resolver::region`] does not know, from its core alone (see [`resolve_phrase`]).
pub fn fallback<S: AsRef<str>>(resolver: &Resolver, core: &str, level: u8, prefer: &[S]) -> Option<RegionRef> {
    let gaz = resolver.gazetteer();
    let keys = resolver.region_name_keys();
    let cands = core_candidates(core);
    // The candidates' keys, each worked out once and listed once: spellings that fold alike (Graivoron,
    // Grayvoron) would only repeat lookups whose answer the first one already gave.
    let mut core_keys: Vec<String> = Vec::with_capacity(cands.len());
    for c in &cands {
        let key = crate::names::key(c);
        if core_keys.contains(&key) {
            continue;
        }
        if level == 1 {
            // A region whose seat carries the core's name (Voronezh → Voronezh Oblast).
            for e in gaz.names_with_key(&key) {
                if let Some(r) = gaz.admin1.iter().find(|r| r.seat == Some(e.place)) {
                    return Some(RegionRef::admin1(r));
                }
            }
        }
        core_keys.push(key);
    }
    if level == 1 {
        // A region named like the core (Rostov, Kharkiv, Luhansk), in the main three countries.
        for key in &core_keys {
            let hit = keys.admin1.iter().find_map(|(i, names)| {
                names
                    .iter()
                    .any(|n| n == key || n.strip_prefix(key.as_str()).is_some_and(|r| r.starts_with(' ')))
                    .then(|| &gaz.admin1[*i])
            });
            if let Some(r) = hit {
                return Some(RegionRef::admin1(r));
            }
        }
    }
    // A district: a GeoNames admin2 division named like the core ("Borovsky" → Borovskiy Rayon), placed
    // at its seat, else at the place the district is named after inside the same oblast.
    if level == 2 {
        let own = crate::names::key(core);
        let district =
            keys.admin2_named(&own).into_iter().map(|i| &gaz.admin2[i as usize]).max_by_key(|r| {
                prefer.iter().any(|p| r.code.strip_prefix(p.as_ref()).is_some_and(|c| c.starts_with('.')))
            });
        if let Some(r) = district {
            let admin1 = r.code.split('.').take(2).collect::<Vec<_>>().join(".");
            let seat = r.seat.or_else(|| {
                core_keys.iter().find_map(|k| {
                    gaz.names_with_key(k)
                        .iter()
                        .map(|e| e.place)
                        .filter(|&p| gaz.places[p as usize].in_admin1(&admin1))
                        .max_by_key(|&p| gaz.places[p as usize].population)
                })
            });
            if seat.is_some() {
                return Some(RegionRef { level: 2, admin1, admin2: Some(r.code.clone()), name: r.name.clone(), seat });
            }
        }
    }
    // Else the place named like the core, preferring regions the document names, then the likeliest spelling.
    let mut best: Option<(bool, usize, u64, u32)> = None;
    for (rank, k) in core_keys.iter().enumerate() {
        for e in gaz.names_with_key(k) {
            let pl = &gaz.places[e.place as usize];
            let code = pl.admin1_code_inline(); // no allocation per entry
            let cand = (prefer.iter().any(|p| p.as_ref() == &*code), usize::MAX - rank, pl.population, e.place);
            if best.is_none_or(|b| (cand.0, cand.1, cand.2) > (b.0, b.1, b.2)) {
                best = Some(cand);
            }
        }
    }
    best.map(|(_, _, _, p)| {
        let pl = &gaz.places[p as usize];
        RegionRef {
            level: 2,
            admin1: pl.admin1_code(),
            admin2: if pl.admin2.is_empty() { None } else { Some(pl.admin2_code()) },
            name: pl.name.to_string(),
            seat: Some(p),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The candidates as they were worked out before variants without their pattern were skipped (the
    /// oracle for `core_candidates_agree_with_the_straightforward_form`).
    fn core_candidates_before(core: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let lower = fold(core);
        let lower = lower.trim_end_matches("'s").trim_end_matches("’s").to_string();
        fn push_to(out: &mut Vec<String>, s: String) {
            if s.chars().count() >= 3 && !out.contains(&s) {
                out.push(s);
            }
        }
        let mut push = |s: String| push_to(&mut out, s);
        let cyr = lower.chars().any(|c| ('\u{0400}'..='\u{052F}').contains(&c));
        if cyr {
            if let Some(stem) = nickname_stem(&lower) {
                for suf in ["", "и", "ськ", "ск", "ы", "ь", "я", "к", "ьк"] {
                    push(format!("{stem}{suf}"));
                }
            }
            let mut endings: Vec<&&str> = ADJ_ENDINGS.iter().filter(|e| lower.ends_with(**e)).collect();
            endings.sort_by_key(|e| std::cmp::Reverse(e.len()));
            if let Some(e) = endings.first() {
                let stem = &lower[..lower.len() - e.len()];
                if e.starts_with('ц') {
                    for suf in ["цк", "цьк", "ц", "цы"] {
                        push(format!("{stem}{suf}"));
                    }
                } else {
                    for suf in ["", "ск", "ськ", "ы", "и", "ье", "ья", "ь", "а", "я", "о", "е"] {
                        push(format!("{stem}{suf}"));
                    }
                    for (infix, ending) in [("ин", "а"), ("ан", "а"), ("ян", "я")] {
                        if let Some(town) = stem.strip_suffix(infix) {
                            push(format!("{town}{ending}"));
                        }
                    }
                }
            }
            push(lower.clone());
        } else {
            push(lower.clone());
            for e in ["skiy", "skyi", "skyy", "skii", "skij", "sky", "ski", "ska", "ske"] {
                if let Some(stem) = lower.strip_suffix(e) {
                    for suf in ["sk", "", "o", "a", "e", "i", "y"] {
                        push(format!("{stem}{suf}"));
                    }
                    for (infix, ending) in [("yn", "a"), ("in", "a"), ("yan", "ya"), ("ian", "ia"), ("an", "a")] {
                        if let Some(town) = stem.strip_suffix(infix) {
                            push(format!("{town}{ending}"));
                        }
                    }
                }
            }
        }
        if !cyr {
            // Transliteration variants the gazetteer may spell differently (Graivoron / Grayvoron).
            let snapshot = out.clone();
            for s in snapshot {
                for v in [
                    s.replace("ai", "ay"),
                    s.replace("ay", "ai"),
                    s.replace("yi", "iy"),
                    s.replace("ii", "iy"),
                    s.replace("ye", "e"),
                    s.replace("iia", "ia"),
                    s.replace('j', "y"),
                ] {
                    push_to(&mut out, v);
                }
            }
        }
        out
    }

    /// `core_candidates` gives what the straightforward form gives, for the words of every region and place
    /// name of the embedded gazetteer (Latin and Cyrillic).
    #[test]
    fn core_candidates_agree_with_the_straightforward_form() {
        let gaz = Gazetteer::embedded().unwrap();
        let names = gaz.admin1.iter().chain(&gaz.admin2).flat_map(|r| [r.name.as_str(), r.ascii_name.as_str()]);
        let words: Vec<&str> = names
            .chain(gaz.places.iter().map(|p| p.name.as_str()))
            .chain(["Graivoron", "Grayvoronsky", "Yasynuvata", "Bryanskiy", "Брянской", "Харківської", "Сумщині"])
            .flat_map(|n| n.split([' ', '-']))
            .collect();
        for w in &words {
            assert_eq!(core_candidates(w), core_candidates_before(w), "{w:?}");
        }
        assert!(words.len() > 1000, "{}", words.len());
    }

    #[test]
    fn cores_turn_into_place_names() {
        assert!(core_candidates("Брянской").contains(&"брянск".to_string()));
        assert!(core_candidates("Харківської").contains(&"харків".to_string()));
        assert!(core_candidates("Донецкой").contains(&"донецк".to_string()));
        assert!(core_candidates("Borovsky").contains(&"borovsk".to_string()));
        assert!(core_candidates("Graivoron").contains(&"grayvoron".to_string()));
        assert!(core_candidates("Сумщині").contains(&"суми".to_string()));
        // Districts of -а/-я towns: Shostka, Sudzha, Ivnya.
        assert!(core_candidates("Шосткинського").contains(&"шостка".to_string()));
        assert!(core_candidates("Суджанском").contains(&"суджа".to_string()));
        assert!(core_candidates("Ивнянский").contains(&"ивня".to_string()));
        assert!(core_candidates("Shostkynskyi").contains(&"shostka".to_string()));
        assert!(core_candidates("Sudzhansky").contains(&"sudzha".to_string()));
    }

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

    #[test]
    fn nickname_stems_as_first_written() {
        // The allocating original, for comparison.
        fn reference(w: &str) -> Option<String> {
            for e in ["щина", "щині", "щини", "щину", "щиною", "ччина", "ччині", "ччини", "ччину"]
            {
                if let Some(stem) = w.strip_suffix(e) {
                    let mut s = stem.to_string();
                    if e.starts_with("чч") {
                        s.push('ц');
                    }
                    return Some(s);
                }
            }
            None
        }
        for w in [
            "харківщина",
            "сумщині",
            "донеччина",
            "донеччиною",
            "полтавщиною",
            "щина",
            "ччину",
            "ина",
            "щин",
            "ина",
            "черкащини",
            "київщину",
            "львівщину",
            "запоріжжя",
            "харків",
            "",
            "a",
            "щиноюx",
            "смщиною",
            "вищина",
        ] {
            assert_eq!(nickname_stem(w), reference(w), "{w}");
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
