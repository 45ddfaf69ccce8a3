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

const STYLE: &str = r#"
:root { --ink:#1f2933; --muted:#667085; --line:#e4e7ec; --accent:#b42318; --bg:#f8f7f4; --mark:#fde68a; }
* { box-sizing: border-box; }
body { margin:0; font-family: "PingFang SC","Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif; color:var(--ink); background:var(--bg); line-height:1.6; }
a { color:#1d4ed8; text-decoration:none; } a:hover { text-decoration:underline; }
header.top { background:#7a1f1f; color:#fff; padding:14px 24px; display:flex; gap:24px; align-items:center; flex-wrap:wrap; }
header.top .brand { font-size:20px; font-weight:700; color:#fff; letter-spacing:2px; white-space:nowrap; }
header.top a.nav { color:#fde68a; font-weight:600; white-space:nowrap; }
.badge { display:inline-block; font-size:12px; border-radius:4px; padding:0 6px; margin-left:6px; }
.badge.s0 { background:#ecfdf3; color:#067647; border:1px solid #abefc6; }
.badge.s1 { background:#f2f4f7; color:#475467; border:1px solid #d0d5dd; }
.badge.s2 { background:#fffaeb; color:#b54708; border:1px solid #fedf89; }
.badge.s3 { background:#fef3f2; color:#b42318; border:1px solid #fda29b; }
.amount { color:#b42318; font-weight:600; }
form.pick { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 18px; display:flex; gap:12px; flex-wrap:wrap; align-items:end; margin-bottom:16px; }
form.pick label { display:flex; flex-direction:column; font-size:13px; color:var(--muted); gap:4px; }
form.pick select, form.pick input { font-size:15px; padding:6px 8px; border:1px solid #d0d5dd; border-radius:6px; min-width:180px; }
form.pick button { font-size:15px; padding:7px 18px; border:0; border-radius:6px; background:#7a1f1f; color:#fff; cursor:pointer; }
header.top .brand small { font-weight:400; opacity:.8; margin-left:8px; letter-spacing:0; font-size:13px; }
form.search { display:flex; flex:1; max-width:720px; }
form.search input[type=search] { flex:1; font-size:16px; padding:9px 12px; border:0; border-radius:6px 0 0 6px; outline:none; }
form.search button { font-size:16px; padding:9px 20px; border:0; background:#f2c14e; color:#3b2a00; border-radius:0 6px 6px 0; cursor:pointer; font-weight:600; }
.layout { display:grid; grid-template-columns: 250px 1fr; gap:24px; max-width:1200px; margin:20px auto; padding:0 24px; }
aside .facet { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 14px; margin-bottom:14px; }
aside h4 { margin:0 0 6px; font-size:14px; color:var(--muted); }
aside ul { list-style:none; margin:0; padding:0; max-height:260px; overflow:auto; }
aside li a { display:flex; justify-content:space-between; gap:8px; padding:2px 4px; border-radius:4px; color:var(--ink); font-size:14px; }
aside li a:hover { background:#f2f4f7; text-decoration:none; }
aside li a.on { background:#fee4e2; color:var(--accent); font-weight:600; }
aside li .n { color:var(--muted); font-size:12px; }
.bar { display:flex; justify-content:space-between; align-items:center; flex-wrap:wrap; gap:10px; margin-bottom:10px; }
.tabs a { display:inline-block; padding:4px 14px; border:1px solid var(--line); background:#fff; color:var(--ink); font-size:14px; }
.tabs a:first-child { border-radius:6px 0 0 6px; } .tabs a:last-child { border-radius:0 6px 6px 0; }
.tabs a.on { background:#7a1f1f; color:#fff; border-color:#7a1f1f; }
.count { color:var(--muted); font-size:14px; }
.chips { margin:0 0 12px; display:flex; gap:8px; flex-wrap:wrap; }
.chip { background:#fff; border:1px solid #fda29b; color:var(--accent); border-radius:999px; padding:2px 10px; font-size:13px; }
article.hit { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 18px; margin-bottom:12px; }
article.hit h3 { margin:0 0 4px; font-size:17px; }
.meta { color:var(--muted); font-size:13px; display:flex; gap:12px; flex-wrap:wrap; }
.snippet { margin:8px 0 0; font-size:14px; }
mark { background:var(--mark); color:inherit; padding:0 1px; border-radius:2px; }
ul.provs { list-style:none; margin:10px 0 0; padding:8px 0 0; border-top:1px dashed var(--line); }
ul.provs li { font-size:13px; margin:4px 0; }
.num { display:inline-block; min-width:2.2em; text-align:center; background:#f2f4f7; border-radius:4px; margin-right:6px; font-weight:600; }
.tag { display:inline-block; font-size:12px; border-radius:4px; padding:0 6px; margin-left:6px; background:#ecfdf3; color:#067647; border:1px solid #abefc6; }
.tag.resp { background:#eff8ff; color:#175cd3; border-color:#b2ddff; }
.pages { display:flex; gap:6px; justify-content:center; margin:18px 0; }
.pages a, .pages span { padding:4px 10px; border:1px solid var(--line); border-radius:6px; background:#fff; font-size:14px; }
.pages span.on { background:#7a1f1f; color:#fff; }
.error { background:#fef3f2; border:1px solid #fda29b; color:var(--accent); padding:12px 16px; border-radius:8px; }
.empty { color:var(--muted); padding:30px 0; text-align:center; }
.doc { max-width:960px; margin:20px auto; padding:0 24px; }
.doc h1 { font-size:24px; margin:10px 0; }
table.info { border-collapse:collapse; background:#fff; width:100%; font-size:14px; }
table.info th { text-align:left; width:7em; color:var(--muted); font-weight:400; }
table.info th, table.info td { border:1px solid var(--line); padding:6px 10px; }
section.sec { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 18px; margin:14px 0; }
section.sec h2 { font-size:16px; margin:6px 0 10px; }
.prov { margin:10px 0; font-size:15px; }
details.body { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 18px; }
details.body p { margin:6px 0; text-indent:2em; }
@media (max-width: 760px) { .layout { grid-template-columns: 1fr; } }
"#;

const SCRIPT: &str = r#"
document.addEventListener('keydown', function (e) {
  var box = document.querySelector('form.search input[type=search]');
  if (e.key === '/' && box && document.activeElement !== box) { e.preventDefault(); box.focus(); box.select(); }
});
"#;

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
<title>{title}</title><style>{STYLE}</style></head>
<body><header class="top"><a class="brand" href="/">政策检索<small>zhengce</small></a>
<a class="nav" href="/benefits">惠企政策</a>
<form class="search" action="/" method="get" role="search">
<input type="search" name="q" value="{q}" placeholder="输入关键词、文号或条款内容，如：独角兽 奖励性后补助" aria-label="搜索" autofocus>
{hidden_inputs}<button type="submit">搜索</button></form></header>
{main}<script>{SCRIPT}</script></body></html>"#,
        title = esc(title),
        q = esc(query),
    )
}

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
    for value in values {
        let on = active.contains(&value.value.as_str());
        let _ = write!(
            out,
            r#"<li><a class="{cls}" href="{href}"><span>{v}</span><span class="n">{n}</span></a></li>"#,
            cls = if on { "on" } else { "" },
            href = esc(&toggled(pairs, key, &value.value)),
            v = esc(&value.value),
            n = value.count,
        );
    }
    out.push_str("</ul></div>");
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

fn hit_html(out: &mut String, hit: &Hit) {
    let title = hit.title.as_deref().unwrap_or("（无标题）");
    let _ = write!(
        out,
        r#"<article class="hit"><h3><a href="{}">"#,
        esc(&doc_link(&hit.doc_id))
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
                r#"<li><span class="num">{}</span>{}"#,
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

/// The search page: results, or the message of a failed search.
pub fn search_page(pairs: &[(String, String)], result: Result<&SearchResponse, &str>) -> String {
    let query = get(pairs, "q").unwrap_or_default();
    let level = get(pairs, "level").unwrap_or("doc");
    let sort = get(pairs, "sort").unwrap_or("relevance");
    let hidden: Vec<(String, String)> = base(pairs).into_iter().filter(|(k, _)| k != "q").collect();
    let mut main = String::from(r#"<div class="layout"><aside>"#);
    if let Ok(response) = result {
        let f = &response.facets;
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
    }
    main.push_str("</aside><section>");
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
    let filters: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, _)| FACET_NAMES.iter().any(|(f, _)| f == k) || k == "from" || k == "to")
        .collect();
    if !filters.is_empty() {
        main.push_str(r#"<div class="chips">"#);
        for (k, v) in filters {
            let label = FACET_NAMES
                .iter()
                .find(|(f, _)| f == k)
                .map_or(k.as_str(), |(_, l)| l);
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
            let _ = write!(main, r#"<div class="error">{}</div>"#, esc(message));
        }
        Ok(r) if r.hits.is_empty() => {
            main.push_str(
                r#"<div class="empty">没有找到相关结果，请换个关键词或减少筛选条件。</div>"#,
            );
        }
        Ok(r) => {
            main.push_str(r#"<div id="results">"#);
            for hit in &r.hits {
                hit_html(&mut main, hit);
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

/// A document: metadata, provisions by section with departments, body, similar documents.
pub fn doc_page(doc: &PolicyDoc, similar: &[Hit]) -> String {
    let title = doc.title.as_deref().unwrap_or("（无标题）");
    let mut main = format!(
        r#"<div class="doc"><h1>{}</h1><table class="info">"#,
        esc(title)
    );
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
    let mut sections: Vec<(String, Vec<&zhengce_model::Provision>)> = Vec::new();
    for p in &doc.provisions {
        let heading = p.heading_path.join(" › ");
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
        for p in list {
            let _ = write!(
                main,
                r#"<div class="prov" id="p-{}"><span class="num">{}</span>{}"#,
                esc(&p.number),
                esc(&p.number),
                esc(&p.text)
            );
            dept_tags(&mut main, &p.lead_depts, &p.resp_depts);
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
        let _ = write!(main, "<p>{}</p>", esc(para));
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
    layout(&format!("{title} - 政策检索"), "", &[], &main)
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
                        r#"<li data-number="{}"><span class="num">{}</span>{}"#,
                        esc(&p.number),
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
