#!/usr/bin/env python3
"""Build the Swedish decompounding lexicon for Nämndsök from hunspell-sv.

Reads the hunspell dictionary shipped by Debian's ``hunspell-sv`` package
(Göran Andersson's DSSO dictionary, LGPL-3) and writes into
``index-config/sv/``:

  compound-parts.tsv    form<TAB>lemma   forms allowed FIRST or in the MIDDLE
                                         of a compound (incl. linking forms)
  compound-heads.tsv    lemma<TAB>f1,f2  entries allowed LAST in a compound
                                         with their suffix-generated forms
  lexicon-words.txt     word             all simple dictionary entries
  LICENSE-hunspell-sv.txt                licence / copyright of the source
  README.md                              provenance, formats, counts

Python 3.11 standard library only; output is sorted and deterministic.

Usage:
  apt-get install hunspell-sv && python3 scripts/build_lexicon.py
  python3 scripts/build_lexicon.py --dic X.dic --aff X.aff --out DIR

How hunspell-sv encodes compounding (see sv_SE.aff):
  COMPOUNDBEGIN X, COMPOUNDMIDDLE U, COMPOUNDEND Y, ONLYINCOMPOUND Z,
  COMPOUNDPERMITFLAG W.  Linking forms are produced by suffix classes whose
  rules carry *continuation flags*, e.g.
      SFX v 0 s/WXZ [^a]      fabrik  -> fabriks   (begin, only in compound)
      SFX f 0 s/WUZ [^a]      laddning-> laddnings (middle, only in compound)
      SFX y a e/WXZ a         ränta   -> ränte
      SFX s 0 0/WX .          (identity: the word itself may begin a compound)
  so the begin/middle flag may sit on the dictionary entry OR on the suffix
  rule.  Some linking forms are separate entries flagged ONLYINCOMPOUND
  (förskole/XZ, samhälls/UXZ, skol/hsZ); for those the lemma column is
  resolved back to the free word (förskole -> förskola) by reverse-applying
  the linking rules.  A few prefix-like entries are compound-initial only via
  COMPOUNDRULE (">j" verbs, ")k" adjectives: säkerhets/>, mega/)Z) and are
  included as parts as well.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DIC = "/usr/share/hunspell/sv_SE.dic"
DEFAULT_AFF = "/usr/share/hunspell/sv_SE.aff"
DEFAULT_COPYRIGHT_GLOB = "/usr/share/doc/hunspell-sv*/copyright"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "index-config" / "sv"

LETTERS_RE = re.compile(r"^[a-zåäöéü]+$")

# Suffix classes that are derivational rather than inflectional (they create
# a new word: stad -> stadsbo, stadsbor ...).  For heads, such forms are
# emitted as their own lemma (first rule output) instead of as inflections of
# the base word.  Flags as used by sv_SE.aff ("Som Göran"-comments there).
DERIVATIONAL_SFX = {"e", "d"}

# Max size of compound-heads.tsv before genitive forms are dropped.
HEADS_SIZE_LIMIT = 6 * 1024 * 1024

PART_CHECKS = [
    ("batteri", None), ("fabriks", "fabrik"), ("förskole", "förskola"),
    ("samhälls", None), ("byggnads", None), ("bygglovs", None),
    ("översikts", None), ("vind", None), ("gatu", "gata"), ("detalj", None),
    ("cykel", None), ("vatten", None), ("ladd|laddnings", None),
    ("äldre", None), ("natur", None), ("sim", None),
]
HEAD_CHECKS = [
    "fabrik", "fabriken", "fabrikens", "etablering", "etableringen",
    "verksamhet", "verksamheten", "förvaltning", "förvaltningen", "ansökan",
    "plan", "planen", "kraft", "skola", "skolan", "cell", "celler",
    "reservat", "reservaten", "hall", "hallen", "verk", "verket", "stolpe",
    "stolpar", "boende", "väg", "bana",
]


# --------------------------------------------------------------------------
# .aff parsing
# --------------------------------------------------------------------------

@dataclass
class SfxRule:
    strip: str
    add: str
    cont: frozenset[str]
    cond: list  # list of (negated: bool, chars: str | None) ; None = any
    cond_text: str

    def applies(self, word: str) -> bool:
        if self.strip and not word.endswith(self.strip):
            return False
        return cond_matches(self.cond, word)

    def apply(self, word: str) -> str:
        base = word[: len(word) - len(self.strip)] if self.strip else word
        return base + self.add


@dataclass
class Affix:
    encoding: str = "ISO-8859-1"
    flag_type: str = "char"
    begin: set[str] = field(default_factory=set)
    middle: set[str] = field(default_factory=set)
    end: set[str] = field(default_factory=set)
    any_pos: set[str] = field(default_factory=set)  # COMPOUNDFLAG
    only_in_compound: set[str] = field(default_factory=set)
    permit: set[str] = field(default_factory=set)
    forbidden: set[str] = field(default_factory=set)
    needaffix: set[str] = field(default_factory=set)
    rule_begin: set[str] = field(default_factory=set)  # via COMPOUNDRULE
    sfx: dict[str, list[SfxRule]] = field(default_factory=dict)
    sfx_order: list[str] = field(default_factory=list)
    pfx_count: int = 0


def parse_cond(text: str) -> list:
    if text == ".":
        return []
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "[":
            j = text.index("]", i)
            body = text[i + 1 : j]
            neg = body.startswith("^")
            out.append((neg, body[1:] if neg else body))
            i = j + 1
        elif c == ".":
            out.append((False, None))
            i += 1
        else:
            out.append((False, c))
            i += 1
    return out


def cond_matches(cond: list, word: str) -> bool:
    if not cond:
        return True
    if len(cond) > len(word):
        return False
    tail = word[len(word) - len(cond) :]
    for (neg, chars), ch in zip(cond, tail):
        if chars is None:
            continue
        hit = ch in chars
        if hit == neg:
            return False
    return True


def split_flags(s: str, flag_type: str) -> list[str]:
    if not s:
        return []
    if flag_type == "long":
        return [s[i : i + 2] for i in range(0, len(s), 2)]
    if flag_type == "num":
        return [f for f in s.split(",") if f]
    return list(s)  # "char" and "UTF-8": one character per flag


def detect_encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        for raw in fh:
            line = raw.decode("latin-1").strip()
            if line.startswith("SET "):
                enc = line.split()[1]
                return {"UTF8": "UTF-8"}.get(enc.upper(), enc)
    return "ISO-8859-1"


def parse_aff(path: Path) -> Affix:
    aff = Affix()
    aff.encoding = detect_encoding(path)
    lines = path.read_text(encoding=aff.encoding).splitlines()
    rule_lines: list[str] = []
    pending: dict[str, int] = {}
    seen_rule_count = False
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        key = parts[0]
        if key == "FLAG" and len(parts) > 1:
            aff.flag_type = parts[1]
        elif key in ("COMPOUNDBEGIN", "COMPOUNDMIDDLE", "COMPOUNDEND",
                     "COMPOUNDFLAG", "ONLYINCOMPOUND", "COMPOUNDPERMITFLAG",
                     "FORBIDDENWORD", "NEEDAFFIX") and len(parts) > 1:
            target = {
                "COMPOUNDBEGIN": aff.begin, "COMPOUNDMIDDLE": aff.middle,
                "COMPOUNDEND": aff.end, "COMPOUNDFLAG": aff.any_pos,
                "ONLYINCOMPOUND": aff.only_in_compound,
                "COMPOUNDPERMITFLAG": aff.permit,
                "FORBIDDENWORD": aff.forbidden, "NEEDAFFIX": aff.needaffix,
            }[key]
            target.update(split_flags(parts[1], aff.flag_type))
        elif key == "COMPOUNDRULE" and len(parts) > 1:
            if not seen_rule_count and parts[1].isdigit():
                seen_rule_count = True  # first line is the rule count
                continue
            rule_lines.append(parts[1])
        elif key == "SFX" and len(parts) >= 4:
            flag = parts[1]
            if flag not in pending and parts[2] in ("Y", "N") and flag not in aff.sfx:
                pending[flag] = int(parts[3])
                aff.sfx[flag] = []
                aff.sfx_order.append(flag)
                continue
            if pending.get(flag, 0) <= 0 or len(parts) < 4:
                continue
            pending[flag] -= 1
            strip = "" if parts[2] == "0" else parts[2]
            add_field = parts[3]
            if "/" in add_field:
                add, cont = add_field.split("/", 1)
            else:
                add, cont = add_field, ""
            add = "" if add == "0" else add
            cond_text = parts[4] if len(parts) > 4 else "."
            aff.sfx[flag].append(SfxRule(
                strip, add, frozenset(split_flags(cont, aff.flag_type)),
                parse_cond(cond_text), cond_text))
        elif key == "PFX":
            aff.pfx_count += 1
    # COMPOUNDRULE: a rule consisting of exactly two plain flags "AB" makes
    # A compound-initial.  Digit flags are hunspell-sv's numeric rules
    # (numbers, "87-åringen") and are ignored here.
    if aff.flag_type in ("char", "UTF-8"):
        for rule in rule_lines:
            if len(rule) == 2 and not any(c in "*?" or c.isdigit() for c in rule):
                aff.rule_begin.add(rule[0])
    if aff.pfx_count:
        print(f"warning: {aff.pfx_count} PFX lines ignored", file=sys.stderr)
    return aff


# --------------------------------------------------------------------------
# .dic parsing
# --------------------------------------------------------------------------

def parse_dic(path: Path, aff: Affix) -> list[tuple[str, frozenset[str]]]:
    entries = []
    with open(path, encoding=aff.encoding) as fh:
        first = True
        for raw in fh:
            line = raw.rstrip("\n").rstrip("\r")
            if first:
                first = False
                if line.strip().isdigit():
                    continue
            if not line.strip():
                continue
            # morphological fields are separated by TAB; multiword entries
            # ("ad hoc") contain spaces and are filtered out later anyway.
            line = line.split("\t", 1)[0]
            if "/" in line:
                word, flags = line.split("/", 1)
                flags = flags.split()[0] if flags.split() else ""
            else:
                word, flags = line, ""
            entries.append((word, frozenset(split_flags(flags, aff.flag_type))))
    return entries


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def is_abbrev(word: str) -> bool:
    cased = [c for c in word if c.isalpha()]
    return len(cased) >= 2 and all(c.isupper() for c in cased)


def norm(word: str) -> str | None:
    """Lowercase and validate; None if not letters-only or an abbreviation."""
    if is_abbrev(word):
        return None
    low = word.lower()
    return low if LETTERS_RE.match(low) else None


def sfx_forms(word: str, flags: frozenset[str], aff: Affix):
    """Yield (class_flag, rule, form) for every applicable suffix rule."""
    for flag in aff.sfx_order:
        if flag not in flags:
            continue
        for rule in aff.sfx[flag]:
            if rule.applies(word):
                yield flag, rule, rule.apply(word)


def fmt_size(n: int) -> str:
    return f"{n / 1024 / 1024:.2f} MiB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KiB"


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------

def build(dic_path: Path, aff_path: Path, out: Path, copyright_path: Path | None,
          extras_path: Path, force_drop_genitive: bool = False) -> int:
    aff = parse_aff(aff_path)
    entries = parse_dic(dic_path, aff)
    print(f"aff: SET {aff.encoding}, FLAG {aff.flag_type}; "
          f"begin={sorted(aff.begin)} middle={sorted(aff.middle)} "
          f"end={sorted(aff.end)} onlyincompound={sorted(aff.only_in_compound)} "
          f"permit={sorted(aff.permit)} compoundflag={sorted(aff.any_pos)} "
          f"forbidden={sorted(aff.forbidden)} needaffix={sorted(aff.needaffix)} "
          f"compoundrule-initial={sorted(aff.rule_begin)}")
    print(f"dic: {len(entries)} entries, {len(aff.sfx)} SFX classes")

    part_flags = aff.begin | aff.middle | aff.any_pos
    head_flags = aff.end | aff.any_pos
    linking_flags = aff.begin | aff.middle

    # Forbidden words (case-sensitive) and their suffix forms.
    forbidden_forms: set[str] = set()
    for word, flags in entries:
        if flags & aff.forbidden:
            forbidden_forms.add(word)
            for _, _, form in sfx_forms(word, flags, aff):
                forbidden_forms.add(form)
    live = [(w, f) for w, f in entries if not (f & aff.forbidden)]

    # Free (standalone) words, used to resolve lemmas of linking-form entries.
    # lowercase word -> (carries end flag, carries begin/middle flag)
    free_words: dict[str, tuple[bool, bool]] = {}
    for word, flags in live:
        if flags & aff.only_in_compound or flags & aff.needaffix:
            continue
        n = norm(word)
        if n:
            old = free_words.get(n, (False, False))
            free_words[n] = (old[0] or bool(flags & head_flags),
                             old[1] or bool(flags & part_flags))

    # Free inflected/derived forms (e.g. forska -> forskare, samverka ->
    # samverkan): fallback bases for lemma resolution.
    free_forms: set[str] = set()
    for word, flags in live:
        if flags & aff.only_in_compound:
            continue
        for _, rule, form in sfx_forms(word, flags, aff):
            if rule.cont & (linking_flags | aff.only_in_compound | aff.forbidden):
                continue
            n = norm(form)
            if n and n not in free_words:
                free_forms.add(n)

    # Linking rules: suffix rules producing compound-only begin/middle forms.
    linking_rules: list[tuple[int, SfxRule]] = []
    order = 0
    for flag in aff.sfx_order:
        for rule in aff.sfx[flag]:
            if rule.cont & aff.permit and rule.cont & linking_flags:
                linking_rules.append((order, rule))
                order += 1

    def resolve_lemma(form: str) -> str:
        """Map an ONLYINCOMPOUND linking-form entry to its free base word."""
        cands = []
        for idx, rule in linking_rules:
            if not form.endswith(rule.add):
                continue
            base = form[: len(form) - len(rule.add)] + rule.strip
            if base == form or not cond_matches(rule.cond, base):
                continue
            if base in free_words:
                is_head, is_part = free_words[base]
                # prefer dictionary entries that are compound heads (nouns)
                # and themselves compound parts, then the earlier .aff rule.
                cands.append((0, not is_head, not is_part, idx, base))
            elif base in free_forms:
                cands.append((1, False, False, idx, base))
        return min(cands)[-1] if cands else form

    # ---------------- compound parts ----------------
    parts: set[tuple[str, str]] = set()
    only_cpd_entries = 0
    for word, flags in live:
        base_lemma = norm(word)
        if base_lemma is None:
            continue
        lemma = base_lemma
        if flags & aff.only_in_compound:
            only_cpd_entries += 1
            lemma = resolve_lemma(base_lemma)
        entry_is_part = bool(flags & part_flags) or bool(flags & aff.rule_begin)
        if entry_is_part and not (flags & aff.needaffix):
            if len(base_lemma) >= 3 and word not in forbidden_forms:
                parts.add((base_lemma, lemma))
        for _, rule, form in sfx_forms(word, flags, aff):
            # Suffixes inside compounds need COMPOUNDPERMITFLAG; the
            # begin/middle flag may come from the entry or the rule.
            if not (rule.cont & aff.permit):
                continue
            if not ((rule.cont | flags) & part_flags):
                continue
            if rule.cont & aff.forbidden or form in forbidden_forms:
                continue
            n = norm(form)
            if n and len(n) >= 3:
                parts.add((n, lemma))

    # ---------------- compound heads ----------------
    heads: dict[str, set[str]] = {}
    non_inflect = linking_flags | aff.only_in_compound | aff.permit | aff.forbidden
    for word, flags in live:
        if not (flags & head_flags):
            continue
        lemma = norm(word)
        if lemma is None or len(lemma) < 3:
            continue
        forms = heads.setdefault(lemma, set())
        derived: dict[str, list[str]] = {}
        for cls, rule, form in sfx_forms(word, flags, aff):
            if rule.cont & non_inflect or form in forbidden_forms:
                continue
            n = norm(form)
            if not n:
                continue
            if cls in DERIVATIONAL_SFX:
                derived.setdefault(cls, []).append(n)
            else:
                forms.add(n)
        for cls in sorted(derived):
            dl = derived[cls]
            dlemma, rest = dl[0], dl[1:]
            heads.setdefault(dlemma, set()).update(rest)
    for lemma, forms in heads.items():
        forms.discard(lemma)

    def heads_lines(drop_genitive: bool) -> list[str]:
        lines = []
        for lemma in sorted(heads):
            forms = heads[lemma]
            if drop_genitive:
                known = forms | {lemma}
                forms = {f for f in forms if not (f.endswith("s") and f[:-1] in known)}
            lines.append(f"{lemma}\t{','.join(sorted(forms))}\n")
        return lines

    head_out = heads_lines(False)
    full_size = sum(len(l.encode("utf-8")) for l in head_out)
    slim = heads_lines(True)
    slim_size = sum(len(l.encode("utf-8")) for l in slim)
    print(f"compound-heads.tsv: {fmt_size(full_size)} with all forms, "
          f"{fmt_size(slim_size)} without genitive -s forms of forms")
    dropped_genitive = force_drop_genitive or full_size > HEADS_SIZE_LIMIT
    if dropped_genitive:
        head_out = slim

    # ---------------- lexicon words ----------------
    words: set[str] = set()
    for word, flags in live:
        if flags & (aff.only_in_compound | aff.needaffix):
            continue
        if word in forbidden_forms:
            continue
        n = norm(word)
        if n and len(n) >= 2:
            words.add(n)

    # ---------------- write ----------------
    out.mkdir(parents=True, exist_ok=True)
    part_lines = [f"{f}\t{l}\n" for f, l in sorted(parts)]
    word_lines = [f"{w}\n" for w in sorted(words)]
    write(out / "compound-parts.tsv", part_lines)
    write(out / "compound-heads.tsv", head_out)
    write(out / "lexicon-words.txt", word_lines)
    write_license(out / "LICENSE-hunspell-sv.txt", copyright_path)

    extras = read_extras(extras_path)

    # ---------------- stats & sanity checks ----------------
    part_forms = {f for f, _ in parts}
    lemma_of: dict[str, set[str]] = {}
    for f, l in parts:
        lemma_of.setdefault(f, set()).add(l)
    extra_lemma: dict[str, set[str]] = {}
    for f, l in extras:
        extra_lemma.setdefault(f, set()).add(l)
    head_forms = set(heads)
    for fs in heads.values():
        head_forms |= fs
    if dropped_genitive:
        head_forms = set()
        for line in head_out:
            lemma, fl = line.rstrip("\n").split("\t")
            head_forms.add(lemma)
            head_forms.update(x for x in fl.split(",") if x)

    stats = {
        "compound-parts.tsv": len(part_lines),
        "compound-heads.tsv": len(head_out),
        "lexicon-words.txt": len(word_lines),
        "compound-parts-extra.tsv": len(extras),
    }
    sizes = {}
    for name in stats:
        p = out / name
        sizes[name] = p.stat().st_size if p.exists() else 0
    n_head_forms = sum(len(l.rstrip("\n").split("\t")[1].split(",")) if l.rstrip("\n").split("\t")[1] else 0
                       for l in head_out)

    print()
    print("== files ==")
    total = 0
    for name, cnt in stats.items():
        total += sizes[name]
        print(f"  {name:28s} {cnt:8d} lines  {fmt_size(sizes[name])}")
    print(f"  total {fmt_size(total)}")
    print(f"  entries with ONLYINCOMPOUND (letters-only): {only_cpd_entries}")
    print(f"  distinct part forms: {len(part_forms)}; head lemmas: {len(heads)}; "
          f"head inflected forms: {n_head_forms}"
          + ("  (genitive -s forms of forms DROPPED: file > 6 MB)" if dropped_genitive else ""))
    by_len = {}
    for f in part_forms:
        by_len[len(f)] = by_len.get(len(f), 0) + 1
    print(f"  part forms by length: 3={by_len.get(3, 0)} 4={by_len.get(4, 0)} "
          f"5={by_len.get(5, 0)} 6+={sum(v for k, v in by_len.items() if k >= 6)}")

    print()
    print("== lookups: compound-parts ==")
    failures = []
    for spec, want_lemma in PART_CHECKS:
        alts = spec.split("|")
        hit = next((a for a in alts if a in part_forms), None)
        if hit:
            lem = ",".join(sorted(lemma_of[hit]))
            ok = want_lemma is None or want_lemma in lemma_of[hit]
            print(f"  {'OK  ' if ok else 'LEM?'} {hit} -> {lem}"
                  + ("" if ok else f"  (expected lemma {want_lemma})"))
            if not ok:
                failures.append(spec)
        else:
            ex = next((a for a in alts if a in extra_lemma), None)
            if ex:
                print(f"  EXTR {ex} -> {','.join(sorted(extra_lemma[ex]))}"
                      "  (not in hunspell; from compound-parts-extra.tsv)")
            else:
                print(f"  FAIL {spec}")
            failures.append(spec)
    print("== lookups: compound-heads ==")
    for w in HEAD_CHECKS:
        if w in heads:
            print(f"  OK   {w} (lemma)")
        elif w in head_forms:
            print(f"  OK   {w} (form)")
        else:
            print(f"  FAIL {w}")
            failures.append(w)

    write_readme(out, dic_path, aff_path, aff, stats, sizes, extras,
                 dropped_genitive, len(entries))
    print()
    print(f"wrote {out}")
    return 0


def write(path: Path, lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(lines)


def read_extras(path: Path) -> list[tuple[str, str]]:
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        form, lemma = line.split("\t")[:2]
        rows.append((form, lemma))
    return rows


def find_copyright(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit)
    import glob
    hits = sorted(glob.glob(DEFAULT_COPYRIGHT_GLOB))
    return Path(hits[0]) if hits else None


def copyright_stanzas(text: str, want_files: str, want_license: str) -> tuple[str, str]:
    """Extract the Files: stanza for sv_SE and the standalone License stanza."""
    stanzas = re.split(r"\n\s*\n", text)
    files_st = next((s for s in stanzas if s.startswith("Files:") and want_files in s.split("\n")[0]), "")
    lic_st = next((s for s in stanzas if s.startswith(f"License: {want_license}\n")), "")
    return files_st.strip(), lic_st.strip()


def write_license(path: Path, copyright_path: Path | None) -> None:
    parts = [
        "Licence of the hunspell-sv data used to build the files in this directory",
        "=========================================================================",
        "",
        "compound-parts.tsv, compound-heads.tsv and lexicon-words.txt are derived",
        "from the Swedish hunspell dictionary (sv_SE.dic / sv_SE.aff, DSSO,",
        "Göran Andersson) as shipped by the Debian package hunspell-sv",
        "(source package libreoffice-dictionaries).  They are distributed under the",
        "same licence as that dictionary: GNU LGPL version 3.",
        "",
    ]
    text = copyright_path.read_text(encoding="utf-8") if copyright_path and copyright_path.exists() else ""
    files_st, lic_st = copyright_stanzas(text, "dictionaries/sv_SE/*", "LGPL-3")
    if files_st:
        parts += [f"--- Excerpt from {copyright_path} ---", "", files_st, "", lic_st, ""]
    elif text:
        parts += [f"--- {copyright_path} ---", "", text, ""]
    for lic in ("LGPL-3", "GPL-3"):
        p = Path("/usr/share/common-licenses") / lic
        if p.exists():
            parts += [f"--- Full text: {p} ---", "", p.read_text(encoding="utf-8"), ""]
    write(path, [l + "\n" for l in "\n".join(parts).rstrip("\n").split("\n")])


def dpkg_version(pkg: str) -> str:
    try:
        res = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                             capture_output=True, text=True, check=False)
        return res.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_readme(out: Path, dic: Path, aff_path: Path, aff: Affix, stats: dict,
                 sizes: dict, extras: list, dropped_genitive: bool,
                 n_entries: int) -> None:
    version = dpkg_version("hunspell-sv")
    extras_list = "\n".join(f"| `{f}` | `{l}` |" for f, l in extras) or "| (none) | |"
    genitive_note = (
        "Genitive forms ending in `-s` whose stem is already listed were dropped "
        "to keep the file under 6 MB; strip a final genitive `s` before lookup."
        if dropped_genitive else
        "All suffix-generated forms are listed (no genitive forms were dropped).")
    md = f"""# Swedish decompounding lexicon (`index-config/sv/`)

Generated by `scripts/build_lexicon.py` — do not edit the generated files by
hand (except `compound-parts-extra.tsv`, which is hand-reviewed).

## Provenance

* Source: Debian package **`hunspell-sv`**, version **`{version}`**
  (source package `libreoffice-dictionaries`), files `{dic}` and `{aff_path}`
  ({n_entries} dictionary entries; `SET {aff.encoding}`, single-character flags).
* Upstream: DSSO — Den stora svenska ordlistan, Göran Andersson
  (Copyright 2003-2014 Göran Andersson).
* sha256 `sv_SE.dic`: `{sha256(dic)}`
* sha256 `sv_SE.aff`: `{sha256(aff_path)}`

## Licence

LGPL-3.0 (as stated in the package's `copyright` file for
`dictionaries/sv_SE/*`). See `LICENSE-hunspell-sv.txt` for the copyright
stanza and the full licence text. The generated files are derived works of the
dictionary and are distributed under the same licence.

## Files

| File | Lines | Size | Format |
|------|------:|-----:|--------|
| `compound-parts.tsv` | {stats['compound-parts.tsv']} | {fmt_size(sizes['compound-parts.tsv'])} | `form<TAB>lemma` |
| `compound-heads.tsv` | {stats['compound-heads.tsv']} | {fmt_size(sizes['compound-heads.tsv'])} | `lemma<TAB>form1,form2,...` |
| `lexicon-words.txt` | {stats['lexicon-words.txt']} | {fmt_size(sizes['lexicon-words.txt'])} | one word per line |
| `compound-parts-extra.tsv` | {stats['compound-parts-extra.tsv']} (+ `#` header) | {fmt_size(sizes['compound-parts-extra.tsv'])} | `form<TAB>lemma`, hand-reviewed |

All files are UTF-8, `\\n`-terminated, sorted by Unicode code point, lowercase,
letters `a-z å ä ö é ü` only (entries with digits, hyphens, dots, spaces,
other letters, and all-uppercase abbreviations are skipped). Proper nouns are
lowercased.

### `compound-parts.tsv`

Every form that hunspell allows FIRST or in the MIDDLE of a compound, length ≥ 3:

* dictionary entries flagged `COMPOUNDBEGIN` (X) or `COMPOUNDMIDDLE` (U)
  (and the few prefix entries that are compound-initial only through
  `COMPOUNDRULE`, e.g. `säkerhets`, `tvångs`, `mega`);
* forms generated by suffix rules carrying `COMPOUNDPERMITFLAG` (W) plus a
  begin/middle flag — these are the linking forms (`fabrik → fabriks`,
  `ränta → ränte`, `vecka → vecko`, `vara → varu`, `laddning → laddnings`).

`lemma` is the dictionary entry the form was generated from (equal to `form`
for the entry itself). Linking forms that are separate `ONLYINCOMPOUND`
entries in hunspell (e.g. `förskole`, `samhälls`, `skol`, `gymnasie`) get the
free word as lemma (`förskola`, `samhälle`, `skola`, `gymnasium`), found by
reverse-applying the linking suffix rules to a free dictionary entry, or
failing that to a free suffix-generated form (`forskar → forskare`, generated
from `forska`); if no free base is found the lemma equals the form. A form may
occur on several lines with different lemmas.

### `compound-heads.tsv`

Every entry allowed LAST in a compound (`COMPOUNDEND`, Y; hunspell-sv has no
`COMPOUNDFLAG`), lemma length ≥ 3, followed by a comma-separated list of its
suffix-generated inflected forms (definite, plural, genitive, verb forms…),
excluding the lemma itself; the list is empty if there are none. Linking-form
rules (flags W/X/U/Z) are not inflections and are not listed. The derivational
`-bo`/`-sbo` classes (`stad → stadsbo, stadsbor…`) are emitted as their own
lemma (`stadsbo`). {genitive_note}
(`--drop-genitive` forces dropping genitive `-s` forms whose stem is listed.)

### `lexicon-words.txt`

All simple dictionary entries (length ≥ 2), lowercased, excluding
`ONLYINCOMPOUND` entries (not free words), `FORBIDDENWORD` entries and
`NEEDAFFIX` stems. Inflected forms are not included (see `compound-heads.tsv`).

### `compound-parts-extra.tsv`

A small, hand-reviewed list of very common compound parts used in municipal
documents that the hunspell dictionary lacks as linking forms (it lists the
compounds as whole words instead). Same format as `compound-parts.tsv`; lines
starting with `#` are comments. Current contents:

| form | lemma |
|------|-------|
{extras_list}

## Notes for the decompounder

* hunspell-sv sets `SIMPLIFIEDTRIPLE`/`CHECKCOMPOUNDTRIPLE`: a triple letter
  at a joint is written double (`fall` + `lucka` = `fallucka`), so also try
  re-doubling the joint letter when splitting.
* `CHECKCOMPOUNDDUP`: hunspell rejects the same word twice in a row (`bilbil`).
* `FORBIDDENWORD` entries (~1.5k, e.g. bogus compounds like `mjölksyrra`) and
  their forms are excluded from all files.
* There are no 2-letter compound parts in hunspell-sv (`el`, `is` lack the
  begin flag); 3-letter parts are few and should be treated with care.

## Rebuilding

```sh
apt-get install hunspell-sv && python3 scripts/build_lexicon.py
# options: --dic PATH --aff PATH --out DIR --copyright PATH
```

The script uses only the Python 3.11 standard library and prints counts and
sanity lookups. Output is deterministic for a given dictionary version.
"""
    write(out / "README.md", [md])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dic", default=DEFAULT_DIC)
    ap.add_argument("--aff", default=DEFAULT_AFF)
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--drop-genitive", action="store_true",
                    help="always drop genitive -s forms from compound-heads.tsv "
                         "(done automatically above 6 MiB)")
    ap.add_argument("--copyright", default=None,
                    help=f"copyright file (default {DEFAULT_COPYRIGHT_GLOB})")
    args = ap.parse_args(argv)
    dic, aff = Path(args.dic), Path(args.aff)
    for p in (dic, aff):
        if not p.exists():
            print(f"error: {p} not found (apt-get install hunspell-sv)", file=sys.stderr)
            return 1
    out = Path(args.out)
    return build(dic, aff, out, find_copyright(args.copyright),
                 out / "compound-parts-extra.tsv", args.drop_genitive)


if __name__ == "__main__":
    sys.exit(main())
