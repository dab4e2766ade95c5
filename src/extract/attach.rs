//! Attaching region phrases to places: the document's region phrases ("Kursk region", «Белгородского района»)
//! resolved oblasts first, each tied to the place beside it as a hard constraint, the rest standing as mentions
//! of their own; an unknown village takes its sentence's one region; a name tied to a region once keeps it.

use std::rc::Rc;

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

use super::classes::{self, Classes};
use super::lexicon::{self, ATTACH_GAP_PUNCT};
use super::regions::{self, RegionPhrase};
use super::text::{self, Folded};
use super::text::{Kind, Script};
use super::{Doc, Extractor, Span, SpanKind};
use crate::resolve::RegionHint;

impl Extractor<'_, '_> {
    /// Finds and resolves a document's region phrases into `phrases` (with their sentence), oblasts first so
    /// that districts can prefer them; returns the document's regions (admin1 codes), in order of mention.
    pub(super) fn region_phrases(
        &self,
        doc: &Doc,
        phrases: &mut Vec<(usize, RegionPhrase)>,
        sentence_phrases: &mut Vec<RegionPhrase>,
    ) -> Vec<CompactString> {
        let Doc { text, tokens, lower, sents, classes } = *doc;
        phrases.clear();
        for (si, s) in sents.iter().enumerate() {
            // Only a region word starts a phrase: most sentences have none, and need no search.
            if classes[s.first..s.last].iter().all(|c| c & classes::REGION == 0) {
                continue;
            }
            regions::find(tokens, lower, classes, s.first, s.last, sentence_phrases);
            phrases.extend(sentence_phrases.drain(..).map(|p| (si, p)));
        }
        let mut doc_regions: Vec<CompactString> = Vec::new();
        let mut sentence_oblasts: Vec<(usize, Rc<RegionHint>)> = Vec::new();
        for level in [1u8, 2] {
            for (si, p) in phrases.iter_mut().filter(|(_, p)| p.level == level) {
                if level == 2 && self.city_after(doc, p, sents[*si].last) {
                    (p.city_district, p.region) = (true, None);
                    continue;
                }
                let core = &text[tokens[p.core_first].start..tokens[p.core_last - 1].end];
                // One core of a coordination ("Borovsky and Maloyaroslavets districts") is read with the shared
                // region word: "Borovsky districts".
                let coordinated = (p.core_last..p.last).any(|i| lexicon::is_list_joiner(lower.word(i)));
                let joined;
                let phrase = if coordinated {
                    joined = format!("{core} {}", &text[tokens[p.last - 1].start..tokens[p.last - 1].end]);
                    &joined
                } else {
                    &text[tokens[p.first].start..tokens[p.last - 1].end]
                };
                let mut r = match p.region.take() {
                    Some(r) if r.name.is_empty() => self.complete(r),
                    Some(r) => Some(r),
                    None => self.region_of(phrase, p.level, &doc_regions),
                };
                // A district outside the oblast its own sentence names is a namesake elsewhere (the gazetteer
                // lacks the real one): the oblast is the constraint that holds.
                let in_sentence = |a1: &str| sentence_oblasts.iter().any(|(s, o)| s == si && o.admin1() == a1);
                if level == 2
                    && r.as_ref().is_some_and(|r| !in_sentence(r.admin1()))
                    && sentence_oblasts.iter().any(|(s, _)| s == si)
                {
                    r = None;
                }
                // A district found only in an oblast the document does not name, in a sentence that names a city
                // with districts of its own in another oblast, is a district of that city ("удар по Запоріжжю,
                // влучання в Олександрівському районі", "over Bryansk, debris fell in the Bezhitsky district"):
                // the namesake district elsewhere is not meant.
                let elsewhere = |r: &RegionHint| !doc_regions.iter().any(|d| *d == r.admin1());
                if level == 2
                    && let Some(r) = r.as_ref().filter(|r| elsewhere(r))
                    && self.city_in_sentence(doc, p, *si).is_some_and(|city| city != r.admin1())
                {
                    (p.city_district, p.region) = (true, None);
                    continue;
                }
                if let Some(r) = &r {
                    if level == 1 {
                        sentence_oblasts.push((*si, r.clone()));
                    }
                    if !doc_regions.iter().any(|d| *d == r.admin1()) {
                        doc_regions.push(CompactString::from(r.admin1()));
                    }
                }
                p.region = r;
            }
        }
        doc_regions
    }

    /// Whether district phrase `p` is followed by a city it is a district of ("Дніпровський район Херсона",
    /// "the Leninsky district of Zaporizhzhia"): a one-word name, before the sentence's end at `s_last`, of a
    /// [`Extractor::city_with_districts`].
    fn city_after(&self, doc: &Doc, p: &RegionPhrase, s_last: usize) -> bool {
        let mut i = p.last;
        if i < s_last && doc.lower.word(i) == "of" {
            i += 1;
        }
        i < s_last && self.city_with_districts(doc, i).is_some()
    }

    /// The admin1 code of a city with districts of its own named elsewhere in sentence `si` than phrase `p`.
    fn city_in_sentence(&self, doc: &Doc, p: &RegionPhrase, si: usize) -> Option<String> {
        let s = &doc.sents[si];
        (s.first..s.last).filter(|i| !(p.first..p.last).contains(i)).find_map(|i| self.city_with_districts(doc, i))
    }

    /// The admin1 code of the city token `i` names, when it is one word, capitalised, and names a regional
    /// capital or a town of [`CITY_POPULATION`].
    fn city_with_districts(&self, doc: &Doc, i: usize) -> Option<String> {
        let t = doc.tokens.get(i).filter(|t| t.cap && t.kind == Kind::Word)?;
        let surface = &doc.text[t.start..t.end];
        let hit = self.lookup(surface, t.script == Script::Cyrillic)?;
        hit.places.iter().map(|&k| &self.gaz.places[k as usize]).find_map(|pl| {
            let city = matches!(&*pl.feature_code, "PPLA" | "PPLC") || pl.population >= CITY_POPULATION;
            city.then(|| pl.admin1_code())
        })
    }
}

/// A town this large has districts of its own ("the Leninsky district of Zaporizhzhia" is in the city).
const CITY_POPULATION: u64 = 100_000;

/// Ties each region phrase to the place beside it (`phrase_regions`: the phrases' resolved regions; `attached`
/// marks those tied); the phrases tied to none join `spans` as region or district mentions, in text order.
pub(super) fn attach_regions(
    doc: &Doc,
    phrases: &[(usize, RegionPhrase)],
    phrase_regions: &[Option<Rc<RegionHint>>],
    attached: &mut Vec<bool>,
    index: &mut PhraseIndex,
    lone_regions: &mut Vec<Span>,
    spans: &mut Vec<Span>,
) {
    let Doc { text, tokens, lower, sents, classes } = *doc;
    let phrase_text = |p: &RegionPhrase| (tokens[p.first].start, tokens[p.last - 1].end);
    attached.clear();
    attached.resize(phrases.len(), false);
    index.fill(phrases, phrase_regions);
    for sp in spans.iter_mut() {
        let s = &sents[sp.sent];
        if let Some(pi) = attach(lower, classes, index, sp.first, sp.last, s.first, s.last) {
            attached[pi] = true;
            let p = &phrases[pi].1;
            // A district followed by its oblast: "X, Borovsky district, Kaluga region".
            let mut region = phrase_regions[pi].clone();
            if p.level == 2
                && let Some(pj) = attach(lower, classes, index, p.first, p.last, s.first, s.last)
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
}

/// One sense per discourse: a name tied to a region once keeps that region everywhere. Names are compared by
/// their gazetteer key (the lookup's, else worked out here).
pub(super) fn one_sense_per_discourse(spans: &mut [Span]) {
    if spans.iter().any(|sp| sp.kind == SpanKind::Settlement && sp.region.is_some()) {
        let keys: Vec<Option<CompactString>> = spans
            .iter()
            .map(|sp| {
                (sp.kind == SpanKind::Settlement).then(|| {
                    sp.name_key().map_or_else(|| CompactString::from(crate::names::key(&sp.name)), CompactString::from)
                })
            })
            .collect();
        let mut name_regions: HashMap<&str, (Rc<RegionHint>, (usize, usize))> = HashMap::default();
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
}

/// Resolved region phrases by their first and last token (token indices are unique across sentences).
#[derive(Default)]
pub(super) struct PhraseIndex {
    by_first: HashMap<usize, usize>,
    by_last: HashMap<usize, usize>,
}

impl PhraseIndex {
    /// Index the phrases whose region (in `regions`, by phrase) is known, in place of what it held.
    pub(super) fn fill(&mut self, phrases: &[(usize, RegionPhrase)], regions: &[Option<Rc<RegionHint>>]) {
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

#[allow(clippy::too_many_arguments)]
pub(super) fn attach(
    lower: &Folded,
    classes: &[Classes],
    phrases: &PhraseIndex,
    first: usize,
    last: usize,
    s_first: usize,
    s_last: usize,
) -> Option<usize> {
    // Gap words by class; punctuation (which has no classes) by the list.
    let gap = |i: usize| classes[i] & classes::ATTACH_GAP != 0 || ATTACH_GAP_PUNCT.contains(&lower.word(i));
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

pub(super) fn link_between(lower: &Folded, classes: &[Classes], sents: &[text::Sentence], spans: &mut [Span]) {
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
        let has_between = (lo..sp.first).any(|i| classes[i] & classes::BETWEEN != 0);
        if !has_between {
            continue;
        }
        // B: the next span, joined by "and".
        if let Some(b) = spans.get(k + 1)
            && b.sent == sp.sent
            && b.kind == SpanKind::Settlement
            && b.first == sp.last + 1
            && lower.word(sp.last) != ","
            && lexicon::is_list_joiner(lower.word(sp.last))
        {
            spans[k].between = Some(k + 1);
            spans[k + 1].between = Some(k);
        }
    }
}
