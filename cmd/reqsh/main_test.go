package main

import "testing"

func TestOneThread(t *testing.T) {
	noEnv := func(string) (string, bool) { return "", false }
	withEnv := func(name string) (string, bool) { return "4", name == "GOMAXPROCS" }
	for name, c := range map[string]struct {
		args []string
		env  func(string) (string, bool)
		want bool
	}{
		"prompt":                 {nil, noEnv, true},
		"script with a base URL": {[]string{"http://localhost:8080"}, noEnv, true},
		"script file":            {[]string{"-f", "test"}, noEnv, true},
		"test runner":            {[]string{"test", "a.reqsh", "b.reqsh"}, noEnv, false},
		"GOMAXPROCS set":         {nil, withEnv, false},
	} {
		t.Run(name, func(t *testing.T) {
			if got := oneThread(c.args, c.env); got != c.want {
				t.Errorf("oneThread(%q) = %v, want %v", c.args, got, c.want)
			}
		})
	}
}
