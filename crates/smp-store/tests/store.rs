//! One story against every backend (SQLite, and PostgreSQL when available): clinics,
//! users, sessions, clients, photos, design versions with conflicts, tenant isolation.

use smp_store::testing::{open, test_databases};
use smp_store::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn store_story_on_every_backend() {
    for db in test_databases("store-story").await {
        let store = open(&db).await;
        let b = db.backend;
        assert_eq!(store.backend(), b);
        assert_eq!(store.clinic_count().await.unwrap(), 0, "{b}");

        let a = store.create_clinic("Alpha SMP").await.unwrap();
        let z = store.create_clinic("Zeta Scalp").await.unwrap();
        // A new clinic starts in the server's own time zone (a name the bundled database
        // knows); the owner can choose another, and an unknown name is refused.
        assert_eq!(a.time_zone, smp_records::clock::system_zone_name(), "{b}");
        assert!(smp_records::clock::zone(&a.time_zone).is_ok(), "{b}");
        store.set_time_zone(a.id, "Europe/London").await.unwrap();
        assert_eq!(store.clinic(a.id).await.unwrap().time_zone, "Europe/London", "{b}");
        let bad = store.set_time_zone(a.id, "Europe/Atlantis").await.unwrap_err();
        assert!(
            matches!(&bad, StoreError::BadInput(m) if m.contains("Europe/Atlantis")),
            "{b}: {bad}"
        );
        assert_eq!(
            store.clinic(z.id).await.unwrap().time_zone,
            z.time_zone,
            "{b}: the other clinic keeps its own"
        );
        assert!(
            matches!(store.create_clinic("Alpha SMP").await, Err(StoreError::Duplicate { .. })),
            "{b}"
        );
        assert_eq!(store.clinic_by_name("Alpha SMP").await.unwrap().unwrap().id, a.id);

        let owner = store.create_user(a.id, "Owner@Alpha.test", Role::Owner, "hash1").await.unwrap();
        assert_eq!(owner.email, "owner@alpha.test");
        // Unique within a clinic …
        let err = store
            .create_user(a.id, "owner@alpha.test", Role::Practitioner, "h")
            .await
            .unwrap_err();
        assert!(err.to_string().contains("already taken"), "{b}: {err}");
        // … but another clinic may take the same e-mail: its owner learns nothing of clinic A.
        let twin = store.create_user(z.id, "OWNER@alpha.test", Role::Owner, "h").await.unwrap();
        let zuser = store.create_user(z.id, "p@zeta.test", Role::Practitioner, "h").await.unwrap();
        let ids: Vec<UserId> = store
            .users_by_email("OWNER@alpha.test")
            .await
            .unwrap()
            .iter()
            .map(|u| u.id)
            .collect();
        assert_eq!(ids, vec![owner.id, twin.id], "{b}");
        assert!(store.users_by_email("nobody@alpha.test").await.unwrap().is_empty(), "{b}");
        store.set_password(a.id, owner.id, "hash2", true).await.unwrap();
        let u = store.user(a.id, owner.id).await.unwrap();
        assert_eq!((u.password_hash.as_str(), u.must_change_password), ("hash2", true));
        // Another clinic's user is "not found", and can't be changed through clinic A.
        assert!(matches!(store.user(a.id, zuser.id).await, Err(StoreError::NotFound(_))), "{b}");
        assert!(store.set_password(a.id, zuser.id, "x", false).await.is_err(), "{b}");

        let s = AuthSession {
            token_hash: "t1".into(),
            user_id: owner.id,
            clinic_id: a.id,
            csrf_token: "c".into(),
            second_factor_pending: true,
            created_at: 100,
            expires_at: 200,
        };
        store.create_session(&s).await.unwrap();
        assert!(store.session("t1", 150).await.unwrap().unwrap().second_factor_pending);
        store.complete_second_factor("t1").await.unwrap();
        assert!(!store.session("t1", 150).await.unwrap().unwrap().second_factor_pending);
        assert!(
            store.session("t1", 250).await.unwrap().is_none(),
            "{b}: expired session must not load"
        );
        store.delete_user_sessions(a.id, owner.id).await.unwrap();
        assert!(store.session("t1", 150).await.unwrap().is_none());
        // Idle logout (issue 14): a login unused for the clinic's idle time (15 minutes
        // by default) ends; each use moves its clock on.
        let t0 = 1_000_000;
        let idle = AuthSession {
            token_hash: "t2".into(),
            second_factor_pending: false,
            created_at: t0,
            expires_at: t0 + 12 * 3600,
            ..s.clone()
        };
        store.create_session(&idle).await.unwrap();
        assert_eq!(store.idle_minutes(a.id).await.unwrap(), 15, "{b}");
        assert!(store.session("t2", t0 + 14 * 60).await.unwrap().is_some(), "{b}: used after 14 min");
        assert!(
            store.session("t2", t0 + 28 * 60).await.unwrap().is_some(),
            "{b}: 14 min after its last use"
        );
        assert!(
            store.session("t2", t0 + 44 * 60).await.unwrap().is_none(),
            "{b}: 16 min unused: logged out"
        );
        store.set_idle_minutes(a.id, 30).await.unwrap();
        assert!(
            store.session("t2", t0 + 44 * 60).await.unwrap().is_some(),
            "{b}: the clinic allows 30 min"
        );
        let e = store.set_idle_minutes(a.id, 1).await.unwrap_err();
        assert!(e.to_string().contains("choose 5 to 480 minutes"), "{b}: {e}");
        store.delete_user_sessions(a.id, owner.id).await.unwrap();

        let c1 = store
            .create_client(
                a.id,
                &ClientFields {
                    name: "Dan Smith".into(),
                    email: "dan@x.test".into(),
                    ..Default::default()
                },
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        store
            .create_client(
                a.id,
                &ClientFields {
                    name: "amy Jones".into(),
                    ..Default::default()
                },
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        let zc = store
            .create_client(
                z.id,
                &ClientFields {
                    name: "Dan Other".into(),
                    ..Default::default()
                },
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        assert!(
            store
                .create_client(a.id, &ClientFields::default(), smp_store::UserId(0))
                .await
                .is_err(),
            "{b}: empty name"
        );
        let names: Vec<_> = store
            .list_clients(a.id, "")
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.fields.name)
            .collect();
        assert_eq!(names, ["amy Jones", "Dan Smith"], "{b}");
        assert_eq!(store.list_clients(a.id, "DAN").await.unwrap().len(), 1, "{b}: search is per clinic");
        assert_eq!(
            store.list_clients(a.id, "%").await.unwrap().len(),
            2,
            "{b}: wildcards are literal-free"
        );
        assert!(matches!(store.client(a.id, zc.id).await, Err(StoreError::NotFound(_))), "{b}");
        let edited = ClientFields {
            name: "Dan Smith".into(),
            phone: "0123".into(),
            ..Default::default()
        };
        assert_eq!(
            store
                .update_client(a.id, c1.id, &edited, smp_store::UserId(0))
                .await
                .unwrap()
                .fields
                .phone,
            "0123"
        );
        assert!(
            store.update_client(z.id, c1.id, &edited, smp_store::UserId(0)).await.is_err(),
            "{b}: cross-clinic update"
        );

        let photo = NewPhoto {
            client_id: c1.id,
            view: "top".into(),
            taken_on: "2026-11-01".into(),
            sha256: "ab".repeat(32),
            media_type: "image/png".into(),
            width_px: 640,
            height_px: 480,
        };
        let p = store.add_photo(a.id, &photo).await.unwrap();
        assert!(
            store.add_photo(z.id, &photo).await.is_err(),
            "{b}: photo for another clinic's client"
        );
        assert!(
            store
                .add_photo(
                    a.id,
                    &NewPhoto {
                        view: "side".into(),
                        ..photo.clone()
                    }
                )
                .await
                .is_err()
        );
        assert_eq!(store.list_photos(a.id, c1.id).await.unwrap().len(), 1);
        assert!(store.photo(z.id, p.id).await.is_err(), "{b}");

        let (d, v1) = store
            .create_design(a.id, c1.id, "First", Some(p.id), "{\"v\":1}", owner.id)
            .await
            .unwrap();
        assert_eq!((d.latest_version, v1.version), (1, 1));
        assert!(store.create_design(z.id, c1.id, "x", None, "{}", zuser.id).await.is_err(), "{b}");
        let v2 = store
            .save_version(a.id, d.id, 1, "{\"v\":2}", "lower hairline", owner.id)
            .await
            .unwrap();
        assert_eq!(v2.version, 2);
        // A second tab that also started from version 1: conflict, nothing overwritten.
        let stale = store
            .save_version(a.id, d.id, 1, "{\"v\":\"stale\"}", "", owner.id)
            .await
            .unwrap_err();
        assert!(matches!(stale, StoreError::Conflict { latest_version: 2, .. }), "{b}: {stale}");
        assert_eq!(store.design_version(a.id, d.id, 2).await.unwrap().json, "{\"v\":2}");
        let (v, client) = store.design_version_for(a.id, d.id, 2).await.unwrap();
        assert_eq!((v.json.as_str(), client), ("{\"v\":2}", c1.id), "{b}");
        assert!(
            matches!(store.design_version_for(z.id, d.id, 2).await, Err(StoreError::NotFound(_))),
            "{b}: cross-clinic read"
        );
        assert!(
            matches!(store.design_version_for(a.id, d.id, 3).await, Err(StoreError::NotFound(_))),
            "{b}"
        );
        assert_eq!(store.list_versions(a.id, d.id).await.unwrap().len(), 2);
        assert!(
            store.save_version(z.id, d.id, 2, "{}", "", zuser.id).await.is_err(),
            "{b}: cross-clinic save"
        );
        assert!(store.design(z.id, d.id).await.is_err());
        assert!(store.list_versions(z.id, d.id).await.unwrap().is_empty(), "{b}");
        assert_eq!(store.list_designs(a.id, c1.id).await.unwrap().len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_saves_from_one_base_never_fork() {
    for db in test_databases("store-race").await {
        let store = open(&db).await;
        let c = store.create_clinic("Race").await.unwrap();
        let u = store.create_user(c.id, "r@race.test", Role::Owner, "h").await.unwrap();
        let client = store
            .create_client(
                c.id,
                &ClientFields {
                    name: "R".into(),
                    ..Default::default()
                },
                smp_store::UserId(0),
            )
            .await
            .unwrap();
        let (d, _) = store.create_design(c.id, client.id, "D", None, "{}", u.id).await.unwrap();
        let tasks: Vec<_> = (0..8)
            .map(|i| {
                let store = store.clone();
                tokio::spawn(async move { store.save_version(c.id, d.id, 1, &format!("{{\"tab\":{i}}}"), "", u.id).await })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(v) => {
                    assert_eq!(v.version, 2);
                    ok += 1
                }
                Err(StoreError::Conflict { .. }) => {}
                Err(e) => panic!("{}: unexpected {e}", db.backend),
            }
        }
        assert_eq!(ok, 1, "{}: exactly one of the racing saves wins", db.backend);
        assert_eq!(store.list_versions(c.id, d.id).await.unwrap().len(), 2);
    }
}

/// Audit entries are group-committed: many at once from two clinics, through two
/// store handles on one database (as two server processes would), mixed with a
/// session's own in-transaction entry. Every caller gets its own entry back, each
/// clinic's chain holds them all once, in order, and verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_audit_entries_are_committed_together_and_chain() {
    use smp_store::audit::{AuditEvent, verify};
    for db in test_databases("store-audit-group").await {
        let first = open(&db).await;
        let second = open(&db).await;
        let a = first.create_clinic("Group A").await.unwrap();
        let b = first.create_clinic("Group B").await.unwrap();
        let tasks: Vec<_> = (0..120i64)
            .map(|i| {
                let store = if i % 3 == 0 { second.clone() } else { first.clone() };
                let clinic = if i % 2 == 0 { a.id } else { b.id };
                tokio::spawn(async move {
                    let ev = AuditEvent {
                        actor: smp_store::UserId(7),
                        action: "read",
                        entity: "design",
                        entity_id: i,
                        client_id: Some(ClientId(i)),
                    };
                    (i, clinic, store.audit(clinic, &ev).await)
                })
            })
            .collect();
        for t in tasks {
            let (i, clinic, entry) = t.await.unwrap();
            let entry = entry.unwrap_or_else(|e| panic!("{}: entry {i}: {e}", db.backend));
            assert_eq!(
                (entry.clinic_id, entry.entity_id, entry.subject.as_str()),
                (clinic, i, format!("client:{i}").as_str())
            );
        }
        for (clinic, parity) in [(a.id, 0), (b.id, 1)] {
            let log = first.audit_log(clinic).await.unwrap();
            assert_eq!(log.len(), 60, "{}", db.backend);
            let mut ids: Vec<i64> = log.iter().map(|e| e.entity_id).collect();
            ids.sort();
            assert_eq!(
                ids,
                (0..120).filter(|i| i % 2 == parity).collect::<Vec<_>>(),
                "{}: each entry once",
                db.backend
            );
            assert_eq!(log.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=60).collect::<Vec<_>>());
            verify(&log).unwrap_or_else(|e| panic!("{}: chain broke at {}: {}", db.backend, e.seq, e.reason));
        }
    }
}

/// A clinical write and its audit entry are one transaction: each write below leaves
/// exactly one entry naming its actor, and a refused write leaves none.
#[tokio::test]
async fn writes_carry_their_audit_entry_in_the_same_transaction() {
    for db in test_databases("store-audited-writes").await {
        let store = open(&db).await;
        let b = db.backend;
        let c = store.create_clinic("Audited").await.unwrap();
        let u = store.create_user(c.id, "a@audited.test", Role::Owner, "h").await.unwrap();
        let fields = ClientFields {
            name: "Ann".into(),
            ..Default::default()
        };
        let client = store.create_client(c.id, &fields, u.id).await.unwrap();
        store
            .update_client(
                c.id,
                client.id,
                &ClientFields {
                    phone: "01".into(),
                    ..fields.clone()
                },
                u.id,
            )
            .await
            .unwrap();
        let (d, _) = store.create_design(c.id, client.id, "D", None, "{}", u.id).await.unwrap();
        store.save_version(c.id, d.id, 1, "{\"v\":2}", "", u.id).await.unwrap();
        let log = store.audit_log(c.id).await.unwrap();
        let got: Vec<(UserId, &str, &str, i64, &str)> = log
            .iter()
            .map(|e| (e.actor, e.action.as_str(), e.entity.as_str(), e.entity_id, e.subject.as_str()))
            .collect();
        let subject = format!("client:{}", client.id);
        assert_eq!(
            got,
            vec![
                (u.id, "create", "client", client.id.0, subject.as_str()),
                (u.id, "change", "client", client.id.0, subject.as_str()),
                (u.id, "create", "design", d.id.0, subject.as_str()),
                (u.id, "change", "design", d.id.0, subject.as_str()),
            ],
            "{b}"
        );
        // Refused writes (an empty name, a stale save, another clinic's client) add nothing.
        assert!(store.create_client(c.id, &ClientFields::default(), u.id).await.is_err());
        assert!(store.save_version(c.id, d.id, 1, "{}", "", u.id).await.is_err());
        let other = store.create_clinic("Other").await.unwrap();
        assert!(store.update_client(other.id, client.id, &fields, u.id).await.is_err());
        assert_eq!(store.audit_log(c.id).await.unwrap().len(), 4, "{b}: no entry without its record");
        smp_store::audit::verify(&store.audit_log(c.id).await.unwrap()).unwrap();
    }
}

#[tokio::test]
async fn migrations_are_idempotent_and_sqlite_backs_up() {
    let dir = smp_store::testing::scratch_dir("store-backup");
    let path = dir.join("smp.db");
    let store = open_sqlite(&path).await.unwrap();
    store.create_clinic("Keep").await.unwrap();
    drop(store);
    let store = open_sqlite(&path).await.unwrap();
    assert_eq!(store.clinic_count().await.unwrap(), 1, "reopening must not re-run migrations");
    let backup = dir.join("copy.db");
    store.backup_to(&backup).await.unwrap();
    assert!(store.backup_to(&backup).await.is_err(), "never overwrite an existing backup");
    let copy = open_sqlite(&backup).await.unwrap();
    assert!(copy.clinic_by_name("Keep").await.unwrap().is_some());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn file_store_is_content_addressed() {
    let dir = smp_store::testing::scratch_dir("files");
    let files = FileStore::new(&dir);
    let h = files.put(b"photo bytes").unwrap();
    assert_eq!(h, smp_store::files::sha256_hex(b"photo bytes"));
    assert_eq!(files.put(b"photo bytes").unwrap(), h);
    assert_eq!(files.get(&h).unwrap(), b"photo bytes");
    assert!(files.get("../../etc/passwd").is_err(), "hash names only");
    // Issue 14: the same new photo stored by many uploads at once (they once shared one
    // temporary file, and all but one failed with the server's path in the message).
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let want = smp_store::files::sha256_hex(&bytes);
    std::thread::scope(|sc| {
        for _ in 0..8 {
            sc.spawn(|| assert_eq!(files.put(&bytes).unwrap(), want));
        }
    });
    assert_eq!(files.get(&want).unwrap(), bytes);
    let leftovers = walk_tmp(&dir);
    assert_eq!(leftovers, 0, "no temporary files left behind");
    let _ = std::fs::remove_dir_all(dir);
}

fn walk_tmp(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                walk_tmp(&p)
            } else {
                usize::from(p.extension().is_some_and(|x| x == "tmp"))
            }
        })
        .sum()
}

/// Schema 9 makes staff e-mails unique per clinic; a database from before keeps its
/// users, their sessions and the records that name them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrading_to_per_clinic_emails_keeps_users_and_what_names_them() {
    for db in test_databases("upgrade-9").await {
        let b = db.backend;
        let pool = smp_store::testing::migrate_to(&db, 8).await;
        for sql in [
            "INSERT INTO clinics (id, name, created_at) VALUES (1, 'Alpha', 1), (2, 'Zeta', 1)",
            "INSERT INTO users (id, clinic_id, email, role, password_hash, must_change_password, totp_secret, created_at) \
             VALUES (7, 1, 'owner@alpha.test', 'owner', 'h7', 0, 'SECRET', 5)",
            "INSERT INTO auth_sessions (token_hash, user_id, clinic_id, csrf_token, second_factor_pending, created_at, expires_at) \
             VALUES ('tok', 7, 1, 'c', 0, 10, 99999999999)",
            "INSERT INTO clients (id, clinic_id, name, created_at) VALUES (3, 1, 'Ann', 5)",
            "INSERT INTO designs (id, clinic_id, client_id, name, latest_version, created_at) VALUES (4, 1, 3, 'd', 1, 6)",
            "INSERT INTO design_versions (design_id, clinic_id, version, json, created_by, created_at) VALUES (4, 1, 1, '{}', 7, 6)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap_or_else(|e| panic!("{b}: {sql}: {e}"));
        }
        pool.close().await;
        let store = open(&db).await;
        let users = store.users_by_email("owner@alpha.test").await.unwrap();
        assert_eq!(users.len(), 1, "{b}");
        assert_eq!(
            (users[0].id, users[0].password_hash.as_str(), users[0].totp_secret.as_deref()),
            (UserId(7), "h7", Some("SECRET")),
            "{b}"
        );
        assert_eq!(
            store.session("tok", 100).await.unwrap().unwrap().user_id,
            smp_store::UserId(7),
            "{b}: sessions survive"
        );
        assert_eq!(
            store.design_version(ClinicId(1), DesignId(4), 1).await.unwrap().created_by,
            smp_store::UserId(7),
            "{b}: records naming the user survive"
        );
        // The other clinic may now take the e-mail. On SQLite, whose table was rebuilt,
        // new ids still do not reuse old ones (PostgreSQL's sequence is untouched, and
        // was not advanced by this test's hand-written ids).
        let twin = store.create_user(ClinicId(2), "owner@alpha.test", Role::Owner, "h").await.unwrap();
        if b == "sqlite" {
            assert!(twin.id > smp_store::UserId(7), "{b}: {}", twin.id);
        }
        assert!(
            store.create_user(ClinicId(1), "owner@alpha.test", Role::Owner, "h").await.is_err(),
            "{b}"
        );
    }
}
