//! Server-rendered pages (askama templates in `templates/`, auto-escaped).

pub mod account;
pub mod audit_log;
pub mod capture;
pub mod client_record;
pub mod clients;
pub mod clinic;
pub mod consent;
pub mod designs;
pub mod login;
pub mod progress;
pub mod records;
pub mod users;
pub mod visits;

use crate::auth::{CurrentUser, Permission};
pub use crate::html::{count, escape, safe_next, url_decode, url_encode};
pub use crate::service::dates::{today, today_civil, today_date};

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
    /// The clinic's time zone, which times on the page are in.
    pub time_zone: String,
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
            time_zone: me.clinic.time_zone.clone(),
        }
    }

    /// With a flash message.
    pub fn flash(mut self, msg: impl Into<String>) -> Nav {
        self.flash = msg.into();
        self
    }
}

/// A store error answered as an HTML page (page handlers).
pub fn html(e: smp_store::StoreError) -> crate::error::AppError {
    crate::error::AppError::from(e).as_html()
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
