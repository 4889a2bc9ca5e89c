// Package sample makes the documents reqsh's benchmarks print: large JSON
// shaped like an API's answer, the same bytes every time.
package sample

import (
	"strconv"
	"strings"
)

// JSON returns a JSON array of user records as long as fits in size bytes,
// and at least one. Records have numbers, booleans, null, nested objects,
// arrays, non-ASCII text and escaped strings, as API responses do.
func JSON(size int) []byte {
	var s strings.Builder
	s.Grow(size)
	s.WriteByte('[')
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		rec := `{"id":` + n + `,"name":"user ` + n + `","email":"user` + n +
			`@example.com","active":` + strconv.FormatBool(i%3 != 0) +
			`,"score":` + strconv.Itoa(i%997) + `.25,"tags":["alpha","beta","gamma"],` +
			`"address":{"street":"` + n + ` Main St","city":"Zürich","zip":"80` + n[len(n)-1:] +
			`"},"note":"line one\nline \"two\" \u00e9","parent":null}`
		if s.Len()+len(rec)+2 > size && i > 0 {
			break
		}
		if i > 0 {
			s.WriteByte(',')
		}
		s.WriteString(rec)
	}
	s.WriteByte(']')
	return []byte(s.String())
}
