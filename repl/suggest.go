package repl

import (
	"fmt"
	"slices"
	"strings"
)

// maxSuggestions bounds how many names a did-you-mean offers.
const maxSuggestions = 3

// suggest returns the names a mistyped word most likely meant: those at
// the smallest edit distance from it (Damerau-Levenshtein, a swap of two
// neighbours counting as one edit), at most 1 for a word of up to three
// characters and 2 for a longer one; failing those, the names it is a
// prefix of (two characters typed at least). Case is ignored. The word
// itself is never suggested; at most maxSuggestions names are returned,
// sorted.
func suggest(word string, names []string) []string {
	w := strings.ToLower(word)
	limit := 1
	if len([]rune(w)) > 3 {
		limit = 2
	}
	best, found := limit+1, []string(nil)
	var prefixed []string
	for _, n := range names {
		name := strings.ToLower(n)
		if name == w || slices.Contains(found, n) || slices.Contains(prefixed, n) {
			continue
		}
		switch d := editDistance(w, name); {
		case d > limit:
		case d < best:
			best, found = d, []string{n}
		case d == best:
			found = append(found, n)
		}
		if len(w) >= 2 && strings.HasPrefix(name, w) {
			prefixed = append(prefixed, n)
		}
	}
	if len(found) == 0 {
		found = prefixed
	}
	slices.Sort(found)
	if len(found) > maxSuggestions {
		found = found[:maxSuggestions]
	}
	return found
}

// didYouMean returns ": did you mean "a"?" (or "a" or "b") for the
// suggestions of word among names, or "" when there are none.
func didYouMean(word string, names []string) string {
	s := suggest(word, names)
	if len(s) == 0 {
		return ""
	}
	quoted := make([]string, len(s))
	for i, n := range s {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	alts := quoted[0]
	if len(quoted) > 1 {
		alts = strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
	}
	return ": did you mean " + alts + "?"
}

// editDistance is the optimal string alignment distance between a and b
// (Damerau-Levenshtein where no substring is edited twice), by runes.
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// Three rows: the one before the previous is needed for swaps.
	prev2 := make([]int, len(t)+1)
	prev := make([]int, len(t)+1)
	cur := make([]int, len(t)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(s); i++ {
		cur[0] = i
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(t)]
}
