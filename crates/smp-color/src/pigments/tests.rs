use super::*;

const LIGHT_SKIN: [f64; 3] = [68.0, 10.0, 16.0];
const DARK_SKIN: [f64; 3] = [38.0, 10.0, 16.0];

#[test]
fn builtin_library_loads_with_carbon_and_dilutions_0_to_6() {
    let lib = PigmentLibrary::builtin();
    assert!(lib.pigments.len() >= 4);
    assert_eq!(lib.pigments[0].name, "carbon black");
    assert_eq!(lib.dilutions, (0..=6).collect::<Vec<_>>());
    // Built from ~sRGB 20/20/22, carbon is within rounding of the optics' constant.
    let k = lib.pigments[0].pigment.k;
    let c = Pigment::carbon().k;
    assert!((0..3).all(|i| (k[i] - c[i]).abs() < 0.01), "{k:?} vs {c:?}");
}

#[test]
fn library_errors_are_clear() {
    let e = PigmentLibrary::from_json("{").unwrap_err().to_string();
    assert!(e.contains("not valid"), "{e}");
    let mk = |pigments: &str, dil: &str| {
        format!(r#"{{"format":"smp-pigments","version":1,"dilutions_water_parts":{dil},"pigments":{pigments}}}"#)
    };
    let e = PigmentLibrary::from_json(&mk("[]", "[0]")).unwrap_err().to_string();
    assert!(e.contains("no pigments"), "{e}");
    let e = PigmentLibrary::from_json(&mk(r#"[{"name":"x"}]"#, "[0]")).unwrap_err().to_string();
    assert!(e.contains("exactly one of"), "{e}");
    let e = PigmentLibrary::from_json(&mk(r#"[{"name":"x","masstone_srgb8":[0,0,0]}]"#, "[0]"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("without limit"), "{e}");
    let ok = PigmentLibrary::from_json(&mk(r#"[{"name":"x","masstone_linear":[0.01,0.01,0.01]}]"#, "[3,0,3]")).unwrap();
    assert_eq!(ok.dilutions, [0, 3]);
}

#[test]
fn lab_round_trips_through_linear() {
    for lab in [LIGHT_SKIN, DARK_SKIN, [20.0, 2.0, 3.0], [50.0, 0.0, 0.0]] {
        let back = srgb::linear_to_lab(lab_to_linear(lab));
        assert!(delta_e00(lab, back) < 1e-6, "{lab:?} → {back:?}");
    }
}

#[test]
fn healed_dots_darken_with_less_water_and_carbon_is_cool_on_light_skin() {
    let carbon = Pigment::carbon();
    let l: Vec<f64> = (0..=6).map(|d| predict_healed_lab(LIGHT_SKIN, &carbon, d)[0]).collect();
    assert!(l.windows(2).all(|w| w[0] < w[1]), "{l:?}");
    assert!(l[6] < LIGHT_SKIN[0]);
    // Turbid backscatter keeps blue: carbon's b* falls below the skin's.
    assert!(predict_healed_lab(LIGHT_SKIN, &carbon, 0)[2] < LIGHT_SKIN[2]);
}

#[test]
fn a_predicted_colour_as_target_returns_exactly_that_pigment_and_dilution() {
    let lib = PigmentLibrary::builtin();
    for skin in [LIGHT_SKIN, DARK_SKIN] {
        for p in &lib.pigments {
            for d in [0, 2, 5] {
                let target = predict_healed_lab(skin, &p.pigment, d);
                let m = match_pigment(skin, target, &lib).unwrap();
                assert_eq!((m.pigment.as_str(), m.dilution), (p.name.as_str(), d), "skin {skin:?}");
                assert!(m.predicted_delta_e00 < 1e-9);
                assert_eq!(m.alternatives.len(), ALTERNATIVES);
                assert!(m.alternatives[0].predicted_delta_e00 > 0.0);
                assert!(
                    m.alternatives
                        .windows(2)
                        .all(|w| w[0].predicted_delta_e00 <= w[1].predicted_delta_e00)
                );
                assert!(!m.warnings.iter().any(|w| w.contains("borderline") || w.contains("too dark")));
            }
        }
    }
}

#[test]
fn warnings_too_dark_undertone_and_borderline() {
    let lib = PigmentLibrary::builtin();
    // Lightest blonde on very light skin: no option is close (borderline), and with
    // undiluted pigment only, every dot heals far darker than the hair (too dark).
    let m = match_pigment([75.0, 8.0, 15.0], [74.0, 6.0, 18.0], &lib).unwrap();
    assert!(m.warnings.iter().any(|w| w.contains("borderline")), "{:?}", m.warnings);
    let neat_only = PigmentLibrary {
        pigments: lib.pigments.clone(),
        dilutions: vec![0],
    };
    let m = match_pigment([75.0, 8.0, 15.0], [74.0, 6.0, 18.0], &neat_only).unwrap();
    assert!(m.warnings.iter().any(|w| w.contains("too dark")), "{:?}", m.warnings);
    // Warm dark-brown hair on light skin with a carbon-only library: cool undertone.
    let carbon_only = PigmentLibrary {
        pigments: vec![lib.pigments[0].clone()],
        dilutions: lib.dilutions.clone(),
    };
    let m = match_pigment(LIGHT_SKIN, [30.0, 8.0, 14.0], &carbon_only).unwrap();
    assert!(m.warnings.iter().any(|w| w.contains("undertone")), "{:?}", m.warnings);
    // Black hair itself (not its stubble tips) is darker than any healed dot: too light,
    // and no advice to start lighter still.
    let m = match_pigment(LIGHT_SKIN, [15.0, 1.0, 1.0], &lib).unwrap();
    assert!(m.warnings.iter().any(|w| w.contains("too light to match")), "{:?}", m.warnings);
    assert!(!m.warnings.iter().any(|w| w.contains("start lighter")), "{:?}", m.warnings);
    assert_eq!(m.dilution, 0, "the darkest option: {m:?}");
    // Hair lighter than skin cannot be matched.
    let m = match_pigment(DARK_SKIN, [45.0, 5.0, 18.0], &lib).unwrap();
    assert!(m.warnings.iter().any(|w| w.contains("cannot match")), "{:?}", m.warnings);
    // Skin with b* ≤ 0 is an error.
    assert!(matches!(
        match_pigment([60.0, 5.0, -1.0], [20.0, 0.0, 0.0], &lib),
        Err(PigmentError::Skin(_))
    ));
}

#[test]
fn area_colour_darkens_with_density_and_reaches_the_dot_colour_at_full_cover() {
    let carbon = Pigment::carbon();
    let bare = predict_area_lab(LIGHT_SKIN, &carbon, 2, 0.0, 0.25);
    assert!(delta_e00(bare, LIGHT_SKIN) < 1e-6, "{bare:?}");
    let l: Vec<f64> = [20.0, 60.0, 100.0, 150.0]
        .iter()
        .map(|&n| predict_area_lab(LIGHT_SKIN, &carbon, 2, n, 0.25)[0])
        .collect();
    assert!(l.windows(2).all(|w| w[1] < w[0]) && l[0] < LIGHT_SKIN[0], "{l:?}");
    // The wide skirts overlap, so a dense enough area ends darker than one impression
    // as seen.
    let full = predict_area_lab(LIGHT_SKIN, &carbon, 2, 400.0, 0.25);
    assert!(full[0] < predict_healed_lab(LIGHT_SKIN, &carbon, 2)[0], "{full:?}");
    // More water, lighter area.
    assert!(predict_area_lab(LIGHT_SKIN, &carbon, 5, 90.0, 0.25)[0] > predict_area_lab(LIGHT_SKIN, &carbon, 0, 90.0, 0.25)[0]);
}
