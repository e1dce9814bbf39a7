//! Clinical records on every backend: lots (expired and recalled refused), recall
//! search, adverse events, surveys, tenant isolation, and the audit chain (concurrent
//! appends never fork; a modified row is detected).

use smp_store::audit::{AuditEvent, verify};
use smp_store::testing::{make_ready, open, test_databases};
use smp_store::*;

fn lot(kind: &str, number: &str, expires: &str) -> NewLot {
    NewLot {
        kind: kind.parse().unwrap(),
        product: format!("{kind} product"),
        lot_number: number.into(),
        expires_on: expires.into(),
    }
}

/// A client of `clinic` with only a name.
async fn client(store: &dyn Store, clinic: ClinicId, name: &str) -> Client {
    store
        .create_client(
            clinic,
            &ClientFields {
                name: name.into(),
                ..Default::default()
            },
            smp_store::UserId(0),
        )
        .await
        .unwrap()
}

fn session(client: ClientId, user: UserId, needle: LotId, pigment: LotId, on: &str) -> NewTreatmentSession {
    NewTreatmentSession {
        client_id: client,
        performed_on: on.into(),
        practitioner_id: user,
        design_id: None,
        design_session: 1,
        regions: "front".into(),
        impressions: 4200,
        needle_lot_id: needle,
        pigment_lot_id: pigment,
        dilution: "1:3".into(),
        notes: String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lots_sessions_recall_events_surveys() {
    for db in test_databases("records").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let z = store.create_clinic("Z").await.unwrap();
        let u = store.create_user(a.id, "p@a.test", Role::Practitioner, "h").await.unwrap();
        let zu = store.create_user(z.id, "p@z.test", Role::Practitioner, "h").await.unwrap();
        let c1 = client(store.as_ref(), a.id, "One").await;
        let c2 = client(store.as_ref(), a.id, "Two").await;
        make_ready(store.as_ref(), a.id, c1.id).await;
        make_ready(store.as_ref(), a.id, c2.id).await;
        let needle = store.add_lot(a.id, &lot("needle", "N-1", "2027-06-30")).await.unwrap();
        let ink = store.add_lot(a.id, &lot("pigment", "P-1", "2027-01-31")).await.unwrap();
        let old_ink = store.add_lot(a.id, &lot("pigment", "P-0", "2026-10-31")).await.unwrap();
        assert!(
            store.add_lot(a.id, &lot("pigment", "P-1", "2027-01-31")).await.is_err(),
            "{b}: duplicate lot"
        );
        assert!(
            "ink".parse::<LotKind>().unwrap_err().contains("pigment, needle"),
            "an unknown kind is refused where it is read"
        );
        assert!(
            store
                .add_lot(a.id, &lot("needle", "X", "31/01/2027"))
                .await
                .unwrap_err()
                .to_string()
                .contains("YYYY-MM-DD")
        );

        let s1 = store
            .record_session(a.id, &session(c1.id, u.id, needle.id, ink.id, "2026-11-20"))
            .await
            .unwrap();
        store
            .record_session(a.id, &session(c2.id, u.id, needle.id, ink.id, "2026-11-21"))
            .await
            .unwrap();
        // Expired on the session date: refused, nothing recorded.
        let e = store
            .record_session(a.id, &session(c1.id, u.id, needle.id, old_ink.id, "2026-11-22"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("expired on 2026-10-31"), "{b}: {e}");
        // The same lot was fine before it expired.
        store
            .record_session(a.id, &session(c1.id, u.id, needle.id, old_ink.id, "2026-10-31"))
            .await
            .unwrap();
        // Wrong kind.
        let e = store
            .record_session(a.id, &session(c1.id, u.id, ink.id, ink.id, "2026-11-22"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not a needle lot"), "{b}: {e}");
        // Recall: later sessions refused; recall search finds both clients.
        store
            .recall_lot(a.id, ink.id, "manufacturer notice 2026-11-25: contamination")
            .await
            .unwrap();
        let e = store
            .record_session(a.id, &session(c1.id, u.id, needle.id, ink.id, "2026-11-26"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("recalled"), "{b}: {e}");
        assert!(store.recall_lot(a.id, ink.id, "again").await.is_err(), "{b}: recalled once");
        let hits = store.sessions_with_lot(a.id, ink.id).await.unwrap();
        let mut clients: Vec<ClientId> = hits.iter().map(|s| s.client_id).collect();
        clients.dedup();
        assert_eq!(clients, [c1.id, c2.id], "{b}");
        assert_eq!(store.list_sessions(a.id, c1.id).await.unwrap().len(), 2);
        // Tenancy: Z can't see, use or recall A's lots.
        assert!(store.lot(z.id, ink.id).await.is_err());
        assert!(store.sessions_with_lot(z.id, ink.id).await.unwrap().is_empty(), "{b}");
        let zc = client(store.as_ref(), z.id, "Zed").await;
        make_ready(store.as_ref(), z.id, zc.id).await;
        assert!(
            store
                .record_session(z.id, &session(zc.id, zu.id, needle.id, old_ink.id, "2026-10-01"))
                .await
                .is_err(),
            "{b}: another clinic's lots"
        );
        assert!(store.recall_lot(z.id, needle.id, "x").await.is_err());

        let ev = NewAdverseEvent {
            client_id: c1.id,
            session_id: Some(s1.id),
            kind: "redness".parse().unwrap(),
            severity: "mild".parse().unwrap(),
            onset_on: "2026-11-20".into(),
            resolved_on: Some("2026-11-24".into()),
            action: "reassured; cool compress".into(),
            practitioner_id: u.id,
        };
        store.add_adverse_event(a.id, &ev, smp_store::UserId(0)).await.unwrap();
        assert!(
            store
                .add_adverse_event(
                    a.id,
                    &NewAdverseEvent {
                        resolved_on: Some("2026-11-01".into()),
                        ..ev.clone()
                    },
                    smp_store::UserId(0)
                )
                .await
                .is_err(),
            "{b}: resolved before onset"
        );
        // An unknown kind never reaches the store: it is refused where it is read.
        assert!("itch".parse::<smp_store::EventKind>().unwrap_err().contains("redness, swelling"));
        assert!(
            store.add_adverse_event(z.id, &ev, smp_store::UserId(0)).await.is_err(),
            "{b}: another clinic's client"
        );
        assert_eq!(store.list_adverse_events(a.id, None).await.unwrap().len(), 1);
        assert_eq!(store.list_adverse_events(a.id, Some(c2.id)).await.unwrap().len(), 0);

        let sv = NewSurvey {
            client_id: c1.id,
            practitioner_id: u.id,
            satisfaction: 5,
            would_recommend: true,
            comment: "great".into(),
        };
        store.add_survey(a.id, &sv).await.unwrap();
        assert!(
            store
                .add_survey(
                    a.id,
                    &NewSurvey {
                        satisfaction: 6,
                        ..sv.clone()
                    }
                )
                .await
                .is_err()
        );
        assert!(store.add_survey(z.id, &sv).await.is_err(), "{b}");
        assert!(store.list_surveys(a.id).await.unwrap()[0].would_recommend);
        assert!(store.list_surveys(z.id).await.unwrap().is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn audit_chain_never_forks_and_detects_tampering() {
    for db in test_databases("audit").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let z = store.create_clinic("Z").await.unwrap();
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let store = store.clone();
                let clinic = if i % 4 == 0 { z.id } else { a.id };
                tokio::spawn(async move {
                    store
                        .audit(
                            clinic,
                            &AuditEvent {
                                actor: smp_store::UserId(1),
                                action: "read",
                                entity: "design",
                                entity_id: i,
                                client_id: Some(ClientId(7)),
                            },
                        )
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        let log = store.audit_log(a.id).await.unwrap();
        assert_eq!(log.len(), 30, "{b}");
        assert_eq!(verify(&log), Ok(()), "{b}");
        assert_eq!(verify(&store.audit_log(z.id).await.unwrap()), Ok(()), "{b}");
        assert!(log.iter().all(|e| e.subject == "client:7"), "pseudonymous subjects only");
        // Tamper with one row behind the app's back: verification names it.
        let sql = "UPDATE audit_log SET action = 'change' WHERE clinic_id = $1 AND seq = 12";
        if db.backend == "sqlite" {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sql).bind(a.id.0).execute(&pool).await.unwrap();
        } else {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sql).bind(a.id.0).execute(&pool).await.unwrap();
        }
        let broken = verify(&store.audit_log(a.id).await.unwrap()).unwrap_err();
        assert_eq!(broken.seq, 12, "{b}: {broken:?}");
        // Deleting a row is caught too.
        let mut log = store.audit_log(a.id).await.unwrap();
        log.remove(3);
        assert_eq!(verify(&log).unwrap_err().seq, 5);
    }
}

/// Issue 14: a tattoo session is refused, when recorded as when booked, for a client
/// without signed current consent or screening, with a blocking contraindication, or
/// with a positive patch test; and the store's dates are real calendar dates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_need_consent_screening_and_no_contraindication() {
    for db in test_databases("readiness").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let u = store.create_user(a.id, "p@a.test", Role::Practitioner, "h").await.unwrap();
        let c = client(store.as_ref(), a.id, "One").await;
        let needle = store.add_lot(a.id, &lot("needle", "N-1", "2027-06-30")).await.unwrap();
        let ink = store.add_lot(a.id, &lot("pigment", "P-1", "2027-06-30")).await.unwrap();
        let book = |on: &str| NewAppointment {
            client_id: c.id,
            practitioner_id: u.id,
            kind: "session".parse().unwrap(),
            starts_at: format!("{on}T10:00"),
            minutes: 180,
            room: String::new(),
        };
        let refused = |e: StoreError, want: &str| {
            let StoreError::NotReady(why) = &e else {
                panic!("{b}: not a readiness refusal: {e}")
            };
            assert!(why.iter().any(|w| w.contains(want)), "{b}: {why:?} lacks {want:?}");
        };
        let s = session(c.id, u.id, needle.id, ink.id, "2026-12-10");
        // Nothing on file: no consent text, no screening.
        refused(store.record_session(a.id, &s).await.unwrap_err(), "no consent text");
        refused(store.record_session(a.id, &s).await.unwrap_err(), "no screening");
        refused(store.book_appointment(a.id, &book("2099-12-10")).await.unwrap_err(), "no screening");
        // A consultation needs none of it.
        let mut consult = book("2099-12-09");
        consult.kind = AppointmentKind::Consultation;
        store.book_appointment(a.id, &consult).await.unwrap();
        // Consent published but not signed.
        let doc = store
            .publish_consent(a.id, "I agree to scalp micropigmentation and have read the aftercare guidance.")
            .await
            .unwrap();
        refused(
            store.record_session(a.id, &s).await.unwrap_err(),
            "has not signed the current consent (version 1)",
        );
        store
            .sign_consent(
                a.id,
                c.id,
                &smp_store::testing::signature(doc.id, &doc.sha256, "One"),
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        // A transplant four months before the session blocks it; seven months before, not.
        let transplant = |on: &str| ScreeningAnswers {
            hair_transplant_on: on.into(),
            ..Default::default()
        };
        store
            .add_screening(a.id, c.id, &transplant("2026-08-10"), smp_store::UserId(0))
            .await
            .unwrap();
        refused(store.record_session(a.id, &s).await.unwrap_err(), "Hair transplant");
        store
            .add_screening(a.id, c.id, &transplant("2026-05-01"), smp_store::UserId(0))
            .await
            .unwrap();
        // A new consent version must be signed again.
        let v2 = store
            .publish_consent(
                a.id,
                "I agree to scalp micropigmentation, version two, with the new aftercare guidance.",
            )
            .await
            .unwrap();
        refused(store.record_session(a.id, &s).await.unwrap_err(), "(version 2)");
        store
            .sign_consent(
                a.id,
                c.id,
                &smp_store::testing::signature(v2.id, &v2.sha256, "One"),
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        store.book_appointment(a.id, &book("2099-12-10")).await.unwrap();
        store.record_session(a.id, &s).await.unwrap();
        // A positive patch test stops the next one.
        store.add_patch_test(a.id, c.id, ink.id, "2026-12-11", "positive").await.unwrap();
        refused(
            store
                .record_session(a.id, &session(c.id, u.id, needle.id, ink.id, "2026-12-20"))
                .await
                .unwrap_err(),
            "positive patch test to pigment product P-1",
        );
        assert_eq!(
            store.list_sessions(a.id, c.id).await.unwrap().len(),
            1,
            "{b}: nothing refused was kept"
        );
        // With its check-ins and its audit entry, in one transaction (issue 14).
        let before = store.audit_log(a.id).await.unwrap().len();
        let (rec, entry) = store
            .record_session_audited(
                a.id,
                &session(c.id, u.id, needle.id, ink.id, "2026-12-06"),
                &[(2, "call"), (7, "call"), (28, "visit")],
                u.id,
            )
            .await
            .unwrap();
        let due: Vec<String> = store
            .list_follow_ups(a.id, Some(c.id))
            .await
            .unwrap()
            .into_iter()
            .filter(|f| f.session_id == rec.id)
            .map(|f| f.due_on)
            .collect();
        assert_eq!(due, ["2026-12-08", "2026-12-13", "2027-01-03"], "{b}");
        let log = store.audit_log(a.id).await.unwrap();
        assert_eq!(log.len(), before + 1, "{b}");
        assert_eq!(
            (log.last().unwrap(), entry.action.as_str(), entry.entity_id),
            (&entry, "create", rec.id.0)
        );
        assert!(smp_store::audit::verify(&log).is_ok(), "{b}");
        // Refused: nothing of it is written.
        let n = store.list_sessions(a.id, c.id).await.unwrap().len();
        assert!(
            store
                .record_session_audited(a.id, &session(c.id, u.id, needle.id, ink.id, "2026-12-20"), &[(2, "call")], u.id)
                .await
                .is_err()
        );
        assert_eq!(store.list_sessions(a.id, c.id).await.unwrap().len(), n, "{b}");
        assert_eq!(store.audit_log(a.id).await.unwrap().len(), before + 1, "{b}");
        // Calendar dates: no 31 February, leap days fine, no panic on a multi-byte time.
        let e = store
            .record_session(a.id, &session(c.id, u.id, needle.id, ink.id, "2024-02-31"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not a date"), "{b}: {e}");
        let mut odd = book("2099-12-10");
        odd.starts_at = "AAAAAAAAAé12345".into();
        assert!(
            store
                .book_appointment(a.id, &odd)
                .await
                .unwrap_err()
                .to_string()
                .contains("not a time"),
            "{b}"
        );
        assert!(smp_store::records::check_date("d", "2024-02-29").is_ok());
        assert!(smp_store::records::check_date("d", "2023-02-29").is_err());
    }
}

/// Issue 14: free text has limits, each refusal naming the field (a 10 MB lot name once
/// made every client page 20–29 MB); nothing refused is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_text_is_limited_by_field() {
    for db in test_databases("text-limits").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let huge = "x".repeat(10 << 20);
        let e = store.add_lot(a.id, &lot("pigment", &huge, "2027-01-31")).await.unwrap_err();
        assert!(
            e.to_string().contains("lot_number is 10485760 characters long; at most 200"),
            "{b}: {e}"
        );
        assert!(store.list_lots(a.id).await.unwrap().is_empty(), "{b}");
        let mut l = lot("pigment", "P-1", "2027-01-31");
        l.product = "é".repeat(201);
        assert!(
            store
                .add_lot(a.id, &l)
                .await
                .unwrap_err()
                .to_string()
                .contains("product is 201 characters"),
            "{b}"
        );
        l.product = "é".repeat(200);
        let ink = store.add_lot(a.id, &l).await.unwrap();
        let e = store.recall_lot(a.id, ink.id, &huge).await.unwrap_err();
        assert!(e.to_string().starts_with("reason is"), "{b}: {e}");
        assert!(store.lot(a.id, ink.id).await.unwrap().recalled_at.is_none(), "{b}");
        let e = store.publish_consent(a.id, &huge).await.unwrap_err();
        assert!(e.to_string().contains("at most 100000"), "{b}: {e}");
    }
}

/// Issue 14: a practitioner or a room cannot be double-booked, and nothing is booked in
/// the past.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bookings_do_not_overlap_or_lie_in_the_past() {
    for db in test_databases("bookings").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let u = store.create_user(a.id, "p@a.test", Role::Practitioner, "h").await.unwrap();
        let v = store.create_user(a.id, "q@a.test", Role::Practitioner, "h").await.unwrap();
        let c = client(store.as_ref(), a.id, "One").await;
        let book = |who: UserId, at: &str, minutes: i64, room: &str| NewAppointment {
            client_id: c.id,
            practitioner_id: who,
            kind: "consultation".parse().unwrap(),
            starts_at: at.into(),
            minutes,
            room: room.into(),
        };
        store
            .book_appointment(a.id, &book(u.id, "2099-03-02T10:00", 60, "Room 1"))
            .await
            .unwrap();
        let e = store
            .book_appointment(a.id, &book(u.id, "2099-03-02T10:30", 30, "Room 2"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("the practitioner is booked 2099-03-02T10:00"), "{b}: {e}");
        let e = store
            .book_appointment(a.id, &book(v.id, "2099-03-02T09:30", 45, "room 1"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("the room is booked"), "{b}: {e}");
        // Back to back is fine, and so is another practitioner in another room.
        store
            .book_appointment(a.id, &book(u.id, "2099-03-02T11:00", 30, "Room 1"))
            .await
            .unwrap();
        store
            .book_appointment(a.id, &book(v.id, "2099-03-02T10:15", 30, "Room 2"))
            .await
            .unwrap();
        // Across midnight.
        store.book_appointment(a.id, &book(v.id, "2099-03-02T23:30", 90, "")).await.unwrap();
        let e = store
            .book_appointment(a.id, &book(v.id, "2099-03-03T00:15", 30, ""))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("overlapping"), "{b}: {e}");
        let e = store
            .book_appointment(a.id, &book(u.id, "2020-01-01T10:00", 30, ""))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("in the past"), "{b}: {e}");
        assert_eq!(
            store.list_appointments(a.id, "0").await.unwrap().len(),
            4,
            "{b}: only the accepted ones"
        );
    }
}

/// Issue 14: two desks (two server processes: two stores on one database) booking the
/// same practitioner's slot at the same moment get one booking, not two; the others are
/// told the slot is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_bookings_of_one_slot_give_one_appointment() {
    for db in test_databases("booking-race").await {
        let b = db.backend;
        let first = open(&db).await;
        let a = first.create_clinic("A").await.unwrap();
        let u = first.create_user(a.id, "p@a.test", Role::Practitioner, "h").await.unwrap();
        let c = client(first.as_ref(), a.id, "One").await;
        let desks = [first.clone(), open(&db).await, open(&db).await];
        for round in 0..3 {
            let at = format!("2099-04-0{}T10:00", round + 1);
            let tries = (0..6).map(|k| {
                let store = desks[k % desks.len()].clone();
                let want = NewAppointment {
                    client_id: c.id,
                    practitioner_id: u.id,
                    kind: "consultation".parse().unwrap(),
                    starts_at: at.clone(),
                    minutes: 60,
                    room: String::new(),
                };
                tokio::spawn(async move { store.book_appointment(a.id, &want).await })
            });
            let results = futures_join(tries.collect()).await;
            let booked = results.iter().filter(|r| r.is_ok()).count();
            assert_eq!(booked, 1, "{b}, round {round}: {results:?}");
            for e in results.iter().filter_map(|r| r.as_ref().err()) {
                assert!(e.to_string().contains("the practitioner is booked"), "{b}: {e}");
            }
        }
        assert_eq!(first.list_appointments(a.id, "0").await.unwrap().len(), 3, "{b}");
    }
}

/// Waits for every task, in order.
async fn futures_join<T: Send + 'static>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

/// Issue 14: an appointment can be moved (under the booking rules) or cancelled; a
/// cancelled one leaves the list and frees its time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appointments_move_and_cancel() {
    for db in test_databases("reschedule").await {
        let b = db.backend;
        let store = open(&db).await;
        let a = store.create_clinic("A").await.unwrap();
        let u = store.create_user(a.id, "p@a.test", Role::Practitioner, "h").await.unwrap();
        let c = client(store.as_ref(), a.id, "One").await;
        let book = |at: &str| NewAppointment {
            client_id: c.id,
            practitioner_id: u.id,
            kind: "consultation".parse().unwrap(),
            starts_at: at.into(),
            minutes: 60,
            room: String::new(),
        };
        let first = store.book_appointment(a.id, &book("2099-04-01T09:00")).await.unwrap();
        let second = store.book_appointment(a.id, &book("2099-04-01T11:00")).await.unwrap();
        // Moving onto another booking is refused; by a quarter of an hour onto itself is fine.
        let e = store
            .reschedule_appointment(a.id, first.id, "2099-04-01T10:30", 60)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("overlapping"), "{b}: {e}");
        let moved = store.reschedule_appointment(a.id, first.id, "2099-04-01T09:15", 45).await.unwrap();
        assert_eq!((moved.starts_at.as_str(), moved.minutes), ("2099-04-01T09:15", 45));
        let e = store
            .reschedule_appointment(a.id, first.id, "2020-04-01T09:15", 45)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("in the past"), "{b}: {e}");
        store.cancel_appointment(a.id, second.id).await.unwrap();
        let left: Vec<AppointmentId> = store.list_appointments(a.id, "0").await.unwrap().iter().map(|x| x.id).collect();
        assert_eq!(left, [first.id], "{b}");
        assert!(
            matches!(store.cancel_appointment(a.id, second.id).await, Err(StoreError::NotFound(_))),
            "{b}: once"
        );
        // Its time is free again.
        store.reschedule_appointment(a.id, first.id, "2099-04-01T11:00", 60).await.unwrap();
        // Another clinic's appointment is not found.
        let z = store.create_clinic("Z").await.unwrap();
        assert!(
            matches!(store.cancel_appointment(z.id, first.id).await, Err(StoreError::NotFound(_))),
            "{b}"
        );
    }
}
