//! What is derived from a document before it is indexed ([`DocFacts`]): its validity,
//! its 惠企 classes and each provision's classes and amounts. `zhengce-benefits` reads
//! them from the text (`zhengce_benefits::derive`); the index stores them as they are
//! and never reads text for them, and the server shows the stored ones.
//!
//! ```
//! use zhengce_model::{Status, Validity};
//!
//! let v = Validity {
//!     valid_from: Some("2021-04-01".into()),
//!     valid_to: Some("2024-03-31".into()),
//!     ..Validity::default()
//! };
//! assert_eq!(v.status("2022-06-01"), Status::InForce);
//! assert_eq!(v.status("2024-04-01").as_str(), "已失效");
//! assert_eq!(Status::parse("尚未施行"), Some(Status::NotYet));
//! ```

use serde::{Deserialize, Serialize};

/// What a document says about its own validity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// 施行日期, `YYYY-MM-DD`.
    pub valid_from: Option<String>,
    /// Last day in force, `YYYY-MM-DD`.
    pub valid_to: Option<String>,
    /// The document declares itself repealed or no longer in force.
    pub repealed: bool,
    /// 申报时间 / 截止日期 stated in the text.
    pub windows: Vec<Window>,
}

impl Validity {
    /// Status on `as_of` (`YYYY-MM-DD`).
    pub fn status(&self, as_of: &str) -> Status {
        if self.repealed || self.valid_to.as_deref().is_some_and(|to| to < as_of) {
            return Status::Expired;
        }
        if self.valid_from.as_deref().is_some_and(|from| from > as_of) {
            return Status::NotYet;
        }
        if self.valid_from.is_some() || self.valid_to.is_some() {
            Status::InForce
        } else {
            Status::Unknown
        }
    }
}

/// An application window.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Status on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "现行有效")]
    InForce,
    #[serde(rename = "已失效")]
    Expired,
    #[serde(rename = "尚未施行")]
    NotYet,
    #[serde(rename = "未知")]
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "现行有效",
            Status::Expired => "已失效",
            Status::NotYet => "尚未施行",
            Status::Unknown => "未知",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [
            Status::InForce,
            Status::Expired,
            Status::NotYet,
            Status::Unknown,
        ]
        .into_iter()
        .find(|st| st.as_str() == s.trim())
    }
}

/// Benefit classes that are money or financial support.
pub const MONEY: [&str; 5] = ["资金奖励", "补贴补助", "金融支持", "税收优惠", "股权投资"];

/// What a provision offers and to whom: the names of its benefit and beneficiary classes.
/// Empty lists are left out of its JSON (most provisions offer nothing, and every
/// document's facts are stored with it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefits: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub beneficiaries: Vec<String>,
}

impl Classification {
    /// No class at all.
    pub fn is_empty(&self) -> bool {
        self.benefits.is_empty() && self.beneficiaries.is_empty()
    }

    /// Whether any benefit is money or financial support.
    pub fn offers_money(&self) -> bool {
        self.benefits.iter().any(|b| MONEY.contains(&b.as_str()))
    }

    /// Adds the classes of `other` this one lacks, after its own.
    pub fn merge(&mut self, other: &Classification) {
        for b in &other.benefits {
            if !self.benefits.contains(b) {
                self.benefits.push(b.clone());
            }
        }
        for b in &other.beneficiaries {
            if !self.beneficiaries.contains(b) {
                self.beneficiaries.push(b.clone());
            }
        }
    }
}

/// A number the text states: money (`amounts`) or a target (`targets`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Amount {
    pub value: f64,
    /// `万元`, `亿元`, `元`, `家`, `户`, `个`, `项`, `名`, `人`, `%` …
    pub unit: String,
    /// `最高` (at most), `达到`, `以上` (at least), `约`.
    pub qualifier: Option<String>,
    /// The words as written.
    pub text: String,
}

impl Amount {
    /// Whether this is a sum of money.
    pub fn is_money(&self) -> bool {
        self.unit.ends_with('元')
    }
}

/// What the enrichment step derives from a document for the index and the pages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocFacts {
    /// What the document says about its validity (with its title and dates).
    #[serde(default)]
    pub validity: Validity,
    /// The document's classes: its provisions' together (in their order), or its body's
    /// when it has no provisions.
    #[serde(default)]
    pub classes: Classification,
    /// One per provision of the document, in the same order.
    #[serde(default)]
    pub provisions: Vec<ProvisionFacts>,
}

/// What is derived from one provision (`{}` in JSON when nothing is).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProvisionFacts {
    #[serde(default, skip_serializing_if = "Classification::is_empty")]
    pub classes: Classification,
    /// The amounts and targets it states, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amounts: Vec<Amount>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_round_trip_and_empty_ones_are_short() {
        assert_eq!(
            serde_json::to_string(&ProvisionFacts::default()).unwrap(),
            "{}"
        );
        let facts = DocFacts {
            validity: Validity {
                valid_to: Some("2024-03-31".into()),
                ..Validity::default()
            },
            classes: Classification {
                benefits: vec!["资金奖励".into()],
                beneficiaries: Vec::new(),
            },
            provisions: vec![
                ProvisionFacts::default(),
                ProvisionFacts {
                    classes: Classification {
                        benefits: vec!["资金奖励".into()],
                        beneficiaries: vec!["高新技术企业".into()],
                    },
                    amounts: vec![Amount {
                        value: 20.0,
                        unit: "万元".into(),
                        qualifier: None,
                        text: "20万元".into(),
                    }],
                },
            ],
        };
        let json = serde_json::to_string(&facts).unwrap();
        assert_eq!(serde_json::from_str::<DocFacts>(&json).unwrap(), facts);
        assert_eq!(
            serde_json::from_str::<DocFacts>("{}").unwrap(),
            DocFacts::default()
        );
    }

    #[test]
    fn merged_classes_keep_the_first_order_without_repeats() {
        let mut all = Classification {
            benefits: vec!["资金奖励".into()],
            beneficiaries: Vec::new(),
        };
        all.merge(&Classification {
            benefits: vec!["税收优惠".into(), "资金奖励".into()],
            beneficiaries: vec!["高新技术企业".into()],
        });
        assert_eq!(all.benefits, ["资金奖励", "税收优惠"]);
        assert_eq!(all.beneficiaries, ["高新技术企业"]);
        assert!(all.offers_money());
        assert!(Classification::default().is_empty());
    }
}
