//! Sample a template and print its figures (development aid).
fn main() {
    let pat: smp_design::Pattern = std::env::args().nth(1).unwrap_or("norwood-7".into()).parse().unwrap();
    let d = pat.template().unwrap();
    let t = std::time::Instant::now();
    let field = smp_dots::field::DensityField::new(&d);
    let t_field = t.elapsed();
    let imp = smp_dots::impressions::generate_in(&field);
    let t_all = t.elapsed();
    let s = smp_dots::stats::stats(&field, &imp);
    println!("field {:?} total {:?}", t_field, t_all);
    println!("{}", serde_json::to_string_pretty(&s).unwrap());
}
