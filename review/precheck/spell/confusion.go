package spell

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// How a candidate is related to the character it may replace. A candidate
// can be related in several ways at once.
const (
	kindSameSound  uint8 = 1 << iota // same pinyin, same tone
	kindOtherTone                    // same pinyin, another tone
	kindLookAlike                    // similar shape
	kindSeenInData                   // the pair was seen as a typo in the training data
)

// candidate is a character that a writer may have meant instead of another.
type candidate struct {
	r    rune
	kind uint8
}

// confusions maps a character to the characters it is often confused with.
type confusions map[rune][]candidate

func (c confusions) add(from, to rune, kind uint8) {
	if from == to {
		return
	}
	list := c[from]
	for i := range list {
		if list[i].r == to {
			list[i].kind |= kind
			return
		}
	}
	c[from] = append(list, candidate{r: to, kind: kind})
}

// readSamePinyin reads pycorrector's same_pinyin.txt: a character, then its
// same-tone homophones, then its other-tone homophones, tab-separated.
func (c confusions) readSamePinyin(r io.Reader) error {
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		from, size := utf8.DecodeRuneInString(fields[0])
		if size != len(fields[0]) || from == utf8.RuneError {
			return fmt.Errorf("same_pinyin line %d: want one character first, got %q", line, fields[0])
		}
		for i, kind := range []uint8{kindSameSound, kindOtherTone} {
			if i+1 < len(fields) {
				for _, to := range fields[i+1] {
					c.add(from, to, kind)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("same_pinyin: %w", err)
	}
	return nil
}

// readSameStroke reads pycorrector's same_stroke.txt: groups of look-alike
// characters, tab-separated, one group a line. Every member of a group is a
// candidate for every other.
func (c confusions) readSameStroke(r io.Reader) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		group := []rune(strings.ReplaceAll(strings.TrimSpace(sc.Text()), "\t", ""))
		for _, a := range group {
			for _, b := range group {
				c.add(a, b, kindLookAlike)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("same_stroke: %w", err)
	}
	return nil
}

// pairStats counts, in the training sentences, how often a character was a
// typo for another and how often it was seen at all.
type pairStats struct {
	wrongAs map[[2]rune]int // (wrong, right) → times seen
	seen    map[rune]int    // character → times seen in the typo-bearing text
}

// readPairs reads lines "wrong right count" (pairs.tsv) and "char count"
// lines for totals, tab-separated; lines starting with # are comments.
func readPairs(r io.Reader) (pairStats, error) {
	ps := pairStats{wrongAs: map[[2]rune]int{}, seen: map[rune]int{}}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		n, err := strconv.Atoi(f[len(f)-1])
		if err != nil || n < 0 {
			return ps, fmt.Errorf("pairs line %d: bad count in %q", line, text)
		}
		switch len(f) {
		case 2:
			r := []rune(f[0])
			if len(r) != 1 {
				return ps, fmt.Errorf("pairs line %d: want one character, got %q", line, f[0])
			}
			ps.seen[r[0]] += n
		case 3:
			a, b := []rune(f[0]), []rune(f[1])
			if len(a) != 1 || len(b) != 1 {
				return ps, fmt.Errorf("pairs line %d: want two characters, got %q", line, text)
			}
			ps.wrongAs[[2]rune{a[0], b[0]}] += n
		default:
			return ps, fmt.Errorf("pairs line %d: want 2 or 3 fields, got %q", line, text)
		}
	}
	if err := sc.Err(); err != nil {
		return ps, fmt.Errorf("pairs: %w", err)
	}
	return ps, nil
}

// sortCandidates gives every list a stable order, so that ties between
// candidates always resolve the same way.
func (c confusions) sortCandidates() {
	for _, list := range c {
		slices.SortFunc(list, func(a, b candidate) int { return int(a.r - b.r) })
	}
}
