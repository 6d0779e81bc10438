//! Splitting a string into literal text and `{{ … }}` expressions.
//!
//! The closing `}}` is the first one outside JavaScript strings and outside
//! braces opened inside the expression, so `{{ {a: {b: 1}} }}` is one expression.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    /// The JavaScript between the braces, trimmed.
    Expr(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("`{{{{` at character {0} has no closing `}}}}`")]
    Unclosed(usize),
    #[error("`{{{{ }}}}` at character {0} is empty")]
    Empty(usize),
}

impl Template {
    /// Whether the string holds any `{{`, i.e. is not a plain literal.
    pub fn is_template(s: &str) -> bool {
        s.contains("{{")
    }

    pub fn parse(s: &str) -> Result<Template, TemplateError> {
        let mut segments = Vec::new();
        let mut rest = s;
        let mut offset = 0;
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                segments.push(Segment::Text(rest[..open].to_string()));
            }
            let body_start = open + 2;
            let close =
                find_close(&rest[body_start..]).ok_or(TemplateError::Unclosed(offset + open))?;
            let body = rest[body_start..body_start + close].trim();
            if body.is_empty() {
                return Err(TemplateError::Empty(offset + open));
            }
            segments.push(Segment::Expr(body.to_string()));
            let consumed = body_start + close + 2;
            offset += consumed;
            rest = &rest[consumed..];
        }
        if !rest.is_empty() {
            segments.push(Segment::Text(rest.to_string()));
        }
        Ok(Template { segments })
    }

    /// The one expression when the string is `{{ … }}` and nothing else, whose
    /// value then keeps its JSON type.
    pub fn whole_expression(&self) -> Option<&str> {
        match self.segments.as_slice() {
            [Segment::Expr(e)] => Some(e),
            _ => None,
        }
    }

    pub fn expressions(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Expr(e) => Some(e.as_str()),
            Segment::Text(_) => None,
        })
    }
}

/// The byte offset of the closing `}}` in `s`, skipping strings and nested braces.
fn find_close(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' | b'`' => quote = Some(b),
                b'{' => depth += 1,
                b'}' if depth > 0 => depth -= 1,
                b'}' if bytes.get(i + 1) == Some(&b'}') => return Some(i),
                _ => {}
            },
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_text_and_expressions() {
        let t = Template::parse("n = {{ 1 + 2 }}!").unwrap();
        assert_eq!(
            t.segments,
            vec![
                Segment::Text("n = ".into()),
                Segment::Expr("1 + 2".into()),
                Segment::Text("!".into())
            ]
        );
        assert_eq!(t.whole_expression(), None);
    }

    #[test]
    fn whole_expression_and_nested_braces() {
        let t = Template::parse("{{ {a: {b: '}}'}} }}").unwrap();
        assert_eq!(t.whole_expression(), Some("{a: {b: '}}'}}"));
    }

    #[test]
    fn unclosed_and_empty_are_errors() {
        assert_eq!(
            Template::parse("x {{ 1 + "),
            Err(TemplateError::Unclosed(2))
        );
        assert_eq!(Template::parse("{{   }}"), Err(TemplateError::Empty(0)));
    }

    #[test]
    fn literal_without_braces() {
        let t = Template::parse("plain").unwrap();
        assert_eq!(t.segments, vec![Segment::Text("plain".into())]);
        assert!(!Template::is_template("plain"));
    }
}
