//! Versions of one work: a law or regulation published more than once under one title.
//!
//! A work's records are not all versions of it. A full text is the version its text says
//! it is: its latest adoption or amendment (`…通过`, `根据…修正`, a decree's `…公布`),
//! else its date (see [`edition_date`]). A catalogue entry (title and posting date, no text) is a posting of
//! the version in force when it was posted — gov.cn reposted old regulations on
//! 2008-03-28 and 2012-10-09, and posts new ones days after they are promulgated — so it
//! never supersedes a full text; its 文号's year (`国发〔1986〕26号`) bounds the version
//! it can be. Texts and postings within [`SAME_VERSION_DAYS`] of each other are one version.

use std::collections::HashMap;

use zhengce_model::{PolicyDoc, VersionRef};

use crate::derive::adoption_dates;

/// 文种 of works that are amended and republished as new versions under the same title.
const VERSIONED_TYPES: &[&str] = &["法", "条例", "规定", "办法", "细则", "规则", "解释"];

/// Dates this close are one version: a law's adoption and its promulgation, a decree and
/// its posting, a text dated by its posting.
pub const SAME_VERSION_DAYS: i64 = 31;

/// Lines at the head of a body, before its first provision, read for adoption dates
/// (a decree's preamble, `（2018年9月6日国务院第23次常务会议修订通过）`).
const HEAD_LINES: usize = 12;

/// The title a work keeps across its versions: without a trailing version note
/// (`（2018年修正）`, `(2020-05-14)`; `（试行）` is kept: it is part of the name, and so is
/// the year of an amendment, `宪法修正案（1999年）`).
fn work_title(title: &str) -> String {
    let t = title.trim();
    let stripped = t
        .strip_suffix('）')
        .and_then(|rest| rest.rsplit_once('（'))
        .or_else(|| t.strip_suffix(')').and_then(|rest| rest.rsplit_once('(')))
        // `宪法修正案（1999年）`: the year names the amendment, each its own act.
        .filter(|(head, _)| !head.ends_with("修正案"))
        .filter(|(_, note)| {
            note.chars().any(|c| c.is_ascii_digit())
                && (note.contains("修") || note.contains('-') || note.contains('年'))
        })
        .map_or(t, |(head, _)| head);
    stripped.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The work a document can be a version of: [`group_versions`] groups the documents
/// that share it. A caller that groups a few new documents with those already indexed
/// looks the work's other documents up by `title` and keeps those with the same key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VersionKey {
    /// The title the work keeps across its versions (without a trailing version note
    /// such as `（2018年修正）`, white space removed).
    pub title: String,
    /// The region, else the issuer.
    pub owner: String,
}

/// The work `doc` can be a version of: none for an undated or untitled document, one of
/// a 文种 that is not amended and republished (a notice), or one with neither region nor
/// issuer.
pub fn version_key(doc: &PolicyDoc) -> Option<VersionKey> {
    let (Some(title), Some(_)) = (doc.title.as_deref(), doc.date()) else {
        return None;
    };
    if !doc
        .doc_type
        .as_deref()
        .is_some_and(|t| VERSIONED_TYPES.contains(&t))
    {
        return None;
    }
    // The region is the steadier key: an old version's record may name no issuer
    // where the new one's adoption line does.
    let owner = doc.region.clone().or_else(|| doc.issuer.clone())?;
    Some(VersionKey {
        title: work_title(title),
        owner,
    })
}

/// A law's promulgation may follow its adoption by this much (a judicial
/// interpretation adopted on 2018-12-12 is published on 2019-01-31).
pub const PROMULGATION_DAYS: i64 = 92;

/// The version a full text is. A law database's record, which carries the history of its
/// adoption and amendments, is the version its history ends with — or the version its
/// date names when that is more than [`PROMULGATION_DAYS`] later (an amendment the
/// history leaves out). A page is dated by its posting: it is the version the head of
/// its body says was adopted, promulgated or amended last (a decree's signature date
/// counts), else its date.
pub fn edition_date(doc: &PolicyDoc) -> Option<String> {
    let date = doc.date();
    if let Some(history) = doc.history.as_deref() {
        let adopted = adoption_dates(history).into_iter().max();
        return match (adopted, date) {
            (Some(a), Some(d)) if days_between(&a, d) > PROMULGATION_DAYS && d > a.as_str() => {
                Some(d.to_string())
            }
            (Some(a), _) => Some(a),
            (None, d) => d.map(str::to_string),
        };
    }
    let mut dates = Vec::new();
    for line in doc
        .body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take_while(|l| !is_first_provision(l))
        .take(HEAD_LINES)
    {
        dates.extend(adoption_dates(line));
        dates.extend(zhengce_model::standalone_date(line));
    }
    dates.into_iter().max().or_else(|| date.map(str::to_string))
}

fn is_first_provision(line: &str) -> bool {
    let line = line.trim_start_matches('#').trim_start();
    line.starts_with("第一条") || line.starts_with("第一章") || line.starts_with("第一节")
}

/// The latest a catalogue entry's version can be: its date, or the end of its 文号's
/// year when that is earlier (`国发〔1986〕26号` posted in 2012 is of 1986).
fn posting_bound(doc: &PolicyDoc) -> Option<String> {
    let date = doc.date()?;
    let year = doc
        .doc_number
        .as_deref()
        .and_then(|n| n.split_once('〔'))
        .and_then(|(_, rest)| rest.get(..4))
        .filter(|y| y.chars().all(|c| c.is_ascii_digit()));
    Some(match year {
        Some(y) if Some(y) < date.get(..4) => format!("{y}-12-31"),
        _ => date.to_string(),
    })
}

/// Days since 0000-03-01 of a `YYYY-MM-DD` date (for differences only).
fn day_number(date: &str) -> Option<i64> {
    let y: i64 = date.get(..4)?.parse().ok()?;
    let m: i64 = date.get(5..7)?.parse().ok()?;
    let d: i64 = date.get(8..10)?.parse().ok()?;
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + d - 1)
}

fn days_between(a: &str, b: &str) -> i64 {
    match (day_number(a), day_number(b)) {
        (Some(a), Some(b)) => (b - a).abs(),
        _ => i64::MAX,
    }
}

/// One version of a work: its members (indices into the group) and its dates.
struct Version {
    members: Vec<usize>,
    first: String,
    last: String,
}

/// Sorts `(date, member)` pairs into versions: a date more than [`SAME_VERSION_DAYS`]
/// after the previous one starts a new version.
fn cluster(mut dated: Vec<(String, usize)>) -> Vec<Version> {
    dated.sort();
    let mut versions: Vec<Version> = Vec::new();
    for (date, i) in dated {
        match versions.last_mut() {
            Some(v) if days_between(&v.last, &date) <= SAME_VERSION_DAYS => {
                v.members.push(i);
                v.last = date;
            }
            _ => versions.push(Version {
                members: vec![i],
                first: date.clone(),
                last: date,
            }),
        }
    }
    versions
}

/// Groups the versions of one work — a law or regulation published more than once
/// under one title in one region (or, without one, by one issuer) — and marks them:
/// every member lists the others (`versions`, newest first, `current` on those of the
/// current version) and each member of an older version names the current one's text as
/// `superseded_by`. A full text is never superseded by a catalogue entry, and a repost is
/// the version it reposts (see the module documentation). Undated documents and other 文种
/// (notices share titles without being versions of one another) are left alone; so are
/// records that share their date. Returns the number of works with several versions.
///
/// Marks a document had before are kept when it is left alone: documents read back from
/// an index are cleared of them (`versions`, `superseded_by`) before they are grouped again.
pub fn group_versions(docs: &mut [&mut PolicyDoc]) -> usize {
    let mut groups: HashMap<VersionKey, Vec<usize>> = HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(key) = version_key(d) {
            groups.entry(key).or_default().push(i);
        }
    }
    let mut count = 0;
    for members in groups.values_mut() {
        if members.len() < 2 {
            continue;
        }
        // The same date throughout is one document listed several times.
        let distinct_dates: std::collections::HashSet<_> =
            members.iter().map(|&i| docs[i].date()).collect();
        if distinct_dates.len() < 2 {
            continue;
        }
        let versions = versions_of(docs, members);
        if versions.len() > 1 {
            count += 1;
        }
        let Some(current_version) = versions.last() else {
            continue;
        };
        // The current version's newest text, else its newest posting.
        let current = current_version
            .members
            .iter()
            .copied()
            .max_by(|&a, &b| {
                let key = |i: usize| (!docs[i].is_catalogue_entry(), docs[i].date());
                key(a)
                    .cmp(&key(b))
                    .then_with(|| docs[b].id.cmp(&docs[a].id))
            })
            .map(|i| docs[i].id.clone());
        members.sort_by(|&a, &b| {
            docs[b]
                .date()
                .cmp(&docs[a].date())
                .then_with(|| docs[a].id.cmp(&docs[b].id))
        });
        let refs: Vec<VersionRef> = members
            .iter()
            .map(|&i| VersionRef {
                id: docs[i].id.clone(),
                date: docs[i].date().map(str::to_string),
                current: current_version.members.contains(&i),
            })
            .collect();
        for &i in members.iter() {
            let in_current = current_version.members.contains(&i);
            let d = &mut docs[i];
            d.versions = refs.iter().filter(|r| r.id != d.id).cloned().collect();
            d.superseded_by = if in_current { None } else { current.clone() };
        }
    }
    count
}

/// The versions of one group, oldest first: full texts by their edition, then each
/// catalogue entry in the newest version begun by the time it was posted, or, posted
/// before every text, in versions of its own.
fn versions_of(docs: &[&mut PolicyDoc], members: &[usize]) -> Vec<Version> {
    let (postings, texts): (Vec<usize>, Vec<usize>) =
        members.iter().partition(|&&i| docs[i].is_catalogue_entry());
    let mut versions = cluster(
        texts
            .iter()
            .filter_map(|&i| Some((edition_date(docs[i])?, i)))
            .collect(),
    );
    let mut earlier = Vec::new();
    for i in postings {
        let Some(bound) = posting_bound(docs[i]) else {
            continue;
        };
        let posted = versions
            .iter_mut()
            .rev()
            .find(|v| v.first <= bound || days_between(&v.first, &bound) <= SAME_VERSION_DAYS);
        match posted {
            Some(v) => v.members.push(i),
            None => earlier.push((bound, i)),
        }
    }
    let mut all = cluster(earlier);
    all.append(&mut versions);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(days_between("2023-07-03", "2023-07-09"), 6);
        assert_eq!(days_between("2020-02-28", "2020-03-01"), 2);
        assert_eq!(days_between("2019-12-31", "2020-01-01"), 1);
        assert_eq!(days_between("2008-03-28", "2003-07-21"), 1712);
    }

    /// Versions share a key whatever their version note; a notice has none.
    #[test]
    fn version_keys() {
        let doc = |title: &str, doc_type: &str| PolicyDoc {
            title: Some(title.into()),
            doc_type: Some(doc_type.into()),
            region: Some("全国".into()),
            publish_date: Some("2018-10-26".into()),
            ..PolicyDoc::default()
        };
        let key = version_key(&doc("中华人民共和国公司法（2018年修正）", "法")).unwrap();
        assert_eq!(key.title, "中华人民共和国公司法");
        assert_eq!(key.owner, "全国");
        assert_eq!(version_key(&doc("中华人民共和国公司法", "法")), Some(key));
        assert_eq!(version_key(&doc("关于开展工作的通知", "通知")), None);
    }

    #[test]
    fn work_titles() {
        assert_eq!(
            work_title("中华人民共和国公司法（2018年修正）"),
            "中华人民共和国公司法"
        );
        assert_eq!(work_title("某某办法（试行）"), "某某办法（试行）");
        assert_eq!(
            work_title("中华人民共和国宪法修正案（1999年）"),
            "中华人民共和国宪法修正案（1999年）"
        );
    }
}
