//! Geoparsing news text into incidents: toponyms, region phrases, incident roles, dates and weapons.
//!
//! The pipeline, per document:
//! 1. [`text`] tokenises with exact byte offsets and splits sentences (lines are sentences too).
//! 2. [`regions`] finds region phrases ("Voronezh region", "Брянской области", "Borovsky district") and
//!    resolves them through [`Resolver::region`].
//! 3. Toponyms are recognised by looking capitalised words (and runs of up to three) up in the gazetteer's
//!    name index through [`crate::names::key`]; Russian/Ukrainian case endings are undone by
//!    [`crate::names::for_each_lemma`].
//!    Guards drop common words, demonyms, person names and all-caps acronyms.
//! 4. Region phrases next to a place attach to it and are hard constraints: a place outside the named
//!    region is never chosen; a village missing from the gazetteer is placed at the region's centre with
//!    precision `region` (at the district's seat, `near`, for a district).
//! 5. Document-level disambiguation prefers candidates in regions named anywhere in the text and close to
//!    the other places it names.
//! 6. [`roles`] tells incident sites from context (outlets, speakers, capitals standing for governments,
//!    captions, aid destinations); [`dates`] and [`weapons`] fill in when and with what.
//!
//! ```
//! use incimap::{border::BorderIndex, gazetteer::Gazetteer, resolve::Resolver, extract::Extractor};
//! let gaz = Gazetteer::embedded().unwrap();
//! let resolver = Resolver::new(&gaz);
//! let border = BorderIndex::new(&gaz.boundaries);
//! let ex = Extractor::new(&resolver, Some(&border));
//! let text = "A drone crashed in Kursk overnight, the Kyiv Independent reported.";
//! let mentions = ex.extract(text, "a.txt", None);
//! let kursk = mentions.iter().find(|m| m.mention == "Kursk").unwrap();
//! assert_eq!(kursk.role, incimap::extract::Role::Incident);
//! assert_eq!(mentions.iter().find(|m| m.mention == "Kyiv").unwrap().role, incimap::extract::Role::Context);
//! ```

pub mod annotate;
pub mod dates;
pub mod events;
pub mod json;
pub mod lexicon;
mod memo;
pub mod regions;
pub mod roles;
pub mod stream;
pub mod text;
pub mod weapons;
pub mod words;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use compact_str::CompactString;

use serde::Serialize;

use crate::border::{BorderIndex, Measurement};
use crate::gazetteer::{Gazetteer, PointPrecision};
use crate::incidents::{Incident, Precision, Unresolved};
use crate::resolve::{Candidate, RegionHint, Resolver, Status};

use memo::StrMemo;
use regions::{RegionPhrase, RegionRef};
use text::{Folded, Kind, Script, Token};
use words::Classes;

/// What a mention stands for in the story.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The place where something happened (fell, exploded, was hit, shot down, shelled, evacuated, damaged).
    Incident,
    /// Any other mention: an outlet, a speaker's location, a capital standing for its government, a caption.
    Context,
}

/// A piece of a document's text (a mention's sentence). The mentions of one document share one copy of its
/// text, so a sentence costs no allocation of its own (and a mention kept keeps its document's text); it
/// reads, prints and serializes as the `str` it is.
///
/// ```
/// # use incimap::extract::Excerpt;
/// let e = Excerpt::new("A drone fell. Debris hit a house.".into(), 14..33);
/// assert_eq!(&*e, "Debris hit a house.");
/// assert_eq!(e.to_string(), "Debris hit a house.");
/// ```
#[derive(Clone)]
pub struct Excerpt {
    text: Arc<str>,
    start: usize,
    end: usize,
}

impl Excerpt {
    /// The bytes `range` of `text`. Panics when `range` is not a range of `text` on character boundaries,
    /// as slicing `text` would.
    pub fn new(text: Arc<str>, range: std::ops::Range<usize>) -> Excerpt {
        let _ = &text[range.clone()];
        Excerpt { text, start: range.start, end: range.end }
    }
}

impl std::ops::Deref for Excerpt {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text[self.start..self.end]
    }
}

impl std::fmt::Display for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl Serialize for Excerpt {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// One place mention found in a text: the contract's `extract` record.
///
/// Strings shared by many mentions are reference-counted (`source` per document, `evidence` the
/// document's text, `place` per resolved candidate) and fixed vocabulary is `&'static`, so a mention costs
/// few allocations; the serialized form is the same as with owned strings.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    /// Input file (or `-`).
    pub source: Arc<str>,
    /// The mention as written.
    pub mention: CompactString,
    /// Byte offsets of the mention in the source text.
    pub start: usize,
    pub end: usize,
    pub role: Role,
    pub status: Status,
    pub precision: Precision,
    /// The place the mention is located at (for a region-precision mention: the region's centre).
    pub place: Option<Arc<Candidate>>,
    /// Signed distance of the located point to the Russia–Ukraine border, km (negative inside Ukraine).
    pub border_km: Option<f64>,
    /// ISO date of the event, when the text gives one.
    pub date: Option<CompactString>,
    /// `missile`, `drone`, `bomb`, `artillery` or `debris`.
    pub weapon: Option<&'static str>,
    /// The specific model (`Kalibr`, `FAB-250`).
    pub weapon_model: Option<CompactString>,
    /// What kind of event an incident is (`air_strike`, `shelling`, `crash`, `interception`,
    /// `ground_fighting`, `movement`, `damage`, `other`); none for context.
    pub event_type: Option<events::EventType>,
    /// The name looked up (the nominative of an inflected form, or the district/region core).
    pub name: CompactString,
    /// The located point (the place, a district seat, a region centre, or the midpoint of "between A and B").
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The region the text ties the mention to, when it names one.
    pub region: Option<CompactString>,
    /// Its admin1 code (`RU.86`).
    pub region_code: Option<CompactString>,
    /// The other place of "between A and B".
    pub between: Option<CompactString>,
    /// The sentence the mention is in.
    pub evidence: Excerpt,
    /// Why the role was given (`outlet name`, `capital as government or setting`, `event in sentence`, ...).
    pub reason: &'static str,
    /// 1-based line of the mention in the source text.
    pub line: u64,
    /// The border measurement behind `border_km`.
    #[serde(skip)]
    pub measurement: Option<Measurement>,
    /// Index of the sentence in the document.
    #[serde(skip)]
    pub sentence: usize,
}

/// A gazetteer hit for a written form: the name that matched and the places it names.
#[derive(Debug)]
struct Hit {
    // Names and keys are short: inline strings, no allocation of their own.
    name: CompactString,
    /// The gazetteer key of `name` ([`crate::names::key`]).
    key: CompactString,
    places: Rc<[u32]>,
    /// What the resolver adds for the name with no region phrase ([`Extractor::resolver_candidates`]),
    /// once asked: most mentions of a name have none, and this spares them the memo's string key.
    resolved: std::cell::OnceCell<Rc<[u32]>>,
}

/// What a candidate span names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpanKind {
    Settlement,
    District,
    Region,
}

#[derive(Debug, Clone)]
struct Span {
    sent: usize,
    first: usize,
    last: usize,
    kind: SpanKind,
    name: CompactString,
    /// The gazetteer hit the span was found by (none for a name the gazetteer lacks, or a region phrase).
    hit: Option<Rc<Hit>>,
    /// The region phrase tied to the span (its own for district/region spans), shared with the phrase.
    region: Option<Rc<RegionRef>>,
    /// Byte range of that phrase in the text.
    region_text: Option<(usize, usize)>,
    between: Option<usize>,
}

impl Span {
    /// The places the span's name is the gazetteer key of (none when it has no hit).
    fn places(&self) -> &[u32] {
        self.hit.as_ref().map_or(&[], |h| &h.places)
    }

    /// The gazetteer key of the span's name, when the lookup that found the span worked it out.
    fn name_key(&self) -> Option<&str> {
        self.hit.as_ref().map(|h| h.key.as_str())
    }
}

/// Resolver candidates by name and region phrase (see [`Extractor::resolver_candidates`]).
type ResolutionCache = StrMemo<Rc<[u32]>>;
/// Region phrases by phrase, core, level and preferred regions (see [`Extractor::region_of`]).
type RegionCache = StrMemo<Option<Rc<RegionRef>>>;
/// Date, weapon class and weapon model of an incident place.
type DateWeapon = (Option<CompactString>, Option<&'static str>, Option<CompactString>);

/// How many mentions either side count as "the other places of the story" for disambiguation.
const PROXIMITY_WINDOW: usize = 40;

/// A document of at most this many words that tells no event (a headline, a photo caption, a one-line record)
/// is about the places it names: they are its incidents. Captions and headlines run to 5–40 words; a news
/// article's first paragraph alone is longer.
const SHORT_REPORT_WORDS: usize = 40;

/// How far into Russia (km from the Russia–Ukraine border; Ukraine and its side count negative) a short
/// report's place may lie to be taken as its incident without an event word: strikes reach deeper, but a lone
/// caption name farther off is more often a namesake of a Ukrainian village than a report from there.
const SHORT_REPORT_REACH_KM: f64 = 300.0;

/// Bound on the per-extractor lookup cache (distinct written forms); cleared when exceeded.
const CACHE_LIMIT: usize = 200_000;

/// The geoparser over one gazetteer. Keeps a cache of name lookups, so reuse one for many documents.
pub struct Extractor<'r, 'g> {
    resolver: &'r Resolver<'g>,
    gaz: &'g Gazetteer,
    border: Option<&'r BorderIndex>,
    lookups: RefCell<StrMemo<Option<Rc<Hit>>>>,
    resolutions: RefCell<ResolutionCache>,
    regions: RefCell<RegionCache>,
    /// What the resolver makes of a region phrase, by phrase: the region cache's key also holds the
    /// document's preferred regions, so one phrase misses it in each document that names other regions.
    region_hints: RefCell<StrMemo<Rc<[RegionHint]>>>,
    /// The town a district's core names inside an oblast ([`regions::named_town`]), by "core␟admin1".
    district_towns: RefCell<StrMemo<Option<u32>>>,
    measurements: RefCell<HashMap<(u64, u64), Option<Measurement>>>,
    /// Places' priors before the document's regions count, with their points ([`Extractor::choose`]).
    base_priors: RefCell<HashMap<u32, (f64, Point)>>,
    /// Place objects by (place index, score bits): mentions of one place share one.
    candidates: RefCell<HashMap<(u32, u64), Arc<Candidate>>>,
    /// The last document's source name, shared by its mentions and by the next chunks of the same input.
    source: RefCell<Option<Arc<str>>>,
    /// A buffer for cache keys.
    key_buf: RefCell<String>,
    /// One document's working buffers, kept for the next document.
    scratch: RefCell<Scratch>,
    /// The place list of names the gazetteer lacks (empty), shared by their spans.
    no_places: Rc<[u32]>,
}

/// The buffers [`Extractor::extract`] fills for each document, kept between documents so that each one
/// does not allocate (and grow) them afresh.
#[derive(Default)]
struct Scratch {
    classes: Vec<Classes>,
    phrases: Vec<(usize, RegionPhrase)>,
    in_core: Vec<bool>,
    phrase_regions: Vec<Option<Rc<RegionRef>>>,
    spans: Vec<Span>,
    /// Region phrases standing alone, as spans, before they join `spans`.
    lone_regions: Vec<Span>,
    attached: Vec<bool>,
    index: PhraseIndex,
    sentence_dates: Vec<Option<Option<chrono::NaiveDate>>>,
    /// One sentence's region phrases, as [`regions::find`] gives them.
    sentence_phrases: Vec<RegionPhrase>,
    by_place: HashMap<u32, DateWeapon>,
    choosing: ChooseScratch,
}

/// The buffers [`Extractor::choose`] fills for each document.
#[derive(Default)]
struct ChooseScratch {
    /// Each span's candidate places, under its hard constraints.
    cands: Ragged<u32>,
    /// The candidates' priors and points, in the order of `cands.items`.
    priors: Vec<f64>,
    points: Vec<Point>,
    /// Each span's best point by prior alone (the first pass).
    first: Vec<Option<Point>>,
    /// The first-pass points of one span's neighbours.
    neighbours: Vec<Point>,
    /// One span's candidates (indices in its list) with their scores.
    scored: Vec<(usize, f64)>,
    /// The pick for each span: what [`Extractor::choose`] gives.
    choices: Vec<Choice>,
}

impl<'r, 'g> Extractor<'r, 'g> {
    /// An extractor resolving through `resolver` and measuring with `border` (no `border_km` without it).
    pub fn new(resolver: &'r Resolver<'g>, border: Option<&'r BorderIndex>) -> Self {
        Extractor {
            resolver,
            gaz: resolver.gazetteer(),
            border,
            lookups: RefCell::new(StrMemo::default()),
            resolutions: RefCell::new(StrMemo::default()),
            regions: RefCell::new(StrMemo::default()),
            region_hints: RefCell::new(StrMemo::default()),
            district_towns: RefCell::new(StrMemo::default()),
            measurements: RefCell::new(HashMap::default()),
            base_priors: RefCell::new(HashMap::default()),
            candidates: RefCell::new(HashMap::default()),
            source: RefCell::new(None),
            key_buf: RefCell::new(String::new()),
            scratch: RefCell::new(Scratch::default()),
            no_places: Rc::from([]),
        }
    }

    /// Whether a name is a region's seat or the capital (see [`events::PLANT`]): a plant named so is named after
    /// the region, not the town.
    fn names_a_seat(&self, hit: &Hit) -> bool {
        hit.places.iter().any(|&p| matches!(&*self.gaz.places[p as usize].feature_code, "PPLA" | "PPLC"))
    }

    /// Look a written form up: exact key first, then (Cyrillic) nominative guesses.
    fn lookup(&self, surface: &str, cyrillic: bool) -> Option<Rc<Hit>> {
        StrMemo::remembered(&self.lookups, surface, CACHE_LIMIT, || {
            self.lookup_uncached(surface, cyrillic).map(Rc::new)
        })
    }

    fn lookup_uncached(&self, surface: &str, cyrillic: bool) -> Option<Hit> {
        let mut key = self.key_buf.borrow_mut();
        crate::names::key_into(surface, &mut key);
        let places = self.places_for_key(&key);
        if !places.is_empty() {
            return Some(Hit {
                name: CompactString::from(surface),
                key: CompactString::from(key.as_str()),
                places,
                resolved: Default::default(),
            });
        }
        if !cyrillic {
            return None;
        }
        // Inflected forms (Белгороде → Белгород, Харкові → Харків): the names module's base-form keys, every
        // one the gazetteer knows (Кореневому is Ukrainian Кореневе or Russian Коренево: the document decides).
        let mut found: Option<Rc<[u32]>> = None;
        let mut union: Vec<u32> = Vec::new();
        crate::names::for_each_lemma(&key, |cand| union.extend_from_slice(&self.places_for_key(cand)));
        if !union.is_empty() {
            union.sort_unstable();
            union.dedup();
            found = Some(Rc::from(union));
        }
        // Only words with -iv- or без- can respell (base forms change endings only).
        if found.is_none() && (key.contains("iv") || key.starts_with("bez")) {
            // A Russian village written the Ukrainian way (Безсонівка, Безсонівці → Бессоновка): the form
            // itself or its first base form that respells to a known name; only Russian places count.
            let mut respelt = |cand: &str| {
                let places: Vec<u32> = crate::names::russian_spellings(cand)
                    .iter()
                    .flat_map(|k| self.places_for_key(k).to_vec())
                    .filter(|&i| self.gaz.places[i as usize].country == "RU")
                    .collect();
                if places.is_empty() {
                    return std::ops::ControlFlow::Continue(());
                }
                found = Some(Rc::from(places));
                std::ops::ControlFlow::Break(())
            };
            if respelt(&key).is_continue() {
                let _ = crate::names::try_for_each_lemma(&key, respelt);
            }
        }
        if let Some(places) = found {
            let name = self.display_name(&places);
            let key = crate::names::key(&name);
            return Some(Hit {
                name: CompactString::from(name),
                key: CompactString::from(key),
                places,
                resolved: Default::default(),
            });
        }
        None
    }

    /// The primary name of the most populous of `places` (the name inflected text is looked up as).
    fn display_name(&self, places: &[u32]) -> String {
        places
            .iter()
            .map(|&p| &self.gaz.places[p as usize])
            .max_by_key(|p| p.population)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    }

    /// The places named `key`, in ascending order, each once (empty: the shared empty list), without those
    /// that bear it only as a suspect alternate name (see [`crate::resolve::places_named`]).
    fn places_for_key(&self, key: &str) -> Rc<[u32]> {
        let entries = if key.is_empty() { &[][..] } else { self.gaz.names_with_key(key) };
        if entries.is_empty() {
            return self.no_places.clone();
        }
        if crate::resolve::has_suspect_alternates(self.gaz, entries) {
            return crate::resolve::places_named(self.gaz, entries).into();
        }
        // Usually the entries are in order already (often there is one): the list is built in place.
        if entries.windows(2).all(|w| w[0].place < w[1].place) {
            return entries.iter().map(|e| e.place).collect();
        }
        let mut v: Vec<u32> = entries.iter().map(|e| e.place).collect();
        v.sort_unstable();
        v.dedup();
        v.into()
    }

    /// The place object for place `index` with `score`, shared by every mention it locates.
    fn candidate(&self, index: u32, score: f64) -> Arc<Candidate> {
        let k = (index, score.to_bits());
        if let Some(c) = self.candidates.borrow().get(&k) {
            return c.clone();
        }
        let c = Arc::new(self.resolver.candidate(index, score));
        let mut cache = self.candidates.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(k, c.clone());
        c
    }

    /// `source` as a shared string (the same one as the previous document's when the name is the same).
    fn source_name(&self, source: &str) -> Arc<str> {
        let mut last = self.source.borrow_mut();
        match &*last {
            Some(s) if &**s == source => s.clone(),
            _ => {
                let s: Arc<str> = Arc::from(source);
                *last = Some(s.clone());
                s
            }
        }
    }

    /// Candidates from the resolver (which may know spellings the exact key does not), remembered in the
    /// span's hit when no region phrase is tied to it, else by name and phrase; none when they could only be
    /// the span's own places. The span's name and region phrase (in `text`) are the query; its name key, when
    /// the lookup worked it out, spares the resolver working it out again.
    fn resolver_candidates(&self, sp: &Span, text: &str) -> Rc<[u32]> {
        let (name, name_key, region) = (&*sp.name, sp.name_key(), sp.region_text.map(|(a, b)| &text[a..b]));
        if region.is_none()
            && let Some(hit) = &sp.hit
        {
            return hit.resolved.get_or_init(|| self.resolver_candidates_by_name(sp, name, name_key, region)).clone();
        }
        self.resolver_candidates_by_name(sp, name, name_key, region)
    }

    /// [`Extractor::resolver_candidates`] through the memo by name and region phrase.
    fn resolver_candidates_by_name(
        &self,
        sp: &Span,
        name: &str,
        name_key: Option<&str>,
        region: Option<&str>,
    ) -> Rc<[u32]> {
        // One string key, "name\u{1f}region" (a name never holds U+001F), built in a reused buffer.
        let mut k = self.key_buf.borrow_mut();
        k.clear();
        k.push_str(name);
        k.push('\u{1f}');
        k.push_str(region.unwrap_or(""));
        // A lone word the gazetteer knows, with no region: the resolver could only list places named its
        // key, and when the span holds them all (an inflected form's span may hold others) it is not asked.
        // Most new names are such words.
        let only_own_places = |key: &str| {
            let named = self.gaz.names_with_key(key);
            !named.is_empty()
                && named.iter().all(|e| sp.places().binary_search(&e.place).is_ok())
                && self.resolver.finds_only_key_matches(name, key)
        };
        StrMemo::remembered(&self.resolutions, &k, CACHE_LIMIT, || {
            if region.is_none() && name_key.is_some_and(only_own_places) {
                return self.no_places.clone();
            }
            let mut places = Vec::new();
            self.resolver.candidate_places_into(name, name_key, region, 10, &mut places);
            // Names the resolver does not know (the usual reason to ask it) share the one empty list.
            if places.is_empty() { self.no_places.clone() } else { Rc::from(places) }
        })
    }

    /// Every place mention in `text`, with roles, locations, dates and weapons. `report_date` anchors
    /// relative dates (see [`dates`]).
    pub fn extract(&self, text: &str, source: &str, report_date: Option<chrono::NaiveDate>) -> Vec<Mention> {
        let (tokens, lower) = text::tokenize_folded(text);
        let sents = text::sentences(text, &tokens);
        let Scratch {
            mut classes,
            mut phrases,
            mut in_core,
            mut phrase_regions,
            mut spans,
            mut lone_regions,
            mut attached,
            mut index,
            mut sentence_dates,
            mut sentence_phrases,
            mut by_place,
            mut choosing,
        } = self.scratch.take();
        // What every word is (event word, date, common word, given name, ...), one cached lookup per word.
        classes.clear();
        classes.resize(tokens.len(), 0);
        words::of_tokens(&lower, &tokens, 0, tokens.len(), &mut classes);
        let word = |i: usize| &text[tokens[i].start..tokens[i].end];

        // Region phrases of the whole document, oblast level resolved first so districts can prefer them.
        phrases.clear();
        for (si, s) in sents.iter().enumerate() {
            // Only a region word starts a phrase: most sentences have none, and need no search.
            if classes[s.first..s.last].iter().all(|c| c & words::REGION == 0) {
                continue;
            }
            regions::find(text, &tokens, &lower, &classes, s.first, s.last, &mut sentence_phrases);
            phrases.extend(sentence_phrases.drain(..).map(|p| (si, p)));
        }
        let mut doc_regions: Vec<CompactString> = Vec::new();
        let mut sentence_oblasts: Vec<(usize, Rc<RegionRef>)> = Vec::new();
        for level in [1u8, 2] {
            for (si, p) in phrases.iter_mut().filter(|(_, p)| p.level == level) {
                let phrase = &text[tokens[p.first].start..tokens[p.last - 1].end];
                let core = &text[tokens[p.core_first].start..tokens[p.core_last - 1].end];
                let mut r = match p.region.take() {
                    Some(r) if r.name.is_empty() => self.complete(r),
                    Some(r) => Some(r),
                    None => self.region_of(phrase, core, p.level, &doc_regions),
                };
                // A district outside the oblast its own sentence names is a namesake elsewhere (the gazetteer
                // lacks the real one): the oblast is the constraint that holds.
                let in_sentence = |a1: &str| sentence_oblasts.iter().any(|(s, o)| s == si && o.admin1 == a1);
                if level == 2
                    && r.as_ref().is_some_and(|r| !in_sentence(&r.admin1))
                    && sentence_oblasts.iter().any(|(s, _)| s == si)
                {
                    r = None;
                }
                if let Some(r) = &r {
                    if level == 1 {
                        sentence_oblasts.push((*si, r.clone()));
                    }
                    if !doc_regions.iter().any(|d| *d == r.admin1) {
                        doc_regions.push(CompactString::from(r.admin1.as_str()));
                    }
                }
                p.region = r;
            }
        }
        in_core.clear();
        in_core.resize(tokens.len(), false);
        for (_, p) in &phrases {
            if p.region.is_some() {
                in_core[p.core_first..p.core_last].iter_mut().for_each(|b| *b = true);
            }
        }
        // Each resolved region once, shared by the spans tied to it; a phrase's text as a byte range.
        phrase_regions.clear();
        phrase_regions.extend(phrases.iter_mut().map(|(_, p)| p.region.take()));
        let phrase_text = |p: &RegionPhrase| (tokens[p.first].start, tokens[p.last - 1].end);

        // Toponyms.
        spans.clear();
        for (si, s) in sents.iter().enumerate() {
            let mut i = s.first;
            while i < s.last {
                let t = &tokens[i];
                // (Most tokens are not capitalised: that test first.)
                if !t.cap || t.kind != Kind::Word || t.digit || in_core[i] || t.script == Script::Other {
                    i += 1;
                    continue;
                }
                let cue = settlement_cue_before(text, &tokens, &lower, &classes, s.first, i);
                let mut found: Option<(usize, Rc<Hit>)> = None;
                // Longest run of capitalised words first (Stary Oskol, Нижний Новгород).
                let mut max = i + 1;
                while max < s.last
                    && max < i + 3
                    && tokens[max].kind == Kind::Word
                    && tokens[max].cap
                    && !in_core[max]
                    && tokens[max].start == tokens[max - 1].end + 1
                {
                    max += 1;
                }
                // A lone capitalised common word ("The", "Russian") with no settlement cue before it is never a
                // place: `plausible` turns it down whether the gazetteer knows it or not, and it is no unknown
                // village either. Its classes decide as `plausible` does unless a possessive was cut off.
                if max == i + 1
                    && !cue
                    && (classes[i] & words::NOT_PLACE != 0
                        || (t.script == Script::Latin && classes[i] & words::ENGLISH != 0))
                    && strip_possessive(lower.word(i)).len() == lower.word(i).len()
                {
                    i += 1;
                    continue;
                }
                for end in (i + 1..=max).rev() {
                    let surface = strip_possessive(&text[t.start..tokens[end - 1].end]);
                    if let Some(h) = self.lookup(surface, t.script == Script::Cyrillic) {
                        found = Some((end, h));
                        break;
                    }
                }
                match found {
                    Some((end, hit)) => {
                        let plant_of_region =
                            classes.get(end).is_some_and(|c| c & words::PLANT != 0) && self.names_a_seat(&hit);
                        if !plant_of_region && (cue || plausible(text, &tokens, &lower, &classes, s.first, i, end)) {
                            spans.push(Span {
                                sent: si,
                                first: i,
                                last: end,
                                kind: SpanKind::Settlement,
                                name: hit.name.clone(),
                                hit: Some(hit.clone()),
                                region: None,
                                region_text: None,
                                between: None,
                            });
                        }
                        i = end;
                    }
                    None => {
                        // An unknown name after "village of" / "в селе": still a place.
                        if cue && !t.all_caps && classes[i] & words::NOT_PLACE == 0 {
                            spans.push(Span {
                                sent: si,
                                first: i,
                                last: i + 1,
                                kind: SpanKind::Settlement,
                                name: CompactString::from(strip_possessive(word(i))),
                                hit: None,
                                region: None,
                                region_text: None,
                                between: None,
                            });
                        }
                        i += 1;
                    }
                }
            }
        }

        // Attach region phrases to the places next to them; unattached phrases become mentions themselves.
        attached.clear();
        attached.resize(phrases.len(), false);
        index.fill(&phrases, &phrase_regions);
        for sp in spans.iter_mut() {
            let s = &sents[sp.sent];
            if let Some(pi) = attach(&lower, &classes, &index, sp.first, sp.last, s.first, s.last) {
                attached[pi] = true;
                let p = &phrases[pi].1;
                // A district followed by its oblast: "X, Borovsky district, Kaluga region".
                let mut region = phrase_regions[pi].clone();
                if p.level == 2
                    && let Some(pj) = attach(&lower, &classes, &index, p.first, p.last, s.first, s.last)
                    && pj != pi
                    && phrases[pj].1.first >= p.last
                {
                    attached[pj] = true;
                }
                if let Some(r) = &mut region
                    && r.level == 2
                    && r.name.is_empty()
                {
                    Rc::make_mut(r).name = text[tokens[p.core_first].start..tokens[p.core_last - 1].end].to_string();
                }
                sp.region_text = Some(phrase_text(p));
                sp.region = region;
            }
        }
        lone_regions.clear();
        for (pi, (si, p)) in phrases.iter().enumerate() {
            if attached[pi] || phrase_regions[pi].is_none() {
                continue;
            }
            let r = phrase_regions[pi].clone();
            let kind = if r.as_ref().is_some_and(|r| r.level == 2) { SpanKind::District } else { SpanKind::Region };
            lone_regions.push(Span {
                sent: *si,
                first: p.core_first,
                last: p.core_last,
                kind,
                name: CompactString::from(&text[tokens[p.core_first].start..tokens[p.core_last - 1].end]),
                hit: None,
                region_text: Some(phrase_text(p)),
                region: r,
                between: None,
            });
        }
        // The settlements and the lone region phrases each come in text order: each phrase is put in its place,
        // as a stable sort would put it, without the sort's buffer and moves. (Never out of order: the sort
        // below is a safeguard.)
        for r in lone_regions.drain(..) {
            let at = spans.partition_point(|s| (s.first, s.last) <= (r.first, r.last));
            spans.insert(at, r);
        }
        if !spans.is_sorted_by_key(|s| (s.first, s.last)) {
            spans.sort_by_key(|s| (s.first, s.last));
        }

        // An unknown village with no region beside it takes the one region its sentence names
        // ("In the Kursk region, a shell hit the village of Tyotkino").
        for sp in spans.iter_mut() {
            if sp.kind == SpanKind::Settlement && sp.region.is_none() && sp.places().is_empty() {
                let mut in_sentence = phrases
                    .iter()
                    .enumerate()
                    .filter(|(pi, (si, p))| *si == sp.sent && p.level == 1 && phrase_regions[*pi].is_some());
                if let (Some((pi, (_, p))), None) = (in_sentence.next(), in_sentence.next()) {
                    sp.region = phrase_regions[pi].clone();
                    sp.region_text = Some(phrase_text(p));
                }
            }
        }

        // Spans with the same name share an id, so later steps compare ids rather than strings.
        let name_ids: Vec<u32> = {
            let mut ids: HashMap<&str, u32> = HashMap::with_capacity_and_hasher(spans.len(), Default::default());
            spans
                .iter()
                .map(|sp| {
                    let next = ids.len() as u32;
                    *ids.entry(&*sp.name).or_insert(next)
                })
                .collect()
        };

        // One sense per discourse: a name tied to a region once keeps that region everywhere. Names are
        // compared by their gazetteer key (the lookup's, else worked out here).
        if spans.iter().any(|sp| sp.kind == SpanKind::Settlement && sp.region.is_some()) {
            let keys: Vec<Option<CompactString>> = spans
                .iter()
                .map(|sp| {
                    (sp.kind == SpanKind::Settlement).then(|| {
                        sp.name_key()
                            .map_or_else(|| CompactString::from(crate::names::key(&sp.name)), CompactString::from)
                    })
                })
                .collect();
            let mut name_regions: HashMap<&str, (Rc<RegionRef>, (usize, usize))> = HashMap::default();
            for (k, sp) in spans.iter().enumerate() {
                if let (Some(key), Some(r), Some(t)) = (&keys[k], &sp.region, sp.region_text) {
                    name_regions.entry(key).or_insert((r.clone(), t));
                }
            }
            for (k, sp) in spans.iter_mut().enumerate() {
                if sp.region.is_none()
                    && let Some(key) = &keys[k]
                    && let Some((r, t)) = name_regions.get(&**key)
                {
                    sp.region = Some(r.clone());
                    sp.region_text = Some(*t);
                }
            }
        }

        // "between A and B".
        link_between(&lower, &classes, &sents, &mut spans);

        // Resolve: candidates under hard region constraints, then document-level choice.
        self.choose(text, &spans, &name_ids, &doc_regions, &mut choosing);
        let choices = &choosing.choices;

        // Roles, precision, dates, weapons.
        // Lines counted as the mentions go (they come in text order): the newlines before each mention's
        // start, found one by one (far fewer than the mentions' gaps to count in).
        let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes()).peekable();
        let mut line = 1u64;
        let mut line_at = |offset: usize| -> u64 {
            while newlines.next_if(|&n| n < offset).is_some() {
                line += 1;
            }
            line
        };
        let mut out = Vec::with_capacity(spans.len());
        sentence_dates.clear();
        sentence_dates.resize(sents.len(), None);
        let mut date_of = |si: usize| -> Option<chrono::NaiveDate> {
            *sentence_dates[si].get_or_insert_with(|| {
                let s = &sents[si];
                dates::find_in(&words::View::new(&lower, &classes, s.first, s.last), report_date)
            })
        };
        // The incident mentions of a story share its date: its ISO form is written once.
        let mut last_iso: Option<(chrono::NaiveDate, CompactString)> = None;
        let mut iso_of = |d: chrono::NaiveDate| -> CompactString {
            match &last_iso {
                Some((k, iso)) if *k == d => iso.clone(),
                _ => last_iso.insert((d, iso_date(d))).1.clone(),
            }
        };
        // Spans come in text order: one sentence at a time, with what is asked of it once worked out.
        struct Current<'a> {
            sentence: usize,
            view: words::View<'a>,
            evidence: Excerpt,
            earlier_marker: Option<Option<usize>>,
        }
        let source: Arc<str> = self.source_name(source);
        let mut current: Option<Current> = None;
        // The incidents (indices in `out`) that an earlier event's sentence tells.
        let mut earlier: Vec<usize> = Vec::new();
        // Context mentions only for want of an event word (indices in `out` and `spans`).
        let mut unsaid: Vec<(usize, usize)> = Vec::new();
        // An incident's date, weapon and event type; `seen`: the report itself is a sighting.
        let mut annotate_span = |k: usize, seen: bool| {
            let sp = &spans[k];
            let s = &sents[sp.sent];
            // Else the date of the story so far: the latest dated sentence up to three back.
            let d = date_of(sp.sent).or_else(|| (sp.sent.saturating_sub(3)..sp.sent).rev().find_map(&mut date_of));
            let sentence = annotate::Sentence {
                text,
                tokens: &tokens,
                lower: &lower,
                classes: &classes,
                first: s.first,
                last: s.last,
            };
            // The sentence's other settlements and districts (a region named beside them frames, not rivals).
            let others: Vec<(usize, usize)> = spans
                .iter()
                .filter(|o| o.sent == sp.sent && o.first != sp.first && o.kind != SpanKind::Region)
                .map(|o| (o.first, o.last))
                .collect();
            let (w, kind) = sentence.told(sp.first, sp.last, &others, seen);
            (d.map(&mut iso_of), w.as_ref().map(|w| w.0), w.and_then(|w| w.1), Some(kind))
        };
        // The document's text, copied once for its mentions' sentences (when it has mentions).
        let shared_text: Option<Arc<str>> = (!spans.is_empty()).then(|| Arc::from(text));
        for (k, sp) in spans.iter().enumerate() {
            let s = &sents[sp.sent];
            if current.as_ref().is_none_or(|c| c.sentence != sp.sent)
                && let Some(shared) = &shared_text
            {
                current = Some(Current {
                    sentence: sp.sent,
                    view: words::View::new(&lower, &classes, s.first, s.last),
                    evidence: Excerpt::new(shared.clone(), tokens[s.first].start..tokens[s.last - 1].end),
                    earlier_marker: None,
                });
            }
            let Some(Current { view, evidence, earlier_marker, .. }) = current.as_mut() else {
                continue;
            };
            let (role, reason) = roles::classify(view, text, &tokens, sp.first, sp.last, choices[k].capital);
            // An earlier event retold for background (decided once the document's incidents are known).
            if role == Role::Incident
                && let Some(marker) =
                    *earlier_marker.get_or_insert_with(|| dates::earlier_event_marker(view, report_date))
                && dates::marks_place(view, marker, sp.last)
            {
                earlier.push(out.len());
            }
            let near = roles::is_near(view, sp.first, sp.last);
            let start = tokens[sp.first].start;
            let end = tokens[sp.last - 1].end;
            let c = &choices[k];
            let mut precision = c.precision;
            if precision == Precision::Exact && near {
                precision = Precision::Near;
            }
            let mut lat = c.place.as_ref().map(|p| p.lat);
            let mut lon = c.place.as_ref().map(|p| p.lon);
            let mut between = None;
            if let Some(other) = sp.between {
                if let (Some(a), Some(b)) = (&c.place, &choices[other].place) {
                    let (mlat, mlon) = midpoint(a.lat, a.lon, b.lat, b.lon);
                    lat = Some(mlat);
                    lon = Some(mlon);
                    precision = Precision::Near;
                }
                between = Some(CompactString::from(
                    &text[tokens[spans[other].first].start..tokens[spans[other].last - 1].end],
                ));
            }
            let measurement = match (lat, lon, &c.place) {
                // At the place itself (not at the midpoint of "between A and B"): its stored measurement.
                (Some(la), Some(lo), Some(place)) if sp.between.is_none() => {
                    self.measure_place(place.place_index, la, lo)
                }
                (Some(la), Some(lo), _) => self.measure(la, lo),
                _ => None,
            };
            let (date, weapon, weapon_model, event_type) =
                if role == Role::Incident { annotate_span(k, false) } else { (None, None, None, None) };
            if reason == roles::NO_EVENT {
                unsaid.push((out.len(), k));
            }
            out.push(Mention {
                source: source.clone(),
                mention: CompactString::from(&text[start..end]),
                start,
                end,
                role,
                status: c.status,
                precision,
                border_km: measurement.as_ref().map(|m| m.border_km).filter(|k| k.is_finite()),
                place: c.place.clone(),
                date,
                weapon,
                weapon_model,
                event_type,
                name: sp.name.clone(),
                lat,
                lon,
                region: sp.region.as_ref().filter(|r| !r.name.is_empty()).map(|r| CompactString::from(r.name.as_str())),
                region_code: sp.region.as_ref().map(|r| CompactString::from(r.admin1.as_str())),
                between,
                evidence: evidence.clone(),
                reason,
                line: line_at(start),
                measurement,
                sentence: sp.sent,
            });
        }
        // Earlier events retold for background are context when the report has incidents of its own; when it
        // has none, the earlier event is its story (a report on a drone that fell on Sudzha in May).
        if earlier.len() < out.iter().filter(|m| m.role == Role::Incident).count() {
            for &i in &earlier {
                let m = &mut out[i];
                (m.role, m.reason) = (Role::Context, "earlier event, told as background");
                (m.date, m.weapon, m.weapon_model, m.event_type) = (None, None, None, None);
            }
        }
        // A headline or a caption that tells no event is about the places it names ("Russian tanks in X",
        // "Destroyed bridge near Y"): those it is sure of are its incidents, their kind what its words tell.
        if out.iter().all(|m| m.role != Role::Incident)
            && tokens.iter().filter(|t| t.kind == Kind::Word).count() <= SHORT_REPORT_WORDS
        {
            // Only a name it is sure of, in reach of the war: a lone name with namesakes and nothing around it is
            // a guess, and so is a town a thousand km into Russia that a caption's village shares its name with.
            for &(i, k) in &unsaid {
                let m = &mut out[i];
                if m.status != Status::Resolved || m.border_km.is_none_or(|km| km > SHORT_REPORT_REACH_KM) {
                    continue;
                }
                (m.role, m.reason) = (Role::Incident, "short report: the place it is about");
                (m.date, m.weapon, m.weapon_model, m.event_type) = annotate_span(k, true);
            }
        }
        // Fill missing weapons and dates of an incident from other incident mentions of the same place.
        by_place.clear();
        for m in out.iter().filter(|m| m.role == Role::Incident) {
            if let Some(p) = &m.place {
                let e = by_place.entry(p.geonameid).or_default();
                if e.0.is_none() {
                    e.0 = m.date.clone();
                }
                if e.1.is_none() {
                    e.1 = m.weapon;
                    e.2 = m.weapon_model.clone();
                }
            }
        }
        for m in out.iter_mut().filter(|m| m.role == Role::Incident) {
            if let Some((d, w, wm)) = m.place.as_ref().and_then(|p| by_place.get(&p.geonameid)) {
                if m.date.is_none() {
                    m.date = d.clone();
                }
                if m.weapon.is_none() {
                    m.weapon = *w;
                    m.weapon_model = wm.clone();
                }
            }
        }
        self.scratch.replace(Scratch {
            classes,
            phrases,
            in_core,
            phrase_regions,
            spans,
            lone_regions,
            attached,
            index,
            sentence_dates,
            sentence_phrases,
            by_place,
            choosing,
        });
        out
    }

    /// The border measurement of gazetteer place `index` at (`lat`, `lon`): the one stored with the
    /// gazetteer when it holds one for this border, else measured.
    fn measure_place(&self, index: u32, lat: f64, lon: f64) -> Option<Measurement> {
        let border = self.border?;
        match border.stored(&self.gaz.place_measures, index as usize) {
            Some(stored) => stored,
            None => self.measure(lat, lon),
        }
    }

    /// Measure a point against the border, cached (the same places recur).
    fn measure(&self, lat: f64, lon: f64) -> Option<Measurement> {
        let border = self.border?;
        let k = (lat.to_bits(), lon.to_bits());
        if let Some(m) = self.measurements.borrow().get(&k) {
            return m.clone();
        }
        let m = border.measure(lat, lon).ok();
        let mut cache = self.measurements.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(k, m.clone());
        m
    }

    /// Resolve a region phrase, cached.
    fn region_of(&self, phrase: &str, core: &str, level: u8, prefer: &[CompactString]) -> Option<Rc<RegionRef>> {
        // One string key, "phrase␟core␟level" and, for a district, the preferred regions, built in the reused
        // buffer (a region phrase never holds U+001F), taken out while the region is worked out (which keys
        // other memos in it) and put back after.
        let mut k = std::mem::take(&mut *self.key_buf.borrow_mut());
        k.clear();
        for part in [phrase, core] {
            k.push_str(part);
            k.push('\u{1f}');
        }
        k.push(char::from(b'0'.wrapping_add(level)));
        if level == 2 {
            for a1 in prefer {
                k.push_str(a1);
                k.push(',');
            }
        }
        let r =
            StrMemo::remembered(&self.regions, &k, CACHE_LIMIT, || self.region_uncached(phrase, core, level, prefer));
        *self.key_buf.borrow_mut() = k;
        r
    }

    /// [`Extractor::region_of`] without its memo.
    fn region_uncached(&self, phrase: &str, core: &str, level: u8, prefer: &[CompactString]) -> Option<Rc<RegionRef>> {
        let hints = self.region_hints(phrase);
        // Several districts share a name (Dzerzhinsky, Orlovsky): take the one in a region the text names.
        let preferred = hints.iter().position(|h| {
            level == 2
                && h.level == 2
                && prefer.iter().any(|a1| h.code.starts_with(a1.as_str()) && h.code[a1.len()..].starts_with('.'))
        });
        match hints.get(preferred.unwrap_or(0)) {
            Some(h) => {
                let mut r = regions::from_hint(self.gaz, h.clone());
                // A district is named after its seat (Maloyaroslavets district → Maloyaroslavets): prefer the
                // town the phrase names, in the same oblast, over a seat guessed from populations.
                if r.level == 2
                    && let Some(p) = self.district_town(core, &r.admin1)
                {
                    r.seat = Some(p);
                }
                Some(Rc::new(r))
            }
            None => regions::fallback(self.resolver, core, level, prefer).map(Rc::new),
        }
    }

    /// [`Resolver::regions`] of `phrase`, remembered.
    fn region_hints(&self, phrase: &str) -> Rc<[RegionHint]> {
        StrMemo::remembered(&self.region_hints, phrase, CACHE_LIMIT, || self.resolver.regions(phrase).into())
    }

    /// [`regions::named_town`] of `core` in `admin1`, remembered.
    fn district_town(&self, core: &str, admin1: &str) -> Option<u32> {
        let mut k = self.key_buf.borrow_mut();
        k.clear();
        k.push_str(core);
        k.push('\u{1f}');
        k.push_str(admin1);
        StrMemo::remembered(&self.district_towns, &k, CACHE_LIMIT, || regions::named_town(self.gaz, core, admin1))
    }

    /// Fill a stand-alone region (code only) with its name and seat.
    fn complete(&self, mut r: Rc<RegionRef>) -> Option<Rc<RegionRef>> {
        let reg = self.gaz.admin1_by_code(&r.admin1)?;
        let m = Rc::make_mut(&mut r);
        m.name = reg.name.clone();
        m.seat = reg.seat;
        Some(r)
    }

    /// Pick each span's place.
    /// `name_ids[k]` identifies span `k`'s name (equal names, equal ids).
    fn choose(
        &self,
        text: &str,
        spans: &[Span],
        name_ids: &[u32],
        doc_regions: &[CompactString],
        buffers: &mut ChooseScratch,
    ) {
        let ChooseScratch { cands, priors, points, first, neighbours, scored, choices: out } = buffers;
        let gaz = self.gaz;
        // Candidate lists under hard constraints.
        cands.clear();
        for sp in spans {
            if sp.kind != SpanKind::Settlement {
                cands.close();
                continue;
            }
            let from = cands.items.len();
            cands.items.extend_from_slice(sp.places());
            for &p in self.resolver_candidates(sp, text).iter() {
                if !cands.items[from..].contains(&p) {
                    cands.items.push(p);
                }
            }
            if let Some(r) = &sp.region {
                // As `Place::in_admin1` and `Place::admin2_code` would say, without splitting or formatting
                // the codes for every candidate.
                let admin1 = r.admin1.split_once('.').filter(|(_, a1)| !a1.is_empty());
                let mut kept = from;
                for i in from..cands.items.len() {
                    let p = cands.items[i];
                    let pl = &gaz.places[p as usize];
                    let keep = admin1.is_some_and(|(cc, a1)| *pl.country == *cc && *pl.admin1 == *a1)
                        && match (&r.admin2, pl.admin2.is_empty()) {
                            (Some(a2), false) => is_admin2_code(pl, a2),
                            _ => true,
                        };
                    if keep {
                        cands.items[kept] = p;
                        kept += 1;
                    }
                }
                cands.items.truncate(kept);
            }
            cands.close();
        }
        // The document's regions split once (as `Place::in_admin1` splits them); the rest of a place's prior,
        // and its point, are worked out once per extractor: documents name the same places again and again.
        let doc_split: Vec<(&str, &str)> =
            doc_regions.iter().filter_map(|d| d.split_once('.')).filter(|(_, a1)| !a1.is_empty()).collect();
        // A place's prior but for the document's regions, with its point, worked out once per extractor.
        let base_prior = |pl: &crate::gazetteer::Place| -> f64 {
            let fc = match &*pl.feature_code {
                "PPLC" => 0.6,
                "PPLA" => 0.5,
                "PPLA2" => 0.3,
                "PPLA3" => 0.15,
                "PPLX" | "PPLH" | "PPLQ" => -0.3,
                _ => 0.0,
            };
            let focus = if matches!(&*pl.country, "RU" | "UA") && pl.lon < 50.0 && pl.lat < 58.0 { 0.3 } else { 0.0 };
            0.12 * ((pl.population as f64) + 1.0).log10() + fc + focus
        };
        let mut base_priors = self.base_priors.borrow_mut();
        if base_priors.len() >= CACHE_LIMIT {
            base_priors.clear();
        }
        let mut prior_and_point = |p: u32| -> (f64, Point) {
            let pl = &gaz.places[p as usize];
            let (base, point) = *base_priors.entry(p).or_insert_with(|| (base_prior(pl), Point::new(pl.lat, pl.lon)));
            let in_document_region =
                doc_split.iter().any(|&(cc, a1)| same_code(&pl.country, cc) && same_code(&pl.admin1, a1));
            (base + if in_document_region { 1.0 } else { 0.0 }, point)
        };
        // Pass 1: priors. Pass 2: closeness to the other places chosen in pass 1.
        // Priors and points go by the candidates' positions in `cands.items`.
        priors.clear();
        points.clear();
        for &p in &cands.items {
            let (prior, point) = prior_and_point(p);
            priors.push(prior);
            points.push(point);
        }
        first.clear();
        first.extend((0..spans.len()).map(|k| {
            let (pr, pt) = (&priors[cands.range(k)], &points[cands.range(k)]);
            let best = (0..pr.len()).max_by(|&a, &b| pr[a].total_cmp(&pr[b]))?;
            Some(pt[best])
        }));
        out.clear();
        for (k, sp) in spans.iter().enumerate() {
            let choice = match sp.kind {
                SpanKind::Settlement if !cands.get(k).is_empty() => {
                    let (ck, pk, points) = (cands.get(k), &priors[cands.range(k)], &points[cands.range(k)]);
                    // Neighbours in the text only: a long input is many articles.
                    let window = k.saturating_sub(PROXIMITY_WINDOW)..(k + PROXIMITY_WINDOW + 1).min(first.len());
                    neighbours.clear();
                    if ck.len() > 1 {
                        neighbours.extend(window.filter(|&j| name_ids[j] != name_ids[k]).filter_map(|j| first[j]));
                    }
                    let score = |i: usize| -> f64 {
                        // A village known only by its district stands at the district's seat: how near that is
                        // to the other places says nothing of where the village is.
                        if gaz.places[ck[i] as usize].precision == PointPrecision::District {
                            return pk[i];
                        }
                        // The closest neighbour decides: exp(-d/150 km) is largest for the smallest d.
                        let nearest = points[i].km_to_nearest(neighbours);
                        pk[i] + if nearest.is_finite() { (-nearest / 150.0).exp() } else { 0.0 }
                    };
                    // A lone candidate wins whatever its score. Candidates go by their index in `ck`.
                    scored.clear();
                    if ck.len() == 1 {
                        scored.push((0, 0.0));
                    } else {
                        scored.extend((0..ck.len()).map(|i| (i, score(i))));
                    }
                    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
                    let (best_i, s1) = scored[0];
                    let best = ck[best_i];
                    // A rival known only by its district could not be judged by closeness: it counts as near
                    // as the best one is.
                    let rival = scored.iter().skip(1).find(|&&(i, _)| points[best_i].km_to(&points[i]) > 30.0).map(
                        |&(i, s2)| {
                            let unplaced = gaz.places[ck[i] as usize].precision == PointPrecision::District;
                            (i, if unplaced { s2.max(pk[i] + (s1 - pk[best_i])) } else { s2 })
                        },
                    );
                    let (status, conf) = match rival {
                        Some((_, s2)) if s1 - s2 < 0.15 => (Status::Ambiguous, 0.5),
                        Some((_, s2)) => (Status::Resolved, (0.5 + (s1 - s2) / 2.0).min(0.99)),
                        None => (Status::Resolved, 0.99),
                    };
                    let pl = &gaz.places[best as usize];
                    Choice {
                        status,
                        // A village known only by its district is placed at the district's seat.
                        precision: if pl.precision == PointPrecision::District {
                            Precision::Near
                        } else {
                            Precision::Exact
                        },
                        place: Some(self.candidate(best, (conf * 1000.0).round() / 1000.0)),
                        capital: pl.feature_code == "PPLC" || is_capital_name(&pl.name),
                    }
                }
                SpanKind::Settlement => match &sp.region {
                    // Not in the gazetteer (or not in the named region): the region's centre or district seat.
                    Some(r) => Choice {
                        status: Status::NotFound,
                        precision: if r.level == 2 { Precision::Near } else { Precision::Region },
                        place: r.seat.map(|s| self.candidate(s, 0.5)),
                        capital: false,
                    },
                    None => {
                        Choice { status: Status::NotFound, precision: Precision::Exact, place: None, capital: false }
                    }
                },
                SpanKind::District => Choice {
                    status: if sp.region.as_ref().and_then(|r| r.seat).is_some() {
                        Status::Resolved
                    } else {
                        Status::NotFound
                    },
                    precision: Precision::Near,
                    place: sp.region.as_ref().and_then(|r| r.seat).map(|s| self.candidate(s, 0.9)),
                    capital: false,
                },
                SpanKind::Region => Choice {
                    status: if sp.region.as_ref().and_then(|r| r.seat).is_some() {
                        Status::Resolved
                    } else {
                        Status::NotFound
                    },
                    precision: Precision::Region,
                    place: sp.region.as_ref().and_then(|r| r.seat).map(|s| self.candidate(s, 0.9)),
                    capital: false,
                },
            };
            out.push(choice);
        }
    }
}

/// Is a recognised name plausibly a place here (no guard fires)?
fn plausible(
    text: &str,
    tokens: &[Token],
    lower: &Folded,
    classes: &[Classes],
    sent_first: usize,
    i: usize,
    end: usize,
) -> bool {
    let t = &tokens[i];
    let w = strip_possessive(lower.word(i));
    // Word lists by the token's classes, unless a possessive was cut off (then by the list itself).
    let possessive = w.len() != lower.word(i).len();
    let listed =
        |class: Classes, list: &HashSet<&str>| if possessive { list.contains(w) } else { classes[i] & class != 0 };
    let single = end == i + 1;
    if t.all_caps && !(i == sent_first && tokens.get(end).is_some_and(|n| &text[n.start..n.end] == ",")) {
        return false; // acronyms (ASTRA, UAV); a dateline "KYIV, May 5" is let through
    }
    if listed(words::NOT_PLACE, &lexicon::NOT_PLACES) {
        return false;
    }
    // Streets, parks and units named after places or people: "Khreshchatyk street", "улица Ленина", "Azov regiment".
    if let Some(n) = tokens.get(end)
        && n.kind == Kind::Word
        && classes[end] & (words::FACILITY | words::FACILITY_AFTER) != 0
    {
        return false;
    }
    // Before the name, perhaps across an opening quote: "полк «Азов»", "парк Горького".
    let before = if i > sent_first + 1 && matches!(&text[tokens[i - 1].start..tokens[i - 1].end], "«" | "\"" | "“") {
        i - 2
    } else {
        i.wrapping_sub(1)
    };
    if i > sent_first && classes[before] & words::FACILITY != 0 {
        return false;
    }
    // Two characters take at most eight bytes: a longer word needs no count.
    if single && w.len() <= 8 && w.chars().count() <= 2 {
        return false;
    }
    if single {
        match t.script {
            Script::Latin if listed(words::ENGLISH, &lexicon::ENGLISH_WORDS) => return false,
            Script::Cyrillic if listed(words::CYRILLIC_COMMON, &lexicon::CYRILLIC_COMMON) => return false,
            _ => {}
        }
    }
    // Person names: a given name before, or this is a given name before a capitalised word.
    if i > sent_first {
        let p = &tokens[i - 1];
        if p.kind == Kind::Word && p.cap && classes[i - 1] & words::GIVEN_NAME != 0 {
            return false;
        }
        if p.kind == Kind::Word && p.cap && classes[i - 1] & words::TITLE != 0 {
            return false;
        }
        // Initials: "В. Гладков", "V. Gladkov".
        if &text[p.start..p.end] == "." && i >= 2 {
            let q = &tokens[i - 2];
            if q.kind == Kind::Word && q.cap && q.end - q.start <= 2 && q.end == p.start {
                return false;
            }
        }
    }
    if listed(words::GIVEN_NAME, &lexicon::GIVEN_NAMES)
        && let Some(n) = tokens.get(end)
        && n.kind == Kind::Word
        && n.cap
        && n.start == tokens[end - 1].end + 1
    {
        return false;
    }
    // A plural adjective qualifying the lower-case word after it ("Російські війська", "Белгородские власти")
    // is no place standing alone, whatever village bears it as a name. (Singular ones may be: a stanitsa is
    // an adjective, "в Каневской", and so is a town's instrumental case, "над Новомосковском".)
    if single
        && t.script == Script::Cyrillic
        && CYRILLIC_ADJECTIVE_ENDINGS.iter().any(|e| w.ends_with(e))
        && let Some(n) = tokens.get(end)
        && n.kind == Kind::Word
        && !n.cap
    {
        return false;
    }
    true
}

/// Nominative plural endings of Russian and Ukrainian adjectives in -ск-/-цк-/-зьк- (lower case): see
/// [`plausible`].
const CYRILLIC_ADJECTIVE_ENDINGS: &[&str] = &["ські", "ские", "цкие", "зькі", "цькі"];

/// Lists of varying length stored end to end: list `k` is `items[ends[k - 1]..ends[k]]`.
struct Ragged<T> {
    items: Vec<T>,
    ends: Vec<usize>,
}

impl<T> Default for Ragged<T> {
    fn default() -> Self {
        Ragged { items: Vec::new(), ends: Vec::new() }
    }
}

impl<T> Ragged<T> {
    /// No lists (the buffers are kept).
    fn clear(&mut self) {
        self.items.clear();
        self.ends.clear();
    }

    /// End the list being built (the items pushed since the previous one).
    fn close(&mut self) {
        self.ends.push(self.items.len());
    }

    /// Where list `k` lies in `items` (and in any list kept in step with them).
    fn range(&self, k: usize) -> std::ops::Range<usize> {
        let from = if k == 0 { 0 } else { self.ends[k - 1] };
        from..self.ends[k]
    }

    fn get(&self, k: usize) -> &[T] {
        &self.items[self.range(k)]
    }
}

/// Are two short codes ("RU", "09") equal? Two-byte codes are compared inline: the library call for
/// two bytes costs more than the compare.
fn same_code(a: &str, b: &str) -> bool {
    match (a.as_bytes(), b.as_bytes()) {
        ([a0, a1], [b0, b1]) => a0 == b0 && a1 == b1,
        (a, b) => a == b,
    }
}

/// Is `a2` the place's admin2 code ([`crate::gazetteer::Place::admin2_code`]), compared without building it?
fn is_admin2_code(pl: &crate::gazetteer::Place, a2: &str) -> bool {
    if pl.admin1.is_empty() || pl.admin2.is_empty() {
        return a2.is_empty();
    }
    let parts: [&str; 3] = [&pl.country, &pl.admin1, &pl.admin2];
    a2.len() == parts.iter().map(|p| p.len()).sum::<usize>() + 2
        && a2.starts_with(parts[0])
        && a2[parts[0].len()..].starts_with('.')
        && a2[parts[0].len() + 1..].starts_with(parts[1])
        && a2[parts[0].len() + 1 + parts[1].len()..].starts_with('.')
        && a2.ends_with(parts[2])
}

/// The pick for one span.
struct Choice {
    status: Status,
    precision: Precision,
    place: Option<Arc<Candidate>>,
    /// The place is a national capital (may stand for its government).
    capital: bool,
}

fn is_capital_name(name: &str) -> bool {
    matches!(name, "Kyiv" | "Moscow" | "Minsk" | "Kiev")
}

/// `s` without a possessive ending ('s, ’s).
fn strip_possessive(s: &str) -> &str {
    // Both endings end in `s`: most words are let through at one byte test.
    if s.as_bytes().last() != Some(&b's') {
        return s;
    }
    s.strip_suffix("'s").or_else(|| s.strip_suffix("’s")).unwrap_or(s)
}

/// Resolved region phrases by their first and last token (token indices are unique across sentences).
#[derive(Default)]
struct PhraseIndex {
    by_first: HashMap<usize, usize>,
    by_last: HashMap<usize, usize>,
}

impl PhraseIndex {
    /// Index the phrases whose region (in `regions`, by phrase) is known, in place of what it held.
    fn fill(&mut self, phrases: &[(usize, RegionPhrase)], regions: &[Option<Rc<RegionRef>>]) {
        self.by_first.clear();
        self.by_last.clear();
        for (i, (_, p)) in phrases.iter().enumerate() {
            if regions[i].is_some() {
                self.by_first.entry(p.first).or_insert(i);
                self.by_last.entry(p.last).or_insert(i);
            }
        }
    }
}

/// Words allowed between a place and its region phrase ("X, Kursk region", "X in the Kursk region",
/// "X (Kursk Oblast)", "X в Брянской области", "в Брянской области в селе X").
const ATTACH_GAP: &[&str] = &[
    ",",
    "(",
    "in",
    "the",
    "of",
    "at",
    "-",
    "—",
    "–",
    "в",
    "во",
    "на",
    "у",
    "із",
    "з",
    "village",
    "town",
    "city",
    "settlement",
    "селе",
    "поселке",
    "посёлке",
    "деревне",
    "хуторе",
    "станице",
    "городе",
    "селі",
    "селищі",
    "місті",
    "с",
    "пос",
    "пгт",
    "х",
    "г",
    ".",
    "смт",
    "of",
    "near",
];

/// The punctuation among [`ATTACH_GAP`] (a word never equals one of these).
const ATTACH_GAP_PUNCT: &[&str] = &[",", "(", "-", "—", "–", "."];

#[allow(clippy::too_many_arguments)]
fn attach(
    lower: &Folded,
    classes: &[Classes],
    phrases: &PhraseIndex,
    first: usize,
    last: usize,
    s_first: usize,
    s_last: usize,
) -> Option<usize> {
    // Gap words by class; punctuation (which has no classes) by the list.
    let gap = |i: usize| classes[i] & words::ATTACH_GAP != 0 || ATTACH_GAP_PUNCT.contains(&lower.word(i));
    // After: skip up to four gap words.
    let mut j = last;
    let mut skipped = 0;
    loop {
        if let Some(&pi) = phrases.by_first.get(&j) {
            return Some(pi);
        }
        if j >= s_last || skipped >= 4 || !gap(j) {
            break;
        }
        j += 1;
        skipped += 1;
    }
    // Before: a phrase ending right before the place, with only gap words between.
    let mut j = first;
    let mut skipped = 0;
    while j > s_first && skipped <= 4 {
        if let Some(&pi) = phrases.by_last.get(&j) {
            return Some(pi);
        }
        if !gap(j - 1) {
            break;
        }
        j -= 1;
        skipped += 1;
    }
    None
}

fn settlement_cue_before(
    text: &str,
    tokens: &[Token],
    lower: &Folded,
    classes: &[Classes],
    s_first: usize,
    i: usize,
) -> bool {
    // "village of X", "the village X", "в селе X", "с. X"
    let mut j = i;
    let mut steps = 0;
    while j > s_first && steps < 3 {
        j -= 1;
        steps += 1;
        if tokens[j].end - tokens[j].start > 24 {
            return false;
        }
        let w = lower.word(j);
        if classes[j] & words::SETTLEMENT_CUE != 0 {
            // Single letters (с., х., г.) count only with their full stop.
            if w.chars().count() <= 3 && !matches!(w, "пгт" | "смт") {
                return steps == 2 && &text[tokens[j + 1].start..tokens[j + 1].end] == ".";
            }
            return true;
        }
        if !matches!(w, "of" | "the" | "." | "," | "two" | "small") {
            return false;
        }
    }
    false
}

fn link_between(lower: &Folded, classes: &[Classes], sents: &[text::Sentence], spans: &mut [Span]) {
    // Every span starts unlinked, and a span linked as B may start a pair of its own ("between A and B and
    // C" links B with C too): so a link made here does not stop the next span from being looked at.
    for k in 0..spans.len() {
        let sp = &spans[k];
        if sp.kind != SpanKind::Settlement {
            continue;
        }
        let s = &sents[sp.sent];
        // "between" within six tokens before A.
        let lo = sp.first.saturating_sub(6).max(s.first);
        let has_between = (lo..sp.first).any(|i| classes[i] & words::BETWEEN != 0);
        if !has_between {
            continue;
        }
        // B: the next span, joined by "and".
        if let Some(b) = spans.get(k + 1)
            && b.sent == sp.sent
            && b.kind == SpanKind::Settlement
            && b.first == sp.last + 1
            && matches!(lower.word(sp.last), "and" | "и" | "і" | "та" | "й")
        {
            spans[k].between = Some(k + 1);
            spans[k + 1].between = Some(k);
        }
    }
}

/// `d` as `YYYY-MM-DD`, as chrono writes it, without the formatting machinery for the years news is about.
fn iso_date(d: chrono::NaiveDate) -> CompactString {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return CompactString::from(d.to_string());
    }
    let y = y as u32;
    let digit = |v: u32| b'0' + (v % 10) as u8;
    let bytes = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ];
    // ASCII digits and hyphens: always UTF-8.
    CompactString::from(std::str::from_utf8(&bytes).unwrap_or_default())
}

/// Geodesic midpoint on the WGS84 ellipsoid.
pub fn midpoint(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> (f64, f64) {
    use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};
    let g = Geodesic::wgs84();
    let (s12, azi1, _azi2, _a12): (f64, f64, f64, f64) = g.inverse(lat1, lon1, lat2, lon2);
    let (lat, lon) = g.direct(lat1, lon1, azi1, s12 / 2.0);
    (lat, lon)
}

/// A point with its latitude's cosine kept, so that ranking distances ([`Point::km_to`]) needs no
/// trigonometry per pair.
#[derive(Debug, Clone, Copy)]
struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    fn new(lat: f64, lon: f64) -> Point {
        Point { lat, lon, cos_lat: lat.to_radians().cos() }
    }

    /// Equirectangular distance in km with the mean of the two latitudes' cosines: enough to rank candidates.
    fn km_to(&self, o: &Point) -> f64 {
        6371.0 * self.squares_to(o).sqrt()
    }

    /// The least [`Point::km_to`] from here to `others` (infinite when there are none), the same value,
    /// with one square root: the root and the scaling are monotonic, so the least sum of squares gives it.
    fn km_to_nearest(&self, others: &[Point]) -> f64 {
        let mut least = f64::INFINITY;
        for o in others {
            // `squares_to` is x² + y², and adding x² ≥ 0 never rounds below y²: a point whose y² alone is no
            // nearer is skipped without working out x.
            let y2 = self.lat_squares_to(o);
            if y2 >= least {
                continue;
            }
            let squares = self.lon_squares_to(o) + y2;
            if squares < least {
                least = squares;
            }
        }
        6371.0 * least.sqrt()
    }

    /// The squared equirectangular distance to `o` in radians², before the root and the Earth's radius.
    #[inline]
    fn squares_to(&self, o: &Point) -> f64 {
        self.lon_squares_to(o) + self.lat_squares_to(o)
    }

    /// The east-west part of [`Point::squares_to`] (x²).
    #[inline]
    fn lon_squares_to(&self, o: &Point) -> f64 {
        let x = (o.lon - self.lon).to_radians() * 0.5 * (self.cos_lat + o.cos_lat);
        x * x
    }

    /// The north-south part of [`Point::squares_to`] (y²).
    #[inline]
    fn lat_squares_to(&self, o: &Point) -> f64 {
        let y = (o.lat - self.lat).to_radians();
        y * y
    }
}

/// The incidents an article describes (mentions with role `incident`), located and measured; incident
/// mentions that cannot be placed come back as [`Unresolved`]. `report_date` resolves relative dates.
///
/// One incident per site: repeated mentions of a place, and the two ends of "between A and B", make one
/// incident; a region-precision mention is dropped when the same article places an incident more
/// precisely in that region (it summarises the same events).
pub fn incidents_from_text(
    text: &str,
    source: &str,
    report_date: Option<chrono::NaiveDate>,
    resolver: &Resolver,
    border: &BorderIndex,
) -> (Vec<Incident>, Vec<Unresolved>) {
    let ex = Extractor::new(resolver, Some(border));
    let mentions = ex.extract(text, source, report_date);
    incidents_from_mentions(&mentions)
}

/// Turn extracted mentions into incidents (see [`incidents_from_text`]).
pub fn incidents_from_mentions(mentions: &[Mention]) -> (Vec<Incident>, Vec<Unresolved>) {
    let mut incidents: Vec<Incident> = Vec::new();
    let mut unresolved = Vec::new();
    let mut seen: HashSet<String> = HashSet::default();
    let precise_regions: HashSet<String> = mentions
        .iter()
        .filter(|m| m.role == Role::Incident && m.precision != Precision::Region && m.lat.is_some())
        .filter_map(|m| m.place.as_ref().map(|p| p.admin1.to_string()))
        .collect();
    for m in mentions.iter().filter(|m| m.role == Role::Incident) {
        let (Some(lat), Some(lon), Some(meas)) = (m.lat, m.lon, m.measurement.clone()) else {
            unresolved.push(Unresolved {
                source: m.source.to_string(),
                line: line_of(m),
                input: m.mention.to_string(),
                reason: if m.lat.is_some() {
                    "could not be measured against the border".into()
                } else {
                    format!("no place named {:?} in the gazetteer and no region given", m.name)
                },
            });
            continue;
        };
        if m.precision == Precision::Region
            && m.place.as_ref().is_some_and(|p| precise_regions.contains(p.admin1.as_str()))
            && m.status != Status::NotFound
        {
            continue;
        }
        let site = format!("{:.4},{:.4},{:?},{}", lat, lon, m.precision, m.date.as_deref().unwrap_or(""));
        if !seen.insert(site) {
            continue;
        }
        let mut fields = serde_json::Map::new();
        fields.insert("mention".into(), m.mention.as_str().into());
        fields.insert("start".into(), m.start.into());
        fields.insert("end".into(), m.end.into());
        fields.insert("name".into(), m.name.as_str().into());
        if let Some(r) = &m.region {
            fields.insert("region".into(), r.as_str().into());
        }
        if let Some(b) = &m.between {
            fields.insert("between".into(), b.as_str().into());
        }
        if let Some(w) = &m.weapon_model {
            fields.insert("weapon_model".into(), w.as_str().into());
        }
        incidents.push(Incident {
            source: m.source.to_string(),
            line: line_of(m),
            fields: fields.into(),
            date: m.date.as_deref().map(str::to_string),
            weapon: m.weapon.map(str::to_string),
            event_type: m.event_type,
            lat,
            lon,
            precision: m.precision,
            status: Some(m.status),
            place: m.place.as_deref().cloned(),
            measurement: meas,
            evidence: Some(m.evidence.to_string()),
        });
    }
    (incidents, unresolved)
}

fn line_of(m: &Mention) -> u64 {
    m.line
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    #[test]
    fn attach_gap_punctuation_is_all_the_punctuation_of_the_gap_list() {
        let punct: Vec<&str> =
            ATTACH_GAP.iter().copied().filter(|w| !w.chars().next().is_some_and(char::is_alphanumeric)).collect();
        let mut listed = ATTACH_GAP_PUNCT.to_vec();
        listed.sort();
        let mut punct = punct;
        punct.sort();
        punct.dedup();
        assert_eq!(listed, punct);
    }

    /// Word lists read through word classes must hold single words only (or phrases, which no token equals):
    /// punctuation tokens have no classes.
    #[test]
    fn word_lists_read_by_class_hold_words() {
        let lists: [(&str, Vec<&str>); 9] = [
            ("NOT_PLACES", lexicon::NOT_PLACES.iter().copied().collect()),
            ("SETTLEMENT_CUES", lexicon::SETTLEMENT_CUES.to_vec()),
            ("GIVEN_NAMES", lexicon::GIVEN_NAMES.iter().copied().collect()),
            ("TITLES", lexicon::TITLES.iter().copied().collect()),
            ("OUTLET_WORDS", lexicon::OUTLET_WORDS.iter().copied().collect()),
            ("FEATURE_WORDS", lexicon::FEATURE_WORDS.to_vec()),
            ("NEAR_BEFORE", roles::NEAR_BEFORE.to_vec()),
            ("CYRILLIC_COMMON", lexicon::CYRILLIC_COMMON.iter().copied().collect()),
            ("BETWEEN_WORDS", words::BETWEEN_WORDS.to_vec()),
        ];
        for (name, list) in lists {
            for w in list {
                let tokens = text::tokenize(w);
                let one_word = tokens.len() == 1 && tokens[0].kind == Kind::Word;
                assert!(one_word || w.contains(' '), "{name}: {w:?} is not one word");
            }
        }
    }

    /// [`roles::classify`] reads context cues through word classes: every word of a one- or two-word cue is
    /// one word token, with the class of its place in the cue.
    #[test]
    fn context_cue_words_have_their_classes() {
        for cue in lexicon::CONTEXT_BEFORE {
            let parts: Vec<&str> = cue.split(' ').collect();
            for w in &parts {
                let tokens = text::tokenize(w);
                assert!(tokens.len() == 1 && tokens[0].kind == Kind::Word, "{cue:?}: {w:?} is not one word");
            }
            match parts[..] {
                [w] => assert_ne!(words::of(w) & words::CONTEXT_CUE, 0, "{cue:?}"),
                [a, b] => {
                    assert_ne!(words::of(a) & words::CONTEXT_PAIR_FIRST, 0, "{cue:?}");
                    assert_ne!(words::of(b) & words::CONTEXT_PAIR_SECOND, 0, "{cue:?}");
                }
                _ => {}
            }
        }
        assert_eq!(words::of("exploded") & (words::CONTEXT_CUE | words::CONTEXT_PAIR_FIRST), 0);
    }

    #[test]
    fn possessives_are_stripped_as_by_both_suffixes() {
        let reference = |s: &'static str| s.strip_suffix("'s").or_else(|| s.strip_suffix("’s")).unwrap_or(s);
        for s in [
            "",
            "s",
            "'s",
            "’s",
            "Kursk's",
            "Kursk’s",
            "Kursks",
            "Kursk",
            "Kursk's's",
            "Kursk'",
            "’",
            "Sumy’S",
            "Суми’s",
            "ś",
            "’ss",
        ] {
            assert_eq!(strip_possessive(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn nearest_distance_is_the_least_distance() {
        let gaz = Gazetteer::embedded().unwrap();
        let points: Vec<Point> = gaz.places.iter().step_by(131).map(|p| Point::new(p.lat, p.lon)).collect();
        for (k, here) in points.iter().enumerate().step_by(7) {
            let others = &points[k.saturating_sub(40)..(k + 40).min(points.len())];
            let least = others.iter().map(|o| here.km_to(o)).fold(f64::INFINITY, f64::min);
            assert_eq!(here.km_to_nearest(others).to_bits(), least.to_bits());
        }
        assert_eq!(points[0].km_to_nearest(&[]), f64::INFINITY);
    }

    #[test]
    fn codes_compare_as_strings_do() {
        let codes = ["RU", "UA", "09", "9", "", "RU.1", "ENG", "R", "UR"];
        for a in codes {
            for b in codes {
                assert_eq!(same_code(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn admin2_codes_compare_as_the_formatted_code_does() {
        let gaz = Gazetteer::embedded().unwrap();
        let places: Vec<_> = gaz.places.iter().step_by(97).collect();
        let codes: Vec<String> = places.iter().map(|p| p.admin2_code()).chain(["RU..1".into(), "RU".into()]).collect();
        for p in &places {
            for c in &codes {
                assert_eq!(is_admin2_code(p, c), p.admin2_code() == *c, "{} vs {c}", p.admin2_code());
            }
        }
    }

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let step = chrono::Duration::days(997);
        while d.year() < 10_100 {
            assert_eq!(iso_date(d), d.to_string());
            d += step;
        }
        for (y, m, day) in [(2024, 2, 29), (1999, 12, 31), (2000, 1, 1), (9999, 12, 31), (-5, 3, 4), (10_000, 1, 1)] {
            let d = chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(iso_date(d), d.to_string());
        }
    }
}
