//! Cumulative incidence: R reference fixtures and invariants.

mod common;

use common::{check_fixture, fixtures_in};

#[test]
fn r_fixtures_agree() {
    let paths = fixtures_in("cif");
    assert!(
        paths.len() >= 10,
        "expected the R fixtures in tests/fixtures/cif"
    );
    for path in paths {
        check_fixture(&path);
    }
}
