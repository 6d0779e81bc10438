//! Matching an actual value against an expected one: objects as subsets (extra
//! keys are fine), arrays element by element with the same length, numbers by
//! value, other scalars exactly. Each difference names its path.

use serde_json::Value;

/// The differences, as `path: expected X, got Y` lines; empty when it matches.
pub fn differences(path: &str, expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(path, expected, actual, &mut out);
    out
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

fn compare(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                let p = format!("{path}.{k}");
                match a.get(k) {
                    Some(av) => compare(&p, ev, av, out),
                    None => out.push(format!(
                        "{p}: expected {}, but the key is missing",
                        show(ev)
                    )),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {}",
                    e.len(),
                    a.len(),
                    show(actual)
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                compare(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) if e == a => {}
        (e, a) => out.push(format!("{path}: expected {}, got {}", show(e), show(a))),
    }
}

#[cfg(test)]
mod tests {
    use super::differences;
    use serde_json::json;

    #[test]
    fn objects_match_as_subsets() {
        assert!(differences("o", &json!({"a": 1}), &json!({"a": 1, "b": 2})).is_empty());
        assert_eq!(
            differences("o", &json!({"c": 1}), &json!({"a": 1})),
            vec!["o.c: expected 1, but the key is missing"]
        );
    }

    #[test]
    fn arrays_match_by_length_and_element() {
        assert!(differences("a", &json!([{"x": 1}]), &json!([{"x": 1, "y": 2}])).is_empty());
        assert_eq!(
            differences("a", &json!([1]), &json!([1, 2])),
            vec!["a: expected 1 items, got 2: [1,2]"]
        );
        assert_eq!(
            differences("a", &json!([1, 2]), &json!([1, 3])),
            vec!["a[1]: expected 2, got 3"]
        );
    }

    #[test]
    fn numbers_by_value_other_scalars_exactly() {
        assert!(differences("n", &json!(1), &json!(1.0)).is_empty());
        assert_eq!(
            differences("s", &json!("1"), &json!(1)),
            vec!["s: expected \"1\", got 1"]
        );
        assert_eq!(
            differences("b", &json!(null), &json!(false)),
            vec!["b: expected null, got false"]
        );
    }
}
