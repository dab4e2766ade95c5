//! Latin forms of Cyrillic place names, for places whose source gives only Cyrillic (GeoNames' postal-code
//! places): BGN/PCGN for Russian and Belarusian-Russian names, the Ukrainian national system (2010) for
//! Ukrainian ones, both without the apostrophes news spellings drop (Тёткино → Tyotkino, Глушково →
//! Glushkovo, Хомутівка → Khomutivka).
//!
//! ```
//! use incimap::names::romanize::{romanize, Script};
//! assert_eq!(romanize("Тёткино", Script::Russian), "Tyotkino");
//! assert_eq!(romanize("Новая Таволжанка", Script::Russian), "Novaya Tavolzhanka");
//! assert_eq!(romanize("Гора-Подол", Script::Russian), "Gora-Podol");
//! assert_eq!(romanize("Ізюм", Script::Ukrainian), "Izium");
//! assert_eq!(romanize("Яготин", Script::Ukrainian), "Yahotyn");
//! ```

/// Which romanisation a name takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// BGN/PCGN (1947) for Russian, as the English-language press writes it.
    Russian,
    /// The Ukrainian national system (Cabinet resolution 55 of 2010).
    Ukrainian,
}

fn is_vowel_or_sign(c: char) -> bool {
    "аеёиоуыэюяіїєьъ".contains(c)
}

/// One lower-case Cyrillic letter romanised; `initial` is true at the start of a word (or, for Russian,
/// after a vowel or a sign, where BGN/PCGN writes е as ye).
fn letter(c: char, script: Script, initial: bool, after_vowel: bool) -> Option<&'static str> {
    use Script::*;
    Some(match (c, script) {
        ('а', _) => "a",
        ('б', _) => "b",
        ('в', _) => "v",
        ('г', Russian) => "g",
        ('г', Ukrainian) => "h",
        ('ґ', _) => "g",
        ('д', _) => "d",
        ('е', Russian) if initial || after_vowel => "ye",
        ('е', _) => "e",
        ('ё', Russian) if initial || after_vowel => "yo",
        ('ё', _) => "yo",
        ('є', _) if initial => "ye",
        ('є', _) => "ie",
        ('ж', _) => "zh",
        ('з', _) => "z",
        ('и', Russian) => "i",
        ('и', Ukrainian) => "y",
        ('і', _) => "i",
        ('ї', _) if initial => "yi",
        ('ї', _) => "i",
        ('й', Russian) => "y",
        ('й', Ukrainian) if initial => "y",
        ('й', Ukrainian) => "i",
        ('к', _) => "k",
        ('л', _) => "l",
        ('м', _) => "m",
        ('н', _) => "n",
        ('о', _) => "o",
        ('п', _) => "p",
        ('р', _) => "r",
        ('с', _) => "s",
        ('т', _) => "t",
        ('у', _) => "u",
        ('ф', _) => "f",
        ('х', _) => "kh",
        ('ц', _) => "ts",
        ('ч', _) => "ch",
        ('ш', _) => "sh",
        ('щ', _) => "shch",
        ('ъ', _) | ('ь', _) => "",
        ('ы', _) => "y",
        ('э', _) => "e",
        ('ю', _) if initial || script == Russian => "yu",
        ('ю', _) => "iu",
        ('я', _) if initial || script == Russian => "ya",
        ('я', _) => "ia",
        ('ў', _) => "w",
        _ => return None,
    })
}

/// `name` in Latin letters by `script`'s system; characters that are not Cyrillic letters (spaces, hyphens,
/// Latin letters) are kept as they are. The first letter of each word keeps its capital.
pub fn romanize(name: &str, script: Script) -> String {
    let mut out = String::with_capacity(name.len());
    let mut prev: Option<char> = None;
    for c in name.chars() {
        let lower = c.to_lowercase().next().unwrap_or(c);
        let initial = prev.is_none_or(|p| !p.is_alphabetic() && !matches!(p, '\'' | '’' | 'ʼ'));
        let after_vowel = prev.is_some_and(|p| is_vowel_or_sign(p.to_lowercase().next().unwrap_or(p)));
        // Ukrainian зг is zgh, so that it is not read as zh.
        let text = if lower == 'г' && script == Script::Ukrainian && prev.is_some_and(|p| matches!(p, 'з' | 'З')) {
            Some("gh")
        } else {
            letter(lower, script, initial, after_vowel)
        };
        match text {
            Some(t) if c != lower && !t.is_empty() => {
                let mut cs = t.chars();
                if let Some(first) = cs.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(cs.as_str());
                }
            }
            Some(t) => out.push_str(t),
            None if c.is_alphabetic() || matches!(c, ' ' | '-') => out.push(c),
            None => {}
        }
        prev = Some(c);
    }
    out
}

/// Ukrainian when the name has a letter only Ukrainian uses, or when it comes from Ukraine's records.
pub fn script_for(name: &str, country: &str) -> Script {
    if country == "UA" || name.chars().any(|c| "іїєґІЇЄҐ".contains(c)) {
        Script::Ukrainian
    } else {
        Script::Russian
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spellings from the BGN/PCGN tables and from GeoNames' own Latin names of places in cities500.
    #[test]
    fn russian_bgn_pcgn() {
        for (cyr, lat) in [
            ("Белгород", "Belgorod"),
            ("Шебекино", "Shebekino"),
            ("Ерёменко", "Yeryomenko"),
            ("Журавлёвка", "Zhuravlyovka"),
            ("Красная Яруга", "Krasnaya Yaruga"),
            ("Щучье", "Shchuchye"),
            ("Подъём", "Podyom"),
            ("Ясные Зори", "Yasnyye Zori"),
            ("Суджа", "Sudzha"),
            ("Хомутовка", "Khomutovka"),
        ] {
            assert_eq!(romanize(cyr, Script::Russian), lat, "{cyr}");
        }
    }

    /// The 2010 national system's own examples (Згорани → Zghorany, Їжакевич → Yizhakevych, Знам'янка →
    /// Znamianka, Юрій → Yurii).
    #[test]
    fn ukrainian_national() {
        for (cyr, lat) in [
            ("Згорани", "Zghorany"),
            ("Знам'янка", "Znamianka"),
            ("Їжакевич", "Yizhakevych"),
            ("Юрій", "Yurii"),
            ("Короп", "Korop"),
            ("Гадяч", "Hadiach"),
            ("Єнакієве", "Yenakiieve"),
        ] {
            assert_eq!(romanize(cyr, Script::Ukrainian), lat, "{cyr}");
        }
    }

    #[test]
    fn script_follows_letters_and_country() {
        assert_eq!(script_for("Хомутівка", "RU"), Script::Ukrainian);
        assert_eq!(script_for("Короп", "UA"), Script::Ukrainian);
        assert_eq!(script_for("Суджа", "RU"), Script::Russian);
    }
}
