//! Survival analyses against R, and their invariants.

mod common;

#[test]
fn every_survival_fixture_agrees_with_r() {
    let fixtures = common::fixtures_in("survival");
    assert!(
        fixtures.len() >= 20,
        "expected the R fixtures in tests/fixtures/survival"
    );
    let mut failures = Vec::new();
    for path in &fixtures {
        if let Err(e) = std::panic::catch_unwind(|| common::check_fixture(path)) {
            let message = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            failures.push(message);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
