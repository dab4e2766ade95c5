//! Weapons named in a sentence, normalised to a small vocabulary (`missile`, `drone`, `bomb`, `artillery`,
//! `debris`) with the specific model kept apart (`Kalibr`, `FAB-250`, `Shahed-136`).

use compact_str::CompactString;

use std::sync::LazyLock;

use super::classes::{self, Classes, View};
use super::lexicon::Prefixes;
use super::text::fold;

/// The weapon classes `extract` reports.
pub const CLASSES: &[&str] = &["missile", "drone", "bomb", "artillery", "debris"];

/// (folded prefix, class, canonical model or "" for a generic word). Models are matched before generic words.
/// The [`classes::GENERIC_WEAPON`] bits for the weapon class at `index` in [`CLASSES`].
pub fn generic_bits(index: usize) -> Classes {
    (index as Classes + 1) << classes::GENERIC_WEAPON_SHIFT
}

/// The weapon class that the [`classes::GENERIC_WEAPON`] bits of `classes` name.
pub fn generic_of_classes(classes: Classes) -> Option<&'static str> {
    let code = ((classes & classes::GENERIC_WEAPON) >> classes::GENERIC_WEAPON_SHIFT) as usize;
    code.checked_sub(1).and_then(|k| CLASSES.get(k).copied())
}

const MODELS: &[(&str, &str, &str)] = &[
    ("kalibr", "missile", "Kalibr"),
    ("калибр", "missile", "Kalibr"),
    ("калібр", "missile", "Kalibr"),
    ("iskander", "missile", "Iskander"),
    ("искандер", "missile", "Iskander"),
    ("іскандер", "missile", "Iskander"),
    ("kinzhal", "missile", "Kinzhal"),
    ("кинжал", "missile", "Kinzhal"),
    ("кинджал", "missile", "Kinzhal"),
    ("zircon", "missile", "Zircon"),
    ("tsirkon", "missile", "Zircon"),
    ("циркон", "missile", "Zircon"),
    ("oniks", "missile", "Oniks"),
    ("оникс", "missile", "Oniks"),
    ("tochka", "missile", "Tochka-U"),
    ("точка-у", "missile", "Tochka-U"),
    ("atacms", "missile", "ATACMS"),
    ("storm", "missile", ""),
    ("neptune", "missile", "Neptune"),
    ("нептун", "missile", "Neptune"),
    ("s-300", "missile", "S-300"),
    ("с-300", "missile", "S-300"),
    ("s-400", "missile", "S-400"),
    ("с-400", "missile", "S-400"),
    ("shahed", "drone", "Shahed"),
    ("шахед", "drone", "Shahed"),
    ("geran", "drone", "Geran"),
    ("герань", "drone", "Geran"),
    ("герані", "drone", "Geran"),
    ("lancet", "drone", "Lancet"),
    ("ланцет", "drone", "Lancet"),
    ("orlan", "drone", "Orlan"),
    ("орлан", "drone", "Orlan"),
    ("uj-22", "drone", "UJ-22"),
    ("лютый", "drone", "Liutyi"),
    ("лютий", "drone", "Liutyi"),
    ("liutyi", "drone", "Liutyi"),
    ("fab-", "bomb", ""),
    ("фаб-", "bomb", ""),
    ("ofab", "bomb", ""),
    ("офаб", "bomb", ""),
    ("kab-", "bomb", ""),
    ("каб-", "bomb", ""),
    ("umpk", "bomb", "UMPK"),
    ("умпк", "bomb", "UMPK"),
    ("grad", "artillery", "Grad"),
    ("град", "artillery", "Grad"),
    ("vampire", "artillery", "Vampire"),
    ("вампир", "artillery", "Vampire"),
    ("himars", "artillery", "HIMARS"),
    ("хаймарс", "artillery", "HIMARS"),
    ("uragan", "artillery", "Uragan"),
    ("smerch", "artillery", "Smerch"),
    ("tornado", "artillery", "Tornado-S"),
];

/// Generic words: (folded prefix, class).
const GENERIC: &[(&str, &str)] = &[
    ("debris", "debris"),
    ("wreckage", "debris"),
    ("fragments", "debris"),
    ("обломк", "debris"),
    ("обломок", "debris"),
    ("уламк", "debris"),
    ("уламок", "debris"),
    ("фрагмент", "debris"),
    ("осколк", "debris"),
    ("missile", "missile"),
    ("rocket", "missile"),
    ("ракет", "missile"),
    ("drone", "drone"),
    ("uav", "drone"),
    ("unmanned", "drone"),
    ("беспилотн", "drone"),
    ("бпла", "drone"),
    ("дрон", "drone"),
    ("безпілотн", "drone"),
    ("glide", "bomb"),
    ("bomb", "bomb"),
    ("munition", "bomb"),
    ("бомб", "bomb"),
    ("боеприпас", "bomb"),
    ("боєприпас", "bomb"),
    ("авиабомб", "bomb"),
    ("авіабомб", "bomb"),
    ("artillery", "artillery"),
    ("shell", "artillery"),
    ("mortar", "artillery"),
    ("mlrs", "artillery"),
    ("howitzer", "artillery"),
    ("артиллер", "artillery"),
    ("артилер", "artillery"),
    ("снаряд", "artillery"),
    ("миномет", "artillery"),
    ("мінометн", "artillery"),
    ("міномет", "artillery"),
    ("обстрел", "artillery"),
    ("обстріл", "artillery"),
    ("кабів", "bomb"),
    ("кабами", "bomb"),
    ("рсзо", "artillery"),
];

/// Every prefix of MODELS and GENERIC (and the Kh- missile prefixes), for a one-pass check per word.
static ANY_WEAPON: LazyLock<Prefixes> = LazyLock::new(|| {
    let stems: Vec<&str> = MODELS.iter().map(|m| m.0).chain(GENERIC.iter().map(|g| g.0)).chain(["kh-", "х-"]).collect();
    Prefixes::new(&stems)
});

/// The prefixes of [`MODELS`] and of [`GENERIC`], in list order, to find the first entry a word starts with.
static MODEL_PREFIXES: LazyLock<Prefixes> =
    LazyLock::new(|| Prefixes::new(&MODELS.iter().map(|m| m.0).collect::<Vec<_>>()));
static GENERIC_PREFIXES: LazyLock<Prefixes> =
    LazyLock::new(|| Prefixes::new(&GENERIC.iter().map(|g| g.0).collect::<Vec<_>>()));

/// Can the folded word name a weapon (it starts like a model or a weapon word)?
pub(super) fn is_weapon_word(w: &str) -> bool {
    ANY_WEAPON.matches(w) || last_part(w).is_some_and(|p| GENERIC_PREFIXES.first(p).is_some())
}

/// The part after the last hyphen of a compound whose head comes last ("fpv-дрон", "FPV-drone").
fn last_part(w: &str) -> Option<&str> {
    w.rsplit_once('-').map(|(_, last)| last).filter(|l| !l.is_empty())
}

/// What [`choose`] asks of a folded word, as word classes ([`classes::WEAPON_MODEL`],
/// [`classes::GENERIC_WEAPON`]), for [`words::classify`]: a sentence's words then need no prefix search.
pub(super) fn word_classes(w: &str) -> classes::Classes {
    let mut c = 0;
    if may_name_model(w) {
        c |= classes::WEAPON_MODEL;
    }
    if let Some(class) = generic_class(w) {
        let index = CLASSES.iter().position(|k| *k == class).unwrap_or_else(|| unreachable!("{class} is listed"));
        c |= generic_bits(index);
    }
    c
}

/// Can the folded word name a model: does a [`MODELS`] prefix, or a Kh- prefix, start it?
fn may_name_model(w: &str) -> bool {
    MODEL_PREFIXES.first(w).is_some() || w.starts_with("kh-") || w.starts_with("х-")
}

/// The class of the first [`GENERIC`] entry the folded word starts with.
fn generic_class(w: &str) -> Option<&'static str> {
    GENERIC_PREFIXES.first(w).or_else(|| last_part(w).and_then(|p| GENERIC_PREFIXES.first(p))).map(|k| GENERIC[k].1)
}

/// The weapon a sentence names: (class, model). A named model wins over generic words; among generic words
/// "debris" wins (the thing that fell was wreckage), then the first one written.
pub fn find(words: &[&str]) -> Option<(&'static str, Option<CompactString>)> {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let folded: Vec<&str> = folded.iter().map(String::as_str).collect();
    find_folded(&folded)
}

/// The weapon class (`missile`, `drone`, `bomb`, `artillery`, `debris`) a table's weapon cell names, as the
/// geoparser reads it in a sentence: "fpv-дрон" and "Shahed" are drones, "glide bomb" and "FAB-500" bombs,
/// "drone debris" debris. `None` when the words name no weapon the lexicon knows.
///
/// ```
/// use incimap::extract::weapons::class_of;
/// assert_eq!(class_of("Glide bomb"), Some("bomb"));
/// assert_eq!(class_of("tractor"), None);
/// ```
pub fn class_of(text: &str) -> Option<&'static str> {
    // Most tables write the class itself: no need to read it as a sentence.
    if let Some(class) = CLASSES.iter().find(|c| c.eq_ignore_ascii_case(text.trim())) {
        return Some(class);
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '/' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    find(&words).map(|(class, _)| class)
}

/// [`find`] on words already folded with [`super::text::fold`].
pub fn find_folded(folded: &[&str]) -> Option<(&'static str, Option<CompactString>)> {
    // Weapon words are rare: find them in one pass, then look at them closely.
    let weapon_words: Vec<usize> = (0..folded.len()).filter(|&i| is_weapon_word(folded[i])).collect();
    choose(
        weapon_words.iter().copied(),
        |i| folded.get(i).copied(),
        |i| may_name_model(folded[i]),
        |i| generic_class(folded[i]),
    )
}

/// [`find`] on a sentence whose words are classified already: only its [`classes::WEAPON`] words are looked at.
pub fn find_in(view: &View) -> Option<(&'static str, Option<CompactString>)> {
    if !view.has(classes::WEAPON) {
        return None;
    }
    choose(
        view.with_class(classes::WEAPON),
        |i| (i < view.last()).then(|| view.w(i)),
        |i| view.class(i) & classes::WEAPON_MODEL != 0,
        |i| generic_of_classes(view.class(i)),
    )
}

/// The weapon named by the words at `weapon_words` (those that start like a weapon), `word(i)` giving the
/// folded word `i` of the sentence, `may_name_model(i)` and `generic_class(i)` what [`may_name_model`] and
/// [`generic_class`] say of it.
fn choose<'w>(
    weapon_words: impl Iterator<Item = usize> + Clone,
    word: impl Fn(usize) -> Option<&'w str>,
    may_name_model: impl Fn(usize) -> bool,
    generic_class: impl Fn(usize) -> Option<&'static str>,
) -> Option<(&'static str, Option<CompactString>)> {
    for i in weapon_words.clone().filter(|&i| may_name_model(i)) {
        let w = word(i).unwrap_or_default();
        // Entries before the first one the word starts with cannot match: start there.
        let from = MODEL_PREFIXES.first(w).unwrap_or(MODELS.len());
        for (prefix, class, model) in &MODELS[from..] {
            if w.starts_with(prefix) {
                if *prefix == "storm" && word(i + 1).is_none_or(|n| n != "shadow") {
                    continue;
                }
                let model = if *prefix == "storm" {
                    CompactString::const_new("Storm Shadow")
                } else if model.is_empty() {
                    CompactString::from(latin_model(w))
                } else {
                    CompactString::const_new(model)
                };
                return Some((class, Some(model)));
            }
        }
        // Kh-101, Х-101: a missile model.
        if (w.starts_with("kh-") || w.starts_with("х-")) && w.chars().any(|c| c.is_ascii_digit()) {
            let model = compact_str::format_compact!("Kh-{}", w.split('-').nth(1).unwrap_or(""));
            return Some(("missile", Some(model)));
        }
    }
    // Only the first entry a word starts with counts: the debris words lead the list, so a word whose first
    // entry is not debris matches no debris entry, and no entry after "shell" matches a word "shell" starts
    // (both checked by the tests).
    let mut first: Option<&'static str> = None;
    for i in weapon_words {
        let Some(class) = generic_class(i) else { continue };
        let w = word(i).unwrap_or_default();
        if class == "debris" {
            return Some(("debris", None));
        }
        if w.starts_with("shell") && !matches!(w, "shell" | "shells" | "shelled") && !w.starts_with("shelling") {
            continue;
        }
        first.get_or_insert(class);
    }
    first.map(|c| (c, None))
}

/// Bomb designations in Latin letters: ФАБ-250 → FAB-250, КАБ-500 → KAB-500.
fn latin_model(word: &str) -> String {
    word.to_uppercase().replace("ОФАБ", "OFAB").replace("ФАБ", "FAB").replace("КАБ", "KAB")
}

#[cfg(test)]
mod tests {
    use super::{GENERIC, find};

    /// What lets `choose` stop at a word's first generic entry.
    #[test]
    fn debris_words_lead_the_generic_list_and_nothing_after_shell_matches_its_words() {
        let last_debris = GENERIC.iter().rposition(|g| g.1 == "debris").unwrap_or(0);
        let first_other = GENERIC.iter().position(|g| g.1 != "debris").unwrap_or(GENERIC.len());
        assert!(last_debris < first_other, "a debris entry follows another class");
        let shell = GENERIC.iter().position(|g| g.0 == "shell").expect("shell is listed");
        for (p, _) in &GENERIC[shell + 1..] {
            assert!(!"shell".starts_with(p) && !p.starts_with("shell"), "{p:?} could match a word starting shell");
        }
        assert_eq!(find(&["shellfish", "missile"]), Some(("missile", None)));
        assert_eq!(find(&["missile", "wreckage"]), Some(("debris", None)));
    }

    /// The word classes `find_in` reads say what the prefix searches say.
    #[test]
    fn weapon_word_classes_are_the_prefix_searches() {
        use super::{
            CLASSES, GENERIC, MODELS, classes, generic_class, generic_of_classes, may_name_model, word_classes,
        };
        use crate::extract::words;
        for (g, class) in GENERIC {
            assert!(CLASSES.contains(class), "{class}");
            let _ = g;
        }
        let mut samples: Vec<String> = vec!["kh-101".into(), "х-59".into(), "storm".into(), "shellfish".into()];
        for stem in MODELS.iter().map(|m| m.0).chain(GENERIC.iter().map(|g| g.0)) {
            samples.extend([
                stem.to_string(),
                format!("{stem}s"),
                format!("{stem}ами"),
                stem.chars().skip(1).collect(),
            ]);
        }
        for w in &samples {
            let c = word_classes(w);
            assert_eq!(c & classes::WEAPON_MODEL != 0, may_name_model(w), "{w}");
            assert_eq!(generic_of_classes(c), generic_class(w), "{w}");
            assert_eq!(words::of(w) & (classes::WEAPON_MODEL | classes::GENERIC_WEAPON), c, "{w}");
        }
    }

    #[test]
    fn models_and_classes() {
        assert_eq!(find(&["a", "Kalibr", "missile"]), Some(("missile", Some("Kalibr".into()))));
        assert_eq!(find(&["the", "FAB-250", "munition"]), Some(("bomb", Some("FAB-250".into()))));
        assert_eq!(find(&["ракета", "Х-101"]), Some(("missile", Some("Kh-101".into()))));
        assert_eq!(find(&["обломки", "беспилотника"]), Some(("debris", None)));
        assert_eq!(find(&["from", "artillery", ",", "rockets"]), Some(("artillery", None)));
        assert_eq!(find(&["drones", "were", "shot", "down"]), Some(("drone", None)));
        assert_eq!(find(&["nothing", "here"]), None);
        // a compound's head comes last: an FPV drone is a drone
        assert_eq!(find(&["FPV-дрон", "атаковал"]), Some(("drone", None)));
        assert_eq!(find(&["an", "FPV-drone"]), Some(("drone", None)));
    }
}
