//! The HTML pages: server-rendered, all text escaped, the URL carries the whole state.

use std::fmt::Write as _;

use zhengce_index::{FacetValue, Hit, Level, SearchResponse};
use zhengce_model::PolicyDoc;

use zhengce_index::escape_html as esc;

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

/// `text` escaped, every occurrence of `terms` marked.
fn highlighted(text: &str, terms: &[String]) -> String {
    let mut ranges: Vec<(usize, usize)> = terms
        .iter()
        .filter(|t| !t.is_empty())
        .flat_map(|t| {
            text.match_indices(t.as_str())
                .map(|(i, m)| (i, i + m.len()))
        })
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    zhengce_index::Snippet {
        text: text.to_string(),
        highlights: merged,
    }
    .to_html()
}

fn query_string(pairs: &[(String, String)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    let s = s.finish();
    if s.is_empty() {
        "/".to_string()
    } else {
        format!("/?{s}")
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

fn with_page(pairs: &[(String, String)], page: usize) -> String {
    let mut next = base(pairs);
    if page > 1 {
        next.push(("page".into(), page.to_string()));
    }
    query_string(&next)
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

fn layout(title: &str, query: &str, hidden: &[(String, String)], main: &str) -> String {
    let mut hidden_inputs = String::new();
    for (k, v) in hidden {
        let _ = write!(
            hidden_inputs,
            r#"<input type="hidden" name="{}" value="{}">"#,
            esc(k),
            esc(v)
        );
    }
    format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="/static/style.css?v={v}">
<link rel="icon" href="/static/favicon.svg?v={v}" type="image/svg+xml"></head>
<body><header class="top"><a class="brand" href="/">政策检索<small>zhengce</small></a>
<a class="nav" href="/benefits">惠企政策</a>
<form class="search" action="/" method="get" role="search">
<input type="search" name="q" value="{q}" placeholder="输入关键词、文号或条款内容，如：独角兽 奖励性后补助" aria-label="搜索" autofocus>
{hidden_inputs}<button type="submit">搜索</button></form></header>
{main}<script src="/static/app.js?v={v}" defer></script></body></html>"#,
        title = esc(title),
        q = esc(query),
        v = *crate::assets::VERSION,
    )
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

fn facet_list(
    out: &mut String,
    pairs: &[(String, String)],
    key: &str,
    label: &str,
    values: &[FacetValue],
) {
    let active: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .collect();
    if values.is_empty() && active.is_empty() {
        return;
    }
    let _ = write!(
        out,
        r#"<div class="facet" data-facet="{key}"><h4>{label}</h4><ul>"#
    );
    // Chosen values stay in sight; the rest beyond the first few fold under 更多.
    let shown = |i: usize, v: &FacetValue| i < FACET_SHOWN || active.contains(&v.value.as_str());
    let item = |out: &mut String, value: &FacetValue| {
        let on = active.contains(&value.value.as_str());
        let _ = write!(
            out,
            r#"<li><a class="{cls}" href="{href}"><span>{v}</span><span class="n">{n}</span></a></li>"#,
            cls = if on { "on" } else { "" },
            href = esc(&toggled(pairs, key, &value.value)),
            v = esc(&value.value),
            n = value.count,
        );
    };
    for (i, value) in values.iter().enumerate() {
        if shown(i, value) {
            item(out, value);
        }
    }
    out.push_str("</ul>");
    let folded = values
        .iter()
        .enumerate()
        .filter(|(i, v)| !shown(*i, v))
        .count();
    if folded > 0 {
        let _ = write!(
            out,
            r#"<details class="more"><summary>更多（{folded}）</summary><ul>"#
        );
        for (i, value) in values.iter().enumerate() {
            if !shown(i, value) {
                item(out, value);
            }
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</div>");
}

fn dept_tags(out: &mut String, lead: &[String], resp: &[String]) {
    if !lead.is_empty() {
        let _ = write!(
            out,
            r#"<span class="tag">牵头：{}</span>"#,
            esc(&lead.join("、"))
        );
    }
    if !resp.is_empty() {
        let _ = write!(
            out,
            r#"<span class="tag resp">责任：{}</span>"#,
            esc(&resp.join("、"))
        );
    }
}

fn hit_html(out: &mut String, hit: &Hit, q: &str) {
    let title = hit.title.as_deref().unwrap_or("（无标题）");
    let _ = write!(
        out,
        r#"<article class="hit"><h3><a href="{}">"#,
        esc(&doc_link_from(
            &hit.doc_id,
            q,
            hit.provision_number.as_deref()
        ))
    );
    if let Some(n) = &hit.provision_number {
        let _ = write!(out, r#"<span class="num">{}</span>"#, esc(n));
    }
    let _ = write!(out, "{}</a></h3><div class=\"meta\">", esc(title));
    for part in [
        &hit.doc_number,
        &hit.issuer,
        &hit.publish_date,
        &hit.region,
        &hit.doc_type,
    ]
    .into_iter()
    .flatten()
    {
        let _ = write!(out, "<span>{}</span>", esc(part));
    }
    if hit.status != "未知" {
        out.push_str(&status_badge(&hit.status));
    }
    if hit.catalogue_entry {
        out.push_str(r#"<span class="badge s1">目录条目·无正文</span>"#);
    }
    out.push_str("</div>");
    if hit.level == Level::Provision
        && let Some(h) = hit.heading_path.last()
    {
        let _ = write!(out, r#"<div class="meta"><span>{}</span></div>"#, esc(h));
    }
    // Snippets are data (text + match ranges): escaped and marked here.
    let _ = write!(out, r#"<p class="snippet">{}"#, hit.snippet.to_html());
    if hit.level == Level::Provision {
        // A document's departments are its provisions', shown with them below.
        dept_tags(out, &hit.lead_depts, &hit.resp_depts);
        for b in &hit.benefits {
            let _ = write!(out, r#"<span class="tag resp">{}</span>"#, esc(b));
        }
    }
    out.push_str("</p>");
    if !hit.matched_provisions.is_empty() {
        out.push_str(r#"<ul class="provs">"#);
        for p in &hit.matched_provisions {
            let _ = write!(
                out,
                r#"<li><a class="num" href="{}">{}</a>{}"#,
                esc(&doc_link_from(&hit.doc_id, q, Some(&p.number))),
                esc(&p.number),
                p.snippet.to_html()
            );
            dept_tags(out, &p.lead_depts, &p.resp_depts);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</article>");
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
fn newcomer(out: &mut String, documents: u64) {
    let _ = write!(
        out,
        r#"<div class="newcomer" id="newcomer"><strong>本库目前只有 {documents} 份文件。</strong>导入更多政策文件：<br>
从网页、Markdown 或文本文件导入：<code>zhengce ingest --index ./index 文件或目录…</code><br>
从已抓取的页面重建索引：<code>zhengce reindex --index ./index --store ./store</code><br>
然后重新启动：<code>zhengce serve --index ./index</code>。详见 README。</div>"#
    );
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
    let mut main = String::from(r#"<div class="layout"><aside>"#);
    if let Ok(response) = result {
        let f = &response.facets;
        let chosen = pairs
            .iter()
            .filter(|(k, _)| FACET_NAMES.iter().any(|(f, _)| f == k))
            .count();
        // On a phone the facets fold into one button above the results.
        let _ = write!(
            main,
            r#"<input type="checkbox" id="ft" class="ft-toggle"><label for="ft" class="ft-btn">筛选{}</label><div class="facets">"#,
            if chosen > 0 {
                format!("（已选 {chosen} 项）")
            } else {
                String::new()
            }
        );
        for ((key, label), values) in FACET_NAMES.iter().zip([
            &f.issuer,
            &f.year,
            &f.lead_dept,
            &f.region,
            &f.doc_type,
            &f.benefit,
            &f.beneficiary,
            &f.status,
        ]) {
            facet_list(&mut main, pairs, key, label, values);
        }
        main.push_str("</div>");
    }
    main.push_str("</aside><section>");
    if let Some(n) = documents.filter(|&n| n < NEWCOMER_BELOW) {
        newcomer(&mut main, n);
    }
    let tab = |v: &str, label: &str, key: &str, current: &str| {
        format!(
            r#"<a class="{}" href="{}">{label}</a>"#,
            if current == v { "on" } else { "" },
            esc(&replaced(
                pairs,
                key,
                if v == "doc" || v == "relevance" {
                    ""
                } else {
                    v
                }
            ))
        )
    };
    let _ = write!(
        main,
        r#"<div class="bar"><div class="tabs" id="level">{}{}</div><div class="tabs" id="sort">{}{}</div>"#,
        tab("doc", "文件", "level", level),
        tab("provision", "条款", "level", level),
        tab("relevance", "按相关度", "sort", sort),
        tab("date", "按日期", "sort", sort),
    );
    // The date range: two date pickers, the other parameters kept.
    main.push_str(r#"<form class="dates" id="dates" action="/" method="get">"#);
    for (k, v) in base(pairs).iter().filter(|(k, _)| k != "from" && k != "to") {
        let _ = write!(
            main,
            r#"<input type="hidden" name="{}" value="{}">"#,
            esc(k),
            esc(v)
        );
    }
    let _ = write!(
        main,
        r#"<label>日期 <input type="date" name="from" value="{}" aria-label="起始日期"></label>至<input type="date" name="to" value="{}" aria-label="截止日期"><button type="submit">筛选</button></form>"#,
        esc(get(pairs, "from").unwrap_or_default()),
        esc(get(pairs, "to").unwrap_or_default()),
    );
    match result {
        Ok(r) => {
            let _ = write!(
                main,
                r#"<span class="count" id="total">共 {} 条结果（{} 毫秒）</span></div>"#,
                r.total, r.took_ms
            );
        }
        Err(_) => main.push_str("</div>"),
    }
    let filters: Vec<(&str, &str, &str)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, v)| filter_label(k).map(|l| (k.as_str(), v.as_str(), l)))
        .collect();
    if !filters.is_empty() {
        main.push_str(r#"<div class="chips">"#);
        for (k, v, label) in filters {
            let _ = write!(
                main,
                r#"<a class="chip" href="{}" title="移除此条件">{}：{} ✕</a>"#,
                esc(&toggled(pairs, k, v)),
                esc(label),
                esc(v)
            );
        }
        main.push_str("</div>");
    }
    match result {
        Err(message) => {
            let _ = write!(
                main,
                r#"<div class="error" id="error">{}</div>"#,
                esc(message)
            );
        }
        Ok(r) if r.hits.is_empty() => {
            main.push_str(
                r#"<div class="empty">没有找到相关结果，请换个关键词或减少筛选条件。</div>"#,
            );
        }
        Ok(r) => {
            main.push_str(r#"<div id="results">"#);
            for hit in &r.hits {
                hit_html(&mut main, hit, query);
            }
            main.push_str("</div>");
            let size: usize = get(pairs, "size")
                .and_then(|s| s.parse().ok())
                .unwrap_or(10)
                .max(1);
            let page: usize = get(pairs, "page")
                .and_then(|s| s.parse().ok())
                .unwrap_or(1)
                .max(1);
            let pages = r.total.div_ceil(size).min(10_000 / size);
            if pages > 1 {
                main.push_str(r#"<nav class="pages">"#);
                if page > 1 {
                    let _ = write!(
                        main,
                        r#"<a href="{}">上一页</a>"#,
                        esc(&with_page(pairs, page - 1))
                    );
                }
                let from = page.saturating_sub(4).max(1);
                for p in from..=(from + 8).min(pages) {
                    if p == page {
                        let _ = write!(main, r#"<span class="on">{p}</span>"#);
                    } else {
                        let _ = write!(main, r#"<a href="{}">{p}</a>"#, esc(&with_page(pairs, p)));
                    }
                }
                if page < pages {
                    let _ = write!(
                        main,
                        r#"<a href="{}">下一页</a>"#,
                        esc(&with_page(pairs, page + 1))
                    );
                }
                main.push_str("</nav>");
            }
        }
    }
    main.push_str("</section></div>");
    let title = if query.is_empty() {
        "政策检索".to_string()
    } else {
        format!("{query} - 政策检索")
    };
    layout(&title, query, &hidden, &main)
}

/// Below this many documents the landing page says how to load more.
const NEWCOMER_BELOW: u64 = 10;

/// A document: metadata, provisions by section with departments, body, similar documents.
/// A provision on its document's page, with its 惠企 classes.
type ProvisionShown<'a> = (&'a zhengce_model::Provision, &'a [String]);

/// `q` is the search the reader came from: its `terms` are marked in the text.
pub fn doc_page(doc: &PolicyDoc, similar: &[Hit], q: &str, terms: &[String]) -> String {
    let title = doc.title.as_deref().unwrap_or("（无标题）");
    let status = crate::shape::doc_status(doc);
    let (classes, provision_classes) = crate::shape::doc_classes(doc);
    let mut main = format!(
        r#"<div class="doc"><h1>{}</h1><p class="meta" id="doc-status">有效性：{}"#,
        highlighted(title, terms),
        status_badge(&status)
    );
    if !classes.benefits.is_empty() {
        main.push_str(" 惠企：");
        for b in &classes.benefits {
            let _ = write!(main, r#"<span class="tag benefit">{}</span>"#, esc(b));
        }
    }
    if !classes.beneficiaries.is_empty() {
        main.push_str(" 适用对象：");
        for b in &classes.beneficiaries {
            let _ = write!(main, r#"<span class="tag resp">{}</span>"#, esc(b));
        }
    }
    main.push_str(r#"</p><table class="info">"#);
    if doc.is_catalogue_entry() {
        main.push_str(
            r#"<p class="meta">目录条目：本库只收录了这份文件的标题、文号、发布单位和日期，正文请见原文链接。</p>"#,
        );
    }
    if let Some(current) = &doc.superseded_by {
        let _ = write!(
            main,
            r#"<p class="meta"><span class="badge s3">已修订</span> 本文件已有新版本：<a href="{}">查看现行版本</a></p>"#,
            esc(&doc_link(current))
        );
    }
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
    for (label, value) in rows {
        if let Some(v) = value {
            let _ = write!(main, "<tr><th>{label}</th><td>{}</td></tr>", esc(v));
        }
    }
    if !doc.addressees.is_empty() {
        let _ = write!(
            main,
            "<tr><th>主送</th><td>{}</td></tr>",
            esc(&doc.addressees.join("，"))
        );
    }
    if let Some(url) = doc
        .url
        .as_deref()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        let _ = write!(
            main,
            r#"<tr><th>原文</th><td><a href="{0}" rel="noopener">{0}</a></td></tr>"#,
            esc(url)
        );
    }
    for a in &doc.attachments {
        match a
            .url
            .as_deref()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        {
            Some(u) => {
                let _ = write!(
                    main,
                    r#"<tr><th>附件</th><td><a href="{}">{}</a></td></tr>"#,
                    esc(u),
                    esc(&a.title)
                );
            }
            None => {
                let _ = write!(main, "<tr><th>附件</th><td>{}</td></tr>", esc(&a.title));
            }
        }
    }
    if let Some(history) = &doc.history {
        let _ = write!(
            main,
            "<tr><th>沿革</th><td>{}</td></tr>",
            history.lines().map(esc).collect::<Vec<_>>().join("<br>")
        );
    }
    if !doc.versions.is_empty() {
        main.push_str("<tr><th>其他版本</th><td>");
        for v in &doc.versions {
            let _ = write!(
                main,
                r#"<a href="{}">{}{}</a><br>"#,
                esc(&doc_link(&v.id)),
                esc(v.date.as_deref().unwrap_or("日期不详")),
                if v.current { "（现行版本）" } else { "" }
            );
        }
        main.push_str("</td></tr>");
    }
    main.push_str("</table>");

    // Provisions grouped by their section, in document order.
    let mut sections: Vec<(String, Vec<ProvisionShown>)> = Vec::new();
    for (p, c) in doc.provisions.iter().zip(&provision_classes) {
        let p = (p, c.benefits.as_slice());
        let heading = p.0.heading_path.join(" › ");
        match sections.last_mut() {
            Some((h, list)) if *h == heading => list.push(p),
            _ => sections.push((heading, vec![p])),
        }
    }
    if !sections.is_empty() {
        let _ = write!(
            main,
            r#"<h2 style="font-size:18px">条款（{}）</h2>"#,
            doc.provisions.len()
        );
    }
    for (heading, list) in &sections {
        main.push_str(r#"<section class="sec">"#);
        if !heading.is_empty() {
            let _ = write!(main, "<h2>{}</h2>", esc(heading));
        }
        for (p, benefits) in list {
            let _ = write!(
                main,
                r##"<div class="prov" id="{}"><a class="num" href="#{}">{}</a>{}"##,
                esc(&provision_anchor(&p.number)),
                esc(&segment(&provision_anchor(&p.number))),
                esc(&p.number),
                highlighted(&p.text, terms)
            );
            dept_tags(&mut main, &p.lead_depts, &p.resp_depts);
            for b in *benefits {
                let _ = write!(main, r#"<span class="tag benefit">{}</span>"#, esc(b));
            }
            main.push_str("</div>");
        }
        main.push_str("</section>");
    }
    let open = if doc.provisions.is_empty() {
        " open"
    } else {
        ""
    };
    let _ = write!(
        main,
        r#"<details class="body"{open}><summary>全文</summary>"#
    );
    for para in doc.body.lines() {
        let _ = write!(main, "<p>{}</p>", highlighted(para, terms));
    }
    main.push_str("</details>");
    if !similar.is_empty() {
        main.push_str(r#"<section class="sec" id="similar"><h2>相似文件</h2><ul>"#);
        for hit in similar {
            let _ = write!(
                main,
                r#"<li><a href="{}">{}</a> <span class="meta" style="display:inline">{}</span></li>"#,
                esc(&doc_link(&hit.doc_id)),
                esc(hit.title.as_deref().unwrap_or("（无标题）")),
                esc(&[hit.issuer.as_deref(), hit.publish_date.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "))
            );
        }
        main.push_str("</ul></section>");
    }
    main.push_str("</div>");
    layout(&format!("{title} - 政策检索"), q, &[], &main)
}

/// A page that only says what went wrong.
pub fn error_page(message: &str) -> String {
    layout(
        "政策检索",
        "",
        &[],
        &format!(
            r#"<div class="doc"><div class="error">{}</div><p><a href="/">返回检索</a></p></div>"#,
            esc(message)
        ),
    )
}

fn status_badge(status: &str) -> String {
    let class = match status {
        "现行有效" => "s0",
        "未知" => "s1",
        "尚未施行" => "s2",
        _ => "s3",
    };
    format!(r#"<span class="badge {class}">{}</span>"#, esc(status))
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

/// The 惠企政策 page: an enterprise picks what it is, where, and optionally keywords, and
/// sees the provisions it can apply for, with amounts and the office to ask.
pub fn benefits_page(
    pairs: &[(String, String)],
    regions: &[FacetValue],
    result: Option<Result<&zhengce_index::BenefitsResponse, &str>>,
) -> String {
    let chosen = get(pairs, "beneficiary").unwrap_or_default();
    let region = get(pairs, "region").unwrap_or_default();
    let q = get(pairs, "q").unwrap_or_default();
    let mut main = String::from(
        r#"<div class="doc" style="max-width:1100px"><h1>惠企政策</h1>
<p class="count">选择企业类型和所在地区，查看可以申请的奖励、补贴、金融和税收支持，以及负责的牵头处室。</p>
<form class="pick" action="/benefits" method="get"><label>企业类型<select name="beneficiary" id="beneficiary">"#,
    );
    main.push_str(r#"<option value="">请选择</option>"#);
    for class in &zhengce_benefits::taxonomy().beneficiaries {
        let selected = if class.name == chosen {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            main,
            r#"<option value="{0}"{selected}>{0}</option>"#,
            esc(&class.name)
        );
    }
    main.push_str(r#"</select></label><label>地区<select name="region" id="region"><option value="">全部地区</option>"#);
    for r in regions {
        let selected = if r.value == region { " selected" } else { "" };
        let _ = write!(
            main,
            r#"<option value="{0}"{selected}>{0}</option>"#,
            esc(&r.value)
        );
    }
    let _ = write!(
        main,
        r#"</select></label><label>关键词（可选）<input type="text" name="q" value="{}" placeholder="如：研发 补贴"></label><button type="submit">查看政策</button></form>"#,
        esc(q)
    );
    match result {
        None => {}
        Some(Err(message)) => {
            let _ = write!(main, r#"<div class="error">{}</div>"#, esc(message));
        }
        Some(Ok(r)) if r.documents.is_empty() => {
            main.push_str(r#"<div class="empty">暂未找到适用的支持政策。</div>"#);
        }
        Some(Ok(r)) => {
            let _ = write!(
                main,
                r#"<p class="count" id="total">共 {} 份文件、{} 条支持条款（有效性按 {} 计算，现行有效的排在前面）</p><div id="results">"#,
                r.total_documents,
                r.total_provisions,
                esc(&r.as_of)
            );
            for d in &r.documents {
                let _ = write!(
                    main,
                    r#"<article class="hit"><h3><a href="{}">{}</a>{}</h3><div class="meta">"#,
                    esc(&doc_link(&d.doc_id)),
                    esc(d.title.as_deref().unwrap_or("（无标题）")),
                    status_badge(&d.status)
                );
                for part in [&d.doc_number, &d.issuer, &d.publish_date, &d.region]
                    .into_iter()
                    .flatten()
                {
                    let _ = write!(main, "<span>{}</span>", esc(part));
                }
                main.push_str(r#"</div><ul class="provs">"#);
                for p in &d.provisions {
                    let _ = write!(
                        main,
                        r#"<li data-number="{}"><a class="num" href="{}">{}</a>{}"#,
                        esc(&p.number),
                        esc(&doc_link_from(&d.doc_id, q, Some(&p.number))),
                        esc(&p.number),
                        p.snippet.to_html()
                    );
                    for b in &p.benefits {
                        let _ = write!(main, r#"<span class="tag resp">{}</span>"#, esc(b));
                    }
                    for a in p.amounts.iter().filter(|a| a.is_money()) {
                        let _ = write!(
                            main,
                            r#" <span class="amount">{}</span>"#,
                            esc(&amount_text(a))
                        );
                    }
                    let contact = if p.lead_depts.is_empty() {
                        p.contact.clone()
                    } else {
                        Some(p.lead_depts.join("、"))
                    };
                    if let Some(contact) = contact {
                        let _ = write!(main, r#"<span class="tag">咨询：{}</span>"#, esc(&contact));
                    }
                    main.push_str("</li>");
                }
                main.push_str("</ul></article>");
            }
            main.push_str("</div>");
        }
    }
    main.push_str("</div>");
    layout("惠企政策 - 政策检索", "", &[], &main)
}
