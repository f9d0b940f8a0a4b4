package textdiff

import (
	"unicode"
	"unicode/utf8"
)

// span is a byte range [start, end) of one of the two texts.
type span struct{ start, end int }

// splitLines cuts text[s.start:s.end] into paragraphs, each ending just after
// its '\n' (the last one may have none). It appends to dst.
func splitLines(text string, s span, dst []span) []span {
	start := s.start
	for i := s.start; i < s.end; {
		j := indexByte(text[i:s.end], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		dst = append(dst, span{start, i})
		start = i
	}
	if start < s.end {
		dst = append(dst, span{start, s.end})
	}
	return dst
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// sentenceEnd reports whether r ends a sentence: Chinese 。！？； and the
// ellipsis always do; ASCII . ! ? ; only before white space.
func sentenceEnd(r rune) (always, beforeSpace bool) {
	switch r {
	case '。', '！', '？', '；', '…', '\n':
		return true, false
	case '.', '!', '?', ';':
		return false, true
	}
	return false, false
}

// closer reports whether r closes a quotation or bracket and so stays with
// the sentence it ends: 。” stays together.
func closer(r rune) bool {
	switch r {
	case '”', '’', '」', '』', '）', ')', '】', '》', '〉', '"', '\'', ']', '〕':
		return true
	}
	return false
}

// splitSentences cuts text[s.start:s.end] into sentences. Each sentence keeps
// its closing punctuation, closing quotes and the white space after it.
func splitSentences(text string, s span, dst []span) []span {
	start := s.start
	i := s.start
	for i < s.end {
		r, n := utf8.DecodeRuneInString(text[i:s.end])
		i += n
		always, beforeSpace := sentenceEnd(r)
		if !always && !beforeSpace {
			continue
		}
		// Keep closers and repeated enders (？！, ……) with the sentence.
		for i < s.end {
			r2, n2 := utf8.DecodeRuneInString(text[i:s.end])
			a2, b2 := sentenceEnd(r2)
			if (a2 && r2 != '\n') || b2 || closer(r2) {
				i += n2
				continue
			}
			break
		}
		if beforeSpace && !always {
			if i < s.end && !isSpaceByte(text[i]) {
				continue
			}
		}
		// And the white space after it (but a line break ends it).
		for i < s.end && isSpaceByte(text[i]) && text[i] != '\n' {
			i++
		}
		if i < s.end && text[i] == '\n' {
			i++
		}
		dst = append(dst, span{start, i})
		start = i
	}
	if start < s.end {
		dst = append(dst, span{start, s.end})
	}
	return dst
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// tokenClass is how a rune groups into tokens.
type tokenClass uint8

const (
	classSingle tokenClass = iota // one rune per token: CJK characters, punctuation, spaces
	classWord                     // runs of letters and digits (Latin, Cyrillic, full-width digits…)
	classExtend                   // joins the token before it: combining marks, variation selectors, ZWJ, emoji modifiers
)

func classify(r rune) tokenClass {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return classWord
		}
		return classSingle
	case r < 0x300:
		if unicode.IsLetter(r) {
			return classWord
		}
		return classSingle
	case 0x2E80 <= r && r <= 0xA4CF, // CJK radicals, punctuation, kana, ideographs, Yi
		0xAC00 <= r && r <= 0xD7AF,   // Hangul syllables
		0xF900 <= r && r <= 0xFAFF,   // CJK compatibility ideographs
		0x20000 <= r && r <= 0x3FFFF: // CJK extensions
		return classSingle
	case r == 0x200D, 0x1F3FB <= r && r <= 0x1F3FF, 0xE0020 <= r && r <= 0xE007F:
		return classExtend
	case unicode.IsMark(r):
		return classExtend
	case unicode.IsLetter(r) || unicode.IsDigit(r):
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) {
			return classSingle
		}
		return classWord
	}
	return classSingle
}

func isRegionalIndicator(r rune) bool { return 0x1F1E6 <= r && r <= 0x1F1FF }

// isBlank reports whether s holds only white space (ASCII or U+3000).
func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\r' && r != '\n' && r != '\u3000' && r != '\f' && r != '\v' {
			return false
		}
	}
	return true
}

// splitClauses cuts text[s.start:s.end] after ，、：, after ASCII , and :
// followed by a space, and after runs of white space: the pieces of a long
// sentence.
func splitClauses(text string, s span, dst []span) []span {
	start := s.start
	for i := s.start; i < s.end; {
		r, n := utf8.DecodeRuneInString(text[i:s.end])
		i += n
		cut := false
		switch r {
		case '，', '、', '：', '\u3000':
			cut = true
		case ',', ':':
			cut = i < s.end && isSpaceByte(text[i])
		case ' ', '\t', '\n':
			cut = true
		}
		if !cut {
			continue
		}
		for i < s.end && isSpaceByte(text[i]) {
			i++
		}
		dst = append(dst, span{start, i})
		start = i
	}
	if start < s.end {
		dst = append(dst, span{start, s.end})
	}
	return dst
}
