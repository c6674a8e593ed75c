"""Optuna's samplers behind a line protocol, so the benchmark's problems are defined once (in TypeScript).

stdin: one JSON job per study, {"sampler": "tpe" | "random", "seed": int, "bounds": [[lo, hi], ...],
"trials": int}; then, for each trial, the driver writes the suggested point as a JSON array and reads its
objective value back as one line. TPE is optuna.samplers.TPESampler with its defaults (univariate,
10 startup trials, 24 EI candidates), seeded; random is RandomSampler, seeded.
"""
import json
import sys

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)

SAMPLERS = {"tpe": optuna.samplers.TPESampler, "random": optuna.samplers.RandomSampler}


def main() -> None:
    print(json.dumps({"optuna": optuna.__version__}), flush=True)
    while True:
        line = sys.stdin.readline()
        if not line:
            return
        job = json.loads(line)
        study = optuna.create_study(sampler=SAMPLERS[job["sampler"]](seed=job["seed"]))
        dists = {f"x{i}": optuna.distributions.FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(job["bounds"])}
        for _ in range(job["trials"]):
            trial = study.ask(dists)
            print(json.dumps([trial.params[f"x{i}"] for i in range(len(dists))]), flush=True)
            study.tell(trial, float(sys.stdin.readline()))


if __name__ == "__main__":
    main()
