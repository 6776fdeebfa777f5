"""Prints, once each and in order of first appearance, the functions of one executable that
callgrind outputs (written with --compress-strings=no) show running: callers and callees."""
import sys


def functions(path, exe):
    ob = cob = None
    for line in open(path, errors="replace"):
        if line.startswith("ob="):
            ob = line[3:].strip()
        elif line.startswith("cob="):
            cob = line[4:].strip()
        elif line.startswith("fn=") or line.startswith("cfn="):
            name = line.split("=", 1)[1].strip()
            owner = (cob or ob) if line.startswith("cfn=") else ob
            cob = None
            # "0x…" and "(below main)" are callgrind's names for code without a symbol.
            if owner and owner.endswith("/" + exe) and not name.startswith(("0x", "(")):
                yield name


def main():
    exe, paths = sys.argv[1], sys.argv[2:]
    seen = set()
    for path in paths:
        for name in functions(path, exe):
            if name not in seen:
                seen.add(name)
                print(name)


main()
