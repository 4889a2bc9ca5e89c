//go:build !linux

package main

// runInForeground runs the program here, as it is, where process groups
// are not handled (see the Linux version).
func runInForeground() (int, bool) { return 0, false }
