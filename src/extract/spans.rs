//! Toponym recognition: the runs of capitalised words the gazetteer knows (longest first), or that a settlement
//! word vouches for ("the village of X", «в селе X»), less what the guards turn down: common words, acronyms,
//! person names, names of streets, units and plants, outlets.

use std::rc::Rc;

use compact_str::CompactString;

use super::classes::{self, Classes};
use super::text::{Folded, Kind, Script, Token};
use super::{Doc, Extractor, Hit, Span, SpanKind, lexicon, strip_possessive};
use rustc_hash::FxHashSet as HashSet;

/// Nominative plural endings of Russian and Ukrainian adjectives in -ск-/-цк-/-зьк- (lower case): see
/// [`plausible`].
const CYRILLIC_ADJECTIVE_ENDINGS: &[&str] = &["ські", "ские", "цкие", "зькі", "цькі"];

impl Extractor<'_, '_> {
    /// The settlement spans of a document, in text order, skipping the cores of region phrases (`in_core`).
    pub(super) fn toponyms(&self, doc: &Doc, in_core: &[bool], spans: &mut Vec<Span>) {
        let Doc { text, tokens, lower, sents, classes } = *doc;
        let word = |i: usize| &text[tokens[i].start..tokens[i].end];
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
                let cue = settlement_cue_before(text, tokens, lower, classes, s.first, i);
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
                    && (classes[i] & classes::NOT_PLACE != 0
                        || (t.script == Script::Latin && classes[i] & classes::ENGLISH != 0))
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
                            classes.get(end).is_some_and(|c| c & classes::PLANT != 0) && self.names_a_seat(&hit);
                        if !plant_of_region && (cue || plausible(text, tokens, lower, classes, s.first, i, end)) {
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
                        if cue && !t.all_caps && classes[i] & classes::NOT_PLACE == 0 {
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
    if listed(classes::NOT_PLACE, &lexicon::NOT_PLACES) {
        return false;
    }
    // Streets, parks and units named after places or people: "Khreshchatyk street", "улица Ленина", "Azov regiment".
    if let Some(n) = tokens.get(end)
        && n.kind == Kind::Word
        && classes[end] & (classes::FACILITY | classes::FACILITY_AFTER) != 0
    {
        return false;
    }
    // Before the name, perhaps across an opening quote: "полк «Азов»", "парк Горького".
    let before = if i > sent_first + 1 && matches!(&text[tokens[i - 1].start..tokens[i - 1].end], "«" | "\"" | "“") {
        i - 2
    } else {
        i.wrapping_sub(1)
    };
    if i > sent_first && classes[before] & classes::FACILITY != 0 {
        return false;
    }
    // Two characters take at most eight bytes: a longer word needs no count.
    if single && w.len() <= 8 && w.chars().count() <= 2 {
        return false;
    }
    if single {
        match t.script {
            Script::Latin if listed(classes::ENGLISH, &lexicon::ENGLISH_WORDS) => return false,
            Script::Cyrillic if listed(classes::CYRILLIC_COMMON, &lexicon::CYRILLIC_COMMON) => return false,
            _ => {}
        }
    }
    // English names a river, a sea or a region with "the" and a town without: "crossed the Dnipro", "in the
    // Donbas". "The" before a town belongs to a noun after it ("the Kharkiv governor", "the Sumy region").
    if single && i > sent_first && lower.word(i - 1) == "the" && !possessive && heads_its_phrase(lower, tokens, end) {
        return false;
    }
    // Person names: a given name before, or this is a given name before a capitalised word.
    if i > sent_first {
        let p = &tokens[i - 1];
        if p.kind == Kind::Word && p.cap && classes[i - 1] & classes::GIVEN_NAME != 0 {
            return false;
        }
        if p.kind == Kind::Word && p.cap && classes[i - 1] & classes::TITLE != 0 {
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
    if listed(classes::GIVEN_NAME, &lexicon::GIVEN_NAMES)
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
        if classes[j] & classes::SETTLEMENT_CUE != 0 {
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

/// Whether the word before token `end` ends its noun phrase: the sentence or a clause ends after it, or a
/// conjunction or a preposition follows ("the Dnipro and", "the Dnipro near Kherson").
fn heads_its_phrase(lower: &Folded, tokens: &[Token], end: usize) -> bool {
    let Some(next) = tokens.get(end) else { return true };
    next.kind != Kind::Word
        || matches!(
            lower.word(end),
            "and" | "or" | "in" | "at" | "near" | "into" | "to" | "from" | "on" | "by" | "with"
        )
}
