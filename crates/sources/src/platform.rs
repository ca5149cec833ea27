//! The registry of platforms: the one list every platform is added to.
//!
//! `platforms!` turns the list at the bottom into [`Platform`] (the name in the catalogue, in
//! document ids and in the `source` field), [`Platform::ALL`], and [`SourceParams`], the
//! catalogue's serde enum tagged by `platform` whose variants are each platform's
//! [`PlatformParams`] — so a `[[source]]` table is checked field by field by the platform it
//! names, and the harvester gets the platform's adapter from it without a match of its own.

use serde::Deserialize;

use crate::adapter::{PassContext, PlatformParams, Problem, SourceAdapter};
use crate::{ciceron, file, meetingsplus, netpublicator, sitevision, wordpress};

macro_rules! platforms {
    ($($(#[$doc:meta])* $variant:ident($params:ty) = $name:literal,)*) => {
        /// The platforms there is an adapter for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Platform {
            $($(#[$doc])* $variant,)*
        }

        impl Platform {
            /// Every platform, in registry order.
            pub const ALL: &'static [Platform] = &[$(Platform::$variant,)*];

            /// The name used in the catalogue, in document ids and in the `source` field.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Platform::$variant => $name,)*
                }
            }

            /// The platform of this name.
            pub fn from_name(name: &str) -> Option<Platform> {
                Platform::ALL.iter().copied().find(|platform| platform.as_str() == name)
            }

            /// Whether sources of this platform are on the web and need `kommun` and `url`.
            pub fn is_remote(self) -> bool {
                match self {
                    $(Platform::$variant => <$params as PlatformParams>::REMOTE,)*
                }
            }
        }

        /// A source's platform and the params of that platform: the `platform` field of a
        /// `[[source]]` table and the fields that platform takes.
        #[derive(Debug, Clone, PartialEq, Deserialize)]
        #[serde(tag = "platform")]
        pub enum SourceParams {
            $(#[serde(rename = $name)] $variant($params),)*
        }

        impl SourceParams {
            pub fn platform(&self) -> Platform {
                match self {
                    $(SourceParams::$variant(_) => Platform::$variant,)*
                }
            }

            /// What is wrong with the params' values.
            pub fn check(&self) -> Vec<Problem> {
                match self {
                    $(SourceParams::$variant(params) => params.check(),)*
                }
            }

            /// The adapter that walks one pass over the source.
            pub fn adapter(&self, pass: PassContext) -> Box<dyn SourceAdapter> {
                debug_assert_eq!(pass.source.platform, self.platform().as_str());
                match self {
                    $(SourceParams::$variant(params) => params.adapter(pass),)*
                }
            }
        }
    };
}

platforms! {
    /// Formpipe Meetings Plus ([`meetingsplus`]).
    MeetingsPlus(meetingsplus::MeetingsPlusParams) = "meetingsplus",
    /// Netpublicator ([`netpublicator`]).
    Netpublicator(netpublicator::NetpublicatorParams) = "netpublicator",
    /// Ciceron ([`ciceron`]).
    Ciceron(ciceron::CiceronParams) = "ciceron",
    /// Sitevision ([`sitevision`]).
    Sitevision(sitevision::SitevisionParams) = "sitevision",
    /// WordPress and Municipio ([`wordpress`]).
    WordPress(wordpress::WordPressParams) = "wordpress",
    /// A local NDJSON file ([`file`](mod@file)).
    File(file::FileParams) = "file",
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
