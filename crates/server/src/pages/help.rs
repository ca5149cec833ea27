//! `/hjalp`: how to search, in Swedish — every operator and field the query language has.

use maud::{html, Markup};

use super::layout::page;

/// One row of the syntax table: what to type, what it does, an example search.
const SYNTAX: &[(&str, &str, &str)] = &[
    ("ord", "Handlingar med ordet i alla böjningsformer och som del av sammansatta ord: batterifabrik hittar batterifabriken, batterifabrikens och fabrik för battericeller.", "batterifabrik"),
    ("flera ord", "Handlingar med alla orden först, därefter närliggande träffar med de flesta av dem (märkta Närliggande).", "förskola Hagastaden"),
    ("\"exakt fras\"", "Orden i just den ordningen, småord som om och för inräknade. Finns frasen inte sägs det, och träffar med orden var för sig visas efter (märkta Inte exakt fras).", "\"beslut om bygglov\""),
    ("-ord", "Tar bort allt som ordet ensamt hittar, också andra böjningsformer och kommunen ett ortnamn syftar på.", "batterifabrik -Luleå"),
    ("-\"fras\"", "Tar bort handlingar med frasen.", "bygglov -\"strandskydd\""),
    ("ord OR ord", "Något av orden.", "skolskjuts OR skolskjutsar"),
    ("diarienummer", "Skriv det som du såg det; mellanslag, nollor och skiljetecken spelar ingen roll.", "KS 2023/412"),
    ("kommun:", "En kommun eller region, med namn eller kod.", "bygglov kommun:Luleå"),
    ("lan:", "Ett län: alla dess kommuner och regionen.", "vindkraft lan:Norrbotten"),
    ("namnd:", "En nämnd: hela namnet eller ett ord i det, stora och små bokstäver och å, ä, ö spelar ingen roll.", "bygglov namnd:byggnadsnämnden"),
    ("typ:", "Ärende, anslag eller protokoll.", "detaljplan typ:anslag"),
    ("titel:", "Ordet ska finnas i rubriken.", "titel:medborgarförslag"),
    ("dnr:", "Ett diarienummer, också med mellanslag inom citattecken.", "dnr:\"KS 2023/412\""),
    ("datum:", "Ett år, en månad, en dag eller ett intervall med två punkter.", "budget datum:2024-01..2024-06"),
];

/// The help page.
pub fn help_page() -> Markup {
    let body = html! {
        h1 { "Så söker du" }
        p {
            "Nämndsök söker i ärenden, protokoll och anslag från Sveriges kommuner och regioner. "
            "Skriv ord som du själv skulle uttrycka dig – böjningsformer, sammansatta ord och ord utan å, ä och ö "
            "(forskola hittar förskolan) hittas ändå. Små stavfel rättas när sökningen annars ger få träffar, "
            "och då står det ovanför träffarna."
        }
        table class="help" {
            caption { "Sökuttryck" }
            thead { tr { th scope="col" { "Skriv" } th scope="col" { "Det betyder" } th scope="col" { "Exempel" } } }
            tbody {
                @for (syntax, meaning, example) in SYNTAX {
                    tr {
                        td { code { (syntax) } }
                        td { (meaning) }
                        td { a href={ "/?q=" (namndsok_model::url::encode_component(example)) } { code { (example) } } }
                    }
                }
            }
        }
        h2 { "Antal träffar" }
        p {
            "Antalet träffar är antalet handlingar som matchar hela sökningen, och det är detsamma oavsett sortering. "
            "Sorterar du efter relevans visas därefter närliggande träffar, med antalet angivet. "
            "Sorterar du efter datum visas bara de fullständiga träffarna."
        }
        h2 { "Protokoll och bilagor" }
        p {
            "Texten i protokoll och kungörelser (PDF, Word, OpenDocument) söks också. Varje paragraf (§) i ett protokoll "
            "är en egen träff med länk till rätt sida i originalfilen. Inskannade handlingar tolkas med textigenkänning "
            "(OCR) och är märkta så; där kan ord vara felstavade."
        }
        h2 { "Filter och bevakning" }
        p {
            "Filtren bredvid träffarna gör samma sak som fälten ovan, och båda kan användas samtidigt: då ska båda gälla. "
            "En sökning kan bevakas med e-post eller följas som Atom-flöde; bevakningen följer samma regler som sökningen."
        }
    };
    page("Så söker du – Nämndsök", None, body)
}
