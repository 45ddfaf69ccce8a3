//! Dates and small numbers as Chinese policy text writes them: every stage reads them
//! (the parser for 发布日期 and 成文日期, 惠企 validity for `自…起施行` and `有效期…年`).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use crate::is_valid_date;

static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?").expect("valid regex")
});

static HAN_DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇零○Ｏ0O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
        .expect("valid regex")
});

/// The first date in `text`, as `YYYY-MM-DD`. Understands `2020-04-10`, `2020/4/1`,
/// `2020.04.10`, `2020年2月25日` and `二〇二〇年二月二十五日`, in full-width digits too
/// (`2020年１月１日`, see [`fold_full_width`]).
pub fn find_date(text: &str) -> Option<String> {
    let text = &*fold_full_width(text);
    let arabic = DATE_RE.captures_iter(text).find_map(|c| {
        let m = c.get(0)?.start();
        Some((
            m,
            ymd(c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)?,
        ))
    });
    let han = HAN_DATE_RE.captures_iter(text).find_map(|c| {
        let m = c.get(0)?.start();
        let year: String = c[1].chars().map(han_digit).collect::<Option<String>>()?;
        Some((
            m,
            ymd(year.parse().ok()?, han_number(&c[2])?, han_number(&c[3])?)?,
        ))
    });
    match (arabic, han) {
        (Some(a), Some(h)) => Some(if a.0 <= h.0 { a.1 } else { h.1 }),
        (a, h) => a.or(h).map(|x| x.1),
    }
}

/// Full-width digits, date separators (`－／．`) and the ideographic space as their ASCII
/// forms, as policy text mixes them (`自２０07年9月１日起施行`); the rest unchanged.
///
/// ```
/// assert_eq!(zhengce_model::fold_full_width("２０２０年　１月"), "2020年 1月");
/// ```
pub fn fold_full_width(text: &str) -> Cow<'_, str> {
    let fold = |c: char| match c {
        '０'..='９' | '－' | '／' | '．' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        _ => None,
    };
    if !text.chars().any(|c| fold(c).is_some()) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(|c| fold(c).unwrap_or(c)).collect())
}

fn ymd(y: u32, m: u32, d: u32) -> Option<String> {
    let date = format!("{y:04}-{m:02}-{d:02}");
    ((1900..=2100).contains(&y) && is_valid_date(&date)).then_some(date)
}

fn han_digit(c: char) -> Option<char> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' | '0' | 'O' => '0',
        '一' => '1',
        '二' => '2',
        '三' => '3',
        '四' => '4',
        '五' => '5',
        '六' => '6',
        '七' => '7',
        '八' => '8',
        '九' => '9',
        _ => return None,
    })
}

/// A Chinese numeral below 1000 (`三十六`, `一百零二`, `两`) as a number.
pub fn han_number(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    for c in s.chars() {
        let value = match c {
            '零' | '〇' => Some(0),
            '两' => Some(2),
            _ => han_digit(c).and_then(|d| d.to_digit(10)),
        };
        if let Some(v) = value {
            digit = Some(v);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            _ => return None,
        };
        total += digit.unwrap_or(1) * unit;
        digit = None;
    }
    Some(total + digit.unwrap_or(0))
}

/// A line that is only a date (the 成文日期 of a signature block), possibly bracketed.
pub fn standalone_date(line: &str) -> Option<String> {
    let line = &*fold_full_width(line);
    let core = line.trim_matches(|c: char| c.is_whitespace() || "()（）".contains(c));
    let date = find_date(core)?;
    let rest: String = core
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !c.is_ascii_digit()
                && !"年月日-/.〇零○Ｏ一二三四五六七八九十".contains(*c)
        })
        .collect();
    rest.is_empty().then_some(date)
}

/// A Chinese or Arabic number below 1000 (`五`, `十二`, `3`).
pub fn small_number(text: &str) -> Option<u32> {
    let text = &*fold_full_width(text);
    text.parse().ok().or_else(|| han_number(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(find_date("2020年2月25日").as_deref(), Some("2020-02-25"));
        assert_eq!(find_date("2020-04-10 17:28").as_deref(), Some("2020-04-10"));
        assert_eq!(find_date("2020/4/1").as_deref(), Some("2020-04-01"));
        assert_eq!(
            find_date("二〇二〇年二月二十五日").as_deref(),
            Some("2020-02-25")
        );
        assert_eq!(find_date("2020年2月30日"), None);
        assert_eq!(
            standalone_date("（2019年1月27日）").as_deref(),
            Some("2019-01-27")
        );
        assert_eq!(standalone_date("2020年2月25日前完成"), None);
    }

    /// User test (twelfth session): `自2020年１月１日起施行` (河南省促进科技成果转化条例,
    /// lawrefbook:a57ee099273e0fd9) and four more laws gave no 施行 date: full-width digits.
    #[test]
    fn regression_full_width_digits() {
        for (text, date) in [
            ("第四十九条 本条例自2020年１月１日起施行。", "2020-01-01"),
            ("第四十九条 本条例自２０07年9月１日起施行", "2007-09-01"),
            ("第五十二条 本条例自2013年10月１日起施行", "2013-10-01"),
            (
                "第二百六十六条 本规定自２０１３年１月１日起施行",
                "2013-01-01",
            ),
            ("现予公布，自２００７年１月１日起施行", "2007-01-01"),
            ("自２０１３年　７月　１日起施行", "2013-07-01"),
            ("２０２０－０４－１０", "2020-04-10"),
        ] {
            assert_eq!(find_date(text).as_deref(), Some(date), "{text}");
        }
        assert_eq!(
            standalone_date("（２０１９年１月２７日）").as_deref(),
            Some("2019-01-27")
        );
        assert_eq!(small_number("１２"), Some(12));
        assert_eq!(fold_full_width("自２０07年　9月"), "自2007年 9月");
    }

    #[test]
    fn han_numbers() {
        for (s, n) in [
            ("一", 1),
            ("十", 10),
            ("十二", 12),
            ("二十", 20),
            ("八十六", 86),
            ("一百零二", 102),
        ] {
            assert_eq!(han_number(s), Some(n), "{s}");
        }
    }

    #[test]
    fn small_numbers() {
        assert_eq!(small_number("十二"), Some(12));
        assert_eq!(small_number("3"), Some(3));
        assert_eq!(small_number("三月"), None);
    }
}
