//! Today's date, for pages and the API alike.

/// Today's date, UTC.
pub fn today_date() -> smp_plan::CivilDate {
    smp_plan::CivilDate::from_epoch_days(smp_store::now_unix().div_euclid(86_400))
}

/// Today's date, UTC, as the store's calendar type.
pub fn today_civil() -> jiff::civil::Date {
    jiff::tz::TimeZone::UTC.to_datetime(jiff::Timestamp::now()).date()
}

/// Today's date, UTC, YYYY-MM-DD.
pub fn today() -> String {
    today_date().to_string()
}
