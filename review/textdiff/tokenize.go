package textdiff

import "unicode/utf8"

// decodeRune is utf8.DecodeRuneInString with a fast path for the three-byte
// characters that make up Chinese text (U+1000…U+CFFF).
func decodeRune(s string) (rune, int) {
	if len(s) >= 3 {
		c0, c1, c2 := s[0], s[1], s[2]
		if 0xE1 <= c0 && c0 <= 0xEC && c1&0xC0 == 0x80 && c2&0xC0 == 0x80 {
			return rune(c0&0x0F)<<12 | rune(c1&0x3F)<<6 | rune(c2&0x3F), 3
		}
	}
	if len(s) > 0 && s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// tokenizer cuts text into tokens: one Chinese character, one word of
// letters and digits, one punctuation mark or space (CRLF is one token), one
// invalid byte, each with the combining marks and joiners that follow it.
// It gives each token an id for go-diff: two tokens have the same id
// exactly when their bytes are equal.
type tokenizer struct {
	d *differ
	// state after the last rune
	started   bool
	prevClass tokenClass
	afterZWJ  bool
	afterCR   bool
	riOpen    bool
	// the token being built
	tokStart  int
	tokRune   rune
	tokSingle bool // one valid rune so far
}

// tokens appends the start offsets of the tokens of text[s.start:s.end]
// and then s.end to starts, and their ids to ids. It returns false when the
// dictionary of ids is full.
func (d *differ) tokens(text string, s span, starts []int, ids []rune) ([]int, []rune, bool) {
	t := tokenizer{d: d}
	ok := true
	for i := s.start; i < s.end; {
		r, n := decodeRune(text[i:s.end])
		invalid := r == utf8.RuneError && n == 1
		cl := classSingle
		join := false
		switch {
		case invalid:
		case r < utf8.RuneSelf:
			if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
				cl = classWord
			}
		case 0x3000 <= r && r <= 0x9FFF:
			// CJK punctuation, kana and ideographs: single.
		default:
			cl = classify(r)
		}
		if t.started && !invalid {
			join = t.afterZWJ || cl == classExtend ||
				cl == classWord && t.prevClass == classWord ||
				t.riOpen && isRegionalIndicator(r) ||
				t.afterCR && r == '\n'
		}
		if !join {
			if t.started {
				if ids, ok = t.finish(text, i, ids); !ok {
					return starts, ids, false
				}
			}
			starts = append(starts, i)
			t.started = true
			t.tokStart, t.tokRune, t.tokSingle = i, r, !invalid
		} else {
			t.tokSingle = false
		}
		switch {
		case invalid:
			t.prevClass, t.afterZWJ, t.afterCR, t.riOpen = classSingle, false, false, false
		default:
			if isRegionalIndicator(r) {
				t.riOpen = !(join && t.riOpen)
			} else if cl != classExtend {
				t.riOpen = false
			}
			t.afterZWJ = r == 0x200D
			t.afterCR = r == '\r'
			if cl != classExtend {
				t.prevClass = cl
			}
		}
		i += n
	}
	if t.started {
		if ids, ok = t.finish(text, s.end, ids); !ok {
			return starts, ids, false
		}
	}
	return append(starts, s.end), ids, true
}

// finish gives the token that ends at end its id.
func (t *tokenizer) finish(text string, end int, ids []rune) ([]rune, bool) {
	if t.tokSingle && t.tokRune < tokenIDBase {
		return append(ids, t.tokRune), true
	}
	tok := text[t.tokStart:end]
	id, ok := t.d.tokDict[tok]
	if !ok {
		if t.d.nextTok > tokenIDMax {
			return ids, false
		}
		id = t.d.nextTok
		t.d.nextTok++
		t.d.tokDict[tok] = id
	}
	return append(ids, id), true
}

// safeBoundary reports whether a token boundary falls at byte x of text,
// whatever came before the rune that ends at x: the rune before x is a
// plain one (not a joiner, regional indicator, CR or mark) and the rune at
// x does not join it.
func safeBoundary(text string, lo, x, hi int) bool {
	if x <= lo || x >= hi {
		return true
	}
	if !utf8.RuneStart(text[x]) {
		return false
	}
	prev, pn := utf8.DecodeLastRuneInString(text[lo:x])
	next, _ := decodeRune(text[x:hi])
	if prev == utf8.RuneError && pn == 1 {
		return next == utf8.RuneError || classify(next) != classExtend
	}
	if prev == 0x200D || prev == '\r' || isRegionalIndicator(prev) {
		return false
	}
	pc := classify(prev)
	if pc == classExtend {
		return false
	}
	if next == utf8.RuneError {
		return true
	}
	nc := classify(next)
	return nc != classExtend && !(nc == classWord && pc == classWord)
}
