//! `json!` for the report's responses, building the same `serde_json::Value` as
//! serde_json's macro (whose rules these are) with its per-entry work in two shared
//! functions: serde_json's `json!` inlines a `to_value(..).unwrap()`, a key `String` and
//! a map insertion at every entry, which for the report's few hundred entries was a
//! large part of the WebAssembly module (measured with `scripts/wasm-size.mjs`).

use serde::Serialize;
use serde_json::{Map, Value};

/// A serialisable value as a `Value`, as serde_json's `json!` makes it (which unwraps
/// too: the report's types always serialise, their map keys are strings).
#[inline(never)]
pub(crate) fn value_of<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap()
}

/// Inserts an entry into an object under construction.
#[inline(never)]
pub(crate) fn put(object: &mut Map<String, Value>, key: &str, value: Value) {
    object.insert(key.to_owned(), value);
}

/// serde_json's `json!` (the same syntax and value), calling [`value_of`] and [`put`].
macro_rules! json {
    // Arrays: the elements, munched one by one into a `vec![...]`.
    (@array [$($elems:expr,)*]) => { vec![$($elems,)*] };
    (@array [$($elems:expr),*]) => { vec![$($elems),*] };
    (@array [$($elems:expr,)*] null $($rest:tt)*) => {
        json!(@array [$($elems,)* json!(null)] $($rest)*)
    };
    (@array [$($elems:expr,)*] true $($rest:tt)*) => {
        json!(@array [$($elems,)* json!(true)] $($rest)*)
    };
    (@array [$($elems:expr,)*] false $($rest:tt)*) => {
        json!(@array [$($elems,)* json!(false)] $($rest)*)
    };
    (@array [$($elems:expr,)*] [$($array:tt)*] $($rest:tt)*) => {
        json!(@array [$($elems,)* json!([$($array)*])] $($rest)*)
    };
    (@array [$($elems:expr,)*] {$($map:tt)*} $($rest:tt)*) => {
        json!(@array [$($elems,)* json!({$($map)*})] $($rest)*)
    };
    (@array [$($elems:expr,)*] $next:expr, $($rest:tt)*) => {
        json!(@array [$($elems,)* json!($next),] $($rest)*)
    };
    (@array [$($elems:expr,)*] $last:expr) => {
        json!(@array [$($elems,)* json!($last)])
    };
    (@array [$($elems:expr),*] , $($rest:tt)*) => {
        json!(@array [$($elems,)*] $($rest)*)
    };

    // Objects: each entry inserted into the map variable `$object`.
    (@object $object:ident () () ()) => {};
    (@object $object:ident [$($key:tt)+] ($value:expr) , $($rest:tt)*) => {
        $crate::json::put(&mut $object, $($key)+, $value);
        json!(@object $object () ($($rest)*) ($($rest)*));
    };
    (@object $object:ident [$($key:tt)+] ($value:expr)) => {
        $crate::json::put(&mut $object, $($key)+, $value);
    };
    (@object $object:ident ($($key:tt)+) (: null $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!(null)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: true $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!(true)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: false $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!(false)) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: [$($array:tt)*] $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!([$($array)*])) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: {$($map:tt)*} $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!({$($map)*})) $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: $value:expr , $($rest:tt)*) $copy:tt) => {
        json!(@object $object [$($key)+] (json!($value)) , $($rest)*);
    };
    (@object $object:ident ($($key:tt)+) (: $value:expr) $copy:tt) => {
        json!(@object $object [$($key)+] (json!($value)));
    };
    (@object $object:ident ($($key:tt)*) ($tt:tt $($rest:tt)*) $copy:tt) => {
        json!(@object $object ($($key)* $tt) ($($rest)*) ($($rest)*));
    };

    (null) => { serde_json::Value::Null };
    (true) => { serde_json::Value::Bool(true) };
    (false) => { serde_json::Value::Bool(false) };
    ([]) => { serde_json::Value::Array(vec![]) };
    ([ $($tt:tt)+ ]) => { serde_json::Value::Array(json!(@array [] $($tt)+)) };
    ({}) => { serde_json::Value::Object(serde_json::Map::new()) };
    ({ $($tt:tt)+ }) => {
        serde_json::Value::Object({
            let mut object = serde_json::Map::new();
            json!(@object object () ($($tt)+) ($($tt)+));
            object
        })
    };
    // Any serialisable value; below every other rule.
    ($other:expr) => { $crate::json::value_of(&$other) };
}
