package session

import (
	"syscall"
	"unsafe"
)

// peekByte asks the kernel for one byte of fd without consuming it and
// without blocking. The call never blocks, so it is made raw: without
// the scheduler's bookkeeping for a system call that may block, which
// costs more than the call itself and can wake another thread.
func peekByte(fd uintptr, buf *[1]byte) (int, syscall.Errno) {
	n, _, errno := syscall.RawSyscall6(syscall.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(buf)), 1,
		syscall.MSG_PEEK|syscall.MSG_DONTWAIT, 0, 0)
	if errno != 0 {
		return 0, errno
	}
	return int(n), 0
}
