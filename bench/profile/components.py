#!/usr/bin/env python3
# Turns `perf script` output of AuthServer into the table docs/PERFORMANCE.md quotes: each sample is
# charged to one component, and a component's µs per refresh is its share of the samples times the
# CPU per refresh the benchmark measured (with perf attached).
#   components.py perf.txt CPU_US_PER_REQUEST
# A sample in the kernel is charged by its system call (file I/O, network, scheduler); any other
# by the first frame, from the leaf up, of a known library (SQLite before EF Core before OpenIddict,
# so a query's cost is the database's, not its caller's); allocation and GC leaves are the runtime's.
import sys, re, collections
path, cpu = sys.argv[1], float(sys.argv[2])
rules = [  # first frame (leaf -> root) matching a rule names the component
 ('SQLite', re.compile(r'libe_sqlite3|SQLitePCL|Microsoft\.Data\.Sqlite')),
 ('EF Core', re.compile(r'Microsoft\.EntityFrameworkCore')),
 ('Identity', re.compile(r'Microsoft\.AspNetCore\.Identity|Microsoft\.Extensions\.Identity')),
 ('crypto', re.compile(r'libcrypto|libssl|System\.Security\.Cryptography')),
 ('token creation/validation (IdentityModel)', re.compile(r'Microsoft\.IdentityModel|System\.IdentityModel')),
 ('logging', re.compile(r'Microsoft\.Extensions\.Logging')),
 ('OpenIddict pipeline', re.compile(r'OpenIddict')),
 ('AuthServer own code', re.compile(r'AuthServer\.')),
 ('ASP.NET Core/Kestrel', re.compile(r'Microsoft\.AspNetCore|Microsoft\.Extensions\.DependencyInjection|System\.Net\.')),
]
kernel_rules = [
 ('file I/O (fsync, write)', re.compile(r'fsync|fdatasync|ext4|jbd2|vfs_write|vfs_read|pwrite|pread|xfs_|btrfs|blk_|filemap|do_fsync')),
 ('network (loopback TCP)', re.compile(r'tcp_|sock_|inet_|__sys_sendto|__sys_recv|sendmsg|recvmsg|epoll|ip_|net_rx|__netif|loopback')),
 ('scheduler/futex', re.compile(r'futex|schedule|__x64_sys_sched|pick_next|finish_task_switch|try_to_wake')),
]
gc = re.compile(r'WKS::|SVR::|gc_heap|GCHeap|GarbageCollect|Alloc|JIT_New|memset|memmove')
counts = collections.Counter(); total = 0
def classify(frames):
    kern = [f for f in frames if '[kernel' in f]
    if kern and '[kernel' in frames[0]:
        for name, r in kernel_rules:
            if any(r.search(f) for f in frames): return 'kernel: ' + name
        return 'kernel: other'
    for f in frames:
        for name, r in rules:
            if r.search(f):
                if name in ('ASP.NET Core/Kestrel',) and gc.search(frames[0]): return 'runtime: GC/allocation'
                if gc.search(frames[0]) and name != 'SQLite': return 'runtime: GC/allocation'
                return name
    if gc.search(frames[0]): return 'runtime: GC/allocation'
    if any('libclrjit' in f for f in frames): return 'runtime: JIT'
    return 'runtime: other (thread pool, interop, stubs)'
frames = []
def flush():
    global total
    if frames:
        counts[classify(frames)] += 1; total += 1
for line in open(path, errors='replace'):
    if not line.strip():
        flush(); frames = []; continue
    if line.startswith((' ', '\t')):
        frames.append(line.strip())
flush()
print(f'| component | µs per refresh | share |\n|---|---:|---:|')
for k, v in counts.most_common():
    print(f'| {k} | {cpu*v/total:,.0f} | {100*v/total:.1f} % |')
print(f'| in all | {cpu:,.0f} | {total} samples |')
