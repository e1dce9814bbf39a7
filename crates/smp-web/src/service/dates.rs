//! Today's date in a clinic's time zone, for pages and the API alike.

/// Today's date in the clinic's zone, as the records' calendar type.
pub fn today_civil(time_zone: &str) -> jiff::civil::Date {
    smp_records::clock::today_in(time_zone)
}

/// Today's date in the clinic's zone, as the plan's calendar type.
pub fn today_date(time_zone: &str) -> smp_plan::CivilDate {
    let d = today_civil(time_zone);
    smp_plan::CivilDate::new(i32::from(d.year()), d.month() as u32, d.day() as u32).expect("a calendar date from jiff is a valid date")
}

/// Today's date in the clinic's zone, YYYY-MM-DD.
pub fn today(time_zone: &str) -> String {
    today_civil(time_zone).to_string()
}
