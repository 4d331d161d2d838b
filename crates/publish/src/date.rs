//! Strict ISO 8601 calendar dates (`YYYY-MM-DD`), as whole days since 1970-01-01.
//!
//! Only the extended calendar form is accepted: four-digit year, two-digit month and
//! day, hyphens, a real day of that month (leap years by the Gregorian rule). No times,
//! no week or ordinal dates, no surrounding spaces: a registration file that mixes
//! forms is an error to fix, never a guess.

/// A calendar date as days since 1970-01-01 (negative before).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub i64);

/// Average days per month (365.25 / 12): months since entry are counted in these.
pub const DAYS_PER_MONTH: f64 = 30.4375;

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Date {
    /// Parses `YYYY-MM-DD`; `None` for anything else (including impossible days).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<i64> {
            let mut v = 0i64;
            for &c in &b[range] {
                if !c.is_ascii_digit() {
                    return None;
                }
                v = v * 10 + i64::from(c - b'0');
            }
            Some(v)
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Whole days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.0 - self.0
    }

    /// Months (of [`DAYS_PER_MONTH`] days) from `self` to `later`, as a fraction.
    pub fn months_until(self, later: Date) -> f64 {
        self.days_until(later) as f64 / DAYS_PER_MONTH
    }

    /// The date back as `YYYY-MM-DD` (civil_from_days).
    pub fn to_iso(self) -> String {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        format!("{year:04}-{month:02}-{day:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(Date::parse("1970-01-01"), Some(Date(0)));
        // 2019-07-01 is 18078 days after the epoch (Python: date(2019,7,1).toordinal()
        // - date(1970,1,1).toordinal()).
        assert_eq!(Date::parse("2019-07-01"), Some(Date(18_078)));
        assert_eq!(Date::parse("2000-02-29"), Some(Date(11_016)));
        assert_eq!(Date::parse("1969-12-31"), Some(Date(-1)));
    }

    #[test]
    fn round_trips_every_day_of_four_centuries() {
        let start = Date::parse("1900-01-01").unwrap().0;
        let end = Date::parse("2300-01-01").unwrap().0;
        for d in start..end {
            let iso = Date(d).to_iso();
            assert_eq!(Date::parse(&iso), Some(Date(d)), "{iso}");
        }
    }

    #[test]
    fn refuses_everything_but_the_strict_form() {
        for bad in [
            "",
            "2019-7-01",
            "2019-07-1",
            "19-07-01",
            "2019/07/01",
            "2019-13-01",
            "2019-00-10",
            "2019-02-29",
            "1900-02-29",
            "2019-04-31",
            " 2019-07-01",
            "2019-07-01 ",
            "2019-07-01T00:00",
            "20190701",
            "2019-W27-1",
            "+2019-07-01",
            "2019-07-0a",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad:?}");
        }
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("2024-02-29").is_some());
    }

    #[test]
    fn months_are_average_months() {
        let a = Date::parse("2019-07-01").unwrap();
        let b = Date::parse("2021-07-01").unwrap();
        // 731 days (2020 is a leap year) / 30.4375.
        assert_eq!(a.days_until(b), 731);
        assert!((a.months_until(b) - 731.0 / 30.4375).abs() < 1e-12);
    }
}
