//! What kind of event a sentence reports: the event lexicon (`lexicon/en.tsv`, `ru.tsv`, `uk.tsv`: every entry
//! with its class and a reason) and the rule that turns a sentence's event words and weapon into an
//! [`EventType`].
//!
//! Words are matched whole (`word`) or as stems (`stem`: any word that starts with it), with exceptions (`not`: a
//! word that starts with it loses what shorter stems gave it; "shellfish" is no shelling, «ударных» no strike); so
//! "camera" is no "came", "downtown" no "down" and "landmark" no "land".
//!
//! ```
//! use incimap::extract::events::{self, EventType};
//! let lex = events::lexicon();
//! assert_ne!(lex.classes_of("shelled") & events::SHELLING, 0);
//! assert_eq!(lex.classes_of("camera"), 0);
//! assert_eq!(events::event_type(lex.classes_of("обстрел") | lex.classes_of("поврежден"), None, false), EventType::Shelling);
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
pub type EventClasses = u32;
/// A strike: hit, struck, удар, влучання.
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
/// An attack (attack, атака): a strike with an air weapon, shelling with artillery, ground fighting by
/// [`GROUND`] forces (and a strike when nothing says which).
pub const ATTACK: EventClasses = 1 << 12;
/// Troops or positions (infantry, positions, пехота, бійці): an attack by them or on them is ground fighting.
pub const GROUND: EventClasses = 1 << 13;
/// "over", «над» before a place: a drone or missile destroyed over it was intercepted.
pub const ABOVE: EventClasses = 1 << 14;
/// Repelled (repel, отражена, відбито): an interception of drones or missiles, else ground fighting.
pub const REPELLED: EventClasses = 1 << 15;
/// No event: after a name only, makes it a named thing rather than a settlement: a pipeline or a river
/// ("Druzhba pipeline", "Irpin river"), and a district adjective before a front's direction («Покровский
/// напрямок» is no district). The English "Bakhmut direction" names the town: analysts place fighting there
/// near it.
pub const FACILITY_AFTER: EventClasses = 1 << 16;
/// No event: a power plant after a name. A plant stands at the town it is named after ("Enerhodar NPP"),
/// unless the name is its region's seat, when the region is meant ("Kursk NPP" is at Kurchatov, "Zaporizhzhia
/// NPP" at Enerhodar): such a name is then no settlement.
pub const PLANT: EventClasses = 1 << 17;

/// The classes that make a word report an event on its own (a movement word needs a sighting word).
pub const REPORTS_EVENT: EventClasses =
    AIR_STRIKE | SHELLING | CRASH | INTERCEPTION | GROUND_FIGHTING | DAMAGE | CASUALTY | EVENT | ATTACK | REPELLED;

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
        "attack" => ATTACK,
        "ground" => GROUND,
        "above" => ABOVE,
        "repelled" => REPELLED,
        "facility_after" => FACILITY_AFTER,
        "plant" => PLANT,
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
        lex.longest_stem = lex.stems.keys().chain(lex.exceptions.keys()).map(|s| s.chars().count()).max().unwrap_or(0);
        Ok(lex)
    }

    /// The event classes of a folded word: its own entry's, and those of the stems it starts with, less what an
    /// exception it starts with takes from the stems shorter than itself ("ударн" from "удар": ударных).
    pub fn classes_of(&self, word: &str) -> EventClasses {
        let whole = self.words.get(word).copied().unwrap_or(0);
        let mut from_stems = 0;
        for (chars, (at, ch)) in word.char_indices().enumerate() {
            if chars >= self.longest_stem {
                break;
            }
            if chars >= 2 {
                let prefix = &word[..at + ch.len_utf8()];
                if let Some(&e) = self.exceptions.get(prefix) {
                    from_stems &= !e;
                }
                if let Some(&s) = self.stems.get(prefix) {
                    from_stems |= s;
                }
            }
        }
        whole | from_stems
    }
}

/// The lexicon of the three language files (checked by a test: a malformed line fails it).
pub fn lexicon() -> &'static EventLexicon {
    static LEXICON: LazyLock<EventLexicon> = LazyLock::new(|| EventLexicon::parse(&FILES).unwrap_or_default());
    &LEXICON
}

/// The kind of event the words nearest a place report, from their event classes (or-ed), the weapon they
/// name, and whether the place was named as the sky a weapon was over ("over Belgorod", «над Белгородом»).
///
/// In order: a fall (crash), unless shells fell; an interception (or drones or missiles repelled, or a weapon
/// there or something destroyed over the place, with no strike); shelling (or an artillery weapon); an accidental drop (crash); a unit seen or moving
/// (when nothing struck); a strike, or an attack with an air weapon or by no one named; ground fighting (an
/// attack by troops, anything repelled); a missile, drone or bomb with an event word (a strike); damage;
/// anything else.
pub fn event_type(classes: EventClasses, weapon: Option<&str>, above: bool) -> EventType {
    let has = |c: EventClasses| classes & c != 0;
    let air_weapon = matches!(weapon, Some("missile" | "drone" | "bomb"));
    let artillery = has(SHELLING) || weapon == Some("artillery");
    let struck = has(AIR_STRIKE | ATTACK);
    if (has(CRASH) && !artillery) || weapon == Some("debris") {
        EventType::Crash
    } else if has(INTERCEPTION) || (has(REPELLED) && air_weapon) || (above && !struck && (air_weapon || has(DAMAGE))) {
        EventType::Interception
    } else if artillery {
        EventType::Shelling
    } else if has(ACCIDENTAL) && has(AIR_STRIKE) {
        EventType::Crash
    } else if has(MOVEMENT) && has(SIGHTING) && !struck {
        EventType::Movement
    } else if has(AIR_STRIKE) || (has(ATTACK) && (air_weapon || !has(GROUND | GROUND_FIGHTING | REPELLED))) {
        EventType::AirStrike
    } else if has(GROUND_FIGHTING | ATTACK | REPELLED) {
        EventType::GroundFighting
    } else if has(EVENT | DAMAGE) && air_weapon {
        EventType::AirStrike
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
            ("infantry attacked positions on the edge of the town", None, EventType::GroundFighting),
            ("wagner fighters press attacks on the town", None, EventType::GroundFighting),
            ("russia attacked the city overnight", None, EventType::AirStrike),
            ("атаки противника отбиты", None, EventType::GroundFighting),
            ("отражена атака беспилотников", Some("drone"), EventType::Interception),
            ("reconnaissance drones spotted tanks moving toward the front", Some("drone"), EventType::Movement),
            ("a drone hit a column moving along the road", Some("drone"), EventType::AirStrike),
        ] {
            assert_eq!(event_type(of(words), weapon, false), expected, "{words}");
        }
        // tanks seen standing are a movement only with a word that says they were seen or moving
        assert_eq!(event_type(of("tanks in a field"), None, false), EventType::Other);
        // drones over a place, destroyed or just there, were intercepted; drones that struck it were not
        assert_eq!(event_type(of("two drones were destroyed over"), Some("drone"), true), EventType::Interception);
        assert_eq!(event_type(of("знищено дрони над"), Some("drone"), true), EventType::Interception);
        assert_eq!(event_type(of("a drone struck a house over"), Some("drone"), true), EventType::AirStrike);
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
