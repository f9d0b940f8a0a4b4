package spell

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"

	"sanshen/assets"
)

// The files of the embedded data, under assets/spell/.
const (
	fileWords      = "words.txt.gz"
	fileSamePinyin = "same_pinyin.txt"
	fileSameStroke = "same_stroke.txt"
	fileCommon     = "common_char_set.txt"
	filePairs      = "pairs.tsv"
	fileModel      = "model.tsv"
	fileSentences  = "sentences.txt.gz"
)

var (
	defaultOnce     sync.Once
	defaultDetector *Detector
	defaultErr      error
)

// Default returns the detector built from the embedded data. It is built
// once; later calls return the same detector (or the same error).
func Default() (*Detector, error) {
	defaultOnce.Do(func() {
		sub, err := fs.Sub(assets.Spell, "spell")
		if err != nil {
			defaultErr = fmt.Errorf("spell: embedded data: %w", err)
			return
		}
		defaultDetector, defaultErr = Load(sub)
	})
	return defaultDetector, defaultErr
}

// Load builds a detector from the data files in fsys (laid out as
// assets/spell/). Most callers want Default.
func Load(fsys fs.FS) (*Detector, error) {
	var src sources
	for name, dst := range map[string]*io.Reader{
		fileWords:      &src.words,
		fileSentences:  &src.sentences,
		fileSamePinyin: &src.samePinyin,
		fileSameStroke: &src.sameStroke,
		fileCommon:     &src.common,
		filePairs:      &src.pairs,
		fileModel:      &src.model,
	} {
		f, err := fsys.Open(name)
		if err != nil {
			return nil, fmt.Errorf("spell: %w", err)
		}
		defer f.Close()
		*dst = f
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				return nil, fmt.Errorf("spell: %s: %w", name, err)
			}
			*dst = zr
		}
	}
	d, err := build(src)
	if err != nil {
		return nil, fmt.Errorf("spell: %w", err)
	}
	return d, nil
}

// sources are the readers a detector is built from.
type sources struct {
	words, samePinyin, sameStroke, common, pairs, model, sentences io.Reader
}

func build(src sources) (*Detector, error) {
	d := &Detector{conf: confusions{}}
	var err error
	if d.model, err = readModel(src.model); err != nil {
		return nil, err
	}
	if err := d.conf.readSamePinyin(src.samePinyin); err != nil {
		return nil, err
	}
	if err := d.conf.readSameStroke(src.sameStroke); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(src.common)
	for sc.Scan() {
		for _, r := range strings.TrimSpace(sc.Text()) {
			d.common.add(r)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("common characters: %w", err)
	}
	if d.pairs, err = readPairs(src.pairs); err != nil {
		return nil, err
	}
	for p := range d.pairs.wrongAs {
		d.conf.add(p[0], p[1], kindSeenInData)
	}
	d.conf.sortCandidates()
	d.lm = newCharLM()
	sc = bufio.NewScanner(src.sentences)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		d.lm.add([]rune(sc.Text()))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("sentences: %w", err)
	}
	if d.lex, err = readLexicon(src.words); err != nil {
		return nil, err
	}
	return d, nil
}

// charSet is a set of characters of the Basic Multilingual Plane.
type charSet [0x10000 / 64]uint64

func (s *charSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s *charSet) has(r rune) bool {
	return r >= 0 && r < 0x10000 && s[r>>6]&(1<<(r&63)) != 0
}
