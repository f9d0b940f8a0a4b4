package review

import (
	"errors"
	"testing"
)

func TestCanonical(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"plain", "第一条　为了加强管理。\n", "第一条　为了加强管理。\n"},
		{"crlf", "甲\r\n乙\r\n", "甲\n乙\n"},
		{"lone cr", "甲\r乙", "甲\n乙"},
		{"mixed", "a\r\n\rb\n", "a\n\nb\n"},
		{"bom", "\uFEFF通知", "通知"},
		{"every leading bom", "\uFEFF\uFEFF通知\uFEFF", "通知\uFEFF"},
		{"nfc combining", "Cafe\u0301", "Caf\u00e9"},
		{"cjk compatibility ideograph", "\uF900", "\u8C48"},
		{"full-width kept", "（一）ＡＢＣ", "（一）ＡＢＣ"},
		{"whitespace kept", "  尾部空格  \n\n", "  尾部空格  \n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Canonical(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("Canonical(%q) = %q, want %q", c.in, got, c.want)
			}
			again, _ := Canonical(got)
			if again != got {
				t.Fatalf("not idempotent: %q -> %q", got, again)
			}
		})
	}
	if _, err := Canonical("bad \xff byte"); !errors.Is(err, ErrInvalidUTF8) {
		t.Fatalf("invalid UTF-8: %v", err)
	}
	if _, _, err := Hash("\xc3"); err == nil {
		t.Fatal("Hash accepted invalid UTF-8")
	}
}

func TestHash(t *testing.T) {
	// echo -n 'abc' | sha256sum
	if got := HashCanonical("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatal(got)
	}
	_, a, _ := Hash("通知\r\n")
	_, b, _ := Hash("\uFEFF通知\n")
	if a != b {
		t.Fatal("equivalent bodies hash differently")
	}
	_, c, _ := Hash("通知")
	if a == c {
		t.Fatal("different bodies hash the same")
	}
}

func FuzzCanonical(f *testing.F) {
	for _, s := range []string{"", "甲\r\n乙", "\uFEFFx", "e\u0301", "\xff", "😀\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Canonical(s)
		if err != nil {
			return
		}
		for i := 0; i < len(c); i++ {
			if c[i] == '\r' {
				t.Fatalf("CR left in %q", c)
			}
		}
		if again, _ := Canonical(c); again != c {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}
