//! Chinese text analysis for zhengce, on `tantivy-tokenizer-api`.
//!
//! Two representations of the same text, registered under fixed names:
//!
//! * [`WORDS`] — jieba search-mode words over normalised text, with a user dictionary of
//!   policy terms ([`POLICY_TERMS`]). These rank: a query's words matched in the title
//!   count more than in the body.
//! * [`BIGRAMS`] — overlapping bigrams of every non-space character, and the last
//!   character alone. A phrase query of a string's bigrams finds every text containing
//!   that string verbatim, however jieba would cut it in context; the terms that begin
//!   with a character find every text containing that character. This is the recall
//!   guarantee.
//!
//! Both normalise with [`normalize`] (full-width to half-width, lowercase, one form of
//! each bracket/quote/dash), character for character, so offsets stay byte offsets into
//! the original text. [`synonyms`] expands what people type (`高企`, `双创`).
//!
//! ```
//! use zhengce_analysis::{BigramTokenizer, WordTokenizer, normalize};
//!
//! let words: Vec<String> = WordTokenizer::default()
//!     .tokens("培育瞪羚独角兽企业")
//!     .into_iter()
//!     .map(|t| t.text)
//!     .collect();
//! assert!(words.contains(&"独角兽".to_string()));
//!
//! let bigrams: Vec<String> = BigramTokenizer::tokens("卡脖子").into_iter().map(|t| t.text).collect();
//! assert_eq!(bigrams, ["卡脖", "脖子"]);
//! assert_eq!(normalize("辽科发〔２０２０〕6号"), normalize("辽科发[2020]6号"));
//! ```

mod normalize;
mod synonyms;
mod tokenizers;

pub use normalize::{normalize, normalize_char};
pub use synonyms::{SYNONYMS, is_abbreviation, synonyms};
pub use tokenizers::{
    BigramStream, BigramTokenizer, POLICY_TERMS, WordStream, WordTokenizer, jieba, load_jieba,
};

/// Name under which [`WordTokenizer`] is registered in an index.
pub const WORDS: &str = "zh_words";
/// Name under which [`BigramTokenizer`] is registered in an index (versioned: an index
/// written with an older bigram stream is refused as built by another schema).
pub const BIGRAMS: &str = "zh_bigrams2";
