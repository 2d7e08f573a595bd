"""Downloads pinned wheels from PyPI without pip, for machines whose Python has no pip.

    python3 scripts/pypi-fetch.py REQUIREMENTS DEST_DIR

REQUIREMENTS holds lines `name==version --hash=sha256:HEX` (pip's --require-hashes form); each
wheel is found through PyPI's JSON API by its sha256, downloaded into DEST_DIR and checked.
Exit status 3 when PyPI cannot be reached, 1 when a pinned wheel is missing or differs.
"""
import hashlib
import json
import os
import re
import sys
import urllib.parse
import urllib.request

LINE = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})\s*$")


def main(requirements: str, dest: str) -> int:
    os.makedirs(dest, exist_ok=True)
    for raw in open(requirements, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = LINE.match(line)
        if not m:
            print(f"error: {requirements}: cannot read '{line}'", file=sys.stderr)
            return 1
        name, version, digest = m.groups()
        try:
            index = f"https://pypi.org/pypi/{name}/json"
            with urllib.request.urlopen(index, timeout=60) as r:
                releases = json.load(r)["releases"]
            files = releases.get(version) or [f for fs in releases.values() for f in fs]
        except OSError as e:
            print(f"note: PyPI cannot be reached ({e})", file=sys.stderr)
            return 3
        match = [f for f in files if f.get("digests", {}).get("sha256") == digest]
        if not match:
            print(f"error: {name}=={version} has no file with sha256 {digest}", file=sys.stderr)
            return 1
        target = os.path.join(dest, match[0]["filename"])
        h = hashlib.sha256()
        # Mirrors may give file addresses relative to the index page.
        url = urllib.parse.urljoin(index, match[0]["url"])
        with urllib.request.urlopen(url, timeout=300) as r, open(target + ".part", "wb") as out:
            while chunk := r.read(1 << 20):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != digest:
            os.remove(target + ".part")
            print(f"error: {match[0]['filename']}: sha256 differs from the pin", file=sys.stderr)
            return 1
        os.replace(target + ".part", target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
