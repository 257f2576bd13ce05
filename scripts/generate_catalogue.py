"""Generate a SYNTHETIC catalogue of innovation profiles for benchmarks and tests.

The national repository (JIPPNas) holds about 3,000 innovations; this makes a catalogue of the
same size and shape — Indonesian text, the 38 provinces, the nine KIPP 2025 categories — so
ingest time, retrieval quality and metadata filters can be measured without real data. Every
row is marked as synthetic (`synthetic=true`, contact URL under https://contoh.invalid/), and
the script refuses to write into a knowledge folder: these profiles must never become
knowledge the bot cites.

    python scripts/generate_catalogue.py --out /tmp/cat/katalog.csv            # 3000 rows
    python scripts/generate_catalogue.py --out /tmp/cat/katalog.json -n 200 --seed 7
    # the same catalogue with 10 rows edited, for an incremental re-ingest:
    python scripts/generate_catalogue.py --base /tmp/cat/katalog.csv --rows-changed 10 \\
        --out /tmp/cat/katalog.csv

The output format follows the extension of --out: .csv, .json or .yaml/.yml.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

VOCABULARY = Path(__file__).with_name("catalogue_vocabulary.yaml")
COLUMNS = (
    "name",
    "agency",
    "region",
    "year",
    "category",
    "award",
    "summary",
    "results",
    "contact_url",
)
# Extra columns end up as metadata on every chunk (the catalogue loader keeps extras).
FIELDNAMES = (*COLUMNS, "kabupaten_kota", "synthetic")
CONTACT_BASE = "https://contoh.invalid/inovasi/"
FIRST_YEAR, LAST_YEAR = 2014, 2025
# Java and South Sulawesi submit far more innovations than other provinces; a flat spread
# would make region filters unrealistically even.
HEAVY_PROVINCES = {"Jawa Timur", "Jawa Tengah", "Jawa Barat", "DI Yogyakarta", "Sulawesi Selatan"}
FORMATS = (".csv", ".json", ".yaml", ".yml")

Row = dict[str, Any]


@dataclass(frozen=True)
class Category:
    name: str
    agencies: tuple[str, ...]
    stems: tuple[str, ...]
    beneficiaries: tuple[str, ...]
    problems: tuple[str, ...]
    actions: tuple[str, ...]
    benefits: tuple[str, ...]
    processes: tuple[str, ...]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    provinces: dict[str, tuple[str, ...]]
    kemensos_units: tuple[tuple[str, str], ...]
    agencies: dict[str, tuple[str, str]]  # kind -> (pattern, level)
    categories: tuple[Category, ...]
    lists: dict[str, tuple[str, ...]]  # every other list of words or templates, by key

    def words(self, key: str) -> tuple[str, ...]:
        return self.lists[key]


def load_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = tuple(
        Category(
            name=str(entry["name"]),
            **{
                key: tuple(str(item) for item in entry[key])
                for key in Category.__dataclass_fields__
                if key != "name"
            },
        )
        for entry in raw.pop("categories")
    )
    provinces = {str(p): tuple(map(str, places)) for p, places in raw.pop("provinces").items()}
    units = tuple((str(unit), str(province)) for unit, province in raw.pop("kemensos_units"))
    agencies = {
        str(kind): (str(spec["pattern"]), str(spec["level"]))
        for kind, spec in raw.pop("agencies").items()
    }
    lists = {str(key): tuple(str(item) for item in value) for key, value in raw.items()}
    return Vocabulary(provinces, units, agencies, categories, lists)


# -- one profile ---------------------------------------------------------------------------
def town_of(place: str) -> str:
    """`Kabupaten Boyolali` → `Boyolali`, `Kota Administrasi Jakarta Barat` → `Jakarta Barat`."""
    return re.sub(r"^(Kabupaten|Kota Administrasi|Kota)\s+", "", place)


def pick_agency(rng: random.Random, vocab: Vocabulary, category: Category) -> tuple[str, str, str]:
    """(agency name, province, kabupaten/kota or "") for a profile of `category`."""
    kind = rng.choice(category.agencies)
    pattern, level = vocab.agencies[kind]
    if level == "central":
        unit, province = rng.choice(vocab.kemensos_units)
        return pattern.format(unit=unit), province, ""
    names = sorted(vocab.provinces)
    province = rng.choices(names, weights=[3 if n in HEAVY_PROVINCES else 1 for n in names])[0]
    if level == "provinsi" or (level == "any" and rng.random() < 0.2):
        return pattern.format(place=f"Provinsi {province}", town=province), province, ""
    place = rng.choice(vocab.provinces[province])
    suffix = rng.choice(vocab.words("puskesmas_suffixes"))
    return pattern.format(place=place, town=town_of(place), suffix=suffix), province, place


def innovation_name(rng: random.Random, vocab: Vocabulary, category: Category) -> str:
    """Acronym-style names as agencies coin them: SI-GIZI, LAPOR CEPAT, Gerbang Tani Mandiri."""
    stem = rng.choice(category.stems)
    suffix = rng.choice(vocab.words("name_suffixes"))
    prefix = rng.choice(vocab.words("name_prefixes"))
    pattern = rng.randrange(4)
    if pattern == 0:
        return f"{prefix}-{stem}"
    if pattern == 1:
        return f"{stem} {suffix}"
    if pattern == 2:
        lead = rng.choice(vocab.words("name_gerakan"))
        return f"{lead} {stem.title()} {suffix.title()}"
    return f"{prefix}-{stem} {suffix}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", ".")  # Indonesian: 12.500


def summary_text(
    rng: random.Random, vocab: Vocabulary, category: Category, name: str, agency: str
) -> str:
    """2–4 sentences: the problem, what the innovation is, how it is used, who helps."""
    beneficiary = rng.choice(category.beneficiaries)
    values = {
        "name": name,
        "agency": agency,
        "problem": rng.choice(category.problems),
        "kind": rng.choice(vocab.words("kinds")),
        "action": rng.choice(category.actions),
        "beneficiary": beneficiary,
        "beneficiary_cap": _cap(beneficiary),
        "channel": rng.choice(vocab.words("channels")),
        "channel_noun": rng.choice(vocab.words("channel_nouns")),
        "benefit": rng.choice(category.benefits),
        "partner": " dan ".join(rng.sample(vocab.words("partners"), rng.randint(1, 2))),
    }
    opener = rng.random() < 0.8
    how = rng.random() < 0.6 or not opener  # never a one-sentence summary
    partner = rng.random() < 0.5
    parts = [
        rng.choice(vocab.words("summary_openers")) if opener else None,
        rng.choice(vocab.words("summary_whats")),
        rng.choice(vocab.words("summary_hows")) if how else None,
        rng.choice(vocab.words("summary_partners")) if partner else None,
    ]
    return " ".join(_cap(p.format(**values)) for p in parts if p)


def results_text(rng: random.Random, vocab: Vocabulary, category: Category, year: int) -> str:
    """2–4 sentences with numbers: always one category-specific outcome first."""
    a = rng.randint(5, 30)
    p1 = rng.randint(10, 60)
    indicator = rng.choice(category.indicators)
    values = {
        "process": rng.choice(category.processes),
        "indicator": indicator,
        "indicator_cap": _cap(indicator),
        "beneficiary": rng.choice(category.beneficiaries),
        "a": a,
        "b": rng.randint(1, max(1, a // 3)),
        "p1": p1,
        "p2": rng.randint(p1 + 10, 98),
        "n": rng.randint(1, 4),
        "count": _thousands(rng.randint(150, 25_000)),
        "k": rng.randint(1, 15),
        "ikm": f"{rng.uniform(78, 96):.1f}".replace(".", ","),
        "rp": rng.randint(50, 900),
        "since": min(LAST_YEAR, year + rng.randint(0, 1)),
    }
    specific = list(vocab.words("results_specific"))
    rng.shuffle(specific)
    others = rng.sample(specific[1:] + list(vocab.words("results_common")), rng.randint(1, 3))
    return " ".join(t.format(**values) for t in [specific[0], *others])


def award_for(rng: random.Random, year: int) -> str:
    """Most innovations win nothing; KIPP names its top tier Top 45 only from 2019 on."""
    award_year = min(LAST_YEAR, year + 1)
    roll = rng.random()
    if roll < 0.6:
        return ""
    if roll < 0.75:
        return f"Finalis KIPP {award_year}"
    if roll < 0.92 or award_year < 2019:
        return f"Top 99 KIPP {award_year}"
    return f"Top 45 KIPP {award_year}"


def generate_profiles(count: int, seed: int = 2025, vocab: Vocabulary | None = None) -> list[Row]:
    """`count` synthetic profiles; the same seed always gives the same catalogue."""
    vocab = vocab or load_vocabulary()
    rng = random.Random(seed)
    used: set[str] = set()
    rows: list[Row] = []
    for number in range(1, count + 1):
        category = rng.choice(vocab.categories)
        agency, province, place = pick_agency(rng, vocab, category)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        # Names must be unique: the catalogue loader derives document ids from them, and an
        # id that depends on row order would turn a one-row edit into many changed documents.
        name = innovation_name(rng, vocab, category)
        if name in used:
            name = f"{name} {town_of(place) if place else province}"
        base, copy = name, 2
        while name in used:
            name, copy = f"{base} {copy}", copy + 1
        used.add(name)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        rows.append(
            {
                "name": name,
                "agency": agency,
                "region": province,
                "year": year,
                "category": category.name,
                "award": award_for(rng, year),
                "summary": summary_text(rng, vocab, category, name, agency),
                "results": results_text(rng, vocab, category, year),
                "contact_url": f"{CONTACT_BASE}{number:04d}-{slug}",
                "kabupaten_kota": place,
                "synthetic": True,
            }
        )
    return rows


def change_rows(rows: Sequence[Row], changed: int, seed: int = 2025) -> list[Row]:
    """A copy of `rows` with `changed` of them edited (results extended), names kept so the
    documents are *updated* rather than removed and re-added by an incremental ingest."""
    if not 0 <= changed <= len(rows):
        raise ValueError(f"cannot change {changed} of {len(rows)} rows")
    rng = random.Random(f"{seed}:changes")
    copy = [dict(row) for row in rows]
    for index in sorted(rng.sample(range(len(copy)), changed)):
        row = copy[index]
        extra = rng.randint(2, 12)
        row["results"] = (
            f"{row['results']} Pembaruan data {LAST_YEAR}: layanan diperluas ke {extra} "
            "kecamatan baru dan dievaluasi setiap triwulan."
        )
    return copy


# -- files ---------------------------------------------------------------------------------
def write_catalogue(rows: Sequence[Row], path: Path) -> None:
    suffix = path.suffix.lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIELDNAMES, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_cell(row.get(k, "")) for k in FIELDNAMES})
        path.write_text(buffer.getvalue(), encoding="utf-8")
    elif suffix == ".json":
        path.write_text(json.dumps(list(rows), ensure_ascii=False, indent=1), encoding="utf-8")
    elif suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(list(rows), allow_unicode=True, sort_keys=False, width=100)
        path.write_text(text, encoding="utf-8")
    else:
        raise ValueError(f"{path}: unsupported extension (use {', '.join(FORMATS)})")


def read_catalogue(path: Path) -> list[Row]:
    """Rows of a catalogue written by this script, typed as `generate_profiles` makes them."""
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8")
    if suffix == ".csv":
        raw: Any = list(csv.DictReader(io.StringIO(text)))
    elif suffix == ".json":
        raw = json.loads(text)
    elif suffix in (".yaml", ".yml"):
        raw = yaml.safe_load(text)
    else:
        raise ValueError(f"{path}: unsupported extension (use {', '.join(FORMATS)})")
    rows = []
    for item in raw:
        row = {key: item.get(key, "") for key in FIELDNAMES}
        row["year"] = int(row["year"]) if str(row["year"]).isdigit() else row["year"]
        row["synthetic"] = str(row["synthetic"]).lower() == "true"
        rows.append(row)
    return rows


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def refuses_target(path: Path) -> str | None:
    """Why `path` must not receive synthetic profiles, or None when it may."""
    resolved = path.resolve()
    folders = [Path(__file__).resolve().parents[1] / "knowledge"]
    if os.environ.get("KNOWLEDGE_DIR"):
        folders.append(Path(os.environ["KNOWLEDGE_DIR"]))
    for folder in folders:
        if resolved.is_relative_to(folder.resolve()):
            return f"{path} is inside the knowledge folder {folder}"
    if "knowledge" in resolved.parent.parts:
        return f"{path} is inside a folder named 'knowledge'"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="output .csv/.json/.yaml")
    parser.add_argument("-n", "--count", type=int, default=3000, help="profiles (default 3000)")
    parser.add_argument("--seed", type=int, default=2025, help="random seed (default 2025)")
    parser.add_argument("--base", type=Path, help="existing catalogue to copy with changes")
    parser.add_argument("--rows-changed", type=int, help="rows of --base to edit")
    args = parser.parse_args(argv)

    if args.out.suffix.lower() not in FORMATS:
        print(f"Error: --out must end in one of {', '.join(FORMATS)}.", file=sys.stderr)
        return 2
    reason = refuses_target(args.out)
    if reason:
        print(f"Error: {reason}; synthetic profiles never go into knowledge.", file=sys.stderr)
        return 2
    if (args.base is None) != (args.rows_changed is None):
        print("Error: --base and --rows-changed go together.", file=sys.stderr)
        return 2
    if args.base is not None:
        try:
            rows = change_rows(read_catalogue(args.base), args.rows_changed, args.seed)
        except (OSError, ValueError, KeyError) as exc:
            print(f"Error: cannot change rows of {args.base}: {exc}.", file=sys.stderr)
            return 2
        what = f"{args.rows_changed} of {len(rows)} rows changed"
    else:
        if args.count < 1:
            print("Error: --count must be at least 1.", file=sys.stderr)
            return 2
        rows = generate_profiles(args.count, args.seed)
        what = f"{len(rows)} synthetic profiles"
    write_catalogue(rows, args.out)
    print(f"Wrote {what} to {args.out}.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
