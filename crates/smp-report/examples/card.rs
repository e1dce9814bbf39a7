//! Write the calibration card PDF: `cargo run -p smp-report --example card -- out.pdf [a4|letter|a6]`.
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let paper = a.get(1).map_or(Ok(smp_report::card::Paper::A4), |p| p.parse()).expect("paper");
    std::fs::write(&a[0], smp_report::card::card_pdf(paper)).expect("write");
}
