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
mod attach;
mod choose;
pub mod classes;
pub mod dates;
pub mod events;
pub mod json;
pub mod lexicon;
mod memo;
mod mentions;
pub mod regions;
pub mod roles;
mod spans;
pub mod stream;
pub mod text;
pub mod weapons;
pub mod words;

use classes::Classes;
use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use compact_str::CompactString;

use serde::Serialize;

use crate::border::{BorderIndex, Measurement};
use crate::gazetteer::Gazetteer;
use crate::resolve::{Candidate, RegionHint, Resolver, Status};

use memo::StrMemo;
use regions::RegionPhrase;
use text::{Folded, Token};

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
    /// 1-based line of the mention in the source text (for a table's text column: the row's line).
    pub line: u64,
    /// For a table row that already had coordinates (`extract --text-column`): the geodesic distance (km) from
    /// them to this mention's point, so a re-geocoded export can be compared with its coded points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_km: Option<f64>,
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

/// How precisely an incident is located (ACLED-style).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// A named settlement, or coordinates given in the input.
    Exact,
    /// A district, or between two places.
    Near,
    /// Only the region is known: placed at its administrative centre.
    Region,
}

/// One document as the stages read it: its text, tokens, folded words, sentences and word classes.
#[derive(Clone, Copy)]
struct Doc<'a> {
    text: &'a str,
    tokens: &'a [Token],
    lower: &'a Folded,
    sents: &'a [text::Sentence],
    classes: &'a [Classes],
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
    region: Option<Rc<RegionHint>>,
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
type RegionCache = StrMemo<Option<Rc<RegionHint>>>;
/// Date, weapon class and weapon model of an incident place.
type DateWeapon = (Option<CompactString>, Option<&'static str>, Option<CompactString>);

/// A document of at most this many words that tells no event (a headline, a photo caption, a one-line record)
/// is about the places it names: they are its incidents. Captions and headlines run to 5–40 words; a news
/// article's first paragraph alone is longer.
const SHORT_REPORT_WORDS: usize = 40;

/// How far into Russia (km from the Russia–Ukraine border; Ukraine and its side count negative) a short
/// report's place may lie to be taken as its incident without an event word: strikes reach deeper, but a lone
/// caption name farther off is more often a namesake of a Ukrainian village than a report from there.
const SHORT_REPORT_REACH_KM: f64 = 300.0;

/// The smallest population of a place a short report may be about when the text names no region for it: the
/// gazetteer lacks most villages, so a village it knows, named alone, is as likely the namesake of one it lacks
/// (a headline's village of the Donbas matching the only namesake the gazetteer holds, 400 km away). On the
/// real records' development two thirds, against no such bound: 1,000 placed 0.4 point fewer within 25 km and
/// 2.2 fewer wrong; 3,000, 0.6 and 2.5; 10,000, 1.1 and 2.7; 30,000, 3.8 and 2.7.
const SHORT_REPORT_MIN_POPULATION: u64 = 3_000;

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
    measurements: RefCell<HashMap<(u64, u64), Option<Measurement>>>,
    /// Places' priors before the document's regions count, with their points ([`Extractor::choose`]).
    base_priors: RefCell<HashMap<u32, (f64, choose::Point)>>,
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
    phrase_regions: Vec<Option<Rc<RegionHint>>>,
    spans: Vec<Span>,
    /// Region phrases standing alone, as spans, before they join `spans`.
    lone_regions: Vec<Span>,
    attached: Vec<bool>,
    index: attach::PhraseIndex,
    sentence_dates: Vec<Option<Option<chrono::NaiveDate>>>,
    /// One sentence's region phrases, as [`regions::find`] gives them.
    sentence_phrases: Vec<RegionPhrase>,
    by_place: HashMap<u32, DateWeapon>,
    choosing: choose::ChooseScratch,
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
        let doc = Doc { text, tokens: &tokens, lower: &lower, sents: &sents, classes: &classes };

        // Region phrases of the whole document, oblast level resolved first so districts can prefer them.
        let doc_regions = self.region_phrases(&doc, &mut phrases, &mut sentence_phrases);
        in_core.clear();
        in_core.resize(tokens.len(), false);
        for (_, p) in &phrases {
            if p.region.is_some() || p.city_district {
                in_core[p.core_first..p.core_last].iter_mut().for_each(|b| *b = true);
            }
        }
        // Each resolved region once, shared by the spans tied to it; a phrase's text as a byte range.
        phrase_regions.clear();
        phrase_regions.extend(phrases.iter_mut().map(|(_, p)| p.region.take()));

        // Toponyms.
        self.toponyms(&doc, &in_core, &mut spans);

        // Attach region phrases to the places next to them; unattached phrases become mentions themselves.
        attach::attach_regions(
            &doc,
            &phrases,
            &phrase_regions,
            &mut attached,
            &mut index,
            &mut lone_regions,
            &mut spans,
        );

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

        // One sense per discourse: a name tied to a region once keeps that region everywhere.
        attach::one_sense_per_discourse(&mut spans);

        // "between A and B".
        attach::link_between(&lower, &classes, &sents, &mut spans);

        // Resolve: candidates under hard region constraints, then document-level choice.
        self.choose(text, &spans, &name_ids, &doc_regions, &mut choosing);
        let choices = &choosing.choices;

        // Roles, precision, dates, weapons.
        let mut annotator = mentions::Annotator::new(&doc, &spans, report_date, &mut sentence_dates);
        let out = self.mentions(&doc, &spans, choices, source, &mut annotator, &mut by_place);
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
    fn region_of(&self, phrase: &str, level: u8, prefer: &[CompactString]) -> Option<Rc<RegionHint>> {
        // One string key, "phrase␟level" and, for a district, the preferred regions, built in the reused
        // buffer (a region phrase never holds U+001F), taken out while the region is worked out (which keys
        // other memos in it) and put back after.
        let mut k = std::mem::take(&mut *self.key_buf.borrow_mut());
        k.clear();
        k.push_str(phrase);
        k.push('\u{1f}');
        k.push(char::from(b'0'.wrapping_add(level)));
        if level == 2 {
            for a1 in prefer {
                k.push_str(a1);
                k.push(',');
            }
        }
        let r = StrMemo::remembered(&self.regions, &k, CACHE_LIMIT, || self.region_uncached(phrase, level, prefer));
        *self.key_buf.borrow_mut() = k;
        r
    }

    /// [`Extractor::region_of`] without its memo.
    fn region_uncached(&self, phrase: &str, level: u8, prefer: &[CompactString]) -> Option<Rc<RegionHint>> {
        let hints = self.region_hints(phrase);
        // Several districts share a name (Dzerzhinsky, Orlovsky): take the one in a region the text names.
        let preferred = hints.iter().position(|h| {
            level == 2
                && h.level == 2
                && prefer.iter().any(|a1| h.code.starts_with(a1.as_str()) && h.code[a1.len()..].starts_with('.'))
        });
        match hints.get(preferred.unwrap_or(0)) {
            Some(h) => Some(Rc::new(regions::with_seat(self.gaz, h.clone()))),
            // A district the gazetteer's divisions lack, named after its town (Ukraine's raions since 2020).
            None if level == 2 => {
                let prefer: Vec<&str> = prefer.iter().map(|a1| a1.as_str()).collect();
                let town = self.resolver.town_of_district(phrase, None, &prefer)?;
                Some(Rc::new(regions::named_after(&self.gaz.places[town as usize], town)))
            }
            None => None,
        }
    }

    /// [`Resolver::regions`] of `phrase`, remembered.
    fn region_hints(&self, phrase: &str) -> Rc<[RegionHint]> {
        StrMemo::remembered(&self.region_hints, phrase, CACHE_LIMIT, || self.resolver.regions(phrase).into())
    }

    /// Fill a stand-alone region (code only) with its name and seat.
    fn complete(&self, mut r: Rc<RegionHint>) -> Option<Rc<RegionHint>> {
        let reg = self.gaz.admin1_by_code(r.admin1())?;
        let m = Rc::make_mut(&mut r);
        m.name = reg.name.clone();
        m.seat = reg.seat;
        Some(r)
    }
}

/// `s` without a possessive ending ('s, ’s).
fn strip_possessive(s: &str) -> &str {
    // Both endings end in `s`: most words are let through at one byte test.
    if s.as_bytes().last() != Some(&b's') {
        return s;
    }
    s.strip_suffix("'s").or_else(|| s.strip_suffix("’s")).unwrap_or(s)
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

#[cfg(test)]
mod tests {
    use super::lexicon::{ATTACH_GAP, ATTACH_GAP_PUNCT};
    use super::*;
    use crate::extract::text::Kind;
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
                [w] => assert_ne!(words::of(w) & classes::CONTEXT_CUE, 0, "{cue:?}"),
                [a, b] => {
                    assert_ne!(words::of(a) & classes::CONTEXT_PAIR_FIRST, 0, "{cue:?}");
                    assert_ne!(words::of(b) & classes::CONTEXT_PAIR_SECOND, 0, "{cue:?}");
                }
                _ => {}
            }
        }
        assert_eq!(words::of("exploded") & (classes::CONTEXT_CUE | classes::CONTEXT_PAIR_FIRST), 0);
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
