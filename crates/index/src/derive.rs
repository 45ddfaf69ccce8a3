//! Values derived from a document for faceting: region (省/市) and doc type (文种).

/// Provincial-level divisions: (short name, full name, doc-number abbreviation, host word).
const REGIONS: &[(&str, &str, &str, &str)] = &[
    ("北京", "北京市", "京", "beijing"),
    ("天津", "天津市", "津", "tianjin"),
    ("上海", "上海市", "沪", "shanghai"),
    ("重庆", "重庆市", "渝", "cq"),
    ("河北", "河北省", "冀", "hebei"),
    ("山西", "山西省", "晋", "shanxi"),
    ("辽宁", "辽宁省", "辽", "ln"),
    ("吉林", "吉林省", "吉", "jl"),
    ("黑龙江", "黑龙江省", "黑", "hlj"),
    ("江苏", "江苏省", "苏", "jiangsu"),
    ("浙江", "浙江省", "浙", "zj"),
    ("安徽", "安徽省", "皖", "ah"),
    ("福建", "福建省", "闽", "fujian"),
    ("江西", "江西省", "赣", "jiangxi"),
    ("山东", "山东省", "鲁", "shandong"),
    ("河南", "河南省", "豫", "henan"),
    ("湖北", "湖北省", "鄂", "hubei"),
    ("湖南", "湖南省", "湘", "hunan"),
    ("广东", "广东省", "粤", "gd"),
    ("海南", "海南省", "琼", "hainan"),
    ("四川", "四川省", "川", "sc"),
    ("贵州", "贵州省", "黔", "guizhou"),
    ("云南", "云南省", "云", "yn"),
    ("陕西", "陕西省", "陕", "shaanxi"),
    ("甘肃", "甘肃省", "甘", "gansu"),
    ("青海", "青海省", "青", "qinghai"),
    ("内蒙古", "内蒙古自治区", "内", "nmg"),
    ("广西", "广西壮族自治区", "桂", "gxzf"),
    ("西藏", "西藏自治区", "藏", "xizang"),
    ("宁夏", "宁夏回族自治区", "宁", "nx"),
    ("新疆", "新疆维吾尔自治区", "新", "xinjiang"),
    ("香港", "香港特别行政区", "港", "hk"),
    ("澳门", "澳门特别行政区", "澳", "mo"),
];

/// The region a document belongs to: a province-level name (`辽宁省`), or `全国` for the
/// central government. Taken from the issuer, else the 文号 prefix, else the URL host.
pub fn region(issuer: Option<&str>, doc_number: Option<&str>, url: Option<&str>) -> Option<String> {
    if let Some(issuer) = issuer {
        let stripped = issuer.trim_start_matches("中共");
        if let Some(r) = REGIONS.iter().find(|r| stripped.starts_with(r.0)) {
            return Some(r.1.to_string());
        }
        if [
            "国务院",
            "中共中央",
            "全国人民代表大会",
            "国家",
            "中华人民共和国",
            "最高人民",
        ]
        .iter()
        .any(|p| stripped.starts_with(p))
            || stripped.ends_with('部')
        {
            return Some("全国".to_string());
        }
    }
    if let Some(number) = doc_number {
        if number.starts_with('国') || number.starts_with("中发") || number.starts_with("中办")
        {
            return Some("全国".to_string());
        }
        if let Some(r) = REGIONS.iter().find(|r| number.starts_with(r.2)) {
            return Some(r.1.to_string());
        }
    }
    let host = url
        .and_then(|u| u.split("://").nth(1))
        .and_then(|rest| rest.split(['/', ':']).next())?
        .to_ascii_lowercase();
    if host == "www.gov.cn" || host == "gov.cn" {
        return Some("全国".to_string());
    }
    let labels: Vec<&str> = host.split('.').collect();
    REGIONS
        .iter()
        .find(|r| labels.contains(&r.3))
        .map(|r| r.1.to_string())
}

/// 文种, most specific first.
const DOC_TYPES: &[&str] = &[
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
    let found = DOC_TYPES.iter().find(|t| title.ends_with(*t))?;
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
    fn doc_types() {
        for (title, t) in [
            ("关于印发2020年度全省科技工作要点的通知", "通知"),
            ("关于支持中医药振兴发展的意见", "意见"),
            ("中医诊所备案管理暂行办法", "办法"),
            ("北京市促进中医药发展条例（试行）", "条例"),
            ("2020年度全省科技工作要点", "要点"),
        ] {
            assert_eq!(doc_type(Some(title)).as_deref(), Some(t), "{title}");
        }
        assert_eq!(doc_type(Some("山西品牌丝路行正式启动")), None);
    }
}
