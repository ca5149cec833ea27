#!/usr/bin/env python3
"""Generate a large synthetic Nämndsök corpus (Document JSON v1, NDJSON) on stdout.

Usage:
    python3 scripts/gen_corpus.py --docs N [--seed S] > corpus.jsonl

Meant for benchmarks at 100k, 1M and 10M documents. Standard library only, streaming
(constant memory: one document at a time plus fixed-size tables), and deterministic:
the same --docs/--seed always give byte-identical output (one random.Random(seed),
no clock, no iteration over sets). The vocabulary itself is built from a fixed seed, so
corpora with different --seed values share the same words.

Distributions:
  * Organisations: all 290 kommuner and 21 regioner from crates/model/data/*.csv. The CSVs
    have no population column, so each organisation gets a Zipf weight 1/(rank+2) from a
    fixed ranking: the ~45 largest kommuner in approximate population order (Stockholm,
    Göteborg, Malmö, Uppsala, Linköping, ...), then the rest in a fixed seeded order.
    Regioner take about 8 % of all documents, weighted by approximate län population.
  * Kinds: 45 % arende, 35 % anslag, 20 % protokoll.
    arende/anslag bodies are 300–1500 bytes; protokoll bodies 3–8 KB made of several
    "§ N Title" paragraphs, each with a diarienummer, background and a decision.
  * Diarienummer: each organisation uses one style ("KS 2023/412", "BN 2021.0123",
    "SBN-2020-1234", "Dnr KS 2019/00087", "BN 2025-002614", "2023/1234", ...), prefix by
    nämnd. About a third of the documents continue an earlier case (same organisation,
    diarienummer and subject, later date) taken from a bounded ring of recent cases, so
    ärende → protokoll → anslag chains share a diarienummer.
  * Dates: 2017-01-01..2026-11-30, density rising linearly so the last year is about
    1.6 times as dense as the first; weekends move to a weekday. Anslag have
    publish_from = date and publish_to = date + 14..28 days.
  * Text: sentence frames (Swedish council prose, with literal function words such as
    "för", "om", "och", "av", "i", "beslut om", "detaljplan för") whose slots are filled
    from a Zipf (s≈1.05) distribution over ~3,500 noun lemmas: simple nouns plus
    compounds of parts ("förskole"+"verksamhet", "batteri"+"fabrik") in inflected forms
    (-en, -et, -ens, -er/-ar/-or, -erna/-arna, -s genitive), plus adjectives and verbs.
    A fixed pool of pre-filled sentences (60,000) is drawn from per document, so word
    frequencies stay Zipfian while generation stays fast.
  * About 2 % of documents are "ASCII-typed" (å/ä → a, ö → o) in title and body.
    No personnummer, phone numbers or real persons appear.
  * Rare planted words, each in a known small fraction of documents (see RARE_WORDS),
    e.g. "vätgasterminal" in about 1 of 50,000 documents.
  * ids are "gen-{seed}-{n}", urls "https://www.{slug}.se/...".
"""

from __future__ import annotations

import argparse
from bisect import bisect_right as bisect
import csv
import datetime as dt
import json
import math
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KOMMUNER_CSV = ROOT / "crates" / "model" / "data" / "kommuner.csv"
REGIONER_CSV = ROOT / "crates" / "model" / "data" / "regioner.csv"

VOCAB_SEED = 4711
POOL_SIZE = 40_000
RING_SIZE = 8192
START = dt.date(2017, 1, 1).toordinal()
END = dt.date(2026, 11, 30).toordinal()
DENSITY_SLOPE = 0.6  # pdf ∝ 1 + a·t over the range, t in [0, 1]

# (word, probability per document). Planted as one sentence in the body, sometimes in the title.
RARE_WORDS = [
    ("vätgasterminal", 1 / 50_000),
    ("kvicksilversanering", 1 / 100_000),
    ("bergrumslager", 1 / 20_000),
    ("isbrytarkajen", 1 / 10_000),
    ("kolibrihuset", 1 / 200_000),
    ("smaragdlunden", 1 / 1_000_000),
]

# ---------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------

# Largest kommuner, approximately in population order.
BIG_ORDER = ["0180", "1480", "1280", "0380", "0580", "1880", "1980", "1281", "0581", "1283",
             "0680", "2480", "0126", "1490", "0484", "1380", "0182", "2180", "2281", "0181",
             "0780", "1780", "0127", "0136", "1290", "0184", "1384", "0123", "0880", "2580",
             "2482", "0163", "1481", "1383", "0160", "2380", "0188", "0980", "1488", "2080",
             "2081", "1485", "0186", "0138", "1496", "0114"]
# Regioner by approximate län population.
REGION_ORDER = ["01", "14", "12", "05", "03", "06", "13", "18", "20", "21", "19", "17", "04",
                "22", "08", "25", "24", "07", "10", "23", "09"]
REGION_SHARE = 0.08
REGION_DOMAINS = {
    "01": "regionstockholm", "03": "regionuppsala", "04": "regionsormland",
    "05": "regionostergotland", "06": "rjl", "07": "regionkronoberg", "08": "regionkalmar",
    "09": "gotland", "10": "regionblekinge", "12": "skane", "13": "regionhalland",
    "14": "vgregion", "17": "regionvarmland", "18": "regionorebrolan", "19": "regionvastmanland",
    "20": "regiondalarna", "21": "regiongavleborg", "22": "rvn", "23": "regionjh",
    "24": "regionvasterbotten", "25": "norrbotten",
}
CITY_ORG = {"0180": "Stockholms stad", "1480": "Göteborgs stad", "1280": "Malmö stad"}

ASCII_MAP = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u",
                           "Å": "A", "Ä": "A", "Ö": "O", "É": "E", "Ü": "U"})
SLUG_RE = re.compile(r"[^a-z0-9]+")
DNR_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return SLUG_RE.sub("-", text.lower().translate(ASCII_MAP)).strip("-")


def genitive(name: str) -> str:
    return name if name[-1] in "sxzSXZ" else name + "s"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# Organ roles: role -> (kommun organ, prefix, office, topic domain)
KOMMUN_ORGANS = {
    "KF": ("Kommunfullmäktige", "KS", "kommunledningskontoret", "ks"),
    "KS": ("Kommunstyrelsen", "KS", "kommunledningskontoret", "ks"),
    "KSAU": ("Kommunstyrelsens arbetsutskott", "KS", "kommunledningskontoret", "ks"),
    "UTB": ("Barn- och utbildningsnämnden", "BUN", "barn- och utbildningsförvaltningen", "skola"),
    "SOC": ("Socialnämnden", "SN", "socialförvaltningen", "omsorg"),
    "TEK": ("Tekniska nämnden", "TN", "tekniska förvaltningen", "teknik"),
    "KUF": ("Kultur- och fritidsnämnden", "KFN", "kultur- och fritidsförvaltningen", "kultur"),
    "BYGG": ("Byggnadsnämnden", "BN", "samhällsbyggnadsförvaltningen", "bygg"),
    "MILJO": ("Miljö- och hälsoskyddsnämnden", "MHN", "miljöförvaltningen", "miljo"),
}
KOMMUN_ALT = {
    "UTB": [("Utbildningsnämnden", "UN", "utbildningsförvaltningen", "skola")],
    "SOC": [("Vård- och omsorgsnämnden", "VON", "vård- och omsorgsförvaltningen", "omsorg")],
    "TEK": [("Samhällsbyggnadsnämnden", "SBN", "samhällsbyggnadsförvaltningen", "teknik")],
}
COMBINED_BYGG = ("Bygg- och miljönämnden", "BMN", "miljö- och byggförvaltningen", "bygg")
COMBINED_MILJO = ("Bygg- och miljönämnden", "BMN", "miljö- och byggförvaltningen", "miljo")
REGION_ORGANS = {
    "KF": ("Regionfullmäktige", "RS", "regionledningskontoret", "ks"),
    "KS": ("Regionstyrelsen", "RS", "regionledningskontoret", "ks"),
    "HSN": ("Hälso- och sjukvårdsnämnden", "HSN", "hälso- och sjukvårdsförvaltningen", "vard"),
    "KTN": ("Kollektivtrafiknämnden", "KTN", "kollektivtrafikförvaltningen", "trafik"),
    "RUN": ("Regionala utvecklingsnämnden", "RUN", "förvaltningen för regional utveckling", "utv"),
}
ROLE_WEIGHTS_K = {"KF": 8, "KS": 18, "KSAU": 4, "UTB": 12, "SOC": 10, "TEK": 10, "KUF": 6,
                  "BYGG": 22, "MILJO": 10}
ROLE_WEIGHTS_R = {"KF": 10, "KS": 25, "HSN": 35, "KTN": 15, "RUN": 15}

# Diarienummer styles; {p} prefix, {y} year, {n} number.
DNR_STYLES = [
    ("{p} {y}/{n}", 24),          # KS 2023/412
    ("Dnr {p} {y}/{n:05d}", 8),   # Dnr KS 2019/00087
    ("Dnr {p} {y}/{n}", 8),       # Dnr KS 2018/124
    ("{p} {y}.{n:04d}", 10),      # BN 2021.0123
    ("{p}-{y}-{n:04d}", 10),      # SBN-2020-1234
    ("{p} {y}-{n:06d}", 10),      # BN 2025-002614
    ("{p}{y}.{n}", 6),            # KS2023.412
    ("{y}/{n}", 8),               # 2023/1234
]
SOURCES = {
    "arende": (["ciceron", "meetingsplus", "sitevision", "wordpress"], [35, 30, 25, 10]),
    "protokoll": (["meetingsplus", "ciceron", "file", "sitevision"], [40, 20, 30, 10]),
    "anslag": (["netpublicator", "sitevision", "wordpress", "meetingsplus"], [40, 30, 20, 10]),
}


class Org:
    __slots__ = ("code", "name", "is_region", "organs", "role_list", "role_cum", "dnr_fmt",
                 "domain", "hm", "hms", "org", "src", "maxn", "politics", "places")


def load_orgs() -> tuple[list[Org], list[float]]:
    vrng = random.Random(VOCAB_SEED + 1)
    kommuner, regioner = [], []
    lan_kommuner: dict[str, list[str]] = {}
    with KOMMUNER_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            kommuner.append((row["kommunkod"], row["kommun"]))
            lan_kommuner.setdefault(row["lanskod"], []).append(row["kommun"])
    with REGIONER_CSV.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            regioner.append((row["lanskod"], row["region"]))
    # Fixed ranking: the big ones first, the rest in a fixed seeded order.
    codes = [c for c, _ in kommuner]
    rest = [c for c in codes if c not in BIG_ORDER]
    vrng.shuffle(rest)
    rank = {c: i for i, c in enumerate([c for c in BIG_ORDER if c in codes] + rest)}
    orgs, weights = [], []
    kw = {c: 1.0 / (rank[c] + 2) for c in codes}
    ktotal = sum(kw.values())
    for code, name in kommuner:
        o = Org()
        o.code, o.name, o.is_region = code, name, False
        organs = dict(KOMMUN_ORGANS)
        for role, alts in KOMMUN_ALT.items():
            if vrng.random() < 0.3:
                organs[role] = alts[0]
        if vrng.random() < 0.55 and code not in ("0180", "1480", "1280"):
            organs["BYGG"], organs["MILJO"] = COMBINED_BYGG, COMBINED_MILJO
        if code in CITY_ORG:
            organs["BYGG"] = ("Stadsbyggnadsnämnden", "SBN", "stadsbyggnadskontoret", "bygg")
            organs["KS"] = ("Kommunstyrelsen", "KS", "stadsledningskontoret", "ks")
        o.organs = organs
        o.domain = f"www.{slugify(name)}.se"
        o.org = CITY_ORG.get(code, f"{genitive(name)} kommun")
        o.hm, o.hms = ("staden", "stadens") if code in CITY_ORG else ("kommunen", "kommunens")
        o.politics = "kommun-och-politik"
        o.places = [name]
        role_w = ROLE_WEIGHTS_K
        orgs.append(o)
        weights.append((1 - REGION_SHARE) * kw[code] / ktotal)
        _finish_org(o, role_w, vrng, 1.0 / (rank[code] + 2))
    rrank = {c: i for i, c in enumerate(REGION_ORDER)}
    rw = {c: 1.0 / (rrank.get(c, 20) + 2) for c, _ in regioner}
    rtotal = sum(rw.values())
    for code, name in regioner:
        o = Org()
        o.code, o.name, o.is_region = code, name, True
        o.organs = dict(REGION_ORGANS)
        o.domain = f"www.{REGION_DOMAINS.get(code, slugify(name))}.se"
        o.org, o.hm, o.hms = name, "regionen", "regionens"
        o.politics = "politik"
        o.places = lan_kommuner.get(code, [name])
        orgs.append(o)
        weights.append(REGION_SHARE * rw[code] / rtotal)
        _finish_org(o, ROLE_WEIGHTS_R, vrng, 0.5)
    return orgs, weights


def _finish_org(o: Org, role_w: dict, vrng: random.Random, size: float) -> None:
    o.role_list = list(role_w)
    acc, cum = 0, []
    for r in o.role_list:
        acc += role_w[r]
        cum.append(acc)
    o.role_cum = cum
    fmts, ws = zip(*DNR_STYLES)
    o.dnr_fmt = vrng.choices(fmts, ws)[0]
    o.src = {k: vrng.choices(v[0], v[1])[0] for k, v in SOURCES.items()}
    o.maxn = max(60, int(6000 * size))


# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december"]
AREA_HEADS = ["Björk", "Lind", "Ek", "Gran", "Sol", "Norr", "Söder", "Väster", "Öster", "Kvarn",
              "Hag", "Berg", "Strand", "Äng", "Sjö", "Tall", "Rönn", "Ljung", "Hammar", "Hassel",
              "Al", "Ås", "Mo", "Kull", "Sand", "Ros", "Vik", "Hög", "Lill", "Stor"]
AREA_TAILS = ["dalen", "åsen", "backen", "hagen", "viken", "ängen", "udden", "lunden", "berget",
              "höjden", "slätten", "näset", "vallen", "torpet", "hamnen", "by", "sta", "torp"]
STREET_TAILS = ["gatan", "vägen", "stigen", "allén", "gränd"]
TRACTS = ["Hjälmen", "Svärdet", "Spettet", "Lärkan", "Bofinken", "Tallen", "Rönnen", "Ekorren",
          "Kvarnen", "Smedjan", "Verkstaden", "Plogen", "Harven", "Näktergalen", "Skatan",
          "Uttern", "Bävern", "Mården", "Göken", "Tranan", "Sländan", "Vallmon", "Kronan",
          "Ankaret", "Lotsen", "Sågen", "Hyveln", "Gjuteriet"]
COMPANY_PATTERNS = ["Fastighets AB {A}", "{A} Bygg AB", "{A} Fastigheter AB", "Bostads AB {T}",
                    "Brf {A}", "{A} Energi AB", "{T} Invest AB", "{T} Förvaltning AB",
                    "Entreprenad {T} AB", "{A} Logistik AB"]
PARTIES = ["S", "M", "SD", "C", "V", "KD", "L", "MP"]

# Compound heads (the joining form) and simple nouns with inflection class.
HEADS = ["förskole", "skol", "bygg", "miljö", "batteri", "vatten", "avlopps", "trafik", "park",
         "gatu", "bostads", "äldre", "omsorgs", "kultur", "fritids", "idrotts", "energi", "klimat",
         "avfalls", "renhållnings", "planerings", "budget", "investerings", "personal",
         "arbetsmiljö", "säkerhets", "kris", "beredskaps", "vård", "hälso", "tandvårds",
         "kollektivtrafik", "buss", "cykel", "väg", "hamn", "järnvägs", "fastighets", "lokal",
         "mark", "exploaterings", "detaljplane", "översikts", "strand", "natur", "kommun",
         "region", "förvaltnings", "nämnd", "ungdoms", "barn", "elev", "lärar", "biblioteks",
         "musik", "konst", "turism", "närings", "företags", "handels", "industri", "logistik",
         "sol", "vind", "laddnings", "el", "fjärrvärme", "dagvatten", "dricksvatten",
         "livsmedels", "alkohol", "serverings", "tobaks", "social", "ekonomi", "bistånds",
         "hemtjänst", "integrations", "arbetsmarknads", "vuxenutbildnings", "gymnasie",
         "grundskole", "fritidshems", "skolskjuts", "måltids", "kost", "upphandlings", "avtals",
         "taxe", "avgifts", "tillsyns", "bygglovs", "lantmäteri", "digitaliserings",
         "informations", "kommunikations", "demokrati", "val", "medborgar", "jämställdhets",
         "folkhälso", "trygghets", "räddnings", "brand", "skogs", "jordbruks", "frilufts",
         "bad", "sim", "is", "kontors", "verksamhets", "lednings", "styr", "kvalitets", "drift",
         "underhålls", "sjukvårds", "primärvårds", "ambulans", "läkemedels", "tåg", "regional",
         "kapacitets", "resurs", "lokalförsörjnings", "befolknings", "bredbands", "belysnings"]
# class en: -en, -ens, -er, -erna ; ar: -en, -ens, -ar, -arna ; ett: -et, -ets, -en(pl def) ;
# e: -et, -ets, -en (plural), -ena ; a: stem+a, -an, -ans, -or, -orna ; n: -n, -ns, -er, -erna
TAILS = [("verksamhet", "en"), ("plan", "en"), ("fabrik", "en"), ("förvaltning", "ar"),
         ("utredning", "ar"), ("strategi", "n"), ("kostnad", "en"), ("avgift", "en"),
         ("anläggning", "ar"), ("byggnad", "en"), ("organisation", "en"), ("rapport", "en"),
         ("uppföljning", "ar"), ("kontroll", "en"), ("insats", "en"), ("tjänst", "en"),
         ("nämnd", "en"), ("station", "en"), ("satsning", "ar"), ("lösning", "ar"),
         ("åtgärd", "en"), ("ordning", "ar"), ("försörjning", "ar"), ("utveckling", "ar"),
         ("riktlinje", "n"), ("policy", "n"), ("beslut", "ett"), ("avtal", "ett"),
         ("program", "ett"), ("projekt", "ett"), ("bidrag", "ett"), ("stöd", "ett"),
         ("tillstånd", "ett"), ("lov", "ett"), ("område", "e"), ("ärende", "e"), ("arbete", "e"),
         ("yttrande", "e"), ("boende", "e"), ("taxa", "a"), ("skola", "a"), ("fråga", "a"),
         ("väg", "ar"), ("gård", "ar"), ("hall", "ar"), ("del", "ar"), ("frågor", "x"),
         ("system", "ett"), ("ansvar", "ett"), ("underlag", "ett"), ("behov", "ett"),
         ("register", "ett"), ("mål", "ett"), ("resultat", "ett"), ("samarbete", "e"),
         ("budget", "en"), ("analys", "en"), ("process", "en"), ("miljö", "n"),
         ("park", "en"), ("plats", "en"), ("central", "en"), ("enhet", "en"), ("grupp", "en")]
SIMPLE = [("kommun", "en"), ("nämnd", "en"), ("förvaltning", "ar"), ("beslut", "ett"),
          ("förslag", "ett"), ("ärende", "e"), ("budget", "en"), ("plan", "en"), ("år", "ett"),
          ("del", "ar"), ("fråga", "a"), ("skola", "a"), ("förskola", "a"), ("gata", "a"),
          ("verksamhet", "en"), ("område", "e"), ("mark", "en"), ("region", "en"),
          ("styrelse", "r"), ("motion", "en"), ("medborgarförslag", "ett"), ("detaljplan", "en"),
          ("bygglov", "ett"), ("fastighet", "en"), ("kostnad", "en"), ("utredning", "ar"),
          ("remiss", "en"), ("invånare", "x"), ("elev", "en"), ("barn", "ett"), ("brukare", "x"),
          ("vårdnadshavare", "x"), ("medarbetare", "x"), ("avtal", "ett"), ("ekonomi", "n"),
          ("uppdrag", "ett"), ("sammanträde", "e"), ("protokoll", "ett"), ("paragraf", "en"),
          ("rapport", "en"), ("policy", "n"), ("taxa", "a"), ("avgift", "en"), ("tillsyn", "en"),
          ("miljö", "n"), ("klimat", "ett"), ("trafik", "en"), ("buss", "ar"), ("cykel", "x"),
          ("bostad", "en"), ("park", "en"), ("bro", "n"), ("hamn", "ar"), ("bibliotek", "ett"),
          ("idrott", "en"), ("kultur", "en"), ("vård", "en"), ("omsorg", "en"), ("hälsa", "a"),
          ("personal", "en"), ("chef", "en"), ("lokal", "en"), ("investering", "ar"),
          ("upphandling", "ar"), ("ansökan", "x"), ("dispens", "en"), ("strandskydd", "ett"),
          ("samråd", "ett"), ("granskning", "ar"), ("överklagande", "e"), ("yttrande", "e"),
          ("länsstyrelse", "r"), ("domstol", "ar"), ("lag", "ar"), ("förordning", "ar"),
          ("resa", "a"), ("väg", "ar"), ("vatten", "x"), ("avlopp", "ett"), ("avfall", "ett"),
          ("energi", "n"), ("laddplats", "er"), ("solcell", "er"), ("batterifabrik", "en"),
          ("etablering", "ar"), ("företag", "ett"), ("näringsliv", "ett"), ("arbetsmarknad", "en")]

ADJ = ["ny", "nya", "befintlig", "befintliga", "kommunal", "kommunala", "regional", "regionala",
       "ökad", "minskad", "särskild", "särskilda", "långsiktig", "hållbar", "hållbara",
       "gemensam", "gemensamma", "tillfällig", "samlad", "fortsatt", "årlig", "digital",
       "digitala", "tekniska", "ekonomiska", "sociala", "lokala", "centrala", "allmän",
       "allmänna", "kommande", "nuvarande", "tidigare", "övergripande", "reviderad", "utökad",
       "god", "goda", "stor", "större", "viktig", "viktiga", "trygg", "trygga", "tillgänglig"]
VERBS = ["bedöms", "föreslås", "redovisas", "behandlas", "innebär", "omfattar", "kräver",
         "påverkar", "möjliggör", "ersätter", "ingår i", "saknas för", "finns för", "ökar",
         "minskar", "genomförs", "följs upp", "utreds", "godkänns", "medför", "avser", "berör",
         "gäller", "bidrar till", "prioriteras", "finansieras", "samordnas med", "hanteras av",
         "beräknas till", "bedöms som"]
VINF = ["anta", "godkänna", "avslå", "bevilja", "utreda", "revidera", "fastställa", "upphandla",
        "genomföra", "återremittera", "ompröva", "tillstyrka", "avstyrka", "ta fram",
        "följa upp", "prioritera", "finansiera", "redovisa", "se över", "utveckla"]

MOTIONS = ["fler laddplatser för elbilar", "gratis kollektivtrafik för pensionärer",
           "solceller på kommunens fastigheter", "en hundrastgård i centrum",
           "bättre belysning längs gång- och cykelvägarna", "skolmåltidernas kvalitet",
           "en ny konstgräsplan", "minskad sjukfrånvaro i äldreomsorgen", "en fritidsbank",
           "pollinerande ängar på kommunens mark", "trygghetskameror i centrum",
           "förlängda öppettider på biblioteken", "avgiftsfria sommarlovsaktiviteter",
           "heltid som norm i vård och omsorg", "tvåspråkiga skyltar", "fler bostäder för unga",
           "simundervisning för vuxna", "fler vårdplatser", "tandvård för äldre",
           "kortare vårdköer", "fler nattåg i länet"]
PROCUREMENTS = ["livsmedel till kommunens kök", "skolskjutstrafik", "vinterväghållning",
                "städtjänster", "ramavtal för byggentreprenader", "IT-drift och supporttjänster",
                "färdtjänst", "el till kommunens anläggningar", "kontorsmaterial",
                "ramavtal för konsulttjänster inom samhällsbyggnad"]
ATGARDER = ["nybyggnad av enbostadshus", "tillbyggnad av enbostadshus", "nybyggnad av garage",
            "nybyggnad av flerbostadshus", "rivning av ekonomibyggnad", "nybyggnad av förskola",
            "ändrad användning av lokal", "uppförande av skylt", "nybyggnad av industribyggnad",
            "nybyggnad av batterifabrik", "installation av solceller", "nybyggnad av fritidshus",
            "tillbyggnad av lagerbyggnad", "nybyggnad av komplementbyggnad"]

# Title frames per topic domain. Slots: {N} noun (base), {Nd} definite, {Np} plural,
# {A} adjective, {omr} area, {fast} property, {gata} street, {y} year, {motion}, {upph},
# {atg} building measure, {bolag} company, {parti}, {place} kommun/place name.
TITLE_FRAMES = {
    "ks": ["Budget {y} och plan för {y1}–{y3}", "Beslut om {N} för {y}", "Motion ({parti}) om {motion}",
           "Svar på motion om {motion}", "Medborgarförslag om {N} i {omr}", "Revidering av {Nd}",
           "Policy för {N}", "Yttrande över remiss om {N}", "Uppföljning av {Nd} {y}",
           "Delårsrapport {y} för {Nd}", "Årsredovisning {y}", "Riktlinjer för {N}",
           "Upphandling av {upph}", "Information om {Nd}", "Ansökan om {N} för {Np}",
           "Internkontrollplan {y}", "Förslag till {A} {N}", "Strategi för {N} {y}–{y3}",
           "Val av ersättare i {Nd}", "Markanvisning för bostäder vid {gata}",
           "Detaljplan för {N} i {omr}", "Försäljning av del av {fast}"],
    "bygg": ["Ansökan om bygglov för {atg}, {fast}", "Bygglov för {atg} på {fast}",
             "Detaljplan för {omr}", "Detaljplan för bostäder i {omr}", "Planbesked för {fast}",
             "Strandskyddsdispens för brygga på {fast}", "Rivningslov för {fast}",
             "Byggsanktionsavgift för {atg}, {fast}", "Samråd om detaljplan för {N} i {omr}",
             "Antagande av detaljplan för {fast} m.fl.", "Förhandsbesked för {atg}, {fast}",
             "Tillsyn av {N} på {fast}", "Planuppdrag för {omr} etapp 2",
             "Detaljplan för batterifabrik vid {omr}"],
    "miljo": ["Tillsyn av {N} vid {bolag}", "Föreläggande om {N}, {fast}",
              "Anmälan om {N} på {fast}", "Miljösanktionsavgift för {Nd}",
              "Serveringstillstånd för {bolag}", "Tillsynsplan för {N} {y}",
              "Klagomål på {N} i {omr}", "Ansökan om tillstånd för {N}", "Livsmedelskontroll {y}",
              "Yttrande om {N} till länsstyrelsen", "Dagvattenplan för {omr}"],
    "skola": ["Ny förskola i {omr}", "Riktlinjer för skolskjuts", "Elevhälsans {N} {y}",
              "Lokalförsörjning för {N} i {omr}", "Skolplacering läsåret {y}–{y1}",
              "Kvalitetsrapport för {Nd} {y}", "Systematiskt kvalitetsarbete i {Nd}",
              "Gymnasieskolans programutbud {y1}", "Beslut om {N} i grundskolan",
              "Förändrad {N} inom förskoleverksamheten"],
    "omsorg": ["Riktlinjer för {N} inom äldreomsorgen", "Uppföljning av {Nd} i hemtjänsten",
               "Avgifter inom vård och omsorg {y}", "Nytt särskilt boende i {omr}",
               "Rapportering av ej verkställda beslut", "Kvalitetsberättelse {y}",
               "Handlingsplan för {N} och {N}", "Lex Sarah-rapport om {N}",
               "Beslut om {N} inom socialtjänsten"],
    "teknik": ["Upphandling av {upph}", "Ombyggnad av {gata}", "Trafikföreskrifter för {gata}",
               "VA-plan för {omr}", "Taxa för {N} {y}", "Renhållningsordning {y}–{y3}",
               "Investering i {N} vid {gata}", "Beläggningsprogram {y}", "Ny gång- och cykelväg i {omr}",
               "Parkeringsstrategi för {omr}"],
    "kultur": ["Föreningsbidrag {y}", "Kulturpris {y}", "Renovering av {N} i {omr}",
               "Biblioteksplan {y}–{y3}", "Ny idrottshall i {omr}", "Öppettider för {Nd}",
               "Bidrag till {N} för {Np}", "Sommarlovsaktiviteter {y}"],
    "vard": ["Vårdplatser vid sjukhuset i {place}", "Läkemedelskostnader {y}",
             "Uppdrag om {N} i primärvården", "Avtal om {N} med {bolag}",
             "Vårdköer och tillgänglighet {y}", "Tandvårdstaxa {y}", "Patientavgifter {y}",
             "Uppföljning av {Nd} inom hälso- och sjukvården"],
    "trafik": ["Trafikförsörjningsprogram {y}–{y3}", "Taxor i kollektivtrafiken {y}",
               "Ny busslinje mellan {place} och {place2}", "Upphandling av {N} för {Np}",
               "Tågtrafik i länet {y}", "Färdtjänst och {N}"],
    "utv": ["Regional utvecklingsstrategi {y}", "Projektstöd till {bolag}",
            "Bredband i {place}", "Kompetensförsörjning för {N}", "Regionalt stöd för {N}",
            "Yttrande över {N} i {place}"],
}
ANSLAG_FRAMES = ["Kungörelse: antagen detaljplan för {omr}", "Kungörelse om beviljat bygglov, {fast}",
                 "Underrättelse om beslut – bygglov {fast}", "Kungörelse om sammanträde med {organ_l}",
                 "Anslag om justerat protokoll: {subject}", "Protokoll {organ_l} {ldate}",
                 "Kungörelse: samråd om {N} i {omr}", "Underrättelse om granskning av detaljplan för {omr}",
                 "Tillkännagivande om justering av protokoll, {organ}", "Kallelse till {organ_l} {ldate}",
                 "Kungörelse: strandskyddsdispens för {fast}", "Beslut om {N}: {subject}"]
SENT_FRAMES = [
    "{Nd} {V} {Nd} för {N}.", "{A_} {N} {V} {Nd} i {omr}.", "Förvaltningen föreslår att nämnden beslutar om {N} för {Np}.",
    "Beslut om {N} och {N} fattas av {organ_l}.", "{Nd} {V} i enlighet med {Nd} för {Np}.",
    "Syftet med {Nd} är att {vinf} {Nd} för {Np} i {place}.", "Detaljplan för {N} i {omr} har varit utställd för granskning.",
    "Ärendet gäller {N} av {Np} och {Nd} i {omr}.", "Under året har {Nd} för {Np} {V} {Nd}.",
    "{Nd} bedöms vara förenlig med {Nd} för {N}.", "Kostnaden för {Nd} beräknas till {belopp}.",
    "Enligt {Nd} ska {Nd} {vinf} {Np} senast {y}.", "Nämnden har tidigare beslutat om {N} för {Np}.",
    "{Nd} har remitterats till {Np} och {Np}.", "Förvaltningen bedömer att {Nd} {V} {Np}.",
    "Det finns behov av {A_l} {N} i {omr}.", "{Nd} {V} {Nd} och {Nd}.", "Frågan om {N} har diskuterats i {Nd}.",
    "{Np} {V} {Nd} av {Np}.", "En {A_l} {N} för {Np} ska tas fram under {y}.",
    "Beslutet om {N} kan överklagas till {Nd}.", "Handlingarna finns tillgängliga hos {forv}.",
    "Planförslaget redovisar {N} och {N} i {omr_gen} norra del.", "{Nd} i {place} {V} {N} för {Np}.",
    "Av {Nd} framgår att {Nd} {V} {Np} med {proc} procent.", "{Nd} ska {vinf} {Nd} för {N} och {N}.",
    "Ärendet har beretts av {forv} i samråd med {Nd}.", "Sökande är {bolag}.",
    "Yttranden om {N} har kommit in från {Np} och {Np}.", "Nämnden ser positivt på {Nd} för {Np}.",
    "Arbetet med {N} för {Np} {V} {Nd}.", "Det ekonomiska utfallet för {Nd} visar ett underskott om {belopp}.",
    "Planområdet omfattar fastigheten {fast} m.fl. vid {gata}.", "Inga erinringar mot {Nd} har inkommit.",
    "{Nd} har i uppdrag att {vinf} {Nd} och {vinf} {Nd}.", "Sammanträdet genomfördes i {Nd} och digitalt.",
    "Det är viktigt att {Nd} för {Np} och {Np} {V} {Nd}.", "{Nd} av {Nd} redovisas i bilaga {small}.",
]
CLAUSES = ["anta {Nd}", "godkänna {Nd} för {N}", "avslå ansökan om {N}", "bevilja {N} för {fast}",
           "lägga informationen om {N} till handlingarna", "ge {forv} i uppdrag att {vinf} {Nd}",
           "återremittera ärendet om {N}", "föreslå fullmäktige att {vinf} {Nd}",
           "anta detaljplan för {omr}", "bifalla motionen", "avslå motionen",
           "anse motionen besvarad", "fastställa {Nd} för {y}", "överlämna {Nd} till {Np}"]


def build_vocab() -> tuple[list[tuple[str, str, str]], list[float]]:
    """Noun lemmas as (base, definite, plural) forms with genitive derived; Zipf cum weights."""
    vrng = random.Random(VOCAB_SEED)

    def forms(w: str, cls: str) -> tuple[str, str, str, str]:
        if cls == "en":
            return w, w + "en", w + "er", w + "erna"
        if cls == "er":
            return w, w + "en", w + "er", w + "erna"
        if cls == "ar":
            return w, w + "en", w + "ar", w + "arna"
        if cls == "ett":
            return w, w + "et", w, w + "en"
        if cls == "e":
            return w, w + "t", w + "n", w + "na"
        if cls == "a":
            s = w[:-1]
            return w, w + "n", s + "or", s + "orna"
        if cls == "n":
            return w, w + "n", w + "er", w + "erna"
        if cls == "r":
            return w, w + "n", w[:-1] + "er", w[:-1] + "erna"
        return w, w, w, w  # invariable-ish ("x")

    lemmas = []
    for w, cls in SIMPLE:
        lemmas.append(forms(w, cls))
    compounds = []
    for h in HEADS:
        for t, cls in TAILS:
            if h == t or (h.endswith(t[:3]) and len(t) > 4):
                continue
            j = h[:-1] if len(h) > 1 and h[-1] == h[-2] == t[0] else h
            compounds.append(forms(j + t, cls))
    vrng.shuffle(compounds)
    lemmas.extend(compounds[:3400])
    cum, acc = [], 0.0
    for r in range(len(lemmas)):
        acc += 1.0 / (r + 1.5) ** 1.05
        cum.append(acc)
    return lemmas, cum


class Words:
    """Zipf word picker, used only while building the sentence pool."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.lemmas, self.cum = build_vocab()

    def pick(self, k: int) -> list:
        return self.rng.choices(self.lemmas, cum_weights=self.cum, k=k)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def area(rng: random.Random) -> str:
    h, t = rng.choice(AREA_HEADS), rng.choice(AREA_TAILS)
    if h[-1] == t[0]:
        h = h[:-1] if len(h) > 2 and h[-2] == h[-1] else h
    return h + t


def prop(rng: random.Random) -> str:
    tract = rng.choice(TRACTS)
    if rng.random() < 0.55:
        return f"{tract} {rng.randint(1, 30)}:{rng.randint(1, 250)}"
    return f"{tract} {rng.randint(1, 40)}"


def company(rng: random.Random) -> str:
    return rng.choice(COMPANY_PATTERNS).format(A=area(rng), T=rng.choice(TRACTS))


def decimal(v: float) -> str:
    return f"{v:.1f}".replace(".", ",")


SLOT_RE = re.compile(r"\{(\w+)\}")


def fill(frame: str, rng: random.Random, W: Words, extra: dict) -> str:
    """Fills one frame. Nouns come from the Zipf vocabulary; a genitive -s now and then."""
    def sub(m: re.Match) -> str:
        k = m.group(1)
        if k in extra:
            return str(extra[k])
        if k in ("N", "Nd", "Np"):
            f = W.pick(1)[0]
            if k == "N":
                w = f[0]
            elif k == "Nd":
                w = f[1] if rng.random() < 0.85 else f[3]
            else:
                w = f[2] if rng.random() < 0.75 else f[3]
            if rng.random() < 0.04:
                w = genitive(w) + " " + W.pick(1)[0][0]
            return w
        if k == "A_":
            return rng.choice(ADJ)
        if k == "A_l" or k == "A":
            return rng.choice(ADJ)
        if k == "V":
            return rng.choice(VERBS)
        if k == "vinf":
            return rng.choice(VINF)
        if k == "omr":
            return area(rng)
        if k == "omr_gen":
            return genitive(area(rng))
        if k == "fast":
            return prop(rng)
        if k == "gata":
            return rng.choice(AREA_HEADS) + rng.choice(STREET_TAILS)
        if k == "bolag":
            return company(rng)
        if k == "belopp":
            return f"{decimal(rng.randint(8, 950) / 10)} miljoner kronor"
        if k == "proc":
            return decimal(rng.randint(5, 250) / 10)
        if k == "small":
            return str(rng.randint(1, 9))
        if k == "y":
            return str(rng.randint(2017, 2026))
        raise KeyError(k)
    s = SLOT_RE.sub(sub, frame)
    return cap(s)


# ---------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------

KIND_CUM = [45, 80, 100]
KINDS = ["arende", "anslag", "protokoll"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, required=True, help="number of documents to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = ap.parse_args()
    n_docs, seed = args.docs, args.seed
    if n_docs < 0:
        sys.exit("error: --docs must be >= 0")

    rng = random.Random(seed)
    orgs, oweights = load_orgs()
    ocum, acc = [], 0.0
    for w in oweights:
        acc += w
        ocum.append(acc)
    W = Words(random.Random(seed * 7919 + 1))

    # Sentence pool: generic sentences with organ-neutral placeholders pre-filled. A few
    # slots ({forv}, {organ_l}, {place}) are left to per-document .replace-free formatting by
    # using generic wordings instead, so the pool is shared by all organisations.
    prng = W.rng
    generic = {"forv": "förvaltningen", "organ_l": "nämnden", "place": "kommunen"}
    pool = []
    for _ in range(POOL_SIZE):
        frame = prng.choice(SENT_FRAMES)
        pool.append(fill(frame, prng, W, generic))
    # Title subjects per domain (pool of filled titles; {place}/{parti}/{motion}... filled).
    tpool: dict[str, list[str]] = {}
    for dom, frames in TITLE_FRAMES.items():
        lst = []
        for _ in range(1500):
            y = prng.randint(2017, 2026)
            ex = {"y": y, "y1": y + 1, "y3": y + 3, "parti": prng.choice(PARTIES),
                  "motion": prng.choice(MOTIONS), "upph": prng.choice(PROCUREMENTS),
                  "atg": prng.choice(ATGARDER), "place": "{place}", "place2": "{place2}"}
            lst.append(fill(prng.choice(frames), prng, W, ex))
        tpool[dom] = lst
    clause_pool = [fill(prng.choice(CLAUSES), prng, W, {"forv": "förvaltningen"}) for _ in range(4000)]
    clause_pool = [lower_first(c) for c in clause_pool]
    anslag_pool = []
    for _ in range(3000):
        anslag_pool.append(fill(prng.choice(ANSLAG_FRAMES), prng, W,
                                {"organ_l": "{organ_l}", "organ": "{organ}", "subject": "{subject}",
                                 "ldate": "{ldate}"}))
    rare_cum, racc = [], 0.0
    for _, p in RARE_WORDS:
        racc += p
        rare_cum.append(racc)
    rare_total = racc
    rare_sentences = ["Frågan om {w} utreds vidare av förvaltningen.",
                      "Ärendet berör även den planerade {w} vid hamnen.",
                      "Synpunkter på {w} har kommit in från allmänheten."]

    ocum_total = ocum[-1]
    slug_cache: dict[str, str] = {}

    def cslug(text: str) -> str:
        v = slug_cache.get(text)
        if v is None:
            v = slug_cache[text] = slugify(text)
        return v

    span = END - START
    a = DENSITY_SLOPE
    norm = 1 + a / 2
    ring: list = [None] * RING_SIZE
    ring_n = 0
    random_ = rng.random
    randint = rng.randint
    choice = rng.choice
    choices = rng.choices
    sample_pool = pool
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    fromord = dt.date.fromordinal
    out = sys.stdout
    buf: list[str] = []

    def rand_day() -> int:
        c = random_() * norm
        t = (math.sqrt(1 + 2 * a * c) - 1) / a
        o = START + int(t * span)
        wd = (o + 6) % 7  # 0 = Monday .. 6 = Sunday (date.fromordinal(1) is a Monday)
        if wd >= 5:
            o += 7 - wd
            if o > END:
                o -= 3
        return o

    def fix_weekday(o: int) -> int:
        if o > END:
            o = END
        wd = (o + 6) % 7
        if wd >= 5:
            o = o + (7 - wd) if o + (7 - wd) <= END else o - (wd - 4)
        return o

    def ldate(o: int) -> str:
        d = fromord(o)
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    def new_dnr(o: Org, prefix: str, year: int) -> str:
        return o.dnr_fmt.format(p=prefix, y=year, n=1 + int(random_() * o.maxn))

    def pick_role(o: Org) -> tuple:
        r = o.role_list[bisect(o.role_cum, random_() * o.role_cum[-1])]
        return o.organs[r]

    def subject_for(o: Org, organ: tuple) -> str:
        lst = tpool[organ[3]]
        s = lst[int(random_() * len(lst))]
        if "{" in s:
            places = o.places
            s = s.replace("{place}", choice(places)).replace("{place2}", choice(places))
        return s

    npool = len(sample_pool)

    def fill_to(parts: list[str], target: int) -> None:
        size = 0
        for p_ in parts:
            size += len(p_) + 1
        while size < target:
            s_ = sample_pool[int(random_() * npool)]
            parts.append(s_)
            size += len(s_) + 1

    for i in range(n_docs):
        u = random_() * 100
        kind = "arende" if u < 45 else ("anslag" if u < 80 else "protokoll")
        case = None
        if ring_n and random_() < (0.15 if kind == "arende" else 0.45):
            case = ring[randint(0, min(ring_n, RING_SIZE) - 1)]
        if case is not None:
            o, organ, dnr, subject, base_day = case
            day = fix_weekday(base_day + randint(7, 200))
        else:
            o = orgs[bisect(ocum, random_() * ocum_total)]
            organ = pick_role(o)
            day = rand_day()
            subject = subject_for(o, organ)
            dnr = new_dnr(o, organ[1], int(fromord(day).isoformat()[:4]))
            ring[ring_n % RING_SIZE] = (o, organ, dnr, subject, day)
            ring_n += 1
        organ_name = organ[0]
        date = fromord(day).isoformat()
        src = o.src[kind]
        pf = pt = None
        if kind == "arende":
            title = subject
            target = randint(300, 1400)
            parts = [subject + "."] if random_() < 0.3 else []
            fill_to(parts, target - 50)
            parts.append(f"Ärendet handläggs av {organ[2]}.")
            if random_() < 0.5:
                parts.append(f"{dnr}." if dnr.startswith("Dnr") else f"Diarienummer: {dnr}.")
            body = " ".join(parts)
            doc_dnr = dnr
        elif kind == "anslag":
            t = choice(anslag_pool)
            if "{" in t:
                t = t.replace("{organ_l}", lower_first(organ_name)).replace("{organ}", organ_name) \
                     .replace("{subject}", subject).replace("{ldate}", ldate(day))
            title = t
            target = randint(300, 1400)
            to = day + randint(14, 28)
            pf, pt = date, fromord(to).isoformat()
            parts = [f"{genitive(organ_name)} protokoll från sammanträdet den {ldate(day - randint(2, 9))} har justerats."
                     if random_() < 0.5 else f"{organ_name} har beslutat i ärendet {lower_first(subject)} ({dnr})."]
            fill_to(parts, target - 150)
            parts.append(f"Handlingarna finns tillgängliga hos {organ[2]}.")
            parts.append(f"Sista dag för överklagande är {pt}.")
            body = " ".join(parts)
            doc_dnr = dnr if random_() < 0.85 else None
        else:
            target = randint(3000, 8000)
            para = randint(1, 180)
            meeting = ldate(day)
            pyear = int(date[:4])
            paras, size = [], 0
            first = True
            while size < target:
                if first:
                    ptitle, pdnr = subject, dnr
                else:
                    ptitle = subject_for(o, organ)
                    pdnr = new_dnr(o, organ[1], pyear - (1 if random_() < 0.3 else 0))
                sents = choices(sample_pool, k=3 + int(random_() * 6))
                text = (f"§ {para} {ptitle}. {pdnr}. " if pdnr.startswith("Dnr")
                        else f"§ {para} {ptitle}. Diarienummer: {pdnr}. ") + " ".join(sents) + \
                    f" Beslut: {organ_name} beslutar att {choice(clause_pool)}."
                if size + len(text) > 7900 and paras:
                    break
                paras.append(text)
                size += len(text) + 1
                para += 1
                first = False
            if random_() < 0.5:
                title = f"Protokoll {lower_first(organ_name)} {meeting}"
                doc_dnr = None
            else:
                title = f"Protokollsutdrag § {para - len(paras)}: {subject}"
                doc_dnr = dnr
            body = " ".join(paras)
        # Rare planted words (drawn independently so rates are exact in expectation).
        r = random_()
        if r < rare_total:
            for (w, _), c in zip(RARE_WORDS, rare_cum):
                if r < c:
                    body = body + " " + choice(rare_sentences).format(w=w)
                    if random_() < 0.3:
                        title = f"{title} – {w}"
                    break
        if random_() < 0.02:
            title = title.translate(ASCII_MAP)
            body = body.translate(ASCII_MAP)
        n = i + 1
        pol = o.politics
        if kind == "arende":
            url = f"https://{o.domain}/{pol}/diarium/{DNR_SLUG_RE.sub('-', dnr.lower())}-{n}"
        elif kind == "anslag":
            url = f"https://{o.domain}/anslagstavla/{cslug(subject)[:60].strip('-')}-{n}"
        else:
            url = f"https://{o.domain}/{pol}/protokoll/{cslug(organ_name)}/{date}-{n}.html"
        buf.append(encode({
            "id": f"gen-{seed}-{n}", "kind": kind, "kommun_kod": o.code, "kommun": o.name,
            "organ": organ_name, "diarienummer": doc_dnr, "title": title, "body": body,
            "date": date, "publish_from": pf, "publish_to": pt, "url": url, "source": src,
        }))
        if len(buf) >= 1000:
            buf.append("")
            out.write("\n".join(buf))
            buf = []
    if buf:
        buf.append("")
        out.write("\n".join(buf))
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.stderr.close()
