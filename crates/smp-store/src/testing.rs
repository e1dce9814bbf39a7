//! The databases a test suite runs against: SQLite always, PostgreSQL when
//! `SMP_TEST_POSTGRES_URL` names a server (a fresh database per call). With `CI=true`
//! a missing PostgreSQL is a failure, never a skip.

use std::path::PathBuf;
use std::sync::Arc;

use crate::ClientId;
use crate::Store;

/// A fresh database for one test.
pub struct TestDb {
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// Its URL (`sqlite:…` or `postgres://…`).
    pub url: String,
    /// A scratch directory (the SQLite file, photos).
    pub dir: PathBuf,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A new empty scratch directory under the system temp dir.
pub fn scratch_dir(tag: &str) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("smp-{tag}-{}-{n}-{}", std::process::id(), nanos % 1_000_000_000));
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Fresh databases for every backend this machine can run.
pub async fn test_databases(tag: &str) -> Vec<TestDb> {
    let dir = scratch_dir(tag);
    let mut dbs = vec![TestDb {
        backend: "sqlite",
        url: format!("sqlite:{}", dir.join("smp.db").display()),
        dir,
    }];
    match std::env::var("SMP_TEST_POSTGRES_URL") {
        Ok(base) if !base.is_empty() => {
            let url = crate::postgres::fresh_database(&base, "smp_test")
                .await
                .unwrap_or_else(|e| panic!("SMP_TEST_POSTGRES_URL={base}: cannot create a test database: {e}"));
            dbs.push(TestDb {
                backend: "postgres",
                url,
                dir: scratch_dir(tag),
            });
        }
        _ if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("CI=true but SMP_TEST_POSTGRES_URL is not set: .ci/run must start PostgreSQL (scripts/start-postgres.sh)")
        }
        _ => {
            eprintln!("\n*** SKIPPING PostgreSQL for {tag}: SMP_TEST_POSTGRES_URL is not set (eval \"$(scripts/start-postgres.sh)\") ***\n")
        }
    }
    dbs
}

/// Opens a test database.
pub async fn open(db: &TestDb) -> Arc<dyn Store> {
    crate::open_url(&db.url)
        .await
        .unwrap_or_else(|e| panic!("{}: open {}: {e}", db.backend, db.url))
}

/// Migrates the test database only up to schema `version`, as an older build left it,
/// and returns a connection pool to fill it by hand before a test opens (and upgrades) it.
pub async fn migrate_to(db: &TestDb, version: i64) -> sqlx::AnyPool {
    crate::sql::install_drivers();
    let url = if db.backend == "sqlite" {
        format!("{}?mode=rwc", db.url)
    } else {
        db.url.clone()
    };
    let pool = sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap_or_else(|e| panic!("{}: connect {url}: {e}", db.backend));
    let flavour = if db.backend == "sqlite" {
        crate::migrate::sqlite
    } else {
        crate::migrate::postgres
    };
    crate::migrate::run_to(&pool, flavour, version)
        .await
        .unwrap_or_else(|e| panic!("{}: migrate to {version}: {e}", db.backend));
    pool
}

/// A plain drawn signature of consent version `document` (whose text hash is `sha`).
pub fn signature<'a>(document: crate::ConsentDocumentId, sha: &'a str, signer: &'a str) -> crate::NewSignature<'a> {
    crate::NewSignature {
        document_id: document,
        text_sha256: sha,
        signer_name: signer,
        signature_svg: "M0 0 L9 9 L20 4",
    }
}

/// The actor of records a test sets up without a user (audit entries name user 0).
pub const SETUP_ACTOR: crate::UserId = crate::UserId(0);

/// Makes `client` ready for a tattoo session, as a clinic would before the first one:
/// the clinic's consent text (a plain one is published if it has none) signed by the
/// client, and a screening with nothing to report.
pub async fn make_ready(store: &dyn Store, clinic: crate::ClinicId, client: ClientId) {
    let doc = match store.latest_consent(clinic).await.unwrap() {
        Some(d) => d,
        None => store
            .publish_consent(clinic, "I agree to scalp micropigmentation and have read the aftercare guidance.")
            .await
            .unwrap(),
    };
    store
        .sign_consent(clinic, client, &signature(doc.id, &doc.sha256, "Test Client"), SETUP_ACTOR)
        .await
        .unwrap();
    store
        .add_screening(clinic, client, &crate::ScreeningAnswers::default(), SETUP_ACTOR)
        .await
        .unwrap();
}
