//! Server-rendered pages (askama templates in `templates/`, auto-escaped).

pub mod account;
pub mod capture;
pub mod clients;
pub mod clinic;
pub mod consent;
pub mod designs;
pub mod login;
pub mod progress;
pub mod records;
pub mod users;

use crate::auth::{CurrentUser, Permission};

/// What the layout shows of the logged-in user.
pub struct Nav {
    /// Login e-mail.
    pub email: String,
    /// Clinic name.
    pub clinic: String,
    /// The CSRF token forms echo.
    pub csrf: String,
    /// Whether to show the Users and Audit links.
    pub owner: bool,
    /// Whether to show the records links.
    pub medical: bool,
    /// A one-line message after an action.
    pub flash: String,
}

impl Nav {
    /// The layout data of `me`.
    pub fn of(me: &CurrentUser) -> Nav {
        Nav {
            email: me.user.email.clone(),
            clinic: me.clinic.name.clone(),
            csrf: me.session.csrf_token.clone(),
            owner: me.can(Permission::ManageClinic),
            medical: me.can(Permission::ReadMedical),
            flash: String::new(),
        }
    }

    /// With a flash message.
    pub fn flash(mut self, msg: impl Into<String>) -> Nav {
        self.flash = msg.into();
        self
    }
}

/// HTML-escapes text (for the few strings built outside templates).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes a URL component.
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Decodes a form-urlencoded component (`+` is a space).
pub fn url_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < b.len() => match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16) {
                Ok(v) => {
                    out.push(v);
                    i += 2;
                }
                Err(_) => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A local redirect target (never another site: `//evil` and `http:` are refused, and so
/// is any whitespace or control character, which browsers strip: `/\t/evil` would become
/// `//evil`).
pub fn safe_next(next: &str) -> &str {
    let visible = next.bytes().all(|b| (0x21..=0x7e).contains(&b));
    if visible && next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/clients"
    }
}

/// "1 session", "3 sessions": a count with its noun in the right number.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A store error answered as an HTML page (page handlers).
pub fn html(e: smp_store::StoreError) -> crate::error::AppError {
    crate::error::AppError::from(e).as_html()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_helpers_round_trip_and_next_stays_local() {
        assert_eq!(url_decode("a+b%2Fc%3D"), "a b/c=");
        assert_eq!(url_decode("100%"), "100%");
        assert_eq!(url_decode(&url_encode("/clients/3?x=ü")), "/clients/3?x=ü");
        assert_eq!(escape("<a href='x'>&\""), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;");
        assert_eq!(safe_next("/clients/2"), "/clients/2");
        assert_eq!(
            (count(1, "session", "sessions"), count(0, "client", "clients")),
            ("1 session".into(), "0 clients".into())
        );
        assert_eq!(safe_next("//evil.example"), "/clients");
        assert_eq!(safe_next("https://evil.example"), "/clients");
        // Issue 14: browsers strip tabs and newlines, so these would leave the site.
        assert_eq!(safe_next("/\t/evil.example"), "/clients");
        assert_eq!(safe_next("/\n/evil.example"), "/clients");
        assert_eq!(safe_next("/clients\r\nSet-Cookie: x=1"), "/clients");
        assert_eq!(safe_next("/clients/2?tab=records#sessions"), "/clients/2?tab=records#sessions");
    }
}
