//! The index schema: one tantivy document per policy document and per provision.

use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use zhengce_analysis::{BIGRAMS, WORDS};

use crate::request::{FacetField, Level};

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Unique key of the entry: the document id, or `{doc_id}#{number}`.
    pub id: Field,
    pub doc_id: Field,
    /// `doc` or `provision`.
    pub level: Field,
    /// A document's title (document entries only: a provision's is `provision_title`).
    pub title: Field,
    pub title_bigrams: Field,
    /// The document body (document entries only: a provision's is `provision_text`).
    pub body: Field,
    pub body_bigrams: Field,
    /// The title of a provision's document, stored (`title:` searches the document's).
    pub provision_title: Field,
    /// A provision's text.
    pub provision_text: Field,
    pub provision_text_bigrams: Field,
    pub doc_number: Field,
    pub issuer: Field,
    pub issuer_bigrams: Field,
    pub region: Field,
    pub doc_type: Field,
    pub publish_date: Field,
    /// `YYYYMMDD` as a number: date filters and sorting.
    pub date: Field,
    pub year: Field,
    pub lead_dept: Field,
    pub resp_dept: Field,
    pub url: Field,
    pub source: Field,
    pub provision_number: Field,
    /// JSON array of headings.
    pub heading_path: Field,
    /// The whole `PolicyDoc` as JSON, on the document's `source` entry only (so that
    /// loading a hit does not load it).
    pub doc_json: Field,
    /// 惠企 classes (provisions; documents roll them up).
    pub benefit: Field,
    pub beneficiary: Field,
    /// JSON array of the amounts and targets a provision states.
    pub amounts: Field,
    /// `YYYYMMDD` of the document's validity; 0 when unknown, `OPEN_END` when open-ended.
    pub valid_from: Field,
    pub valid_to: Field,
    /// 1 when a newer version of the same work replaces the document.
    pub superseded: Field,
    /// The names of the document (see `ranking::title_names`), exact.
    pub title_key: Field,
    /// The work the document belongs to (its versions, the parts of a code); 0 alone.
    pub work: Field,
    /// Authority of the issuing body (see `ranking::authority`).
    pub authority: Field,
    /// Characters of the body (of the document or the provision).
    pub body_chars: Field,
    /// 1 for an explainer of another document (see `ranking::is_explainer`).
    pub explainer: Field,
    pub facet_issuer: Field,
    pub facet_year: Field,
    pub facet_lead_dept: Field,
    pub facet_region: Field,
    pub facet_doc_type: Field,
    pub facet_benefit: Field,
    pub facet_beneficiary: Field,
}

impl Fields {
    pub fn new(schema: &Schema) -> Fields {
        let f = |name: &str| schema.get_field(name).expect("field in schema");
        Fields {
            id: f("id"),
            doc_id: f("doc_id"),
            level: f("level"),
            title: f("title"),
            title_bigrams: f("title_bigrams"),
            body: f("body"),
            body_bigrams: f("body_bigrams"),
            provision_title: f("provision_title"),
            provision_text: f("provision_text"),
            provision_text_bigrams: f("provision_text_bigrams"),
            doc_number: f("doc_number"),
            issuer: f("issuer"),
            issuer_bigrams: f("issuer_bigrams"),
            region: f("region"),
            doc_type: f("doc_type"),
            publish_date: f("publish_date"),
            date: f("date"),
            year: f("year"),
            lead_dept: f("lead_dept"),
            resp_dept: f("resp_dept"),
            url: f("url"),
            source: f("source"),
            provision_number: f("provision_number"),
            heading_path: f("heading_path"),
            doc_json: f("doc_json"),
            benefit: f("benefit"),
            beneficiary: f("beneficiary"),
            amounts: f("amounts"),
            valid_from: f("valid_from"),
            valid_to: f("valid_to"),
            superseded: f("superseded"),
            title_key: f("title_key"),
            work: f("work"),
            authority: f("authority"),
            body_chars: f("body_chars"),
            explainer: f("explainer"),
            facet_issuer: f("facet_issuer"),
            facet_year: f("facet_year"),
            facet_lead_dept: f("facet_lead_dept"),
            facet_region: f("facet_region"),
            facet_doc_type: f("facet_doc_type"),
            facet_benefit: f("facet_benefit"),
            facet_beneficiary: f("facet_beneficiary"),
        }
    }

    /// The text fields searched at `level`. Documents and provisions index their text in
    /// fields of their own, so that a search of one level never walks the postings of
    /// the other (a document's body holds all its provisions' text again).
    pub fn text_fields(&self, level: Level) -> TextFields {
        match level {
            Level::Doc => TextFields {
                title: Some(TitleFields {
                    words: self.title,
                    bigrams: self.title_bigrams,
                }),
                body_words: self.body,
                body_bigrams: self.body_bigrams,
            },
            Level::Provision => TextFields {
                title: None,
                body_words: self.provision_text,
                body_bigrams: self.provision_text_bigrams,
            },
        }
    }

    /// The stored title of an entry (a document's, or a provision's document's).
    pub fn stored_title(&self, level: Level) -> Field {
        match level {
            Level::Doc => self.title,
            Level::Provision => self.provision_title,
        }
    }

    /// The stored text of an entry (a document's body, or a provision's text).
    pub fn stored_text(&self, level: Level) -> Field {
        match level {
            Level::Doc => self.body,
            Level::Provision => self.provision_text,
        }
    }
}

/// The searched text fields of one level (see [`Fields::text_fields`]).
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    /// The title's fields: documents only. Provisions rank by their own text, and
    /// `title:` finds a provision through its document's entry ([`crate::join`]).
    pub title: Option<TitleFields>,
    pub body_words: Field,
    pub body_bigrams: Field,
}

/// A document's title fields.
#[derive(Debug, Clone, Copy)]
pub struct TitleFields {
    /// jieba words, for ranking.
    pub words: Field,
    /// Bigrams of the title and the 文号.
    pub bigrams: Field,
}

/// A text field. Bigram fields keep positions (phrases of bigrams are the recall
/// guarantee); word fields only rank, by term frequency, and keep none.
fn text(tokenizer: &str, stored: bool) -> TextOptions {
    let record = if tokenizer == BIGRAMS {
        IndexRecordOption::WithFreqsAndPositions
    } else {
        IndexRecordOption::WithFreqs
    };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Builds the schema.
pub fn schema() -> Schema {
    let mut b = Schema::builder();
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("doc_id", STRING | STORED | FAST);
    b.add_text_field("level", STRING | STORED);
    b.add_text_field("title", text(WORDS, true));
    b.add_text_field("title_bigrams", text(BIGRAMS, false));
    b.add_text_field("body", text(WORDS, true));
    b.add_text_field("body_bigrams", text(BIGRAMS, false));
    b.add_text_field("provision_title", STORED);
    b.add_text_field("provision_text", text(WORDS, true));
    b.add_text_field("provision_text_bigrams", text(BIGRAMS, false));
    b.add_text_field("doc_number", STRING | STORED);
    b.add_text_field("issuer", STRING | STORED);
    b.add_text_field("issuer_bigrams", text(BIGRAMS, false));
    b.add_text_field("region", STRING | STORED);
    b.add_text_field("doc_type", STRING | STORED);
    b.add_text_field("publish_date", STORED);
    b.add_u64_field("date", INDEXED | FAST | STORED);
    b.add_u64_field("year", INDEXED | FAST | STORED);
    b.add_text_field("lead_dept", STRING | STORED);
    b.add_text_field("resp_dept", STRING | STORED);
    b.add_text_field("url", STORED);
    b.add_text_field("source", STRING | STORED);
    b.add_text_field("provision_number", STORED);
    b.add_text_field("heading_path", STORED);
    b.add_text_field("doc_json", STORED);
    b.add_text_field("benefit", STRING | STORED);
    b.add_text_field("beneficiary", STRING | STORED);
    b.add_text_field("amounts", STORED);
    b.add_u64_field("valid_from", INDEXED | FAST | STORED);
    b.add_u64_field("valid_to", INDEXED | FAST | STORED);
    b.add_u64_field("superseded", INDEXED | FAST | STORED);
    b.add_text_field("title_key", STRING);
    b.add_u64_field("work", FAST);
    b.add_u64_field("authority", FAST);
    b.add_u64_field("body_chars", FAST);
    b.add_u64_field("explainer", FAST);
    // One facet field per counted facet (status is computed from the validity fields).
    for field in FacetField::ALL
        .into_iter()
        .filter_map(FacetField::index_field)
    {
        b.add_facet_field(field, FacetOptions::default());
    }
    b.build()
}

/// `valid_to` of a document that states no expiry.
pub const OPEN_END: u64 = 99_991_231;
