package repl

import (
	"strings"
)

// completer offers tab completions at the prompt from the command table.
type completer struct {
	sh *Shell
}

// Do implements readline.AutoCompleter: it returns the suffixes that
// complete the word before pos, and the length of that word.
func (c *completer) Do(line []rune, pos int) ([][]rune, int) {
	word, cands := c.sh.complete(string(line[:pos]))
	out := make([][]rune, 0, len(cands))
	for _, cand := range cands {
		out = append(out, []rune(cand[len(word):]))
	}
	return out, len([]rune(word))
}

// complete returns the word being completed at the end of before, and
// the candidates that extend it, in the case the user typed.
func (sh *Shell) complete(before string) (string, []string) {
	words := strings.Fields(before)
	word := ""
	if len(words) > 0 && !strings.HasSuffix(before, " ") && !strings.HasSuffix(before, "\t") {
		word = words[len(words)-1]
		words = words[:len(words)-1]
	}
	var options []string
	if len(words) == 0 {
		options = sh.cmds.firstWords()
	} else {
		options = sh.cmds.subcommands(words[:1])
		if len(words) > 1 || len(options) == 0 {
			options = nil
			if cmd, args, err := sh.cmds.lookup(append(words, "x")); err == nil && cmd.complete != nil {
				options = cmd.complete(sh, args[:len(args)-1], len(args)-1)
			}
		}
	}
	return word, matchPrefix(options, word)
}

// matchPrefix returns the options that start with word (ignoring case),
// rewritten to keep the case the user typed in the common part.
func matchPrefix(options []string, word string) []string {
	var out []string
	for _, o := range options {
		if len(o) >= len(word) && strings.EqualFold(o[:len(word)], word) {
			out = append(out, word+o[len(word):])
		}
	}
	return out
}
