//! Character normalisation shared by indexing and querying.
//!
//! Every rule maps one character to one character, so a token's byte offsets in the
//! normalised text translate back to the original text character by character.
//!
//! Decision on traditional → simplified folding: **not folded**. Mainland portals publish
//! in simplified characters (traditional appears only in `繁體` switches, which the parser
//! drops as chrome); a folding table (OpenCC) maps many-to-one (`乾/幹 → 干`, `後 → 后`) and
//! would merge words that differ in simplified text, and would add a large table to every
//! query. Revisit if a Hong Kong, Macao or Taiwan source is added.

/// Normalises one character: full-width ASCII to half-width, Latin to lowercase, and the
/// bracket, quote and dash variants of Chinese typesetting to one form each.
pub fn normalize_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    };
    match c {
        'A'..='Z' => c.to_ascii_lowercase(),
        '〔' | '【' | '［' | '﹝' | '〖' | '[' | '{' | '｛' | '〈' | '《' => '(',
        '〕' | '】' | '］' | '﹞' | '〗' | ']' | '}' | '｝' | '〉' | '》' => ')',
        '“' | '”' | '「' | '」' | '『' | '』' | '〝' | '〞' => '"',
        '‘' | '’' => '\'',
        '—' | '–' | '―' | '‐' | '－' | '−' => '-',
        '～' | '〜' => '~',
        '・' | '•' => '·',
        '．' => '.',
        _ => c,
    }
}

/// Normalises a string character by character (see [`normalize_char`]).
pub fn normalize(text: &str) -> String {
    text.chars().map(normalize_char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_variants_fold() {
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("辽科发〔2020〕6号"), normalize("辽科发[2020]6号"));
        assert_eq!(
            normalize("辽科发【2020】6号"),
            normalize("辽科发（2020）6号")
        );
        assert_eq!(normalize("“卡脖子”"), "\"卡脖子\"");
        assert_eq!(normalize("R&D经费"), "r&d经费");
    }

    #[test]
    fn one_char_for_one_char() {
        let s = "全角：（ＡＢ）　１２，《纲要》—";
        assert_eq!(normalize(s).chars().count(), s.chars().count());
    }
}
