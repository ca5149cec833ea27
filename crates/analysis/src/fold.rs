//! Folds å/ä/ö (and other Latin diacritics) to plain ASCII: `förskola` → `forskola`.
//!
//! Only for the secondary `*_fold` fields that catch queries typed without Swedish letters: in a
//! main field it would merge different words (`får` sheep/gets vs `far` father).

use tantivy::tokenizer::Token;

use crate::rule::{with_text, TokenRule};

pub struct AsciiFold;

impl AsciiFold {
    pub fn fold(word: &str) -> String {
        let mut folded = String::with_capacity(word.len());
        for c in word.chars() {
            match c {
                'å' | 'ä' | 'á' | 'à' | 'â' | 'ã' => folded.push('a'),
                'Å' | 'Ä' | 'Á' | 'À' | 'Â' => folded.push('A'),
                'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => folded.push('o'),
                'Ö' | 'Ø' | 'Ó' => folded.push('O'),
                'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
                'É' | 'È' => folded.push('E'),
                'ü' | 'ú' | 'ù' | 'û' => folded.push('u'),
                'í' | 'ì' | 'î' | 'ï' => folded.push('i'),
                'æ' => folded.push_str("ae"),
                'ç' => folded.push('c'),
                'ñ' => folded.push('n'),
                'ß' => folded.push_str("ss"),
                other => folded.push(other),
            }
        }
        folded
    }
}

impl TokenRule for AsciiFold {
    fn name(&self) -> &'static str {
        "ascii_fold"
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        out.push(with_text(token, AsciiFold::fold(&token.text)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_swedish_letters() {
        for (word, folded) in [
            ("förskola", "forskola"),
            ("vänersborg", "vanersborg"),
            ("återkallelse", "aterkallelse"),
            ("café", "cafe"),
            ("plain", "plain"),
        ] {
            assert_eq!(AsciiFold::fold(word), folded);
        }
    }
}
