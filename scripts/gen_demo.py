#!/usr/bin/env python3
"""Generate seeded demo data for Nämndsök: demo/documents.jsonl (Document JSON v1).

Run from anywhere:  python3 scripts/gen_demo.py

Standard library only and fully deterministic: one random.Random(20261127), every
iteration over lists (never over sets), no clock. The same script always writes the
same bytes.

What it writes: about 6,000 invented council documents (ärenden, anslag, protokoll)
for all 290 kommuner and 21 regioner. Most come in chains that share one diarienummer:
an ärende is registered, a protokoll paragraph decides it and an anslag announces the
justerat protokoll (or the kungörelse). A battery-factory storyline runs through six
kommuner, and a handful of documents carry tricky text (HTML, English, Finnish) to
exercise escaping and language handling. All names of companies, properties and areas
are invented; no real persons appear.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import re
import sys
import zlib
from pathlib import Path

SEED = 20261127
TOTAL_DOCUMENTS = 6000
START = dt.date(2019, 1, 1)
END = dt.date(2026, 11, 20)

ROOT = Path(__file__).resolve().parent.parent
KOMMUNER_CSV = ROOT / "crates" / "model" / "data" / "kommuner.csv"
REGIONER_CSV = ROOT / "crates" / "model" / "data" / "regioner.csv"
OUTPUT = ROOT / "demo" / "documents.jsonl"

# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]

AREA_HEADS = ["Björk", "Lind", "Ek", "Gran", "Sol", "Norr", "Söder", "Väster", "Öster", "Kvarn",
              "Hag", "Berg", "Strand", "Äng", "Sjö", "Tall", "Rönn", "Ljung", "Hammar", "Hassel",
              "Al", "Ås", "Mo", "Kull", "Sand"]
AREA_TAILS = ["dalen", "åsen", "backen", "hagen", "viken", "ängen", "udden", "lunden", "berget",
              "höjden", "slätten", "näset", "vallen", "torpet", "hamnen"]
STREET_TAILS = ["gatan", "vägen", "stigen", "allén", "gränd"]
TRACTS = ["Hjälmen", "Svärdet", "Spettet", "Lärkan", "Bofinken", "Tallen", "Rönnen", "Ekorren",
          "Kvarnen", "Smedjan", "Verkstaden", "Plogen", "Harven", "Näktergalen", "Skatan",
          "Uttern", "Bävern", "Mården", "Göken", "Tranan", "Sländan", "Vallmon", "Kronan",
          "Ankaret", "Lotsen", "Sågen", "Hyveln", "Gjuteriet"]
PRESCHOOLS = ["Solrosen", "Blåklinten", "Humlan", "Myran", "Ugglan", "Nyckelpigan", "Trollet",
              "Vitsippan", "Lingonet", "Regnbågen", "Kotten", "Snäckan"]
CARE_HOMES = ["Lindgården", "Solgården", "Ekbacken", "Tallgården", "Björkhagen", "Rosengården",
              "Strandgården", "Hemgården", "Västergården", "Sjögläntan", "Äppelgården"]
LAKES = ["Stora Ekesjön", "Lillsjön", "Mjösjön", "Holmsjön", "Kvarnsjön", "Svartsjön", "Långsjön",
         "Bysjön", "Norrsjön", "Gäddtjärnen", "Hultasjön"]
RESTAURANTS = ["Restaurang Kvarnen", "Hamnkrogen", "Bistro Torget", "Pizzeria Centrum",
               "Golfkrogen", "Café Ängen", "Pub Ankaret", "Restaurang Sjöboden", "Stadshotellets krog",
               "Sushibaren Vågen", "Grillhuset"]
COMPANY_PATTERNS = ["Fastighets AB {A}", "{A} Bygg AB", "{A} Fastigheter AB", "Bostads AB {T}",
                    "Brf {A}", "{A} Energi AB", "Byggnadsfirma {T} AB", "{T} Invest AB",
                    "Fastighets AB Exempel", "{T} Förvaltning AB", "Entreprenad {T} AB",
                    "{A} Logistik AB"]
PARTIES = [("Socialdemokraterna", "S"), ("Moderaterna", "M"), ("Sverigedemokraterna", "SD"),
           ("Centerpartiet", "C"), ("Vänsterpartiet", "V"), ("Kristdemokraterna", "KD"),
           ("Liberalerna", "L"), ("Miljöpartiet", "MP")]
MOTIONS_KOMMUN = [
    "fler laddplatser för elbilar vid kommunens anläggningar", "gratis kollektivtrafik för pensionärer",
    "solceller på kommunens fastigheter", "en hundrastgård i centrum", "bättre belysning längs gång- och cykelvägarna",
    "skolmåltidernas kvalitet", "en ny konstgräsplan", "minskad sjukfrånvaro i äldreomsorgen",
    "en fritidsbank", "pollinerande ängar på kommunens mark", "trygghetskameror i centrum",
    "förlängda öppettider på biblioteken", "avgiftsfria sommarlovsaktiviteter", "heltid som norm i vård och omsorg",
    "en utomhusgym vid sjön", "tvåspråkiga skyltar", "fler bostäder för unga", "nolltolerans mot klotter",
    "kameraövervakning av återvinningsstationerna", "simundervisning för vuxna",
]
MOTIONS_REGION = [
    "fler vårdplatser på länets sjukhus", "avgiftsfri kollektivtrafik för unga", "minskat beroende av hyrpersonal",
    "tandvård för äldre", "nattöppen akutmottagning i länets norra del", "kortare vårdköer inom ortopedin",
    "regional satsning på cykelturism", "förlossningsvårdens tillgänglighet", "psykisk hälsa bland unga",
    "fler nattåg i länet",
]
CITIZEN_PROPOSALS = [
    "en lekplats i {omr}", "farthinder på {gata}", "belysning vid badplatsen i {omr}",
    "en boulebana vid {boende}", "hundlatriner längs promenadstråket", "en skatepark i {omr}",
    "fler parkbänkar i centrum", "bevarande av skogen vid {omr}", "en ny busshållplats på {gata}",
    "julbelysning på torget", "återvinningsstation i {omr}", "en grillplats vid {sjo}",
]
PROCUREMENTS = [
    "livsmedel till kommunens kök", "skolskjutstrafik", "vinterväghållning", "städtjänster",
    "ramavtal för byggentreprenader", "IT-drift och supporttjänster", "hemtjänstens bilar",
    "ramavtal för konsulttjänster inom samhällsbyggnad", "kontorsmaterial", "drift av fritidsgårdar",
    "färdtjänst", "el till kommunens anläggningar",
]
INFO_TOPICS = ["sommarens verksamhet", "läget i förskoleverksamheten", "arbetsmiljöarbetet",
               "sjukfrånvaron", "ny organisation för förvaltningen", "det ekonomiska läget",
               "pågående upphandlingar", "lokalförsörjningen", "trygghetsarbetet i centrum",
               "krisberedskapen inför vintern"]

# Region-specific vocabulary: domains for each region's website.
REGION_DOMAINS = {
    "01": "www.regionstockholm.se", "03": "www.regionuppsala.se", "04": "www.regionsormland.se",
    "05": "www.regionostergotland.se", "06": "www.rjl.se", "07": "www.regionkronoberg.se",
    "08": "www.regionkalmar.se", "09": "www.gotland.se", "10": "www.regionblekinge.se",
    "12": "www.skane.se", "13": "www.regionhalland.se", "14": "www.vgregion.se",
    "17": "www.regionvarmland.se", "18": "www.regionorebrolan.se", "19": "www.regionvastmanland.se",
    "20": "www.regiondalarna.se", "21": "www.regiongavleborg.se", "22": "www.rvn.se",
    "23": "www.regionjh.se", "24": "www.regionvasterbotten.se", "25": "www.norrbotten.se",
}

# Places used in region documents when the län has a single kommun.
REGION_PLACES = {"09": ["Visby", "Hemse", "Slite", "Klintehamn", "Roma"]}

# Larger kommuner get more documents (extra documents before scaling; the rest get 0–10).
BIG_KOMMUNER = {
    "0180": 260, "1480": 220, "1280": 170, "0380": 130, "0580": 90, "1880": 90, "1980": 90,
    "1283": 80, "0581": 80, "0680": 80, "2480": 75, "1281": 70, "1490": 65, "2281": 55,
    "2180": 55, "0484": 55, "1780": 55, "0780": 50, "0182": 45, "0126": 40, "1380": 45,
    "2580": 45, "2482": 45, "2081": 40, "2080": 40, "0880": 40, "1290": 40, "1080": 35,
    "1488": 35, "1493": 35, "1496": 30, "1384": 35, "0184": 35, "0181": 40, "0127": 35,
    "0136": 35, "0188": 30, "0480": 30, "0980": 35, "2380": 40, "1383": 30, "0123": 25,
    "0160": 25, "1481": 30, "2584": 20,
}
BIG_REGIONER = {"01": 22, "14": 22, "12": 18, "05": 10, "03": 8}

# Role → organ name. Kommuner vary (combined or split bygg/miljö etc.), see make_entity().
ORGAN_PREFIX = {
    "Kommunstyrelsen": "KS", "Kommunfullmäktige": "KS", "Kommunstyrelsens arbetsutskott": "KS",
    "Barn- och utbildningsnämnden": "BUN", "Utbildningsnämnden": "UN", "Socialnämnden": "SN",
    "Vård- och omsorgsnämnden": "VON", "Tekniska nämnden": "TN", "Samhällsbyggnadsnämnden": "SBN",
    "Kultur- och fritidsnämnden": "KFN", "Bygg- och miljönämnden": "BMN", "Byggnadsnämnden": "BN",
    "Miljö- och hälsoskyddsnämnden": "MHN", "Valnämnden": "VN", "Stadsbyggnadsnämnden": "SBN",
    "Miljö- och klimatnämnden": "MKN", "Fastighetsnämnden": "FN", "Exploateringsnämnden": "EXN",
    "Regionstyrelsen": "RS", "Regionfullmäktige": "RS", "Regionstyrelsens arbetsutskott": "RS",
    "Hälso- och sjukvårdsnämnden": "HSN", "Kollektivtrafiknämnden": "KTN",
    "Regionala utvecklingsnämnden": "RUN",
}
# The same diaria in another kommun's spelling ("BoM 2026-000840", "SOC 2023/12").
ORGAN_PREFIX_ALT = {
    "Bygg- och miljönämnden": "BoM", "Socialnämnden": "SOC", "Tekniska nämnden": "TEK",
    "Kultur- och fritidsnämnden": "KoF", "Miljö- och hälsoskyddsnämnden": "MHN",
    "Samhällsbyggnadsnämnden": "SBN", "Vård- och omsorgsnämnden": "VoO",
}
# One-letter diaria ("B 2026-000041", "S 2019-0043"). Never "V": the parser reads it as a word.
ORGAN_LETTER = {
    "Kommunstyrelsen": "KS", "Kommunfullmäktige": "KS", "Kommunstyrelsens arbetsutskott": "KS",
    "Barn- och utbildningsnämnden": "U", "Utbildningsnämnden": "U", "Socialnämnden": "S",
    "Vård- och omsorgsnämnden": "S", "Tekniska nämnden": "T", "Samhällsbyggnadsnämnden": "T",
    "Kultur- och fritidsnämnden": "F", "Bygg- och miljönämnden": "B", "Byggnadsnämnden": "B",
    "Miljö- och hälsoskyddsnämnden": "M", "Valnämnden": "VN", "Stadsbyggnadsnämnden": "B",
    "Miljö- och klimatnämnden": "M", "Fastighetsnämnden": "FN", "Exploateringsnämnden": "E",
    "Regionstyrelsen": "RS", "Regionfullmäktige": "RS", "Regionstyrelsens arbetsutskott": "RS",
    "Hälso- och sjukvårdsnämnden": "H", "Kollektivtrafiknämnden": "K",
    "Regionala utvecklingsnämnden": "R",
}
# Diarienummer styles: (name, prefix table or None, format). Each organisation uses one.
DNR_STYLES = [
    ("slash", ORGAN_PREFIX, "{p} {y}/{n}"),            # KS 2023/412, BUN 2022/87
    ("dnr-slash", ORGAN_PREFIX, "Dnr {p} {y}/{n}"),    # Dnr KS 2018/124
    ("dot", ORGAN_PREFIX, "{p}{y}.{n}"),               # KS2023.412
    ("dash6", ORGAN_PREFIX, "{p} {y}-{n:06d}"),        # BN 2025-002614
    ("dash6-alt", ORGAN_PREFIX_ALT, "{p} {y}-{n:06d}"),  # BoM 2026-000840
    ("letter6", ORGAN_LETTER, "{p} {y}-{n:06d}"),      # B 2026-000041
    ("letter4", ORGAN_LETTER, "{p} {y}-{n:04d}"),      # S 2019-0043
    ("bare", None, "{y}/{n}"),                         # 2023/1234
    ("slash-alt", ORGAN_PREFIX_ALT, "{p} {y}/{n}"),    # SOC 2022/87
]
DNR_STYLE_WEIGHTS = [24, 12, 8, 10, 8, 6, 6, 12, 8]

# ---------------------------------------------------------------------------------------
# Topic templates
#
# A topic is one kind of council matter. Its variants keep a case coherent: a case picks
# one variant and takes its title, background and decision from that variant only.
#
#   k  key          s  scope: "k" kommun, "r" region, "b" both
#   r  roles that register the ärende        d  roles that decide it (protokoll)
#   w  weight       b  background sentences shared by all variants
#   v  variants: V(titles, sentences, decision clauses, notice)
#      ("... beslutar att <clause>"; the first clause is the usual outcome). notice=True lets
#      the topic's kungörelse (at/ab) announce the usual outcome; otherwise an anslag is a
#      "justerat protokoll" notice.
#   lovtyp/atgard  words used by the bygglov kungörelse
# Placeholders are filled by case_context(); an unknown name fails loudly.
# ---------------------------------------------------------------------------------------


def V(titles: list[str], sentences: list[str], clauses: list[str], notice: bool = False) -> dict:
    return {"t": titles, "b": sentences, "c": clauses, "n": notice}


KUNGORELSE_BYGGLOV_AB = [
    "{Organ} har den {mdatum} beviljat {lovtyp} för {atgard} på fastigheten {fast}.",
    "Sökande: {bolag}.",
    "Beslutet har kungjorts i Post- och Inrikes Tidningar.",
    "Handlingarna finns tillgängliga hos {forv}.",
    "Den som vill överklaga beslutet ska skriva till {organ_l}, som skickar överklagandet vidare till länsstyrelsen.",
]

TOPICS = [
    # --- Planering och byggande ---------------------------------------------------------
    dict(k="detaljplan-bostader", s="k", r=["BYGG", "KS"], d=["BYGG", "KF"], w=3,
         b=["Syftet med detaljplanen är att möjliggöra cirka {bost} nya bostäder i form av flerbostadshus och radhus.",
            "Planområdet ligger i {omr_gen} norra del och omfattar fastigheten {fast} m.fl.",
            "Detaljplanen bedöms vara förenlig med översiktsplanens intentioner om förtätning i kollektivtrafiknära lägen.",
            "Planarbetet bekostas av exploatören enligt tecknat planavtal."],
         v=[V(["Detaljplan för bostäder i {omr}", "Detaljplan för {fast} m.fl., {omr}",
               "Antagande av detaljplan för nya bostäder vid {gata}"],
              ["Planförslaget har reviderats efter granskningen och en kompletterande dagvattenutredning har tagits fram.",
               "Under granskningen inkom {antal} yttranden, bland annat om trafiksäkerheten på {gata}.",
               "Detaljplanens genomförande bedöms inte medföra betydande miljöpåverkan."],
              ["anta detaljplan för bostäder i {omr}", "anta detaljplanen med de ändringar som redovisas i granskningsutlåtandet"], True),
            V(["Samråd om detaljplan för {omr} etapp 2", "Detaljplan för bostäder i {omr} – samrådshandling"],
              ["Ett planförslag har tagits fram och kan skickas ut på samråd.",
               "Planförslaget redovisar en ny lokalgata och en park i områdets mitt."],
              ["sända ut planförslaget på samråd"]),
            V(["Planuppdrag för bostäder i {omr}", "Uppdrag att upprätta detaljplan för {fast}"],
              ["Området pekas ut i översiktsplanen som lämpligt för bostäder.",
               "Ett planprogram bedöms inte vara nödvändigt."],
              ["ge {forv} i uppdrag att upprätta detaljplan för området"])],
         at=["Kungörelse: antagen detaljplan för {omr}", "Underrättelse om antagande av detaljplan, {fast} m.fl.",
             "Antagande av detaljplan för bostäder i {omr}"],
         ab=["{Organ} antog den {mdatum} detaljplan för bostäder i {omr} ({fast} m.fl.).",
             "Detaljplanen möjliggör cirka {bost} nya bostäder.",
             "Planhandlingarna finns tillgängliga hos {forv} och på {hms} webbplats.",
             "Beslutet kan överklagas till mark- och miljödomstolen av den som senast under granskningstiden lämnat skriftliga synpunkter som inte blivit tillgodosedda."]),
    dict(k="detaljplan-verksamhet", s="k", r=["BYGG", "KS"], d=["BYGG", "KF"], w=2,
         b=["Detaljplanen syftar till att pröva markens lämplighet för lager, logistik och småindustri.",
            "Planområdet angränsar till {gata} och nås via befintlig infart.",
            "En bullerutredning och en naturvärdesinventering ingår i planhandlingarna."],
         v=[V(["Detaljplan för verksamhetsområde vid {omr}", "Ändring av detaljplan för {fast}, industriändamål",
               "Detaljplan för handelsområdet i {omr}"],
              ["Gällande detaljplan från 1970-talet medger inte den efterfrågade byggrätten.",
               "Detaljplanens genomförandetid föreslås till tio år."],
              ["anta detaljplanen"], True),
            V(["Samråd om detaljplan för verksamhetsområde vid {omr}"],
              ["Ett flertal företag har visat intresse för etablering i området."],
              ["sända ut planförslaget på samråd"])],
         at=["Kungörelse: antagen detaljplan för verksamhetsområde vid {omr}"],
         ab=["{Organ} antog den {mdatum} detaljplan för verksamhetsområde vid {omr}.",
             "Planen ger byggrätt för industri, lager och kontor.",
             "Planhandlingarna finns tillgängliga hos {forv}.",
             "Beslutet kan överklagas till mark- och miljödomstolen."]),
    dict(k="planbesked", s="k", r=["BYGG"], d=["BYGG", "KSAU"], w=2,
         b=["Sökanden, {bolag}, vill pröva möjligheten att uppföra flerbostadshus på fastigheten {fast}.",
            "Fastigheten omfattas av en detaljplan som anger småindustri.",
            "Planbeskedet avgiftsbeläggs enligt plan- och bygglovstaxan."],
         v=[V(["Ansökan om planbesked för {fast}", "Planbesked för nya bostäder på {fast}"],
              ["Förvaltningen bedömer att åtgärden är lämplig med hänsyn till översiktsplanens inriktning.",
               "Ett positivt planbesked innebär inte att detaljplanen kommer att antas."],
              ["lämna positivt planbesked för {fast}"]),
            V(["Begäran om planbesked, {fast} i {omr}"],
              ["Förvaltningen bedömer att bostäder inte är lämpliga intill befintlig industri.",
               "Åtgärden strider mot översiktsplanens inriktning för området."],
              ["lämna negativt planbesked för {fast}"])]),
    dict(k="bygglov-enbostadshus", s="k", r=["BYGG"], d=["BYGG"], w=4,
         lovtyp="bygglov", atgard="nybyggnad av enbostadshus",
         b=["Fastigheten {fast} ligger utanför detaljplanelagt område.", "Sökande: {bolag}."],
         v=[V(["Ansökan om bygglov för nybyggnad av enbostadshus, {fast}",
               "Bygglov för nybyggnad av enbostadshus och garage, {fast}",
               "Bygglovsansökan: nybyggnad av enbostadshus i {omr}"],
              ["Ansökan avser nybyggnad av ett enbostadshus i ett plan om {bya} kvadratmeter byggnadsarea.",
               "Berörda grannar har getts tillfälle att yttra sig utan att erinringar har kommit in.",
               "Bygglovsansökan bedöms uppfylla kraven i 9 kap. 31 § plan- och bygglagen.",
               "Byggnaden placeras minst 4,5 meter från tomtgräns."],
              ["bevilja bygglov för nybyggnad av enbostadshus på {fast}"], True),
            V(["Ansökan om bygglov för nybyggnad av fritidshus, {fast}"],
              ["Platsen bedöms olämplig med hänsyn till risken för översvämning.",
               "Berörda grannar har lämnat {antal_small} erinringar mot ansökan.",
               "Åtgärden bedöms påtagligt försvåra jordbruksdriften på intilliggande mark."],
              ["avslå ansökan om bygglov"])],
         at=["Kungörelse om beviljat bygglov, {fast}", "Beviljat bygglov: nybyggnad av enbostadshus på {fast}",
             "Underrättelse om beslut – bygglov {fast}"],
         ab=KUNGORELSE_BYGGLOV_AB),
    dict(k="bygglov-tillbyggnad", s="k", r=["BYGG"], d=["BYGG"], w=3,
         lovtyp="bygglov", atgard="tillbyggnad",
         b=["Sökande: {bolag}.", "Ansökan avser tillbyggnad med {kvm_small} kvadratmeter."],
         v=[V(["Tillbyggnad av enbostadshus, {fast}", "Bygglov för tillbyggnad av flerbostadshus, {fast}",
               "Tillbyggnad av industribyggnad på {fast}"],
              ["Tillbyggnaden placeras delvis på mark som inte får bebyggas enligt detaljplanen.",
               "Avvikelsen bedöms som liten och förenlig med detaljplanens syfte."],
              ["bevilja bygglov för tillbyggnad på {fast}"], True),
            V(["Ansökan om bygglov i efterhand för tillbyggnad av komplementbyggnad, {fast}"],
              ["Tillbyggnaden har påbörjats innan bygglov beviljats, varför byggsanktionsavgift ska tas ut.",
               "Byggsanktionsavgiften beräknas enligt plan- och byggförordningen."],
              ["bevilja bygglov i efterhand och ta ut en byggsanktionsavgift om {tkr} kronor"], True)],
         at=["Kungörelse om beviljat bygglov för tillbyggnad, {fast}"],
         ab=KUNGORELSE_BYGGLOV_AB),
    dict(k="strandskydd", s="k", r=["BYGG", "MILJO"], d=["BYGG", "MILJO"], w=2,
         lovtyp="strandskyddsdispens", atgard="brygga och bastu",
         b=["Åtgärden ligger inom strandskyddat område, 100 meter från {sjo}.", "Sökande: {bolag}."],
         v=[V(["Strandskyddsdispens för brygga och bastu på {fast}", "Ansökan om strandskyddsdispens, {fast} vid {sjo}"],
              ["Sökanden åberopar att platsen redan tagits i anspråk på ett sätt som gör att den saknar betydelse för strandskyddets syften.",
               "Den fria passagen längs stranden bedöms kunna säkerställas.",
               "Länsstyrelsen prövar om beslutet om strandskyddsdispens ska överprövas."],
              ["bevilja strandskyddsdispens för {fast} med tomtplatsavgränsning enligt bifogad karta"], True),
            V(["Ansökan om strandskyddsdispens för bastu vid {sjo}"],
              ["Platsen är i dag allemansrättsligt tillgänglig.",
               "Inget särskilt skäl för dispens bedöms föreligga."],
              ["avslå ansökan om strandskyddsdispens"])],
         at=["Kungörelse: strandskyddsdispens för {fast}"],
         ab=KUNGORELSE_BYGGLOV_AB),
    dict(k="rivningslov", s="k", r=["BYGG"], d=["BYGG"], w=2,
         lovtyp="rivningslov", atgard="rivning av byggnad",
         b=["Sökande: {bolag}."],
         v=[V(["Rivningslov för industribyggnad på {fast}", "Ansökan om rivningslov, {fast}",
               "Rivning av ekonomibyggnad, {fast}"],
              ["Ansökan avser rivning av en byggnad uppförd under 1950-talet.",
               "Byggnaden bedöms inte ha sådant kulturhistoriskt värde att den omfattas av rivningsförbud.",
               "En kontrollplan för rivningsavfall ska lämnas in före det tekniska samrådet."],
              ["bevilja rivningslov för {fast}"], True)],
         at=["Kungörelse om beviljat rivningslov, {fast}"],
         ab=KUNGORELSE_BYGGLOV_AB),
    dict(k="tillsyn-bygg", s="k", r=["BYGG"], d=["BYGG"], w=1,
         b=["Fastighetsägaren har kommunicerats och getts möjlighet att yttra sig."],
         v=[V(["Byggsanktionsavgift för olovligt byggande på {fast}", "Tillsyn av olovligt uppförd komplementbyggnad, {fast}"],
              ["Förvaltningen har vid platsbesök konstaterat att en byggnad uppförts utan bygglov.",
               "Byggsanktionsavgiften beräknas enligt plan- och byggförordningen."],
              ["ta ut byggsanktionsavgift om {tkr} kronor av fastighetsägaren"]),
            V(["Föreläggande att åtgärda ovårdad tomt, {fast}"],
              ["Tomten bedöms vara ovårdad och utgöra fara för barn som vistas i området.",
               "Fastighetsägaren har inte följt tidigare uppmaningar."],
              ["förelägga fastighetsägaren att inom tre månader städa tomten", "förelägga fastighetsägaren att städa tomten vid ett vite om {tkr} kronor"])]),
    dict(k="oversiktsplan", s="k", r=["KS"], d=["KS", "KF"], w=1,
         b=["Översiktsplanen anger inriktningen för mark- och vattenanvändningen i hela {hm}."],
         v=[V(["Översiktsplan för {kommun} 2040", "Antagande av ny översiktsplan"],
              ["Översiktsplanens strategier bygger på förtätning, levande landsbygd och hållbara transporter.",
               "Länsstyrelsen har lämnat ett granskningsyttrande över översiktsplanen."],
              ["anta översiktsplan för {kommun}"]),
            V(["Samråd om ny översiktsplan", "Översiktsplan för {kommun} 2040 – samrådsförslag"],
              ["Under samrådet har {antal} synpunkter kommit in från myndigheter, föreningar och enskilda.",
               "Förslaget har bearbetats utifrån synpunkterna."],
              ["ställa ut förslaget till översiktsplan för granskning"]),
            V(["Aktualitetsprövning av översiktsplanen", "Planeringsstrategi för mandatperioden"],
              ["Enligt plan- och bygglagen ska fullmäktige varje mandatperiod pröva om översiktsplanen är aktuell.",
               "En planeringsstrategi har tagits fram."],
              ["anta planeringsstrategin och förklara att översiktsplanen är aktuell i sin helhet"]),
            V(["Fördjupad översiktsplan för {omr}"],
              ["Den fördjupade översiktsplanen pekar ut utbyggnadsområden för {bost} bostäder.",
               "Planen omfattar även en ny skola och ett grönstråk."],
              ["anta den fördjupade översiktsplanen för {omr}", "sända ut den fördjupade översiktsplanen på samråd"])]),
    dict(k="markanvisning", s="k", r=["KS", "MARK"], d=["KS", "MARK"], w=2,
         v=[V(["Markanvisningsavtal med {bolag} för {omr}", "Markanvisning för bostäder vid {gata}"],
              ["Markanvisningen avser cirka {kvm} kvadratmeter kommunal mark i {omr}.",
               "{bolag} har valts ut efter en anbudstävling där gestaltning och pris vägts samman.",
               "Markanvisningsavtalet gäller i två år och kan förlängas ett år.",
               "Köpeskillingen uppgår till {belopp}."],
              ["godkänna markanvisningsavtal med {bolag}"]),
            V(["Markanvisningspolicy för {org}", "Riktlinjer för markanvisningar"],
              ["Markanvisningspolicyn anger hur {hm} fördelar mark till byggaktörer.",
               "Riktlinjer för markanvisningar krävs enligt lag.",
               "Policyn ska bidra till konkurrens och variation i bostadsbyggandet."],
              ["anta markanvisningspolicyn"])]),
    dict(k="exploateringsavtal", s="k", r=["KS", "MARK"], d=["KS", "KF"], w=1,
         v=[V(["Exploateringsavtal för {omr}", "Exploateringsavtal med {bolag} avseende {fast}"],
              ["Exploateringsavtalet reglerar ansvar och kostnader för utbyggnad av gator, VA och parkmark.",
               "Exploatören bekostar utbyggnaden av allmän platsmark inom planområdet.",
               "Exploateringskalkylen visar ett överskott om {belopp}.",
               "Avtalet är ett villkor för att detaljplanen ska kunna antas."],
              ["godkänna exploateringsavtalet för {omr}"])]),
    dict(k="mark", s="k", r=["KS", "MARK"], d=["KS", "KSAU"], w=2,
         v=[V(["Förvärv av fastigheten {fast}"],
              ["Fastigheten {fast} är strategiskt belägen för {hms} framtida utveckling.",
               "Köpeskillingen uppgår till {belopp} enligt oberoende värdering."],
              ["förvärva fastigheten {fast} för {belopp}"]),
            V(["Försäljning av kommunal mark vid {omr}", "Försäljning av del av {fast}"],
              ["Köparen är {bolag}, som avser att uppföra en verksamhetsbyggnad.",
               "Köpeskillingen uppgår till {belopp} enligt oberoende värdering."],
              ["sälja del av {fast} till {bolag}"]),
            V(["Arrendeavtal för {fast}"],
              ["Arrendeavtalet löper på fem år med automatisk förlängning.", "Marken används i dag för odling."],
              ["godkänna arrendeavtalet"]),
            V(["Markbyte med {bolag} i {omr}"],
              ["Markbytet möjliggör en bättre arrondering av industriområdet.", "Ingen mellanskillnad ska betalas."],
              ["godkänna avtalet om markbyte"])]),
    # --- Skola och förskola -------------------------------------------------------------
    dict(k="forskola-ny", s="k", r=["UTB", "KS"], d=["UTB", "KS", "KF"], w=2,
         b=["Befolkningsprognosen visar att antalet barn i förskoleålder ökar i {omr_gen} skolområde."],
         v=[V(["Ny förskola i {omr}", "Nybyggnation av förskola i {omr}", "Lokalförsörjning för förskoleverksamheten i {omr}"],
              ["Förskoleverksamheten i {omr} har i dag köer och flera avdelningar finns i tillfälliga paviljonger.",
               "Den nya förskolan planeras för åtta avdelningar och cirka {barn} barn.",
               "Investeringen beräknas till {belopp}.",
               "Förskolans placering har valts med hänsyn till trafiksäkerhet och närhet till naturmark."],
              ["ge {forv} i uppdrag att projektera en ny förskola i {omr}", "godkänna investeringen i en ny förskola i {omr}"]),
            V(["Investeringsbeslut för förskolan {forskola}"],
              ["Förskolan {forskola} ersätter två äldre förskolor.", "Investeringen beräknas till {belopp}."],
              ["godkänna investeringen i förskolan {forskola}"])]),
    dict(k="skolskjuts", s="k", r=["UTB"], d=["UTB"], w=2,
         v=[V(["Riktlinjer för skolskjuts", "Revidering av skolskjutsreglementet", "Skolskjuts vid växelvis boende"],
              ["Skolskjuts beviljas elever i grundskolan när avståndet mellan hem och skola överstiger angivna gränser.",
               "De nya riktlinjerna för skolskjuts gäller från läsåret {ar}–{ar1}.",
               "Elever med växelvis boende omfattas nu av riktlinjerna."],
              ["anta reviderade riktlinjer för skolskjuts"]),
            V(["Omprövning av beslut om skolskjuts", "Begäran om skolskjuts av trafiksäkerhetsskäl"],
              ["Vårdnadshavaren har begärt omprövning av beslutet om avslag på skolskjuts.",
               "Trafiksäkerheten längs {gata} har bedömts av tekniska förvaltningen."],
              ["avslå begäran om omprövning", "bevilja skolskjuts under innevarande läsår"])]),
    dict(k="elevhalsa", s="k", r=["UTB"], d=["UTB"], w=1,
         b=["Elevhälsan består av skolsköterskor, skolkuratorer, skolpsykologer och specialpedagoger."],
         v=[V(["Elevhälsans verksamhetsplan {ar}"],
              ["Elevhälsans arbete ska i första hand vara förebyggande och hälsofrämjande."],
              ["godkänna elevhälsans verksamhetsplan"]),
            V(["Rapport om elevhälsa och skolfrånvaro"],
              ["Den problematiska skolfrånvaron har ökat under de senaste läsåren.",
               "Rapporten visar att {proc} procent av eleverna har hög frånvaro."],
              ["lägga rapporten till handlingarna"]),
            V(["Handlingsplan för ökad närvaro i grundskolan"],
              ["Den problematiska skolfrånvaron har ökat under de senaste läsåren.",
               "Handlingsplanen innehåller rutiner för tidig upptäckt av frånvaro."],
              ["anta handlingsplanen för ökad närvaro"])]),
    dict(k="gymnasie-program", s="k", r=["UTB"], d=["UTB", "KF"], w=1,
         v=[V(["Gymnasieskolans programutbud läsåret {ar1}–{ar2}", "Förändrat programutbud vid {kommun_gen} gymnasieskola"],
              ["Programutbudet ses över årligen utifrån elevernas sökmönster och arbetsmarknadens behov.",
               "Gymnasieskolans el- och energiprogram föreslås utökas med en klass.",
               "Antalet sökande till handels- och administrationsprogrammet har minskat."],
              ["fastställa gymnasieskolans programutbud för läsåret {ar1}–{ar2}"]),
            V(["Samverkansavtal om gymnasieutbildning med grannkommunerna"],
              ["Samverkansavtalet innebär att eleverna kan söka fritt inom samverkansområdet.",
               "Interkommunala ersättningar regleras i avtalet."],
              ["godkänna samverkansavtalet"])]),
    dict(k="skolorganisation", s="k", r=["UTB"], d=["UTB", "KF"], w=1,
         v=[V(["Framtida skolorganisation i {omr}", "Sammanslagning av {skola} och {skola2}"],
              ["Elevunderlaget vid {skola} har minskat kraftigt.",
               "Förslaget innebär att årskurserna 4–6 flyttas till {skola2}.",
               "En konsekvensanalys ur ett barnrättsperspektiv har genomförts.",
               "Vårdnadshavare har informerats vid två dialogmöten."],
              ["genomföra den föreslagna skolorganisationen från höstterminen", "avveckla {skola} som skolenhet"])]),
    dict(k="skolmaltider", s="k", r=["UTB", "TEK"], d=["UTB", "KS"], w=1,
         v=[V(["Kostpolicy för {org}"],
              ["Skolmåltiderna ska vara näringsriktiga, goda och klimatsmarta.",
               "Kostpolicyn omfattar förskolor, skolor och äldreomsorgens kök."],
              ["anta kostpolicyn"]),
            V(["Måltidsverksamheten i skolan", "Ökad andel ekologiska livsmedel i skolmåltiderna"],
              ["Andelen ekologiska livsmedel uppgick till {proc_eko} procent under året.",
               "Matsvinnet i skolrestaurangerna har minskat."],
              ["lägga informationen till handlingarna"])]),
    # --- Omsorg och socialtjänst --------------------------------------------------------
    dict(k="sarskilt-boende", s="k", r=["OMS", "KS"], d=["OMS", "KF"], w=2,
         v=[V(["Nytt särskilt boende i {omr}", "Behovsplan för vård- och omsorgsboende {ar}–{ar3}"],
              ["Behovet av platser i särskilt boende beräknas öka med {antal} platser till år 2030.",
               "Det nya boendet planeras för {lgh} lägenheter fördelade på sex enheter.",
               "Investeringen beräknas till {belopp}.",
               "Äldreomsorgens lokalförsörjningsplan pekar ut {omr} som lämplig placering."],
              ["ge {forv} i uppdrag att planera för ett nytt vård- och omsorgsboende i {omr}", "godkänna behovsplanen för särskilt boende"]),
            V(["Ombyggnad av vård- och omsorgsboendet {boende}"],
              ["Vård- och omsorgsboendet {boende} har brister i tillgänglighet och arbetsmiljö.",
               "Under ombyggnaden flyttar de boende till tillfälliga lokaler.",
               "Investeringen beräknas till {belopp}."],
              ["godkänna ombyggnaden av {boende}"]),
            V(["Avveckling av äldreboendet {boende}"],
              ["Äldreboendet {boende} uppfyller inte dagens krav.",
               "De boende erbjuds plats på andra vård- och omsorgsboenden."],
              ["avveckla {boende} när det nya boendet står klart"])]),
    dict(k="hemtjanst", s="k", r=["OMS"], d=["OMS"], w=2,
         b=["Hemtjänsten utför insatser hos cirka {antal2} brukare."],
         v=[V(["Riktlinjer för hemtjänst"],
              ["Riktlinjerna beskriver hur behovet av hemtjänst bedöms.",
               "Brukarundersökningen visar att nöjdheten med hemtjänsten är fortsatt hög."],
              ["anta reviderade riktlinjer för hemtjänst"]),
            V(["Ersättning till utförare inom hemtjänsten {ar1}"],
              ["Ersättningen till hemtjänstutförarna räknas upp med {proc} procent."],
              ["fastställa timersättningen för hemtjänsten för {ar1}"]),
            V(["Införande av digital tillsyn inom hemtjänsten"],
              ["Digital tillsyn med kamera ersätter nattliga besök för de brukare som önskar det.",
               "Insatsen bygger på samtycke från den enskilde."],
              ["införa digital tillsyn som insats inom hemtjänsten"])]),
    dict(k="ekonomiskt-bistand", s="k", r=["SOC"], d=["SOC"], w=1,
         v=[V(["Riktlinjer för ekonomiskt bistånd"],
              ["Riktlinjerna ska ge vägledning vid bedömningen av skälig levnadsnivå.",
               "Riksnormen för försörjningsstöd har höjts."],
              ["anta reviderade riktlinjer för ekonomiskt bistånd"]),
            V(["Uppföljning av ekonomiskt bistånd {ar}", "Arbetsmarknadsinsatser för personer med försörjningsstöd"],
              ["Kostnaderna för ekonomiskt bistånd har ökat med {proc} procent jämfört med föregående år.",
               "Samverkan med Arbetsförmedlingen har stärkts under året."],
              ["lägga uppföljningen till handlingarna"])]),
    dict(k="ej-verkstallda", s="k", r=["SOC", "OMS"], d=["SOC", "OMS"], w=1,
         v=[V(["Rapportering av ej verkställda beslut kvartal {q} {ar}", "Statistikrapport över ej verkställda beslut enligt SoL och LSS"],
              ["Nämnden ska rapportera gynnande beslut som inte verkställts inom tre månader till Inspektionen för vård och omsorg.",
               "Under kvartalet fanns {antal_small} ej verkställda beslut om särskilt boende.",
               "Orsaken är främst brist på lediga lägenheter i gruppbostad."],
              ["godkänna rapporten och överlämna den till kommunfullmäktige och revisorerna"])]),
    dict(k="barn-unga", s="k", r=["SOC"], d=["SOC", "KS"], w=1,
         v=[V(["Handlingsplan mot våld i nära relationer"],
              ["Handlingsplanen omfattar stöd till våldsutsatta, barn som bevittnat våld och insatser för våldsutövare.",
               "Socialtjänsten samverkar med polisen och {region}."],
              ["anta handlingsplanen mot våld i nära relationer"]),
            V(["Förebyggande arbete mot ungdomskriminalitet", "Samverkan kring barn och unga i riskzon"],
              ["Socialtjänsten ser en ökning av orosanmälningar rörande barn och unga.",
               "Arbetet med sociala insatsgrupper har gett goda resultat.",
               "Familjecentralen i {omr} utgör en viktig del av det förebyggande arbetet."],
              ["lägga informationen till handlingarna", "ge {forv} i uppdrag att redovisa det förebyggande arbetet årligen"])]),
    dict(k="lss", s="k", r=["OMS", "SOC"], d=["OMS"], w=1,
         v=[V(["Ny gruppbostad enligt LSS i {omr}"],
              ["Behovet av bostäder med särskild service enligt LSS är större än utbudet.",
               "Gruppbostaden planeras för sex lägenheter med gemensamma utrymmen."],
              ["godkänna lokalbehovet för en ny gruppbostad i {omr}"]),
            V(["Daglig verksamhet enligt LSS i nya lokaler"],
              ["Den dagliga verksamheten flyttar till nya lokaler i {omr}.", "Verksamheten har i dag {antal} deltagare."],
              ["godkänna flytten av den dagliga verksamheten"]),
            V(["Korttidsvistelse för barn och unga"],
              ["Efterfrågan på korttidsvistelse har ökat.", "Verksamheten föreslås samlokaliseras med en befintlig enhet."],
              ["lägga informationen till handlingarna"])]),
    dict(k="integration", s="k", r=["KS", "SOC"], d=["KS"], w=1,
         v=[V(["Mottagande av nyanlända {ar}"],
              ["Länsstyrelsen har fastställt att {hm} ska ta emot {antal} nyanlända under året.",
               "Bostäder ordnas i samverkan med det kommunala bostadsbolaget."],
              ["lägga informationen om mottagandet till handlingarna"]),
            V(["Integrationsprogram för {org}"],
              ["Integrationsprogrammet omfattar språk, arbete och boende.",
               "Programmet har tagits fram i dialog med civilsamhället."],
              ["anta integrationsprogrammet"]),
            V(["Samhällsorientering för nyanlända"],
              ["Samhällsorienteringen erbjuds på flera språk i samverkan med grannkommunerna.",
               "Avtalet gäller i tre år."],
              ["godkänna avtalet om samverkan kring samhällsorientering"])]),
    # --- Ekonomi och styrning ------------------------------------------------------------
    dict(k="budget", s="b", r=["KS"], d=["KS", "KF"], w=2,
         b=["{Hm} står inför ökade kostnader till följd av demografiska förändringar."],
         v=[V(["Mål och budget {ar1} med plan för {ar2}–{ar3}", "Budgetramar {ar1}–{ar3}"],
              ["Budgeten bygger på skatteunderlagsprognosen från Sveriges Kommuner och Regioner.",
               "Resultatet beräknas till {belopp}, vilket motsvarar {proc_res} procent av skatter och generella statsbidrag.",
               "Investeringsbudgeten uppgår till {belopp2}."],
              ["fastställa mål och budget för {ar1} med plan för {ar2}–{ar3}"]),
            V(["Budgetdirektiv för {ar1}"],
              ["Budgetdirektivet anger ramar och tidplan för nämndernas budgetarbete."],
              ["godkänna budgetdirektivet", "uppdra åt nämnderna att ta fram verksamhetsplaner inom angivna ramar"]),
            V(["Skattesats för {ar1}"],
              ["Skattesatsen föreslås vara oförändrad.", "Skatteunderlaget väntas växa långsammare än tidigare år."],
              ["fastställa skattesatsen för {ar1}"])]),
    dict(k="arsredovisning", s="b", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Årsredovisning {ar0}", "Årsredovisning för {org} {ar0}", "Bokslut och årsredovisning {ar0}"],
              ["Årets resultat uppgick till {belopp}.",
               "Årsredovisningen visar att det finansiella målet om ett resultat på minst två procent har uppnåtts.",
               "Balanskravsresultatet är positivt.",
               "Nämndernas sammanlagda budgetavvikelse uppgår till {belopp3}."],
              ["godkänna årsredovisningen för {ar0}"])]),
    dict(k="delarsrapport", s="b", r=["KS"], d=["KS", "KF"], w=1,
         b=["Flera nämnder prognostiserar underskott, främst inom individ- och familjeomsorgen."],
         v=[V(["Delårsrapport per den 31 augusti {ar}"],
              ["Helårsprognosen pekar mot ett resultat om {belopp}.",
               "Delårsrapporten har granskats av de förtroendevalda revisorerna."],
              ["godkänna delårsrapporten"]),
            V(["Uppföljning tertial 1 {ar}", "Ekonomisk prognos efter {manad}"],
              ["Helårsprognosen pekar mot ett resultat om {belopp}.",
               "Prognosen har försämrats sedan föregående uppföljning."],
              ["godkänna uppföljningen", "uppdra åt nämnderna att vidta åtgärder för en budget i balans"])]),
    dict(k="revision", s="b", r=["KS", "KF"], d=["KF"], w=1,
         v=[V(["Revisionsberättelse för {ar0}"],
              ["Revisorerna har granskat verksamheten enligt kommunallagen och god revisionssed.",
               "Revisorerna tillstyrker att ansvarsfrihet beviljas."],
              ["bevilja styrelsen och nämnderna ansvarsfrihet för {ar0}"]),
            V(["Revisorernas granskning av intern kontroll", "Granskning av {hms} arbete med upphandling"],
              ["Granskningen visar brister i dokumentationen av den interna kontrollen.",
               "Styrelsen ska lämna svar på revisorernas rekommendationer inom tre månader."],
              ["godkänna svaret på granskningsrapporten"])]),
    dict(k="arvoden", s="b", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Arvodesreglemente för förtroendevalda", "Översyn av arvoden inför ny mandatperiod"],
              ["Arvodena är kopplade till riksdagsledamöternas arvode.",
               "Arvodesberedningen föreslår att sammanträdesarvodet höjs.",
               "Reglementet träder i kraft vid den nya mandatperiodens början."],
              ["anta arvodesreglemente för förtroendevalda"]),
            V(["Ersättning till förtroendevalda {ar1}"],
              ["Arvodena är kopplade till riksdagsledamöternas arvode.", "Arvodena räknas upp med {proc} procent."],
              ["fastställa arvoden för {ar1}"])]),
    dict(k="upphandling", s="b", r=["KS", "TEK"], d=["KS", "KSAU", "TEK"], w=2,
         v=[V(["Upphandling av {upph}"],
              ["Upphandlingen genomförs som ett öppet förfarande enligt lagen om offentlig upphandling.",
               "Avtalets värde beräknas till {belopp} under avtalsperioden."],
              ["ge {forv} i uppdrag att genomföra upphandlingen", "godkänna förfrågningsunderlaget"]),
            V(["Tilldelningsbeslut: {upph}"],
              ["{antal_small} anbud har kommit in och utvärderats utifrån pris och kvalitet.",
               "Avtalet löper i två år med möjlighet till förlängning i två år."],
              ["anta leverantör enligt utvärderingen"]),
            V(["Förlängning av avtal om {upph}"],
              ["Avtalet innehåller en option på förlängning.", "Leverantören har uppfyllt avtalets krav."],
              ["förlänga avtalet om {upph} med ett år"])]),
    dict(k="delegation", s="b", r=["KS"], d=["KS"], w=1,
         v=[V(["Revidering av delegationsordning", "Delegationsordning för {ks}"],
              ["Delegationsordningen anger vilka beslut som får fattas av tjänstepersoner och utskott.",
               "Ändringarna föranleds av ny lagstiftning och organisationsförändringar."],
              ["anta reviderad delegationsordning"]),
            V(["Redovisning av delegationsbeslut {manad} {ar}"],
              ["Delegationsbesluten redovisas i förteckning.", "Redovisningen innebär inte att besluten kan ändras."],
              ["lägga redovisningen av delegationsbeslut till handlingarna"])]),
    dict(k="motion", s="b", r=["KS", "KF"], d=["KS", "KF"], w=3,
         b=["{parti} har lämnat en motion om {motion}."],
         v=[V(["Svar på motion om {motion}", "Motion från {parti} om {motion}", "Motion ({parti_kort}) om {motion}"],
              ["Motionären föreslår att {hm} utreder förutsättningarna.",
               "Förvaltningen bedömer att motionens intentioner delvis redan tillgodoses.",
               "Kostnaden för förslaget ryms inte inom befintlig budget.",
               "Motionen har remitterats till berörda nämnder."],
              ["anse motionen besvarad", "avslå motionen", "bifalla motionen"])]),
    dict(k="medborgarforslag", s="k", r=["KS"], d=["KS", "TEK", "KF"], w=2,
         b=["Ett medborgarförslag har kommit in om {mf}."],
         v=[V(["Medborgarförslag om {mf}", "Svar på medborgarförslag om {mf}"],
              ["Förslagsställaren menar att åtgärden skulle öka tryggheten i området.",
               "Tekniska förvaltningen har yttrat sig över medborgarförslaget.",
               "Åtgärden kan genomföras inom ramen för befintlig driftbudget."],
              ["anse medborgarförslaget besvarat", "bifalla medborgarförslaget", "avslå medborgarförslaget"])]),
    dict(k="krisberedskap", s="b", r=["KS"], d=["KS", "KF"], w=1,
         b=["Arbetet med civilt försvar har intensifierats efter det förändrade säkerhetsläget."],
         v=[V(["Risk- och sårbarhetsanalys {ar}"],
              ["Risk- och sårbarhetsanalysen identifierar samhällsviktig verksamhet och kritiska beroenden."],
              ["godkänna risk- och sårbarhetsanalysen"]),
            V(["Plan för civilt försvar", "Styrdokument för krisberedskap och civilt försvar"],
              ["Styrdokumentet gäller under mandatperioden.", "Övningar har genomförts tillsammans med länsstyrelsen."],
              ["anta styrdokumentet"]),
            V(["Krisledningsplan för {org}"],
              ["Krisledningsnämnden aktiveras vid en extraordinär händelse.",
               "Planen beskriver hur krisledningen organiseras dygnet runt."],
              ["anta krisledningsplanen"])]),
    dict(k="folkhalsa", s="b", r=["KS", "HSN"], d=["KS", "HSN"], w=1,
         b=["Folkhälsoarbetet syftar till att minska skillnaderna i hälsa mellan olika grupper."],
         v=[V(["Folkhälsoplan {ar}–{ar3}"],
              ["Insatserna genomförs i samverkan med {region} och civilsamhället."],
              ["anta folkhälsoplanen"]),
            V(["Folkhälsorapport för {org}"],
              ["Andelen unga som uppger god psykisk hälsa har minskat."],
              ["lägga folkhälsorapporten till handlingarna"]),
            V(["Strategi för alkohol, narkotika, doping och tobak"],
              ["Strategin omfattar förebyggande insatser i skolan och tillsyn av försäljningsställen."],
              ["anta strategin för alkohol, narkotika, doping och tobak"])]),
    dict(k="personal", s="b", r=["KS"], d=["KS"], w=1,
         v=[V(["Lönepolicy"],
              ["Lönepolicyn anger principerna för individuell lönesättning.", "Policyn har förhandlats med de fackliga organisationerna."],
              ["anta lönepolicyn"]),
            V(["Resultat av medarbetarenkäten {ar}"],
              ["Medarbetarenkäten besvarades av {proc_hi} procent av de anställda.", "Resultatet visar förbättringar inom ledarskap."],
              ["lägga resultatet till handlingarna"]),
            V(["Kompetensförsörjningsplan {ar}–{ar3}"],
              ["Kompetensförsörjningen är en av de största utmaningarna inom vård, skola och omsorg.",
               "Planen innehåller åtgärder för att behålla och rekrytera medarbetare."],
              ["anta kompetensförsörjningsplanen"]),
            V(["Riktlinjer för distansarbete"],
              ["Riktlinjerna anger när arbete på distans kan beviljas.", "Arbetsmiljöansvaret gäller även vid distansarbete."],
              ["anta riktlinjerna för distansarbete"])]),
    dict(k="digitalisering", s="b", r=["KS"], d=["KS"], w=1,
         v=[V(["Digitaliseringsstrategi"],
              ["Digitaliseringsstrategin ska bidra till effektivare verksamhet och bättre service.",
               "Strategin gäller för samtliga förvaltningar och bolag."],
              ["anta digitaliseringsstrategin"]),
            V(["Införande av nytt ärendehanteringssystem"],
              ["Det nuvarande ärendehanteringssystemet har nått slutet av sin livslängd.",
               "Införandet beräknas kosta {belopp}."],
              ["godkänna införandet av nytt ärendehanteringssystem"]),
            V(["E-tjänster för invånare och företag"],
              ["Fler e-tjänster lanseras för bygglovsansökan, förskoleplats och färdtjänst.",
               "Användningen av e-tjänsterna har ökat med {proc} procent."],
              ["lägga informationen till handlingarna"])]),
    dict(k="klimat", s="b", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Klimatstrategi för {org}"],
              ["Klimatstrategin anger målet att {hms} verksamheter ska vara fossilfria år 2030.",
               "Utsläppen från {hms} tjänsteresor har minskat med {proc} procent."],
              ["anta klimatstrategin"]),
            V(["Energi- och klimatplan {ar}–{ar3}"],
              ["Energi- och klimatplanen innehåller åtgärder för energieffektivisering i {hms} fastigheter.",
               "Solceller ska installeras vid nybyggnation."],
              ["anta energi- och klimatplanen"]),
            V(["Klimatanpassningsplan"],
              ["Klimatanpassningsplanen pekar ut områden med risk för översvämning vid skyfall.",
               "Planen omfattar även åtgärder mot värmeböljor i äldreomsorgen."],
              ["anta klimatanpassningsplanen"])]),
    # --- Taxor ----------------------------------------------------------------------------
    dict(k="va-taxa", s="k", r=["TEK"], d=["KF"], w=1,
         b=["VA-verksamheten ska enligt lag finansieras med avgifter."],
         v=[V(["VA-taxa {ar1}", "Revidering av taxa för allmänna vattentjänster", "Höjning av brukningsavgiften i VA-taxan"],
              ["VA-taxan föreslås höjas med {proc} procent för att täcka investeringar i ledningsnätet.",
               "En normalvilla påverkas med cirka {kr_small} kronor per månad.",
               "VA-kollektivets underskott ska återställas inom tre år."],
              ["anta VA-taxa för {ar1}"], True)],
         at=["Tillkännagivande: ny VA-taxa från den 1 januari {ar1}"],
         ab=["{Organ} har den {mdatum} antagit ny taxa för allmänna vattentjänster.",
             "Taxan gäller från den 1 januari {ar1}.",
             "Beslutet kan överklagas genom laglighetsprövning."]),
    dict(k="avfall", s="k", r=["TEK"], d=["TEK", "KF"], w=1,
         v=[V(["Renhållningstaxa {ar1}"],
              ["Renhållningstaxan finansierar insamling och behandling av hushållsavfall.",
               "Taxan höjs med {proc} procent till följd av ökade behandlingskostnader."],
              ["anta renhållningstaxa för {ar1}"]),
            V(["Avfallsplan {ar}–{ar3}", "Avfallsföreskrifter för {org}"],
              ["Avfallsplanen innehåller mål för minskad mängd mat- och restavfall.",
               "Fastighetsnära insamling av förpackningar införs stegvis."],
              ["anta avfallsplanen och avfallsföreskrifterna"]),
            V(["Införande av matavfallsinsamling"],
              ["Separat insamling av matavfall är obligatorisk enligt lag.",
               "Hushållen får kärl och påsar utan extra kostnad."],
              ["införa separat insamling av matavfall"])]),
    dict(k="miljo-bygg-taxa", s="k", r=["BYGG", "MILJO"], d=["KF"], w=1,
         v=[V(["Plan- och bygglovstaxa {ar1}"],
              ["Bygglovstaxan bygger på Sveriges Kommuner och Regioners underlag.",
               "Taxan ska bidra till en högre kostnadstäckning för myndighetsutövningen."],
              ["anta plan- och bygglovstaxa"]),
            V(["Taxa för prövning och tillsyn enligt miljöbalken", "Timavgift inom miljö- och byggområdet {ar1}"],
              ["Timavgiften föreslås till {kr} kronor.",
               "Taxan tillämpar efterhandsdebitering av tillsyn."],
              ["anta taxa för prövning och tillsyn enligt miljöbalken", "fastställa timavgiften för {ar1}"])]),
    # --- Teknik, infrastruktur och miljö -----------------------------------------------
    dict(k="vatten", s="k", r=["TEK"], d=["TEK", "KF"], w=1,
         v=[V(["Ombyggnad av vattenverket i {omr}"],
              ["Vattenverket byggdes på 1960-talet och behöver förnyas.",
               "Vattenverkets kapacitet räcker inte för den planerade befolkningsökningen.",
               "Investeringen beräknas till {belopp}."],
              ["godkänna investeringen i vattenverket"]),
            V(["Reservvattenförsörjning för {kommun}"],
              ["{Hm} saknar i dag en fullgod reservvattentäkt.", "En ledning till grannkommunens vattenverk utreds."],
              ["ge {forv} i uppdrag att utreda reservvattenförsörjningen"]),
            V(["Vattenskyddsområde för {sjo}"],
              ["Vattenskyddsområdet ska skydda vattentäkten mot föroreningar.",
               "Skyddsföreskrifterna begränsar bland annat hantering av bekämpningsmedel."],
              ["föreslå länsstyrelsen att fastställa vattenskyddsområde för {sjo}"])]),
    dict(k="reningsverk", s="k", r=["TEK"], d=["TEK", "KF"], w=1,
         v=[V(["Nytt reningsverk i {omr}", "Investering i avloppsreningsverket"],
              ["Reningsverket klarar inte skärpta utsläppskrav på kväve och fosfor.",
               "Reningsverkets tillstånd enligt miljöbalken behöver förnyas.",
               "Investeringen beräknas till {belopp}."],
              ["godkänna investeringen i reningsverket", "ge {forv} i uppdrag att ansöka om miljötillstånd för reningsverket"]),
            V(["Överföringsledning för spillvatten från {omr}"],
              ["En överföringsledning till det centrala reningsverket ersätter tre mindre verk.",
               "Ledningen är cirka {km} kilometer lång."],
              ["godkänna utbyggnaden av överföringsledningen"])]),
    dict(k="cykel", s="k", r=["TEK"], d=["TEK", "KS"], w=2,
         v=[V(["Gång- och cykelväg längs {gata}", "Ny cykelbana mellan {omr} och centrum", "Gång- och cykelvägen till {skola}"],
              ["Gång- och cykelvägen ska öka trafiksäkerheten för skolbarn.",
               "Sträckan är cirka {km} kilometer och byggs med statlig medfinansiering.",
               "Cykelbanan ansluter till det regionala cykelstråket."],
              ["godkänna utbyggnaden av gång- och cykelvägen"]),
            V(["Cykelplan för {kommun}"],
              ["Cykelplanen pekar ut prioriterade stråk fram till år 2030.",
               "Andelen resor med cykel ska öka."],
              ["anta cykelplanen"])]),
    dict(k="gator-trafik", s="k", r=["TEK"], d=["TEK"], w=2,
         v=[V(["Lokala trafikföreskrifter om hastighetsbegränsning på {gata}"],
              ["Hastigheten på {gata} föreslås sänkas till 30 kilometer i timmen.",
               "Trafikmätningar visar att många fordon håller för hög hastighet."],
              ["meddela lokala trafikföreskrifter om 30 kilometer i timmen på {gata}"]),
            V(["Trafiksäkerhetsåtgärder vid {skola}"],
              ["Föräldrar har framfört oro över trafiken vid skolans entré.",
               "Åtgärderna omfattar en upphöjd gångpassage och en ny avlämningsplats."],
              ["genomföra trafiksäkerhetsåtgärderna"]),
            V(["Gatubelysning i {omr}"],
              ["Gatubelysningen byts ut till LED-armaturer.", "Energiförbrukningen beräknas minska med hälften."],
              ["godkänna utbytet av gatubelysningen"]),
            V(["Vinterväghållning och snöröjning"],
              ["Vinterväghållningen prioriterar gång- och cykelvägar, bussgator och infarter.",
               "Snöröjning ska påbörjas vid fem centimeter snö."],
              ["anta riktlinjer för vinterväghållning"])]),
    dict(k="parkering", s="k", r=["TEK", "BYGG"], d=["TEK", "KF"], w=1,
         v=[V(["Parkeringsnorm för {kommun}", "Parkeringsstrategi"],
              ["Parkeringsnormen anger antal bilplatser och cykelplatser vid nybyggnation.",
               "Mobilitetsåtgärder kan minska kravet på antalet parkeringsplatser."],
              ["anta parkeringsnormen"]),
            V(["Parkeringsavgifter i centrum"],
              ["Avgiften föreslås höjas till {kr_small} kronor per timme.",
               "Den första timmen är fortsatt avgiftsfri."],
              ["fastställa parkeringsavgifterna"])]),
    dict(k="laddinfra", s="b", r=["TEK", "KS"], d=["TEK", "KS"], w=2,
         b=["Efterfrågan på laddplatser ökar i takt med att fler väljer elbil."],
         v=[V(["Laddinfrastruktur för elbilar", "Strategi för publika laddplatser"],
              ["Strategin anger var publika laddplatser ska prioriteras.",
               "Laddinfrastrukturen finansieras delvis med Klimatklivet."],
              ["anta strategin för laddinfrastruktur"]),
            V(["Laddstolpar vid {hms} arbetsplatser"],
              ["Laddstolparna ska installeras vid {antal_small} parkeringar.",
               "Medarbetare betalar för laddningen via en app."],
              ["godkänna installationen av laddstolpar"]),
            V(["Avtal om laddplatser på allmän platsmark"],
              ["Avtalet ger en extern operatör rätt att uppföra laddplatser på allmän platsmark.",
               "Operatören betalar en årlig avgift för markupplåtelsen."],
              ["teckna avtal om laddplatser på allmän platsmark"])]),
    dict(k="vindkraft", s="k", r=["KS", "MILJO"], d=["KS", "KF"], w=2,
         v=[V(["Yttrande över ansökan om tillstånd för vindkraftspark vid {omr}", "Tillstyrkan av vindkraft enligt 16 kap. 4 § miljöbalken"],
              ["Ansökan avser högst {antal_small} vindkraftverk med en totalhöjd om 290 meter.",
               "Kommunen har ett kommunalt veto enligt miljöbalken.",
               "Boende i närheten har framfört oro för buller och landskapsbild."],
              ["tillstyrka vindkraftsparken vid {omr}", "inte tillstyrka vindkraftsparken vid {omr}"]),
            V(["Vindbruksplan för {kommun}"],
              ["Vindbruksplanen pekar ut områden som är lämpliga för vindkraft.",
               "Planen är ett tillägg till översiktsplanen."],
              ["anta vindbruksplanen"]),
            V(["Havsbaserad vindkraft – remissyttrande"],
              ["Remissen gäller en havsbaserad vindkraftspark utanför kusten.",
               "Kommunen ser positivt på elproduktionen men efterfrågar en bättre analys av påverkan på fisket."],
              ["lämna remissyttrande enligt förvaltningens förslag"])]),
    dict(k="solcellspark", s="k", r=["KS", "BYGG"], d=["KS", "BYGG"], w=1,
         lovtyp="bygglov", atgard="solcellspark",
         b=["Solcellsparken planeras på cirka {ha} hektar åkermark.", "Sökande: {bolag}."],
         v=[V(["Markupplåtelse för solcellspark i {omr}"],
              ["Anläggningen beräknas producera el motsvarande förbrukningen i {antal2} villor."],
              ["upplåta mark för solcellsparken"]),
            V(["Bygglov för solcellspark på {fast}", "Solcellspark i {omr}"],
              ["Anläggningen omfattar solpaneler, transformatorstationer och stängsel."],
              ["bevilja bygglov för solcellsparken"], True)],
         at=["Kungörelse: bygglov för solcellspark, {fast}"],
         ab=KUNGORELSE_BYGGLOV_AB),
    dict(k="bredband", s="k", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Bredbandsstrategi"],
              ["Målet är att alla hushåll ska ha tillgång till snabbt bredband.", "Strategin gäller till år 2030."],
              ["anta bredbandsstrategin"]),
            V(["Utbyggnad av fiber på landsbygden"],
              ["Bredbandsutbyggnaden på landsbygden sker i samverkan med fiberföreningar.",
               "Fiberföreningen i {omr} har ansökt om kommunalt bidrag."],
              ["bevilja bidrag till fiberföreningen i {omr}"])]),
    dict(k="naturreservat", s="k", r=["KS", "MILJO"], d=["KS", "KF"], w=1,
         b=["Naturreservatet omfattar cirka {ha} hektar skog och våtmark."],
         v=[V(["Bildande av naturreservatet {omr}", "Kommunalt naturreservat i {omr}"],
              ["Området har höga naturvärden med gammal tallskog.",
               "Reservatsföreskrifterna begränsar bland annat terrängkörning."],
              ["bilda naturreservatet {omr}"], True),
            V(["Skötselplan för naturreservatet {omr}"],
              ["Skötselplanen anger åtgärder för friluftslivet.", "Stigar och informationsskyltar ska förnyas."],
              ["fastställa skötselplanen"])],
         at=["Kungörelse: beslut om bildande av naturreservatet {omr}"],
         ab=["{Organ} beslutade den {mdatum} att bilda naturreservatet {omr}.",
             "Beslutet med föreskrifter och skötselplan finns hos {forv}.",
             "Beslutet kan överklagas hos länsstyrelsen."]),
    dict(k="miljotillsyn", s="k", r=["MILJO"], d=["MILJO"], w=2,
         v=[V(["Tillsynsplan enligt miljöbalken {ar}"],
              ["Tillsynsplanen bygger på en behovsutredning för miljöbalkens område.",
               "Tillsynen prioriteras efter miljörisk."],
              ["anta tillsynsplanen"]),
            V(["Föreläggande om åtgärder vid avloppsanläggning på {fast}"],
              ["Avloppsanläggningen uppfyller inte kraven på rening.",
               "Fastighetsägaren har inte åtgärdat bristerna inom angiven tid."],
              ["förbjuda utsläpp av avloppsvatten från fastigheten {fast}"]),
            V(["Ansökan om tillstånd för enskild avloppsanläggning, {fast}"],
              ["Ansökan avser en markbädd för ett hushåll.", "Anläggningen bedöms uppfylla kraven på normal skyddsnivå."],
              ["bevilja tillstånd för avloppsanläggningen"]),
            V(["Miljösanktionsavgift, {fast}"],
              ["En anmälningspliktig verksamhet har startats utan anmälan.", "Miljösanktionsavgiften är {kr} kronor."],
              ["ta ut en miljösanktionsavgift om {kr} kronor"])]),
    dict(k="livsmedel", s="k", r=["MILJO"], d=["MILJO"], w=1,
         v=[V(["Kontrollplan för livsmedelskontroll {ar}"],
              ["Livsmedelskontrollen ska vara riskbaserad.", "Kontrollplanen omfattar {antal2} livsmedelsanläggningar."],
              ["anta kontrollplanen"]),
            V(["Sanktionsavgift enligt livsmedelslagen, {rest}"],
              ["Vid kontrollen konstaterades brister i temperaturkontroll och rengöring.",
               "Verksamheten har inte registrerats innan den startade."],
              ["ta ut en sanktionsavgift om {kr} kronor"])]),
    dict(k="servering", s="k", r=["SOC", "MILJO"], d=["SOC", "MILJO"], w=2,
         b=["Sökande: {bolag}."],
         v=[V(["Ansökan om stadigvarande serveringstillstånd, {rest}", "Tillfälligt serveringstillstånd för sommarservering, {rest}"],
              ["Sökanden har ansökt om serveringstillstånd för servering till allmänheten.",
               "Polismyndigheten har inte haft någon erinran mot ansökan."],
              ["bevilja serveringstillstånd för {rest}"]),
            V(["Återkallelse av serveringstillstånd, {rest}"],
              ["Vid tillsyn har överservering konstaterats.", "Tillståndshavaren har tidigare meddelats en varning."],
              ["återkalla serveringstillståndet", "meddela tillståndshavaren en varning"])]),
    dict(k="alkoholpolitik", s="k", r=["SOC", "KS"], d=["KF"], w=1,
         v=[V(["Alkoholpolitiskt program", "Riktlinjer för serveringstillstånd"],
              ["Riktlinjerna ska ge vägledning vid prövning av serveringstillstånd.",
               "Serveringstiden förlängs till klockan 02.00 i centrum."],
              ["anta riktlinjerna för serveringstillstånd"])]),
    dict(k="raddningstjanst", s="k", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Handlingsprogram för räddningstjänst {ar}–{ar3}"],
              ["Handlingsprogrammet anger mål för förebyggande verksamhet och räddningstjänst.",
               "Räddningstjänsten genomförde {antal2} utryckningar under året."],
              ["anta handlingsprogrammet"]),
            V(["Taxa för tillsyn enligt lagen om skydd mot olyckor"],
              ["Taxan omfattar tillsyn och tillståndsprövning enligt lagen om brandfarliga och explosiva varor.",
               "Timavgiften föreslås till {kr} kronor."],
              ["anta taxan"])]),
    dict(k="kollektivtrafik-kommun", s="k", r=["KS", "TEK"], d=["KS"], w=1,
         v=[V(["Yttrande över regional trafikförsörjningsplan"],
              ["{region} har remitterat förslaget till trafikförsörjningsprogram.",
               "Kommunen lyfter behovet av bättre pendlingsmöjligheter."],
              ["lämna yttrande enligt förvaltningens förslag"]),
            V(["Ny busslinje till {omr}", "Kollektivtrafik i {kommun}: ny linjedragning"],
              ["Resandeunderlaget i {omr} motiverar en ny busslinje.",
               "Kollektivtrafiken ska göra det enkelt att pendla till arbete och studier."],
              ["hemställa hos {region} om utökad busstrafik till {omr}"])]),
    # --- Kultur och fritid --------------------------------------------------------------
    dict(k="bibliotek", s="k", r=["KUF"], d=["KUF"], w=1,
         v=[V(["Ändrade öppettider för biblioteket"],
              ["Bibliotekets öppettider anpassas efter besöksstatistiken.", "Lördagsöppet införs under vinterhalvåret."],
              ["fastställa nya öppettider för biblioteket"]),
            V(["Meröppet bibliotek i {omr}"],
              ["Meröppet innebär att låntagare kan använda biblioteket även när det är obemannat.",
               "Biblioteket i {omr} har i dag begränsade öppettider."],
              ["införa meröppet vid biblioteket i {omr}"]),
            V(["Biblioteksplan {ar}–{ar3}"],
              ["Biblioteksplanen ska antas av kommunfullmäktige enligt bibliotekslagen.",
               "Planen lyfter läsfrämjande arbete för barn och unga."],
              ["anta biblioteksplanen"])]),
    dict(k="simhall", s="k", r=["KUF", "KS"], d=["KS", "KF"], w=1,
         b=["Simhallen är viktig för skolornas simundervisning."],
         v=[V(["Ny simhall i {kommun}", "Förstudie om nytt badhus"],
              ["Förstudien jämför renovering med nybyggnad.", "Investeringen beräknas till {belopp}."],
              ["ge {forv} i uppdrag att projektera ett nytt badhus"]),
            V(["Renovering av simhallen"],
              ["Simhallen från 1970-talet har omfattande renoveringsbehov.", "Simhallen hålls stängd under renoveringen."],
              ["godkänna renoveringen av simhallen"])]),
    dict(k="idrott", s="k", r=["KUF"], d=["KUF", "KS"], w=1,
         v=[V(["Ny idrottshall vid {skola}"],
              ["Idrottshallen ska användas av skolan dagtid och föreningslivet kvällstid.",
               "Investeringen beräknas till {belopp}."],
              ["godkänna byggnationen av idrottshallen"]),
            V(["Konstgräsplan i {omr}"],
              ["Konstgräsplanen ska ha ett fyllnadsmaterial som inte sprider mikroplast.",
               "Föreningarna har efterfrågat fler träningstider."],
              ["godkänna anläggandet av konstgräsplanen"]),
            V(["Föreningsbidrag {ar}", "Taxor för idrottsanläggningar {ar1}"],
              ["Föreningsbidragen fördelas utifrån antalet aktiva deltagare.",
               "Barn- och ungdomsverksamhet prioriteras."],
              ["fördela föreningsbidrag enligt förslaget"])]),
    dict(k="kultur", s="k", r=["KUF"], d=["KUF"], w=1,
         v=[V(["Kulturstipendium {ar}"],
              ["{antal_small} ansökningar om kulturstipendium har kommit in.", "Stipendiet delas ut vid nationaldagsfirandet."],
              ["dela ut kulturstipendium enligt förslaget"]),
            V(["Offentlig konst vid {skola}"],
              ["Enligt enprocentsregeln avsätts en procent av byggkostnaden till konstnärlig gestaltning.",
               "En konstnär har valts ut genom en inbjuden tävling."],
              ["godkänna gestaltningsförslaget"]),
            V(["Kulturplan för {kommun}"],
              ["Kulturplanen anger inriktningen för kulturlivet fram till år 2030.", "Planen har tagits fram i dialog med föreningslivet."],
              ["anta kulturplanen"]),
            V(["Fritidsgårdarnas öppettider"],
              ["Fritidsgårdarna har utökat öppethållandet under sommarlovet.", "Besöksantalet har ökat med {proc} procent."],
              ["fastställa fritidsgårdarnas öppettider"])]),
    dict(k="turism", s="k", r=["KS"], d=["KS"], w=1,
         v=[V(["Besöksnäringsstrategi", "Evenemangsstrategi för {kommun}"],
              ["Besöksnäringen är viktig för sysselsättningen.", "Antalet gästnätter ökade med {proc} procent."],
              ["anta strategin"]),
            V(["Gästhamnen i {omr}"],
              ["Gästhamnen behöver nya bryggor och ett servicehus.", "Investeringen beräknas till {belopp}."],
              ["godkänna investeringen i gästhamnen"])]),
    dict(k="valnamnd", s="k", r=["VAL"], d=["VAL"], w=1,
         b=["Valnämnden ansvarar för genomförandet av valet i {hm}."],
         v=[V(["Valnämndens verksamhetsplan inför valet {valar}"],
              ["Röstmottagarna ska genomgå utbildning före valet."],
              ["anta verksamhetsplanen"]),
            V(["Vallokaler och lokaler för förtidsröstning inför valet {valar}"],
              ["Förtidsröstning ska erbjudas i varje kommundel.", "Samtliga vallokaler ska vara tillgängliga."],
              ["fastställa vallokaler och lokaler för förtidsröstning"])]),
    dict(k="bostadsbolag", s="k", r=["KS"], d=["KS", "KF"], w=1,
         v=[V(["Ägardirektiv för det kommunala bostadsbolaget"],
              ["Ägardirektivet anger bolagets uppdrag och avkastningskrav.", "Bostadsbolaget planerar för {bost} nya lägenheter."],
              ["anta ägardirektivet"]),
            V(["Borgen för bostadsbolagets nyproduktion"],
              ["Borgensåtagandet uppgår till {belopp2}.", "Bolaget ska betala en borgensavgift."],
              ["teckna borgen för bostadsbolaget"]),
            V(["Bostadsförsörjningsprogram {ar}–{ar3}"],
              ["Bostadsförsörjningsprogrammet visar behov av fler mindre lägenheter.",
               "Programmet ska antas varje mandatperiod."],
              ["anta bostadsförsörjningsprogrammet"])]),
    dict(k="ordning", s="k", r=["KS"], d=["KF"], w=1,
         b=["Polismyndigheten har yttrat sig över förslaget."],
         v=[V(["Lokala ordningsföreskrifter om fyrverkerier"],
              ["Förslaget innebär att pyrotekniska varor inte får användas i centrum utan polisens tillstånd."],
              ["anta lokala ordningsföreskrifter om fyrverkerier"]),
            V(["Förbud mot alkoholförtäring på offentlig plats"],
              ["Förbudet ska gälla på torget och i stationsområdet.", "Ordningsföreskrifterna ska anmälas till länsstyrelsen."],
              ["anta ändrade lokala ordningsföreskrifter"])]),
    dict(k="skog", s="k", r=["KS", "TEK"], d=["KS"], w=1,
         v=[V(["Skogsbruksplan för {org}"],
              ["Kommunens skogsinnehav omfattar cirka {ha} hektar.", "Planen följer FSC-certifieringens krav."],
              ["anta skogsbruksplanen"]),
            V(["Tätortsnära skog i {omr}"],
              ["Den tätortsnära skogen ska skötas med hänsyn till friluftsliv och naturvärden.",
               "Avverkningen i {omr} pausas i avvaktan på en naturvärdesinventering."],
              ["anta riktlinjer för skötsel av tätortsnära skog"])]),
    # --- Regioner ------------------------------------------------------------------------
    dict(k="vardcentral", s="r", r=["HSN"], d=["HSN", "RS"], w=3,
         v=[V(["Etablering av ny vårdcentral i {kin}"],
              ["Befolkningen i {kin} har vuxit och tillgängligheten till primärvården behöver förbättras.",
               "Vårdcentralen ska erbjuda läkarbesök, distriktssköterskemottagning och barnavårdscentral."],
              ["etablera en regiondriven vårdcentral i {kin}"]),
            V(["Ackreditering av vårdcentral inom vårdval primärvård"],
              ["En privat vårdgivare har ansökt om att bedriva vårdcentral i {kin}.",
               "Vårdgivaren uppfyller kraven för ackreditering."],
              ["ackreditera vårdcentralen"]),
            V(["Förfrågningsunderlag för vårdval primärvård {ar1}", "Vårdcentralernas uppdrag och ersättning {ar1}"],
              ["Förfrågningsunderlaget reglerar uppdrag och ersättning för vårdcentralerna.",
               "Ersättningen för listade patienter räknas upp med {proc} procent."],
              ["godkänna förfrågningsunderlaget"])]),
    dict(k="akut", s="r", r=["HSN", "RS"], d=["HSN", "RS"], w=2,
         v=[V(["Närakut i {kin}"],
              ["En närakut kan avlasta sjukhusets akutmottagning vid mindre akuta besvär.",
               "Närakuten föreslås ha öppet kvällar och helger."],
              ["inrätta en närakut i {kin}"]),
            V(["Ombyggnad av akutmottagningen vid {sjukhus}", "Akutmottagningen vid {sjukhus}"],
              ["Akutmottagningens lokaler är inte anpassade för dagens patientflöden.",
               "Investeringen beräknas till {belopp2}."],
              ["godkänna ombyggnaden av akutmottagningen"]),
            V(["Tillgänglighet vid akutmottagningarna"],
              ["Väntetiderna på akutmottagningarna har ökat.", "Andelen patienter som lämnar akuten inom fyra timmar är {proc_hi} procent."],
              ["lägga rapporten till handlingarna"])]),
    dict(k="tandvard", s="r", r=["HSN"], d=["HSN", "RF"], w=2,
         v=[V(["Tandvårdstaxa {ar1}", "Folktandvårdens prislista {ar1}"],
              ["Tandvårdstaxan följer den statliga referensprislistan.", "Folktandvårdens priser höjs med {proc} procent."],
              ["fastställa tandvårdstaxan för {ar1}"]),
            V(["Avgiftsfri tandvård för unga vuxna"],
              ["Tandvården är avgiftsfri till och med det år man fyller 23 år.", "Reformen finansieras delvis av staten."],
              ["lägga informationen till handlingarna"])]),
    dict(k="kollektivtrafik-region", s="r", r=["KTN"], d=["KTN", "RF"], w=3,
         b=["Kollektivtrafiknämnden ansvarar för den regionala kollektivtrafiken."],
         v=[V(["Trafikförsörjningsprogram {ar}–{ar3}"],
              ["Trafikförsörjningsprogrammet anger mål för kollektivtrafiken i hela länet.",
               "Resandet i kollektivtrafiken har återhämtat sig efter pandemin."],
              ["anta trafikförsörjningsprogrammet"]),
            V(["Biljettpriser och zonindelning i kollektivtrafiken {ar1}"],
              ["Biljettpriserna föreslås höjas med {proc} procent.", "Zonindelningen förenklas till tre zoner."],
              ["fastställa biljettpriserna för {ar1}"]),
            V(["Kollektivtrafiken i regionen: ny tågtrafik mellan {kin} och {kin2}"],
              ["Tågtrafiken ska gå varje timme under vardagar.", "Ett avtal med Trafikverket om spårkapacitet krävs."],
              ["godkänna avsiktsförklaringen om tågtrafik"]),
            V(["Upphandling av busstrafik i {kin}"],
              ["Upphandlingen omfattar stadstrafiken och regionbusstrafiken i {kin}.",
               "Bussarna ska drivas med förnybara drivmedel."],
              ["tilldela avtal om busstrafik enligt utvärderingen"])]),
    dict(k="regional-utveckling", s="r", r=["RUN"], d=["RUN", "RF"], w=2,
         v=[V(["Regional utvecklingsstrategi för {lan}"],
              ["Den regionala utvecklingsstrategin sträcker sig till år 2030.",
               "Strategin har tagits fram i dialog med länets kommuner."],
              ["anta den regionala utvecklingsstrategin"]),
            V(["Företagsstöd till {bolag}"],
              ["Företagsstödet avser investeringar i ny produktionsutrustning.", "Stödet medfinansieras av Europeiska regionala utvecklingsfonden."],
              ["bevilja företagsstöd om {belopp}"]),
            V(["Regionalt kulturstöd {ar}"],
              ["Kulturstödet fördelas till länets museer, teatrar och folkbildning.",
               "Ansökningarna har bedömts av regionens kulturråd."],
              ["fördela det regionala kulturstödet enligt förslaget"])]),
    dict(k="sjukhus-bygg", s="r", r=["RS"], d=["RS", "RF"], w=2,
         v=[V(["Om- och tillbyggnad av {sjukhus}", "Ny vårdbyggnad vid {sjukhus}"],
              ["Vårdbyggnaden ska inrymma vårdavdelningar, operation och intensivvård.",
               "Investeringen beräknas till {belopp2}.",
               "Lokalerna vid {sjukhus} har stora brister i fråga om vårdhygien."],
              ["godkänna investeringen", "ge regiondirektören i uppdrag att genomföra en förstudie"]),
            V(["Lokalförsörjningsplan för hälso- och sjukvården"],
              ["Lokalförsörjningsplanen omfattar sjukhus, vårdcentraler och tandvårdskliniker.",
               "Behovet av vårdplatser bedöms öka fram till år 2035."],
              ["anta lokalförsörjningsplanen"])]),
    dict(k="patientavgifter", s="r", r=["HSN"], d=["HSN", "RF"], w=1,
         v=[V(["Patientavgifter {ar1}", "Högkostnadsskydd för öppenvård"],
              ["Patientavgiften för besök i primärvården föreslås vara oförändrad.",
               "Högkostnadsskyddet följer den nationella nivån."],
              ["fastställa patientavgifterna för {ar1}"]),
            V(["Avgifter för hjälpmedel"],
              ["Hjälpmedelsavgifterna ses över i samverkan med länets kommuner.", "En ny avgift för rollatorer föreslås."],
              ["fastställa avgifterna för hjälpmedel"])]),
    dict(k="psykiatri", s="r", r=["HSN"], d=["HSN"], w=1,
         v=[V(["Handlingsplan för psykisk hälsa", "Suicidpreventivt arbete"],
              ["Handlingsplanen har tagits fram tillsammans med länets kommuner.",
               "Ett förstärkt första linjens stöd ska finnas på vårdcentralerna."],
              ["anta handlingsplanen"]),
            V(["Barn- och ungdomspsykiatrins tillgänglighet"],
              ["Köerna till barn- och ungdomspsykiatrin är långa.", "Andelen som får en första bedömning inom 30 dagar är {proc_hi} procent."],
              ["lägga informationen till handlingarna"])]),
    dict(k="ambulans", s="r", r=["HSN"], d=["HSN", "RS"], w=1,
         v=[V(["Ny ambulansstation i {kin}"],
              ["Ambulansstationen ska ersätta nuvarande lokaler.", "Investeringen beräknas till {belopp}."],
              ["godkänna etableringen av ambulansstationen"]),
            V(["Ambulanssjukvårdens responstider", "Prehospital vård i glesbygd"],
              ["Responstiderna i länets glesbygd är längre än målet.",
               "Prehospitala enheter kan bemannas med sjuksköterska."],
              ["lägga rapporten till handlingarna"])]),
    dict(k="hyrpersonal", s="r", r=["RS"], d=["RS", "HSN"], w=1,
         b=["Kostnaderna för inhyrd personal uppgick till {belopp2}."],
         v=[V(["Oberoende av inhyrd personal", "Handlingsplan för minskad inhyrning"],
              ["Målet är att regionen ska vara oberoende av hyrpersonal."],
              ["anta handlingsplanen"]),
            V(["Kompetensförsörjning i vården"],
              ["Fler specialistsjuksköterskor ska utbildas med bibehållen lön."],
              ["lägga uppföljningen till handlingarna"])]),
    dict(k="infrastruktur-region", s="r", r=["RUN", "RS"], d=["RUN", "RF"], w=1,
         v=[V(["Länsplan för regional transportinfrastruktur {ar}–{ar3}"],
              ["Länsplanen fördelar medel till regionala vägar, kollektivtrafik och cykelvägar.",
               "Planen ska fastställas av regeringen."],
              ["anta länsplanen"]),
            V(["Regional cykelplan för {lan}"],
              ["Den regionala cykelplanen pekar ut stråk mellan länets tätorter.",
               "Cykelplanen har tagits fram tillsammans med Trafikverket och länets kommuner."],
              ["anta den regionala cykelplanen"]),
            V(["Yttrande över nationell plan för transportinfrastrukturen"],
              ["Yttrandet lyfter behovet av dubbelspår.", "Regionen prioriterar underhåll av befintliga järnvägar."],
              ["lämna yttrande enligt förslaget"])]),
    dict(k="lakemedel", s="r", r=["HSN"], d=["HSN"], w=1,
         v=[V(["Läkemedelskommitténs rekommendationer {ar}", "Läkemedelskostnader {ar}"],
              ["Läkemedelskostnaderna ökar snabbare än budgeterat.",
               "Rekommendationerna omfattar de vanligaste läkemedlen i primärvården."],
              ["lägga informationen till handlingarna"])]),
    dict(k="folkhogskola", s="r", r=["RUN"], d=["RUN"], w=1,
         v=[V(["Regionens folkhögskolor {ar}", "Verksamhetsbidrag till studieförbunden {ar}"],
              ["Folkhögskolorna erbjuder allmän kurs och yrkesutbildningar.",
               "Bidraget till studieförbunden fördelas efter antalet studietimmar."],
              ["fördela verksamhetsbidrag enligt förslaget"])]),
]

# Compatible second clauses ("... beslutar att <topic clause> samt att <extra clause>").
EXTRA_CLAUSES = ["förklara paragrafen omedelbart justerad", "uppdra åt {forv} att verkställa beslutet",
                 "uppdra åt {forv} att återrapportera senast i december {ar1}",
                 "beslutet gäller omedelbart"]

# Protocol items that have no diarienummer.
PROCEDURAL = [
    ("Val av justerare", "Ordföranden föreslår att vice ordföranden justerar protokollet.",
     "utse vice ordföranden att jämte ordföranden justera dagens protokoll"),
    ("Godkännande av dagordningen", "Dagordningen har skickats ut med kallelsen.", "godkänna dagordningen"),
    ("Anmälan av delegationsbeslut", "Förteckning över delegationsbeslut har delats ut.",
     "notera anmälda delegationsbeslut"),
    ("Meddelanden och anmälningsärenden", "Inkomna skrivelser och cirkulär redovisas.",
     "lägga meddelandena till handlingarna"),
    ("Information från förvaltningschefen", "Förvaltningschefen informerar om {info}.",
     "lägga informationen till handlingarna"),
    ("Ekonomisk uppföljning efter {manad}", "Ekonomichefen redovisar utfallet och helårsprognosen.",
     "godkänna den ekonomiska uppföljningen"),
    ("Information om {info}", "Förvaltningen informerar om {info}.", "lägga informationen till handlingarna"),
    ("Allmänhetens frågestund", "Inga frågor har anmälts till frågestunden.", "notera att inga frågor ställts"),
]

# Notices from other authorities posted on the kommun's anslagstavla: no organ, no diarienummer.
EXTERNAL_ANSLAG = [
    ("Kungörelse från Länsstyrelsen i {lan}: tillstånd enligt miljöbalken, {fast}",
     ["{lansstyrelsen} har beslutat om tillstånd enligt miljöbalken för verksamhet på fastigheten {fast}.",
      "Sökande: {bolag}.", "Beslutet finns tillgängligt hos länsstyrelsen och hos {hm}."]),
    ("Underrättelse från Lantmäteriet om avslutad förrättning, {fast}",
     ["Lantmäteriet har avslutat en förrättning som berör fastigheten {fast} i {kommun}.",
      "Förrättningen avser fastighetsreglering och servitut för väg.",
      "Förrättningen kan överklagas till mark- och miljödomstolen."]),
    ("Kungörelse från Trafikverket: fastställd vägplan vid {omr}",
     ["Trafikverket har fastställt vägplanen för ombyggnad av länsväg {vag} vid {omr}.",
      "Vägplanen finns tillgänglig på Trafikverkets webbplats och i {hms} kontaktcenter."]),
    ("Kungörelse från Mark- och miljödomstolen: dom i mål om vattenverksamhet vid {sjo}",
     ["Mark- och miljödomstolen har meddelat dom i mål om vattenverksamhet vid {sjo}.",
      "Domen avser ny bryggkonstruktion och muddring.", "Domen finns tillgänglig hos {hm}."]),
    ("Kungörelse från Länsstyrelsen i {lan}: beslut om vattenskyddsområde",
     ["{lansstyrelsen} har beslutat om ändrade föreskrifter för vattenskyddsområdet vid {sjo}.",
      "Föreskrifterna gäller inom hela skyddsområdet."]),
]

# ---------------------------------------------------------------------------------------
# Special storylines and tricky documents
#
# Each special case is one diarienummer. "emit" says which of arende (a), protokoll (p)
# and anslag (n) appear. Texts may use the ordinary placeholders plus {dnr}, {p} (§),
# {mdatum} (decision date), {sista} (last day of appeal) and [[key]] (another special
# case's diarienummer in the same organisation). Dates: (year, month, day) of registration;
# "pd" days to the protokoll, "nd" days from protokoll (or decision) to anslag.
# ---------------------------------------------------------------------------------------

BATTERY = {
    "1480": dict(place="Torslanda", fast="Arendal 764:720", company="Nordcell Batteri AB", cases=[
        dict(key="mark", role="MARK", prole="KF", date=(2021, 11, 8), pd=75, nd=6, emit="apn",
             title="Markanvisningsavtal med Nordcell Batteri AB för Volvos nya fabrik för battericeller i {place}",
             body=["Nordcell Batteri AB är ett samägt bolag mellan Volvo Cars och en europeisk batteritillverkare.",
                   "Markanvisningsavtalet avser cirka 350 000 kvadratmeter industrimark i {place} för etablering av en fabrik för battericeller.",
                   "Batterifabriken beräknas ge omkring 3 000 arbetstillfällen när den är fullt utbyggd.",
                   "Fastighetskontoret bedömer att etableringen stärker Göteborgsregionens fordonsindustri."],
             beslut=["godkänna markanvisningsavtal med Nordcell Batteri AB för batterifabriken i {place}",
                     "uppdra åt fastighetsnämnden att teckna avtalet"]),
        dict(key="plan", role="BYGG", prole="KF", date=(2022, 2, 14), pd=290, nd=7, emit="apn",
             title="Detaljplan för batterifabrik vid {fast} m.fl. i {place}",
             body=["Detaljplanen ska möjliggöra batterifabriken och tillhörande logistik- och energianläggningar.",
                   "Planområdet ansluter till Volvo Cars befintliga industriområde i {place}.",
                   "Batterifabrikens behov av el och processvatten har utretts särskilt.",
                   "Markanvisningen beslutades i ärende [[mark]]."],
             beslut=["anta detaljplan för batterifabrik vid {fast} m.fl. i {place}"],
             ans_title="Kungörelse: antagen detaljplan för batterifabrik i {place}",
             ans_body=["Kommunfullmäktige antog den {mdatum} detaljplan för batterifabrik vid {fast} m.fl. i {place} ({dnr}).",
                       "Detaljplanen möjliggör Volvos nya fabrik för battericeller.",
                       "Beslutet kan överklagas till mark- och miljödomstolen av den som lämnat skriftliga synpunkter under granskningen."]),
        dict(key="plan-en", same="plan", prole="KF", date=(2022, 11, 28), emit="p",
             p_title="Summary in English: City Council adopts the detailed development plan for the battery cell factory in Torslanda",
             p_body=["§ {p} Summary in English of the decision on the detailed development plan for the battery factory in Torslanda ({dnr}).",
                     "The plan allows a factory for battery cells to be built by Nordcell Batteri AB, a joint venture with Volvo Cars.",
                     "The City Council adopted the plan; the Swedish protocol is the official version."]),
        dict(key="bygglov", role="BYGG", prole="BYGG", date=(2023, 2, 6), pd=50, nd=8, emit="apn",
             title="Bygglov för batterifabrik, nybyggnad av industribyggnad för battericellstillverkning, {fast}",
             body=["Ansökan avser nybyggnad av batterifabrikens första produktionshall om cirka 120 000 kvadratmeter.",
                   "Åtgärden överensstämmer med detaljplanen ([[plan]]).",
                   "Sökande: Nordcell Batteri AB."],
             beslut=["bevilja bygglov för batterifabrik på fastigheten {fast}", "kalla till tekniskt samråd"],
             ans_title="Kungörelse om beviljat bygglov för batterifabrik, {fast}",
             ans_body=["{Organ} har den {mdatum} beviljat bygglov för nybyggnad av batterifabrik på fastigheten {fast} ({dnr}).",
                       "Sökande: Nordcell Batteri AB.",
                       "Beslutet har kungjorts i Post- och Inrikes Tidningar."]),
        dict(key="miljo", role="MILJO", prole="MILJO", date=(2022, 9, 12), pd=45, emit="ap",
             title="Yttrande till mark- och miljödomstolen om miljötillstånd för batteritillverkning i {place}",
             body=["Nordcell Batteri AB har ansökt om tillstånd enligt miljöbalken för tillverkning av battericeller.",
                   "Batterifabrikens utsläpp till luft och vatten samt hanteringen av kemikalier har granskats.",
                   "Nämnden anser att villkor bör föreskrivas för buller och för utsläpp av N-metylpyrrolidon."],
             beslut=["lämna yttrande till mark- och miljödomstolen enligt förvaltningens förslag"]),
        dict(key="info", role="KS", prole="KS", date=(2024, 3, 4), pd=9, emit="p",
             title="Information om batterifabriksetableringen i {place} och behovet av infrastruktur",
             body=["Stadsledningskontoret informerar om batterifabriksetableringen och om pågående arbete med vägar, kollektivtrafik och elnät.",
                   "Batterifabrikens produktion beräknas starta under 2026."],
             beslut=["lägga informationen till handlingarna"]),
        dict(key="motion", role="KF", prole="KF", date=(2025, 1, 20), pd=110, nd=5, emit="apn",
             title="Svar på motion om kollektivtrafik till batterifabriken i {place}",
             body=["Motionärerna föreslår att staden verkar för direktbussar till batterifabriken.",
                   "Kommunstyrelsen konstaterar att Västtrafik planerar utökad trafik till {place} när batterifabriken tas i drift."],
             beslut=["anse motionen besvarad"]),
        dict(key="logistik", role="BYGG", prole="BYGG", date=(2026, 3, 9), pd=120, nd=6, emit="an",
             title="Ändring av detaljplan för battericellsfabrikens logistikområde i {place}",
             body=["Ändringen avser utökad byggrätt för lager vid battericellsfabriken.",
                   "Ursprunglig detaljplan: [[plan]]."],
             beslut=["anta ändringen av detaljplanen"],
             ans_title="Kungörelse: ändrad detaljplan för battericellsfabrikens logistikområde",
             ans_body=["Byggnadsnämnden antog den {mdatum} ändring av detaljplan för battericellsfabrikens logistikområde i {place} ({dnr}).",
                       "Planhandlingarna finns hos stadsbyggnadskontoret."]),
    ]),
    "1493": dict(place="Haggården", fast="Hjälmen 5", company="Vänercell Produktion AB", cases=[
        dict(key="avsikt", role="KS", prole="KF", date=(2022, 4, 11), pd=60, nd=5, emit="apn",
             title="Etablering av en fabrik för battericeller på {place} – avsiktsförklaring med Vänercell Produktion AB",
             body=["Vänercell Produktion AB har visat intresse för att etablera en batterifabrik i Mariestad.",
                   "Avsiktsförklaringen omfattar cirka 100 hektar mark på {place}.",
                   "Etableringen bedöms ge upp till 2 000 arbetstillfällen i Skaraborg."],
             beslut=["godkänna avsiktsförklaringen med Vänercell Produktion AB",
                     "uppdra åt kommunchefen att samordna batterifabriksetableringen"]),
        dict(key="plan", role="BYGG", prole="KF", date=(2023, 1, 16), pd=240, nd=6, emit="apn",
             title="Detaljplan för batterifabrik på {place} ({fast} m.fl.)",
             body=["Detaljplanen ger byggrätt för industri med en högsta byggnadshöjd om 40 meter.",
                   "Batterifabrikens transporter ska ledas via E20.",
                   "Samrådet har visat på synpunkter kring buller och ljusföroreningar."],
             beslut=["anta detaljplan för batterifabrik på {place}"],
             ans_title="Kungörelse: antagen detaljplan för batterifabrik, {place}",
             ans_body=["Kommunfullmäktige antog den {mdatum} detaljplan för batterifabrik på {place} ({dnr}).",
                       "Planhandlingarna finns på kommunens webbplats."]),
        dict(key="bygglov", role="BYGG", prole="BYGG", date=(2024, 2, 5), pd=40, nd=7, emit="an",
             title="Bygglov för batterifabrik, nybyggnad av produktionsbyggnad på {fast}",
             body=["Ansökan avser den första etappen av batterifabriken.",
                   "Bygglovet prövas mot detaljplanen [[plan]].",
                   "Sökande: Vänercell Produktion AB."],
             beslut=["bevilja bygglov för batterifabrik på {fast}"],
             ans_title="Kungörelse: beviljat bygglov för batterifabrik på {fast}",
             ans_body=["{Organ} har den {mdatum} beviljat bygglov för batterifabrik på fastigheten {fast} ({dnr}).",
                       "Sökande: Vänercell Produktion AB."]),
        dict(key="bostad", role="KS", prole="KS", date=(2025, 3, 17), pd=70, emit="ap",
             title="Batterifabrikens påverkan på bostadsförsörjningen i Mariestad",
             body=["Batterifabrikens rekryteringsbehov väntas öka efterfrågan på bostäder.",
                   "Kommunen behöver planera för minst 800 nya bostäder till 2030."],
             beslut=["ge kommunchefen i uppdrag att ta fram ett reviderat bostadsförsörjningsprogram"]),
    ]),
    "2482": dict(place="Hedensbyn", fast="Hedensbyn 1:45", company="Polarcell Battery AB", cases=[
        dict(key="mark", role="KS", prole="KF", date=(2020, 3, 2), pd=80, nd=6, emit="apn",
             title="Markanvisningsavtal med Polarcell Battery AB för utbyggnad av battericellsfabrik i {place}",
             body=["Polarcell Battery AB bygger en battericellsfabrik i {place}.",
                   "Markanvisningsavtalet avser ytterligare 60 hektar för batterifabrikens utbyggnad.",
                   "Kommunen ansvarar för utbyggnad av vägar och VA fram till fastighetsgräns."],
             beslut=["godkänna markanvisningsavtal med Polarcell Battery AB"]),
        dict(key="miljo", role="MILJO", prole="MILJO", date=(2021, 2, 8), pd=40, emit="ap",
             title="Yttrande över ansökan om miljötillstånd för batteritillverkning i {place}",
             body=["Ansökan avser tillverkning av upp till 16 GWh battericeller per år.",
                   "Batterifabrikens vattenförbrukning och utsläpp till Skellefteälven har granskats.",
                   "Nämnden förordar villkor om kontinuerlig mätning av utsläpp."],
             beslut=["lämna yttrande över ansökan om miljötillstånd för batteritillverkning"]),
        dict(key="plan", role="BYGG", prole="KF", date=(2021, 5, 17), pd=200, nd=7, emit="apn",
             title="Detaljplan för batterifabrikens utbyggnad i {place}, etapp 3",
             body=["Detaljplanen utökar industriområdet för batterifabriken.",
                   "Markanvisningen beslutades i ärende [[mark]].",
                   "Planen bedöms medföra betydande miljöpåverkan och en miljökonsekvensbeskrivning har upprättats."],
             beslut=["anta detaljplan för batterifabrikens utbyggnad i {place}"],
             ans_title="Kungörelse: antagen detaljplan för batterifabrikens utbyggnad, {place}",
             ans_body=["Kommunfullmäktige antog den {mdatum} detaljplan för batterifabrikens utbyggnad i {place} ({dnr}).",
                       "Detaljplanen kan överklagas till mark- och miljödomstolen."]),
        dict(key="gymnasie", role="UTB", prole="UTB", date=(2022, 1, 24), pd=30, emit="ap",
             title="Gymnasieskolans programutbud med anledning av batterifabriken",
             body=["Batterifabrikens kompetensbehov motiverar en ny inriktning inom industritekniska programmet.",
                   "Utbildningen planeras i samverkan med Polarcell Battery AB."],
             beslut=["inrätta inriktningen processteknik inom industritekniska programmet"]),
        dict(key="bostad", role="KS", prole="KS", date=(2023, 4, 3), pd=35, emit="ap",
             title="Bostadsförsörjning med anledning av batterifabriksetableringen",
             body=["Batterifabriksetableringen har ökat inflyttningen till Skellefteå kraftigt.",
                   "Kommunen planerar för 10 000 nya bostäder."],
             beslut=["anta riktlinjer för bostadsförsörjning"]),
        dict(key="bygglov", role="BYGG", prole="BYGG", date=(2024, 1, 15), pd=30, nd=5, emit="n",
             title="Bygglov för batterifabrik, tillbyggnad av produktionshall, {fast}",
             body=["Tillbyggnaden avser batterifabrikens tredje produktionshall."],
             beslut=["bevilja bygglov"],
             ans_title="Kungörelse: bygglov för batterifabrik, tillbyggnad av produktionshall, {fast}",
             ans_body=["{Organ} har den {mdatum} beviljat bygglov för tillbyggnad av batterifabriken på fastigheten {fast} ({dnr}).",
                       "Sökande: Polarcell Battery AB."]),
    ]),
    "1980": dict(place="Finnslätten", fast="Spettet 8", company="Mälarcell Labs AB", cases=[
        dict(key="mark", role="KS", prole="KF", date=(2020, 6, 8), pd=70, nd=6, emit="apn",
             title="Markanvisningsavtal med Mälarcell Labs AB för forskningsanläggning och battericellsfabrik på {place}",
             body=["Mälarcell Labs AB planerar en anläggning för utveckling och tillverkning av battericeller.",
                   "Markanvisningen omfattar cirka 20 hektar på {place}.",
                   "Etableringen stärker Västerås som centrum för elektrifiering."],
             beslut=["godkänna markanvisningsavtal med Mälarcell Labs AB"]),
        dict(key="bygglov", role="BYGG", prole="BYGG", date=(2021, 1, 18), pd=35, nd=6, emit="an",
             title="Bygglov för batterifabrik – nybyggnad av industribyggnad, {fast}",
             body=["Ansökan avser nybyggnad av batterifabrikens pilotanläggning.",
                   "Sökande: Mälarcell Labs AB."],
             beslut=["bevilja bygglov för nybyggnad av industribyggnad"],
             ans_title="Kungörelse om beviljat bygglov för batterifabrik, {fast}",
             ans_body=["{Organ} har den {mdatum} beviljat bygglov för nybyggnad av batterifabrik på {fast} ({dnr}).",
                       "Sökande: Mälarcell Labs AB."]),
        dict(key="miljo", role="MILJO", prole="MILJO", date=(2022, 3, 14), pd=45, emit="ap",
             title="Yttrande om miljötillstånd för batteritillverkning vid {place}",
             body=["Mälarcell Labs AB söker tillstånd för utökad batteritillverkning.",
                   "Batterifabrikens lösningsmedelsutsläpp ska minimeras."],
             beslut=["tillstyrka ansökan med föreslagna villkor"]),
    ]),
    "2081": dict(place="Kvarnsveden", fast="Kvarnsveden 3:12", company="Dalakatod AB", cases=[
        dict(key="etablering", role="KS", prole="KF", date=(2021, 8, 23), pd=60, nd=6, emit="apn",
             title="Etablering av en fabrik för battericeller och katodmaterial i {place}",
             body=["Dalakatod AB avser att etablera en anläggning för katodmaterial till battericeller.",
                   "Anläggningen placeras på det tidigare bruksområdet i {place}.",
                   "Batterifabriken kan ge 1 000 arbetstillfällen."],
             beslut=["godkänna avtal om etablering med Dalakatod AB"]),
        dict(key="plan", role="BYGG", prole="KF", date=(2022, 2, 7), pd=210, nd=7, emit="apn",
             title="Detaljplan för batterifabrik i {place}",
             body=["Detaljplanen ger byggrätt för processindustri.",
                   "Etableringsavtalet beslutades i ärende [[etablering]]."],
             beslut=["anta detaljplan för batterifabrik i {place}"],
             ans_title="Kungörelse: detaljplan för batterifabrik i {place} har antagits",
             ans_body=["Kommunfullmäktige antog den {mdatum} detaljplan för batterifabrik i {place} ({dnr}).",
                       "Planhandlingarna finns på kommunens webbplats."]),
        dict(key="paus", role="KS", prole="KS", date=(2024, 10, 7), pd=14, emit="p",
             title="Information om att batterifabrikens etablering i {place} pausas",
             body=["Dalakatod AB har meddelat att batterifabriksetableringen pausas.",
                   "Kommunens åtaganden enligt avtalet ses över."],
             beslut=["lägga informationen till handlingarna"]),
    ]),
    "2580": dict(place="Hertsön", fast="Hertsön 2:40", company="Norrbotten Batterimaterial AB", cases=[
        dict(key="mark", role="KS", prole="KF", date=(2023, 2, 13), pd=75, nd=6, emit="apn",
             title="Markanvisningsavtal med Norrbotten Batterimaterial AB för batterifabrik i {place}",
             body=["Norrbotten Batterimaterial AB planerar en batterifabrik för battericeller och aktiva material.",
                   "Markanvisningen omfattar cirka 80 hektar i {place}.",
                   "Batterifabrikens energibehov ska tillgodoses med fossilfri el."],
             beslut=["godkänna markanvisningsavtal med Norrbotten Batterimaterial AB"]),
        dict(key="plan", role="BYGG", prole="KF", date=(2024, 1, 22), pd=230, nd=7, emit="apn",
             title="Detaljplan för batterifabrik, Hertsöfältet",
             body=["Detaljplanen möjliggör batterifabriken och en ny anslutningsväg.",
                   "Markanvisningen beslutades i ärende [[mark]].",
                   "Batterifabrikens påverkan på naturmiljön har utretts."],
             beslut=["anta detaljplan för batterifabrik, Hertsöfältet"],
             ans_title="Kungörelse: antagen detaljplan för batterifabrik i {place}",
             ans_body=["Kommunfullmäktige antog den {mdatum} detaljplan för batterifabrik i {place} ({dnr}).",
                       "Detaljplanen kan överklagas till mark- och miljödomstolen."]),
        dict(key="miljo", role="MILJO", prole="MILJO", date=(2025, 4, 7), pd=45, emit="ap",
             title="Miljötillstånd för batteritillverkning i {place} – yttrande till mark- och miljödomstolen",
             body=["Ansökan om miljötillstånd för batteritillverkning omfattar även hantering av processavloppsvatten.",
                   "Nämnden framhåller vikten av skyddsåtgärder för Luleälven."],
             beslut=["lämna yttrande enligt förvaltningens förslag"]),
        dict(key="bygglov", role="BYGG", prole="BYGG", date=(2026, 2, 9), pd=40, nd=6, emit="an",
             title="Bygglov för batterifabrik, nybyggnad av cellfabrik etapp 1, {fast}",
             body=["Ansökan avser batterifabrikens första cellfabrik.",
                   "Sökande: Norrbotten Batterimaterial AB."],
             beslut=["bevilja bygglov för batterifabrik"],
             ans_title="Kungörelse om beviljat bygglov för batterifabrik, {fast}",
             ans_body=["{Organ} har den {mdatum} beviljat bygglov för batterifabrik på fastigheten {fast} ({dnr}).",
                       "Sökande: Norrbotten Batterimaterial AB."]),
    ]),
    # Regions touched by the storyline.
    "14": dict(place="Torslanda", fast="", company="Nordcell Batteri AB", cases=[
        dict(key="trafik", role="KTN", prole="KTN", date=(2024, 5, 6), pd=40, emit="ap",
             title="Kollektivtrafik till batterifabriken i {place}",
             body=["Batterifabriken i {place} väntas ge ett stort antal nya arbetspendlare.",
                   "Kollektivtrafiknämnden föreslår en ny expressbusslinje från centrala Göteborg."],
             beslut=["ge Västtrafik i uppdrag att planera expressbusstrafik till batterifabriken"]),
    ]),
    "24": dict(place="Skellefteå", fast="", company="Polarcell Battery AB", cases=[
        dict(key="kompetens", role="RUN", prole="RUN", date=(2021, 9, 13), pd=30, emit="ap",
             title="Regional kompetensförsörjning i samband med batterifabriksetableringen i {place}",
             body=["Batterifabrikens rekryteringsbehov påverkar hela Västerbottens arbetsmarknad.",
                   "Regionen finansierar yrkesutbildningar inom processindustri."],
             beslut=["bevilja medel till regional kompetensförsörjning"]),
    ]),
}

TRICKY = {
    "0180": [
        dict(key="script", role="KS", prole="KS", date=(2024, 6, 3), emit="a",
             title="<script>alert(1)</script> Test av rubrik",
             body=["Ärendet avser kontroll av hur rubriker med specialtecken visas i diariet.",
                   "Handlingen registrerades av stadsledningskontoret."],
             beslut=["lägga ärendet till handlingarna"]),
        dict(key="en-notice", role="KS", prole="KS", date=(2025, 9, 1), pd=10, nd=5, emit="n",
             title="Översyn av stadens webbplatser", body=["Översynen avser stadens webbplatser."],
             beslut=["godkänna översynen"],
             ans_title="Notice: The minutes of the City Executive Board have been approved",
             ans_body=["The minutes of the City Executive Board meeting on {mdatum_en} have been approved and posted ({dnr}).",
                       "The minutes are available at the City Hall and on the city's website.",
                       "The last day to appeal is {sista} (sista dag för överklagande är {sista})."]),
    ],
    "1480": [
        dict(key="en-budget", role="KS", prole="KF", date=(2023, 10, 2), emit="a",
             title="English summary: Gothenburg's budget for {ar1}",
             body=["This is an English-language summary of the City Council's budget for {ar1}.",
                   "The budget prioritises schools, elderly care and climate investments.",
                   "The Swedish budget document is the official version."],
             beslut=["godkänna sammanfattningen"]),
    ],
    "1280": [
        dict(key="amp", role="KUF", prole="KUF", date=(2022, 5, 9), pd=20, nd=5, emit="pn",
             title="Ändrade öppettider för stadsbiblioteket under sommaren",
             body=["Stadsbibliotekets öppettider anpassas under juni–augusti."],
             beslut=["fastställa sommaröppettiderna"],
             ans_title="Kungörelse om ändrade öppettider för stadsbiblioteket",
             ans_body=["Texten har överförts från den tidigare anslagstavlan och innehåller kodning som &amp; <b>fet</b> stil.",
                       "Nämnden beslutade den {mdatum} om sommaröppettider för stadsbiblioteket ({dnr}).",
                       "Protokollet finns på stadens webbplats."]),
        dict(key="en-waste", role="TEK", prole="TEK", date=(2023, 3, 6), emit="a",
             title="Information in English: new rules for sorting food waste",
             body=["From next year all households in Malmö must sort food waste separately.",
                   "Information in Swedish is available on the city's website."],
             beslut=["lägga informationen till handlingarna"]),
    ],
    "2583": [
        dict(key="fi", role="KF", prole="KF", date=(2024, 4, 15), pd=10, nd=6, emit="n",
             title="Justering av kommunfullmäktiges protokoll", body=["Protokollet har justerats."],
             beslut=["justera protokollet"],
             ans_title="Kuulutus: Kunnanvaltuuston pöytäkirja on tarkastettu",
             ans_body=["Haaparannan kunnanvaltuuston kokouksen {mdatum_fi} pöytäkirja on tarkastettu ({dnr}).",
                       "Pöytäkirja on nähtävillä kunnantalolla ja kunnan verkkosivuilla.",
                       "Viimeinen valituspäivä on {sista}. Sista dag för överklagande är {sista}."]),
    ],
    "2521": [
        dict(key="fi", role="BYGG", prole="BYGG", date=(2025, 6, 2), pd=20, nd=5, emit="n",
             title="Bygglov för fritidshus", body=["Ansökan avser fritidshus."],
             beslut=["bevilja bygglov"],
             ans_title="Kuulutus: Rakennuslupa on myönnetty, {fast}",
             ans_body=["Pajalan kunta on myöntänyt rakennusluvan vapaa-ajan asunnolle kiinteistölle {fast} ({dnr}).",
                       "Päätös on nähtävillä kunnantalolla.",
                       "Viimeinen valituspäivä on {sista}. Sista dag för överklagande är {sista}."]),
    ],
}

# ---------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------

ASCII_MAP = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "Å": "a", "Ä": "a",
                           "Ö": "o", "É": "e", "Ü": "u"})
ELECTIONS = [dt.date(2019, 5, 26), dt.date(2022, 9, 11), dt.date(2024, 6, 9), dt.date(2026, 9, 13),
             dt.date(2030, 9, 8)]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
HOLIDAYS = [(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)]
KIND_ORDER = {"arende": 0, "protokoll": 1, "anslag": 2}
CITY_ORG = {"0180": "Stockholms stad", "1480": "Göteborgs stad", "1280": "Malmö stad"}


def slugify(text: str) -> str:
    """ASCII slug: å/ä → a, ö → o, everything else non-alphanumeric → '-'."""
    text = text.lower().translate(ASCII_MAP)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def genitive(name: str) -> str:
    return name if name[-1] in "sxzSXZ" else name + "s"


def lower_first(text: str) -> str:
    return text[0].lower() + text[1:]


def cap(text: str) -> str:
    return text[0].upper() + text[1:]


def is_holiday(day: dt.date) -> bool:
    """Fixed Swedish public holidays, Christmas/New Year's Eve and Midsummer Eve."""
    if (day.month, day.day) in HOLIDAYS:
        return True
    return day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4


def weekday(day: dt.date) -> dt.date:
    """Moves a date forward to the next working day (no weekends, no fixed holidays)."""
    while day.weekday() >= 5 or is_holiday(day):
        day += dt.timedelta(days=1)
    return day


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def place_dates(rng: random.Random, offsets: list[int]) -> list[dt.date]:
    """Dates at the given day offsets, the first uniform in [START, END], all on weekdays."""
    span = (END - START).days - offsets[-1] - 3
    first = START + dt.timedelta(days=rng.randint(0, span))
    dates: list[dt.date] = []
    for offset in offsets:
        day = weekday(first + dt.timedelta(days=offset))
        dates.append(max(day, dates[-1]) if dates else day)
    return dates


def weighted(rng: random.Random, items: list, weights: list[int]):
    return rng.choices(items, weights=weights, k=1)[0]


# ---------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------

class Entity:
    """One kommun or region with its organs, diarium style, website and sources."""

    def __init__(self, code: str, name: str, lan_code: str, lan_name: str, is_region: bool):
        self.code, self.name, self.lan_code, self.lan_name = code, name, lan_code, lan_name
        self.is_region = is_region
        self.organs: dict[str, str] = {}
        self.forv: dict[str, str] = {}
        self.kommuner_in_lan: list[str] = []   # regions: names of the län's kommuner
        self.region_name = ""                  # the region of the organisation's län
        # Set by configure():
        self.domain = ""                       # www.mariestad.se
        self.org = ""                          # "Mariestads kommun", "Region Skåne"
        self.hm = self.hms = ""                # "kommunen"/"kommunens", "regionen"/"regionens"
        self.kf = self.ks = ""                 # "kommunfullmäktige", "kommunstyrelsen"
        self.dnr_style: tuple = DNR_STYLES[0]
        self.arende_source = self.protokoll_source = self.anslag_source = ""

    def organ(self, role: str) -> str:
        return self.organs.get(role) or self.organs["KS"]

    def office(self, role: str) -> str:
        return self.forv.get(role) or self.forv["KS"]


def load_entities() -> list[Entity]:
    with KOMMUNER_CSV.open(encoding="utf-8", newline="") as handle:
        kommuner = [row for row in csv.DictReader(handle)]
    with REGIONER_CSV.open(encoding="utf-8", newline="") as handle:
        regioner = [row for row in csv.DictReader(handle)]
    entities = [Entity(row["kommunkod"].zfill(4), row["kommun"], row["lanskod"].zfill(2), row["lan"], False)
                for row in kommuner]
    region_by_lan = {}
    for row in regioner:
        name = row["region"].split(" (")[0].strip()
        entity = Entity(row["lanskod"].zfill(2), name, row["lanskod"].zfill(2), row["lan"], True)
        region_by_lan[entity.code] = entity
        entities.append(entity)
    for entity in entities:
        region = region_by_lan[entity.lan_code]
        entity.region_name = region.name
        if not entity.is_region:
            region.kommuner_in_lan.append(entity.name)
    return entities


def configure(entity: Entity, rng: random.Random) -> None:
    """Chooses organs, offices, diarium style, website and sources for one organisation."""
    if entity.is_region:
        entity.organs = {"KS": "Regionstyrelsen", "KF": "Regionfullmäktige", "KSAU": "Regionstyrelsen",
                         "RS": "Regionstyrelsen", "RF": "Regionfullmäktige",
                         "HSN": "Hälso- och sjukvårdsnämnden", "KTN": "Kollektivtrafiknämnden",
                         "RUN": "Regionala utvecklingsnämnden"}
        entity.forv = {"KS": "regionledningskontoret", "HSN": "hälso- och sjukvårdsförvaltningen",
                       "KTN": "kollektivtrafikförvaltningen", "RUN": "förvaltningen för regional utveckling"}
        entity.domain = REGION_DOMAINS[entity.code]
        entity.org, entity.hm, entity.hms = entity.name, "regionen", "regionens"
        entity.kf, entity.ks = "regionfullmäktige", "regionstyrelsen"
    else:
        ks_office = rng.choice(["kommunledningskontoret", "kommunledningsförvaltningen", "kommunkansliet"])
        utb = "Barn- och utbildningsnämnden" if rng.random() < 0.85 else "Utbildningsnämnden"
        oms = "Socialnämnden" if rng.random() < 0.65 else "Vård- och omsorgsnämnden"
        tek = "Tekniska nämnden" if rng.random() < 0.7 else "Samhällsbyggnadsnämnden"
        combined = rng.random() < 0.55
        if entity.code in ("1493", "2482"):
            combined = True
        if entity.code in ("1980", "2580", "1480", "0180"):
            combined = False
        bygg = "Bygg- och miljönämnden" if combined else "Byggnadsnämnden"
        miljo = "Bygg- och miljönämnden" if combined else "Miljö- och hälsoskyddsnämnden"
        entity.organs = {"KS": "Kommunstyrelsen", "KF": "Kommunfullmäktige",
                         "KSAU": "Kommunstyrelsens arbetsutskott", "UTB": utb, "SOC": "Socialnämnden",
                         "OMS": oms, "TEK": tek, "KUF": "Kultur- och fritidsnämnden", "BYGG": bygg,
                         "MILJO": miljo, "VAL": "Valnämnden", "MARK": "Kommunstyrelsen"}
        entity.forv = {"KS": ks_office,
                       "UTB": "barn- och utbildningsförvaltningen" if utb.startswith("Barn") else "utbildningsförvaltningen",
                       "SOC": "socialförvaltningen",
                       "OMS": "socialförvaltningen" if oms == "Socialnämnden" else "vård- och omsorgsförvaltningen",
                       "TEK": "tekniska förvaltningen" if tek == "Tekniska nämnden" else "samhällsbyggnadsförvaltningen",
                       "KUF": "kultur- och fritidsförvaltningen",
                       "BYGG": "miljö- och byggförvaltningen" if combined else "samhällsbyggnadsförvaltningen",
                       "MILJO": "miljö- och byggförvaltningen" if combined else "miljöförvaltningen",
                       "VAL": "valkansliet"}
        if entity.code == "0180":
            entity.organs.update(BYGG="Stadsbyggnadsnämnden", MARK="Exploateringsnämnden")
            entity.forv.update(KS="stadsledningskontoret", BYGG="stadsbyggnadskontoret", MARK="exploateringskontoret")
        elif entity.code == "1480":
            entity.organs.update(MILJO="Miljö- och klimatnämnden", MARK="Fastighetsnämnden")
            entity.forv.update(KS="stadsledningskontoret", BYGG="stadsbyggnadskontoret", MARK="fastighetskontoret")
        elif entity.code == "1280":
            entity.organs.update(BYGG="Stadsbyggnadsnämnden")
            entity.forv.update(KS="stadskontoret", BYGG="stadsbyggnadskontoret")
        entity.domain = f"www.{slugify(entity.name)}.se"
        entity.org = CITY_ORG.get(entity.code, f"{genitive(entity.name)} kommun")
        entity.hm, entity.hms = ("staden", "stadens") if entity.code in CITY_ORG else ("kommunen", "kommunens")
        entity.kf, entity.ks = "kommunfullmäktige", "kommunstyrelsen"
    style = weighted(rng, DNR_STYLES, DNR_STYLE_WEIGHTS)
    entity.dnr_style = style
    entity.arende_source = weighted(rng, ["ciceron", "meetingsplus", "sitevision", "wordpress"], [35, 30, 25, 10])
    entity.protokoll_source = weighted(rng, ["meetingsplus", "ciceron", "file", "sitevision"], [40, 20, 30, 10])
    entity.anslag_source = weighted(rng, ["netpublicator", "sitevision", "wordpress", "meetingsplus"], [40, 30, 20, 10])


def allocate_quotas(entities: list[Entity], rng: random.Random) -> dict[str, int]:
    """At least 10 documents per kommun and 8 per region; the rest by size, summing to TOTAL."""
    minimum = {e.code: (8 if e.is_region else 10) for e in entities}
    extra = {}
    for e in entities:
        if e.is_region:
            extra[e.code] = BIG_REGIONER.get(e.code, rng.randint(2, 8))
        else:
            extra[e.code] = BIG_KOMMUNER.get(e.code, rng.randint(0, 10))
    remaining = TOTAL_DOCUMENTS - sum(minimum.values())
    scale = remaining / sum(extra.values())
    quota = {e.code: minimum[e.code] + int(extra[e.code] * scale) for e in entities}
    leftover = TOTAL_DOCUMENTS - sum(quota.values())
    by_fraction = sorted(entities, key=lambda e: (-((extra[e.code] * scale) % 1), e.code))
    for e in by_fraction[:leftover]:
        quota[e.code] += 1
    return quota


# ---------------------------------------------------------------------------------------
# Cases: one diarienummer each, producing up to one ärende, protokoll and anslag
# ---------------------------------------------------------------------------------------

class Case:
    """One matter with one diarienummer (or none) and the documents it produces."""

    def __init__(self, entity: Entity):
        self.entity = entity
        self.key = ""              # special cases only
        self.same = ""             # special: reuse another case's diarienummer
        self.role = "KS"           # role that registers the ärende
        self.prole = "KS"          # role that decides
        self.reg = START           # registration date (gives the diarienummer's year)
        self.arende_date = None
        self.prot_date = None
        self.decision_date = None  # the decision an anslag announces
        self.ans_date = None
        self.window = 21
        self.para = None
        self.dnr = None
        self.has_dnr = True
        self.ctx: dict = {}
        self.title = ""
        self.body: list[str] = []       # ärende body (templates)
        self.bg: list[str] = []         # protokoll background (templates)
        self.clauses: list[str] = []
        self.propose_to_kf = False
        self.ans_title = None
        self.ans_body: list[str] | None = None
        self.overrides: dict = {}       # p_title / p_body / ... from special specs
        self.procedural = None          # (title, sentence, clause)
        self.external = None            # (title, sentences)
        self.closing = False
        self.sent_to = False
        self.ans_variant = 0
        self.prot_variant = 0
        self.law_sentence = False
        self.office_sentence = 0


def compound(head: str, tail: str) -> str:
    """Joins a compound the Swedish way: Tall + lunden → Tallunden (no triple consonant)."""
    if len(head) > 1 and head[-1] == head[-2] == tail[0]:
        head = head[:-1]
    return head + tail


def random_area(rng: random.Random) -> str:
    return compound(rng.choice(AREA_HEADS), rng.choice(AREA_TAILS))


def random_property(rng: random.Random) -> str:
    tract = rng.choice(TRACTS)
    if rng.random() < 0.55:
        return f"{tract} {rng.randint(1, 30)}:{rng.randint(1, 250)}"
    return f"{tract} {rng.randint(1, 40)}"


def random_company(rng: random.Random) -> str:
    pattern = rng.choice(COMPANY_PATTERNS)
    return pattern.format(A=random_area(rng), T=rng.choice(TRACTS))


def case_context(entity: Entity, rng: random.Random, reg: dt.date, role: str) -> dict:
    """Values for every placeholder; drawn in a fixed order so output is reproducible."""
    year = reg.year
    area, area2 = random_area(rng), random_area(rng)
    if entity.is_region:
        kin, kin2 = rng.sample(REGION_PLACES.get(entity.code, entity.kommuner_in_lan), 2)
    else:
        kin = kin2 = entity.name
    party, party_short = rng.choice(PARTIES)
    organ = entity.organ(role)
    ctx = {
        "kommun": entity.name, "kommun_gen": genitive(entity.name), "org": entity.org,
        "hm": entity.hm, "hms": entity.hms, "Hm": cap(entity.hm), "kf": entity.kf, "ks": entity.ks,
        "region": entity.region_name, "lan": entity.lan_name,
        "lansstyrelsen": f"Länsstyrelsen i {entity.lan_name}",
        "forv": entity.office(role), "organ": organ, "Organ": organ, "organ_l": lower_first(organ),
        "Organ_gen": genitive(organ),
        "omr": area, "omr_gen": genitive(area), "omr2": area2,
        "fast": random_property(rng), "gata": compound(rng.choice(AREA_HEADS), rng.choice(STREET_TAILS)),
        "bolag": random_company(rng),
        "ar": year, "ar0": year - 1, "ar1": year + 1, "ar2": year + 2, "ar3": year + 3,
        "belopp": f"{decimal(rng.randint(8, 950) / 10)} miljoner kronor",
        "belopp2": f"{rng.randint(12, 99) * 10} miljoner kronor",
        "belopp3": f"{decimal(rng.randint(5, 250) / 10)} miljoner kronor",
        "tkr": thousands(rng.randint(5, 120) * 1000), "kr": thousands(rng.randint(900, 1600)),
        "kr_small": rng.randint(15, 95), "antal": rng.randint(12, 95), "antal2": rng.randint(40, 400),
        "antal_small": rng.choice(["två", "tre", "fyra", "fem", "sex", "sju"]),
        "bost": rng.randint(2, 40) * 10, "proc": decimal(rng.randint(5, 95) / 10),
        "proc_hi": rng.randint(55, 92), "kvm": thousands(rng.randint(12, 300) * 100),
        "kvm_small": rng.randint(15, 60), "bya": rng.randint(9, 25) * 10, "barn": rng.randint(8, 16) * 10,
        "lgh": rng.randint(30, 90), "proc_eko": rng.randint(20, 60), "proc_res": decimal(rng.randint(5, 35) / 10), "km": decimal(rng.randint(5, 60) / 10), "ha": rng.randint(8, 400),
        "q": rng.randint(1, 4), "manad": MONTHS[(reg.month - 2) % 12], "vag": rng.randint(100, 999),
        "valar": next(e.year for e in ELECTIONS if e > reg),
        "sjo": rng.choice(LAKES), "rest": rng.choice(RESTAURANTS), "upph": rng.choice(PROCUREMENTS),
        "motion": rng.choice(MOTIONS_REGION if entity.is_region else MOTIONS_KOMMUN),
        "parti": party, "parti_kort": party_short, "info": rng.choice(INFO_TOPICS),
        "skola": f"{genitive(random_area(rng))} skola", "skola2": f"{genitive(random_area(rng))} skola",
        "forskola": rng.choice(PRESCHOOLS), "boende": rng.choice(CARE_HOMES),
        "kin": kin, "kin2": kin2,
        "sjukhus": rng.choice([f"{kin} lasarett", f"sjukhuset i {kin}", f"{genitive(kin)} sjukhus",
                               f"länssjukhuset i {kin}"]),
        "lovtyp": "bygglov", "atgard": "åtgärden",
    }
    ctx["mf"] = rng.choice(CITIZEN_PROPOSALS).format_map(ctx)
    return ctx


def topic_case(entity: Entity, rng: random.Random, topic: dict, structure: str) -> Case:
    """A case from a topic template. structure: 'a', 'ap', 'apn', 'p' or 'n'."""
    case = Case(entity)
    case.role = rng.choice(topic["r"])
    case.prole = rng.choice(topic["d"])
    if structure == "a":
        dates = place_dates(rng, [0])
        case.arende_date = dates[0]
    elif structure == "ap":
        dates = place_dates(rng, [0, rng.randint(20, 160)])
        case.arende_date, case.prot_date = dates
    elif structure == "apn":
        first = rng.randint(20, 160)
        dates = place_dates(rng, [0, first, first + rng.randint(2, 9)])
        case.arende_date, case.prot_date, case.ans_date = dates
    elif structure == "p":
        dates = place_dates(rng, [0, rng.randint(10, 120)])
        case.prot_date = dates[1]
    else:  # "n": a decision (delegation or meeting not in the demo) announced on the anslagstavla
        first = rng.randint(10, 90)
        dates = place_dates(rng, [0, first, first + rng.randint(1, 6)])
        case.decision_date, case.ans_date = dates[1], dates[2]
    case.reg = dates[0]
    if case.prot_date:
        case.decision_date = case.prot_date
    case.ctx = case_context(entity, rng, case.reg, case.role)
    case.ctx["lovtyp"] = topic.get("lovtyp", "bygglov")
    case.ctx["atgard"] = topic.get("atgard", "åtgärden")
    variants = topic["v"]
    if structure == "n" and topic.get("at") and rng.random() < 0.8:
        variants = [v for v in variants if v["n"]] or variants
    variant = rng.choice(variants)
    case.title = rng.choice(variant["t"])
    # Shared sentences first, then the variant's own; always at least one of the variant's.
    pool = topic.get("b", []) + variant["b"]
    own = list(range(len(pool) - len(variant["b"]), len(pool)))
    case.body = pick_sentences(rng, pool, own, rng.randint(2, min(4, len(pool))))
    case.closing = rng.random() < 0.3
    case.bg = pick_sentences(rng, pool, own, rng.randint(1, 2))
    clause = 0 if rng.random() < 0.75 else rng.randrange(len(variant["c"]))
    case.clauses = [variant["c"][clause]]
    if rng.random() < 0.3:
        case.clauses.append(rng.choice(EXTRA_CLAUSES))
    case.propose_to_kf = case.prole in ("KS", "KSAU") and "KF" in topic["d"] and rng.random() < 0.5
    if topic.get("at") and variant["n"] and clause == 0 and (structure == "n" or rng.random() < 0.6):
        case.ans_title = rng.choice(topic["at"])
        rest = topic["ab"][1:]
        picked = sorted(rng.sample(range(len(rest)), min(len(rest), rng.randint(1, 2))))
        case.ans_body = [topic["ab"][0]] + [rest[i] for i in picked]
    finish_case(case, rng)
    return case


def pick_sentences(rng: random.Random, pool: list[str], own: list[int], count: int) -> list[str]:
    """count sentences from pool in their written order, at least one of them from own."""
    first = rng.choice(own)
    others = [i for i in range(len(pool)) if i != first]
    picked = sorted([first] + rng.sample(others, count - 1))
    return [pool[i] for i in picked]


def finish_case(case: Case, rng: random.Random) -> None:
    """Draws the presentation choices that every case needs (in a fixed order)."""
    if case.ans_date:
        case.window = weighted(rng, [21, 22, 28, 30, 42, 14], [70, 8, 8, 6, 4, 4])
    case.sent_to = rng.random() < 0.25
    case.ans_variant = rng.randrange(4)
    case.prot_variant = rng.randrange(4)
    case.law_sentence = rng.random() < 0.4
    case.office_sentence = rng.randrange(3)


def special_case(entity: Entity, rng: random.Random, spec: dict, extra_ctx: dict) -> Case:
    case = Case(entity)
    case.key = spec["key"]
    case.same = spec.get("same", "")
    case.role = spec.get("role", "KS")
    case.prole = spec.get("prole", case.role)
    emit = spec["emit"]
    reg = weekday(dt.date(*spec["date"]))
    case.reg = reg
    decision = weekday(reg + dt.timedelta(days=spec.get("pd", 0)))
    if case.same:
        case.prot_date = reg
        decision = reg
    else:
        if "a" in emit:
            case.arende_date = reg
        if "p" in emit:
            case.prot_date = decision
    if "n" in emit:
        case.ans_date = weekday(decision + dt.timedelta(days=spec.get("nd", 5)))
    case.decision_date = decision
    case.ctx = case_context(entity, rng, reg, case.role)
    case.ctx.update(extra_ctx)
    case.title = spec.get("title", "")
    case.body = list(spec.get("body", []))
    case.bg = case.body[:2]
    case.clauses = list(spec.get("beslut", []))
    case.ans_title = spec.get("ans_title")
    case.ans_body = spec.get("ans_body")
    case.overrides = {k: spec[k] for k in ("p_title", "p_body") if k in spec}
    finish_case(case, rng)
    return case


def procedural_case(entity: Entity, rng: random.Random) -> Case:
    case = Case(entity)
    roles = ["RS", "RF", "HSN", "KTN", "RUN"] if entity.is_region else ["KS", "KF", "KSAU", "UTB", "SOC", "TEK", "BYGG", "KUF"]
    case.prole = case.role = rng.choice(roles)
    case.prot_date = case.reg = place_dates(rng, [0])[0]
    case.decision_date = case.prot_date
    case.has_dnr = False
    case.ctx = case_context(entity, rng, case.reg, case.role)
    case.procedural = rng.choice(PROCEDURAL)
    finish_case(case, rng)
    return case


def external_case(entity: Entity, rng: random.Random) -> Case:
    case = Case(entity)
    case.ans_date = case.reg = place_dates(rng, [0])[0]
    case.decision_date = case.ans_date
    case.has_dnr = False
    case.ctx = case_context(entity, rng, case.reg, "KS")
    case.external = rng.choice(EXTERNAL_ANSLAG)
    finish_case(case, rng)
    case.window = 21
    return case


def emitted_kinds(case: Case) -> list[str]:
    return [kind for kind, day in (("arende", case.arende_date), ("protokoll", case.prot_date),
                                   ("anslag", case.ans_date)) if day]


def pick_topic(rng: random.Random, topics: list[dict], want_notice: bool) -> dict:
    if want_notice and rng.random() < 0.7:
        topics = [t for t in topics if t.get("at")] or topics
    return weighted(rng, topics, [t["w"] for t in topics])


def build_cases(entity: Entity, quota: int, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    battery = BATTERY.get(entity.code)
    if battery:
        extra = {"place": battery["place"], "company": battery["company"]}
        if battery["fast"]:
            extra["fast"] = battery["fast"]
        cases += [special_case(entity, rng, spec, extra) for spec in battery["cases"]]
    cases += [special_case(entity, rng, spec, {}) for spec in TRICKY.get(entity.code, [])]

    have = {"arende": 0, "protokoll": 0, "anslag": 0}
    for case in cases:
        for kind in emitted_kinds(case):
            have[kind] += 1
    target_a = round(0.4 * quota)
    target_p = round(0.3 * quota)
    need = {"arende": max(0, target_a - have["arende"]),
            "protokoll": max(0, target_p - have["protokoll"]),
            "anslag": max(0, quota - target_a - target_p - have["anslag"])}
    room = max(0, quota - sum(have.values()))
    while sum(need.values()) > room:
        biggest = max(["arende", "protokoll", "anslag"], key=lambda k: (need[k], k))
        need[biggest] -= 1

    linked_p = min(need["protokoll"], round(need["arende"] * 0.62))
    linked_n = min(need["anslag"], round(linked_p * 0.85))
    structures = ["apn"] * linked_n + ["ap"] * (linked_p - linked_n) + ["a"] * (need["arende"] - linked_p)
    structures += ["proc" if rng.random() < 0.45 else "p" for _ in range(need["protokoll"] - linked_p)]
    external_share = 0.1 if entity.is_region else 0.2
    structures += ["ext" if rng.random() < external_share else "n" for _ in range(need["anslag"] - linked_n)]

    scope = ("r", "b") if entity.is_region else ("k", "b")
    topics = [t for t in TOPICS if t["s"] in scope]
    for structure in structures:
        if structure == "proc":
            cases.append(procedural_case(entity, rng))
        elif structure == "ext":
            cases.append(external_case(entity, rng))
        else:
            topic = pick_topic(rng, topics, structure == "n")
            cases.append(topic_case(entity, rng, topic, structure))
    return cases


def assign_numbers(entity: Entity, cases: list[Case], rng: random.Random) -> None:
    """Diarienummer in registration order and § numbers in meeting order.

    Running numbers grow through the year at a rate typical for the series (so a case
    registered in December has a higher number than one from February), per series and year.
    """
    name, table, pattern = entity.dnr_style
    if name.startswith("dash6") or name == "letter6":
        rate_range = (2.0, 9.0)
    elif name == "letter4":
        rate_range = (0.2, 1.0)
    elif name == "bare":
        rate_range = (1.5, 5.0)
    else:
        rate_range = (0.3, 1.2)
    size = 1.0 if len(cases) >= 20 else 0.6
    rates: dict[str, float] = {}
    counters: dict[tuple[str, int], int] = {}
    numbered = [c for c in cases if c.has_dnr and not c.same]
    order = {id(c): i for i, c in enumerate(cases)}
    for case in sorted(numbered, key=lambda c: (c.reg, order[id(c)])):
        organ = entity.organ(case.role)
        prefix = "" if table is None else table.get(organ, ORGAN_PREFIX.get(organ, "KS"))
        if prefix not in rates:
            boost = 2.0 if prefix in ("KS", "") else 1.0
            rates[prefix] = rng.uniform(*rate_range) * boost * size
        day_of_year = case.reg.timetuple().tm_yday
        counter_key = (prefix, case.reg.year)
        number = max(counters.get(counter_key, 0) + 1, int(day_of_year * rates[prefix]) + rng.randint(1, 6))
        counters[counter_key] = number
        case.dnr = pattern.format(p=prefix, y=case.reg.year, n=number)
    by_key = {c.key: c for c in cases if c.key}
    for case in cases:
        if case.same:
            case.dnr = by_key[case.same].dnr

    para_rates: dict[str, float] = {}
    paragraphs: dict[tuple[str, int], int] = {}
    with_meeting = [c for c in cases if c.prot_date or c.ans_date]
    for case in sorted(with_meeting, key=lambda c: (c.decision_date, order[id(c)])):
        organ = entity.organ(case.prole)
        if organ not in para_rates:
            para_rates[organ] = rng.uniform(0.15, 0.55)
        day_of_year = case.decision_date.timetuple().tm_yday
        para_key = (organ, case.decision_date.year)
        para = max(paragraphs.get(para_key, 0) + 1, int(day_of_year * para_rates[organ]) + rng.randint(1, 5))
        paragraphs[para_key] = para
        case.para = para


# ---------------------------------------------------------------------------------------
# Rendering documents
# ---------------------------------------------------------------------------------------

def render(template: str, ctx: dict, keys: dict[str, str]) -> str:
    text = template.format_map(ctx)
    return re.sub(r"\[\[([\w-]+)\]\]", lambda m: keys[m.group(1)], text)


def sentence(text: str) -> str:
    text = cap(text.strip())
    return text if text[-1] in ".!?" else text + "."


def dnr_sentence(dnr: str) -> str:
    return f"{dnr}." if dnr.startswith("Dnr") else f"Diarienummer: {dnr}."


def render_case(case: Case, keys: dict[str, str]) -> list[dict]:
    entity = case.entity
    docs = []
    ctx = dict(case.ctx)
    deciding = entity.organ(case.prole)
    ctx.update(dnr=case.dnr or "", p=case.para or "")
    if case.decision_date:
        day = case.decision_date
        ctx.update(mdatum=long_date(day), mdatum_en=f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}",
                   mdatum_fi=f"{day.day}.{day.month}.{day.year}")
    if case.ans_date:
        ctx["sista"] = (case.ans_date + dt.timedelta(days=21)).isoformat()
    title = render(case.title, ctx, keys) if case.title else ""

    if case.arende_date:
        body = [sentence(render(s, ctx, keys)) for s in case.body]
        if case.closing:
            body.append(f"Ärendet handläggs av {ctx['forv']}.")
        docs.append(document(case, "arende", case.arende_date, entity.organ(case.role), title, body))

    # From here on the deciding organ speaks.
    ctx.update(organ=deciding, Organ=deciding, organ_l=lower_first(deciding), Organ_gen=genitive(deciding),
               forv=entity.office(case.prole))

    if case.prot_date:
        if case.procedural:
            p_title_t, bg_t, clause_t = case.procedural
            title = render(p_title_t, ctx, keys)
            body = [f"§ {case.para} {title}.", sentence(render(bg_t, ctx, keys)),
                    f"Beslut: {deciding} beslutar att {render(clause_t, ctx, keys)}."]
            p_title = title
        elif "p_body" in case.overrides:
            p_title = render(case.overrides["p_title"], ctx, keys)
            body = [sentence(render(s, ctx, keys)) for s in case.overrides["p_body"]]
        else:
            clauses = " samt att ".join(render(c, ctx, keys) for c in case.clauses)
            verb = f"föreslår {entity.kf} besluta att" if case.propose_to_kf else "beslutar att"
            body = [f"§ {case.para} {sentence(title)}"]
            if case.dnr:
                body.append(dnr_sentence(case.dnr))
            body += [sentence(render(s, ctx, keys)) for s in case.bg]
            body.append(f"Beslut: {deciding} {verb} {clauses}.")
            if case.sent_to:
                body.append(f"Beslutet skickas till {ctx['forv']}.")
            p_title = [title, f"§ {case.para} {title}", f"Protokollsutdrag § {case.para}: {title}",
                       f"{title} (§ {case.para})"][case.prot_variant]
        docs.append(document(case, "protokoll", case.prot_date, deciding, p_title, body))

    if case.ans_date:
        organ = deciding
        if case.external:
            title_t, sentences = case.external
            n_title = render(title_t, ctx, keys)
            body = [sentence(render(s, ctx, keys)) for s in sentences]
            organ = None
        elif case.ans_title:
            n_title = render(case.ans_title, ctx, keys)
            body = [sentence(render(s, ctx, keys)) for s in case.ans_body]
        else:
            n_title = [f"Justerat protokoll – {deciding} den {ctx['mdatum']}",
                       f"Tillkännagivande av justerat protokoll, {ctx['organ_l']} den {ctx['mdatum']}",
                       f"Anslag om justerat protokoll: {title}",
                       f"Protokoll {ctx['organ_l']} {ctx['mdatum']} – {title}"][case.ans_variant]
            body = [f"{ctx['Organ_gen']} protokoll från sammanträdet den {ctx['mdatum']} har justerats."]
            if case.dnr:
                body.append(f"Protokollet omfattar bland annat § {case.para} {title} ({case.dnr}).")
            body.append([f"Protokollet förvaras hos {ctx['forv']}.",
                         f"Protokollet finns tillgängligt på {entity.hms} webbplats och i kontaktcenter.",
                         f"Protokollet finns tillgängligt i receptionen och på {entity.hms} webbplats."][case.office_sentence])
            if case.law_sentence:
                body.append("Beslut som fattats kan överklagas genom laglighetsprövning enligt 13 kap. kommunallagen.")
        if not any("sista dag för överklagande" in s.lower() for s in body):
            body.append(f"Sista dag för överklagande är {ctx['sista']}.")
        docs.append(document(case, "anslag", case.ans_date, organ, n_title, body))
    return docs


def document(case: Case, kind: str, day: dt.date, organ: str | None, title: str, body: list[str]) -> dict:
    entity = case.entity
    doc = {
        "id": "",  # assigned after sorting
        "kind": kind,
        "kommun_kod": entity.code,
        "kommun": entity.name,
        "organ": organ,
        "diarienummer": case.dnr,
        "title": title,
        "body": " ".join(body),
        "date": day.isoformat(),
        "publish_from": None,
        "publish_to": None,
        "url": None,
        "source": {"arende": entity.arende_source, "protokoll": entity.protokoll_source,
                   "anslag": entity.anslag_source}[kind],
    }
    if kind == "anslag":
        doc["publish_from"] = day.isoformat()
        doc["publish_to"] = (day + dt.timedelta(days=case.window)).isoformat()
        if organ is None and entity.anslag_source == "meetingsplus":
            doc["source"] = "netpublicator"
    doc["_para"] = case.para
    return doc


def add_url(doc: dict, entity: Entity, number: int) -> None:
    domain = entity.domain
    bare = domain.removeprefix("www.")
    kind, source, day = doc["kind"], doc["source"], doc["date"]
    organ = slugify(doc["organ"] or "anslag")
    case_slug = slugify(doc["diarienummer"] or f"{doc['title']}")[:60].strip("-")
    title_slug = slugify(doc["title"])[:60].strip("-") or "dokument"
    politics = "politik" if entity.is_region else "kommun-och-politik"
    if kind == "anslag":
        url = {"netpublicator": f"https://{domain}/anslagstavla/{title_slug}-{number}",
               "sitevision": f"https://{domain}/{politics}/anslagstavla/{title_slug}.html",
               "wordpress": f"https://{domain}/anslagstavla/{title_slug}/",
               "meetingsplus": f"https://sammantraden.{bare}/anslagstavla/{number}"}[source]
    elif kind == "protokoll":
        para = doc["_para"] or 1
        url = {"meetingsplus": f"https://sammantraden.{bare}/committees/{organ}/{day}#paragraf-{para}",
               "ciceron": f"https://{domain}/{politics}/protokoll/{organ}-{day}.pdf#page={1 + para % 17}",
               "file": f"https://{domain}/download/18.{zlib_hex(doc['id'])}/{day}-protokoll-{organ}.pdf",
               "sitevision": f"https://{domain}/{politics}/protokoll/{organ}/{day}.html#p{para}"}[source]
    else:
        url = {"ciceron": f"https://diarium.{bare}/arende/{case_slug}",
               "meetingsplus": f"https://sammantraden.{bare}/arenden/{case_slug}",
               "sitevision": f"https://{domain}/{politics}/diarium/{case_slug}.html",
               "wordpress": f"https://{domain}/diarium/{case_slug}/"}[source]
    doc["url"] = url


def zlib_hex(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8')):08x}"


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------

FIELD_ORDER = ["id", "kind", "kommun_kod", "kommun", "organ", "diarienummer", "title", "body", "date",
               "publish_from", "publish_to", "url", "source"]


def check_templates() -> None:
    """Every variant needs a title, a decision and at least two background sentences."""
    keys = [t["k"] for t in TOPICS]
    assert len(keys) == len(set(keys)), "duplicate topic keys"
    for topic in TOPICS:
        for variant in topic["v"]:
            assert variant["t"] and variant["c"], topic["k"]
            assert len(topic.get("b", [])) + len(variant["b"]) >= 2, topic["k"]
            assert not variant["n"] or topic.get("at"), topic["k"]


def generate() -> list[dict]:
    check_templates()
    rng = random.Random(SEED)
    entities = load_entities()
    for entity in entities:
        configure(entity, rng)
    quotas = allocate_quotas(entities, rng)
    documents: list[dict] = []
    for entity in entities:
        cases = build_cases(entity, quotas[entity.code], rng)
        assign_numbers(entity, cases, rng)
        keys = {c.key: c.dnr for c in cases if c.key and c.dnr}
        docs = []
        for index, case in enumerate(cases):
            for doc in render_case(case, keys):
                docs.append((doc["date"], KIND_ORDER[doc["kind"]], index, doc))
        docs.sort(key=lambda item: item[:3])
        for number, (_, _, _, doc) in enumerate(docs, start=1):
            doc["id"] = f"demo-{entity.code}-{doc['kind']}-{number:06d}"
            add_url(doc, entity, number)
            documents.append({field: doc[field] for field in FIELD_ORDER})
    return documents


def main() -> int:
    documents = generate()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as handle:
        for doc in documents:
            handle.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    kinds = {k: sum(1 for d in documents if d["kind"] == k) for k in ("arende", "anslag", "protokoll")}
    dates = sorted(d["date"] for d in documents)
    codes = sorted({d["kommun_kod"] for d in documents})
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(documents)} documents, {OUTPUT.stat().st_size} bytes")
    print("kinds: " + ", ".join(f"{k} {v} ({100 * v / len(documents):.1f}%)" for k, v in kinds.items()))
    print(f"dates: {dates[0]} .. {dates[-1]}; organisations: {len(codes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
