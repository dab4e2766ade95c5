//! Recognising region phrases: "Voronezh region", "Voronezhskaya oblast", "Воронежской области",
//! "Krasnodar area", "Borovsky district", "Kursk", "LPR", "Crimea".
//!
//! Every admin1 and admin2 name is reduced to a *stem*: its key without generic words (oblast, krai,
//! rayon, region, ...). Admin1 regions also answer to the names of their capital (`PPLA`/`PPLC` seat,
//! with all its alternate names: Воронеж, Kharkov). Each stem also yields an *adjective stem* ending in
//! `sk` (voronezh → voronezhsk, kaluga → kaluzhsk, borovski → borovsk), which is how Russian and
//! Ukrainian name regions (Воронежская область, Боровский район, Харківська область). A phrase is
//! reduced the same way and looked up as a noun, then as an adjective.

use std::borrow::Cow;

// Fx hashing: the geoparser asks the lexicon and the region index about every region phrase and most
// names, and the keys are short strings that SipHash costs several times as much to hash. No map here is
// iterated in an order that shows in any output.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::OnceLock;

use crate::gazetteer::{Gazetteer, PointPrecision, Region};
use crate::names::key;

/// A region in the index: level 1 (admin1) or 2 (admin2) and its position in the gazetteer's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RegionRef {
    pub level: u8,
    pub index: u32,
}

/// What kind of generic word a phrase carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Generic {
    /// oblast, krai, region, republic, area, province, territory
    pub first_level: bool,
    /// oblast, krai, republic (not the looser region, area, province): the phrase names a first-level
    /// division and nothing else.
    pub strictly_first_level: bool,
    /// district, raion, okrug, municipal
    pub second_level: bool,
}

impl Generic {
    pub fn any(self) -> bool {
        self.first_level || self.second_level
    }
}

/// How a generic word of a region phrase is used (see `region-words.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DivisionWordKind {
    /// A head that names a first-level division and nothing else (oblast, krai, область).
    Strict,
    /// A head word: ends a region phrase (region, district, район).
    Head,
    /// Stands between a name and its head and adds nothing (municipal, городской).
    Modifier,
    /// Part of a region's own name only ("Kyiv City"): stripped from names, never part of a phrase.
    Name,
}

/// A generic word of region phrases: "oblast", "районе", "municipal".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DivisionWord {
    /// 1 for a first-level division (oblast, krai, republic), 2 for a second-level one (raion, hromada).
    pub level: u8,
    pub kind: DivisionWordKind,
    /// A plural ("regions", "областях"): a phrase with it may name several regions ("the Kursk and Bryansk
    /// regions").
    pub plural: bool,
}

impl DivisionWord {
    /// Whether the word can end a region phrase.
    pub fn is_head(self) -> bool {
        matches!(self.kind, DivisionWordKind::Strict | DivisionWordKind::Head)
    }
}

/// The table of generic words, one per line: word, level, kind, number, reason.
const DIVISION_WORDS_TSV: &str = include_str!("region-words.tsv");

/// The generic words of region phrases, as text writes them (lower case), from `region-words.tsv`.
fn division_words() -> &'static HashMap<&'static str, DivisionWord> {
    static WORDS: OnceLock<HashMap<&'static str, DivisionWord>> = OnceLock::new();
    WORDS.get_or_init(|| DIVISION_WORDS_TSV.lines().filter_map(parse_division_word).collect())
}

/// One line of `region-words.tsv`; `None` for comments and blank lines (a malformed line is a build-time
/// defect, caught by the test `every_division_word_line_parses`).
fn parse_division_word(line: &'static str) -> Option<(&'static str, DivisionWord)> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let mut f = line.split('\t');
    let word = f.next()?;
    let level = match f.next()? {
        "1" => 1,
        "2" => 2,
        _ => return None,
    };
    let kind = match f.next()? {
        "strict" if level == 1 => DivisionWordKind::Strict,
        "head" => DivisionWordKind::Head,
        "modifier" => DivisionWordKind::Modifier,
        "name" => DivisionWordKind::Name,
        _ => return None,
    };
    let plural = match f.next()? {
        "one" => false,
        "many" => true,
        _ => return None,
    };
    Some((word, DivisionWord { level, kind, plural }))
}

/// The generic word of region phrases that the lower-case word `w` is, if any ("oblast", "районах", "municipal").
///
/// ```
/// use incimap::resolve::division_word;
/// assert_eq!(division_word("областях").map(|d| (d.level, d.plural)), Some((1, true)));
/// assert!(division_word("district").is_some_and(|d| d.is_head()));
/// assert!(division_word("drone").is_none());
/// ```
pub fn division_word(w: &str) -> Option<DivisionWord> {
    division_words().get(w).copied()
}

/// Words that may precede a region phrase and carry no meaning for it.
const LEADING_WORDS: &[&str] =
    &["in", "the", "of", "near", "at", "from", "в", "во", "у", "на", "из", "із", "з", "под", "під", "біля", "около"];

/// Names the GeoNames admin codes do not carry: occupation-era and colloquial names, by admin1 code.
const ALIASES: &[(&str, &[&str])] = &[
    (
        "UA.14",
        &[
            "Luhansk People's Republic",
            "Lugansk People's Republic",
            "Luhansk People Republic",
            "Lugansk People Republic",
            "LPR",
            "LNR",
            "ЛНР",
            "Луганская Народная Республика",
            "Луганская республика",
            "Луганська Народна Республіка",
            "Luganskaya Narodnaya Respublika",
        ],
    ),
    (
        "UA.05",
        &[
            "Donetsk People's Republic",
            "Donetsk People Republic",
            "DPR",
            "DNR",
            "ДНР",
            "Донецкая Народная Республика",
            "Донецька Народна Республіка",
            "Donetskaya Narodnaya Respublika",
        ],
    ),
    (
        "UA.11",
        &[
            "Crimea",
            "Republic of Crimea",
            "Autonomous Republic of Crimea",
            "Crimean Peninsula",
            "Krym",
            "Крым",
            "Крим",
            "Республика Крым",
            "Автономна Республіка Крим",
            "АР Крим",
        ],
    ),
    ("RU.38", &["Kuban", "Кубань"]),
    ("RU.47", &["Podmoskovye", "Moscow Region", "Подмосковье", "Підмосков'я"]),
];

/// Aliases naming two regions at once.
const SHARED_ALIASES: &[(&[&str], &[&str])] =
    &[(&["UA.05", "UA.14"], &["Donbas", "Donbass", "Донбасс", "Донбас", "Донбассе", "Донбасі"])];

/// Adjectives that no suffix rule derives from the noun, by the key of the noun (nouns and adjectives are
/// written as keys: see the test `irregular_adjectives_are_keys`).
const IRREGULAR_ADJECTIVES: &[(&str, &[&str])] = &[
    ("moskva", &["moskovsk"]),
    ("mostsov", &["moskovsk"]), // Moscow
    ("orel", &["orlovsk"]),
    ("penza", &["penzensk"]),
    ("zaporizhzhia", &["zaporizk", "zaporozhsk"]),
    ("zaporozhe", &["zaporozhsk", "zaporizk"]),
    ("dnipro", &["dnipropetrovsk", "dnepropetrovsk"]),
    ("vinitsia", &["vinitsk"]),
    ("vinitsa", &["vinitsk"]),
    ("nizhni novgorod", &["nizhegorodsk"]),
    ("ivano frankivsk", &["ivanofrankivsk"]),
    ("arhangelsk", &["arhangelsk"]),
    ("grodno", &["grodnensk"]),
    ("hrodna", &["grodnensk", "hrodzensk"]),
    ("mogilev", &["mogilevsk"]),
    ("kropivnitski", &["kirovohradsk", "kirovogradsk"]),
    ("saint petersburg", &["leningradsk"]),
    ("vologda", &["vologodsk"]),
    ("chechnia", &["chechensk"]),
    ("chernivtsi", &["chernivetsk", "chernovitsk"]),
    ("rivne", &["rivnensk", "rovensk"]),
    ("zakarpatia", &["zakarpatsk"]),
];

/// Adjective endings after `sk` (in key form): -skaya, -skoy, -sky, -skoe, -ska (Ukrainian), ...
const ADJECTIVE_ENDINGS: &[&str] =
    &["aia", "oi", "i", "oe", "e", "a", "ogo", "oho", "omu", "om", "im", "uiu", "oiu", "u", "ih", "ii", "ie", "ei"];

/// The region index of one gazetteer.
#[derive(Debug, Default)]
pub(crate) struct RegionIndex {
    /// Stem → regions named so (from their own names).
    names: HashMap<String, Vec<RegionRef>>,
    /// Adjective stem ending in `sk` → regions whose own name gives it.
    name_adjectives: HashMap<String, Vec<RegionRef>>,
    /// Stem → admin1 regions whose capital is named so (Воронеж → Voronezh Oblast).
    seats: HashMap<String, Vec<RegionRef>>,
    /// Adjective stem → admin1 regions whose capital's name gives it (Kharkov → kharkovsk).
    seat_adjectives: HashMap<String, Vec<RegionRef>>,
    /// Whole-phrase aliases (LPR, Crimea), by [`Lexicon::alias_form`].
    aliases: HashMap<String, Vec<RegionRef>>,
    /// Per admin1 region: (its name has a first-level generic word, its name says "city").
    admin1_shape: Vec<(bool, bool)>,
    /// Per admin1 region: the stem of its own name (Kyiv City → kiiv).
    admin1_stems: Vec<String>,
}

/// Where districts (admin2 regions) lie, for district hints: each district's centre (GeoNames' seat,
/// else the place of its admin1 the district is named after: Borovskiy Rayon → Borovsk), as an index
/// into the gazetteer's places. Worked out one admin1 region at a time, when a query first needs a
/// district of it, so a district hint costs a pass over the places of one oblast, not over all of them.
#[derive(Debug, Default)]
pub(crate) struct DistrictCentres {
    /// Admin1 code (`RU.09`, from the districts' codes) → group.
    groups: HashMap<String, usize>,
    /// Per group: its admin1 code and its districts (indexes into the gazetteer's admin2).
    members: Vec<(String, Vec<u32>)>,
    /// Per admin2 region: its group and its position there.
    group_of: Vec<(usize, usize)>,
    /// Per group, at first use: the centre of each member.
    centres: Vec<OnceLock<Vec<Option<u32>>>>,
    /// The places with points of their own, by admin1 code, at first use (one pass over the places, instead of
    /// one per oblast).
    places_by_admin1: OnceLock<HashMap<String, Vec<u32>>>,
}

impl DistrictCentres {
    /// Group the districts by admin1 region (a few thousand codes; no place is read yet).
    pub fn new(gaz: &Gazetteer) -> DistrictCentres {
        let mut d = DistrictCentres::default();
        for (i, r) in gaz.admin2.iter().enumerate() {
            let admin1 = r.code.rsplit_once('.').map(|(a, _)| a).unwrap_or("");
            let g = *d.groups.entry(admin1.to_string()).or_insert_with(|| {
                d.members.push((admin1.to_string(), Vec::new()));
                d.members.len() - 1
            });
            d.group_of.push((g, d.members[g].1.len()));
            d.members[g].1.push(i as u32);
        }
        d.centres = d.members.iter().map(|_| OnceLock::new()).collect();
        d
    }

    fn group_centres(&self, gaz: &Gazetteer, g: usize) -> &[Option<u32>] {
        self.centres[g].get_or_init(|| {
            let (admin1, members) = &self.members[g];
            let by_admin1 = self.places_by_admin1.get_or_init(|| {
                let mut m: HashMap<String, Vec<u32>> = HashMap::default();
                let own_points = gaz.places.iter().enumerate().filter(|(_, p)| p.precision == PointPrecision::Exact);
                for (i, p) in own_points.filter(|(_, p)| !p.admin1.is_empty()) {
                    m.entry(p.admin1_code()).or_default().push(i as u32);
                }
                m
            });
            district_centres(gaz, by_admin1.get(admin1.as_str()).map(Vec::as_slice).unwrap_or_default(), members)
        })
    }

    /// The centre of admin2 region `district`.
    pub fn centre(&self, gaz: &Gazetteer, district: u32) -> Option<u32> {
        let &(g, at) = self.group_of.get(district as usize)?;
        self.group_centres(gaz, g)[at]
    }

    /// (admin2 index, centre) of the districts of admin1 region `admin1` (`RU.09`) with a known centre.
    pub fn of_admin1(&self, gaz: &Gazetteer, admin1: &str) -> Vec<(u32, u32)> {
        let Some(&g) = self.groups.get(admin1) else { return Vec::new() };
        let members = &self.members[g].1;
        members.iter().zip(self.group_centres(gaz, g)).filter_map(|(&d, c)| Some((d, (*c)?))).collect()
    }
}

/// The gazetteer-independent words of region phrases: generic words, leading prepositions, alias
/// phrases. Built once per process; lets the resolver see that "Belgorod" holds no region phrase without
/// building a [`RegionIndex`].
#[derive(Debug)]
pub(crate) struct Lexicon {
    first_level_words: HashSet<String>,
    strict_first_level_words: HashSet<String>,
    second_level_words: HashSet<String>,
    leading_words: HashSet<String>,
    /// [`Lexicon::alias_form`] of each alias → the admin1 codes it names.
    aliases: HashMap<String, Vec<&'static str>>,
    /// The [`alias_head`] of each one-word alias form: a one-word key with another head is no alias.
    alias_heads: Vec<[u8; 2]>,
    /// The aliases written as one word (LPR, Крым; not "Moscow Region", whose form is one word too), by form.
    one_word_aliases: HashMap<String, Vec<&'static str>>,
}

/// The first two bytes of a key (zero for those it lacks). A one-word key's alias form is the key or a prefix
/// of it at least three bytes long ([`alias_word`]), so the two share their head.
fn alias_head(k: &str) -> [u8; 2] {
    let b = k.as_bytes();
    [b.first().copied().unwrap_or(0), b.get(1).copied().unwrap_or(0)]
}

/// The process-wide [`Lexicon`].
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut lex = Lexicon {
            first_level_words: keyed_division_words(|d| d.level == 1),
            strict_first_level_words: keyed_division_words(|d| d.kind == DivisionWordKind::Strict),
            second_level_words: keyed_division_words(|d| d.level == 2),
            leading_words: keyed(LEADING_WORDS),
            aliases: HashMap::default(),
            alias_heads: Vec::new(),
            one_word_aliases: HashMap::default(),
        };
        let aliases = ALIASES.iter().map(|(c, n)| (std::slice::from_ref(c), *n)).chain(SHARED_ALIASES.iter().copied());
        for (codes, names) in aliases {
            for n in names {
                let k = key(n);
                let form = lex.alias_form(&k).into_owned();
                let mut tables = vec![&mut lex.aliases];
                if !k.contains(' ') {
                    tables.push(&mut lex.one_word_aliases);
                }
                for table in tables {
                    let v = table.entry(form.clone()).or_default();
                    for c in codes {
                        if !v.contains(c) {
                            v.push(c);
                        }
                    }
                }
            }
        }
        let mut heads: Vec<[u8; 2]> = lex.aliases.keys().filter(|f| !f.contains(' ')).map(|f| alias_head(f)).collect();
        heads.sort_unstable();
        heads.dedup();
        lex.alias_heads = heads;
        lex
    })
}

fn add(map: &mut HashMap<String, Vec<RegionRef>>, k: String, r: RegionRef) {
    if k.is_empty() {
        return;
    }
    let v = map.entry(k).or_default();
    if !v.contains(&r) {
        v.push(r);
    }
}

/// The keys of the generic words that `wanted` picks.
fn keyed_division_words(wanted: impl Fn(&DivisionWord) -> bool) -> HashSet<String> {
    division_words().iter().filter(|(_, d)| wanted(d)).map(|(w, _)| key(w)).collect()
}

fn keyed(words: &[&str]) -> HashSet<String> {
    words.iter().map(|w| key(w)).collect()
}

/// Endings removed from each word of an alias phrase, so that case forms meet (Луганской Народной
/// Республике ~ Луганская Народная Республика, в Крыму ~ Крым).
const ALIAS_ENDINGS: &[&str] =
    &["aia", "ogo", "omu", "oi", "oe", "ie", "ih", "im", "om", "iu", "ia", "a", "i", "e", "u"];

impl RegionIndex {
    /// Build the index for `gaz` (about a millisecond: a few thousand names).
    pub fn build(gaz: &Gazetteer) -> RegionIndex {
        let lex = lexicon();
        let mut idx = RegionIndex::default();
        let city = key("city");
        for (level, regions) in [(1u8, &gaz.admin1), (2u8, &gaz.admin2)] {
            for (i, r) in regions.iter().enumerate() {
                let rr = RegionRef { level, index: i as u32 };
                let mut shape = (false, false);
                for name in region_names(r) {
                    let k = key(name);
                    shape.1 |= k.split(' ').any(|w| w == city);
                    let (stem, generic) = lex.strip(&k);
                    shape.0 |= generic.first_level;
                    idx.add_stem(&stem, rr, false);
                }
                if level == 1 {
                    idx.admin1_shape.push(shape);
                    idx.admin1_stems.push(lex.strip(&key(&r.name)).0);
                }
            }
        }
        // Admin1 capitals and all their names (Kharkov, Харків) name their region too.
        let mut seat_of: HashMap<u32, Vec<RegionRef>> = HashMap::default();
        for (i, r) in gaz.admin1.iter().enumerate() {
            if let Some(seat) = r.seat {
                let code = gaz.places.get(seat as usize).map(|p| p.feature_code.as_str()).unwrap_or("");
                if code == "PPLA" || code == "PPLC" {
                    seat_of.entry(seat).or_default().push(RegionRef { level: 1, index: i as u32 });
                }
            }
        }
        // One flag per place, so the pass over the (million-entry) name index is a byte load per entry.
        let mut is_seat = vec![false; gaz.places.len()];
        for &s in seat_of.keys() {
            if let Some(f) = is_seat.get_mut(s as usize) {
                *f = true;
            }
        }
        for e in gaz.names.iter().filter(|e| is_seat.get(e.place as usize) == Some(&true)) {
            if let Some(regions) = seat_of.get(&e.place) {
                for &rr in regions {
                    idx.add_stem(&e.key, rr, true);
                }
            }
        }
        let codes: HashMap<&str, u32> =
            gaz.admin1.iter().enumerate().map(|(i, r)| (r.code.as_str(), i as u32)).collect();
        for (form, region_codes) in &lex.aliases {
            for code in region_codes {
                if let Some(&i) = codes.get(code) {
                    add(&mut idx.aliases, form.clone(), RegionRef { level: 1, index: i });
                }
            }
        }
        idx
    }

    /// Index one stem as a noun and its adjective stems.
    fn add_stem(&mut self, stem: &str, rr: RegionRef, seat: bool) {
        if stem.len() < 2 {
            return;
        }
        let (nouns, adjectives) = if seat {
            (&mut self.seats, &mut self.seat_adjectives)
        } else {
            (&mut self.names, &mut self.name_adjectives)
        };
        add(nouns, stem.to_string(), rr);
        for a in adjective_stems(stem) {
            add(adjectives, a, rr);
        }
    }

    /// Regions a phrase names, most likely first, with the generic words it carried.
    pub fn lookup(&self, text: &str) -> (Vec<RegionRef>, Generic) {
        let k = key(text);
        let mut out: Vec<RegionRef> = Vec::new();
        let lex = lexicon();
        // The stem serves both the alias form (of a phrase of several words) and the lookups below.
        let (stem, generic) = lex.strip(&k);
        let alias = if k.contains(' ') { Cow::Owned(alias_words(&stem)) } else { lex.alias_form(&k) };
        if let Some(v) = self.aliases.get(&*alias) {
            return (v.clone(), Generic { first_level: true, strictly_first_level: false, second_level: false });
        }
        if stem.is_empty() {
            return (out, generic);
        }
        let adjective = adjective_of_phrase(&stem);
        // "Ivano-Frankivska": the adjective of a hyphenated name is indexed joined.
        let joined_adjective = adjective.as_deref().filter(|a| a.contains(' ')).map(|a| a.replace(' ', ""));
        // A region is named by: its own name as a noun (Voronezh Oblast, Luhansk), an adjective
        // (Voronezhskaya, Borovsky), its capital (Kursk), with a generic word also the noun of its
        // adjective (Graivoron district) or a case form of its name (в Чечне), or the colloquial -щина
        // (Белгородщина). The derived forms are worked out first, so the lookups borrow them.
        let adjectives = if generic.any() && adjective.is_none() { adjective_stems(&stem) } else { Vec::new() };
        let colloquial = colloquial_stem(&stem);
        let colloquial_adjectives = colloquial.as_deref().map(adjective_stems).unwrap_or_default();
        let cyrillic_case = !generic.any() && text.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let mut lemmas: Vec<String> = Vec::new();
        if cyrillic_case {
            crate::names::for_each_lemma(&stem, |l| lemmas.push(l.to_string()));
        }
        let mut lookups: Vec<(&HashMap<String, Vec<RegionRef>>, &str)> = vec![(&self.names, &stem)];
        if let Some(a) = &adjective {
            lookups.push((&self.name_adjectives, a));
        }
        if let Some(a) = &joined_adjective {
            lookups.push((&self.name_adjectives, a));
        }
        lookups.push((&self.seats, &stem));
        if let Some(a) = &adjective {
            lookups.push((&self.seat_adjectives, a));
        }
        for a in &adjectives {
            lookups.push((&self.name_adjectives, a));
            lookups.push((&self.seat_adjectives, a));
        }
        if let Some(c) = &colloquial {
            lookups.push((&self.names, c));
            lookups.push((&self.seats, c));
            for a in &colloquial_adjectives {
                lookups.push((&self.name_adjectives, a));
                lookups.push((&self.seat_adjectives, a));
            }
        }
        for l in &lemmas {
            lookups.push((&self.names, l));
        }
        // District words ask for admin2 first; everything else for admin1 (a bare "Borovsky" or
        // "Grayvoron" is not taken as a district: too many places share district names).
        // An oblast word never falls back to a district ("Вологодская область" is not Vologodsky Rayon).
        let levels: &[u8] = if generic.second_level && !generic.first_level {
            &[2, 1]
        } else if generic.strictly_first_level && !generic.second_level {
            &[1]
        } else if generic.any() {
            &[1, 2]
        } else {
            &[1]
        };
        for &level in levels {
            for &(map, k) in &lookups {
                for &r in map.get(k).into_iter().flatten() {
                    if r.level == level && !out.contains(&r) {
                        out.push(r);
                    }
                }
            }
            if !out.is_empty() {
                break;
            }
        }
        // "Kyiv region", "Minsk region", "Московская область", "Kyivska": the oblast, not the city of the same
        // name; an oblast phrase that found only the city ("Kiev Oblast", by the capital's alternate name) also
        // means the oblast around it, the admin1 region that shares the city region's stem.
        if (generic.first_level || adjective.is_some()) && out.first().is_some_and(|r| r.level == 1) {
            let shape = |r: &RegionRef| self.admin1_shape.get(r.index as usize).copied().unwrap_or_default();
            let around: Vec<RegionRef> = out
                .iter()
                .filter(|r| shape(r).1)
                .filter_map(|r| self.admin1_stems.get(r.index as usize))
                .flat_map(|stem| self.names.get(stem).into_iter().flatten())
                .filter(|o| o.level == 1 && !shape(o).1)
                .copied()
                .collect();
            for o in around {
                if !out.contains(&o) {
                    out.push(o);
                }
            }
        }
        if (generic.first_level || adjective.is_some()) && out.len() > 1 && out[0].level == 1 {
            out.sort_by_key(|r| {
                let (oblast_word, city) = self.admin1_shape.get(r.index as usize).copied().unwrap_or_default();
                (city, !oblast_word)
            });
        }
        (out, generic)
    }
}

impl Lexicon {
    /// An alias phrase reduced for matching: no leading prepositions or generic words, each word
    /// without its case ending.
    ///
    /// A one-word key (the common case: most names the geoparser checks are one word) is answered as a
    /// slice of `k`, without allocating.
    fn alias_form<'k>(&self, k: &'k str) -> Cow<'k, str> {
        if !k.contains(' ') {
            // one word: no prepositions to drop; a generic word alone is no alias
            if self.is_generic_word(k) {
                return Cow::Borrowed("");
            }
            return Cow::Borrowed(alias_word(k));
        }
        Cow::Owned(alias_words(&self.strip(k).0))
    }

    /// Remove leading prepositions and every generic word from a key; report which kinds were present.
    pub fn strip(&self, k: &str) -> (String, Generic) {
        let mut generic = Generic::default();
        let mut kept: Vec<&str> = Vec::new();
        for w in k.split(' ') {
            if kept.is_empty() && self.leading_words.contains(w) {
                continue;
            }
            if self.first_level_words.contains(w) {
                generic.first_level = true;
                generic.strictly_first_level |= self.strict_first_level_words.contains(w);
            } else if self.second_level_words.contains(w) {
                generic.second_level = true;
            } else if w == "of" || w == "the" {
            } else {
                kept.push(w);
            }
        }
        (kept.join(" "), generic)
    }

    /// Whether a whole phrase is an alias (LPR, Crimea, Donbas, Луганской Народной Республике).
    pub fn is_alias(&self, text: &str) -> bool {
        self.is_alias_key(&key(text))
    }

    /// [`Lexicon::is_alias`] for a phrase already turned into a key.
    pub fn is_alias_key(&self, k: &str) -> bool {
        if !k.contains(' ') {
            // As `alias_form` reduces one word, after a test of the head that rules out most words, and with
            // the (rarely answered) alias lookup before the two generic-word lookups.
            if !self.alias_heads.contains(&alias_head(k)) {
                return false;
            }
            let form = alias_word(k);
            return !form.is_empty() && self.aliases.contains_key(form) && !self.is_generic_word(k);
        }
        let form = self.alias_form(k);
        !form.is_empty() && self.aliases.contains_key(&*form)
    }

    /// Whether `word` (a key) is a generic region word of either level.
    pub fn is_generic_word(&self, word: &str) -> bool {
        self.first_level_words.contains(word) || self.second_level_words.contains(word)
    }

    /// Whether `word` (a key) is a leading preposition (в, in, near).
    pub fn is_leading_word(&self, word: &str) -> bool {
        self.leading_words.contains(word)
    }
}

/// The region a one-word name stands for on its own ("LPR", "Крыму", "Kuban"): its admin1 code, when the
/// name (in any case form) is an alias of exactly one region ("Donbas" names two, and is no answer).
///
/// ```
/// use incimap::resolve::one_word_alias;
/// assert_eq!(one_word_alias("Крыму"), Some("UA.11"));
/// assert_eq!(one_word_alias("Donbas"), None);
/// assert_eq!(one_word_alias("Belgorod"), None);
/// ```
pub fn one_word_alias(w: &str) -> Option<&'static str> {
    let k = key(w);
    let lex = lexicon();
    if k.contains(' ') || !lex.is_alias_key(&k) {
        return None;
    }
    match lex.one_word_aliases.get(alias_word(&k))?.as_slice() {
        [code] => Some(code),
        _ => None,
    }
}

/// Whether `w` is a colloquial region name in -щина, in any case form (Харківщині, Донеччина, Белгородщину).
pub fn is_colloquial_region_name(w: &str) -> bool {
    colloquial_stem(&key(w)).is_some()
}

/// The fewest letters of a region adjective: shorter words that end like one (Ейск, "Луцкий") are taken for
/// nouns.
const MIN_ADJECTIVE_CHARS: usize = 6;

/// Whether the one word `w` has the shape of a region's adjective (Брянской, Харківська, Voronezhskaya,
/// Запорізькій), as in "Брянской области".
pub fn is_region_adjective(w: &str) -> bool {
    w.chars().count() >= MIN_ADJECTIVE_CHARS && !w.contains(' ') && adjective_of_phrase(&key(w)).is_some()
}

/// The centre of each admin2 region. Most Russian places in GeoNames carry no admin2 code, so the seat
/// is often unknown; a district is named after its centre (Grayvoronskiy Rayon, Borovskiy Rayon), so
/// the most prominent place of the same admin1 whose name gives the district's adjective is taken.
fn district_centres(gaz: &Gazetteer, in_admin1: &[u32], districts: &[u32]) -> Vec<Option<u32>> {
    let lex = lexicon();
    // The adjective stems each district may be named after, in order of preference.
    let wanted: Vec<Option<Vec<String>>> = districts
        .iter()
        .map(|&d| {
            let r = &gaz.admin2[d as usize];
            Some(region_names(r).flat_map(|n| adjective_stems(&lex.strip(&key(n)).0)).collect())
        })
        .collect();
    // Adjective stem → the most prominent place of `admin1` that gives it; only for stems some district wants.
    let mut best: HashMap<&str, Option<u32>> = wanted.iter().flatten().flatten().map(|s| (s.as_str(), None)).collect();
    let rank = |p: &crate::gazetteer::Place| {
        let seat = matches!(p.feature_code.as_str(), "PPLA2" | "PPLA" | "PPLC" | "PPLA3");
        (seat, p.population)
    };
    if !best.is_empty() {
        for (i, p) in in_admin1.iter().map(|&i| (i as usize, &gaz.places[i as usize])) {
            let k = key(&p.name);
            if k.len() < 3 {
                continue;
            }
            for a in seat_adjective_stems(&k) {
                if let Some(found) = best.get_mut(a.as_str())
                    // the first of equally prominent places
                    && found.is_none_or(|f| rank(p) > rank(&gaz.places[f as usize]))
                {
                    *found = Some(i as u32);
                }
            }
        }
    }
    // A district is named after its centre: the town it is named after, when the oblast has one at least as
    // prominent as GeoNames' seat (GeoNames puts Maloyaroslavetsky district's seat at the village Kudinovo),
    // else GeoNames' seat.
    districts
        .iter()
        .zip(&wanted)
        .map(|(&d, w)| {
            let named = w.iter().flatten().find_map(|a| best.get(a.as_str()).copied().flatten());
            match (gaz.admin2[d as usize].seat, named) {
                (Some(seat), Some(town)) if rank(&gaz.places[town as usize]) < rank(&gaz.places[seat as usize]) => {
                    Some(seat)
                }
                (seat, town) => town.or(seat),
            }
        })
        .collect()
}

/// The alias form of a phrase of several words, from its [`Lexicon::strip`]ped key: each word without its
/// case ending.
fn alias_words(stem: &str) -> String {
    let mut out = String::with_capacity(stem.len());
    for w in stem.split(' ') {
        let w = alias_word(w);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// One word of an alias without its case ending.
fn alias_word(w: &str) -> &str {
    for e in ALIAS_ENDINGS {
        if let Some(s) = w.strip_suffix(e)
            && s.len() >= 3
        {
            return s;
        }
    }
    w
}

/// English, ASCII and alternate names of a region.
fn region_names(r: &Region) -> impl Iterator<Item = &str> {
    [r.name.as_str(), r.ascii_name.as_str()].into_iter().chain(r.alt_names.iter().map(String::as_str))
}

/// The `sk` adjective stem of a phrase that is itself an adjective (voronezhskaia → voronezhsk,
/// borovski → borovsk, kharkivska → kharkivsk), looking at its last word.
fn adjective_of_phrase(stem: &str) -> Option<String> {
    let (head, last) = match stem.rsplit_once(' ') {
        Some((h, l)) => (Some(h), l),
        None => (None, stem),
    };
    // -ськ- in most adjectives; -зьк- where Ukrainian keeps the stem's з (Запорізька, Печенізький).
    let pos = last.rfind("sk").into_iter().chain(last.rfind("zk")).max()?;
    let ending = &last[pos + 2..];
    if pos < 2 || !(ending.is_empty() || ADJECTIVE_ENDINGS.contains(&ending)) {
        return None;
    }
    if ending.is_empty() {
        return None; // a noun ending in -sk (Kursk): handled as a noun
    }
    let a = &last[..pos + 2];
    Some(match head {
        Some(h) => format!("{h} {a}"),
        None => a.to_string(),
    })
}

/// Adjective stems a noun stem may take (voronezh → voronezhsk; kaluga → kaluzhsk; sumi → sumsk;
/// petropavlovka → petropavlovsk; kursk → kursk; borovski → borovsk).
pub(crate) fn adjective_stems(stem: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(a) = adjective_of_phrase(stem) {
        out.push(a);
        return out;
    }
    for (noun, adjs) in IRREGULAR_ADJECTIVES {
        if *noun == stem {
            out.extend(adjs.iter().map(|a| a.to_string()));
        }
    }
    let joined = stem.replace(' ', "");
    let s = joined.as_str();
    if s.ends_with("sk") {
        out.push(s.to_string());
        return out;
    }
    out.push(key(&format!("{s}sk")));
    // Udmurtiya → Udmurtskaya, Mordoviya → Mordovskaya.
    if let Some(base) = s.strip_suffix("iia").or_else(|| s.strip_suffix("ia")).filter(|b| b.len() >= 3) {
        out.push(key(&format!("{base}sk")));
    }
    if s.len() > 3 && s.ends_with(['a', 'e', 'i', 'o', 'u']) {
        let base = &s[..s.len() - 1];
        out.push(key(&format!("{base}sk")));
        if let Some(g) = base.strip_suffix('g') {
            out.push(format!("{g}zhsk")); // Kaluga → Kaluzhskaya
        }
        if let Some(k) = base.strip_suffix('k') {
            out.push(format!("{k}sk")); // Petropavlovka → Petropavlovsky
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The adjective stems a district named after place key `k` may carry: [`adjective_stems`], and two
/// forms only district names take (so not tried on region phrases, where they would find false regions):
/// a two-word name joined into one adjective (Krasnaya Yaruga → Krasnoyaruzhsky, Stary Oskol →
/// Starooskolsky, Velyka Pysarivka → Velykopysarivskyi), and -a names with -ansky (Korocha → Korochansky,
/// Ivnya → Ivnyansky, Sudzha → Sudzhansky).
fn seat_adjective_stems(k: &str) -> Vec<String> {
    let mut out = adjective_stems(k);
    if let Some((first, second)) = k.split_once(' ')
        && !second.contains(' ')
    {
        let first_stem = ["aia", "oe", "ie", "ii", "ia", "i", "a"]
            .iter()
            .find_map(|e| first.strip_suffix(e).filter(|s| s.len() >= 3));
        if let Some(first_stem) = first_stem {
            for second_stem in district_word_stems(second) {
                out.push(key(&format!("{first_stem}o{second_stem}")));
                out.push(key(&format!("{first_stem}e{second_stem}")));
            }
        }
    } else if !k.contains(' ') {
        out.extend(district_word_stems(k));
    }
    out.sort();
    out.dedup();
    out
}

/// The adjective stems a district takes from one word of its seat's name (a key), beyond
/// [`adjective_stems`]: the forms Russian and Ukrainian give district names and not region names.
/// - -a names take -ansky (Korocha → Korochansky, Sudzha → Sudzhansky) or -insky (Navlya → Navlinsky,
///   Shostka → Shostkynskyi);
/// - plural and -ka names take -ovsky in Russian (Shchigry → Shchigrovsky, Zlynka → Zlynkovsky) and -ivskyi in
///   Ukrainian (Valky → Valkivskyi, Derhachi → Derhachivskyi);
/// - Ukrainian closes the -ov-/-ev- of a stem to -iv- (Lozova → Lozivskyi, Barvinkove → Barvinkivskyi);
/// - a stem ending in consonant + n takes -ensky (Kastornoye → Kastorensky, Romny → Romenskyi);
/// - Ukrainian turns a final k into ts and h into z before -sk- (Kolomak → Kolomatskyi, Pechenihy →
///   Pechenizkyi, Nova Vodolaha → Novovodolazkyi).
fn district_word_stems(w: &str) -> Vec<String> {
    let mut out = adjective_stems(w);
    if w.len() < 3 || w.ends_with("sk") {
        return out;
    }
    if w.ends_with('a') && w.len() > 3 {
        out.push(format!("{w}nsk"));
    }
    let root = ["oe", "ie", "ia", "a", "e", "i", "o", "u"]
        .iter()
        .find_map(|e| w.strip_suffix(e).filter(|r| r.len() >= 3))
        .unwrap_or(w);
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u');
    let mut forms = vec![format!("{root}ovsk"), format!("{root}ivsk"), format!("{root}sk")];
    if w.ends_with('a') {
        forms.push(format!("{root}insk"));
    }
    for (from, to) in [("ov", "iv"), ("ev", "iv")] {
        if let Some(r) = root.strip_suffix(from) {
            forms.push(format!("{r}{to}sk"));
        }
    }
    if let Some(r) = root.strip_suffix('n')
        && r.chars().last().is_some_and(|c| !vowel(c))
    {
        forms.push(format!("{r}ensk"));
    }
    if let Some(r) = root.strip_suffix('k') {
        forms.push(format!("{r}tsk"));
    }
    if let Some(r) = root.strip_suffix('h').or_else(|| root.strip_suffix('g')) {
        forms.push(format!("{r}zk"));
    }
    out.extend(forms.iter().map(|f| key(f)));
    out.sort();
    out.dedup();
    out
}

/// The form a district phrase ("ГРАЙВОРОНСКИЙ РАЙОН", "Balakliiskyi", "Borovsky district", "Grayvoron
/// district") takes when compared with its seat's [`seat_district_forms`]; `None` for a phrase of generic
/// words only.
pub fn district_form(district: &str) -> Option<String> {
    let (stem, _) = lexicon().strip(&key(district));
    if stem.is_empty() {
        return None;
    }
    Some(key(&adjective_of_phrase(&stem).unwrap_or(stem).replace(' ', "")))
}

/// The forms a district named after the place `place_name` may take (see [`district_form`]): the place's
/// own name (Grayvoron district) and its adjectives (Грайворонский, Krasnoyaruzhsky, Sudzhansky).
pub fn seat_district_forms(place_name: &str) -> Vec<String> {
    let place = key(place_name);
    if place.len() < 3 {
        return Vec::new();
    }
    let mut out: Vec<String> = seat_adjective_stems(&place).iter().map(|a| key(&a.replace(' ', ""))).collect();
    out.push(place.replace(' ', ""));
    out.sort();
    out.dedup();
    out
}

/// Whether the district phrase `district` is named after the place `place_name`, as a district is named
/// after its seat.
pub fn district_named_after(district: &str, place_name: &str) -> bool {
    district_form(district).is_some_and(|d| seat_district_forms(place_name).contains(&d))
}

/// The stem of a colloquial region name in -щина (Белгородщина → belgorod, Курщина → kur(sk)); in -ччина the
/// stem's ц became ч (Донеччина → donets(k)).
fn colloquial_stem(stem: &str) -> Option<String> {
    if stem.contains(' ') {
        return None;
    }
    for ending in ["shchina", "shchine", "shchini", "shchinu", "shchinoi", "shchinoiu"] {
        if let Some(s) = stem.strip_suffix(ending)
            && s.len() >= 3
        {
            return Some(s.to_string());
        }
    }
    for ending in ["chchina", "chchine", "chchini", "chchinu", "chchinoi", "chchinoiu"] {
        if let Some(s) = stem.strip_suffix(ending)
            && s.len() >= 3
        {
            return Some(format!("{s}ts"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_alias_key` (with its shortcuts for one word) answers as the alias form and the alias map do, for
    /// gazetteer keys, the aliases' own keys and their case forms.
    #[test]
    fn is_alias_key_agrees_with_the_alias_form() {
        let gaz = Gazetteer::embedded().unwrap();
        let lex = lexicon();
        let mut keys: Vec<String> = gaz.names.iter().step_by(97).map(|e| e.key.to_string()).collect();
        let alias_names = ALIASES.iter().map(|(_, n)| *n).chain(SHARED_ALIASES.iter().map(|(_, n)| *n));
        for names in alias_names {
            for n in names {
                let k = key(n);
                keys.extend([k.clone(), format!("{k}e"), format!("{k}u"), format!("v {k}"), k.replace(' ', "")]);
            }
        }
        keys.extend(["", "a", "lp", "region", "oblast", "oblasti", "krim", "krimu", "donbase"].map(String::from));
        for k in &keys {
            let form = lex.alias_form(k);
            let expected = !form.is_empty() && lex.aliases.contains_key(&*form);
            assert_eq!(lex.is_alias_key(k), expected, "{k:?}");
        }
    }

    /// The straightforward form of [`district_centres`]: every place's adjective stems into one map.
    fn district_centres_by_every_place(gaz: &Gazetteer) -> Vec<Option<u32>> {
        let lex = lexicon();
        // (admin1 code, adjective stem) → most prominent place
        let mut by_adjective: HashMap<(String, String), u32> = HashMap::default();
        let rank = |p: &crate::gazetteer::Place| {
            let seat = matches!(p.feature_code.as_str(), "PPLA2" | "PPLA" | "PPLC" | "PPLA3");
            (seat, p.population)
        };
        for (i, p) in gaz.places.iter().enumerate() {
            let k = key(&p.name);
            // A village known only by its district (at the district's point) is no district's centre.
            if k.len() < 3 || p.admin1.is_empty() || p.precision != PointPrecision::Exact {
                continue;
            }
            for a in seat_adjective_stems(&k) {
                let e = by_adjective.entry((p.admin1_code(), a)).or_insert(i as u32);
                if rank(p) > rank(&gaz.places[*e as usize]) {
                    *e = i as u32;
                }
            }
        }
        gaz.admin2
            .iter()
            .map(|r| {
                let admin1 = r.code.rsplit_once('.').map(|(a, _)| a).unwrap_or("");
                let named = region_names(r).find_map(|n| {
                    let (stem, _) = lex.strip(&key(n));
                    adjective_stems(&stem).into_iter().find_map(|a| by_adjective.get(&(admin1.to_string(), a)).copied())
                });
                // The town named wins unless GeoNames' seat is more prominent.
                match (r.seat, named) {
                    (Some(seat), Some(town)) if rank(&gaz.places[town as usize]) < rank(&gaz.places[seat as usize]) => {
                        Some(seat)
                    }
                    (seat, town) => town.or(seat),
                }
            })
            .collect()
    }

    #[test]
    fn district_centres_match_the_straightforward_form() {
        let gaz = Gazetteer::embedded().unwrap();
        let d = DistrictCentres::new(&gaz);
        let got: Vec<Option<u32>> = (0..gaz.admin2.len() as u32).map(|i| d.centre(&gaz, i)).collect();
        assert_eq!(got, district_centres_by_every_place(&gaz));
        // Most districts have a centre, not only those GeoNames gives a seat.
        let seats = gaz.admin2.iter().filter(|r| r.seat.is_some()).count();
        assert!(got.iter().flatten().count() > seats + 500, "{seats} seats");
    }

    /// Districts named after their seats, in the shapes postal files and news write them.
    #[test]
    fn districts_named_after_their_seats() {
        for (district, seat) in [
            ("ГРАЙВОРОНСКИЙ РАЙОН", "Грайворон"),
            ("ГРАЙВОРОНСКИЙ РАЙОН", "Grayvoron"),
            ("Balakliiskyi", "Балаклія"),
            ("Kharkivskyi", "Kharkiv"),
            ("КРАСНОЯРУЖСКИЙ РАЙОН", "Красная Яруга"),
            ("Grayvoron district", "Graivoron"),
            ("СУДЖАНСКИЙ РАЙОН", "Суджа"),
            // district names of Kursk, Bryansk and Kharkiv oblasts, with their seats
            ("ЩИГРОВСКИЙ РАЙОН", "Щигры"),
            ("ЗЛЫНКОВСКИЙ РАЙОН", "Злынка"),
            ("НАВЛИНСКИЙ РАЙОН", "Навля"),
            ("КАСТОРЕНСКИЙ РАЙОН", "Касторное"),
            ("СТАРООСКОЛЬСКИЙ РАЙОН", "Старый Оскол"),
            ("БОЛЬШЕСОЛДАТСКИЙ РАЙОН", "Большое Солдатское"),
            ("Lozivskyi", "Лозова"),
            ("Valkivskyi", "Валки"),
            ("Derhachivskyi", "Дергачі"),
            ("Barvinkivskyi", "Барвінкове"),
            ("Kolomatskyi", "Коломак"),
            ("Pechenizkyi", "Печеніги"),
            ("Novovodolazkyi", "Нова Водолага"),
            ("Velykoburlutskyi", "Великий Бурлук"),
            ("Romenskyi", "Ромни"),
            ("Shostkynskyi", "Шостка"),
        ] {
            assert!(district_named_after(district, seat), "{district} / {seat}");
        }
        for (district, other) in [("ГРАЙВОРОНСКИЙ РАЙОН", "Белгород"), ("Kharkivskyi", "Kupiansk"), ("район", "Рай")]
        {
            assert!(!district_named_after(district, other), "{district} / {other}");
        }
    }

    #[test]
    fn every_division_word_line_parses() {
        let lines = DIVISION_WORDS_TSV.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty());
        for line in lines {
            assert!(parse_division_word(line).is_some(), "malformed line in region-words.tsv: {line:?}");
            let word = line.split('\t').next().unwrap_or_default();
            assert_eq!(word, word.to_lowercase(), "region words are written in lower case");
        }
        assert!(division_words().len() > 100);
    }

    /// Russian and Ukrainian grammar: the case forms of the heads, plurals where the word is plural.
    #[test]
    fn division_words_by_grammar() {
        let level_plural = |w: &str| division_word(w).map(|d| (d.level, d.is_head(), d.plural));
        assert_eq!(level_plural("области"), Some((1, true, false)));
        assert_eq!(level_plural("областях"), Some((1, true, true)));
        assert_eq!(level_plural("районах"), Some((2, true, true)));
        assert_eq!(level_plural("районе"), Some((2, true, false)));
        assert_eq!(level_plural("districts"), Some((2, true, true)));
        assert_eq!(level_plural("municipal"), Some((2, false, false)));
        assert_eq!(level_plural("city"), Some((2, false, false)));
        assert_eq!(division_word("oblast").map(|d| d.kind), Some(DivisionWordKind::Strict));
        assert_eq!(division_word("region").map(|d| d.kind), Some(DivisionWordKind::Head));
        for not_generic in ["regional", "districting", "обласать", "drone", "kursk"] {
            assert_eq!(division_word(not_generic), None, "{not_generic}");
        }
    }

    /// Stand-alone names in the case forms news writes them (в Крыму, на Кубани, в Подмосковье, у Підмосков'ї),
    /// each the one region it names; names of two regions, and names that only become aliases with a generic
    /// word ("Moscow Region"), are none.
    #[test]
    fn one_word_aliases_in_their_case_forms() {
        let forms = [
            ("LPR", "UA.14"),
            ("ЛНР", "UA.14"),
            ("DNR", "UA.05"),
            ("ДНР", "UA.05"),
            ("Crimea", "UA.11"),
            ("Крыму", "UA.11"),
            ("Криму", "UA.11"),
            ("Кубани", "RU.38"),
            ("Kuban", "RU.38"),
            ("Подмосковье", "RU.47"),
            ("Подмосковья", "RU.47"),
            ("Подмосковьи", "RU.47"),
            ("Підмосков'ї", "RU.47"),
        ];
        for (w, code) in forms {
            assert_eq!(one_word_alias(w), Some(code), "{w}");
        }
        for w in ["Donbas", "Донбассе", "Moscow", "Luhansk", "Donetsk", "Krasnodar", "region"] {
            assert_eq!(one_word_alias(w), None, "{w}");
        }
    }

    #[test]
    fn colloquial_names_and_adjectives() {
        for w in ["Харківщина", "Сумщині", "Донеччину", "Белгородщиной"] {
            assert!(is_colloquial_region_name(w), "{w}");
        }
        for w in ["Харків", "щина", "Донецьк"] {
            assert!(!is_colloquial_region_name(w), "{w}");
        }
        for w in ["Брянской", "Харківська", "Запорізькій", "Луганської", "Донецкой", "курской"]
        {
            assert!(is_region_adjective(w), "{w}");
        }
        for w in ["Брянск", "Курск", "область", "Ейск", "Харків"] {
            assert!(!is_region_adjective(w), "{w}");
        }
    }

    #[test]
    fn irregular_adjectives_are_keys() {
        for (noun, adjs) in IRREGULAR_ADJECTIVES {
            assert_eq!(key(noun), *noun);
            for a in *adjs {
                assert_eq!(key(a), *a);
            }
        }
        assert_eq!(key("Moscow"), "mostsov");
    }

    #[test]
    fn adjectives_of_nouns() {
        assert!(adjective_stems("voronezh").contains(&"voronezhsk".to_string()));
        assert!(adjective_stems("kaluga").contains(&"kaluzhsk".to_string()));
        assert!(adjective_stems("kursk").contains(&"kursk".to_string()));
        assert!(adjective_stems("borovski").contains(&"borovsk".to_string()));
        assert!(adjective_stems("petropavlovka").contains(&"petropavlovsk".to_string()));
        assert_eq!(adjective_of_phrase("voronezhskoi").as_deref(), Some("voronezhsk"));
        // District names only: two words joined, and -a names with -ansky.
        for (place, district) in [
            ("krasnaia iaruga", "krasnoiaruzhsk"),
            ("stari oskol", "staroskolsk"),
            ("velika pisarivka", "velikopisarivsk"),
            ("korocha", "korochansk"),
            ("ivnia", "ivniansk"),
        ] {
            assert!(seat_adjective_stems(place).contains(&district.to_string()), "{place}");
            assert!(!adjective_stems(place).contains(&district.to_string()), "{place}");
        }
        assert_eq!(adjective_of_phrase("kursk"), None);
    }
}
