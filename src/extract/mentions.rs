//! The last stage: each chosen span becomes a [`Mention`] with its role (incident or context, and why), its
//! precision and point, its border measurement, and for an incident its date, weapon and event type; then the
//! document-level passes: earlier events told as background, short reports, and dates and weapons shared by
//! mentions of one place.

use std::sync::Arc;

use compact_str::CompactString;

use super::Precision;
use super::choose::Choice;
use super::classes;
use super::events::EventType;
use super::text::Kind;
use super::{
    DateWeapon, Doc, Excerpt, Extractor, Mention, Role, SHORT_REPORT_MIN_POPULATION, SHORT_REPORT_REACH_KM,
    SHORT_REPORT_WORDS, Span, SpanKind, annotate, dates, iso_date, midpoint, roles,
};
use crate::border::Measurement;
use crate::resolve::Status;
use rustc_hash::FxHashMap as HashMap;

/// What an incident is annotated with: date (ISO), weapon class, weapon model, event type.
type Annotation = (Option<CompactString>, Option<&'static str>, Option<CompactString>, Option<EventType>);

/// Dates, weapons and event types of a document's incidents, each sentence's date found once.
pub(super) struct Annotator<'d, 'a> {
    doc: &'d Doc<'a>,
    spans: &'d [Span],
    report_date: Option<chrono::NaiveDate>,
    sentence_dates: &'d mut Vec<Option<Option<chrono::NaiveDate>>>,
    /// The incident mentions of a story share its date: its ISO form is written once.
    last_iso: Option<(chrono::NaiveDate, CompactString)>,
}

impl<'d, 'a> Annotator<'d, 'a> {
    pub(super) fn new(
        doc: &'d Doc<'a>,
        spans: &'d [Span],
        report_date: Option<chrono::NaiveDate>,
        sentence_dates: &'d mut Vec<Option<Option<chrono::NaiveDate>>>,
    ) -> Self {
        sentence_dates.clear();
        sentence_dates.resize(doc.sents.len(), None);
        Annotator { doc, spans, report_date, sentence_dates, last_iso: None }
    }

    fn date_of(&mut self, si: usize) -> Option<chrono::NaiveDate> {
        let (doc, report_date) = (self.doc, self.report_date);
        *self.sentence_dates[si].get_or_insert_with(|| {
            let s = &doc.sents[si];
            dates::find_in(&classes::View::new(doc.lower, doc.classes, s.first, s.last), report_date)
        })
    }

    fn iso_of(&mut self, d: chrono::NaiveDate) -> CompactString {
        match &self.last_iso {
            Some((k, iso)) if *k == d => iso.clone(),
            _ => self.last_iso.insert((d, iso_date(d))).1.clone(),
        }
    }

    /// The date, weapon and event type of the incident at span `k`; `seen`: the report itself is a sighting.
    pub(super) fn annotate(&mut self, k: usize, seen: bool) -> Annotation {
        let (doc, spans) = (self.doc, self.spans);
        let sp = &spans[k];
        let s = &doc.sents[sp.sent];
        // Else the date of the story so far: the latest dated sentence up to three back.
        let d =
            self.date_of(sp.sent).or_else(|| (sp.sent.saturating_sub(3)..sp.sent).rev().find_map(|i| self.date_of(i)));
        let sentence = annotate::Sentence {
            text: doc.text,
            tokens: doc.tokens,
            lower: doc.lower,
            classes: doc.classes,
            first: s.first,
            last: s.last,
        };
        // The sentence's other settlements and districts (a region named beside them frames, not rivals). Spans
        // come in text order: the sentence's are the run around `k`.
        let from = spans[..k].iter().rposition(|o| o.sent != sp.sent).map_or(0, |i| i + 1);
        let to = spans[k..].iter().position(|o| o.sent != sp.sent).map_or(spans.len(), |i| k + i);
        let others: Vec<(usize, usize)> = spans[from..to]
            .iter()
            .filter(|o| o.first != sp.first && o.kind != SpanKind::Region)
            .map(|o| (o.first, o.last))
            .collect();
        let (w, kind) = sentence.told(sp.first, sp.last, &others, seen);
        (d.map(|d| self.iso_of(d)), w.as_ref().map(|w| w.0), w.and_then(|w| w.1), Some(kind))
    }
}

/// What a document's mention pass found besides the mentions: the indices (in the mentions) of incidents an
/// earlier event's sentence tells, and of context mentions that are context only for want of an event word
/// (with their span).
#[derive(Default)]
struct Pending {
    earlier: Vec<usize>,
    unsaid: Vec<(usize, usize)>,
}

/// The sentence a run of spans is in, with what is asked of it once worked out.
struct Current<'a> {
    sentence: usize,
    view: classes::View<'a>,
    evidence: Excerpt,
    earlier_marker: Option<Option<usize>>,
}

impl Extractor<'_, '_> {
    /// The mentions of a document's chosen spans, in text order.
    pub(super) fn mentions(
        &self,
        doc: &Doc,
        spans: &[Span],
        choices: &[Choice],
        source: &str,
        annotator: &mut Annotator,
        by_place: &mut HashMap<u32, DateWeapon>,
    ) -> Vec<Mention> {
        let text = doc.text;
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
        let source: Arc<str> = self.source_name(source);
        let mut current: Option<Current> = None;
        let mut pending = Pending::default();
        // The document's text, copied once for its mentions' sentences (when it has mentions).
        let shared_text: Option<Arc<str>> = (!spans.is_empty()).then(|| Arc::from(text));
        for (k, sp) in spans.iter().enumerate() {
            let s = &doc.sents[sp.sent];
            if current.as_ref().is_none_or(|c| c.sentence != sp.sent)
                && let Some(shared) = &shared_text
            {
                current = Some(Current {
                    sentence: sp.sent,
                    view: classes::View::new(doc.lower, doc.classes, s.first, s.last),
                    evidence: Excerpt::new(shared.clone(), doc.tokens[s.first].start..doc.tokens[s.last - 1].end),
                    earlier_marker: None,
                });
            }
            let Some(Current { view, evidence, earlier_marker, .. }) = current.as_mut() else {
                continue;
            };
            let (role, reason) = roles::classify(view, text, doc.tokens, sp.first, sp.last, choices[k].capital);
            // An earlier event retold for background (decided once the document's incidents are known).
            if role == Role::Incident
                && let Some(marker) =
                    *earlier_marker.get_or_insert_with(|| dates::earlier_event_marker(view, annotator.report_date))
                && dates::marks_place(view, marker, sp.last)
            {
                pending.earlier.push(out.len());
            }
            if reason == roles::NO_EVENT {
                pending.unsaid.push((out.len(), k));
            }
            let (date, weapon, weapon_model, event_type) =
                if role == Role::Incident { annotator.annotate(k, false) } else { Default::default() };
            let at = self.locate(doc, spans, choices, k, roles::is_near(view, sp.first, sp.last));
            let (c, start, end) = (&choices[k], doc.tokens[sp.first].start, doc.tokens[sp.last - 1].end);
            out.push(Mention {
                source: source.clone(),
                mention: CompactString::from(&text[start..end]),
                start,
                end,
                role,
                status: c.status,
                precision: at.precision,
                border_km: at.measurement.as_ref().map(|m| m.border_km).filter(|k| k.is_finite()),
                place: c.place.clone(),
                date,
                weapon,
                weapon_model,
                event_type,
                name: sp.name.clone(),
                lat: at.lat,
                lon: at.lon,
                region: sp.region.as_ref().filter(|r| !r.name.is_empty()).map(|r| CompactString::from(r.name.as_str())),
                region_code: sp.region.as_ref().map(|r| CompactString::from(r.admin1())),
                between: at.between,
                evidence: evidence.clone(),
                reason,
                line: line_at(start),
                moved_km: None,
                measurement: at.measurement,
                sentence: sp.sent,
            });
        }
        settle_background(&mut out, &pending.earlier);
        take_short_report(doc, &mut out, &pending.unsaid, annotator);
        share_dates_and_weapons(&mut out, by_place);
        out
    }

    /// Where span `k` puts its mention: its point (a "between" pair's midpoint), precision and measurement.
    fn locate(&self, doc: &Doc, spans: &[Span], choices: &[Choice], k: usize, near: bool) -> Located {
        let (sp, c) = (&spans[k], &choices[k]);
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
            let o = &spans[other];
            between = Some(CompactString::from(&doc.text[doc.tokens[o.first].start..doc.tokens[o.last - 1].end]));
        }
        let measurement = match (lat, lon, &c.place) {
            // At the place itself (not at the midpoint of "between A and B"): its stored measurement.
            (Some(la), Some(lo), Some(place)) if sp.between.is_none() => self.measure_place(place.place_index, la, lo),
            (Some(la), Some(lo), _) => self.measure(la, lo),
            _ => None,
        };
        Located { precision, lat, lon, between, measurement }
    }
}

/// Where a mention is: see [`Extractor::locate`].
struct Located {
    precision: Precision,
    lat: Option<f64>,
    lon: Option<f64>,
    between: Option<CompactString>,
    measurement: Option<Measurement>,
}

/// Earlier events retold for background are context when the report has incidents of its own; when it has
/// none, the earlier event is its story (a report on a drone that fell on Sudzha in May).
fn settle_background(out: &mut [Mention], earlier: &[usize]) {
    if earlier.len() < out.iter().filter(|m| m.role == Role::Incident).count() {
        for &i in earlier {
            let m = &mut out[i];
            (m.role, m.reason) = (Role::Context, "earlier event, told as background");
            (m.date, m.weapon, m.weapon_model, m.event_type) = (None, None, None, None);
        }
    }
}

/// A headline or a caption that tells no event is about the places it names ("Russian tanks in X",
/// "Destroyed bridge near Y"): those it is sure of are its incidents, their kind what its words tell.
fn take_short_report(doc: &Doc, out: &mut [Mention], unsaid: &[(usize, usize)], annotator: &mut Annotator) {
    if out.iter().any(|m| m.role == Role::Incident)
        || doc.tokens.iter().filter(|t| t.kind == Kind::Word).count() > SHORT_REPORT_WORDS
    {
        return;
    }
    // Only a name it is sure of, in reach of the war: a lone name with namesakes and nothing around it is a
    // guess, and so is a town a thousand km into Russia that a caption's village shares its name with, and a
    // village named without its region (see SHORT_REPORT_MIN_POPULATION).
    for &(i, k) in unsaid {
        let m = &mut out[i];
        let town_or_placed =
            m.region.is_some() || m.place.as_ref().is_some_and(|p| p.population >= SHORT_REPORT_MIN_POPULATION);
        if m.status != Status::Resolved || m.border_km.is_none_or(|km| km > SHORT_REPORT_REACH_KM) || !town_or_placed {
            continue;
        }
        (m.role, m.reason) = (Role::Incident, "short report: the place it is about");
        (m.date, m.weapon, m.weapon_model, m.event_type) = annotator.annotate(k, true);
    }
}

/// Fill missing weapons and dates of an incident from other incident mentions of the same place.
fn share_dates_and_weapons(out: &mut [Mention], by_place: &mut HashMap<u32, DateWeapon>) {
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
}
