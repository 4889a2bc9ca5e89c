package main

import (
	"os"
	"os/signal"
	"syscall"
	"unsafe"
)

// childEnv marks the process runInForeground starts.
const childEnv = "REQSH_DEMO_FOREGROUND"

// runInForeground runs this program again in a process group of its
// own, in the foreground of the terminal, when it was started in another
// program's group: `make demo`. Ctrl-C during a request then reaches
// reqsh alone, which cancels the request; make never sees the SIGINT, so
// it neither prints "make: *** Interrupt" nor exits 130 when reqsh ends.
// Ctrl-Z stops the whole job as a shell would, and fg brings it back.
//
// It reports whether it ran the program (and so the exit status to end
// with); false means run here: not at a terminal, already the leader of a
// foreground group (started by a shell), or the new process.
func runInForeground() (int, bool) {
	if os.Getenv(childEnv) != "" {
		return 0, false
	}
	const tty = 0
	own := syscall.Getpgrp()
	if fg, err := tcgetpgrp(tty); err != nil || fg != own || own == os.Getpid() {
		return 0, false
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	// Handing the terminal back from a background group needs SIGTTOU
	// ignored; readline's Ctrl-Z sends SIGTSTP to its parent, this
	// process, which stops when the job stops, below.
	signal.Ignore(syscall.SIGTTOU)
	tstp := make(chan os.Signal, 1)
	signal.Notify(tstp, syscall.SIGTSTP)
	go func() {
		for range tstp {
		}
	}()
	cont := make(chan os.Signal, 1)
	signal.Notify(cont, syscall.SIGCONT)
	child, err := os.StartProcess(exe, os.Args, &os.ProcAttr{
		Env:   append(os.Environ(), childEnv+"=1"),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		Sys:   &syscall.SysProcAttr{Foreground: true, Ctty: tty},
	})
	if err != nil {
		return 0, false
	}
	defer tcsetpgrp(tty, own)
	for {
		var ws syscall.WaitStatus
		_, err := syscall.Wait4(child.Pid, &ws, syscall.WUNTRACED, nil)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 1, true
		case ws.Stopped():
			stopJob(tty, own, child.Pid, cont)
		case ws.Exited():
			return ws.ExitStatus(), true
		case ws.Signaled():
			return 128 + int(ws.Signal()), true
		}
	}
}

// stopJob stops the job the shell knows (make and this process, group
// own) when the new process (group child) stopped: Ctrl-Z. The terminal
// goes back to own's group first. When the shell continues the job (fg),
// the terminal goes to child's group again, if own's group has it (not
// after bg), and child continues.
func stopJob(tty, own, child int, cont chan os.Signal) {
	select {
	case <-cont:
	default:
	}
	tcsetpgrp(tty, own)
	syscall.Kill(-own, syscall.SIGTSTP)
	syscall.Kill(os.Getpid(), syscall.SIGSTOP)
	// The stop reaches every thread a little later: wait for the
	// shell's SIGCONT, not for kill to return.
	<-cont
	if fg, err := tcgetpgrp(tty); err == nil && fg == own {
		tcsetpgrp(tty, child)
	}
	syscall.Kill(-child, syscall.SIGCONT)
}

// tcgetpgrp returns the foreground process group of the terminal fd.
func tcgetpgrp(fd int) (int, error) {
	var pgrp int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TIOCGPGRP, uintptr(unsafe.Pointer(&pgrp))); errno != 0 {
		return 0, errno
	}
	return int(pgrp), nil
}

// tcsetpgrp makes pgrp the foreground process group of the terminal fd.
func tcsetpgrp(fd, pgrp int) {
	p := int32(pgrp)
	syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TIOCSPGRP, uintptr(unsafe.Pointer(&p)))
}
