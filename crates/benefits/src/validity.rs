//! Validity: when a document takes effect, when it expires, whether it says it is
//! repealed, and the application windows it announces; its status on a given date.

use std::sync::LazyLock;

use regex::Regex;
use zhengce_model::{Status, Validity, Window, find_date, small_number};

const DATE: &str = r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)";

static FROM_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"自\s*(?P<d>{DATE})\s*(?:起|开始)\s*(?:施行|执行|实施|生效|试行)"
    ))
    .expect("valid regex")
});
static FROM_ISSUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"自(?:印发|发布|公布|颁布|下发)之日起(?:施行|执行|实施|生效|试行)")
        .expect("valid regex")
});
static UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"有效期(?:限)?(?:自[^。；]{{0,20}})?(?:至|到|截至)\s*(?P<d>{DATE})"
    ))
    .expect("valid regex")
});
/// A sentence about the document itself (`本办法…`, `本措施…`), not a licence it mentions.
static SELF_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"本(?:办法|规定|通知|意见|细则|措施|方案|决定|条例|政策|文件|规划|计划|指引|实施意见|若干措施|要点|工作要点)").expect("valid regex")
});
static YEARS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"有效期(?:限)?(?:为|暂定)?\s*(?P<n>\d{1,2}|[一二三四五六七八九十两]{1,2})\s*年")
        .expect("valid regex")
});
static SELF_REPEAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"本(?:办法|规定|通知|意见|细则|措施|方案|决定|条例|政策|文件)[^。；，]{0,12}(?:废止|失效|停止执行)").expect("valid regex")
});
static WINDOW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:申报|受理|报名|申请|征集)(?:时间|日期|期限)[^。；]{{0,6}}?(?P<a>{DATE})\s*(?:\d{{1,2}}[:：]\d{{2}})?\s*(?:至|到|—|－|-|~)\s*(?P<b>{DATE}|\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"
    ))
    .expect("valid regex")
});
static DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:截止(?:日期|时间)?|截至)[为是:：\s]*(?P<d>{DATE})|(?P<e>{DATE})\s*(?:\d{{1,2}}[:：]\d{{2}})?\s*(?:前|以前)\s*(?:报送|提交|申报|报名)"))
        .expect("valid regex")
});

/// The title of a plan for one year: `2020年度全省科技工作要点`, `2021年工作要点`,
/// `2022年重点工作安排`, `2019年度行动计划`, and a government's work report, which sets the
/// year's tasks (`2025年中华人民共和国国务院政府工作报告`); not `2018年度碳排放报告…`.
static YEAR_PLAN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<y>(?:19|20)\d{2})\s*年度?[^，,。；（(]{0,20}?(?:工作要点|要点|工作计划|行动计划|年度计划|实施计划|推进计划|重点工作|工作安排|任务安排|政府工作报告)")
        .expect("valid regex")
});

/// Title-like lines at the head of a body (a body often opens with its title).
const HEAD_LINES: usize = 3;
const TITLE_CHARS: usize = 80;

/// The year a plan's title says it is for.
fn plan_year(title: &str) -> Option<u32> {
    YEAR_PLAN.captures(title)?["y"].parse().ok()
}

/// Adds `years` years to a date and steps back one day (`2021-04-01` + 3 → `2024-03-31`).
fn plus_years(date: &str, years: u32) -> Option<String> {
    let y: u32 = date.get(..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let d: u32 = date.get(8..10)?.parse().ok()?;
    let (y, m, d) = (y + years, m, d);
    // One day earlier.
    let (y, m, d) = if d > 1 {
        (y, m, d - 1)
    } else if m > 1 {
        (y, m - 1, days_in(y, m - 1))
    } else {
        (y - 1, 12, 31)
    };
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

fn days_in(y: u32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 31,
    }
}

/// What `body` says about validity; `issued` (publication or written date) dates
/// `自印发之日起施行`. A body that opens with the title of a plan for one year (see
/// [`validity_of`]) applies to that year.
pub fn validity(body: &str, issued: Option<&str>) -> Validity {
    let head: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.chars().count() <= TITLE_CHARS)
        .take(HEAD_LINES)
        .collect();
    let year = head.iter().find_map(|l| plan_year(l));
    with_plan_year(stated_validity(body, issued), year)
}

/// Like [`validity`], with the document's title: an annual plan or 工作要点
/// (`关于印发2020年度全省科技工作要点的通知`, `2021年工作要点`) applies to its year, from
/// 1 January to 31 December, unless the text says otherwise (a stated 施行 date or
/// expiry wins).
///
/// ```
/// use zhengce_benefits::validity_of;
///
/// let v = validity_of(Some("关于印发2020年度全省科技工作要点的通知"), "一、…", None);
/// assert_eq!(v.valid_from.as_deref(), Some("2020-01-01"));
/// assert_eq!(v.valid_to.as_deref(), Some("2020-12-31"));
/// ```
pub fn validity_of(title: Option<&str>, body: &str, issued: Option<&str>) -> Validity {
    match title.and_then(plan_year) {
        Some(year) => with_plan_year(stated_validity(body, issued), Some(year)),
        None => validity(body, issued),
    }
}

/// Fills the dates a plan's year gives where the text states none.
fn with_plan_year(mut v: Validity, year: Option<u32>) -> Validity {
    if let Some(y) = year {
        if v.valid_from.is_none() {
            v.valid_from = Some(format!("{y:04}-01-01"));
        }
        if v.valid_to.is_none() {
            v.valid_to = Some(format!("{y:04}-12-31"));
        }
    }
    v
}

/// What the text states about its own validity.
fn stated_validity(body: &str, issued: Option<&str>) -> Validity {
    let valid_from = FROM_DATE
        .captures(body)
        .and_then(|c| find_date(&c["d"]))
        .or_else(|| {
            FROM_ISSUE
                .is_match(body)
                .then(|| issued.map(str::to_string))
                .flatten()
        });
    // Expiry counts only in sentences about the document itself.
    let own: Vec<&str> = body
        .split(['。', '\n'])
        .filter(|s| SELF_SUBJECT.is_match(s) || s.trim_start().starts_with("有效期"))
        .collect();
    let valid_to = own
        .iter()
        .find_map(|s| UNTIL.captures(s).and_then(|c| find_date(&c["d"])))
        .or_else(|| {
            let years = own
                .iter()
                .find_map(|s| small_number(&YEARS.captures(s)?["n"].replace('两', "二")))?;
            plus_years(valid_from.as_deref().or(issued)?, years)
        });
    let mut windows: Vec<Window> = WINDOW
        .captures_iter(body)
        .map(|c| {
            let from = find_date(&c["a"]);
            // `2021年4月7日-4月21日`: the end takes the start's year.
            let to = find_date(&c["b"]).or_else(|| {
                let year = from.as_deref()?.get(..4)?;
                find_date(&format!("{year}年{}", &c["b"]))
            });
            Window { from, to }
        })
        .collect();
    for c in DEADLINE.captures_iter(body) {
        let to = c
            .name("d")
            .or(c.name("e"))
            .and_then(|m| find_date(m.as_str()));
        if to.is_some() && !windows.iter().any(|w| w.to == to) {
            windows.push(Window { from: None, to });
        }
    }
    Validity {
        valid_from,
        valid_to,
        repealed: SELF_REPEAL.is_match(body),
        windows,
    }
}

/// Status on `as_of` (`YYYY-MM-DD`); see [`Validity::status`].
pub fn status(v: &Validity, as_of: &str) -> Status {
    v.status(as_of)
}
