//! Bytes to text: the charset comes from the HTTP header when the caller has one, else
//! from a byte-order mark or the page's own `<meta>` declaration, else it is detected.

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::{ParseError, Result};

/// Pages larger than this are refused rather than parsed (the crawler's default limit).
pub const MAX_PAGE_BYTES: usize = 20 * 1024 * 1024;

/// How far into a page to look for a `<meta charset>` declaration.
const META_SNIFF_BYTES: usize = 16 * 1024;

/// The decoded text of a page and the encoding it was read with.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

/// Decodes `bytes` to text.
///
/// `http_charset` is the `charset` parameter of the HTTP `Content-Type`, when known. A
/// declared GB2312 or GBK is read as GB18030, its superset, since portals routinely
/// declare the smaller set and use characters outside it. A declaration that the bytes
/// contradict (a page declaring GB2312 that is valid UTF-8 and not valid GB18030) loses
/// to the bytes.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> Result<Decoded> {
    if bytes.len() > MAX_PAGE_BYTES {
        return Err(ParseError::TooLarge {
            size: bytes.len(),
            limit: MAX_PAGE_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    if looks_binary(bytes) {
        return Err(ParseError::Binary);
    }

    let declared = Encoding::for_bom(bytes)
        .map(|(enc, _)| enc)
        .or_else(|| http_charset.and_then(label_to_encoding))
        .or_else(|| sniff_meta_charset(bytes));
    let encoding = match declared {
        Some(enc) if enc == UTF_8 => UTF_8,
        Some(enc) => {
            let (_, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors && std::str::from_utf8(bytes).is_ok() {
                UTF_8
            } else {
                enc
            }
        }
        None => detect(bytes),
    };
    let (text, _, _) = encoding.decode(bytes);
    let text = text.into_owned();
    if replacement_ratio(&text) > 0.2 {
        return Err(ParseError::Undecodable {
            encoding: encoding.name(),
        });
    }
    Ok(Decoded { text, encoding })
}

/// Maps a charset label to an encoding, widening the GB family to GB18030.
fn label_to_encoding(label: &str) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())?;
    Some(widen(enc))
}

fn widen(enc: &'static Encoding) -> &'static Encoding {
    if enc == encoding_rs::GBK {
        GB18030
    } else {
        enc
    }
}

/// Finds `<meta charset=…>` or `<meta http-equiv="Content-Type" content="…charset=…">`.
fn sniff_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SNIFF_BYTES)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(cs) = find(tag, b"charset") {
            let rest = &tag[cs + b"charset".len()..];
            let rest = rest
                .iter()
                .position(|&b| b != b' ' && b != b'=' && b != b'"' && b != b'\'')
                .map_or(&rest[rest.len()..], |p| &rest[p..]);
            let label_end = rest
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
                .unwrap_or(rest.len());
            if let Some(enc) = std::str::from_utf8(&rest[..label_end])
                .ok()
                .and_then(label_to_encoding)
            {
                return Some(enc);
            }
        }
        from = end;
    }
    None
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    // Valid UTF-8, or UTF-8 with a few broken sequences (a truncated or spliced page):
    // text in a legacy encoding read as UTF-8 breaks on nearly every Chinese character.
    let (text, had_errors) = UTF_8.decode_without_bom_handling(bytes);
    if !had_errors {
        return UTF_8;
    }
    let (mut han, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\u{FFFD}' {
            bad += 1;
        } else if zhengce_model::is_han(c) {
            han += 1;
        }
    }
    if han >= 10 * bad {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // Government pages are Chinese: let the detector weigh the `.cn` family.
    widen(detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow))
}

/// A page with NUL bytes or mostly control bytes is not text.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        // UTF-16 pages carry NULs but also a BOM, which decode() honours first.
        return Encoding::for_bom(bytes).is_none();
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > sample.len()
}

fn replacement_ratio(text: &str) -> f64 {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars().take(100_000) {
        if !c.is_whitespace() {
            total += 1;
            if c == '\u{FFFD}' {
                bad += 1;
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        bad as f64 / total as f64
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "<html><head><title>通知</title></head><body><p>关于印发2020年度全省科技工作要点的通知，辽宁省科学技术厅。</p></body></html>";

    fn gbk(s: &str) -> Vec<u8> {
        GB18030.encode(s).0.into_owned()
    }

    #[test]
    fn utf8_without_declaration() {
        let d = decode(SAMPLE.as_bytes(), None).unwrap();
        assert_eq!(d.text, SAMPLE);
        assert_eq!(d.encoding, UTF_8);
    }

    #[test]
    fn gbk_from_http_header_only() {
        let d = decode(&gbk(SAMPLE), Some("GBK")).unwrap();
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn gb2312_from_meta() {
        let page = SAMPLE.replace(
            "<head>",
            "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
        );
        let d = decode(&gbk(&page), None).unwrap();
        assert_eq!(d.text, page);
        assert_eq!(d.encoding, GB18030);
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let d = decode(&gbk(SAMPLE), None).unwrap();
        assert_eq!(d.text, SAMPLE);
    }

    #[test]
    fn wrong_declaration_loses_to_valid_utf8() {
        let page = SAMPLE.replace("<head>", "<head><meta charset=\"gb2312\">");
        let d = decode(page.as_bytes(), None).unwrap();
        assert_eq!(d.text, page);
    }

    #[test]
    fn http_header_wins_over_meta() {
        let page = SAMPLE.replace("<head>", "<head><meta charset=\"utf-8\">");
        let d = decode(&gbk(&page), Some("gb18030")).unwrap();
        assert_eq!(d.text, page);
    }

    #[test]
    fn bad_inputs_are_errors() {
        assert!(matches!(decode(b"", None), Err(ParseError::Empty)));
        assert!(matches!(decode(b"  \n ", None), Err(ParseError::Empty)));
        assert!(matches!(
            decode(&[0x89, b'P', b'N', b'G', 0, 0, 0, 13], None),
            Err(ParseError::Binary)
        ));
    }
}
