//! Incident or context: is a mentioned place where something happened, or does it only frame the story?
//!
//! Context, checked first: part of an outlet's name ("the Moscow Times"), a photo caption, a place after
//! "visit to" / "based in" / "governor of" / "aid to" / "from", a national capital standing for its
//! government ("Kyiv denied", "Moscow announced"), a hedged sentence ("a potential target"). Otherwise a
//! place in a sentence that reports an event (fell, exploded, hit, shot down, shelled, evacuated, damaged,
//! drones, missiles, ...) is an incident site; a place in a sentence without one is context.

use super::Role;
use super::lexicon::{self, has_stem};
use super::text::{Kind, Token, fold};

/// Hedges: the sentence speaks of what could happen, not of what did.
const HEDGES: &[&str] = &[
    "potential",
    "potentially",
    "could",
    "might",
    "would",
    "possible",
    "possibly",
    "vulnerab",
    "strategically",
    "threat",
    "risk",
    "plans",
    "planning",
    "прогноз",
    "может",
    "могут",
    "угроза",
    "потенциальн",
    "може",
    "можуть",
    "загроза",
    "потенційн",
];

fn w(text: &str, tokens: &[Token], i: usize) -> String {
    fold(&text[tokens[i].start..tokens[i].end])
}

/// Role and the reason for it, for the span `first..last` in the sentence `s_first..s_last`. `capital`: the
/// span resolved to a national capital.
pub fn classify(
    text: &str,
    tokens: &[Token],
    s_first: usize,
    s_last: usize,
    first: usize,
    last: usize,
    capital: bool,
) -> (Role, &'static str) {
    // Outlet names: "the Moscow Times", "Kyiv Independent".
    if let Some(n) = tokens.get(last) {
        if last < s_last
            && n.kind == Kind::Word
            && (n.cap || n.digit)
            && lexicon::OUTLET_WORDS.contains(w(text, tokens, last).as_str())
        {
            return (Role::Context, "outlet name");
        }
    }
    let sentence = fold(&text[tokens[s_first].start..tokens[s_last - 1].end]);
    if lexicon::CAPTION_MARKERS.iter().any(|m| sentence.contains(m)) {
        return (Role::Context, "photo caption");
    }
    // Up to three words before the span, skipping "the".
    let mut before: Vec<String> = Vec::new();
    let mut j = first;
    while j > s_first && before.len() < 3 {
        j -= 1;
        let x = w(text, tokens, j);
        if x == "the" {
            continue;
        }
        before.push(x);
    }
    let b1 = before.first().cloned().unwrap_or_default();
    let b2 = if before.len() >= 2 { format!("{} {}", before[1], before[0]) } else { String::new() };
    // Distances to a place locate an event near it: "30 km from Belgorod".
    let distance_from = before.len() >= 2
        && b1 == "from"
        && matches!(before[1].as_str(), "km" | "kilometres" | "kilometers" | "miles" | "mile" | "metres" | "meters");
    if !distance_from {
        for cue in lexicon::CONTEXT_BEFORE {
            if *cue == b1 || *cue == b2 {
                return (Role::Context, "speaker, visit, title or origin");
            }
        }
    }
    // A reference point: "Zolochiv, northwest of Kharkiv".
    if before.len() >= 2 && before[0] == "of" && is_direction(&before[1]) {
        let k = first.saturating_sub(2);
        if k > s_first && w(text, tokens, k - 1) == "," {
            return (Role::Context, "reference point");
        }
    }
    // "residents in X expressed ...", unless they were evacuated or hurt.
    if b2 == "residents in" || b2 == "people in" {
        return (Role::Context, "residents' views");
    }
    let after = if last < s_last { w(text, tokens, last) } else { String::new() };
    if matches!(after.as_str(), "governor" | "mayor" | "authorities" | "officials" | "administration" | "governor's") {
        return (Role::Context, "title or authority");
    }
    let words: Vec<String> = (s_first..s_last)
        .filter(|&i| (i < first || i >= last) && tokens[i].kind == Kind::Word)
        .map(|i| w(text, tokens, i))
        .collect();
    let trigger = words.iter().any(|x| has_stem(x, lexicon::INCIDENT_STEMS));
    if capital {
        let locative = lexicon::LOCATIVE_BEFORE.contains(&b1.as_str()) && b1 != "and" && b1 != "of";
        let gov_verb = lexicon::CONTEXT_VERBS_AFTER_CAPITAL.contains(&after.as_str())
            || text[tokens[last - 1].end..].starts_with("'s")
            || text[tokens[last - 1].end..].starts_with("’s");
        if !(trigger && locative && !gov_verb) {
            return (Role::Context, "capital as government or setting");
        }
    }
    if words.iter().any(|x| HEDGES.iter().any(|h| x == h || (h.len() > 5 && x.starts_with(h)))) {
        return (Role::Context, "hedged statement");
    }
    if trigger { (Role::Incident, "event in sentence") } else { (Role::Context, "no event in sentence") }
}

/// Words before a place that put an event near it rather than in it.
const NEAR_BEFORE: &[&str] = &[
    "near",
    "outside",
    "outskirts",
    "around",
    "vicinity",
    "вблизи",
    "около",
    "возле",
    "под",
    "окрестностях",
    "неподалеку",
    "неподалёку",
    "близ",
    "біля",
    "поблизу",
    "неподалік",
    "околицях",
    "околиці",
    "окраине",
    "окраинах",
];

/// Is the event near the place rather than in it ("near X", "outskirts of X", "30 km from X", "the X dam")?
pub fn is_near(text: &str, tokens: &[Token], s_first: usize, s_last: usize, first: usize, last: usize) -> bool {
    let mut j = first;
    let mut steps = 0;
    while j > s_first && steps < 3 {
        j -= 1;
        steps += 1;
        let x = w(text, tokens, j);
        if NEAR_BEFORE.contains(&x.as_str()) || x == "from" && j > s_first && is_unit(&w(text, tokens, j - 1)) {
            return true;
        }
        if matches!(
            x.as_str(),
            "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast" | "southwest"
        ) && steps == 2
        {
            return true;
        }
        if !matches!(x.as_str(), "the" | "of" | "в" | "на" | "районе") {
            break;
        }
    }
    if last < s_last {
        let a = w(text, tokens, last);
        if lexicon::FEATURE_WORDS.contains(&a.as_str()) {
            return true;
        }
    }
    false
}

fn is_direction(x: &str) -> bool {
    matches!(x, "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast" | "southwest")
}

fn is_unit(x: &str) -> bool {
    matches!(x, "km" | "kilometres" | "kilometers" | "miles" | "mile" | "км" | "кілометрів" | "километрах")
}
