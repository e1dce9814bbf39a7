//! The demo clinic a new database gets, so `smp serve` shows a living app: an owner,
//! a practitioner and a front-desk user, and synthetic clients each with a synthetic
//! head photo and a calibrated design.

use std::path::Path;
use std::str::FromStr;

use smp_design::{Design, Pattern};
use smp_store::{ClientFields, FileStore, NewPhoto, Role, Store, StoreResult};
use smp_synth::{SynthParams, SynthView, synth};

use crate::auth::password::hash_password;
use crate::auth::token::random_hex;
use crate::engine::HASH_PREFIX;

/// Name of the demo clinic.
pub const DEMO_CLINIC: &str = "Demo Clinic";
/// File in the data directory that keeps the demo logins (mode 0600).
pub const LOGIN_FILE: &str = "demo-login.txt";

/// The demo clinic's consent text (a starting point for a real clinic's own wording).
const DEMO_CONSENT: &str = "I agree to scalp micropigmentation as planned with my practitioner. I understand that the \
pigment is permanent until removed by laser (usually several sessions), that the result fades over years and needs \
touch-ups every 3-5 years, that redness and swelling usually settle within about a week, and that infection or an \
allergic reaction, though rare, are possible. I have told the clinic about my allergies, medication and skin \
conditions, and I will follow the aftercare instructions.";

/// A demo client: name, pattern, skin type, hair level.
pub type DemoClient = (&'static str, &'static str, u8, u8);

/// The synthetic clients.
pub const CLIENTS: &[DemoClient] = &[
    ("Alex Demo", "norwood-5", 2, 2),
    ("Sam Example", "norwood-3", 4, 1),
    ("Jordan Sample", "ludwig-2", 3, 5),
];

fn err(msg: String) -> smp_store::StoreError {
    smp_store::StoreError::BadInput(msg)
}

/// Seeds the demo clinic when the database has no clinic yet; returns the login text
/// (also written to `data_dir/demo-login.txt`).
pub async fn seed_if_empty(store: &dyn Store, files: &FileStore, data_dir: &Path, photo_width_px: u32) -> StoreResult<Option<String>> {
    if store.clinic_count().await? > 0 {
        return Ok(None);
    }
    let clinic = store.create_clinic(DEMO_CLINIC).await?;
    store.publish_consent(clinic.id, DEMO_CONSENT).await?;
    let (logins, owner_id) = seed_users(store, clinic.id).await?;
    for (i, entry) in CLIENTS.iter().enumerate() {
        seed_client(store, files, &clinic, i, *entry, owner_id, photo_width_px).await?;
    }
    let text = format!("Demo clinic logins (change these passwords under Account):\n{logins}");
    write_private(&data_dir.join(LOGIN_FILE), &text).map_err(|source| smp_store::StoreError::Io {
        path: LOGIN_FILE.into(),
        source,
    })?;
    Ok(Some(text))
}

/// The demo's three users, one per role; returns their login lines and the owner's id.
async fn seed_users(store: &dyn Store, clinic: smp_store::ClinicId) -> StoreResult<(String, smp_store::UserId)> {
    let mut logins = String::new();
    let mut owner_id = smp_store::UserId::default();
    for (email, role) in [
        ("owner@demo.smp", Role::Owner),
        ("practitioner@demo.smp", Role::Practitioner),
        ("desk@demo.smp", Role::FrontDesk),
    ] {
        let password = random_hex(6);
        let user = store
            .create_user(clinic, email, role, &hash_password(&password).map_err(err)?)
            .await?;
        if role == Role::Owner {
            owner_id = user.id;
        }
        logins.push_str(&format!("  {email:<24} password {password}   ({})\n", role.as_str()));
    }
    Ok((logins, owner_id))
}

/// Demo client `i`: a synthetic top-view photo of its pattern and a design on it.
async fn seed_client(
    store: &dyn Store,
    files: &FileStore,
    clinic: &smp_store::Clinic,
    i: usize,
    (name, pattern, skin, hair): DemoClient,
    owner_id: smp_store::UserId,
    photo_width_px: u32,
) -> StoreResult<()> {
    let client = store
        .create_client(
            clinic.id,
            &ClientFields {
                name: name.to_string(),
                email: format!("client{}@example.com", i + 1),
                ..Default::default()
            },
            owner_id,
        )
        .await?;
    let params = SynthParams {
        pattern: Pattern::from_str(pattern).map_err(err)?,
        view: SynthView::Top,
        skin_type: skin,
        hair_level: hair,
        scar: None,
        seed: 100 + i as u64,
        width_px: photo_width_px,
    };
    let head = tokio::task::spawn_blocking(move || synth(&params, "photo.png"))
        .await
        .map_err(|e| err(e.to_string()))?
        .map_err(err)?;
    let mut png = Vec::new();
    head.image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| err(e.to_string()))?;
    let hash = files.put(&png)?;
    let photo = store
        .add_photo(
            clinic.id,
            &NewPhoto {
                client_id: client.id,
                view: "top".into(),
                taken_on: crate::pages::today(&clinic.time_zone),
                sha256: hash.clone(),
                media_type: "image/png".into(),
                width_px: i64::from(head.image.width()),
                height_px: i64::from(head.image.height()),
            },
        )
        .await?;
    let mut draft = head.design.to_draft();
    draft.name = format!("{name}: {pattern}");
    // As a clinic would measure them (a close-up with `smp stubble`): the synthetic
    // client's true scalp and stubble-tip colours, so the demo's pigment advice does
    // not rest on hair sampled from a photo too coarse to resolve the tips.
    let lab = |rgb: [u8; 3]| smp_color::srgb::linear_to_lab(smp_color::srgb::rgb8_to_linear(rgb)).map(|v| (v * 10.0).round() / 10.0);
    draft.colours = smp_design::draft::Colours {
        skin_lab: Some(lab(head.skin_rgb)),
        hair_lab: Some(lab(head.hair_rgb)),
    };
    for v in &mut draft.views {
        v.file = format!("{HASH_PREFIX}{hash}");
    }
    let design = Design::from_draft(draft).map_err(|e| err(e.to_string()))?;
    store
        .create_design(
            clinic.id,
            client.id,
            "Consultation design",
            Some(photo.id),
            &design.to_json(),
            owner_id,
        )
        .await?;
    Ok(())
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(text.as_bytes())
}

/// The demo logins written at seeding, if the file is still there.
pub fn saved_logins(data_dir: &Path) -> Option<String> {
    std::fs::read_to_string(data_dir.join(LOGIN_FILE)).ok()
}
