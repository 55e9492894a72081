#!/usr/bin/env bash
# Print a hash of everything the trained model depends on: config.yml, the domain,
# all training data, and the versions of Rasa and its ML libraries.
# `make train` retrains only when this changes; the tests compare it too.
set -euo pipefail
cd "$(dirname "$0")/.."
inputs=()
# The NLU components and their vocabulary (facts, measure names of the articles) shape the
# model too (jieba dictionary, patterns, the fact features the classifier learns).
for path in config.yml domain.yml domain data knowledge/facts.yml knowledge/articles bot/nlu; do
    [ -e "$path" ] && inputs+=("$path")
done
{
    find "${inputs[@]}" -type f ! -name "*.pyc" | LC_ALL=C sort | xargs -d '\n' sha256sum
    grep -E '^(rasa|rasa-sdk|tensorflow|tensorflow-text|spacy|jieba)==' requirements.lock
} | sha256sum | cut -d' ' -f1
