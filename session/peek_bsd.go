//go:build darwin || freebsd || netbsd || openbsd || dragonfly

package session

import (
	"errors"
	"syscall"
)

// peekByte asks the kernel for one byte of fd without consuming it and
// without blocking.
func peekByte(fd uintptr, buf *[1]byte) (int, syscall.Errno) {
	n, _, err := syscall.Recvfrom(int(fd), buf[:], syscall.MSG_PEEK|syscall.MSG_DONTWAIT)
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return 0, errno
	}
	if err != nil {
		return 0, syscall.EINVAL
	}
	return n, 0
}
