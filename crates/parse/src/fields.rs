//! Metadata values in page text: labelled fields (`发布日期：…`), dates, document numbers,
//! and the shapes of titles and office names in the fixed structure of official documents.

use std::sync::LazyLock;

use regex::Regex;
pub(crate) use zhengce_model::{find_date, han_number, standalone_date};
use zhengce_model::{is_han, normalize_doc_number};

/// A metadata field a label can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Field {
    Title,
    DocNumber,
    Issuer,
    PublishDate,
    WrittenDate,
    /// Labels we recognise only to keep them out of the body (索引号, 主题分类 …).
    Other,
}

/// Labels portals print before metadata values, most trusted first within a field.
const LABELS: &[(&str, Field)] = &[
    ("标题", Field::Title),
    ("文件标题", Field::Title),
    ("发文字号", Field::DocNumber),
    ("文号", Field::DocNumber),
    ("发文文号", Field::DocNumber),
    ("文件编号", Field::DocNumber),
    ("文件字号", Field::DocNumber),
    ("发文机关", Field::Issuer),
    ("发布机关", Field::Issuer),
    ("发文单位", Field::Issuer),
    ("发布单位", Field::Issuer),
    ("发文机构", Field::Issuer),
    ("发布机构", Field::Issuer),
    ("制发机关", Field::Issuer),
    ("颁布机关", Field::Issuer),
    ("信息来源", Field::Issuer),
    ("文章来源", Field::Issuer),
    ("来源", Field::Issuer),
    ("发布日期", Field::PublishDate),
    ("发布时间", Field::PublishDate),
    ("公布日期", Field::PublishDate),
    ("公开日期", Field::PublishDate),
    ("发文日期", Field::PublishDate),
    ("印发日期", Field::PublishDate),
    ("时间", Field::PublishDate),
    ("日期", Field::PublishDate),
    ("成文日期", Field::WrittenDate),
    ("成文时间", Field::WrittenDate),
    ("签发日期", Field::WrittenDate),
    ("索引号", Field::Other),
    ("主题分类", Field::Other),
    ("主题词", Field::Other),
    ("组配分类", Field::Other),
    ("体裁分类", Field::Other),
    ("服务对象", Field::Other),
    ("公文种类", Field::Other),
    ("文种", Field::Other),
    ("有效性", Field::Other),
    ("时效性", Field::Other),
    ("是否有效", Field::Other),
    ("作者", Field::Other),
    ("责任编辑", Field::Other),
    ("编辑", Field::Other),
    ("分类", Field::Other),
    ("实施日期", Field::Other),
    ("废止日期", Field::Other),
    ("生效日期", Field::Other),
    ("所属机构", Field::Other),
    ("所属主题", Field::Other),
    ("关键词", Field::Other),
    ("联合发文单位", Field::Other),
    ("浏览次数", Field::Other),
    ("访问次数", Field::Other),
    ("阅读次数", Field::Other),
    ("点击数", Field::Other),
    ("点击量", Field::Other),
    ("字体", Field::Other),
    ("字号", Field::Other),
];

/// Labels too generic to trust inside the document text: `时间：` opens sentences about
/// events, `来源：` names where funds come from.
const GENERIC: &[&str] = &["来源", "时间", "日期", "作者", "编辑", "分类"];

/// Whether the label at `rank` in the label table is one of the generic ones.
pub(crate) fn is_generic(rank: usize) -> bool {
    LABELS.get(rank).is_some_and(|(l, _)| GENERIC.contains(l))
}

/// One labelled value found on a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Labelled {
    pub field: Field,
    /// Position of the label in [`LABELS`]: lower is more trusted.
    pub rank: usize,
    pub value: String,
}

static LABEL_RE: LazyLock<Regex> = LazyLock::new(|| {
    let mut labels: Vec<&str> = LABELS.iter().map(|(l, _)| *l).collect();
    // Longest first, so 发文字号 wins over 文号 and 成文日期 over 日期.
    labels.sort_by_key(|l| std::cmp::Reverse(l.chars().count()));
    let alternatives: Vec<String> = labels
        .iter()
        .map(|l| {
            l.chars()
                .map(|c| regex::escape(&c.to_string()))
                .collect::<Vec<_>>()
                .join(r"[\s\u{3000}]*")
        })
        .collect();
    Regex::new(&format!(
        r"(?:^|[\s\u{{3000}}|｜【\[])({})[\s\u{{3000}}]*[:：]",
        alternatives.join("|")
    ))
    .expect("valid label regex")
});

static BRACKETED_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[\[【［]\s*([^\]】］]{2,10}?)\s*[\]】］]\s*[:：]?").expect("valid regex")
});

/// Longest line that can be a labelled metadata line.
const MAX_LABELLED_LINE: usize = 160;

/// Reads `label：value` pairs from a line that starts with a label. Returns `None` when
/// the line is not a metadata line. A label without a value (a table cell) yields an
/// empty value; the caller may take the value from the next line.
pub(crate) fn labelled(line: &str) -> Option<Vec<Labelled>> {
    if line.chars().count() > MAX_LABELLED_LINE {
        return None;
    }
    // `[发文字号]京科发〔2022〕12号`: a bracketed label needs no colon.
    let unbracketed;
    let line = if BRACKETED_LABEL.is_match(line) {
        unbracketed = BRACKETED_LABEL.replace_all(line, |c: &regex::Captures<'_>| {
            let label: String = c[1].chars().filter(|ch| !ch.is_whitespace()).collect();
            if LABELS.iter().any(|(l, _)| *l == label) {
                format!(" {label}：")
            } else {
                c[0].to_string()
            }
        });
        unbracketed.as_ref()
    } else {
        line
    };
    let matches: Vec<_> = LABEL_RE.captures_iter(line).collect();
    let first = matches.first()?;
    let lead = &line[..first.get(0)?.start()];
    if !lead
        .trim_matches(|c: char| c.is_whitespace() || "【[|｜".contains(c))
        .is_empty()
    {
        return None;
    }
    let mut out = Vec::new();
    for (i, caps) in matches.iter().enumerate() {
        let label_text: String = caps[1].chars().filter(|c| !c.is_whitespace()).collect();
        let Some(rank) = LABELS.iter().position(|(l, _)| *l == label_text) else {
            continue;
        };
        let start = caps.get(0).map_or(0, |m| m.end());
        let end = matches
            .get(i + 1)
            .and_then(|m| m.get(0))
            .map_or(line.len(), |m| m.start());
        let value = clean_value(&line[start..end]);
        out.push(Labelled {
            field: LABELS[rank].1,
            rank,
            value,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// Trims a labelled value: surrounding white space and brackets, and anything after a
/// wide gap (the next widget on the same line).
fn clean_value(raw: &str) -> String {
    let raw = raw.trim_matches(|c: char| c.is_whitespace() || "】]|｜".contains(c));
    let cut = raw
        .find("  ")
        .into_iter()
        .chain(raw.find(['\u{3000}', '\u{a0}', '|', '｜', '【', '[']))
        .min()
        .unwrap_or(raw.len());
    raw[..cut].trim().to_string()
}

static DOC_NUMBER_RE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[\p{Han}A-Za-z]{1,15}[\s\u{3000}]*[〔\[(（【［﹝{〖][\s\u{3000}]*[12]\d{3}[\s\u{3000}]*[〕\])）】］﹞}〗][\s\u{3000}]*\d{1,5}[\s\u{3000}]*号|\p{Han}{1,20}令[\s\u{3000}]*第[\s\u{3000}]*\d{1,5}[\s\u{3000}]*号",
    )
    .expect("valid doc number regex")
});

/// A document number at the very start of `text`, canonicalised, with the byte length
/// it spans.
pub(crate) fn leading_doc_number(text: &str) -> Option<(String, usize)> {
    let m = DOC_NUMBER_RE.find(text)?;
    if m.start() != 0 {
        return None;
    }
    Some((normalize_doc_number(m.as_str())?, m.end()))
}

/// A line that holds a document number and nothing else (white space, brackets aside).
pub(crate) fn standalone_doc_number(line: &str) -> Option<String> {
    let core = line.trim_matches(|c: char| c.is_whitespace());
    let (number, len) = leading_doc_number(core)?;
    core[len..].trim().is_empty().then_some(number)
}

/// The first document number anywhere in `text`.
pub(crate) fn find_doc_number(text: &str) -> Option<String> {
    DOC_NUMBER_RE
        .find_iter(text)
        .find_map(|m| normalize_doc_number(m.as_str()))
}

/// Words that end the title of an official document (its 文种).
const DOC_TYPE_SUFFIXES: &[&str] = &[
    "通知",
    "通告",
    "公告",
    "意见",
    "办法",
    "规定",
    "决定",
    "方案",
    "要点",
    "批复",
    "复函",
    "函",
    "报告",
    "细则",
    "规划",
    "条例",
    "规则",
    "纲要",
    "指南",
    "计划",
    "措施",
    "决议",
    "命令",
    "公报",
    "纪要",
    "目录",
    "清单",
    "制度",
    "章程",
    "指引",
    "通报",
    "意见稿",
    "征求意见稿",
    "答复",
    "议案",
    "标准",
    "规范",
    "名单",
    "若干规定",
    "实施意见",
    "暂行办法",
    "试行",
    "修订",
    "（试行）",
    "(试行)",
    "法",
    "令",
    "解读",
    "说明",
];

/// The header of a decree (`中华人民共和国国务院令`, `…令第707号`): it heads the
/// regulation it enacts, whose name is the real title.
pub(crate) fn is_decree_header(line: &str) -> bool {
    let core: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let chars = core.chars().count();
    (2..=40).contains(&chars)
        && (core.ends_with('令') || (core.contains("令第") && core.ends_with('号')))
        && core.chars().all(|c| is_han(c) || c.is_ascii_digit())
}

/// Whether a line reads like the title of an official document.
pub(crate) fn is_title_like(line: &str) -> bool {
    if is_decree_header(line) {
        return false;
    }
    let chars = line.chars().count();
    if !(5..=100).contains(&chars) || line.contains('。') || line.ends_with(['：', ':']) {
        return false;
    }
    let core = line.trim_end_matches(|c: char| c.is_whitespace() || "》\"”".contains(c));
    let han = line.chars().filter(|&c| is_han(c)).count();
    han * 2 >= chars && DOC_TYPE_SUFFIXES.iter().any(|s| core.ends_with(s))
}

/// Suffixes of office names (机关) as they sign documents.
const ORG_SUFFIXES: &[&str] = &[
    "厅",
    "局",
    "委员会",
    "委",
    "部",
    "办公室",
    "办公厅",
    "政府",
    "院",
    "中心",
    "协会",
    "学会",
    "联合会",
    "总会",
    "党组",
    "小组",
    "管委会",
    "管理委员会",
    "银行",
    "署",
    "会",
    "处",
    "所",
    "集团",
    "公司",
    "大学",
    "学院",
    "法院",
    "检察院",
    "办",
    "站",
    "馆",
    "社",
];

/// Whether a line reads like the name of one or more offices (a 落款).
pub(crate) fn is_org_like(line: &str) -> bool {
    let chars = line.chars().count();
    if !(2..=60).contains(&chars) || line.contains(['。', '，', ',', '：', ':', '；', ';']) {
        return false;
    }
    line.split(|c: char| c.is_whitespace() || c == '、')
        .filter(|p| !p.is_empty())
        .all(|part| {
            part.chars().all(|c| is_han(c) || "（）()".contains(c))
                && ORG_SUFFIXES.iter().any(|s| part.ends_with(s))
        })
}

/// Words that say a title's prefix is not (only) its issuer: `…转发省人民政府关于…`.
const NOT_ISSUER: &[&str] = &["转发", "印发", "批转", "关于", "的", "《", "“", "\""];

/// The issuer a title names before `关于`: `国务院关于…的通知` → `国务院`,
/// `全国人民代表大会常务委员会关于…的决议` → `全国人民代表大会常务委员会`. Co-issuers set
/// apart by spaces or `、` come back joined by `、` (`财政部、税务总局`). `None` when the
/// part before `关于` is not the name of an office (`2020年关于…`, `转发国务院关于…`) or
/// the title has no `关于`.
pub(crate) fn issuer_from_title(title: &str) -> Option<String> {
    let title = title.trim();
    let (prefix, _) = title.split_once("关于")?;
    let prefix = prefix.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if prefix.is_empty() || NOT_ISSUER.iter().any(|w| prefix.contains(w)) {
        return None;
    }
    let parts: Vec<&str> = prefix
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
        .filter(|p| !p.is_empty())
        .collect();
    let office = |p: &str| is_org_like(p) || (p.ends_with("中央") && p.chars().all(is_han));
    (!parts.is_empty() && parts.len() <= 8 && parts.iter().all(|p| office(p)))
        .then(|| parts.join("、"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_metadata_line_has_two_fields() {
        let got = labelled("发布日期:2020-04-10       发布单位:辽宁省科学技术厅").unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].field, Field::PublishDate);
        assert_eq!(got[0].value, "2020-04-10");
        assert_eq!(got[1].field, Field::Issuer);
        assert_eq!(got[1].value, "辽宁省科学技术厅");
    }

    #[test]
    fn spaced_labels_and_table_cells() {
        let got = labelled("文      号:").unwrap();
        assert_eq!(got[0].field, Field::DocNumber);
        assert_eq!(got[0].value, "");
        let got = labelled("标\u{3000}\u{3000}题：  国务院办公厅关于印发方案的通知").unwrap();
        assert_eq!(got[0].field, Field::Title);
        assert_eq!(got[0].value, "国务院办公厅关于印发方案的通知");
        let got = labelled("发文机关：  国务院办公厅  成文日期：  2018年10月27日").unwrap();
        assert_eq!(got[0].value, "国务院办公厅");
        assert_eq!(got[1].field, Field::WrittenDate);
    }

    #[test]
    fn bracketed_labels_and_widgets_after_values() {
        let got = labelled("[发文字号]京科发〔2022〕12号").unwrap();
        assert_eq!(
            (got[0].field, got[0].value.as_str()),
            (Field::DocNumber, "京科发〔2022〕12号")
        );
        let got = labelled("【发布机构】 北京市科学技术委员会").unwrap();
        assert_eq!(
            (got[0].field, got[0].value.as_str()),
            (Field::Issuer, "北京市科学技术委员会")
        );
        let got = labelled("发布时间：2021-03-05 10:20 来源：沈阳市人民政府办公室\u{a0}浏览次数：123 【字体：大 中 小】").unwrap();
        let issuer = got.iter().find(|l| l.field == Field::Issuer).unwrap();
        assert_eq!(issuer.value, "沈阳市人民政府办公室");
    }

    #[test]
    fn body_sentences_are_not_labels() {
        assert!(labelled("资金来源：省财政专项资金").is_none());
        assert!(labelled("各市、县（区）人民政府，省政府各部门：").is_none());
    }

    #[test]
    fn doc_numbers_in_text() {
        assert_eq!(
            leading_doc_number("辽科发〔2020〕6号关于印发2020年度全省科技工作要点的通知"),
            Some(("辽科发〔2020〕6号".into(), "辽科发〔2020〕6号".len()))
        );
        assert_eq!(
            standalone_doc_number(" 国办函〔2018〕71号 ").as_deref(),
            Some("国办函〔2018〕71号")
        );
        assert_eq!(standalone_doc_number("根据国办函〔2018〕71号文件"), None);
    }

    #[test]
    fn issuers_named_by_titles() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                "全国人民代表大会常务委员会关于加强经济工作监督的决定",
                Some("全国人民代表大会常务委员会"),
            ),
            (
                "国务院关于印发“十四五”数字经济发展规划的通知",
                Some("国务院"),
            ),
            (
                "广东省人民政府办公厅关于印发广东省促进中小企业发展若干措施的通知",
                Some("广东省人民政府办公厅"),
            ),
            (
                "中共中央 国务院关于实施乡村振兴战略的意见",
                Some("中共中央、国务院"),
            ),
            (
                "财政部、税务总局关于延续实施有关个人所得税优惠政策的公告",
                Some("财政部、税务总局"),
            ),
            ("关于印发2020年度全省科技工作要点的通知", None),
            ("2020年关于开展评价工作的通知", None),
            ("沈阳市人民政府办公室转发省人民政府关于加快发展的通知", None),
            ("中华人民共和国刑法", None),
            ("关于国务院关于机构设置的通知的说明", None),
        ];
        for (title, issuer) in cases {
            assert_eq!(issuer_from_title(title).as_deref(), *issuer, "{title}");
        }
    }

    #[test]
    fn titles_and_offices() {
        assert!(is_title_like("关于印发2020年度全省科技工作要点的通知"));
        assert!(!is_title_like("现就有关事项通知如下："));
        assert!(is_org_like("辽宁省科学技术厅"));
        assert!(is_org_like("国家发展改革委 科技部"));
        assert!(!is_org_like("(此件公开发布)"));
    }
}
