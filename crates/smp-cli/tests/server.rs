//! `smp user add`, `smp serve` (demo clinic on a new database), and `smp backup` while
//! serving, then `smp restore`: the restored data is all there.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

use common::{stderr, tmp};

fn smp_stdin(args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn http_get(url: &str) -> String {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn counts(db: &std::path::Path) -> (i64, usize, usize) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = smp_store::open_sqlite(db).await.unwrap();
        let clinic = store.clinic_by_name("Demo Clinic").await.unwrap().expect("demo clinic");
        let clients = store.list_clients(clinic.id, "").await.unwrap();
        let mut designs = 0;
        for c in &clients {
            designs += store.list_designs(clinic.id, c.id).await.unwrap().len();
        }
        (store.clinic_count().await.unwrap(), clients.len(), designs)
    })
}

#[test]
fn user_add_serve_demo_backup_restore() {
    let dir = tmp("server");
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.join("data");
    let d = data.to_str().unwrap();

    // Users from the command line.
    let add = |email: &str, pw: &str| {
        smp_stdin(
            &[
                "user",
                "add",
                "--data",
                d,
                "--clinic",
                "Scalp Studio",
                "--email",
                email,
                "--role",
                "owner",
                "--password-stdin",
            ],
            pw,
        )
    };
    let o = add("owner@scalp.test", "short\n");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("at least 10 characters"));
    let o = add("owner@scalp.test", "a long enough passphrase\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("created clinic 'Scalp Studio'"));
    let o = add("OWNER@scalp.test", "a long enough passphrase\n");
    assert_eq!(o.status.code(), Some(2), "duplicate e-mail: {}", stderr(&o));
    let o = smp_stdin(
        &[
            "user",
            "add",
            "--data",
            d,
            "--clinic",
            "X",
            "--email",
            "a@b.test",
            "--role",
            "boss",
            "--password-stdin",
        ],
        "x\n",
    );
    assert!(stderr(&o).contains("unknown role"));

    // A second, new data directory gets the demo clinic.
    let demo = dir.join("demo");
    let mut server = Command::new(env!("CARGO_BIN_EXE_smp"))
        .args([
            "serve",
            "--data",
            demo.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
            "--demo-photo-width",
            "240",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let mut printed = String::new();
    let url = loop {
        let line = lines.next().expect("serve prints its URL").unwrap();
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.split("open ").nth(1) {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    for _ in 0..4 {
        printed.push_str(&lines.next().unwrap().unwrap());
    }
    assert!(printed.contains("owner@demo.smp") && printed.contains("password"), "{printed}");
    assert!(http_get(&format!("{url}healthz")).ends_with("ok"));
    assert!(http_get(&format!("{url}clients")).starts_with("HTTP/1.1 303"), "pages need a login");

    // Online backup while the server runs, then restore elsewhere.
    let backup = dir.join("b.tar");
    let o = common::smp(&["backup", "--data", demo.to_str().unwrap(), "-o", backup.to_str().unwrap(), "-q"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = common::smp(&["backup", "--data", demo.to_str().unwrap(), "-o", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "never overwrite a backup");
    let _ = server.kill();
    let _ = server.wait();
    let restored = dir.join("restored");
    let o = common::smp(&["restore", backup.to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(counts(&restored.join("smp.db")), counts(&demo.join("smp.db")));
    assert_eq!(counts(&restored.join("smp.db")), (1, 3, 3));
    let photos = |root: &std::path::Path| walk(&root.join("photos"));
    assert_eq!(photos(&restored), photos(&demo), "every photo file restored");
    assert_eq!(photos(&demo).len(), 3);
    let o = common::smp(&["restore", backup.to_str().unwrap(), "--data", restored.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "restore never overwrites a database");
    let o = common::smp(&[
        "restore",
        dir.join("nope.tar").to_str().unwrap(),
        "--data",
        dir.join("x").to_str().unwrap(),
    ]);
    assert!(!o.status.success());

    // The audit chain of the restored copy verifies; a row changed behind the app's back
    // is caught.
    // The server made its signing key on first start (mode 0600); the backup leaves it
    // out, so the restored copy is checked with the original.
    let key = demo.join("audit.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(!restored.join("audit.key").exists(), "the key is not in the backup");
    let db = restored.join("smp.db");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = smp_store::open_sqlite(&db).await.unwrap();
        let anchor = smp_store::anchor::Anchor::open(&restored, Some(&key)).unwrap();
        let clinic = store.clinic_by_name("Demo Clinic").await.unwrap().unwrap();
        for i in 0..3 {
            let ev = smp_store::audit::AuditEvent {
                actor: smp_store::UserId(1),
                action: "read",
                entity: "design",
                entity_id: i,
                client_id: Some(smp_store::ClientId(1)),
            };
            anchor.record(&store.audit(clinic.id, &ev).await.unwrap()).unwrap();
        }
    });
    let verify = |json: bool| {
        let mut args = vec![
            "audit",
            "verify",
            "--data",
            restored.to_str().unwrap(),
            "--audit-key-file",
            key.to_str().unwrap(),
        ];
        if json {
            args.push("--json");
        }
        common::smp(&args)
    };
    let o = verify(true);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["intact"], true);
    // The demo's setup (3 clients and 3 designs, each written with its entry) and the
    // 3 reads above.
    assert_eq!(v[0]["entries"], 9);
    // Without the key the heads cannot be checked: said, and not called intact.
    let o = common::smp(&["audit", "verify", "--data", restored.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("no audit key"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let sql = |q: &'static str| {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let pool = sqlx::SqlitePool::connect(&format!("sqlite:{}", db.display())).await.unwrap();
            sqlx::query(q).execute(&pool).await.unwrap();
        })
    };
    // The last entry deleted: the chain alone still links, the signed head catches it.
    sql("DELETE FROM audit_log WHERE seq = 9");
    let o = verify(false);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("tail was removed"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    sql("UPDATE audit_log SET entity_id = 99 WHERE seq = 8");
    let o = verify(false);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("TAMPERED at entry 8"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}
