// Package bookstore is a small in-process API with its own OpenAPI
// description (served at /store/openapi.yaml, with $refs to
// schemas.yaml): books, their reviews and authors, path, query and header
// parameters, enums and a request body with required fields. One
// endpoint, /store/bargains, deliberately answers off its schema, so
// `expect schema` has something to find.
package bookstore

import (
	"embed"
	"encoding/json"
	"net/http"
)

//go:embed openapi.yaml schemas.yaml
var files embed.FS

// Prefix is the path the API is served under.
const Prefix = "/store"

// Description returns the API's description (openapi.yaml).
func Description() []byte {
	data, _ := files.ReadFile("openapi.yaml")
	return data
}

type book struct {
	ISBN    string   `json:"isbn"`
	Title   string   `json:"title"`
	Price   any      `json:"price"`
	Genre   string   `json:"genre,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	InStock bool     `json:"in_stock"`
}

var books = []book{
	{ISBN: "978-0", Title: "Dune", Price: 9.5, Genre: "fiction", InStock: true},
	{ISBN: "978-1", Title: "A Brief History of Time", Price: 12.0, Genre: "science"},
	{ISBN: "978-2", Title: "SPQR", Price: 15.25, Genre: "history", Tags: []string{"rome"}},
}

// Handler serves the API under Prefix.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /store/openapi.yaml", serveFile("openapi.yaml"))
	mux.HandleFunc("GET /store/schemas.yaml", serveFile("schemas.yaml"))
	mux.HandleFunc("GET /store/{$}", index)
	mux.HandleFunc("GET /store", index)
	mux.HandleFunc("GET /store/books", func(w http.ResponseWriter, r *http.Request) {
		genre := r.URL.Query().Get("genre")
		list := []book{}
		for _, b := range books {
			if genre == "" || b.Genre == genre {
				list = append(list, b)
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"items": list, "total": len(list)})
	})
	mux.HandleFunc("POST /store/books", func(w http.ResponseWriter, r *http.Request) {
		var b book
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil || b.Title == "" {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "a book needs isbn, title and price"})
			return
		}
		writeJSON(w, http.StatusCreated, b)
	})
	mux.HandleFunc("GET /store/books/{isbn}", func(w http.ResponseWriter, r *http.Request) {
		for _, b := range books {
			if b.ISBN == r.PathValue("isbn") {
				writeJSON(w, http.StatusOK, b)
				return
			}
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such book"})
	})
	mux.HandleFunc("PUT /store/books/{isbn}", func(w http.ResponseWriter, r *http.Request) {
		var b book
		_ = json.NewDecoder(r.Body).Decode(&b)
		writeJSON(w, http.StatusOK, b)
	})
	mux.HandleFunc("DELETE /store/books/{isbn}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /store/books/{isbn}/reviews", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, []map[string]any{{"stars": 5, "text": "a classic"}})
	})
	mux.HandleFunc("GET /store/authors", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, []map[string]any{{"id": 1, "name": "Frank Herbert"}})
	})
	mux.HandleFunc("GET /store/authors/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"id": 1, "name": "Frank Herbert"})
	})
	mux.HandleFunc("GET /store/bargains", func(w http.ResponseWriter, r *http.Request) {
		// Off its schema on purpose: a price as a string, a book
		// without a title.
		writeJSON(w, http.StatusOK, map[string]any{"items": []any{
			book{ISBN: "978-0", Title: "Dune", Price: 7.5},
			map[string]any{"isbn": "978-3", "price": 3},
			book{ISBN: "978-2", Title: "SPQR", Price: "cheap"},
		}})
	})
	return mux
}

// index is the API's root: it points at the description with a Link
// header, as RFC 8631 says.
func index(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Link", `</store/openapi.yaml>; rel="service-desc"`)
	writeJSON(w, http.StatusOK, map[string]string{"name": "bookstore"})
}

// serveFile serves one of the description's files.
func serveFile(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		data, _ := files.ReadFile(name)
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(data)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
