package repl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIsSecretLine(t *testing.T) {
	secret := []string{
		"auth user pass", "AUTH bearer tok", "auth digest u p",
		"header set Authorization Bearer abc", "header set X-Api-Key abc", "header set Cookie a=b",
		"get /x Authorization:Bearer-abc", "get /x X-Auth-Token:abc", "get /x api_key==abc",
		"get /x -a user:pass", "get /x --auth=user:pass",
		"get http://user:pass@example.com/", "get /login?token=abc",
		"post /login password=hunter2", "cookies set session abc",
		"get /x X-Id:{{token}}", "let TOKEN abc", "params set access_token abc",
		`get "/x Authorization:abc`, // bad quoting: judged on the raw text
	}
	plain := []string{
		"get /get", "header set User-Agent my-program", "params set from perfcode.com",
		"post /post name=reqsh tags:='[\"a\"]'", "cookies", "get http://example.com/a@b",
		"set timeout 5s", "cd /api", "let id 42",
	}
	for _, line := range secret {
		if !isSecretLine(line) {
			t.Errorf("isSecretLine(%q) = false, want true", line)
		}
	}
	for _, line := range plain {
		if isSecretLine(line) {
			t.Errorf("isSecretLine(%q) = true, want false", line)
		}
	}
}

func TestHistoryFile(t *testing.T) {
	home := t.TempDir()
	h := openHistory([]string{"HOME=" + home})
	for _, line := range []string{"get /get", "auth user s3cret", "header set User-Agent x", "get /a\nb"} {
		h.add(line)
	}
	path := filepath.Join(home, ".local", "share", "reqsh", "history")
	if h.path != path {
		t.Fatalf("history at %q, want %q", h.path, path)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 600", info.Mode().Perm())
	}
	got := h.load()
	if strings.Join(got, "|") != "get /get|header set User-Agent x" {
		t.Errorf("history = %q", got)
	}
	// XDG_DATA_HOME wins over HOME, and the file is trimmed to the limit.
	xdg := t.TempDir()
	h = openHistory([]string{"HOME=" + home, "XDG_DATA_HOME=" + xdg})
	for i := 0; i < historyLimit+10; i++ {
		h.add("get /n")
	}
	if n := len(h.load()); n != historyLimit {
		t.Errorf("loaded %d lines, want %d", n, historyLimit)
	}
	data, _ := os.ReadFile(filepath.Join(xdg, "reqsh", "history"))
	if n := strings.Count(string(data), "\n"); n != historyLimit {
		t.Errorf("file keeps %d lines after trimming, want %d", n, historyLimit)
	}
}
