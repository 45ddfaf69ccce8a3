//! The two tantivy tokenizers: jieba words for ranking, CJK bigrams for recall.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use jieba_rs::Jieba;
use tantivy_tokenizer_api::{Token, TokenStream, Tokenizer};

use crate::normalize::normalize_char;

/// The policy-term user dictionary shipped with the crate.
pub const POLICY_TERMS: &str = include_str!("../data/policy_terms.txt");

static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| Arc::new(load_jieba(true)));

/// Loads jieba's default dictionary, with the policy terms when `policy_terms` is set.
pub fn load_jieba(policy_terms: bool) -> Jieba {
    let mut jieba = Jieba::new();
    if policy_terms {
        for line in POLICY_TERMS.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let word = parts.next().expect("non-empty line");
            let freq = parts.next().and_then(|f| f.parse().ok());
            jieba.add_word(word, freq, parts.next());
        }
    }
    jieba
}

/// The shared jieba instance (default dictionary + policy terms), loaded once.
pub fn jieba() -> Arc<Jieba> {
    Arc::clone(&JIEBA)
}

/// Text normalised character by character, with each character's byte span in the
/// original text.
struct Normalized {
    text: String,
    /// For each char of `text`: (byte start, byte end) in the original.
    spans: Vec<(usize, usize)>,
}

impl Normalized {
    fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut spans = Vec::with_capacity(original.len() / 2);
        for (start, c) in original.char_indices() {
            text.push(normalize_char(c));
            spans.push((start, start + c.len_utf8()));
        }
        Normalized { text, spans }
    }
}

/// jieba search-mode words (`瞪羚独角兽企业` also yields `独角兽` …) on normalised text.
///
/// Tokens come out ordered by start offset, then by end, with positions increasing:
/// jieba emits sub-words before their compound (`南京`, `京市`, `南京市`), which breaks
/// consumers that assume offsets move forward (tantivy's snippet generator).
///
/// What the indexer reads (`Tokenizer::token_stream`) is cut line by line, and the
/// words of the lines cut lately are remembered, across indexing threads: a
/// document's provisions are lines of its body, indexed just before or after it, so
/// each line goes through jieba about once. jieba never joins a word across a line
/// break, so the words are those of the whole text (a test holds them equal).
#[derive(Clone)]
pub struct WordTokenizer {
    jieba: Arc<Jieba>,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer { jieba: jieba() }
    }
}

/// (char start, char end, byte start, byte end) of a word in a normalised text.
type Word = (usize, usize, usize, usize);

/// Lines remembered before the memory starts afresh: far more than the documents in
/// tantivy's indexing queue at once hold (about 50 lines each).
const LINES_REMEMBERED: usize = 16_384;

/// The words of the lines (normalised and trimmed) cut lately, relative to the line,
/// and the jieba that cut them.
#[derive(Default)]
struct LineWords {
    jieba: Option<Arc<Jieba>>,
    lines: HashMap<Box<str>, Arc<[Word]>, foldhash::fast::RandomState>,
}

impl LineWords {
    /// The remembered words of `line`, cut by `jieba`.
    fn get(&mut self, jieba: &Arc<Jieba>, line: &str) -> Option<Arc<[Word]>> {
        // Words another dictionary cut are not this one's.
        if !self.jieba.as_ref().is_some_and(|j| Arc::ptr_eq(j, jieba)) {
            self.jieba = Some(Arc::clone(jieba));
            self.lines.clear();
        }
        self.lines.get(line).cloned()
    }

    fn insert(&mut self, jieba: &Arc<Jieba>, line: &str, words: Arc<[Word]>) {
        if !self.jieba.as_ref().is_some_and(|j| Arc::ptr_eq(j, jieba)) {
            return;
        }
        if self.lines.len() >= LINES_REMEMBERED {
            self.lines.clear();
        }
        self.lines.insert(line.into(), words);
    }
}

/// Shared by the indexing threads: one of them may index a document's body while the
/// other indexes its provisions. The lock is held for a lookup or an insert, never
/// while jieba cuts.
static LINE_WORDS: LazyLock<Mutex<LineWords>> = LazyLock::new(Mutex::default);

impl WordTokenizer {
    pub fn with_jieba(jieba: Arc<Jieba>) -> WordTokenizer {
        WordTokenizer { jieba }
    }

    /// The word tokens of `text`.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut stream = self.stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            tokens.push(stream.token().clone());
        }
        tokens
    }

    /// The words of `text` as a stream that fills one token in place (what the indexer
    /// reads: no string is allocated per word).
    fn stream(&self, text: &str) -> WordStream {
        let norm = Normalized::new(text);
        let words = cut(&self.jieba, &norm.text);
        WordStream::new(norm, words)
    }

    /// [`Self::stream`], each line cut once while it is remembered.
    fn stream_by_lines(&self, text: &str) -> WordStream {
        let norm = Normalized::new(text);
        let mut words = Vec::new();
        let (mut byte, mut char) = (0, 0);
        for line in norm.text.split_inclusive('\n') {
            let lead = line.len() - line.trim_start().len();
            let trimmed = line.trim();
            let (from_byte, from_char) = (byte + lead, char + line[..lead].chars().count());
            if !trimmed.is_empty() {
                let remembered = lock(&LINE_WORDS).get(&self.jieba, trimmed);
                let cached = remembered.unwrap_or_else(|| {
                    let cut: Arc<[Word]> = cut(&self.jieba, trimmed).into();
                    lock(&LINE_WORDS).insert(&self.jieba, trimmed, Arc::clone(&cut));
                    cut
                });
                words.extend(cached.iter().map(|&(start, end, from, to)| {
                    (
                        start + from_char,
                        end + from_char,
                        from + from_byte,
                        to + from_byte,
                    )
                }));
            }
            byte += line.len();
            char += line.chars().count();
        }
        WordStream::new(norm, words)
    }
}

/// The memory of lines, whoever panicked while holding it (it is only a cache).
fn lock(memory: &Mutex<LineWords>) -> std::sync::MutexGuard<'_, LineWords> {
    memory.lock().unwrap_or_else(|e| e.into_inner())
}

/// jieba's search-mode words of a normalised text, ordered by start then end, each
/// span once, without punctuation or spaces.
fn cut(jieba: &Jieba, text: &str) -> Vec<Word> {
    let base = text.as_ptr() as usize;
    let mut words: Vec<Word> = jieba
        .cut_for_search(text, true)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .map(|t| {
            let from = t.word.as_ptr() as usize - base;
            (t.start, t.end, from, from + t.word.len())
        })
        .collect();
    words.sort_unstable_by_key(|&(start, end, _, _)| (start, end));
    words.dedup_by_key(|w| (w.0, w.1));
    words
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream {
        self.stream_by_lines(text)
    }
}

/// The words of one text, see [`WordTokenizer`].
pub struct WordStream {
    norm: Normalized,
    words: Vec<Word>,
    next: usize,
    token: Token,
}

impl WordStream {
    fn new(norm: Normalized, words: Vec<Word>) -> WordStream {
        WordStream {
            norm,
            words,
            next: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream {
    fn advance(&mut self) -> bool {
        let Some(&(start, end, from, to)) = self.words.get(self.next) else {
            return false;
        };
        self.token.position = self.next;
        self.token.offset_from = self.norm.spans[start].0;
        self.token.offset_to = self.norm.spans[end - 1].1;
        self.token.text.clear();
        self.token.text.push_str(&self.norm.text[from..to]);
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Overlapping bigrams of every non-space character of the normalised text, across
/// punctuation and line breaks, at consecutive positions.
///
/// A phrase query of a string's bigrams matches exactly the texts that contain the
/// string (spaces aside), whatever jieba makes of it: this field is the recall
/// guarantee. A text of one character yields that character.
#[derive(Clone, Default)]
pub struct BigramTokenizer;

impl BigramTokenizer {
    /// The bigram tokens of `text` (one token for a one-character text): what a query
    /// for `text` looks for.
    pub fn tokens(text: &str) -> Vec<Token> {
        let chars = Self::chars(text);
        if chars.len() == 1 {
            return vec![Self::unigram(chars[0], 0)];
        }
        chars
            .windows(2)
            .enumerate()
            .map(|(position, pair)| {
                let mut text = String::with_capacity(8);
                text.push(pair[0].0);
                text.push(pair[1].0);
                Token {
                    offset_from: pair[0].1,
                    offset_to: pair[1].2,
                    position,
                    text,
                    position_length: 1,
                }
            })
            .collect()
    }

    /// What is indexed for `text`: its bigrams, then its last character alone. Every
    /// character of the text then begins a token, so a one-character query is the
    /// range of terms that begin with it (no scan of the term dictionary), and no
    /// phrase of bigrams can match the final one-character token.
    pub fn indexed_tokens(text: &str) -> Vec<Token> {
        let chars = Self::chars(text);
        let mut tokens = Self::tokens(text);
        if let (true, Some(&last)) = (chars.len() > 1, chars.last()) {
            tokens.push(Self::unigram(last, chars.len() - 1));
        }
        tokens
    }

    fn chars(text: &str) -> Vec<(char, usize, usize)> {
        text.char_indices()
            .map(|(i, c)| (normalize_char(c), i, i + c.len_utf8()))
            .filter(|(c, _, _)| !c.is_whitespace())
            .collect()
    }

    fn unigram((c, from, to): (char, usize, usize), position: usize) -> Token {
        Token {
            offset_from: from,
            offset_to: to,
            position,
            text: c.to_string(),
            position_length: 1,
        }
    }
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream {
            chars: text.char_indices(),
            previous: None,
            started: false,
            token: Token::default(),
        }
    }
}

/// [`BigramTokenizer::indexed_tokens`] as a stream that fills one token in place (what
/// the indexer reads: no string is allocated per bigram).
pub struct BigramStream<'a> {
    chars: std::str::CharIndices<'a>,
    /// The character the next token begins with (normalised), with its byte span.
    previous: Option<(char, usize, usize)>,
    started: bool,
    token: Token,
}

impl BigramStream<'_> {
    fn next_char(&mut self) -> Option<(char, usize, usize)> {
        self.chars
            .by_ref()
            .map(|(i, c)| (normalize_char(c), i, i + c.len_utf8()))
            .find(|(c, _, _)| !c.is_whitespace())
    }
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        if !std::mem::replace(&mut self.started, true) {
            self.previous = self.next_char();
            // Positions count from 0: the first advance moves to 0.
            self.token.position = usize::MAX;
        }
        let Some((first, from, first_to)) = self.previous else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push(first);
        self.token.offset_from = from;
        self.token.position = self.token.position.wrapping_add(1);
        match self.next_char() {
            Some((second, second_from, to)) => {
                self.token.text.push(second);
                self.token.offset_to = to;
                self.previous = Some((second, second_from, to));
            }
            // The last character alone (or the only one).
            None => {
                self.token.offset_to = first_to;
                self.previous = None;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        WordTokenizer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn search_mode_finds_words_inside_compounds() {
        let got = words("加快培育瞪羚独角兽企业");
        assert!(got.contains(&"独角兽".to_string()), "{got:?}");
        assert!(got.contains(&"瞪羚独角兽企业".to_string()), "{got:?}");
    }

    #[test]
    fn offsets_are_byte_offsets_and_move_forward() {
        let text = "ＡＢＣ南京市长江大桥，IE8及以上（2020）";
        let tokens = WordTokenizer::default().tokens(text);
        let mut last = (0, 0);
        for t in &tokens {
            assert!((t.offset_from, t.offset_to) >= last, "{tokens:?}");
            last = (t.offset_from, t.offset_to);
            // Offsets index the original text, whose chars may be full-width.
            let original = &text[t.offset_from..t.offset_to];
            assert_eq!(crate::normalize(original), t.text, "{t:?}");
        }
        assert!(tokens.iter().any(|t| t.text == "abc"));
    }

    /// The indexer's words, cut line by line and remembered, are those of the whole text.
    #[test]
    fn words_cut_by_lines_are_the_words_of_the_text() {
        let texts = [
            "",
            "\n\n",
            "第一条 为了加快培育瞪羚独角兽企业，制定本办法。\n  第二条　对新认定的高新技术企业给予奖励性后补助。\r\n（一）IE8及以上，2020年度 \n",
            "南京市长江大桥\n南京市长江大桥\n\u{3000}ＡＢＣ 科技型中小企业\t研发费用加计扣除75%",
            "对新认定的高新技术企业给予奖励性后补助。",
        ];
        let key = |t: &Token| (t.text.clone(), t.position, t.offset_from, t.offset_to);
        let indexed = |tokenizer: &mut WordTokenizer, text: &str| {
            let mut stream = tokenizer.token_stream(text);
            let mut tokens = Vec::new();
            while stream.advance() {
                tokens.push(key(stream.token()));
            }
            tokens
        };
        let mut indexer = WordTokenizer::default();
        // Twice: the second time from memory.
        for text in texts.iter().chain(&texts) {
            let whole: Vec<_> = WordTokenizer::default()
                .tokens(text)
                .iter()
                .map(key)
                .collect();
            assert_eq!(indexed(&mut indexer, text), whole, "{text:?}");
        }
        // A tokenizer with another dictionary does not read the words this one cut.
        let line = "瞪羚独角兽企业";
        let with_policy_terms = indexed(&mut indexer, line);
        let mut plain = WordTokenizer::with_jieba(Arc::new(load_jieba(false)));
        let plain_words: Vec<_> = plain.tokens(line).iter().map(key).collect();
        assert_ne!(with_policy_terms, plain_words);
        assert_eq!(indexed(&mut plain, line), plain_words);
        assert_eq!(indexed(&mut indexer, line), with_policy_terms);
    }

    /// What the indexer reads is what `indexed_tokens` (the query side's view) says.
    #[test]
    fn the_bigram_stream_is_the_indexed_tokens() {
        for text in [
            "",
            " \n ",
            "辽",
            " 辽 ",
            "辽科",
            "辽科发〔2020〕\n6号",
            "ＡＢＣ 南京市长江大桥，IE8",
        ] {
            let mut tokenizer = BigramTokenizer;
            let mut stream = tokenizer.token_stream(text);
            let mut streamed = Vec::new();
            while stream.advance() {
                streamed.push(stream.token().clone());
            }
            let expected = BigramTokenizer::indexed_tokens(text);
            let key = |t: &Token| (t.text.clone(), t.position, t.offset_from, t.offset_to);
            assert_eq!(
                streamed.iter().map(key).collect::<Vec<_>>(),
                expected.iter().map(key).collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn bigrams_cover_every_pair() {
        let tokens = BigramTokenizer::tokens("辽科发〔2020〕\n6号");
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "辽科", "科发", "发(", "(2", "20", "02", "20", "0)", ")6", "6号"
            ]
        );
        assert_eq!(tokens.last().unwrap().position, 9);
        assert_eq!(
            &"辽科发〔2020〕\n6号"[tokens[2].offset_from..tokens[2].offset_to],
            "发〔"
        );
        assert_eq!(BigramTokenizer::tokens("号")[0].text, "号");
        assert!(BigramTokenizer::tokens(" \n").is_empty());
    }

    #[test]
    fn every_indexed_character_begins_a_token() {
        let text = "补贴 资金Ａ";
        let tokens = BigramTokenizer::indexed_tokens(text);
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["补贴", "贴资", "资金", "金a", "a"]);
        // The final character keeps its own position and its original offsets.
        let last = tokens.last().unwrap();
        assert_eq!(last.position, 4);
        assert_eq!(&text[last.offset_from..last.offset_to], "Ａ");
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            let c = crate::normalize(&c.to_string());
            assert!(tokens.iter().any(|t| t.text.starts_with(&c)), "{c}");
        }
        // A one-character text is one token, indexed or queried.
        assert_eq!(BigramTokenizer::indexed_tokens("号").len(), 1);
        assert!(BigramTokenizer::indexed_tokens("").is_empty());
    }
}
