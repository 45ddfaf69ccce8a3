//! Real portal pages from `../shared/corpus/html`, checked against the corpus records.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use zhengce_parse::{PageInput, normalize_doc_number, parse_page};

fn records(corpus: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(corpus.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            for line in std::fs::read_to_string(&path).unwrap().lines() {
                let record: Value = serde_json::from_str(line).unwrap();
                if record.get("html_file").is_some() {
                    out.push(record);
                }
            }
        }
    }
    out
}

#[test]
fn every_corpus_page_parses() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let mut count = 0;
    let mut no_text = 0;
    let tag = regex::Regex::new(r"<[^>]*>").unwrap();
    for dir in std::fs::read_dir(corpus.join("html")).unwrap() {
        for page in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = page.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if bytes.is_empty() {
                // The corpus holds one empty capture: a clear error, not a document.
                assert!(matches!(
                    parse_page(&bytes, &PageInput::default()),
                    Err(zhengce_parse::ParseError::Empty)
                ));
                continue;
            }
            match parse_page(&bytes, &PageInput::default()) {
                Ok(doc) => assert!(!doc.body.is_empty(), "{}: empty body", path.display()),
                // Captures that are only an image: the error says so, and it is true.
                Err(zhengce_parse::ParseError::NoText) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let visible = tag.replace_all(&text, "");
                    assert!(
                        !visible.chars().any(zhengce_model::is_han),
                        "{}: text was not found",
                        path.display()
                    );
                    no_text += 1;
                }
                Err(e) => panic!("{}: {e}", path.display()),
            }
            count += 1;
        }
    }
    assert!(count >= 150, "only {count} pages");
    assert!(
        no_text * 50 < count,
        "{no_text} of {count} pages without text"
    );
}

/// Squashes white space and folds the quote and bracket variants titles are typed with.
fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '“' | '”' => '"',
            other => other,
        })
        .collect()
}

/// The forms a date is printed in on pages.
fn date_forms(date: &str) -> Vec<String> {
    let parts: Vec<u32> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0], parts[1], parts[2]);
    vec![
        format!("{y}-{m:02}-{d:02}"),
        format!("{y}-{m}-{d}"),
        format!("{y}年{m}月{d}日"),
        format!("{y}年{m:02}月{d:02}日"),
        format!("{y}/{m:02}/{d:02}"),
        format!("{y}.{m:02}.{d:02}"),
    ]
}

/// The page's visible text as lines, and its `<meta>` and `<title>` values: what a
/// reader of the page sees.
fn shown_lines(html: &str) -> Vec<String> {
    let block =
        regex::Regex::new(r"(?i)<(/?(p|div|br|tr|td|th|li|h\d|table|title)\b[^>]*)>").unwrap();
    let hidden =
        regex::Regex::new(r"(?is)<(script|style)\b.*?</(script|style)>|<!--.*?-->").unwrap();
    let meta = regex::Regex::new(r#"(?i)<meta[^>]*content\s*=\s*["']([^"']*)["']"#).unwrap();
    let tag = regex::Regex::new(r"<[^>]*>").unwrap();
    let mut lines: Vec<String> = meta.captures_iter(html).map(|c| c[1].to_string()).collect();
    let text = hidden.replace_all(html, "");
    let text = block.replace_all(&text, "\n");
    let text = tag.replace_all(&text, "");
    let text = text
        .replace("&nbsp;", " ")
        .replace("&ldquo;", "“")
        .replace("&rdquo;", "”");
    lines.extend(
        text.lines()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty()),
    );
    lines
}

/// A shown line's value: the line without a leading `label：`.
fn value_of(line: &str) -> &str {
    let label = regex::Regex::new(r"^[^：:]{1,8}[:：]\s*").unwrap();
    label.find(line).map_or(line, |m| &line[m.end()..]).trim()
}

/// Whether the page itself shows a record's value for a field: as a line of its own
/// (possibly after a label, or over two lines for a long title), or as a meta value.
fn page_shows(field: &str, value: &str, lines: &[String]) -> bool {
    match field {
        "publish_date" | "written_date" => {
            let forms = date_forms(value);
            lines.iter().any(|l| {
                let v = value_of(l);
                v.chars().count() <= 20 && forms.iter().any(|f| v.starts_with(f.as_str()))
            })
        }
        "doc_number" => {
            let canonical = normalize_doc_number(value).unwrap_or_else(|| fold(value));
            lines.iter().any(|l| {
                let v = fold(value_of(l));
                normalize_doc_number(&v).as_deref() == Some(canonical.as_str())
                    || v == canonical
                    || v.starts_with(&canonical)
            })
        }
        _ => {
            let want = fold(value);
            lines.iter().enumerate().any(|(i, l)| {
                let v = fold(value_of(l));
                v == want
                    || fold(l) == want
                    || lines
                        .get(i + 1)
                        .is_some_and(|next| fold(l) + &fold(next) == want)
            })
        }
    }
}

fn matches(field: &str, expected: &str, got: Option<&str>) -> bool {
    let Some(got) = got else { return false };
    match field {
        "doc_number" => normalize_doc_number(expected).as_deref() == Some(got),
        _ => fold(expected) == fold(got),
    }
}

/// For every page a corpus record points at, the parsed title, 文号, issuer and dates
/// agree with the record wherever the page itself shows the value: at least 98%.
#[test]
fn parsed_fields_match_corpus_records() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let fields = [
        "title",
        "doc_number",
        "issuer",
        "publish_date",
        "written_date",
    ];
    let mut checked: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for record in records(&corpus) {
        let file = record["html_file"].as_str().unwrap();
        let bytes = std::fs::read(corpus.join(file)).unwrap();
        let shown = shown_lines(&String::from_utf8_lossy(&bytes));
        let input = PageInput {
            url: record["url"].as_str(),
            ..PageInput::default()
        };
        let Ok(doc) = parse_page(&bytes, &input) else {
            // Empty and image-only captures show none of the record's values.
            continue;
        };
        let got = |field: &str| match field {
            "title" => doc.title.as_deref(),
            "doc_number" => doc.doc_number.as_deref(),
            "issuer" => doc.issuer.as_deref(),
            "publish_date" => doc.publish_date.as_deref(),
            _ => doc.written_date.as_deref(),
        };
        for field in fields {
            let Some(expected) = record[field].as_str() else {
                continue;
            };
            if !page_shows(field, expected, &shown) {
                continue;
            }
            let entry = checked.entry(field).or_default();
            entry.0 += 1;
            if matches(field, expected, got(field)) {
                entry.1 += 1;
            } else {
                misses.push(format!(
                    "{file} {field}: expected {expected:?}, got {:?}",
                    got(field)
                ));
            }
        }
    }
    let total: usize = checked.values().map(|v| v.0).sum();
    let good: usize = checked.values().map(|v| v.1).sum();
    eprintln!("field agreement per field (checked, matched): {checked:?}");
    for miss in &misses {
        eprintln!("miss: {miss}");
    }
    assert!(total >= 300, "only {total} fields checked");
    let ratio = good as f64 / total as f64;
    assert!(ratio >= 0.98, "{good}/{total} = {ratio:.3} fields match");
}

/// Chrome removal on the full-page templates: no navigation, footer or widget text in
/// the body, and the document's own text is kept.
#[test]
fn full_pages_lose_their_chrome() {
    let Some(corpus) = zhengce_testkit::corpus_dir() else {
        return;
    };
    let chrome = [
        "当前位置",
        "ICP备",
        "版权所有",
        "扫一扫",
        "打印本页",
        "关闭窗口",
        "网站地图",
        "主办单位",
        "网站标识码",
        "政府信息公开目录",
        "无障碍",
        "首页",
        "索引号",
        "发文机关",
    ];
    for dir in ["jiangxi_gov", "shanxi_gov_portal", "cmse_gov", "kepu_gov"] {
        for page in std::fs::read_dir(corpus.join("html").join(dir)).unwrap() {
            let path = page.unwrap().path();
            let doc = parse_page(&std::fs::read(&path).unwrap(), &PageInput::default()).unwrap();
            for word in chrome {
                assert!(
                    !doc.body.contains(word),
                    "{}: body keeps chrome {word:?}:\n{}",
                    path.display(),
                    doc.body
                        .lines()
                        .filter(|l| l.contains(word))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
            assert!(
                doc.body.chars().count() >= 20,
                "{}: body too short: {:?}",
                path.display(),
                doc.body
            );
        }
    }
}
