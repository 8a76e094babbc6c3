//! Searching the shipped sample catalogue the way a clerk types: without accents, in capitals,
//! or by the start of a code.

use motcua::catalog::{Procedure, load_file, plan_import, search};
use std::path::Path;

const SAMPLE: &str = "data/catalog/sample.json";

fn sample() -> Vec<Procedure> {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join(SAMPLE)).unwrap()
}

fn codes(found: &[&Procedure]) -> Vec<String> {
    found.iter().map(|p| p.code.clone()).collect()
}

#[test]
fn unaccented_query_finds_the_exact_phrase_first() {
    let procedures = sample();
    let found = search(&procedures, "dang ky khai sinh");
    // "Đăng ký lại khai sinh" has every word too, but the exact phrase ranks first.
    assert_eq!(codes(&found), ["1.001193", "1.004884"]);
}

#[test]
fn code_prefix_finds_by_code() {
    let procedures = sample();
    assert_eq!(codes(&search(&procedures, "1.0011")), ["1.001193"]);
    assert_eq!(
        codes(&search(&procedures, " 2.000 ")),
        ["2.000815", "2.000884"]
    );
}

#[test]
fn capitals_with_accents_match() {
    let procedures = sample();
    assert_eq!(codes(&search(&procedures, "KẾT HÔN")), ["1.000894"]);
    assert_eq!(codes(&search(&procedures, "nhan cha me con")), ["1.001022"]);
    assert_eq!(codes(&search(&procedures, "DANG KY TAM TRU")), ["1.004194"]);
    assert!(search(&procedures, "kết hôn lại").is_empty());
    assert_eq!(search(&procedures, "  ").len(), procedures.len());
}

#[test]
fn re_import_updates_by_code_and_keeps_missing_procedures() {
    let existing = sample();
    let mut incoming: Vec<Procedure> = existing[..2].to_vec();
    incoming[1].fees.clear();
    incoming[1].fees.push(motcua::catalog::Fee {
        name: "Lệ phí".into(),
        amount_vnd: 1,
    });
    let mut new_one = existing[0].clone();
    new_one.code = "1.001193.000.00.00.H56".into();
    incoming.push(new_one);
    let plan = plan_import(&existing, incoming);
    assert_eq!(plan.unchanged, ["1.001193"]);
    assert_eq!(
        codes(&plan.updated.iter().collect::<Vec<_>>()),
        ["1.000894"]
    );
    assert_eq!(
        codes(&plan.added.iter().collect::<Vec<_>>()),
        ["1.001193.000.00.00.H56"]
    );
    assert_eq!(plan.kept.len(), existing.len() - 2);
}
