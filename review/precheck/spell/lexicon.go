package spell

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// maxWordLen is the longest word, in runes, the segmenter looks up.
const maxWordLen = 6

// minTwoCharFreq is the least frequency of a two-character word proposed as
// the correction of two neighbouring characters: rarer entries include
// misspellings.
const minTwoCharFreq = 20

// lexicon is a unigram word model: the log probability of each known word
// (single characters included), from word frequencies.
type lexicon struct {
	words   wordTable // word hash → log probability
	unknown float32   // log probability of a character the lexicon does not know
	// single holds the log probability of each character of the Basic
	// Multilingual Plane (unknown when the lexicon lacks it); others are
	// looked up in words.
	single []float32
	// links holds every two characters that stand next to each other inside
	// some multi-character word: a span can only be a word if each of its
	// neighbouring pairs is here, which spares most lookups. (The filter's
	// rare false yes only costs a lookup.)
	links bitFilter
	// prefixes holds the hashes of every beginning of two characters or
	// more of every word (whole words included): a span that is not here
	// can neither be a word nor grow into one.
	prefixes bitFilter
	// twoChar maps a character to the second characters of the common
	// two-character words it begins (sorted): the words a two-character
	// typo may be meant as.
	twoChar map[rune][]rune
}

// hashRunes hashes a word. Words are told apart by their 64-bit hash alone:
// among a few hundred thousand words a false match is about as likely as
// one in 10¹³ lookups.
type runeHash uint64

const hashSeed runeHash = 14695981039346656037

func (h runeHash) add(r rune) runeHash { return (h ^ runeHash(r)) * 1099511628211 }

// sum finishes the hash (the splitmix64 finaliser); it is never 0.
func (h runeHash) sum() uint64 {
	z := uint64(h)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	z ^= z >> 31
	if z == 0 {
		z = 1
	}
	return z
}

func pairHash(a, b rune) uint64 { return hashSeed.add(a).add(b).sum() }

// inWord reports whether a and b may stand next to each other in some word.
func (l *lexicon) inWord(a, b rune) bool { return l.links.mayHave(pairHash(a, b)) }

// char is the log probability of r as a word of its own.
func (l *lexicon) char(r rune) float32 {
	if r >= 0 && int(r) < len(l.single) {
		return l.single[r]
	}
	if v, ok := l.words.get(hashSeed.add(r).sum()); ok {
		return v
	}
	return l.unknown
}

// readLexicon reads lines "word frequency [anything]" (the jieba dictionary
// format) and builds the unigram model from the words of at most maxWordLen
// Han characters.
func readLexicon(r io.Reader) (*lexicon, error) {
	type entry struct {
		hash uint64
		freq float64
	}
	entries := make([]entry, 0, 350000)
	twoChar := map[rune][]rune{}
	links, prefixes := newBitFilter(), newBitFilter()
	total := 0.0
	sc := bufio.NewScanner(r)
	line := 0
	var word []rune
	for sc.Scan() {
		line++
		text := sc.Bytes()
		w, rest, ok := bytes.Cut(text, []byte{' '})
		if !ok {
			return nil, fmt.Errorf("lexicon line %d: want \"word frequency\", got %q", line, text)
		}
		count, _, _ := bytes.Cut(rest, []byte{' '})
		n, err := strconv.ParseUint(string(count), 10, 64)
		if err != nil || n == 0 {
			return nil, fmt.Errorf("lexicon line %d: bad frequency %q", line, count)
		}
		f := float64(n)
		word = word[:0]
		han := true
		for len(w) > 0 && han {
			r, size := utf8.DecodeRune(w)
			han = isHan(r)
			word = append(word, r)
			w = w[size:]
		}
		if !han || len(word) == 0 || len(word) > maxWordLen {
			continue
		}
		h := hashSeed
		for i, r := range word {
			h = h.add(r)
			if i > 0 {
				links.add(pairHash(word[i-1], r))
				prefixes.add(h.sum())
			}
		}
		entries = append(entries, entry{h.sum(), f})
		total += f
		if len(word) == 2 && f >= minTwoCharFreq {
			twoChar[word[0]] = append(twoChar[word[0]], word[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("lexicon: %w", err)
	}
	if total == 0 {
		return nil, fmt.Errorf("lexicon: no words")
	}
	lex := &lexicon{
		links:    links,
		prefixes: prefixes,
		unknown:  float32(math.Log(0.5 / total)),
		single:   make([]float32, 0x10000),
		twoChar:  twoChar,
	}
	for i := range lex.single {
		lex.single[i] = lex.unknown
	}
	// A word listed twice keeps its last frequency (the shipped list has
	// each word once).
	lex.words = newWordTable(len(entries))
	for _, e := range entries {
		lex.words.put(e.hash, float32(math.Log(e.freq/total)))
	}
	for r := rune(0); r < 0x10000; r++ {
		if hanBMP.has(r) {
			if v, ok := lex.words.get(hashSeed.add(r).sum()); ok {
				lex.single[r] = v
			}
		}
	}
	for _, list := range twoChar {
		slices.Sort(list)
	}
	return lex, nil
}

// wordTable maps word hashes to log probabilities. Each slot packs the
// hash's top 49 bits with the value quantised to 1/1000 (15 bits), so that
// a lookup touches one 8-byte slot; open addressing, linear probing, at most
// half full.
type wordTable struct {
	slots []uint64 // 0 marks an empty slot
	mask  uint64
}

const (
	valueBits  = 15
	valueScale = 1000
	maxValue   = 1<<valueBits - 1
)

func newWordTable(n int) wordTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	return wordTable{slots: make([]uint64, size), mask: uint64(size - 1)}
}

func fingerprint(h uint64) uint64 {
	if fp := h >> valueBits; fp != 0 {
		return fp
	}
	return 1
}

func (t *wordTable) get(h uint64) (float32, bool) {
	fp := fingerprint(h)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if s>>valueBits == fp {
			return -float32(s&maxValue) / valueScale, true
		}
	}
}

// put stores v (≤ 0; below -maxValue/valueScale it is clamped) under h,
// replacing an earlier value.
func (t *wordTable) put(h uint64, v float32) {
	q := uint64(min(max(math.Round(float64(-v)*valueScale), 0), maxValue))
	fp := fingerprint(h)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		if s := t.slots[i]; s == 0 || s>>valueBits == fp {
			t.slots[i] = fp<<valueBits | q
			return
		}
	}
}

// bitFilter is a one-hash Bloom filter: it may answer yes for a pair never
// added (a few per cent of the time), never no for one added.
type bitFilter []uint64

const filterBits = 1 << 23 // 1 MiB

func newBitFilter() bitFilter             { return make(bitFilter, filterBits/64) }
func (f bitFilter) add(h uint64)          { h &= filterBits - 1; f[h>>6] |= 1 << (h & 63) }
func (f bitFilter) mayHave(h uint64) bool { h &= filterBits - 1; return f[h>>6]&(1<<(h&63)) != 0 }

// hanBMP holds the Han characters of the Basic Multilingual Plane.
var hanBMP = func() *charSet {
	var s charSet
	for _, tab := range unicode.Han.R16 {
		for r := rune(tab.Lo); r <= rune(tab.Hi); r += rune(tab.Stride) {
			s.add(r)
		}
	}
	return &s
}()

// isHan reports whether r is a Han (CJK ideograph) character.
func isHan(r rune) bool {
	if r < 0x10000 {
		return hanBMP.has(r)
	}
	return unicode.Is(unicode.Han, r)
}

func allHan(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return s != ""
}
