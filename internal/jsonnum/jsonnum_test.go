package jsonnum

import (
	"encoding/json"
	"testing"
)

// TestEndAsEncodingJSON: over every string of up to 5 bytes from the
// bytes of numbers, End says the whole string is a number exactly when
// encoding/json reads it as one, the same for a string and a byte slice;
// after a number, what follows is left alone.
func TestEndAsEncodingJSON(t *testing.T) {
	const alphabet = "-+0123.eE x"
	var walk func(s string)
	walk = func(s string) {
		isNum := json.Valid([]byte(s)) && s != "" && (s[0] == '-' || '0' <= s[0] && s[0] <= '9') && s[len(s)-1] != ' '
		got, gotBytes := End(s, 0), End([]byte(s), 0)
		if got != gotBytes {
			t.Fatalf("End(%q): %d for the string, %d for the bytes", s, got, gotBytes)
		}
		if (got == len(s)) != isNum {
			t.Fatalf("End(%q) = %d; encoding/json says a number: %v", s, got, isNum)
		}
		if isNum {
			if e := End(s+",1", 0); e != len(s) {
				t.Fatalf("End(%q) = %d, want %d: the number ends before the comma", s+",1", e, len(s))
			}
		}
		if len(s) == 5 {
			return
		}
		for i := range len(alphabet) {
			walk(s + alphabet[i:i+1])
		}
	}
	walk("")
	if e := End("x-1", 1); e != 3 {
		t.Errorf(`End("x-1", 1) = %d, want 3`, e)
	}
}
