//! What an incident was told with: its weapon and the kind of event, read from the words nearest the place.
//!
//! A sentence often tells two events ("drones hit A; debris fell on B", «беспилотники атаковали A, а над B
//! сбиты ракеты»), so a place does not take the whole sentence's words. It takes them from the first of these
//! scopes that has any: its segment (between commas, semicolons, colons, dashes and brackets), its clause
//! (between semicolons, and commas before a conjunction: ", and", «, а»), then the sentence's other clauses,
//! nearest first and the earlier of two as near (an elliptic "and another over B" borrows its predecessor's verb).
//!
//! ```
//! use incimap::{border::BorderIndex, gazetteer::Gazetteer, resolve::Resolver, extract::Extractor};
//! use incimap::extract::events::EventType;
//! let gaz = Gazetteer::embedded().unwrap();
//! let resolver = Resolver::new(&gaz);
//! let ex = Extractor::new(&resolver, None);
//! let ms = ex.extract("Drones struck Sumy overnight; debris fell on Shostka.", "a.txt", None);
//! let of = |name: &str| ms.iter().find(|m| m.mention == name).unwrap();
//! assert_eq!((of("Sumy").weapon, of("Sumy").event_type), (Some("drone"), Some(EventType::AirStrike)));
//! assert_eq!((of("Shostka").weapon, of("Shostka").event_type), (Some("debris"), Some(EventType::Crash)));
//! ```

use compact_str::CompactString;

use super::classes::{self, Classes, View};
use super::events::{self, EventType};
use super::text::{Folded, Kind, Token};
use super::weapons;

/// A weapon's class and model, as [`weapons::find_in`] gives them.
pub type Weapon = Option<(&'static str, Option<CompactString>)>;

/// Conjunctions that, after a comma, start a clause of their own.
const CLAUSE_CONJUNCTIONS: &[&str] = &["and", "but", "while", "whereas", "а", "и", "но", "і", "й", "та", "але"];

/// Articles skipped between "over" and the place ("over the Liski district").
const ARTICLES: &[&str] = &["the", "a"];

/// The tokens of one sentence, with what is needed to find its segments and clauses.
pub struct Sentence<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub lower: &'a Folded,
    pub classes: &'a [Classes],
    /// The sentence's first token, and one past its last.
    pub first: usize,
    pub last: usize,
}

impl Sentence<'_> {
    fn punct(&self, i: usize) -> Option<&str> {
        let t = &self.tokens[i];
        (t.kind == Kind::Punct).then(|| &self.text[t.start..t.end])
    }

    fn segment_break(&self, i: usize) -> bool {
        matches!(self.punct(i), Some("," | ";" | ":" | "—" | "–" | "(" | ")"))
    }

    fn clause_break(&self, i: usize) -> bool {
        match self.punct(i) {
            Some(";") => true,
            Some(",") => i + 1 < self.last && CLAUSE_CONJUNCTIONS.contains(&self.lower.word(i + 1)),
            _ => false,
        }
    }

    /// The clauses of the sentence, as token ranges, in order.
    fn clauses(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = self.first;
        for i in self.first..self.last {
            if self.clause_break(i) {
                out.push((start, i));
                start = i + 1;
            }
        }
        out.push((start, self.last));
        out
    }

    /// The segment around tokens `first..last`.
    fn segment(&self, first: usize, last: usize) -> (usize, usize) {
        let start = (self.first..first).rev().find(|&i| self.segment_break(i)).map_or(self.first, |i| i + 1);
        let end = (last..self.last).find(|&i| self.segment_break(i)).unwrap_or(self.last);
        (start, end)
    }

    /// The scopes a mention at tokens `first..last` reads its words from, nearest first. The first is its clause
    /// when that names no other place (`others`: the other places' token ranges in the sentence), else its
    /// segment: "over Klintsy two drones were shot down, debris fell on a depot" tells one site's story, debris
    /// and all.
    fn scopes(&self, first: usize, last: usize, others: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let clauses = self.clauses();
        let own = clauses.iter().position(|&(a, b)| a <= first && first < b.max(a + 1)).unwrap_or(0);
        let alone = |(a, b): (usize, usize)| !others.iter().any(|&(f, l)| f < b && l > a);
        let mut scopes = Vec::with_capacity(clauses.len() + 1);
        if !alone(clauses[own]) {
            scopes.push(self.segment(first, last));
        }
        scopes.push(clauses[own]);
        for d in 1..clauses.len() {
            if let Some(k) = own.checked_sub(d) {
                scopes.push(clauses[k]);
            }
            if let Some(&c) = clauses.get(own + d) {
                scopes.push(c);
            }
        }
        scopes
    }

    fn view(&self, (a, b): (usize, usize)) -> View<'_> {
        View::new(self.lower, self.classes, a, b)
    }

    /// Is the place at token `first` named as the sky above it ("over the city", «над городом»)?
    fn above(&self, first: usize) -> bool {
        let mut i = first;
        while i > self.first {
            i -= 1;
            if !ARTICLES.contains(&self.lower.word(i)) {
                return classes::event_classes(self.classes[i]) & events::ABOVE != 0;
            }
        }
        false
    }

    /// The weapon and event type of an incident at tokens `first..last` of the sentence, whose other places are
    /// at `others`.
    ///
    /// The event words are those of the nearest scope with a word that tells an event (a weapon's name alone
    /// does not: "drones over Bryansk: debris fell on a mall" is a crash), with the narrower scopes' words. The
    /// weapon is looked for in that scope first, then in the narrower ones, then in the mention's clause.
    /// `seen`: the report itself is a sighting (a caption: "Russian tanks in X"), so troops or vehicles named
    /// are a movement.
    pub fn told(&self, first: usize, last: usize, others: &[(usize, usize)], seen: bool) -> (Weapon, EventType) {
        let scopes = self.scopes(first, last, others);
        let classes: Vec<events::EventClasses> = scopes.iter().map(|&s| self.view(s).event_classes()).collect();
        let tells = |c: events::EventClasses| {
            c & events::REPORTS_EVENT & !events::EVENT != 0 || (c & events::MOVEMENT != 0 && c & events::SIGHTING != 0)
        };
        let weapon_in = |k: usize| scopes.get(k).and_then(|&s| weapons::find_in(&self.view(s)));
        let (event_classes, weapon) = match classes.iter().position(|&c| tells(c)) {
            Some(e) => (
                classes[..=e].iter().fold(0, |a, c| a | c),
                (0..=e).rev().chain([1.min(scopes.len() - 1)]).find_map(weapon_in),
            ),
            None => (classes.iter().fold(0, |a, c| a | c), (0..scopes.len()).find_map(weapon_in)),
        };
        let event_classes = if seen { event_classes | events::SIGHTING } else { event_classes };
        let kind = events::event_type(event_classes, weapon.as_ref().map(|w| w.0), self.above(first));
        (weapon, kind)
    }
}
