#!/usr/bin/env python3
"""Builds the CJK fonts Sanshen embeds (assets/fonts/) from Debian's fonts-noto-cjk.

Fyne loads single-face TrueType/OpenType files only, not .ttc collections, and
Noto Sans CJK is a collection; this script takes the Simplified Chinese face of
the Regular and Bold collections and subsets it to what government texts use:
every GB2312 character, the characters of the jieba dictionary's words with a
frequency of at least 20, pycorrector's common character set, CJK and
full-width punctuation. Latin letters, digits and ASCII punctuation are left out on purpose so
Fyne's own Noto Sans draws them (and bold Latin stays bold).

Needs: apt-get install fonts-noto-cjk python3-fonttools
Run from the repository root: python3 scripts/make-cjk-font.py
"""
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SRC = "/usr/share/fonts/opentype/noto"
DATA = os.path.join("..", "shared", "data")


def charset():
    chars = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for hi in range(0xA1, 0xAA):  # GB2312 symbols and punctuation rows
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    jieba = os.path.join(DATA, "jieba", "dict.txt")
    if os.path.exists(jieba):
        for line in open(jieba, encoding="utf-8"):
            parts = line.split()
            if len(parts) >= 2 and int(parts[1]) >= 20:
                chars.update(c for c in parts[0] if ord(c) >= 0x2E80)
    common = os.path.join(DATA, "pycorrector", "common_char_set.txt")
    if os.path.exists(common):
        chars.update(c for c in open(common, encoding="utf-8").read() if ord(c) >= 0x2E80)
    for lo, hi in [(0x3000, 0x303F), (0xFF00, 0xFFEF), (0x2010, 0x2027), (0x2030, 0x205E),
                   (0x2460, 0x24FF), (0x2500, 0x257F), (0x25A0, 0x25FF), (0x2600, 0x26FF),
                   (0x3200, 0x32FF), (0xFE30, 0xFE4F), (0x00B7, 0x00B7), (0x00D7, 0x00D7), (0x00F7, 0x00F7)]:
        chars.update(chr(c) for c in range(lo, hi + 1))
    chars = {c for c in chars if not ("\u0020" <= c <= "\u007e")}
    # Spaces stay: the shaper keeps a space in the run of the CJK text around
    # it, and a face without one draws a replacement box.
    chars.update({"\u0020", "\u00a0"})
    return chars


def build(weight, chars, out):
    coll = TTCollection(os.path.join(SRC, "NotoSansCJK-%s.ttc" % weight))
    face = next(f for f in coll.fonts if "Noto Sans CJK SC" in f["name"].getDebugName(1))
    opts = subset.Options()
    # No OpenType layout features: horizontal Simplified Chinese needs none
    # of them, and the shaper (go-text's HarfBuzz port) builds accelerators
    # for every lookup each time it opens the face, which with Noto CJK's
    # large GSUB made every measured string slow.
    opts.layout_features = []
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=[ord(c) for c in chars])
    sub.subset(face)
    face.save(out)
    print("%s: %d characters, %d bytes" % (out, len(chars), os.path.getsize(out)))


def main():
    chars = charset()
    for weight in ("Regular", "Bold"):
        build(weight, chars, os.path.join("assets", "fonts", "NotoSansSC-%s-subset.otf" % weight))


if __name__ == "__main__":
    sys.exit(main())
