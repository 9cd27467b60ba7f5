"""`python -m bench [--quick] [--only autoencoder,profile,service,engines,sana,previews,headline,report]`: the CPU benchmarks, their
raw results in bench/results/*.json, and docs/BENCHMARKS.md with its plots."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from bench import autoencoder, engines, headline, previews, profile, report, sana, service
from bench.common import Timing, log, machine, write_results

SECTIONS = ("autoencoder", "profile", "service", "engines", "sana", "previews", "headline", "report")

# full: the numbers to quote (1-2 hours on 2 cores); quick: the same suite, shrunk (about 20 minutes).
MODES = {
    "full": {"timing": Timing(warmup=1, repeats=10, budget_seconds=20.0), "max_call_seconds": 300.0,
             "warmup_limit_seconds": 30.0,
             "load": service.LoadPlan(min_requests=24, requests_per_client=4, phase_seconds=90.0, generate_steps=30,
                                      generate_requests_per_client=2, overhead_pairs=30)},
    "quick": {"timing": Timing(warmup=1, repeats=3, budget_seconds=2.0), "max_call_seconds": 12.0,
              "warmup_limit_seconds": 4.0,
              "load": service.LoadPlan(min_requests=6, requests_per_client=1, phase_seconds=30.0, generate_steps=10,
                                       generate_requests_per_client=1, overhead_pairs=8)},
}


def main(argv: list[str] | None = None) -> int:
    # A stopped run still stops the gateway it started (the `finally` in bench.service).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="fewer repeats and tighter call limits (minutes, not hours)")
    p.add_argument("--only", default=",".join(s for s in SECTIONS if s != "sana"),
                   help=f"comma-separated subset of {', '.join(SECTIONS)} (default: all but sana, a full-size SANA "
                        "that takes about 40 minutes and 30 GB of disk: name it)")
    p.add_argument("--presets", default=f"{autoencoder.SHIPPED},{autoencoder.FULL_SIZE}",
                   help="autoencoder presets to measure")
    p.add_argument("--max-call-seconds", type=float, help="skip autoencoder configurations predicted to take longer")
    p.add_argument("--rebuild", action="store_true", help="re-make the benchmark checkpoints and ONNX graphs")
    args = p.parse_args(argv)
    mode = "quick" if args.quick else "full"
    cfg = MODES[mode]
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        p.error(f"unknown sections {sorted(unknown)}; choose from {', '.join(SECTIONS)}")
    presets = [s.strip() for s in args.presets.split(",") if s.strip()]

    def stamp(payload: dict, started: str) -> dict:
        return {"mode": mode, "started": started, "finished": time.strftime("%Y-%m-%d %H:%M"),
                "machine": machine_at_start, **payload}

    ae = None
    if "autoencoder" in only or "profile" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        ae = autoencoder.run(presets, cfg["timing"], args.max_call_seconds or cfg["max_call_seconds"],
                             cfg["warmup_limit_seconds"], rebuild=args.rebuild) if "autoencoder" in only else None
        if ae is not None:
            log(f"wrote {write_results('cpu-autoencoder', stamp(ae, started))}")
    if "profile" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        prepared = ae["presets"] if ae else {name: autoencoder.prepare(name) for name in presets}
        log(f"wrote {write_results('cpu-profile', stamp(profile.run(prepared, args.quick), started))}")
    if "service" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        log("service: gateway under load")
        log(f"wrote {write_results('cpu-service', stamp(service.run(cfg['load']), started))}")
    if "engines" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        timing = Timing(warmup=1, repeats=5, budget_seconds=6.0) if not args.quick else Timing(1, 2, 2.0)
        result = engines.run(timing, presets, dit=True, max_call_seconds=40.0 if not args.quick else 8.0)
        log(f"wrote {write_results('cpu-engines', stamp(result, started))}")
    if "sana" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        timing = Timing(warmup=1, repeats=3, budget_seconds=20.0) if not args.quick else Timing(1, 1, 0.0)
        log(f"wrote {write_results('cpu-sana', stamp(sana.run(timing), started))}")
    if "previews" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        timing = Timing(warmup=1, repeats=5, budget_seconds=20.0) if not args.quick else Timing(1, 2, 2.0)
        log(f"wrote {write_results('cpu-previews', stamp(previews.run(timing), started))}")
    if "headline" in only:
        started, machine_at_start = time.strftime("%Y-%m-%d %H:%M"), machine()
        log(f"wrote {write_results('cpu-headline', stamp(headline.run(steps=30 if not args.quick else 6), started))}")
    if "report" in only:
        log(f"wrote {report.write()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
