"""How long a user waits for each reply when sending several messages at once.

    .venv/bin/python scripts/burst_bench.py [--url http://127.0.0.1:5005] [--bursts 10] [--size 3]

Against a running Rasa server (`make run`, or a production profile server): each burst is one
new user sending `--size` button payloads (facts) at the same moment, one thread each; the
conversation lock serves them one after the other. Prints the median time to the first,
second, … reply of a burst. The wait between the replies is the lock's: how soon a waiting
message notices the one before it is done. Not part of the tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

MESSAGES = [
    '/inform{"asker":"person","certificate_level":"senior"}',
    '/inform{"graduation_date":"2024"}',
    '/inform{"school_type":"technical_school"}',
    '/inform{"employer_type":"individual_business"}',
    '/inform{"in_zibo":true}',
]


def send(client: httpx.Client, url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = client.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    parser.add_argument("--bursts", type=int, default=10)
    parser.add_argument("--size", type=int, default=3, choices=range(2, len(MESSAGES) + 1))
    args = parser.parse_args()
    replies: list[list[float]] = []
    with httpx.Client(trust_env=False) as client, ThreadPoolExecutor(max_workers=args.size) as pool:
        for _ in range(args.bursts):
            sender = f"burst-bench-{uuid.uuid4().hex[:12]}"
            futures = [pool.submit(send, client, args.url, sender, text) for text in MESSAGES[:args.size]]
            replies.append(sorted(future.result() for future in futures))
    for position in range(args.size):
        median = statistics.median(times[position] for times in replies) * 1000
        worst = max(times[position] for times in replies) * 1000
        print(f"reply {position + 1} of {args.size}: median {median:.0f} ms, max {worst:.0f} ms")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
