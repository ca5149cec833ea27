//! The vocabulary every other Nämndsök crate speaks.
//!
//! This crate knows what a council document *is* and nothing about how it is stored, searched or
//! served:
//!
//! - [`document`]: Document JSON v1 (the public import/export format) and its validation. A
//!   document that leaves this crate has passed every rule of the contract: required fields,
//!   a known kommun, real dates.
//! - [`registry`]: the 290 kommuner and 21 regioner with their län, shipped inside the binary
//!   (`data/kommuner.csv`, `data/regioner.csv`, from SCB's code list), looked up by code or name.
//! - [`diarienummer`]: case numbers as people and vendor systems write them (`KS 2023/412`,
//!   `Dnr KS2023.412`, `BN 2025-002614`) reduced to one comparable key.
//!
//! - [`ndjson`]: the one NDJSON reader (import files, ingest bodies, file sources): line by
//!   line through the gate above, a bad line rejected alone with its number.
//! - [`personnummer`]: personnummer found (with the Luhn check) and redacted in every field of
//!   every document at ingest.
//!
//! - [`url`]: the one percent-encoding for the URLs we build.
//! - [`time`]: Sweden's clock (Europe/Stockholm from the tz database), the only one.
//!
//! It deliberately has no dependency on tantivy, axum or any I/O beyond parsing strings, so that
//! harvesters, the index and the server can all share it.

pub mod diarienummer;
pub mod document;
pub mod ndjson;
pub mod personnummer;
pub mod registry;
pub mod time;
pub mod url;

pub use diarienummer::CaseNumber;
pub use document::{Document, DocumentError, FileLink, Kind, ParsedLine, TextOrigin};
pub use ndjson::{read_ndjson, LineError, NdjsonLine};
pub use registry::{Organisation, OrganisationKind, Registry};
