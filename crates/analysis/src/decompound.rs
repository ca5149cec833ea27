//! Swedish compound splitting: `batterifabriksetableringen` → `batteri`, `fabrik`, `etableringen`.
//!
//! Swedish writes compounds as one word, so a search for `fabrik` must look inside
//! `batterifabriken`. The [`Lexicon`] (derived from hunspell-sv, see `index-config/sv/README.md`)
//! knows which forms may begin a compound — including linking forms such as `fabriks`, `gatu`,
//! `förskole`, each mapped to its lemma — and which words, in any inflection, may end one.
//!
//! [`Lexicon::split`] finds the split with the fewest parts (the longest head on ties) and
//! splits its parts again (`vindkraftpark` → `vindkraft`, `vind`, `kraft`, `park`). A word
//! with no full split whose ending is a long known head (`näsbyparksskolan` → `skolan`) yields
//! just that head: place names prefixed to common nouns are the commonest compound in
//! municipal text.
//!
//! The [`Decompounder`] rule emits the parts at the position of the whole word. The index puts
//! them in separate `*_parts` fields that score below whole-word matches, so `fabrik` finds
//! `batterifabriken` without drowning exact `fabrik` hits.

use std::sync::Arc;

use tantivy::tokenizer::Token;

use crate::memo::{FxHashMap as HashMap, FxHashSet as HashSet, Memo};
use crate::rule::{with_text, TokenRule};

/// Shortest compound part (`sim` in `simhall`).
const MIN_PART_CHARS: usize = 3;
/// Shortest final part of a full split.
const MIN_HEAD_CHARS: usize = 3;
/// Shortest final part when the beginning of the word is unknown (a place name).
const MIN_LONE_HEAD_CHARS: usize = 5;
/// Shortest word worth splitting.
const MIN_WORD_CHARS: usize = 6;
/// Longest word we try to split (longer tokens are ids or garbage).
const MAX_WORD_CHARS: usize = 48;

/// The decompounding lexicon.
#[derive(Default)]
pub struct Lexicon {
    /// Forms that may begin or sit inside a compound → their lemma (`fabriks` → `fabrik`).
    parts: HashMap<Box<str>, Box<str>>,
    /// Every form (lemma and inflections) that may end a compound → its lemma, as an index
    /// into `head_lemmas`.
    heads: HashMap<Box<str>, u32>,
    head_lemmas: Vec<Box<str>>,
    /// Known simple words of the language (any part of speech, base forms).
    words: HashSet<Box<str>>,
    /// Words never split: names such as `mariestad` (not `marie` + `stad`).
    protected: HashSet<Box<str>>,
    /// Remembered results of [`Lexicon::split`] and [`Lexicon::lemmatise`] per word.
    splits: Memo<Option<Arc<[Part]>>>,
    lemmas: Memo<Option<Arc<str>>>,
}

/// One part of a split word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// What to index: the lemma of a leading part, the surface form of the final part.
    pub text: String,
    /// Whether this part ends the word (it carries the word's inflection).
    pub is_head: bool,
}

impl Lexicon {
    /// Loads the three files of `index-config/sv/`: `compound-parts.tsv` (`form<TAB>lemma`),
    /// `compound-heads.tsv` (`lemma<TAB>form,form,…`) and `lexicon-words.txt` (one word per
    /// line). Lines starting with `#` are comments. `extra_parts` has the parts format.
    pub fn from_files(parts_tsv: &str, extra_parts_tsv: &str, heads_tsv: &str, words_txt: &str) -> Lexicon {
        let mut lexicon = Lexicon::default();
        for line in parts_tsv.lines().chain(extra_parts_tsv.lines()) {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut columns = line.split('\t');
            let form = columns.next().unwrap_or("").trim();
            let lemma = columns.next().map(str::trim).filter(|l| !l.is_empty()).unwrap_or(form);
            if form.chars().count() >= MIN_PART_CHARS {
                lexicon.parts.insert(form.into(), lemma.into());
            }
        }
        for line in heads_tsv.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut columns = line.split('\t');
            let lemma = columns.next().unwrap_or("").trim();
            if lemma.is_empty() {
                continue;
            }
            let lemma_index = lexicon.head_lemmas.len() as u32;
            lexicon.head_lemmas.push(lemma.into());
            // A base form always maps to itself; an inflected form keeps the first lemma listed.
            lexicon.heads.insert(lemma.into(), lemma_index);
            for form in columns.next().unwrap_or("").split(',').map(str::trim).filter(|f| !f.is_empty()) {
                lexicon.heads.entry(form.into()).or_insert(lemma_index);
            }
        }
        for line in words_txt.lines() {
            let word = line.trim();
            if !word.is_empty() && !word.starts_with('#') {
                lexicon.words.insert(word.into());
            }
        }
        lexicon
    }

    /// Adds words known to exist (for example kommun names) to the simple word list.
    pub fn add_words<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        for word in words {
            self.words.insert(word.to_lowercase().into());
        }
        self.forget();
    }

    /// Adds names that are never split, with their genitives (`mariestad`, `mariestads`).
    pub fn protect<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        for name in names {
            let name = name.to_lowercase();
            self.protected.insert(format!("{name}s").into());
            self.protected.insert(name.into());
        }
        self.forget();
    }

    fn forget(&mut self) {
        self.splits.clear();
        self.lemmas.clear();
    }

    /// Whether a word is a known base form.
    pub fn is_word(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Whether a form may end a compound (as lemma or inflected form).
    pub fn is_head(&self, form: &str) -> bool {
        self.heads.contains_key(form) || self.heads.contains_key(strip_genitive(form))
    }

    /// The lemma of a form that may end a compound (`platsen` → `plats`, `fabrikens` → `fabrik`).
    pub fn head_lemma(&self, form: &str) -> Option<&str> {
        let index = self.heads.get(form).or_else(|| self.heads.get(strip_genitive(form)))?;
        Some(&self.head_lemmas[*index as usize])
    }

    /// Lemmatises a word through its head: `flygplatsen` → `flygplats`, `förskolans` →
    /// `förskola`. `None` when the word (or its last part) is not a known inflected form.
    pub fn lemmatise(&self, word: &str) -> Option<String> {
        self.lemmas.get_or_insert_with(word, |word| self.lemmatise_uncached(word).map(Arc::from)).map(|l| l.to_string())
    }

    fn lemmatise_uncached(&self, word: &str) -> Option<String> {
        if let Some(lemma) = self.head_lemma(word) {
            return Some(lemma.to_string());
        }
        if self.protected.contains(word) || !word.chars().all(char::is_alphabetic) {
            return None;
        }
        let segments = self.best_split(word)?;
        let &(head_start, _) = segments.last()?;
        let lemma = self.head_lemma(&word[head_start..])?;
        Some(format!("{}{lemma}", &word[..head_start]))
    }

    /// The lemma of a leading part (`fabriks` → `fabrik`).
    pub fn part_lemma(&self, form: &str) -> Option<&str> {
        self.parts.get(form).map(|lemma| &**lemma)
    }

    /// The number of entries: (parts, heads, words).
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.parts.len(), self.heads.len(), self.words.len())
    }

    /// Splits a lowercase word into its parts, recursively. `None` when it is not a compound.
    pub fn split(&self, word: &str) -> Option<Vec<Part>> {
        self.split_shared(word).map(|parts| parts.to_vec())
    }

    /// [`Lexicon::split`], remembered per word.
    pub fn split_shared(&self, word: &str) -> Option<Arc<[Part]>> {
        self.splits.get_or_insert_with(word, |word| self.split_uncached(word).map(Arc::from))
    }

    fn split_uncached(&self, word: &str) -> Option<Vec<Part>> {
        let chars = word.chars().count();
        if self.protected.contains(word)
            || !(MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&chars)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let mut parts = Vec::new();
        if let Some(segments) = self.best_split(word) {
            self.collect_parts(word, &segments, &mut parts, 0);
            return Some(parts);
        }
        // No full split: an unknown beginning (a place name) followed by a long known head.
        let boundaries: Vec<usize> = word.char_indices().map(|(i, _)| i).collect();
        for &start in boundaries.iter().skip(MIN_PART_CHARS) {
            let tail = &word[start..];
            if tail.chars().count() < MIN_LONE_HEAD_CHARS {
                break;
            }
            if self.is_head(tail) {
                parts.push(Part { text: tail.to_string(), is_head: true });
                if let Some(inner) = self.best_split(tail) {
                    self.collect_parts(tail, &inner, &mut parts, 1);
                }
                return Some(parts);
            }
        }
        None
    }

    /// The top-level parts of a full split only (no sub-parts, no lone heads): what a compound
    /// query word must be made of (`solcellspark` → `solcell`, `park`).
    pub fn split_top(&self, word: &str) -> Option<Vec<String>> {
        let chars = word.chars().count();
        if self.protected.contains(word)
            || !(MIN_WORD_CHARS..=MAX_WORD_CHARS).contains(&chars)
            || !word.chars().all(char::is_alphabetic)
        {
            return None;
        }
        let segments = self.best_split(word)?;
        let last = segments.len() - 1;
        Some(
            segments
                .iter()
                .enumerate()
                .map(|(index, &(start, end))| {
                    let form = &word[start..end];
                    if index == last {
                        form.to_string()
                    } else {
                        self.part_lemma(form).unwrap_or(form).to_string()
                    }
                })
                .collect(),
        )
    }

    /// Pushes the parts of a split, and the parts of those parts.
    fn collect_parts(&self, word: &str, segments: &[(usize, usize)], out: &mut Vec<Part>, depth: usize) {
        let last = segments.len() - 1;
        for (index, &(start, end)) in segments.iter().enumerate() {
            let form = &word[start..end];
            let is_head = index == last;
            let text = if is_head { form } else { self.part_lemma(form).unwrap_or(form) };
            let part = Part { text: text.to_string(), is_head };
            if !out.contains(&part) {
                out.push(part);
            }
            // Parts of parts: `vindkraft` → `vind`, `kraft`. The lemma of a leading part is split
            // as a head-ended word in its own right.
            if depth < 2 {
                if let Some(inner) = self.best_split(text) {
                    let mut inner_parts = Vec::new();
                    self.collect_parts(text, &inner, &mut inner_parts, depth + 1);
                    for mut inner_part in inner_parts {
                        inner_part.is_head = inner_part.is_head && is_head;
                        if !out.contains(&inner_part) {
                            out.push(inner_part);
                        }
                    }
                }
            }
        }
    }

    /// Fewest-parts cover of `word` by leading parts and one head, as byte ranges; at least
    /// two segments. On ties the longer head wins (`batteri|fabriks|etableringen`).
    fn best_split(&self, word: &str) -> Option<Vec<(usize, usize)>> {
        let boundaries: Vec<usize> = word.char_indices().map(|(i, _)| i).chain([word.len()]).collect();
        let n = boundaries.len() - 1; // number of chars
        if n < MIN_PART_CHARS + MIN_HEAD_CHARS {
            return None;
        }
        // best[i] = (parts, -head_len, next boundary index) for the suffix starting at char i.
        let mut best: Vec<Option<(usize, isize, usize)>> = vec![None; n + 1];
        for i in (0..n).rev() {
            let suffix = &word[boundaries[i]..];
            let suffix_chars = n - i;
            let mut choice: Option<(usize, isize, usize)> = None;
            if i > 0 && suffix_chars >= MIN_HEAD_CHARS && self.is_head(suffix) {
                choice = Some((1, -(suffix_chars as isize), n));
            }
            for j in (i + MIN_PART_CHARS)..=n.saturating_sub(MIN_HEAD_CHARS) {
                let Some((rest_parts, rest_head, _)) = best[j] else { continue };
                if !self.parts.contains_key(&word[boundaries[i]..boundaries[j]]) {
                    continue;
                }
                let candidate = (rest_parts + 1, rest_head, j);
                if choice.is_none_or(|current| (candidate.0, candidate.1) < (current.0, current.1)) {
                    choice = Some(candidate);
                }
            }
            best[i] = choice;
        }
        let mut segments = Vec::new();
        let mut i = 0;
        while i < n {
            let (_, _, next) = best[i]?;
            segments.push((boundaries[i], boundaries[next]));
            i = next;
        }
        (segments.len() >= 2).then_some(segments)
    }
}

/// `fabrikens` → `fabriken`; a genitive `s` on a head is regular and not always in the lexicon.
fn strip_genitive(form: &str) -> &str {
    form.strip_suffix('s').filter(|rest| rest.chars().count() >= MIN_HEAD_CHARS).unwrap_or(form)
}

/// What the [`Decompounder`] rule emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecompoundMode {
    /// Only the parts of compounds (for the `*_parts` fields); other words are dropped.
    PartsOnly,
    /// Every word, followed by its parts at the same position (for highlighting).
    WithWhole,
}

/// The decompounding rule.
pub struct Decompounder {
    lexicon: Arc<Lexicon>,
    mode: DecompoundMode,
    stop_words: Option<Arc<crate::StopWords>>,
}

impl Decompounder {
    pub fn new(lexicon: Arc<Lexicon>, mode: DecompoundMode, stop_words: Option<Arc<crate::StopWords>>) -> Decompounder {
        Decompounder { lexicon, mode, stop_words }
    }
}

impl TokenRule for Decompounder {
    fn name(&self) -> &'static str {
        match self.mode {
            DecompoundMode::PartsOnly => "decompound_parts",
            DecompoundMode::WithWhole => "decompound_with_whole",
        }
    }

    fn apply(&self, token: &Token, out: &mut Vec<Token>) {
        if self.mode == DecompoundMode::WithWhole {
            out.push(token.clone());
        }
        let Some(parts) = self.lexicon.split_shared(&token.text) else { return };
        for part in parts.iter() {
            if self.stop_words.as_ref().is_some_and(|stop| stop.contains(&part.text)) {
                continue;
            }
            out.push(with_text(token, part.text.clone()));
        }
    }
}
