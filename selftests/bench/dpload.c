// SPDX-License-Identifier: GPL-2.0
/*
 * Traffic for the datapath benchmark (run-datapath.sh), run inside the
 * test VM: tight loops that print the guest's CLOCK_MONOTONIC time they
 * took, so that no interpreter's per-packet cost hides the firewall's.
 *
 *   dpload udp ADDR PORT N     send N 16-byte datagrams on one connected
 *                              socket; prints "NS FAILED IDLE_NS" (FAILED:
 *                              sends that failed; IDLE_NS: how long the
 *                              CPUs were idle meanwhile, from
 *                              /proc/timer_list, or -1)
 *   dpload tcp ADDR PORT N     N times: a new socket, connect, close (the
 *                              last waits for the server to close it);
 *                              prints "NS FAILED IDLE_NS" (FAILED:
 *                              connects that failed)
 *   dpload probe udp|tcp ADDR PORT
 *                              one datagram, or one connect with a 2 s
 *                              timeout: prints "ok", the errno's name, or
 *                              "timeout"
 *   dpload serve PORT          a TCP listener (accepts and closes at once)
 *                              and a UDP socket on PORT, IPv4 and IPv6;
 *                              prints "ready", runs until killed. The UDP
 *                              socket is never read and has the smallest
 *                              buffer: past its first few datagrams, each
 *                              one is dropped there and counted in the
 *                              namespace's Udp(6)RcvbufErrors, synchronously
 *                              with its send, so all the work a datagram
 *                              causes falls within the sender's timing
 *   dpload spin N              N iterations of a two-instruction loop;
 *                              prints "NS INSTRUCTIONS"
 *   dpload time CMD [ARG...]   run CMD (its standard output discarded);
 *                              prints "NS STATUS IDLE_NS" (STATUS: its
 *                              exit status, 128 + the signal that killed
 *                              it; IDLE_NS: how long the CPUs were idle
 *                              meanwhile, from /proc/timer_list, or -1)
 *
 * ADDR is IPv4 or IPv6.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static socklen_t parse_addr(const char *addr, const char *port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		return sizeof(*sin6);
	}
	fprintf(stderr, "dpload: not an address: %s\n", addr);
	exit(2);
}

static const char *errname(int err)
{
	switch (err) {
	case EPERM:
		return "EPERM";
	case EACCES:
		return "EACCES";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ECONNRESET:
		return "ECONNRESET";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	case ENETUNREACH:
		return "ENETUNREACH";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	default:
		return strerror(err);
	}
}

/* Idle time of all CPUs so far (NO_HZ's idle and iowait sleep times). */
static int64_t idle_ns(void)
{
	FILE *f = fopen("/proc/timer_list", "r");
	unsigned long long v;
	int64_t sum = 0;
	char line[256];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " .idle_sleeptime : %llu", &v) == 1 ||
		    sscanf(line, " .iowait_sleeptime : %llu", &v) == 1) {
			sum += (int64_t)v;
			found = 1;
		}
	fclose(f);
	return found ? sum : -1;
}

static void report(uint64_t start, uint64_t end, long failed, int64_t idle0)
{
	int64_t idle1 = idle_ns();

	printf("%llu %ld %lld\n", (unsigned long long)(end - start), failed,
	       idle0 < 0 || idle1 < 0 ? -1LL : (long long)(idle1 - idle0));
}

static int run_udp(const char *addr, const char *port, long n)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	char payload[16] = "sbxfw-datapath";
	long failed = 0;
	uint64_t start, end;
	int64_t idle0;
	int fd;

	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&ss, len))
		die("connect");
	idle0 = idle_ns();
	start = now_ns();
	for (long i = 0; i < n; i++)
		if (send(fd, payload, sizeof(payload), 0) != sizeof(payload))
			failed++;
	end = now_ns();
	report(start, end, failed, idle0);
	close(fd);
	return 0;
}

static int run_tcp(const char *addr, const char *port, long n)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int64_t idle0 = idle_ns();
	long failed = 0;
	uint64_t start;

	start = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = socket(ss.ss_family, SOCK_STREAM, 0);

		if (fd < 0)
			die("socket");
		if (connect(fd, (struct sockaddr *)&ss, len)) {
			failed++;
		} else if (i == n - 1) {
			/*
			 * The server accepts in order: once it has closed
			 * the last connection it has closed them all. Its
			 * work then falls within the time measured, however
			 * the scheduler ran it (the wait is never idle: the
			 * server is runnable).
			 */
			char c;

			while (read(fd, &c, 1) > 0)
				;
		}
		close(fd);
	}
	report(start, now_ns(), failed, idle0);
	return 0;
}

static int run_probe(const char *proto, const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = parse_addr(addr, port, &ss);
	int tcp = !strcmp(proto, "tcp");
	struct pollfd pfd;
	int fd, err = 0;
	socklen_t elen = sizeof(err);

	fd = socket(ss.ss_family, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (!tcp) {
		if (sendto(fd, "probe", 5, 0, (struct sockaddr *)&ss, len) != 5)
			err = errno;
		puts(err ? errname(err) : "ok");
		return 0;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (connect(fd, (struct sockaddr *)&ss, len) == 0) {
		puts("ok");
		return 0;
	}
	if (errno != EINPROGRESS) {
		puts(errname(errno));
		return 0;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 2000) != 1) {
		puts("timeout");
		return 0;
	}
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
	puts(err ? errname(err) : "ok");
	return 0;
}

static __attribute__((noreturn)) void run_serve(const char *port)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_addr = IN6ADDR_ANY_INIT,
				     .sin6_port = htons(atoi(port)) };
	int off = 0, on = 1, lfd, ufd;

	lfd = socket(AF_INET6, SOCK_STREAM, 0);
	ufd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (lfd < 0 || ufd < 0)
		die("socket");
	setsockopt(lfd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	setsockopt(ufd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	setsockopt(ufd, SOL_SOCKET, SO_RCVBUF, &off, sizeof(off));
	if (bind(lfd, (struct sockaddr *)&sin6, sizeof(sin6)) ||
	    bind(ufd, (struct sockaddr *)&sin6, sizeof(sin6)))
		die("bind");
	if (listen(lfd, 4096))
		die("listen");
	puts("ready");
	fflush(stdout);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd >= 0)
			close(fd);
	}
}

static int run_spin(long n)
{
	uint64_t start = now_ns();
	long i = n;

	/* Exactly two instructions an iteration. */
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(i));
	printf("%llu %ld\n", (unsigned long long)(now_ns() - start), 2 * n);
	return 0;
}

static int run_time(char **argv)
{
	int64_t idle0 = idle_ns(), idle1;
	uint64_t start = now_ns(), end;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || dup2(fd, 1) < 0)
			die("/dev/null");
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	end = now_ns();
	idle1 = idle_ns();
	printf("%llu %d %lld\n", (unsigned long long)(end - start),
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	       idle0 < 0 || idle1 < 0 ? -1LL : (long long)(idle1 - idle0));
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 5 && !strcmp(argv[1], "udp"))
		return run_udp(argv[2], argv[3], atol(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "tcp"))
		return run_tcp(argv[2], argv[3], atol(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "probe"))
		return run_probe(argv[2], argv[3], argv[4]);
	if (argc == 3 && !strcmp(argv[1], "serve"))
		run_serve(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "spin"))
		return run_spin(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "time"))
		return run_time(argv + 2);
	fprintf(stderr,
		"usage: dpload udp|tcp ADDR PORT N | probe udp|tcp ADDR PORT | serve PORT | spin N | time CMD...\n");
	return 2;
}
