//! Dates in a sentence, made absolute.
//!
//! Understood: ISO (`2024-01-02`), numeric (`02.01.2024`), "January 2\[, 2024\]", "2 January \[2024\]",
//! "2 января [2024 года]", "2 січня", weekdays ("on Tuesday", "во вторник", "у вівторок") and
//! "yesterday"/"today" (and their Russian and Ukrainian words).
//!
//! How the year is chosen: a year written next to the day wins. Otherwise the report date (`--date`) anchors
//! it: a month and day take the report's year, or the year before when that would put the event after the
//! report (reports describe the past: "December 30" in a report of January 5 is last year's). A weekday is
//! the latest such day on or before the report date; "yesterday" is the day before it. Without a report
//! date, only dates with a written year are returned.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::classes::{self, View};
use super::text::fold;

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
    ("понедельник", Weekday::Mon),
    ("вторник", Weekday::Tue),
    ("среду", Weekday::Wed),
    ("среда", Weekday::Wed),
    ("четверг", Weekday::Thu),
    ("пятницу", Weekday::Fri),
    ("пятница", Weekday::Fri),
    ("субботу", Weekday::Sat),
    ("суббота", Weekday::Sat),
    ("воскресенье", Weekday::Sun),
    ("понеділок", Weekday::Mon),
    ("вівторок", Weekday::Tue),
    ("середу", Weekday::Wed),
    ("середа", Weekday::Wed),
    ("четвер", Weekday::Thu),
    ("пʼятницю", Weekday::Fri),
    ("п'ятницю", Weekday::Fri),
    ("пятницю", Weekday::Fri),
    ("суботу", Weekday::Sat),
    ("субота", Weekday::Sat),
    ("неділю", Weekday::Sun),
    ("неділя", Weekday::Sun),
];

/// Can the folded word be part of a date [`find_folded`] understands?
pub(super) fn is_date_word(w: &str) -> bool {
    w.as_bytes().first().is_some_and(u8::is_ascii_digit)
        || month(w).is_some()
        || WEEKDAYS.iter().any(|(n, _)| *n == w)
        || days_back(w).is_some()
}

/// How many days before the report a relative word means ("yesterday" 1, "today" 0).
fn days_back(w: &str) -> Option<i64> {
    match w {
        "yesterday" | "вчера" | "вчора" => Some(1),
        "today" | "tonight" | "сегодня" | "сьогодні" => Some(0),
        _ => None,
    }
}

/// The month a folded word names (with or without full stops after it): English names and their
/// abbreviations, Russian and Ukrainian genitives. Tables' dates ("14 мая 2024") are read with it too.
pub(crate) fn month(w: &str) -> Option<u32> {
    if w.len() < 3 || w.len() > 20 || w.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    match w.trim_end_matches('.') {
        "january" | "jan" | "января" | "січня" => Some(1),
        "february" | "feb" | "февраля" | "лютого" => Some(2),
        "march" | "mar" | "марта" | "березня" => Some(3),
        "april" | "apr" | "апреля" | "квітня" => Some(4),
        "may" | "мая" | "травня" => Some(5),
        "june" | "jun" | "июня" | "червня" => Some(6),
        "july" | "jul" | "июля" | "липня" => Some(7),
        "august" | "aug" | "августа" | "серпня" => Some(8),
        "september" | "sept" | "sep" | "сентября" | "вересня" => Some(9),
        "october" | "oct" | "октября" | "жовтня" => Some(10),
        "november" | "nov" | "ноября" | "листопада" => Some(11),
        "december" | "dec" | "декабря" | "грудня" => Some(12),
        _ => None,
    }
}

fn day(w: &str) -> Option<u32> {
    if !w.as_bytes().first().is_some_and(u8::is_ascii_digit) || w.len() > 4 {
        return None;
    }
    // Most days are digits only ("2", "30"): read without the suffix trimming below.
    let d: u32 = if w.bytes().all(|b| b.is_ascii_digit()) {
        w.bytes().fold(0, |d, b| d * 10 + u32::from(b - b'0'))
    } else {
        let w = w.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
        w.parse().ok()?
    };
    (1..=31).contains(&d).then_some(d)
}

fn year(w: &str) -> Option<i32> {
    if w.len() != 4 {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1990..=2100).contains(&y).then_some(y)
}

fn anchor(month: u32, day: u32, report: NaiveDate) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(report.year(), month, day);
    match this {
        Some(d) if d <= report => Some(d),
        _ => NaiveDate::from_ymd_opt(report.year() - 1, month, day),
    }
}

/// The first date written in `words` (the words of one sentence, as written), made absolute against
/// `report` (see the module documentation for how the year is chosen).
pub fn find(words: &[&str], report: Option<NaiveDate>) -> Option<NaiveDate> {
    let f: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let f: Vec<&str> = f.iter().map(String::as_str).collect();
    find_folded(&f, report)
}

/// [`find`] on words already folded with [`super::text::fold`].
pub fn find_folded(f: &[&str], report: Option<NaiveDate>) -> Option<NaiveDate> {
    find_from(0..f.len(), |i| f.get(i).copied(), report)
}

/// [`find`] on a sentence whose words are classified already: a date can only start at one of its
/// [`classes::DATE`] words.
pub fn find_in(view: &View, report: Option<NaiveDate>) -> Option<NaiveDate> {
    if !view.has(classes::DATE) {
        return None;
    }
    find_from(view.with_class(classes::DATE), |i| (i < view.last()).then(|| view.w(i)), report)
}

/// The first date starting at one of `starts`, `word(i)` giving the folded word `i` of the sentence.
fn find_from<'w>(
    starts: impl Iterator<Item = usize>,
    word: impl Fn(usize) -> Option<&'w str>,
    report: Option<NaiveDate>,
) -> Option<NaiveDate> {
    for i in starts {
        let Some(w) = word(i) else { continue };
        let Some(c0) = w.chars().next() else { continue };
        // ISO dates (the tokenizer keeps 2024-01-02 as one word).
        if w.len() == 10
            && w.as_bytes()[4] == b'-'
            && let Ok(d) = NaiveDate::parse_from_str(w, "%Y-%m-%d")
        {
            return Some(d);
        }
        if !c0.is_ascii_digit() && !c0.is_alphabetic() {
            continue;
        }
        // Month then day: "January 2", "Jan. 2, 2024".
        if let Some(m) = month(w) {
            let mut j = i + 1;
            if word(j) == Some(".") {
                j += 1;
            }
            if let Some(d) = word(j).and_then(day) {
                let mut k = j + 1;
                if word(k) == Some(",") {
                    k += 1;
                }
                if let Some(y) = word(k).and_then(year) {
                    return NaiveDate::from_ymd_opt(y, m, d);
                }
                if let Some(r) = report {
                    return anchor(m, d, r);
                }
                return None;
            }
        }
        // Day then month: "2 January 2024", "2 января 2024 года", "2 січня".
        if let Some(d) = day(w)
            && let Some(m) = word(i + 1).and_then(month)
        {
            if let Some(y) = word(i + 2).and_then(year) {
                return NaiveDate::from_ymd_opt(y, m, d);
            }
            if let Some(r) = report {
                return anchor(m, d, r);
            }
            return None;
        }
        // (No weekday starts with a digit: most date words here are numbers.)
        if let Some(r) = report {
            if !c0.is_ascii_digit()
                && let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == w)
            {
                let back = (r.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                return Some(r - Duration::days(back as i64));
            }
            if let Some(back) = days_back(w) {
                return Some(r - Duration::days(back));
            }
        }
    }
    None
}

/// The month a folded word names where a month stands without a day: English names and the Russian and
/// Ukrainian locatives ("in May", "в мае", "у травні").
fn month_alone(w: &str) -> Option<u32> {
    match w {
        "january" | "январе" | "січні" => Some(1),
        "february" | "феврале" | "лютому" => Some(2),
        "march" | "марте" | "березні" => Some(3),
        "april" | "апреле" | "квітні" => Some(4),
        "may" | "мае" | "травні" => Some(5),
        "june" | "июне" | "червні" => Some(6),
        "july" | "июле" | "липні" => Some(7),
        "august" | "августе" | "серпні" => Some(8),
        "september" | "сентябре" | "вересні" => Some(9),
        "october" | "октябре" | "жовтні" => Some(10),
        "november" | "ноябре" | "листопаді" => Some(11),
        "december" | "декабре" | "грудні" => Some(12),
        _ => None,
    }
}

/// Word pairs that date a sentence to before the report: "last year", "в прошлом году", "минулого року". Not
/// "last month": a report of last month's strike is often the story itself.
const EARLIER_PAIRS: &[(&str, &str)] = &[
    ("last", "year"),
    ("last", "summer"),
    ("last", "spring"),
    ("last", "autumn"),
    ("last", "fall"),
    ("last", "winter"),
    ("year", "ago"),
    ("years", "ago"),
    ("прошлом", "году"),
    ("прошлого", "года"),
    ("прошлым", "летом"),
    ("прошлой", "весной"),
    ("прошлой", "осенью"),
    ("прошлой", "зимой"),
    ("год", "назад"),
    ("года", "назад"),
    ("минулого", "року"),
    ("минулому", "році"),
    ("минулого", "літа"),
    ("минулої", "весни"),
    ("минулої", "осені"),
    ("минулої", "зими"),
    ("рік", "тому"),
    ("роки", "тому"),
];

/// Words that date a sentence to the report's own days besides weekdays and "yesterday".
const RECENT_WORDS: &[&str] = &["overnight", "ночью", "накануне", "вночі", "уночі", "напередодні"];

/// Does the folded word date a sentence to the report's own days: a weekday, "yesterday", "overnight"?
pub(super) fn is_now_word(w: &str) -> bool {
    WEEKDAYS.iter().any(|(n, _)| *n == w) || days_back(w).is_some() || RECENT_WORDS.contains(&w)
}

/// Words that introduce a reminder of earlier events («Напомним, ...», «Нагадаємо, ...»).
const REMINDERS: &[&str] = &["напомним", "нагадаємо", "нагадуємо"];

/// Can the folded word mark an earlier event ([`earlier_event_marker`] looks at no other word)?
pub(super) fn is_earlier_word(w: &str) -> bool {
    year(w).is_some()
        || w == "торік"
        || w.starts_with("торішн")
        || month_alone(w).is_some()
        || EARLIER_PAIRS.iter().any(|&(_, second)| second == w)
        || REMINDERS.contains(&w)
}

/// Where the sentence first marks an earlier event, told as background to the report ("since the shelling
/// that emptied Shebekino last June", «Торік восени подібного удару зазнав Чугуїв», "in 2023 a FAB-500 fell
/// on Belgorod"): the word that says so ("last year", "earlier this year", «в прошлом году», «торік») or,
/// against the report date, a month named without a day two months or more before the report's, or a year
/// before the report's. `None` when it marks none, or also names one of the report's days (a weekday,
/// "yesterday", "overnight"). Which of its places the mark covers: [`marks_place`].
///
/// A month just before the report's is not enough: a report often sums up the month before. An earlier
/// event with its day ("on April 20 a bomb fell on Belgorod") is not background either: it is an incident
/// with its own date, which a reader can match with the report that first told it.
pub fn earlier_event_marker(view: &View, report: Option<NaiveDate>) -> Option<usize> {
    if !view.has(classes::EARLIER) || view.has(classes::NOW) {
        return None;
    }
    let first = view.first();
    let next = |i: usize| if i + 1 < view.last() { view.w(i + 1) } else { "" };
    for i in view.with_class(classes::EARLIER) {
        let x = view.w(i);
        let before = if i > first { view.w(i - 1) } else { "" };
        let mut earlier = x == "торік"
            || x.starts_with("торішн")
            || EARLIER_PAIRS.contains(&(before, x))
            || REMINDERS.contains(&x)
            || x == "year" && before == "this" && i >= first + 2 && view.w(i - 2) == "earlier";
        if let Some(m) = month_alone(x)
            && day(next(i)).is_none()
        {
            let back = report.map(|r| (r.month() + 12 - m) % 12);
            earlier |= before == "last" || matches!(before, "in" | "в" | "во" | "у") && back.is_some_and(|b| b >= 2);
        }
        if let Some(y) = year(x)
            && matches!(before, "in" | "в" | "у")
        {
            earlier |= report.is_some_and(|r| y < r.year());
        }
        if earlier {
            return Some(i);
        }
    }
    None
}

/// Does the earlier-event mark at token `marker` ([`earlier_event_marker`]) cover the place ending at token
/// `place_end`? A mark before the place does; one after it only in the place's own clause, before any
/// comma, dash or semicolon ("shelled Rubizhne, which Russia took last year" is today's shelling).
pub fn marks_place(view: &View, marker: usize, place_end: usize) -> bool {
    marker < place_end || !(place_end..marker).any(|i| matches!(view.w(i), "," | ";" | "—" | "–"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The months [`month`] knows, as a list.
    const MONTHS: &[(&str, u32)] = &[
        ("january", 1),
        ("jan", 1),
        ("february", 2),
        ("feb", 2),
        ("march", 3),
        ("mar", 3),
        ("april", 4),
        ("apr", 4),
        ("may", 5),
        ("june", 6),
        ("jun", 6),
        ("july", 7),
        ("jul", 7),
        ("august", 8),
        ("aug", 8),
        ("september", 9),
        ("sept", 9),
        ("sep", 9),
        ("october", 10),
        ("oct", 10),
        ("november", 11),
        ("nov", 11),
        ("december", 12),
        ("dec", 12),
        ("января", 1),
        ("февраля", 2),
        ("марта", 3),
        ("апреля", 4),
        ("мая", 5),
        ("июня", 6),
        ("июля", 7),
        ("августа", 8),
        ("сентября", 9),
        ("октября", 10),
        ("ноября", 11),
        ("декабря", 12),
        ("січня", 1),
        ("лютого", 2),
        ("березня", 3),
        ("квітня", 4),
        ("травня", 5),
        ("червня", 6),
        ("липня", 7),
        ("серпня", 8),
        ("вересня", 9),
        ("жовтня", 10),
        ("листопада", 11),
        ("грудня", 12),
    ];

    /// [`month`] as it was: the list searched.
    fn month_by_list(w: &str) -> Option<u32> {
        if w.len() < 3 || w.len() > 20 || w.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let w = w.trim_end_matches('.');
        MONTHS.iter().find(|(n, _)| *n == w).map(|(_, m)| *m)
    }

    /// [`day`] as it was: every word's suffixes trimmed, then parsed.
    fn day_by_parsing(w: &str) -> Option<u32> {
        if !w.as_bytes().first().is_some_and(u8::is_ascii_digit) || w.len() > 4 {
            return None;
        }
        let w = w.trim_end_matches("st").trim_end_matches("nd").trim_end_matches("rd").trim_end_matches("th");
        let d: u32 = w.parse().ok()?;
        (1..=31).contains(&d).then_some(d)
    }

    #[test]
    fn months_and_days_read_as_the_list_and_the_parser_do() {
        let mut words: Vec<String> = Vec::new();
        for (name, _) in MONTHS {
            for suffix in ["", ".", "..", "s", "a"] {
                words.push(format!("{name}{suffix}"));
                words.push(format!("x{name}{suffix}"));
            }
            words.push(name.chars().skip(1).collect());
            words.push(name.chars().take(name.chars().count() - 1).collect());
        }
        for d in 0..200 {
            for suffix in ["", "st", "nd", "rd", "th", "stst", "thnd", "s", "t", ".", "-"] {
                words.push(format!("{d}{suffix}"));
                words.push(format!("0{d}{suffix}"));
            }
        }
        words.extend(
            ["", ".", "...", "1", "0", "00", "0000", "9999", "1a2", "12ая", "ма", "маяя", "xyzzyxyzzyxyzzyxyzzy."]
                .map(String::from),
        );
        // Random words of digits, letters and full stops, as long as the length limits.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let letters = ['1', '2', '0', '9', 's', 't', 'h', 'n', 'd', 'r', '.', 'j', 'a', 'м', 'я'];
        for _ in 0..20_000 {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let len = (state >> 60) as usize + 1;
            words.push((0..len).map(|k| letters[((state >> (4 * k)) % letters.len() as u64) as usize]).collect());
        }
        for w in &words {
            assert_eq!(month(w), month_by_list(w), "{w:?}");
            assert_eq!(day(w), day_by_parsing(w), "{w:?}");
        }
        assert_eq!(MONTHS.iter().filter(|(n, m)| month(n) == Some(*m)).count(), MONTHS.len());
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn month_day_takes_the_year_before_when_in_the_future() {
        let r = Some(d("2024-01-15"));
        assert_eq!(find(&["on", "January", "2"], r), Some(d("2024-01-02")));
        assert_eq!(find(&["on", "December", "30"], r), Some(d("2023-12-30")));
        assert_eq!(find(&["2", "января"], r), Some(d("2024-01-02")));
        assert_eq!(find(&["13", "січня", "2023"], r), Some(d("2023-01-13")));
        assert_eq!(find(&["on", "January", "2"], None), None);
        assert_eq!(find(&["August", "23", ",", "2023"], None), Some(d("2023-08-23")));
    }

    #[test]
    fn weekdays_are_on_or_before_the_report_date() {
        // 2023-05-24 was a Wednesday (checked against a calendar).
        let r = Some(d("2023-05-24"));
        assert_eq!(find(&["said", "Wednesday"], r), Some(d("2023-05-24")));
        assert_eq!(find(&["on", "Tuesday"], r), Some(d("2023-05-23")));
        assert_eq!(find(&["в", "четверг"], r), Some(d("2023-05-18")));
        assert_eq!(find(&["yesterday"], r), Some(d("2023-05-23")));
    }
}
