//! Data as typst literals: every value that reaches the report's source (client names,
//! clinic text, figures) goes through here as a quoted string or a number, never as
//! markup, so `#`, `*`, `$`, `"` or `]` in a name cannot change the document.

use std::fmt::Write;

use serde_json::Value;

/// A typst string literal showing `s` verbatim.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Other control characters have no escape of their own; the unicode form
            // keeps the source on one line and valid.
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A typst literal of a JSON value: strings quoted, arrays and dictionaries in
/// parentheses (with the trailing comma a one-element array needs), `null` as `none`.
pub fn value(v: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, v);
    out
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("none"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => {
                let _ = write!(out, "{i}");
            }
            // `{:?}` keeps a decimal point (typst then reads a float) and round-trips.
            (None, Some(f)) => {
                let _ = write!(out, "{f:?}");
            }
            (None, None) => out.push_str("none"),
        },
        Value::String(s) => out.push_str(&string(s)),
        Value::Array(items) => {
            out.push('(');
            for item in items {
                write_value(out, item);
                out.push_str(", ");
            }
            out.push(')');
        }
        Value::Object(map) if map.is_empty() => out.push_str("(:)"),
        Value::Object(map) => {
            out.push('(');
            for (k, item) in map {
                out.push_str(&string(k));
                out.push_str(": ");
                write_value(out, item);
                out.push_str(", ");
            }
            out.push(')');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("x\ny\u{7}"), "\"x\\ny\\u{7}\"");
        assert_eq!(string("#*$[]"), "\"#*$[]\"");
    }

    #[test]
    fn containers_keep_their_shape() {
        let v = serde_json::json!({"a": [1], "b": [], "c": {}, "d": 1.5, "e": null});
        assert_eq!(value(&v), r#"("a": (1, ), "b": (), "c": (:), "d": 1.5, "e": none, )"#);
    }
}
