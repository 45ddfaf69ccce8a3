//! The query language people type, parsed by hand.
//!
//! tantivy's own query parser turns unspaced Chinese into a strict phrase of jieba words
//! and treats `[ ] ( ) :` as syntax, so `辽科发[2020]6号` or a pasted `（一）` breaks it.
//! Here only these are syntax:
//!
//! * white space (ASCII or U+3000) separates terms, all of which must match;
//! * `"…"` or `“…”` quotes a phrase (spaces inside are kept together);
//! * `OR` between two terms matches either;
//! * a leading `-` excludes a term (so does a run of them, `--`, or the full-width `－`);
//! * a leading `+` is allowed and changes nothing (every term is required anyway);
//! * `title:`, `doc_number:`, `issuer:`, `lead_dept:` (or `标题:`, `文号:`, `发布单位:`,
//!   `牵头处室:`) search one field. Any other `x:` is plain text.

use crate::IndexError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// A field a term can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryField {
    Title,
    DocNumber,
    Issuer,
    LeadDept,
}

impl QueryField {
    fn from_prefix(prefix: &str) -> Option<QueryField> {
        Some(match prefix {
            "title" | "标题" => QueryField::Title,
            "doc_number" | "文号" => QueryField::DocNumber,
            "issuer" | "发布单位" | "发文机关" => QueryField::Issuer,
            "lead_dept" | "牵头处室" | "牵头单位" => QueryField::LeadDept,
            _ => return None,
        })
    }
}

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub field: Option<QueryField>,
    pub text: String,
    pub phrase: bool,
}

/// A parsed query: `all` must each match (every inner `Vec` is a disjunction), `none`
/// must not match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub all: Vec<Vec<Clause>>,
    pub none: Vec<Clause>,
}

impl ParsedQuery {
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Strings to highlight: every positive term.
    pub fn highlight_terms(&self) -> Vec<String> {
        self.all
            .iter()
            .flatten()
            .filter(|c| !matches!(c.field, Some(QueryField::LeadDept)))
            .map(|c| c.text.clone())
            .collect()
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    Word {
        text: String,
        quoted: bool,
        negated: bool,
        field: Option<QueryField>,
    },
    Or,
}

fn bad(message: impl Into<String>) -> IndexError {
    IndexError::BadQuery(message.into())
}

/// Parses a query string.
pub fn parse_query(input: &str) -> Result<ParsedQuery, IndexError> {
    if input.chars().count() > MAX_QUERY_CHARS {
        return Err(bad(format!(
            "检索词过长：{} 个字，最多 {MAX_QUERY_CHARS} 个字",
            input.chars().count()
        )));
    }
    // A document number typed with stray spaces (`辽科发〔2020〕6 号`) is one term.
    if zhengce_model::normalize_doc_number(input).is_some() {
        let text: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        return Ok(ParsedQuery {
            all: vec![vec![Clause {
                field: None,
                text,
                phrase: false,
            }]],
            none: Vec::new(),
        });
    }
    let tokens = tokenize(input)?;
    let mut parsed = ParsedQuery::default();
    let mut pending_or = false;
    for (i, token) in tokens.iter().enumerate() {
        match token {
            Token::Or => {
                let prev_ok = i > 0 && matches!(tokens[i - 1], Token::Word { negated: false, .. });
                let next_ok = matches!(tokens.get(i + 1), Some(Token::Word { negated: false, .. }));
                if !prev_ok || !next_ok {
                    return Err(bad("OR 两边都要有检索词（大写 OR 写在两个词之间）"));
                }
                pending_or = true;
            }
            Token::Word {
                text,
                quoted,
                negated,
                field,
            } => {
                let text = if *quoted {
                    text.clone()
                } else {
                    trim_symbols(text).to_string()
                };
                let clause = Clause {
                    field: *field,
                    text,
                    phrase: *quoted,
                };
                if *negated {
                    parsed.none.push(clause);
                } else if pending_or {
                    parsed
                        .all
                        .last_mut()
                        .expect("OR follows a term")
                        .push(clause);
                    pending_or = false;
                } else {
                    parsed.all.push(vec![clause]);
                }
            }
        }
    }
    if parsed.all.is_empty() && !parsed.none.is_empty() {
        return Err(bad("检索式只有排除的词（-词），请再加一个要找的词"));
    }
    Ok(parsed)
}

/// Brackets that open, and the ones that close them, in the same order.
const OPENING: &str = "(（[【〔「『《<〈{";
const CLOSING: &str = ")）]】〕」』》>〉}";

/// An unquoted term without the punctuation and symbols stuck to its ends that no text
/// holds there for it (`补贴！`, `😀补贴`, `(补贴`, `【补贴】`): a bracket stays when it
/// closes or opens one within the term (`办法（试行）`, `〔2020〕6号`). A term that is
/// nothing else stays as typed.
fn trim_symbols(text: &str) -> &str {
    let kept = |c: char| c.is_alphanumeric() || "+#%％".contains(c);
    let mut t = text;
    loop {
        let before = t;
        // A pair around the whole term (`【补贴】`, `（补贴）`; not `（一）`, an item's
        // number).
        let mut ends = t.chars();
        if let (Some(first), Some(last)) = (ends.next(), ends.next_back())
            && ends.count() >= 2
            && let Some(i) = OPENING.find(first)
            && CLOSING.chars().nth(OPENING[..i].chars().count()) == Some(last)
        {
            t = &t[first.len_utf8()..t.len() - last.len_utf8()];
            continue;
        }
        if let Some(c) = t.chars().next().filter(|&c| !kept(c)) {
            let closed = OPENING
                .find(c)
                .and_then(|i| CLOSING.chars().nth(OPENING[..i].chars().count()))
                .is_some_and(|close| t[c.len_utf8()..].contains(close));
            if !closed {
                t = &t[c.len_utf8()..];
            }
        }
        if let Some(c) = t.chars().next_back().filter(|&c| !kept(c)) {
            let opened = CLOSING
                .find(c)
                .and_then(|i| OPENING.chars().nth(CLOSING[..i].chars().count()))
                .is_some_and(|open| t[..t.len() - c.len_utf8()].contains(open));
            if !opened {
                t = &t[..t.len() - c.len_utf8()];
            }
        }
        if t == before {
            break;
        }
    }
    if t.is_empty() { text } else { t }
}

fn tokenize(input: &str) -> Result<Vec<Token>, IndexError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // A leading run of minus signs (`-`, `--`, full-width `－`) excludes; a leading run
        // of plus signs (`+科技`) requires, which every term does. A run with nothing after
        // it is text.
        let mut negated = false;
        let signs = (i..chars.len())
            .take_while(|&k| is_minus(chars[k]) || is_plus(chars[k]))
            .count();
        if signs > 0 && chars.get(i + signs).is_some_and(|c| !c.is_whitespace()) {
            let run = &chars[i..i + signs];
            if run.iter().all(|&c| is_minus(c)) {
                negated = true;
                i += signs;
            } else if run.iter().all(|&c| is_plus(c)) {
                i += signs;
            } else {
                return Err(bad(format!(
                    "“{}”里加号和减号连在一起，要排除的词前只写 -，要找的词前不写符号",
                    run.iter().collect::<String>()
                )));
            }
        }
        // An optional field prefix.
        let mut field = None;
        if let Some(colon) = (i..chars.len())
            .take_while(|&k| !chars[k].is_whitespace() && !is_quote(chars[k]))
            .find(|&k| chars[k] == ':' || chars[k] == '：')
        {
            let prefix: String = chars[i..colon].iter().collect();
            if let Some(f) = QueryField::from_prefix(&prefix) {
                field = Some(f);
                i = colon + 1;
                if i >= chars.len() || chars[i].is_whitespace() {
                    return Err(bad(format!("“{prefix}:”后面缺少要找的内容")));
                }
            }
        }
        let (text, quoted) = if is_quote(chars[i]) {
            let close = (i + 1..chars.len()).find(|&k| is_quote(chars[k]));
            let Some(close) = close else {
                return Err(bad("引号没有闭合"));
            };
            let text: String = chars[i + 1..close].iter().collect();
            i = close + 1;
            (text.trim().to_string(), true)
        } else {
            let end = (i..chars.len())
                .find(|&k| chars[k].is_whitespace())
                .unwrap_or(chars.len());
            let text: String = chars[i..end].iter().collect();
            i = end;
            if is_quote_in(&text) {
                return Err(bad("引号没有闭合"));
            }
            (text, false)
        };
        if !quoted && !negated && field.is_none() && text == "OR" {
            tokens.push(Token::Or);
            continue;
        }
        if text.is_empty() {
            if quoted {
                continue; // "" means nothing
            }
            return Err(bad(format!("“{}”后面缺少要找的内容", chars[start])));
        }
        tokens.push(Token::Word {
            text,
            quoted,
            negated,
            field,
        });
    }
    Ok(tokens)
}

fn is_minus(c: char) -> bool {
    matches!(c, '-' | '－' | '−')
}

fn is_plus(c: char) -> bool {
    matches!(c, '+' | '＋')
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

fn is_quote_in(text: &str) -> bool {
    text.chars().any(is_quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &str) -> Vec<Vec<String>> {
        parse_query(q)
            .unwrap()
            .all
            .into_iter()
            .map(|g| g.into_iter().map(|c| c.text).collect())
            .collect()
    }

    #[test]
    fn syntax() {
        assert_eq!(words("独角兽 奖励"), [vec!["独角兽"], vec!["奖励"]]);
        assert_eq!(words("独角兽\u{3000}奖励"), [vec!["独角兽"], vec!["奖励"]]);
        assert_eq!(
            words("瞪羚 OR 独角兽 补助"),
            [vec!["瞪羚", "独角兽"], vec!["补助"]]
        );
        assert_eq!(words("\"科技 成果\""), [vec!["科技 成果"]]);
        assert_eq!(words("“科技成果”"), [vec!["科技成果"]]);
        let q = parse_query("补助 -担保 title:通知 文号:辽科发[2020]6号").unwrap();
        assert_eq!(q.none[0].text, "担保");
        assert_eq!(q.all[1][0].field, Some(QueryField::Title));
        assert_eq!(q.all[2][0].field, Some(QueryField::DocNumber));
        assert_eq!(q.all[2][0].text, "辽科发[2020]6号");
    }

    #[test]
    fn brackets_and_colons_are_text() {
        assert_eq!(words("辽科发[2020]6号"), [vec!["辽科发[2020]6号"]]);
        assert_eq!(words("（一）"), [vec!["（一）"]]);
        assert_eq!(words("牵头处室:规划处"), [vec!["规划处"]]);
        assert_eq!(words("a:b"), [vec!["a:b"]]);
        assert_eq!(words("-"), [vec!["-"]]);
        assert_eq!(words("--"), [vec!["--"]]);
        assert_eq!(words("+"), [vec!["+"]]);
        assert_eq!(words("C++ 科技"), [vec!["C++"], vec!["科技"]]);
        assert!(parse_query("").unwrap().is_empty());
    }

    /// User test, defect 4: `+科技` was the string `+科技`, `--转化` the exclusion of
    /// `-转化`.
    #[test]
    fn regression_user_test_4_plus_and_minus_runs() {
        assert_eq!(words("+科技"), [vec!["科技"]]);
        assert_eq!(words("＋科技 ++转化"), [vec!["科技"], vec!["转化"]]);
        for q in ["科技 -转化", "科技 --转化", "科技 －转化", "科技 ---转化"] {
            let parsed = parse_query(q).unwrap();
            assert_eq!(parsed.none.len(), 1, "{q}");
            assert_eq!(parsed.none[0].text, "转化", "{q}");
            assert_eq!(parsed.all.len(), 1, "{q}");
        }
        assert!(matches!(
            parse_query("科技 +-转化"),
            Err(IndexError::BadQuery(m)) if m.contains("+-")
        ));
    }

    #[test]
    fn symbols_stuck_to_a_term_are_not_searched() {
        for q in [
            "补贴！",
            "补贴!",
            "😀补贴",
            "(补贴",
            "（补贴",
            "【补贴】",
            "补贴？？",
        ] {
            assert_eq!(words(q), [["补贴"]], "{q}");
        }
        // Brackets that close within the term, and a 文号, stay.
        assert_eq!(words("办法（试行）"), [["办法（试行）"]]);
        assert_eq!(words("（试行）办法"), [["（试行）办法"]]);
        assert_eq!(words("〔2020〕6号"), [["〔2020〕6号"]]);
        // Nothing but symbols stays as typed (and finds nothing).
        assert_eq!(words("！！"), [["！！"]]);
    }

    #[test]
    fn malformed_queries_say_why() {
        for (q, says) in [
            ("\"科技", "引号"),
            ("OR 科技", "OR"),
            ("科技 OR", "OR"),
            ("科技 OR OR 成果", "OR"),
            ("-科技", "只有排除"),
            ("title: 科技", "缺少"),
        ] {
            match parse_query(q) {
                Err(IndexError::BadQuery(m)) => assert!(m.contains(says), "{q}: {m}"),
                other => panic!("{q}: {other:?}"),
            }
        }
        let long = "科".repeat(MAX_QUERY_CHARS + 1);
        assert!(matches!(parse_query(&long), Err(IndexError::BadQuery(_))));
    }
}
