package spell

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"sanshen/assets"
)

// embeddedFS copies the embedded data into a MapFS that tests can spoil.
func embeddedFS(t *testing.T) fstest.MapFS {
	t.Helper()
	sub, err := fs.Sub(assets.Spell, "spell")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, name := range []string{fileWords, fileSamePinyin, fileSameStroke, fileCommon, filePairs, fileModel, fileSentences} {
		b, err := fs.ReadFile(sub, name)
		if err != nil {
			t.Fatal(err)
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

func gz(t *testing.T, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLoadRejectsBadData(t *testing.T) {
	if _, err := Load(embeddedFS(t)); err != nil {
		t.Fatalf("the embedded data does not load: %v", err)
	}
	model, err := fs.ReadFile(embeddedFS(t), fileModel)
	if err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(m fstest.MapFS){
		"missing words":      func(m fstest.MapFS) { delete(m, fileWords) },
		"missing model":      func(m fstest.MapFS) { delete(m, fileModel) },
		"words not gzipped":  func(m fstest.MapFS) { m[fileWords].Data = []byte("中国 100\n") },
		"word without count": func(m fstest.MapFS) { m[fileWords].Data = gz(t, "中国\n") },
		"negative count":     func(m fstest.MapFS) { m[fileWords].Data = gz(t, "中国 -3\n") },
		"no words":           func(m fstest.MapFS) { m[fileWords].Data = gz(t, "") },
		"pinyin line":        func(m fstest.MapFS) { m[fileSamePinyin].Data = []byte("中国\t种\t重\n") },
		"pair count":         func(m fstest.MapFS) { m[filePairs].Data = []byte("须\t需\tmany\n") },
		"pair fields":        func(m fstest.MapFS) { m[filePairs].Data = []byte("须\t需\t1\t2\n") },
		"model weight": func(m fstest.MapFS) {
			m[fileModel].Data = []byte(strings.Replace(string(model), "single.gain\t", "single.gain\tx", 1))
		},
		"model missing input": func(m fstest.MapFS) {
			m[fileModel].Data = []byte(strings.Replace(string(model), "pair.bias\t", "#", 1))
		},
		"model unknown input":   func(m fstest.MapFS) { m[fileModel].Data = append([]byte("single.colour\t1\n"), model...) },
		"model infinite weight": func(m fstest.MapFS) { m[fileModel].Data = append([]byte("single.gain\tInf\n"), model...) },
	} {
		m := embeddedFS(t)
		spoil(m)
		if _, err := Load(m); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}

func TestModelRoundTrip(t *testing.T) {
	d := mustDefault(t)
	var b bytes.Buffer
	if err := writeModel(&b, d.model, "round trip\nof the model"); err != nil {
		t.Fatal(err)
	}
	m, err := readModel(&b)
	if err != nil {
		t.Fatal(err)
	}
	for size := 1; size <= 2; size++ {
		if m.thresholds[size] != d.model.thresholds[size] {
			t.Errorf("size %d: threshold %v, want %v", size, m.thresholds[size], d.model.thresholds[size])
		}
		for i := range m.weights[size] {
			if diff := m.weights[size][i] - d.model.weights[size][i]; diff > 1e-5 || diff < -1e-5 {
				t.Errorf("size %d %s: %v, want %v", size, inputs(size)[i], m.weights[size][i], d.model.weights[size][i])
			}
		}
	}
}
