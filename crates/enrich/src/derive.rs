//! Values derived from what a document already says: its region (省/市 or 全国), its
//! issuer when no field names one, and its 文种.
//!
//! Every rule reads something the document states — an office name, a 文号 prefix, the
//! adoption line of a law, a portal's host — never a guess from the source it came in.

use zhengce_model::REGIONS;

pub use zhengce_model::{NATIONAL, region_name};

/// Offices whose names start like this belong to the central level.
const CENTRAL_PREFIXES: &[&str] = &[
    "国务院",
    "中共中央",
    "中央",
    "全国人民代表大会",
    "全国人大",
    "全国",
    "国家",
    "中华人民共和国",
    "最高人民",
    "中国人民银行",
    "中国人民解放军",
];

/// The region of an English jurisdiction name as the policy-transparency data writes it
/// (`Guangdong Provincial Government` → 广东省, `State Council` → 全国, `National` → 全国).
pub fn region_from_jurisdiction(jurisdiction: &str) -> Option<String> {
    let j = jurisdiction.trim().to_ascii_lowercase();
    if [
        "state council",
        "national",
        "central government",
        "central",
        "china",
        "prc",
    ]
    .iter()
    .any(|c| j == *c || j.starts_with(&format!("{c} ")))
    {
        return Some(NATIONAL.to_string());
    }
    // Shanxi (山西) and Shaanxi (陕西) differ by one letter: compare whole words.
    REGIONS
        .iter()
        .find(|r| j == r.4 || j.starts_with(&format!("{} ", r.4)))
        .map(|r| r.1.to_string())
}

/// The region a document belongs to: a province-level name (`辽宁省`), or `全国` for the
/// central government. Taken from the issuer, else the 文号 prefix, else the URL host.
pub fn region(issuer: Option<&str>, doc_number: Option<&str>, url: Option<&str>) -> Option<String> {
    if let Some(r) = issuer.and_then(region_of_office) {
        return Some(r);
    }
    if let Some(number) = doc_number {
        if number.starts_with('国') || number.starts_with("中发") || number.starts_with("中办")
        {
            return Some(NATIONAL.to_string());
        }
        if let Some(r) = REGIONS.iter().find(|r| number.starts_with(r.2)) {
            return Some(r.1.to_string());
        }
    }
    let host = url
        .and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split(['/', ':']).next())?
        .to_ascii_lowercase();
    if host == "www.gov.cn" || host == "gov.cn" || host.ends_with(".mee.gov.cn") {
        return Some(NATIONAL.to_string());
    }
    let labels: Vec<&str> = host.split('.').collect();
    REGIONS
        .iter()
        .find(|r| labels.contains(&r.3))
        .map(|r| r.1.to_string())
}

/// The region an office belongs to, from its name.
pub fn region_of_office(office: &str) -> Option<String> {
    let stripped = office.trim().trim_start_matches("中共");
    if let Some(r) = REGIONS.iter().find(|r| stripped.starts_with(r.0)) {
        return Some(r.1.to_string());
    }
    (CENTRAL_PREFIXES.iter().any(|p| stripped.starts_with(p))
        || (stripped.ends_with('部') && stripped.chars().count() <= 8))
        .then(|| NATIONAL.to_string())
}

/// Endings of office names (发文机关), longest first where one ends another.
const OFFICE_ENDINGS: &[&str] = &[
    "人民代表大会常务委员会",
    "人民代表大会",
    "人民政府",
    "办公厅",
    "办公室",
    "委员会",
    "国务院",
    "中央军委",
    "中共中央",
    "总局",
    "政府",
    "法院",
    "检察院",
    "银行",
    "小组",
    "机制",
    "指挥部",
    "管委会",
    "中心",
    "党委",
    "厅",
    "局",
    "部",
    "委",
    "院",
    "署",
    "会",
    "办",
];

/// Whether `name` has the shape of an office (发文机关): Chinese, not too long, ending in
/// an office word, and absolute (`市政府办公厅` names no place, so it is not enough).
pub fn is_office_name(name: &str) -> bool {
    let name = name.trim();
    let chars = name.chars().count();
    (2..=30).contains(&chars)
        && name.chars().all(zhengce_model::is_han)
        && OFFICE_ENDINGS.iter().any(|e| name.ends_with(e))
        && ![
            "市", "省", "区", "县", "本", "我", "各", "州", "转发", "印发", "批转", "关于",
        ]
        .iter()
        .any(|p| name.starts_with(p))
}

/// Verbs that stand between an issuer and what it issues or passes on (`广东省人民政府
/// 转发国务院关于…`, `海南省人民政府印发…`).
const ISSUING_VERBS: &[&str] = &[
    "转发", "印发", "批转", "贯彻", "落实", "发布", "公布", "关于",
];

/// The issuing office a title names at its start (`广东省人民政府办公厅关于印发…的通知` →
/// 广东省人民政府办公厅, `广东省人民政府转发国务院关于…` → 广东省人民政府; of joint issuers
/// the first; `…等六部门`, `…等` dropped).
pub fn issuer_from_title(title: &str) -> Option<String> {
    let cut = ISSUING_VERBS.iter().filter_map(|v| title.find(v)).min()?;
    let head = &title[..cut];
    let first = head
        .split([' ', '\u{3000}', '\u{2002}', '\n', '、', '，', ','])
        .find(|s| !s.is_empty())?;
    let first = strip_and_others(first);
    if is_office_name(first) {
        return Some(first.to_string());
    }
    // `第十一届全国人民代表大会第一次会议关于…的决议`: the session's body.
    head.contains("人民代表大会")
        .then(|| adopting_body(head))
        .flatten()
}

/// The office a title made of an office and a 文种 names (`2003年中华人民共和国国务院
/// 政府工作报告` → 国务院).
pub fn issuer_from_title_shape(title: &str) -> Option<String> {
    let t = title.trim();
    let t = match t.find('年') {
        Some(at) if at > 0 && t[..at].bytes().all(|b| b.is_ascii_digit()) => {
            &t[at + '年'.len_utf8()..]
        }
        _ => t,
    };
    let t = t.strip_prefix("中华人民共和国").unwrap_or(t);
    let mut ends = t.char_indices().map(|(i, _)| i).skip(2);
    ends.find_map(|end| {
        let (office, rest) = t.split_at(end);
        (is_office_name(office)
            && rest.chars().count() >= 2
            && DOC_TYPES.contains(&rest)
            && !RULE_TYPES.contains(&rest))
        .then(|| office.to_string())
    })
}

/// 文种 whose title names what they regulate, never who issues them: `社会保险经办条例`
/// is no 条例 of an office 社会保险经办, `…转换经营机制条例` none of a 机制.
const RULE_TYPES: &[&str] = &[
    "实施细则",
    "实施方案",
    "工作要点",
    "办法",
    "细则",
    "规定",
    "方案",
    "要点",
    "规划",
    "条例",
    "规则",
    "纲要",
    "指南",
    "计划",
    "措施",
    "清单",
    "目录",
    "解释",
];

/// The signer of a body's signature block: an office on the line before the date line
/// (`北京市中医管理局` / `2020年9月30日`), the last such pair of the body.
pub fn issuer_from_signature(body: &str) -> Option<String> {
    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    lines.windows(2).rev().find_map(|pair| {
        let first = pair[0]
            .split([' ', '\u{3000}', '\u{2002}'])
            .find(|s| !s.is_empty())?;
        (zhengce_parse::standalone_date(pair[1]).is_some() && is_office_name(first))
            .then(|| first.to_string())
    })
}

/// `海南省教育厅等六部门` → 海南省教育厅.
fn strip_and_others(name: &str) -> &str {
    match name.rfind('等') {
        Some(at)
            if name[at + '等'.len_utf8()..]
                .chars()
                .all(|c| "一二三四五六七八九十0123456789个部门单位".contains(c)) =>
        {
            &name[..at]
        }
        _ => name,
    }
}

/// An office named relative to its region (`市政府办公厅`, `省政府`) written in full for
/// `region` (`上海市人民政府办公厅`); `None` for other names.
pub fn absolute_office(name: &str, region: &str) -> Option<String> {
    if region == NATIONAL || !REGIONS.iter().any(|r| r.1 == region) {
        return None;
    }
    let rest = name
        .strip_prefix("省政府")
        .or_else(|| name.strip_prefix("市政府"))
        .or_else(|| name.strip_prefix("省人民政府"))
        .or_else(|| name.strip_prefix("市人民政府"))?;
    match rest {
        "" => Some(format!("{region}人民政府")),
        "办公厅" => Some(format!("{region}人民政府办公厅")),
        _ => None,
    }
}

/// The relative office a title starts with (`市政府办公厅关于…` → 市政府办公厅).
pub fn relative_issuer_from_title(title: &str) -> Option<&str> {
    let cut = ISSUING_VERBS.iter().filter_map(|v| title.find(v)).min()?;
    let head = title[..cut].trim();
    [
        "省政府办公厅",
        "市政府办公厅",
        "省人民政府办公厅",
        "市人民政府办公厅",
        "省政府",
        "市政府",
        "省人民政府",
        "市人民政府",
    ]
    .iter()
    .find(|p| head == **p)
    .copied()
}

/// The 文号 prefixes of the central government's own documents.
const CENTRAL_NUMBERS: &[(&str, &str)] = &[
    ("国发", "国务院"),
    ("国函", "国务院"),
    ("国令", "国务院"),
    ("国办发", "国务院办公厅"),
    ("国办函", "国务院办公厅"),
];

/// The issuer a 文号 implies when its prefix is a government's or its general office's
/// own (`粤府〔2023〕68号` → 广东省人民政府, `国办发〔2019〕3号` → 国务院办公厅). Prefixes of
/// departments (`辽财非`) imply nothing here.
pub fn issuer_from_doc_number(number: &str) -> Option<String> {
    let prefix = number
        .split_once('〔')
        .map(|(p, _)| p)
        .or_else(|| number.split_once("令第").map(|(p, _)| p))
        .map(|p| {
            if number.contains("令第") {
                format!("{p}令")
            } else {
                p.to_string()
            }
        })?;
    if let Some((_, issuer)) = CENTRAL_NUMBERS.iter().find(|(p, _)| prefix == *p) {
        return Some(issuer.to_string());
    }
    // `山西省人民政府令第233号`: a decree names its issuer in full.
    if let Some(office) = prefix.strip_suffix('令')
        && is_office_name(office)
        && region_of_office(office).is_some()
    {
        return Some(office.to_string());
    }
    let region = REGIONS.iter().find(|r| prefix.starts_with(r.2))?;
    government_number(&prefix[region.2.len()..], region.1)
}

/// A provincial government's own 文号 continue its abbreviation with 府 or 政 (`粤府`,
/// `晋政发`, `云政任`), its general office's with 府办, 政办 or 办 (`沪府办发`, `粤办函`);
/// `政协` is the CPPCC's.
fn government_number(rest: &str, region: &str) -> Option<String> {
    if rest.starts_with("政协") || rest.chars().count() > 4 {
        return None;
    }
    if rest.starts_with("府办") || rest.starts_with("政办") || rest.starts_with('办') {
        Some(format!("{region}人民政府办公厅"))
    } else if rest.starts_with('府') || rest.starts_with('政') {
        Some(format!("{region}人民政府"))
    } else {
        None
    }
}

/// The issuer of a decree numbered relative to its region (`省政府令第137号` in 河南省 →
/// 河南省人民政府).
pub fn issuer_from_relative_decree(number: &str, region: &str) -> Option<String> {
    let (prefix, _) = number.split_once("令第")?;
    absolute_office(prefix, region)
}

/// The body that adopted a law or regulation, from the first line of its history that
/// says so (`2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过` →
/// 上海市人民代表大会常务委员会; `中华人民共和国国务院令第386号公布` → 国务院).
///
/// A local congress that names itself by its level alone (`市十二届人民代表大会常务委员会`,
/// `县第五届人民代表大会`) takes its place from the title (`杭州市企业工资集体协商条例` →
/// 杭州市人民代表大会常务委员会); without one there, no issuer.
pub fn issuer_from_history(history: &str, title: Option<&str>) -> Option<String> {
    let line = history
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .find_map(adopting_body)?;
    let Some(level) = RELATIVE_LEVELS.iter().find(|l| line.starts_with(**l)) else {
        return Some(line);
    };
    // The title's place: its head up to the first character of that level.
    let title = title?.trim_start_matches("中华人民共和国");
    let head: String = title.chars().take(12).collect();
    let at = head.find(level)?;
    let place = &head[..at + level.len()];
    (place.chars().count() >= 2 && place.chars().all(zhengce_model::is_han))
        .then(|| format!("{place}{}", &line[level.len()..]))
}

/// What makes a text a version: adopted, promulgated or amended.
const ADOPTING_VERBS: &[&str] = &["通过", "公布", "发布", "颁布", "修订", "修正", "批准"];

/// The dates a text says it was adopted, promulgated or amended on: a date followed in
/// its clause by `通过`, `公布`, `发布`, `颁布`, `修订`, `修正` or `批准`
/// (`2019年9月27日 河南省第十三届人民代表大会常务委员会第十二次会议通过` → 2019-09-27;
/// `根据2016年2月6日《国务院关于修改部分行政法规的决定》修订` → 2016-02-06), not a
/// date it takes effect (`自2019年3月1日起施行`, `2019年3月1日 施行`). Full-width digits
/// are read.
pub fn adoption_dates(text: &str) -> Vec<String> {
    let mut dates = Vec::new();
    for clause in text.split(['，', '。', '；', ',', ';', '\n']) {
        let mut rest = clause;
        // Every stretch that ends with a verb: the first date of each of its parts.
        while let Some((at, verb)) = ADOPTING_VERBS
            .iter()
            .filter_map(|v| rest.find(v).map(|at| (at, v)))
            .min()
        {
            // `2018年9月17日 最高人民法院…会议、2018年12月12日最高人民检察院…通过`.
            dates.extend(rest[..at].split('、').filter_map(zhengce_model::find_date));
            rest = &rest[at + verb.len()..];
        }
    }
    dates
}

/// The latest date [`adoption_dates`] finds in `text`.
pub fn latest_adoption(text: &str) -> Option<String> {
    adoption_dates(text).into_iter().max()
}

/// Levels a local body may name itself by, without its place.
const RELATIVE_LEVELS: &[&str] = &["自治州", "自治县", "市", "县", "省", "区", "州", "旗"];

fn adopting_body(line: &str) -> Option<String> {
    for body in ["人民代表大会常务委员会", "人民代表大会"] {
        if let Some(at) = line.find(body) {
            let place = place_before(&line[..at]);
            if place.is_empty() {
                return None;
            }
            return Some(format!("{place}{body}"));
        }
    }
    for court in ["最高人民法院", "最高人民检察院"] {
        if line.contains(court) {
            return Some(court.to_string());
        }
    }
    if line.contains("国务院") {
        return Some("国务院".to_string());
    }
    // `国家市场监督管理总局令第43号公布`: the decree's issuer.
    let (head, _) = line.split_once("令第")?;
    let office: String = head
        .chars()
        .rev()
        .take_while(|c| zhengce_model::is_han(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let office = office.trim_start_matches("中华人民共和国");
    is_office_name(office).then(|| office.to_string())
}

/// The place name that stands before `人民代表大会` in an adoption line, without the
/// session (`上海市第十三届` → 上海市, `第五届全国` → 全国).
fn place_before(head: &str) -> String {
    let han: String = head
        .chars()
        .rev()
        .take_while(|c| zhengce_model::is_han(*c))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    // Drop `第…届` wherever it stands.
    let mut out = String::new();
    let mut rest = han.as_str();
    while let Some(start) = rest.find('第') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('届') {
            Some(end) => rest = &after[end + '届'.len_utf8()..],
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    // `市十二届…`: a 届 without its 第.
    if let Some(end) = out.find('届') {
        let start = out[..end]
            .char_indices()
            .rev()
            .take_while(|(_, c)| "一二三四五六七八九十".contains(*c))
            .last()
            .map(|(i, _)| i);
        if let Some(start) = start {
            out.replace_range(start..end + '届'.len_utf8(), "");
        }
    }
    // A date's `日` may stand right before the place.
    out.trim_start_matches('日').to_string()
}

/// 文种, most specific first.
const DOC_TYPES: &[&str] = &[
    "政府工作报告",
    "实施细则",
    "实施意见",
    "实施方案",
    "指导意见",
    "工作要点",
    "通知",
    "通告",
    "公告",
    "意见",
    "办法",
    "细则",
    "规定",
    "决定",
    "决议",
    "方案",
    "要点",
    "批复",
    "复函",
    "函",
    "报告",
    "规划",
    "条例",
    "规则",
    "纲要",
    "指南",
    "计划",
    "措施",
    "命令",
    "令",
    "公报",
    "纪要",
    "通报",
    "清单",
    "目录",
    "解释",
    "法",
];

/// The 文种 of a document, read from the end of its title (`关于印发…要点的通知` is a 通知).
pub fn doc_type(title: Option<&str>) -> Option<String> {
    let title = title?.trim().trim_end_matches(['》', '"', '”']);
    let title = title
        .strip_suffix("（试行）")
        .or_else(|| title.strip_suffix("(试行)"))
        .or_else(|| title.strip_suffix("（暂行）"))
        .unwrap_or(title);
    // `…法（2018年修正）`, `…民法典（合同编）`: the kind stands before the bracket.
    let title = match title.strip_suffix('）') {
        Some(inner) => inner.rsplit_once('（').map_or(title, |(head, _)| head),
        None => title,
    };
    let found = DOC_TYPES.iter().find(|t| title.ends_with(*t)).or_else(|| {
        // `中华人民共和国民法典`, `刑法修正案（十一）`: codes and amendments are laws.
        (title.ends_with("法典") || title.contains("法修正案")).then_some(&"法")
    })?;
    let general = match *found {
        "实施意见" | "指导意见" => "意见",
        "实施方案" => "方案",
        "实施细则" => "细则",
        "工作要点" => "要点",
        "复函" => "函",
        "命令" => "令",
        other => other,
    };
    Some(general.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions() {
        assert_eq!(
            region(Some("辽宁省科学技术厅"), None, None).as_deref(),
            Some("辽宁省")
        );
        assert_eq!(
            region(Some("国务院办公厅"), None, None).as_deref(),
            Some("全国")
        );
        assert_eq!(
            region(None, Some("赣府厅明〔2020〕17号"), None).as_deref(),
            Some("江西省")
        );
        assert_eq!(
            region(
                Some("省政府办公厅"),
                None,
                Some("http://www.jiangxi.gov.cn/art/1.html")
            )
            .as_deref(),
            Some("江西省")
        );
        assert_eq!(
            region(None, None, Some("http://www.gov.cn/zhengce/1.htm")).as_deref(),
            Some("全国")
        );
        assert_eq!(region(None, None, None), None);
    }

    #[test]
    fn jurisdictions() {
        for (j, r) in [
            ("Guangdong Provincial Government", "广东省"),
            ("Shanxi Provincial Government", "山西省"),
            ("Shaanxi Provincial Government", "陕西省"),
            ("Shanghai Municipal Government", "上海市"),
            ("Ningxia Provincial Government", "宁夏回族自治区"),
            ("State Council", "全国"),
            ("National", "全国"),
        ] {
            assert_eq!(region_from_jurisdiction(j).as_deref(), Some(r), "{j}");
        }
        assert_eq!(
            region_from_jurisdiction("Atlantis Provincial Government"),
            None
        );
        assert_eq!(region_from_jurisdiction(""), None);
    }

    #[test]
    fn issuers_from_titles() {
        for (title, issuer) in [
            (
                "广东省人民政府关于调整一批省级行政职权事项的决定",
                Some("广东省人民政府"),
            ),
            (
                "国务院办公厅关于成都皮影博物馆冠名问题的复函",
                Some("国务院办公厅"),
            ),
            (
                "全国人民代表大会常务委员会关于修改部分法律的决定",
                Some("全国人民代表大会常务委员会"),
            ),
            (
                "国务院办公厅 国家发展改革委关于进一步做好工作的通知",
                Some("国务院办公厅"),
            ),
            (
                "市政府办公厅关于做好2013年城镇居民基本医疗保险工作通知",
                None,
            ),
            ("关于２００１年广东省粮食工作考评结果的通报", None),
            (
                "转发国务院办公厅关于进一步做好减轻农民负担工作意见的通知",
                None,
            ),
            (
                "广东省人民政府转发国务院关于开展第七次全国人口普查的通知",
                Some("广东省人民政府"),
            ),
            (
                "河南省人民政府贯彻国务院关于加强土地调控有关问题通知的意见",
                Some("河南省人民政府"),
            ),
            (
                "海南省人民政府印发关于加快发展服务业若干政策的通知",
                Some("海南省人民政府"),
            ),
            (
                "海南省教育厅等六部门印发《海南省关于加强新时代乡村教师队伍建设的实施方案》的通知",
                Some("海南省教育厅"),
            ),
            (
                "中共海南省委\u{2002}海南省人民政府关于全面深化新时代教师队伍建设改革的实施意见",
                Some("中共海南省委"),
            ),
        ] {
            assert_eq!(issuer_from_title(title).as_deref(), issuer, "{title}");
        }
    }

    #[test]
    fn issuers_from_title_shapes_and_signatures() {
        assert_eq!(
            issuer_from_title_shape("2003年中华人民共和国国务院政府工作报告").as_deref(),
            Some("国务院")
        );
        assert_eq!(issuer_from_title_shape("上海市医疗机构管理办法"), None);
        // A regulation's title names what it regulates (user test, seventh session).
        for title in [
            "社会保险经办条例",
            "全民所有制工业企业转换经营机制条例",
            "国家科技计划项目评估评审行为准则与督查办法",
        ] {
            assert_eq!(issuer_from_title_shape(title), None, "{title}");
        }
        assert_eq!(
            issuer_from_signature("现将通知转发给你们。\n附件：关于…的通知\n北京市中医管理局\n2020年9月30日\n（联系人：刘楠）").as_deref(),
            Some("北京市中医管理局")
        );
        assert_eq!(
            issuer_from_signature("辽宁省科学技术厅\n二〇二〇年二月二十五日").as_deref(),
            Some("辽宁省科学技术厅")
        );
        assert_eq!(issuer_from_signature("我们要努力。\n2020年9月30日"), None);
        assert_eq!(
            issuer_from_signature("北京市中医管理局\n二○○五年三月三十日").as_deref(),
            Some("北京市中医管理局")
        );
        assert_eq!(
            issuer_from_title("第十一届全国人民代表大会第一次会议关于政府工作报告的决议")
                .as_deref(),
            Some("全国人民代表大会")
        );
    }

    #[test]
    fn issuers_from_numbers() {
        for (number, issuer) in [
            ("粤府〔2023〕68号", Some("广东省人民政府")),
            ("粤办函〔2023〕267号", Some("广东省人民政府办公厅")),
            ("沪府办发〔2012〕71号", Some("上海市人民政府办公厅")),
            ("晋政办发〔2011〕18号", Some("山西省人民政府办公厅")),
            ("辽政发〔2008〕5号", Some("辽宁省人民政府")),
            ("国办发〔2021〕17号", Some("国务院办公厅")),
            ("国函〔2011〕119号", Some("国务院")),
            ("山西省人民政府令第233号", Some("山西省人民政府")),
            ("辽财非〔2015〕868号", None),
            ("云政任〔2023〕63号", Some("云南省人民政府")),
            ("晋政协〔2023〕1号", None),
            ("辽科发〔2020〕6号", None),
        ] {
            assert_eq!(
                issuer_from_doc_number(number).as_deref(),
                issuer,
                "{number}"
            );
        }
    }

    #[test]
    fn issuers_from_history() {
        for (history, issuer) in [
            (
                "2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过\n2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议第一次修正",
                "上海市人民代表大会常务委员会",
            ),
            (
                "1979年7月1日 第五届全国人民代表大会第二次会议通过",
                "全国人民代表大会",
            ),
            (
                "2017年11月4日 第十二届全国人民代表大会常务委员会第三十次会议通过",
                "全国人民代表大会常务委员会",
            ),
            (
                "2013年11月13日 彭水苗族土家族自治县第十六届人民代表大会第四次会议通过",
                "彭水苗族土家族自治县人民代表大会",
            ),
            (
                "2003年7月30日 国务院第16次常务会议通过\n2003年8月5日 中华人民共和国国务院令第386号公布",
                "国务院",
            ),
            (
                "2020年12月7日 最高人民法院审判委员会第1820次会议通过",
                "最高人民法院",
            ),
            (
                "2021年7月22日 国家市场监督管理总局令第43号公布",
                "国家市场监督管理总局",
            ),
            (
                "# 合同编\n2020年5月28日 第十三届全国人民代表大会第三次会议通过",
                "全国人民代表大会",
            ),
        ] {
            assert_eq!(
                issuer_from_history(history, None).as_deref(),
                Some(issuer),
                "{history}"
            );
        }
        assert_eq!(
            issuer_from_history("该攻略出自\n[https://github.com/x]", None),
            None
        );
        // A local congress named by its level takes its place from the title.
        let hangzhou = "2013年12月31日 市十二届人民代表大会常务委员会第十六次会议通过\n\
                        2014年3月27日 省十二届人民代表大会常务委员会第九次会议批准";
        assert_eq!(
            issuer_from_history(hangzhou, Some("杭州市企业工资集体协商条例")).as_deref(),
            Some("杭州市人民代表大会常务委员会")
        );
        assert_eq!(
            issuer_from_history(hangzhou, Some("企业工资集体协商条例")),
            None
        );
        assert_eq!(
            issuer_from_history(
                "2001年4月12日 县第五届人民代表大会第五次会议通过",
                Some("景宁畲族自治县水资源管理条例")
            )
            .as_deref(),
            Some("景宁畲族自治县人民代表大会")
        );
    }

    #[test]
    fn doc_types() {
        for (title, t) in [
            ("关于印发2020年度全省科技工作要点的通知", "通知"),
            ("关于支持中医药振兴发展的意见", "意见"),
            ("中医诊所备案管理暂行办法", "办法"),
            ("北京市促进中医药发展条例（试行）", "条例"),
            ("2020年度全省科技工作要点", "要点"),
            ("中华人民共和国民法典", "法"),
            ("中华人民共和国民法典（合同编）", "法"),
            ("中华人民共和国刑法修正案（十一）", "法"),
            ("2024年国务院政府工作报告", "政府工作报告"),
        ] {
            assert_eq!(doc_type(Some(title)).as_deref(), Some(t), "{title}");
        }
        assert_eq!(doc_type(Some("山西品牌丝路行正式启动")), None);
    }
}
