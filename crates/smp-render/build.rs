//! Tabulates the blurred-disk profile (`src/disk_profile.rs`) once, at build time.

include!("src/disk_profile.rs");

fn main() {
    println!("cargo::rerun-if-changed=src/disk_profile.rs");
    let mut bytes = Vec::with_capacity(4 * NR * NP);
    for i in 0..NR {
        for j in 0..NP {
            bytes.extend_from_slice(&(profile_exact(i as f64 * STEP, j as f64 * STEP) as f32).to_le_bytes());
        }
    }
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("disk_table.bin");
    std::fs::write(&out, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
