"""Write the jieba user dictionary generated from the vocabulary.

    python -m bot.nlu.userdict [directory]      (default: var/nlu/jieba)

`config.yml` points JiebaTokenizer's `dictionary_path` at that directory, so the
policy words in knowledge/facts.yml stay whole tokens; Rasa copies the file into
the trained model. The Rasa components also add the same words to jieba when they
load, so a model never depends on the file being present at serving time.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.nlu.vocabulary import ROOT, load_vocabulary

DEFAULT_DIRECTORY = ROOT / "var" / "nlu" / "jieba"
FILE_NAME = "userdict.txt"
FREQUENCY = 50000


def render() -> str:
    words = sorted(load_vocabulary().words())
    return "".join(f"{word} {FREQUENCY}\n" for word in words if " " not in word)


def write(directory: Path = DEFAULT_DIRECTORY) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    content = render()
    if not path.exists() or path.read_text(encoding="utf-8") != content:
        path.write_text(content, encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DEFAULT_DIRECTORY
    path = write(directory)
    print(f"wrote {path} ({len(path.read_text(encoding='utf-8').splitlines())} words)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
