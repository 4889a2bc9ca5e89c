package repl

import (
	"strings"
	"testing"
)

// TestHelpFamilies checks that help for a first word lists every command
// of the table under it, each with its usage, and help set every option.
func TestHelpFamilies(t *testing.T) {
	for _, head := range []string{"header", "params", "cookies", "session", "auth"} {
		out, code := runEcho(t, nil, "help "+head+"\n", testEnv(t))
		if code != 0 {
			t.Fatalf("help %s: exit %d: %s", head, code, out)
		}
		for _, c := range commands() {
			if c.path[0] == head && !strings.Contains(out, "  "+c.usage()+"  ") {
				t.Errorf("help %s lacks %q:\n%s", head, c.usage(), out)
			}
		}
	}
	out, _ := runEcho(t, nil, "help set\n", testEnv(t))
	for _, name := range optionNames() {
		if !strings.Contains(out, "  set "+name+" VALUE") {
			t.Errorf("help set lacks option %q:\n%s", name, out)
		}
	}
}
