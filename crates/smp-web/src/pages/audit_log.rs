//! The owner's audit log page: entries in the clinic's time, filtered and paged, with the chain's check.

use crate::auth::{CurrentUser, Permission};
use crate::error::{AppError, AppResult};
use crate::pages::{Nav, html};
use crate::state::AppState;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use serde::Deserialize;
use smp_store::audit::{AuditEntry, verify};
use smp_store::{ClientId, UserId};

/// The audit page.
#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
pub struct AuditPage {
    nav: Nav,
    chain: String,
    chain_ok: bool,
    /// The page's entries, newest first, as people read them.
    entries: Vec<AuditRow>,
    /// The filter as given (echoed into the form).
    filter: AuditFilter,
    /// Users to filter by: id and e-mail.
    users: Vec<(UserId, String)>,
    /// Actions present in the log, to filter by.
    actions: Vec<String>,
    /// Entries matching the filter, and the page shown of how many.
    matching: usize,
    page: usize,
    pages: usize,
    /// Query strings of the previous and next pages (empty at either end).
    prev: String,
    next: String,
}

/// One audit entry as the page shows it.
pub struct AuditRow {
    seq: i64,
    /// "YYYY-MM-DD HH:MM UTC".
    when: String,
    who: String,
    action: String,
    record: String,
    /// The client concerned, linked, or empty.
    client_id: Option<ClientId>,
}

/// Filters of the audit page (query string); empty fields do not filter.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilter {
    /// A user id.
    #[serde(default)]
    who: String,
    /// An action (`read`, `change`, `login`, …).
    #[serde(default)]
    action: String,
    /// A client id.
    #[serde(default)]
    client: String,
    /// First day, YYYY-MM-DD (the clinic's calendar).
    #[serde(default)]
    from: String,
    /// Last day, YYYY-MM-DD (the clinic's calendar).
    #[serde(default)]
    until: String,
    /// Page, from 1.
    #[serde(default)]
    page: String,
}

/// Entries per page of the audit log.
pub const AUDIT_PAGE_ROWS: usize = 100;

impl AuditFilter {
    /// Whether `e` passes.
    fn keeps(&self, e: &AuditEntry, time_zone: &str) -> bool {
        let num = |s: &str| s.trim().parse::<i64>().ok();
        if num(&self.who).is_some_and(|w| w != e.actor.0) {
            return false;
        }
        if !self.action.trim().is_empty() && e.action != self.action.trim() {
            return false;
        }
        if num(&self.client).is_some_and(|c| e.subject != format!("client:{c}")) {
            return false;
        }
        let when = smp_records::clock::local_time(e.at, time_zone);
        let day = when.get(..10).unwrap_or_default();
        if !self.from.trim().is_empty() && day < self.from.trim() {
            return false;
        }
        if !self.until.trim().is_empty() && day > self.until.trim() {
            return false;
        }
        true
    }

    /// The field that does not read, with how to write it.
    fn problem(&self) -> Option<AppError> {
        let bad_num = |s: &str| !s.trim().is_empty() && s.trim().parse::<i64>().is_err();
        let bad_day = |s: &str| !s.trim().is_empty() && s.trim().parse::<jiff::civil::Date>().is_err();
        if bad_num(&self.who) {
            return Some(AppError::field("who", "choose a user from the list"));
        }
        if bad_num(&self.client) {
            return Some(AppError::field(
                "client",
                format!("client '{}' is not a client number", self.client.trim()),
            ));
        }
        for (field, v) in [("from", &self.from), ("until", &self.until)] {
            if bad_day(v) {
                return Some(AppError::field(field, format!("'{}' is not a date; use YYYY-MM-DD", v.trim())));
            }
        }
        None
    }

    /// This filter's query string for page `page`.
    fn query(&self, page: usize) -> String {
        let enc = crate::pages::url_encode;
        format!(
            "?who={}&action={}&client={}&from={}&until={}&page={page}",
            enc(self.who.trim()),
            enc(self.action.trim()),
            enc(self.client.trim()),
            enc(self.from.trim()),
            enc(self.until.trim())
        )
    }
}

/// GET /audit (owner): newest first, with the chain verified, filtered by who, action,
/// client and days, a page at a time.
pub async fn audit_page(
    State(state): State<AppState>,
    me: CurrentUser,
    axum::extract::Query(filter): axum::extract::Query<AuditFilter>,
) -> AppResult<AuditPage> {
    me.require(Permission::ManageClinic).map_err(|e| e.as_html())?;
    if let Some(e) = filter.problem() {
        return Err(e.as_html());
    }
    let clinic = me.clinic_id();
    let mut all = state.store.audit_log(clinic).await.map_err(html)?;
    let checked = verify(&all).and_then(|()| match &state.anchor {
        Some(a) => a.check(clinic, &all),
        None => Ok(()),
    });
    let (chain, chain_ok) = match checked {
        Ok(()) => (format!("Chain intact: {} entries verified.", all.len()), true),
        Err(b) => (format!("TAMPERING DETECTED at entry {}: {}.", b.seq, b.reason), false),
    };
    all.reverse();
    let users: Vec<(UserId, String)> = state
        .store
        .list_users(clinic)
        .await
        .map_err(html)?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let mut actions: Vec<String> = all.iter().map(|e| e.action.clone()).collect();
    actions.sort();
    actions.dedup();
    let kept: Vec<&AuditEntry> = all.iter().filter(|e| filter.keeps(e, &me.clinic.time_zone)).collect();
    let pages = kept.len().div_ceil(AUDIT_PAGE_ROWS).max(1);
    let page = filter.page.trim().parse::<usize>().unwrap_or(1).clamp(1, pages);
    let name_of = |id: UserId| {
        users.iter().find(|(u, _)| *u == id).map_or_else(
            || {
                if id == UserId(0) {
                    "the system".to_string()
                } else {
                    format!("user {id} (removed)")
                }
            },
            |(_, e)| e.clone(),
        )
    };
    let entries = kept
        .iter()
        .skip((page - 1) * AUDIT_PAGE_ROWS)
        .take(AUDIT_PAGE_ROWS)
        .map(|e| AuditRow {
            seq: e.seq,
            when: super::designs::date_time(e.at, &me.clinic.time_zone),
            who: name_of(e.actor),
            action: e.action.clone(),
            record: format!("{} {}", e.entity, e.entity_id),
            client_id: e.subject.strip_prefix("client:").and_then(|c| c.parse().ok()),
        })
        .collect();
    Ok(AuditPage {
        nav: Nav::of(&me),
        chain,
        chain_ok,
        entries,
        matching: kept.len(),
        prev: if page > 1 { filter.query(page - 1) } else { String::new() },
        next: if page < pages { filter.query(page + 1) } else { String::new() },
        page,
        pages,
        filter,
        users,
        actions,
    })
}
