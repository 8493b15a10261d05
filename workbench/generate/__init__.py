"""Deterministic synthetic corpora of the four chain partners' exports.

``generate(out_dir, persons=N, seed=S)`` builds a population, plants
networks and decoys in it, lets every person leave records with KMar, IND,
COA and the police, makes the exports messy in recorded ways, and writes:

- ``politie_<seed>.csv`` and ``politie_<seed>_aanvulling.csv`` (a
  supplementary police export repeating part of the first: cross-file
  duplicates and conflicts), ``kmar_<seed>.jsonl``, ``ind_<seed>.csv``,
  ``coa_<seed>.xlsx``, each per /work/shared/formats/README.md;
- ``truth.json``: what the files really say.

``delivery=0.01`` holds back 1% of the records and writes them,
in the same formats, to ``delivery/`` (``politie_<seed>_delivery.csv``, ...):
a daily delivery to load after the rest (``workbench.generate.delivery``).
truth.json then describes both, its positions naming the file they are in.

All data is synthetic. The same seed gives byte-identical files (one
``random.Random`` stream per stage, no global state, fixed xlsx metadata).

truth.json schema (used by entity-resolution and detection benchmarks)::

    {
      "seed": int, "persons": int,
      "generated": {"rows_per_file": {file: rows}, "records_per_source": {source: n},
                    "networks": n, "facilitators": n},
      "population": {"P000001": {"name": "Mohammed Al-Hassan" (canonical spelling),
          "given", "family", "sex": "M"|"V", "dob": "1990-05-17" | "1990" (year only known),
          "nationality": alpha-3 (XXA = stateless), "v_number": str | null,
          "minor": bool, "unaccompanied": bool, "household": "H000001",
          "phones": [E.164], "arrival": ISO date, "network": "N01" | null}},
      "facilitators": {"F0001": {"network", "role": smokkelaar|geldkoerier|chauffeur|ronselaar,
          "aliases": [canonical spelling first, then variants], "name", "phone": E.164,
          "plate": str | null}},
      "records": {"<source>:<record_id>": {            # source: politie|kmar|ind|coa
          "subject": "P..." | "F..." (a facilitator can be the subject, e.g. an arrested driver),
          "companions": ["P..."] (KMar reisgenoten, in order),
          "visitor": "P..." | "F..." | null (COA bezoeker),
          "network": "N01" | null (the record carries that network's markers)}},
      "networks": [{"id": "N01", "type": "smuggling"|"trafficking",
          "members": ["P..."] (clients / victims), "facilitators": ["F..."],
          "markers": {"phones": [E.164], "plates": [...], "aliases": [...],
                      "document_batch": {"country": alpha-3, "numbers": [...]} | null,
                      "route": [alpha-3...], "arrival": ISO date | null, "amount_eur": int,
                      "azcs": [...]},
          "records": ["source:record_id", ...]}],
      "decoys": [{"kind": "helpdesk_phone"|"common_name"|"families_travelling_together"|
                  "lawyer_office"|"taxi"|"hub_location"|"common_alias", "value": ...,
                  "persons": int}],   # lawyer_office and taxi also have "name", taxi "plate"
      "duplicates": [{"record": key, "copies": [{"file", "row"}, ...]}],   # identical content
      "conflicts": [{"record": key, "field": path, "copies": [{"file", "row"}, ...]}],
      "hostile": [{"record": key, "field": path, "value": str}],
      "unparseable": [{"record": key, "field": path, "value": str}],       # -> loader warnings
      "mistyped_v_numbers": [{"record": key, "subject", "v_number": true, "written": str}],
      "bad_rows": [{"record": key, "subject", "file", "row", "field", "value", "reason"}]
    }

Row numbers count data rows from 1 (header excluded; JSON Lines: the line).
Field paths into KMar objects are dotted (``signaal.toelichting``). Records
of ``bad_rows`` are not in ``records`` (every loader must reject them); every
other record id in the files is. The first copy of a conflicting record is
the one ``records`` describes (same subject either way).
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from pathlib import Path

from workbench.collector import gc_paused
from workbench.generate.delivery import DeliveryMix, delivery_mix, split_delivery
from workbench.generate.mess import Files, make_mess
from workbench.generate.networks import plant_decoys, plant_networks
from workbench.generate.population import build_population
from workbench.generate.records import build_records
from workbench.generate.truth import build_truth, write_truth
from workbench.generate.writers import write_coa, write_ind, write_kmar, write_politie

__all__ = ["GenerateSummary", "generate"]

log = logging.getLogger(__name__)

MIN_PERSONS = 100


@dataclass(frozen=True)
class GenerateSummary:
    """What ``generate`` wrote: data rows per file (header excluded)."""

    out_dir: Path
    persons: int
    seed: int
    files: dict[str, int]
    networks: int
    truth: Path
    delivery: dict[str, int] = field(default_factory=dict)  # file under delivery/ -> rows
    mix: DeliveryMix | None = None


def generate(
    out_dir: Path, *, persons: int, seed: int, bad_rows: bool = False, delivery: float = 0.0
) -> GenerateSummary:
    """Write a synthetic corpus of ``persons`` persons for ``seed`` into ``out_dir``.

    ``bad_rows=True`` adds a handful of rows every loader must reject
    (impossible dates, unknown themes, nine-digit V-numbers), listed in
    truth.json; the default corpus loads with zero rejects.
    """
    if persons < MIN_PERSONS:
        raise ValueError(f"persons must be at least {MIN_PERSONS} (networks need members)")
    out_dir.mkdir(parents=True, exist_ok=True)
    # Millions of small, acyclic objects: the cyclic collector finds nothing
    # here but costs a third of the run at 80k persons.
    with gc_paused():
        return _generate(out_dir, persons=persons, seed=seed, bad_rows=bad_rows, delivery=delivery)


def _stream(seed: int, stage: str) -> random.Random:
    """One random stream per stage: a change in one stage does not reshuffle
    the others. String seeds hash with SHA-512, independent of PYTHONHASHSEED.
    Not for cryptography, of course: synthetic data only."""
    return random.Random(f"{seed}:{stage}")  # noqa: S311


def _generate(
    out_dir: Path, *, persons: int, seed: int, bad_rows: bool, delivery: float
) -> GenerateSummary:
    people = build_population(persons, _stream(seed, "population"))
    networks, facilitators = plant_networks(people, _stream(seed, "networks"))
    decoys = plant_decoys(people, _stream(seed, "decoys"), networks)
    rows = build_records(
        people,
        networks,
        facilitators,
        decoys,
        _stream(seed, "records"),
        _stream(seed, "benign decoys"),
    )
    files, mess_log = make_mess(rows, _stream(seed, "mess"), bad_rows=bad_rows)

    names = {
        "politie": f"politie_{seed}.csv",
        "politie_aanvulling": f"politie_{seed}_aanvulling.csv",
        "kmar": f"kmar_{seed}.jsonl",
        "ind": f"ind_{seed}.csv",
        "coa": f"coa_{seed}.xlsx",
    }
    base, held = (
        split_delivery(files, delivery, _stream(seed, "delivery")) if delivery else (files, {})
    )
    counts = _write(out_dir, base, names)
    held_names = {s: f"delivery/{Path(n).stem}_delivery{Path(n).suffix}" for s, n in names.items()}
    held = {stem: rows for stem, rows in held.items() if rows}  # no empty files
    delivered = _write(out_dir, held, held_names)
    # Positions in truth.json name the file a row is in: the base's, then the delivery's.
    truth = build_truth(
        seed=seed,
        people=people,
        facilitators=facilitators,
        networks=networks,
        decoys=decoys,
        files={**base, **{f"{stem}:delivery": rows for stem, rows in held.items()}},
        file_names={**names, **{f"{stem}:delivery": held_names[stem] for stem in held}},
        log=mess_log,
    )
    truth_path = out_dir / "truth.json"
    write_truth(truth_path, truth)
    mix = delivery_mix(base, held) if delivery else None
    return GenerateSummary(
        out_dir, persons, seed, counts, len(networks), truth_path, delivered, mix
    )


_WRITERS = {
    "politie": write_politie,
    "politie_aanvulling": write_politie,
    "kmar": write_kmar,
    "ind": write_ind,
    "coa": write_coa,
}


def _write(out_dir: Path, files: Files, names: dict[str, str]) -> dict[str, int]:
    """Write each stem's rows to its file under ``out_dir``; rows per file name."""
    counts: dict[str, int] = {}
    for stem, rows in files.items():
        path = out_dir / names[stem]
        path.parent.mkdir(parents=True, exist_ok=True)
        counts[names[stem]] = _WRITERS[stem](path, rows)
        log.info("wrote %s (%d rows)", names[stem], counts[names[stem]])
    return counts
