package repl

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// descServer is an API under /api that serves a description at one
// path only, and records the paths it was asked for, in order.
type descServer struct {
	mu    sync.Mutex
	paths []string
}

// newDescServer serves the file desc (of testdata/apispec) at path;
// link, when not "", is the Link header of the API's root, /api.
func newDescServer(t *testing.T, path, desc, link string) (*descServer, *httptest.Server) {
	t.Helper()
	var data []byte
	if desc != "" {
		var err error
		if data, err = os.ReadFile(filepath.Join("..", "testdata", "apispec", desc)); err != nil {
			t.Fatal(err)
		}
	}
	ds := &descServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ds.mu.Lock()
		ds.paths = append(ds.paths, r.URL.Path)
		ds.mu.Unlock()
		switch {
		case r.URL.Path == "/api" && link != "":
			w.Header().Set("Link", link)
			w.Write([]byte("the API's root\n"))
		case r.URL.Path == path && data != nil:
			w.Write(data)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return ds, srv
}

func (ds *descServer) got() []string {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	return slices.Clone(ds.paths)
}

// TestSpecDiscovery runs spec load with no argument against APIs that
// serve their description in each place discovery looks, in its order:
// the target of a Link rel="service-desc" on the base URL, then
// openapi.json, openapi.yaml, swagger.json (Swagger 2.0) and v3/api-docs
// under it. It checks the paths the server was asked for, in order, and
// what ls shows then.
func TestSpecDiscovery(t *testing.T) {
	tried := []string{"/api", "/api/openapi.json", "/api/openapi.yaml", "/api/swagger.json", "/api/v3/api-docs"}
	cases := []struct {
		name, path, desc, link string
		asked                  []string
		ls                     string
	}{
		{name: "openapi.json", path: "/api/openapi.json", desc: "discover.json",
			asked: tried[:2], ls: "widgets/  [get post]\n"},
		{name: "openapi.yaml", path: "/api/openapi.yaml", desc: "discover.yaml",
			asked: tried[:3], ls: "gizmos/  [get]\n"},
		{name: "swagger.json", path: "/api/swagger.json", desc: "discover-swagger2.json",
			asked: tried[:4], ls: "gadgets/  [get post]\n"},
		{name: "v3/api-docs", path: "/api/v3/api-docs", desc: "discover.json",
			asked: tried, ls: "widgets/  [get post]\n"},
		{name: "service-desc", path: "/docs/desc.yaml", desc: "discover.yaml",
			link:  `<https://example.com/terms>; rel="terms-of-service", </docs/desc.yaml>; rel="service-desc"`,
			asked: []string{"/api", "/docs/desc.yaml"}, ls: "gizmos/  [get]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ds, srv := newDescServer(t, c.path, c.desc, c.link)
			out, errOut, code := runScript(t, strings.NewReader("spec load\nls\n"), srv.URL+"/api")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := ds.got(); !slices.Equal(got, c.asked) {
				t.Errorf("the server was asked for %q, want %q", got, c.asked)
			}
			if out != c.ls {
				t.Errorf("ls shows %q, want %q", out, c.ls)
			}
			if !strings.HasPrefix(errOut, "loaded ") {
				t.Errorf("stderr %q, want the loaded line", errOut)
			}
		})
	}
}

// TestSpecDiscoveryNone runs spec load with no argument against an API
// with no description anywhere: every place is tried once, in order, one
// error line says so, and the shell goes on.
func TestSpecDiscoveryNone(t *testing.T) {
	t.Parallel()
	ds, srv := newDescServer(t, "", "", "")
	out, errOut, code := runScript(t, strings.NewReader("spec load\ncd\n"), "-k", srv.URL+"/api")
	want := []string{"/api", "/api/openapi.json", "/api/openapi.yaml", "/api/swagger.json", "/api/v3/api-docs"}
	if got := ds.got(); !slices.Equal(got, want) {
		t.Errorf("the server was asked for %q, want %q", got, want)
	}
	wantOneErrorLine(t, errOut, "error: line 1: spec load: no description found at "+srv.URL+"/api",
		`no Link rel="service-desc"`, "tried openapi.json, openapi.yaml, swagger.json, v3/api-docs")
	if out != srv.URL+"/api\n" {
		t.Errorf("the next command printed %q, want the base URL", out)
	}
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}

// TestSpecDiscoveryBroken runs spec load with no argument against an API
// whose openapi.json is not a valid description: discovery goes on to
// the other places, and when none holds one the error says what is wrong
// with the one that was there.
func TestSpecDiscoveryBroken(t *testing.T) {
	t.Parallel()
	ds, srv := newDescServer(t, "/api/openapi.json", "broken.yaml", "")
	_, errOut, code := runScript(t, strings.NewReader("spec load\n"), srv.URL+"/api")
	want := []string{"/api", "/api/openapi.json", "/api/openapi.yaml", "/api/swagger.json", "/api/v3/api-docs"}
	if got := ds.got(); !slices.Equal(got, want) {
		t.Errorf("the server was asked for %q, want %q", got, want)
	}
	wantOneErrorLine(t, errOut, "error: line 1: spec load: "+srv.URL+"/api/openapi.json: not JSON or YAML: line 7")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
}
