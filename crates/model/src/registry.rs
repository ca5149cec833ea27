//! The registry of Swedish kommuner and regioner.
//!
//! Kommuner carry a 4-digit kommunkod (`1493` Mariestad), regioner the 2-digit länskod of their
//! län (`14` Västra Götalandsregionen). Gotland is both a kommun (`0980`) and a region (`09`).
//! The data is compiled into the binary, so the registry is always available and always the same
//! as the one the index was built with.

use std::collections::HashMap;
use std::sync::OnceLock;

const KOMMUNER_CSV: &str = include_str!("../data/kommuner.csv");
const REGIONER_CSV: &str = include_str!("../data/regioner.csv");

/// Whether an organisation is a kommun or a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    Kommun,
    Region,
}

/// One kommun or region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Kommunkod (4 digits) or länskod (2 digits) for a region.
    pub code: String,
    /// Display name: `Mariestad`, `Region Skåne`.
    pub name: String,
    /// The 2-digit länskod this organisation belongs to.
    pub lan_code: String,
    /// The län's name: `Västra Götalands län`.
    pub lan_name: String,
    pub kind: OrganisationKind,
    /// Organisationsnummer (`212000-1736`) when known.
    pub org_number: Option<String>,
}

/// Look-up of kommuner and regioner by code and by name.
#[derive(Debug)]
pub struct Registry {
    organisations: Vec<Organisation>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl Registry {
    /// The registry compiled into the binary. Parsed once per process.
    pub fn global() -> &'static Registry {
        static REGISTRY: OnceLock<Registry> = OnceLock::new();
        REGISTRY
            .get_or_init(|| Registry::from_csv(KOMMUNER_CSV, REGIONER_CSV).expect("the bundled registry data is valid"))
    }

    /// Builds a registry from the two CSV files (`kommuner.csv`, `regioner.csv`).
    pub fn from_csv(kommuner_csv: &str, regioner_csv: &str) -> Result<Registry, String> {
        let mut organisations = Vec::new();
        for (line_number, record) in csv_records(kommuner_csv).into_iter().enumerate().skip(1) {
            let [code, name, lan_code, lan_name, org_number, ..] = record.as_slice() else {
                return Err(format!("kommuner.csv line {}: too few columns", line_number + 1));
            };
            if code.len() != 4 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("kommuner.csv line {}: bad kommunkod {code:?}", line_number + 1));
            }
            organisations.push(Organisation {
                code: code.clone(),
                name: name.clone(),
                lan_code: lan_code.clone(),
                lan_name: lan_name.clone(),
                kind: OrganisationKind::Kommun,
                org_number: non_empty(org_number),
            });
        }
        for (line_number, record) in csv_records(regioner_csv).into_iter().enumerate().skip(1) {
            let [code, lan_name, name, org_number, ..] = record.as_slice() else {
                return Err(format!("regioner.csv line {}: too few columns", line_number + 1));
            };
            if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!("regioner.csv line {}: bad länskod {code:?}", line_number + 1));
            }
            // "Region Gotland (Gotlands kommun with regional responsibility)" → "Region Gotland"
            let name = name.split(" (").next().unwrap_or(name).trim().to_string();
            organisations.push(Organisation {
                code: code.clone(),
                name,
                lan_code: code.clone(),
                lan_name: lan_name.clone(),
                kind: OrganisationKind::Region,
                org_number: non_empty(org_number),
            });
        }
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (index, organisation) in organisations.iter().enumerate() {
            if by_code.insert(organisation.code.clone(), index).is_some() {
                return Err(format!("duplicate code {}", organisation.code));
            }
            for key in name_keys(organisation) {
                by_name.entry(key).or_insert(index);
            }
        }
        Ok(Registry { organisations, by_code, by_name })
    }

    /// Every kommun and region, kommuner first in code order.
    pub fn all(&self) -> &[Organisation] {
        &self.organisations
    }

    /// All kommuner (290).
    pub fn kommuner(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter().filter(|o| o.kind == OrganisationKind::Kommun)
    }

    /// All regioner (21).
    pub fn regioner(&self) -> impl Iterator<Item = &Organisation> {
        self.organisations.iter().filter(|o| o.kind == OrganisationKind::Region)
    }

    /// Look-up by kommunkod or länskod.
    pub fn by_code(&self, code: &str) -> Option<&Organisation> {
        self.by_code.get(code).map(|&index| &self.organisations[index])
    }

    /// Look-up by name, case-insensitive, with or without "kommun"/"Region": `Mariestad`,
    /// `mariestads kommun`, `Region Skåne`. A name that is both (Gotland) gives the kommun.
    pub fn by_name(&self, name: &str) -> Option<&Organisation> {
        let key = normalise_name(name);
        if let Some(&index) = self.by_name.get(&key) {
            return Some(&self.organisations[index]);
        }
        let stripped = key.strip_suffix(" kommun").or_else(|| key.strip_suffix("s kommun")).map(str::to_string)?;
        let stripped =
            stripped.strip_suffix('s').map(str::to_string).filter(|s| self.by_name.contains_key(s)).unwrap_or(stripped);
        self.by_name.get(&stripped).map(|&index| &self.organisations[index])
    }

    /// Whether a 2-digit länskod exists.
    pub fn is_lan(&self, lan_code: &str) -> bool {
        self.by_code(lan_code).is_some_and(|o| o.kind == OrganisationKind::Region)
    }
}

fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn normalise_name(name: &str) -> String {
    name.trim().to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn name_keys(organisation: &Organisation) -> Vec<String> {
    let name = normalise_name(&organisation.name);
    let mut keys = vec![name.clone()];
    if organisation.kind == OrganisationKind::Kommun {
        keys.push(format!("{name} kommun"));
        let genitive = if name.ends_with('s') { name.clone() } else { format!("{name}s") };
        keys.push(format!("{genitive} kommun"));
    } else {
        keys.push(normalise_name(&organisation.lan_name));
        if let Some(short) = name.strip_prefix("region ") {
            keys.push(format!("region {short}"));
        }
    }
    keys
}

/// A minimal RFC 4180 reader: comma separated, `"` quoted fields with `""` escapes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => in_quotes = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                if record.iter().any(|f| !f.is_empty()) {
                    records.push(std::mem::take(&mut record));
                }
                record.clear();
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_every_kommun_and_region() {
        let registry = Registry::global();
        assert_eq!(registry.kommuner().count(), 290);
        assert_eq!(registry.regioner().count(), 21);
        assert_eq!(registry.all().len(), 311);
    }

    #[test]
    fn looks_up_by_code() {
        let registry = Registry::global();
        let mariestad = registry.by_code("1493").unwrap();
        assert_eq!(mariestad.name, "Mariestad");
        assert_eq!(mariestad.lan_code, "14");
        assert_eq!(mariestad.kind, OrganisationKind::Kommun);
        assert_eq!(registry.by_code("0114").unwrap().name, "Upplands Väsby");
        assert_eq!(registry.by_code("14").unwrap().name, "Västra Götalandsregionen");
        assert_eq!(registry.by_code("09").unwrap().name, "Region Gotland");
        assert_eq!(registry.by_code("0980").unwrap().name, "Gotland");
        assert!(registry.by_code("9999").is_none());
        assert!(registry.by_code("").is_none());
    }

    #[test]
    fn looks_up_by_name_as_people_write_it() {
        let registry = Registry::global();
        for name in ["Mariestad", "mariestad", "Mariestads kommun", " MARIESTAD  kommun"] {
            assert_eq!(registry.by_name(name).map(|o| o.code.as_str()), Some("1493"), "{name}");
        }
        assert_eq!(registry.by_name("Region Skåne").unwrap().code, "12");
        assert_eq!(registry.by_name("Skåne län").unwrap().code, "12");
        assert_eq!(registry.by_name("Gotland").unwrap().code, "0980");
        assert_eq!(registry.by_name("Region Gotland").unwrap().code, "09");
        assert_eq!(registry.by_name("Upplands Väsby").unwrap().code, "0114");
        assert_eq!(registry.by_name("Borås kommun").unwrap().code, "1490");
        assert!(registry.by_name("Atlantis").is_none());
    }

    #[test]
    fn every_kommun_belongs_to_an_existing_lan() {
        let registry = Registry::global();
        for kommun in registry.kommuner() {
            assert!(registry.is_lan(&kommun.lan_code), "{} has län {}", kommun.name, kommun.lan_code);
        }
    }

    #[test]
    fn reads_quoted_csv_fields() {
        let records = csv_records("a,\"b, c\",\"d \"\"e\"\"\"\n1,2,3\n");
        assert_eq!(records[0], vec!["a", "b, c", "d \"e\""]);
        assert_eq!(records[1], vec!["1", "2", "3"]);
    }
}
