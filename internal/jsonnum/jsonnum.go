// Package jsonnum finds where a JSON number ends (RFC 8259, section 6),
// in a string or a byte slice: the one grammar of a number for the
// packages that read JSON by hand (the printer's one-pass layout, the
// request items' fast path).
package jsonnum

// End returns the index just past the JSON number that starts at s[i],
// or -1 when no number starts there. What follows the number is not
// looked at: End("12,", 0) is 2.
func End[T ~string | ~[]byte](s T, i int) int {
	if i < len(s) && s[i] == '-' {
		i++
	}
	// The integer part: 0, or a digit 1-9 and more digits.
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(s, i+1)
	default:
		return -1
	}
	if i < len(s) && s[i] == '.' {
		j := digits(s, i+1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(s, i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}

// digits returns the index of the first byte from s[i] on that is not
// an ASCII digit.
func digits[T ~string | ~[]byte](s T, i int) int {
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}
