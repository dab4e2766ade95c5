//! Undoing Russian and Ukrainian case endings on place names, text side: `Белгороде` → `Белгород`,
//! `Петропавловке` → `Петропавловка`, `Рубежном` → `Рубежное`, `Харкові` → `Харків`.
//!
//! The recogniser asks the gazetteer about each candidate in order and keeps the first that exists, so
//! over-generation is cheap and safe; the guess list is ordered from the most to the least likely reading.

/// (ending, replacements) for nouns and adjectival names; the longest matching ending is tried first.
const RULES: &[(&str, &[&str])] = &[
    // adjectival names (Павловская, Рубежное, Красный Лиман, Бахмутский)
    ("ской", &["ская", "ский", "ское"]),
    ("ского", &["ский", "ское", "ськ"]),
    ("скому", &["ский", "ское"]),
    ("ском", &["ский", "ское", "ск"]),
    ("скую", &["ская"]),
    ("цкой", &["цкая", "цкий"]),
    ("ській", &["ська", "ський"]),
    ("ської", &["ська"]),
    ("ську", &["ська", "ськ"]),
    ("ського", &["ський", "ське"]),
    ("ському", &["ський", "ське", "ськ"]),
    ("ого", &["ое", "ый", "ий", "ой", "о"]),
    ("его", &["ее", "ий", "е"]),
    ("ому", &["ое", "ый", "ий"]),
    ("ему", &["ее", "ий"]),
    ("ной", &["ная", "ный", "ной"]),
    ("ным", &["ное", "ный", "ная"]),
    ("ым", &["ое", "ый"]),
    ("им", &["ое", "ий", "е"]),
    ("ном", &["ное", "ный", "н", "на", "ен"]),
    ("ним", &["не", "ний"]),
    ("ому", &["ое", "ий"]),
    ("ій", &["а", "ий", "я"]),
    ("ці", &["ка", "ця"]),
    ("зі", &["га"]),
    ("сі", &["ха"]),
    ("ої", &["а"]),
    ("ий", &["ий"]),
    ("ом", &["", "о", "ое", "а"]),
    ("ем", &["", "е", "ь", "о"]),
    ("ой", &["а", "ая", "ое"]),
    ("ей", &["я", "ь", "ее"]),
    ("ою", &["а"]),
    ("ах", &["ы", "и", "а"]),
    ("ях", &["и", "я"]),
    ("ами", &["ы", "и"]),
    ("ам", &["ы", "и"]),
    ("ів", &["и", "і"]),
    ("ов", &["ы", "и"]),
    ("е", &["", "а", "я", "о", "ь", "е"]),
    ("у", &["", "а", "о", "е"]),
    ("ю", &["я", "ь", "й"]),
    ("а", &["", "о", "ь", "й", "е"]),
    ("я", &["ь", "й", "е", "ья", "ье"]),
    ("ы", &["а", ""]),
    ("и", &["а", "ь", "я", "ы", "и"]),
    ("і", &["", "а", "я", "ь"]),
    ("ї", &["я"]),
    ("ь", &["ь"]),
];

/// Nominative guesses for a capitalised Cyrillic word (as written, capitalisation kept), most likely first.
/// Words of three letters or fewer are left alone: their endings are the word.
pub fn nominatives(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 3 {
        return Vec::new();
    }
    let lower: String = word.to_lowercase();
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if s.chars().count() >= 3 && s != word && !out.contains(&s) {
            out.push(s);
        }
    };
    // Longest ending first.
    let mut rules: Vec<&(&str, &[&str])> = RULES.iter().filter(|(e, _)| lower.ends_with(e)).collect();
    rules.sort_by_key(|(e, _)| std::cmp::Reverse(e.chars().count()));
    for (ending, reps) in rules {
        let stem_len = word.len() - ending_byte_len(word, ending.chars().count());
        let stem = &word[..stem_len];
        for r in reps.iter() {
            push(format!("{stem}{r}"));
            // Ukrainian closes o/e to і in the nominative's last syllable: Харкова → Харків, Києва → Київ.
            if r.is_empty()
                && let Some(alt) = ukrainian_closed_syllable(stem)
            {
                push(alt);
            }
        }
        // Fleeting vowels: Орла → Орёл is rare in this domain, but Сум (gen. pl.) → Суми/Сумы matters.
    }
    out
}

fn ending_byte_len(word: &str, chars: usize) -> usize {
    word.chars().rev().take(chars).map(char::len_utf8).sum()
}

fn ukrainian_closed_syllable(stem: &str) -> Option<String> {
    let chars: Vec<char> = stem.chars().collect();
    let n = chars.len();
    if n < 3 {
        return None;
    }
    let (v, c) = (chars[n - 2], chars[n - 1]);
    if !"бвгґджзклмнпрстфхцчшщ".contains(c) {
        return None;
    }
    let repl = match v {
        'о' | 'е' => 'і',
        'є' => 'ї',
        _ => return None,
    };
    let mut s: String = chars[..n - 2].iter().collect();
    s.push(repl);
    s.push(c);
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::nominatives;

    #[test]
    fn common_case_forms_yield_the_nominative() {
        let cases = [
            ("Белгороде", "Белгород"),
            ("Петропавловке", "Петропавловка"),
            ("Рубежном", "Рубежное"),
            ("Павловской", "Павловская"),
            ("Харкові", "Харків"),
            ("Харкова", "Харків"),
            ("Києві", "Київ"),
            ("Курска", "Курск"),
            ("Москве", "Москва"),
            ("Вовчанську", "Вовчанськ"),
            ("Сумах", "Сумы"),
        ];
        for (form, nom) in cases {
            assert!(nominatives(form).iter().any(|c| c == nom), "{form} -> {:?}", nominatives(form));
        }
    }
}
