package spell

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxWordLen is the longest word, in runes, the segmenter looks up.
const maxWordLen = 6

// lexicon is a unigram word model: the log probability of each known word
// (single characters included), from word frequencies.
type lexicon struct {
	logp    map[string]float32
	unknown float32 // log probability of a character the lexicon does not know
	// single holds the log probability of each character of the Basic
	// Multilingual Plane (unknown when the lexicon lacks it); others are
	// looked up in logp.
	single []float32
	// pairs holds every two characters that stand next to each other inside
	// some multi-character word: a span can only be a word if each of its
	// neighbouring pairs is here, which spares most map lookups.
	pairs map[uint64]struct{}
	// twoChar maps a character to the second characters of the common
	// two-character words it begins (sorted): the words a two-character
	// typo may be meant as.
	twoChar map[rune][]rune
}

// minTwoCharFreq is the least frequency of a two-character word proposed as
// the correction of two neighbouring characters: rarer entries include
// misspellings.
const minTwoCharFreq = 20

func pairKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(uint32(b)) }

// inWord reports whether a and b stand next to each other in some word.
func (l *lexicon) inWord(a, b rune) bool {
	_, ok := l.pairs[pairKey(a, b)]
	return ok
}

// char is the log probability of r as a word of its own.
func (l *lexicon) char(r rune) float32 {
	if r >= 0 && int(r) < len(l.single) {
		return l.single[r]
	}
	if v, ok := l.logp[string(r)]; ok {
		return v
	}
	return l.unknown
}

// readLexicon reads lines "word frequency [anything]" (the jieba dictionary
// format) and builds the unigram model from the words made of Han characters.
func readLexicon(r io.Reader) (*lexicon, error) {
	freq := make(map[string]float64, 350000)
	total := 0.0
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		fields := strings.Fields(text)
		if len(fields) < 2 {
			return nil, fmt.Errorf("lexicon line %d: want \"word frequency\", got %q", line, text)
		}
		word, count := fields[0], fields[1]
		if !allHan(word) {
			continue
		}
		f, err := strconv.ParseFloat(count, 64)
		if err != nil || f <= 0 {
			return nil, fmt.Errorf("lexicon line %d: bad frequency %q", line, count)
		}
		if n := utf8.RuneCountInString(word); n == 0 || n > maxWordLen {
			continue
		}
		freq[word] += f
		total += f
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	if total == 0 {
		return nil, fmt.Errorf("lexicon: no words")
	}
	lex := &lexicon{
		logp:    make(map[string]float32, len(freq)),
		unknown: float32(math.Log(0.5 / total)),
		single:  make([]float32, 0x10000),
		pairs:   make(map[uint64]struct{}, len(freq)),
		twoChar: map[rune][]rune{},
	}
	for i := range lex.single {
		lex.single[i] = lex.unknown
	}
	for w, f := range freq {
		lp := float32(math.Log(f / total))
		lex.logp[w] = lp
		prev := rune(-1)
		n := 0
		for _, r := range w {
			if prev >= 0 {
				lex.pairs[pairKey(prev, r)] = struct{}{}
			}
			prev = r
			n++
		}
		if n == 1 && prev < 0x10000 {
			lex.single[prev] = lp
		}
		if n == 2 && f >= minTwoCharFreq {
			first, _ := utf8.DecodeRuneInString(w)
			lex.twoChar[first] = append(lex.twoChar[first], prev)
		}
	}
	for _, list := range lex.twoChar {
		slices.Sort(list)
	}
	return lex, nil
}

// isHan reports whether r is a Han (CJK ideograph) character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}
