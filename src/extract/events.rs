//! What kind of event a sentence reports: the event lexicon (`lexicon/en.tsv`, `ru.tsv`, `uk.tsv`: every entry
//! with its class and a reason) and the rule that turns a sentence's event words and weapon into an
//! [`EventType`].
//!
//! Words are matched whole (`word`) or as stems (`stem`: any word that starts with it), with exceptions (`not`:
//! "shellfish" is no shelling); so "camera" is no "came", "downtown" no "down" and "landmark" no "land".
//!
//! ```
//! use incimap::extract::events::{self, EventType};
//! let lex = events::lexicon();
//! assert_ne!(lex.classes_of("shelled") & events::SHELLING, 0);
//! assert_eq!(lex.classes_of("camera"), 0);
//! assert_eq!(events::event_type(lex.classes_of("обстрел") | lex.classes_of("поврежден"), None), EventType::Shelling);
//! ```

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

/// The kind of event an incident is. ACLED's nearest sub-event types are given in the README's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// A missile, drone or bomb hit a place.
    AirStrike,
    /// Artillery, mortar or rocket-launcher fire.
    Shelling,
    /// A drone, aircraft or missile fell, debris fell, or a bomb was dropped by accident.
    Crash,
    /// Air defence engaged: drones or missiles shot down over a place.
    Interception,
    /// Fighting, assaults, advances.
    GroundFighting,
    /// Columns, equipment or troops seen or moving.
    Movement,
    /// Damage, fire or an explosion without a named cause.
    Damage,
    /// An event of no kind the lexicon tells (casualties, an evacuation, an incident).
    Other,
}

impl EventType {
    /// Every type, in the order of the contract's list.
    pub const ALL: [EventType; 8] = [
        EventType::AirStrike,
        EventType::Shelling,
        EventType::Crash,
        EventType::Interception,
        EventType::GroundFighting,
        EventType::Movement,
        EventType::Damage,
        EventType::Other,
    ];

    /// The word used in outputs: `air_strike`, `shelling`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::AirStrike => "air_strike",
            EventType::Shelling => "shelling",
            EventType::Crash => "crash",
            EventType::Interception => "interception",
            EventType::GroundFighting => "ground_fighting",
            EventType::Movement => "movement",
            EventType::Damage => "damage",
            EventType::Other => "other",
        }
    }

    /// The type named `s` (as [`EventType::as_str`] writes it).
    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }
}

/// The event classes of a word (or-ed).
pub type EventClasses = u16;
/// A strike: hit, struck, attack, удар, влучання.
pub const AIR_STRIKE: EventClasses = 1;
/// Shelling: shelled, artillery, обстрел.
pub const SHELLING: EventClasses = 1 << 1;
/// A fall: fell, debris, crash, упал, уламки.
pub const CRASH: EventClasses = 1 << 2;
/// An interception: intercepted, shot down, сбит, збито.
pub const INTERCEPTION: EventClasses = 1 << 3;
/// Ground fighting: fighting, assault, advanced, бои, штурм.
pub const GROUND_FIGHTING: EventClasses = 1 << 4;
/// A military unit or its vehicles: column, tanks, troops, техника.
pub const MOVEMENT: EventClasses = 1 << 5;
/// Seen or moving: spotted, moving, замечен, рухається. With a [`MOVEMENT`] word, a movement event.
pub const SIGHTING: EventClasses = 1 << 6;
/// Damage, fire, explosion: damaged, fire, взрыв, пожежа.
pub const DAMAGE: EventClasses = 1 << 7;
/// Casualties: killed, wounded, погибли.
pub const CASUALTY: EventClasses = 1 << 8;
/// Accidental: turns a drop into a crash (нештатный сброс).
pub const ACCIDENTAL: EventClasses = 1 << 9;
/// An event word of no kind of its own: a weapon at a place, an incident, an evacuation.
pub const EVENT: EventClasses = 1 << 10;
/// No event: a word that, beside a name, makes it a named thing rather than a settlement: a street
/// ("Kharkiv highway"), a park ("Gorky Park"), a military unit ("Azov regiment"), "named after" ("імені").
pub const FACILITY: EventClasses = 1 << 11;

/// The classes that make a word report an event on its own (a movement word needs a sighting word).
pub const REPORTS_EVENT: EventClasses =
    AIR_STRIKE | SHELLING | CRASH | INTERCEPTION | GROUND_FIGHTING | DAMAGE | CASUALTY | EVENT;

/// The event lexicon, read from the three language files.
#[derive(Debug, Default)]
pub struct EventLexicon {
    words: HashMap<String, EventClasses>,
    stems: HashMap<String, EventClasses>,
    exceptions: HashMap<String, EventClasses>,
    /// Longest stem, in characters.
    longest_stem: usize,
}

/// The language files, in the binary.
const FILES: [(&str, &str); 3] = [
    ("en.tsv", include_str!("lexicon/en.tsv")),
    ("ru.tsv", include_str!("lexicon/ru.tsv")),
    ("uk.tsv", include_str!("lexicon/uk.tsv")),
];

fn class_named(name: &str) -> Option<EventClasses> {
    Some(match name {
        "air_strike" => AIR_STRIKE,
        "shelling" => SHELLING,
        "crash" => CRASH,
        "interception" => INTERCEPTION,
        "ground_fighting" => GROUND_FIGHTING,
        "movement" => MOVEMENT,
        "sighting" => SIGHTING,
        "damage" => DAMAGE,
        "casualty" => CASUALTY,
        "accidental" => ACCIDENTAL,
        "event" => EVENT,
        "facility" => FACILITY,
        _ => return None,
    })
}

impl EventLexicon {
    /// Read a lexicon from files of `form<TAB>match<TAB>class<TAB>reason` lines (`#` starts a comment).
    pub fn parse(files: &[(&str, &str)]) -> Result<EventLexicon, String> {
        let mut lex = EventLexicon::default();
        for (name, text) in files {
            for (n, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let cols: Vec<&str> = line.split('\t').collect();
                let bad = |why: &str| format!("{name}:{}: {why}", n + 1);
                let (form, how, class) = match cols.as_slice() {
                    [f, h, c, ..] => (f.trim(), h.trim(), c.trim()),
                    _ => return Err(bad("wants form, match and class, separated by tabs")),
                };
                let class = class_named(class).ok_or_else(|| bad(&format!("unknown class {class:?}")))?;
                if form.is_empty() || form != form.to_lowercase() {
                    return Err(bad("a form is a folded (lower-case) word"));
                }
                let table = match how {
                    "word" => &mut lex.words,
                    "stem" if form.chars().count() >= 3 => &mut lex.stems,
                    "stem" => return Err(bad("a stem has at least three letters")),
                    "not" => &mut lex.exceptions,
                    _ => return Err(bad(&format!("unknown match {how:?} (word, stem or not)"))),
                };
                *table.entry(form.to_string()).or_default() |= class;
            }
        }
        lex.longest_stem = lex.stems.keys().map(|s| s.chars().count()).max().unwrap_or(0);
        Ok(lex)
    }

    /// The event classes of a folded word: its own entry's, and its stems' unless it is an exception to them.
    pub fn classes_of(&self, word: &str) -> EventClasses {
        let mut c = self.words.get(word).copied().unwrap_or(0);
        let excepted = self.exceptions.get(word).copied().unwrap_or(0);
        for (chars, (at, ch)) in word.char_indices().enumerate() {
            if chars >= self.longest_stem {
                break;
            }
            if chars >= 2
                && let Some(&s) = self.stems.get(&word[..at + ch.len_utf8()])
            {
                c |= s & !excepted;
            }
        }
        c
    }
}

/// The lexicon of the three language files (checked by a test: a malformed line fails it).
pub fn lexicon() -> &'static EventLexicon {
    static LEXICON: LazyLock<EventLexicon> = LazyLock::new(|| EventLexicon::parse(&FILES).unwrap_or_default());
    &LEXICON
}

/// The kind of event a sentence reports, from the event classes of its words (or-ed) and the weapon it names.
/// In order: a fall (crash), unless shells fell; an interception; shelling (or an artillery weapon); an
/// accidental drop (crash); a strike (or a missile, drone or bomb named with an event word); ground fighting; a
/// unit seen or moving; damage; anything else.
pub fn event_type(classes: EventClasses, weapon: Option<&str>) -> EventType {
    let has = |c: EventClasses| classes & c != 0;
    let artillery = has(SHELLING) || weapon == Some("artillery");
    if (has(CRASH) && !artillery) || weapon == Some("debris") {
        EventType::Crash
    } else if has(INTERCEPTION) {
        EventType::Interception
    } else if artillery {
        EventType::Shelling
    } else if has(ACCIDENTAL) && has(AIR_STRIKE) {
        EventType::Crash
    } else if has(AIR_STRIKE) || (has(EVENT | DAMAGE) && matches!(weapon, Some("missile" | "drone" | "bomb"))) {
        EventType::AirStrike
    } else if has(GROUND_FIGHTING) {
        EventType::GroundFighting
    } else if has(MOVEMENT) && has(SIGHTING) {
        EventType::Movement
    } else if has(DAMAGE) {
        EventType::Damage
    } else {
        EventType::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_files_read_without_error() {
        let lex = EventLexicon::parse(&FILES).expect("the lexicon files are well formed");
        assert!(lex.words.len() > 50 && lex.stems.len() > 100, "{} words, {} stems", lex.words.len(), lex.stems.len());
    }

    /// Words that hold a cue word without being one (the prefix matching this lexicon replaced took them).
    #[test]
    fn words_that_contain_cue_words_are_not_cues() {
        let lex = lexicon();
        for word in
            ["camera", "came", "downtown", "landmark", "landscape", "deadline", "history", "shellfish", "fireworks"]
        {
            let c = lex.classes_of(word);
            let expected_event = matches!(word, "came");
            assert_eq!(c & REPORTS_EVENT != 0, expected_event, "{word}: {c:b}");
        }
        for word in ["shelled", "struck", "downed", "intercepted", "landed", "fell", "debris", "ударили", "обстріляли"]
        {
            assert_ne!(lex.classes_of(word) & REPORTS_EVENT, 0, "{word}");
        }
    }

    /// Sentences of our own, by the classes of their words and their weapon.
    #[test]
    fn sentences_get_their_event_type() {
        let lex = lexicon();
        let of = |words: &str| words.split(' ').fold(0, |c, w| c | lex.classes_of(w));
        for (words, weapon, expected) in [
            ("debris of a downed drone fell on a house", Some("debris"), EventType::Crash),
            ("air defence shot down two drones over the city", Some("drone"), EventType::Interception),
            ("shells fell on a school", Some("artillery"), EventType::Shelling),
            ("a missile hit an apartment block", Some("missile"), EventType::AirStrike),
            ("a drone attacked a car", Some("drone"), EventType::AirStrike),
            ("an aircraft dropped a bomb by accidental release", Some("bomb"), EventType::Crash),
            ("fighting continued around the village", None, EventType::GroundFighting),
            ("a column of tanks was spotted moving north", None, EventType::Movement),
            ("a fire broke out at the depot after an explosion", None, EventType::Damage),
            ("two people were killed", None, EventType::Other),
            ("над посёлком сбиты беспилотники", Some("drone"), EventType::Interception),
            ("колонна техники движется к границе", None, EventType::Movement),
            ("росіяни обстріляли село з мінометів", Some("artillery"), EventType::Shelling),
            ("уламки ракети впали у поле", Some("debris"), EventType::Crash),
        ] {
            assert_eq!(event_type(of(words), weapon), expected, "{words}");
        }
        // tanks seen standing are a movement only with a word that says they were seen or moving
        assert_eq!(event_type(of("tanks in a field"), None), EventType::Other);
    }

    #[test]
    fn malformed_lines_are_refused_with_their_place() {
        for (text, what) in [
            ("fell\tword\n", "wants form"),
            ("fell\tword\tfalling\n", "unknown class"),
            ("Fell\tword\tcrash\n", "lower-case"),
            ("fe\tstem\tcrash\n", "three letters"),
            ("fell\tprefix\tcrash\n", "unknown match"),
        ] {
            let err = EventLexicon::parse(&[("x.tsv", text)]).unwrap_err();
            assert!(err.starts_with("x.tsv:1: ") && err.contains(what), "{err}");
        }
    }

    #[test]
    fn types_print_and_parse_back() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("strike"), None);
    }
}
