#!/usr/bin/env python3
"""Writes sync-server/auth/common-passwords.txt, the list new passwords are
checked against (docs/SECURITY.md, "Accounts").

Source: John the Ripper's password.lst from Debian's john-data package
(3,546 passwords most often seen on Unix systems and in website breaches up
to 2011, most common first; in the public domain). Passwords must be at
least 12 characters, so most of those are refused for their length anyway;
what the list adds is the long passwords people make from them: a common
password or word with the digits, years and marks people append, doubled,
or a keyboard walk or digit run of 12 characters or more. All lower case:
the check ignores case. About 10,000 lines.

Usage: apt-get download john-data && dpkg -x john-data_*.deb x &&
       scripts/make-common-passwords.py x/usr/share/john/password.lst
"""
import sys

MIN_LEN = 12
LIMIT = 10_000


def main(source, out):
    base = []
    for line in open(source, encoding="latin-1"):
        line = line.rstrip("\n")
        if line.startswith("#!comment") or not line:
            continue
        word = line.lower()
        if word not in base:
            base.append(word)
    seen, result = set(), []

    def add(p):
        if p not in seen and p.isprintable():
            seen.add(p)
            result.append(p)

    # Long ones from the list as they are.
    for w in base:
        if len(w) >= MIN_LEN:
            add(w)
    # Runs and keyboard walks.
    digits = "12345678901234567890"
    for n in range(MIN_LEN, 21):
        add(digits[:n])
        add("".join(str(9 - i % 10) for i in range(n)))
        for c in "0123456789abcdefghijklmnopqrstuvwxyz!":
            add(c * n)
    for walk in ["qwertyuiop", "qwertyuiopasdfghjkl", "qwertyuiopasdfghjklzxcvbnm", "asdfghjkl", "zxcvbnm",
                 "1qaz2wsx3edc4rfv", "qazwsxedcrfvtgb", "1q2w3e4r5t6y7u8i", "q1w2e3r4t5y6u7i8", "qweasdzxc",
                 "1234qwer", "qwer1234", "abcdefghijklmnopqrstuvwxyz", "azertyuiop", "qwertzuiop"]:
        for n in range(MIN_LEN, len(walk) + 1):
            add(walk[:n])
        add(walk + walk)
        for suffix in ["1", "12", "123", "1234", "!", "1!"]:
            if len(walk + suffix) >= MIN_LEN:
                add(walk + suffix)
    # A common password with what people append, or twice.
    suffixes = ["123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "!", "1!", "12!", "123!",
                "1234!", "01", "007", "69", "666", "777", "99", "00", "11", "22", "2010", "2011", "2012", "2013",
                "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023", "2024", "2025",
                "2026", "@123", "#1", "1", "12", "2", "123123", "111", "000"]
    for w in base:
        if len(result) >= LIMIT:
            break
        if not w.isalnum():
            continue
        for s in suffixes:
            if len(w + s) >= MIN_LEN:
                add(w + s)
        if len(w + w) >= MIN_LEN:
            add(w + w)
    with open(out, "w", encoding="utf-8") as f:
        f.write("# Common passwords, lower case, one a line: scripts/make-common-passwords.py\n")
        for p in result[:LIMIT]:
            f.write(p + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "sync-server/auth/common-passwords.txt")
