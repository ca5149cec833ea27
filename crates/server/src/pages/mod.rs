//! The HTML of the web pages, one module per page, from maud templates: every value spliced
//! into a template is escaped, so text from sources (untrusted) can only ever show as text.
//! Two things are passed through unescaped, each marked `PreEscaped` where it happens: the
//! search snippet (the index escapes the document's text and adds only its own `<mark>` tags)
//! and the fixed doctype line.
//!
//! These modules only render: the handlers that read requests, run searches and choose status
//! codes are [`crate::web`] and [`crate::alert_pages`], which both depend on this module and
//! not on each other's internals.
//!
//! - [`layout`]: the page frame (head, header, footer), the stylesheet, the security headers
//!   (Content-Security-Policy), URL helpers and the HTML response with its cache header.
//! - [`search`]: `/`, the search form, filters, results, paging and the kommun map.
//! - [`document`]: `/d/{id}`, one document and the other documents of its case.
//! - [`status`]: `/status`, data freshness and harvest health.
//! - [`alerts`]: the e-mail alert form under a search and the pages of `/bevaka`,
//!   `/confirm/{token}` and `/unsubscribe/{token}`.
//! - [`errors`]: the pages for failures and missing things.

pub mod alerts;
pub mod document;
pub mod errors;
pub mod help;
pub mod layout;
pub mod search;
pub mod status;
