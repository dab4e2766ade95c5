//! Incident or context: is a mentioned place where something happened, or does it only frame the story?
//!
//! Context, checked first: part of an outlet's name ("the Moscow Times"), a photo caption, a place after
//! "visit to" / "based in" / "governor of" / "aid to" / "from", a national capital standing for its
//! government ("Kyiv denied", "Moscow announced"), a hedged sentence ("a potential target"). Otherwise a
//! place in a sentence that reports an event (fell, exploded, hit, shot down, shelled, evacuated, damaged,
//! drones, missiles, ...) is an incident site; a place in a sentence without one is context.

use std::sync::LazyLock;

use rustc_hash::FxHashSet as HashSet;

use super::Role;
use super::classes::{self, View};
use super::lexicon;
use super::text::{Kind, Token};

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

/// Is the folded word a hedge: one of [`HEDGES`], or a word starting with one of its longer stems?
pub(super) fn is_hedge(x: &str) -> bool {
    HEDGES.iter().any(|h| x == *h || (h.len() > 5 && x.starts_with(h)))
}

/// [`lexicon::CONTEXT_BEFORE`] split into one-word cues and two-word cues, for lookups without building
/// phrases (a cue of three words or more can never match the two words looked at).
struct ContextCues {
    words: HashSet<&'static str>,
    pairs: HashSet<(&'static str, &'static str)>,
    /// The first and the second words of the pairs.
    pair_firsts: HashSet<&'static str>,
    pair_seconds: HashSet<&'static str>,
}

static CONTEXT_CUES: LazyLock<ContextCues> = LazyLock::new(|| {
    let mut cues = ContextCues {
        words: HashSet::default(),
        pairs: HashSet::default(),
        pair_firsts: HashSet::default(),
        pair_seconds: HashSet::default(),
    };
    for cue in lexicon::CONTEXT_BEFORE {
        match cue.split_once(' ') {
            None => {
                cues.words.insert(cue);
            }
            Some((a, b)) if !b.contains(' ') => {
                cues.pairs.insert((a, b));
                cues.pair_firsts.insert(a);
                cues.pair_seconds.insert(b);
            }
            Some(_) => {}
        }
    }
    cues
});

/// The word's context-cue classes ([`classes::CONTEXT_CUE`], [`classes::CONTEXT_PAIR_FIRST`],
/// [`classes::CONTEXT_PAIR_SECOND`]), for [`words::classify`]: [`classify`] reads them instead of hashing the
/// words before every place.
pub(super) fn context_cue_classes(word: &str) -> classes::Classes {
    let cues = &*CONTEXT_CUES;
    let mut c = 0;
    if cues.words.contains(word) {
        c |= classes::CONTEXT_CUE;
    }
    if cues.pair_firsts.contains(word) {
        c |= classes::CONTEXT_PAIR_FIRST;
    }
    if cues.pair_seconds.contains(word) {
        c |= classes::CONTEXT_PAIR_SECOND;
    }
    c
}

/// The reason of a context mention that is context only for want of an event word in its sentence.
pub const NO_EVENT: &str = "no event in sentence";

/// Role and the reason for it, for the span `first..last` of the sentence `v`. `capital`: the span resolved
/// to a national capital.
pub fn classify(
    v: &View,
    text: &str,
    tokens: &[Token],
    first: usize,
    last: usize,
    capital: bool,
) -> (Role, &'static str) {
    let (s_first, s_last) = (v.first(), v.last());
    // Outlet names: "the Moscow Times", "Kyiv Independent".
    if last < s_last {
        let n = &tokens[last];
        if n.kind == Kind::Word && (n.cap || n.digit) && v.class(last) & classes::OUTLET != 0 {
            return (Role::Context, "outlet name");
        }
    }
    if v.caption() {
        return (Role::Context, "photo caption");
    }
    let Before { words: before, at: before_at, n: n_before } = Before::of(v, tokens, first);
    let b1 = before[0];
    // The two words before are `b2 b1`.
    let two_before = |b2: &str, b1: &str| n_before >= 2 && before[1] == b2 && before[0] == b1;
    // Distances to a place locate an event near it: "30 km from Belgorod".
    let distance_from = n_before >= 2 && b1 == "from" && is_unit(before[1]);
    // The cue lists hold words only, so the words' classes say whether a lookup can match.
    let cue_word = n_before >= 1 && v.class(before_at[0]) & classes::CONTEXT_CUE != 0;
    let cue_pair = n_before >= 2
        && v.class(before_at[1]) & classes::CONTEXT_PAIR_FIRST != 0
        && v.class(before_at[0]) & classes::CONTEXT_PAIR_SECOND != 0
        && CONTEXT_CUES.pairs.contains(&(before[1], before[0]));
    if !distance_from && (cue_word || cue_pair) {
        return (Role::Context, "speaker, visit, title or origin");
    }
    // Where fire or a launch came from: "з району Климова", «с территории Сумской области», "from the area
    // around Graivoron", «з-під Бєлгорода».
    if is_origin(&before[..n_before]) {
        return (Role::Context, "origin of fire or a launch");
    }
    // Where a speaker spoke: "said in Moscow", "заявили в Киеве", "повідомили у Харкові".
    if n_before >= 2 && matches!(b1, "in" | "в" | "во" | "у") && v.class(before_at[1]) & classes::SPEECH != 0 {
        return (Role::Context, "where a speaker spoke");
    }
    // Where people or goods are sent: "evacuated to Kharkiv", "вивозять до Львова", "розміщують у Конотопі".
    if v.has(classes::DESTINATION)
        && (matches!(b1, "to" | "до" | "into" | "reached")
            || matches!(b1, "в" | "у" | "во" | "in") && v.has(classes::HOUSING))
    {
        return (Role::Context, "destination");
    }
    // Where the wounded were taken for treatment: "taken to hospital in Belgorod", "доставлены в больницу №2 в
    // Белгороде", "госпіталізовано до лікарні у Харкові", "доставили в больницу Трубчевска".
    if v.has(classes::DESTINATION) && v.has(classes::HOSPITAL) && hospital_before(v, tokens, first) {
        return (Role::Context, "hospital the wounded were taken to");
    }
    // A reference point: "Zolochiv, northwest of Kharkiv".
    if n_before >= 2 && before[0] == "of" && is_direction(before[1]) {
        let k = first.saturating_sub(2);
        if k > s_first && v.w(k - 1) == "," {
            return (Role::Context, "reference point");
        }
    }
    // "residents in X expressed ...".
    if two_before("residents", "in") || two_before("people", "in") {
        return (Role::Context, "residents' views");
    }
    let after = if last < s_last { v.w(last) } else { "" };
    // An authority named after its place, perhaps as a region: "Kharkiv governor", "Belgorod regional officials",
    // "the Rostov region's governor".
    let title_at = if matches!(after, "region's" | "regional" | "oblast" | "region" | "city" | "city's" | "district") {
        last + 1
    } else {
        last
    };
    // "the building of the Mykolaiv regional administration": the authority's seat is where things happened.
    let seat_of = before[0] == "of" && matches!(before[1], "building" | "headquarters" | "office" | "offices");
    if title_at < s_last && is_authority(v.w(title_at)) && !seat_of {
        return (Role::Context, "title or authority");
    }
    // An event word outside the span (before it or after it).
    let is_trigger = |i: usize| v.class(i) & classes::TRIGGER != 0;
    let trigger = v.has(classes::TRIGGER) && ((s_first..first).any(is_trigger) || (last..s_last).any(is_trigger));
    // A unit seen or moving is an event too: a movement word and a sighting word in the sentence.
    let sighted = |c: crate::extract::events::EventClasses| v.event_classes() & c != 0;
    let trigger = trigger || (sighted(super::events::MOVEMENT) && sighted(super::events::SIGHTING));
    if capital {
        // The capital is the event's site only in a sentence with an event, after a locative word, and when
        // it neither governs a verb ("Kyiv denied", "Moscow's") nor speaks ("В Москве заявили", "a source in
        // Kyiv told"); the cheaper tests go first.
        let site = trigger
            && lexicon::LOCATIVE_BEFORE.contains(&b1)
            && b1 != "and"
            && b1 != "of"
            && !lexicon::CONTEXT_VERBS_AFTER_CAPITAL.contains(&after)
            && !text[tokens[last - 1].end..].starts_with("'s")
            && !text[tokens[last - 1].end..].starts_with("’s")
            && !(last..(last + 5).min(s_last)).any(|i| v.class(i) & classes::SPEECH != 0);
        if !site {
            return (Role::Context, "capital as government or setting");
        }
    }
    if v.has(classes::HEDGE) {
        return (Role::Context, "hedged statement");
    }
    if trigger { (Role::Incident, "event in sentence") } else { (Role::Context, NO_EVENT) }
}

/// Up to three words before a span, skipping "the": `words[0]` is the nearest, at token `at[0]`; `n` are there.
struct Before<'a> {
    words: [&'a str; 3],
    at: [usize; 3],
    n: usize,
}

impl<'a> Before<'a> {
    /// The words before the span starting at token `first` of the sentence `v`. In a list ("у Конотопі та
    /// Ромнах", "from Voronezh and Lipetsk") the words before the list, whose preposition governs it.
    fn of(v: &View<'a>, tokens: &[Token], first: usize) -> Before<'a> {
        let s_first = v.first();
        let mut b = Before { words: [""; 3], at: [0; 3], n: 0 };
        let mut j = first;
        while j > s_first && b.n < 3 {
            j -= 1;
            let x = v.w(j);
            if x == "the" {
                continue;
            }
            b.words[b.n] = x;
            b.at[b.n] = j;
            b.n += 1;
        }
        if b.n > 0 && lexicon::is_list_joiner(b.words[0]) {
            let mut j = first;
            while j > s_first && (lexicon::is_list_joiner(v.w(j - 1)) || tokens[j - 1].cap) {
                j -= 1;
            }
            if j > s_first && j < first {
                b.words[0] = v.w(j - 1);
                b.at[0] = j - 1;
                b.n = 1;
                if j - 1 > s_first {
                    b.words[1] = v.w(j - 2);
                    b.at[1] = j - 2;
                    b.n = 2;
                }
            }
        }
        b
    }
}

/// Does the place at token `first` name where a hospital the wounded were taken to is? A hospital word
/// among the four tokens before it, with only lower-case words, numbers and `№` between, that is itself a
/// sending verb ("hospitalised in") or follows "to"/"до"/"в" ("taken to hospital in", "в городскую
/// больницу №2 в"); not a hospital that is itself hit ("дрон попал в здание больницы в Сумах": the place is an
/// incident site).
fn hospital_before(v: &View, tokens: &[Token], first: usize) -> bool {
    let s_first = v.first();
    let between = |j: usize| {
        v.class(j) & classes::TRIGGER == 0 && !tokens[j].cap && (tokens[j].kind == Kind::Word || v.w(j) == "№")
    };
    let mut j = first;
    for _ in 0..4 {
        if j == s_first {
            return false;
        }
        j -= 1;
        if v.class(j) & classes::HOSPITAL != 0 {
            if v.class(j) & classes::DESTINATION != 0 {
                return true;
            }
            // "to" before the hospital word, past at most two adjectives ("до обласної лікарні", "в городскую
            // больницу", "to the regional hospital"); not past a noun ("в здание больницы").
            let mut k = j;
            for _ in 0..3 {
                if k == s_first {
                    return false;
                }
                k -= 1;
                let x = v.w(k);
                if matches!(x, "to" | "into" | "до" | "в" | "во" | "у") {
                    return true;
                }
                let adjective = matches!(x, "a" | "the" | "local" | "regional" | "city" | "central" | "district")
                    || ["ую", "юю", "ої", "ой", "ей"].iter().any(|e| x.ends_with(e));
                if !adjective || !between(k) {
                    return false;
                }
            }
            return false;
        }
        if !between(j) {
            return false;
        }
    }
    false
}

/// Words before a place that put an event near it rather than in it.
pub(super) const NEAR_BEFORE: &[&str] = &[
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
pub fn is_near(v: &View, first: usize, last: usize) -> bool {
    let (s_first, s_last) = (v.first(), v.last());
    let mut j = first;
    let mut steps = 0;
    while j > s_first && steps < 3 {
        j -= 1;
        steps += 1;
        let x = v.w(j);
        if v.class(j) & classes::NEAR != 0 || x == "from" && j > s_first && is_unit(v.w(j - 1)) {
            return true;
        }
        if is_direction(x) && steps == 2 {
            return true;
        }
        // A district of the city: "Дніпровський район Херсона", "the Leninsky district of Zaporizhzhia".
        if matches!(x, "district" | "район" | "району" | "районі") {
            return true;
        }
        if !matches!(x, "the" | "of" | "в" | "на" | "районе") {
            break;
        }
    }
    if last < s_last && v.class(last) & classes::FEATURE != 0 {
        return true;
    }
    false
}

/// Whether the words before a place (nearest first, "the" skipped) name where something came from: "from"
/// (Cyrillic з, із, с, из) with an area between ("з району", «с территории», "from the area around"), or
/// «з-під», «из-под» (from near).
fn is_origin(before: &[&str]) -> bool {
    const FROM: &[&str] = &["from", "з", "із", "зі", "с", "со", "из"];
    const AREA: &[&str] = &[
        "району",
        "района",
        "территории",
        "території",
        "стороны",
        "сторони",
        "боку",
        "area",
        "direction",
        "outskirts",
    ];
    match before {
        [b1, ..] if matches!(*b1, "з-під" | "із-під" | "из-под") => true,
        [b1, b2, ..] if AREA.contains(b1) && FROM.contains(b2) => true,
        [b1, b2, b3, ..] if matches!(*b1, "around" | "of") && AREA.contains(b2) && FROM.contains(b3) => true,
        _ => false,
    }
}

/// Authorities named after their place ("Kharkiv governor", "Belgorod officials", «Херсонська ОВА», the
/// oblast's military administration).
fn is_authority(x: &str) -> bool {
    matches!(
        x,
        "governor"
            | "governor's"
            | "mayor"
            | "authorities"
            | "officials"
            | "administration"
            | "police"
            | "prosecutors"
            | "ова"
            | "ода"
    )
}

fn is_direction(x: &str) -> bool {
    matches!(x, "north" | "south" | "east" | "west" | "northeast" | "northwest" | "southeast" | "southwest")
}

fn is_unit(x: &str) -> bool {
    matches!(
        x,
        "km" | "metres"
            | "meters"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "mile"
            | "км"
            | "кілометрів"
            | "километрах"
    )
}
