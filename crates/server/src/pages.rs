//! The HTML pages: server-rendered from maud templates, which escape every value unless
//! told otherwise (only snippets and highlighted text, escaped when they are rendered, go
//! in as `PreEscaped`). The URL carries the whole state; CSS and JS are static files.

use std::fmt::Write as _;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use zhengce_index::{FacetValue, Hit, Level, SearchResponse, StoredDoc};

/// Percent-encodes a path segment (ids are URLs and carry `/`, `:` and `#`).
pub fn segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn doc_link(id: &str) -> String {
    format!("/docs/{}", segment(id))
}

/// A link to a document from a search for `q` (its terms are highlighted there), at the
/// provision numbered `number` when there is one.
fn doc_link_from(id: &str, q: &str, number: Option<&str>) -> String {
    let mut link = doc_link(id);
    if !q.trim().is_empty() {
        link.push_str("?q=");
        link.extend(url::form_urlencoded::byte_serialize(q.as_bytes()));
    }
    if let Some(n) = number {
        link.push_str("#p-");
        link.push_str(&segment(n));
    }
    link
}

/// The anchor of a provision on its document's page.
fn provision_anchor(number: &str) -> String {
    format!("p-{number}")
}

/// `text` escaped, marked where a search's snippets would mark it for `terms` (see
/// [`zhengce_index::highlight`]).
fn highlighted(text: &str, terms: &[String]) -> PreEscaped<String> {
    PreEscaped(zhengce_index::highlight(text, terms).to_html())
}

/// A snippet: its text escaped, its matches marked.
fn snippet(s: &zhengce_index::Snippet) -> PreEscaped<String> {
    PreEscaped(s.to_html())
}

/// Where a provision's own words begin in `text`: after the number it opens with
/// (`第三十三条 `, `（一）`, `30.`, `三、`), which the page already shows as the
/// provision's label; 0 when `text` does not open with `number`.
fn after_number(text: &str, number: &str) -> usize {
    // A number repeated within the document is qualified with its section (`一/（一）`);
    // the text opens with the number as printed.
    let printed = number.rsplit('/').next().unwrap_or(number);
    let Some(rest) = text.strip_prefix(printed).filter(|_| !printed.is_empty()) else {
        return 0;
    };
    let separator = |c: char| c.is_whitespace() || "、.．,，:：".contains(c);
    let closed = printed.ends_with(['条', '）', ')']);
    if !closed && !rest.starts_with(separator) {
        // `3` opening `30万元…` is not a number label.
        return 0;
    }
    text.len() - rest.trim_start_matches(separator).len()
}

/// A provision's snippet without the number it opens with (shown as its label).
fn provision_snippet(s: &zhengce_index::Snippet, number: &str) -> PreEscaped<String> {
    let cut = after_number(&s.text, number);
    if cut == 0 {
        return snippet(s);
    }
    let rest = zhengce_index::Snippet {
        text: s.text[cut..].to_string(),
        highlights: s
            .highlights
            .iter()
            .filter(|&&(_, end)| end > cut)
            .map(|&(start, end)| (start.max(cut) - cut, end - cut))
            .collect(),
    };
    snippet(&rest)
}

fn query_string(pairs: &[(String, String)]) -> String {
    link_to("/", pairs)
}

fn link_to(path: &str, pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    let s = s.finish();
    if s.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{s}")
    }
}

/// The current parameters without `page` (any change of filter starts at page one).
fn base(pairs: &[(String, String)]) -> Vec<(String, String)> {
    pairs.iter().filter(|(k, _)| k != "page").cloned().collect()
}

fn toggled(pairs: &[(String, String)], key: &str, value: &str) -> String {
    let mut next = base(pairs);
    if let Some(i) = next.iter().position(|(k, v)| k == key && v == value) {
        next.remove(i);
    } else {
        next.push((key.to_string(), value.to_string()));
    }
    query_string(&next)
}

fn replaced(pairs: &[(String, String)], key: &str, value: &str) -> String {
    let mut next: Vec<_> = base(pairs).into_iter().filter(|(k, _)| k != key).collect();
    if !value.is_empty() {
        next.push((key.to_string(), value.to_string()));
    }
    query_string(&next)
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn layout(title: &str, query: &str, hidden: &[(String, String)], main: Markup) -> String {
    let v = crate::assets::VERSION.as_str();
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href={ "/static/style.css?v=" (v) };
                link rel="icon" href={ "/static/favicon.svg?v=" (v) } type="image/svg+xml";
            }
            body {
                header.top {
                    a.brand href="/" { "政策检索" small { "zhengce" } }
                    a.nav href="/benefits" { "惠企政策" }
                    form.search action="/" method="get" role="search" {
                        input type="search" name="q" value=(query)
                            placeholder="输入关键词、文号或条款内容，如：独角兽 奖励性后补助"
                            aria-label="搜索" autofocus;
                        @for (k, v) in hidden {
                            input type="hidden" name=(k) value=(v);
                        }
                        button type="submit" { "搜索" }
                    }
                }
                (main)
                script src={ "/static/app.js?v=" (v) } defer {}
            }
        }
    }
    .into_string()
}

/// Values a facet shows before 更多.
const FACET_SHOWN: usize = 8;

const FACET_NAMES: [(&str, &str); 8] = [
    ("issuer", "发布单位"),
    ("year", "年份"),
    ("lead_dept", "牵头处室"),
    ("region", "地区"),
    ("doc_type", "文种"),
    ("benefit", "支持方式"),
    ("beneficiary", "适用对象"),
    ("status", "有效性"),
];

fn facet_list(pairs: &[(String, String)], key: &str, label: &str, values: &[FacetValue]) -> Markup {
    let active: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() && active.is_empty() {
        return html! {};
    }
    // Chosen values stay in sight; the rest beyond the first few fold under 更多.
    let (shown, folded): (Vec<_>, Vec<_>) = values
        .iter()
        .enumerate()
        .partition(|(i, v)| *i < FACET_SHOWN || active.contains(&v.value.as_str()));
    let item = |value: &FacetValue| {
        html! {
            li {
                a.on[active.contains(&value.value.as_str())] href=(toggled(pairs, key, &value.value)) {
                    span { (value.value) }
                    span.n { (value.count) }
                }
            }
        }
    };
    html! {
        div.facet data-facet=(key) {
            h4 { (label) }
            ul { @for (_, v) in &shown { (item(v)) } }
            @if !folded.is_empty() {
                details.more {
                    summary { "更多（" (folded.len()) "）" }
                    ul { @for (_, v) in &folded { (item(v)) } }
                }
            }
        }
    }
}

fn dept_tags(lead: &[String], resp: &[String]) -> Markup {
    html! {
        @if !lead.is_empty() { span.tag { "牵头：" (lead.join("、")) } }
        @if !resp.is_empty() { span.tag.resp { "责任：" (resp.join("、")) } }
    }
}

fn hit_html(hit: &Hit, q: &str) -> Markup {
    let meta = [
        &hit.doc_number,
        &hit.issuer,
        &hit.publish_date,
        &hit.region,
        &hit.doc_type,
    ];
    let provision = hit.level == Level::Provision;
    html! {
        article.hit {
            h3 {
                a href=(doc_link_from(&hit.doc_id, q, hit.provision_number.as_deref())) {
                    @if let Some(n) = &hit.provision_number { span.num { (n) } }
                    (hit.title.as_deref().unwrap_or("（无标题）"))
                }
            }
            div.meta {
                @for part in meta.into_iter().flatten() { span { (part) } }
                @if hit.status != "未知" { (status_badge(&hit.status)) }
                @if hit.catalogue_entry { span.badge.s1 { "目录条目·无正文" } }
            }
            @if provision {
                @if let Some(h) = hit.heading_path.last() { div.meta { span { (h) } } }
            }
            // Snippets are data (text + match ranges): escaped and marked here.
            p.snippet {
                @match hit.provision_number.as_deref() {
                    // The number is the title's label already.
                    Some(n) if provision => (provision_snippet(&hit.snippet, n)),
                    _ => (snippet(&hit.snippet)),
                }
                @if provision {
                    // A document's departments are its provisions', shown with them below.
                    (dept_tags(&hit.lead_depts, &hit.resp_depts))
                    @for b in &hit.benefits { span.tag.resp { (b) } }
                }
            }
            @if !hit.matched_provisions.is_empty() {
                ul.provs {
                    @for p in &hit.matched_provisions {
                        li {
                            a.num href=(doc_link_from(&hit.doc_id, q, Some(&p.number))) { (p.number) }
                            (provision_snippet(&p.snippet, &p.number))
                            (dept_tags(&p.lead_depts, &p.resp_depts))
                        }
                    }
                }
            }
        }
    }
}

/// Labels of the filters shown as chips.
fn filter_label(key: &str) -> Option<&'static str> {
    FACET_NAMES
        .iter()
        .find(|(f, _)| *f == key)
        .map(|(_, l)| *l)
        .or(match key {
            "from" => Some("起始日期"),
            "to" => Some("截止日期"),
            "as_of" => Some("有效性日期"),
            _ => None,
        })
}

/// What a newcomer with an empty or nearly empty index reads on the landing page.
fn newcomer(documents: u64) -> Markup {
    html! {
        div.newcomer #newcomer {
            strong { "本库目前只有 " (documents) " 份文件。" }
            "导入更多政策文件："
            br;
            "从网页、Markdown 或文本文件导入："
            code { "zhengce ingest --index ./index 文件或目录…" }
            br;
            "从已抓取的页面重建索引："
            code { "zhengce reindex --index ./index --store ./store" }
            br;
            "然后重新启动：" code { "zhengce serve --index ./index" } "。详见 README。"
        }
    }
}

/// Below this many documents the landing page says how to load more.
const NEWCOMER_BELOW: u64 = 10;

fn pager(pairs: &[(String, String)], total: usize) -> Markup {
    pager_at("/", pairs, total, 10)
}

/// Page links for `total` results at `path`, `size` a page unless the URL says.
fn pager_at(path: &str, pairs: &[(String, String)], total: usize, size: usize) -> Markup {
    let with_page = |page: usize| {
        let mut next: Vec<_> = base(pairs)
            .into_iter()
            .filter(|(k, _)| k != "limit")
            .collect();
        if let Some(size) = get(pairs, "size").or(get(pairs, "limit")) {
            next.retain(|(k, _)| k != "size");
            next.push(("size".into(), size.to_string()));
        }
        if page > 1 {
            next.push(("page".into(), page.to_string()));
        }
        link_to(path, &next)
    };
    let size: usize = get(pairs, "size")
        .or(get(pairs, "limit"))
        .and_then(|s| s.parse().ok())
        .unwrap_or(size)
        .max(1);
    let page: usize = get(pairs, "page")
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        .max(1);
    let pages = total
        .div_ceil(size)
        .min(zhengce_index::MAX_RESULT_WINDOW / size);
    let from = page.saturating_sub(4).max(1);
    html! {
        @if pages > 1 {
            nav.pages {
                @if page > 1 { a href=(with_page(page - 1)) { "上一页" } }
                @for p in from..=(from + 8).min(pages) {
                    @if p == page { span.on { (p) } } @else { a href=(with_page(p)) { (p) } }
                }
                @if page < pages { a href=(with_page(page + 1)) { "下一页" } }
            }
        }
    }
}

/// The search page: results, or the message of a failed search. `documents`, given on
/// the landing page, is how many documents the index holds.
pub fn search_page(
    pairs: &[(String, String)],
    result: Result<&SearchResponse, &str>,
    documents: Option<u64>,
) -> String {
    let query = get(pairs, "q").unwrap_or_default();
    let level = get(pairs, "level").unwrap_or("doc");
    let sort = get(pairs, "sort").unwrap_or("relevance");
    let hidden: Vec<(String, String)> = base(pairs).into_iter().filter(|(k, _)| k != "q").collect();
    let chosen = pairs
        .iter()
        .filter(|(k, _)| FACET_NAMES.iter().any(|(f, _)| f == k))
        .count();
    let tab = |v: &str, label: &str, key: &str, current: &str| {
        let target = if v == "doc" || v == "relevance" {
            ""
        } else {
            v
        };
        html! { a.on[current == v] href=(replaced(pairs, key, target)) { (label) } }
    };
    let filters: Vec<(&str, &str, &str)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, v)| filter_label(k).map(|l| (k.as_str(), v.as_str(), l)))
        .collect();
    let main = html! {
        div.layout {
            aside {
                @if let Ok(response) = result {
                    // On a phone the facets fold into one button above the results.
                    input #ft .ft-toggle type="checkbox";
                    label.ft-btn for="ft" {
                        "筛选" @if chosen > 0 { "（已选 " (chosen) " 项）" }
                    }
                    div.facets {
                        @let f = &response.facets;
                        @for ((key, label), values) in FACET_NAMES.iter().zip([
                            &f.issuer, &f.year, &f.lead_dept, &f.region,
                            &f.doc_type, &f.benefit, &f.beneficiary, &f.status,
                        ]) {
                            (facet_list(pairs, key, label, values))
                        }
                    }
                }
            }
            section {
                @if let Some(n) = documents.filter(|&n| n < NEWCOMER_BELOW) { (newcomer(n)) }
                div.bar {
                    div.tabs #level {
                        (tab("doc", "文件", "level", level))
                        (tab("provision", "条款", "level", level))
                    }
                    div.tabs #sort {
                        (tab("relevance", "按相关度", "sort", sort))
                        (tab("date", "按日期", "sort", sort))
                    }
                    // The date range: two date pickers, the other parameters kept.
                    form.dates #dates action="/" method="get" {
                        @for (k, v) in base(pairs).iter().filter(|(k, _)| k != "from" && k != "to") {
                            input type="hidden" name=(k) value=(v);
                        }
                        label {
                            "日期 "
                            input type="date" name="from" value=(get(pairs, "from").unwrap_or_default()) aria-label="起始日期";
                        }
                        "至"
                        input type="date" name="to" value=(get(pairs, "to").unwrap_or_default()) aria-label="截止日期";
                        button type="submit" { "筛选" }
                    }
                    @if let Ok(r) = result {
                        span.count #total { "共 " (r.total) " 条结果（" (r.took_ms) " 毫秒）" }
                    }
                }
                @if !filters.is_empty() {
                    div.chips {
                        @for (k, v, label) in &filters {
                            a.chip href=(toggled(pairs, k, v)) title="移除此条件" { (label) "：" (v) " ✕" }
                        }
                    }
                }
                @match result {
                    Err(message) => { div.error #error { (message) } }
                    Ok(r) if r.hits.is_empty() => {
                        div.empty { "没有找到相关结果，请换个关键词或减少筛选条件。" }
                    }
                    Ok(r) => {
                        div #results { @for hit in &r.hits { (hit_html(hit, query)) } }
                        (pager(pairs, r.total))
                    }
                }
            }
        }
    };
    let title = if query.is_empty() {
        "政策检索".to_string()
    } else {
        format!("{query} - 政策检索")
    };
    layout(&title, query, &hidden, main)
}

/// A provision on its document's page, with its 惠企 classes.
type ProvisionShown<'a> = (
    &'a zhengce_model::Provision,
    &'a [String],
    &'a [zhengce_benefits::Amount],
);

fn http_link(url: Option<&str>) -> Option<&str> {
    url.filter(|u| u.starts_with("http://") || u.starts_with("https://"))
}

/// A document: metadata, provisions by section with departments, body, similar documents.
/// `q` is the search the reader came from: its `terms` are marked in the text.
pub fn doc_page(stored: &StoredDoc, similar: &[Hit], q: &str, terms: &[String]) -> String {
    let doc = &stored.doc;
    let facts = &stored.facts;
    let title = doc.title.as_deref().unwrap_or("（无标题）");
    let status = crate::shape::doc_status(doc, facts);
    let classes = &facts.classes;
    let year = doc.year.map(|y| y.to_string());
    let rows = [
        ("文号", doc.doc_number.as_deref()),
        ("发布单位", doc.issuer.as_deref()),
        ("发布日期", doc.publish_date.as_deref()),
        ("成文日期", doc.written_date.as_deref()),
        ("年份", year.as_deref().filter(|_| doc.date().is_none())),
        ("地区", doc.region.as_deref()),
        ("文种", doc.doc_type.as_deref()),
        ("分类", doc.category.as_deref()),
        ("主题分类", doc.theme.as_deref()),
        ("索引号", doc.index_number.as_deref()),
        ("栏目", doc.column.as_deref()),
    ];
    // Provisions grouped by their section, in document order.
    let mut sections: Vec<(String, Vec<ProvisionShown>)> = Vec::new();
    for (p, f) in doc.provisions.iter().zip(&facts.provisions) {
        let heading = p.heading_path.join(" › ");
        let shown = (p, f.classes.benefits.as_slice(), f.amounts.as_slice());
        match sections.last_mut() {
            Some((h, list)) if *h == heading => list.push(shown),
            _ => sections.push((heading, vec![shown])),
        }
    }
    let main = html! {
        div.doc {
            h1 { (highlighted(title, terms)) }
            p.meta #doc-status {
                "有效性：" (status_badge(&status))
                @if !classes.benefits.is_empty() {
                    " 惠企：" @for b in &classes.benefits { span.tag.benefit { (b) } }
                }
                @if !classes.beneficiaries.is_empty() {
                    " 适用对象：" @for b in &classes.beneficiaries { span.tag.resp { (b) } }
                }
            }
            @if doc.is_catalogue_entry() {
                p.meta { "目录条目：本库只收录了这份文件的标题、文号、发布单位和日期，正文请见原文链接。" }
            }
            @if let Some(current) = &doc.superseded_by {
                p.meta {
                    span.badge.s3 { "已修订" }
                    " 本文件已有新版本："
                    a href=(doc_link(current)) { "查看现行版本" }
                }
            }
            table.info {
                @for (label, value) in rows {
                    @if let Some(v) = value { tr { th { (label) } td { (v) } } }
                }
                @if !doc.addressees.is_empty() {
                    tr { th { "主送" } td { (doc.addressees.join("，")) } }
                }
                @if let Some(url) = http_link(doc.url.as_deref()) {
                    tr { th { "原文" } td { a href=(url) rel="noopener" { (url) } } }
                }
                @for a in &doc.attachments {
                    tr {
                        th { "附件" }
                        td {
                            @if let Some(u) = http_link(a.url.as_deref()) {
                                a href=(u) { (a.title) }
                            } @else {
                                (a.title)
                            }
                        }
                    }
                }
                @if let Some(history) = &doc.history {
                    tr { th { "沿革" } td { @for (i, line) in history.lines().enumerate() { @if i > 0 { br; } (line) } } }
                }
                @if !doc.versions.is_empty() {
                    tr {
                        th { "其他版本" }
                        td {
                            @for v in &doc.versions {
                                a href=(doc_link(&v.id)) {
                                    (v.date.as_deref().unwrap_or("日期不详"))
                                    @if v.current { "（现行版本）" }
                                }
                                br;
                            }
                        }
                    }
                }
            }
            @if !sections.is_empty() {
                h2 style="font-size:18px" { "条款（" (doc.provisions.len()) "）" }
            }
            @for (heading, list) in &sections {
                section.sec {
                    @if !heading.is_empty() { h2 { (heading) } }
                    @for (p, benefits, amounts) in list {
                        div.prov id=(provision_anchor(&p.number)) {
                            a.num href={ "#" (segment(&provision_anchor(&p.number))) } { (p.number) }
                            (highlighted(&p.text[after_number(&p.text, &p.number)..], terms))
                            (dept_tags(&p.lead_depts, &p.resp_depts))
                            @for b in *benefits { span.tag.benefit { (b) } }
                            @for a in amounts.iter().filter(|a| shows_amount(a)) {
                                " " span.amount { (amount_label(a)) }
                            }
                        }
                    }
                }
            }
            details.body open[doc.provisions.is_empty()] {
                summary { "全文" }
                @for para in doc.body.lines() { p { (highlighted(para, terms)) } }
            }
            @if !similar.is_empty() {
                section.sec #similar {
                    h2 { "相似文件" }
                    ul {
                        @for hit in similar {
                            li {
                                a href=(doc_link(&hit.doc_id)) { (hit.title.as_deref().unwrap_or("（无标题）")) }
                                " "
                                span.meta style="display:inline" {
                                    ([hit.issuer.as_deref(), hit.publish_date.as_deref()]
                                        .into_iter()
                                        .flatten()
                                        .collect::<Vec<_>>()
                                        .join(" · "))
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&format!("{title} - 政策检索"), q, &[], main)
}

/// A page that only says what went wrong.
pub fn error_page(message: &str) -> String {
    let main = html! {
        div.doc {
            div.error #error { (message) }
            p { a href="/" { "返回检索" } }
        }
    };
    layout("政策检索", "", &[], main)
}

fn status_badge(status: &str) -> Markup {
    let class = match status {
        "现行有效" => "s0",
        "未知" => "s1",
        "尚未施行" => "s2",
        _ => "s3",
    };
    html! { span class={ "badge " (class) } { (status) } }
}

fn amount_text(a: &zhengce_benefits::Amount) -> String {
    let q = match a.qualifier.as_deref() {
        Some("最高") => "最高",
        Some("以上") => "不少于",
        Some("达到") => "达",
        Some("约") => "约",
        _ => "",
    };
    let value = if a.value.fract() == 0.0 {
        format!("{}", a.value as i64)
    } else {
        a.value.to_string()
    };
    format!("{q}{value}{}", a.unit)
}

/// Whether the 惠企 page shows an amount: sums of money and rates (a tax rate, a share of
/// the cost), not the counts of targets (`达200家`).
fn shows_amount(a: &zhengce_benefits::Amount) -> bool {
    a.is_money() || is_rate(a)
}

fn is_rate(a: &zhengce_benefits::Amount) -> bool {
    a.unit == "%"
}

/// An amount as the 惠企 page shows it: `最高100万元`, `比例 15%`.
fn amount_label(a: &zhengce_benefits::Amount) -> String {
    if is_rate(a) {
        format!("比例 {}", amount_text(a))
    } else {
        amount_text(a)
    }
}

/// The 惠企政策 page: an enterprise picks what it is, where, and optionally keywords, and
/// sees the provisions it can apply for, with amounts and the office to ask.
pub fn benefits_page(
    pairs: &[(String, String)],
    regions: &[FacetValue],
    result: Option<Result<&zhengce_index::BenefitsResponse, &str>>,
) -> String {
    let chosen = get(pairs, "beneficiary").unwrap_or_default();
    let benefit = get(pairs, "benefit").unwrap_or_default();
    let region = get(pairs, "region").unwrap_or_default();
    let q = get(pairs, "q").unwrap_or_default();
    let main = html! {
        div.doc style="max-width:1100px" {
            h1 { "惠企政策" }
            p.count { "选择企业类型和所在地区，查看可以申请的奖励、补贴、金融和税收支持，以及负责的牵头处室。" }
            form.pick action="/benefits" method="get" {
                label {
                    "企业类型"
                    select name="beneficiary" #beneficiary {
                        option value="" { "请选择" }
                        @for class in &zhengce_benefits::taxonomy().beneficiaries {
                            option value=(class.name) selected[class.name == chosen] { (class.name) }
                        }
                    }
                }
                label {
                    "支持方式"
                    select name="benefit" #benefit {
                        option value="" { "全部方式" }
                        @for class in &zhengce_benefits::taxonomy().benefits {
                            option value=(class.name) selected[class.name == benefit] { (class.name) }
                        }
                    }
                }
                label {
                    "地区"
                    select name="region" #region {
                        option value="" { "全部地区" }
                        @for r in regions {
                            option value=(r.value) selected[r.value == region] { (r.value) }
                        }
                        // A region chosen that the list lacks stays chosen.
                        @if !region.is_empty() && !regions.iter().any(|r| r.value == region) {
                            option value=(region) selected { (region) }
                        }
                    }
                }
                label {
                    "关键词（可选）"
                    input type="text" name="q" value=(q) placeholder="如：研发 补贴";
                }
                button type="submit" { "查看政策" }
            }
            @if result.is_some() && chosen.trim().is_empty() {
                p.hint #pick-hint {
                    "未选择企业类型：下面列出面向各类企业的支持条款。请在上方选择企业类型，只看适用于您的政策。"
                }
            }
            @match result {
                None => {}
                Some(Err(message)) => { div.error #error { (message) } }
                Some(Ok(r)) if r.documents.is_empty() => {
                    div.empty { "暂未找到适用的支持政策。" }
                }
                Some(Ok(r)) => {
                    p.count #total {
                        "共 " (r.total_provisions) " 条支持条款"
                        @if r.truncated {
                            "，以下按最新的 " (zhengce_index::MAX_PROVISIONS) " 条列出 "
                        } @else { "，" }
                        (r.total_documents) " 份文件（有效性按 " (r.as_of) " 计算，现行有效的排在前面）"
                    }
                    div #results {
                        @for d in &r.documents {
                            article.hit {
                                h3 {
                                    a href=(doc_link_from(&d.doc_id, q, None)) { (d.title.as_deref().unwrap_or("（无标题）")) }
                                    (status_badge(&d.status))
                                }
                                div.meta {
                                    @for part in [&d.doc_number, &d.issuer, &d.publish_date, &d.region].into_iter().flatten() {
                                        span { (part) }
                                    }
                                }
                                ul.provs {
                                    @for p in &d.provisions {
                                        @let contact = if p.lead_depts.is_empty() { p.contact.clone() } else { Some(p.lead_depts.join("、")) };
                                        li data-number=(p.number) {
                                            a.num href=(doc_link_from(&d.doc_id, q, Some(&p.number))) { (p.number) }
                                            (provision_snippet(&p.snippet, &p.number))
                                            @for b in &p.benefits { span.tag.resp { (b) } }
                                            @for a in p.amounts.iter().filter(|a| shows_amount(a)) {
                                                " " span.amount { (amount_label(a)) }
                                            }
                                            @if let Some(contact) = contact { span.tag { "咨询：" (contact) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    (pager_at("/benefits", pairs, r.total_documents, crate::params::BENEFITS_SIZE))
                }
            }
        }
    };
    layout("惠企政策 - 政策检索", "", &[], main)
}
