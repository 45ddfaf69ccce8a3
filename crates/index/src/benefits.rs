//! 惠企政策: the provisions that give a kind of enterprise money or support, grouped by
//! document, in-force documents first, newest first.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, RegexQuery};
use tantivy::schema::Value;
use tantivy::{Order, TantivyDocument};
use zhengce_model::{Amount, Status};

use crate::build::entries_of_named;
use crate::hits::{Hit, hit_from};
use crate::request::{Invalid, Level, SearchRequest, resolve_names};
use crate::search::build_filtered;
use crate::snippet::Snippet;
use crate::{PolicyIndex, Result};

/// Matching provisions read at most.
pub const MAX_PROVISIONS: usize = 2000;

/// Who is asking, and for what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitsRequest {
    /// Beneficiary classes, by their names (the server resolves what people type, `高企`).
    pub beneficiaries: Vec<String>,
    pub benefits: Vec<String>,
    pub regions: Vec<String>,
    /// Optional keywords, in the search syntax.
    pub query: String,
    /// Status date, `YYYY-MM-DD`; today when absent.
    pub as_of: Option<String>,
    /// Documents to return.
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitProvision {
    pub number: String,
    pub heading_path: Vec<String>,
    /// An excerpt with the keywords' ranges.
    pub snippet: Snippet,
    pub benefits: Vec<String>,
    pub beneficiaries: Vec<String>,
    pub amounts: Vec<Amount>,
    /// Who to ask.
    pub lead_depts: Vec<String>,
    pub resp_depts: Vec<String>,
    /// Whom to ask, in one name: the 牵头处室, else the department the provision names
    /// (`县级以上人民政府科学技术行政部门`), else the issuer — but not a legislature, which
    /// passes a law and answers no one's questions about it: for a tax preference the
    /// competent tax authority, else the region's people's government (国务院有关部门 for
    /// a national law).
    pub contact: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitDoc {
    pub doc_id: String,
    pub title: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub region: Option<String>,
    pub doc_type: Option<String>,
    pub publish_date: Option<String>,
    pub url: Option<String>,
    pub status: String,
    pub provisions: Vec<BenefitProvision>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitsResponse {
    pub as_of: String,
    /// Documents among the provisions read (all of them unless `truncated`).
    pub total_documents: usize,
    /// Every provision that matches.
    pub total_provisions: usize,
    /// Whether more provisions match than are read ([`MAX_PROVISIONS`], the newest): the
    /// documents listed are then those of the newest.
    pub truncated: bool,
    pub documents: Vec<BenefitDoc>,
}

impl BenefitsRequest {
    /// Replaces the classes people type (`高企`) by the names the index holds, as
    /// [`SearchRequest::resolve_classes`] does.
    pub fn resolve_classes(
        &mut self,
        benefit: impl Fn(&str) -> Option<&'static str>,
        beneficiary: impl Fn(&str) -> Option<&'static str>,
    ) -> std::result::Result<(), Invalid> {
        resolve_names(
            &mut self.beneficiaries,
            beneficiary,
            "beneficiary",
            "适用对象",
        )?;
        resolve_names(&mut self.benefits, benefit, "benefit", "支持方式")
    }
}

fn status_rank(status: &str) -> u8 {
    match Status::parse(status) {
        Some(Status::InForce) => 0,
        Some(Status::Unknown) => 1,
        Some(Status::NotYet) => 2,
        _ => 3,
    }
}

impl PolicyIndex {
    /// Provisions offering support that match the request, grouped by document.
    pub fn benefits(&self, request: &BenefitsRequest) -> Result<BenefitsResponse> {
        let mut search = SearchRequest::new(&request.query);
        search.level = Level::Provision;
        search.beneficiaries = request.beneficiaries.clone();
        search.benefits = request.benefits.clone();
        search.regions = request.regions.clone();
        // National policies apply in every province.
        if !search.regions.is_empty() && !search.regions.iter().any(|r| r == NATIONAL) {
            search.regions.push(NATIONAL.to_string());
        }
        search.as_of = request.as_of.clone();
        let as_of = search.as_of_number()?;
        let (mut query, terms) = build_filtered(&self.fields, &search)?;
        // Keywords that name a policy (its title, or its 文号) list that policy's support
        // too, not only provisions whose own text holds them.
        let named = request.query.trim().trim_matches(['"', '“', '”']).trim();
        if named.chars().count() >= 2 {
            let mut everything = search.clone();
            everything.query = String::new();
            let (filters, _) = build_filtered(&self.fields, &everything)?;
            let of_named = BooleanQuery::new(vec![
                (Occur::Must, filters),
                (Occur::Must, entries_of_named(&self.fields, named)),
            ]);
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Should, query),
                (Occur::Should, Box::new(of_named)),
            ]));
        }
        // Only provisions that offer something: any value in the benefit field (the index
        // takes class names as they come and needs no list of them).
        let any_benefit = RegexQuery::from_pattern(".+", self.fields.benefit)?;
        let query = BooleanQuery::new(vec![
            (Occur::Must, query),
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(any_benefit), 0.0)),
            ),
        ]);
        let searcher = self.reader.searcher();
        let (top, total_provisions) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(MAX_PROVISIONS).order_by_u64_field("date", Order::Desc),
                Count,
            ),
        )?;
        let truncated = total_provisions > top.len();
        let mut order: Vec<String> = Vec::new();
        let mut groups: HashMap<String, (BenefitDoc, u64)> = HashMap::new();
        for (_, address) in top {
            let stored: TantivyDocument = searcher.doc(address)?;
            let date = stored
                .get_first(self.fields.date)
                .and_then(|v| v.as_u64())
                .unwrap_or(0);
            let hit = hit_from(&self.fields, &stored, None, &terms, as_of);
            let text = stored
                .get_first(self.fields.provision_text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let contact = contact(&Asked::of(&hit), text);
            let provision = BenefitProvision {
                contact,
                number: hit.provision_number.clone().unwrap_or_default(),
                heading_path: hit.heading_path.clone(),
                snippet: hit.snippet.clone(),
                benefits: hit.benefits.clone(),
                beneficiaries: hit.beneficiaries.clone(),
                amounts: hit.amounts.clone(),
                lead_depts: hit.lead_depts.clone(),
                resp_depts: hit.resp_depts.clone(),
            };
            let entry = groups.entry(hit.doc_id.clone()).or_insert_with(|| {
                order.push(hit.doc_id.clone());
                (
                    BenefitDoc {
                        doc_id: hit.doc_id.clone(),
                        title: hit.title.clone(),
                        doc_number: hit.doc_number.clone(),
                        issuer: hit.issuer.clone(),
                        region: hit.region.clone(),
                        doc_type: hit.doc_type.clone(),
                        publish_date: hit.publish_date.clone(),
                        url: hit.url.clone(),
                        status: hit.status.clone(),
                        provisions: Vec::new(),
                    },
                    date,
                )
            });
            entry.0.provisions.push(provision);
        }
        let mut documents: Vec<(BenefitDoc, u64)> = order
            .into_iter()
            .filter_map(|id| groups.remove(&id))
            .collect();
        // In force first; then the asker's own region before national policies; newest first.
        let own = |d: &BenefitDoc| {
            !d.region
                .as_deref()
                .is_some_and(|r| request.regions.iter().any(|w| w == r) && r != NATIONAL)
        };
        documents.sort_by(|a, b| {
            status_rank(&a.0.status)
                .cmp(&status_rank(&b.0.status))
                .then(own(&a.0).cmp(&own(&b.0)))
                .then(b.1.cmp(&a.1))
        });
        let total_documents = documents.len();
        let limit = if request.limit == 0 {
            50
        } else {
            request.limit
        };
        let mut documents: Vec<BenefitDoc> =
            documents.into_iter().take(limit).map(|d| d.0).collect();
        for d in &mut documents {
            d.provisions.sort_by_key(|p| natural(&p.number));
        }
        Ok(BenefitsResponse {
            as_of: format!(
                "{}-{:02}-{:02}",
                as_of / 10_000,
                as_of / 100 % 100,
                as_of % 100
            ),
            total_documents,
            total_provisions,
            truncated,
            documents,
        })
    }
}

/// The region of the central level's policies.
const NATIONAL: &str = "全国";

/// Endings of the names of government offices a provision charges with something.
const DEPARTMENT_ENDINGS: &[&str] = &[
    "主管部门",
    "行政部门",
    "管理部门",
    "部门",
    "税务机关",
    "人民政府",
];

/// How the name of a government office starts.
const GOVERNMENT_LEVELS: &[&str] = &[
    "国务院",
    "国家",
    "中央",
    "省",
    "市",
    "县",
    "区",
    "乡",
    "镇",
    "州",
    "盟",
    "旗",
    "自治",
    "各级",
    "设区的市",
    "地方",
    "本市",
    "本省",
    "本县",
];

/// Verbs that no office's name holds: a run of text ending in `部门` that holds one is a
/// clause about departments (`进一步改革政府专业部门`). Not 改革 alone: 发展改革部门 is one.
const CLAUSE_VERBS: &[&str] = &[
    "进一步",
    "加强",
    "推动",
    "推进",
    "建立",
    "健全",
    "完善",
    "鼓励",
    "引导",
    "实现",
    "支持",
];

/// What of a hit says whom to ask.
#[derive(Debug, Default)]
struct Asked<'a> {
    lead_depts: &'a [String],
    issuer: Option<&'a str>,
    region: Option<&'a str>,
    benefits: &'a [String],
}

impl<'a> Asked<'a> {
    fn of(hit: &'a Hit) -> Asked<'a> {
        Asked {
            lead_depts: &hit.lead_depts,
            issuer: hit.issuer.as_deref(),
            region: hit.region.as_deref(),
            benefits: &hit.benefits,
        }
    }
}

/// Whom to ask about a provision (`text`: its text); see [`BenefitProvision::contact`].
fn contact(hit: &Asked, text: &str) -> Option<String> {
    if let Some(lead) = hit.lead_depts.first() {
        return Some(lead.clone());
    }
    if let Some(named) = named_department(text) {
        return Some(named);
    }
    let issuer = hit.issuer?;
    if !is_legislature(issuer) {
        return Some(issuer.to_string());
    }
    if hit.benefits.iter().any(|b| b == "税收优惠") {
        return Some("主管税务机关".to_string());
    }
    if let Some(place) = place_of_legislature(issuer) {
        return Some(format!("{place}人民政府"));
    }
    Some(match hit.region {
        Some(region) if region != NATIONAL => format!("{region}人民政府"),
        _ => "国务院有关部门".to_string(),
    })
}

/// The place a local legislature serves, by its name (`舟山市人民代表大会常务委员会` →
/// 舟山市, `宁波市第十五届人民代表大会` → 宁波市): a city's regulation is asked of the
/// city, not of the province its region names. `None` for the national one and for a
/// name without its place (`市十二届人大常委会`).
fn place_of_legislature(issuer: &str) -> Option<&str> {
    let at = issuer
        .find("人民代表大会")
        .or_else(|| issuer.find("人大"))?;
    let mut place = &issuer[..at];
    // The session: `第十五届`, `十二届`.
    if let Some(rest) = place.strip_suffix('届') {
        let start = rest
            .char_indices()
            .rev()
            .take_while(|(_, c)| "第一二三四五六七八九十百0123456789".contains(*c))
            .last()
            .map_or(rest.len(), |(i, _)| i);
        place = &rest[..start];
    }
    let levelled = ["省", "市", "县", "区", "州", "盟", "旗"]
        .iter()
        .any(|l| place.ends_with(l));
    (levelled && place.chars().count() >= 2).then_some(place)
}

/// A people's congress or its standing committee (`上海市人民代表大会常务委员会`,
/// `全国人民代表大会`, `市十二届人大常委会`).
fn is_legislature(issuer: &str) -> bool {
    issuer.contains("人民代表大会") || issuer.contains("人大")
}

/// The first government office a provision names, by where it stands
/// (`县级以上人民政府科学技术行政部门负责…` → 县级以上人民政府科学技术行政部门;
/// `农业农村、科技等部门应当…` → 农业农村、科技等部门), at most 24 characters, starting
/// after punctuation.
fn named_department(text: &str) -> Option<String> {
    let mut found: Option<(usize, String)> = None;
    for ending in DEPARTMENT_ENDINGS {
        for (at, _) in text.match_indices(ending) {
            if let Some(name) = department_ending_at(text, at, ending) {
                let start = at + ending.len() - name.len();
                if found.as_ref().is_none_or(|(s, _)| start < *s) {
                    found = Some((start, name));
                }
                break;
            }
        }
    }
    found.map(|(_, name)| name)
}

/// The office whose name ends with `ending` at byte `at` of `text`, if it names one.
fn department_ending_at(text: &str, at: usize, ending: &str) -> Option<String> {
    let head: Vec<char> = text[..at].chars().collect();
    // Where a name cannot reach back past: punctuation, or a word that ends the clause
    // before it (`经市人民政府批准`, but not 经济, nor the 和 of 人力资源和社会保障).
    let boundary = |i: usize| {
        let c = head[i];
        let next = head.get(i + 1);
        !zhengce_model::is_han(c)
            || ("的或及与对由向".contains(c))
            || (c == '和' && !(i >= 2 && head[i - 2..i] == ['资', '源'] && next == Some(&'社')))
            || (c == '经' && next != Some(&'济'))
    };
    // A bracketed part inside a name (`县（市）区`, `县（区）`) is part of it: the
    // closing bracket right after a character of the name does not end it.
    let after_boundary = |end: usize| {
        let mut i = end;
        while i > 0 {
            i -= 1;
            let open = (head[i] == '）' && i > 0 && zhengce_model::is_han(head[i - 1]))
                .then(|| head[..i].iter().rposition(|&c| c == '（'))
                .flatten()
                .filter(|&open| open > 0 && zhengce_model::is_han(head[open - 1]) && i - open <= 4);
            if let Some(open) = open {
                i = open;
                continue;
            }
            if boundary(i) {
                return i + 1;
            }
        }
        0
    };
    let mut start = after_boundary(head.len());
    // Levels listed before a government (`市、县（区）人民政府`, `市和区、县（市）人民政府`)
    // are one name: each item a level alone.
    if ending == "人民政府" {
        while start > 1 && "、和".contains(head[start - 1]) {
            let item = after_boundary(start - 1);
            let word: String = head[item..start - 1].iter().collect();
            let level_only = !word.is_empty()
                && word.chars().count() <= 4
                && word.chars().all(|c| "省市县区乡镇州盟旗（）".contains(c));
            if !level_only {
                break;
            }
            start = item;
        }
    }
    // A list of fields closed by 等 (`农业农村、科技、经济信息化等部门`) names them all.
    if head[start..].ends_with(&['等']) {
        while start > 1 && head[start - 1] == '、' {
            let item = after_boundary(start - 1);
            if item == start - 1 {
                break;
            }
            start = item;
        }
    }
    let name: String = head[start..].iter().collect::<String>() + ending;
    let own = name.chars().count() - ending.chars().count();
    // A bare `部门` or `人民政府` names an office only after a level of government
    // (`市财政部门`, `县级以上人民政府`), and `部门` after a field (`财政部门`,
    // `农业农村等部门`), not after a verb (`实现部门间…`).
    let level = GOVERNMENT_LEVELS.iter().any(|l| name.starts_with(l));
    let named = match ending {
        "人民政府" => level,
        "部门" => level || (own >= 2 && !text[at..].starts_with("部门间")),
        _ => own >= 2 || level,
    };
    let fits = own >= 1 && name.chars().count() <= 32;
    // A verb of policy before `部门` makes a clause, not a name (`进一步改革政府专业部门`).
    let clause = CLAUSE_VERBS.iter().any(|v| name.contains(v));
    (named && fits && !clause && !name.contains("有关") && !name.contains("相关")).then_some(name)
}

/// Sorts `2` before `10` and `第十九条` before `第二十四条`: by the number a provision's
/// label starts with, in digits or in Chinese numerals (`（三）`, `第一百零二条`).
fn natural(number: &str) -> (u64, String) {
    let label = number.trim_start_matches(['第', '（', '(', ' ']);
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    let han: String = label
        .chars()
        .take_while(|c| "零〇一二两三四五六七八九十百".contains(*c))
        .collect();
    let value = digits
        .parse()
        .ok()
        .or_else(|| zhengce_model::han_number(&han).map(u64::from));
    (value.unwrap_or(u64::MAX), number.to_string())
}

#[cfg(test)]
mod tests {
    use super::{Asked, contact, named_department, natural};

    #[test]
    fn provisions_sort_by_their_numbers() {
        let mut numbers = ["第二十四条", "第十九条", "第一百零二条", "第三条"];
        numbers.sort_by_key(|n| natural(n));
        assert_eq!(
            numbers,
            ["第三条", "第十九条", "第二十四条", "第一百零二条"]
        );
        let mut numbers = ["10", "2", "（十一）", "（三）"];
        numbers.sort_by_key(|n| natural(n));
        assert_eq!(numbers, ["2", "（三）", "10", "（十一）"]);
    }

    #[test]
    fn departments_named_in_provisions() {
        assert_eq!(
            named_department(
                "县级以上人民政府科学技术行政部门负责本行政区域内的科学技术进步工作。"
            )
            .as_deref(),
            Some("县级以上人民政府科学技术行政部门")
        );
        assert_eq!(
            named_department("对符合条件的企业，由市财政部门给予补贴。").as_deref(),
            Some("市财政部门")
        );
        assert_eq!(named_department("对新认定的企业给予奖励。"), None);
        assert_eq!(named_department("会同有关部门制定办法。"), None);
        assert_eq!(named_department("加强统筹，实现部门间信息共享。"), None);
        // The first office named, wherever its kind stands in the list of endings.
        assert_eq!(
            named_department(
                "农业农村部门应当会同地方金融部门加强支持。国务院金融管理部门在沪机构…"
            )
            .as_deref(),
            Some("农业农村部门")
        );
        // A list of fields closed by 等 names them all.
        assert_eq!(
            named_department("农业农村、科技、经济信息化等部门应当加强涉农科技型企业培育。")
                .as_deref(),
            Some("农业农村、科技、经济信息化等部门")
        );
        assert_eq!(
            named_department("网信、教育、人力资源和社会保障、人才工作等部门应当组织实施。")
                .as_deref(),
            Some("网信、教育、人力资源和社会保障、人才工作等部门")
        );
        // A government by its level; not one named with 有关.
        assert_eq!(
            named_department("市人民政府及其有关部门支持股权投资集聚区建设。").as_deref(),
            Some("市人民政府")
        );
        assert_eq!(named_department("人民政府应当支持。"), None);
        assert_eq!(
            named_department("纳税人享受减免税，应当向主管税务机关备案。").as_deref(),
            Some("主管税务机关")
        );
        // A bracketed level inside the name, and levels listed before a government
        // (舟山市科技创新促进条例 第三十二条, 宁波市科技创新促进条例 第二十七条).
        assert_eq!(
            named_department("市、县（区）人民政府应当设立科技创新专项资金。").as_deref(),
            Some("市、县（区）人民政府")
        );
        assert_eq!(
            named_department("市和县（市）区人民政府应当加大财政科技投入。").as_deref(),
            Some("市和县（市）区人民政府")
        );
        // A clause about departments names none; 发展改革部门 is one.
        assert_eq!(named_department("进一步改革政府专业部门管理体制。"), None);
        assert_eq!(
            named_department("由市发展改革部门会同财政部门组织实施。").as_deref(),
            Some("市发展改革部门")
        );
        // An enumerator before a name is not part of it.
        assert_eq!(
            named_department("（一）市财政部门给予补贴。").as_deref(),
            Some("市财政部门")
        );
    }

    fn hit<'a>(issuer: &'a str, region: &'a str, benefits: &'a [String]) -> Asked<'a> {
        Asked {
            issuer: Some(issuer),
            region: Some(region),
            benefits,
            ..Asked::default()
        }
    }

    /// Issue 12: a legislature passes a law and answers no questions about it.
    #[test]
    fn whom_to_ask_is_never_a_legislature() {
        let tax = ["税收优惠".to_string()];
        let award = ["资金奖励".to_string()];
        let law = "第二十八条 国家需要重点扶持的高新技术企业，减按15%的税率征收企业所得税。";
        assert_eq!(
            contact(&hit("全国人民代表大会", "全国", &tax), law).as_deref(),
            Some("主管税务机关")
        );
        let local = "第三十七条 本市加大对示范区内企业创新支持力度。";
        assert_eq!(
            contact(
                &hit("上海市人民代表大会常务委员会", "上海市", &award),
                local
            )
            .as_deref(),
            Some("上海市人民政府")
        );
        assert_eq!(
            contact(&hit("全国人民代表大会常务委员会", "全国", &award), local).as_deref(),
            Some("国务院有关部门")
        );
        // A city's legislature: the city, not the province its region names.
        let city = "第二十九条 本市建立科技创新券制度。";
        assert_eq!(
            contact(&hit("宁波市人民代表大会常务委员会", "浙江省", &award), city).as_deref(),
            Some("宁波市人民政府")
        );
        assert_eq!(
            contact(&hit("宁波市第十五届人民代表大会", "浙江省", &award), city).as_deref(),
            Some("宁波市人民政府")
        );
        // A name without its place falls back to the region.
        assert_eq!(
            contact(&hit("市十二届人大常委会", "浙江省", &award), city).as_deref(),
            Some("浙江省人民政府")
        );
        // Any other issuer is asked itself, and a 牵头处室 comes first.
        assert_eq!(
            contact(&hit("辽宁省科学技术厅", "辽宁省", &award), local).as_deref(),
            Some("辽宁省科学技术厅")
        );
        let mut led = hit("辽宁省科学技术厅", "辽宁省", &award);
        let lead = ["企业处".to_string()];
        led.lead_depts = &lead;
        assert_eq!(contact(&led, local).as_deref(), Some("企业处"));
    }
}
