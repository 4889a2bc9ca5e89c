package repl

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestIsSecretLine(t *testing.T) {
	secret := map[string][]string{
		"auth commands": {"auth user pass", "AUTH bearer tok", "auth digest u p", "auth"},
		"cookies set":   {"cookies set session abc", "COOKIES SET a b"},
		"variables":     {"get /x X-Id:{{token}}", "let x {{env.HOME}}"},
		"request auth": {"get /x -a user:pass", "get /x --auth=user:pass", "get /x --auth u:p", "GET /x -a tok -A bearer",
			"get /x -a=u:pass", "get /x -au:pass", "get /x -aT0K", "get /x --auth:u:p", "GET /x --AUTH=u:p"},
		"unsure":         {`get "/x Authorization:abc`, "get '/x", "get /x\nmore", "get /x\rmore"},
		"URL with user":  {"get http://user:pass@example.com/", "get https://u@h/", "base http://u:p@h", "set proxy http://u:p@proxy:3128"},
		"URL, no scheme": {"get u:p@host/x", "get //u:p@host/x", "get u@host", "cd u:p@host/x", "base //u:p@h/", "base http://h/?token=x", "get /x url=//u:p@h/", "post /x next=http://u:p@h/"},
		"header names": {
			"header set Authorization Bearer abc", "header set X-Api-Key abc", "header set Cookie a=b",
			"header set X-Access-Key abc", "header set apikey abc", "header set X-Pin 1234",
			"get /x Authorization:Bearer-abc", "get /x X-Auth-Token:abc", "get /x X-Access-Key:abc",
			"get /x Key:abc", "get /x X-Sig:abc", "get /x X-JWT:abc", "get /x X-OTP:123456", "get /x xApiKey:1",
		},
		"header values": {"get /x X-Forward:Bearer-abc", "get /x X-Creds:a", "get /x 'X-Note:Bearer abc'"},
		"param names": {
			"get /x api_key==abc", "get /x pass==x", "get /x pw==x", "get /x passwd==x", "get /x access_key==abc",
			"get /x key==abc", "get /x apikey==abc", "get /x jwt==abc", "get /x bearer==abc", "get /x otp==1",
			"get /x pin==1", "get /x sig==abc", "params set access_token abc", "params add Key abc",
			"get /login?token=abc", "get /x?a=1&access%5Fkey=abc", "get http://h/x?PIN=1",
			"get http://h/cb#access_token=abc&token_type=bearer", "get /cb?state=1#id_token=abc", "cd /cb#code=1&access_token=x",
		},
		"field names": {
			"post /login password=hunter2", "post /login pass=x", "post /x pw:=1", "post /x 'user[password]=x'",
			"post /x otp:=123456", "post /x --form passwd=x", "post /x pinCode=1", "post /x creds:='{\"u\":1}'",
			"post /x meta:='{\"password\":\"x\"}'", "post /x key@/tmp/k.pem",
		},
		"raw bodies": {
			`post /x --raw '{"password":"x"}'`, `post /x --raw '{"user":{"apiKey":"x"}}'`,
			"post /x --raw 'user=a&pw=b'", `post /x --raw '{"otp":1}' Content-Type:application/json`,
		},
		"let and others": {
			"let TOKEN abc", "let pw abc", "let api_key abc", "let pin 1234", "capture token json access_token",
			"header set X-Note password",
		},
	}
	plain := []string{
		"get /get", "header set User-Agent my-program", "params set from perfcode.com",
		"post /post name=reqsh tags:='[\"a\"]'", "cookies", "get http://example.com/a@b",
		"set timeout 5s", "cd /api", "let id 42", "get /x email=a@b.com", "post /x --raw '{\"name\":\"monkey\"}'",
		"get /x Accept:application/json", "get /x?page=2&sort=name", "get /spinner design==1 keyword==x",
		"header set Keep-Alive timeout=5", "set proxy http://proxy:3128", "post /x -o out.json --timeout 5s",
		"get /x X-Request-Id:42", "base http://example.com/api", "cd /auth/keys", "get /api/tokens/1",
		"get /x -A digest", "get /docs#section-2", "get /x?page=2#top",
		"post /x --raw='{\"name\":\"a\"}'",
	}
	for group, lines := range secret {
		for _, line := range lines {
			if !isSecretLine(line) {
				t.Errorf("%s: isSecretLine(%q) = false, want true", group, line)
			}
		}
	}
	for _, line := range plain {
		if isSecretLine(line) {
			t.Errorf("isSecretLine(%q) = true, want false", line)
		}
	}
}

func TestNameWords(t *testing.T) {
	cases := map[string]string{
		"X-Access-Key": "x access key", "xAccessKey": "x access key", "APIKey": "api key",
		"access_key": "access key", "pinCode": "pin code", "user[pw]": "user pw", "HTTPRequest2": "http request2",
	}
	for in, want := range cases {
		if got := strings.Join(nameWords(in), " "); got != want {
			t.Errorf("nameWords(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTerminalHistoryJoinsLines types commands continued with a
// backslash at a real terminal: each is judged and written as one line,
// and a continuation line that is a secret on its own (an API key header
// after "get /get \") is not written apart from its command.
func TestTerminalHistoryJoinsLines(t *testing.T) {
	t.Parallel()
	srv, host := ptyServer(t)
	term := startTerminal(t, "--color", "never", srv.URL)
	term.waitFor(0, host+"> ", 5*time.Second)
	type step struct{ line, shows string }
	for _, s := range []step{
		{"get /get \\", "... "},
		{"X-Api-Key:k3y-s3cret", "k3y-s3cret"},
		{"get /get \\", "... "},
		{"a==joined", `"joined"`},
		{"get u:pw-s3cret@" + host + "/get", `"url"`},
		{"get /get b==plain", `"plain"`},
	} {
		m := term.mark()
		term.typeText(s.line + "\r")
		term.waitFor(m, s.shows, 5*time.Second)
	}
	term.typeText("\x04")
	if code := term.exit(5 * time.Second); code != 0 {
		t.Errorf("exit %d", code)
	}
	data, err := os.ReadFile(filepath.Join(term.home, ".local", "share", "reqsh", "history"))
	if err != nil {
		t.Fatal(err)
	}
	want := "get /get a==joined\nget /get b==plain\n"
	if string(data) != want {
		t.Errorf("history file:\n%s\nwant:\n%s", data, want)
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

// TestHistoryTrimConcurrent trims one history file from many shells at
// once, as reqsh processes started together do: each rewrite has a
// temporary file of its own, so the file ends whole (the limit's lines,
// mode 0600), nothing is left in the directory, and a file that is not
// its own ("history.tmp", the one temporary name every rewrite used
// before) is not touched.
func TestHistoryTrimConcurrent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reqsh", "history")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("get /n\n", historyLimit+50)
	if err := os.WriteFile(path, []byte(long), 0o600); err != nil {
		t.Fatal(err)
	}
	other := path + ".tmp"
	if err := os.WriteFile(other, []byte("not the shell's"), 0o600); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			openHistory([]string{"XDG_DATA_HOME=" + dir}).load()
		}()
	}
	wg.Wait()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != strings.Repeat("get /n\n", historyLimit) {
		t.Errorf("history file has %d bytes, want %d whole lines", len(data), historyLimit)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %o, want 600", info.Mode().Perm())
	}
	if data, _ := os.ReadFile(other); string(data) != "not the shell's" {
		t.Errorf("%s changed to %q", other, data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 2 {
		t.Errorf("files left beside the history: %v", entries)
	}
}
