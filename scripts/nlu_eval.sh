#!/bin/bash
# Train an NLU model from a config and report intent macro-F1 on every held-out set.
#   scripts/nlu_eval.sh CONFIG NAME [OUT]    (OUT defaults to /tmp/nlu-eval)
# Used to compare intent classifiers on the same features and data (README, "Chinese
# understanding"): e.g. a copy of config.yml with DIETClassifier in place of the linear one.
set -euo pipefail
cd "$(dirname "$0")/.."
cfg=$1; name=$2; out=${3:-/tmp/nlu-eval}
mkdir -p "$out"
export TF_CPP_MIN_LOG_LEVEL=2 RASA_TELEMETRY_ENABLED=false ASSISTANT_TODAY=2026-11-25
start=$(date +%s)
.venv/bin/python -m rasa train nlu --config "$cfg" --nlu data/nlu --domain domain.yml \
    --fixed-model-name "$name" --out "$out/models" > "$out/$name.train.log" 2>&1
echo "trained in $(( $(date +%s) - start )) s"
sets=$(ls tests/nlu/*.yml | xargs -n1 basename | sed 's/\.yml$//')
for s in $sets; do
    rm -rf "$out/res_${name}_$s"
    .venv/bin/python -m rasa test nlu --model "$out/models/$name.tar.gz" --nlu "tests/nlu/$s.yml" \
        --out "$out/res_${name}_$s" > /dev/null 2>&1
done
.venv/bin/python - "$out" "$name" $sets <<'PY'
import json, sys
out, name, *sets = sys.argv[1:]
scores = {s: json.load(open(f"{out}/res_{name}_{s}/intent_report.json"))["macro avg"]["f1-score"] for s in sets}
print(name, " | ".join(f"{s} {f:.3f}" for s, f in scores.items()),
      f"| mean {sum(scores.values()) / len(scores):.3f} | min {min(scores.values()):.3f}")
PY
