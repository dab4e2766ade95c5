//! Dates as people type them in incident tables, normalised to ISO 8601 at the precision given.

use chrono::NaiveDate;

use super::schema::DateOrder;

/// Normalise a date to ISO: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that much is given.
/// Accepts `2024-01-02`, `2024/01/02`, `2024-01-02T10:00:00Z` (the time is dropped), `2024-01`, `2024`,
/// `02.01.2024`, `2.1.2024`, `02/01/2024` (day first, as written in Europe), `01.2024`, `2 January 2024`,
/// `January 2, 2024`, `Jan 2024`, `14 мая 2024`, `3 травня 2024`. Returns why otherwise.
///
/// ```
/// use incimap::incidents::date::normalise;
/// assert_eq!(normalise("02.01.2024").unwrap(), "2024-01-02");
/// assert_eq!(normalise("2024-05").unwrap(), "2024-05");
/// assert!(normalise("2024-02-30").is_err());
/// ```
pub fn normalise(text: &str) -> Result<String, String> {
    normalise_ordered(text, DateOrder::DayFirst)
}

/// [`normalise`] with the order of day and month in dates written with slashes or dots given: `MonthFirst`
/// reads `1/22/2014` (and `1/22/2014 12:00:00 AM`, a spreadsheet's date-time) as 22 January.
///
/// ```
/// use incimap::incidents::date::normalise_ordered;
/// use incimap::incidents::schema::DateOrder;
/// assert_eq!(normalise_ordered("1/22/2014 12:00:00 AM", DateOrder::MonthFirst).unwrap(), "2014-01-22");
/// assert_eq!(normalise_ordered("2014-01-22", DateOrder::MonthFirst).unwrap(), "2014-01-22");
/// ```
pub fn normalise_ordered(text: &str, order: DateOrder) -> Result<String, String> {
    let t = text.trim();
    // Fast path for the common ISO form.
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *t.as_bytes() {
        let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |a: &[u8]| a.iter().fold(0u32, |acc, &c| acc * 10 + (c - b'0') as u32);
            let (y, m, d) = (n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
            // A valid date in this form is already its ISO text: copy it rather than format it again.
            if (1900..=2200).contains(&y) && NaiveDate::from_ymd_opt(y as i32, m, d).is_some() {
                return Ok(t.to_string());
            }
            return year_month_day(y, Some(m), Some(d), t);
        }
    }
    let bad = || Err(format!("unrecognised date {t:?} (use YYYY-MM-DD, YYYY-MM or DD.MM.YYYY)"));
    if t.is_empty() {
        return bad();
    }
    // A date-time: keep the date part (ISO `2024-01-02T10:00`, or a numeric date then a clock time).
    let t_date = match t.find(['T', ' ']) {
        Some(i) if i == 10 && t.as_bytes()[4] == b'-' => &t[..10],
        Some(i) if t[i..].contains(':') && t[..i].bytes().all(|b| b.is_ascii_digit() || b"/.-".contains(&b)) => &t[..i],
        _ => t,
    };
    let nums: Vec<&str> = t_date.split(['-', '/', '.']).collect();
    let all_digits = nums.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if all_digits {
        let n: Vec<u32> = match nums.iter().map(|p| p.parse::<u32>()).collect::<Result<_, _>>() {
            Ok(n) => n,
            Err(_) => return bad(),
        };
        return match (nums.as_slice(), n.as_slice()) {
            ([y], [yy]) if y.len() == 4 => year_month_day(*yy, None, None, t),
            ([y, _], [yy, m]) if y.len() == 4 => year_month_day(*yy, Some(*m), None, t),
            ([_, y], [m, yy]) if y.len() == 4 => year_month_day(*yy, Some(*m), None, t),
            ([y, _, _], [yy, m, d]) if y.len() == 4 => year_month_day(*yy, Some(*m), Some(*d), t),
            ([_, _, y], [a, b, yy]) if y.len() == 4 => {
                let (d, m) = if order == DateOrder::MonthFirst { (b, a) } else { (a, b) };
                year_month_day(*yy, Some(*m), Some(*d), t)
            }
            _ => bad(),
        };
    }
    // A day, a month named as the geoparser reads it in text (English, or a Russian or Ukrainian genitive:
    // "14 мая 2024", "3 травня 2024"), a year.
    if let [d, m, y] = t.split_whitespace().collect::<Vec<_>>()[..]
        && y.len() == 4
        && let (Ok(d), Some(m), Ok(y)) =
            (d.parse::<u32>(), crate::extract::dates::month(&m.to_lowercase()), y.parse::<u32>())
    {
        return year_month_day(y, Some(m), Some(d), t);
    }
    // Month names: "2 January 2024", "January 2, 2024", "Jan 2024".
    if t.split_whitespace().count() == 2 {
        for fmt in ["%d %B %Y", "%d %b %Y"] {
            if let Ok(d) = NaiveDate::parse_from_str(&format!("1 {t}"), fmt) {
                return Ok(d.format("%Y-%m").to_string());
            }
        }
        return bad();
    }
    for fmt in ["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(t, fmt)
            && (1900..=2200).contains(&chrono::Datelike::year(&d))
        {
            return Ok(d.format("%Y-%m-%d").to_string());
        }
    }
    bad()
}

fn year_month_day(y: u32, m: Option<u32>, d: Option<u32>, t: &str) -> Result<String, String> {
    if !(1900..=2200).contains(&y) {
        return Err(format!("date {t:?}: year {y} out of range"));
    }
    match (m, d) {
        (None, _) => Ok(format!("{y:04}")),
        (Some(m), None) if (1..=12).contains(&m) => Ok(format!("{y:04}-{m:02}")),
        (Some(m), None) => Err(format!("date {t:?}: month {m} out of range")),
        (Some(m), Some(d)) => match NaiveDate::from_ymd_opt(y as i32, m, d) {
            Some(_) => Ok(format!("{y:04}-{m:02}-{d:02}")),
            None => Err(format!("date {t:?} does not exist")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::{DateOrder, normalise, normalise_ordered};

    #[test]
    fn accepted_forms() {
        for (input, want) in [
            ("2024-01-02", "2024-01-02"),
            ("2024/1/2", "2024-01-02"),
            ("2024-01-02T23:10:00Z", "2024-01-02"),
            ("2024-01-02 23:10", "2024-01-02"),
            ("2024-01", "2024-01"),
            ("2024", "2024"),
            ("02.01.2024", "2024-01-02"),
            ("2.1.2024", "2024-01-02"),
            ("29/02/2024", "2024-02-29"),
            ("01.2024", "2024-01"),
            ("2 January 2024", "2024-01-02"),
            ("January 2, 2024", "2024-01-02"),
            ("Jan 2024", "2024-01"),
            ("14 мая 2024", "2024-05-14"),
            ("3 травня 2024", "2024-05-03"),
            ("1 Декабря 2023", "2023-12-01"),
        ] {
            assert_eq!(normalise(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn month_first_dates() {
        let us = |t| normalise_ordered(t, DateOrder::MonthFirst);
        // 22 January 2014 as a US spreadsheet writes a date-time.
        assert_eq!(us("1/22/2014 12:00:00 AM").as_deref(), Ok("2014-01-22"));
        assert_eq!(us("12/1/2022").as_deref(), Ok("2022-12-01"));
        assert!(us("22/1/2014").is_err(), "no 22nd month");
        // Day first by default: the same text is 12 January.
        assert_eq!(normalise("12/1/2022 10:15").as_deref(), Ok("2022-01-12"));
    }

    #[test]
    fn rejected_forms() {
        for input in ["2024-13-01", "2023-02-29", "31.04.2024", "yesterday", "24-01-02", "2024-1-2-3", "0001-01-01"] {
            assert!(normalise(input).is_err(), "{input}");
        }
    }
}
